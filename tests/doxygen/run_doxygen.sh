#!/bin/sh
# run_doxygen.sh DOXYGEN SOURCE_DIR OUT_DIR UNDOCUMENTED_LIST
# Runs docs/Doxyfile with its output and warning log in OUT_DIR (the build tree). Fails on
# any warning - a documentation error (unknown command, bad markup, broken reference) or
# an undocumented public item - except the undocumented items UNDOCUMENTED_LIST names,
# and on a listed item that is now documented (so the list only shrinks).
set -eu
doxygen=$1 src=$2 out=$3 known=$4
rm -rf "$out"
mkdir -p "$out"
log=$out/warnings.log
grep -v '^#' "$known" | grep -v '^$' | sort -u >"$out/known.txt"
cd "$src"
{ cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $out"; echo "WARN_LOGFILE = $log"; } | "$doxygen" - \
	|| { echo "doxygen_api: FAIL: doxygen exited $?" >&2; exit 1; }
[ -f "$out/html/elfmod_8h.html" ] || { echo "doxygen_api: FAIL: no page for elfmod.h" >&2; exit 1; }
[ -f "$out/html/structelfmod__module.html" ] || { echo "doxygen_api: FAIL: no page for struct elfmod_module" >&2; exit 1; }
# Warnings without file and line, so that the list survives edits elsewhere in the header.
sed -E 's/^[^:]*:[0-9]+: //' "$log" | grep -v '^$' | sort -u >"$out/warnings.txt"
new=$(comm -23 "$out/warnings.txt" "$out/known.txt")
gone=$(comm -13 "$out/warnings.txt" "$out/known.txt")
rc=0
if [ -n "$new" ]; then
	echo "doxygen_api: FAIL: warnings (full log: $log):" >&2
	echo "$new" >&2
	rc=1
fi
if [ -n "$gone" ]; then
	echo "doxygen_api: FAIL: documented now, remove from $known:" >&2
	echo "$gone" >&2
	rc=1
fi
[ $rc = 0 ] || exit 1
echo "doxygen_api: ok ($(wc -l <"$out/known.txt") known undocumented items)"
