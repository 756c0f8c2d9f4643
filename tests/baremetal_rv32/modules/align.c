/* Functions that ask for an alignment: gas with linker relaxation (the default) pads
 * before them with the most NOPs that alignment could need, plus R_RISCV_ALIGN telling
 * the linker how many to delete; without relaxation it pads exactly. Built with
 * -ffunction-sections, so each function starts its own section. */
int align_a(int x);
int align_b(int x);
int align_c(int x);

__attribute__((aligned(16))) int align_a(int x)
{
	return x + 1;
}

int align_b(int x)
{
	return x * 5;
}

__attribute__((aligned(64))) int align_c(int x)
{
	return align_b(x) - align_a(x);
}
