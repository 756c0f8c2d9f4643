#!/bin/sh
# split_tool.sh ELFMOD APP.elf APP.o SPLIT_TEST WORKDIR [STRIP]
# (APP.elf: tests/split/app.c built for the host or for Cortex-M)
# `elfmod split` end to end on the host side: both outputs pass readelf without a word on
# stderr (the debug dump included), the image keeps its program headers and segment
# bytes and nothing else, the symbols file keeps every symbol at its address with its
# section index, debug information a debugger reads (addr2line) and the binding note;
# elfmod reads both back. Inputs it does not understand are refused with a message,
# exit 1 and no output file. STRIP (default strip) must know APP's machine; readelf
# (binutils) reads every machine.
elfmod=$1 app=$2 obj=$3 helper=$4 dir=$5 strip=${6:-strip} readelf=readelf
rm -rf "$dir"
mkdir -p "$dir" || exit 1
cd "$dir" || exit 1
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

"$elfmod" split "$app" --image img.elf --symbols syms.elf || fail "split exited $?"

# readelf: clean on both, and says what each file is. Its exit status is not looked at
# for the image: readelf 2.40 -u on an ARM file without sections returns 1 having said
# nothing (its ARM unwinder needs a string table), whatever made the file.
for f in img.elf syms.elf; do
	"$readelf" -a -W "$f" >"$f.txt" 2>"$f.err"
	rc=$?
	[ $rc -eq 0 ] || [ "$f" = img.elf ] || fail "readelf -a $f exited $rc"
	if [ -s "$f.err" ]; then
		fail "readelf -a $f printed on stderr:"
		cat "$f.err"
	fi
done
"$readelf" --debug-dump syms.elf >debug.txt 2>debug.err || fail "readelf --debug-dump exited $?"
if [ -s debug.err ]; then
	fail "readelf --debug-dump syms.elf printed on stderr:"
	cat debug.err
fi
grep -q DW_TAG_compile_unit debug.txt || fail "no DWARF compile unit in the symbols file"
grep -q "There are no sections in this file" img.elf.txt || fail "the image still has sections"
grep -q "There are no program headers in this file" syms.elf.txt || fail "the symbols file has program headers"

# The image: same program headers as the original, same bytes in every segment, and no
# symbol name left in it (the strings of its code and data are still there).
"$readelf" -lW "$app" | grep -E '^ +[A-Z_+0-9]+ +0x[0-9a-f]+ 0x' >app.ph
"$readelf" -lW img.elf | grep -E '^ +[A-Z_+0-9]+ +0x[0-9a-f]+ 0x' >img.ph
[ -s app.ph ] || fail "no program header read from $app"
cmp -s app.ph img.ph || fail "program headers differ: $(diff app.ph img.ph)"
"$readelf" -lW "$app" | awk '$1 == "LOAD" { print $2, $5 }' >loads.txt
[ -s loads.txt ] || fail "no PT_LOAD segment read from $app"
while read -r off size; do
	o=$((off)) s=$((size))
	if ! cmp -s -i "$o:$o" -n "$s" "$app" img.elf; then
		# The ELF header's section fields are cleared: compare what follows it.
		[ "$o" -eq 0 ] && cmp -s -i 64:64 -n $((s - 64)) "$app" img.elf && continue
		fail "segment at offset $off differs"
	fi
done <loads.txt
grep -qa "dup_value" img.elf && fail "a symbol name is still in the image"
grep -qa "value of the setting" img.elf || fail "the image lost its rodata"

# The symbols file: the original's symbol table line for line (value, size, type,
# binding, section index, name), and the debugger finds the entry's source line.
"$readelf" -sW "$app" | grep -E '^ +[0-9]+:' >app.syms
"$readelf" -sW syms.elf | grep -E '^ +[0-9]+:' >syms.syms
[ -s app.syms ] || fail "no symbol read from $app"
cmp -s app.syms syms.syms || fail "symbol tables differ: $(diff app.syms syms.syms)"
entry=$("$readelf" -hW "$app" | awk '/Entry point/ { print $4 }')
# A Thumb entry has bit 0 set; the code is at the even address.
"$readelf" -hW "$app" | grep -q "Machine: *ARM" && entry=$(printf '0x%x' $((entry & ~1)))
addr2line -f -e syms.elf "$entry" >a2l.txt 2>&1
{ read -r fn && read -r where; } <a2l.txt
[ "$fn" = entry ] || fail "addr2line names '$fn' at $entry, want entry"
case "$where" in
*app.c:[0-9]*) ;;
*) fail "addr2line gives '$where' for the entry, want app.c:LINE" ;;
esac
"$readelf" -nW syms.elf | grep -q "elfmod" || fail "no elfmod note in the symbols file"

# elfmod reads both back (the loader's half is split_x86_64).
"$elfmod" inspect img.elf >/dev/null || fail "elfmod inspect img.elf exited $?"
"$elfmod" inspect syms.elf >/dev/null || fail "elfmod inspect syms.elf exited $?"

# Refusals: exit 1, the reason on stderr, no output at all.
refuse() {
	msg=$1
	shift
	rm -f r.img r.syms
	"$elfmod" split "$@" --image r.img --symbols r.syms >/dev/null 2>err.txt
	rc=$?
	if [ $rc -ne 1 ] || ! grep -qF -- "$msg" err.txt || [ -e r.img ] || [ -e r.syms ]; then
		fail "split $*: exit $rc (want 1), stderr: $(cat err.txt) (want: $msg)"
	else
		echo "ok: refused $*: $(cat err.txt)"
	fi
}
refuse "is not ET_EXEC" "$obj"
refuse "no symbol table" img.elf
if "$strip" -o stripped.elf "$app"; then
	refuse "no symbol table" stripped.elf
else
	fail "$strip cannot strip $app"
fi
"$helper" --corrupt "$app" corrupt.elf || fail "cannot make corrupt.elf"
refuse "lies in no PT_LOAD segment" corrupt.elf
head -c 200 "$app" >short.elf && refuse "extends past end of file" short.elf
printf 'not an ELF file at all' >junk && refuse "not an ELF file" junk
refuse "cannot read" missing.elf
"$elfmod" split "$app" --image same.elf --symbols same.elf >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e same.elf ] || fail "one file for both outputs: not refused as usage"
"$elfmod" split "$app" --image only.elf >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e only.elf ] || fail "--symbols missing: not refused as usage"

[ $status -eq 0 ] && echo "PASS"
exit $status
