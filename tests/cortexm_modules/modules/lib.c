/* The base module: loaded first, from the firmware's flash partition. Others import
 * from it. Built with -funwind-tables, so it carries .ARM.exidx (R_ARM_PREL31). */
#include "elfmod.h"

/* Only these are offered to other modules. */
ELFMOD_MODULE_EXPORT(lib_scale);
ELFMOD_MODULE_EXPORT(lib_calls);
ELFMOD_MODULE_EXPORT(lib_name);
ELFMOD_MODULE_EXPORT(lib_bias);

int lib_scale(int x);
int lib_calls(void);
int lib_private(void);

static int calls;                      /* .bss */
int lib_bias = 7;                      /* .data */
const char lib_name[] = "lib: v1";     /* .rodata */
static const short table[8] = { 3, -1, 4, -1, 5, -9, 2, -6 };

int lib_scale(int x)
{
	calls++;
	return x * 3 + lib_bias + table[x & 7];
}

int lib_calls(void)
{
	return calls;
}

/* Global but not marked: no other module may link against it. */
int lib_private(void)
{
	return 1;
}
