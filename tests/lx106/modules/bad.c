/* Imports a function the host does not export: the load must be refused with
 * ELFMOD_EUNDEF, naming it, and leave nothing allocated. */
#include "fw_api.h"

int fw_not_exported(int x);
int bad_run(int x);

int bad_run(int x)
{
	fw_print("bad: this must never run\n");
	return fw_not_exported(x) + 1;
}
