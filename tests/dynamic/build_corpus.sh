#!/bin/sh
# build_corpus.sh SRCDIR OUTDIR ARCH CC
#
# Builds the ET_DYN corpus of one architecture from SRCDIR/src into OUTDIR/<variant>/:
#   nostdlib    liba.so, libb.so: -shared -fPIC -nostdlib (imports only printf & co.)
#   libc        liba.so, libb.so, protect.so: ordinary -shared -fPIC (DT_NEEDED libc.so.6)
#   pie         prog: a -pie executable (main exported with -rdynamic) needing libc/liba.so
#   static_pie  prog: liba.c, libb.c and sysout.c as one -static-pie -nostdlib image
#               (x86_64, i686 and aarch64: see below)
#   relr_bfd    liba.so, libb.so: as nostdlib, packed by GNU ld -z pack-relative-relocs
#               (x86_64 and i686 only: GNU ld 2.40 writes DT_RELR nowhere else)
#   textrel     liba.so, libb.so: as nostdlib, but -fno-pic: DT_TEXTREL (i686 only)
#   ifunc       ifunc.so: -nostdlib with GNU indirect functions (all but MIPS)
#   refuse      tls.so (all) and copy (x86_64): relocations elfmod refuses
#   relr_lld    liba.so, libb.so: as nostdlib, built by clang and linked by lld with
#               --pack-dyn-relocs=relr
# CC is the architecture's GCC; ARCH is x86_64, i686, aarch64, arm, riscv64, mips or mipsel.
# Every library gets DT_INIT/DT_FINI from -Wl,-init/-fini and RELRO with BIND_NOW.
# check_corpus.sh later asserts that each file really has the properties named here.
set -eu
if [ $# -ne 4 ]; then
	echo "usage: $0 SRCDIR OUTDIR ARCH CC" >&2
	exit 2
fi
src=$1/src out=$2 arch=$3 cc=$4

case $arch in
x86_64) triple=x86_64-linux-gnu ;;
i686) triple=i686-linux-gnu ;;
aarch64) triple=aarch64-linux-gnu ;;
# Debian's armhf baseline, which clang does not assume for this triple.
arm) triple=arm-linux-gnueabihf
     clang_flags="-march=armv7-a -mthumb -mfpu=vfpv3-d16 -mfloat-abi=hard" ;;
riscv64) triple=riscv64-linux-gnu
	 clang_flags="-march=rv64gc -mabi=lp64d" ;;
mips) triple=mips-linux-gnu ;;
mipsel) triple=mipsel-linux-gnu ;;
*) echo "build_corpus: unknown architecture '$arch'" >&2; exit 2 ;;
esac

common="-O2 -fPIC -Wall -Wextra -Werror"
now="-Wl,-z,relro,-z,now"
inita="-Wl,-init=a_init,-fini=a_fini"
initb="-Wl,-init=b_init,-fini=b_fini"

# pair VARIANT COMPILER FLAGS...: liba.so and libb.so (which needs liba.so) of VARIANT.
pair() {
	d=$out/$1 c=$2
	shift 2
	mkdir -p "$d"
	$c $common -shared "$@" -Wl,-soname,libdyna.so $inita $now -o "$d/liba.so" "$src/liba.c"
	$c $common -shared "$@" -Wl,-soname,libdynb.so $initb $now -o "$d/libb.so" "$src/libb.c" \
		"$d/liba.so"
}

pair nostdlib "$cc" -nostdlib
pair libc "$cc" -DDYN_LIBC
$cc $common -shared $now -o "$out/libc/protect.so" "$src/protect.c"

mkdir -p "$out/pie"
# -fPIC, not -fPIE: a PIE's references to a library's variable would otherwise become
# COPY relocations, which elfmod refuses.
$cc $common -pie -rdynamic -DDYN_LIBC $initb $now -o "$out/pie/prog" "$src/libb.c" \
	"$out/libc/liba.so"

# GCC 12 knows -static-pie only for x86 and aarch64: for arm, riscv64 and mips its link
# spec still asks for an interpreter and makes an ordinary PIE, so they have no variant.
case $arch in
x86_64 | i686 | aarch64)
	mkdir -p "$out/static_pie"
	# The loop-to-memset pattern would make sysout.c's memset call itself.
	$cc $common -static-pie -nostdlib -ffreestanding -fno-tree-loop-distribute-patterns \
		-DDYN_STANDALONE -Wl,--export-dynamic -Wl,-e,main $inita $now \
		-o "$out/static_pie/prog" "$src/liba.c" "$src/libb.c" "$src/sysout.c" ;;
esac

mkdir -p "$out/refuse"
$cc $common -shared -nostdlib -ftls-model=initial-exec -DREFUSE_TLS \
	-o "$out/refuse/tls.so" "$src/refuse.c"
# Only x86_64's -fPIE code reads another module's variable directly (a COPY); the
# others go through the GOT.
case $arch in
x86_64)
	$cc -O2 -fPIE -pie -nostdlib -Wl,-e,main,--allow-shlib-undefined -o "$out/refuse/copy" "$src/refuse.c" \
		"$out/nostdlib/liba.so" ;;
esac

case $arch in
x86_64 | i686) pair relr_bfd "$cc" -nostdlib -Wl,-z,pack-relative-relocs ;;
esac
# GCC has no ifunc for MIPS.
case $arch in
mips | mipsel) ;;
*)
	mkdir -p "$out/ifunc"
	$cc $common -shared -nostdlib $now -o "$out/ifunc/ifunc.so" "$src/ifunc.c" ;;
esac

# i386 can still link position-dependent code into a shared object: absolute and
# PC-relative relocations in .text (DT_TEXTREL).
if [ "$arch" = i686 ]; then
	pair textrel "$cc" -nostdlib -fno-pic
fi
# shellcheck disable=SC2086 # the flags are words
pair relr_lld "clang --target=$triple ${clang_flags:-} -fuse-ld=lld" -nostdlib \
	-Wl,--pack-dyn-relocs=relr
