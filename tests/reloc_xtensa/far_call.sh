#!/bin/sh
# far_call.sh ELFMOD SRCDIR WORKDIR: an out-of-range Xtensa call is refused, naming
# the build option that fixes it.
set -u
elfmod=$1 src=$2 work=$3
mkdir -p "$work"
xtensa-lx106-elf-as -o "$work/far.o" "$src/far_call.S" || exit 1
"$elfmod" link "$work/far.o" --at .text=0x40100000 --defsym ext=0x40400000 -o "$work/far.elf" \
	2>"$work/err.txt" >/dev/null
rc=$?
cat "$work/err.txt"
[ $rc -ne 0 ] || { echo "FAIL: elfmod link accepted an out-of-range call0"; exit 1; }
grep -q -- "-mlongcalls" "$work/err.txt" || { echo "FAIL: the message does not name -mlongcalls"; exit 1; }
echo PASS
