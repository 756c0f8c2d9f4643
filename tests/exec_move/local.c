/* An executable with calls inside itself (MIPS J/JAL: segment-absolute) and no imports:
 * moved by elfmod; main returns 0 when every reference still holds after the move. */
static int counter = 7;
__attribute__((noinline)) static int sq(int x) { return x * x; }
__attribute__((noinline)) int twice(int x) { return sq(x) * 2; }
int (*ops[])(int) = { sq };
const char *msg = "hello from -q";
int big[100];
int main(int argc, char **argv) {
  big[3] = argc; /* 3: the path, "one", "two" */
  (void)argv;
  return (counter + ops[0](argc) + big[3] + (msg[6] == 'f') + twice(argc)) == 7 + 9 + 3 + 1 + 18 ? 0 : 1;
}
