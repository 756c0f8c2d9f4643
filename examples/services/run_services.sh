#!/bin/sh
# run_services.sh FW_V1 FW_V2 EXPECTED MODULE...
# Runs both firmware builds on the same packed modules, in the order given (counter,
# checker, counter again: the setting the first run writes is read by the later ones),
# and compares the transcript with EXPECTED, line for line. A firmware whose name ends
# in .elf is the Cortex-M3 one (cortexm/), booted under QEMU (mps2-an385) with the
# modules' names on its command line (-append): it finds them in its flash. Any other
# is the host program, given the module files.
v1=$1 v2=$2 expected=$3
shift 3
case $v1 in
*.elf) board="Cortex-M3" need="$v1 $v2" ;;
*) board="" need="$v1 $v2 $*" ;;
esac
for f in $need; do
	if [ ! -f "$f" ]; then
		echo "FAIL: $f was not built (build the project before running ctest)"
		exit 1
	fi
done
run() {
	case $1 in
	*.elf)
		fw=$1
		shift
		names=""
		for m in "$@"; do
			names="$names${names:+ }${m##*/}"
		done
		# QEMU 7.2 writes semihosting output to stderr; the timeout ends a hung guest.
		timeout 30 qemu-system-arm -M mps2-an385 -nographic -monitor none -serial none \
			-semihosting-config enable=on,target=native -kernel "$fw" \
			-append "$names" 2>&1 </dev/null ;;
	*) "$@" 2>&1 ;;
	esac
}
out=$( { run "$v1" "$@" && run "$v2" "$@"; } )
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
echo "services${board:+ on $board}: transcript as expected"
