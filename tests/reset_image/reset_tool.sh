#!/bin/sh
# reset_tool.sh ELFMOD WORKDIR APP.elf APP.o BAD1.elf BAD2.elf BAD3.elf
# `elfmod reset-prep` refuses what it cannot prepare with a message, exit 1 (2 for a
# usage error) and no output file: a relocatable object, an address that is not aligned
# or that overlaps the image, and placeholders it cannot set (bad_holder.c).
elfmod=$1 dir=$2 app=$3 obj=$4 bad1=$5 bad2=$6 bad3=$7
rm -rf "$dir"
mkdir -p "$dir" || exit 1
status=0
# expect EXIT_CODE MESSAGE ARGS...
expect() {
	code=$1 msg=$2
	shift 2
	rm -f "$dir/out.elf"
	"$elfmod" reset-prep "$@" -o "$dir/out.elf" >/dev/null 2>"$dir/err.txt"
	rc=$?
	if [ "$rc" -ne "$code" ] || ! grep -qF -- "$msg" "$dir/err.txt" || [ -e "$dir/out.elf" ]; then
		echo "FAIL: reset-prep $*: exit $rc (want $code), stderr: $(cat "$dir/err.txt") (want: $msg)"
		status=1
	else
		echo "ok: $* -> $(cat "$dir/err.txt")"
	fi
}
expect 1 "is not ET_EXEC" "$obj"
expect 1 "not a multiple of 8" "$app" --at 0x40000004
expect 1 "overlaps segment" "$app" --at 0x34001000
expect 2 "--at banana: not an address" "$app" --at banana
expect 1 "is not a pointer" "$bad1"
expect 1 "is not among the file's bytes (in .bss?)" "$bad2"
expect 1 "is not NULL" "$bad3"
expect 1 "cannot read" "$dir/missing.elf"
"$elfmod" reset-prep "$app" -o "$app" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: output over the input not refused"; status=1; }
[ $status -eq 0 ] && echo "PASS"
exit $status
