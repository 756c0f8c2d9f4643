#!/bin/sh
# Every ELF a tool writes passes `readelf -a -W` without a word on stderr, and elfmod
# reads it back: link (plain and --xip), sign, split (both files), reset-prep, the
# firmware an `exports` table is compiled into. And a tool refuses what it does not
# understand with a message and no output file.
#   run.sh ELFMOD CC WORKDIR
set -u
elfmod=$1 cc=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=1; }

clean() { # FILE: readelf has nothing to say on stderr, elfmod inspect reads it
	out=$(readelf -a -W "$1" 2>&1 >/dev/null)
	[ -z "$out" ] || bad "readelf on $1: $out"
	"$elfmod" inspect "$1" >/dev/null 2>inspect.err || bad "elfmod inspect $1: $(cat inspect.err)"
}

cat > mod.c <<'C'
int counter = 3;
static const char text[] = "module";
extern int puts(const char *);
int mod_main(void) { puts(text); return ++counter; }
C
cat > app.c <<'C'
volatile int setting = 1;
int state;
int main(void) { return setting + state; }
C
$cc -c -O2 -fno-pic -mcmodel=large -o mod.o mod.c || exit 1
$cc -O2 -static -o app app.c || exit 1

"$elfmod" link mod.o --base 0x400000 --defsym puts=0x500000 -o link.elf >/dev/null || bad "link"
clean link.elf
"$elfmod" link mod.o --xip 0x10000000 --base 0x20000000 --defsym puts=0x10500000 -o xip.elf >/dev/null ||
	bad "link --xip"
clean xip.elf

"$elfmod" keygen key >/dev/null || bad "keygen"
"$elfmod" sign --key key.key mod.o -o mod.signed.o >/dev/null || bad "sign"
clean mod.signed.o
"$elfmod" verify --key key.pub mod.signed.o >/dev/null || bad "verify of a signed file"

"$elfmod" split app --image app.img --symbols app.syms >/dev/null || bad "split"
clean app.img
clean app.syms
"$elfmod" reset-prep app -o app.reset >/dev/null || bad "reset-prep"
clean app.reset
./app.reset; [ $? = 1 ] || bad "the image prepared for reset no longer runs as before"

# Inputs a tool does not understand: a message, exit non-zero, nothing written.
printf 'not an ELF file at all' > junk
for t in "link junk --base 0x1000 -o out1" "sign --key key.key junk -o out2" "split junk --image out3 --symbols out4" \
	 "reset-prep junk -o out5" "exports junk -o out6.c"; do
	# shellcheck disable=SC2086
	"$elfmod" $t >/dev/null 2>err.txt && bad "elfmod $t accepted junk"
	[ -s err.txt ] || bad "elfmod $t: no message"
done
ls out* >/dev/null 2>&1 && bad "a refused input left an output file: $(ls out*)"
"$elfmod" sign --key key.key mod.signed.o -o out7 >/dev/null 2>&1 && bad "signing a signed file twice"
"$elfmod" split mod.o --image out8 --symbols out9 >/dev/null 2>&1 && bad "split of a relocatable object"
ls out* >/dev/null 2>&1 && bad "a refused input left an output file: $(ls out*)"

[ $fail = 0 ] && echo "tool outputs: all clean"
exit $fail
