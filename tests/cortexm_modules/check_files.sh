#!/bin/sh
# check_files.sh DIR EXEC TYPE...
# Checks with readelf that the modules built in DIR are what the firmware test means to
# exercise: shlib.so a shared object with every relocation TYPE, init and fini arrays,
# both hash tables, .bss and small segment alignment, exporting what the firmware and
# souser.o use; souser.o importing from it; with EXEC=1, exe.elf an executable linked
# at 0 that kept its relocations (-q), a PC-relative one inside it included.
dir=$1
exec=$2
shift 2
re=arm-none-eabi-readelf
status=0
fail() {
	echo "FAIL: $*"
	status=1
}
need() { # need FILE WHAT TEXT: TEXT (an extended regex) must occur in WHAT
	if ! printf '%s\n' "$2" | grep -Eq -- "$3"; then
		fail "$1 lacks: $3"
	fi
}

so=$dir/shlib.so
for f in "$so" "$dir/souser.o"; do
	[ -f "$f" ] || { echo "FAIL: $f was not built (build the project before running ctest)"; exit 1; }
done
need shlib.so "$($re -h "$so")" 'Type: +DYN'
relocs=$($re -rW "$so")
for t in "$@"; do
	need shlib.so "$relocs" "^[0-9a-f]+ +[0-9a-f]+ +$t( |$)"
done
need shlib.so "$relocs" 'R_ARM_ABS32 +0+ +fw_twice'
need shlib.so "$relocs" 'R_ARM_GLOB_DAT +0+ +fw_twice'
dyn=$($re -dW "$so")
for t in INIT_ARRAY FINI_ARRAY GNU_HASH HASH; do
	need shlib.so "$dyn" "\\($t\\)"
done
need shlib.so "$($re -SW "$so")" '\.bss +NOBITS +[0-9a-f]+ [0-9a-f]+ 0*[1-9a-f][0-9a-f]* '
# Every PT_LOAD aligned to at most 16 bytes: no 64 KiB gaps in the image.
loads=$($re -lW "$so" | awk '$1 == "LOAD" { print $NF }')
[ -n "$loads" ] || fail "shlib.so has no PT_LOAD"
for a in $loads; do
	[ $((a)) -le 16 ] || fail "shlib.so: PT_LOAD aligned to $a"
done
syms=$($re --dyn-syms -W "$so")
for s in so_apply so_message so_calls so_fw_twice so_ctor_ran so_base; do
	need shlib.so "$syms" "GLOBAL +DEFAULT +[0-9]+ $s\$"
done
usyms=$($re -sW "$dir/souser.o")
for s in so_apply so_base; do
	need souser.o "$usyms" "GLOBAL +DEFAULT +UND $s\$"
done

if [ "$exec" = 1 ]; then
	exe=$dir/exe.elf
	[ -f "$exe" ] || { echo "FAIL: $exe was not built"; exit 1; }
	need exe.elf "$($re -h "$exe")" 'Type: +EXEC'
	first=$($re -lW "$exe" | awk '$1 == "LOAD" { print $3; exit }')
	[ "$((first))" -eq 0 ] || fail "exe.elf: first PT_LOAD at $first, not 0"
	xrel=$($re -rW "$exe")
	need exe.elf "$xrel" "Relocation section '\\.rel\\.text'"
	need exe.elf "$xrel" "Relocation section '\\.rel\\.rodata'"
	need exe.elf "$xrel" 'R_ARM_THM_CALL +[0-9a-f]+ +exe_step'
	need exe.elf "$xrel" 'R_ARM_ABS32 +0+ +fw_print'
	need exe.elf "$xrel" 'R_ARM_ABS32 +0+ +fw_twice'
	need exe.elf "$xrel" 'R_ARM_ABS32 +[0-9a-f]+ +\.data'
	need exe.elf "$xrel" 'R_ARM_ABS32 +[0-9a-f]+ +\.bss'
fi
[ $status -eq 0 ] && echo "PASS: the modules carry what the firmware test exercises"
exit $status
