#!/bin/sh
# check_relocs.sh READELF OBJECT:TYPE[,TYPE...] ...
# Passes when each OBJECT (in the current directory) has relocations of every TYPE
# listed, and none of a TYPE written !TYPE. The firmware test claims to exercise these
# types; this keeps a compiler that stops emitting one from passing it silently.
readelf=$1
shift
status=0
for spec in "$@"; do
	obj=${spec%%:*}
	types=$(printf '%s' "${spec#*:}" | tr ',' ' ')
	if [ ! -f "$obj" ]; then
		echo "FAIL: $obj was not built"
		status=1
		continue
	fi
	have=$("$readelf" -rW "$obj" | awk '$3 ~ /^R_RISCV_/ { print $3 }' | sort -u)
	for t in $types; do
		case $t in
		!*)
			if printf '%s\n' "$have" | grep -qx -- "${t#!}"; then
				echo "FAIL: $obj has ${t#!}"
				status=1
			fi
			;;
		*)
			if ! printf '%s\n' "$have" | grep -qx -- "$t"; then
				echo "FAIL: $obj has no $t"
				status=1
			fi
			;;
		esac
	done
	echo "$obj:" $have
done
[ $status -eq 0 ] && echo "PASS: every module has the relocation types it is meant to exercise"
exit $status
