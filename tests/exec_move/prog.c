/* An executable linked with -q (--emit-relocs) at 0x400000 and imports left open
 * (--unresolved-symbols=ignore-all): elfmod moves it elsewhere, resolves printf from
 * its export table, and main checks every kind of reference (code, data, pointers in
 * data, rodata, .bss) after the move. */
extern int printf(const char *, ...);
static int counter = 7;
static int sq(int x) { return x * x; }
int (*ops[])(int) = { sq };
const char *msg = "hello from -q";
int big[100];
int main(int argc, char **argv) {
  big[3] = argc;
  printf("%s: counter=%d sq=%d big=%d arg=%s\n", msg, counter, ops[0](argc), big[3], argv[argc-1]);
  return counter + sq(argc) == 16 ? 0 : 1;
}
