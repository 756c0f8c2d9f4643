/* The application module: imports from the firmware and from lib.o, keeps state in
 * .data and .bss, runs a constructor, gives the firmware a callback, dispatches through
 * a switch jump table (label differences: ADD32/SUB32) and a function-pointer table
 * (R_RISCV_32), and has short loops the assembler compresses (RVC_BRANCH, RVC_JUMP).
 * Built twice, with and without linker relaxation; loaded from the "SD card" and
 * from flash. */
#include <stdint.h>

#include "fw_api.h"

extern int lib_scale(int x);
extern int lib_calls(void);
extern uint64_t lib_div64(uint64_t a, uint32_t b);
extern const char lib_name[];
extern int lib_bias;

int app_start(void);
int app_apply(unsigned i, int x);
int app_counter(void);
int app_select(int op, int x);
int app_count(const char *s, char c);
uint64_t app_avg64(const uint64_t *v, unsigned n);
int app_tail(int x);
int app_fw_tail(int x);
int app_lib_calls(void);

static int counter;                    /* .sbss */
int app_seed = 1234;                   /* .sdata */
int app_ctor_ran;
static int history[16];                /* .bss */
static const char greeting[] = "app: hello from a loaded module\n";

static int dbl(int x)
{
	return 2 * x + app_seed;
}

static int neg(int x)
{
	return -x;
}

/* Absolute addresses of local functions, an import and a firmware function. */
static int (*const ops[])(int) = { dbl, neg, lib_scale, fw_twice };

static void on_event(int v)
{
	history[counter & 15] = v;
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

/* Dense and varied enough for GCC to emit a jump table even at -Os. */
int app_select(int op, int x)
{
	switch (op) {
	case 0:
		return lib_scale(x);
	case 1:
		return x * 7 + app_seed;
	case 2:
		return fw_twice(x) - 1;
	case 3:
		return history[x & 15];
	case 4:
		return x >> 3;
	case 5:
		return lib_bias * x;
	case 6:
		return (int)lib_div64((uint64_t)x << 20, 3);
	case 7:
		return x ^ 0x5a5a;
	default:
		return -1;
	}
}

int app_count(const char *s, char c)
{
	int n = 0;

	while (*s) {
		if (*s == c)
			n++;
		s++;
	}
	return n;
}

uint64_t app_avg64(const uint64_t *v, unsigned n)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < n; i++)
		sum += v[i];
	return n ? sum / n : 0;
}

/* Tail calls (the `tail` pseudo-instruction: CALL_PLT with rd = x0). */
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
