#!/bin/sh
# run_packed.sh EXPECTED PACKER OBJ RUNNER... [-- ARGS...]
#
# Packs OBJ with the host's `PACKER pack` into OBJ's name with .emod, then runs
# `RUNNER... run OBJ.emod [-- ARGS]` (the tiny loader inside `elfmod run`): its output
# must be EXPECTED's, less the lines elfmod itself prints (--trace's "elfmod: ..."),
# which a packed module has no loader to print.
set -u
if [ $# -lt 4 ]; then
	echo "usage: $0 EXPECTED PACKER OBJ RUNNER... [-- ARGS...]" >&2
	exit 2
fi
expected=$1 packer=$2 obj=$3
shift 3
emod=${obj%.o}.emod
"$packer" pack "$obj" -o "$emod" || { echo "FAIL: $packer pack $obj"; exit 1; }
# RUNNER words up to "--", then the module's arguments.
n=0
for a; do
	[ "$a" = -- ] && break
	n=$((n + 1))
done
runner=
i=0
for a; do
	[ $i -ge $n ] && break
	runner="$runner $(printf '%s' "$a" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
	i=$((i + 1))
done
shift $n
want=${emod}.expected
case $expected in
*.re) cp "$expected" "$want.re"; want=$want.re ;;
*) grep -v '^elfmod: ' "$expected" > "$want" ;;
esac
eval "set -- $runner run \"\$emod\" \"\$@\""
exec sh "$(dirname "$0")/run_module.sh" "$want" "$@"
