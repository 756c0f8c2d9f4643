/* Shared objects and position-independent executables (ET_DYN).
 *
 * The PT_LOAD segments keep their relative layout: the image is one allocation (the
 * module's TEXT region) from the lowest segment's page to the end of the highest, at
 * any base; `bias` is what every link address gets added. Everything the loader then
 * reads (the dynamic section, symbols, strings, hash tables, relocation tables) is read
 * from the image through one checked translation, at(), never from the file again.
 * The arch file only says what each dynamic relocation type does (dyn_kind) and does
 * what its ABI relocates without entries (dyn_implicit: the MIPS GOT).
 */
#include "elfmod.h"
#include "internal.h"
#include "arch/arch.h"

#if ELFMOD_CFG_DYNAMIC


#define PT_DYNAMIC 2
#define PT_GNU_RELRO 0x6474e552u

#define DT_NULL 0
#define DT_NEEDED 1
#define DT_PLTRELSZ 2
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define DT_STRSZ 10
#define DT_SYMENT 11
#define DT_INIT 12
#define DT_FINI 13
#define DT_SONAME 14
#define DT_REL 17
#define DT_RELSZ 18
#define DT_RELENT 19
#define DT_PLTREL 20
#define DT_TEXTREL 22
#define DT_JMPREL 23
#define DT_INIT_ARRAY 25
#define DT_FINI_ARRAY 26
#define DT_INIT_ARRAYSZ 27
#define DT_FINI_ARRAYSZ 28
#define DT_FLAGS 30
#define DT_PREINIT_ARRAY 32
#define DT_PREINIT_ARRAYSZ 33
#define DT_RELRSZ 35
#define DT_RELR 36
#define DT_RELRENT 37
#define DT_GNU_HASH 0x6ffffef5
#define DF_TEXTREL 0x4

/* The tags kept from the dynamic section (the first of each; DT_NEEDED is walked). */
static const int64_t kept[] = {
	DT_PLTRELSZ, DT_HASH, DT_STRTAB, DT_SYMTAB, DT_RELA, DT_RELASZ, DT_RELAENT, DT_STRSZ,
	DT_SYMENT, DT_INIT, DT_FINI, DT_SONAME, DT_REL, DT_RELSZ, DT_RELENT, DT_PLTREL,
	DT_TEXTREL, DT_JMPREL, DT_INIT_ARRAY, DT_FINI_ARRAY, DT_INIT_ARRAYSZ, DT_FINI_ARRAYSZ,
	DT_FLAGS, DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, DT_RELRSZ, DT_RELR, DT_RELRENT,
	DT_GNU_HASH,
};
#define NKEPT (sizeof(kept) / sizeof(kept[0]))

/* A DYN_ABS/DYN_GLOB relocation against an indirect function of the module itself. */
#define DYN_IFUNC_REF 0x80

struct dload {
	struct elfmod_elf *elf;
	const struct arch_desc *arch;
	struct elfmod_module *m;
	const struct elfmod_load_opts *o;
	struct elfmod_diag *diag;
	uint8_t *img;          /* write pointer of the image */
	uint64_t lo, size;     /* link address of img[0], image bytes */
	uint64_t bias;
	uint8_t word, foreign;
	uint8_t norun;         /* no module code may run: no indirect-function resolvers */
	uint64_t dyn_addr, dyn_count, dyn_entsize;
	uint64_t val[NKEPT];
	uint8_t have[NKEPT];
	struct elfmod_dyn_info *info;
	struct elfmod_module **deps;
	uint32_t ndeps, maxdeps;
	uint32_t missing;
	uint64_t near;         /* allocation hint */
	uint8_t ifunc_pass;    /* applying only IRELATIVE now */
	uint32_t nifunc;       /* IRELATIVE entries seen in the first pass */
	uint64_t ahead;        /* end of the last segment read (map_segments) */
	uint8_t cxa;           /* an import was bound to elfmod's C++ ABI halves */
};

static uint64_t get_word(const struct dload *d, const uint8_t *p)
{
	return d->word == 8 ? elfmod__get64(p, d->elf->big_endian) : elfmod__get32(p, d->elf->big_endian);
}

static void put_word(const struct dload *d, uint8_t *p, uint64_t v)
{
	if (d->word == 8)
		elfmod__put64(p, v, d->elf->big_endian);
	else
		elfmod__put32(p, (uint32_t)v, d->elf->big_endian);
}

/* The one check between a link address from the file and the image. */
static int at(void *ctx, uint64_t vaddr, uint64_t len, uint8_t **wr)
{
	struct dload *d = ctx;
	uint64_t off = vaddr - d->lo, end;

	if (vaddr < d->lo || !elfmod__add_ok(off, len, &end) || end > d->size)
		return ELFMOD_ERANGE;
	*wr = d->img + off;
	return 0;
}

static int tag(void *ctx, int64_t t, uint64_t *val)
{
	struct dload *d = ctx;

	for (uint32_t k = 0; k < NKEPT; k++)
		if (kept[k] == t) {
			*val = d->val[k];
			return d->have[k] ? 0 : ELFMOD_ENOTFOUND;
		}
	/* Tags only an arch asks for: walk the section again. */
	for (uint32_t i = 0; i < d->dyn_count; i++) {
		uint8_t *e;
		int64_t et;
		if (at(d, d->dyn_addr + elfmod__mul_entsize(i, d->word * 2u), d->dyn_entsize, &e))
			return ELFMOD_ENOTFOUND;
		et = (int64_t)get_word(d, e);
		if (d->word == 4)
			et = (int32_t)et;
		if (et == DT_NULL)
			break;
		if (et == t) {
			*val = get_word(d, e + d->word);
			return 0;
		}
	}
	return ELFMOD_ENOTFOUND;
}

static int has(const struct dload *d, int64_t t, uint64_t *val)
{
	return tag((void *)d, t, val) == 0;
}

static int bad(struct dload *d, int err, uint32_t index, const char *field, uint64_t value)
{
	return elfmod__fail(d->diag, err, ELFMOD_OBJ_DYN, index, field, value);
}

/* ---- symbols in the image ---- */

/* The string at `off` of the dynamic string table, checked to end inside it. */
static const char *dstr(const struct elfmod_module *m, uint64_t off)
{
	if (!m->dyn->strtab || off >= m->dyn->strsz)
		return NULL;
	for (uint64_t i = off; i < m->dyn->strsz; i++)
		if (!m->dyn->strtab[i])
			return (const char *)m->dyn->strtab + off;
	return NULL;
}

static void dsym(const struct elfmod_module *m, uint32_t i, struct elfmod_sym *s)
{
	const uint8_t *p;
	int be = m->big_endian;

	if (m->cls == 64) {
		p = m->dyn->symtab + (size_t)i * 24;
		s->name = elfmod__get32(p, be);
		s->info = p[4];
		s->other = p[5];
		s->shndx = elfmod__get16(p + 6, be);
		s->value = elfmod__get64(p + 8, be);
		s->size = elfmod__get64(p + 16, be);
	} else {
		p = m->dyn->symtab + (size_t)i * 16;
		s->name = elfmod__get32(p, be);
		s->value = elfmod__get32(p + 4, be);
		s->size = elfmod__get32(p + 8, be);
		s->info = p[12];
		s->other = p[13];
		s->shndx = elfmod__get16(p + 14, be);
	}
}

/* A definition other modules may bind to: global or weak, not hidden or internal. */
static int offered(const struct elfmod_sym *s)
{
	uint8_t b = ELFMOD_ST_BIND(s->info);
	return s->shndx != ELFMOD_SHN_UNDEF && (b == 1 || b == 2 || b == 10) && (s->other & 3) != 1 &&
	       (s->other & 3) != 2 && (s->info & 0xf) != 6 /* STT_TLS */;
}

#define STT_GNU_IFUNC 10

static int is_ifunc(const struct elfmod_sym *s)
{
	return (s->info & 0xf) == STT_GNU_IFUNC && s->shndx != ELFMOD_SHN_UNDEF;
}

/* A definition's run address; for an indirect function (STT_GNU_IFUNC), what its
 * resolver returns, as ld.so gives it (modules for this host only). */
static uint64_t sym_addr(const struct elfmod_module *m, const struct elfmod_sym *s)
{
	uint64_t a = s->shndx == ELFMOD_SHN_ABS ? s->value : m->dyn->bias + s->value;

	if (is_ifunc(s) && m->dyn->native)
		a = ((uint64_t(*)(void))(uintptr_t)a)();
	return a;
}

static int name_is(const struct elfmod_module *m, const struct elfmod_sym *s, const char *name)
{
	const char *n = dstr(m, s->name);
	return n && elfmod__strcmp(n, name) == 0;
}

static uint32_t sysv_hash(const char *name)
{
	uint32_t h = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h = (h << 4) + *p;
		h ^= (h >> 24) & 0xf0;
	}
	return h & 0x0fffffff;
}

/* hash % n without a division instruction or libgcc (the lx106 has neither). */
static uint32_t bucket_of(uint32_t hash, uint32_t n)
{
	uint32_t rem;
	elfmod__div_entsize(hash, n, &rem);
	return rem;
}

/* Every table was bounds-checked at load (gnu_hash_count/hash checks), so only the
 * chains' symbol indices need checking here. */
int elfmod__dyn_find(const struct elfmod_module *m, const char *name, uint32_t hash, uint64_t *addr)
{
	struct elfmod_sym s;
	int be = m->big_endian;

	if (!m->dyn || !m->dyn->symtab)
		return 0;
	if (m->dyn->gnu_hash) {
		const uint8_t *g = m->dyn->gnu_hash;
		uint32_t nb = elfmod__get32(g, be), off = elfmod__get32(g + 4, be);
		uint32_t nbloom = elfmod__get32(g + 8, be);
		const uint8_t *buckets = g + 16 + (size_t)nbloom * (m->cls / 8);
		const uint8_t *chain = buckets + (size_t)nb * 4;
		uint32_t i = elfmod__get32(buckets + (size_t)bucket_of(hash, nb) * 4, be);
		if (i < off)
			return 0;
		for (; i < m->dyn->nsyms; i++) {
			uint32_t h = elfmod__get32(chain + (size_t)(i - off) * 4, be);
			if ((h | 1) == (hash | 1)) {
				dsym(m, i, &s);
				if (offered(&s) && name_is(m, &s, name)) {
					*addr = sym_addr(m, &s);
					return 1;
				}
			}
			if (h & 1)
				break;
		}
		return 0;
	}
	if (m->dyn->hash) {
		const uint8_t *h = m->dyn->hash;
		uint32_t nb = elfmod__get32(h, be), nc = elfmod__get32(h + 4, be);
		uint32_t i = elfmod__get32(h + 8 + (size_t)bucket_of(sysv_hash(name), nb) * 4, be);
		for (uint32_t steps = 0; i != 0 && i < nc && steps < nc; steps++) {
			dsym(m, i, &s);
			if (offered(&s) && name_is(m, &s, name)) {
				*addr = sym_addr(m, &s);
				return 1;
			}
			i = elfmod__get32(h + 8 + (size_t)nb * 4 + (size_t)i * 4, be);
		}
		return 0;
	}
	/* Neither table: a scan, as the ABI allows. */
	for (uint32_t i = 1; i < m->dyn->nsyms; i++) {
		dsym(m, i, &s);
		if (offered(&s) && name_is(m, &s, name)) {
			*addr = sym_addr(m, &s);
			return 1;
		}
	}
	return 0;
}

int elfmod__dyn_nearest(const struct elfmod_module *m, uint64_t addr, const char **name, uint64_t *at_)
{
	struct elfmod_sym s;
	int found = 0;

	for (uint32_t i = 1; i < m->dyn->nsyms; i++) {
		uint64_t a;
		dsym(m, i, &s);
		if (!offered(&s))
			continue;
		a = sym_addr(m, &s);
		if (a <= addr && (!found || a > *at_)) {
			*name = dstr(m, s.name);
			*at_ = a;
			found = *name != NULL;
		}
	}
	return found;
}

/* ---- load ---- */

/* What elfmod_reset rewrites: the writable segments (RELRO is excluded once sealed). */
static int reset_ranges(struct dload *d)
{
	struct elfmod_phdr ph;
	uint64_t bytes = 0;
	uint32_t n = 0, k = 0;
	int rc;

	if (!(d->m->flags & (ELFMOD_LOAD_RESET_COPY | ELFMOD_LOAD_RESET_SOURCE)))
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < d->elf->phnum; i++) {
			if ((rc = elfmod_elf_phdr(d->elf, i, &ph)))
				return rc;
			if (ph.type != ELFMOD_PT_LOAD || !(ph.flags & ELFMOD_PF_W) || ph.memsz == 0)
				continue;
			if (pass == 0) {
				n++;
				bytes += ph.memsz; /* each within the image, checked by map_segments */
			} else {
				elfmod__reset_range(d->m, k++, d->img + (ph.vaddr - d->lo), ph.memsz, ph.offset, ph.filesz);
			}
		}
		if (pass == 0 && (rc = elfmod__reset_begin(d->m, n, bytes, d->diag)))
			return rc;
	}
	return 0;
}

/* The most PT_LOAD segments a file may have for its segments to be mapped: linkers make
 * two to five. */
#define MAP_MAX_LOADS 16

/* The page size segments may be mapped with (the source's `map`), or 0 when they are
 * all copied: a digest must see every byte, and only an allocator whose regions are
 * whole, fresh, replaceable pages at their run address can take mappings. */
static uint64_t map_page(const struct dload *d)
{
	const struct elfmod_allocator *mem = d->o->mem;
	uint64_t ps = mem->page_size;

	if (!d->elf->src->map || !(mem->flags & ELFMOD_MEM_MAPPABLE) || !ps || (ps & (ps - 1)) ||
	    (d->lo & (ps - 1)) || d->size > UINT64_MAX - ps || d->o->sha256 || d->o->verify)
		return 0;
	return ps;
}

/* Whether a PT_LOAD other than `self` has memory in [a, b) (offsets in the image). */
static int touched(const struct dload *d, uint32_t self, uint64_t a, uint64_t b)
{
	struct elfmod_phdr q;

	for (uint32_t j = 0; j < d->elf->phnum; j++) {
		if (j == self)
			continue;
		if (elfmod_elf_phdr(d->elf, j, &q))
			return 1;
		/* Every PT_LOAD with memory lies in the image: checked by map_segments. */
		if (q.type == ELFMOD_PT_LOAD && q.memsz && q.vaddr - d->lo < b && a < q.vaddr - d->lo + q.memsz)
			return 1;
	}
	return 0;
}

/* Zeroes [p, p + n) unless it is zero already: a mapped page left unwritten stays the
 * page cache's, not a copy. Checked a block at a time, without an early exit inside one,
 * so the compiler can vectorise it. */
static void zero_dirty(uint8_t *p, uint64_t n)
{
	for (uint64_t k = 0; k < n; k += 64) {
		uint64_t len = n - k < 64 ? n - k : 64;
		uint8_t any = 0;
		for (uint64_t j = 0; j < len; j++)
			any |= p[k + j];
		if (any) {
			memset(p + k, 0, (size_t)(n - k));
			return;
		}
	}
}

static unsigned perm_of(const struct elfmod_phdr *ph)
{
	return (ph->flags & ELFMOD_PF_R ? ELFMOD_PERM_R : 0) | (ph->flags & ELFMOD_PF_W ? ELFMOD_PERM_W : 0) |
	       (ph->flags & ELFMOD_PF_X ? ELFMOD_PERM_X : 0);
}

/* Maps what it can of segment `i`'s file part, [v, e) in the image: the whole pages no
 * other segment has memory in, the bytes before and after it there zeroed as a copy
 * leaves them. *a and *b are the pages mapped (*a == *b: none, all of it is copied). */
static void map_part(struct dload *d, uint32_t i, const struct elfmod_phdr *ph, uint64_t ps, uint64_t *a,
		     uint64_t *b)
{
	const struct elfmod_source *src = d->elf->src;
	/* e <= size, so rounding it up cannot overflow (map_page). */
	uint64_t v = ph->vaddr - d->lo, e = v + ph->filesz, lo = v & ~(ps - 1), hi = (e + ps - 1) & ~(ps - 1), off;

	*a = *b = 0;
	if ((ph->offset - ph->vaddr) & (ps - 1))
		return;
	if (touched(d, i, lo, lo + ps))
		lo += ps;
	if (hi - lo >= ps && touched(d, i, hi - ps, hi))
		hi -= ps;
	if (hi <= lo || touched(d, i, lo, hi))
		return;
	/* Congruent, and the image starts on a page: p_offset's page is at v - v % ps. */
	off = lo >= v ? ph->offset + (lo - v) : ph->offset - (v - lo);
	if (src->map(src->ctx, off, d->img + lo, hi - lo, perm_of(ph)))
		return;
	if (v > lo)
		zero_dirty(d->img + lo, v - lo);
	if (hi > e)
		zero_dirty(d->img + e, hi - e);
	*a = lo;
	*b = hi;
}

/* Copies [from, to) of segment `i`'s file part (offsets in the image). */
static int copy_part(struct dload *d, uint32_t i, const struct elfmod_phdr *ph, uint64_t from, uint64_t to)
{
	int rc;

	if (from >= to)
		return 0;
	rc = elfmod__src_read(d->elf->src, ph->offset + (from - (ph->vaddr - d->lo)), d->img + from,
			      (size_t)(to - from));
	if (rc)
		return elfmod__fail(d->diag, rc, ELFMOD_OBJ_PHDR, i, "p_offset", ph->offset);
	d->m->bytes_loaded += to - from;
	return 0;
}

/* Maps the PT_LOAD segments: one allocation, relative layout kept, .bss zeroed. With a
 * source that can map the file, whole pages of a segment are mapped rather than copied;
 * the image is byte for byte what the copy gives. */
static int map_segments(struct dload *d)
{
	struct elfmod_module *m = d->m;
	struct elfmod_phdr ph;
	uint64_t lo = UINT64_MAX, hi = 0, align = 1, filled = 0, ps;
	uint32_t nload = 0;
	uint8_t ascending = 1;
	int rc;

	for (uint32_t i = 0; i < d->elf->phnum; i++) {
		uint64_t end;
		if ((rc = elfmod_elf_phdr(d->elf, i, &ph)))
			return rc;
		if (ph.type != ELFMOD_PT_LOAD || ph.memsz == 0)
			continue;
		if (ph.filesz > ph.memsz)
			return elfmod__fail(d->diag, ELFMOD_ESEGMENT, ELFMOD_OBJ_PHDR, i, "p_filesz", ph.filesz);
		if (ph.align & (ph.align - 1))
			return elfmod__fail(d->diag, ELFMOD_EALIGN, ELFMOD_OBJ_PHDR, i, "p_align", ph.align);
		if (!elfmod__add_ok(ph.vaddr, ph.memsz, &end))
			return elfmod__fail(d->diag, ELFMOD_EOVERFLOW, ELFMOD_OBJ_PHDR, i, "p_memsz", ph.memsz);
		if (ph.filesz && (!elfmod__add_ok(ph.offset, ph.filesz, &end) || end > d->elf->src->size))
			return elfmod__fail(d->diag, ELFMOD_ETRUNC, ELFMOD_OBJ_PHDR, i, "p_offset", ph.offset);
		if (ph.align > align)
			align = ph.align;
		if (ph.vaddr < lo)
			lo = ph.vaddr;
		if (ph.vaddr + ph.memsz > hi)
			hi = ph.vaddr + ph.memsz;
		/* File parts in ascending order, apart: only the bytes between them need
		 * zeroing (as the ABI orders PT_LOAD; anything else is zeroed whole). */
		if (ph.filesz) {
			if (ph.vaddr < filled)
				ascending = 0;
			filled = ph.vaddr + ph.filesz;
		}
		nload++;
	}
	if (!nload)
		return elfmod__fail(d->diag, ELFMOD_ENOLOAD, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "PT_LOAD", 0);
	/* Pages keep their offsets within the alignment, as the link assumed. */
	lo &= ~(align - 1);
	if (hi - lo > SIZE_MAX || align > (1u << 24))
		return elfmod__fail(d->diag, ELFMOD_EOVERFLOW, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "image size", hi - lo);
	d->lo = lo;
	d->size = hi - lo;
	/* Mapping needs the file parts apart and in order (else the image is zeroed whole
	 * and copied, later segments over earlier ones), and few segments: each one mapped
	 * walks the program headers (touched), which thousands of them would make
	 * quadratic. */
	ps = ascending && nload <= MAP_MAX_LOADS ? map_page(d) : 0;
	m->region[0].kind = ELFMOD_KIND_TEXT;
	m->region[0].flags = ps ? ELFMOD_ALLOC_MAPPED : 0;
	rc = d->o->mem->alloc(d->o->mem->ctx, &m->region[0], d->size, align, d->near);
	if (rc) {
		memset(&m->region[0], 0, sizeof(m->region[0]));
		return elfmod__fail(d->diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "image", d->size);
	}
	m->region[0].kind = ELFMOD_KIND_TEXT;
	m->region[0].flags = 0;
	d->img = m->region[0].wr;
	d->bias = m->region[0].addr - lo;
	d->info->bias = d->bias;
	/* Mapped pages must start on a page and run where they are written. */
	if (ps && (((uintptr_t)d->img & (ps - 1)) || m->region[0].addr != (uint64_t)(uintptr_t)d->img))
		ps = 0;
	if (!ascending)
		memset(d->img, 0, (size_t)d->size);
	filled = lo;
	for (uint32_t i = 0; i < d->elf->phnum; i++) {
		uint64_t v, e, a = 0, b = 0;
		if ((rc = elfmod_elf_phdr(d->elf, i, &ph)))
			return rc;
		if (ph.type != ELFMOD_PT_LOAD || ph.filesz == 0)
			continue;
		/* Segments in ascending file order pass through an integrity digest as they
		 * are read (see elfmod__stream_skip). */
		if (ph.offset >= d->ahead && (rc = elfmod__stream_skip(d->elf, ph.offset, d->diag)))
			return rc;
		d->ahead = ph.offset + ph.filesz;
		/* A mappable region is zero when new: the gaps are zero already. */
		if (ascending && !ps)
			memset(d->img + (filled - lo), 0, (size_t)(ph.vaddr - filled));
		filled = ph.vaddr + ph.filesz;
		v = ph.vaddr - lo;
		e = v + ph.filesz;
		/* What was not mapped is copied: before and after [a, b), or all of it. */
		if (ps)
			map_part(d, i, &ph, ps, &a, &b);
		if (a == b)
			a = b = e;
		if (a < v)
			a = v;
		if (b > e)
			b = e;
		if ((rc = copy_part(d, i, &ph, v, a)) || (rc = copy_part(d, i, &ph, b, e)))
			return rc;
	}
	if (ascending && !ps)
		memset(d->img + (filled - lo), 0, (size_t)(hi - filled));
	return reset_ranges(d);
}

/* Reads the dynamic section out of the image and checks the tables it names. */
static int read_dynamic(struct dload *d)
{
	struct elfmod_module *m = d->m;
	struct elfmod_phdr ph;
	uint64_t v, n, ent;
	uint8_t *p;
	int rc, found = 0;

	for (uint32_t i = 0; i < d->elf->phnum && !found; i++) {
		if ((rc = elfmod_elf_phdr(d->elf, i, &ph)))
			return rc;
		if (ph.type == PT_DYNAMIC) {
			found = 1;
			d->dyn_addr = ph.vaddr;
			d->dyn_entsize = 2ull * d->word;
			uint32_t rem;
			d->dyn_count = elfmod__div_entsize(ph.memsz, d->word * 2u, &rem);
			if (d->dyn_count > UINT32_MAX ||
			    at(d, ph.vaddr, elfmod__mul_entsize((uint32_t)d->dyn_count, d->word * 2u), &p))
				return elfmod__fail(d->diag, ELFMOD_ERANGE, ELFMOD_OBJ_PHDR, i,
						    "PT_DYNAMIC outside the loaded segments", ph.vaddr);
		}
	}
	if (!found) /* a static PIE without dynamic section: nothing to relocate */
		return 0;
	for (uint32_t i = 0; i < d->dyn_count; i++) {
		int64_t t;
		if (at(d, d->dyn_addr + elfmod__mul_entsize(i, d->word * 2u), d->dyn_entsize, &p))
			break;
		t = (int64_t)get_word(d, p);
		if (d->word == 4)
			t = (int32_t)t;
		if (t == DT_NULL)
			break;
		for (uint32_t k = 0; k < NKEPT; k++)
			if (kept[k] == t && !d->have[k]) {
				d->have[k] = 1;
				d->val[k] = get_word(d, p + d->word);
			}
	}

	/* Strings and symbols. */
	if (has(d, DT_STRTAB, &v)) {
		if (!has(d, DT_STRSZ, &n) || at(d, v, n, &p))
			return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_STRTAB/DT_STRSZ", v);
		d->info->strtab = p;
		d->info->strsz = n;
	}
	ent = d->word == 8 ? 24 : 16;
	if (has(d, DT_SYMENT, &n) && n != ent)
		return bad(d, ELFMOD_EENTSIZE, ELFMOD_NOINDEX, "DT_SYMENT", n);
	if (has(d, DT_SYMTAB, &v)) {
		if (!m->dyn->strtab)
			return bad(d, ELFMOD_ELINK, ELFMOD_NOINDEX, "DT_SYMTAB without DT_STRTAB", v);
		if (at(d, v, ent, &p))
			return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_SYMTAB", v);
		d->info->symtab = p;
	}
	if (m->dyn->symtab && has(d, DT_HASH, &v)) {
		uint32_t nb, nc;
		if (at(d, v, 8, &p))
			return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_HASH", v);
		nb = elfmod__get32(p, d->elf->big_endian);
		nc = elfmod__get32(p + 4, d->elf->big_endian);
		if (nb == 0 || at(d, v, 8 + 4ull * nb + 4ull * nc, &p))
			return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_HASH tables", nb);
		d->info->hash = p;
		d->info->nsyms = nc;
	}
	if (m->dyn->symtab && has(d, DT_GNU_HASH, &v)) {
		uint32_t nb, off, nbloom, last = 0;
		const uint8_t *buckets;
		if (at(d, v, 16, &p))
			return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_GNU_HASH", v);
		nb = elfmod__get32(p, d->elf->big_endian);
		off = elfmod__get32(p + 4, d->elf->big_endian);
		nbloom = elfmod__get32(p + 8, d->elf->big_endian);
		if (nb == 0 || at(d, v, 16 + elfmod__mul_entsize(nbloom, d->word) + 4ull * nb, &p))
			return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_GNU_HASH buckets", nb);
		buckets = p + 16 + (size_t)nbloom * d->word;
		/* The symbol count is where the longest chain ends. */
		for (uint32_t b = 0; b < nb; b++) {
			uint32_t i = elfmod__get32(buckets + 4ull * b, d->elf->big_endian);
			if (i > last)
				last = i;
		}
		if (last >= off) {
			uint64_t chain = v + 16 + elfmod__mul_entsize(nbloom, d->word) + 4ull * nb;
			for (;;) {
				uint8_t *c;
				if (at(d, chain + 4ull * (last - off), 4, &c))
					return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_GNU_HASH chain", last);
				if (elfmod__get32(c, d->elf->big_endian) & 1)
					break;
				if (++last == UINT32_MAX)
					return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_GNU_HASH chain", last);
			}
			last++;
		} else {
			last = off;
		}
		d->info->gnu_hash = p;
		if (last > m->dyn->nsyms)
			d->info->nsyms = last;
	}
	if (m->dyn->symtab) {
		/* The section headers, when present, give the count too: DT_GNU_HASH only
		 * covers the exported tail (an empty one says 1, whatever is imported). */
		for (uint32_t i = 1; i < d->elf->shnum; i++) {
			struct elfmod_shdr s;
			if ((rc = elfmod_elf_shdr(d->elf, i, &s)))
				return rc;
			if (s.type == 11 /* SHT_DYNSYM */ && s.entsize == ent) {
				uint32_t rem;
				uint64_t cnt = elfmod__div_entsize(s.size, (uint32_t)ent, &rem);
				if (cnt > m->dyn->nsyms)
					d->info->nsyms = (uint32_t)(cnt > UINT32_MAX ? UINT32_MAX : cnt);
			}
		}
	}
	if (m->dyn->symtab &&
	    at(d, (uint64_t)(m->dyn->symtab - d->img) + d->lo, elfmod__mul_entsize(m->dyn->nsyms, (uint32_t)ent), &p))
		return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "dynamic symbol count", m->dyn->nsyms);
	if (has(d, DT_SONAME, &v)) {
		d->info->soname = dstr(m, v);
		if (!d->info->soname)
			return bad(d, ELFMOD_ESTRING, ELFMOD_NOINDEX, "DT_SONAME", v);
	}
	return 0;
}

/* A DT_NEEDED soname already loaded becomes a dependency; others are left to the
 * import chain (a host library's symbols come from the host tables or the resolver). */
static void add_dep(struct dload *d, struct elfmod_module *x)
{
	for (uint32_t k = 0; k < d->ndeps; k++)
		if (d->deps[k] == x)
			return;
	if (d->ndeps < d->maxdeps)
		d->deps[d->ndeps++] = x;
}

static int needed(struct dload *d)
{
	uint8_t *p;

	if (!d->o->reg)
		return 0;
	for (uint32_t i = 0; i < d->dyn_count; i++) {
		int64_t t;
		const char *n;
		if (at(d, d->dyn_addr + elfmod__mul_entsize(i, d->word * 2u), d->dyn_entsize, &p))
			break; /* checked in read_dynamic() */
		t = (int64_t)get_word(d, p);
		if (d->word == 4)
			t = (int32_t)t;
		if (t == DT_NULL)
			break;
		if (t != DT_NEEDED)
			continue;
		n = dstr(d->m, get_word(d, p + d->word));
		if (!n)
			return bad(d, ELFMOD_ESTRING, (uint32_t)i, "DT_NEEDED", get_word(d, p + d->word));
		for (struct elfmod_module *x = d->o->reg->modules; x; x = x->next)
			if (x->dyn && x->dyn->soname && elfmod__strcmp(x->dyn->soname, n) == 0)
				add_dep(d, x);
	}
	return 0;
}

/* Points the shared object's own __dso_handle (crtbeginS.o's, hidden: only .symtab
 * names it) back at the module, so elfmod_cxa_atexit finds it. Without a symbol table
 * the handle keeps its own address and registrations through it are refused. Only the
 * functions elfmod_load binds to __cxa_atexit and friends take the handle: an object
 * that imports none of them needs no search (a linear one, through the whole .symtab). */
static int own_dso_handle(struct dload *d)
{
	struct elfmod__table st;
	struct elfmod_sym s;
	char buf[16];
	const char *n;
	uint8_t *w;
	uint32_t count;
	int rc;

	if (d->foreign || !d->elf->symtab || !d->cxa)
		return 0;
	if ((rc = elfmod_elf_sym_count(d->elf, d->elf->symtab, &count)) ||
	    (rc = elfmod__symtab_open(d->elf, d->elf->symtab, &st)))
		return rc;
	for (uint32_t i = 1; i < count; i++) {
		if ((rc = elfmod__sym(d->elf, &st, i, &s)))
			return rc;
		if (s.shndx == ELFMOD_SHN_UNDEF || s.shndx == ELFMOD_SHN_ABS || (s.info & 0xf) != 1 /* OBJECT */)
			continue;
		rc = elfmod__string(d->elf, st.sh.link, &st.link, s.name, buf, sizeof(buf), &n);
		if (rc == ELFMOD_ESPACE)
			continue;
		if (rc)
			return rc;
		if (elfmod__strcmp(n, "__dso_handle") || at(d, s.value, d->word, &w))
			continue;
		put_word(d, w, (uint64_t)(uintptr_t)d->m);
		d->m->dso_handle = d->bias + s.value;
		return 0;
	}
	return 0;
}

/* An import nobody provides: told to the caller, the first one kept in the diagnostic;
 * the load goes on so that every one is reported. */
static int missing_import(struct dload *d, uint32_t idx, const char *name)
{
	if (d->o->unresolved)
		d->o->unresolved(d->o->unresolved_ctx, name);
	if (!d->missing++) {
		elfmod__fail(d->diag, ELFMOD_EUNDEF, ELFMOD_OBJ_SYM, idx, "import", 0);
		elfmod__diag_name(d->diag, name);
	}
	return ELFMOD_EUNDEF;
}

/* S of dynamic symbol idx (0 stands for the image itself: B). */
static int sym_value(void *ctx, uint32_t idx, uint64_t *val)
{
	struct dload *d = ctx;
	struct elfmod_module *m = d->m, *from = NULL;
	struct elfmod_sym s;
	const char *name;

	if (idx == 0) {
		*val = d->bias;
		return 0;
	}
	if (!m->dyn->symtab || idx >= m->dyn->nsyms)
		return bad(d, ELFMOD_EINDEX, ELFMOD_NOINDEX, "symbol index", idx);
	dsym(m, idx, &s);
	if (s.shndx != ELFMOD_SHN_UNDEF) {
		/* The module's own definition: its internal calls are not interposed, so its
		 * name is not needed. An indirect function's resolver runs only once code is
		 * executable. */
		*val = is_ifunc(&s) && !d->ifunc_pass ? 0 : sym_addr(m, &s);
		return 0;
	}
	name = dstr(m, s.name);
	if (!name)
		return bad(d, ELFMOD_ESTRING, ELFMOD_NOINDEX, "st_name", s.name);
	if (!d->foreign && (*val = elfmod__cxa_builtin(name, 1)) != 0) {
		d->cxa = 1;
		return 0;
	}
	if (elfmod__lookup(d->o, name, val, &from) == 0) {
		if (from)
			add_dep(d, from);
		return 0;
	}
	if (ELFMOD_ST_BIND(s.info) == 2 /* WEAK */) {
		*val = 0;
		return 0;
	}
	return missing_import(d, idx, name);
}

/* 1 when [vaddr, vaddr + len) lies in a writable PT_LOAD, 0 when not, or a read error. */
static int writable(const struct dload *d, uint64_t vaddr, uint64_t len)
{
	struct elfmod_phdr ph;
	int rc;

	for (uint32_t i = 0; i < d->elf->phnum; i++) {
		if ((rc = elfmod_elf_phdr(d->elf, i, &ph)))
			return rc;
		if (ph.type == ELFMOD_PT_LOAD && (ph.flags & ELFMOD_PF_W) && vaddr >= ph.vaddr &&
		    vaddr - ph.vaddr <= ph.memsz && ph.memsz - (vaddr - ph.vaddr) >= len)
			return 1;
	}
	return 0;
}

static int one_reloc(struct dload *d, int64_t table, uint32_t i, uint64_t offset, uint32_t type,
		     uint32_t symi, int64_t addend, int rela)
{
	uint8_t kind = d->arch->dyn_kind(type, d->elf->cls);
	uint64_t S = 0, P = d->bias + offset, v;
	uint8_t *w, glob;
	int rc;

	if (kind == DYN_NONE)
		return 0;
	glob = kind == DYN_GLOB;
	/* A reference to an indirect function of the module is resolved like IRELATIVE. */
	if ((kind == DYN_ABS || kind == DYN_GLOB) && symi && d->m->dyn->symtab && symi < d->m->dyn->nsyms) {
		struct elfmod_sym s;
		dsym(d->m, symi, &s);
		if (is_ifunc(&s))
			kind = DYN_IFUNC_REF;
	}
	if (kind == DYN_IFUNC_REF && d->norun)
		kind = DYN_IRELATIVE; /* refused below, as IRELATIVE */
	/* IRELATIVE resolvers are code: they run in a second pass, once code is
	 * executable (and before RELRO is sealed). */
	if ((kind == DYN_IRELATIVE || kind == DYN_IFUNC_REF) && !d->norun && !d->ifunc_pass) {
		d->nifunc++;
		return 0;
	}
	if (d->ifunc_pass && kind != DYN_IRELATIVE && kind != DYN_IFUNC_REF)
		return 0;
	if (kind == DYN_UNSUPPORTED || kind == DYN_COPY || kind == DYN_TLS ||
	    (kind == DYN_IRELATIVE && d->norun)) {
		const char *n = elfmod_reloc_name(d->elf->machine, type);
		elfmod__fail(d->diag, ELFMOD_ERELTYPE, ELFMOD_OBJ_DYN, i,
			     kind == DYN_COPY ? "copy relocation (link the module -fPIC)"
			     : kind == DYN_TLS ? "thread-local storage relocation"
			     : kind == DYN_IRELATIVE ? "indirect function that may not run (another machine, "
						       "or ELFMOD_LOAD_NO_INIT)"
			     : n ? n : "r_type", type);
		if (d->diag)
			d->diag->index2 = (uint32_t)table;
		return ELFMOD_ERELTYPE;
	}
	if (at(d, offset, kind == DYN_PC ? 4 : d->word, &w)) {
		elfmod__fail(d->diag, ELFMOD_ERANGE, ELFMOD_OBJ_DYN, i, "r_offset outside the image", offset);
		if (d->diag)
			d->diag->index2 = (uint32_t)table;
		return ELFMOD_ERANGE;
	}
	if (!rela && !glob)
		addend = kind == DYN_PC ? (int64_t)(int32_t)elfmod__get32(w, d->elf->big_endian)
					: (int64_t)get_word(d, w);
	if (!rela && glob)
		addend = 0;
	if ((kind == DYN_IRELATIVE || kind == DYN_IFUNC_REF) && (rc = writable(d, offset, d->word)) < 0)
		return rc;
	if ((kind == DYN_IRELATIVE || kind == DYN_IFUNC_REF) && rc == 0) {
		elfmod__fail(d->diag, ELFMOD_EPERM, ELFMOD_OBJ_DYN, i, "indirect function into read-only memory",
			     offset);
		if (d->diag)
			d->diag->index2 = (uint32_t)table;
		return ELFMOD_EPERM;
	}
	if (kind != DYN_RELATIVE && kind != DYN_IRELATIVE && (rc = sym_value(d, symi, &S)))
		return rc == ELFMOD_EUNDEF ? 0 : rc; /* every missing import is reported first */
	switch (kind) {
	case DYN_RELATIVE:
		put_word(d, w, d->bias + (uint64_t)addend);
		break;
	case DYN_ABS:
	case DYN_GLOB:
	case DYN_IFUNC_REF:
		put_word(d, w, S + (uint64_t)addend);
		break;
	case DYN_PC:
		v = S + (uint64_t)addend - P;
		elfmod__put32(w, (uint32_t)v, d->elf->big_endian);
		break;
	case DYN_IRELATIVE:
		v = ((uint64_t(*)(void))(uintptr_t)(d->bias + (uint64_t)addend))();
		put_word(d, w, v);
		break;
	}
	return 0;
}

/* one_reloc for the entries a shared object is mostly made of, in a 64-bit
 * little-endian image before the IRELATIVE pass: RELATIVE, and ABS or GLOB against the
 * image or a symbol it defines that is not an indirect function. Same checks, same
 * result; returns 1, having done nothing, for any other entry (or a bad one): one_reloc
 * takes it. Fields are read at constant width and byte order, so they compile to plain
 * loads and stores. */
static int quick_reloc(struct dload *d, uint8_t kind, uint64_t offset, uint32_t symi, int64_t addend, int rela)
{
	const struct elfmod_dyn_info *di = d->m->dyn;
	uint64_t S = d->bias, off = offset - d->lo;
	uint8_t *w;

	if ((kind != DYN_RELATIVE && kind != DYN_ABS && kind != DYN_GLOB) || offset < d->lo || d->size < 8 ||
	    off > d->size - 8)
		return 1;
	if (kind != DYN_RELATIVE && symi) {
		const uint8_t *p;
		uint16_t shndx;
		if (!di->symtab || symi >= di->nsyms)
			return 1;
		p = di->symtab + (size_t)symi * 24;
		shndx = elfmod__get16(p + 6, 0);
		if (shndx == ELFMOD_SHN_UNDEF || (p[4] & 0xf) == STT_GNU_IFUNC)
			return 1;
		S = (shndx == ELFMOD_SHN_ABS ? 0 : d->bias) + elfmod__get64(p + 8, 0);
	}
	w = d->img + off;
	if (!rela)
		addend = kind == DYN_GLOB ? 0 : (int64_t)elfmod__get64(w, 0);
	S += (uint64_t)addend;
	/* Spelled out: compilers merge these into one store (elfmod__put64's loop stays one
	 * byte at a time). */
	w[0] = (uint8_t)S, w[1] = (uint8_t)(S >> 8), w[2] = (uint8_t)(S >> 16), w[3] = (uint8_t)(S >> 24);
	w[4] = (uint8_t)(S >> 32), w[5] = (uint8_t)(S >> 40), w[6] = (uint8_t)(S >> 48), w[7] = (uint8_t)(S >> 56);
	return 0;
}

/* DT_REL/DT_RELA/DT_JMPREL table at `addr`, `size` bytes. */
static int rel_table(struct dload *d, int64_t table, uint64_t addr, uint64_t size, int rela)
{
	uint32_t ent = rela ? 3u * d->word : 2u * d->word, rem;
	uint64_t n = elfmod__div_entsize(size, ent, &rem);
	uint8_t *p;
	int rc;

	if (rem || at(d, addr, size, &p))
		return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, table == DT_RELA ? "DT_RELA/DT_RELASZ"
							     : table == DT_REL  ? "DT_REL/DT_RELSZ"
										: "DT_JMPREL/DT_PLTRELSZ",
			   addr);
	if (n > UINT32_MAX)
		return bad(d, ELFMOD_ELIMIT, ELFMOD_NOINDEX, "relocation count", n);
	if (d->word == 8 && !d->elf->big_endian && !d->ifunc_pass) {
		/* Entries of one type come in runs: its kind is asked once a run. */
		uint32_t last = UINT32_MAX;
		uint8_t kind = DYN_NONE;
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *e = p + (size_t)i * ent;
			uint64_t off = elfmod__get64(e, 0), info = elfmod__get64(e + 8, 0);
			int64_t A = rela ? (int64_t)elfmod__get64(e + 16, 0) : 0;
			if ((uint32_t)info != last) {
				last = (uint32_t)info;
				kind = d->arch->dyn_kind(last, d->elf->cls);
			}
			if (quick_reloc(d, kind, off, (uint32_t)(info >> 32), A, rela) &&
			    (rc = one_reloc(d, table, i, off, (uint32_t)info, (uint32_t)(info >> 32), A, rela)))
				return rc;
		}
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = p + elfmod__mul_entsize(i, ent);
		uint64_t off = get_word(d, e), info = get_word(d, e + d->word);
		int64_t A = rela ? (int64_t)get_word(d, e + 2 * d->word) : 0;
		uint32_t type, symi;
		if (d->word == 8) {
			type = (uint32_t)info;
			symi = (uint32_t)(info >> 32);
		} else {
			type = (uint32_t)info & 0xff;
			symi = (uint32_t)info >> 8;
			A = (int32_t)A;
		}
		rc = one_reloc(d, table, i, off, type, symi, A, rela);
		if (rc)
			return rc;
	}
	return 0;
}

/* DT_RELR: an address word, then bitmap words (low bit 1) marking the following words. */
static int relr_table(struct dload *d, uint64_t addr, uint64_t size)
{
	uint32_t rem;
	uint64_t where = 0, n = elfmod__div_entsize(size, d->word, &rem);
	uint8_t *p, *w;

	if (rem || n > UINT32_MAX || at(d, addr, size, &p))
		return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_RELR/DT_RELRSZ", addr);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t e = get_word(d, p + elfmod__mul_entsize(i, d->word));
		if (!(e & 1)) {
			if (at(d, e, d->word, &w))
				return bad(d, ELFMOD_ERANGE, i, "DT_RELR address", e);
			put_word(d, w, get_word(d, w) + d->bias);
			where = e + d->word;
			continue;
		}
		for (uint32_t b = 1; b < 8u * d->word; b++) {
			if (!((e >> b) & 1))
				continue;
			if (at(d, where + elfmod__mul_entsize(b - 1, d->word), d->word, &w))
				return bad(d, ELFMOD_ERANGE, i, "DT_RELR bitmap", e);
			put_word(d, w, get_word(d, w) + d->bias);
		}
		where += elfmod__mul_entsize(8u * d->word - 1, d->word);
	}
	return 0;
}

static int relocate(struct dload *d)
{
	uint64_t a, n, e, pltrel;
	int rc = 0;

	if (!d->ifunc_pass && has(d, DT_RELR, &a)) {
		if (!has(d, DT_RELRSZ, &n) || (has(d, DT_RELRENT, &e) && e != d->word))
			return bad(d, ELFMOD_EENTSIZE, ELFMOD_NOINDEX, "DT_RELRSZ/DT_RELRENT", a);
		if ((rc = relr_table(d, a, n)))
			return rc;
	}
	if (has(d, DT_REL, &a)) {
		if (!has(d, DT_RELSZ, &n) || (has(d, DT_RELENT, &e) && e != (uint64_t)(2u * d->word)))
			return bad(d, ELFMOD_EENTSIZE, ELFMOD_NOINDEX, "DT_RELSZ/DT_RELENT", a);
		if ((rc = rel_table(d, DT_REL, a, n, 0)))
			return rc;
	}
	if (has(d, DT_RELA, &a)) {
		if (!has(d, DT_RELASZ, &n) || (has(d, DT_RELAENT, &e) && e != (uint64_t)(3u * d->word)))
			return bad(d, ELFMOD_EENTSIZE, ELFMOD_NOINDEX, "DT_RELASZ/DT_RELAENT", a);
		if ((rc = rel_table(d, DT_RELA, a, n, 1)))
			return rc;
	}
	if (has(d, DT_JMPREL, &a)) {
		if (!has(d, DT_PLTRELSZ, &n) || !has(d, DT_PLTREL, &pltrel) ||
		    (pltrel != DT_REL && pltrel != DT_RELA))
			return bad(d, ELFMOD_EINVAL, ELFMOD_NOINDEX, "DT_PLTREL/DT_PLTRELSZ", a);
		if ((rc = rel_table(d, DT_JMPREL, a, n, pltrel == DT_RELA)))
			return rc;
	}
	if (!d->ifunc_pass && !d->missing && d->arch->dyn_implicit) {
		struct dyn_view v = { d, d->bias, d->elf->cls, d->elf->big_endian, tag, at, sym_value };
		rc = d->arch->dyn_implicit(&v);
		if (rc == ELFMOD_EUNDEF)
			rc = 0;
	}
	if (!rc && d->missing) {
		if (d->diag) {
			d->diag->value = d->missing;
			d->diag->field = d->missing > 1 ? "first of several unresolved imports" : "import";
		}
		return ELFMOD_EUNDEF;
	}
	return rc;
}

/* Applies each segment's permissions and then RELRO. Ranges are the segments' own
 * alignment (the page size they were linked for); two segments sharing a page with
 * different permissions cannot both be honoured, which is refused. */
static int protect(struct dload *d)
{
	const struct elfmod_allocator *mem = d->o->mem;
	struct elfmod_module *m = d->m;
	struct elfmod_phdr ph;
	uint64_t prev_end = 0, relro_lo = 0, relro_hi = 0;
	unsigned prev_perm = 0;
	int rc;

	for (uint32_t i = 0; i < d->elf->phnum; i++) {
		struct elfmod_region r;
		uint64_t a, lo, hi;
		unsigned perm;
		if ((rc = elfmod_elf_phdr(d->elf, i, &ph)))
			return rc;
		if (ph.type == PT_GNU_RELRO) {
			relro_lo = ph.vaddr;
			relro_hi = ph.vaddr + ph.memsz;
		}
		if (ph.type != ELFMOD_PT_LOAD || ph.memsz == 0)
			continue;
		perm = perm_of(&ph);
		if ((perm & ELFMOD_PERM_X) && (perm & ELFMOD_PERM_W))
			return elfmod__fail(d->diag, ELFMOD_EPERM, ELFMOD_OBJ_PHDR, i,
					    "segment both writable and executable", ph.flags);
		/* Code with text relocations was written above while the image was
		 * writable; it becomes executable (and read-only) here. */
		a = mem->page_size ? mem->page_size : ph.align > 1 ? ph.align : 1;
		lo = (ph.vaddr - d->lo) & ~(a - 1);
		hi = (ph.vaddr - d->lo + ph.memsz + a - 1) & ~(a - 1);
		if (hi > d->size)
			hi = d->size;
		if (lo < prev_end && perm != prev_perm)
			return elfmod__fail(d->diag, ELFMOD_EPERM, ELFMOD_OBJ_PHDR, i,
					    "segments share a page with different permissions", ph.vaddr);
		prev_end = hi;
		prev_perm = perm;
		if (!mem->protect || (d->o->flags & ELFMOD_LOAD_NO_PROTECT) || lo >= hi)
			continue;
		r = m->region[0];
		r.addr += lo;
		r.wr = (uint8_t *)r.wr + lo;
		r.size = hi - lo;
		if (mem->protect(mem->ctx, &r, perm))
			return elfmod__fail(d->diag, ELFMOD_EPERM, ELFMOD_OBJ_PHDR, i, "segment permissions", perm);
	}
	/* Exactly the code: each executable segment's bytes. */
	for (uint32_t i = 0; mem->sync_icache && !d->foreign && i < d->elf->phnum; i++) {
		if ((rc = elfmod_elf_phdr(d->elf, i, &ph)))
			return rc;
		if (ph.type == ELFMOD_PT_LOAD && (ph.flags & ELFMOD_PF_X) && ph.memsz)
			mem->sync_icache(mem->ctx, ph.vaddr + d->bias, ph.memsz);
	}
	/* Code runs from here: the IRELATIVE resolvers, then RELRO is sealed. */
	if (d->nifunc) {
		d->ifunc_pass = 1;
		if ((rc = relocate(d)))
			return rc;
	}
	if (relro_hi > relro_lo && mem->protect && !(d->o->flags & ELFMOD_LOAD_NO_PROTECT)) {
		/* As ld.so: from the page of its start (the linker put nothing writable
		 * before it there) to the last whole page; the rest of that one is data. */
		struct elfmod_region r;
		uint64_t a = mem->page_size ? mem->page_size : 1, lo, hi;
		if (!mem->page_size)
			for (uint32_t i = 0; i < d->elf->phnum; i++) {
				if ((rc = elfmod_elf_phdr(d->elf, i, &ph)))
					return rc;
				if (ph.type == ELFMOD_PT_LOAD && ph.align > a)
					a = ph.align;
			}
		if (relro_lo < d->lo || relro_hi - d->lo > d->size)
			return elfmod__fail(d->diag, ELFMOD_ERANGE, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX,
					    "PT_GNU_RELRO outside the image", relro_lo);
		lo = (relro_lo - d->lo) & ~(a - 1);
		hi = (relro_hi - d->lo) & ~(a - 1);
		if (lo < hi) {
			elfmod__reset_exclude(m, d->img + lo, d->img + hi);
			r = m->region[0];
			r.addr += lo;
			r.wr = (uint8_t *)r.wr + lo;
			r.size = hi - lo;
			if (mem->protect(mem->ctx, &r, ELFMOD_PERM_R))
				return elfmod__fail(d->diag, ELFMOD_EPERM, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX,
						    "PT_GNU_RELRO permissions", relro_lo);
		}
	}
	return 0;
}

static int text_relocated(struct dload *d)
{
	uint64_t v;

	return has(d, DT_TEXTREL, &v) || (has(d, DT_FLAGS, &v) && (v & DF_TEXTREL));
}

static uint64_t words(const struct dload *d, uint64_t bytes)
{
	uint32_t rem;
	return elfmod__div_entsize(bytes, d->word, &rem);
}

/* Checks an init/fini array against the image: `addr` link address, `bytes` size. */
static int array_ok(struct dload *d, int64_t t, uint64_t addr, uint64_t bytes)
{
	uint8_t *p;

	if ((bytes & (d->word - 1u)) || at(d, addr, bytes, &p))
		return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, t == DT_INIT_ARRAY ? "DT_INIT_ARRAY"
							     : t == DT_FINI_ARRAY ? "DT_FINI_ARRAY"
										  : "DT_PREINIT_ARRAY",
			   addr);
	return 0;
}

static int check_arrays(struct dload *d)
{
	static const int64_t pairs[3][2] = { { DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ },
					     { DT_INIT_ARRAY, DT_INIT_ARRAYSZ },
					     { DT_FINI_ARRAY, DT_FINI_ARRAYSZ } };
	uint64_t a, n;
	uint8_t *p;
	int rc;

	for (int k = 0; k < 3; k++)
		if (has(d, pairs[k][0], &a)) {
			if (!has(d, pairs[k][1], &n))
				n = 0;
			if ((rc = array_ok(d, pairs[k][0], a, n)))
				return rc;
		}
	if (has(d, DT_INIT, &a) && at(d, a, 1, &p))
		return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_INIT", a);
	if (has(d, DT_FINI, &a) && at(d, a, 1, &p))
		return bad(d, ELFMOD_ERANGE, ELFMOD_NOINDEX, "DT_FINI", a);
	if (has(d, DT_PREINIT_ARRAY, &a)) {
		d->info->preinit_array = a;
		d->info->preinit_count = has(d, DT_PREINIT_ARRAYSZ, &n) ? words(d, n) : 0;
	}
	if (has(d, DT_INIT_ARRAY, &a)) {
		d->info->init_array = a;
		d->info->init_count = has(d, DT_INIT_ARRAYSZ, &n) ? words(d, n) : 0;
	}
	if (has(d, DT_INIT, &a))
		d->info->init = a;
	if (has(d, DT_FINI_ARRAY, &a)) {
		d->info->fini_array = a;
		d->info->fini_count = has(d, DT_FINI_ARRAYSZ, &n) ? words(d, n) : 0;
	}
	if (has(d, DT_FINI, &a))
		d->info->fini = a;
	return 0;
}

/* DT_PREINIT_ARRAY, DT_INIT, DT_INIT_ARRAY, in that order, as ld.so runs them. */
void elfmod__dyn_init(const struct elfmod_module *m)
{
	const struct elfmod_dyn_info *i = m->dyn;

	if (i->preinit_count)
		elfmod__call_array(m, i->bias + i->preinit_array, i->preinit_count, 0);
	if (i->init)
		((void (*)(void))(uintptr_t)(i->bias + i->init))();
	if (i->init_count)
		elfmod__call_array(m, i->bias + i->init_array, i->init_count, 0);
}

void elfmod__dyn_fini(struct elfmod_module *m)
{
	if (m->dyn->fini_count)
		elfmod__call_array(m, m->dyn->bias + m->dyn->fini_array, m->dyn->fini_count, 1);
	if (m->dyn->fini)
		((void (*)(void))(uintptr_t)(m->dyn->bias + m->dyn->fini))();
}

/* The start both loaders share: the state, and the one META allocation that outlives
 * the load (the image's description, then room for a dependency per loaded module). */
static int begin(struct dload *d, struct elfmod_module *m, struct elfmod_elf *elf,
		 const struct elfmod_load_opts *o, const struct arch_desc *arch, int foreign,
		 struct elfmod_diag *diag)
{
	const size_t info = (sizeof(struct elfmod_dyn_info) + 7) & ~(size_t)7;
	uint32_t nmodules = 0;

	memset(d, 0, sizeof(*d));
	d->elf = elf;
	d->arch = arch;
	d->m = m;
	d->o = o;
	d->diag = diag;
	d->word = elf->cls == 64 ? 8 : 4;
	d->foreign = (uint8_t)foreign;
	if (o->reg)
		for (struct elfmod_module *x = o->reg->modules; x; x = x->next)
			nmodules++;
	m->keep.kind = ELFMOD_KIND_META;
	if (o->mem->alloc(o->mem->ctx, &m->keep, info + elfmod__mul_entsize(nmodules, sizeof(struct elfmod_module *)),
			  8, 0)) {
		memset(&m->keep, 0, sizeof(m->keep));
		return elfmod__fail(diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
				    "image description", nmodules);
	}
	m->keep.kind = ELFMOD_KIND_META;
	d->info = (struct elfmod_dyn_info *)m->keep.wr;
	memset(d->info, 0, sizeof(*d->info));
	/* No module code runs for another machine or under NO_INIT: not even resolvers. */
	d->info->native = (uint8_t)!(foreign || (m->flags & ELFMOD_LOAD_NO_INIT));
	d->norun = (uint8_t)!d->info->native;
	m->dyn = d->info;
	/* `info` is a multiple of 8 and the block is 8-aligned. */
	d->deps = (struct elfmod_module **)(void *)((uint8_t *)m->keep.wr + info);
	d->maxdeps = nmodules;
	return 0;
}

/* Nothing can fail from here: take the references, join the registry. */
static void finish(struct dload *d)
{
	struct elfmod_module *m = d->m;

	m->deps = d->deps;
	m->ndeps = d->ndeps;
	for (uint32_t k = 0; k < m->ndeps; k++)
		m->deps[k]->refs++;
	if (d->o->reg) {
		m->next = d->o->reg->modules;
		d->o->reg->modules = m;
	}
}

static void undo(struct dload *d)
{
	struct elfmod_module *m = d->m;

	elfmod__reset_free(m);
	if (m->region[0].size)
		d->o->mem->free(d->o->mem->ctx, &m->region[0]);
	if (m->keep.size)
		d->o->mem->free(d->o->mem->ctx, &m->keep);
	memset(&m->region[0], 0, sizeof(m->region[0]));
	memset(&m->keep, 0, sizeof(m->keep));
	m->dyn = NULL;
}

int elfmod__dyn_load(struct elfmod_module *m, struct elfmod_elf *elf, const struct elfmod_load_opts *o,
		     const struct arch_desc *arch, int foreign, struct elfmod_diag *diag)
{
	struct dload d;
	int rc;

	if (!arch->dyn_kind)
		return elfmod__fail(diag, ELFMOD_EUNSUPPORTED, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX,
				    "shared objects of this machine", elf->machine);
	/* Shared objects keep code and data in one image: word-only code memory cannot
	 * hold their data. */
	if (o->mem->write_code)
		return elfmod__fail(diag, ELFMOD_EUNSUPPORTED, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
				    "shared object into word-only code memory (use an ET_REL module)", 0);
	if ((rc = begin(&d, m, elf, o, arch, foreign, diag)))
		return rc;
	if ((rc = map_segments(&d)) || (rc = read_dynamic(&d)) || (rc = needed(&d)) ||
	    (rc = check_arrays(&d)))
		goto fail;
	d.info->textrel = (uint8_t)text_relocated(&d);
	if (elf->entry)
		d.info->entry = elf->entry + d.bias;
	if ((rc = relocate(&d)) || (rc = own_dso_handle(&d)) || (rc = elfmod__stream_finish(elf, diag)) ||
	    (rc = protect(&d)) || (rc = elfmod__reset_diff(m, elf->src, diag)))
		goto fail;
	elfmod__reset_snapshot(m);

	finish(&d);
	if (!(m->flags & ELFMOD_LOAD_NO_INIT))
		elfmod__dyn_init(m);
	return 0;

fail:
	undo(&d);
	return rc;
}

/* ---- executables: at their link address, or moved with --emit-relocs ---- */

/* Whether an ET_EXEC kept relocations for its loaded sections (ld -q). */
static int has_section_relocs(struct dload *d, int *yes)
{
	struct elfmod_shdr rs, ts;
	int rc;

	*yes = 0;
	for (uint32_t i = 1; i < d->elf->shnum; i++) {
		if ((rc = elfmod_elf_shdr(d->elf, i, &rs)))
			return rc;
		if (rs.type != ELFMOD_SHT_REL && rs.type != ELFMOD_SHT_RELA)
			continue;
		if (rs.info == 0 || rs.info >= d->elf->shnum)
			continue;
		if ((rc = elfmod_elf_shdr(d->elf, rs.info, &ts)))
			return rc;
		if (ts.flags & ELFMOD_SHF_ALLOC)
			*yes = 1;
	}
	return 0;
}

/* S before (the link's) and after the move, for symbol `idx` of .symtab. Not inlined:
 * its name buffer stays off the stack of the relocation loop. */
__attribute__((noinline)) static int exec_sym(struct dload *d, const struct elfmod__table *st, uint32_t idx, uint64_t *old,
		    uint64_t *now, int *inside)
{
	struct elfmod_module *from = NULL;
	char buf[ELFMOD_CFG_MAX_NAME];
	struct elfmod_sym s;
	const char *name;
	int rc;

	*inside = 0;
	if (idx == 0) {
		*old = *now = 0;
		return 0;
	}
	if ((rc = elfmod__sym(d->elf, st, idx, &s)))
		return rc;
	if (s.shndx == ELFMOD_SHN_ABS) {
		*old = *now = s.value;
		return 0;
	}
	if (s.shndx != ELFMOD_SHN_UNDEF) {
		*old = s.value;
		*now = s.value + d->bias;
		*inside = 1;
		return 0;
	}
	/* An import: the link left it at 0 (--unresolved-symbols=ignore-all). */
	*old = 0;
	if ((rc = elfmod__string(d->elf, st->sh.link, &st->link, s.name, buf, sizeof(buf), &name)))
		return rc;
	if (elfmod__lookup(d->o, name, now, &from) == 0) {
		if (from)
			add_dep(d, from);
		return 0;
	}
	if (ELFMOD_ST_BIND(s.info) == 2 /* WEAK */) {
		*now = 0;
		return 0;
	}
	return missing_import(d, idx, name);
}

static int move_fail(struct dload *d, int err, uint32_t relsec, uint32_t i, const char *what, uint64_t v)
{
	elfmod__fail(d->diag, err, ELFMOD_OBJ_REL, i, what, v);
	if (d->diag)
		d->diag->index2 = relsec;
	return err;
}

/*
 * Moves an executable by `bias` with the relocations ld -q kept. RELA: every
 * relocation is computed again from its symbol, addend and new place, which leaves
 * references inside the image as they were relative to each other. REL: the addend
 * is gone (the field holds the final value), so the field is taken as the addend and
 * the relocation applied with the change of S (and of P for PC-relative ones); a
 * PC-relative reference to the image itself does not change and is left alone.
 * Fields that keep only the low part of a value (LO16, MOVW) move exactly that way;
 * one that keeps only the high part does so only with its partner (MIPS HI16, which
 * finds its LO16 as in an object), so ARM MOVT (RF_HIGH) is refused rather than
 * mis-moved; a MIPS J/JAL (RF_NOTPC) gets back the segment its field lacks from the old
 * place. References through a GOT the link built are refused: its slots have no
 * relocations to move them.
 */
static int move_table(struct dload *d, uint32_t relsec, const struct elfmod_shdr *rs,
		      const struct elfmod__table *st)
{
	struct elfmod__table rt;
	struct elfmod_rel r, n;
	uint32_t count;
	int rela = rs->type == ELFMOD_SHT_RELA, rc;

	if ((rc = elfmod_elf_rel_count(d->elf, relsec, &count)) || (rc = elfmod__reltab_open(d->elf, relsec, &rt)))
		return rc;
	for (uint32_t i = 0; i < count; i++) {
		struct reloc_info ri;
		struct reloc_args a;
		uint64_t s_old, s_new;
		int inside;
		uint8_t *w;

		if ((rc = elfmod__rel(d->elf, &rt, i, &r)))
			return rc;
		if ((rc = d->arch->info(r.type, &ri))) {
			const char *nm = elfmod_reloc_name(d->elf->machine, r.type);
			return move_fail(d, rc, relsec, i, nm ? nm : "r_type", r.type);
		}
		if (ri.flags & RF_NONE)
			continue;
		if (ri.flags & (RF_GOT | RF_GOTBASE | RF_SIZE))
			return move_fail(d, ELFMOD_ERELTYPE, relsec, i,
					 "GOT relocation in an --emit-relocs executable (build it -fno-pic)", r.type);
		if (at(d, r.offset, ri.size, &w))
			return move_fail(d, ELFMOD_ERANGE, relsec, i, "r_offset outside the image", r.offset);
		rc = exec_sym(d, st, r.sym, &s_old, &s_new, &inside);
		if (rc == ELFMOD_EUNDEF)
			continue; /* all missing imports are listed first */
		if (rc)
			return rc;
		/* A jump whose field lacks the place's segment cannot reach host code on its
		 * own: that code expects its address in a register (MIPS t9), which only a
		 * stub sets, and a moved executable has none. */
		if (!rela && (ri.flags & RF_NOTPC) && (!d->arch->notpc_target || (!inside && !d->foreign)))
			return move_fail(d, ELFMOD_ERELTYPE, relsec, i,
					 "segment-absolute jump to an import in an --emit-relocs executable "
					 "(call imports through pointers)", r.type);
		if (!rela && inside && (ri.flags & (RF_PCREL | RF_CALL | RF_PAIR_LO)) && !(ri.flags & RF_NOTPC))
			continue; /* moves with its target */
		memset(&a, 0, sizeof(a));
		a.type = r.type;
		a.big_endian = d->elf->big_endian;
		a.e_flags = d->elf->flags;
		a.cls = d->elf->cls;
		a.native = !d->foreign;
		a.loc = w;
		if (rela) {
			a.S = s_new;
			a.A = r.addend;
			a.P = r.offset + d->bias;
			if (ri.flags & (RF_PAIR_HI | RF_PAIR_LO)) {
				/* Pairs (RISC-V PCREL_HI20/LO12) inside the image keep their value. */
				if (inside)
					continue;
				return move_fail(d, ELFMOD_ERELTYPE, relsec, i,
						 "PC-relative pair to an import in an --emit-relocs executable", r.type);
			}
		} else {
			int64_t A0 = 0;
			if (!d->arch->addend)
				return move_fail(d, ELFMOD_ERELTYPE, relsec, i, "r_type", r.type);
			if (ri.flags & RF_HIGH)
				return move_fail(d, ELFMOD_ERELTYPE, relsec, i,
						 "high half without its low half in an --emit-relocs executable "
						 "(ARM: build with -mword-relocations)", r.type);
			if ((rc = d->arch->addend(r.type, w, a.big_endian, &A0)))
				return move_fail(d, rc, relsec, i, "r_type", r.type);
			a.S = s_new - s_old;
			a.A = A0;
			a.P = (ri.flags & (RF_PCREL | RF_CALL)) ? d->bias : 0;
			if (ri.flags & RF_NOTPC) {
				/* The whole old target, moved by the difference, checked and
				 * encoded for the new place. */
				a.A = (int64_t)d->arch->notpc_target(r.type, A0, r.offset) - (int64_t)s_old;
				a.S = s_new;
				a.P = r.offset + d->bias;
			}
			if (ri.flags & RF_PAIR_NEXT) {
				uint32_t want = d->arch->pair_type ? d->arch->pair_type(r.type) : 0;
				for (uint32_t k = i + 1; k < count && k - i <= 256; k++) {
					struct reloc_info ni;
					uint8_t *nw;
					int64_t pa = 0;
					if ((rc = elfmod__rel(d->elf, &rt, k, &n)))
						return rc;
					if (n.type != want || n.sym != r.sym)
						continue;
					if (d->arch->info(n.type, &ni) || at(d, n.offset, ni.size, &nw) ||
					    d->arch->addend(n.type, nw, a.big_endian, &pa))
						return move_fail(d, ELFMOD_ERANGE, relsec, k, "paired relocation", n.offset);
					a.pair = (uint64_t)pa;
					a.has_pair = 1;
					break;
				}
			}
		}
		if ((rc = d->arch->apply(&a))) {
			if (rc == ELFMOD_ERANGE && (ri.flags & (RF_PCREL | RF_CALL)) && !inside)
				return move_fail(d, ELFMOD_EREACH, relsec, i,
						 d->arch->far_hint ? d->arch->far_hint : "import out of reach", r.offset);
			return move_fail(d, rc, relsec, i, elfmod_reloc_name(d->elf->machine, r.type), r.offset);
		}
	}
	return 0;
}

static int move_exec(struct dload *d)
{
	struct elfmod__table st;
	struct elfmod_shdr rs, ts;
	int rc;

	if (!d->elf->symtab)
		return elfmod__fail(d->diag, ELFMOD_ENOTFOUND, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX,
				    "symbol table (an --emit-relocs executable must not be stripped)", 0);
	if ((rc = elfmod__symtab_open(d->elf, d->elf->symtab, &st)))
		return rc;
	for (uint32_t i = 1; i < d->elf->shnum; i++) {
		if ((rc = elfmod_elf_shdr(d->elf, i, &rs)))
			return rc;
		if ((rs.type != ELFMOD_SHT_REL && rs.type != ELFMOD_SHT_RELA) || rs.info == 0 ||
		    rs.info >= d->elf->shnum)
			continue;
		if ((rc = elfmod_elf_shdr(d->elf, rs.info, &ts)))
			return rc;
		if (!(ts.flags & ELFMOD_SHF_ALLOC))
			continue; /* debug information */
		if (rs.link != d->elf->symtab)
			return elfmod__fail(d->diag, ELFMOD_ELINK, ELFMOD_OBJ_SHDR, i, "sh_link", rs.link);
		if ((rc = move_table(d, i, &rs, &st)))
			return rc;
	}
	if (d->missing) {
		if (d->diag) {
			d->diag->value = d->missing;
			d->diag->field = d->missing > 1 ? "first of several unresolved imports" : "import";
		}
		return ELFMOD_EUNDEF;
	}
	return 0;
}

int elfmod__exec_load(struct elfmod_module *m, struct elfmod_elf *elf, const struct elfmod_load_opts *o,
		      const struct arch_desc *arch, int foreign, struct elfmod_diag *diag)
{
	struct dload d;
	int rc, movable;

	if (o->mem->write_code)
		return elfmod__fail(diag, ELFMOD_EUNSUPPORTED, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
				    "executable into word-only code memory (use an ET_REL module)", 0);
	memset(&d, 0, sizeof(d));
	d.elf = elf;
	d.diag = diag;
	if ((rc = has_section_relocs(&d, &movable)))
		return rc;
	if (o->flags & ELFMOD_LOAD_EXEC_FIXED)
		movable = 0;
	else if ((o->flags & ELFMOD_LOAD_EXEC_MOVE) && !movable)
		return elfmod__fail(diag, ELFMOD_ENOTFOUND, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX,
				    "relocations to move the executable (link it with -q)", 0);
	if ((rc = begin(&d, m, elf, o, arch, foreign, diag)))
		return rc;
	if (!movable) {
		/* Only where it was linked: ask for that address and accept nothing else. */
		struct elfmod_phdr ph;
		d.near = UINT64_MAX;
		for (uint32_t i = 0; i < elf->phnum; i++) {
			if ((rc = elfmod_elf_phdr(elf, i, &ph)))
				goto fail;
			if (ph.type == ELFMOD_PT_LOAD && ph.memsz && ph.vaddr < d.near)
				d.near = ph.vaddr;
		}
	}
	if ((rc = map_segments(&d)))
		goto fail;
	if (!movable && d.bias != 0) {
		rc = elfmod__fail(diag, ELFMOD_EWINDOW, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX,
				  "executable without relocations needs its link address", d.lo);
		goto fail;
	}
	d.info->entry = elf->entry + d.bias;
	if ((movable && (rc = move_exec(&d))) || (rc = elfmod__stream_finish(elf, diag)) || (rc = protect(&d)) ||
	    (rc = elfmod__reset_diff(m, elf->src, diag)))
		goto fail;
	elfmod__reset_snapshot(m);
	finish(&d);
	return 0;

fail:
	undo(&d);
	return rc;
}

#else
/* ELFMOD_CFG_DYNAMIC=0: elfmod_load takes relocatable modules only. */
typedef int elfmod__no_dynamic;
#endif
