/* The module API on the host: init/fini order, weak imports, marked exports, every
 * unresolved import named, dependencies and reference counts, duplicate exports,
 * address lookup, dropped symbols, and the failure paths: every allocation and every
 * read failing in turn must leave no memory allocated and the registry unchanged. */
#define _GNU_SOURCE
#include "elfmod.h"
#include "tools.h"
#include "check.h"
#include "counting.h"
#include "faults.h"
#include "files.h"
#include "memsrc.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- host side ---- */

static int order[16], norder;
void record(int what);
void record(int what)
{
	if (norder < 16)
		order[norder++] = what;
}

int host_twice(int x);
int host_twice(int x)
{
	return 2 * x;
}

int present_fn(void);
int present_fn(void)
{
	return 5;
}

int far_data = 1234;

static const struct elfmod_export host_syms[] = {
	{ "record", (const void *)&record },
	{ "host_twice", (const void *)&host_twice },
	{ "present_fn", (const void *)&present_fn },
	{ "far_data", (const void *)&far_data },
};
static struct elfmod_export_index host_index[4];
static struct elfmod_exports host;

/* ---- the counting allocator (tests/common/counting.h), recording every sync ---- */

/* Every instruction sync, so tests can check the loader names exactly the code. */
static struct { uint64_t addr, len; } syncs[16];
static unsigned nsyncs;

static void record_sync(uint64_t addr, uint64_t len)
{
	if (nsyncs < sizeof(syncs) / sizeof(syncs[0])) {
		syncs[nsyncs].addr = addr;
		syncs[nsyncs].len = len;
	}
	nsyncs++;
}

static struct counting cnt;
static struct elfmod_allocator mem;

/* ---- files as sources: whole buffers, or a read callback that fails on call k
 * (memsrc.h; test_failures fails each read call in turn) ---- */

static struct elfmod_source buf_src(struct test_file *f)
{
	struct elfmod_source s = { f->data, f->size, NULL, NULL, NULL };
	return s;
}

static struct elfmod_registry reg;

static int load(struct elfmod_module *m, struct test_file *f, const char *name, uint32_t flags,
		struct elfmod_diag *d)
{
	struct elfmod_source s = buf_src(f);
	struct elfmod_load_opts o = { 0 };

	o.name = name;
	o.mem = &mem;
	o.reg = &reg;
	o.flags = flags;
	return elfmod_load(m, &s, &o, d);
}

/* Last resort for shared objects and PIEs: whatever the process has (the C library's
 * start-up entry point, the weak hooks of the start files), as `elfmod run
 * --host-symbols` offers it. */
static int host_resolve(void *ctx, const char *name, uint64_t *addr)
{
	void *p = dlsym(RTLD_DEFAULT, name);

	(void)ctx;
	if (!p)
		return -1;
	*addr = (uint64_t)(uintptr_t)p;
	return 0;
}

static int is_dyn(const struct test_file *f)
{
	return f->size > 16 && f->data[16] == 3 /* ET_DYN */;
}

/* ---- tests ---- */

static void test_init_order(struct test_file *f)
{
	struct elfmod_module m;
	struct elfmod_diag d;
	int (*v)(void);

	norder = 0;
	CHECK(load(&m, f, "init", 0, &d) == 0);
	CHECK(norder == 3 && order[0] == 1 && order[1] == 2 && order[2] == 3);
	v = (int (*)(void))elfmod_sym(&m, "init_value");
	CHECK(v && v() == 42);
	CHECK(elfmod_unload(&m) == 0);
	CHECK(norder == 5 && order[3] == -3 && order[4] == -1);

	/* NO_INIT: nothing runs, at load or at unload. */
	norder = 0;
	CHECK(load(&m, f, "init", ELFMOD_LOAD_NO_INIT, &d) == 0);
	CHECK(elfmod_unload(&m) == 0);
	CHECK(norder == 0);
}

static void test_weak(struct test_file *f)
{
	struct elfmod_module m;
	struct elfmod_diag d;
	int (*probe)(void);

	CHECK(load(&m, f, "weak", 0, &d) == 0);
	probe = (int (*)(void))elfmod_sym(&m, "weak_probe");
	CHECK(probe && probe() == 7);
	CHECK(elfmod_unload(&m) == 0);
}

/* What no section's bytes cover (alignment gaps, .bss, the GOT's spare slot, the word
 * behind __dso_handle) is zero whatever the memory held: the same load into an arena
 * filled with 0xa5 gives, byte for byte, the image it gives in a zeroed one (the arena
 * hands out the same addresses both times, so the relocated bytes agree too). init.o
 * has a gap between two code sections, weak.o a GOT. */
static void test_zeroed(struct test_file *f, const char *name)
{
	static uint8_t arena_mem[1 << 18], first[3][1 << 16];
	struct elfmod_arena arena;
	struct elfmod_arena_set set = { { &arena, &arena, &arena, &arena }, NULL, NULL };
	struct elfmod_allocator amem;
	struct elfmod_source s = buf_src(f);
	struct elfmod_load_opts o = { 0 };
	struct elfmod_module m;
	struct elfmod_diag d;
	uint64_t size[3];

	elfmod_arena_allocator(&amem, &set);
	o.name = name;
	o.mem = &amem;
	o.reg = &reg;
	o.flags = ELFMOD_LOAD_NO_INIT;
	for (int pass = 0; pass < 2; pass++) {
		memset(arena_mem, pass ? 0xa5 : 0, sizeof(arena_mem));
		elfmod_arena_init(&arena, arena_mem, (uintptr_t)arena_mem, sizeof(arena_mem));
		CHECK(elfmod_load(&m, &s, &o, &d) == 0);
		CHECK(m.region[2].size > 0);
		for (int k = 0; k < 3; k++) {
			CHECK(m.region[k].size <= sizeof(first[k]));
			if (m.region[k].size > sizeof(first[k]))
				continue;
			if (!pass) {
				size[k] = m.region[k].size;
				memcpy(first[k], m.region[k].wr, (size_t)size[k]);
			} else {
				CHECK(m.region[k].size == size[k]);
				CHECK(memcmp(first[k], m.region[k].wr, (size_t)size[k]) == 0);
			}
		}
		CHECK(elfmod_unload(&m) == 0);
	}
}

static void test_marked(struct test_file *f)
{
	struct elfmod_module m;
	struct elfmod_diag d;

	CHECK(load(&m, f, "marked", 0, &d) == 0);
	CHECK(elfmod_sym(&m, "visible") != NULL);
	CHECK(elfmod_sym(&m, "hidden") == NULL);
	CHECK(m.exports.count == 1);
	CHECK(elfmod_unload(&m) == 0);
}

static char seen[3][32];
static int nseen;

static void on_unresolved(void *ctx, const char *name)
{
	(void)ctx;
	if (nseen < 3)
		snprintf(seen[nseen], sizeof(seen[0]), "%s", name);
	nseen++;
}

static void test_undef(struct test_file *f)
{
	struct elfmod_source s = buf_src(f);
	struct elfmod_load_opts o = { 0 };
	struct elfmod_module m;
	struct elfmod_diag d;
	char msg[256];

	o.mem = &mem;
	o.reg = &reg;
	o.unresolved = on_unresolved;
	CHECK(elfmod_load(&m, &s, &o, &d) == ELFMOD_EUNDEF);
	CHECK(nseen == 3);
	CHECK(!strcmp(seen[0], "missing_alpha") && !strcmp(seen[1], "missing_beta") &&
	      !strcmp(seen[2], "missing_gamma"));
	CHECK(!strcmp(d.name, "missing_alpha") && d.value == 3);
	elfmod_diag_format(&d, msg, sizeof(msg));
	CHECK(strstr(msg, "missing_alpha") && strstr(msg, "unresolved"));
	CHECK(cnt.live == 0 && reg.modules == NULL);
}

static void test_deps(struct test_file *prov, struct test_file *user, struct test_file *dup)
{
	struct elfmod_module a, b, c, c2;
	struct elfmod_diag d;
	const struct elfmod_module *who;
	const char *sym;
	uint64_t off;
	void *add;
	int (*um)(void);

	CHECK(load(&a, prov, "provider", 0, &d) == 0);
	CHECK(load(&b, user, "user", 0, &d) == 0);
	CHECK(a.refs == 1 && b.refs == 0 && b.ndeps == 1 && b.deps[0] == &a);
	CHECK(reg.modules == &b && b.next == &a);
	um = (int (*)(void))elfmod_sym(&b, "user_main");
	CHECK(um && um() == 2);
	CHECK(elfmod_unload(&a) == ELFMOD_EBUSY);
	CHECK(reg.modules == &b && a.refs == 1);

	add = elfmod_sym(&a, "provider_add");
	CHECK(add != NULL);
	CHECK(elfmod_addr_lookup(&reg, (uint64_t)(uintptr_t)add + 3, &who, &sym, &off) == 0);
	CHECK(who == &a && sym && !strcmp(sym, "provider_add") && off == 3);
	CHECK(elfmod_addr_lookup(&reg, 16, &who, &sym, &off) == ELFMOD_ENOTFOUND);

	/* A second module exporting a name that a loaded one exports is refused. */
	CHECK(load(&c, dup, "dup-one", 0, &d) == 0);
	CHECK(load(&c2, dup, "dup-two", 0, &d) == ELFMOD_EDUP);
	CHECK(!strcmp(d.name, "shared_name") && d.module && !strcmp(d.module, "dup-one"));
	CHECK(elfmod_unload(&c) == 0);

	CHECK(elfmod_unload(&b) == 0);
	CHECK(a.refs == 0);
	CHECK(elfmod_unload(&a) == 0);
	CHECK(reg.modules == NULL && cnt.live == 0);

	/* Dropped symbols: nothing to find, nothing to import from. */
	CHECK(load(&a, prov, "provider", ELFMOD_LOAD_DROP_SYMBOLS, &d) == 0);
	CHECK(elfmod_sym(&a, "provider_add") == NULL && a.exports.count == 0);
	CHECK(load(&b, user, "user", 0, &d) == ELFMOD_EUNDEF);
	CHECK(elfmod_unload(&a) == 0 && cnt.live == 0);
}

/* PC-relative data imports: placed near the import, or refused naming it and -fPIC. */
static void test_far(struct test_file *f)
{
	struct elfmod_module m;
	struct elfmod_diag d;
	char msg[256];
	int (*rd)(void);

	CHECK(load(&m, f, "far", 0, &d) == 0);
	rd = (int (*)(void))elfmod_sym(&m, "read_far");
	CHECK(rd && rd() == 1234);
	/* Text is read+execute and rodata read-only once loaded; data stays writable. */
	CHECK(write_faults((volatile uint8_t *)(uintptr_t)m.region[ELFMOD_KIND_TEXT].addr));
	CHECK(m.region[ELFMOD_KIND_RODATA].size == 0 ||
	      write_faults((volatile uint8_t *)(uintptr_t)m.region[ELFMOD_KIND_RODATA].addr));
	CHECK(!write_faults((volatile uint8_t *)(uintptr_t)m.region[ELFMOD_KIND_DATA].addr));
	CHECK(elfmod_unload(&m) == 0);

	/* An allocator that puts the module 16 TiB away cannot honour the hint. */
	cnt.force_near = (uint64_t)(uintptr_t)&far_data + (1ull << 44);
	CHECK(load(&m, f, "far", 0, &d) == ELFMOD_EREACH);
	cnt.force_near = 0;
	elfmod_diag_format(&d, msg, sizeof(msg));
	CHECK(!strcmp(d.name, "far_data") && strstr(msg, "-fPIC"));
	CHECK(cnt.live == 0 && reg.modules == NULL);
}

/*
 * Instruction RAM as on ESP32: code memory takes only aligned 32-bit writes, through a
 * data-bus alias whose address differs from the one the code runs at. Here the text
 * region runs from a read+execute mapping of a memfd, is written only through a second,
 * read+write mapping of the same memfd by write_code() (which checks every store is an
 * aligned word), and its `wr` is an inaccessible page: any direct write by the loader
 * would fault.
 */
struct iram {
	uint8_t *run, *alias, *guard;
	size_t len;
	long words, calls, bad;
};
static struct iram iram;

static int iram_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	int fd;

	if (r->kind != ELFMOD_KIND_TEXT)
		return counting_alloc(ctx, r, size, align, near);
	if (iram.run || align > 4096)
		return ELFMOD_ENOMEM;
	iram.len = (size_t)((size + 4095) & ~4095ull);
	fd = memfd_create("iram", 0);
	if (fd < 0 || ftruncate(fd, (off_t)iram.len))
		return ELFMOD_ENOMEM;
	iram.run = mmap(NULL, iram.len, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	iram.alias = mmap(NULL, iram.len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	iram.guard = mmap(NULL, iram.len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	close(fd);
	if (iram.run == MAP_FAILED || iram.alias == MAP_FAILED || iram.guard == MAP_FAILED)
		return ELFMOD_ENOMEM;
	cnt.live++;
	r->addr = (uint64_t)(uintptr_t)iram.run;
	r->wr = iram.guard;
	r->size = size;
	return 0;
}

static void iram_free(void *ctx, struct elfmod_region *r)
{
	if (r->kind != ELFMOD_KIND_TEXT) {
		counting_free(ctx, r);
		return;
	}
	munmap(iram.run, iram.len);
	munmap(iram.alias, iram.len);
	munmap(iram.guard, iram.len);
	memset(&iram, 0, sizeof(iram));
	cnt.live--;
}

static int iram_protect(void *ctx, struct elfmod_region *r, unsigned perm)
{
	return r->kind == ELFMOD_KIND_TEXT ? 0 : counting_protect(ctx, r, perm);
}

static int iram_write(void *ctx, struct elfmod_region *r, uint64_t off, const void *src, uint64_t len)
{
	const uint8_t *b = src;

	(void)ctx;
	iram.calls++;
	if (r->wr != iram.guard || (off & 3) || (len & 3) || off + len > iram.len) {
		iram.bad++;
		return -1;
	}
	for (uint64_t k = 0; k < len; k += 4) {
		uint32_t w;
		memcpy(&w, b + k, 4);
		*(volatile uint32_t *)(void *)(iram.alias + off + k) = w;
		iram.words++;
	}
	return 0;
}

static void test_iram(struct test_file *init, struct test_file *weak)
{
	struct elfmod_allocator im = {
		.alloc = iram_alloc, .free = iram_free, .protect = iram_protect,
		.sync_icache = counting_sync, .ctx = &cnt, .write_code = iram_write,
		.code_window = 64, /* several windows even for these small modules */
	};
	struct elfmod_load_opts o = { 0 };
	struct elfmod_source s;
	struct elfmod_module m;
	struct elfmod_diag d;
	int (*fn)(void);

	o.mem = &im;
	o.reg = &reg;
	o.name = "iram-init";
	norder = 0;
	s = buf_src(init);
	CHECK_RC(elfmod_load(&m, &s, &o, &d), 0);
	CHECK(m.region[0].size > 64 && (m.region[0].size & 3) == 0);
	CHECK_EQ(iram.calls, (long)((m.region[0].size + 63) / 64));
	CHECK(iram.bad == 0 && iram.words * 4 == (long)m.region[0].size);
	CHECK(m.region[0].addr == (uint64_t)(uintptr_t)iram.run && m.region[0].wr == iram.guard);
	fn = (int (*)(void))elfmod_sym(&m, "init_value");
	CHECK(norder == 3 && fn && fn() == 42);
	CHECK_RC(elfmod_unload(&m), 0);

	o.name = "iram-weak";
	s = buf_src(weak);
	CHECK_RC(elfmod_load(&m, &s, &o, &d), 0);
	fn = (int (*)(void))elfmod_sym(&m, "weak_probe");
	CHECK(fn && fn() == 7);
	CHECK_RC(elfmod_unload(&m), 0);
	CHECK(cnt.live == 0);
}

/* Every allocation, then every read, failing in turn until a load makes fewer requests
 * than the one set to fail. A failure must be reported, not absorbed: a load that
 * succeeds although its k-th request failed is an error, and the next k is tried. One
 * exception: a relocatable module's C++ constructor registering its destructor
 * allocates after the load has committed, and that failure goes back to the module
 * (__cxa_atexit's non-zero return, as the C++ ABI has it). With `dep`, the successful
 * load must record it as its dependency. */
static void test_failures(struct test_file *f, const char *name, struct elfmod_module *dep)
{
	struct elfmod_load_opts o = { 0 };
	struct elfmod_module m;
	struct elfmod_diag d;
	struct elfmod_module *before = reg.modules;
	uint32_t refs = dep ? dep->refs : 0;
	long base = cnt.live, k;
	int rc;

	check_ctx = name;
	o.name = name;
	o.mem = &mem;
	o.reg = &reg;
	if (is_dyn(f))
		o.resolve = host_resolve;
	for (k = 1;; k++) {
		struct elfmod_source s = buf_src(f);
		cnt.calls = 0;
		cnt.fail_at = k;
		norder = 0;
		rc = elfmod_load(&m, &s, &o, &d);
		cnt.fail_at = 0;
		if (rc == 0 && cnt.calls >= k && is_dyn(f)) {
			CHECK_EQ(cnt.calls < k, 1); /* an absorbed allocation failure */
			CHECK(elfmod_unload(&m) == 0);
			continue;
		}
		if (rc == 0)
			break;
		CHECK(cnt.live == base && reg.modules == before && (!dep || dep->refs == refs));
		CHECK(norder == 0);
		if (rc != ELFMOD_ENOMEM) {
			CHECK_RC(rc, ELFMOD_ENOMEM);
			break;
		}
	}
	CHECK(rc == 0 && k > 1);
	if (dep && rc == 0) {
		uint32_t j = 0;
		while (j < m.ndeps && m.deps[j] != dep)
			j++;
		CHECK(j < m.ndeps && dep->refs == refs + 1);
	}
	CHECK(elfmod_unload(&m) == 0 && cnt.live == base);
	printf("%s: %ld allocation failures handled\n", name, k - 1);

	for (k = 1;; k++) {
		struct memsrc ms;
		struct elfmod_source s;
		memsrc_init(&ms, &s, f->data, f->size);
		ms.fail_at = (unsigned long)k;
		norder = 0;
		rc = elfmod_load(&m, &s, &o, &d);
		CHECK_EQ(ms.bad, 0); /* no read outside the file */
		if (rc == 0 && ms.calls >= ms.fail_at) {
			CHECK_EQ(ms.calls < ms.fail_at, 1); /* an absorbed read failure */
			CHECK(elfmod_unload(&m) == 0);
			continue;
		}
		if (rc == 0)
			break;
		CHECK(cnt.live == base && reg.modules == before && (!dep || dep->refs == refs));
		CHECK(norder == 0);
		if (rc != ELFMOD_EIO) {
			CHECK_RC(rc, ELFMOD_EIO);
			break;
		}
	}
	CHECK(rc == 0 && k > 1);
	CHECK(elfmod_unload(&m) == 0 && cnt.live == base);
	printf("%s: %ld read failures handled\n", name, k - 1);
	check_ctx = "";
}

/* ---- shared objects and PIEs (ET_DYN) ---- */

static int load_dyn(struct elfmod_module *m, struct test_file *f, const char *name, struct elfmod_diag *d)
{
	struct elfmod_source s = buf_src(f);
	struct elfmod_load_opts o = { 0 };

	o.name = name;
	o.mem = &mem;
	o.reg = &reg;
	o.resolve = host_resolve;
	return elfmod_load(m, &s, &o, d);
}

/* dso_base.c linked one way: what it computes, DT_INIT before the init array, the fini
 * array before DT_FINI; then every failure path. */
static void test_dso_base(struct test_file *f, const char *name)
{
	struct elfmod_module m;
	struct elfmod_diag d;
	int (*value)(int);

	check_ctx = name;
	norder = 0;
	CHECK_RC(load_dyn(&m, f, name, &d), 0);
	CHECK(m.dyn != NULL);
	CHECK(norder == 2 && order[0] == 10 && order[1] == 11);
	value = (int (*)(int))elfmod_sym(&m, "base_value");
	CHECK(value && value(1) == 10);
	CHECK_RC(elfmod_unload(&m), 0);
	CHECK(norder == 4 && order[2] == -11 && order[3] == -10);
	CHECK(cnt.live == 0 && reg.modules == NULL);
	/* With ELFMOD_LOAD_NO_INIT no module code may run, and its indirect function
	 * needs its resolver run: refused, before any initialiser, leaving nothing. */
	{
		struct elfmod_source s = buf_src(f);
		struct elfmod_load_opts o = { 0 };
		char msg[256];
		o.name = name;
		o.mem = &mem;
		o.reg = &reg;
		o.resolve = host_resolve;
		o.flags = ELFMOD_LOAD_NO_INIT;
		norder = 0;
		CHECK_RC(elfmod_load(&m, &s, &o, &d), ELFMOD_ERELTYPE);
		elfmod_diag_format(&d, msg, sizeof(msg));
		CHECK(strstr(msg, "indirect function") != NULL);
		CHECK(norder == 0 && cnt.live == 0 && reg.modules == NULL);
	}
	test_failures(f, name, NULL);
}

/* The instruction syncs name exactly the code written: a relocatable module's text
 * region; each executable segment of a shared object, at its run address. */
static void test_sync_ranges(struct test_file *rel, struct test_file *dso)
{
	struct elfmod_source s = buf_src(dso);
	struct elfmod_module m;
	struct elfmod_diag d;
	struct elfmod_elf elf;
	struct elfmod_phdr ph;
	unsigned want = 0;

	check_ctx = "sync ranges";
	nsyncs = 0;
	CHECK_RC(load(&m, rel, "sync-rel", 0, &d), 0);
	CHECK(nsyncs == 1 && syncs[0].addr == m.region[0].addr && syncs[0].len == m.region[0].size);
	CHECK_RC(elfmod_unload(&m), 0);

	nsyncs = 0;
	CHECK_RC(load_dyn(&m, dso, "sync-dyn", &d), 0);
	CHECK_RC(elfmod_elf_open(&elf, &s, NULL), 0);
	for (uint32_t i = 0; i < elf.phnum; i++) {
		CHECK_RC(elfmod_elf_phdr(&elf, i, &ph), 0);
		if (ph.type != ELFMOD_PT_LOAD || !(ph.flags & ELFMOD_PF_X))
			continue;
		CHECK(want < nsyncs && syncs[want].addr == m.dyn->bias + ph.vaddr && syncs[want].len == ph.memsz);
		want++;
	}
	CHECK(want >= 1 && nsyncs == want);
	CHECK_RC(elfmod_unload(&m), 0);
	CHECK(cnt.live == 0);
}

/* ELFMOD_LOAD_IN_PLACE: the source is a read-only mapping (flash), so anything written
 * there would fault; read-only sections no relocation writes stay in it. With
 * ELFMOD_LOAD_XIP and an executable mapping, code without relocations runs from it. */
static void test_in_place(struct test_file *f)
{
	size_t len = (f->size + 4095) & ~(size_t)4095;
	uint8_t *flash = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct elfmod_source s;
	struct elfmod_module m;
	struct elfmod_diag d;
	const char *(*text)(void);
	int (*sum)(void), (*add)(int, int);

	check_ctx = "in place";
	CHECK(flash != MAP_FAILED);
	if (flash == MAP_FAILED)
		return;
	memcpy(flash, f->data, f->size);
	CHECK(mprotect(flash, len, PROT_READ) == 0);
	s.data = flash;
	s.size = f->size;
	s.read = NULL;
	s.ctx = NULL;
	for (int mode = 0; mode < 3; mode++) {
		struct elfmod_load_opts o = { 0 };
		const uint8_t *t;
		int inside;
		o.name = "inplace";
		o.mem = &mem;
		o.reg = &reg;
		o.flags = mode == 0 ? 0 : mode == 1 ? ELFMOD_LOAD_IN_PLACE : ELFMOD_LOAD_IN_PLACE | ELFMOD_LOAD_XIP;
		if (mode == 2)
			CHECK(mprotect(flash, len, PROT_READ | PROT_EXEC) == 0);
		CHECK_RC(elfmod_load(&m, &s, &o, &d), 0);
		text = (const char *(*)(void))elfmod_sym(&m, "inplace_text");
		sum = (int (*)(void))elfmod_sym(&m, "inplace_sum");
		add = (int (*)(int, int))elfmod_sym(&m, "xip_add");
		CHECK(text && sum && add);
		if (!text || !sum || !add)
			return;
		t = (const uint8_t *)text();
		inside = t >= flash && t < flash + f->size;
		CHECK(!strcmp(text(), "in place") && sum() == 10 && add(2, 3) == 5);
		/* The string is used in place exactly when asked; so is xip_add's code. */
		CHECK(inside == (mode != 0));
		CHECK((m.bytes_in_place != 0) == (mode != 0));
		CHECK(((const uint8_t *)(uintptr_t)add >= flash && (const uint8_t *)(uintptr_t)add < flash + f->size) ==
		      (mode == 2));
		/* The function addressing the string needs a relocation: never in place. */
		CHECK(!((const uint8_t *)(uintptr_t)text >= flash && (const uint8_t *)(uintptr_t)text < flash + f->size));
		CHECK_RC(elfmod_unload(&m), 0);
		CHECK(cnt.live == 0);
	}
	munmap(flash, len);
}

/* Importers of a loaded shared object: a -nostdlib library (DT_NEEDED libdsobase.so)
 * and a PIE linked with the C library; then every failure path with the dependency
 * loaded, whose reference count must come back unchanged. */
/* ---- placement by section name ---- */

/* Every region the allocator is asked for: its kind, flags and section names. */
static struct {
	uint8_t kind;
	uint64_t flags;
	uint32_t n;
	char names[256];
} asked[8];
static unsigned nasked;

static int naming_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	if (r->info && nasked < 8) {
		char buf[64];
		asked[nasked].kind = r->kind;
		asked[nasked].flags = r->info->sh_flags;
		asked[nasked].n = r->info->nsections;
		asked[nasked].names[0] = 0;
		for (uint32_t k = 0; k < r->info->nsections; k++) {
			const char *n = r->info->section(r->info, k, buf, sizeof(buf));
			if (n && strlen(asked[nasked].names) + strlen(n) + 2 < sizeof(asked[nasked].names)) {
				strcat(asked[nasked].names, n);
				strcat(asked[nasked].names, " ");
			}
		}
		/* Out of range and too small a buffer are refused. */
		CHECK(r->info->section(r->info, r->info->nsections, buf, sizeof(buf)) == NULL);
		CHECK(r->info->nsections == 0 || r->info->section(r->info, 0, buf, 2) == NULL);
		nasked++;
	}
	return counting_alloc(ctx, r, size, align, near);
}

static int place_by_name(void *ctx, uint32_t shndx, const char *name, uint64_t size, uint64_t align,
			 uint64_t *addr, void **wr)
{
	(void)ctx, (void)shndx, (void)size, (void)align, (void)addr, (void)wr;
	return !strncmp(name, ".iram", 5) || !strncmp(name, ".psram", 6) ? ELFMOD_PLACE_REGION : -1;
}

static int find_asked(const char *name)
{
	for (unsigned k = 0; k < nasked; k++)
		if (strstr(asked[k].names, name))
			return (int)k;
	return -1;
}

static void test_placement(struct test_file *f)
{
	struct elfmod_allocator named = mem;
	struct elfmod_load_opts o = { 0 };
	struct elfmod_source s = { f->data, f->size, NULL, NULL, NULL };
	struct elfmod_module m;
	struct elfmod_diag d;
	int (*entry)(int);
	const char *(*big)(void);
	int iram_at, psram, text;

	check_ctx = "placement";
	named.alloc = naming_alloc;
	o.name = "placed";
	o.mem = &named;
	o.reg = &reg;
	o.place = place_by_name;
	nasked = 0;
	CHECK_RC(elfmod_load(&m, &s, &o, &d), 0);
	iram_at = find_asked(".iram.text.fast");
	psram = find_asked(".psram.data");
	text = find_asked(".text ");
	CHECK(iram_at >= 0 && psram >= 0 && text >= 0);
	if (iram_at < 0 || psram < 0 || text < 0)
		return;
	/* Each named section alone in a region of the right kind, with its flags. */
	CHECK(asked[iram_at].n == 1 && asked[iram_at].kind == ELFMOD_KIND_TEXT &&
	      (asked[iram_at].flags & ELFMOD_SHF_EXECINSTR) && !strcmp(asked[iram_at].names, ".iram.text.fast "));
	CHECK(asked[psram].n == 1 && asked[psram].kind == ELFMOD_KIND_DATA &&
	      (asked[psram].flags & ELFMOD_SHF_WRITE) && !strcmp(asked[psram].names, ".psram.data "));
	/* The text region holds .text and not the placed code. */
	CHECK(asked[text].kind == ELFMOD_KIND_TEXT && !strstr(asked[text].names, ".iram_at"));
	CHECK(m.nown == 2);
	entry = (int (*)(int))elfmod_sym(&m, "placed_entry");
	big = (const char *(*)(void))elfmod_sym(&m, "placed_big");
	CHECK(entry && big);
	if (!entry || !big)
		return;
	/* 2 * 3 + 6 + 1 + 1, then the counters move on. */
	CHECK_EQ(entry(3), 14);
	CHECK_EQ(entry(3), 16);
	for (uint32_t k = 0; k < m.nown; k++) {
		const struct elfmod_region *r = &m.own[k];
		uint64_t b = (uint64_t)(uintptr_t)big();
		if (r->kind == ELFMOD_KIND_DATA)
			CHECK(b >= r->addr && b + 8192 <= r->addr + r->size && r->perm == (ELFMOD_PERM_R | ELFMOD_PERM_W));
		else
			CHECK(r->perm == (ELFMOD_PERM_R | ELFMOD_PERM_X));
	}
	{
		const struct elfmod_module *who = NULL;
		CHECK_RC(elfmod_addr_lookup(&reg, (uint64_t)(uintptr_t)big(), &who, NULL, NULL), 0);
		CHECK(who == &m);
	}
	CHECK_RC(elfmod_unload(&m), 0);
	CHECK(cnt.live == 0);
	/* Each allocation failing in turn, those of the own regions included: nothing stays. */
	for (long k = 1; k < 12; k++) {
		cnt.calls = 0;
		cnt.fail_at = k;
		int rc = elfmod_load(&m, &s, &o, &d);
		cnt.fail_at = 0;
		if (rc == 0) {
			CHECK(cnt.calls < k);
			CHECK_RC(elfmod_unload(&m), 0);
			break;
		}
		CHECK_RC(rc, ELFMOD_ENOMEM);
		CHECK(cnt.live == 0);
	}
}

static void test_dso_importers(struct test_file *base, struct test_file *user, struct test_file *pie)
{
	struct elfmod_module a, b;
	struct elfmod_diag d;
	int (*fn)(void);

	check_ctx = "dso_user";
	CHECK_RC(load_dyn(&a, base, "dso_base", &d), 0);
	CHECK_RC(load_dyn(&b, user, "dso_user", &d), 0);
	CHECK(b.ndeps == 1 && b.deps[0] == &a && a.refs == 1);
	fn = (int (*)(void))elfmod_sym(&b, "user_value");
	CHECK(fn && fn() == 52);
	CHECK_RC(elfmod_unload(&a), ELFMOD_EBUSY);
	CHECK_RC(elfmod_unload(&b), 0);
	CHECK(a.refs == 0);
	test_failures(user, "dso_user", &a);

	check_ctx = "dso_pie";
	norder = 0;
	CHECK_RC(load_dyn(&b, pie, "dso_pie", &d), 0);
	CHECK(b.ndeps == 1 && b.deps[0] == &a && a.refs == 1);
	CHECK(norder == 2 && order[0] == 19 && order[1] == 20); /* DT_PREINIT_ARRAY first */
	fn = (int (*)(void))elfmod_sym(&b, "main");
	CHECK(fn && fn() == 12);
	CHECK_RC(elfmod_unload(&b), 0);
	test_failures(pie, "dso_pie", &a);

	CHECK_RC(elfmod_unload(&a), 0);
	CHECK(cnt.live == 0 && reg.modules == NULL);
	check_ctx = "";
}

int main(int argc, char **argv)
{
	struct test_file init, weak, marked, undef, prov, user, dup;
	struct elfmod_module a;
	struct elfmod_diag d;

	if (argc < 9) {
		fprintf(stderr, "usage: module_test init.o weak.o marked.o undef.o provider.o "
				"user.o dup.o far.o [more modules for the failure paths...] [--dyn dso_base.so dso_libc.so "
				"dso_relr.so dso_user.so dso_pie]\n");
		return 2;
	}
	init = test_file_load(argv[1]);
	weak = test_file_load(argv[2]);
	marked = test_file_load(argv[3]);
	undef = test_file_load(argv[4]);
	prov = test_file_load(argv[5]);
	user = test_file_load(argv[6]);
	dup = test_file_load(argv[7]);

	counting_init(&cnt, &mem);
	cnt.on_sync = record_sync;
	/* Each segment's own p_align by default; test_dso_base tries the page size too. */
	mem.page_size = 0;
	elfmod_registry_init(&reg);
	CHECK(elfmod_exports_init(&host, host_syms, 4, host_index, NULL) == 0);
	CHECK(elfmod_registry_add_exports(&reg, &host) == 0);

	test_init_order(&init);
	test_weak(&weak);
	test_zeroed(&init, "init");
	test_zeroed(&weak, "weak");
	test_marked(&marked);
	test_undef(&undef);
	test_deps(&prov, &user, &dup);
	test_iram(&init, &weak);
	{
		struct test_file far = test_file_load(argv[8]);
		test_far(&far);
		free(far.data);
	}

	test_failures(&init, "init", NULL);
	test_failures(&prov, "provider", NULL);
	CHECK(load(&a, &prov, "provider", 0, &d) == 0);
	test_failures(&user, "user", &a);
	CHECK(elfmod_unload(&a) == 0);
	CHECK(cnt.live == 0);

	/* The real modules of tests/modules, linked against the C library. */
	{
		struct elfmod_exports libc;

		CHECK(tool_libc_exports(&libc) == 0);
		CHECK(elfmod_registry_add_exports(&reg, &libc) == 0);
		int k = 9;
		for (; k < argc && strcmp(argv[k], "--dyn"); k++) {
			struct test_file extra;
			if (!strcmp(argv[k], "--inplace") && k + 1 < argc) {
				extra = test_file_load(argv[++k]);
				test_in_place(&extra);
			} else if (!strcmp(argv[k], "--placed") && k + 1 < argc) {
				extra = test_file_load(argv[++k]);
				test_placement(&extra);
			} else {
				extra = test_file_load(argv[k]);
			}
			test_failures(&extra, argv[k], NULL);
			free(extra.data);
		}
		CHECK(cnt.live == 0);
		if (k < argc) {
			struct test_file dso[5];
			if (argc - k - 1 != 5) {
				fprintf(stderr, "module_test: --dyn takes 5 files\n");
				return 2;
			}
			for (int j = 0; j < 5; j++)
				dso[j] = test_file_load(argv[k + 1 + j]);
			test_dso_base(&dso[0], "dso_base");
			test_sync_ranges(&init, &dso[0]);
			/* RELRO rounded to the allocator's pages rather than each segment's. */
			mem.page_size = cnt.inner.page_size;
			test_dso_base(&dso[0], "dso_base (page_size)");
			mem.page_size = 0;
			test_dso_base(&dso[1], "dso_libc");
			test_dso_base(&dso[2], "dso_relr");
			test_dso_importers(&dso[0], &dso[3], &dso[4]);
			for (int j = 0; j < 5; j++)
				free(dso[j].data);
		}
	}

	free(init.data), free(weak.data), free(marked.data), free(undef.data);
	free(prov.data), free(user.data), free(dup.data);
	return check_done("module api");
}
