#!/bin/sh
# zlib_dynamic.sh SRCDIR CC DEB_ARCH DEB_SUITE DEBDIR OUTDIR RUNNER...
#
# The zlib round trip of tests/modules with Debian's own shared libz.so.1 as a loaded
# module: tests/modules/zdriver.c compiled by CC into an ET_REL driver, run by
# `RUNNER... run --dep libz.so.1 zdriver.o`, whose output must match expected/zlib.re
# of tests/modules. The driver's compress2/uncompress/crc32 come from libz.so.1's
# dynamic symbols; libz.so.1's own imports (malloc, memcpy, ...) from the runner.
#
# DEB_ARCH "host" takes the host's installed libz.so.1 and zlib.h (Debian's zlib1g and
# zlib1g-dev for the host); any other DEB_ARCH fetches zlib1g and zlib1g-dev of DEB_SUITE
# into DEBDIR with scripts/fetch-deb.sh. A failed fetch fails the test, unless
# ELFMOD_SKIP_CROSS=1, which makes it a skip (exit 77).
set -u
if [ $# -lt 7 ]; then
	echo "usage: $0 SRCDIR CC DEB_ARCH DEB_SUITE DEBDIR OUTDIR RUNNER..." >&2
	exit 2
fi
src=$1 cc=$2 deb_arch=$3 deb_suite=$4 debdir=$5 out=$6
shift 6

if [ "$deb_arch" = host ]; then
	libz=$("$cc" -print-file-name=libz.so.1)
	inc=
	[ -f /usr/include/zlib.h ] || { echo "FAIL: no /usr/include/zlib.h (zlib1g-dev)" >&2; exit 1; }
else
	for pkg in zlib1g zlib1g-dev; do
		if ! sh "$src/scripts/fetch-deb.sh" $pkg "$deb_arch" "$deb_suite" "$debdir"; then
			if [ "${ELFMOD_SKIP_CROSS:-}" = 1 ]; then
				echo "SKIP: cannot fetch $pkg:$deb_arch ($deb_suite) (ELFMOD_SKIP_CROSS=1)"
				exit 77
			fi
			echo "FAIL: cannot fetch $pkg:$deb_arch from Debian $deb_suite (needs" >&2
			echo "      http://deb.debian.org); set ELFMOD_SKIP_CROSS=1 to skip cross tests." >&2
			exit 1
		fi
	done
	# bookworm ships it in /lib/<multiarch>, trixie in /usr/lib/<multiarch>.
	libz=
	for f in "$debdir"/lib/*/libz.so.1 "$debdir"/usr/lib/*/libz.so.1; do
		[ -e "$f" ] && libz=$f
	done
	inc=-I$debdir/usr/include
fi
if [ -z "$libz" ] || [ ! -e "$libz" ]; then
	echo "FAIL: no libz.so.1 for $deb_arch" >&2
	exit 1
fi
# What the test is about: Debian's real shared library, not something built here.
if ! readelf -hdW "$libz" | grep -q "Type:.*DYN" ||
   ! readelf -dW "$libz" | grep -q "(SONAME).*\[libz.so.1\]"; then
	echo "FAIL: $libz is not an ET_DYN with soname libz.so.1" >&2
	exit 1
fi
mkdir -p "$out"
# shellcheck disable=SC2086 # $inc is empty or one word
if ! "$cc" -c -O2 $inc -o "$out/zdriver.o" "$src/tests/modules/zdriver.c"; then
	echo "FAIL: cannot compile zdriver.c with $cc" >&2
	exit 1
fi
exec sh "$src/tests/modules/run_module.sh" "$src/tests/modules/expected/zlib.re" \
	"$@" run --dep "$libz" "$out/zdriver.o"
