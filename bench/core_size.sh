#!/bin/sh
# core_size.sh SRCDIR OUT: code size of the elfmod core and of the tiny loader for
# Cortex-M4 (Thumb-2, -Os), from arm-none-eabi-size.
#
# The core is measured as a firmware carries it: every core source compiled with
# -ffunction-sections -fdata-sections and linked with bench/fw_stub.c (a firmware that
# loads an ET_REL module from an arena, looks a symbol up and unloads it) with
# --gc-sections. Its size is text + rodata + data of that image minus the stub's own
# functions. One line "KEY BYTES" per configuration goes to OUT; OUT.txt gets the
# breakdown (bytes per source file and the largest functions) of each.
# Without arm-none-eabi-gcc, OUT says "unavailable" and the exit status is 0: the table
# then shows the sizes as not measured.
set -eu
src=$1 out=$2
# Hexadecimal to decimal in any awk (mawk has no strtonum).
HEX='function hex(s,  i, v) { s = tolower(s); sub(/^0x/, "", s); v = 0
	for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v }'

work=${TMPDIR:-/tmp}/elfmod_core_size.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
: >"$out"
: >"$out.txt"

if ! command -v arm-none-eabi-gcc >/dev/null 2>&1; then
	echo "unavailable 0" >"$out"
	echo "core_size.sh: arm-none-eabi-gcc not found (Debian: gcc-arm-none-eabi)" >&2
	exit 0
fi
CC="arm-none-eabi-gcc -std=c11 -mcpu=cortex-m4 -mthumb -Os -ffreestanding \
 -ffunction-sections -fdata-sections -I$src/include -I$src/src"

# measure KEY DEFINES...: one configuration.
measure() {
	key=$1
	shift
	dir=$work/$key
	mkdir -p "$dir"
	objs=""
	for f in "$src"/src/*.c "$src"/src/arch/*.c "$src"/src/port/arena.c "$src"/src/port/cache.c; do
		o=$dir/$(basename "$(dirname "$f")")_$(basename "$f" .c).o
		# shellcheck disable=SC2086
		$CC "$@" -c "$f" -o "$o"
		objs="$objs $o"
	done
	$CC "$@" -c "$src/bench/fw_stub.c" -o "$dir/stub.o"
	# shellcheck disable=SC2086
	arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -nostdlib -Wl,--gc-sections -Wl,-e,fw_entry \
		-Wl,-Map,"$dir/fw.map" -o "$dir/fw.elf" "$dir/stub.o" $objs -lgcc
	total=$(arm-none-eabi-size -A "$dir/fw.elf" |
		awk '$1 ~ /^\.(text|rodata|data)/ { s += $2 } END { print s + 0 }')
	stub=$(arm-none-eabi-nm -S "$dir/fw.elf" |
		awk "$HEX"'
		$4 ~ /^(memcpy|memmove|memset|memcmp|fw_entry|fw_service)$/ { s += hex($2) }
		     END { print s + 0 }')
	bytes=$((total - stub))
	echo "$key $bytes" >>"$out"
	{
		echo "== $key ($*): $bytes bytes (text + rodata + data, stub excluded)"
		echo "-- by source file (input sections kept by the linker):"
		awk "$HEX"'
		     /^Linker script and memory map/ { on = 1; next }
		     !on { next }
		     /^ \.(text|rodata|data)/ {
			if (NF >= 4) { sz = $3; f = $4 } else { getline; sz = $2; f = $3 }
			n = split(f, p, "/"); f = p[n]
			if (f != "stub.o" && f ~ /\.o$/) s[f] += hex(sz)
		     }
		     END { for (f in s) printf "   %6d  %s\n", s[f], f }' "$dir/fw.map" | sort -rn
		echo "-- largest functions and objects:"
		arm-none-eabi-nm --size-sort -S -r "$dir/fw.elf" | awk '$3 ~ /^[tTrRdD]$/' | head -25 |
			awk "$HEX"'{ printf "   %6d  %s %s\n", hex($2), $3, $4 }'
		echo
	} >>"$out.txt"
}

measure core_default
measure core_host_arch_only -DELFMOD_CFG_HOST_ARCH_ONLY=1
measure core_no_names -DELFMOD_CFG_HOST_ARCH_ONLY=1 -DELFMOD_CFG_RELOC_NAMES=0
measure core_min -DELFMOD_CFG_HOST_ARCH_ONLY=1 -DELFMOD_CFG_RELOC_NAMES=0 -DELFMOD_CFG_INTEGRITY=0
measure core_rel_only -DELFMOD_CFG_HOST_ARCH_ONLY=1 -DELFMOD_CFG_RELOC_NAMES=0 -DELFMOD_CFG_INTEGRITY=0 \
	-DELFMOD_CFG_DYNAMIC=0

arm-none-eabi-gcc -std=c11 -mcpu=cortex-m4 -mthumb -Os -ffreestanding -I"$src/include" \
	-c "$src/src/tiny/elfmod_tiny.c" -o "$work/tiny.o"
tiny=$(arm-none-eabi-size -A "$work/tiny.o" | awk '$1 ~ /^\.text/ { s += $2 } END { print s + 0 }')
echo "tiny $tiny" >>"$out"
{
	echo "== tiny loader: $tiny bytes of code"
	arm-none-eabi-nm --size-sort -S -r "$work/tiny.o" |
		awk "$HEX"'NF == 4 { printf "   %6d  %s %s\n", hex($2), $3, $4 }'
} >>"$out.txt"
