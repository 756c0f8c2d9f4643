#!/bin/sh
# run_fixed.sh CC ELFMOD OUT
# An executable without relocations loads at its link address (0x400000) or not at all.
set -eu
cc=$1 elfmod=$2 out=$3
mkdir -p "$(dirname "$out")"
$cc -O2 -fno-pic -fno-asynchronous-unwind-tables -nostdlib -static -no-pie -Wl,-e,main \
	-Wl,-Ttext-segment=0x400000 -o "$out" "$(dirname "$0")/fixed.c"
if readelf -SW "$out" | grep -q '\.rela\?\.'; then
	echo "run_fixed: $out has relocation sections" >&2
	exit 1
fi
"$elfmod" run --trace "$out" -- one two >"$out.txt" 2>&1 || { cat "$out.txt"; exit 1; }
cat "$out.txt"
grep -q 'text [0-9]* at 0x400000,' "$out.txt" || { echo "run_fixed: not at its link address" >&2; exit 1; }
echo "run_fixed: ran at its link address"
