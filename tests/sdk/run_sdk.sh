#!/bin/sh
# run_sdk.sh BUILD_DIR EXAMPLE_DIR WORK_DIR CMAKE CC PKG_CONFIG
# Everything it writes is under WORK_DIR (in the build tree).
set -eu
build=$1 example=$2 work=$3 cmake=$4 cc=$5 pkgconfig=$6
prefix=$work/prefix
fail() { echo "sdk: FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" || fail "install (see $work/install.log)"
for f in lib/libelfmod.a bin/elfmod include/elfmod.h lib/cmake/elfmod/elfmodConfig.cmake \
	 lib/cmake/elfmod/elfmod_module.cmake lib/pkgconfig/elfmod.pc; do
	[ -f "$prefix/$f" ] || fail "$f not installed"
done
[ ! -e "$prefix/include/internal.h" ] || fail "an internal header was installed"
elfmod=$prefix/bin/elfmod

# The example, out of tree, against the prefix only.
ex=$work/example
"$cmake" -S "$example" -B "$ex" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix" \
	>"$work/example-config.log" 2>&1 || { cat "$work/example-config.log"; fail "configuring the example"; }
"$cmake" --build "$ex" >"$work/example-build.log" 2>&1 || { cat "$work/example-build.log"; fail "building the example"; }
for f in greet.o greet_shared.so scale.o packed.emod greet.checked greet_shared.checked packed.checked; do
	[ -f "$ex/$f" ] || fail "the example did not produce $f"
done
# The relocatable module is one object made of two (ld -r), with the flags it was given.
file_type=$(od -An -tx1 -j16 -N2 "$ex/greet.o" | tr -d ' ')
[ "$file_type" = 0100 ] || fail "greet.o is not ET_REL (e_type $file_type)"
syms=$(nm "$ex/greet.o")
for s in 'T greet' 'T words_total' 'U host_scale' 'U puts'; do
	echo "$syms" | grep -q " $s\$" || fail "greet.o (greet.c + words.c) has no '$s'"
done
[ "$(od -An -c -N4 "$ex/packed.emod" | tr -d ' ')" = EMOD ] || fail "packed.emod is not a packed module"

# The installed CLI runs both module kinds; the example's firmware loads them.
for m in greet.o greet_shared.so; do
	out=$("$elfmod" run --dep "$ex/scale.o" "$ex/$m") || fail "elfmod run $m exited $?"
	[ "$out" = "sdk module: hello" ] || fail "elfmod run $m printed '$out'"
	out=$("$ex/host" "$ex/$m") || fail "host $m exited $?"
	[ "$out" = "sdk module: hello
host: greet returned 28" ] || fail "host $m printed '$out'"
done

# A module importing what the firmware does not export fails its build, naming it.
bad=$work/broken
"$cmake" -S "$example" -B "$bad" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix" \
	-DSDK_EXAMPLE_BROKEN=ON >"$work/broken-config.log" 2>&1 || fail "configuring the broken example"
if "$cmake" --build "$bad" --target broken >"$work/broken-build.log" 2>&1; then
	fail "a module with an unexported import built"
fi
grep -q firmware_secret "$work/broken-build.log" || { cat "$work/broken-build.log"; fail "the failed check does not name firmware_secret"; }
[ ! -e "$bad/broken.checked" ] || fail "a failed check left its stamp"

# pkg-config: the same firmware built by hand from the installed .pc.
flags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig "$pkgconfig" --cflags --libs elfmod) || fail "pkg-config elfmod"
# shellcheck disable=SC2086
"$cc" -std=c11 -O2 -Wall -Werror -o "$work/pc_host" "$example/host.c" $flags || fail "pkg-config build: $cc ... $flags"
out=$("$work/pc_host" "$ex/greet.o") || fail "pc_host exited $?"
[ "$out" = "sdk module: hello
host: greet returned 28" ] || fail "pc_host printed '$out'"
echo "sdk: ok"
