/*
 * elfmod: the x86-64 part.
 *
 * Everything elfmod knows about x86-64 relocations lives in this file, so
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
	[0] = "R_X86_64_NONE",
	[1] = "R_X86_64_64",
	[2] = "R_X86_64_PC32",
	[3] = "R_X86_64_GOT32",
	[4] = "R_X86_64_PLT32",
	[5] = "R_X86_64_COPY",
	[6] = "R_X86_64_GLOB_DAT",
	[7] = "R_X86_64_JUMP_SLOT",
	[8] = "R_X86_64_RELATIVE",
	[9] = "R_X86_64_GOTPCREL",
	[10] = "R_X86_64_32",
	[11] = "R_X86_64_32S",
	[12] = "R_X86_64_16",
	[13] = "R_X86_64_PC16",
	[14] = "R_X86_64_8",
	[15] = "R_X86_64_PC8",
	[16] = "R_X86_64_DTPMOD64",
	[17] = "R_X86_64_DTPOFF64",
	[18] = "R_X86_64_TPOFF64",
	[19] = "R_X86_64_TLSGD",
	[20] = "R_X86_64_TLSLD",
	[21] = "R_X86_64_DTPOFF32",
	[22] = "R_X86_64_GOTTPOFF",
	[23] = "R_X86_64_TPOFF32",
	[24] = "R_X86_64_PC64",
	[25] = "R_X86_64_GOTOFF64",
	[26] = "R_X86_64_GOTPC32",
	[27] = "R_X86_64_GOT64",
	[28] = "R_X86_64_GOTPCREL64",
	[29] = "R_X86_64_GOTPC64",
	[30] = "R_X86_64_GOTPLT64",
	[31] = "R_X86_64_PLTOFF64",
	[32] = "R_X86_64_SIZE32",
	[33] = "R_X86_64_SIZE64",
	[34] = "R_X86_64_GOTPC32_TLSDESC",
	[35] = "R_X86_64_TLSDESC_CALL",
	[36] = "R_X86_64_TLSDESC",
	[37] = "R_X86_64_IRELATIVE",
	[38] = "R_X86_64_RELATIVE64",
	[39] = "R_X86_64_PC32_BND",
	[40] = "R_X86_64_PLT32_BND",
	[41] = "R_X86_64_GOTPCRELX",
	[42] = "R_X86_64_REX_GOTPCRELX",
	[250] = "R_X86_64_GNU_VTINHERIT",
	[251] = "R_X86_64_GNU_VTENTRY",
};
#endif

const struct arch_desc elfmod__arch_x86_64 = {
	.machine = ELFMOD_EM_X86_64,
	.name = "x86-64",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
};
