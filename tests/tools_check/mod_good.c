/* A module that loads: firmware imports, a weak import nobody exports, data, .bss and
 * a 64-byte aligned object; with RECORD_ABI, the fingerprint of fw_exports.h; with
 * OTHER_ABI, another one. */
#if defined(RECORD_ABI) || defined(OTHER_ABI)
#include "elfmod.h"
#endif
#ifdef RECORD_ABI
#include "fw_exports.h"
ELFMOD_MODULE_ABI(ELFMOD_ABI_FINGERPRINT_BYTES);
#endif
#ifdef OTHER_ABI
ELFMOD_MODULE_ABI(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);
#endif

extern int fw_counter;
int fw_add(int a, int b);
__attribute__((weak)) int fw_optional(void);

int mod_data[3] = { 1, 2, 3 };
static char mod_bss[100];
_Alignas(64) char mod_aligned[64] = { 1 };

int mod_main(void);
int mod_main(void)
{
	mod_bss[0]++;
	return fw_add(mod_data[1], fw_counter) + (fw_optional ? fw_optional() : 0) + mod_bss[0] + mod_aligned[0];
}
