/* Built -mcmodel=medlow: globals are reached by absolute address, LUI + ADDI/LW/SW
 * (R_RISCV_HI20, LO12_I, LO12_S). A writable table of function pointers (R_RISCV_32
 * in .data) that the firmware may rewrite. Loaded over semihosting. */
#include "fw_api.h"

int abs_store(int i, int v);
int abs_load(int i);
int abs_call(int i, int x);
void abs_set_op(int i, int (*fn)(int));

static int slots[8];                   /* .bss */
static int last_index;                 /* stored to with LUI + SW (LO12_S) */
static const char hello[] = "abs: absolute addressing\n";
static int plus3(int x)
{
	return x + 3;
}

int (*abs_ops[2])(int) = { plus3, fw_twice };

int abs_store(int i, int v)
{
	if (i == 0)
		fw_print(hello);
	last_index = i;
	slots[i & 7] = v;
	return slots[(i + 1) & 7];
}

int abs_load(int i)
{
	return i < 0 ? last_index : slots[i & 7];
}

int abs_call(int i, int x)
{
	return abs_ops[i & 1](x);
}

void abs_set_op(int i, int (*fn)(int))
{
	abs_ops[i & 1] = fn;
}
