/* The per-architecture interface. One file per architecture implements it; generic
 * code never tests e_machine itself. Internal: nothing here is public API. */
#ifndef ELFMOD_ARCH_H
#define ELFMOD_ARCH_H

#include <stdint.h>

struct arch_desc {
	uint16_t machine;            /* EM_* */
	const char *name;            /* human name, e.g. "AArch64" */
	/* Relocation type names indexed by type; NULL holes for unassigned numbers.
	 * Only present when ELFMOD_CFG_RELOC_NAMES is set. */
	const char *const *reloc_names;
	uint32_t nreloc_names;
};

extern const struct arch_desc elfmod__arch_x86_64;
extern const struct arch_desc elfmod__arch_i386;
extern const struct arch_desc elfmod__arch_arm;
extern const struct arch_desc elfmod__arch_aarch64;
extern const struct arch_desc elfmod__arch_riscv;
extern const struct arch_desc elfmod__arch_xtensa;
extern const struct arch_desc elfmod__arch_mips;

/* The descriptor for `machine`, or NULL. */
const struct arch_desc *elfmod__arch_find(uint16_t machine);

#endif
