#!/bin/sh
# smoke.sh CMAKE BINARY_DIR BENCH ARGS...: builds the benchmarks (they are not part of the
# default build), runs BENCH ARGS... --quick and checks that it printed one well-formed
# table: the header, then for each of a (2), b (2), c, d (2), e (4) a row of seven non-empty
# cells whose last says yes, **no** or n/a. No figure is judged: --quick runs too few
# rounds for that, and tests never assert times.
set -eu
cmake=$1 bin=$2
shift 2
"$cmake" --build "$bin" --target elfmod_bench_all >/dev/null
out=${TMPDIR:-/tmp}/elfmod_bench_smoke.$$
trap 'rm -f "$out"' EXIT
"$@" --quick >"$out"
cat "$out"
awk '
	/^machine: / { machine++ }
	/^\| # \| measure \| elfmod \| baseline \| ratio \| aim \| meets aim \|$/ { header++; next }
	/^\|---\|/ { sep++; next }
	/^\|/ {
		n = split($0, c, "|")
		if (n != 9 || c[1] != "" || c[9] != "") { print "FAIL: not seven cells: " $0; bad++; next }
		for (i = 2; i <= 8; i++) {
			v = c[i]; gsub(/^ +| +$/, "", v); c[i] = v
			if (v == "") { print "FAIL: empty cell " i - 1 ": " $0; bad++ }
		}
		if (c[8] != "yes" && c[8] != "**no**" && c[8] != "n/a") { print "FAIL: meets aim is \"" c[8] "\""; bad++ }
		rows[c[2]]++
	}
	END {
		if (machine != 1) { print "FAIL: no machine line"; bad++ }
		if (header != 1 || sep != 1) { print "FAIL: " header + 0 " headers, " sep + 0 " separators"; bad++ }
		want["a"] = 2; want["b"] = 2; want["c"] = 1; want["d"] = 2; want["e"] = 4
		for (k in want) if (rows[k] != want[k]) { print "FAIL: " rows[k] + 0 " rows " k ", want " want[k]; bad++ }
		for (k in rows) if (!(k in want)) { print "FAIL: unexpected row " k; bad++ }
		if (bad) exit 1
		print "PASS"
	}' "$out"
