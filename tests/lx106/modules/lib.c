/* The base module: loaded first, from flash. Others import from it. Built without
 * -mlongcalls: it calls nothing outside itself, so every call is a CALL0 within the
 * module and every address (its .data, .bss, .rodata, the switch table) comes from its
 * literal pool through L32R (.literal, which the loader must place below .text). */
#include "elfmod.h"

/* Only these are offered to other modules. */
ELFMOD_MODULE_EXPORT(lib_scale);
ELFMOD_MODULE_EXPORT(lib_calls);
ELFMOD_MODULE_EXPORT(lib_name);
ELFMOD_MODULE_EXPORT(lib_bias);
ELFMOD_MODULE_EXPORT(lib_classify);

int lib_scale(int x);
int lib_calls(void);
int lib_classify(unsigned x);
int lib_private(void);

static int calls;                      /* .bss */
int lib_bias = 7;                      /* .data */
const char lib_name[] = "lib: v1";     /* .rodata */
static const short table[8] = { 3, -1, 4, -1, 5, -9, 2, -6 };

/* Not inlined, so lib_scale reaches it with a CALL0 inside the module. */
static __attribute__((noinline)) int lookup(int x)
{
	return table[x & 7];
}

int lib_scale(int x)
{
	calls++;
	return x * 3 + lib_bias + lookup(x);
}

int lib_calls(void)
{
	return calls;
}

/* Dense enough for a jump table: .rodata words (R_XTENSA_32) pointing into .text. */
int lib_classify(unsigned x)
{
	switch (x) {
	case 0: return 11;
	case 1: return 23;
	case 2: return 35;
	case 3: return 47;
	case 4: return 59 + lib_bias;
	case 5: return 61;
	case 6: return 73 + calls;
	case 7: return 85;
	case 8: return 97;
	default: return -1;
	}
}

/* Global but not marked: no other module may link against it. */
int lib_private(void)
{
	return 1;
}
