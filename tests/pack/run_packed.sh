#!/bin/sh
# `elfmod run` of a packed module: the same output and exit status as the .o it was
# packed from.
#   run_packed.sh ELFMOD mod_main.o WORKDIR
set -u
elfmod=$1 obj=$2 work=$3
mkdir -p "$work" || exit 1
"$elfmod" pack "$obj" -o "$work/mod_main.emod" >/dev/null || { echo "FAIL: pack"; exit 1; }
"$elfmod" run "$obj" -- world > "$work/elf.out"; elf=$?
"$elfmod" run "$work/mod_main.emod" -- world > "$work/emod.out"; emod=$?
[ "$elf" = 42 ] || { echo "FAIL: the .o exited $elf, not 42"; exit 1; }
[ "$emod" = "$elf" ] || { echo "FAIL: the packed module exited $emod, the .o $elf"; exit 1; }
cmp -s "$work/elf.out" "$work/emod.out" || { echo "FAIL: outputs differ"; diff "$work/elf.out" "$work/emod.out"; exit 1; }
grep -qx 'world' "$work/emod.out" || { echo "FAIL: no argument in the output"; exit 1; }
tail -n 1 "$work/emod.out" | grep -qx 'packed goodbye' || { echo "FAIL: the destructor did not run last"; exit 1; }
# A damaged one is refused before it runs, with the loader's reason.
cp "$work/mod_main.emod" "$work/bad.emod" && printf 'X' | dd of="$work/bad.emod" bs=1 seek=70 conv=notrunc 2>/dev/null
"$elfmod" run "$work/bad.emod" > "$work/bad.out" 2>&1; bad=$?
[ "$bad" = 125 ] && grep -q 'checksum mismatch' "$work/bad.out" || { echo "FAIL: damaged module: $bad $(cat "$work/bad.out")"; exit 1; }
echo "run packed: same output and status ($emod) as the ELF module"
