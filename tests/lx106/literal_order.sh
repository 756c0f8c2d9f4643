#!/bin/sh
# literal_order.sh AS ELFMOD SRC.S WORKDIR
# Assembles SRC.S (a .literal.f section after the .text.f that loads from it), has
# `elfmod link` place both, and checks that the literal pool went below the code.
set -eu
as=$1 elfmod=$2 src=$3 dir=$4
mkdir -p "$dir"
"$as" "$src" -o "$dir/literal_after.o"
"$elfmod" link "$dir/literal_after.o" --base 0x40100000 -o "$dir/literal_after.elf" >"$dir/link.txt"
cat "$dir/link.txt"
lit=$(awk '$1 == ".literal.f" { print $2 }' "$dir/link.txt")
text=$(awk '$1 == ".text.f" { print $2 }' "$dir/link.txt")
if [ -z "$lit" ] || [ -z "$text" ]; then
	echo "literal_order: placement not reported" >&2
	exit 1
fi
if [ $((lit)) -ge $((text)) ]; then
	echo "literal_order: .literal.f ($lit) is not below .text.f ($text)" >&2
	exit 1
fi
echo "literal_order: .literal.f $lit below .text.f $text"
