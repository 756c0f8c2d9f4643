/*
 * elfmod check MODULE --exports FIRMWARE.elf|exports.c... [--dep MODULE]... [--allow FILE]...
 *              [--deny FILE]... [--hashed] [--json]
 *
 * Says, without running or relocating anything, whether a module will load on a
 * firmware, and why not: imports nobody exports (with the module functions that use
 * them), imports a hashed table would bind to another symbol of the same hash,
 * relocation types elfmod does not implement, an architecture or ABI the firmware does
 * not share (machine, class, byte order, ARM float ABI and EABI version, ARM code on a
 * Thumb-only CPU, RISC-V float ABI, RVE and ISA extensions, MIPS ABI, NaN and FP modes,
 * Xtensa ABI), and an ABI fingerprint other than the firmware table's. It also reports
 * what the module needs: alignment and text/rodata/data/bss sizes.
 *
 * The firmware side comes from the firmware's ELF file - the listing of the table it
 * compiled (.elfmod.listing, written by `elfmod exports`) and the entries ELFMOD_EXPORT
 * collected (section elfmod_exports), or else its symbol table read as `elfmod exports`
 * with the same --allow/--deny/--hashed would - or from the exports.c itself. --dep
 * names modules loaded before, searched first as the registry does. What depends on
 * addresses (reach of calls and PC-relative data) is left to the loader.
 *
 * Exit: 0 it will load, 1 it will not (or the module is not a valid ELF file), 2 usage
 * errors and firmware inputs that are not understood.
 */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "exports_cmd.h"
#include "tools.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STT_FUNC 2
#define STT_SECTION 3
#define STT_FILE 4
#define STB_LOCAL 0
#define STB_WEAK 2

#define DT_MIPS_GOTSYM 0x70000013u
#define DT_MIPS_SYMTABNO 0x70000011u

#define NAME_BUF 4096

struct import {
	char *name;
	int weak;
	enum { IMP_RESOLVED, IMP_BUILTIN, IMP_WEAK0, IMP_UNRESOLVED, IMP_COLLISION } status;
	const struct tool_xtable *table;
	const char *binds_to;
	char **refs;
	size_t nrefs;
	uint64_t count;
};

struct rtype {
	uint32_t type;
	uint64_t count;
	char *first;
};

/* A symbol of the module that may contain a place, for "referenced by". */
struct place_sym {
	uint32_t shndx;
	uint64_t value, size;
	uint8_t type;
	char *name;
};

struct msgs {
	char **m;
	size_t n;
};

struct check {
	const char *path;
	struct elfmod_posix_file file;
	int opened;
	struct elfmod_elf elf;
	struct elfmod_diag diag;
	struct tool_target mod, fw;
	int have_fw;
	struct tool_xtable *tabs;
	size_t ntabs;
	const char *fw_note;        /* how the firmware's export set was found */

	struct place_sym *syms;
	size_t nsyms;
	struct import *imps;
	size_t nimps;
	struct rtype *rtypes;
	size_t nrtypes;
	uint64_t nrels;
	int a32, t32;
	char *a32_where;
	uint64_t text, rodata, data, bss, align;
	int fp_state;               /* 0 none recorded, 1 recorded, -1 malformed */
	uint64_t mod_fp, fp_size;

	struct msgs errors, warnings;
	int fatal;                  /* the module could not be read: no further checks */
	int refused;                /* a file check does not handle (exit 2) */
};

static void msg(struct msgs *l, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	l->m = tool_xrealloc(l->m, (l->n + 1) * sizeof(*l->m));
	l->m[l->n++] = tool_xstrdup(buf);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) & ~(a - 1) : v;
}

/* ---- where a place is: the module symbol containing it ---- */

static int is_mapping_symbol(const char *n)
{
	return n[0] == '$' && n[1] && (n[2] == 0 || n[2] == '.');
}

static int collect_syms(struct check *c)
{
	struct elfmod_shdr sh;
	struct elfmod_sym s;
	uint32_t count;
	char buf[NAME_BUF];
	const char *name;
	int rc;

	if (!c->elf.symtab)
		return 0;
	if ((rc = elfmod_elf_sym_count(&c->elf, c->elf.symtab, &count)) ||
	    (rc = elfmod_elf_shdr(&c->elf, c->elf.symtab, &sh)))
		return rc;
	for (uint32_t i = 1; i < count; i++) {
		uint8_t type;
		if ((rc = elfmod_elf_sym(&c->elf, c->elf.symtab, i, &s)))
			return rc;
		type = ELFMOD_ST_TYPE(s.info);
		if (s.shndx == ELFMOD_SHN_UNDEF || s.shndx >= ELFMOD_SHN_LORESERVE || type == STT_SECTION ||
		    type == STT_FILE || !s.name)
			continue;
		rc = elfmod_elf_string(&c->elf, sh.link, s.name, buf, sizeof(buf), &name);
		if (rc == ELFMOD_ESPACE)
			continue;
		if (rc)
			return rc;
		if (c->elf.machine == ELFMOD_EM_ARM && is_mapping_symbol(name)) {
			struct elfmod_shdr ts;
			if ((rc = elfmod_elf_shdr(&c->elf, s.shndx, &ts)))
				return rc;
			if (!(ts.flags & ELFMOD_SHF_EXECINSTR) || ts.size == 0)
				continue;
			if (name[1] == 'a')
				c->a32 |= 1;
			if (name[1] == 't')
				c->t32 |= 1;
			/* Kept (renamed below) to say which function holds A32 code. */
			if (name[1] != 'a')
				continue;
		} else if (name[0] == '$' || !strncmp(name, ".L", 2)) {
			/* Mapping symbols ($x, $d, RISC-V's $xrv32i...) and local labels. */
			continue;
		}
		c->syms = tool_xrealloc(c->syms, (c->nsyms + 1) * sizeof(*c->syms));
		c->syms[c->nsyms].shndx = s.shndx;
		/* A Thumb function's st_value has bit 0 set; its code starts one byte lower. */
		c->syms[c->nsyms].value = c->elf.machine == ELFMOD_EM_ARM && type == STT_FUNC ? s.value & ~1ull : s.value;
		c->syms[c->nsyms].size = s.size;
		c->syms[c->nsyms].type = is_mapping_symbol(name) ? 0xff : type;
		c->syms[c->nsyms].name = tool_xstrdup(name);
		c->nsyms++;
		if (c->elf.machine == ELFMOD_EM_ARM && type == STT_FUNC) {
			/* Without mapping symbols (stripped of them), the function's own bit 0. */
			if (s.value & 1)
				c->t32 |= 2;
			else
				c->a32 |= 2;
		}
	}
	return 0;
}

/* The best name for a place: the function (or object) containing it, else the nearest
 * one before it in its section, else the section and offset. ET_DYN places are
 * addresses (shndx 0): a symbol containing one, else its section (.got, .got.plt: a
 * nearest symbol there says nothing). */
static char *place_name(struct check *c, uint32_t shndx, uint64_t off)
{
	const struct place_sym *best = NULL, *near = NULL;
	char buf[NAME_BUF + 64], sb[256];
	const char *sn = "?";

	for (size_t i = 0; i < c->nsyms; i++) {
		const struct place_sym *s = &c->syms[i];
		if ((shndx && s->shndx != shndx) || s->type == 0xff)
			continue;
		if (s->value <= off && off - s->value < s->size) {
			if (!best || (best->type != STT_FUNC && s->type == STT_FUNC))
				best = s;
		} else if (shndx && s->value <= off && (!near || s->value > near->value)) {
			near = s;
		}
	}
	if (best) {
		snprintf(buf, sizeof(buf), "%s", best->name);
	} else if (near) {
		snprintf(buf, sizeof(buf), "%s+0x%" PRIx64, near->name, off - near->value);
	} else {
		if (!shndx) {
			struct elfmod_shdr s;
			for (uint32_t i = 1; i < c->elf.shnum; i++)
				if (!elfmod_elf_shdr(&c->elf, i, &s) && (s.flags & ELFMOD_SHF_ALLOC) && s.addr <= off &&
				    off - s.addr < s.size) {
					shndx = i;
					off -= s.addr;
					break;
				}
		}
		if (shndx && elfmod_elf_section_name(&c->elf, shndx, sb, sizeof(sb), &sn))
			sn = "?";
		snprintf(buf, sizeof(buf), "%s+0x%" PRIx64, sn, off);
	}
	return tool_xstrdup(buf);
}

/* ---- imports ---- */

static struct import *import_get(struct check *c, const char *name, int weak)
{
	struct import *im;

	for (size_t i = 0; i < c->nimps; i++)
		if (!strcmp(c->imps[i].name, name))
			return &c->imps[i];
	c->imps = tool_xrealloc(c->imps, (c->nimps + 1) * sizeof(*c->imps));
	im = &c->imps[c->nimps++];
	memset(im, 0, sizeof(*im));
	im->name = tool_xstrdup(name);
	im->weak = weak;
	return im;
}

static void import_ref(struct import *im, char *where)
{
	im->count++;
	for (size_t i = 0; i < im->nrefs; i++)
		if (!strcmp(im->refs[i], where)) {
			free(where);
			return;
		}
	im->refs = tool_xrealloc(im->refs, (im->nrefs + 1) * sizeof(*im->refs));
	im->refs[im->nrefs++] = where;
}

static void resolve_imports(struct check *c)
{
	for (size_t i = 0; i < c->nimps; i++) {
		struct import *im = &c->imps[i];
		const struct tool_xsym *e = NULL;
		if (elfmod_builtin_symbol(c->elf.machine, c->elf.type != ELFMOD_ET_REL, im->name)) {
			im->status = IMP_BUILTIN;
			continue;
		}
		for (size_t k = 0; k < c->ntabs && !e; k++) {
			e = tool_xtable_find(&c->tabs[k], im->name);
			if (e)
				im->table = &c->tabs[k];
		}
		if (e && strcmp(e->name, im->name)) {
			im->status = IMP_COLLISION;
			im->binds_to = e->name;
			msg(&c->errors, "import '%s' would bind to '%s' by a hash collision (hashed table %s of %s)",
			    im->name, e->name, im->table->name, im->table->origin);
		} else if (e) {
			im->status = IMP_RESOLVED;
		} else if (im->weak) {
			im->status = IMP_WEAK0;
		} else {
			size_t n = 0;
			char refs[600];
			refs[0] = 0;
			for (size_t k = 0; k < im->nrefs && n + 1 < sizeof(refs); k++)
				n += (size_t)snprintf(refs + n, sizeof(refs) - n, "%s%s", k ? ", " : "", im->refs[k]);
			im->status = IMP_UNRESOLVED;
			msg(&c->errors, "unresolved import '%s' (referenced by %s)", im->name, refs);
		}
	}
}

/* ---- relocations ---- */

static void note_rtype(struct check *c, uint32_t type, uint32_t shndx, uint64_t off)
{
	for (size_t i = 0; i < c->nrtypes; i++)
		if (c->rtypes[i].type == type) {
			c->rtypes[i].count++;
			return;
		}
	c->rtypes = tool_xrealloc(c->rtypes, (c->nrtypes + 1) * sizeof(*c->rtypes));
	c->rtypes[c->nrtypes].type = type;
	c->rtypes[c->nrtypes].count = 1;
	c->rtypes[c->nrtypes].first = place_name(c, shndx, off);
	c->nrtypes++;
}

static int scan_relocs(struct check *c)
{
	int dyn = c->elf.type == ELFMOD_ET_DYN;
	uint32_t symtab = dyn ? c->elf.dynsym : c->elf.symtab;
	struct elfmod_shdr rs, ts, strsec;
	char buf[NAME_BUF], num[32], sb[256];
	const char *name, *sn;
	int rc;

	for (uint32_t i = 1; i < c->elf.shnum; i++) {
		uint32_t count;
		if ((rc = elfmod_elf_shdr(&c->elf, i, &rs)))
			return rc;
		if (rs.type != ELFMOD_SHT_REL && rs.type != ELFMOD_SHT_RELA)
			continue;
		if (dyn) {
			/* The dynamic relocations; anything else (kept -q sections) is not read. */
			if (!(rs.flags & ELFMOD_SHF_ALLOC) || !symtab || rs.link != symtab)
				continue;
		} else {
			if (rs.info == 0 || rs.info >= c->elf.shnum)
				continue;
			if ((rc = elfmod_elf_shdr(&c->elf, rs.info, &ts)))
				return rc;
			if (!(ts.flags & ELFMOD_SHF_ALLOC) || ts.size == 0)
				continue; /* debug information: the loader skips it */
			if (rs.link != c->elf.symtab) {
				if (elfmod_elf_section_name(&c->elf, i, sb, sizeof(sb), &sn))
					sn = "?";
				msg(&c->errors, "relocation section %s: linked to section %" PRIu32 ", not the symbol table",
				    sn, rs.link);
				continue;
			}
		}
		if ((rc = elfmod_elf_rel_count(&c->elf, i, &count)) || (rc = elfmod_elf_shdr(&c->elf, rs.link, &strsec)))
			return rc;
		for (uint32_t k = 0; k < count; k++) {
			struct elfmod_rel r;
			struct elfmod_sym s;
			uint32_t where = dyn ? 0 : rs.info;
			int ok;
			rc = elfmod_elf_rel(&c->elf, i, k, &r);
			if (rc == ELFMOD_EUNSUPPORTED) {
				if (elfmod_elf_section_name(&c->elf, i, sb, sizeof(sb), &sn))
					sn = "?";
				msg(&c->errors, "relocation section %s: an entry format elfmod does not decode", sn);
				break;
			}
			if (rc)
				return rc;
			c->nrels++;
			ok = dyn ? elfmod_dynreloc_supported(c->elf.machine, c->elf.cls, r.type)
				 : elfmod_reloc_supported(c->elf.machine, r.type);
			if (!ok)
				note_rtype(c, r.type, where, r.offset);
			/* A relocation that changes nothing imports nothing. */
			if (r.type == 0 || r.sym == 0 || (!dyn && elfmod_reloc_is_hint(c->elf.machine, r.type)))
				continue;
			if ((rc = elfmod_elf_sym(&c->elf, rs.link, r.sym, &s)))
				return rc;
			if (s.shndx != ELFMOD_SHN_UNDEF || ELFMOD_ST_BIND(s.info) == STB_LOCAL)
				continue;
			rc = elfmod_elf_string(&c->elf, strsec.link, s.name, buf, sizeof(buf), &name);
			if (rc == ELFMOD_ESPACE) {
				msg(&c->errors, "relocation %" PRIu32 " of section %" PRIu32 ": a symbol name over %d bytes", k,
				    i, NAME_BUF - 1);
				continue;
			}
			if (rc)
				return rc;
			import_ref(import_get(c, name, ELFMOD_ST_BIND(s.info) == STB_WEAK), place_name(c, where, r.offset));
		}
	}
	for (size_t i = 0; i < c->nrtypes; i++)
		msg(&c->errors, "relocation type %s (%" PRIu64 "x, first in %s): elfmod does not implement it",
		    tool_reloc_label(c->elf.machine, c->rtypes[i].type, num, sizeof(num)), c->rtypes[i].count,
		    c->rtypes[i].first);
	return 0;
}

/* MIPS shared objects also import through the global part of their GOT: dynamic
 * symbols from DT_MIPS_GOTSYM on, with no relocation entries. */
static int mips_got_imports(struct check *c)
{
	uint64_t gotsym = UINT64_MAX, symtabno = UINT64_MAX;
	struct elfmod_shdr s, ds, strsec;
	char buf[NAME_BUF];
	const char *name;
	uint32_t count;
	int rc;

	if (c->elf.machine != ELFMOD_EM_MIPS || c->elf.type != ELFMOD_ET_DYN || !c->elf.dynsym)
		return 0;
	for (uint32_t i = 1; i < c->elf.shnum; i++) {
		uint8_t *b;
		size_t n, w = c->elf.cls == 64 ? 8 : 4;
		if ((rc = elfmod_elf_shdr(&c->elf, i, &s)))
			return rc;
		if (s.type != ELFMOD_SHT_DYNAMIC)
			continue;
		if ((rc = tool_section_read(&c->elf, i, 1u << 20, &b, &n)))
			return rc;
		for (size_t o = 0; o + 2 * w <= n; o += 2 * w) {
			uint64_t tag = 0, val = 0;
			for (size_t j = 0; j < w; j++) {
				size_t bt = c->elf.big_endian ? j : w - 1 - j;
				tag = tag << 8 | b[o + bt];
				val = val << 8 | b[o + w + bt];
			}
			if (tag == DT_MIPS_GOTSYM)
				gotsym = val;
			else if (tag == DT_MIPS_SYMTABNO)
				symtabno = val;
		}
		free(b);
	}
	if (gotsym == UINT64_MAX)
		return 0;
	if ((rc = elfmod_elf_sym_count(&c->elf, c->elf.dynsym, &count)) ||
	    (rc = elfmod_elf_shdr(&c->elf, c->elf.dynsym, &ds)) || (rc = elfmod_elf_shdr(&c->elf, ds.link, &strsec)))
		return rc;
	(void)strsec;
	if (symtabno > count)
		symtabno = count;
	for (uint64_t i = gotsym; i < symtabno; i++) {
		struct elfmod_sym sym;
		if ((rc = elfmod_elf_sym(&c->elf, c->elf.dynsym, (uint32_t)i, &sym)))
			return rc;
		if (sym.shndx != ELFMOD_SHN_UNDEF || ELFMOD_ST_BIND(sym.info) == STB_LOCAL)
			continue;
		if ((rc = elfmod_elf_string(&c->elf, ds.link, sym.name, buf, sizeof(buf), &name)))
			return rc;
		import_ref(import_get(c, name, ELFMOD_ST_BIND(sym.info) == STB_WEAK), tool_xstrdup(".got"));
	}
	return 0;
}

/* ---- sections: sizes, alignment, the ABI record ---- */

static int scan_sections(struct check *c)
{
	struct elfmod_shdr s;
	struct elfmod_phdr p;
	char buf[64];
	const char *n;
	int rc;

	c->align = 1;
	for (uint32_t i = 1; i < c->elf.shnum; i++) {
		uint64_t *sz;
		if ((rc = elfmod_elf_shdr(&c->elf, i, &s)))
			return rc;
		if (s.type == ELFMOD_SHT_PROGBITS && !(s.flags & ELFMOD_SHF_ALLOC)) {
			rc = elfmod_elf_section_name(&c->elf, i, buf, sizeof(buf), &n);
			if (rc == ELFMOD_ESPACE)
				continue;
			if (rc)
				return rc;
			if (!strcmp(n, TOOL_ABI_SECTION) && c->fp_state == 0) {
				uint8_t *b;
				size_t len;
				c->fp_size = s.size;
				if (s.size != 8) {
					c->fp_state = -1;
					continue;
				}
				if ((rc = tool_section_read(&c->elf, i, 8, &b, &len)))
					return rc;
				for (int k = 7; k >= 0; k--)
					c->mod_fp = c->mod_fp << 8 | b[k];
				free(b);
				c->fp_state = 1;
			}
			continue;
		}
		if (!(s.flags & ELFMOD_SHF_ALLOC) || s.size == 0 || s.type == ELFMOD_SHT_GROUP)
			continue;
		if (s.flags & ELFMOD_SHF_EXECINSTR)
			sz = &c->text;
		else if (s.type == ELFMOD_SHT_NOBITS)
			sz = &c->bss;
		else if (s.flags & ELFMOD_SHF_WRITE)
			sz = &c->data;
		else
			sz = &c->rodata;
		*sz = align_up(*sz, s.addralign) + s.size;
		if (s.addralign > c->align)
			c->align = s.addralign;
	}
	if (c->elf.type == ELFMOD_ET_DYN) {
		/* The loader maps the image whole, aligned as its segments ask. */
		for (uint32_t i = 0; i < c->elf.phnum; i++) {
			if ((rc = elfmod_elf_phdr(&c->elf, i, &p)))
				return rc;
			if (p.type == ELFMOD_PT_LOAD && p.align > c->align)
				c->align = p.align;
		}
	} else if (c->elf.symtab) {
		/* SHN_COMMON symbols end up in .bss; st_value is their alignment. */
		struct elfmod_sym sym;
		uint32_t count;
		if ((rc = elfmod_elf_sym_count(&c->elf, c->elf.symtab, &count)))
			return rc;
		for (uint32_t i = 1; i < count; i++) {
			if ((rc = elfmod_elf_sym(&c->elf, c->elf.symtab, i, &sym)))
				return rc;
			if (sym.shndx != ELFMOD_SHN_COMMON)
				continue;
			c->bss = align_up(c->bss, sym.value) + sym.size;
			if (sym.value > c->align)
				c->align = sym.value;
		}
	}
	return 0;
}

/* ---- architecture and ABI ---- */

#define EF_ARM_EABIMASK 0xff000000u
#define EF_ARM_BE8 0x00800000u
#define EF_ARM_SOFT 0x00000200u
#define EF_ARM_HARD 0x00000400u

static const char *arm_arch_name(int a)
{
	static const char *const names[] = {
		"ARM before v4", "ARMv4", "ARMv4T", "ARMv5T", "ARMv5TE", "ARMv5TEJ", "ARMv6", "ARMv6KZ",
		"ARMv6T2", "ARMv6K", "ARMv7", "ARMv6-M", "ARMv6S-M", "ARMv7E-M", "ARMv8-A", "ARMv8-R",
		"ARMv8-M.baseline", "ARMv8-M.mainline", "ARMv8.1-A", "ARMv8.2-A", "ARMv8.3-A",
		"ARMv8.1-M.mainline", "ARMv9",
	};
	return a >= 0 && (size_t)a < sizeof(names) / sizeof(names[0]) ? names[a] : "an unknown ARM architecture";
}

/* Orders the M-profile architectures by what they execute; 0: not M-profile. */
static int arm_m_rank(const struct tool_target *t)
{
	switch (t->arm_arch) {
	case 11: case 12: return 1;   /* v6-M, v6S-M: Thumb-1 and a few Thumb-2 */
	case 16: return 2;            /* v8-M.baseline */
	case 10: return t->arm_profile == 'M' ? 3 : 0; /* v7-M */
	case 13: return 4;            /* v7E-M */
	case 17: return 5;            /* v8-M.mainline */
	case 21: return 6;            /* v8.1-M.mainline */
	}
	return 0;
}

/* Where float arguments go: 0 core registers, 1 VFP registers, 2 toolchain-specific,
 * 3 none passed (either works), -1 unknown. Executables carry it in e_flags (ld sets
 * it), objects in Tag_ABI_VFP_args. */
static int arm_float(const struct tool_target *t)
{
	if (t->flags & EF_ARM_HARD)
		return 1;
	if (t->flags & EF_ARM_SOFT)
		return 0;
	return t->arm_attrs ? t->arm_vfp_args : -1;
}

static const char *arm_float_name(int f)
{
	switch (f) {
	case 0: return "soft-float (floating-point arguments in core registers)";
	case 1: return "hard-float (floating-point arguments in VFP registers)";
	case 2: return "a toolchain-specific float ABI";
	}
	return "any float ABI";
}

static void check_arm(struct check *c)
{
	const struct tool_target *m = &c->mod, *f = &c->fw;
	int mf = arm_float(m), ff = arm_float(f);
	int fw_no_arm = f->arm_profile == 'M' || (f->arm_attrs && f->arm_isa == 0);

	if ((m->flags & EF_ARM_EABIMASK) != 0x05000000u)
		msg(&c->errors, "ARM EABI version %u: elfmod loads version 5 objects only",
		    (unsigned)(m->flags >> 24));
	if (m->flags & EF_ARM_BE8)
		msg(&c->errors, "ARM BE8 image: elfmod loads big-endian ARM objects before ld --be8 made them BE8");
	if ((m->flags & EF_ARM_HARD) && (m->flags & EF_ARM_SOFT))
		msg(&c->errors, "ARM e_flags claim both the soft-float and the hard-float ABI");
	else if (mf >= 0 && ff >= 0 && mf != 3 && ff != 3 && mf != ff)
		msg(&c->errors, "float ABI: the module is %s, the firmware %s", arm_float_name(mf), arm_float_name(ff));

	/* ARM or Thumb: mapping symbols say ($a/$t); without them, bit 0 of functions. */
	if ((c->a32 & 1) || (!(c->a32 & 1) && !(c->t32 & 1) && (c->a32 & 2))) {
		if (fw_no_arm)
			msg(&c->errors, "ARM (A32) code%s%s: the firmware's CPU (%s%s) executes Thumb code only",
			    c->a32_where ? " in " : "", c->a32_where ? c->a32_where : "",
			    f->arm_profile == 'M' ? "M-profile, " : "", arm_arch_name(f->arm_arch));
	}
	if (((c->t32 & 1) || (!(c->a32 & 1) && !(c->t32 & 1) && (c->t32 & 2))) && f->arm_attrs && f->arm_thumb == 0 &&
	    f->arm_arch >= 0)
		msg(&c->errors, "Thumb code: the firmware's CPU (%s) has no Thumb state", arm_arch_name(f->arm_arch));

	if (f->arm_profile == 'M' && m->arm_attrs) {
		int mr = arm_m_rank(m), fr = arm_m_rank(f);
		if (m->arm_profile == 'A' || m->arm_profile == 'R')
			msg(&c->errors, "built for an %c-profile CPU (%s): the firmware's is M-profile (%s)",
			    m->arm_profile, arm_arch_name(m->arm_arch), arm_arch_name(f->arm_arch));
		else if (mr && fr && mr > fr)
			msg(&c->errors, "built for %s: the firmware's CPU is %s", arm_arch_name(m->arm_arch),
			    arm_arch_name(f->arm_arch));
		else if (!mr)
			msg(&c->warnings, "built for %s, not for an M-profile CPU: its instructions may not all "
					  "exist on the firmware's %s",
			    arm_arch_name(m->arm_arch), arm_arch_name(f->arm_arch));
	}
	if (m->arm_attrs && f->arm_attrs) {
		if (m->arm_fp > 0 && f->arm_fp == 0)
			msg(&c->warnings, "the module uses floating-point instructions; the firmware was built "
					  "without them (its CPU may have no FPU)");
		if ((m->arm_enum == 1 && f->arm_enum >= 2) || (f->arm_enum == 1 && m->arm_enum >= 2))
			msg(&c->warnings, "enum size: the module uses %s enums, the firmware %s (-fshort-enums differs)",
			    m->arm_enum == 1 ? "short" : "int-sized", f->arm_enum == 1 ? "short" : "int-sized");
		if (m->arm_wchar && f->arm_wchar && m->arm_wchar != f->arm_wchar)
			msg(&c->warnings, "wchar_t: %d bytes in the module, %d in the firmware", m->arm_wchar, f->arm_wchar);
	}
}

#define EF_RISCV_RVC 0x1u
#define EF_RISCV_FLOAT 0x6u
#define EF_RISCV_RVE 0x8u
#define EF_RISCV_TSO 0x10u

static void riscv_abi_name(const struct tool_target *t, char *buf, size_t size)
{
	static const char *const fl[] = { "", "f", "d", "q" };

	snprintf(buf, size, "%s%s%s", t->cls == 64 ? "lp64" : "ilp32", (t->flags & EF_RISCV_RVE) ? "e" : "",
		 fl[(t->flags & EF_RISCV_FLOAT) >> 1]);
}

/* The extensions named by a Tag_RISCV_arch string ("rv32i2p1_m2p0_c2p0_zicsr2p0"), one
 * per entry, without versions; 'g' expanded. */
static size_t riscv_exts(const char *arch, char ext[][32], size_t max)
{
	size_t n = 0;
	const char *p = arch;

#define ADD(s, len)                                                                            \
	do {                                                                                   \
		if (n < max && (len) < 32) {                                                   \
			memcpy(ext[n], (s), (len));                                            \
			ext[n++][(len)] = 0;                                                   \
		}                                                                              \
	} while (0)
	if (!strncmp(p, "rv32", 4) || !strncmp(p, "rv64", 4))
		p += 4;
	while (*p) {
		const char *e = strchr(p, '_');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len && (p[0] == 'z' || p[0] == 's' || p[0] == 'x')) {
			/* A multi-letter name, then maybe a version "<digits>p<digits>". */
			size_t k = len;
			while (k && p[k - 1] >= '0' && p[k - 1] <= '9')
				k--;
			if (k < len && k > 1 && p[k - 1] == 'p') {
				size_t j = k - 1;
				while (j && p[j - 1] >= '0' && p[j - 1] <= '9')
					j--;
				if (j < k - 1)
					k = j;
				else
					k = len;
			} else {
				k = len;
			}
			ADD(p, k);
		} else {
			for (size_t i = 0; i < len; i++) {
				if (p[i] >= '0' && p[i] <= '9')
					continue;
				if (p[i] == 'p' && i && p[i - 1] >= '0' && p[i - 1] <= '9')
					continue;
				if (p[i] == 'g') {
					static const char *const g[] = { "i", "m", "a", "f", "d", "zicsr", "zifencei" };
					for (size_t k = 0; k < sizeof(g) / sizeof(g[0]); k++)
						ADD(g[k], strlen(g[k]));
				} else {
					ADD(p + i, 1);
				}
			}
		}
		p += len;
		if (*p == '_')
			p++;
	}
#undef ADD
	return n;
}

static int has_ext(char ext[][32], size_t n, const char *x)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ext[i], x))
			return 1;
	return 0;
}

/* Whether the firmware's ISA provides extension x, counting what implies it. */
static int fw_has_ext(char ext[][32], size_t n, const char *x)
{
	if (has_ext(ext, n, x))
		return 1;
	/* Before the 2019 ISA split, I included Zicsr and Zifencei. */
	if ((!strcmp(x, "zicsr") || !strcmp(x, "zifencei")) && (has_ext(ext, n, "i") || has_ext(ext, n, "e")))
		return 1;
	if (!strcmp(x, "zmmul") && has_ext(ext, n, "m"))
		return 1;
	if (!strcmp(x, "f") && has_ext(ext, n, "d"))
		return 1;
	if (!strcmp(x, "zca") && has_ext(ext, n, "c"))
		return 1;
	return 0;
}

static void check_riscv(struct check *c)
{
	const struct tool_target *m = &c->mod, *f = &c->fw;
	char ma[32], fa[32], mext[64][32], fext[64][32];
	size_t nm = riscv_exts(m->riscv_arch, mext, 64), nf = riscv_exts(f->riscv_arch, fext, 64);

	riscv_abi_name(m, ma, sizeof(ma));
	riscv_abi_name(f, fa, sizeof(fa));
	if ((m->flags & (EF_RISCV_FLOAT | EF_RISCV_RVE)) != (f->flags & (EF_RISCV_FLOAT | EF_RISCV_RVE)))
		msg(&c->errors, "ABI: the module is %s, the firmware %s", ma, fa);
	if ((m->flags & EF_RISCV_TSO) && !(f->flags & EF_RISCV_TSO))
		msg(&c->warnings, "the module assumes the TSO memory model (Ztso); the firmware does not");
	if ((m->flags & EF_RISCV_RVC) && !(f->flags & EF_RISCV_RVC) &&
	    !(nf && (has_ext(fext, nf, "c") || has_ext(fext, nf, "zca"))))
		msg(&c->errors, "compressed instructions (C extension): the firmware's ISA (%s) has none",
		    f->riscv_arch[0] ? f->riscv_arch : "without C in its e_flags");
	if (nm && nf) {
		for (size_t i = 0; i < nm; i++) {
			if (!strcmp(mext[i], "c") && (m->flags & EF_RISCV_RVC) && !(f->flags & EF_RISCV_RVC))
				continue; /* said above */
			if (!strcmp(mext[i], "e") && ((m->flags ^ f->flags) & EF_RISCV_RVE))
				continue; /* the ABI line says it */
			if (!fw_has_ext(fext, nf, mext[i]))
				msg(&c->errors, "ISA: the module uses extension '%s' (%s), the firmware's ISA is %s", mext[i],
				    m->riscv_arch, f->riscv_arch);
		}
	}
}

#define EF_MIPS_ABI2 0x00000020u
#define EF_MIPS_FP64 0x00000200u
#define EF_MIPS_NAN2008 0x00000400u
#define EF_MIPS_ABI 0x0000f000u
#define EF_MIPS_ABI_O32 0x00001000u
#define EF_MIPS_ARCH 0xf0000000u

static const char *mips_fp_name(int v)
{
	static const char *const names[] = { "any", "hard-float FP32 (double)", "hard-float single",
					     "soft-float", "old FP64", "FPXX", "FP64", "FP64A" };
	return v >= 0 && v < 8 ? names[v] : "unknown";
}

static int mips_fp_compatible(int a, int b)
{
	if (a == b || a == 0 || b == 0)
		return 1;
	/* FPXX runs in either FPU register mode. */
	if (a == 5 || b == 5)
		return (a >= 5 || a == 1) && (b >= 5 || b == 1);
	return (a == 6 && b == 7) || (a == 7 && b == 6);
}

static void check_mips(struct check *c)
{
	const struct tool_target *m = &c->mod, *f = &c->fw;
	/* Old tools leave the ABI field 0 for o32. */
	uint32_t abi = m->flags & EF_MIPS_ABI, fabi = f->flags & EF_MIPS_ABI;
	uint32_t marc = m->flags & EF_MIPS_ARCH, farc = f->flags & EF_MIPS_ARCH;
	int mr6 = marc == 0x90000000u || marc == 0xa0000000u, fr6 = farc == 0x90000000u || farc == 0xa0000000u;

	if (!abi)
		abi = EF_MIPS_ABI_O32;
	if (!fabi)
		fabi = EF_MIPS_ABI_O32;
	if ((m->flags & EF_MIPS_ABI2) || abi != EF_MIPS_ABI_O32)
		msg(&c->errors, "MIPS ABI: elfmod loads o32 objects only (e_flags 0x%" PRIx32 ")", m->flags);
	else if ((f->flags & EF_MIPS_ABI2) || fabi != abi)
		msg(&c->errors, "MIPS ABI: the module's (e_flags 0x%" PRIx32 ") is not the firmware's (0x%" PRIx32 ")",
		    m->flags, f->flags);
	if ((m->flags ^ f->flags) & EF_MIPS_NAN2008)
		msg(&c->errors, "NaN encoding: the module uses %s NaNs, the firmware %s",
		    (m->flags & EF_MIPS_NAN2008) ? "IEEE 754-2008" : "legacy",
		    (f->flags & EF_MIPS_NAN2008) ? "IEEE 754-2008" : "legacy");
	if (mr6 != fr6)
		msg(&c->errors, "the module is built for MIPS %s, the firmware for MIPS %s (other encodings)",
		    mr6 ? "R6" : "before R6", fr6 ? "R6" : "before R6");
	if ((m->flags & EF_MIPS_FP64) && !(f->flags & EF_MIPS_FP64))
		msg(&c->errors, "the module needs 64-bit FPU registers (FP64), the firmware runs with 32-bit ones");
	if (m->mips_fp >= 0 && f->mips_fp >= 0 && !mips_fp_compatible(m->mips_fp, f->mips_fp))
		msg(&c->errors, "floating-point ABI: the module is %s, the firmware %s", mips_fp_name(m->mips_fp),
		    mips_fp_name(f->mips_fp));
	if (m->mips_isa >= 0 && f->mips_isa >= 0 &&
	    (m->mips_isa > f->mips_isa || (m->mips_isa == f->mips_isa && m->mips_rev > f->mips_rev)))
		msg(&c->warnings, "built for MIPS%d r%d, the firmware for MIPS%d r%d", m->mips_isa, m->mips_rev,
		    f->mips_isa, f->mips_rev);
}

static void check_xtensa(struct check *c)
{
	const struct tool_target *m = &c->mod, *f = &c->fw;

	if ((m->flags & 0xf) && (f->flags & 0xf) && (m->flags & 0xf) != (f->flags & 0xf))
		msg(&c->errors, "Xtensa machine variant %u, the firmware's is %u", m->flags & 0xf, f->flags & 0xf);
	if (m->xtensa_abi >= 0 && f->xtensa_abi >= 0 && m->xtensa_abi != f->xtensa_abi)
		msg(&c->errors, "Xtensa ABI: the module uses the %s ABI, the firmware the %s one",
		    m->xtensa_abi == 1 ? "call0" : m->xtensa_abi == 0 ? "windowed" : "unknown",
		    f->xtensa_abi == 1 ? "call0" : f->xtensa_abi == 0 ? "windowed" : "unknown");
	if (m->xtensa_abslit >= 0 && f->xtensa_abslit >= 0 && m->xtensa_abslit != f->xtensa_abslit)
		msg(&c->warnings, "absolute literals: %s in the module, %s in the firmware",
		    m->xtensa_abslit ? "used" : "not used", f->xtensa_abslit ? "used" : "not used");
}

static void check_target(struct check *c)
{
	const struct tool_target *m = &c->mod, *f = &c->fw;
	const char *mn = elfmod_machine_name(m->machine), *fn;

	if (!elfmod_machine_supported(m->machine)) {
		msg(&c->errors, "machine %u (%s): elfmod has no relocation engine for it", m->machine, mn ? mn : "unknown");
		return;
	}
	if (!c->have_fw)
		return;
	fn = elfmod_machine_name(f->machine);
	if (m->machine != f->machine) {
		msg(&c->errors, "machine: the module is for %s (%u), the firmware for %s (%u)", mn ? mn : "?", m->machine,
		    fn ? fn : "?", f->machine);
		return;
	}
	if (m->cls != f->cls)
		msg(&c->errors, "class: the module is ELF%u, the firmware ELF%u", m->cls, f->cls);
	if (m->big_endian != f->big_endian)
		msg(&c->errors, "byte order: the module is %s-endian, the firmware %s-endian",
		    m->big_endian ? "big" : "little", f->big_endian ? "big" : "little");
	if (m->cls != f->cls || m->big_endian != f->big_endian)
		return;
	switch (m->machine) {
	case ELFMOD_EM_ARM: check_arm(c); break;
	case ELFMOD_EM_RISCV: check_riscv(c); break;
	case ELFMOD_EM_MIPS: check_mips(c); break;
	case ELFMOD_EM_XTENSA: check_xtensa(c); break;
	}
}

/* Names the function holding the module's first A32 code ($a), for the message. */
static void locate_a32(struct check *c)
{
	for (size_t i = 0; i < c->nsyms; i++)
		if (c->syms[i].type == 0xff && c->syms[i].name[1] == 'a') {
			c->a32_where = place_name(c, c->syms[i].shndx, c->syms[i].value);
			return;
		}
}

/* ---- the firmware side ---- */

/* `n` bytes of the image at link address `vaddr`, from the section holding them. */
static int read_at(const struct elfmod_elf *elf, uint64_t vaddr, uint8_t *buf, size_t n, size_t *got)
{
	const struct elfmod_source *src = elf->src;
	struct elfmod_shdr s;

	for (uint32_t i = 1; i < elf->shnum; i++) {
		uint64_t off, len;
		if (elfmod_elf_shdr(elf, i, &s))
			return -1;
		if (!(s.flags & ELFMOD_SHF_ALLOC) || s.type == ELFMOD_SHT_NOBITS || vaddr < s.addr ||
		    vaddr - s.addr >= s.size)
			continue;
		off = s.offset + (vaddr - s.addr);
		len = s.size - (vaddr - s.addr);
		if (len > n)
			len = n;
		if (off > src->size || len > src->size - off)
			return -1;
		if (src->data)
			memcpy(buf, (const uint8_t *)src->data + off, (size_t)len);
		else if (src->read(src->ctx, off, buf, (size_t)len))
			return -1;
		*got = (size_t)len;
		return 0;
	}
	return -1;
}

/* A pointer-sized word of the image as the firmware sees it once loaded: the file's
 * bytes, or, in a position-independent firmware, what the dynamic relocation at that
 * place makes of them (linkers may leave RELA places 0). */
static int word_at(const struct elfmod_elf *elf, uint64_t vaddr, uint64_t *val)
{
	size_t w = elf->cls == 64 ? 8 : 4, got = 0;
	struct elfmod_shdr rs;
	uint8_t b[8];

	if (read_at(elf, vaddr, b, w, &got) || got != w)
		return -1;
	*val = 0;
	for (size_t j = 0; j < w; j++)
		*val = *val << 8 | b[elf->big_endian ? j : w - 1 - j];
	if (elf->type != ELFMOD_ET_DYN)
		return 0;
	for (uint32_t i = 1; i < elf->shnum; i++) {
		uint32_t count;
		if (elfmod_elf_shdr(elf, i, &rs))
			return -1;
		if ((rs.type != ELFMOD_SHT_REL && rs.type != ELFMOD_SHT_RELA) || !(rs.flags & ELFMOD_SHF_ALLOC) ||
		    elfmod_elf_rel_count(elf, i, &count))
			continue;
		for (uint32_t k = 0; k < count; k++) {
			struct elfmod_rel r;
			struct elfmod_sym sym;
			uint64_t S = 0;
			if (elfmod_elf_rel(elf, i, k, &r))
				break;
			if (r.offset != vaddr)
				continue;
			if (r.sym && !elfmod_elf_sym(elf, rs.link, r.sym, &sym) && sym.shndx != ELFMOD_SHN_UNDEF)
				S = sym.value;
			*val = rs.type == ELFMOD_SHT_RELA ? S + (uint64_t)r.addend : *val + S;
			return 0;
		}
	}
	return 0;
}

/* The table ELFMOD_EXPORT collects into the section elfmod_exports: pairs of pointers
 * (name, address), the names read from the image. It has no fingerprint (the firmware
 * may give it one at run time: check cannot know). */
static int add_collected(struct check *c, const struct elfmod_elf *elf, const char *path, int *added)
{
	struct tool_xtable x;
	struct elfmod_shdr s;
	uint32_t idx;
	size_t w = elf->cls == 64 ? 8 : 4, cap = 0, dup;
	int rc;

	*added = 0;
	if ((rc = tool_section_find(elf, "elfmod_exports", &idx))) {
		tool_error(path, rc, elf->diag);
		return -1;
	}
	if (!idx)
		return 0;
	if ((rc = elfmod_elf_shdr(elf, idx, &s))) {
		tool_error(path, rc, elf->diag);
		return -1;
	}
	if (!(s.flags & ELFMOD_SHF_ALLOC) || s.type == ELFMOD_SHT_NOBITS || s.size % (2 * w)) {
		fprintf(stderr, "elfmod: %s: section elfmod_exports is not a table of ELFMOD_EXPORT entries\n", path);
		return -1;
	}
	memset(&x, 0, sizeof(x));
	for (uint64_t k = 0; k < s.size / (2 * w); k++) {
		char buf[NAME_BUF];
		size_t got = 0;
		uint64_t p;
		if (word_at(elf, s.addr + k * 2 * w, &p) || read_at(elf, p, (uint8_t *)buf, sizeof(buf), &got) ||
		    !memchr(buf, 0, got)) {
			fprintf(stderr, "elfmod: %s: elfmod_exports entry %" PRIu64 ": its name is not in the image\n",
				path, k);
			tool_xtable_free(&x);
			return -1;
		}
		if (x.n == cap) {
			cap = cap ? cap * 2 : 32;
			x.e = tool_xrealloc(x.e, cap * sizeof(*x.e));
		}
		x.e[x.n].name = tool_xstrdup(buf);
		x.e[x.n].type = 0;
		x.n++;
	}
	dup = tool_xtable_finish(&x);
	if (dup != x.n) {
		fprintf(stderr, "elfmod: %s: ELFMOD_EXPORT names '%s' twice: elfmod_exports_init refuses the table\n",
			path, x.e[dup].name);
		tool_xtable_free(&x);
		return -1;
	}
	x.fingerprint = 0;
	x.origin = tool_xstrdup(path);
	x.name = tool_xstrdup("elfmod_exports (ELFMOD_EXPORT)");
	c->tabs = tool_xrealloc(c->tabs, (c->ntabs + 1) * sizeof(*c->tabs));
	c->tabs[c->ntabs++] = x;
	*added = 1;
	return 0;
}

static int add_elf_exports(struct check *c, const char *path, struct tool_patterns *allow,
			   struct tool_patterns *deny, int hashed)
{
	struct elfmod_posix_file f;
	struct elfmod_diag d;
	struct elfmod_elf elf;
	struct tool_target t;
	size_t before = c->ntabs;
	int have = 0, ret = -1;

	if (tool_elf_open(path, &f, &elf, &d))
		return -1;
	if (elf.type != ELFMOD_ET_EXEC && elf.type != ELFMOD_ET_DYN) {
		fprintf(stderr, "elfmod: %s: not a linked firmware (e_type %u)\n", path, elf.type);
		goto out;
	}
	if (tool_target_read(&elf, path, &t))
		goto out;
	if (tool_firmware_listing(&elf, path, &c->tabs, &c->ntabs, &t, &have))
		goto out;
	if (c->ntabs > before)
		c->fw_note = "the listing of the table compiled into the firmware";
	if (add_collected(c, &elf, path, &have))
		goto out;
	if (have)
		c->fw_note = c->ntabs > before + 1 ? "the firmware's listing and its ELFMOD_EXPORT entries"
						   : "the firmware's ELFMOD_EXPORT entries";
	if (c->ntabs > before) {
		if (allow->n || deny->n || hashed)
			fprintf(stderr, "elfmod: warning: %s has its export tables: --allow, --deny and --hashed do not "
					"apply\n",
				path);
		/* The ELF header is the authority; the listing's target is the generator's copy. */
		tool_target_read(&elf, path, &t);
	} else {
		struct tool_xtable x;
		if (tool_xtable_from_symbols(&elf, path, allow, deny, &x))
			goto out;
		x.name = tool_xstrdup("(symbol table)");
		x.hashed = hashed;
		for (size_t i = 1; hashed && i < x.n; i++)
			if (x.e[i].hash == x.e[i - 1].hash)
				fprintf(stderr, "elfmod: warning: %s: '%s' and '%s' have the same hash: `elfmod exports "
						"--hashed` refuses this set\n",
					path, x.e[i - 1].name, x.e[i].name);
		c->tabs = tool_xrealloc(c->tabs, (c->ntabs + 1) * sizeof(*c->tabs));
		c->tabs[c->ntabs++] = x;
		c->fw_note = "the firmware's symbol table, as `elfmod exports` would read it";
	}
	if (c->have_fw && !tool_target_same(&c->fw, &t)) {
		fprintf(stderr, "elfmod: %s: another target than the other --exports\n", path);
		goto out;
	}
	c->fw = t;
	c->have_fw = 1;
	ret = 0;
out:
	elfmod_posix_file_close(&f);
	return ret;
}

/* An exports.c: the listing in its leading comment, and the table it defines. */
static int add_c_exports(struct check *c, const char *path, const char *text, size_t len)
{
	char *lst = NULL;
	size_t n = 0, before = c->ntabs;
	struct tool_target t;
	int have = 0, ret = -1;

	if (tool_listing_from_c(text, len, path, &lst, &n))
		goto out;
	if (tool_listing_parse(lst, n, path, &c->tabs, &c->ntabs, &t, &have))
		goto out;
	for (size_t k = before; k < c->ntabs; k++) {
		/* The definition must be there and agree with its listing. */
		const struct tool_xtable *x = &c->tabs[k];
		char want[300], *def;
		unsigned long long cnt = 0, fp = 0;
		snprintf(want, sizeof(want), "const struct elfmod_exports %s = {\n\t", x->name);
		def = strstr(text, want);
		if (def && x->n) {
			char fmt[400];
			snprintf(fmt, sizeof(fmt), "%s_syms, %s_index, %%lluu, 0x%%llxull,", x->name, x->name);
			if (sscanf(def + strlen(want), fmt, &cnt, &fp) != 2)
				def = NULL;
		} else if (def && sscanf(def + strlen(want), "NULL, NULL, %lluu, 0x%llxull,", &cnt, &fp) != 2) {
			def = NULL;
		}
		if (!def || cnt != x->n || fp != x->fingerprint) {
			fprintf(stderr, "elfmod: %s: the definition of %s does not match its listing\n", path, x->name);
			goto out;
		}
	}
	if (c->have_fw && !tool_target_same(&c->fw, &t)) {
		fprintf(stderr, "elfmod: %s: another target than the other --exports\n", path);
		goto out;
	}
	c->fw = t;
	c->have_fw = 1;
	c->fw_note = "the listing of exports.c";
	ret = 0;
out:
	free(lst);
	return ret;
}

static int add_exports(struct check *c, const char *path, struct tool_patterns *allow, struct tool_patterns *deny,
		       int hashed)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	int rc;

	if (!f) {
		fprintf(stderr, "elfmod: %s: cannot open\n", path);
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > (256u << 20)) {
				fprintf(stderr, "elfmod: %s: too large for an exports.c\n", path);
				free(text);
				fclose(f);
				return -1;
			}
			text = tool_xrealloc(text, cap + 1);
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
		/* An ELF file is read through the core instead: its header is enough here. */
		if (len >= 4 && !memcmp(text, "\x7f" "ELF", 4))
			break;
	} while (got);
	if (ferror(f)) {
		fprintf(stderr, "elfmod: %s: read error\n", path);
		free(text);
		fclose(f);
		return -1;
	}
	fclose(f);
	text[len] = 0;
	if (len >= 4 && !memcmp(text, "\x7f" "ELF", 4))
		rc = add_elf_exports(c, path, allow, deny, hashed);
	else
		rc = add_c_exports(c, path, text, len);
	free(text);
	return rc;
}

/* ---- modules loaded before ---- */

/* The names a module offers to modules loaded after it, as the loader keeps them: a
 * relocatable module's global definitions (only those ELFMOD_MODULE_EXPORT marks, when
 * it marks any), a shared object's defined dynamic symbols. */
static int module_exports(const struct elfmod_elf *elf, const char *path, struct tool_xtable *x)
{
	uint32_t symtab = elf->type == ELFMOD_ET_DYN ? elf->dynsym : elf->symtab, count, marks;
	uint8_t *mk = NULL;
	size_t nmk = 0, cap = 0, dup;
	struct elfmod_shdr sh;
	char buf[NAME_BUF];
	int rc;

	memset(x, 0, sizeof(*x));
	if (!symtab)
		return 0;
	if (elf->type == ELFMOD_ET_REL) {
		if ((rc = tool_section_find(elf, ".elfmod.exports", &marks)))
			goto fail;
		if (marks && (rc = tool_section_read(elf, marks, 1u << 24, &mk, &nmk)))
			goto fail;
	}
	if ((rc = elfmod_elf_sym_count(elf, symtab, &count)) || (rc = elfmod_elf_shdr(elf, symtab, &sh)))
		goto fail;
	for (uint32_t i = 1; i < count; i++) {
		struct elfmod_sym s;
		const char *name;
		uint8_t b;
		int yes = !mk;
		if ((rc = elfmod_elf_sym(elf, symtab, i, &s)))
			goto fail;
		b = ELFMOD_ST_BIND(s.info);
		if ((b != 1 && b != STB_WEAK && b != 10) || s.shndx == ELFMOD_SHN_UNDEF || !s.name)
			continue;
		if ((rc = elfmod_elf_string(elf, sh.link, s.name, buf, sizeof(buf), &name)))
			goto fail;
		for (size_t o = 0; mk && o < nmk && !yes; o += strlen((const char *)mk + o) + 1)
			yes = !strcmp((const char *)mk + o, name);
		if (!yes)
			continue;
		if (x->n == cap) {
			cap = cap ? cap * 2 : 32;
			x->e = tool_xrealloc(x->e, cap * sizeof(*x->e));
		}
		x->e[x->n].name = tool_xstrdup(name);
		x->e[x->n].type = 0;
		x->n++;
	}
	free(mk);
	/* One name twice (a weak and a strong copy cannot both be there): keep one. */
	while ((dup = tool_xtable_finish(x)) != x->n) {
		free(x->e[dup].name);
		memmove(&x->e[dup], &x->e[dup + 1], (x->n - dup - 1) * sizeof(x->e[0]));
		x->n--;
	}
	x->fingerprint = 0;
	return 0;
fail:
	free(mk);
	tool_xtable_free(x);
	tool_error(path, rc, elf->diag);
	return -1;
}

/* --dep: a module loaded before this one, searched before the firmware's tables as the
 * registry searches its modules first. */
static int add_dep(struct check *c, const char *path)
{
	struct elfmod_posix_file f;
	struct elfmod_diag d;
	struct elfmod_elf elf;
	struct tool_xtable x;
	int ret = -1;

	if (tool_elf_open(path, &f, &elf, &d))
		return -1;
	if (elf.type != ELFMOD_ET_REL && elf.type != ELFMOD_ET_DYN) {
		fprintf(stderr, "elfmod: %s: --dep takes a relocatable object or a shared object\n", path);
		goto out;
	}
	if (module_exports(&elf, path, &x))
		goto out;
	x.module = 1;
	x.origin = tool_xstrdup(path);
	x.name = tool_xstrdup(path);
	c->tabs = tool_xrealloc(c->tabs, (c->ntabs + 1) * sizeof(*c->tabs));
	c->tabs[c->ntabs++] = x;
	ret = 0;
out:
	elfmod_posix_file_close(&f);
	return ret;
}

/* A relocatable module may not export a name a loaded module exports (EDUP). */
static void check_duplicates(struct check *c)
{
	struct tool_xtable mine;

	if (c->elf.type != ELFMOD_ET_REL || module_exports(&c->elf, c->path, &mine))
		return;
	for (size_t i = 0; i < mine.n; i++)
		for (size_t k = 0; k < c->ntabs; k++)
			if (c->tabs[k].module && tool_xtable_find(&c->tabs[k], mine.e[i].name)) {
				msg(&c->errors, "exports '%s', which %s exports already (the load fails: ELFMOD_EDUP)",
				    mine.e[i].name, c->tabs[k].origin);
				break;
			}
	tool_xtable_free(&mine);
}

/* ---- output ---- */

/* Any byte outside printable ASCII is escaped, so the output is valid JSON and UTF-8
 * whatever the file held. */
static void put_json(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static const char *type_name(uint16_t t)
{
	return t == ELFMOD_ET_REL ? "REL" : t == ELFMOD_ET_DYN ? "DYN" : "other";
}

static const char *fp_status(const struct check *c)
{
	int any = 0;

	for (size_t k = 0; k < c->ntabs; k++)
		any |= c->tabs[k].fingerprint != 0;
	if (c->fp_state == 0)
		return "not recorded";
	/* The loader looks at the record only when a table has a fingerprint. */
	if (!any)
		return "not checked";
	if (c->fp_state < 0)
		return "malformed";
	for (size_t k = 0; k < c->ntabs; k++)
		if (c->tabs[k].fingerprint && c->tabs[k].fingerprint == c->mod_fp)
			return "match";
	return "mismatch";
}

static void check_fingerprint(struct check *c)
{
	const char *st = fp_status(c);

	if (!strcmp(st, "malformed"))
		msg(&c->errors, "%s: %" PRIu64 " bytes, not an 8-byte ABI fingerprint (ELFMOD_MODULE_ABI used twice?)",
		    TOOL_ABI_SECTION, c->fp_size);
	else if (!strcmp(st, "mismatch")) {
		char fps[200];
		size_t n = 0;
		fps[0] = 0;
		for (size_t k = 0; k < c->ntabs && n + 1 < sizeof(fps); k++)
			if (c->tabs[k].fingerprint)
				n += (size_t)snprintf(fps + n, sizeof(fps) - n, "%s0x%016" PRIx64, n ? ", " : "",
						      c->tabs[k].fingerprint);
		msg(&c->errors, "ABI fingerprint: the module was built against 0x%016" PRIx64
				", the firmware's export set is %s (rebuild the module against its exports.h)",
		    c->mod_fp, fps);
	}
}

static const char *status_name(int s)
{
	static const char *const n[] = { "resolved", "builtin", "weak_zero", "unresolved", "hash_collision" };
	return n[s];
}

static void print_json(const struct check *c, FILE *f)
{
	char num[32];

	fputs("{\"module\":", f);
	put_json(f, c->path);
	fputs(",\"loads\":", f);
	fputs(c->errors.n ? "false" : "true", f);
	if (c->fatal) {
		fputs(",\"errors\":[", f);
		for (size_t i = 0; i < c->errors.n; i++) {
			fputs(i ? "," : "", f);
			put_json(f, c->errors.m[i]);
		}
		fputs("]}\n", f);
		return;
	}
	fprintf(f, ",\"type\":\"%s\",\"machine\":%u,\"machine_name\":", type_name(c->elf.type), c->elf.machine);
	if (elfmod_machine_name(c->elf.machine))
		put_json(f, elfmod_machine_name(c->elf.machine));
	else
		fputs("null", f);
	fprintf(f, ",\"class\":%u,\"data\":\"%s\",\"flags\":%" PRIu32, c->elf.cls, c->elf.big_endian ? "big" : "little",
		c->elf.flags);
	fputs(",\"firmware\":{\"source\":", f);
	put_json(f, c->fw_note ? c->fw_note : "");
	if (c->have_fw)
		fprintf(f, ",\"machine\":%u,\"class\":%u,\"data\":\"%s\",\"flags\":%" PRIu32, c->fw.machine, c->fw.cls,
			c->fw.big_endian ? "big" : "little", c->fw.flags);
	fputs(",\"tables\":[", f);
	for (size_t k = 0; k < c->ntabs; k++) {
		fputs(k ? ",{\"file\":" : "{\"file\":", f);
		put_json(f, c->tabs[k].origin);
		fputs(",\"name\":", f);
		put_json(f, c->tabs[k].name);
		fprintf(f, ",\"module\":%s,\"hashed\":%s,\"count\":%zu,\"fingerprint\":", c->tabs[k].module ? "true" : "false",
			c->tabs[k].hashed ? "true" : "false", c->tabs[k].n);
		if (c->tabs[k].fingerprint)
			fprintf(f, "\"0x%016" PRIx64 "\"}", c->tabs[k].fingerprint);
		else
			fputs("null}", f);
	}
	fputs("]},\"imports\":[", f);
	for (size_t i = 0; i < c->nimps; i++) {
		const struct import *im = &c->imps[i];
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		put_json(f, im->name);
		fprintf(f, ",\"weak\":%s,\"status\":\"%s\",\"table\":", im->weak ? "true" : "false",
			status_name(im->status));
		if (im->table)
			put_json(f, im->table->name);
		else
			fputs("null", f);
		fputs(",\"binds_to\":", f);
		if (im->binds_to)
			put_json(f, im->binds_to);
		else
			fputs("null", f);
		fprintf(f, ",\"relocations\":%" PRIu64 ",\"referenced_by\":[", im->count);
		for (size_t k = 0; k < im->nrefs; k++) {
			fputs(k ? "," : "", f);
			put_json(f, im->refs[k]);
		}
		fputs("]}", f);
	}
	fputs("],\"unresolved\":[", f);
	for (size_t i = 0, first = 1; i < c->nimps; i++) {
		if (c->imps[i].status != IMP_UNRESOLVED)
			continue;
		fputs(first ? "" : ",", f);
		first = 0;
		put_json(f, c->imps[i].name);
	}
	fputs("],\"collisions\":[", f);
	for (size_t i = 0, first = 1; i < c->nimps; i++) {
		if (c->imps[i].status != IMP_COLLISION)
			continue;
		fputs(first ? "{\"name\":" : ",{\"name\":", f);
		first = 0;
		put_json(f, c->imps[i].name);
		fputs(",\"binds_to\":", f);
		put_json(f, c->imps[i].binds_to);
		fputs("}", f);
	}
	fprintf(f, "],\"relocations\":{\"count\":%" PRIu64 ",\"unsupported\":[", c->nrels);
	for (size_t i = 0; i < c->nrtypes; i++) {
		fprintf(f, "%s{\"type\":%" PRIu32 ",\"name\":", i ? "," : "", c->rtypes[i].type);
		put_json(f, tool_reloc_label(c->elf.machine, c->rtypes[i].type, num, sizeof(num)));
		fprintf(f, ",\"count\":%" PRIu64 ",\"first_in\":", c->rtypes[i].count);
		put_json(f, c->rtypes[i].first);
		fputs("}", f);
	}
	fprintf(f, "]},\"alignment\":%" PRIu64 ",\"sizes\":{\"text\":%" PRIu64 ",\"rodata\":%" PRIu64
		   ",\"data\":%" PRIu64 ",\"bss\":%" PRIu64 "}",
		c->align, c->text, c->rodata, c->data, c->bss);
	fputs(",\"fingerprint\":{\"module\":", f);
	if (c->fp_state == 1)
		fprintf(f, "\"0x%016" PRIx64 "\"", c->mod_fp);
	else
		fputs("null", f);
	fprintf(f, ",\"status\":\"%s\"}", fp_status(c));
	fputs(",\"errors\":[", f);
	for (size_t i = 0; i < c->errors.n; i++) {
		fputs(i ? "," : "", f);
		put_json(f, c->errors.m[i]);
	}
	fputs("],\"warnings\":[", f);
	for (size_t i = 0; i < c->warnings.n; i++) {
		fputs(i ? "," : "", f);
		put_json(f, c->warnings.m[i]);
	}
	fputs("]}\n", f);
}

static void print_text(const struct check *c, FILE *f)
{
	const char *mn = elfmod_machine_name(c->elf.machine);
	size_t nres = 0, nbuiltin = 0, nweak = 0, nmod = 0, ndeps = 0;

	fputs("module: ", f);
	tool_put_text(f, c->path);
	if (c->fatal) {
		fputc('\n', f);
	} else {
		fprintf(f, " (ET_%s, %s, ELF%u %s-endian, flags 0x%" PRIx32 ")\n", type_name(c->elf.type),
			mn ? mn : "unknown machine", c->elf.cls, c->elf.big_endian ? "big" : "little", c->elf.flags);
		fprintf(f, "firmware: %s\n", c->fw_note ? c->fw_note : "");
		for (size_t k = 0; k < c->ntabs; k++) {
			fputs("  table ", f);
			tool_put_text(f, c->tabs[k].name);
			fputs(" of ", f);
			tool_put_text(f, c->tabs[k].origin);
			fprintf(f, ": %zu symbol%s, %s, ", c->tabs[k].n, c->tabs[k].n == 1 ? "" : "s",
				c->tabs[k].module ? "a module loaded before" : c->tabs[k].hashed ? "hashed" : "named");
			if (c->tabs[k].fingerprint)
				fprintf(f, "fingerprint 0x%016" PRIx64 "\n", c->tabs[k].fingerprint);
			else
				fprintf(f, "no fingerprint\n");
		}
		for (size_t k = 0; k < c->ntabs; k++)
			ndeps += c->tabs[k].module != 0;
		for (size_t i = 0; i < c->nimps; i++) {
			nmod += c->imps[i].status == IMP_RESOLVED && c->imps[i].table->module;
			nres += c->imps[i].status == IMP_RESOLVED && !c->imps[i].table->module;
			nbuiltin += c->imps[i].status == IMP_BUILTIN;
			nweak += c->imps[i].status == IMP_WEAK0;
		}
		fprintf(f, "imports: %zu, %zu from the firmware, ", c->nimps, nres);
		if (ndeps)
			fprintf(f, "%zu from modules loaded before, ", nmod);
		fprintf(f, "%zu from elfmod itself, %zu weak left at 0\n", nbuiltin, nweak);
		for (size_t i = 0; i < c->nimps; i++) {
			const struct import *im = &c->imps[i];
			if (im->status != IMP_WEAK0)
				continue;
			fputs("  weak, not exported (0): ", f);
			tool_put_text(f, im->name);
			fputc('\n', f);
		}
		fprintf(f, "relocations: %" PRIu64 ", %zu unsupported type%s\n", c->nrels, c->nrtypes,
			c->nrtypes == 1 ? "" : "s");
		fprintf(f, "alignment: %" PRIu64 "\n", c->align);
		fprintf(f, "sizes: text %" PRIu64 ", rodata %" PRIu64 ", data %" PRIu64 ", bss %" PRIu64 "\n", c->text,
			c->rodata, c->data, c->bss);
		if (c->fp_state == 1)
			fprintf(f, "ABI fingerprint: 0x%016" PRIx64 ", %s\n", c->mod_fp, fp_status(c));
		else
			fprintf(f, "ABI fingerprint: %s\n", fp_status(c));
	}
	for (size_t i = 0; i < c->warnings.n; i++) {
		fputs("warning: ", f);
		tool_put_text(f, c->warnings.m[i]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < c->errors.n; i++) {
		fputs("error: ", f);
		tool_put_text(f, c->errors.m[i]);
		fputc('\n', f);
	}
	if (c->errors.n)
		fprintf(f, "result: will not load (%zu problem%s)\n", c->errors.n, c->errors.n == 1 ? "" : "s");
	else
		fprintf(f, "result: loads\n");
}

/* ---- the command ---- */

static void free_msgs(struct msgs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->m[i]);
	free(l->m);
}

static void check_free(struct check *c)
{
	for (size_t i = 0; i < c->ntabs; i++)
		tool_xtable_free(&c->tabs[i]);
	free(c->tabs);
	for (size_t i = 0; i < c->nsyms; i++)
		free(c->syms[i].name);
	free(c->syms);
	for (size_t i = 0; i < c->nimps; i++) {
		for (size_t k = 0; k < c->imps[i].nrefs; k++)
			free(c->imps[i].refs[k]);
		free(c->imps[i].refs);
		free(c->imps[i].name);
	}
	free(c->imps);
	for (size_t i = 0; i < c->nrtypes; i++)
		free(c->rtypes[i].first);
	free(c->rtypes);
	free(c->a32_where);
	free_msgs(&c->errors);
	free_msgs(&c->warnings);
	if (c->opened)
		elfmod_posix_file_close(&c->file);
}

/* Everything about the module; a file the core cannot read ends it with one error. */
static void analyse(struct check *c)
{
	char why[300];
	int rc;

	rc = elfmod_posix_file_open(&c->file, c->path, 1);
	if (rc) {
		msg(&c->errors, "cannot open: %s", elfmod_strerror(rc));
		c->fatal = 1;
		return;
	}
	c->opened = 1;
	rc = elfmod_elf_open(&c->elf, &c->file.src, &c->diag);
	if (!rc && c->elf.type != ELFMOD_ET_REL && c->elf.type != ELFMOD_ET_DYN) {
		fprintf(stderr, "elfmod: %s: e_type %u: check reads relocatable objects (ET_REL) and shared "
				"objects (ET_DYN)\n",
			c->path, c->elf.type);
		c->refused = 1;
		return;
	}
	if (!rc && c->elf.type == ELFMOD_ET_DYN && c->elf.shnum == 0) {
		fprintf(stderr, "elfmod: %s: a shared object without section headers: check needs them\n", c->path);
		c->refused = 1;
		return;
	}
	if (!rc && tool_target_read(&c->elf, c->path, &c->mod)) {
		msg(&c->errors, "its build attributes are not understood");
		c->fatal = 1;
		return;
	}
	if (!rc)
		rc = collect_syms(c);
	if (!rc)
		rc = scan_sections(c);
	if (!rc)
		rc = scan_relocs(c);
	if (!rc)
		rc = mips_got_imports(c);
	if (rc) {
		if (c->diag.err == rc)
			elfmod_diag_format(&c->diag, why, sizeof(why));
		else
			snprintf(why, sizeof(why), "%s", elfmod_strerror(rc));
		msg(&c->errors, "not a module elfmod can read: %s", why);
		c->fatal = 1;
		return;
	}
	if (c->a32 & 1)
		locate_a32(c);
	check_target(c);
	resolve_imports(c);
	check_duplicates(c);
	check_fingerprint(c);
}

static int check_usage(void)
{
	fprintf(stderr, "usage: elfmod check MODULE --exports FIRMWARE.elf|exports.c... [--dep MODULE]...\n"
			"                    [--allow FILE]... [--deny FILE]... [--hashed] [--json]\n");
	return 2;
}

int cmd_check(int argc, char **argv)
{
	struct tool_patterns allow = { 0 }, deny = { 0 };
	struct check c;
	const char **ex = NULL, **deps = NULL;
	size_t nex = 0, ndeps = 0;
	int json = 0, hashed = 0, ret = 2;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	memset(&c, 0, sizeof(c));
	ex = tool_xrealloc(NULL, (size_t)argc * sizeof(*ex));
	deps = tool_xrealloc(NULL, (size_t)argc * sizeof(*deps));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--exports") && i + 1 < argc)
			ex[nex++] = argv[++i];
		else if (!strcmp(a, "--dep") && i + 1 < argc)
			deps[ndeps++] = argv[++i];
		else if ((!strcmp(a, "--allow") || !strcmp(a, "--deny")) && i + 1 < argc) {
			if (tool_patterns_load(a[2] == 'a' ? &allow : &deny, argv[++i]))
				goto out;
		} else if (!strcmp(a, "--hashed"))
			hashed = 1;
		else if (!strcmp(a, "--json"))
			json = 1;
		else if (a[0] == '-' && a[1]) {
			ret = check_usage();
			goto out;
		} else if (!c.path)
			c.path = a;
		else {
			ret = check_usage();
			goto out;
		}
	}
	if (!c.path || !nex) {
		ret = check_usage();
		goto out;
	}
	for (size_t i = 0; i < ndeps; i++)
		if (add_dep(&c, deps[i]))
			goto out;
	for (size_t i = 0; i < nex; i++)
		if (add_exports(&c, ex[i], &allow, &deny, hashed))
			goto out;

	analyse(&c);
	if (c.refused)
		goto out;
	f = open_memstream(&out, &outlen);
	if (!f) {
		fprintf(stderr, "elfmod: out of memory\n");
		exit(1);
	}
	if (json)
		print_json(&c, f);
	else
		print_text(&c, f);
	if (fclose(f)) {
		fprintf(stderr, "elfmod: out of memory\n");
		exit(1);
	}
	fwrite(out, 1, outlen, stdout);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "elfmod: write error\n");
		goto out;
	}
	ret = c.errors.n ? 1 : 0;
out:
	free(out);
	free(ex);
	free(deps);
	check_free(&c);
	tool_patterns_free(&allow);
	tool_patterns_free(&deny);
	return ret;
}
