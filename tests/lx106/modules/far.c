/* Built WITHOUT -mlongcalls: its call to the host is a CALL0, which reaches +-512 KiB.
 * The host's code lies more than that away from the module's instruction RAM, so the
 * load must be refused with ELFMOD_EREACH and a message naming -mlongcalls. */
#include "fw_api.h"

int far_run(int x);

int far_run(int x)
{
	return fw_twice(x) + 1;
}
