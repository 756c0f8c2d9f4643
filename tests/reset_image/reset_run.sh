#!/bin/sh
# reset_run.sh ELFMOD RESET_HOST WORKDIR RUNNER APP1.elf APP0.elf [--at ADDR]
# Reset inside an image, end to end on one platform. RUNNER is `native` (a static
# x86-64 Linux program, run as a process) or `mps2-an385` (a Cortex-M image booted bare
# with qemu-system-arm -kernel, semihosting output). APP1 calls elfmod_image_reset at
# its reset entry, APP0 is the same program without it.
#  - reset-prep writes both outputs, readelf -a has nothing to say on stderr about them,
#    and elfmod_exec_load reloads them (RESET_HOST --reload);
#  - prepared APP1 starts three times with its initial state, the .persistent counter
#    counting the starts; unprepared APP1 (the routine finds no table) shows the state
#    carried over, so the check can fail;
#  - APP0 prints the same before and after reset-prep;
#  - preparing a prepared image is refused.
elfmod=$1 host=$2 dir=$3 runner=$4 app1=$5 app0=$6
shift 6
rm -rf "$dir"
mkdir -p "$dir" || exit 1
cd "$dir" || exit 1
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

run() {
	if [ "$runner" = native ]; then
		timeout 10 "$1" >"$2" 2>&1 </dev/null
	else
		# QEMU writes semihosting output to stderr.
		timeout 50 qemu-system-arm -M "$runner" -nographic -monitor none -serial none \
			-semihosting-config enable=on,target=native -kernel "$1" >"$2" 2>&1 </dev/null
	fi
	rc=$?
	[ $rc -eq 0 ] || fail "$1 exited $rc ($( [ $rc -eq 124 ] && echo timed out))"
	sed 's/^/  /' "$2"
}

# expect FILE LINE...: FILE holds exactly these lines.
expect() {
	f=$1
	shift
	printf '%s\n' "$@" >"$f.want"
	cmp -s "$f" "$f.want" || fail "$f: got $(cat "$f"), want $(cat "$f.want")"
}

for v in 1 0; do
	eval in=\$app$v
	"$elfmod" reset-prep "$in" "$@" -o "prep$v.elf" || fail "reset-prep $in $* exited $?"
	readelf -a -W "prep$v.elf" >"prep$v.txt" 2>"prep$v.err" || fail "readelf -a prep$v.elf exited $?"
	if [ -s "prep$v.err" ]; then
		fail "readelf -a prep$v.elf printed on stderr:"
		cat "prep$v.err"
	fi
	grep -q "LOOS+0x56c6d72" "prep$v.txt" || fail "prep$v.elf: no ELFMOD_PT_RESET program header"
	"$host" --reload "prep$v.elf" || fail "prep$v.elf does not reload with elfmod_exec_load"
done

echo "prepared, with the routine:"
run ./prep1.elf out1p.txt
initial="counter 5, zeroed 0, text initial, ptr initial, big 0"
expect out1p.txt "boot 1: reset 0, $initial" "boot 2: reset 0, $initial" "boot 3: reset 0, $initial" done

echo "not prepared, with the routine (it finds no table):"
run "$app1" out1.txt
expect out1.txt "boot 1: reset -23, $initial" \
	"boot 2: reset -23, counter 6, zeroed 7, text changed, ptr hanged, big 3" \
	"boot 3: reset -23, counter 7, zeroed 14, text changed, ptr hanged, big 3" done

echo "without the routine, before and after reset-prep:"
run "$app0" out0.txt
run ./prep0.elf out0p.txt
expect out0.txt "boot 1: reset unused, $initial" \
	"boot 2: reset unused, counter 6, zeroed 7, text changed, ptr hanged, big 3" \
	"boot 3: reset unused, counter 7, zeroed 14, text changed, ptr hanged, big 3" done
cmp -s out0.txt out0p.txt || fail "the image without the routine runs differently after reset-prep"

"$elfmod" reset-prep prep1.elf -o again.elf >/dev/null 2>err.txt
rc=$?
if [ $rc -ne 1 ] || ! grep -q "has a reset table already" err.txt || [ -e again.elf ]; then
	fail "preparing twice: exit $rc, $(cat err.txt)"
fi

[ $status -eq 0 ] && echo "PASS"
exit $status
