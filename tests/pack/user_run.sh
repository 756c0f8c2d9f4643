#!/bin/sh
# user_run.sh TRIPLE QEMU ELFMOD SRCDIR OUTDIR DIGEST [local]: builds mod_basic with
# TRIPLE-gcc -fPIC, packs it with ELFMOD, builds tiny_run (the tiny loader in a static
# Linux program) for TRIPLE and runs it under QEMU (qemu-user): the digest of its 20 calls
# and its host calls must be those of every other target. With `local` also mod_local
# (static data reached through 64 KiB GOT pages on MIPS), with its known results.
set -eu
triple=$1 qemu=$2 elfmod=$3 src=$4 out=$5 digest=$6 local=${7:-}
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
if [ "$local" = local ]; then
	"$triple-gcc" -O2 -fPIC -c -o "$out/mod_local.o" "$src/tests/pack/mod_local.c"
	"$elfmod" pack "$out/mod_local.o" -o "$out/mod_local.emod"
	got=$(timeout 60 "$qemu" "$out/tiny_run" "$out/mod_local.emod" local)
	printf '%s\n' "$got"
	printf '%s\n' "$got" | grep -qx "mod_local: 111 1116 3115 6111 10116" || { echo "FAIL: mod_local"; exit 1; }
	printf '%s\n' "$got" | grep -q "^mod_local: alignment 65536," || { echo "FAIL: mod_local alignment"; exit 1; }
fi
echo PASS
