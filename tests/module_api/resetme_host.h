/* The host side of mods/resetme.c, shared by reset_test.c and rel_only_test.c: the one
 * function the module imports, counting the calls of its constructor (host_count(1))
 * and of its destructor (host_count(-1)). */
#ifndef ELFMOD_TEST_RESETME_HOST_H
#define ELFMOD_TEST_RESETME_HOST_H

#include "elfmod.h"

static int starts, stops;

void host_count(int what);
void host_count(int what)
{
	if (what > 0)
		starts++;
	else
		stops++;
}

static const struct elfmod_export resetme_imports[] = { { "host_count", (const void *)&host_count } };

#endif
