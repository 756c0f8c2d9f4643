/* A module pre-linked with `elfmod link --xip`: its code, constants and pointer table
 * run from the file where it is mapped ("flash"), its .data and .bss from RAM. Its .data
 * is one struct of two ints (8 bytes): the test checks that exactly these are copied. */
int xip_entry(int x);

static int calls;                                       /* .bss */
struct knobs {
	int scale, bias;
};
struct knobs xip_knobs = { 3, 100 };                    /* .data */
static const int primes[8] = { 2, 3, 5, 7, 11, 13, 17, 19 }; /* .rodata */

static int twice(int x)
{
	return 2 * x;
}

static int negate(int x)
{
	return -x;
}

/* .rodata holding absolute addresses of code, relocated at link time. */
static int (*const ops[2])(int) = { twice, negate };

/* primes[x & 7] * scale, doubled for even x and negated for odd, plus the bias and the
 * number of calls so far. */
int xip_entry(int x)
{
	calls++;
	return ops[x & 1](primes[x & 7] * xip_knobs.scale) + xip_knobs.bias + calls;
}
