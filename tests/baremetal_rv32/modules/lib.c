/* The base module, loaded in place from the flash partition; app.o imports from it.
 * Built -mcmodel=medany: its globals are reached with AUIPC pairs (PCREL_HI20 and
 * PCREL_LO12_I/_S). 64-bit division calls libgcc helpers the firmware exports. */
#include <stdint.h>

#include "elfmod.h"

/* Only these are offered to other modules. */
ELFMOD_MODULE_EXPORT(lib_scale);
ELFMOD_MODULE_EXPORT(lib_calls);
ELFMOD_MODULE_EXPORT(lib_name);
ELFMOD_MODULE_EXPORT(lib_bias);
ELFMOD_MODULE_EXPORT(lib_div64);
ELFMOD_MODULE_EXPORT(lib_sdiv64);

int lib_scale(int x);
int lib_calls(void);
uint64_t lib_div64(uint64_t a, uint32_t b);
int64_t lib_sdiv64(int64_t a, int64_t b);
int lib_private(void);

static int calls;                      /* .sbss */
int lib_bias = 7;                      /* .sdata */
const char lib_name[] = "lib: v1";     /* .rodata */
static const short table[8] = { 3, -1, 4, -1, 5, -9, 2, -6 };
static uint64_t last_quotient;         /* written with PCREL_LO12_S */

int lib_scale(int x)
{
	calls++;
	return x * 3 + lib_bias + table[x & 7];
}

int lib_calls(void)
{
	return calls;
}

/* __udivdi3 and __umoddi3 from the firmware; the multiply is inline (M extension). */
uint64_t lib_div64(uint64_t a, uint32_t b)
{
	last_quotient = a / b;
	return last_quotient * 1000u + a % b;
}

/* __divdi3 and __moddi3. */
int64_t lib_sdiv64(int64_t a, int64_t b)
{
	return a / b * 1000 + a % b;
}

/* Global but not marked: no other module may link against it. */
int lib_private(void)
{
	return (int)last_quotient;
}
