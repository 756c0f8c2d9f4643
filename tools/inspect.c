/*
 * elfmod inspect FILE [--json]: what the core sees in a file, and what it cannot do with
 * it yet.
 *
 * Everything is gathered first and printed into a memory buffer, so a file the core
 * rejects half-way produces only the error line, never half a report or half a JSON
 * object. Only the core API and the POSIX port are used: the tool sees exactly what a
 * firmware would.
 */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "tools.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_TLS 7

struct type_count {
	uint32_t type;
	uint64_t n;
};

struct symtab_info {
	uint32_t index;
	char *name;
	int dynamic;
	uint32_t count;
	char **undef;
	size_t nundef, capundef;
};

struct rel_info {
	uint32_t index;
	char *name;
	int rela;
	uint32_t count;
	uint32_t target;        /* sh_info: the section the entries patch */
	uint32_t symtab;        /* sh_link */
	int undecoded;          /* the core could not decode the entries (MIPS64) */
	struct type_count *types;
	size_t ntypes, captypes;
};

struct report {
	const char *path;
	struct elfmod_elf elf;
	struct elfmod_diag diag;
	struct symtab_info *symtabs;
	size_t nsymtabs;
	struct rel_info *rels;
	size_t nrels;
	uint32_t nrelr;         /* SHT_RELR sections */
	char **unsupported;
	size_t nunsupported, capunsupported;
};

/* Every allocation failure in a command-line tool ends the process: there is nothing to
 * recover and no partial output to keep. */
static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "elfmod: out of memory\n");
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

/* Grows *arr (of `size`-byte elements) so that index *n is valid, and returns it. */
static void *grow(void *arr, size_t size, size_t n, size_t *cap)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 8;
	return xrealloc(arr, *cap * size);
}

/* ---- names of numbers ---- */

static const char *etype_name(uint16_t t)
{
	switch (t) {
	case 0: return "NONE";
	case ELFMOD_ET_REL: return "REL";
	case ELFMOD_ET_EXEC: return "EXEC";
	case ELFMOD_ET_DYN: return "DYN";
	case ELFMOD_ET_CORE: return "CORE";
	}
	return NULL;
}

static const char *shtype_name(uint16_t machine, uint32_t t)
{
	static const char *const generic[] = {
		"NULL", "PROGBITS", "SYMTAB", "STRTAB", "RELA", "HASH", "DYNAMIC", "NOTE",
		"NOBITS", "REL", "SHLIB", "DYNSYM", NULL, NULL, "INIT_ARRAY", "FINI_ARRAY",
		"PREINIT_ARRAY", "GROUP", "SYMTAB_SHNDX", "RELR",
	};

	if (t < sizeof(generic) / sizeof(generic[0]))
		return generic[t];
	switch (t) {
	case 0x6ffffff5: return "GNU_ATTRIBUTES";
	case 0x6ffffff6: return "GNU_HASH";
	case 0x6ffffff7: return "GNU_LIBLIST";
	case 0x6ffffffd: return "VERDEF";
	case 0x6ffffffe: return "VERNEED";
	case 0x6fffffff: return "VERSYM";
	case 0x6fff4c03: return "LLVM_ADDRSIG";
	}
	switch (machine) {
	case ELFMOD_EM_ARM:
		if (t == 0x70000001)
			return "ARM_EXIDX";
		if (t == 0x70000003)
			return "ARM_ATTRIBUTES";
		break;
	case ELFMOD_EM_AARCH64:
		if (t == 0x70000003)
			return "AARCH64_ATTRIBUTES";
		break;
	case ELFMOD_EM_RISCV:
		if (t == 0x70000003)
			return "RISCV_ATTRIBUTES";
		break;
	case ELFMOD_EM_X86_64:
		if (t == 0x70000001)
			return "X86_64_UNWIND";
		break;
	case ELFMOD_EM_MIPS:
		if (t == 0x70000006)
			return "MIPS_REGINFO";
		if (t == 0x7000000d)
			return "MIPS_OPTIONS";
		if (t == 0x7000001e)
			return "MIPS_DWARF";
		if (t == 0x7000002a)
			return "MIPS_ABIFLAGS";
		break;
	case ELFMOD_EM_XTENSA:
		if (t == 0x70000000)
			return "XTENSA_SEC_INFO";
		break;
	}
	return NULL;
}

static const char *ptype_name(uint16_t machine, uint32_t t)
{
	static const char *const generic[] = {
		"NULL", "LOAD", "DYNAMIC", "INTERP", "NOTE", "SHLIB", "PHDR", "TLS",
	};

	if (t < sizeof(generic) / sizeof(generic[0]))
		return generic[t];
	switch (t) {
	case 0x6474e550: return "GNU_EH_FRAME";
	case 0x6474e551: return "GNU_STACK";
	case 0x6474e552: return "GNU_RELRO";
	case 0x6474e553: return "GNU_PROPERTY";
	}
	if (machine == ELFMOD_EM_ARM && t == 0x70000001)
		return "ARM_EXIDX";
	if (machine == ELFMOD_EM_RISCV && t == 0x70000003)
		return "RISCV_ATTRIBUTES";
	if (machine == ELFMOD_EM_MIPS && t == 0x70000000)
		return "MIPS_REGINFO";
	if (machine == ELFMOD_EM_MIPS && t == 0x70000003)
		return "MIPS_ABIFLAGS";
	return NULL;
}

/* readelf's letters, so the two outputs can be read side by side. */
static void shflags_str(uint64_t f, char *out)
{
	static const struct {
		uint64_t bit;
		char c;
	} letters[] = {
		{ 0x1, 'W' }, { 0x2, 'A' }, { 0x4, 'X' }, { 0x10, 'M' }, { 0x20, 'S' },
		{ 0x40, 'I' }, { 0x80, 'L' }, { 0x100, 'O' }, { 0x200, 'G' }, { 0x400, 'T' },
		{ 0x800, 'C' }, { 0x80000000u, 'E' },
	};
	uint64_t known = 0;
	size_t n = 0;

	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++) {
		known |= letters[i].bit;
		if (f & letters[i].bit)
			out[n++] = letters[i].c;
	}
	if (f & ~known)
		out[n++] = 'x';
	out[n] = 0;
}

/* ---- what elfmod cannot handle ---- */

static void add_unsupported(struct report *r, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->unsupported = grow(r->unsupported, sizeof(*r->unsupported), r->nunsupported,
			      &r->capunsupported);
	r->unsupported[r->nunsupported++] = xstrdup(buf);
}

/*
 * The single place that knows what the core can do with a file: update it as support
 * grows. Today only ET_EXEC images load (elfmod_exec_load), and no relocation is applied.
 */
static int compute_unsupported(struct report *r)
{
	const struct elfmod_elf *elf = &r->elf;
	struct elfmod_phdr p;
	uint32_t nload = 0, dynamic = 0, tls = 0, entry_ok = 0;
	char buf[32];
	int rc;

	if (!elfmod_machine_name(elf->machine))
		add_unsupported(r, "machine %u is not known to elfmod", elf->machine);

	for (uint32_t i = 0; i < elf->phnum; i++) {
		rc = elfmod_elf_phdr(elf, i, &p);
		if (rc)
			return rc;
		if (p.type == ELFMOD_PT_LOAD && p.memsz) {
			nload++;
			if ((p.flags & ELFMOD_PF_X) && elf->entry >= p.vaddr &&
			    elf->entry - p.vaddr < p.memsz)
				entry_ok = 1;
		}
		if (p.type == PT_INTERP || p.type == PT_DYNAMIC)
			dynamic = 1;
		if (p.type == PT_TLS)
			tls = 1;
	}

	switch (elf->type) {
	case ELFMOD_ET_EXEC:
		if (nload == 0)
			add_unsupported(r, "ET_EXEC without a PT_LOAD segment: nothing to load");
		if (nload > ELFMOD_CFG_MAX_LOAD_SEGMENTS)
			add_unsupported(r, "%" PRIu32 " PT_LOAD segments: more than ELFMOD_CFG_MAX_LOAD_SEGMENTS (%d)",
					nload, ELFMOD_CFG_MAX_LOAD_SEGMENTS);
		if (nload && !entry_ok)
			add_unsupported(r, "entry point outside every executable PT_LOAD segment");
		if (dynamic)
			add_unsupported(r, "dynamic linking (PT_INTERP/PT_DYNAMIC): segments load but nothing is linked");
		if (tls)
			add_unsupported(r, "thread-local storage (PT_TLS)");
		break;
	case ELFMOD_ET_REL:
		if (!elfmod_machine_supported(elf->machine))
			add_unsupported(r, "loading ET_REL (relocatable object) files for %s is not supported",
					elfmod_machine_name(elf->machine) ? elfmod_machine_name(elf->machine)
									  : "this machine");
		break;
	case ELFMOD_ET_DYN:
		if (!elfmod_dynreloc_supported(elf->machine, elf->cls, 0))
			add_unsupported(r, "loading ET_DYN (shared object or PIE) files for %s is not supported",
					elfmod_machine_name(elf->machine) ? elfmod_machine_name(elf->machine)
									  : "this machine");
		if (tls)
			add_unsupported(r, "thread-local storage (PT_TLS)");
		break;
	default:
		add_unsupported(r, "loading e_type %u (%s) files is not supported",
				elf->type, etype_name(elf->type) ? etype_name(elf->type) : "unknown");
		break;
	}

	if (r->nrelr)
		add_unsupported(r, "SHT_RELR relocation sections");
	for (size_t i = 0; i < r->nrels; i++) {
		const struct rel_info *rel = &r->rels[i];
		if (rel->undecoded) {
			add_unsupported(r, "relocation section %s: entry format not decoded (MIPS64)",
					rel->name);
			continue;
		}
		for (size_t k = 0; k < rel->ntypes; k++) {
			uint32_t t = rel->types[k].type;
			int seen = 0;
			if (elfmod_reloc_supported(elf->machine, t))
				continue;
			/* One line per type, however many sections use it. */
			for (size_t j = 0; j < i && !seen; j++)
				for (size_t m = 0; m < r->rels[j].ntypes && !seen; m++)
					seen = r->rels[j].types[m].type == t;
			if (!seen)
				add_unsupported(r, "relocation type %s not implemented yet",
						tool_reloc_label(elf->machine, t, buf, sizeof(buf)));
		}
	}
	return 0;
}

/* ---- gathering ---- */

static int section_name(const struct report *r, uint32_t idx, char *buf, size_t size,
			const char **out)
{
	return elfmod_elf_section_name(&r->elf, idx, buf, size, out);
}

static int gather_symtab(struct report *r, uint32_t idx, const struct elfmod_shdr *s)
{
	struct symtab_info *t;
	struct elfmod_shdr strsec;
	struct elfmod_sym sym;
	char buf[4096];
	const char *name;
	int rc;

	r->symtabs = xrealloc(r->symtabs, (r->nsymtabs + 1) * sizeof(*r->symtabs));
	t = &r->symtabs[r->nsymtabs++];
	memset(t, 0, sizeof(*t));
	t->index = idx;
	t->dynamic = s->type == ELFMOD_SHT_DYNSYM;
	rc = section_name(r, idx, buf, sizeof(buf), &name);
	if (rc)
		return rc;
	t->name = xstrdup(name);
	rc = elfmod_elf_sym_count(&r->elf, idx, &t->count);
	if (!rc)
		rc = elfmod_elf_shdr(&r->elf, s->link, &strsec);
	if (rc)
		return rc;
	/* Entry 0 is the reserved null symbol, undefined by definition. */
	for (uint32_t i = 1; i < t->count; i++) {
		rc = elfmod_elf_sym(&r->elf, idx, i, &sym);
		if (rc)
			return rc;
		if (sym.shndx != ELFMOD_SHN_UNDEF)
			continue;
		name = "";
		if (strsec.size) {
			rc = elfmod_elf_string(&r->elf, s->link, sym.name, buf, sizeof(buf), &name);
			if (rc)
				return rc;
		}
		t->undef = grow(t->undef, sizeof(*t->undef), t->nundef, &t->capundef);
		t->undef[t->nundef++] = xstrdup(name);
	}
	return 0;
}

static void count_type(struct rel_info *rel, uint32_t type)
{
	for (size_t i = 0; i < rel->ntypes; i++) {
		if (rel->types[i].type == type) {
			rel->types[i].n++;
			return;
		}
	}
	rel->types = grow(rel->types, sizeof(*rel->types), rel->ntypes, &rel->captypes);
	rel->types[rel->ntypes].type = type;
	rel->types[rel->ntypes++].n = 1;
}

static int cmp_type(const void *a, const void *b)
{
	uint32_t x = ((const struct type_count *)a)->type, y = ((const struct type_count *)b)->type;
	return x < y ? -1 : x > y;
}

static int gather_rel(struct report *r, uint32_t idx, const struct elfmod_shdr *s)
{
	struct rel_info *rel;
	struct elfmod_rel e;
	char buf[4096];
	const char *name;
	int rc;

	r->rels = xrealloc(r->rels, (r->nrels + 1) * sizeof(*r->rels));
	rel = &r->rels[r->nrels++];
	memset(rel, 0, sizeof(*rel));
	rel->index = idx;
	rel->rela = s->type == ELFMOD_SHT_RELA;
	rel->target = s->info;
	rel->symtab = s->link;
	rc = section_name(r, idx, buf, sizeof(buf), &name);
	if (rc)
		return rc;
	rel->name = xstrdup(name);
	rc = elfmod_elf_rel_count(&r->elf, idx, &rel->count);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < rel->count; i++) {
		rc = elfmod_elf_rel(&r->elf, idx, i, &e);
		if (rc == ELFMOD_EUNSUPPORTED) {
			/* A format the core does not decode is a finding, not a broken file. */
			rel->undecoded = 1;
			rel->ntypes = 0;
			r->diag.err = 0;
			return 0;
		}
		if (rc)
			return rc;
		count_type(rel, e.type);
	}
	/* qsort must not see the NULL of an empty section, even for zero elements. */
	if (rel->ntypes > 1)
		qsort(rel->types, rel->ntypes, sizeof(*rel->types), cmp_type);
	return 0;
}

static int gather(struct report *r)
{
	struct elfmod_shdr s;
	int rc;

	for (uint32_t i = 1; i < r->elf.shnum; i++) {
		rc = elfmod_elf_shdr(&r->elf, i, &s);
		if (rc)
			return rc;
		if (s.type == ELFMOD_SHT_SYMTAB || s.type == ELFMOD_SHT_DYNSYM)
			rc = gather_symtab(r, i, &s);
		else if (s.type == ELFMOD_SHT_REL || s.type == ELFMOD_SHT_RELA)
			rc = gather_rel(r, i, &s);
		else if (s.type == ELFMOD_SHT_RELR)
			r->nrelr++;
		if (rc)
			return rc;
	}
	return compute_unsupported(r);
}

static void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nsymtabs; i++) {
		for (size_t k = 0; k < r->symtabs[i].nundef; k++)
			free(r->symtabs[i].undef[k]);
		free(r->symtabs[i].undef);
		free(r->symtabs[i].name);
	}
	free(r->symtabs);
	for (size_t i = 0; i < r->nrels; i++) {
		free(r->rels[i].types);
		free(r->rels[i].name);
	}
	free(r->rels);
	for (size_t i = 0; i < r->nunsupported; i++)
		free(r->unsupported[i]);
	free(r->unsupported);
}

/* ---- text output ---- */

static int print_text(struct report *r, FILE *f)
{
	const struct elfmod_elf *elf = &r->elf;
	const char *mname = elfmod_machine_name(elf->machine), *name, *tn;
	struct elfmod_shdr s;
	struct elfmod_phdr p;
	char buf[4096], num[32];
	int rc;

	fprintf(f, "File: ");
	tool_put_text(f, r->path);
	fprintf(f, "\nELF header:\n");
	fprintf(f, "  class:    ELF%u\n", elf->cls);
	fprintf(f, "  data:     %s-endian\n", elf->big_endian ? "big" : "little");
	if (mname)
		fprintf(f, "  machine:  %s (%u)\n", mname, elf->machine);
	else
		fprintf(f, "  machine:  %u\n", elf->machine);
	tn = etype_name(elf->type);
	fprintf(f, "  type:     %s (%u)\n", tn ? tn : "unknown", elf->type);
	fprintf(f, "  entry:    0x%" PRIx64 "\n", elf->entry);
	fprintf(f, "  flags:    0x%" PRIx32 "\n", elf->flags);

	fprintf(f, "\nSections (%" PRIu32 "):\n", elf->shnum);
	if (elf->shnum)
		fprintf(f, "  [Nr] %-20s %-16s %-5s %-16s %-8s %-8s %4s %4s %s\n", "Name", "Type",
			"Flags", "Addr", "Offset", "Size", "Link", "Info", "Align");
	for (uint32_t i = 0; i < elf->shnum; i++) {
		char flags[16];
		rc = elfmod_elf_shdr(elf, i, &s);
		if (!rc)
			rc = section_name(r, i, buf, sizeof(buf), &name);
		if (rc)
			return rc;
		tn = shtype_name(elf->machine, s.type);
		if (!tn) {
			snprintf(num, sizeof(num), "0x%" PRIx32, s.type);
			tn = num;
		}
		shflags_str(s.flags, flags);
		fprintf(f, "  [%2" PRIu32 "] ", i);
		tool_put_text(f, name);
		fprintf(f, "%*s %-16s %-5s %016" PRIx64 " %08" PRIx64 " %08" PRIx64 " %4" PRIu32
			" %4" PRIu32 " %" PRIu64 "\n",
			strlen(name) < 20 ? (int)(20 - strlen(name)) : 0, "", tn, flags, s.addr,
			s.offset, s.size, s.link, s.info, s.addralign);
	}

	fprintf(f, "\nSegments (%" PRIu32 "):\n", elf->phnum);
	if (elf->phnum)
		fprintf(f, "  %-16s %-8s %-16s %-16s %-8s %-8s %-5s %s\n", "Type", "Offset", "VirtAddr",
			"PhysAddr", "FileSiz", "MemSiz", "Flags", "Align");
	for (uint32_t i = 0; i < elf->phnum; i++) {
		rc = elfmod_elf_phdr(elf, i, &p);
		if (rc)
			return rc;
		tn = ptype_name(elf->machine, p.type);
		if (!tn) {
			snprintf(num, sizeof(num), "0x%" PRIx32, p.type);
			tn = num;
		}
		fprintf(f, "  %-16s %08" PRIx64 " %016" PRIx64 " %016" PRIx64 " %08" PRIx64 " %08" PRIx64
			" %c%c%c   %" PRIu64 "\n",
			tn, p.offset, p.vaddr, p.paddr, p.filesz, p.memsz, p.flags & ELFMOD_PF_R ? 'R' : ' ',
			p.flags & ELFMOD_PF_W ? 'W' : ' ', p.flags & ELFMOD_PF_X ? 'E' : ' ', p.align);
	}

	fprintf(f, "\nSymbol tables (%zu):\n", r->nsymtabs);
	for (size_t i = 0; i < r->nsymtabs; i++) {
		const struct symtab_info *t = &r->symtabs[i];
		fprintf(f, "  [%" PRIu32 "] ", t->index);
		tool_put_text(f, t->name);
		fprintf(f, ": %" PRIu32 " symbol%s, %zu undefined\n", t->count, t->count == 1 ? "" : "s",
			t->nundef);
		for (size_t k = 0; k < t->nundef; k++) {
			fprintf(f, "    undefined: ");
			tool_put_text(f, t->undef[k]);
			fputc('\n', f);
		}
	}

	fprintf(f, "\nRelocation sections (%zu):\n", r->nrels);
	for (size_t i = 0; i < r->nrels; i++) {
		const struct rel_info *rel = &r->rels[i];
		fprintf(f, "  [%" PRIu32 "] ", rel->index);
		tool_put_text(f, rel->name);
		fprintf(f, ": %s, %" PRIu32 " %s, applies to section %" PRIu32 "%s\n",
			rel->rela ? "RELA" : "REL", rel->count, rel->count == 1 ? "entry" : "entries",
			rel->target,
			rel->undecoded ? " (entries not decoded)" : "");
		for (size_t k = 0; k < rel->ntypes; k++)
			fprintf(f, "    %-28s %" PRIu64 "\n",
				tool_reloc_label(elf->machine, rel->types[k].type, num, sizeof(num)),
				rel->types[k].n);
	}

	fprintf(f, "\nUnsupported (%zu):\n", r->nunsupported);
	if (!r->nunsupported)
		fprintf(f, "  nothing: elfmod can load this file\n");
	for (size_t i = 0; i < r->nunsupported; i++) {
		/* May quote a section name from the file. */
		fprintf(f, "  - ");
		tool_put_text(f, r->unsupported[i]);
		fputc('\n', f);
	}
	return 0;
}

/* ---- JSON output ---- */

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF), or 0. The NUL terminator stops every continuation check. */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * A JSON string from arbitrary file bytes. Well-formed UTF-8 passes through; any other
 * byte b >= 0x80 becomes \u00bb (its Latin-1 reading), so the output is always valid
 * JSON and always valid UTF-8.
 */
static void put_json_str(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n = utf8_seq(s);
		if (*s == '"' || *s == '\\') {
			fputc('\\', f);
			fputc(*s, f);
		} else if (*s == '\n') {
			fputs("\\n", f);
		} else if (*s == '\t') {
			fputs("\\t", f);
		} else if (*s < 0x20 || n == 0) {
			fprintf(f, "\\u%04x", *s);
			n = 1;
		} else {
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

static void put_json_name_or_null(FILE *f, const char *s)
{
	if (s)
		put_json_str(f, s);
	else
		fputs("null", f);
}

static int print_json(struct report *r, FILE *f)
{
	const struct elfmod_elf *elf = &r->elf;
	struct elfmod_shdr s;
	struct elfmod_phdr p;
	char buf[4096], num[32];
	const char *name;
	int rc;

	fputs("{\"file\":", f);
	put_json_str(f, r->path);
	fprintf(f, ",\"class\":%u,\"data\":\"%s\",\"osabi\":%u,\"machine\":%u,\"machine_name\":", elf->cls,
		elf->big_endian ? "big" : "little", elf->osabi, elf->machine);
	put_json_name_or_null(f, elfmod_machine_name(elf->machine));
	fprintf(f, ",\"type\":%u,\"type_name\":", elf->type);
	put_json_name_or_null(f, etype_name(elf->type));
	fprintf(f, ",\"entry\":%" PRIu64 ",\"flags\":%" PRIu32, elf->entry, elf->flags);

	fputs(",\"sections\":[", f);
	for (uint32_t i = 0; i < elf->shnum; i++) {
		rc = elfmod_elf_shdr(elf, i, &s);
		if (!rc)
			rc = section_name(r, i, buf, sizeof(buf), &name);
		if (rc)
			return rc;
		fprintf(f, "%s{\"index\":%" PRIu32 ",\"name\":", i ? "," : "", i);
		put_json_str(f, name);
		fprintf(f, ",\"type\":%" PRIu32 ",\"type_name\":", s.type);
		put_json_name_or_null(f, shtype_name(elf->machine, s.type));
		fprintf(f, ",\"flags\":%" PRIu64 ",\"addr\":%" PRIu64 ",\"offset\":%" PRIu64
			",\"size\":%" PRIu64 ",\"link\":%" PRIu32 ",\"info\":%" PRIu32
			",\"align\":%" PRIu64 ",\"entsize\":%" PRIu64 "}",
			s.flags, s.addr, s.offset, s.size, s.link, s.info, s.addralign, s.entsize);
	}

	fputs("],\"segments\":[", f);
	for (uint32_t i = 0; i < elf->phnum; i++) {
		rc = elfmod_elf_phdr(elf, i, &p);
		if (rc)
			return rc;
		fprintf(f, "%s{\"index\":%" PRIu32 ",\"type\":%" PRIu32 ",\"type_name\":", i ? "," : "", i,
			p.type);
		put_json_name_or_null(f, ptype_name(elf->machine, p.type));
		fprintf(f, ",\"offset\":%" PRIu64 ",\"vaddr\":%" PRIu64 ",\"paddr\":%" PRIu64
			",\"filesz\":%" PRIu64 ",\"memsz\":%" PRIu64 ",\"flags\":%" PRIu32
			",\"align\":%" PRIu64 "}",
			p.offset, p.vaddr, p.paddr, p.filesz, p.memsz, p.flags, p.align);
	}

	fputs("],\"symtabs\":[", f);
	for (size_t i = 0; i < r->nsymtabs; i++) {
		const struct symtab_info *t = &r->symtabs[i];
		fprintf(f, "%s{\"section\":%" PRIu32 ",\"name\":", i ? "," : "", t->index);
		put_json_str(f, t->name);
		fprintf(f, ",\"type\":\"%s\",\"count\":%" PRIu32 ",\"undefined\":[",
			t->dynamic ? "DYNSYM" : "SYMTAB", t->count);
		for (size_t k = 0; k < t->nundef; k++) {
			if (k)
				fputc(',', f);
			put_json_str(f, t->undef[k]);
		}
		fputs("]}", f);
	}

	fputs("],\"relocations\":[", f);
	for (size_t i = 0; i < r->nrels; i++) {
		const struct rel_info *rel = &r->rels[i];
		fprintf(f, "%s{\"section\":%" PRIu32 ",\"name\":", i ? "," : "", rel->index);
		put_json_str(f, rel->name);
		fprintf(f, ",\"type\":\"%s\",\"count\":%" PRIu32 ",\"target\":%" PRIu32
			",\"symtab\":%" PRIu32 ",\"decoded\":%s,\"types\":{",
			rel->rela ? "RELA" : "REL", rel->count, rel->target, rel->symtab,
			rel->undecoded ? "false" : "true");
		for (size_t k = 0; k < rel->ntypes; k++) {
			if (k)
				fputc(',', f);
			put_json_str(f, tool_reloc_label(elf->machine, rel->types[k].type, num, sizeof(num)));
			fprintf(f, ":%" PRIu64, rel->types[k].n);
		}
		fputs("}}", f);
	}

	fputs("],\"unsupported\":[", f);
	for (size_t i = 0; i < r->nunsupported; i++) {
		if (i)
			fputc(',', f);
		put_json_str(f, r->unsupported[i]);
	}
	fputs("]}\n", f);
	return 0;
}

/* ---- the command ---- */

static int inspect_usage(void)
{
	fprintf(stderr, "usage: elfmod inspect FILE [--json]\n       elfmod inspect --supported [--json]\n");
	return 2;
}

/* `inspect --supported`: the relocation types each machine's engine implements, from
 * the core's own tables. */
static int print_supported(int json)
{
	int first_m = 1;

	if (json)
		printf("{\"machines\":[");
	for (uint32_t em = 0; em < 0x10000; em++) {
		const char *mn = elfmod_machine_name((uint16_t)em);
		uint32_t n = 0;
		if (!mn)
			continue;
		for (uint32_t t = 0; t < 4096; t++)
			n += (uint32_t)elfmod_reloc_supported((uint16_t)em, t);
		if (json)
			printf("%s{\"machine\":%u,\"name\":\"%s\",\"types\":[", first_m ? "" : ",", em, mn);
		else
			printf("%s (e_machine %u): %u relocation types%s\n", mn, em, n,
			       n ? "" : " (no relocation engine yet)");
		for (uint32_t t = 0, k = 0; t < 4096; t++) {
			const char *tn;
			if (!elfmod_reloc_supported((uint16_t)em, t))
				continue;
			tn = elfmod_reloc_name((uint16_t)em, t);
			if (json)
				printf("%s{\"type\":%u,\"name\":\"%s\"}", k++ ? "," : "", t, tn ? tn : "");
			else
				printf("  %4u  %s\n", t, tn ? tn : "(unnamed)");
		}
		if (json)
			printf("]}");
		first_m = 0;
	}
	if (json)
		printf("]}\n");
	return 0;
}

int cmd_inspect(int argc, char **argv)
{
	struct elfmod_posix_file file;
	struct report r;
	const char *path = NULL;
	char *out = NULL;
	size_t outlen = 0;
	int json = 0, rc;
	FILE *f;

	int supported = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--supported"))
			supported = 1;
		else if (!strcmp(argv[i], "--") && i + 2 == argc && !path)
			path = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return inspect_usage();
		else if (path)
			return inspect_usage();
		else
			path = argv[i];
	}
	if (supported && !path)
		return print_supported(json);
	if (!path || supported)
		return inspect_usage();

	memset(&r, 0, sizeof(r));
	r.path = path;
	rc = elfmod_posix_file_open(&file, path, 1);
	if (rc) {
		tool_error(path, rc, NULL);
		return 1;
	}
	rc = elfmod_elf_open(&r.elf, &file.src, &r.diag);
	if (!rc)
		rc = gather(&r);
	if (!rc) {
		f = open_memstream(&out, &outlen);
		if (!f) {
			fprintf(stderr, "elfmod: out of memory\n");
			exit(1);
		}
		rc = json ? print_json(&r, f) : print_text(&r, f);
		if (fclose(f) != 0) {
			fprintf(stderr, "elfmod: out of memory\n");
			exit(1);
		}
	}
	if (rc)
		tool_error(path, rc, &r.diag);
	else
		fwrite(out, 1, outlen, stdout);
	free(out);
	report_free(&r);
	elfmod_posix_file_close(&file);
	if (!rc && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "elfmod: write error\n");
		return 1;
	}
	return rc ? 1 : 0;
}
