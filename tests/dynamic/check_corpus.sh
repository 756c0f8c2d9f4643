#!/bin/sh
# check_corpus.sh ARCH VARIANT DIR
#
# Asserts with readelf that the files build_corpus.sh made for VARIANT in DIR have the
# properties their test is about (DT_RELR really there, no DT_NEEDED in -nostdlib
# libraries, the MIPS GOT tags, DT_INIT, RELRO, ...), so that a test cannot pass because
# a toolchain quietly built something easier. Prints every failed assertion; exit 1 if any.
set -u
if [ $# -ne 3 ]; then
	echo "usage: $0 ARCH VARIANT DIR" >&2
	exit 2
fi
arch=$1 variant=$2 dir=$3
failed=0

bad() {
	echo "check_corpus: $arch/$variant: $*" >&2
	failed=1
}

# The psABI names of the relocations the corpus must contain.
case $arch in
x86_64) machine="X86-64" data=little rel=R_X86_64_RELATIVE got=R_X86_64_GLOB_DAT
	plt=R_X86_64_JUMP_SLOT abs=R_X86_64_64 ;;
i686) machine="Intel 80386" data=little rel=R_386_RELATIVE got=R_386_GLOB_DAT
      plt=R_386_JUMP_SLOT abs=R_386_32 ;;
aarch64) machine=AArch64 data=little rel=R_AARCH64_RELATIVE got=R_AARCH64_GLOB_DAT
	 plt=R_AARCH64_JUMP_SLOT abs=R_AARCH64_ABS64 ;;
arm) machine=ARM data=little rel=R_ARM_RELATIVE got=R_ARM_GLOB_DAT plt=R_ARM_JUMP_SLOT
     abs=R_ARM_ABS32 ;;
# RISC-V fills GOT entries with plain R_RISCV_64.
riscv64) machine=RISC-V data=little rel=R_RISCV_RELATIVE got=R_RISCV_64
	 plt=R_RISCV_JUMP_SLOT abs=R_RISCV_64 ;;
# MIPS has one dynamic type for all of it; imports go through the implicit GOT.
mips) machine=MIPS data=big rel=R_MIPS_REL32 got= plt= abs=R_MIPS_REL32 ;;
mipsel) machine=MIPS data=little rel=R_MIPS_REL32 got= plt= abs=R_MIPS_REL32 ;;
*) echo "check_corpus: unknown architecture '$arch'" >&2; exit 2 ;;
esac

has_tag() { readelf -dW "$1" | grep -q "($2)"; }
tag() { has_tag "$1" "$2" || bad "$(basename "$1"): no DT_$2"; }
no_tag() { ! has_tag "$1" "$2" || bad "$(basename "$1"): unexpected DT_$2"; }
# needed FILE: its DT_NEEDED names, sorted, as `words` prints them.
needed() { words $(readelf -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); }
words() { printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' '; }
# reloc FILE TYPE [SYMBOL]: a dynamic relocation of TYPE (against SYMBOL, or none).
reloc() {
	if [ -n "${3:-}" ]; then
		readelf -rW "$1" | grep -qE "[[:space:]]$2[[:space:]]+[0-9a-f]+[[:space:]]+$3([@[:space:]]|$)" ||
			bad "$(basename "$1"): no $2 against $3"
	else
		readelf -rW "$1" | grep -qE "[[:space:]]$2([[:space:]]+[0-9a-f]+)?[[:space:]]*$" ||
			bad "$(basename "$1"): no $2 without a symbol"
	fi
}
dynsym() {
	readelf --dyn-syms -W "$1" | grep -qE "[[:space:]]$2$" || bad "$(basename "$1"): '$2' not in .dynsym"
}
segment() { readelf -lW "$1" | grep -qE "^[[:space:]]+$2[[:space:]]" || bad "$(basename "$1"): no $2 segment"; }
no_segment() { ! readelf -lW "$1" | grep -qE "^[[:space:]]+$2[[:space:]]" || bad "$(basename "$1"): a $2 segment"; }

# What every file of the corpus is: ET_DYN for this machine and byte order, loaded
# with its relocations applied at once (BIND_NOW) and a RELRO to protect.
common() {
	[ -f "$1" ] || { bad "$1 missing"; return; }
	readelf -hW "$1" | grep -q "Type:.*DYN" || bad "$(basename "$1"): not ET_DYN"
	readelf -hW "$1" | grep -q "Machine:.*$machine" || bad "$(basename "$1"): not $machine"
	readelf -hW "$1" | grep -q "Data:.*$data endian" || bad "$(basename "$1"): not $data-endian"
	readelf -dW "$1" | grep -qE "\((FLAGS|FLAGS_1)\).*NOW" || bad "$(basename "$1"): not BIND_NOW"
	segment "$1" GNU_RELRO
	tag "$1" INIT_ARRAY
	tag "$1" FINI_ARRAY
	if [ "$arch" = mips ] || [ "$arch" = mipsel ]; then
		tag "$1" MIPS_LOCAL_GOTNO
		tag "$1" MIPS_GOTSYM
		tag "$1" MIPS_SYMTABNO
		has_tag "$1" HASH || bad "$(basename "$1"): no DT_HASH"
	else
		has_tag "$1" GNU_HASH || has_tag "$1" HASH || bad "$(basename "$1"): no hash table"
	fi
}

# inits FILE: what -Wl,-init/-fini made, besides the arrays.
inits() {
	tag "$1" INIT
	tag "$1" FINI
}

# import FILE SYMBOL: how a function import is bound: a PLT slot (DT_JMPREL), or on
# MIPS an entry of the global GOT (dynamic symbol index at or above DT_MIPS_GOTSYM).
import() {
	if [ -n "$plt" ]; then
		tag "$1" JMPREL
		reloc "$1" "$plt" "$2"
		return
	fi
	gotsym=$(readelf -dW "$1" | sed -n 's/.*(MIPS_GOTSYM)[[:space:]]*//p')
	idx=$(readelf --dyn-syms -W "$1" | sed -n "s/^[[:space:]]*\([0-9]*\):.*[[:space:]]$2\(@[^ ]*\( ([0-9]*)\)\{0,1\}\)\{0,1\}\$/\1/p")
	if [ -z "$gotsym" ] || [ -z "$idx" ] || [ "$idx" -lt $((gotsym)) ]; then
		bad "$(basename "$1"): '$2' (index ${idx:-none}) not in the global GOT (from ${gotsym:-none})"
	fi
}

# pair NEED RELR [PIC]: liba.so and libb.so of a pair. NEED: what both need besides
# libdyna.so; RELR: 1 when packed; PIC: 0 for the -fno-pic (DT_TEXTREL) pair.
pair() {
	a=$dir/liba.so b=$dir/libb.so need_extra=$1 relr=$2 pic=${3:-1}
	common "$a"
	common "$b"
	inits "$a"
	inits "$b"
	readelf -dW "$a" | grep -q "(SONAME).*\[libdyna.so\]" || bad "liba.so: soname not libdyna.so"
	want=$(words $need_extra)
	[ "$(needed "$a")" = "$want" ] || bad "liba.so: DT_NEEDED '$(needed "$a")', want '$want'"
	want=$(words libdyna.so $need_extra)
	[ "$(needed "$b")" = "$want" ] || bad "libb.so: DT_NEEDED '$(needed "$b")', want '$want'"
	for f in "$a" "$b"; do
		if [ "$relr" = 1 ]; then
			tag "$f" RELR
			readelf -dW "$f" | grep -qE "\(RELRSZ\)[[:space:]]+[1-9]" || bad "$(basename "$f"): empty DT_RELR"
		else
			no_tag "$f" RELR
			reloc "$f" "$rel"
		fi
	done
	# libb's own data holds liba's addresses: symbol-based words and GOT entries.
	reloc "$b" "$abs" a_bump
	reloc "$b" "$abs" a_counter
	if [ "$pic" = 0 ]; then
		# Position-dependent code: calls patched in .text itself.
		reloc "$b" R_386_PC32 a_apply
		return
	fi
	[ -n "$got" ] && reloc "$b" "$got" a_counter
	import "$b" a_apply
	import "$b" printf
	# The weak import: a GOT entry or a PLT slot, whichever the compiler chose.
	if [ -n "$plt" ]; then
		readelf -rW "$a" | grep -qE "($got|$plt)[[:space:]]+0+[[:space:]]+dyn_optional_hook" ||
			bad "liba.so: no GOT or PLT relocation against dyn_optional_hook"
	else
		import "$a" dyn_optional_hook
	fi
	readelf --dyn-syms -W "$a" | grep -qE "WEAK +DEFAULT +UND dyn_optional_hook$" ||
		bad "liba.so: dyn_optional_hook is not a weak undefined dynamic symbol"
	dynsym "$a" a_counter
	dynsym "$b" main
}

case $variant in
nostdlib) pair "" 0 ;;
libc)
	pair libc.so.6 0
	common "$dir/protect.so"
	[ "$(needed "$dir/protect.so")" = "libc.so.6 " ] || bad "protect.so: DT_NEEDED '$(needed "$dir/protect.so")'"
	reloc "$dir/protect.so" "$abs" printf ;;
relr_bfd | relr_lld) pair "" 1 ;;
textrel)
	pair "" 0 0
	for f in "$dir/liba.so" "$dir/libb.so"; do
		tag "$f" TEXTREL
	done ;;
pie)
	p=$dir/prog
	common "$p"
	inits "$p"
	readelf -dW "$p" | grep -qE "\(FLAGS_1\).*PIE" || bad "prog: not a PIE"
	segment "$p" INTERP
	[ "$(needed "$p")" = "libc.so.6 libdyna.so " ] || bad "prog: DT_NEEDED '$(needed "$p")'"
	dynsym "$p" main
	reloc "$p" "$abs" a_counter ;;
static_pie)
	p=$dir/prog
	common "$p"
	inits "$p"
	readelf -dW "$p" | grep -qE "\(FLAGS_1\).*PIE" || bad "prog: not a PIE"
	no_segment "$p" INTERP
	[ -z "$(needed "$p")" ] || bad "prog: DT_NEEDED '$(needed "$p")'"
	dynsym "$p" main
	reloc "$p" "$rel" ;;
ifunc)
	f=$dir/ifunc.so
	[ -f "$f" ] || bad "ifunc.so missing"
	readelf -rW "$f" | grep -qE "R_[A-Z0-9_]+_IRELATIVE" || bad "ifunc.so: no IRELATIVE"
	# readelf shows an ifunc's value as "name()".
	readelf -rW "$f" | grep -qE "$plt[[:space:]]+dyn_exported\(\)" ||
		bad "ifunc.so: no $plt against the ifunc dyn_exported"
	readelf --dyn-syms -W "$f" | grep -qE "IFUNC +GLOBAL +DEFAULT +[0-9]+ dyn_exported$" ||
		bad "ifunc.so: dyn_exported is not an exported STT_GNU_IFUNC" ;;
# What must be refused has to be there: a TP-relative TLS relocation, a COPY.
refuse)
	readelf -rW "$dir/tls.so" | grep -qE "R_[A-Z0-9_]*TLS_TP(OFF|REL)|R_X86_64_TPOFF64|R_386_TLS_TPOFF" ||
		bad "tls.so: no TP-relative TLS relocation"
	if [ "$arch" = x86_64 ]; then
		readelf -rW "$dir/copy" | grep -qE "R_[A-Z0-9_]*_COPY[[:space:]].*a_counter" ||
			bad "copy: no COPY relocation against a_counter"
	fi ;;
*) echo "check_corpus: unknown variant '$variant'" >&2; exit 2 ;;
esac
[ $failed = 0 ] && echo "check_corpus: $arch/$variant: ok"
exit $failed
