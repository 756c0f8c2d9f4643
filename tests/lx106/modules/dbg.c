/* Built with -g -ffunction-sections -mlongcalls: carries DWARF, whose relocations
 * (R_XTENSA_PDIFF*, R_XTENSA_32 against code) are in sections the loader must skip,
 * .xt.prop property tables, and one .literal.FN / .text.FN pair per function. */
#include "fw_api.h"

int dbg_sum(const int *v, unsigned n);
int dbg_pick(int k);

struct point {
	int x, y;
};

static const struct point points[] = { { 1, 2 }, { 3, 5 }, { 8, 13 }, { 21, 34 } };
static int picks;                      /* .bss */

int dbg_sum(const int *v, unsigned n)
{
	int s = 0;

	for (unsigned i = 0; i < n; i++)
		s += v[i] * (int)(i + 1);
	return s;
}

int dbg_pick(int k)
{
	const struct point *p = &points[k & 3];

	picks++;
	if (picks == 1)
		fw_print("dbg: debug info loaded and ignored\n");
	return fw_twice(p->x) + p->y + picks;
}
