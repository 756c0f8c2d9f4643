/* The application module, built with -mlongcalls: every call outside the module is an
 * L32R of the target's address plus CALLX0 (R_XTENSA_ASM_EXPAND marks them), so it
 * reaches the host's code and lib.o's wherever they are. Keeps state in .data and
 * .bss, calls through a table of function pointers, runs a constructor, gives the
 * host a callback, and divides (lx106 has no divide instruction: __divsi3 and friends
 * come from the host, whose libgcc lacks them). */
#include <stdint.h>

#include "fw_api.h"

extern int lib_scale(int x);
extern int lib_calls(void);
extern int lib_classify(unsigned x);
extern const char lib_name[];
extern int lib_bias;

int app_start(void);
int app_apply(unsigned i, int x);
int app_counter(void);
int app_div(int a, int b);
unsigned app_udiv(unsigned a, unsigned b);
unsigned app_umod(unsigned a, unsigned b);
int64_t app_mul64(int64_t a, int64_t b);
int app_tail(int x);
int app_fw_tail(int x);
int app_lib_calls(void);
int app_classify_sum(void);

static int counter;                    /* .bss */
int app_seed = 1234;                   /* .data */
int app_ctor_ran;                      /* set by the constructor */
static const char greeting[] = "app: hello from a loaded module\n";

static int dbl(int x)
{
	return 2 * x + app_seed;
}

static int neg(int x)
{
	return -x;
}

/* Pointers to local functions and to imports: R_XTENSA_32 in .rodata. */
static int (*const ops[])(int) = { dbl, neg, lib_scale, fw_twice };

static void on_event(int v)
{
	counter += v;
}

__attribute__((constructor)) static void app_ctor(void)
{
	app_ctor_ran = 0xc0de;
}

int app_start(void)
{
	fw_print(greeting);
	fw_print(lib_name);
	fw_print("\n");
	fw_register_callback(on_event);
	return app_ctor_ran;
}

int app_apply(unsigned i, int x)
{
	if (i >= sizeof(ops) / sizeof(ops[0]))
		return -1;
	return ops[i](x);
}

int app_counter(void)
{
	return counter + lib_bias;
}

int app_div(int a, int b)
{
	return a / b;
}

unsigned app_udiv(unsigned a, unsigned b)
{
	return a / b;
}

unsigned app_umod(unsigned a, unsigned b)
{
	return a % b;
}

int64_t app_mul64(int64_t a, int64_t b)
{
	return a * b;
}

/* Tail calls into another module and into the host. */
int app_tail(int x)
{
	return lib_scale(x + 1);
}

int app_fw_tail(int x)
{
	return fw_twice(x + 1);
}

int app_lib_calls(void)
{
	return lib_calls();
}

/* Runs lib.o's jump table for every case. */
int app_classify_sum(void)
{
	int sum = 0;

	for (unsigned i = 0; i < 10; i++)
		sum += lib_classify(i);
	return sum;
}
