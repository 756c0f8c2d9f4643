/* The execute-in-place image: linked with `elfmod link --xip` for its address inside the
 * modules partition, so its code and constants (the function table included) run from
 * flash where they are stored; only .data (the generator's seed) and .bss (the call
 * count, the services pointer) go to the RAM the firmware reserves for it. */
#include <stdint.h>

#include "fw_api.h"

const struct xip_fn *xip_start(const struct fw_services *svc);

static const struct fw_services *services;
static int calls;
static unsigned seed = 12345;

static int fib(int n)
{
	int a = 0, b = 1;

	calls++;
	for (int i = 0; i < n; i++) {
		int t = a + b;
		a = b;
		b = t;
	}
	return a;
}

/* A linear congruential generator: its state survives between calls, in RAM. */
static int rnd(void)
{
	calls++;
	seed = seed * 1103515245u + 12345u;
	return (int)((seed >> 16) & 0x7fff);
}

static int count(void)
{
	return calls;
}

static int where(void)
{
	services->print("xipmath: running from flash at ");
	services->print_hex((unsigned)(uintptr_t)&where);
	services->print("\n");
	return (int)(uintptr_t)&where;
}

static const struct xip_fn table[] = {
	{ "fib", (xip_any_fn)fib },
	{ "rand", (xip_any_fn)rnd },
	{ "calls", (xip_any_fn)count },
	{ "where", (xip_any_fn)where },
	{ 0, 0 },
};

const struct xip_fn *xip_start(const struct fw_services *svc)
{
	services = svc;
	return table;
}
