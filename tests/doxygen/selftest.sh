#!/bin/sh
# selftest.sh DOXYGEN SOURCE_DIR OUT_DIR
# Shows that doxygen_api fails when it should: copies docs/Doxyfile and the two headers
# into OUT_DIR, spoils one header a way at a time, and expects run_doxygen.sh to fail and
# name the culprit.
set -eu
doxygen=$1 src=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out"
fails=0

# expect NAME FILE TEXT PATTERN: with TEXT appended to include/FILE, run_doxygen.sh
# must fail and its output must contain PATTERN.
expect() {
	name=$1 file=$2 text=$3 pattern=$4
	tree=$out/$name/src
	mkdir -p "$tree/docs" "$tree/include"
	cp "$src/docs/Doxyfile" "$tree/docs/"
	cp "$src/include/elfmod.h" "$src/include/elfmod_tiny.h" "$tree/include/"
	printf '%s\n' "$text" >>"$tree/include/$file"
	if sh "$here/run_doxygen.sh" "$doxygen" "$tree" "$out/$name/api" >"$out/$name/log" 2>&1; then
		echo "doxygen_api_selftest: FAIL: $name: passed" >&2
		fails=$((fails + 1))
	elif ! grep -q -- "$pattern" "$out/$name/log"; then
		echo "doxygen_api_selftest: FAIL: $name: failed without naming $pattern:" >&2
		cat "$out/$name/log" >&2
		fails=$((fails + 1))
	fi
}

undoc='int elfmod_selftest_undocumented(void);'
badref='/** Documented, but its parameter is not: @param nosuch no such parameter. */
int elfmod_selftest_badparam(int x);'
expect core_undocumented elfmod.h "$undoc" elfmod_selftest_undocumented
expect core_doc_error elfmod.h "$badref" nosuch
expect tiny_undocumented elfmod_tiny.h "$undoc" elfmod_selftest_undocumented
expect tiny_doc_error elfmod_tiny.h "$badref" nosuch
[ $fails = 0 ] || exit 1
echo "doxygen_api_selftest: ok"
