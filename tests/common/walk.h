/* Walks everything an opened file offers through the public API: every section and its
 * name, every symbol and its name, every relocation, every segment. Returns the first
 * error, 0 when all of it decodes. Shared by the unit, malformed and fuzz tests so they
 * all reach the same accessors. Header-only (the fuzz harness is built apart). */
#ifndef ELFMOD_TEST_WALK_H
#define ELFMOD_TEST_WALK_H

#include "elfmod.h"

struct walk_stats {
	uint32_t sections, symbols, relocs, segments;
	uint64_t name_bytes; /* a use of every name, so none is skipped as dead */
};

static inline uint64_t walk_strlen(const char *s)
{
	uint64_t n = 0;

	while (s[n])
		n++;
	return n;
}

static inline int walk_elf(const struct elfmod_elf *elf, char *buf, size_t bufsz,
			   struct walk_stats *st)
{
	struct elfmod_shdr s;
	struct elfmod_phdr p;
	struct elfmod_sym sym;
	struct elfmod_rel r;
	const char *name;
	uint32_t n;
	int rc;

	for (uint32_t i = 0; i < elf->shnum; i++) {
		rc = elfmod_elf_shdr(elf, i, &s);
		if (!rc)
			rc = elfmod_elf_section_name(elf, i, buf, bufsz, &name);
		if (rc)
			return rc;
		st->sections++;
		st->name_bytes += walk_strlen(name);
		if (s.type == ELFMOD_SHT_SYMTAB || s.type == ELFMOD_SHT_DYNSYM) {
			rc = elfmod_elf_sym_count(elf, i, &n);
			if (rc)
				return rc;
			for (uint32_t k = 0; k < n; k++) {
				rc = elfmod_elf_sym(elf, i, k, &sym);
				if (!rc && sym.name)
					rc = elfmod_elf_string(elf, s.link, sym.name, buf, bufsz, &name);
				if (rc)
					return rc;
				st->symbols++;
				if (sym.name)
					st->name_bytes += walk_strlen(name);
			}
		} else if (s.type == ELFMOD_SHT_REL || s.type == ELFMOD_SHT_RELA) {
			rc = elfmod_elf_rel_count(elf, i, &n);
			if (rc)
				return rc;
			for (uint32_t k = 0; k < n; k++) {
				rc = elfmod_elf_rel(elf, i, k, &r);
				if (rc == ELFMOD_EUNSUPPORTED)
					break; /* MIPS64 r_info: documented, not a malformation */
				if (rc)
					return rc;
				st->relocs++;
			}
		}
	}
	for (uint32_t i = 0; i < elf->phnum; i++) {
		rc = elfmod_elf_phdr(elf, i, &p);
		if (rc)
			return rc;
		st->segments++;
	}
	return 0;
}

#endif
