/* elfmod pack MODULE [--fingerprint HEX] [--state SIZE] -o OUT.emod
 *
 * Turns a relocatable module or a shared object (whose one image becomes the RW block)
 * into the packed format of docs/format.md: its images
 * pre-linked at base 0 plus word fix-ups the tiny loader (src/tiny) applies. There is
 * no per-architecture encoder here: the module is relocated by the core for its own
 * machine several times, each time with one thing moved - the read-only block (text,
 * rodata, elfmod's call stubs and GOT), the writable block (data, bss), or the imports -
 * and the images are compared word by word. A word that moves exactly as one of them did,
 * twice with different distances, is a fix-up against it; any other change (an
 * instruction immediate, a PC-relative reference from one block into the other) cannot
 * be expressed as a word write, and the module is refused, naming the place and the
 * relocation there. Imports reach code through elfmod's call stubs and GOT slots, so
 * their literal words are what changes. The GOT goes in the RW block when the code
 * reaches it through a base register (ARM -msingle-pic-base): no fix-up in the code,
 * which then runs in place; else in the RO block. The result is checked by applying the fix-ups
 * to the base-0 images and comparing with an ordinary relocation. */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "tools.h"
#include "exports_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 1024
#define MAX_IMPORTS 1024
#define MAX_ENTRIES 4096
#define ALIGN_MAX 0x10000u

enum { SEG_TEXT, SEG_RODATA, SEG_DATA, SEG_BSS };
enum { RUN_BASE, RUN_RO1, RUN_RO2, RUN_RW1, RUN_RW2, RUN_IMP1, RUN_IMP2, NRUNS };

/* Where a run puts things: blocks apart enough for any module, imports far from both
 * (so elfmod reaches them through stubs and GOT slots). A block moves by a distance that
 * keeps its alignment and nothing more (ro_at, rw_at), so every address bit that can
 * differ at load differs between runs. Import k moves by its run's delta times 2k + 1
 * (odd: a word read one byte off a moved import word moves by an even multiple, so it
 * is never mistaken). */
static const uint64_t imp_delta[NRUNS] = { 0, 0, 0, 0, 0, 0x10004, 0x30004 };

struct item {
	char *name;
	uint32_t shndx;   /* 0: a region of elfmod's own (stubs, GOT, data tail) */
	uint8_t kind;     /* that region's kind */
	uint8_t seg;
	uint8_t arr;      /* 1 an .init_array, 2 a .fini_array section, else 0 */
	uint32_t prio;    /* its place in ld's order (array_priority) */
	uint64_t size, align, off; /* off: within the RO or the RW block */
};

struct pack {
	const struct elfmod_elf *elf;
	struct elfmod_allocator mem;
	struct item items[MAX_ITEMS];
	unsigned nitems;
	char *imports[MAX_IMPORTS];
	unsigned nimports;
	int run, learning, failed;
	int got_rw, quiet;         /* GOT in the RW block; no refusal messages (first try) */
	int joined;                /* one block: code and data at fixed distances, all in RW */
	uint64_t min_align;        /* least alignment of both blocks (pages for ADRP code) */
	const char *in;
	uint64_t got_addr;         /* the GOT's run address in the base run, 0: none */
	uint64_t word, ro_size, rw_size, text_size, rodata_off, rodata_size, data_end;
	uint64_t ro_align, rw_align, text_align, rodata_align;
	uint8_t *ro[NRUNS], *rw[NRUNS];
	const struct tool_xtable *table; /* --exports: imports named by position in it */
	uint64_t learn_next;
	uint64_t arrays_end;       /* where the init/fini arrays end in RW, 0: none */
	void *meta[MAX_ITEMS];
	unsigned nmeta;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) & ~(a - 1) : v;
}

/* 64-bit modules are relocated above 4 GiB: a 32-bit absolute field cannot hold such an
 * address (the core refuses it), so none can pass for the low half of a moving word. */
static uint64_t high(const struct pack *p)
{
	return p->word == 8 ? 0x700000000ull : 0;
}

static uint64_t ro_at(const struct pack *p, int run)
{
	return high(p) + 0x10000000 +
	       (run == RUN_RO1 ? 0x100000 + 3 * p->ro_align : run == RUN_RO2 ? 0xe350000 + 5 * p->ro_align : 0);
}

static uint64_t rw_at(const struct pack *p, int run)
{
	return high(p) + 0x30000000 +
	       (run == RUN_RW1 ? 0x100000 + 3 * p->rw_align : run == RUN_RW2 ? 0xe350000 + 5 * p->rw_align : 0);
}

static uint64_t imp_addr(unsigned run, unsigned k, uint64_t word)
{
	uint64_t base = word == 8 ? 0x7f0000000000ull : 0x60000000ull;
	return base + (uint64_t)k * 0x100 + imp_delta[run] * (2 * k + 1);
}

/* Is a segment in the RO block? Joined, everything is in the RW block. */
static int in_ro(const struct pack *p, uint8_t seg)
{
	return !p->joined && (seg == SEG_TEXT || seg == SEG_RODATA);
}

/* The item for a section or one of elfmod's regions: found by identity in later runs,
 * added in the learning run. */
static struct item *item_for(struct pack *p, uint32_t shndx, uint8_t kind, const char *name, uint8_t seg,
			     uint64_t size, uint64_t align)
{
	struct item *it;

	for (unsigned i = 0; i < p->nitems; i++) {
		it = &p->items[i];
		if (it->shndx == shndx && it->kind == kind && !strcmp(it->name, name)) {
			if (it->size != size) {
				fprintf(stderr, "elfmod pack: %s changed size between relocations\n", name);
				p->failed = 1;
				return NULL;
			}
			return it;
		}
	}
	if (!p->learning || p->nitems == MAX_ITEMS) {
		fprintf(stderr, "elfmod pack: %s: %s\n", name,
			p->learning ? "too many sections" : "appeared in a later relocation only");
		p->failed = 1;
		return NULL;
	}
	if (align > ALIGN_MAX) {
		fprintf(stderr, "elfmod pack: %s: alignment %llu above the format's 64 KiB\n", name,
			(unsigned long long)align);
		p->failed = 1;
		return NULL;
	}
	it = &p->items[p->nitems++];
	memset(it, 0, sizeof(*it));
	it->name = strdup(name);
	if (!it->name) {
		p->failed = 1;
		p->nitems--;
		return NULL;
	}
	it->shndx = shndx;
	it->kind = kind;
	it->seg = seg;
	it->size = size;
	it->align = align ? align : 1;
	return it;
}

/* Run address and host bytes of an item: anywhere in the learning run (only sizes are
 * learnt), its place in this run's block afterwards. */
static int item_place(struct pack *p, struct item *it, uint64_t *addr, void **wr)
{
	if (p->learning) {
		void *m = calloc(1, it->size ? (size_t)it->size : 1);
		if (!m || p->nmeta == MAX_ITEMS) {
			free(m);
			p->failed = 1;
			return -1;
		}
		p->meta[p->nmeta++] = m;
		p->learn_next = align_up(p->learn_next, it->align);
		*addr = high(p) + (in_ro(p, it->seg) ? 0x10000000 : 0x30000000) + p->learn_next;
		p->learn_next += it->size;
		*wr = m;
		return 0;
	}
	if (in_ro(p, it->seg)) {
		*addr = ro_at(p, p->run) + it->off;
		*wr = p->ro[p->run] + it->off;
	} else {
		*addr = rw_at(p, p->run) + it->off;
		*wr = p->rw[p->run] + it->off;
	}
	return 0;
}

static int pack_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	static const char *const names[3] = { ".elfmod.stubs", ".elfmod.got", ".elfmod.data" };
	static const uint8_t segs[3] = { SEG_TEXT, SEG_RODATA, SEG_DATA };
	struct pack *p = ctx;
	struct item *it;
	void *wr;

	(void)near;
	if (r->kind == ELFMOD_KIND_META) {
		r->wr = calloc(1, size ? (size_t)size : 1);
		r->addr = (uint64_t)(uintptr_t)r->wr;
		r->size = size;
		return r->wr ? 0 : ELFMOD_ENOMEM;
	}
	if (r->kind > ELFMOD_KIND_DATA)
		return ELFMOD_ENOMEM;
	/* A shared object is one image, code and data at fixed distances: all of it is the
	 * RW block. */
	if (p->elf->type == ELFMOD_ET_DYN)
		it = item_for(p, 0, r->kind, ".elfmod.image", SEG_DATA, size, align);
	else if (p->got_rw && r->kind == ELFMOD_KIND_RODATA)
		it = item_for(p, 0, r->kind, names[r->kind], SEG_DATA, size, align);
	else
		it = item_for(p, 0, r->kind, names[r->kind], segs[r->kind], size, align);
	if (!it || item_place(p, it, &r->addr, &wr))
		return ELFMOD_ENOMEM;
	r->wr = wr;
	r->size = size;
	return 0;
}

static void pack_free(void *ctx, struct elfmod_region *r)
{
	(void)ctx;
	if (r->kind == ELFMOD_KIND_META)
		free(r->wr);
}

/* The order ld (and elfmod_load) gives init and fini arrays: ".init_array.N" /
 * ".fini_array.N" (1 to 5 digits) by N, then every other array section. The section's
 * type says it is an array; its name, from the file, may be anything. */
static uint32_t array_priority(const char *name)
{
	uint32_t v = 0;
	int digits = 0;

	if (strncmp(name, ".init_array.", 12) && strncmp(name, ".fini_array.", 12))
		return 0x100000u;
	for (name += 12; *name; name++, digits++) {
		if (*name < '0' || *name > '9' || digits == 5)
			return 0x100000u;
		v = v * 10 + (uint32_t)(*name - '0');
	}
	return digits ? v : 0x100000u;
}

static int pack_place(void *ctx, uint32_t shndx, const char *name, uint64_t size, uint64_t align,
		      uint64_t *addr, void **wr)
{
	struct pack *p = ctx;
	struct elfmod_shdr s;
	struct item *it;
	uint8_t seg;

	if (elfmod_elf_shdr(p->elf, shndx, &s)) {
		p->failed = 1;
		*wr = NULL;
		return 0;
	}
	/* The init and fini arrays are offered to the host as entries bounding each (it
	 * calls the functions); the older .ctors/.dtors forms, which run backwards, and
	 * .preinit_array (executables only) are not. */
	if (s.type == ELFMOD_SHT_PREINIT_ARRAY || !strncmp(name, ".ctors", 6) || !strncmp(name, ".dtors", 6)) {
		fprintf(stderr, "elfmod pack: %s: %s: .ctors, .dtors and .preinit_array are not packed: "
				"build with init/fini arrays (GCC's default)\n",
			p->in, name);
		p->failed = 1;
		*wr = NULL;
		return 0;
	}
	if (s.type == ELFMOD_SHT_INIT_ARRAY || s.type == ELFMOD_SHT_FINI_ARRAY)
		seg = SEG_DATA;
	else if (s.flags & ELFMOD_SHF_EXECINSTR)
		seg = SEG_TEXT;
	else if (!(s.flags & ELFMOD_SHF_WRITE))
		seg = SEG_RODATA;
	else
		seg = s.type == ELFMOD_SHT_NOBITS ? SEG_BSS : SEG_DATA;
	it = item_for(p, shndx, 0xff, name, seg, size, align);
	if (it && (s.type == ELFMOD_SHT_INIT_ARRAY || s.type == ELFMOD_SHT_FINI_ARRAY)) {
		it->arr = s.type == ELFMOD_SHT_INIT_ARRAY ? 1 : 2;
		it->prio = array_priority(name);
	}
	if (!it || item_place(p, it, addr, wr)) {
		*wr = NULL; /* refuses the placement: the load fails */
		return 0;
	}
	return 0;
}

static int pack_resolve(void *ctx, const char *name, uint64_t *addr)
{
	struct pack *p = ctx;
	unsigned k;

	for (k = 0; k < p->nimports; k++)
		if (!strcmp(p->imports[k], name))
			break;
	if (k == p->nimports) {
		if (!p->learning || k == MAX_IMPORTS || !(p->imports[k] = strdup(name)))
			return -1;
		p->nimports++;
	}
	*addr = imp_addr((unsigned)p->run, k, p->word);
	return 0;
}

/* The init arrays, then the fini arrays, each in priority order and back to back (the
 * order a static link gives them), so that one range bounds each kind. */
static uint64_t layout_arrays(struct pack *p, uint64_t off)
{
	uint8_t placed[MAX_ITEMS] = { 0 };

	p->arrays_end = 0;
	for (uint8_t a = 1; a <= 2; a++)
		for (;;) {
			struct item *best = NULL;
			unsigned bi = 0;
			for (unsigned i = 0; i < p->nitems; i++)
				if (p->items[i].arr == a && !placed[i] && (!best || p->items[i].prio < best->prio)) {
					best = &p->items[i];
					bi = i;
				}
			if (!best)
				break;
			placed[bi] = 1;
			off = align_up(off, best->align);
			best->off = off;
			off += best->size;
			if (best->align > p->rw_align)
				p->rw_align = best->align;
			p->arrays_end = off;
		}
	return off;
}

/* Layout from the sizes learnt: RO = text (sections, then stubs) then rodata (sections,
 * then GOT); RW = data sections, elfmod's data, then the .bss sections. Joined: all of
 * it, in that order, in the RW block. */
static void layout(struct pack *p)
{
	uint64_t off = 0;

	p->text_align = p->rodata_align = p->rw_align = 1;
	for (uint8_t seg = SEG_TEXT; seg <= SEG_BSS; seg++) {
		if (seg == SEG_RODATA) {
			p->text_size = off;
			for (unsigned i = 0; i < p->nitems; i++)
				if (p->items[i].seg == seg && p->items[i].align > p->rodata_align)
					p->rodata_align = p->items[i].align;
			off = align_up(off, p->rodata_align);
			p->rodata_off = off;
		}
		if (seg == SEG_DATA) {
			p->ro_size = off;
			p->rodata_size = off - p->rodata_off;
			/* Joined, the data follows the rodata in the same block. */
			if (p->joined)
				p->ro_size = 0;
			else
				off = 0;
		}
		for (unsigned i = 0; i < p->nitems; i++) {
			struct item *it = &p->items[i];
			if (it->seg != seg || it->arr)
				continue;
			off = align_up(off, it->align);
			it->off = off;
			off += it->size;
			if (seg == SEG_TEXT && it->align > p->text_align)
				p->text_align = it->align;
			if ((seg >= SEG_DATA || p->joined) && it->align > p->rw_align)
				p->rw_align = it->align;
		}
		if (seg == SEG_DATA)
			off = layout_arrays(p, off);
	}
	p->rw_size = off;
	/* An entry names an offset inside its block: the end of an array that ends the
	 * block would not be one. A zero word of .bss after it makes it one. */
	if (p->arrays_end && p->arrays_end == p->rw_size)
		p->rw_size += p->word;
	p->ro_align = p->text_align > p->rodata_align ? p->text_align : p->rodata_align;
	if (p->ro_align < p->min_align)
		p->ro_align = p->min_align;
	if (p->rw_align < p->min_align)
		p->rw_align = p->min_align;
}

static void free_meta(struct pack *p)
{
	for (unsigned i = 0; i < p->nmeta; i++)
		free(p->meta[i]);
	p->nmeta = 0;
}

static int relocate(struct pack *p, const struct elfmod_source *src, const char *in, int run)
{
	struct elfmod_load_opts o;
	struct elfmod_module m;
	struct elfmod_diag d;
	int rc;

	memset(&o, 0, sizeof(o));
	o.name = in;
	o.mem = &p->mem;
	o.resolve = pack_resolve;
	o.resolve_ctx = p;
	o.machine = p->elf->machine;
	o.place = pack_place;
	o.place_ctx = p;
	o.flags = ELFMOD_LOAD_NO_INIT | ELFMOD_LOAD_NO_PROTECT | ELFMOD_LOAD_ANY_ABI | ELFMOD_LOAD_DROP_SYMBOLS |
		  ELFMOD_LOAD_PRELINK;
	p->run = run;
	rc = elfmod_load(&m, src, &o, &d);
	if (rc) {
		/* An attempt before the last one may fail where another succeeds (a reference
		 * into a GOT placed out of its reach): quietly, unless pack itself refused. */
		if (p->quiet && !p->failed)
			return 1;
		if (!p->failed)
			tool_error(in, rc, &d);
		return -1;
	}
	if (run == RUN_BASE && !p->learning)
		p->got_addr = m.got;
	elfmod_unload(&m);
	return p->failed ? -1 : 0;
}

/* The relocation at a place of the module, for the message that refuses it. */
static const char *reloc_at(const struct pack *p, const struct item *it, uint64_t off, uint64_t *roff)
{
	struct elfmod_shdr s;
	struct elfmod_rel r;
	uint32_t n;

	if (!it->shndx)
		return NULL;
	for (uint32_t i = 1; i < p->elf->shnum; i++) {
		if (elfmod_elf_shdr(p->elf, i, &s) || (s.type != ELFMOD_SHT_REL && s.type != ELFMOD_SHT_RELA) ||
		    s.info != it->shndx || elfmod_elf_rel_count(p->elf, i, &n))
			continue;
		for (uint32_t k = 0; k < n; k++)
			if (!elfmod_elf_rel(p->elf, i, k, &r) && r.offset + 8 > off && r.offset < off + p->word) {
				*roff = r.offset;
				return elfmod_reloc_name(p->elf->machine, r.type);
			}
	}
	return NULL;
}

static uint64_t getw(const uint8_t *b, uint64_t word, int be)
{
	uint64_t v = 0;
	for (uint64_t i = 0; i < word; i++)
		v |= (uint64_t)b[be ? word - 1 - i : i] << (8 * i);
	return v;
}

static void putw(uint8_t *b, uint64_t v, uint64_t word, int be)
{
	for (uint64_t i = 0; i < word; i++)
		b[be ? word - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* One fix-up: its block (0 RO, 1 RW), its byte offset there (idx), and what it adds:
 * 0 the RO base, 1 the RW base, 2 + k import k. */
struct fixup {
	uint8_t loc;
	uint32_t idx;
	uint32_t target;
};

static const struct item *item_at(const struct pack *p, int rw, uint64_t off)
{
	for (unsigned i = 0; i < p->nitems; i++) {
		const struct item *it = &p->items[i];
		if (in_ro(p, it->seg) == !rw && off >= it->off && off < it->off + it->size)
			return it;
	}
	return NULL;
}

/* What the word at b adds in run r; or -1. */
static int64_t classify(const struct pack *p, uint8_t **img, uint64_t off, uint64_t *v0)
{
	uint64_t v[NRUNS], d[NRUNS], mask = p->word == 8 ? ~0ull : 0xffffffffull, q;
	int be = p->elf->big_endian;

	for (int r = 0; r < NRUNS; r++) {
		v[r] = getw(img[r] + off, p->word, be);
		d[r] = (v[r] - v[RUN_BASE]) & mask;
	}
	*v0 = v[RUN_BASE];
	if (d[RUN_RO1] == ro_at(p, RUN_RO1) - ro_at(p, 0) && d[RUN_RO2] == ro_at(p, RUN_RO2) - ro_at(p, 0) &&
	    !d[RUN_RW1] && !d[RUN_RW2] && !d[RUN_IMP1] && !d[RUN_IMP2])
		return 0;
	if (d[RUN_RW1] == rw_at(p, RUN_RW1) - rw_at(p, 0) && d[RUN_RW2] == rw_at(p, RUN_RW2) - rw_at(p, 0) &&
	    !d[RUN_RO1] && !d[RUN_RO2] && !d[RUN_IMP1] && !d[RUN_IMP2])
		return 1;
	q = d[RUN_IMP1] / imp_delta[RUN_IMP1];
	if (!d[RUN_RO1] && !d[RUN_RO2] && !d[RUN_RW1] && !d[RUN_RW2] && d[RUN_IMP1] % imp_delta[RUN_IMP1] == 0 &&
	    (q & 1) && q / 2 < p->nimports && d[RUN_IMP2] == q * imp_delta[RUN_IMP2])
		return 2 + (int64_t)(q / 2);
	return -1;
}

static uint64_t target_value(const struct pack *p, int run, uint32_t target)
{
	return target == 0	 ? ro_at(p, run)
	       : target == 1 ? rw_at(p, run)
			     : imp_addr((unsigned)run, target - 2, p->word);
}

static int refuse(const struct pack *p, int rw, uint64_t off, const char *in)
{
	const struct item *it = item_at(p, rw, off);
	uint64_t roff = 0;
	const char *rel = it ? reloc_at(p, it, off - it->off, &roff) : NULL;

	if (p->quiet)
		return 1;

	fprintf(stderr, "elfmod pack: %s: %s+0x%llx", in, it ? it->name : "?",
		(unsigned long long)(it ? off - it->off : off));
	if (rel)
		fprintf(stderr, " (%s at 0x%llx)", rel, (unsigned long long)roff);
	if (p->joined)
		fprintf(stderr, " is not a word fix-up: an instruction field holding an address, which a "
				"word write cannot express; build the module with -fPIC%s\n",
			p->elf->machine == ELFMOD_EM_ARM ? " and -mword-relocations (no MOVW/MOVT pairs)" : "");
	else
		fprintf(stderr, " is not a word fix-up: an instruction field or a PC-relative reference "
				"from one block (text+rodata, data+bss) to the other, which a word write "
				"cannot express; build the module with -fPIC and reach data through "
				"non-static globals (the GOT), or pack it without --split%s\n",
			p->elf->machine == ELFMOD_EM_ARM ? ", and -mword-relocations (no MOVW/MOVT pairs)" : "");
	return -1;
}

/* Finds the fix-ups of one block (a word at any byte offset that moves exactly with one
 * thing); every byte that changed must lie in one. Fills `out` with the base-0 image. */
static int compare(struct pack *p, int rw, struct fixup **fx, size_t *nfx, uint8_t *out, const char *in)
{
	uint64_t size = rw ? p->rw_size : p->ro_size, covered = 0, v0;
	uint8_t **img = rw ? p->rw : p->ro;
	int be = p->elf->big_endian;
	size_t first = *nfx;

	memcpy(out, img[RUN_BASE], size);
	for (uint64_t off = 0; off < size; off++) {
		int changed = 0;
		int64_t t;

		for (int r = 1; r < NRUNS; r++)
			changed |= img[r][off] != img[RUN_BASE][off];
		if (off + p->word <= size && off >= covered) {
			for (uint64_t k = 1; !changed && k < p->word; k++)
				for (int r = 1; r < NRUNS; r++)
					changed |= img[r][off + k] != img[RUN_BASE][off + k];
			if (!changed)
				continue;
			t = classify(p, img, off, &v0);
			if (t >= 0) {
				if (*nfx % 1024 == 0) {
					struct fixup *n = realloc(*fx, (*nfx + 1024) * sizeof(**fx));
					if (!n)
						return -1;
					*fx = n;
				}
				(*fx)[(*nfx)++] = (struct fixup){ (uint8_t)rw, (uint32_t)off, (uint32_t)t };
				putw(out + off, v0 - target_value(p, RUN_BASE, (uint32_t)t), p->word, be);
				covered = off + p->word;
				continue;
			}
			changed = 0;
			for (int r = 1; r < NRUNS; r++)
				changed |= img[r][off] != img[RUN_BASE][off];
		}
		if (changed && off >= covered)
			return refuse(p, rw, off, in);
	}
	/* Every run is the base-0 image plus its fix-ups, byte for byte. */
	for (int r = 0; r < NRUNS; r++) {
		uint8_t *chk = malloc((size_t)size + 1);
		int bad;

		if (!chk)
			return -1;
		memcpy(chk, out, size);
		for (size_t i = first; i < *nfx; i++) {
			uint8_t *w = chk + (*fx)[i].idx;
			putw(w, getw(w, p->word, be) + target_value(p, r, (*fx)[i].target), p->word, be);
		}
		bad = memcmp(chk, img[r], size) != 0;
		free(chk);
		if (bad) {
			fprintf(stderr, "elfmod pack: %s: the fix-ups found do not reproduce a relocation\n", in);
			return -1;
		}
	}
	return 0;
}

struct buf {
	uint8_t *b;
	size_t n, cap;
};

static int put(struct buf *o, const void *d, size_t n)
{
	if (!n)
		return 0;
	if (o->n + n > o->cap) {
		size_t cap = (o->cap + n) * 2;
		uint8_t *b = realloc(o->b, cap);
		if (!b)
			return -1;
		o->b = b;
		o->cap = cap;
	}
	memcpy(o->b + o->n, d, n);
	o->n += n;
	return 0;
}

static int put32(struct buf *o, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	return put(o, b, 4);
}

static int cmp_fix(const void *a, const void *b)
{
	const struct fixup *x = a, *y = b;
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	if (x->loc != y->loc)
		return x->loc < y->loc ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The group of fix-ups fx[0..n) (same target and block, ascending) as RELR-style
 * entries: a byte offset, then bitmaps of the 31 words that follow at word stride. */
static int put_group(struct pack *p, struct buf *o, const struct fixup *fx, size_t n)
{
	uint32_t w = (uint32_t)p->word;

	uint32_t ent[1 + 1 + 2 * 1024];
	size_t i = 0;

	while (i < n) {
		uint32_t ne = 0, next;
		size_t at = 0;

		ent[at++] = 0;
		if (fx[i].target >= 2 && p->table)
			ent[at++] = (uint32_t)(tool_xtable_find(p->table, p->imports[fx[i].target - 2]) - p->table->e);
		else if (fx[i].target >= 2)
			ent[at++] = elfmod_hash(p->imports[fx[i].target - 2]);
		while (i < n && ne < 2048) {
			uint32_t bits = 0;
			ent[at++] = fx[i].idx << 1;
			next = fx[i].idx + w;
			i++;
			ne++;
			while (i < n && ne < 2048) {
				bits = 0;
				while (i < n && (fx[i].idx - next) % w == 0 && (fx[i].idx - next) / w < 31) {
					bits |= 1u << (fx[i].idx - next) / w;
					i++;
				}
				if (!bits)
					break;
				ent[at++] = bits << 1 | 1;
				ne++;
				next += 31 * w;
			}
		}
		ent[0] = ne << 8 | (uint32_t)fx[i - 1].loc << 2 |
			 (fx[i - 1].target >= 2 ? (p->table ? 3 : 2) : fx[i - 1].target);
		for (size_t k = 0; k < at; k++)
			if (put32(o, ent[k]))
				return -1;
	}
	return 0;
}

/* A shared object's code that would have to run at load: refused (the tiny loader
 * runs none). Link such modules with -nostartfiles. */
static int dyn_check(const struct elfmod_elf *elf, const char *in)
{
	struct elfmod_shdr s;
	char buf[64];
	const char *name;

	for (uint32_t i = 1; i < elf->shnum; i++) {
		if (elfmod_elf_shdr(elf, i, &s) || !s.size || !(s.flags & ELFMOD_SHF_ALLOC))
			continue;
		name = tool_section_name(elf, i, buf, sizeof(buf));
		if (s.type == ELFMOD_SHT_INIT_ARRAY || s.type == ELFMOD_SHT_FINI_ARRAY ||
		    s.type == ELFMOD_SHT_PREINIT_ARRAY || (name && (!strcmp(name, ".init") || !strcmp(name, ".fini")))) {
			fprintf(stderr, "elfmod pack: %s: %s: code run at load or unload is not run by the tiny "
					"loader (link with -nostartfiles)\n",
				in, name ? name : "section");
			return -1;
		}
	}
	return 0;
}

/* Where a shared object's image starts: its lowest PT_LOAD address, aligned down to the
 * largest p_align, as the core places it. */
static int dyn_base(const struct elfmod_elf *elf, uint64_t *lo)
{
	struct elfmod_phdr ph;
	uint64_t align = 1;

	*lo = UINT64_MAX;
	for (uint32_t i = 0; i < elf->phnum; i++) {
		if (elfmod_elf_phdr(elf, i, &ph))
			return -1;
		if (ph.type != ELFMOD_PT_LOAD || !ph.memsz)
			continue;
		if (ph.align > align)
			align = ph.align;
		if (ph.vaddr < *lo)
			*lo = ph.vaddr;
	}
	if (*lo == UINT64_MAX)
		return -1;
	*lo &= ~(align - 1);
	return 0;
}

/* The bytes of the section named `want` (malloc'd, *size bytes), or NULL with *size 0
 * when there is none; -1 when it cannot be read. */
static int section_bytes(const struct elfmod_elf *elf, const struct elfmod_source *src, const char *want,
			 uint8_t **out, uint64_t *size)
{
	struct elfmod_shdr s;
	char buf[32];
	const char *name;

	*out = NULL;
	*size = 0;
	for (uint32_t i = 1; i < elf->shnum; i++) {
		if (elfmod_elf_shdr(elf, i, &s) || s.type != ELFMOD_SHT_PROGBITS)
			continue;
		name = tool_section_name(elf, i, buf, sizeof(buf));
		if (!name || strcmp(name, want))
			continue;
		/* elfmod_elf_open checked the section against the file size. */
		if (s.size > (1u << 20) || !(*out = malloc(s.size ? (size_t)s.size : 1)))
			return -1;
		if (src->data)
			memcpy(*out, (const uint8_t *)src->data + s.offset, (size_t)s.size);
		else if (s.size && src->read(src->ctx, s.offset, *out, (size_t)s.size))
			return -1;
		*size = s.size;
		return 0;
	}
	return 0;
}

/* Is `name` listed in the module's export marks (NUL-terminated names)? */
static int marked(const uint8_t *marks, uint64_t size, const char *name)
{
	size_t n = strlen(name);

	for (uint64_t off = 0; off < size;) {
		const uint8_t *end = memchr(marks + off, 0, (size_t)(size - off));
		uint64_t len = end ? (uint64_t)(end - (marks + off)) : size - off;
		if (len == n && !memcmp(marks + off, name, n))
			return 1;
		off += len + 1;
	}
	return 0;
}

/* The one export table of a firmware (its ELF file, which compiled the exports.c of
 * `elfmod exports`, or that exports.c): imports are then named by their position in it. */
static int load_table(const char *path, uint16_t machine, struct tool_xtable *out)
{
	struct tool_xtable *tabs = NULL;
	struct tool_target t;
	size_t ntabs = 0, len = 0, n = 0;
	uint8_t *buf = NULL;
	char *lst = NULL;
	int have = 0, ret = -1;
	unsigned mode;

	if (tool_read_file(path, &buf, &len, &mode)) {
		fprintf(stderr, "elfmod pack: %s: cannot read\n", path);
		return -1;
	}
	if (len >= 4 && !memcmp(buf, "\177ELF", 4)) {
		struct elfmod_source src = { .data = buf, .size = len };
		struct elfmod_elf elf;
		struct elfmod_diag d;
		int rc = elfmod_elf_open(&elf, &src, &d);
		if (rc) {
			tool_error(path, rc, &d);
			goto out;
		}
		if (tool_firmware_listing(&elf, path, &tabs, &ntabs, &t, &have))
			goto out;
	} else if (tool_listing_from_c((const char *)buf, len, path, &lst, &n) ||
		   tool_listing_parse(lst, n, path, &tabs, &ntabs, &t, &have)) {
		goto out;
	}
	if (ntabs != 1) {
		fprintf(stderr, "elfmod pack: %s: %s\n", path,
			ntabs ? "several export tables: imports are named by position in one"
			      : "no export table listing (build the exports.c of `elfmod exports` into it)");
		goto out;
	}
	if (!tabs[0].fingerprint) {
		fprintf(stderr, "elfmod pack: %s: table %s has no fingerprint\n", path, tabs[0].name);
		goto out;
	}
	if (have && t.machine != machine) {
		fprintf(stderr, "elfmod pack: %s: a table for machine %u, the module is for %u\n", path, t.machine,
			machine);
		goto out;
	}
	*out = tabs[0];
	ntabs = 0;
	ret = 0;
out:
	for (size_t i = 0; i < ntabs; i++)
		tool_xtable_free(&tabs[i]);
	free(tabs);
	free(lst);
	free(buf);
	return ret;
}

static int pack_usage(void)
{
	fprintf(stderr, "usage: elfmod pack MODULE [--split] [--exports FIRMWARE.elf|exports.c] [--fingerprint HEX]\n"
			"                   [--state SIZE] -o OUT.emod\n");
	return 2;
}

int cmd_pack(int argc, char **argv)
{
	static struct pack p;
	const char *in = NULL, *out = NULL, *exports = NULL;
	struct tool_xtable table = { 0 };
	uint64_t fingerprint = 0, state = 0;
	struct elfmod_posix_file f;
	struct elfmod_elf elf;
	struct elfmod_diag d;
	struct fixup *fx = NULL;
	size_t nfx = 0, nro_fix = 0;
	uint8_t *img0[2] = { NULL, NULL };
	struct buf o = { NULL, 0, 0 }, rel = { NULL, 0, 0 }, ent = { NULL, 0, 0 };
	uint32_t nent = 0, h = 2166136261u;
	uint64_t data_size, abi_size = 0, marks_size = 0;
	uint8_t *abi = NULL, *marks = NULL;
	int rc = 1, rw_used, rw_entry = 0, cr, attempt, last, split = 0;

	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if ((!strcmp(argv[i], "--fingerprint") || !strcmp(argv[i], "--state")) && i + 1 < argc) {
			int fp = argv[i][2] == 'f';
			uint64_t *v = fp ? &fingerprint : &state;
			i++;
			errno = 0;
			*v = strtoull(argv[i], &end, fp ? 16 : 0);
			if (errno || *end || end == argv[i] || state > 0xffffffffu)
				return pack_usage();
		} else if (!strcmp(argv[i], "--exports") && i + 1 < argc && !exports) {
			exports = argv[++i];
		} else if (!strcmp(argv[i], "--split")) {
			split = 1;
		} else if (argv[i][0] != '-' && !in) {
			in = argv[i];
		} else {
			return pack_usage();
		}
	}
	if (!in || !out)
		return pack_usage();
	memset(&p, 0, sizeof(p));
	if (tool_elf_open(in, &f, &elf, &d))
		return 1;
	rc = 1;
	if (elf.type != ELFMOD_ET_REL && elf.type != ELFMOD_ET_DYN) {
		fprintf(stderr, "elfmod pack: %s: only relocatable modules and shared objects are packed\n", in);
		goto done;
	}
	if (elf.type == ELFMOD_ET_DYN && dyn_check(&elf, in))
		goto done;
	/* The export set the module recorded (ELFMOD_MODULE_ABI): 8 bytes, little-endian. */
	if (section_bytes(&elf, &f.src, ".elfmod.abi", &abi, &abi_size)) {
		fprintf(stderr, "elfmod pack: %s: cannot read .elfmod.abi\n", in);
		goto done;
	}
	if (abi && abi_size != 8) {
		fprintf(stderr, "elfmod pack: %s: .elfmod.abi holds %llu bytes, not 8\n", in,
			(unsigned long long)abi_size);
		goto done;
	}
	if (abi) {
		uint64_t rec = 0;
		for (int k = 7; k >= 0; k--)
			rec = rec << 8 | abi[k];
		if (fingerprint && fingerprint != rec) {
			fprintf(stderr, "elfmod pack: %s: --fingerprint %016llx, but the module was built "
					"against %016llx\n",
				in, (unsigned long long)fingerprint, (unsigned long long)rec);
			goto done;
		}
		fingerprint = rec;
	}
	if (exports) {
		if (load_table(exports, elf.machine, &table))
			goto done;
		if (fingerprint && fingerprint != table.fingerprint) {
			fprintf(stderr, "elfmod pack: %s: %s %016llx, but %s's table %s has %016llx\n", in,
				abi ? "built against" : "--fingerprint", (unsigned long long)fingerprint, exports,
				table.name, (unsigned long long)table.fingerprint);
			goto done;
		}
		fingerprint = table.fingerprint;
		p.table = &table;
	}
	if (section_bytes(&elf, &f.src, ".elfmod.exports", &marks, &marks_size)) {
		fprintf(stderr, "elfmod pack: %s: cannot read .elfmod.exports\n", in);
		goto done;
	}
	p.elf = &elf;
	p.word = elf.cls == 64 ? 8 : 4;
	p.mem.alloc = pack_alloc;
	p.mem.free = pack_free;
	p.mem.ctx = &p;
	/* First with the GOT in the RW block: code that reaches it through a base register
	 * (ARM -msingle-pic-base) then needs no fix-up and runs in place. Code that reaches
	 * it PC-relatively is refused that way, and packed with the GOT in the RO block. */
	attempt = elf.type == ELFMOD_ET_REL ? 0 : 3;
	last = elf.type == ELFMOD_ET_REL && !split ? 8 : 5;
	p.in = in;
	/* Attempts, all but the last quiet: GOT in RW (ET_REL only) or in RO, each with the
	 * blocks aligned as their sections ask, then to 4 KiB pages (code whose PC-relative
	 * references count in pages, as AArch64 ADRP, moves only by pages), then to 64 KiB
	 * (MIPS reaches local data through GOT entries of 64 KiB pages plus a low part).
	 * Then, unless --split, the same three joined: code that reaches its data
	 * PC-relatively keeps it at a fixed distance, everything in the RW block. */
retry:
	p.got_rw = attempt < 3;
	p.joined = attempt >= 6;
	p.min_align = attempt % 3 == 0 ? 1 : attempt % 3 == 1 ? 4096 : 65536;
	p.quiet = attempt < last;
	p.learning = 1;
	cr = relocate(&p, &f.src, in, RUN_BASE);
	if (cr)
		goto attempted;
	free_meta(&p);
	p.learning = 0;
	layout(&p);
	if (p.ro_size > 0x7fffffff || p.rw_size > 0x7fffffff) {
		fprintf(stderr, "elfmod pack: %s: a block above 2 GiB\n", in);
		goto done;
	}
	for (int r = 0; r < NRUNS; r++) {
		p.ro[r] = calloc(1, (size_t)p.ro_size + 1);
		p.rw[r] = calloc(1, (size_t)p.rw_size + 1);
		cr = !p.ro[r] || !p.rw[r] ? -1 : relocate(&p, &f.src, in, r);
		if (cr)
			goto attempted;
	}
	/* elfmod's own data: SHN_COMMON symbols (zero) and the __dso_handle word, which on a
	 * native load holds a host pointer to the module's bookkeeping. Nothing relocates
	 * into it; packed, it is all zero (as when relocating for another machine). */
	for (unsigned i = 0; i < p.nitems; i++)
		if (!p.items[i].shndx && p.items[i].kind == ELFMOD_KIND_DATA)
			for (int r = 0; r < NRUNS; r++)
				memset(p.rw[r] + p.items[i].off, 0, (size_t)p.items[i].size);
	img0[0] = malloc((size_t)p.ro_size + 1);
	img0[1] = malloc((size_t)p.rw_size + 1);
	if (!img0[0] || !img0[1])
		goto done;
	cr = compare(&p, 0, &fx, &nfx, img0[0], in);
	nro_fix = nfx;
	if (!cr)
		cr = compare(&p, 1, &fx, &nfx, img0[1], in);
attempted:
	if (cr > 0 && attempt < last) {
		/* Refused quietly: the next way. */
		free_meta(&p);
		for (int r = 0; r < NRUNS; r++) {
			free(p.ro[r]);
			free(p.rw[r]);
			p.ro[r] = p.rw[r] = NULL;
		}
		for (unsigned i = 0; i < p.nitems; i++)
			free(p.items[i].name);
		for (unsigned i = 0; i < p.nimports; i++)
			free(p.imports[i]);
		p.nitems = p.nimports = 0;
		p.got_addr = 0;
		free(img0[0]);
		free(img0[1]);
		img0[0] = img0[1] = NULL;
		nfx = 0;
		attempt++;
		goto retry;
	}
	if (cr)
		goto done;
	/* .bss: the zero tail of the RW block no fix-up touches. */
	data_size = p.rw_size;
	while (data_size && !img0[1][data_size - 1])
		data_size--;
	if (nfx > nro_fix && fx[nfx - 1].idx + p.word > data_size)
		data_size = fx[nfx - 1].idx + p.word;
	/* Code reaches the RW block only through fix-ups (a PC-relative reference into it
	 * was refused above): without any, and without an entry in it, the block is
	 * unreachable - elfmod's own data word (__dso_handle) alone - and left out. */
	rw_used = 0;
	for (size_t i = 0; i < nfx; i++)
		rw_used |= fx[i].loc == 1 || fx[i].target == 1;
	for (unsigned i = 0; p.table && i < p.nimports; i++)
		if (!tool_xtable_find(p.table, p.imports[i])) {
			fprintf(stderr, "elfmod pack: %s: imports '%s', which %s's table %s does not export\n", in,
				p.imports[i], exports, table.name);
			goto done;
		}
	for (unsigned i = 0; !p.table && i < p.nimports; i++)
		for (unsigned k = 0; k < i; k++)
			if (elfmod_hash(p.imports[i]) == elfmod_hash(p.imports[k])) {
				fprintf(stderr, "elfmod pack: %s: imports %s and %s have the same hash\n", in,
					p.imports[i], p.imports[k]);
				goto done;
			}
	if (nfx)
		qsort(fx, nfx, sizeof(*fx), cmp_fix);
	for (size_t i = 0, j; i < nfx; i = j) {
		for (j = i; j < nfx && fx[j].target == fx[i].target && fx[j].loc == fx[i].loc; j++)
			;
		if (put_group(&p, &rel, fx + i, j - i))
			goto done;
	}
	/* Entries: every global definition of the module, by where it landed in the base run. */
	if (elf.type == ELFMOD_ET_DYN ? elf.dynsym != 0 : elf.symtab != 0) {
		uint32_t tab = elf.type == ELFMOD_ET_DYN ? elf.dynsym : elf.symtab, n;
		uint64_t lo = 0;
		struct elfmod_sym s;
		struct elfmod_shdr sh;
		char name[ELFMOD_CFG_MAX_NAME];
		const char *nm;

		if (elfmod_elf_sym_count(&elf, tab, &n) || elfmod_elf_shdr(&elf, tab, &sh) ||
		    (elf.type == ELFMOD_ET_DYN && dyn_base(&elf, &lo)))
			goto done;
		for (uint32_t i = 1; i < n; i++) {
			const struct item *it = NULL;
			uint64_t off;
			uint8_t bind;

			if (elfmod_elf_sym(&elf, tab, i, &s))
				goto done;
			bind = ELFMOD_ST_BIND(s.info);
			if ((bind != 1 && bind != 2) || s.shndx == ELFMOD_SHN_UNDEF || s.shndx >= ELFMOD_SHN_LORESERVE)
				continue;
			for (unsigned k = 0; k < p.nitems; k++)
				if (elf.type == ELFMOD_ET_DYN ? p.items[k].shndx == 0 : p.items[k].shndx == s.shndx)
					it = &p.items[k];
			if (!it || elfmod_elf_string(&elf, sh.link, s.name, name, sizeof(name), &nm))
				continue;
			if (elf.type == ELFMOD_ET_DYN && (s.value < lo || s.value - lo >= it->size))
				continue;
			/* A module that marks exports (ELFMOD_MODULE_EXPORT) offers only those. */
			if (marks && !marked(marks, marks_size, nm))
				continue;
			off = it->off + (elf.type == ELFMOD_ET_DYN ? s.value - lo : s.value);
			if (nent == MAX_ENTRIES || off > 0x7fffffff) {
				fprintf(stderr, "elfmod pack: %s: too many entries, or one beyond 2 GiB\n", in);
				goto done;
			}
			rw_entry |= !in_ro(&p, it->seg);
			if (put32(&ent, elfmod_hash(nm)) || put32(&ent, (uint32_t)off | (in_ro(&p, it->seg) ? 0 : 0x80000000u)))
				goto done;
			nent++;
		}
	}
	/* With the GOT in RW, code finds it through a base register the host sets: its
	 * offset is the entry _GLOBAL_OFFSET_TABLE_. */
	if (p.got_rw && p.got_addr) {
		if (nent == MAX_ENTRIES || put32(&ent, elfmod_hash("_GLOBAL_OFFSET_TABLE_")) ||
		    put32(&ent, (uint32_t)(p.got_addr - rw_at(&p, RUN_BASE)) | 0x80000000u))
			goto done;
		nent++;
		rw_entry = 1;
	}
	/* The constructors and destructors: __init_array_start..__init_array_end bound the
	 * pointers the host calls in order after the load, __fini_array_start..
	 * __fini_array_end those it calls in reverse order before it drops the module. */
	for (uint8_t a = 1; a <= 2; a++) {
		uint64_t lo = UINT64_MAX, hi = 0;
		for (unsigned i = 0; i < p.nitems; i++)
			if (p.items[i].arr == a && p.items[i].size) {
				if (p.items[i].off < lo)
					lo = p.items[i].off;
				if (p.items[i].off + p.items[i].size > hi)
					hi = p.items[i].off + p.items[i].size;
			}
		if (!hi)
			continue;
		if (hi >= p.rw_size || nent + 2 > MAX_ENTRIES) {
			fprintf(stderr, "elfmod pack: %s: too many entries\n", in);
			goto done;
		}
		if (put32(&ent, elfmod_hash(a == 1 ? "__init_array_start" : "__fini_array_start")) ||
		    put32(&ent, (uint32_t)lo | 0x80000000u) ||
		    put32(&ent, elfmod_hash(a == 1 ? "__init_array_end" : "__fini_array_end")) ||
		    put32(&ent, (uint32_t)hi | 0x80000000u))
			goto done;
		nent += 2;
		rw_entry = 1;
	}
	if (!rw_used && !rw_entry)
		p.rw_size = data_size = 0;
	{
		uint8_t hdr[64];
		memset(hdr, 0, sizeof(hdr));
		memcpy(hdr, "EMOD", 4);
		hdr[4] = 1;
		hdr[5] = (uint8_t)p.word;
		tool_put(hdr + 6, elf.machine, 2, 0);
		tool_put(hdr + 8, elf.flags, 4, 0);
		hdr[12] = elf.osabi;
		hdr[13] = elf.big_endian;
		hdr[14] = nro_fix != 0;
		hdr[15] = p.joined || elf.type == ELFMOD_ET_DYN; /* code in the RW block */
		tool_put(hdr + 16, fingerprint, 8, 0);
		tool_put(hdr + 24, p.ro_size, 4, 0);
		tool_put(hdr + 28, data_size, 4, 0);
		tool_put(hdr + 32, p.rw_size - data_size, 4, 0);
		tool_put(hdr + 36, rel.n, 4, 0);
		tool_put(hdr + 40, state, 4, 0);
		tool_put(hdr + 44, nent, 4, 0);
		for (int k = 0; k < 4; k++) {
			uint64_t a = k == 0 ? p.ro_align : k == 1 ? p.rw_align : k == 2 ? p.text_align : p.rodata_align;
			while (((uint64_t)1 << hdr[48 + k]) < a)
				hdr[48 + k]++;
		}
		tool_put(hdr + 52, p.text_size, 4, 0);
		tool_put(hdr + 56, p.rodata_size, 4, 0);
		if (put(&o, hdr, sizeof(hdr)) || put(&o, img0[0], (size_t)p.ro_size) ||
		    put(&o, img0[1], (size_t)data_size) || put(&o, rel.b, rel.n) || put(&o, ent.b, ent.n))
			goto done;
		for (size_t i = 0; i < o.n; i++)
			if (i < 60 || i >= 64)
				h = (h ^ o.b[i]) * 16777619u;
		tool_put(o.b + 60, h, 4, 0);
	}
	if (tool_write_file(out, o.b, o.n, 0644))
		goto done;
	if (p.joined)
		printf("%s: %llu bytes: one block (text %llu, rodata, data) %llu, bss %llu, %zu fix-ups in %zu "
		       "bytes, %u imports, %u entries\n",
		       out, (unsigned long long)o.n, (unsigned long long)p.text_size, (unsigned long long)data_size,
		       (unsigned long long)(p.rw_size - data_size), nfx, rel.n, p.nimports, nent);
	else
		printf("%s: %llu bytes: text+rodata %llu, data %llu, bss %llu, %zu fix-ups (%zu read-only) in "
		       "%zu bytes, %u imports, %u entries\n",
		       out, (unsigned long long)o.n, (unsigned long long)p.ro_size, (unsigned long long)data_size,
		       (unsigned long long)(p.rw_size - data_size), nfx, nro_fix, rel.n, p.nimports, nent);
	rc = 0;
done:
	free_meta(&p);
	for (int r = 0; r < NRUNS; r++) {
		free(p.ro[r]);
		free(p.rw[r]);
	}
	for (unsigned i = 0; i < p.nitems; i++)
		free(p.items[i].name);
	for (unsigned i = 0; i < p.nimports; i++)
		free(p.imports[i]);
	free(img0[0]);
	free(img0[1]);
	free(fx);
	free(abi);
	free(marks);
	tool_xtable_free(&table);
	free(o.b);
	free(rel.b);
	free(ent.b);
	elfmod_posix_file_close(&f);
	return rc;
}
