#!/bin/sh
# run_packed.sh EXPECTED PACKER OBJ EMOD COMMAND...
#
# Packs OBJ into EMOD with the host's `PACKER pack`, then runs COMMAND (a runner's
# `run EMOD [-- ARGS]`, which loads it with the tiny loader): its output must be
# EXPECTED's, less the lines elfmod itself prints (--trace's "elfmod: ..."), which a
# packed module has no loader to print.
set -u
if [ $# -lt 5 ]; then
	echo "usage: $0 EXPECTED PACKER OBJ EMOD COMMAND..." >&2
	exit 2
fi
expected=$1 packer=$2 obj=$3 emod=$4
shift 4
"$packer" pack "$obj" -o "$emod" || { echo "FAIL: $packer pack $obj"; exit 1; }
want=$emod.expected
case $expected in
*.re) want=$want.re && cp "$expected" "$want" ;;
*) grep -v '^elfmod: ' "$expected" > "$want" ;;
esac
exec sh "$(dirname "$0")/run_module.sh" "$want" "$@"
