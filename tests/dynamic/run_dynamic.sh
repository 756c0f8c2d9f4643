#!/bin/sh
# run_dynamic.sh SRCDIR ARCH VARIANT ARCHDIR RUNNER...
#
# One test of the ET_DYN corpus: first check_corpus.sh asserts that the directory of
# ARCHDIR (what build_corpus.sh made for ARCH) the variant uses holds what the variant
# claims, then `RUNNER... run` loads it and its output must be exactly the expected
# transcript (or, for the refuse_* variants, the load must fail with the right error).
set -u
if [ $# -lt 5 ]; then
	echo "usage: $0 SRCDIR ARCH VARIANT ARCHDIR RUNNER..." >&2
	exit 2
fi
src=$1 arch=$2 variant=$3 archdir=$4
shift 4
here=$src/tests/dynamic
check=$variant
case $variant in
libc_host | protect) check=libc ;;
refuse_tls | refuse_copy) check=refuse ;;
esac
dir=$archdir/$check
sh "$here/check_corpus.sh" "$arch" "$check" "$dir" || exit 1

run="sh $src/tests/modules/run_module.sh"
exp=$here/expected
# Text relocations are reported (elfmod run --trace), and only where there are some.
if [ "$variant" = textrel ] || [ "$variant" = nostdlib ]; then
	"$@" run --trace --dep "$dir/liba.so" "$dir/libb.so" -- hello >"$archdir/$variant.trace" 2>&1
	if grep -q "libb.so: text relocations applied" "$archdir/$variant.trace"; then
		[ "$variant" = textrel ] || { echo "run_dynamic: text relocations reported for $variant" >&2; exit 1; }
	else
		[ "$variant" != textrel ] || { echo "run_dynamic: DT_TEXTREL not reported" >&2; exit 1; }
	fi
fi
case $variant in
nostdlib | libc | relr_bfd | relr_lld | textrel)
	exec $run "$exp/dynamic.txt" "$@" run --dep "$dir/liba.so" "$dir/libb.so" -- hello ;;
# The same libraries with the host's own C library behind the export table.
libc_host)
	exec $run "$exp/dynamic.txt" "$@" run --host-symbols --dep "$dir/liba.so" \
		"$dir/libb.so" -- hello ;;
# The crt files' _start imports __libc_start_main, which only the host has.
pie)
	exec $run "$exp/dynamic.txt" "$@" run --host-symbols --dep "$archdir/libc/liba.so" \
		"$dir/prog" -- hello ;;
static_pie)
	exec $run "$exp/static_pie.txt" "$@" run "$dir/prog" -- hello ;;
ifunc)
	exec $run "$exp/ifunc.txt" "$@" run "$dir/ifunc.so" ;;
protect)
	exec $run "$exp/protect.txt" "$@" run "$dir/protect.so" ;;
# Refused, with the load failure's exit status and the error named.
refuse_tls)
	exec sh "$src/tests/modules/expect_fail.sh" 125 "tls\.so: .*unsupported relocation type" \
		"$@" run "$dir/tls.so" ;;
refuse_copy)
	exec sh "$src/tests/modules/expect_fail.sh" 125 "copy: .*unsupported relocation type" \
		"$@" run --dep "$archdir/nostdlib/liba.so" "$dir/copy" ;;
*)
	echo "run_dynamic: unknown variant '$variant'" >&2
	exit 2 ;;
esac
