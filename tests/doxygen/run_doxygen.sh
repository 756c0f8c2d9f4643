#!/bin/sh
# run_doxygen.sh DOXYGEN SOURCE_DIR OUT_DIR [UNDOCUMENTED_LIST]
# Runs SOURCE_DIR/docs/Doxyfile with its output and warning log in OUT_DIR (the build tree).
# Every warning is an error - a documentation error (unknown command, bad markup, broken
# reference) or an undocumented public item: docs/Doxyfile sets WARN_AS_ERROR, so doxygen
# itself fails. The one exception, while they are being documented: the undocumented
# items of include/elfmod_tiny.h that UNDOCUMENTED_LIST names. When that list exists and
# names any, doxygen runs without WARN_AS_ERROR and this script checks instead: any
# warning about another file fails, as does an elfmod_tiny.h warning the list does not
# name, and a listed item that is now documented (so the list only shrinks). With no
# list (or an empty one) nothing is tolerated.
set -eu
doxygen=$1 src=$2 out=$3 known=${4:-}
rm -rf "$out"
mkdir -p "$out"
log=$out/warnings.log
: >"$out/known.txt"
if [ -n "$known" ] && [ -f "$known" ]; then
	grep -v '^#' "$known" | grep -v '^$' | sort -u >"$out/known.txt" || true
fi
cd "$src"
grep -Eq '^WARN_AS_ERROR[[:space:]]*=[[:space:]]*(YES|FAIL_ON_WARNINGS)' docs/Doxyfile \
	|| { echo "doxygen_api: FAIL: docs/Doxyfile does not set WARN_AS_ERROR" >&2; exit 1; }
if [ -s "$out/known.txt" ]; then tolerate="WARN_AS_ERROR = NO"; else tolerate=; fi
if ! { cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $out"; echo "WARN_LOGFILE = $log"; echo "$tolerate"; } \
	| "$doxygen" -; then
	echo "doxygen_api: FAIL: doxygen failed (warnings are errors; full log: $log):" >&2
	cat "$log" >&2
	exit 1
fi
[ -f "$out/html/elfmod_8h.html" ] || { echo "doxygen_api: FAIL: no page for elfmod.h" >&2; exit 1; }
[ -f "$out/html/structelfmod__module.html" ] || { echo "doxygen_api: FAIL: no page for struct elfmod_module" >&2; exit 1; }
if [ ! -s "$out/known.txt" ]; then
	# Doxygen succeeded with WARN_AS_ERROR: the log must be empty (belt and braces).
	if [ -s "$log" ]; then
		echo "doxygen_api: FAIL: warnings (full log: $log):" >&2
		cat "$log" >&2
		exit 1
	fi
	echo "doxygen_api: ok (every warning is an error, no undocumented items tolerated)"
	exit 0
fi
# Tolerated only: warnings whose location is include/elfmod_tiny.h. Anything else,
# including a continuation line without a location, is an error.
other=$(grep -v '^$' "$log" | grep -Ev '^([^:]*/)?elfmod_tiny\.h:[0-9]+: ' || true)
# Warnings without file and line, so that the list survives edits elsewhere in the header.
grep -E '^([^:]*/)?elfmod_tiny\.h:[0-9]+: ' "$log" | sed -E 's/^[^:]*:[0-9]+: //' | sort -u \
	>"$out/warnings.txt" || true
new=$(comm -23 "$out/warnings.txt" "$out/known.txt")
gone=$(comm -13 "$out/warnings.txt" "$out/known.txt")
rc=0
if [ -n "$other" ]; then
	echo "doxygen_api: FAIL: warnings (errors; only elfmod_tiny.h items may be listed; full log: $log):" >&2
	echo "$other" >&2
	rc=1
fi
if [ -n "$new" ]; then
	echo "doxygen_api: FAIL: elfmod_tiny.h warnings not in $known:" >&2
	echo "$new" >&2
	rc=1
fi
if [ -n "$gone" ]; then
	echo "doxygen_api: FAIL: documented now (or not an elfmod_tiny.h warning), remove from $known:" >&2
	echo "$gone" >&2
	rc=1
fi
[ $rc = 0 ] || exit 1
echo "doxygen_api: ok (every warning is an error except $(wc -l <"$out/known.txt") listed undocumented elfmod_tiny.h items)"
