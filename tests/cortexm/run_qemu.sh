#!/bin/sh
# run_qemu.sh MACHINE EXPECTED_EXIT IMAGE [TEXT...]
# Boots IMAGE on QEMU machine MACHINE with semihosting, in the current directory (where
# the firmware opens its "SD card" modules). Passes only when QEMU exits with
# EXPECTED_EXIT (the code the guest gave SYS_EXIT_EXTENDED) and the output contains
# every TEXT. Used by tests/cortexm and tests/cortexm_modules.
machine=$1
expected=$2
image=$3
shift 3
if [ ! -f "$image" ]; then
	echo "FAIL: $image was not built (build the project before running ctest)"
	exit 1
fi
# QEMU 7.2 writes semihosting output to stderr. The timeout ends a hung guest with a
# clear message before ctest's own limit does.
out=$(timeout 50 qemu-system-arm -M "$machine" -nographic -monitor none -serial none \
	-semihosting-config enable=on,target=native -kernel "$image" 2>&1 </dev/null)
rc=$?
printf '%s\n' "$out"
status=0
if [ "$rc" -ne "$expected" ]; then
	if [ "$rc" -eq 124 ]; then
		echo "FAIL: QEMU timed out"
	else
		echo "FAIL: exit code $rc, expected $expected"
	fi
	status=1
fi
for text in "$@"; do
	if ! printf '%s\n' "$out" | grep -qF -- "$text"; then
		echo "FAIL: output lacks: $text"
		status=1
	fi
done
[ $status -eq 0 ] && echo "PASS: exit code $rc and expected output"
exit $status
