/*
 * elfmod: the RISC-V part.
 *
 * Everything elfmod knows about RISC-V relocations lives in this file, so
 * generic code never has to look at e_machine.
 */
#include "arch.h"
#include "elfmod.h"

#if ELFMOD_CFG_RELOC_NAMES
/*
 * Spelled exactly as GNU readelf (binutils 2.40) prints them, so that
 * output can be compared with readelf's by name.
 *
 * Numbers newer than binutils 2.40 (such as R_RISCV_SET_ULEB128) stay
 * unnamed, because readelf 2.40 prints them as unrecognized.
 */
static const char *const names[] = {
	[0] = "R_RISCV_NONE",
	[1] = "R_RISCV_32",
	[2] = "R_RISCV_64",
	[3] = "R_RISCV_RELATIVE",
	[4] = "R_RISCV_COPY",
	[5] = "R_RISCV_JUMP_SLOT",
	[6] = "R_RISCV_TLS_DTPMOD32",
	[7] = "R_RISCV_TLS_DTPMOD64",
	[8] = "R_RISCV_TLS_DTPREL32",
	[9] = "R_RISCV_TLS_DTPREL64",
	[10] = "R_RISCV_TLS_TPREL32",
	[11] = "R_RISCV_TLS_TPREL64",
	[16] = "R_RISCV_BRANCH",
	[17] = "R_RISCV_JAL",
	[18] = "R_RISCV_CALL",
	[19] = "R_RISCV_CALL_PLT",
	[20] = "R_RISCV_GOT_HI20",
	[21] = "R_RISCV_TLS_GOT_HI20",
	[22] = "R_RISCV_TLS_GD_HI20",
	[23] = "R_RISCV_PCREL_HI20",
	[24] = "R_RISCV_PCREL_LO12_I",
	[25] = "R_RISCV_PCREL_LO12_S",
	[26] = "R_RISCV_HI20",
	[27] = "R_RISCV_LO12_I",
	[28] = "R_RISCV_LO12_S",
	[29] = "R_RISCV_TPREL_HI20",
	[30] = "R_RISCV_TPREL_LO12_I",
	[31] = "R_RISCV_TPREL_LO12_S",
	[32] = "R_RISCV_TPREL_ADD",
	[33] = "R_RISCV_ADD8",
	[34] = "R_RISCV_ADD16",
	[35] = "R_RISCV_ADD32",
	[36] = "R_RISCV_ADD64",
	[37] = "R_RISCV_SUB8",
	[38] = "R_RISCV_SUB16",
	[39] = "R_RISCV_SUB32",
	[40] = "R_RISCV_SUB64",
	[43] = "R_RISCV_ALIGN",
	[44] = "R_RISCV_RVC_BRANCH",
	[45] = "R_RISCV_RVC_JUMP",
	[46] = "R_RISCV_RVC_LUI",
	[47] = "R_RISCV_GPREL_I",
	[48] = "R_RISCV_GPREL_S",
	[49] = "R_RISCV_TPREL_I",
	[50] = "R_RISCV_TPREL_S",
	[51] = "R_RISCV_RELAX",
	[52] = "R_RISCV_SUB6",
	[53] = "R_RISCV_SET6",
	[54] = "R_RISCV_SET8",
	[55] = "R_RISCV_SET16",
	[56] = "R_RISCV_SET32",
	[57] = "R_RISCV_32_PCREL",
	[58] = "R_RISCV_IRELATIVE",
};
#endif

const struct arch_desc elfmod__arch_riscv = {
	.machine = ELFMOD_EM_RISCV,
	.name = "RISC-V",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
};
