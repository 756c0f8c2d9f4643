/* elfmod link MODULE [--at SECTION=ADDR]... [--defsym NAME=ADDR]... [--base ADDR]
 *                    [--xip FLASH_ADDR] [--entry SYMBOL] -o OUT.elf
 *
 * Relocates a module for its own machine (any machine elfmod has an engine for, on any
 * host) at chosen addresses and writes the result as an ELF executable: every allocated
 * section under its own name at its address, plus the GOT and call stubs elfmod made
 * (.elfmod.got, .elfmod.stubs) and the writable memory it added after the sections
 * (.elfmod.bss: SHN_COMMON symbols, __dso_handle), each also covered by a PT_LOAD.
 * Sections not named with --at are placed by elfmod from --base upwards and reported.
 * This is both the oracle side of the comparison with GNU ld and the way to pre-link a
 * module for a fixed flash address.
 *
 * --xip FLASH_ADDR pre-links for execute in place: OUT.elf stored as it is at FLASH_ADDR
 * runs from there. Every allocated section nothing writes after the link (code, rodata,
 * the GOT - filled here - and the stubs) gets the address FLASH_ADDR + its offset in
 * OUT.elf, so its bytes in the stored file are its memory (elfmod_exec_load with
 * ELFMOD_EXEC_XIP leaves them there); the writable ones (.data, .bss, .elfmod.bss) go
 * to RAM from --base, which --xip therefore needs. A section named with --at keeps that
 * address and is not executed in place. The offsets depend on the number and sizes of
 * the output sections, which only a load tells, so the module is relocated twice: once
 * to learn them, once at the final addresses; the written file is read back to check
 * that every section landed at the offset its address was computed from.
 *
 * --entry SYMBOL sets e_entry to a symbol the module exports, as the executable loader
 * needs an entry point inside an executable segment. */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "tools.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 512

/* tool_elf_write aligns section contents in the file to at most this (tools/elfout.c).
 * --xip makes up the rest with a non-allocated filler section before the one that needs
 * more, up to XIP_ALIGN_MAX. */
#define FILE_ALIGN_MAX 16
#define XIP_ALIGN_MAX 0x10000
#define PAD_NAME ".elfmod.pad"

struct named {
	char *name;
	uint64_t value;
	int used;
};

struct out_sec {
	char *name;
	uint32_t type, shndx;      /* shndx 0: made by elfmod (GOT, stubs, tail of the data) */
	uint64_t flags, addr, size, align;
	uint64_t off;              /* --xip: offset in the output file */
	uint64_t pad;              /* --xip: filler bytes before it (alignment above 16) */
	const void *bytes;
	int given, xip;
};

struct link {
	struct named at[MAX_ITEMS], defs[MAX_ITEMS];
	unsigned nat, ndefs;
	struct out_sec secs[MAX_ITEMS];
	unsigned nsecs;
	void *blocks[MAX_ITEMS];   /* host memory handed out, freed at the end */
	unsigned nblocks;
	uint64_t next;             /* next RAM address for what elfmod places itself */
	const struct elfmod_elf *elf;
	struct elfmod_allocator mem; /* the module keeps a pointer to it until unloaded */
	int failed;
	/* --xip */
	int xip, pass;             /* pass 1 learns the sections, pass 2 uses the plan */
	uint64_t flash, prov;      /* prov: next provisional flash address in pass 1 */
	uint64_t region_align[2];  /* what elfmod asked for its text and rodata regions */
	struct out_sec plan[MAX_ITEMS];
	unsigned nplan;
	uint64_t file_size;
};

static int parse_num(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end || end == s ? -1 : 0;
}

static int parse_kv(const char *arg, struct named *n)
{
	const char *eq = strrchr(arg, '=');

	if (!eq || eq == arg || parse_num(eq + 1, &n->value))
		return -1;
	n->name = strndup(arg, (size_t)(eq - arg));
	n->used = 0;
	return n->name ? 0 : -1;
}

static void *block(struct link *l, uint64_t size)
{
	void *p;

	if (l->nblocks == MAX_ITEMS || size > SIZE_MAX)
		return NULL;
	p = calloc(1, size ? (size_t)size : 1);
	if (p)
		l->blocks[l->nblocks++] = p;
	return p;
}

static void free_blocks(struct link *l)
{
	for (unsigned i = 0; i < l->nblocks; i++)
		free(l->blocks[i]);
	l->nblocks = 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) & ~(a - 1) : v;
}

static struct named *find_at(struct link *l, const char *name)
{
	for (unsigned i = 0; i < l->nat; i++)
		if (!strcmp(l->at[i].name, name))
			return &l->at[i];
	return NULL;
}

/* What --xip puts in flash: allocated, file-backed, never written after the link. */
static int xip_section(const struct link *l, uint32_t shndx)
{
	struct elfmod_shdr s;

	if (!l->xip || elfmod_elf_shdr(l->elf, shndx, &s))
		return 0;
	return (s.flags & ELFMOD_SHF_ALLOC) && !(s.flags & ELFMOD_SHF_WRITE) && s.type != ELFMOD_SHT_NOBITS;
}

static const struct out_sec *plan_find(const struct link *l, uint32_t shndx, const char *name)
{
	for (unsigned i = 0; i < l->nplan; i++)
		if (l->plan[i].shndx == shndx && !strcmp(l->plan[i].name, name))
			return &l->plan[i];
	return NULL;
}

/* A flash address for `size` bytes: provisional in pass 1 (the sizes are not known
 * yet, only reach matters), FLASH_ADDR + the planned file offset in pass 2. */
static int flash_addr(struct link *l, uint32_t shndx, const char *name, uint64_t size, uint64_t align,
		      uint64_t *addr)
{
	const struct out_sec *s;

	if (l->pass == 1) {
		l->prov = align_up(l->prov, align);
		*addr = l->prov;
		l->prov += size;
		return 0;
	}
	s = plan_find(l, shndx, name);
	if (!s || s->size != size) {
		fprintf(stderr, "elfmod link: --xip: %s changed size between the two passes\n", name);
		l->failed = 1;
		return -1;
	}
	*addr = l->flash + s->off;
	return 0;
}

/* Target memory for elfmod's own regions: consecutive addresses from --base, backed by
 * host buffers (with --xip, text and rodata - only stubs and GOT then - in flash);
 * bookkeeping (META) is plain host memory. */
static int link_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	struct link *l = ctx;
	void *p = block(l, size);

	(void)near;
	if (!p)
		return ELFMOD_ENOMEM;
	r->wr = p;
	r->size = size;
	if (r->kind == ELFMOD_KIND_META) {
		r->addr = (uint64_t)(uintptr_t)p;
		return 0;
	}
	if (l->xip && (r->kind == ELFMOD_KIND_TEXT || r->kind == ELFMOD_KIND_RODATA)) {
		l->region_align[r->kind] = align;
		return flash_addr(l, 0, r->kind == ELFMOD_KIND_TEXT ? ".elfmod.stubs" : ".elfmod.got", size,
				  align, &r->addr)
			       ? ELFMOD_ENOMEM
			       : 0;
	}
	l->next = align_up(l->next, align);
	r->addr = l->next;
	l->next += size;
	return 0;
}

static void link_free(void *ctx, struct elfmod_region *r)
{
	(void)ctx;
	(void)r; /* everything is released together at the end */
}

/* A NULL *wr after 0 makes elfmod refuse the placement, so a host out of memory fails
 * the link instead of moving a section the user fixed. */
static int link_place(void *ctx, uint32_t shndx, const char *name, uint64_t size, uint64_t align,
		      uint64_t *addr, void **wr)
{
	struct link *l = ctx;
	struct named *at = find_at(l, name);

	if (at) {
		if (align > 1 && (at->value & (align - 1))) {
			fprintf(stderr, "elfmod: --at %s=0x%llx: section needs %llu-byte alignment\n", name,
				(unsigned long long)at->value, (unsigned long long)align);
			l->failed = 1;
		}
		at->used = 1;
		*addr = at->value;
	} else if (xip_section(l, shndx)) {
		if (flash_addr(l, shndx, name, size, align, addr))
			return -1;
	} else {
		return -1;
	}
	*wr = block(l, size);
	return 0;
}

static void add_sec(struct link *l, const char *name, uint32_t shndx, uint32_t type, uint64_t flags,
		    uint64_t addr, const void *wr, uint64_t size, uint64_t align, int given, int xip)
{
	struct out_sec *s;

	if (l->nsecs == MAX_ITEMS) {
		fprintf(stderr, "elfmod link: more than %d output sections\n", MAX_ITEMS);
		l->failed = 1;
		return;
	}
	s = &l->secs[l->nsecs++];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name)
		l->failed = 1;
	s->shndx = shndx;
	s->type = type;
	s->flags = flags;
	s->addr = addr;
	s->bytes = wr;
	s->size = size;
	s->align = align ? align : 1;
	s->given = given;
	s->xip = xip;
}

static void link_placed(void *ctx, uint32_t shndx, const char *name, uint32_t type, uint64_t flags,
			uint64_t addr, const void *wr, uint64_t size)
{
	struct link *l = ctx;
	struct elfmod_shdr s;
	int given = find_at(l, name) != NULL;

	/* The section header was read when the section was planned: cannot fail now. */
	if (elfmod_elf_shdr(l->elf, shndx, &s))
		s.addralign = 1;
	add_sec(l, name, shndx, type, flags, addr, wr, size, s.addralign, given, !given && xip_section(l, shndx));
}

static int link_resolve(void *ctx, const char *name, uint64_t *addr)
{
	struct link *l = ctx;

	for (unsigned i = 0; i < l->ndefs; i++)
		if (!strcmp(l->defs[i].name, name)) {
			l->defs[i].used = 1;
			*addr = l->defs[i].value;
			return 0;
		}
	return -1;
}

static void link_unresolved(void *ctx, const char *name)
{
	fprintf(stderr, "elfmod: %s: unresolved symbol '%s' (give it with --defsym)\n", (const char *)ctx, name);
}

static int link_usage(void)
{
	fprintf(stderr, "usage: elfmod link MODULE [--at SECTION=ADDR]... [--defsym NAME=ADDR]... "
			"[--base ADDR] [--xip FLASH_ADDR] [--entry SYMBOL] -o OUT.elf\n"
			"  --xip FLASH_ADDR: code and read-only data at FLASH_ADDR + their offset in OUT.elf\n"
			"                    (execute in place from OUT.elf stored at FLASH_ADDR); writable\n"
			"                    data from --base (required) in RAM\n");
	return 2;
}

/* One relocation of the module; on success `m` is loaded and l->secs lists the output. */
static int link_once(struct link *l, const struct elfmod_source *src, const struct elfmod_elf *elf,
		     struct elfmod_module *m, const char *in)
{
	const struct elfmod_region *data = &m->region[ELFMOD_KIND_DATA];
	struct elfmod_load_opts o;
	struct elfmod_diag d;
	uint64_t tail;
	int rc;

	memset(&o, 0, sizeof(o));
	o.name = in;
	o.mem = &l->mem;
	o.resolve = link_resolve;
	o.resolve_ctx = l;
	o.unresolved = link_unresolved;
	o.unresolved_ctx = (void *)in;
	o.machine = elf->machine;
	o.place = link_place;
	o.placed = link_placed;
	o.place_ctx = l;
	o.flags = ELFMOD_LOAD_NO_INIT | ELFMOD_LOAD_NO_PROTECT;
	rc = elfmod_load(m, src, &o, &d);
	if (rc) {
		if (!l->failed)
			tool_error(in, rc, &d);
		return 1;
	}
	if (l->failed)
		goto fail;

	/* What elfmod made itself: the GOT and the stubs, at the ends of their regions.
	 * With --xip every other section is placed by link_place, so the regions hold
	 * exactly these and are where the plan put them. */
	if (m->got) {
		uint64_t off = m->got - m->region[ELFMOD_KIND_RODATA].addr;
		add_sec(l, ".elfmod.got", 0, ELFMOD_SHT_PROGBITS, ELFMOD_SHF_ALLOC, m->got,
			(const uint8_t *)m->region[ELFMOD_KIND_RODATA].wr + off,
			m->region[ELFMOD_KIND_RODATA].size - off,
			l->xip ? l->region_align[ELFMOD_KIND_RODATA] : m->cls / 8, 0, l->xip);
	}
	if (m->stubs) {
		uint64_t off = m->stub_base - m->region[ELFMOD_KIND_TEXT].addr;
		add_sec(l, ".elfmod.stubs", 0, ELFMOD_SHT_PROGBITS, ELFMOD_SHF_ALLOC | ELFMOD_SHF_EXECINSTR,
			m->stub_base, (const uint8_t *)m->region[ELFMOD_KIND_TEXT].wr + off,
			m->region[ELFMOD_KIND_TEXT].size - off, l->xip ? l->region_align[ELFMOD_KIND_TEXT] : 4,
			0, l->xip);
	}
	if (l->xip && ((m->got && m->got != m->region[ELFMOD_KIND_RODATA].addr) ||
		       (m->stubs && m->stub_base != m->region[ELFMOD_KIND_TEXT].addr))) {
		fprintf(stderr, "elfmod link: --xip: GOT or stubs share their region with a section\n");
		goto fail;
	}
	/* The data region ends with what elfmod added after the sections (SHN_COMMON
	 * symbols, __dso_handle): zero-filled memory the image must still reserve. */
	tail = data->addr;
	for (unsigned i = 0; data->size && i < l->nsecs; i++) {
		const struct out_sec *s = &l->secs[i];
		if (s->addr >= data->addr && s->addr - data->addr < data->size && s->addr + s->size > tail)
			tail = s->addr + s->size;
	}
	if (data->size && tail < data->addr + data->size)
		add_sec(l, ".elfmod.bss", 0, ELFMOD_SHT_NOBITS, ELFMOD_SHF_ALLOC | ELFMOD_SHF_WRITE, tail, NULL,
			data->addr + data->size - tail, 1, 0, 0);
	if (l->failed)
		goto fail;
	return 0;
fail:
	elfmod_unload(m);
	return 1;
}

static uint64_t file_align(const struct out_sec *s)
{
	return s->align > FILE_ALIGN_MAX ? FILE_ALIGN_MAX : s->align;
}

/* The file offsets tool_elf_write (tools/elfout.c) gives the sections: ELF header, one
 * program header per allocated section, the contents in order (each aligned to at most
 * FILE_ALIGN_MAX), the section names, the section headers. An XIP section that needs
 * more alignment than that gets a filler before it that brings FLASH_ADDR + its offset
 * to its alignment. Returns the file size. The written file is read back and compared
 * (check_written), so a change over there is caught rather than silently breaking XIP. */
static uint64_t file_layout(struct out_sec *secs, unsigned n, int cls, uint64_t flash)
{
	uint64_t ehsize = cls == 64 ? 64 : 52, phent = cls == 64 ? 56 : 32, shent = cls == 64 ? 64 : 40;
	uint64_t nload = 0, nsh = n + 2, names = 1 + sizeof(".shstrtab"), off;

	for (unsigned i = 0; i < n; i++) {
		if (secs[i].flags & ELFMOD_SHF_ALLOC)
			nload++;
		names += strlen(secs[i].name) + 1;
	}
	off = ehsize + nload * phent;
	for (unsigned i = 0; i < n; i++) {
		secs[i].pad = 0;
		if (secs[i].xip && secs[i].align > FILE_ALIGN_MAX) {
			secs[i].pad = align_up(flash + off, secs[i].align) - flash - off;
			if (secs[i].pad) {
				off += secs[i].pad;
				names += sizeof(PAD_NAME);
				nsh++;
			}
		}
		off = align_up(off, file_align(&secs[i]));
		secs[i].off = off;
		if (secs[i].type != ELFMOD_SHT_NOBITS)
			off += secs[i].size;
	}
	off = align_up(off + names, 8);
	return off + nsh * shent;
}

/* Pass 1's sections become the plan, with the file offsets their flash addresses come
 * from; refused when FLASH_ADDR is not aligned as the file can align a section. */
static int make_plan(struct link *l, int cls)
{
	int ok = 1;

	for (unsigned i = 0; i < l->nsecs; i++) {
		const struct out_sec *s = &l->secs[i];
		l->plan[i] = *s;
		l->plan[i].bytes = NULL;
		if (!s->xip)
			continue;
		if (s->align > XIP_ALIGN_MAX) {
			fprintf(stderr, "elfmod link: --xip: %s needs %llu-byte alignment, more than %d\n", s->name,
				(unsigned long long)s->align, XIP_ALIGN_MAX);
			ok = 0;
		} else if (l->flash & (file_align(s) - 1)) {
			fprintf(stderr, "elfmod link: --xip 0x%llx: %s needs %llu-byte alignment: give a flash "
					"address aligned to %llu\n",
				(unsigned long long)l->flash, s->name, (unsigned long long)s->align,
				(unsigned long long)file_align(s));
			ok = 0;
		}
	}
	l->nplan = l->nsecs;
	l->nsecs = 0;
	if (!ok)
		return -1;
	l->file_size = file_layout(l->plan, l->nplan, cls, l->flash);
	if (l->file_size - 1 > (cls == 64 ? UINT64_MAX : UINT32_MAX) - l->flash) {
		fprintf(stderr, "elfmod link: --xip 0x%llx: the %llu-byte image would end beyond the address space\n",
			(unsigned long long)l->flash, (unsigned long long)l->file_size);
		return -1;
	}
	return 0;
}

/* Pass 2 must have produced the sections pass 1 did; then they take the planned
 * offsets. Nothing placed in RAM may lie inside the flash image. */
static int check_plan(struct link *l)
{
	uint64_t lo = l->flash, hi = l->flash + l->file_size;

	if (l->nsecs != l->nplan) {
		fprintf(stderr, "elfmod link: --xip: the second pass made %u sections, the first %u\n", l->nsecs,
			l->nplan);
		return -1;
	}
	for (unsigned i = 0; i < l->nsecs; i++) {
		struct out_sec *s = &l->secs[i];
		const struct out_sec *p = &l->plan[i];
		if (strcmp(s->name, p->name) || s->shndx != p->shndx || s->size != p->size || s->type != p->type ||
		    s->xip != p->xip) {
			fprintf(stderr, "elfmod link: --xip: %s changed between the two passes\n", s->name);
			return -1;
		}
		s->off = p->off;
		s->pad = p->pad;
		if (s->xip && s->addr != l->flash + s->off) {
			fprintf(stderr, "elfmod link: --xip: %s not at its planned flash address\n", s->name);
			return -1;
		}
		if (!s->xip && (s->flags & ELFMOD_SHF_ALLOC) && s->size && s->addr < hi &&
		    (s->addr >= lo || lo - s->addr < s->size)) {
			fprintf(stderr, "elfmod link: --xip 0x%llx: %s at 0x%llx (%s) overlaps the image in "
					"flash [0x%llx, 0x%llx): move --base or --at\n",
				(unsigned long long)l->flash, s->name, (unsigned long long)s->addr,
				s->given ? "--at" : "--base", (unsigned long long)lo, (unsigned long long)hi);
			return -1;
		}
	}
	return 0;
}

static int set_entry(const char *path, const struct tool_elf_out *w, uint64_t entry)
{
	int aw = w->cls == 64 ? 8 : 4, rc = -1;
	uint8_t b[8];
	FILE *fp;

	for (int i = 0; i < aw; i++)
		b[w->big_endian ? aw - 1 - i : i] = (uint8_t)(entry >> (8 * i));
	fp = fopen(path, "r+b");
	if (!fp)
		return -1;
	if (fseek(fp, 24, SEEK_SET) == 0 && fwrite(b, 1, (size_t)aw, fp) == (size_t)aw) /* e_entry */
		rc = 0;
	if (fclose(fp))
		rc = -1;
	return rc;
}

/* The file as written: every section at the offset the plan gave it, XIP sections at
 * FLASH_ADDR + that offset, and no bigger than planned. */
static int check_written(const struct link *l, const char *out)
{
	struct elfmod_posix_file f;
	struct elfmod_elf elf;
	struct elfmod_diag d;
	struct elfmod_shdr s;
	int ok = 0;

	if (elfmod_posix_file_open(&f, out, 0))
		return -1;
	if (f.src.size == l->file_size && elfmod_elf_open(&elf, &f.src, &d) == 0) {
		uint32_t k = 1;
		ok = 1;
		for (unsigned i = 0; ok && i < l->nsecs; i++) {
			const struct out_sec *o = &l->secs[i];
			if (o->pad)
				ok = elfmod_elf_shdr(&elf, k++, &s) == 0 && !(s.flags & ELFMOD_SHF_ALLOC) &&
				     s.size == o->pad;
			ok = ok && elfmod_elf_shdr(&elf, k++, &s) == 0 && s.offset == o->off &&
			     (!o->xip || s.addr == l->flash + s.offset);
		}
		ok = ok && k + 1 == elf.shnum;
	}
	elfmod_posix_file_close(&f);
	return ok ? 0 : -1;
}

int cmd_link(int argc, char **argv)
{
	static struct link l;
	const char *in = NULL, *out = NULL, *entry = NULL;
	struct elfmod_posix_file f;
	struct elfmod_module m;
	struct elfmod_elf elf;
	struct elfmod_diag d;
	static struct tool_elf_out w;
	uint64_t base = 0, entry_addr = 0;
	int have_base = 0, ret = 1, loaded = 0;

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		if (!strcmp(opt, "--at") && i + 1 < argc && l.nat < MAX_ITEMS) {
			if (parse_kv(argv[++i], &l.at[l.nat]))
				return link_usage();
			if (find_at(&l, l.at[l.nat].name)) {
				fprintf(stderr, "elfmod link: --at %s given twice\n", l.at[l.nat].name);
				free(l.at[l.nat].name);
				return 2;
			}
			l.nat++;
		} else if (!strcmp(opt, "--defsym") && i + 1 < argc && l.ndefs < MAX_ITEMS) {
			if (parse_kv(argv[++i], &l.defs[l.ndefs++]))
				return link_usage();
		} else if ((!strcmp(opt, "--base") || !strcmp(opt, "--xip") || !strcmp(opt, "--entry")) &&
			   i + 1 < argc) {
			int twice = opt[2] == 'b' ? have_base : opt[2] == 'x' ? l.xip : entry != NULL;
			if (twice) {
				fprintf(stderr, "elfmod link: %s given twice\n", opt);
				return 2;
			}
			if (opt[2] == 'e') {
				entry = argv[++i];
			} else if (parse_num(argv[++i], opt[2] == 'b' ? &base : &l.flash)) {
				return link_usage();
			} else if (opt[2] == 'b') {
				have_base = 1;
			} else {
				l.xip = 1;
			}
		} else if (!strcmp(opt, "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (opt[0] != '-' && !in) {
			in = opt;
		} else {
			return link_usage();
		}
	}
	if (!in || !out)
		return link_usage();
	/* The flash image holds no writable memory, so the RAM has to be named. */
	if (l.xip && !have_base) {
		fprintf(stderr, "elfmod link: --xip needs --base RAM_ADDR for the writable sections\n");
		return 2;
	}

	/* elfmod's own regions go above everything given, unless told otherwise. */
	if (!have_base) {
		base = 0x1000;
		for (unsigned i = 0; i < l.nat; i++)
			if (l.at[i].value + 0x10000 > base)
				base = l.at[i].value + 0x10000;
		base = (base + 0xfff) & ~0xfffull;
	}
	l.next = base;

	if (tool_elf_open(in, &f, &elf, &d))
		return 1;
	l.elf = &elf;
	l.mem.alloc = link_alloc;
	l.mem.free = link_free;
	l.mem.ctx = &l;
	if (l.xip) {
		l.pass = 1;
		l.prov = l.flash;
		if (link_once(&l, &f.src, &elf, &m, in))
			goto done;
		elfmod_unload(&m);
		free_blocks(&l);
		if (make_plan(&l, elf.cls))
			goto done;
		l.pass = 2;
		l.next = base;
	}
	if (link_once(&l, &f.src, &elf, &m, in))
		goto done;
	loaded = 1;
	if (l.xip && check_plan(&l))
		goto done;
	for (unsigned i = 0; i < l.nat; i++)
		if (!l.at[i].used)
			fprintf(stderr, "elfmod: %s: warning: no allocated section %s\n", in, l.at[i].name);
	if (entry) {
		void *e = elfmod_sym(&m, entry);
		if (!e) {
			fprintf(stderr, "elfmod link: --entry %s: %s exports no such symbol\n", entry, in);
			goto done;
		}
		entry_addr = (uint64_t)(uintptr_t)e;
	}

	memset(&w, 0, sizeof(w));
	w.cls = elf.cls;
	w.big_endian = elf.big_endian;
	w.machine = elf.machine;
	w.flags = elf.flags;
	for (unsigned i = 0; i < l.nsecs; i++) {
		struct out_sec *s = &l.secs[i];
		if (s->xip)
			printf("%-24s 0x%08llx %8llu  in flash (xip), file offset 0x%llx\n", s->name,
			       (unsigned long long)s->addr, (unsigned long long)s->size, (unsigned long long)s->off);
		else
			printf("%-24s 0x%08llx %8llu  %s\n", s->name, (unsigned long long)s->addr,
			       (unsigned long long)s->size, s->given ? "given" : "placed by elfmod");
		const void *zeros = s->pad ? block(&l, s->pad) : NULL;
		if ((s->pad && (!zeros || tool_elf_add(&w, PAD_NAME, ELFMOD_SHT_PROGBITS, 0, 0, zeros, s->pad, 1))) ||
		    tool_elf_add(&w, s->name, s->type, s->flags, s->addr, s->bytes, s->size, s->align)) {
			fprintf(stderr, "elfmod: %s: too many sections\n", out);
			goto done;
		}
	}
	if (entry)
		printf("entry %s 0x%08llx\n", entry, (unsigned long long)entry_addr);
	if (tool_elf_write(&w, out) || (entry && set_entry(out, &w, entry_addr))) {
		fprintf(stderr, "elfmod: %s: cannot write\n", out);
		goto done;
	}
	if (l.xip && check_written(&l, out)) {
		fprintf(stderr, "elfmod link: %s: the written sections are not where --xip planned them\n", out);
		remove(out);
		goto done;
	}
	ret = 0;
done:
	if (loaded)
		elfmod_unload(&m);
	elfmod_posix_file_close(&f);
	free_blocks(&l);
	for (unsigned i = 0; i < l.nsecs; i++)
		free(l.secs[i].name);
	for (unsigned i = 0; i < l.nplan; i++)
		free(l.plan[i].name);
	for (unsigned i = 0; i < l.nat; i++)
		free(l.at[i].name);
	for (unsigned i = 0; i < l.ndefs; i++)
		free(l.defs[i].name);
	return ret;
}
