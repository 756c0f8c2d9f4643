#!/bin/sh
# tiny_size.sh SRCDIR BUDGET: builds the tiny loader for Cortex-M4 at -Os and prints the
# size of its code; fails above BUDGET bytes (the aim: 1 KiB).
set -eu
src=$1 budget=$2
out=${TMPDIR:-/tmp}/elfmod_tiny_m4.$$.o
trap 'rm -f "$out"' EXIT
arm-none-eabi-gcc -std=c11 -mcpu=cortex-m4 -mthumb -Os -ffreestanding -Wall -Wextra -Werror \
	-I"$src/include" -c "$src/src/tiny/elfmod_tiny.c" -o "$out"
text=$(arm-none-eabi-size -A "$out" | awk '$1 ~ /^\.text/ { s += $2 } END { print s + 0 }')
echo "elfmod_tiny.c, Cortex-M4 Thumb-2 -Os: $text bytes of code"
arm-none-eabi-nm --size-sort -S "$out" | while read -r _addr size _type name; do
	printf '  %-22s %d\n' "$name" "$((0x$size))"
done
[ "$text" -gt 0 ] && [ "$text" -le "$budget" ] || { echo "FAIL: $text bytes, budget $budget"; exit 1; }
echo PASS
