#!/bin/sh
# GNU ld as the oracle for elfmod's x86 relocations.
#
#   run_diff.sh x86_64|i386 SRCDIR RELOC_DIFF WORKDIR
#
# 1. Assembles SRCDIR/<arch>_relocs.S, links it with ld at fixed section addresses and
#    --defsym values for its imports, dumps each output section with objcopy, and has
#    RELOC_DIFF relocate the same object through the arch interface at the same
#    addresses: the bytes must be identical.
# 2. One-line objects one past a range edge: ld must refuse each and elfmod must
#    answer ELFMOD_ERANGE. A few that ld accepts and elfmod refuses on purpose are
#    checked as such (see DIVERGE below).
set -eu
arch=$1 src=$2 diff=$3 work=$4
mkdir -p "$work"
cd "$work"

TEXT=0x10001000 DATA=0x10002000 E=0x10003000
if [ "$arch" = x86_64 ]; then
	AS="as --64" LD=ld
	mask() { printf '0x%x' "$(($1))"; }
else
	AS=i686-linux-gnu-as LD=i686-linux-gnu-ld
	# Symbol values are 32-bit: write negative ones as ld will hold them.
	mask() { printf '0x%x' "$(($1 & 0xffffffff))"; }
fi

# NAME=EXPR pairs -> "--defsym=NAME=0x..." for ld and "-d NAME=0x..." for reloc_diff.
LDSYMS="" DSYMS=""
defsym() {
	for kv in "$@"; do
		v=$(mask "${kv#*=}")
		LDSYMS="$LDSYMS --defsym=${kv%%=*}=$v"
		DSYMS="$DSYMS -d ${kv%%=*}=$v"
	done
}

if [ "$arch" = x86_64 ]; then
	defsym ext_fn=0x30000040 ext_data=0x20000100 ext_far=0x123456789abcdef0 \
		ext_small=0x345678 ext_neg=-0x12345678 ext16=0xfff0 ext8=0x7f \
		ext_neg16=-0x1234 ext_neg8=-0x12
	# The .edges entries, at the offsets noted in x86_64_relocs.S.
	defsym "pc32_max=$E+0x00+0x7fffffff" "pc32_min=$E+0x04-0x80000000" \
		"pc16_max=$E+0x08+0x7fff" "pc16_min=$E+0x0a-0x8000" \
		"pc8_max=$E+0x0c+0x7f" "pc8_min=$E+0x0d-0x80" \
		u16_max=0xffff s16_min=-0x8000 u8_max=0xff s8_min=-0x80 \
		u32_max=0xffffffff u32_min=-0x10 s32_max=0x7fffffff s32_min=-0x80000000 \
		"plt_max=$E+0x24+4+0x7fffffff" "plt_min=$E+0x28+4-0x80000000"
else
	defsym ext_fn=0x30000040 far_fn=0xf0000000 ext_data=0x20000100 ext_hi=0xfffffff0 \
		ext_low=0x100 ext16=0xfff0 ext8=0x7f ext_neg16=-0x1234 ext_neg8=-0x12
	defsym "pc16_max=$E+0x00+0x7fff" "pc16_min=$E+0x02-0x8000" \
		"pc8_max=$E+0x04+0x7f" "pc8_min=$E+0x05-0x80" \
		u16_max=0xffff s16_min=-0x8000 u8_max=0xff s8_min=-0x80
fi

PLACE="--section-start=.text=$TEXT --section-start=.data=$DATA --section-start=.edges=$E"

# shellcheck disable=SC2086
$AS -o relocs.o "$src/${arch}_relocs.S"
# shellcheck disable=SC2086
$LD -T "$src/layout.ld" $PLACE -e 0 $LDSYMS -o relocs.elf relocs.o
for s in text data edges; do
	objcopy -O binary -j ".$s" relocs.elf "$s.bin"
done
# shellcheck disable=SC2086
"$diff" relocs.o -s ".text=$TEXT=text.bin" -s ".data=$DATA=data.bin" -s ".edges=$E=edges.bin" $DSYMS

# One past the edges. Each case: ld's verdict (fail, or ok for a deliberate
# divergence), a directive placed at .edges+0 (P = E), and the value of s.
n=0 fails=0
edge() {
	verdict=$1 directive=$2 value=$(mask "$3")
	n=$((n + 1))
	printf '\t.section .edges, "aw", @progbits\n\t%s\n' "$directive" >edge.S
	$AS -o edge.o edge.S
	if $LD -T "$src/layout.ld" $PLACE -e 0 --defsym=s="$value" -o edge.elf edge.o 2>edge.err; then
		ld=ok
	else
		ld=fail
	fi
	if [ "$ld" != "$verdict" ]; then
		echo "edge $n ($directive, s=$value): ld said $ld, expected $verdict"
		fails=$((fails + 1))
	fi
	if ! "$diff" -e edge.o -s ".edges=$E" -d "s=$value" >edge.out 2>&1; then
		echo "edge $n ($directive, s=$value): elfmod did not refuse it:"
		cat edge.out
		fails=$((fails + 1))
	fi
}

if [ "$arch" = x86_64 ]; then
	edge fail '.long s - .' "$E+0x80000000"
	edge fail '.long s - .' "$E-0x80000001"
	edge fail '.reloc ., R_X86_64_PLT32, s - 4; .long 0' "$E+4+0x80000000"
	edge fail '.long s' 0x100000000
	edge fail '.long s' -1
	edge fail '.reloc ., R_X86_64_32S, s; .long 0' 0x80000000
	edge fail '.reloc ., R_X86_64_32S, s; .long 0' -0x80000001
	edge fail '.long s@SIZE + 0x100000000' 0
	edge fail '.word s' 0x10000
	edge fail '.word s' -0x10001
	edge fail '.word s - .' "$E+0x10000"
	edge fail '.byte s' 0x100
	edge fail '.byte s - .' "$E+0x80"
	edge fail '.byte s - .' "$E-0x81"
	# DIVERGE: ld checks 16- and 8-bit fields as "bitfields" (-2^n .. 2^n-1, PC16
	# included); elfmod takes -2^(n-1) .. 2^n-1 and PC16 as signed.
	edge ok '.word s' -0x8001
	edge ok '.byte s' -0x81
	edge ok '.word s - .' "$E+0x8000"
	edge ok '.word s - .' "$E-0x8001"
else
	edge fail '.word s' 0x10000
	edge fail '.word s - .' "$E+0x10000"
	edge fail '.byte s' 0x100
	edge fail '.byte s - .' "$E+0x80"
	edge fail '.byte s - .' "$E-0x81"
	edge ok '.word s' -0x8001
	edge ok '.byte s' -0x81
	edge ok '.word s - .' "$E+0x8000"
fi
echo "$n range edges checked, $fails wrong"
[ "$fails" -eq 0 ]
