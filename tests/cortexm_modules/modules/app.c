/* The application module: imports from the firmware and from lib.o, keeps state in
 * .data and .bss, calls through a table of function pointers, runs a constructor and
 * gives the firmware a callback. Loaded from the "SD card" (semihosting) and again
 * from flash. */
#include "fw_api.h"

extern int lib_scale(int x);
extern int lib_calls(void);
extern const char lib_name[];
extern int lib_bias;

int app_start(void);
int app_apply(unsigned i, int x);
int app_counter(void);
int app_div(int a, int b);
int app_tail(int x);
int app_fw_tail(int x);
int app_lib_calls(void);

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

/* Pointers to local functions and to an import: R_ARM_ABS32 with Thumb bits. */
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

/* On ARMv6-M this imports __aeabi_idiv from the firmware (no divide instruction). */
int app_div(int a, int b)
{
	return a / b;
}

/* Tail calls: R_ARM_THM_JUMP24 on ARMv7-M, to another module and to the firmware
 * (which lies ~512 MiB away, beyond any Thumb branch: through a loader stub). */
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
