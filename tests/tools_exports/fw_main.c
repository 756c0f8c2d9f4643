/* The firmware image `elfmod exports` reads: fw_syms.c linked into a program. */
#include "fw_syms.h"

int main(void)
{
	return fw_add(0, 0) == 7 && fw_hidden() ? 0 : 1;
}
