#!/bin/sh
# pack_hostile.sh ELFMOD_ASAN OUTDIR FILE...: `elfmod pack` (built with ASan+UBSan, which
# abort with another exit code) on damaged and unusual ELF files: each must be packed
# (exit 0) or refused with a message (exit 1), never crash.
set -u
cli=$1 out=$2
shift 2
mkdir -p "$out"
n=0 packed=0 refused=0
for f in "$@"; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	err=$(timeout 60 "$cli" pack "$f" -o "$out/hostile.emod" 2>&1 >/dev/null)
	rc=$?
	case $rc in
	0) packed=$((packed + 1)) ;;
	1)
		[ -n "$err" ] || { echo "FAIL: $f: refused without a message"; exit 1; }
		refused=$((refused + 1))
		;;
	*)
		printf '%s\n' "$err" | tail -20
		echo "FAIL: $f: exit code $rc"
		exit 1
		;;
	esac
done
echo "$n files: $packed packed, $refused refused with a message"
[ "$n" -gt 0 ] && [ "$refused" -gt 0 ] || { echo "FAIL: no input, or nothing refused"; exit 1; }
echo PASS
