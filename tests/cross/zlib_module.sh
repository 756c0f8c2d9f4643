#!/bin/sh
# zlib_module.sh [--pack PACKER] SRCDIR TRIPLE DEB_ARCH DEB_SUITE DEBDIR OUTDIR RUNNER...
#
# The zlib module for another architecture, built the way a user would build it: Debian's
# own DEB_ARCH libz.a (zlib1g-dev from DEB_SUITE, fetched into DEBDIR by
# scripts/fetch-deb.sh) partially linked with tests/modules/zdriver.c by TRIPLE-ld -r into
# OUTDIR/zmod.o, then run by `RUNNER... run OUTDIR/zmod.o` against expected/zlib.re.
# With --pack, packed by the host's `PACKER pack` and run as OUTDIR/zmod.emod.
#
# The fetch needs Debian's mirror. When it fails the test fails, unless
# ELFMOD_SKIP_CROSS=1, which makes it a skip (exit 77) like a missing cross tool.
set -u
packer=
if [ "${1:-}" = --pack ]; then
	packer=$2
	shift 2
fi
if [ $# -lt 7 ]; then
	echo "usage: $0 SRCDIR TRIPLE DEB_ARCH DEB_SUITE DEBDIR OUTDIR RUNNER..." >&2
	exit 2
fi
src=$1 triple=$2 deb_arch=$3 deb_suite=$4 debdir=$5 out=$6
shift 6

if ! sh "$src/scripts/fetch-deb.sh" zlib1g-dev "$deb_arch" "$deb_suite" "$debdir"; then
	if [ "${ELFMOD_SKIP_CROSS:-}" = 1 ]; then
		echo "SKIP: cannot fetch zlib1g-dev:$deb_arch ($deb_suite) (ELFMOD_SKIP_CROSS=1)"
		exit 77
	fi
	echo "FAIL: cannot fetch zlib1g-dev:$deb_arch from Debian $deb_suite (needs" >&2
	echo "      http://deb.debian.org); set ELFMOD_SKIP_CROSS=1 to skip cross tests." >&2
	exit 1
fi

# The multiarch directory (i386-linux-gnu, arm-linux-gnueabihf, ...) is Debian's name,
# not always the GNU triple: take whichever one the package has.
libz=
for f in "$debdir"/usr/lib/*/libz.a; do
	[ -f "$f" ] && libz=$f
done
if [ -z "$libz" ]; then
	echo "FAIL: no usr/lib/*/libz.a in $debdir" >&2
	exit 1
fi
mkdir -p "$out"
if ! "$triple-gcc" -c -O2 -I"$debdir/usr/include" -o "$out/zdriver.o" \
		"$src/tests/modules/zdriver.c"; then
	echo "FAIL: cannot compile zdriver.c with $triple-gcc" >&2
	exit 1
fi
# The module carries its own compiler support, as a linked program would: the members of
# libgcc.a (i386: __moddi3 and friends) and glibc's libc_nonshared.a (i386:
# __stack_chk_fail_local) that it needs. What is left comes from the runner's C library.
libgcc=$("$triple-gcc" -print-libgcc-file-name)
nonshared=$("$triple-gcc" -print-file-name=libc_nonshared.a)
if ! "$triple-ld" -r -o "$out/zmod.o" "$out/zdriver.o" --whole-archive "$libz" \
		--no-whole-archive "$libgcc" "$nonshared"; then
	echo "FAIL: $triple-ld -r of zdriver.o, $libz, $libgcc and $nonshared" >&2
	exit 1
fi
if [ -n "$packer" ]; then
	exec sh "$src/tests/modules/run_packed.sh" "$src/tests/modules/expected/zlib.re" "$packer" \
		"$out/zmod.o" "$out/zmod.emod" "$@" run "$out/zmod.emod"
fi
exec sh "$src/tests/modules/run_module.sh" "$src/tests/modules/expected/zlib.re" \
	"$@" run "$out/zmod.o"
