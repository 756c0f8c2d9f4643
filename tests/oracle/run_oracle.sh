#!/bin/sh
# GNU ld as the oracle for `elfmod link`.
#
#   run_oracle.sh ARCH ELFMOD WORKDIR SRC.S...
#
# Each SRC.S names its placement and imports in one header line,
#     <comment> oracle: --at .text=0x10000 --at .data=0x20000 --defsym ext=0x1234
# (and optionally `<comment> oracle-as: FLAGS` for the assembler). The file is
# assembled with ARCH's GNU as, linked by ARCH's GNU ld with one output section per
# --at at that address and the same --defsym values, and relocated by `elfmod link`
# with the same arguments; every --at section must come out byte-identical. The run
# ends with the relocation types compared, per architecture, from readelf.
set -eu
arch=$1 elfmod=$2 work=$3
shift 3

LDFLAGS=""
# The host's objcopy only knows the host's formats: each architecture uses its own.
case $arch in
x86_64) AS="as --64" LD=ld T="" ;;
i386) T=i686-linux-gnu- AS="${T}as" LD="${T}ld" ;;
aarch64) T=aarch64-linux-gnu- AS="${T}as" LD="${T}ld" ;;
aarch64be) T=aarch64-linux-gnu- AS="${T}as -EB" LD="${T}ld -EB" ;;
arm) T=arm-linux-gnueabihf- AS="${T}as" LD="${T}ld" ;;
armbe8) T=arm-linux-gnueabihf- AS="${T}as -EB" LD="${T}ld -EB --be8" ;;
riscv64) T=riscv64-linux-gnu- AS="${T}as" LD="${T}ld" LDFLAGS=--no-relax ;;
riscv32) T=riscv64-unknown-elf- AS="${T}as -march=rv32imac -mabi=ilp32" \
	LD="${T}ld -m elf32lriscv" LDFLAGS=--no-relax ;;
xtensa) T=xtensa-lx106-elf- AS="${T}as" LD="${T}ld" LDFLAGS=--no-relax ;;
mips) T=mips-linux-gnu- AS="${T}as -mno-shared" LD="${T}ld" ;;
mipsel) T=mipsel-linux-gnu- AS="${T}as -mno-shared" LD="${T}ld" ;;
*) echo "run_oracle.sh: unknown architecture $arch" >&2; exit 2 ;;
esac
OBJCOPY=${T}objcopy

mkdir -p "$work"
files=0 sections=0 failed=0
: >"$work/types"
for src in "$@"; do
	name=$(basename "$src" .S)
	dir="$work/$name"
	mkdir -p "$dir"
	args=$(sed -n 's/^.*[^-]oracle: //p' "$src" | head -n 1)
	asflags=$(sed -n 's/^.*oracle-as: //p' "$src" | head -n 1)
	if [ -z "$args" ]; then
		echo "FAIL: $src has no 'oracle:' header line"
		failed=1
		continue
	fi
	# shellcheck disable=SC2086
	$AS $asflags -o "$dir/obj.o" "$src"

	# The linker script: one output section per --at, at its address; nothing else.
	set -- $args
	secs="" defs=""
	{
		echo "SECTIONS {"
		while [ $# -gt 0 ]; do
			case $1 in
			--at) echo "  ${2%%=*} ${2#*=} : { KEEP(*(${2%%=*})) }"; secs="$secs ${2%%=*}" ;;
			--defsym) defs="$defs --defsym=$2" ;;
			esac
			shift 2
		done
		echo "  /DISCARD/ : { *(.note.GNU-stack) }"
		echo "}"
	} >"$dir/layout.ld"
	# shellcheck disable=SC2086
	$LD $LDFLAGS -T "$dir/layout.ld" -e 0 $defs -o "$dir/ld.elf" "$dir/obj.o"
	# shellcheck disable=SC2086
	"$elfmod" link "$dir/obj.o" $args -o "$dir/elfmod.elf" >"$dir/elfmod.txt"
	for s in $secs; do
		$OBJCOPY -O binary -j "$s" "$dir/ld.elf" "$dir/ld$s.bin"
		$OBJCOPY -O binary -j "$s" "$dir/elfmod.elf" "$dir/elfmod$s.bin"
		if cmp -s "$dir/ld$s.bin" "$dir/elfmod$s.bin"; then
			sections=$((sections + 1))
		else
			echo "FAIL: $src: section $s differs from GNU ld's"
			cmp -l "$dir/ld$s.bin" "$dir/elfmod$s.bin" | head -n 8
			failed=1
		fi
	done
	readelf -rW "$dir/obj.o" | awk '$3 ~ /^R_/ { print $3 }' >>"$work/types"
	files=$((files + 1))
done
types=$(sort -u "$work/types")
echo "$arch: $files files, $sections sections identical to GNU ld's;" \
	"$(printf '%s\n' "$types" | grep -c .) relocation types compared byte for byte:"
printf '%s\n' "$types" | tr '\n' ' '
echo
# The engine's other types, from its own table: verified by unit tests and running code.
case $arch in
x86_64) m=x86-64 ;; i386) m=i386 ;; aarch64*) m=AArch64 ;; arm*) m=ARM ;;
riscv*) m=RISC-V ;; xtensa) m=Xtensa ;; mips*) m=MIPS ;;
esac
other=$("$elfmod" inspect --supported | awk -v m="$m" '
	/^[^ ]/ { on = index($0, m " (e_machine") == 1; next }
	on { print $2 }' | grep -vxF -e "$(printf '%s\n' "$types")" | tr '\n' ' ')
echo "$arch: verified otherwise (unit tests, GOT layout, running code): ${other:-none}"
exit $failed
