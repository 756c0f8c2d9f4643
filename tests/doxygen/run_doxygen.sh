#!/bin/sh
# run_doxygen.sh DOXYGEN SOURCE_DIR OUT_DIR
# Runs SOURCE_DIR/docs/Doxyfile with its output and warning log in OUT_DIR (the build tree).
# Every warning is an error - a documentation error (unknown command, bad markup, broken
# reference) or an undocumented public item: docs/Doxyfile sets WARN_AS_ERROR, so doxygen
# itself fails.
set -eu
doxygen=$1 src=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
log=$out/warnings.log
cd "$src"
grep -Eq '^WARN_AS_ERROR[[:space:]]*=[[:space:]]*(YES|FAIL_ON_WARNINGS)' docs/Doxyfile \
	|| { echo "doxygen_api: FAIL: docs/Doxyfile does not set WARN_AS_ERROR" >&2; exit 1; }
if ! { cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $out"; echo "WARN_LOGFILE = $log"; } \
	| "$doxygen" -; then
	echo "doxygen_api: FAIL: doxygen failed (warnings are errors; full log: $log):" >&2
	cat "$log" >&2
	exit 1
fi
[ -f "$out/html/elfmod_8h.html" ] || { echo "doxygen_api: FAIL: no page for elfmod.h" >&2; exit 1; }
[ -f "$out/html/structelfmod__module.html" ] || { echo "doxygen_api: FAIL: no page for struct elfmod_module" >&2; exit 1; }
# Doxygen succeeded with WARN_AS_ERROR: the log must be empty (belt and braces).
if [ -s "$log" ]; then
	echo "doxygen_api: FAIL: warnings (full log: $log):" >&2
	cat "$log" >&2
	exit 1
fi
echo "doxygen_api: ok (every warning is an error)"
