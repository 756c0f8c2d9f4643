#!/bin/sh
# run_qemu.sh sim|user EXPECTED_EXIT IMAGE [TEXT...]
# Runs IMAGE on the lx106 core: `sim` boots it on qemu-system-xtensa's sim machine with
# semihosting (in the current directory, where the firmware opens modules), `user`
# runs it as a Linux program under qemu-xtensa. Passes only when QEMU exits with
# EXPECTED_EXIT (the code the guest gave SIMCALL exit / exit_group) and the output
# contains every TEXT.
mode=$1
expected=$2
image=$3
shift 3
if [ ! -f "$image" ]; then
	echo "FAIL: $image was not built (build the project before running ctest)"
	exit 1
fi
# The timeout ends a hung guest with a clear message before ctest's own limit does.
case $mode in
sim)
	out=$(timeout 50 qemu-system-xtensa -M sim -cpu lx106 -display none -monitor none \
		-serial none -semihosting -kernel "$image" 2>&1 </dev/null) ;;
user)
	out=$(timeout 50 qemu-xtensa -cpu lx106 "$image" 2>&1 </dev/null) ;;
*)
	echo "FAIL: unknown mode $mode"
	exit 1 ;;
esac
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
