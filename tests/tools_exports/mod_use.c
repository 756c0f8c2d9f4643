/* A module built against the generated table: imports functions and data of the
 * firmware and records the ABI fingerprint of the header it was built with (or, with
 * WRONG_ABI, another one). */
#include "elfmod.h"
#include "fw_syms.h"
#include "table.h"

int mod_sum(void);
int mod_sum(void)
{
	fw_counter += 1;
	return fw_add(fw_twice(3), fw_name[0]);
}

#ifdef WRONG_ABI
ELFMOD_MODULE_ABI(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08);
#else
ELFMOD_MODULE_ABI(ELFMOD_ABI_FINGERPRINT_BYTES);
#endif
