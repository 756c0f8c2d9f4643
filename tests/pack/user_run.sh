#!/bin/sh
# user_run.sh TRIPLE QEMU ELFMOD SRCDIR OUTDIR DIGEST: builds mod_basic with TRIPLE-gcc
# -fPIC, packs it with ELFMOD, builds tiny_run (the tiny loader in a static Linux
# program) for TRIPLE and runs it under QEMU (qemu-user): the digest of its 20 calls and
# its host calls must be those of every other target.
set -eu
triple=$1 qemu=$2 elfmod=$3 src=$4 out=$5 digest=$6
mkdir -p "$out"
"$triple-gcc" -O2 -fPIC -c -o "$out/mod_basic.o" "$src/tests/pack/mod_basic.c"
"$elfmod" pack "$out/mod_basic.o" -o "$out/mod_basic.emod"
"$triple-gcc" -static -O2 -std=c11 -Wall -Wextra -Werror -I"$src/include" -o "$out/tiny_run" \
	"$src/tests/pack/tiny_run.c" "$src/src/tiny/elfmod_tiny.c"
got=$(timeout 60 "$qemu" "$out/tiny_run" "$out/mod_basic.emod")
printf '%s\n' "$got"
printf '%s\n' "$got" | grep -qx "mod_basic: 20 calls, digest $digest" || { echo "FAIL: digest"; exit 1; }
printf '%s\n' "$got" | grep -q "^mod_basic: notes alpha,beta,gamma,alpha,beta,gamma,alpha," ||
	{ echo "FAIL: host calls"; exit 1; }
echo PASS
