/*
 * elfmod: finding an architecture by e_machine.
 *
 * The only place that maps machine numbers to architectures, so adding an
 * architecture means adding its descriptor here and nowhere else.
 */
#include "arch.h"
#include "elfmod.h"

/* Pointers, because the descriptors are defined in their own files. A firmware that
 * only ever loads code for itself builds with ELFMOD_CFG_HOST_ARCH_ONLY, and the linker
 * then drops every other architecture's engine and names. */
static const struct arch_desc *const arches[] = {
#if ELFMOD_CFG_HOST_ARCH_ONLY && ELFMOD__HOST_MACHINE
	&ELFMOD__HOST_ARCH,
#else
	&elfmod__arch_x86_64,
	&elfmod__arch_i386,
	&elfmod__arch_arm,
	&elfmod__arch_aarch64,
	&elfmod__arch_riscv,
	&elfmod__arch_xtensa,
	&elfmod__arch_mips,
#endif
};

const struct arch_desc *elfmod__arch_find(uint16_t machine)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i]->machine == machine)
			return arches[i];
	return NULL;
}

const char *elfmod_machine_name(uint16_t machine)
{
	const struct arch_desc *a = elfmod__arch_find(machine);

	return a ? a->name : NULL;
}

const char *elfmod_reloc_name(uint16_t machine, uint32_t type)
{
	const struct arch_desc *a = elfmod__arch_find(machine);

	/* nreloc_names is 0 when names are configured out, so this also covers that. */
	if (!a || type >= a->nreloc_names)
		return NULL;
	return a->reloc_names[type];
}

int elfmod_machine_supported(uint16_t machine)
{
	const struct arch_desc *a = elfmod__arch_find(machine);

	return a && a->apply;
}

int elfmod_reloc_supported(uint16_t machine, uint32_t type)
{
	const struct arch_desc *a = elfmod__arch_find(machine);
	struct reloc_info ri;

	return a && a->info && a->info(type, &ri) == 0;
}

int elfmod_dynreloc_supported(uint16_t machine, uint8_t cls, uint32_t type)
{
	const struct arch_desc *a = elfmod__arch_find(machine);
	uint8_t k;

	if (!a || !a->dyn_kind)
		return 0;
	k = a->dyn_kind(type, cls);
	return k != DYN_UNSUPPORTED && k != DYN_COPY && k != DYN_TLS;
}

int elfmod_reloc_is_hint(uint16_t machine, uint32_t type)
{
	const struct arch_desc *a = elfmod__arch_find(machine);
	struct reloc_info ri;

	return a && a->info && a->info(type, &ri) == 0 && (ri.flags & RF_NONE);
}

uint16_t elfmod_host_machine(void)
{
	return ELFMOD__HOST_MACHINE;
}
