#!/bin/sh
# run_services.sh FW_V1 FW_V2 COUNTER.emod CHECKER.emod EXPECTED
# Runs both firmware builds on the same packed modules (counter, checker, counter again:
# the setting written by the first run is read by the later ones) and compares the
# transcript with EXPECTED, line for line.
v1=$1 v2=$2 counter=$3 checker=$4 expected=$5
for f in "$v1" "$v2" "$counter" "$checker"; do
	if [ ! -f "$f" ]; then
		echo "FAIL: $f was not built (build the project before running ctest)"
		exit 1
	fi
done
out=$( { "$v1" "$counter" "$checker" "$counter" && "$v2" "$counter" "$checker" "$counter"; } 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne 0 ]; then
	echo "FAIL: a firmware exited with $rc"
	exit 1
fi
if ! printf '%s\n' "$out" | diff -u "$expected" -; then
	echo "FAIL: transcript differs from $expected"
	exit 1
fi
echo "services: transcript as expected"
