#!/bin/sh
# run_cxx.sh CXX ELFMOD OUTDIR: a C++ shared object's static destructor runs at unload.
set -eu
cxx=$1 elfmod=$2 out=$3
mkdir -p "$out"
$cxx -O2 -shared -fPIC -fno-exceptions -fno-rtti "$(dirname "$0")/src/cxx.cc" -o "$out/libcxx.so"
"$elfmod" run --trace "$out/libcxx.so" >"$out/cxx.txt" 2>&1 || { cat "$out/cxx.txt"; exit 1; }
cat "$out/cxx.txt"
printf 'cxx.so: construct 42\ncxx.so: main sees 42\ncxx.so: destroy 42\nelfmod: unloaded %s\n' \
	"$out/libcxx.so" >"$out/want.txt"
grep -v '^elfmod: loaded' "$out/cxx.txt" | diff "$out/want.txt" -
