/* A shared object: built -fPIC -shared, loaded as one image (code and data together)
 * into the text arena, its dynamic relocations applied by elfmod:
 *   R_ARM_RELATIVE   pointers in its own data (messages[], ops[0])
 *   R_ARM_ABS32      a pointer in its data to a firmware function (ops[1])
 *   R_ARM_GLOB_DAT   GOT entries: so_ctor_ran (its own preemptible data), the address of
 *                    fw_twice taken in code and, on ARMv6-M, every imported call
 *   R_ARM_JUMP_SLOT  PLT calls to the firmware (ARMv7-M only: ld has no Thumb-1 PLT,
 *                    so the M0 build uses -mlong-calls and calls through the GOT)
 * It has .data, .bss, a constructor and a destructor (init_array/fini_array), and its
 * dynamic symbols serve the firmware (elfmod_sym) and other modules (souser.o). */
#include "fw_api.h"

int so_apply(unsigned i, int x);
const char *so_message(unsigned i);
int so_calls(void);
int (*so_fw_twice(void))(int);

int so_ctor_ran;                       /* .bss, written by the constructor */
int so_base = 100;                     /* .data, also imported by souser.o */
static int calls;                      /* .bss */

static const char first[] = "so: first message\n";
static const char *const messages[] = { first, "so: second message\n" };

static int add_base(int x)
{
	return x + so_base;
}

static int (*const ops[])(int) = { add_base, fw_twice };

static void on_event(int v)
{
	calls += v;
}

__attribute__((constructor)) static void so_ctor(void)
{
	so_ctor_ran = 0x50c7;
	fw_register_callback(on_event);
}

/* The firmware sees the destructor ran: its callback is cleared at unload. */
__attribute__((destructor)) static void so_dtor(void)
{
	fw_register_callback(0);
}

int so_apply(unsigned i, int x)
{
	calls++;
	return ops[i & 1](x);
}

const char *so_message(unsigned i)
{
	fw_print(messages[i & 1]);
	return messages[i & 1];
}

int so_calls(void)
{
	return calls;
}

/* The firmware's fw_twice as this module sees it: an address loaded from the GOT. */
int (*so_fw_twice(void))(int)
{
	return fw_twice;
}
