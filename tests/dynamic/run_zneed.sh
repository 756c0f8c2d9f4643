#!/bin/sh
# run_zneed.sh CC ELFMOD OUTDIR: DT_NEEDED libz.so.1 found through the host's dynamic
# loader with --host-symbols, and refused (unresolved imports) without it.
set -eu
cc=$1 elfmod=$2 out=$3
mkdir -p "$out"
$cc -O2 -shared -fPIC "$(dirname "$0")/src/zneed.c" -o "$out/libzneed.so" -lz
readelf -d "$out/libzneed.so" | grep -q 'NEEDED.*libz\.so\.1' || { echo "run_zneed: no DT_NEEDED libz.so.1" >&2; exit 1; }
"$elfmod" run --host-symbols "$out/libzneed.so" >"$out/zneed.txt" 2>&1 || { cat "$out/zneed.txt"; exit 1; }
cat "$out/zneed.txt"
grep -q '^zneed: zlib [0-9.]*, 4096 -> [0-9]* bytes, round trip ok$' "$out/zneed.txt"
if "$elfmod" run "$out/libzneed.so" >"$out/zneed_nohost.txt" 2>&1; then
	echo "run_zneed: loaded without the host's libz" >&2
	exit 1
fi
grep -q "unresolved symbol 'compress'" "$out/zneed_nohost.txt"
echo "run_zneed: ok"
