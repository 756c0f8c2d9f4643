#!/bin/sh
# run_services.sh FW_V1.elf FW_V2.elf EXPECTED
# Boots both firmware builds under QEMU (mps2-an385) with the modules counter, checker
# and counter again (the setting the first run writes is read by the later ones) and
# compares the transcript with EXPECTED, the host example's, line for line.
v1=$1 v2=$2 expected=$3
for f in "$v1" "$v2"; do
	if [ ! -f "$f" ]; then
		echo "FAIL: $f was not built (build the project before running ctest)"
		exit 1
	fi
done
# QEMU 7.2 writes semihosting output to stderr; the timeout ends a hung guest first.
boot() {
	timeout 30 qemu-system-arm -M mps2-an385 -nographic -monitor none -serial none \
		-semihosting-config enable=on,target=native -kernel "$1" \
		-append "counter.emod checker.emod counter.emod" 2>&1 </dev/null
}
out=$( { boot "$v1" && boot "$v2"; } )
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
echo "services on Cortex-M3: transcript as expected"
