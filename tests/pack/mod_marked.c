/* Marks its one export and records the export set it was built against: the packed
 * module offers only `api` and carries that fingerprint. */
#include "elfmod.h"

ELFMOD_MODULE_EXPORT(api);
ELFMOD_MODULE_ABI(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);

int api(int x);
int api(int x)
{
	return x + 1;
}

int helper(int x);
int helper(int x)
{
	return x * 2;
}
