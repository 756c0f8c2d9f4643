/* elfmod link MODULE --at SECTION=ADDR... [--defsym NAME=ADDR]... [--base ADDR] -o OUT.elf
 *
 * Relocates a module for its own machine (any machine elfmod has an engine for, on any
 * host) at chosen addresses and writes the result as an ELF executable: every allocated
 * section under its own name at its address, plus the GOT and call stubs elfmod made,
 * each also covered by a PT_LOAD. Sections not named with --at are placed by elfmod
 * from --base upwards and reported. This is both the oracle side of the comparison
 * with GNU ld and the way to pre-link a module for a fixed flash address. */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "tools.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 512

struct named {
	char *name;
	uint64_t value;
	int used;
};

struct out_sec {
	char *name;
	uint32_t type;
	uint64_t flags, addr, size, align;
	const void *bytes;
	int given;
};

struct link {
	struct named at[MAX_ITEMS], defs[MAX_ITEMS];
	unsigned nat, ndefs;
	struct out_sec secs[MAX_ITEMS];
	unsigned nsecs;
	void *blocks[MAX_ITEMS];   /* host memory handed out, freed at the end */
	unsigned nblocks;
	uint64_t next;             /* next address for what elfmod places itself */
	int failed;
};

static int parse_kv(const char *arg, struct named *n)
{
	const char *eq = strrchr(arg, '=');
	char *end;

	if (!eq || eq == arg)
		return -1;
	errno = 0;
	n->value = strtoull(eq + 1, &end, 0);
	if (errno || *end || end == eq + 1)
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

/* Target memory for elfmod's own regions: consecutive addresses from --base, backed by
 * host buffers; bookkeeping (META) is plain host memory. */
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
	if (align > 1)
		l->next = (l->next + align - 1) & ~(align - 1);
	r->addr = l->next;
	l->next += size;
	return 0;
}

static void link_free(void *ctx, struct elfmod_region *r)
{
	(void)ctx;
	(void)r; /* everything is released together at the end */
}

static int link_place(void *ctx, uint32_t shndx, const char *name, uint64_t size, uint64_t align,
		      uint64_t *addr, void **wr)
{
	struct link *l = ctx;

	(void)shndx;
	for (unsigned i = 0; i < l->nat; i++) {
		if (strcmp(l->at[i].name, name))
			continue;
		if (align > 1 && (l->at[i].value & (align - 1))) {
			fprintf(stderr, "elfmod: --at %s=0x%llx: section needs %llu-byte alignment\n", name,
				(unsigned long long)l->at[i].value, (unsigned long long)align);
			l->failed = 1;
		}
		l->at[i].used = 1;
		*addr = l->at[i].value;
		*wr = block(l, size);
		return *wr ? 0 : -1;
	}
	return -1;
}

static void add_sec(struct link *l, const char *name, uint32_t type, uint64_t flags, uint64_t addr,
		    const void *wr, uint64_t size, uint64_t align, int given)
{
	struct out_sec *s;

	if (l->nsecs == MAX_ITEMS) {
		l->failed = 1;
		return;
	}
	s = &l->secs[l->nsecs++];
	s->name = strdup(name);
	s->type = type;
	s->flags = flags;
	s->addr = addr;
	s->bytes = wr;
	s->size = size;
	s->align = align;
	s->given = given;
}

static void link_placed(void *ctx, uint32_t shndx, const char *name, uint32_t type, uint64_t flags,
			uint64_t addr, const void *wr, uint64_t size)
{
	struct link *l = ctx;
	int given = 0;

	(void)shndx;
	for (unsigned i = 0; i < l->nat; i++)
		if (!strcmp(l->at[i].name, name))
			given = 1;
	add_sec(l, name, type, flags, addr, wr, size, 1, given);
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
	fprintf(stderr, "usage: elfmod link MODULE --at SECTION=ADDR... [--defsym NAME=ADDR]... "
			"[--base ADDR] -o OUT.elf\n");
	return 2;
}

int cmd_link(int argc, char **argv)
{
	static struct link l;
	const char *in = NULL, *out = NULL;
	struct elfmod_posix_file f;
	struct elfmod_allocator mem = { .alloc = link_alloc, .free = link_free, .ctx = &l };
	struct elfmod_load_opts o;
	struct elfmod_module m;
	struct elfmod_elf elf;
	struct elfmod_diag d;
	static struct tool_elf_out w;
	uint64_t base = 0;
	int have_base = 0, rc, ret = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--at") && i + 1 < argc && l.nat < MAX_ITEMS) {
			if (parse_kv(argv[++i], &l.at[l.nat++]))
				return link_usage();
		} else if (!strcmp(argv[i], "--defsym") && i + 1 < argc && l.ndefs < MAX_ITEMS) {
			if (parse_kv(argv[++i], &l.defs[l.ndefs++]))
				return link_usage();
		} else if (!strcmp(argv[i], "--base") && i + 1 < argc) {
			char *end;
			base = strtoull(argv[++i], &end, 0);
			if (*end)
				return link_usage();
			have_base = 1;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] != '-' && !in) {
			in = argv[i];
		} else {
			return link_usage();
		}
	}
	if (!in || !out)
		return link_usage();

	/* elfmod's own regions go above everything given, unless told otherwise. */
	if (!have_base) {
		base = 0x1000;
		for (unsigned i = 0; i < l.nat; i++)
			if (l.at[i].value + 0x10000 > base)
				base = l.at[i].value + 0x10000;
		base = (base + 0xfff) & ~0xfffull;
	}
	l.next = base;

	if (elfmod_posix_file_open(&f, in, 1)) {
		fprintf(stderr, "elfmod: %s: cannot open\n", in);
		return 1;
	}
	rc = elfmod_elf_open(&elf, &f.src, &d);
	if (rc) {
		tool_error(in, rc, &d);
		goto done;
	}
	memset(&o, 0, sizeof(o));
	o.name = in;
	o.mem = &mem;
	o.resolve = link_resolve;
	o.resolve_ctx = &l;
	o.unresolved = link_unresolved;
	o.unresolved_ctx = (void *)in;
	o.machine = elf.machine;
	o.place = link_place;
	o.placed = link_placed;
	o.place_ctx = &l;
	o.flags = ELFMOD_LOAD_NO_INIT | ELFMOD_LOAD_NO_PROTECT;
	rc = elfmod_load(&m, &f.src, &o, &d);
	if (rc) {
		tool_error(in, rc, &d);
		goto done;
	}
	if (l.failed)
		goto done;
	for (unsigned i = 0; i < l.nat; i++)
		if (!l.at[i].used)
			fprintf(stderr, "elfmod: %s: warning: no allocated section %s\n", in, l.at[i].name);

	/* What elfmod made itself: the GOT and the stubs, at the ends of their regions. */
	if (m.got) {
		uint64_t off = m.got - m.region[ELFMOD_KIND_RODATA].addr;
		add_sec(&l, ".elfmod.got", ELFMOD_SHT_PROGBITS, ELFMOD_SHF_ALLOC, m.got,
			(const uint8_t *)m.region[ELFMOD_KIND_RODATA].wr + off,
			m.region[ELFMOD_KIND_RODATA].size - off, m.cls / 8, 0);
	}
	if (m.stubs) {
		uint64_t off = m.stub_base - m.region[ELFMOD_KIND_TEXT].addr;
		add_sec(&l, ".elfmod.stubs", ELFMOD_SHT_PROGBITS, ELFMOD_SHF_ALLOC | ELFMOD_SHF_EXECINSTR,
			m.stub_base, (const uint8_t *)m.region[ELFMOD_KIND_TEXT].wr + off,
			m.region[ELFMOD_KIND_TEXT].size - off, 4, 0);
	}

	memset(&w, 0, sizeof(w));
	w.cls = elf.cls;
	w.big_endian = elf.big_endian;
	w.machine = elf.machine;
	w.flags = elf.flags;
	for (unsigned i = 0; i < l.nsecs; i++) {
		struct out_sec *s = &l.secs[i];
		printf("%-24s 0x%08llx %8llu  %s\n", s->name, (unsigned long long)s->addr,
		       (unsigned long long)s->size, s->given ? "given" : "placed by elfmod");
		if (tool_elf_add(&w, s->name, s->type, s->flags, s->addr, s->bytes, s->size, s->align)) {
			fprintf(stderr, "elfmod: %s: too many sections\n", out);
			goto unload;
		}
	}
	if (tool_elf_write(&w, out)) {
		fprintf(stderr, "elfmod: %s: cannot write\n", out);
		goto unload;
	}
	ret = 0;
unload:
	elfmod_unload(&m);
done:
	elfmod_posix_file_close(&f);
	for (unsigned i = 0; i < l.nblocks; i++)
		free(l.blocks[i]);
	for (unsigned i = 0; i < l.nsecs; i++)
		free(l.secs[i].name);
	for (unsigned i = 0; i < l.nat; i++)
		free(l.at[i].name);
	for (unsigned i = 0; i < l.ndefs; i++)
		free(l.defs[i].name);
	return ret;
}
