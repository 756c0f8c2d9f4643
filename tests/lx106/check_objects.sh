#!/bin/sh
# check_objects.sh DIR: the lx106 modules in DIR carry what lx106_sim and lx106_user are
# meant to exercise. A compiler that stopped emitting one of these (say, literal pools
# or -mlongcalls expansions) would otherwise leave those runs passing without testing it.
dir=$1
status=0
re=xtensa-lx106-elf-readelf

# has FILE WHAT PATTERN READELF-OPTION: the readelf output contains PATTERN (extended regex).
has() {
	if ! $re $4 "$dir/$1" | grep -Eq -- "$3"; then
		echo "FAIL: $1: no $2"
		status=1
	fi
}
lacks() {
	if $re $4 "$dir/$1" | grep -Eq -- "$3"; then
		echo "FAIL: $1: unexpected $2"
		status=1
	fi
}

for o in lib app tsl dbg far bad; do
	[ -f "$dir/$o.o" ] || { echo "FAIL: $dir/$o.o was not built"; exit 1; }
done

# lib.o: a literal pool section, L32R/CALL0 inside the module, a jump table into .text.
has lib.o ".literal section" '\] \.literal +PROGBITS' -SW
has lib.o "SLOT0_OP against .literal" 'R_XTENSA_SLOT0_OP +[0-9a-f]+ +\.literal' -rW
has lib.o "jump table (.rela.rodata)" "Relocation section '\.rela\.rodata'" -rW
lacks lib.o "-mlongcalls expansion" 'R_XTENSA_ASM_EXPAND' -rW
# app.o: -mlongcalls calls, the helpers Debian's libgcc lacks, a constructor.
has app.o "-mlongcalls expansion" 'R_XTENSA_ASM_EXPAND' -rW
for s in __divsi3 __udivsi3 __umodsi3 __muldi3 fw_print lib_scale; do
	has app.o "import of $s" "UND $s\$" -sW
done
has app.o "constructor section" '\] \.(ctors|init_array)' -SW
# tsl.o: literals inside .text (no .literal bytes), loads and data words in .text.
lacks tsl.o "non-empty .literal section" '\] \.literal +PROGBITS +[0-9a-f]+ [0-9a-f]+ 0*[1-9a-f]' -SW
has tsl.o "SLOT0_OP against .text" 'R_XTENSA_SLOT0_OP +[0-9a-f]+ +\.text' -rW
has tsl.o "data words in .text" "Relocation section '\.rela\.text'" -rW
has tsl.o "R_XTENSA_32 in .text" 'R_XTENSA_32 ' -rW
# dbg.o: DWARF with PDIFF relocations, property tables, per-function literal pools.
has dbg.o "R_XTENSA_PDIFF relocations" 'R_XTENSA_PDIFF(16|32)' -rW
has dbg.o ".xt.prop section" '\] \.xt\.prop ' -SW
has dbg.o ".debug_info section" '\] \.debug_info ' -SW
has dbg.o ".literal.dbg_pick section" '\] \.literal\.dbg_pick ' -SW
# far.o: a plain CALL0 to the host.
has far.o "SLOT0_OP against fw_twice" 'R_XTENSA_SLOT0_OP +[0-9a-f]+ +fw_twice' -rW
lacks far.o "-mlongcalls expansion" 'R_XTENSA_ASM_EXPAND' -rW
has bad.o "import of fw_not_exported" 'UND fw_not_exported$' -sW

[ $status -eq 0 ] && echo "PASS: every module carries what it is meant to exercise"
exit $status
