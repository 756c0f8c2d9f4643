#!/bin/sh
# by_index.sh ELFMOD CC SRCDIR OUTDIR mod_basic.o DIGEST: imports named by position in
# the firmware's export table. Builds the host firmware tests/pack/fw_index.c, generates
# its table with `elfmod exports --tiny`, rebuilds it with the table (the set is a fixed
# point), packs mod_basic with `elfmod pack --exports` from the firmware's ELF file and
# from exports.c (the same bytes), runs it (the same digest as packed by hash), and checks
# the refusals: no fingerprint or another one at load, an import the table lacks at pack.
set -u
elfmod=$1 cc=$2 src=$3 out=$4 obj=$5 digest=$6
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$out" || exit 1
cd "$out" || exit 1
printf 'host_*\n' > api.txt
cflags="-std=c11 -O2 -Wall -Wextra -Werror -I$src/include -I$out"
$cc $cflags -DFIRST_PASS -o fw0 "$src/tests/pack/fw_index.c" || fail "first pass"
"$elfmod" exports fw0 --allow api.txt --tiny -o exports.c --header exports.h || fail "exports --tiny"
grep -q 'elfmod_firmware_exports_tiny\[3\]' exports.c || fail "no 3-entry tiny table in exports.c"
$cc $cflags -o fw "$src/tests/pack/fw_index.c" exports.c "$src/src/tiny/elfmod_tiny.c" || fail "second pass"
"$elfmod" exports fw --allow api.txt --tiny -o exports2.c || fail "exports of the rebuilt firmware"
# The same but for the input's name in the first comment line.
[ "$(sed 2d exports.c)" = "$(sed 2d exports2.c)" ] || fail "the set is not a fixed point"

"$elfmod" pack "$obj" --exports fw -o idx.emod || fail "pack --exports fw"
"$elfmod" pack "$obj" --exports exports.c -o idx2.emod || fail "pack --exports exports.c"
cmp -s idx.emod idx2.emod || fail "packed against the ELF file and exports.c differ"
"$elfmod" pack "$obj" -o hash.emod >/dev/null || fail "pack by hash"
# The relocation stream's import groups: kind 3 (by position), none of kind 2 (by hash).
python3 - idx.emod hash.emod <<'PY' || fail "import groups"
import struct, sys
def kinds(path):
    b = open(path, 'rb').read()
    ro, data, rel = struct.unpack_from('<III', b, 24)[0], struct.unpack_from('<I', b, 28)[0], struct.unpack_from('<I', b, 36)[0]
    p, end, out = 64 + ro + data, 64 + ro + data + rel, []
    while p < end:
        head = struct.unpack_from('<I', b, p)[0]
        kind, n = head & 3, head >> 8
        name = struct.unpack_from('<I', b, p + 4)[0] if kind >= 2 else None
        out.append((kind, name))
        p += 4 + (4 if kind >= 2 else 0) + 4 * n
    return out
idx, hsh = kinds(sys.argv[1]), kinds(sys.argv[2])
imp = [k for k in idx if k[0] >= 2]
assert imp and all(k == 3 and n < 3 for k, n in imp), idx
assert all(k != 3 for k, n in hsh) and any(k == 2 for k, n in hsh), hsh
print("import groups: %d by position %s, by hash in the other" % (len(imp), sorted(n for k, n in imp)))
PY
got=$(./fw idx.emod) || fail "fw idx.emod: $got"
printf '%s\n' "$got"
printf '%s\n' "$got" | grep -qx "mod_basic: 20 calls, digest $digest" || fail "digest"
printf '%s\n' "$got" | grep -q "^mod_basic: notes alpha,beta,gamma,alpha," || fail "host calls"
# 9 = ELFMOD_TINY_EABI: by position needs the caller's fingerprint, and the right one.
[ "$(./fw idx.emod nofp)" = "fw_index: refused, error 9" ] || fail "loaded without a fingerprint"
[ "$(./fw idx.emod badfp)" = "fw_index: refused, error 9" ] || fail "loaded with another fingerprint"
# A position past the caller's table (the module edited, its checksum made right): 12 =
# ELFMOD_TINY_EUNDEF, before anything is written.
python3 - idx.emod far.emod <<'PY' || fail "making far.emod"
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
ro, data, rel = struct.unpack_from('<I', b, 24)[0], struct.unpack_from('<I', b, 28)[0], struct.unpack_from('<I', b, 36)[0]
p = 64 + ro + data
while p < 64 + ro + data + rel:
    head = struct.unpack_from('<I', b, p)[0]
    if head & 3 == 3:
        struct.pack_into('<I', b, p + 4, 7)
        break
    p += 4 + (4 if head & 3 >= 2 else 0) + 4 * (head >> 8)
h = 2166136261
for i, c in enumerate(b):
    if not 60 <= i < 64:
        h = ((h ^ c) * 16777619) & 0xffffffff
struct.pack_into('<I', b, 60, h)
open(sys.argv[2], 'wb').write(b)
PY
[ "$(./fw far.emod)" = "fw_index: refused, error 12" ] || fail "loaded with an import position past the table"
# An import the table does not export: refused at pack time, naming it.
printf 'host_add\n' > narrow.txt
"$elfmod" exports fw --allow narrow.txt --tiny -o narrow.c 2>/dev/null || fail "narrow exports"
msg=$("$elfmod" pack "$obj" --exports narrow.c -o bad.emod 2>&1) && fail "packed against a table without host_note"
printf '%s\n' "$msg" | grep -q "imports 'host_note', which narrow.c's table elfmod_firmware_exports does not export" ||
	fail "message: $msg"
[ ! -e bad.emod ] || fail "bad.emod written"
echo "by position: same digest as by hash; refusals ok"
