/* An executable linked at address 0 with -q (--emit-relocs) and
 * --unresolved-symbols=ignore-all: the firmware loads it elsewhere, moving it with the
 * relocations the link kept. Absolute references into it (literal pools, the
 * function-pointer table) must move by the difference; the call to exe_step (a global:
 * the assembler keeps an R_ARM_THM_CALL for it) is PC-relative inside the image and
 * must be left alone; the imports (fw_print, fw_twice) are R_ARM_ABS32 against
 * undefined symbols, resolved from the firmware's export table. Built -mlong-calls:
 * the firmware's code lies in flash, far beyond a Thumb BL from RAM, and an executable
 * has no room for loader-made stubs. */
#include "fw_api.h"

int exe_main(int x);
int exe_step(int x);

static int hits;                       /* .bss */
int exe_scale = 3;                     /* .data */
static const char banner[] = "exe: moved from its link address\n";

static int inc(int x)
{
	return x + 1;
}

static int dec(int x)
{
	return x - 1;
}

static int (*const steps[])(int) = { inc, dec, fw_twice };

__attribute__((noinline)) int exe_step(int x)
{
	return steps[x & 1](x) * exe_scale;
}

/* The entry point (e_entry). */
int exe_main(int x)
{
	fw_print(banner);
	hits++;
	return exe_step(x) + steps[2](x) + hits;
}
