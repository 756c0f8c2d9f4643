#!/bin/sh
# run_move.sh CC RUNNER OUT [CFLAGS...] -- [LDFLAGS...]
# Builds prog.c (or $MOVE_SRC, a program without imports whose exit status is the
# check) into an executable linked with -q at 0x400000, runs it through
# `RUNNER run --trace` (RUNNER may be "qemu-x -L /usr/t /path/elfmod"), and checks that
# it ran, printed what it should, and was really moved away from its link address.
set -eu
cc=$1 runner=$2 out=$3
shift 3
cflags=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do cflags="$cflags $1"; shift; done
[ $# -gt 0 ] && shift
src=$(dirname "$0")/${MOVE_SRC:-prog.c}
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2086
$cc -O2 -fno-pic -fno-asynchronous-unwind-tables $cflags -c "$src" -o "$out.o"
# shellcheck disable=SC2086
$cc -nostdlib -static -no-pie "$@" -Wl,-q -Wl,--unresolved-symbols=ignore-all -Wl,-e,main \
	-Wl,-Ttext-segment=0x400000 -o "$out" "$out.o"
if ! readelf -SW "$out" | grep -q '\.rela\?\.text'; then
	echo "run_move: $out kept no relocations" >&2
	exit 1
fi
# shellcheck disable=SC2086
$runner run --trace "$out" -- one two >"$out.txt" 2>&1 || { cat "$out.txt"; echo "run_move: run failed" >&2; exit 1; }
cat "$out.txt"
if [ -z "${MOVE_SRC:-}" ]; then
	grep -q '^hello from -q: counter=7 sq=9 big=3 arg=two$' "$out.txt" || { echo "run_move: wrong output" >&2; exit 1; }
fi
at=$(sed -n 's/.*loaded .*: text [0-9]* at \(0x[0-9a-f]*\).*/\1/p' "$out.txt")
if [ -z "$at" ] || [ $((at)) -eq $((0x400000)) ]; then
	echo "run_move: not moved (text at ${at:-?})" >&2
	exit 1
fi
echo "run_move: moved from 0x400000 to $at"
