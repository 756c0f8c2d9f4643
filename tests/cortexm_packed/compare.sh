#!/bin/sh
# compare.sh MACHINE ELF_IMAGE ELF_DIR PACKED_IMAGE PACKED_DIR WHAT...
# Boots the ELF firmware (run in ELF_DIR, where its "SD card" files are) and the packed
# one (run in PACKED_DIR) on QEMU machine MACHINE. Both must exit with 42 (every check
# passed) and print the same lines about WHAT: for a module name M, the lines
# "fw: M.o loaded ...", "... refused", "fw: M checks passed" and what the module prints
# itself (lines without "fw: " right after those); for a WHAT starting with "^", the
# lines that extended regex matches. Compared without what differs by nature: load
# addresses and counts after "loaded [from WHERE]", fault addresses (MMFAR, PC), the
# file suffix (.emod for .o) and the wording of a refusal beyond the symbol and its
# reason.
set -u
machine=$1 elf_image=$2 elf_dir=$3 packed_image=$4 packed_dir=$5
shift 5
for f in "$elf_image" "$packed_image"; do
	[ -f "$f" ] || { echo "FAIL: $f was not built (build the project before running ctest)"; exit 1; }
done

# run IMAGE DIR OUTFILE: QEMU 7.2 writes semihosting output to stderr.
run() {
	(cd "$2" && timeout 50 qemu-system-arm -M "$machine" -nographic -monitor none -serial none \
		-semihosting-config enable=on,target=native -kernel "$1" >"$3" 2>&1 </dev/null)
}

# select_lines <OUTPUT: the lines about WHAT, normalised.
select_lines() {
	WHAT=$what awk '
		BEGIN { n = split(ENVIRON["WHAT"], m, "\n") }
		{
			keep = 0
			for (i = 1; i <= n; i++) {
				if (substr(m[i], 1, 1) == "^") {
					if ($0 ~ m[i])
						keep = 1
					continue
				}
				p = "^fw: " m[i] "\\.(o|emod) (loaded( from [a-z]+)?: |from [a-z]+ refused$|refused: )"
				if ($0 ~ p || $0 == "fw: " m[i] " checks passed")
					keep = 1
			}
			if (!keep && prev && $0 !~ /^fw: /)
				keep = 1
			if (keep)
				print
			prev = keep
		}' | sed -E -e 's/^(fw: [A-Za-z0-9_]+)\.emod /\1.o /' \
		-e 's/^(fw: [^ ]+ loaded( from [a-z]+)?):.*/\1/' -e 's/, (MMFAR|PC) 0x[0-9a-f]+//' \
		-e "s/^(fw: [^ ]+ refused: ).*('[^']+').*(unresolved symbol).*/\\1\\2 \\3/"
}

# The WHAT arguments, one a line (a regex may hold spaces).
what=$(printf '%s\n' "$@")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
run "$elf_image" "$elf_dir" "$tmp/elf.out"
rc_elf=$?
run "$packed_image" "$packed_dir" "$tmp/packed.out"
rc_packed=$?
echo "--- ELF firmware (exit $rc_elf)"
cat "$tmp/elf.out"
echo "--- packed firmware (exit $rc_packed)"
cat "$tmp/packed.out"
[ "$rc_elf" -eq 42 ] || { echo "FAIL: the ELF firmware exited with $rc_elf, expected 42"; status=1; }
[ "$rc_packed" -eq 42 ] || { echo "FAIL: the packed firmware exited with $rc_packed, expected 42"; status=1; }

select_lines <"$tmp/elf.out" >"$tmp/elf.sel"
select_lines <"$tmp/packed.out" >"$tmp/packed.sel"
# Every WHAT must be in the ELF firmware's lines, so a filter matching nothing fails.
for w in "$@"; do
	case $w in
	^*) grep -qE -- "$w" "$tmp/elf.sel" ;;
	*) grep -q "^fw: $w[. ]" "$tmp/elf.sel" ;;
	esac || { echo "FAIL: no line about $w in the ELF firmware's output"; status=1; }
done
echo "--- compared lines (ELF firmware)"
cat "$tmp/elf.sel"
if ! diff -u "$tmp/elf.sel" "$tmp/packed.sel"; then
	echo "FAIL: the packed firmware's lines differ (diff above: - ELF, + packed)"
	status=1
fi
[ $status -eq 0 ] && echo "PASS: the same lines about: $*"
exit $status
