#!/bin/sh
# run_qemu.sh [--arg=WORD] EXPECTED_EXIT IMAGE [TEXT...]
# Boots IMAGE on qemu-system-riscv32 -M virt without firmware (-bios none: the reset
# vector jumps to 0x80000000) with semihosting, in the current directory (where the
# firmware opens its "SD card" modules). Passes only when QEMU exits with EXPECTED_EXIT
# (the code the guest gave SYS_EXIT_EXTENDED) and the output contains every TEXT.
# --arg=WORD puts WORD on the command line the guest reads with SYS_GET_CMDLINE.
semiargs=enable=on,target=native
case $1 in
--arg=*)
	semiargs="$semiargs,arg=fw,arg=${1#--arg=}"
	shift
	;;
esac
expected=$1
image=$2
shift 2
if [ ! -f "$image" ]; then
	echo "FAIL: $image was not built (build the project before running ctest)"
	exit 1
fi
# QEMU 7.2 writes semihosting output to stderr. The timeout ends a hung guest with a
# clear message before ctest's own limit does.
out=$(timeout 50 qemu-system-riscv32 -M virt -bios none -nographic -monitor none -serial none \
	-semihosting-config "$semiargs" -kernel "$image" 2>&1 </dev/null)
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
