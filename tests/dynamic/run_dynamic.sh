#!/bin/sh
# run_dynamic.sh SRCDIR ARCH VARIANT DIR RUNNER...
#
# One test of the ET_DYN corpus: first check_corpus.sh asserts that DIR (the VARIANT
# directory build_corpus.sh made) holds what the variant claims, then `RUNNER... run`
# loads it and its output must be exactly the expected transcript.
set -u
if [ $# -lt 5 ]; then
	echo "usage: $0 SRCDIR ARCH VARIANT DIR RUNNER..." >&2
	exit 2
fi
src=$1 arch=$2 variant=$3 dir=$4
shift 4
here=$src/tests/dynamic
check=$variant
case $variant in
libc_host | protect) check=libc ;;
esac
sh "$here/check_corpus.sh" "$arch" "$check" "$dir" || exit 1

run="sh $src/tests/modules/run_module.sh"
exp=$here/expected
case $variant in
nostdlib | libc | relr_bfd | relr_lld)
	exec $run "$exp/dynamic.txt" "$@" run --dep "$dir/liba.so" "$dir/libb.so" -- hello ;;
# The same libraries with the host's own C library behind the export table.
libc_host)
	exec $run "$exp/dynamic.txt" "$@" run --host-symbols --dep "$dir/liba.so" \
		"$dir/libb.so" -- hello ;;
# The crt files' _start imports __libc_start_main, which only the host has.
pie)
	exec $run "$exp/dynamic.txt" "$@" run --host-symbols --dep "$dir/../libc/liba.so" \
		"$dir/prog" -- hello ;;
static_pie)
	exec $run "$exp/static_pie.txt" "$@" run "$dir/prog" -- hello ;;
protect)
	exec $run "$exp/protect.txt" "$@" run "$dir/protect.so" ;;
*)
	echo "run_dynamic: unknown variant '$variant'" >&2
	exit 2 ;;
esac
