/* A module others import from. It marks what it exports: prov_helper stays its own. */
#include "elfmod.h"

int prov_value = 5;

int prov_twice(int x);
int prov_twice(int x)
{
	return 2 * x;
}

int prov_helper(int x);
int prov_helper(int x)
{
	return x + prov_value;
}

ELFMOD_MODULE_EXPORT(prov_value);
ELFMOD_MODULE_EXPORT(prov_twice);
