#!/bin/sh
# run_sdk_cross.sh BUILD_DIR CROSS_PROJECT WORK_DIR CMAKE
# Installs the build into WORK_DIR/prefix and builds tests/sdk/cross for Cortex-M4,
# RV32 and the ESP8266 through it, then checks each module's relocations and symbols.
set -eu
build=$1 project=$2 work=$3 cmake=$4
prefix=$work/prefix
fail() { echo "sdk_cross: FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" || fail "install"

# configure_build NAME CC CPU_OPTIONS [cmake args]
configure_build() {
	name=$1 cc=$2 cpu=$3
	shift 3
	"$cmake" -S "$project" -B "$work/$name" -DCMAKE_SYSTEM_NAME=Generic -DCMAKE_C_COMPILER="$cc" \
		-DCMAKE_TRY_COMPILE_TARGET_TYPE=STATIC_LIBRARY -DCMAKE_PREFIX_PATH="$prefix" \
		-DSDK_CPU_OPTIONS="$cpu" "$@" >"$work/$name-config.log" 2>&1 \
		|| { cat "$work/$name-config.log"; fail "$name: configure"; }
	"$cmake" --build "$work/$name" >"$work/$name-build.log" 2>&1 \
		|| { cat "$work/$name-build.log"; fail "$name: build"; }
}
relocs() { readelf -rW "$1"; }
# -fno-common: the tentative definition is in .bss, not COMMON.
no_common() {
	readelf -sW "$1" | grep ' mod_counter$' | grep -qv ' COM ' || fail "$1: mod_counter is COMMON (no -fno-common)"
}
has_both() {
	nm "$1" | grep -q ' T mod_other$' && nm "$1" | grep -q ' T mod_fn$' || fail "$1: not both sources"
}

configure_build arm arm-none-eabi-gcc "-mcpu=cortex-m4 -mthumb" -DSDK_ARM=ON
d=$work/arm
has_both "$d/calls.o"
no_common "$d/calls.o"
relocs "$d/calls.o" | grep -q 'R_ARM_THM_CALL.* fw_fn' || fail "arm: near calls are not BL (R_ARM_THM_CALL)"
relocs "$d/calls_far.o" | grep -q 'R_ARM_THM_CALL.* fw_fn' && fail "arm LONG_CALLS: fw_fn still called with BL"
relocs "$d/calls_far.o" | grep -q 'R_ARM_ABS32.* fw_fn' || fail "arm LONG_CALLS: no address literal for fw_fn (-mlong-calls)"
relocs "$d/calls_packed.o" | grep -q ' mod_counter$' || fail "arm packed: no relocation for mod_counter to check"
relocs "$d/calls_packed.o" | grep -q 'R_ARM_THM_MOV' && fail "arm packed: MOVW/MOVT relocations (-mword-relocations)"
[ "$(od -An -c -N4 "$d/calls_packed.emod" | tr -d ' ')" = EMOD ] || fail "arm packed: no packed module"

configure_build rv32 riscv64-unknown-elf-gcc "-march=rv32imac -mabi=ilp32"
d=$work/rv32
has_both "$d/calls.o"
no_common "$d/calls.o"
relocs "$d/calls.o" | grep -q 'R_RISCV_CALL' || fail "rv32: no call relocation to check"
relocs "$d/calls.o" | grep -q 'R_RISCV_RELAX' && fail "rv32: R_RISCV_RELAX present (-mno-relax)"

configure_build lx106 xtensa-lx106-elf-gcc ""
d=$work/lx106
has_both "$d/calls.o"
no_common "$d/calls.o"
relocs "$d/calls.o" | grep -q 'R_XTENSA_ASM_EXPAND.* fw_fn' || fail "lx106: fw_fn not called through a literal (-mlongcalls)"

for a in arm rv32 lx106; do
	"$prefix/bin/elfmod" inspect "$work/$a/calls.o" >"$work/$a/inspect.txt" || fail "$a: elfmod inspect refused calls.o"
done
echo "sdk_cross: ok"
