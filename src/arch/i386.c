/*
 * elfmod: the i386 part.
 *
 * Everything elfmod knows about i386 relocations lives in this file, so
 * generic code never has to look at e_machine.
 */
#include "arch.h"
#include "elfmod.h"

#if ELFMOD_CFG_RELOC_NAMES
/*
 * Spelled exactly as GNU readelf (binutils 2.40) prints them, so that
 * output can be compared with readelf's by name.
 */
static const char *const names[] = {
	[0] = "R_386_NONE",
	[1] = "R_386_32",
	[2] = "R_386_PC32",
	[3] = "R_386_GOT32",
	[4] = "R_386_PLT32",
	[5] = "R_386_COPY",
	[6] = "R_386_GLOB_DAT",
	[7] = "R_386_JUMP_SLOT",
	[8] = "R_386_RELATIVE",
	[9] = "R_386_GOTOFF",
	[10] = "R_386_GOTPC",
	[11] = "R_386_32PLT",
	[14] = "R_386_TLS_TPOFF",
	[15] = "R_386_TLS_IE",
	[16] = "R_386_TLS_GOTIE",
	[17] = "R_386_TLS_LE",
	[18] = "R_386_TLS_GD",
	[19] = "R_386_TLS_LDM",
	[20] = "R_386_16",
	[21] = "R_386_PC16",
	[22] = "R_386_8",
	[23] = "R_386_PC8",
	[24] = "R_386_TLS_GD_32",
	[25] = "R_386_TLS_GD_PUSH",
	[26] = "R_386_TLS_GD_CALL",
	[27] = "R_386_TLS_GD_POP",
	[28] = "R_386_TLS_LDM_32",
	[29] = "R_386_TLS_LDM_PUSH",
	[30] = "R_386_TLS_LDM_CALL",
	[31] = "R_386_TLS_LDM_POP",
	[32] = "R_386_TLS_LDO_32",
	[33] = "R_386_TLS_IE_32",
	[34] = "R_386_TLS_LE_32",
	[35] = "R_386_TLS_DTPMOD32",
	[36] = "R_386_TLS_DTPOFF32",
	[37] = "R_386_TLS_TPOFF32",
	[38] = "R_386_SIZE32",
	[39] = "R_386_TLS_GOTDESC",
	[40] = "R_386_TLS_DESC_CALL",
	[41] = "R_386_TLS_DESC",
	[42] = "R_386_IRELATIVE",
	[43] = "R_386_GOT32X",
	[200] = "R_386_USED_BY_INTEL_200",
	[250] = "R_386_GNU_VTINHERIT",
	[251] = "R_386_GNU_VTENTRY",
};
#endif

const struct arch_desc elfmod__arch_i386 = {
	.machine = ELFMOD_EM_386,
	.name = "i386",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
};
