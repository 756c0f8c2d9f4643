/* A firmware's worth of symbols for `elfmod exports`: functions and objects of every
 * binding and visibility the generator must tell apart, and two names of one hash. */
#include "fw_syms.h"

int fw_counter = 7;
const char fw_name[] = "firmware";

int fw_add(int a, int b)
{
	return a + b + fw_counter;
}

int fw_twice(int x)
{
	return 2 * x;
}

/* Not exported: local, hidden. */
static int fw_private(int x)
{
	return x - 1;
}
int (*fw_keep)(int) = fw_private;
__attribute__((visibility("hidden"))) int fw_hidden(void)
{
	return 1;
}

__attribute__((weak)) int fw_weakfn(void)
{
	return 3;
}

/* "Ez" and "FY" hash alike (69 * 33 + 122 == 70 * 33 + 89), and so do these. */
int coll_Ez(void)
{
	return 10;
}

int coll_FY(void)
{
	return 11;
}
