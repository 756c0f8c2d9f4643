/* A module that exercises what real C code needs from a loader: calls into the host
 * (variadic printf, stdout/stderr, math), callbacks from the host (qsort), function
 * pointers across the boundary, static and global data, string literals, switch
 * jump tables, floating point. Its output is compared byte for byte by the test. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int counter = 5;                    /* .data */
static int calls;                   /* .bss */
int zeroed[256];                    /* .bss */
const char *const words[] = { "zero", "one", "two", "three" };  /* relocated pointers */
static int (*const ops[])(int, int);

static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
static int (*const ops[])(int, int) = { add, mul };

static int cmp_int(const void *a, const void *b)
{
	calls++;
	return *(const int *)a - *(const int *)b;
}

static const char *classify(int v)
{
	/* Dense cases: GCC emits a jump table, relocated like data. */
	switch (v) {
	case 0: return "nothing";
	case 1: return "single";
	case 2: return "pair";
	case 3: return "triple";
	case 4: return "quad";
	case 5: return "five";
	case 6: return "six";
	case 7: return "seven";
	default: return "many";
	}
}

int apply_op(int which, int a, int b);
int apply_op(int which, int a, int b)
{
	return ops[which & 1](a, b);
}

int main(int argc, char **argv)
{
	int v[] = { 42, 7, 19, 3, 88, 1 };
	double x = 2.0;
	char buf[64];

	for (unsigned i = 0; i < sizeof(zeroed) / sizeof(zeroed[0]); i++)
		if (zeroed[i])
			return 10;
	printf("basic: hello from a module, argc=%d, first arg %s\n", argc, argc > 1 ? argv[1] : "-");
	qsort(v, 6, sizeof(v[0]), cmp_int);
	printf("basic: sorted %d %d %d %d %d %d with %s comparisons\n", v[0], v[1], v[2], v[3], v[4],
	       v[5], calls > 0 ? "module" : "no");
	printf("basic: words %s %s, ops %d %d\n", words[1], words[3], apply_op(0, 20, 22), apply_op(1, 6, 7));
	for (int i = 0; i < 10; i += 3)
		printf("basic: %d is %s\n", i, classify(i));
	printf("basic: sqrt(2)=%.6f pow=%.1f\n", sqrt(x), pow(x, 10.0));
	snprintf(buf, sizeof(buf), "%s-%d", "counter", counter++);
	fputs(buf, stdout);
	fputc('\n', stdout);
	fprintf(stderr, "basic: this line goes to stderr\n");
	fflush(stdout);
	return counter == 6 && strlen(buf) == 9 ? 0 : 11;
}
