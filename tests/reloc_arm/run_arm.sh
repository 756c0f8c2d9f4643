#!/bin/sh
# Builds run_arm.c with the armhf cross compiler (static, with the ARM engine as the
# armhf build configures it) and runs it under qemu-arm.
#   run_arm.sh PROJECT_SOURCE_DIR WORKDIR
set -eu
src=$1 work=$2
mkdir -p "$work"
arm-linux-gnueabihf-gcc -std=c11 -O2 -static -Wall -Wextra -Werror \
	-I "$src/include" -I "$src/src" -I "$src/tests/common" \
	-o "$work/run_arm" "$src/tests/reloc_arm/run_arm.c" "$src/src/arch/arm.c" "$src/src/error.c"
exec qemu-arm "$work/run_arm"
