#!/bin/sh
# xip_link_errors.sh ELFMOD MODULE.o WORKDIR: `elfmod link --xip` refuses what cannot
# work, with a message that says why, and writes no output file.
elfmod=$1 obj=$2 dir=$3
mkdir -p "$dir"
status=0
# expect EXIT_CODE MESSAGE ARGS...: the link fails with EXIT_CODE and MESSAGE on stderr.
expect() {
	code=$1 msg=$2
	shift 2
	rm -f "$dir/out.elf"
	"$elfmod" link "$obj" "$@" -o "$dir/out.elf" >/dev/null 2>"$dir/err.txt"
	rc=$?
	if [ "$rc" -ne "$code" ] || ! grep -qF -- "$msg" "$dir/err.txt" || [ -e "$dir/out.elf" ]; then
		echo "FAIL: link $*: exit $rc (want $code), stderr:"
		cat "$dir/err.txt"
		echo "  (want: $msg)"
		status=1
	else
		echo "ok: $* -> $msg"
	fi
}
expect 2 "--xip needs --base RAM_ADDR" --xip 0x31000000
expect 2 "--xip given twice" --xip 0x31000000 --xip 0x32000000 --base 0x31100000
expect 2 "--base given twice" --xip 0x31000000 --base 0x31100000 --base 0x31200000
expect 2 "--at .data given twice" --at .data=0x31100000 --at .data=0x31200000
expect 1 "overlaps the image in flash" --xip 0x31000000 --base 0x31000100
expect 1 "overlaps the image in flash" --xip 0x31000000 --base 0x31100000 --at .data=0x31000040
expect 1 "give a flash address aligned to 16" --xip 0x31000008 --base 0x31100000
expect 1 "--entry no_such_symbol" --xip 0x31000000 --base 0x31100000 --entry no_such_symbol
[ $status -eq 0 ] && echo "PASS"
exit $status
