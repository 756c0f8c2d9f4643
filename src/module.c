/* Relocatable modules (ET_REL): plan, place, resolve, relocate, seal, start.
 *
 * The loader reads the file in passes (sections, symbols, relocations twice) instead of
 * holding it: with a read-callback source nothing but small buffers and one scratch
 * allocation of per-section and per-symbol bookkeeping is in RAM besides the image.
 * Everything that can fail is done before anything becomes visible to the host: the
 * module joins the registry and its dependencies' reference counts change only once
 * nothing can fail any more. */
#include "internal.h"
#include "arch/arch.h"

#define HOST_MACHINE ELFMOD__HOST_MACHINE
#define HOST_CLASS (UINTPTR_MAX > 0xffffffffu ? 64 : 32)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define HOST_BE 1
#else
#define HOST_BE 0
#endif

#define NOT_LOADED 0xff
#define REL_TABLE 0xfd     /* not loaded: a relocation table of a loaded section (marked
			    * by plan_sections, so the passes over relocations read only these) */
#define FIXED 3            /* placed by the caller (opts->place), outside the regions, or
			    * used where it is in the source (ELFMOD_LOAD_IN_PLACE) */
#define HAS_RELOCS 0xfe    /* plan_sections only: a relocation section targets it */
#define GRP_COMDAT 1u

/* Per-section marks beside seckind. */
#define SA_ARRAY 1u        /* an init or fini array (or .ctors, .dtors) */
#define SA_OWN 2u          /* FIXED in a region of its own (ELFMOD_PLACE_REGION) */
#define SA_WRITE 4u        /* FIXED and writable: part of what elfmod_reset restores */

static int unloaded(uint8_t kind)
{
	return kind == NOT_LOADED || kind == REL_TABLE;
}

/* Per-symbol state during a load. */
#define SF_USED 0x01      /* referenced by a relocation that is applied */
#define SF_GOT 0x02       /* has a GOT slot */
#define SF_STUB 0x04      /* has a call stub */
#define SF_IMPORT 0x08    /* resolved outside the module */
#define SF_WEAK0 0x10     /* undefined weak, resolved to 0 */
#define SF_COMMON 0x20    /* SHN_COMMON, given space in .bss */
#define SF_EXPORT 0x40    /* offered to other modules */
#define SF_GOTREL 0x80    /* arch built-in: value is GOT + symval (set in finish_symbols) */
#define SF_PREL 0x100     /* arch built-in taken relative to the place (sym_prel) */
#define SF_LOCAL 0x200    /* STB_LOCAL (sym_local) */
/* What the relocations against a symbol need, noted in the first pass over them so the
 * stubs can be planned from the symbols alone once imports are resolved. */
#define SF_CALL_FAR 0x400 /* a call of a type that does not reach everywhere */
#define SF_PCDATA 0x800   /* a PC-relative reference that is not a call */
#define SF_LS_ODD 0x1000  /* a call that needs a state-change stub to a target with bit 0 set */
#define SF_LS_EVEN 0x2000 /* ... or to one with bit 0 clear (arch local_stub) */
#define SF_ODD 0x4000     /* st_value has bit 0 set (a Thumb function) */
#define SF_UNDEF 0x8000   /* st_shndx is SHN_UNDEF: resolve() decodes only these again */

/* One destructor a module registered; lives in its own META allocation. */
struct elfmod__atexit {
	struct elfmod_region r;
	void (*fn)(void *);
	void *arg;
	struct elfmod__atexit *next;
};

/* A mapping symbol ($a, $t, $d...): where a run of one kind of content starts. */
struct mapsym {
	uint64_t value;
	uint32_t shndx;
	char kind;
};

/* The value an RF_PAIR_HI relocation hands to its partners, keyed by its place. */
struct pairval {
	uint64_t P, value;
};

/* Scratch bookkeeping for one load; one allocation, freed at the end. */
/* Bytes a relocation field or stub may extend past the code window; no field is longer
 * (a ULEB128 is at most 10 bytes) and stubs are checked against it. */
#define WIN_MARGIN 64u

struct plan {
	const struct arch_desc *arch;
	struct elfmod_elf elf;
	struct elfmod_module *m;
	const struct elfmod_load_opts *o;
	struct elfmod_diag *diag;
	uint32_t nsyms, symtab;
	struct elfmod__table symt;   /* the symbol table, headers read once */
	struct elfmod_region scratch;
	uint64_t *secaddr;    /* [shnum] run address, or region offset before placement */
	uint8_t **secwr;      /* [shnum] where the section's bytes are written */
	uint8_t *seckind;     /* [shnum] region kind or NOT_LOADED */
	uint8_t *secarr;      /* [shnum] SA_* */
	uint64_t *symval;     /* [nsyms] */
	uint32_t *symslot;    /* [nsyms] GOT slot + 1, 0 for none */
	uint32_t *symstub;    /* [nsyms] stub + 1, 0 for none */
	struct elfmod_module **deps; /* [nmodules] modules this one imports from */
	uint32_t ndeps;
	uint16_t *symflag;    /* [nsyms] SF_* */
	uint64_t size[3], align[3];
	uint64_t kflags[3];   /* union of the sh_flags of each region's sections */
	uint32_t nsec[3];     /* sections in each region */
	uint32_t nown;        /* sections in regions of their own */
	uint64_t got_off, stub_off, dso_off;
	uint32_t ngot, nstub, nexport, nmodules;
	uint32_t npage, npage_used; /* RF_GOT_PAGE slots: at most, and in use (after symbol slots) */
	uint32_t ninit, nfini;   /* init / fini array sections (with .ctors / .dtors) */
	uint64_t *init;          /* recorded init arrays: pairs of address, count */
	uint64_t *rec;           /* where record_one appends, and how many it may */
	uint32_t *nrec, maxrec;
	uint64_t names_size;
	uint64_t near;        /* allocation hint from a PC-relative import */
	uint32_t marks;       /* section index of .elfmod.exports, 0 when none */
	uint8_t need_got, word;
	uint8_t foreign;      /* relocating for another machine: nothing runs here */
	uint64_t obj;         /* arch->obj_value() of the object's obj_sh_type section */
	uint8_t *wrk[3];      /* where the loader writes each region: its `wr` (NULL for
			       * text that takes only word writes: see the window below) */
	/* Word-only code memory (allocator write_code) is built a window at a time: text
	 * region bytes [win_off, win_off + win_len) plus WIN_MARGIN bytes after them, so a
	 * field that starts in the window may end past it. */
	struct elfmod_region win;
	uint8_t *winbuf;
	uint64_t win_off, win_len;
	uint8_t rels_known;   /* every relocation table to apply is marked REL_TABLE */
	uint8_t rels_late;    /* one comes before its section, or is allocated itself */
	uint8_t windowing;    /* in apply_code: for_each_rel visits only tables of text
			       * sections that overlap the window */
	uint8_t tmp[WIN_MARGIN]; /* a field outside the window, read back from the source */
	struct pairval *pairs; /* RF_PAIR_HI results by place, for RF_PAIR_LO partners */
	uint32_t npairs, maxpairs;
	struct elfmod_region pairscratch;
	const struct elfmod__table *cur_rt; /* the relocation table being walked */
	uint32_t cur_count;
	struct mapsym *maps;  /* mapping symbols by (section, value), when the arch has them */
	uint32_t nmaps;
	struct elfmod_region mapscratch;
};

static int fail_sym(struct plan *p, int err, uint32_t sym, const char *field, uint64_t value,
		    const char *name)
{
	elfmod__fail(p->diag, err, ELFMOD_OBJ_SYM, sym, field, value);
	if (p->diag)
		p->diag->index2 = p->symtab;
	elfmod__diag_name(p->diag, name);
	return err;
}

static int str_eq(const char *a, const char *b)
{
	return elfmod__strcmp(a, b) == 0;
}

static int str_eq_prefix(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix)
		s++, prefix++;
	return *prefix == 0;
}

/* Reserves `size` bytes aligned to `align` (a power of two) at the end of region k;
 * 0, or 0 with nothing changed when the region would exceed the host's address space. */
static int reserve(struct plan *p, int k, uint64_t align, uint64_t size, uint64_t *off)
{
	uint64_t a = align > 1 ? align : 1, at;

	if (p->size[k] > SIZE_MAX - (a - 1))
		return 0;
	at = (p->size[k] + a - 1) & ~(a - 1);
	if (size > SIZE_MAX - at)
		return 0;
	*off = at;
	p->size[k] = at + size;
	if (a > p->align[k])
		p->align[k] = a;
	return 1;
}

static int sym_name(struct plan *p, const struct elfmod_sym *s, char *buf, const char **out)
{
	return elfmod__string(&p->elf, p->symt.sh.link, &p->symt.link, s->name, buf, ELFMOD_CFG_MAX_NAME, out);
}

static int is_defined(const struct elfmod_sym *s)
{
	return s->shndx != ELFMOD_SHN_UNDEF;
}

static int is_global(const struct elfmod_sym *s)
{
	uint8_t b = ELFMOD_ST_BIND(s->info);
	return b == 1 /* GLOBAL */ || b == 2 /* WEAK */ || b == 10 /* GNU_UNIQUE */;
}

/* Address space reach of one module: on 64-bit targets code reaches +-2 GiB. */
static int within_2g(uint64_t lo, uint64_t hi)
{
	return hi - lo < (1ull << 31);
}

/* ---- plan: sections ---- */

static int kind_of(const struct elfmod_shdr *s)
{
	if (s->flags & ELFMOD_SHF_EXECINSTR)
		return ELFMOD_KIND_TEXT;
	if ((s->flags & ELFMOD_SHF_WRITE) || s->type == ELFMOD_SHT_NOBITS)
		return ELFMOD_KIND_DATA;
	return ELFMOD_KIND_RODATA;
}

/*
 * A COMDAT group whose signature an earlier group of the file has (ld -r output of
 * objects that share inline functions): none of its members is loaded. Visited in
 * section order by plan_sections; a group's key (the hash of its signature, marked)
 * is kept in its secaddr, which a section that is never loaded does not otherwise use,
 * so earlier groups are compared without reading them again unless the hashes match.
 * A member that comes before its group in the file (unusual) has been planned
 * already: it is dropped all the same and leaves a hole in its region.
 */
#define GROUP_KEY 0x100000000ull

static int comdat_group(struct plan *p, uint32_t i, const struct elfmod_shdr *g)
{
	char b1[ELFMOD_CFG_MAX_NAME], b2[ELFMOD_CFG_MAX_NAME];
	struct elfmod_shdr h;
	struct elfmod_sym s1, s2;
	const char *n1, *n2;
	uint8_t w[4];
	uint64_t key;
	int rc;

	if (g->size < 4)
		return 0;
	rc = elfmod__src_read(p->elf.src, g->offset, w, 4);
	if (rc)
		return rc;
	if (!(elfmod__get32(w, p->elf.big_endian) & GRP_COMDAT) || g->link != p->symtab)
		return 0;
	if ((rc = elfmod__sym(&p->elf, &p->symt, g->info, &s1)) || (rc = sym_name(p, &s1, b1, &n1)))
		return rc;
	key = GROUP_KEY | elfmod_hash(n1);
	p->secaddr[i] = key;
	for (uint32_t j = 1; j < i; j++) {
		if (p->secaddr[j] != key || p->seckind[j] != NOT_LOADED)
			continue;
		if ((rc = elfmod_elf_shdr(&p->elf, j, &h)) || (rc = elfmod__sym(&p->elf, &p->symt, h.info, &s2)) ||
		    (rc = sym_name(p, &s2, b2, &n2)))
			return rc;
		if (!str_eq(n1, n2))
			continue;
		p->secaddr[i] = 0; /* the first copy stays the one to match */
		for (uint64_t off = 4; off + 4 <= g->size; off += 4) {
			uint32_t member;
			rc = elfmod__src_read(p->elf.src, g->offset + off, w, 4);
			if (rc)
				return rc;
			member = elfmod__get32(w, p->elf.big_endian);
			if (member == 0 || member >= p->elf.shnum)
				return elfmod__fail(p->diag, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, i, "group member", member);
			p->seckind[member] = NOT_LOADED;
			p->secaddr[member] = 0;
		}
		break;
	}
	return 0;
}

/* The name of section i into buf (32 bytes). A name too long for it is none of the
 * names the loader looks for, so it reads as ""; read errors are passed on. */
static int short_name(struct plan *p, uint32_t i, char buf[32], const char **n)
{
	int rc = elfmod_elf_section_name(&p->elf, i, buf, 32, n);

	if (rc == ELFMOD_ESPACE) {
		*n = "";
		rc = 0;
	}
	return rc;
}

/* Whether copied code is rewritten (big-endian ARM: BE8 instruction order): then it
 * cannot run where it is, and the mapping symbols that delimit it are needed. */
static int rewrites_code(const struct plan *p)
{
	return p->arch->fix_code && p->elf.big_endian;
}

/* ELFMOD_LOAD_IN_PLACE applies: an addressable source, and a module for this host. */
static int in_place_ok(const struct plan *p)
{
	return (p->o->flags & ELFMOD_LOAD_IN_PLACE) && p->elf.src->data && !p->foreign;
}

/* Whether section i (FIXED) is the source's own bytes rather than caller memory. */
static int is_in_place(const struct plan *p, uint32_t i, const struct elfmod_shdr *s)
{
	return in_place_ok(p) && p->secwr[i] == (const uint8_t *)p->elf.src->data + s->offset;
}

/* Init and fini arrays, counted (so place() can make room to record them) and marked
 * as the sections are planned. */
static int count_array(struct plan *p, uint32_t i, const struct elfmod_shdr *s)
{
	char buf[32];
	const char *n;
	int rc;

	if (s->type == ELFMOD_SHT_FINI_ARRAY) {
		p->nfini++;
	} else if (s->type == ELFMOD_SHT_INIT_ARRAY || s->type == ELFMOD_SHT_PREINIT_ARRAY) {
		p->ninit++;
	} else if (s->type == ELFMOD_SHT_PROGBITS) {
		if ((rc = short_name(p, i, buf, &n)))
			return rc;
		if (str_eq(n, ".dtors"))
			p->nfini++;
		else if (str_eq(n, ".ctors"))
			p->ninit++;
		else
			return 0;
	} else {
		return 0;
	}
	p->secarr[i] |= SA_ARRAY;
	return 0;
}

static int plan_sections(struct plan *p)
{
	struct elfmod_shdr s;
	int rc;

	for (uint32_t i = 0; i < p->elf.shnum; i++)
		p->seckind[i] = 0;
	p->seckind[0] = NOT_LOADED;
	/* In place: only what no relocation writes. Mark the targets first, in one pass. */
	for (uint32_t i = 1; in_place_ok(p) && i < p->elf.shnum; i++) {
		rc = elfmod_elf_shdr(&p->elf, i, &s);
		if (rc)
			return rc;
		if ((s.type == ELFMOD_SHT_REL || s.type == ELFMOD_SHT_RELA) && s.info && s.info < p->elf.shnum &&
		    !unloaded(p->seckind[s.info]))
			p->seckind[s.info] = HAS_RELOCS;
	}
	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		int k, relocated = p->seckind[i] == HAS_RELOCS;
		if (relocated)
			p->seckind[i] = 0;
		rc = elfmod_elf_shdr(&p->elf, i, &s);
		if (rc)
			return rc;
		if (s.type == ELFMOD_SHT_GROUP) {
			/* Never loaded itself, whatever its flags: its secaddr holds its key. */
			p->seckind[i] = NOT_LOADED;
			if ((rc = comdat_group(p, i, &s)))
				return rc;
			continue;
		}
		if (p->arch->obj_value && s.type == p->arch->obj_sh_type && s.type != ELFMOD_SHT_NOBITS &&
		    s.size >= p->arch->obj_size && p->arch->obj_size <= 32) {
			uint8_t b[32];
			rc = elfmod__src_read(p->elf.src, s.offset, b, p->arch->obj_size);
			if (rc)
				return rc;
			p->obj = p->arch->obj_value(b, p->elf.big_endian);
		}
		if (s.type == ELFMOD_SHT_PROGBITS && !(s.flags & ELFMOD_SHF_ALLOC)) {
			char buf[32];
			const char *n;
			rc = short_name(p, i, buf, &n);
			if (rc)
				return rc;
			if (str_eq(n, ".elfmod.exports"))
				p->marks = i;
		}
		if ((s.type == ELFMOD_SHT_REL || s.type == ELFMOD_SHT_RELA) && s.info) {
			/* Relocation tables follow their sections in every layout tools make:
			 * marked here, the passes over relocations visit only them. */
			if (s.info >= i || (s.flags & ELFMOD_SHF_ALLOC))
				p->rels_late = 1;
			else if (!unloaded(p->seckind[s.info]) && p->seckind[i] != NOT_LOADED) {
				p->seckind[i] = REL_TABLE;
				continue;
			}
		}
		if (unloaded(p->seckind[i]) || !(s.flags & ELFMOD_SHF_ALLOC) || s.size == 0) {
			p->seckind[i] = NOT_LOADED;
			continue;
		}
		if ((rc = count_array(p, i, &s)))
			return rc;
		if (s.flags & ELFMOD_SHF_WRITE)
			p->secarr[i] |= SA_WRITE;
		if (p->o->place) {
			char nb[ELFMOD_CFG_MAX_NAME];
			const char *n;
			void *wr = NULL;
			rc = elfmod_elf_section_name(&p->elf, i, nb, sizeof(nb), &n);
			if (rc)
				return rc;
			rc = p->o->place(p->o->place_ctx, i, n, s.size, s.addralign, &p->secaddr[i], &wr);
			if (rc == 0) {
				if (!wr)
					return elfmod__fail(p->diag, ELFMOD_EINVAL, ELFMOD_OBJ_SHDR, i,
							    "placement without memory", p->secaddr[i]);
				p->seckind[i] = FIXED;
				p->secwr[i] = wr;
				continue;
			}
			p->secaddr[i] = 0;
			if (rc == ELFMOD_PLACE_REGION) {
				/* Allocated by place(), once the size of the keep is known. */
				if (p->nown == ELFMOD_CFG_SECTION_REGIONS)
					return elfmod__fail(p->diag, ELFMOD_ELIMIT, ELFMOD_OBJ_SHDR, i,
							    "sections in regions of their own",
							    ELFMOD_CFG_SECTION_REGIONS);
				p->seckind[i] = FIXED;
				p->secarr[i] |= SA_OWN;
				p->nown++;
				continue;
			}
		}
		k = kind_of(&s);
		if (!relocated && in_place_ok(p) && s.type != ELFMOD_SHT_NOBITS && !(s.flags & ELFMOD_SHF_WRITE) &&
		    (k != ELFMOD_KIND_TEXT || ((p->o->flags & ELFMOD_LOAD_XIP) && !rewrites_code(p)))) {
			/* Used where it is: nothing writes it, and the source outlives the module.
			 * Its address must still honour the section's alignment. */
			uint64_t at = (uint64_t)(uintptr_t)p->elf.src->data + s.offset;
			if (!s.addralign || !(at & (s.addralign - 1))) {
				p->seckind[i] = FIXED;
				p->secaddr[i] = at;
				p->secwr[i] = (uint8_t *)(uintptr_t)at;
				continue;
			}
		}
		p->kflags[k] |= s.flags;
		p->nsec[k]++;
		/* PROGBITS before NOBITS inside data, so .bss ends the region: a first pass
		 * places file-backed sections, a second the zero-filled ones. */
		if (s.type == ELFMOD_SHT_NOBITS) {
			p->seckind[i] = (uint8_t)k;
			continue;
		}
		p->seckind[i] = (uint8_t)k;
		if (k == ELFMOD_KIND_TEXT && p->arch->text_first)
			continue; /* ordered below */
		if (!reserve(p, k, s.addralign, s.size, &p->secaddr[i]))
			return elfmod__fail(p->diag, ELFMOD_EOVERFLOW, ELFMOD_OBJ_SHDR, i, "sh_size", s.size);
	}
	/* Code the arch wants at the start of the text region (Xtensa literal pools, which
	 * L32R reaches only backwards), then the rest of the code in file order. */
	for (int pass = 0; p->arch->text_first && pass < 2; pass++) {
		for (uint32_t i = 1; i < p->elf.shnum; i++) {
			char buf[32];
			const char *n;
			if (p->seckind[i] != ELFMOD_KIND_TEXT)
				continue;
			if ((rc = elfmod_elf_shdr(&p->elf, i, &s)) || (rc = short_name(p, i, buf, &n)))
				return rc;
			if (s.type == ELFMOD_SHT_NOBITS || (p->arch->text_first(n) != 0) != (pass == 0))
				continue;
			if (!reserve(p, ELFMOD_KIND_TEXT, s.addralign, s.size, &p->secaddr[i]))
				return elfmod__fail(p->diag, ELFMOD_EOVERFLOW, ELFMOD_OBJ_SHDR, i, "sh_size", s.size);
		}
	}
	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		int k;
		if (unloaded(p->seckind[i]) || p->seckind[i] == FIXED)
			continue;
		rc = elfmod_elf_shdr(&p->elf, i, &s);
		if (rc)
			return rc;
		if (s.type != ELFMOD_SHT_NOBITS)
			continue;
		k = p->seckind[i];
		if (!reserve(p, k, s.addralign, s.size, &p->secaddr[i]))
			return elfmod__fail(p->diag, ELFMOD_EOVERFLOW, ELFMOD_OBJ_SHDR, i, "sh_size", s.size);
	}
	p->rels_known = !p->rels_late;
	return 0;
}

/* ---- plan: symbols (COMMON space, exports) ---- */

static int marked(struct plan *p, const char *name, int *yes)
{
	char buf[ELFMOD_CFG_MAX_NAME];
	struct elfmod_shdr s;
	uint64_t off = 0;
	int rc = elfmod_elf_shdr(&p->elf, p->marks, &s);

	*yes = 0;
	if (rc)
		return rc;
	while (off < s.size) {
		size_t len = s.size - off < sizeof(buf) ? (size_t)(s.size - off) : sizeof(buf);
		size_t n = 0;
		rc = elfmod__src_read(p->elf.src, s.offset + off, buf, len);
		if (rc)
			return elfmod__fail(p->diag, rc, ELFMOD_OBJ_SHDR, p->marks, "sh_offset", s.offset);
		while (n < len && buf[n])
			n++;
		if (n == len)
			return elfmod__fail(p->diag, ELFMOD_ESTRING, ELFMOD_OBJ_SHDR, p->marks,
					    ".elfmod.exports entry", off);
		if (str_eq(buf, name)) {
			*yes = 1;
			return 0;
		}
		off += n + 1;
	}
	return 0;
}

static int plan_symbols(struct plan *p)
{
	char buf[ELFMOD_CFG_MAX_NAME];
	struct elfmod_sym s;
	const char *name;
	int rc;

	for (uint32_t i = 1; i < p->nsyms; i++) {
		rc = elfmod__sym(&p->elf, &p->symt, i, &s);
		if (rc)
			return rc;
		p->symflag[i] = (ELFMOD_ST_BIND(s.info) == 0 ? SF_LOCAL : 0) | (s.value & 1 ? SF_ODD : 0) |
				(s.shndx == ELFMOD_SHN_UNDEF ? SF_UNDEF : 0);
		if (s.shndx == ELFMOD_SHN_COMMON) {
			/* st_value of a common symbol is its alignment. */
			if (!elfmod__is_pow2_or_zero(s.value))
				return fail_sym(p, ELFMOD_EALIGN, i, "st_value (alignment)", s.value, NULL);
			if (!reserve(p, ELFMOD_KIND_DATA, s.value, s.size, &p->symval[i]))
				return fail_sym(p, ELFMOD_EOVERFLOW, i, "st_size", s.size, NULL);
			p->symflag[i] |= SF_COMMON;
		} else if (s.shndx != ELFMOD_SHN_UNDEF && s.shndx != ELFMOD_SHN_ABS &&
			   s.shndx < ELFMOD_SHN_LORESERVE && unloaded(p->seckind[s.shndx]) &&
			   is_global(&s)) {
			/* A definition in a dropped COMDAT copy or an unloaded section: treat it as
			 * a reference to the kept one, found by name. */
			s.shndx = ELFMOD_SHN_UNDEF;
			p->symflag[i] |= SF_IMPORT;
		}
		if (!is_global(&s) || !is_defined(&s) || (p->symflag[i] & SF_IMPORT) ||
		    (p->o->flags & ELFMOD_LOAD_DROP_SYMBOLS))
			continue;
		rc = sym_name(p, &s, buf, &name);
		if (rc)
			return rc;
		if (p->marks) {
			int yes;
			rc = marked(p, name, &yes);
			if (rc)
				return rc;
			if (!yes)
				continue;
		}
		p->symflag[i] |= SF_EXPORT;
		p->nexport++;
		p->names_size += 1;
		for (const char *c = name; *c; c++)
			p->names_size++;
	}
	return 0;
}

/* ---- plan: mapping symbols ---- */

static int mapsym_less(const void *x, const void *y, const void *ctx)
{
	const struct mapsym *a = x, *b = y;

	(void)ctx;
	return a->shndx != b->shndx ? a->shndx < b->shndx : a->value < b->value;
}

/* The kind letter of a mapping symbol name ("$a", "$t.foo", ...), or 0. */
static char mapping_kind(const char *n)
{
	return n[0] == '$' && n[1] && (n[2] == 0 || n[2] == '.') ? n[1] : 0;
}

/* Two passes over the local symbols: count, then collect and sort the mapping symbols
 * of loaded sections into their own scratch allocation. */
static int collect_mapping(struct plan *p)
{
	char buf[ELFMOD_CFG_MAX_NAME];
	struct elfmod_sym s;
	const char *name;
	uint32_t n = 0;
	int rc;

	if (!rewrites_code(p))
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 1; i < p->nsyms; i++) {
			rc = elfmod__sym(&p->elf, &p->symt, i, &s);
			if (rc)
				return rc;
			if (ELFMOD_ST_BIND(s.info) != 0 || s.shndx == 0 || s.shndx >= p->elf.shnum ||
			    unloaded(p->seckind[s.shndx]))
				continue;
			rc = sym_name(p, &s, buf, &name);
			if (rc == ELFMOD_ESPACE)
				continue; /* a long name is no mapping symbol */
			if (rc)
				return rc;
			if (!mapping_kind(name))
				continue;
			if (pass == 1 && n < p->nmaps) {
				p->maps[n].value = s.value;
				p->maps[n].shndx = s.shndx;
				p->maps[n].kind = mapping_kind(name);
			}
			n++;
		}
		if (pass == 0) {
			if (n == 0)
				return 0;
			p->mapscratch.kind = ELFMOD_KIND_META;
			if (p->o->mem->alloc(p->o->mem->ctx, &p->mapscratch,
					     elfmod__mul_entsize(n, sizeof(struct mapsym)), 8, 0)) {
				p->mapscratch.size = 0;
				return elfmod__fail(p->diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
						    "mapping symbols", n);
			}
			p->mapscratch.size = elfmod__mul_entsize(n, sizeof(struct mapsym));
			p->maps = (struct mapsym *)p->mapscratch.wr;
			p->nmaps = n;
			n = 0;
		}
	}
	elfmod__sort(p->maps, p->nmaps, sizeof(p->maps[0]), mapsym_less, NULL);
	return 0;
}

/* Hands the code runs of section i (`size` bytes) that fall inside its bytes
 * [from, to), held at dst, to the arch. Runs are cut at `from`/`to`, which keeps
 * instructions whole as long as both are multiples of 4 from an aligned section start. */
static void fix_code_runs(struct plan *p, uint32_t i, uint64_t size, uint8_t *dst, uint64_t from,
			  uint64_t to)
{
	uint32_t lo = 0, hi = p->nmaps;

	while (lo < hi) { /* first entry of section i */
		uint32_t mid = lo + (hi - lo) / 2;
		if (p->maps[mid].shndx < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32_t k = lo; k < p->nmaps && p->maps[k].shndx == i; k++) {
		uint64_t start = p->maps[k].value, end = size;
		if (k + 1 < p->nmaps && p->maps[k + 1].shndx == i && p->maps[k + 1].value < size)
			end = p->maps[k + 1].value;
		if (start < from)
			start = from;
		if (end > to)
			end = to;
		if (p->maps[k].kind == 'd' || start >= end)
			continue;
		p->arch->fix_code(dst + (start - from), end - start, p->maps[k].kind, p->elf.big_endian);
	}
}

/* ---- plan: relocations (GOT slots, stubs, imports, field bounds) ---- */

/* Calls fn for every relocation that will be applied. */
typedef int (*rel_fn)(struct plan *p, uint32_t relsec, const struct elfmod_shdr *rs, uint32_t i,
		      uint32_t tsec, const struct elfmod_rel *r, const struct reloc_info *ri);

/* Whether loaded section `sec` is code that lies (partly) in the current window. */
static int overlaps_window(const struct plan *p, uint32_t sec, const struct elfmod_shdr *s)
{
	uint64_t so;

	if (p->seckind[sec] != ELFMOD_KIND_TEXT)
		return 0;
	so = p->secaddr[sec] - p->m->region[0].addr;
	return so < p->win_off + p->win_len && so + s->size > p->win_off;
}

/* arch->info results of one pass, by type: a module uses a handful of types, and the
 * indirect call per relocation was a visible part of each pass. */
#define INFO_CACHE 16u

struct info_cache {
	uint32_t type1[INFO_CACHE]; /* type + 1; 0: empty */
	struct reloc_info ri[INFO_CACHE];
};

ELFMOD__HOT_INLINE int rel_info(const struct plan *p, struct info_cache *c, uint32_t type, struct reloc_info *ri)
{
	uint32_t k = type % INFO_CACHE;
	int rc;

	if (c->type1[k] == type + 1 && type != UINT32_MAX) {
		*ri = c->ri[k];
		return 0;
	}
	rc = p->arch->info(type, ri);
	if (!rc && type != UINT32_MAX) {
		c->type1[k] = type + 1;
		c->ri[k] = *ri;
	}
	return rc;
}

/* One relocation table of a pass. */
struct rel_table {
	struct elfmod__table rt;
	struct elfmod_shdr rs, ts; /* the table's header, its target section's */
	uint32_t count;
};

/* Opens table s for a pass: 1 when its entries are to be visited, 0 when the pass skips
 * it, an error code when its header is wrong. */
static int open_rels(struct plan *p, uint32_t s, struct rel_table *t)
{
	int rc;

	if (p->rels_known && p->seckind[s] != REL_TABLE)
		return 0;
	rc = elfmod_elf_shdr(&p->elf, s, &t->rs);
	if (rc)
		return rc;
	if (t->rs.type != ELFMOD_SHT_REL && t->rs.type != ELFMOD_SHT_RELA)
		return 0;
	if (t->rs.info == 0 || t->rs.info >= p->elf.shnum || unloaded(p->seckind[t->rs.info]))
		return 0;
	if (t->rs.link != p->symtab)
		return elfmod__fail(p->diag, ELFMOD_ELINK, ELFMOD_OBJ_SHDR, s, "sh_link", t->rs.link);
	rc = elfmod_elf_shdr(&p->elf, t->rs.info, &t->ts);
	if (rc)
		return rc;
	if (p->windowing && !overlaps_window(p, t->rs.info, &t->ts))
		return 0;
	rc = elfmod__reltab_known(&p->elf, s, &t->rs, &p->symt.sh, &t->rt);
	if (rc)
		return rc;
	t->count = elfmod__rel_entries(&p->elf, &t->rs);
	p->cur_rt = &t->rt;
	p->cur_count = t->count;
	return 1;
}

/* Entry i of table s, decoded and checked (its type known, its field inside the target
 * section): 0 when it is to be applied, 1 when its type does nothing, an error code. */
ELFMOD__HOT_INLINE int next_rel(struct plan *p, struct info_cache *ic, uint32_t s, const struct rel_table *t,
			       uint32_t i, struct elfmod_rel *r, struct reloc_info *ri)
{
	uint64_t end;
	int rc;

	if (!elfmod__rel_in_place(&p->elf, &t->rt, i, r) && (rc = elfmod__rel(&p->elf, &t->rt, i, r)))
		return rc;
	rc = rel_info(p, ic, r->type, ri);
	if (rc) {
		elfmod__fail(p->diag, rc, ELFMOD_OBJ_REL, i, "r_type", r->type);
		if (p->diag) {
			const char *n = elfmod_reloc_name(p->elf.machine, r->type);
			p->diag->index2 = s;
			if (n)
				p->diag->field = n;
		}
		return rc;
	}
	if (ri->flags & RF_NONE)
		return 1;
	if (!elfmod__add_ok(r->offset, ri->size, &end) || end > t->ts.size) {
		elfmod__fail(p->diag, ELFMOD_ETRUNC, ELFMOD_OBJ_REL, i, "r_offset", r->offset);
		if (p->diag)
			p->diag->index2 = s;
		return ELFMOD_ETRUNC;
	}
	return 0;
}

/* The loop of a pass; inlined where fn is a constant, so that the hot passes call no
 * function per relocation to reach it. */
ELFMOD__HOT_INLINE int rel_pass(struct plan *p, rel_fn fn)
{
	struct rel_table t;
	struct elfmod_rel r;
	struct reloc_info ri;
	struct info_cache ic;
	int rc;

	memset(&ic, 0, sizeof(ic));
	for (uint32_t s = 1; s < p->elf.shnum; s++) {
		rc = open_rels(p, s, &t);
		if (rc <= 0) {
			if (rc)
				return rc;
			continue;
		}
		for (uint32_t i = 0; i < t.count; i++) {
			rc = next_rel(p, &ic, s, &t, i, &r, &ri);
			if (rc > 0)
				continue;
			if (rc || (rc = fn(p, s, &t.rs, i, t.rs.info, &r, &ri)))
				return rc;
		}
	}
	return 0;
}

__attribute__((noinline)) static int for_each_rel(struct plan *p, rel_fn fn)
{
	return rel_pass(p, fn);
}

static int scan_one(struct plan *p, uint32_t relsec, const struct elfmod_shdr *rs, uint32_t i,
		    uint32_t tsec, const struct elfmod_rel *r, const struct reloc_info *ri)
{
	(void)relsec, (void)rs, (void)i, (void)tsec;
	if (ri->flags & RF_GOTBASE)
		p->need_got = 1;
	if ((ri->flags & RF_PAIR_HI) && p->maxpairs < UINT32_MAX)
		p->maxpairs++;
	if (r->sym == 0)
		return 0;
	p->symflag[r->sym] |= SF_USED;
	if ((ri->flags & RF_CALL) && p->arch->stub_size) {
		if (!(p->arch->reaches_all && p->arch->reaches_all(r->type, p->elf.cls)) ||
		    (p->o->flags & ELFMOD_LOAD_PRELINK))
			p->symflag[r->sym] |= SF_CALL_FAR;
		if (p->arch->local_stub && p->arch->local_stub(r->type, 1))
			p->symflag[r->sym] |= SF_LS_ODD;
		if (p->arch->local_stub && p->arch->local_stub(r->type, 0))
			p->symflag[r->sym] |= SF_LS_EVEN;
	} else if (ri->flags & RF_PCREL) {
		p->symflag[r->sym] |= SF_PCDATA;
	}
	if ((ri->flags & RF_GOT_PAGE) && p->arch->page_value) {
		/* A definition of the module may be reached through a page entry (the
		 * compiler's choice for symbols that bind locally, hidden ones included: the
		 * partner relocation tells, at apply time); room for one either way. */
		struct elfmod_sym s;
		int rc = elfmod__sym(&p->elf, &p->symt, r->sym, &s);
		if (rc)
			return rc;
		if (s.shndx != ELFMOD_SHN_UNDEF && p->npage < UINT32_MAX - p->ngot - 2) {
			p->npage++;
			p->need_got = 1;
		}
	}
	if ((ri->flags & RF_GOT) && !p->symslot[r->sym]) {
		p->symslot[r->sym] = ++p->ngot;
		p->need_got = 1;
	}
	return 0;
}

/* The first pass: what placement needs (GOT slots, stubs, pairs, used symbols). */
static int scan_rels(struct plan *p)
{
	return rel_pass(p, scan_one);
}

/* Once imports are known: call stubs for imports out of reach, and for definitions of
 * the module a call reaches only with a change of instruction set (ARM/Thumb without
 * link); and an import that PC-relative data references need the module near. */
static void plan_stubs(struct plan *p)
{
	for (uint32_t i = 1; i < p->nsyms; i++) {
		uint16_t f = p->symflag[i];
		if (!(f & SF_USED))
			continue;
		if (!(f & (SF_IMPORT | SF_WEAK0))) {
			if (((f & SF_LS_ODD) && (f & SF_ODD)) || ((f & SF_LS_EVEN) && !(f & SF_ODD)))
				p->symstub[i] = ++p->nstub;
			continue;
		}
		if (f & SF_CALL_FAR)
			p->symstub[i] = ++p->nstub;
		if ((f & SF_PCDATA) && !p->near && p->symval[i])
			p->near = p->symval[i];
	}
}

/* ---- resolve ---- */

/* A module's definition of `name` offered to others: its export table (ET_REL) or its
 * dynamic symbols (ET_DYN). */
static int module_find(const struct elfmod_module *m, const char *name, uint32_t hash, uint64_t *addr)
{
	const struct elfmod_export *e;

	if (ELFMOD_CFG_DYNAMIC && m->dyn)
		return elfmod__dyn_find(m, name, hash, addr);
	e = elfmod_exports_find(&m->exports, name, hash);
	if (e)
		*addr = (uint64_t)(uintptr_t)e->addr;
	return e != NULL;
}

int elfmod__lookup(const struct elfmod_load_opts *o, const char *name, uint64_t *addr,
		   struct elfmod_module **from)
{
	uint32_t hash = elfmod_hash(name);

	*from = NULL;
	if (o->reg) {
		for (struct elfmod_module *x = o->reg->modules; x; x = x->next)
			if (module_find(x, name, hash, addr)) {
				*from = x;
				return 0;
			}
		for (uint32_t t = 0; t < o->reg->ntables; t++) {
			const struct elfmod_export *e = elfmod_exports_find(o->reg->tables[t], name, hash);
			if (e) {
				*addr = (uint64_t)(uintptr_t)e->addr;
				return 0;
			}
		}
	}
	if (o->resolve && o->resolve(o->resolve_ctx, name, addr) == 0)
		return 0;
	return ELFMOD_ENOTFOUND;
}

static int export_clash(struct plan *p, const char *name, uint32_t hash, const struct elfmod_module **who)
{
	if (!p->o->reg)
		return 0;
	/* Shared objects follow ELF's rule instead: the first definition found wins. */
	for (const struct elfmod_module *o = p->o->reg->modules; o; o = o->next)
		if (elfmod_exports_find(&o->exports, name, hash)) {
			*who = o;
			return 1;
		}
	return 0;
}

static void add_dep(struct plan *p, struct elfmod_module *dep)
{
	for (uint32_t k = 0; k < p->ndeps; k++)
		if (p->deps[k] == dep)
			return;
	/* nmodules counted every module in the registry, so there is room. */
	p->deps[p->ndeps++] = dep;
}

static int builtin(struct plan *p, const char *name, uint64_t *val, int *found)
{
	*found = 1;
	if (str_eq(name, "_GLOBAL_OFFSET_TABLE_")) {
		p->need_got = 1;
		*val = 0; /* filled after placement */
		return 0;
	}
	if (str_eq(name, "__dso_handle")) {
		*val = 0;
		return 0;
	}
	*val = p->foreign ? 0 : elfmod__cxa_builtin(name, 0);
	*found = *val != 0;
	return 0;
}

#if HOST_MACHINE
static void finalize_at_unload(void *dso)
{
	(void)dso;
}
#endif

int elfmod_builtin_symbol(uint16_t machine, int shared_object, const char *name)
{
	const struct arch_desc *a = elfmod__arch_find(machine);
	uint64_t v;
	uint8_t prel;

	if (!name)
		return 0;
	if (str_eq(name, "__cxa_atexit") || str_eq(name, "__aeabi_atexit") || str_eq(name, "__cxa_finalize"))
		return 1;
	if (shared_object)
		return 0;
	if (str_eq(name, "_GLOBAL_OFFSET_TABLE_") || str_eq(name, "__dso_handle"))
		return 1;
	return a && a->builtin && a->builtin(name, &v, &prel);
}

uint64_t elfmod__cxa_builtin(const char *name, int shared_object)
{
#if HOST_MACHINE
	if (str_eq(name, "__cxa_atexit"))
		return (uint64_t)(uintptr_t)&elfmod_cxa_atexit;
	if (str_eq(name, "__aeabi_atexit"))
		return (uint64_t)(uintptr_t)&elfmod_aeabi_atexit;
	if (str_eq(name, "__cxa_finalize"))
		return shared_object ? (uint64_t)(uintptr_t)&finalize_at_unload
				     : (uint64_t)(uintptr_t)&elfmod_cxa_finalize;
#else
	(void)name, (void)shared_object;
#endif
	return 0;
}

/* Resolves every used undefined symbol, in the documented order. Dependencies are only
 * recorded in the plan here; their reference counts change when the load succeeds. */
static int resolve(struct plan *p)
{
	char buf[ELFMOD_CFG_MAX_NAME];
	struct elfmod_sym s;
	const char *name;
	uint32_t missing = 0;
	int rc;

	for (uint32_t i = 1; i < p->nsyms; i++) {
		uint64_t v = 0;
		int found = 0;

		/* The module's own definitions need nothing here (plan_symbols saw them). */
		if (!(p->symflag[i] & SF_USED) || !(p->symflag[i] & (SF_UNDEF | SF_IMPORT)))
			continue;
		rc = elfmod__sym(&p->elf, &p->symt, i, &s);
		if (rc)
			return rc;
		if (!is_global(&s))
			return fail_sym(p, ELFMOD_EINDEX, i, "local symbol without a loaded section",
					s.shndx, NULL);
		rc = sym_name(p, &s, buf, &name);
		if (rc)
			return rc;
		rc = builtin(p, name, &v, &found);
		if (rc)
			return rc;
		if (!found && p->arch->builtin) {
			uint8_t prel = 0;
			if (p->arch->builtin(name, &v, &prel)) {
				/* Known only once the GOT is placed: finish_symbols adds it. */
				p->symval[i] = v;
				p->symflag[i] |= SF_IMPORT | SF_GOTREL | (prel ? SF_PREL : 0);
				p->need_got = 1;
				continue;
			}
		}
		if (!found) {
			struct elfmod_module *from = NULL;
			if (elfmod__lookup(p->o, name, &v, &from) == 0) {
				found = 1;
				if (from)
					add_dep(p, from);
			}
		}
		if (found) {
			p->symval[i] = v;
			p->symflag[i] |= SF_IMPORT;
		} else if (ELFMOD_ST_BIND(s.info) == 2 /* WEAK */) {
			p->symval[i] = 0;
			p->symflag[i] |= SF_WEAK0;
		} else {
			if (p->o->unresolved)
				p->o->unresolved(p->o->unresolved_ctx, name);
			if (!missing++)
				fail_sym(p, ELFMOD_EUNDEF, i, "import", 0, name);
		}
	}
	if (missing) {
		if (p->diag) {
			p->diag->value = missing;
			p->diag->field = missing > 1 ? "first of several unresolved imports" : "import";
		}
		return ELFMOD_EUNDEF;
	}
	return 0;
}

/* ---- place ---- */

static void free_regions(struct elfmod_module *m)
{
	elfmod__reset_free(m);
	/* The single-section regions first: their descriptors live in the keep. */
	for (uint32_t k = 0; k < m->nown; k++)
		m->mem->free(m->mem->ctx, &m->own[k]);
	m->nown = 0;
	m->own = NULL;
	m->sections = NULL;
	m->nsections = 0;
	for (int k = 0; k < 3; k++)
		if (m->region[k].size) {
			m->mem->free(m->mem->ctx, &m->region[k]);
			m->region[k].size = 0;
		}
	if (m->keep.size) {
		m->mem->free(m->mem->ctx, &m->keep);
		m->keep.size = 0;
	}
}

/* elfmod_alloc_info.section: the k-th section of a region (or the one section). */
struct info_ctx {
	struct plan *p;
	uint32_t shndx;    /* the section of a single-section region, or 0 */
	uint8_t kind;
};

static const char *info_section(const struct elfmod_alloc_info *ai, uint32_t k, char *buf, size_t bufsz)
{
	const struct info_ctx *c = ai->priv;
	uint32_t i = c->shndx;
	const char *n;
	size_t len = 0;

	if (!i) {
		for (i = 1; i < c->p->elf.shnum; i++)
			if (c->p->seckind[i] == c->kind && k-- == 0)
				break;
		if (i == c->p->elf.shnum)
			return NULL;
	} else if (k) {
		return NULL;
	}
	if (!bufsz || elfmod_elf_section_name(&c->p->elf, i, buf, bufsz, &n))
		return NULL;
	while (n[len])
		if (++len >= bufsz)
			return NULL;
	memmove(buf, n, len + 1);
	return buf;
}

static int alloc_region(struct plan *p, int k, uint64_t near)
{
	struct elfmod_region *r = &p->m->region[k];
	struct info_ctx ic = { p, 0, (uint8_t)k };
	struct elfmod_alloc_info ai = { p->kflags[k], p->nsec[k], info_section, &ic };
	int rc;

	if (p->size[k] == 0)
		return 0;
	r->kind = (uint8_t)k;
	r->info = &ai;
	rc = p->o->mem->alloc(p->o->mem->ctx, r, p->size[k], p->align[k] ? p->align[k] : 1, near);
	r->info = NULL;
	if (rc) {
		r->size = 0;
		return elfmod__fail(p->diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
				    k == 0 ? "text region" : k == 1 ? "rodata region" : "data region", p->size[k]);
	}
	if (r->size < p->size[k] || ((r->addr & ((p->align[k] ? p->align[k] : 1) - 1)) != 0)) {
		p->o->mem->free(p->o->mem->ctx, r);
		r->size = 0;
		return elfmod__fail(p->diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
				    "allocator result", r->addr);
	}
	r->size = p->size[k];
	return 0;
}

/* Regions of single sections (ELFMOD_PLACE_REGION), near the text. */
static int alloc_own(struct plan *p)
{
	struct elfmod_module *m = p->m;
	struct elfmod_shdr s;
	int rc;

	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		struct info_ctx ic = { p, i, 0 };
		struct elfmod_alloc_info ai = { 0, 1, info_section, &ic };
		struct elfmod_region *r = &m->own[m->nown];
		uint64_t align;
		if (!(p->secarr[i] & SA_OWN))
			continue;
		if ((rc = elfmod_elf_shdr(&p->elf, i, &s)))
			return rc;
		align = s.addralign ? s.addralign : 1;
		memset(r, 0, sizeof(*r));
		r->kind = (uint8_t)kind_of(&s);
		r->info = &ai;
		ai.sh_flags = s.flags;
		rc = p->o->mem->alloc(p->o->mem->ctx, r, s.size, align,
				      m->region[0].size ? m->region[0].addr : p->near);
		r->info = NULL;
		if (rc)
			return elfmod__fail(p->diag, ELFMOD_ENOMEM, ELFMOD_OBJ_SHDR, i, "region of its own", s.size);
		m->nown++;
		if (r->size < s.size || (r->addr & (align - 1)))
			return elfmod__fail(p->diag, ELFMOD_EINVAL, ELFMOD_OBJ_SHDR, i, "allocator result", r->addr);
		r->size = s.size;
		p->secaddr[i] = r->addr;
		p->secwr[i] = r->wr;
	}
	return 0;
}

static int place(struct plan *p)
{
	struct elfmod_module *m = p->m;
	uint64_t lo = UINT64_MAX, hi = 0, keep;
	uint32_t nsec = 0;
	int rc;

	/* Loader-made pieces go after the sections: stubs end the text, the GOT ends the
	 * rodata, the __dso_handle word ends the data. */
	if ((p->nstub && !reserve(p, ELFMOD_KIND_TEXT, p->arch->stub_align,
				  elfmod__mul_entsize(p->nstub, p->arch->stub_size), &p->stub_off)) ||
	    /* One spare slot keeps the GOT non-empty when only its base is used. */
	    (p->need_got && !reserve(p, ELFMOD_KIND_RODATA, p->word,
				     elfmod__mul_entsize(p->ngot + 1 + p->npage, p->word), &p->got_off)) ||
	    !reserve(p, ELFMOD_KIND_DATA, p->word, p->word, &p->dso_off))
		return elfmod__fail(p->diag, ELFMOD_EOVERFLOW, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
				    "module size", 0);

	/* Word-only code memory gets whole words. */
	if (p->o->mem->write_code && p->size[0])
		p->size[0] = (p->size[0] + 3) & ~(uint64_t)3;
	rc = alloc_region(p, ELFMOD_KIND_TEXT, p->near);
	if (!rc)
		rc = alloc_region(p, ELFMOD_KIND_RODATA, m->region[0].size ? m->region[0].addr : p->near);
	if (!rc)
		rc = alloc_region(p, ELFMOD_KIND_DATA, m->region[0].size ? m->region[0].addr : p->near);
	if (rc)
		return rc;
	for (int k = 0; k < 3; k++) {
		if (!m->region[k].size)
			continue;
		if (m->region[k].addr < lo)
			lo = m->region[k].addr;
		if (m->region[k].addr + m->region[k].size > hi)
			hi = m->region[k].addr + m->region[k].size;
	}
	if (p->elf.cls == 64 && !within_2g(lo, hi))
		return elfmod__fail(p->diag, ELFMOD_EREACH, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
				    "regions more than 2 GiB apart", hi - lo);
	for (int k = 0; k < 3; k++)
		p->wrk[k] = (uint8_t *)m->region[k].wr;
	if (p->o->mem->write_code && m->region[0].size) {
		uint64_t w = p->o->mem->code_window ? p->o->mem->code_window : ELFMOD_CFG_CODE_WINDOW;
		w &= ~(uint64_t)3;
		if (w < 4)
			w = 4;
		if (w > m->region[0].size)
			w = m->region[0].size;
		if (p->arch->stub_size > WIN_MARGIN)
			return elfmod__fail(p->diag, ELFMOD_ELIMIT, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
					    "stub size", p->arch->stub_size);
		p->win.kind = ELFMOD_KIND_META;
		if (p->o->mem->alloc(p->o->mem->ctx, &p->win, w + WIN_MARGIN, 4, 0)) {
			p->win.size = 0;
			return elfmod__fail(p->diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
					    "code window", w + WIN_MARGIN);
		}
		p->win.size = w + WIN_MARGIN;
		p->winbuf = (uint8_t *)p->win.wr;
		p->win_len = w;
		p->wrk[0] = NULL;
	}

	/* What outlives the load: exports (+ index + names), dependencies, fini list. */
	keep = elfmod__mul_entsize(p->nexport, sizeof(struct elfmod_export) + sizeof(struct elfmod_export_index));
	keep += elfmod__mul_entsize(p->ndeps, sizeof(struct elfmod_module *));
	keep += elfmod__mul_entsize(p->ninit + p->nfini, 2 * sizeof(uint64_t));
	keep += p->names_size;
	keep += elfmod__mul_entsize(p->nown, sizeof(struct elfmod_region));
	if (m->flags & ELFMOD_LOAD_KEEP_SECTIONS)
		for (uint32_t i = 1; i < p->elf.shnum; i++)
			nsec += !unloaded(p->seckind[i]);
	keep += elfmod__mul_entsize(nsec, sizeof(struct elfmod_section_addr));
	if (keep) {
		m->keep.kind = ELFMOD_KIND_META;
		if (p->o->mem->alloc(p->o->mem->ctx, &m->keep, keep, sizeof(uint64_t), 0)) {
			m->keep.size = 0;
			return elfmod__fail(p->diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
					    "symbol table", keep);
		}
		m->keep.size = keep;
		/* 8-byte items first, so every array stays aligned. */
		p->init = (uint64_t *)m->keep.wr;
		m->fini = p->init + 2 * p->ninit;
		m->own = (struct elfmod_region *)(void *)(m->fini + 2 * p->nfini);
		if (nsec) {
			m->sections = (const struct elfmod_section_addr *)(void *)(m->own + p->nown);
			m->nsections = nsec;
		}
		m->exports.syms = (struct elfmod_export *)((struct elfmod_section_addr *)(void *)(m->own + p->nown) + nsec);
		m->deps = (struct elfmod_module **)((struct elfmod_export *)m->exports.syms + p->nexport);
		m->exports.index = (struct elfmod_export_index *)(m->deps + p->ndeps);
		for (uint32_t k = 0; k < p->ndeps; k++)
			m->deps[k] = p->deps[k];
	}
	return p->nown ? alloc_own(p) : 0;
}

/* ---- copy ---- */

static int copy_sections(struct plan *p)
{
	struct elfmod_module *m = p->m;
	struct elfmod_shdr s;
	uint64_t ahead = 0;
	/* Per region: everything below it is zeroed or copied. Only what no section's
	 * bytes cover is zeroed (alignment gaps, .bss, commons, the loader's own pieces):
	 * zeroing the regions whole wrote the image twice. A section laid out below the
	 * mark (text_first) lands in bytes zeroed already. */
	uint64_t done[3] = { 0, 0, 0 };
	int rc;

	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		uint8_t k = p->seckind[i];
		if (unloaded(k))
			continue;
		rc = elfmod_elf_shdr(&p->elf, i, &s);
		if (rc)
			return rc;
		if (k != FIXED)
			p->secwr[i] = (uint8_t *)m->region[k].wr + p->secaddr[i];
		if (k == ELFMOD_KIND_TEXT && !p->wrk[0]) {
			/* Word-only code memory: read window by window in apply_code(). */
			if (s.type != ELFMOD_SHT_NOBITS)
				m->bytes_loaded += s.size;
			continue;
		}
		if (s.type == ELFMOD_SHT_NOBITS) {
			if (k == FIXED)
				memset(p->secwr[i], 0, (size_t)s.size);
			continue;
		}
		if (k == FIXED && is_in_place(p, i, &s)) {
			m->bytes_in_place += s.size;
			continue;
		}
		/* Contents in ascending file order pass through an integrity digest as
		 * they are copied (the tables between them are hashed first). */
		if (s.offset >= ahead && (rc = elfmod__stream_skip(&p->elf, s.offset, p->diag)))
			return rc;
		ahead = s.offset + s.size;
		if (k != FIXED && p->secaddr[i] >= done[k]) {
			if (p->secaddr[i] > done[k])
				memset(p->wrk[k] + done[k], 0, (size_t)(p->secaddr[i] - done[k]));
			done[k] = p->secaddr[i] + s.size;
		}
		rc = elfmod__src_read(p->elf.src, s.offset, p->secwr[i], (size_t)s.size);
		if (rc)
			return elfmod__fail(p->diag, rc, ELFMOD_OBJ_SHDR, i, "sh_offset", s.offset);
		m->bytes_loaded += s.size;
		if (p->nmaps)
			fix_code_runs(p, i, s.size, p->secwr[i], 0, s.size);
	}
	for (int k = 0; k < 3; k++)
		if (p->wrk[k] && m->region[k].size > done[k])
			memset(p->wrk[k] + done[k], 0, (size_t)(m->region[k].size - done[k]));
	/* Section offsets become run addresses from here on. */
	for (uint32_t i = 1; i < p->elf.shnum; i++)
		if (!unloaded(p->seckind[i]) && p->seckind[i] != FIXED)
			p->secaddr[i] += m->region[p->seckind[i]].addr;
	return 0;
}

/* What elfmod_reset will rewrite: the data region (zeroed), the file-backed sections
 * in it, and the writable sections placed outside it; in that order. */
static int writable_sec(const struct plan *p, uint32_t i)
{
	return p->seckind[i] == ELFMOD_KIND_DATA || (p->seckind[i] == FIXED && (p->secarr[i] & SA_WRITE));
}

static int reset_prepare(struct plan *p)
{
	struct elfmod_module *m = p->m;
	struct elfmod_shdr s;
	uint32_t n = 1, k = 1;
	uint64_t bytes = m->region[2].size;
	int rc;

	if (!(m->flags & (ELFMOD_LOAD_RESET_COPY | ELFMOD_LOAD_RESET_SOURCE)))
		return 0;
	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		if (!writable_sec(p, i))
			continue;
		/* A copy of the data region holds its sections already. */
		if (p->seckind[i] == ELFMOD_KIND_DATA && (m->flags & ELFMOD_LOAD_RESET_COPY))
			continue;
		if ((rc = elfmod_elf_shdr(&p->elf, i, &s)))
			return rc;
		n++;
		if (p->seckind[i] == FIXED && !elfmod__add_ok(bytes, s.size, &bytes))
			return elfmod__fail(p->diag, ELFMOD_EOVERFLOW, ELFMOD_OBJ_SHDR, i, "sh_size", s.size);
	}
	if ((rc = elfmod__reset_begin(m, n, bytes, p->diag)))
		return rc;
	elfmod__reset_range(m, 0, p->wrk[2], m->region[2].size, 0, 0);
	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		if (!writable_sec(p, i) ||
		    (p->seckind[i] == ELFMOD_KIND_DATA && (m->flags & ELFMOD_LOAD_RESET_COPY)))
			continue;
		if ((rc = elfmod_elf_shdr(&p->elf, i, &s)))
			return rc;
		elfmod__reset_range(m, k++, p->secwr[i], s.size, s.offset, s.type == ELFMOD_SHT_NOBITS ? 0 : s.size);
	}
	return 0;
}

static void put_word(struct plan *p, uint8_t *at, uint64_t v)
{
	if (p->word == 8)
		elfmod__put64(at, v, p->elf.big_endian);
	else
		elfmod__put32(at, (uint32_t)v, p->elf.big_endian);
}

/* Final values of every symbol, the GOT, the stubs and __dso_handle. */
static int finish_symbols(struct plan *p)
{
	struct elfmod_module *m = p->m;
	uint64_t got = p->need_got ? m->region[1].addr + p->got_off : 0;
	/* A GOT always has a spare slot, so the rodata region exists when need_got is set. */
	uint8_t *gotw = p->need_got ? (uint8_t *)m->region[1].wr + p->got_off : NULL;
	char buf[ELFMOD_CFG_MAX_NAME];
	struct elfmod_sym s;
	const char *name;
	int rc;

	m->dso_handle = m->region[2].addr + p->dso_off;
	/* The word behind __dso_handle leads elfmod_cxa_atexit back to the module; a
	 * module relocated for another machine gets 0 there. */
	put_word(p, (uint8_t *)m->region[2].wr + p->dso_off, p->foreign ? 0 : (uint64_t)(uintptr_t)m);
	if ((rc = elfmod__reset_note(m, (uint8_t *)m->region[2].wr + p->dso_off, p->word, p->diag)))
		return rc;
	for (uint32_t i = 1; i < p->nsyms; i++) {
		/* Only relocations, GOT slots, stubs and exports read a value from here on. */
		if (!(p->symflag[i] & (SF_USED | SF_EXPORT)))
			continue;
		rc = elfmod__sym(&p->elf, &p->symt, i, &s);
		if (rc)
			return rc;
		if (p->symflag[i] & SF_COMMON)
			p->symval[i] += m->region[2].addr;
		else if (p->symflag[i] & SF_GOTREL)
			p->symval[i] += got;
		else if (p->symflag[i] & (SF_IMPORT | SF_WEAK0))
			; /* resolved already */
		else if (s.shndx == ELFMOD_SHN_ABS)
			p->symval[i] = s.value;
		else if (s.shndx != ELFMOD_SHN_UNDEF && s.shndx < p->elf.shnum)
			p->symval[i] = unloaded(p->seckind[s.shndx]) ? 0 : p->secaddr[s.shndx] + s.value;
		if ((p->symflag[i] & SF_IMPORT) && s.shndx == ELFMOD_SHN_UNDEF && (p->symflag[i] & SF_USED)) {
			/* Builtins whose value is only known now. */
			rc = sym_name(p, &s, buf, &name);
			if (rc)
				return rc;
			if (str_eq(name, "_GLOBAL_OFFSET_TABLE_"))
				p->symval[i] = got;
			else if (str_eq(name, "__dso_handle"))
				p->symval[i] = m->dso_handle;
		}
		if (p->symslot[i])
			put_word(p, gotw + elfmod__mul_entsize(p->symslot[i], p->word), p->symval[i]);
		if (p->symstub[i] && p->wrk[0]) { /* else written window by window */
			uint64_t off = p->stub_off + elfmod__mul_entsize(p->symstub[i] - 1, p->arch->stub_size);
			p->arch->stub(p->wrk[0] + off, m->region[0].addr + off, p->symval[i],
				      p->elf.big_endian);
		}
	}
	m->got_slots = p->ngot;
	m->stubs = p->nstub;
	m->got = got;
	m->stub_base = p->nstub ? m->region[0].addr + p->stub_off : 0;
	return 0;
}

/* ---- relocate ---- */

/* Where the `len` bytes at offset `off` of loaded section `sec` are. With a code window
 * (word-only code memory), text outside the window is read back from the source into
 * p->tmp: a REL addend looked up ahead (or behind) is then still the unrelocated one. */
static int field_at(struct plan *p, uint32_t sec, uint64_t off, uint32_t len, uint8_t **loc)
{
	struct elfmod_shdr s;
	uint64_t t;
	int rc;

	if (p->wrk[0] || p->seckind[sec] != ELFMOD_KIND_TEXT) {
		*loc = p->secwr[sec] + (size_t)off;
		return 0;
	}
	t = p->secaddr[sec] - p->m->region[0].addr + off;
	if (t >= p->win_off && t - p->win_off + len <= p->win_len + WIN_MARGIN) {
		*loc = p->winbuf + (size_t)(t - p->win_off);
		return 0;
	}
	if (len > sizeof(p->tmp))
		return elfmod__fail(p->diag, ELFMOD_ELIMIT, ELFMOD_OBJ_SHDR, sec, "field size", len);
	rc = elfmod_elf_shdr(&p->elf, sec, &s);
	if (rc)
		return rc;
	memset(p->tmp, 0, sizeof(p->tmp));
	if (s.type != ELFMOD_SHT_NOBITS) {
		rc = elfmod__src_read(p->elf.src, s.offset + off, p->tmp, len);
		if (rc)
			return elfmod__fail(p->diag, rc, ELFMOD_OBJ_SHDR, sec, "sh_offset", s.offset);
		if (p->nmaps)
			fix_code_runs(p, sec, s.size, p->tmp, off, off + len);
	}
	*loc = p->tmp;
	return 0;
}

/* The arguments that are the same for every relocation of a load. */
ELFMOD__HOT_INLINE void load_args(const struct plan *p, struct reloc_args *a)
{
	a->big_endian = p->elf.big_endian;
	a->e_flags = p->elf.flags;
	a->cls = p->elf.cls;
	a->native = !p->foreign;
	a->obj = p->obj;
	a->GOT = p->need_got ? p->m->region[1].addr + p->got_off : 0;
	a->Z = a->pair = 0;
	a->has_pair = 0;
}

/* S, G, L and the symbol's flags for relocation symbol `sym` (0: none); a->GOT is set. */
ELFMOD__HOT_INLINE void sym_args(const struct plan *p, uint32_t sym, struct reloc_args *a)
{
	uint16_t f;

	a->S = a->G = a->L = 0;
	a->weak_undef = a->sym_prel = a->sym_local = 0;
	if (!sym)
		return;
	f = p->symflag[sym];
	a->S = p->symval[sym];
	a->weak_undef = (f & SF_WEAK0) != 0;
	a->sym_prel = (f & SF_PREL) != 0;
	a->sym_local = (f & SF_LOCAL) != 0;
	if (p->symslot[sym])
		a->G = a->GOT + elfmod__mul_entsize(p->symslot[sym], p->word);
	if (p->symstub[sym])
		a->L = p->m->region[0].addr + p->stub_off + elfmod__mul_entsize(p->symstub[sym] - 1, p->arch->stub_size);
}

/* S, A, P, GOT, G, L and Z of one relocation, and where it writes. Every field is set,
 * one store each: clearing the whole block first (a `rep stos` per relocation) was the
 * largest single cost of the relocation pass. */
static int make_args(struct plan *p, const struct elfmod_shdr *rs, uint32_t tsec,
		     const struct elfmod_rel *r, const struct reloc_info *ri, struct reloc_args *a)
{
	struct elfmod_sym s;
	int rc;

	load_args(p, a);
	a->type = r->type;
	/* next_rel checked r_offset + field size against the section. */
	if (p->wrk[0] || p->seckind[tsec] != ELFMOD_KIND_TEXT)
		a->loc = p->secwr[tsec] + (size_t)r->offset;
	else if ((rc = field_at(p, tsec, r->offset, ri->size, &a->loc)))
		return rc;
	a->P = p->secaddr[tsec] + r->offset;
	a->A = r->addend;
	sym_args(p, r->sym, a);
	if (r->sym && (ri->flags & RF_SIZE)) {
		rc = elfmod__sym(&p->elf, &p->symt, r->sym, &s);
		if (rc)
			return rc;
		a->Z = s.size;
	}
	if (rs->type == ELFMOD_SHT_REL)
		return p->arch->addend ? p->arch->addend(r->type, a->loc, a->big_endian, &a->A)
				       : ELFMOD_ERELTYPE;
	return 0;
}

/* ---- paired relocations ---- */

static int record_pair(struct plan *p, uint32_t relsec, const struct elfmod_shdr *rs, uint32_t i,
		       uint32_t tsec, const struct elfmod_rel *r, const struct reloc_info *ri)
{
	struct reloc_args a;
	int rc;

	(void)relsec, (void)i;
	if (!(ri->flags & RF_PAIR_HI) || !p->arch->pair_value || p->npairs == p->maxpairs)
		return 0;
	rc = make_args(p, rs, tsec, r, ri, &a);
	if (rc)
		return rc;
	p->pairs[p->npairs].P = a.P;
	p->pairs[p->npairs].value = p->arch->pair_value(&a);
	p->npairs++;
	return 0;
}

static int pair_less(const void *x, const void *y, const void *ctx)
{
	(void)ctx;
	return ((const struct pairval *)x)->P < ((const struct pairval *)y)->P;
}

/* The RF_PAIR_HI values of the whole module, sorted by place (RISC-V: a PCREL_LO12
 * names its PCREL_HI20 by the address of the auipc, not by its position). */
static int collect_pairs(struct plan *p)
{
	int rc;

	if (!p->maxpairs)
		return 0;
	p->pairscratch.kind = ELFMOD_KIND_META;
	if (p->o->mem->alloc(p->o->mem->ctx, &p->pairscratch,
			     elfmod__mul_entsize(p->maxpairs, sizeof(struct pairval)), 8, 0)) {
		p->pairscratch.size = 0;
		return elfmod__fail(p->diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
				    "paired relocations", p->maxpairs);
	}
	p->pairscratch.size = elfmod__mul_entsize(p->maxpairs, sizeof(struct pairval));
	p->pairs = (struct pairval *)p->pairscratch.wr;
	rc = for_each_rel(p, record_pair);
	if (rc)
		return rc;
	elfmod__sort(p->pairs, p->npairs, sizeof(p->pairs[0]), pair_less, NULL);
	return 0;
}

static void find_pair(const struct plan *p, uint64_t at, struct reloc_args *a)
{
	uint32_t lo = 0, hi = p->npairs;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (p->pairs[mid].P < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->npairs && p->pairs[lo].P == at) {
		a->pair = p->pairs[lo].value;
		a->has_pair = 1;
	}
}

/* How far an RF_PAIR_NEXT relocation looks for its partner: the ABI puts it right
 * after (several HI16 may share one LO16), and a bound keeps hostile tables linear. */
#define PAIR_NEXT_WINDOW 256

static int find_next(struct plan *p, const struct elfmod_shdr *rs, uint32_t i, uint32_t tsec,
		     const struct elfmod_rel *r, struct reloc_args *a)
{
	uint32_t want = p->arch->pair_type ? p->arch->pair_type(r->type) : 0;
	struct elfmod_shdr ts;
	struct reloc_info ri;
	struct elfmod_rel n;
	uint64_t end;
	int rc;

	for (uint32_t k = i + 1; k < p->cur_count && k - i <= PAIR_NEXT_WINDOW; k++) {
		rc = elfmod__rel(&p->elf, p->cur_rt, k, &n);
		if (rc)
			return rc;
		if (n.type != want || n.sym != r->sym)
			continue;
		a->pair = (uint64_t)n.addend;
		a->has_pair = 1;
		if (rs->type != ELFMOD_SHT_REL)
			return 0;
		/* REL: the partner's addend is in its field, not yet relocated. */
		rc = p->arch->info(n.type, &ri);
		if (!rc)
			rc = elfmod_elf_shdr(&p->elf, tsec, &ts);
		if (rc)
			return rc;
		if (!elfmod__add_ok(n.offset, ri.size, &end) || end > ts.size)
			return elfmod__fail(p->diag, ELFMOD_ETRUNC, ELFMOD_OBJ_REL, k, "r_offset", n.offset);
		{
			int64_t A = 0;
			uint8_t *at;
			rc = field_at(p, tsec, n.offset, ri.size, &at);
			if (!rc)
				rc = p->arch->addend(n.type, at, a->big_endian, &A);
			a->pair = (uint64_t)A;
		}
		return rc;
	}
	return 0;
}

/* The GOT slot holding this relocation's page_value(): shared by every relocation with
 * the same value, after the symbol slots. Linear in the pages used, which GOT16's 16-bit
 * reach keeps to a few thousand at most. */
static int page_slot(struct plan *p, struct reloc_args *a)
{
	uint64_t v = p->arch->page_value(a), base = p->m->region[1].addr + p->got_off;
	uint8_t *w = p->wrk[1] + p->got_off;
	uint32_t first = p->ngot + 1, k;

	for (k = 0; k < p->npage_used; k++) {
		uint8_t *slot = w + elfmod__mul_entsize(first + k, p->word);
		uint64_t have = p->word == 8 ? elfmod__get64(slot, p->elf.big_endian)
					     : elfmod__get32(slot, p->elf.big_endian);
		if (have == (p->word == 8 ? v : (uint32_t)v))
			break;
	}
	if (k == p->npage_used) {
		if (k == p->npage)
			return elfmod__fail(p->diag, ELFMOD_ELIMIT, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
					    "GOT page entries", k);
		put_word(p, w + elfmod__mul_entsize(first + k, p->word), v);
		p->npage_used++;
	}
	a->G = base + elfmod__mul_entsize(first + k, p->word);
	return 0;
}

/* The diagnostic of a relocation that failed with rc: its type's name (or the arch's
 * hint), its symbol's name. Apart, so that relocate() keeps a small frame. */
__attribute__((noinline)) static int reloc_failed(struct plan *p, int rc, uint32_t relsec, uint32_t i,
						  const struct elfmod_rel *r, const struct reloc_info *ri)
{
	struct elfmod_sym s;
	char buf[ELFMOD_CFG_MAX_NAME];
	const char *name = NULL, *what;

	what = elfmod_reloc_name(p->elf.machine, r->type);
	if (rc == ELFMOD_ERANGE && p->arch->range_hint && p->arch->range_hint(r->type))
		what = p->arch->range_hint(r->type);
	if (r->sym && (elfmod__sym(&p->elf, &p->symt, r->sym, &s) || sym_name(p, &s, buf, &name)))
		name = NULL;
	/* A PC-relative reference that cannot reach an import is a build problem. */
	if (rc == ELFMOD_ERANGE && (ri->flags & RF_PCREL) && r->sym && (p->symflag[r->sym] & SF_IMPORT)) {
		rc = ELFMOD_EREACH;
		what = p->arch->far_hint ? p->arch->far_hint : "PC-relative reference to a far import";
	}
	fail_sym(p, rc, i, what ? what : "r_type", r->offset, name);
	if (p->diag) {
		p->diag->obj = ELFMOD_OBJ_REL;
		p->diag->index2 = relsec;
	}
	return rc;
}

static int relocate(struct plan *p, uint32_t relsec, const struct elfmod_shdr *rs, uint32_t i,
		    uint32_t tsec, const struct elfmod_rel *r, const struct reloc_info *ri)
{
	struct reloc_args a;
	int rc;

	rc = make_args(p, rs, tsec, r, ri, &a);
	if (rc == 0 && (ri->flags & RF_PAIR_LO))
		find_pair(p, a.S + (uint64_t)a.A, &a);
	if (rc == 0 && (ri->flags & RF_PAIR_NEXT))
		rc = find_next(p, rs, i, tsec, r, &a);
	if (rc == 0 && (ri->flags & RF_GOT_PAGE) && p->arch->page_value && a.has_pair)
		rc = page_slot(p, &a);
	if (rc == 0)
		rc = p->arch->apply(&a);
	/* Only a module kept for elfmod_reset logs what relocation writes into its data. */
	if (rc == 0 && p->m->reset.size && writable_sec(p, tsec))
		rc = elfmod__reset_note(p->m, a.loc, ri->size, p->diag);
	return rc == 0 ? 0 : reloc_failed(p, rc, relsec, i, r, ri);
}

/* The apply pass. A RELA entry that needs no partner, GOT page or symbol size is the
 * common case: its arguments are made here, with what is constant per table set once
 * per table, and the rest goes through relocate() (what make_args() computes for it is
 * the same either way). */
static int apply_rels(struct plan *p)
{
	struct rel_table t;
	struct elfmod_rel r;
	struct reloc_info ri;
	struct info_cache ic;
	struct reloc_args a;
	int rc;

	memset(&ic, 0, sizeof(ic));
	load_args(p, &a);
	for (uint32_t s = 1; s < p->elf.shnum; s++) {
		uint32_t tsec;
		uint8_t *wr;
		uint64_t at;
		int skip, quick, log;

		rc = open_rels(p, s, &t);
		if (rc <= 0) {
			if (rc)
				return rc;
			continue;
		}
		tsec = t.rs.info;
		/* Word-only code: apply_code() does it, a window at a time. */
		skip = !p->wrk[0] && p->seckind[tsec] == ELFMOD_KIND_TEXT;
		quick = t.rs.type == ELFMOD_SHT_RELA;
		log = p->m->reset.size && writable_sec(p, tsec);
		wr = p->secwr[tsec];
		at = p->secaddr[tsec];
		for (uint32_t i = 0; i < t.count; i++) {
			rc = next_rel(p, &ic, s, &t, i, &r, &ri);
			if (rc > 0 || (rc == 0 && skip))
				continue;
			if (rc)
				return rc;
			if (!quick || (ri.flags & (RF_PAIR_LO | RF_PAIR_NEXT | RF_GOT_PAGE | RF_SIZE))) {
				rc = relocate(p, s, &t.rs, i, tsec, &r, &ri);
				if (rc)
					return rc;
				continue;
			}
			a.type = r.type;
			a.loc = wr + (size_t)r.offset;
			a.P = at + r.offset;
			a.A = r.addend;
			sym_args(p, r.sym, &a);
			rc = p->arch->apply(&a);
			/* Only a module kept for elfmod_reset logs what relocation writes into its data. */
			if (rc == 0 && log)
				rc = elfmod__reset_note(p->m, a.loc, ri.size, p->diag);
			if (rc)
				return reloc_failed(p, rc, s, i, &r, &ri);
		}
	}
	return 0;
}

/* ---- word-only code memory ---- */

/* The relocations whose field starts in the current code window. */
static int apply_in_window(struct plan *p, uint32_t relsec, const struct elfmod_shdr *rs, uint32_t i,
			   uint32_t tsec, const struct elfmod_rel *r, const struct reloc_info *ri)
{
	uint64_t t;

	if (p->seckind[tsec] != ELFMOD_KIND_TEXT)
		return 0;
	t = p->secaddr[tsec] - p->m->region[0].addr + r->offset;
	if (t < p->win_off || t - p->win_off >= p->win_len)
		return 0;
	if (ri->size > WIN_MARGIN)
		return elfmod__fail(p->diag, ELFMOD_ELIMIT, ELFMOD_OBJ_REL, i, "field size", ri->size);
	return relocate(p, relsec, rs, i, tsec, r, ri);
}

/* Fills window bytes [from, to) (text region offsets) from the code sections. */
static int fill_window(struct plan *p, uint64_t from, uint64_t to)
{
	uint64_t base = p->m->region[0].addr;
	struct elfmod_shdr s;
	int rc;

	memset(p->winbuf + (from - p->win_off), 0, (size_t)(to - from));
	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		uint64_t so, lo, hi;
		if (p->seckind[i] != ELFMOD_KIND_TEXT)
			continue;
		rc = elfmod_elf_shdr(&p->elf, i, &s);
		if (rc)
			return rc;
		so = p->secaddr[i] - base;
		if (s.type == ELFMOD_SHT_NOBITS || so >= to || so + s.size <= from)
			continue;
		lo = so > from ? so : from;
		hi = so + s.size < to ? so + s.size : to;
		rc = elfmod__src_read(p->elf.src, s.offset + (lo - so), p->winbuf + (lo - p->win_off),
				      (size_t)(hi - lo));
		if (rc)
			return elfmod__fail(p->diag, rc, ELFMOD_OBJ_SHDR, i, "sh_offset", s.offset);
		if (p->nmaps)
			fix_code_runs(p, i, s.size, p->winbuf + (lo - p->win_off), lo - so, hi - so);
	}
	return 0;
}

/* The parts of the call stubs that fall in the window. */
static void window_stubs(struct plan *p)
{
	uint64_t start = p->stub_off, end = p->win_off + p->win_len;
	uint8_t st[WIN_MARGIN];

	if (!p->nstub || start >= end ||
	    start + elfmod__mul_entsize(p->nstub, p->arch->stub_size) <= p->win_off)
		return;
	for (uint32_t i = 1; i < p->nsyms; i++) {
		uint64_t off, lo, hi;
		if (!p->symstub[i])
			continue;
		off = start + elfmod__mul_entsize(p->symstub[i] - 1, p->arch->stub_size);
		if (off >= end || off + p->arch->stub_size <= p->win_off)
			continue;
		p->arch->stub(st, p->m->region[0].addr + off, p->symval[i], p->elf.big_endian);
		lo = off > p->win_off ? off : p->win_off;
		hi = off + p->arch->stub_size < end ? off + p->arch->stub_size : end;
		memcpy(p->winbuf + (lo - p->win_off), st + (lo - off), (size_t)(hi - lo));
	}
}

/* Builds word-only code memory through a bounded window: fill it from the source,
 * apply the relocations whose field starts in it, add the stubs, hand it to write_code.
 * A field that ends past the window leaves its tail in the margin, which becomes the
 * start of the next window instead of being read again. Costs one pass over the
 * relocation tables per window. */
static int apply_code(struct plan *p)
{
	const struct elfmod_allocator *mem = p->o->mem;
	uint64_t size = p->m->region[0].size, buf = p->win_len + WIN_MARGIN;
	int rc;

	if (p->wrk[0] || !size)
		return 0;
	for (p->win_off = 0; p->win_off < size; p->win_off += p->win_len) {
		uint64_t n = size - p->win_off < p->win_len ? size - p->win_off : p->win_len;
		if (p->win_off == 0) {
			rc = fill_window(p, 0, buf);
		} else {
			memmove(p->winbuf, p->winbuf + p->win_len, WIN_MARGIN);
			rc = fill_window(p, p->win_off + WIN_MARGIN, p->win_off + buf);
		}
		if (rc)
			return rc;
		p->windowing = 1;
		rc = for_each_rel(p, apply_in_window);
		p->windowing = 0;
		if (rc)
			return rc;
		window_stubs(p);
		if (mem->write_code(mem->ctx, &p->m->region[0], p->win_off, p->winbuf, n))
			return elfmod__fail(p->diag, ELFMOD_EPERM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
					    "writing code memory", p->m->region[0].addr + p->win_off);
	}
	return 0;
}

/* ---- seal and start ---- */

static int seal(struct plan *p)
{
	static const unsigned perm[3] = { ELFMOD_PERM_R | ELFMOD_PERM_X, ELFMOD_PERM_R,
					  ELFMOD_PERM_R | ELFMOD_PERM_W };
	const struct elfmod_allocator *mem = p->o->mem;
	struct elfmod_module *m = p->m;

	for (int k = 0; k < 3; k++) {
		if (!m->region[k].size)
			continue;
		if (k == ELFMOD_KIND_TEXT && mem->sync_icache)
			mem->sync_icache(mem->ctx, m->region[k].addr, m->region[k].size);
		if (mem->protect && !(p->o->flags & ELFMOD_LOAD_NO_PROTECT) &&
		    mem->protect(mem->ctx, &m->region[k], perm[k]))
			return elfmod__fail(p->diag, ELFMOD_EPERM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
					    "region permissions", (uint64_t)k);
	}
	for (uint32_t k = 0; k < m->nown; k++) {
		struct elfmod_region *r = &m->own[k];
		if (mem->protect && !(p->o->flags & ELFMOD_LOAD_NO_PROTECT) && mem->protect(mem->ctx, r, perm[r->kind]))
			return elfmod__fail(p->diag, ELFMOD_EPERM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
					    "region permissions", (uint64_t)r->kind);
	}
	/* Code the caller placed itself is the caller's to protect, but it still has to
	 * be visible to instruction fetch. */
	if (mem->sync_icache && !p->foreign) {
		for (uint32_t i = 1; i < p->elf.shnum; i++) {
			struct elfmod_shdr s;
			if (p->seckind[i] != FIXED)
				continue;
			if (elfmod_elf_shdr(&p->elf, i, &s))
				continue; /* read before, in plan_sections: cannot fail now */
			if (s.flags & ELFMOD_SHF_EXECINSTR)
				mem->sync_icache(mem->ctx, p->secaddr[i], s.size);
		}
	}
	return 0;
}

/* Tells the caller where every section went (opts->placed), and keeps it for a
 * debugger (ELFMOD_LOAD_KEEP_SECTIONS). */
static int report_placement(struct plan *p)
{
	char buf[ELFMOD_CFG_MAX_NAME];
	struct elfmod_shdr s;
	const char *n;
	int rc;

	if (p->m->nsections) {
		struct elfmod_section_addr *out = (struct elfmod_section_addr *)(uintptr_t)p->m->sections;
		for (uint32_t i = 1, k = 0; i < p->elf.shnum; i++)
			if (!unloaded(p->seckind[i])) {
				out[k].addr = p->secaddr[i];
				out[k].shndx = i;
				out[k++].reserved = 0;
			}
	}
	if (!p->o->placed)
		return 0;
	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		if (unloaded(p->seckind[i]))
			continue;
		if ((rc = elfmod_elf_shdr(&p->elf, i, &s)) ||
		    (rc = elfmod_elf_section_name(&p->elf, i, buf, sizeof(buf), &n)))
			return rc;
		p->o->placed(p->o->place_ctx, i, n, s.type, s.flags, p->secaddr[i], p->secwr[i], s.size);
	}
	return 0;
}

static uint64_t get_word(const struct elfmod_module *m, uint64_t addr)
{
	/* Arrays in a region are read through its write pointer; a section the caller
	 * placed itself lives at its run address (init runs only for the host). */
	const uint8_t *at = (const uint8_t *)(uintptr_t)addr;
	for (int k = 0; k < 3; k++)
		if (addr >= m->region[k].addr && addr - m->region[k].addr < m->region[k].size)
			at = (const uint8_t *)m->region[k].wr + (size_t)(addr - m->region[k].addr);
	return m->cls == 64 ? elfmod__get64(at, m->big_endian) : elfmod__get32(at, m->big_endian);
}

void elfmod__call_array(const struct elfmod_module *m, uint64_t addr, uint64_t n, int backwards)
{
	uint64_t w = m->cls == 64 ? 8 : 4;
	/* Walk by address: no multiplication, which 32-bit targets would do in libgcc. */
	uint64_t at = backwards ? addr + (n << (w == 8 ? 3 : 2)) : addr;

	for (uint64_t j = 0; j < n; j++) {
		uint64_t fn;
		if (backwards)
			at -= w;
		fn = get_word(m, at);
		if (!backwards)
			at += w;
		/* .ctors/.dtors may hold the -1 / 0 sentinels of crtstuff-style tables. */
		if (fn == 0 || fn == (m->cls == 64 ? UINT64_MAX : UINT32_MAX))
			continue;
		((void (*)(void))(uintptr_t)fn)();
	}
}

#define PLAIN_ARRAY 0x100000u

/* The priority of ".init_array.N" / ".fini_array.N" (N digits), or PLAIN_ARRAY for any
 * other name: ld sorts the former by N and puts everything else after them. */
static uint32_t array_priority(const char *n)
{
	uint32_t v = 0;
	int digits = 0;

	if (!str_eq_prefix(n, ".init_array.") && !str_eq_prefix(n, ".fini_array."))
		return PLAIN_ARRAY;
	for (n += 12; *n; n++, digits++) {
		if (*n < '0' || *n > '9' || digits == 5)
			return PLAIN_ARRAY;
		v = v * 10 + (uint32_t)(*n - '0');
	}
	return digits ? v : PLAIN_ARRAY;
}

typedef int (*array_fn)(struct plan *p, uint64_t addr, uint64_t count, int legacy);

/* Visits, in file order, the loaded sections of `type` whose priority is `prio` (for
 * array types) or whose name is `legacy` (for the .ctors/.dtors tables). When `next`
 * is not NULL it also finds the smallest array priority above `prio`. */
static int visit_arrays(struct plan *p, uint32_t type, uint32_t prio, const char *legacy, array_fn fn,
			uint32_t *next)
{
	struct elfmod_shdr s;
	char buf[32];
	const char *n;
	int rc;

	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		uint32_t pr;
		if (unloaded(p->seckind[i]) || !p->secarr[i])
			continue;
		rc = elfmod_elf_shdr(&p->elf, i, &s);
		if (rc)
			return rc;
		if (s.type != type)
			continue;
		rc = short_name(p, i, buf, &n);
		if (rc)
			return rc;
		if (legacy) {
			if (!str_eq(n, legacy))
				continue;
		} else {
			pr = array_priority(n);
			if (next && pr > prio && pr < *next)
				*next = pr;
			if (pr != prio)
				continue;
		}
		if (fn) {
			rc = fn(p, p->secaddr[i], s.size >> (p->word == 8 ? 3 : 2), legacy != NULL);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Visits the arrays of `type` in ld's output order: prioritised ones by ascending
 * priority, then the others, then the legacy table `legacy`. */
static int for_arrays(struct plan *p, uint32_t type, const char *legacy, array_fn fn)
{
	uint32_t prio = 0, next;
	int rc;

	/* Priority 0 first, then each next one; a pass finds the following priority. */
	for (;;) {
		next = PLAIN_ARRAY;
		rc = visit_arrays(p, type, prio, NULL, fn, &next);
		if (rc)
			return rc;
		if (next == PLAIN_ARRAY)
			break;
		prio = next;
	}
	rc = visit_arrays(p, type, PLAIN_ARRAY, NULL, fn, NULL);
	if (rc)
		return rc;
	return legacy ? visit_arrays(p, ELFMOD_SHT_PROGBITS, 0, legacy, fn, NULL) : 0;
}

static int record_one(struct plan *p, uint64_t addr, uint64_t count, int legacy)
{
	uint32_t k = *p->nrec;

	if (k == p->maxrec)
		return 0;
	p->rec[2 * k] = addr;
	/* A negative count marks the legacy tables: .ctors runs backwards, .dtors forwards,
	 * the opposite of the arrays they sit beside. */
	p->rec[2 * k + 1] = legacy ? (uint64_t)-(int64_t)count : count;
	*p->nrec = k + 1;
	return 0;
}

/* Records the init tables in ld's order (.preinit_array, .init_array.N by priority, the
 * other init arrays, then .ctors, which ld puts in the same output section after them)
 * and the fini tables likewise, so that starting and stopping the module need nothing
 * more from the source. */
static int record_arrays(struct plan *p)
{
	uint32_t ninit = 0;
	int rc;

	p->rec = p->init, p->nrec = &ninit, p->maxrec = p->ninit;
	rc = for_arrays(p, ELFMOD_SHT_PREINIT_ARRAY, NULL, record_one);
	if (!rc)
		rc = for_arrays(p, ELFMOD_SHT_INIT_ARRAY, ".ctors", record_one);
	p->ninit = ninit;
	p->m->init = p->init;
	p->m->ninit = ninit;
	p->m->nfini = 0;
	p->rec = p->m->fini, p->nrec = &p->m->nfini, p->maxrec = p->nfini;
	return rc ? rc : for_arrays(p, ELFMOD_SHT_FINI_ARRAY, ".dtors", record_one);
}

static int build_exports(struct plan *p)
{
	struct elfmod_module *m = p->m;
	struct elfmod_export *out = (struct elfmod_export *)m->exports.syms;
	char buf[ELFMOD_CFG_MAX_NAME], *names;
	struct elfmod_sym s;
	const char *name;
	uint32_t n = 0, dup;
	int rc;

	if (p->nexport == 0) {
		m->exports.count = 0;
		return 0;
	}
	names = (char *)(m->exports.index + p->nexport);

	for (uint32_t i = 1; i < p->nsyms && n < p->nexport; i++) {
		if (!(p->symflag[i] & SF_EXPORT))
			continue;
		rc = elfmod__sym(&p->elf, &p->symt, i, &s);
		if (!rc)
			rc = sym_name(p, &s, buf, &name);
		if (rc)
			return rc;
		{
			const struct elfmod_module *who = NULL;
			uint32_t hash = 5381;
			char *to = names;
			/* Copied and hashed (as elfmod_hash does) in one pass over the name. */
			for (const unsigned char *c = (const unsigned char *)name; (*to++ = (char)*c) != 0; c++)
				hash = (hash << 5) + hash + *c;
			((struct elfmod_export_index *)m->exports.index)[n].hash = hash;
			if (export_clash(p, name, hash, &who)) {
				fail_sym(p, ELFMOD_EDUP, i, "export", 0, name);
				if (p->diag)
					p->diag->module = who->name;
				return ELFMOD_EDUP;
			}
			out[n].name = names;
			names = to;
		}
		out[n].addr = (const void *)(uintptr_t)p->symval[i];
		n++;
	}
	/* The GOT slot and stub numbers are spent (the relocations and stubs are written):
	 * their arrays are the radix sort's room. */
	rc = elfmod__exports_index(&m->exports, out, n, (struct elfmod_export_index *)m->exports.index, 1,
				   p->symslot, elfmod__mul_entsize(p->nsyms, 2 * sizeof(uint32_t)), &dup);
	if (rc == ELFMOD_ELIMIT)
		return fail_sym(p, ELFMOD_EDUP, ELFMOD_NOINDEX, "export defined twice", 0, out[dup].name);
	return rc;
}

/* ---- the whole load ---- */

static int check_target(const struct elfmod_elf *e, const struct elfmod_load_opts *o, struct elfmod_diag *diag,
			const struct arch_desc **arch, uint8_t *foreign)
{

	if (e->type != ELFMOD_ET_REL && e->type != ELFMOD_ET_DYN && e->type != ELFMOD_ET_EXEC)
		return elfmod__fail(diag, ELFMOD_ETYPE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_type", e->type);
	if (o->machine) {
		/* Relocating for a named machine: the file must be for it; class and byte
		 * order are the file's own, as long as the arch handles them. */
		if (e->machine != o->machine)
			return elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX,
					    "e_machine", e->machine);
		*foreign = e->machine != HOST_MACHINE || e->cls != HOST_CLASS || e->big_endian != HOST_BE;
	} else if (e->machine != HOST_MACHINE)
		return elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_machine",
				    e->machine);
	if (o->flags & ELFMOD_LOAD_PRELINK)
		*foreign = 1;
	if (!o->machine && e->cls != HOST_CLASS)
		return elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "EI_CLASS", e->cls);
	if (!o->machine && e->big_endian != HOST_BE)
		return elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "EI_DATA",
				    e->big_endian);
	*arch = elfmod__arch_find(e->machine);
	if (!(*arch) || !(*arch)->apply || !((*arch)->classes & (e->cls == 64 ? 2 : 1)))
		return elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX,
				    "e_machine (no relocation support)", e->machine);
	if (!*foreign && (*arch)->flags_ok && !(*arch)->flags_ok(e->flags))
		return elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_flags", e->flags);
	return 0;
}

/* A module that recorded the export set it was built against (ELFMOD_MODULE_ABI) loads
 * only against a host table of that fingerprint, when any table has one. Looked for only
 * then, so firmware without fingerprints pays no pass over the section headers. */
static int check_abi(const struct elfmod_elf *e, const struct elfmod_load_opts *o, struct elfmod_diag *diag)
{
	static const char field[] = "ABI fingerprint: the module was built against another export set "
				    "(ELFMOD_LOAD_ANY_ABI loads it anyway)";
	struct elfmod_shdr s;
	uint8_t b[8];
	uint64_t fp = 0;
	int any = 0, rc;

	if (!o->reg || (o->flags & ELFMOD_LOAD_ANY_ABI))
		return 0;
	for (uint32_t k = 0; k < o->reg->ntables; k++)
		any |= o->reg->tables[k]->fingerprint != 0;
	if (!any)
		return 0;
	for (uint32_t i = 1; i < e->shnum; i++) {
		char buf[sizeof(".elfmod.abi")];
		const char *n;
		if ((rc = elfmod_elf_shdr(e, i, &s)))
			return rc;
		if (s.type != ELFMOD_SHT_PROGBITS || (s.flags & ELFMOD_SHF_ALLOC))
			continue;
		rc = elfmod_elf_section_name(e, i, buf, sizeof(buf), &n);
		if (rc == ELFMOD_ESPACE)
			continue; /* a longer name: not this one */
		if (rc)
			return rc;
		if (!str_eq(n, ".elfmod.abi"))
			continue;
		if (s.size != 8)
			return elfmod__fail(diag, ELFMOD_EABI, ELFMOD_OBJ_SHDR, i, "ABI fingerprint size", s.size);
		if ((rc = elfmod__src_read(e->src, s.offset, b, 8)))
			return elfmod__fail(diag, rc, ELFMOD_OBJ_SHDR, i, "sh_offset", s.offset);
		for (int k = 7; k >= 0; k--)
			fp = fp << 8 | b[k];
		for (uint32_t k = 0; k < o->reg->ntables; k++)
			if (o->reg->tables[k]->fingerprint == fp)
				return 0;
		return elfmod__fail(diag, ELFMOD_EABI, ELFMOD_OBJ_SHDR, i, field, fp);
	}
	return 0;
}

static int alloc_scratch(struct plan *p)
{
	uint32_t sh = p->elf.shnum, ns = p->nsyms, nm = p->nmodules;
	/* secaddr, symval, secwr, deps, symslot + symstub, symflag, seckind */
	uint64_t size = elfmod__mul_entsize(sh, 8) + elfmod__mul_entsize(sh, sizeof(uint8_t *)) +
			elfmod__mul_entsize(ns, 8) +
			elfmod__mul_entsize(nm, sizeof(struct elfmod_module *)) +
			elfmod__mul_entsize(ns, 8) + elfmod__mul_entsize(ns, 2) + 2ull * sh;
	p->scratch.kind = ELFMOD_KIND_META;
	if (p->o->mem->alloc(p->o->mem->ctx, &p->scratch, size ? size : 1, 8, 0)) {
		p->scratch.size = 0;
		return elfmod__fail(p->diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "loader scratch", size);
	}
	p->scratch.size = size ? size : 1;
	memset(p->scratch.wr, 0, (size_t)size);
	/* Widest items first, so every array is aligned for its type on every host. */
	p->secaddr = (uint64_t *)p->scratch.wr;
	p->symval = p->secaddr + sh;
	p->secwr = (uint8_t **)(p->symval + ns);
	p->deps = (struct elfmod_module **)(p->secwr + sh);
	p->symslot = (uint32_t *)(p->deps + nm);
	p->symstub = p->symslot + ns;
	p->symflag = (uint16_t *)(p->symstub + ns);
	p->seckind = (uint8_t *)(p->symflag + ns);
	p->secarr = p->seckind + sh;
	return 0;
}

/* The ET_REL path. Not inlined: its plan (over a kilobyte) is on the stack only while
 * a relocatable module loads, not under the shared-object and executable loaders. */
__attribute__((noinline)) static int load_rel(struct elfmod_module *m, const struct elfmod_elf *elf,
					      const struct arch_desc *arch, uint8_t foreign,
					      const struct elfmod_load_opts *o, struct elfmod_diag *diag)
{
	struct plan p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.m = m;
	p.o = o;
	p.diag = diag;
	p.elf = *elf;
	p.arch = arch;
	p.foreign = foreign;
	p.word = p.elf.cls == 64 ? 8 : 4;
	p.symtab = p.elf.symtab;
	if (p.symtab) {
		rc = elfmod_elf_sym_count(&p.elf, p.symtab, &p.nsyms);
		if (!rc)
			rc = elfmod__symtab_open(&p.elf, p.symtab, &p.symt);
		if (rc)
			return rc;
	}
	if (o->reg)
		for (struct elfmod_module *x = o->reg->modules; x; x = x->next)
			p.nmodules++;

	rc = alloc_scratch(&p);
	if (rc)
		return rc;
	if ((rc = plan_sections(&p)) || (rc = plan_symbols(&p)) || (rc = collect_mapping(&p)) ||
	    (rc = scan_rels(&p)) || (rc = resolve(&p)))
		goto fail;
	plan_stubs(&p);
	if ((rc = place(&p)) || (rc = copy_sections(&p)) || (rc = reset_prepare(&p)) || (rc = finish_symbols(&p)) ||
	    (rc = collect_pairs(&p)) || (rc = apply_rels(&p)) || (rc = apply_code(&p)) ||
	    (rc = record_arrays(&p)) || (rc = build_exports(&p)) || (rc = seal(&p)) || (rc = report_placement(&p)) ||
	    (rc = elfmod__stream_finish(&p.elf, diag)))
		goto fail;
	elfmod__reset_snapshot(m);

	/* Nothing can fail from here: become visible, take references, start. */
	m->ndeps = p.ndeps;
	for (uint32_t k = 0; k < m->ndeps; k++)
		m->deps[k]->refs++;
	if (o->reg) {
		m->next = o->reg->modules;
		o->reg->modules = m;
	}
	if (!(m->flags & ELFMOD_LOAD_NO_INIT))
		elfmod__run_init(m);
	o->mem->free(o->mem->ctx, &p.scratch);
	if (p.mapscratch.size)
		o->mem->free(o->mem->ctx, &p.mapscratch);
	if (p.pairscratch.size)
		o->mem->free(o->mem->ctx, &p.pairscratch);
	if (p.win.size)
		o->mem->free(o->mem->ctx, &p.win);
	return 0;

fail:
	free_regions(m);
	m->ndeps = 0;
	if (p.scratch.size)
		o->mem->free(o->mem->ctx, &p.scratch);
	if (p.mapscratch.size)
		o->mem->free(o->mem->ctx, &p.mapscratch);
	if (p.pairscratch.size)
		o->mem->free(o->mem->ctx, &p.pairscratch);
	if (p.win.size)
		o->mem->free(o->mem->ctx, &p.win);
	return rc;
}

int elfmod_load(struct elfmod_module *m, const struct elfmod_source *src,
		const struct elfmod_load_opts *o, struct elfmod_diag *diag)
{
	const struct arch_desc *arch = NULL;
	struct elfmod__stream *st = NULL;
	struct elfmod_source view;
	struct elfmod_elf elf;
	uint8_t foreign = 0;
	int rc;

	if (!m || !o || !o->mem || !o->mem->alloc || !o->mem->free)
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "argument", 0);
	memset(m, 0, sizeof(*m));
	m->name = o->name ? o->name : "module";
	m->mem = o->mem;
	m->reg = o->reg;
	m->flags = o->flags;

	if (!src)
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "source", 0);
	rc = elfmod__stream_open(&st, &view, src, o, diag);
	if (rc)
		return rc;
	rc = elfmod_elf_open(&elf, &view, diag);
	if (!rc)
		rc = check_target(&elf, o, diag, &arch, &foreign);
	if (!rc)
		rc = check_abi(&elf, o, diag);
	if (rc)
		goto out;
	if (foreign)
		m->flags |= ELFMOD_LOAD_NO_INIT;
	m->machine = elf.machine;
	m->cls = elf.cls;
	m->big_endian = elf.big_endian;
	if (elf.type == ELFMOD_ET_REL)
		rc = load_rel(m, &elf, arch, foreign, o, diag);
	else if (!ELFMOD_CFG_DYNAMIC)
		rc = elfmod__fail(diag, ELFMOD_EUNSUPPORTED, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX,
				  "e_type (ELFMOD_CFG_DYNAMIC=0: relocatable modules only)", elf.type);
	else if (elf.type == ELFMOD_ET_DYN)
		rc = elfmod__dyn_load(m, &elf, o, arch, foreign, diag);
	else
		rc = elfmod__exec_load(m, &elf, o, arch, foreign, diag);
	if (!rc)
		elfmod__reset_loaded(m, src);
out:
	elfmod__stream_close(st, o->mem);
	return rc;
}

/* ---- unload, lookups ---- */

void elfmod__run_fini(struct elfmod_module *m)
{
	/* C++ destructors first (registered last during construction), then the module's
	 * own fini arrays. */
	while (m->atexit) {
		struct elfmod__atexit *n = m->atexit;
		struct elfmod_region r = n->r;
		m->atexit = n->next;
		n->fn(n->arg);
		m->mem->free(m->mem->ctx, &r);
	}
	if (ELFMOD_CFG_DYNAMIC && m->dyn)
		elfmod__dyn_fini(m);
	for (uint32_t k = m->nfini; k-- > 0;) {
		int64_t c = (int64_t)m->fini[2 * k + 1];
		if (c >= 0)
			elfmod__call_array(m, m->fini[2 * k], (uint64_t)c, 1);
		else
			elfmod__call_array(m, m->fini[2 * k], (uint64_t)-c, 0);
	}
}

void elfmod__run_init(const struct elfmod_module *m)
{
	if (ELFMOD_CFG_DYNAMIC && m->dyn) {
		elfmod__dyn_init(m);
		return;
	}
	for (uint32_t k = 0; k < m->ninit; k++) {
		int64_t c = (int64_t)m->init[2 * k + 1];
		elfmod__call_array(m, m->init[2 * k], c >= 0 ? (uint64_t)c : (uint64_t)-c, c < 0);
	}
}

int elfmod_unload(struct elfmod_module *m)
{
	if (!m || !m->mem)
		return ELFMOD_EINVAL;
	if (m->refs)
		return ELFMOD_EBUSY;
	if (!(m->flags & ELFMOD_LOAD_NO_INIT))
		elfmod__run_fini(m);
	if (m->reg) {
		for (struct elfmod_module **pp = &m->reg->modules; *pp; pp = &(*pp)->next)
			if (*pp == m) {
				*pp = m->next;
				break;
			}
	}
	for (uint32_t k = 0; k < m->ndeps; k++)
		m->deps[k]->refs--;
	m->ndeps = 0;
	free_regions(m);
	m->dyn = NULL;
	m->mem = NULL;
	return 0;
}

void *elfmod_sym(const struct elfmod_module *m, const char *name)
{
	uint64_t a;

	if (!m || !name)
		return NULL;
	return module_find(m, name, elfmod_hash(name), &a) ? (void *)(uintptr_t)a : NULL;
}

int elfmod_addr_lookup(const struct elfmod_registry *reg, uint64_t addr,
		       const struct elfmod_module **mp, const char **sym, uint64_t *offset)
{
	if (!reg)
		return ELFMOD_EINVAL;
	for (const struct elfmod_module *m = reg->modules; m; m = m->next) {
		int in = 0;
		for (int k = 0; k < 3; k++)
			if (m->region[k].size && addr >= m->region[k].addr &&
			    addr - m->region[k].addr < m->region[k].size)
				in = 1;
		for (uint32_t k = 0; k < m->nown; k++)
			if (addr >= m->own[k].addr && addr - m->own[k].addr < m->own[k].size)
				in = 1;
		if (!in)
			continue;
		if (ELFMOD_CFG_DYNAMIC && m->dyn) {
			const char *n = NULL;
			uint64_t at = 0;
			int found = elfmod__dyn_nearest(m, addr, &n, &at);
			if (mp)
				*mp = m;
			if (sym)
				*sym = found ? n : NULL;
			if (offset)
				*offset = found ? addr - at : 0;
			return 0;
		}
		const struct elfmod_export *best = NULL;
		for (uint32_t i = 0; i < m->exports.count; i++) {
			uint64_t a = (uint64_t)(uintptr_t)m->exports.syms[i].addr;
			if (a <= addr && (!best || a > (uint64_t)(uintptr_t)best->addr))
				best = &m->exports.syms[i];
		}
		if (mp)
			*mp = m;
		if (sym)
			*sym = best ? best->name : NULL;
		if (offset)
			*offset = best ? addr - (uint64_t)(uintptr_t)best->addr : 0;
		return 0;
	}
	return ELFMOD_ENOTFOUND;
}

void elfmod_registry_init(struct elfmod_registry *reg)
{
	memset(reg, 0, sizeof(*reg));
}

int elfmod_registry_add_exports(struct elfmod_registry *reg, const struct elfmod_exports *t)
{
	if (!reg || !t)
		return ELFMOD_EINVAL;
	if (reg->ntables == ELFMOD_CFG_MAX_EXPORT_TABLES)
		return ELFMOD_ELIMIT;
	reg->tables[reg->ntables++] = t;
	return 0;
}

/* ---- the C++ ABI's atexit, per module ---- */

/* __dso_handle of a module holds a pointer to its struct elfmod_module, which records
 * the handle's address in turn; crtbeginS.o's handle of a shared object whose symbol
 * table was stripped holds its own address instead, and leads nowhere. */
static struct elfmod_module *dso_module(void *dso)
{
	struct elfmod_module *m;

	memcpy(&m, dso, sizeof(m));
	if (!m || (void *)m == dso || m->dso_handle != (uint64_t)(uintptr_t)dso || !m->mem)
		return NULL;
	return m;
}

void elfmod_cxa_finalize(void *dso)
{
	struct elfmod_module *m = dso ? dso_module(dso) : NULL;

	while (m && m->atexit) {
		struct elfmod__atexit *n = m->atexit;
		struct elfmod_region r = n->r;
		m->atexit = n->next;
		n->fn(n->arg);
		m->mem->free(m->mem->ctx, &r);
	}
}

int elfmod_cxa_atexit(void (*fn)(void *), void *arg, void *dso)
{
	struct elfmod_module *m;
	struct elfmod_region r;
	struct elfmod__atexit *n;

	if (!dso || !fn)
		return -1;
	m = dso_module(dso);
	if (!m)
		return -1;
	memset(&r, 0, sizeof(r));
	r.kind = ELFMOD_KIND_META;
	if (m->mem->alloc(m->mem->ctx, &r, sizeof(*n), sizeof(void *), 0))
		return -1;
	n = r.wr;
	n->r = r;
	n->fn = fn;
	n->arg = arg;
	n->next = m->atexit;
	m->atexit = n;
	return 0;
}

int elfmod_aeabi_atexit(void *arg, void (*fn)(void *), void *dso)
{
	return elfmod_cxa_atexit(fn, arg, dso);
}
