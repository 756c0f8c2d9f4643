/*
 * elfmod: the Xtensa part.
 *
 * Everything elfmod knows about Xtensa relocations lives in this file, so
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
	[0] = "R_XTENSA_NONE",
	[1] = "R_XTENSA_32",
	[2] = "R_XTENSA_RTLD",
	[3] = "R_XTENSA_GLOB_DAT",
	[4] = "R_XTENSA_JMP_SLOT",
	[5] = "R_XTENSA_RELATIVE",
	[6] = "R_XTENSA_PLT",
	[8] = "R_XTENSA_OP0",
	[9] = "R_XTENSA_OP1",
	[10] = "R_XTENSA_OP2",
	[11] = "R_XTENSA_ASM_EXPAND",
	[12] = "R_XTENSA_ASM_SIMPLIFY",
	[14] = "R_XTENSA_32_PCREL",
	[15] = "R_XTENSA_GNU_VTINHERIT",
	[16] = "R_XTENSA_GNU_VTENTRY",
	[17] = "R_XTENSA_DIFF8",
	[18] = "R_XTENSA_DIFF16",
	[19] = "R_XTENSA_DIFF32",
	[20] = "R_XTENSA_SLOT0_OP",
	[21] = "R_XTENSA_SLOT1_OP",
	[22] = "R_XTENSA_SLOT2_OP",
	[23] = "R_XTENSA_SLOT3_OP",
	[24] = "R_XTENSA_SLOT4_OP",
	[25] = "R_XTENSA_SLOT5_OP",
	[26] = "R_XTENSA_SLOT6_OP",
	[27] = "R_XTENSA_SLOT7_OP",
	[28] = "R_XTENSA_SLOT8_OP",
	[29] = "R_XTENSA_SLOT9_OP",
	[30] = "R_XTENSA_SLOT10_OP",
	[31] = "R_XTENSA_SLOT11_OP",
	[32] = "R_XTENSA_SLOT12_OP",
	[33] = "R_XTENSA_SLOT13_OP",
	[34] = "R_XTENSA_SLOT14_OP",
	[35] = "R_XTENSA_SLOT0_ALT",
	[36] = "R_XTENSA_SLOT1_ALT",
	[37] = "R_XTENSA_SLOT2_ALT",
	[38] = "R_XTENSA_SLOT3_ALT",
	[39] = "R_XTENSA_SLOT4_ALT",
	[40] = "R_XTENSA_SLOT5_ALT",
	[41] = "R_XTENSA_SLOT6_ALT",
	[42] = "R_XTENSA_SLOT7_ALT",
	[43] = "R_XTENSA_SLOT8_ALT",
	[44] = "R_XTENSA_SLOT9_ALT",
	[45] = "R_XTENSA_SLOT10_ALT",
	[46] = "R_XTENSA_SLOT11_ALT",
	[47] = "R_XTENSA_SLOT12_ALT",
	[48] = "R_XTENSA_SLOT13_ALT",
	[49] = "R_XTENSA_SLOT14_ALT",
	[50] = "R_XTENSA_TLSDESC_FN",
	[51] = "R_XTENSA_TLSDESC_ARG",
	[52] = "R_XTENSA_TLS_DTPOFF",
	[53] = "R_XTENSA_TLS_TPOFF",
	[54] = "R_XTENSA_TLS_FUNC",
	[55] = "R_XTENSA_TLS_ARG",
	[56] = "R_XTENSA_TLS_CALL",
	[57] = "R_XTENSA_PDIFF8",
	[58] = "R_XTENSA_PDIFF16",
	[59] = "R_XTENSA_PDIFF32",
	[60] = "R_XTENSA_NDIFF8",
	[61] = "R_XTENSA_NDIFF16",
	[62] = "R_XTENSA_NDIFF32",
};
#endif

const struct arch_desc elfmod__arch_xtensa = {
	.machine = ELFMOD_EM_XTENSA,
	.name = "Xtensa",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
};
