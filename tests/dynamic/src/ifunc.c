/* GNU indirect functions in a -nostdlib shared object (IRELATIVE), which elfmod runs
 * only when it loads for the architecture it runs on - as every test here does. Three
 * ways to reach one: a local call (IRELATIVE in the GOT), an address in data
 * (IRELATIVE in .data), and an exported ifunc called through the PLT (a JUMP_SLOT
 * against an STT_GNU_IFUNC symbol: the loader must call the resolver, not jump to it). */
#include "dyn.h"

static int resolved;

static int slow(int v) { return v + 1000; }
static int fast(int v) { return v + 2; }

static int (*pick(void))(int)
{
	resolved++;
	return fast;
}

static int local_twice(int v) __attribute__((ifunc("pick")));
int dyn_exported(int v) __attribute__((ifunc("pick")));

int (*ifunc_ptr)(int) = local_twice;

int main(void)
{
	int a = local_twice(10), b = dyn_exported(20), c = ifunc_ptr(30), bad;

	bad = a != 12 || b != 22 || c != 32 || !resolved || slow(0) != 1000;
	say("ifunc: local %d, exported %d, through data %d, resolver %s\n", a, b, c,
	    resolved ? "called" : "NEVER CALLED");
	say("ifunc: %s\n", bad ? "FAILED" : "ok");
	return bad;
}
