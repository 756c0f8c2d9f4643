#!/bin/sh
# run_firmware.sh IMAGE SCRIPT EXPECTED
# Boots IMAGE on mps2-an385 with the shell reading SCRIPT (named on -append, opened over
# semihosting) and checks the transcript: QEMU must exit with 0 (the script's `exit`),
# each line of EXPECTED (an extended regular expression; # comments) must match a line
# of the transcript after the one the previous pattern matched, and there must be as
# many "error:" lines as EXPECTED has ^error: patterns. Run in IMAGE's directory: QEMU
# hands the firmware "IMAGE SCRIPT" as its command line, split at the first space.
image=$1
script=$2
expected=$3
if [ ! -f "$image" ]; then
	echo "FAIL: $image was not built (build the project before running ctest)"
	exit 1
fi
case $image$script in
*" "*) echo "FAIL: the image and script paths must not contain spaces"; exit 1 ;;
esac
# QEMU 7.2 writes semihosting output to stderr. The timeout ends a hung guest with a
# clear message before ctest's own limit does.
out=$(timeout 50 qemu-system-arm -M mps2-an385 -nographic -monitor none -serial none \
	-semihosting-config enable=on,target=native -kernel "$image" -append "$script" 2>&1 </dev/null)
rc=$?
printf '%s\n' "$out"
status=0
if [ "$rc" -ne 0 ]; then
	if [ "$rc" -eq 124 ]; then
		echo "FAIL: QEMU timed out"
	else
		echo "FAIL: exit code $rc, expected 0"
	fi
	status=1
fi
# Patterns in order, each searched below the line the previous one matched (grep -E:
# awk implementations differ in their support for {n} intervals).
transcript=$(mktemp)
trap 'rm -f "$transcript"' EXIT
printf '%s\n' "$out" >"$transcript"
pos=0
while IFS= read -r pattern; do
	case $pattern in
	"" | "#"*) continue ;;
	esac
	at=$(tail -n +$((pos + 1)) "$transcript" | grep -nE -m 1 -- "$pattern" | cut -d: -f1)
	if [ -z "$at" ]; then
		echo "FAIL: the transcript lacks, in order: $pattern"
		status=1
		break
	fi
	pos=$((pos + at))
done <"$expected"
errors=$(printf '%s\n' "$out" | grep -c '^error:')
want_errors=$(grep -c '^\^error:' "$expected")
if [ "$errors" -ne "$want_errors" ]; then
	echo "FAIL: $errors error lines, expected $want_errors"
	status=1
fi
[ $status -eq 0 ] && echo "PASS: exit code 0 and the expected transcript"
exit $status
