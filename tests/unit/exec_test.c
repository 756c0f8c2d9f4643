/*
 * Unit tests of elfmod_exec_load: exact bytes written (segments copied, .bss zeroed,
 * nothing else touched), p_paddr placement, info and entry, write aliases, several
 * windows, and every refusal with the promise that a refused image writes nothing.
 * Windows are pre-filled with 0xAA and framed by guard bytes that must survive.
 */
#include "check.h"
#include "elfbuild.h"
#include "memsrc.h"

#include <stdlib.h>
#include <string.h>

#define GUARD 256
#define FILLB 0xAA

/* Target memory: a window of `size` bytes at run address `base`, guards on both sides. */
struct mem {
	uint8_t *raw;
	uint64_t base, size;
	struct elfmod_window win;
};

static void mem_init(struct mem *m, uint64_t base, uint64_t size)
{
	m->raw = malloc(size + 2 * GUARD);
	memset(m->raw, FILLB, size + 2 * GUARD);
	m->base = base;
	m->size = size;
	m->win.base = base;
	m->win.size = size;
	m->win.wr = m->raw + GUARD;
}

static int mem_untouched(const struct mem *m)
{
	for (uint64_t i = 0; i < m->size + 2 * GUARD; i++)
		if (m->raw[i] != FILLB)
			return 0;
	return 1;
}

/* The window's bytes must equal what the file's PT_LOAD segments put there (at p_vaddr,
 * or p_paddr with use_paddr), and FILLB everywhere else, guards included. */
static int mem_matches(const struct mem *m, const struct eb_file *f, int use_paddr)
{
	uint8_t *want = malloc(m->size + 2 * GUARD);
	int ok;

	memset(want, FILLB, m->size + 2 * GUARD);
	for (uint32_t i = 0; i < f->phnum; i++) {
		const struct elfmod_phdr *p = &f->ph[i];
		uint64_t a = use_paddr ? p->paddr : p->vaddr;
		if (p->type != ELFMOD_PT_LOAD || !p->memsz || a < m->base || a - m->base >= m->size)
			continue;
		memcpy(want + GUARD + (a - m->base), f->data + p->offset, p->filesz);
		memset(want + GUARD + (a - m->base) + p->filesz, 0, p->memsz - p->filesz);
	}
	ok = !memcmp(want, m->raw, m->size + 2 * GUARD);
	free(want);
	return ok;
}

static void mem_free(struct mem *m)
{
	free(m->raw);
}

struct sync_log {
	unsigned n;
	uint64_t addr[8], len[8];
};

static void log_sync(void *ctx, uint64_t addr, uint64_t len)
{
	struct sync_log *l = ctx;

	if (l->n < 8) {
		l->addr[l->n] = addr;
		l->len[l->n] = len;
	}
	l->n++;
}

static int build(struct eb_file *f, struct eb_opts o)
{
	if (eb_build(f, &o)) {
		CHECK(!"eb_build failed");
		return -1;
	}
	return 0;
}

static int load(const struct eb_file *f, const struct elfmod_window *w, uint32_t nw, uint32_t flags,
		struct elfmod_exec_info *info, struct elfmod_diag *d)
{
	struct elfmod_source src = eb_source(f);
	struct elfmod_exec_opts o = { .windows = w, .nwindows = nw, .flags = flags };

	return elfmod_exec_load(&src, &o, info, d);
}

static void test_loads(void)
{
	static char ctx[64];

	for (int cls = 32; cls <= 64; cls += 32) {
		for (int be = 0; be <= 1; be++) {
			for (int cb = 0; cb <= 1; cb++) {
				struct eb_file f;
				struct mem m;
				struct elfmod_exec_info info;
				struct elfmod_diag d;
				struct elfmod_source src;
				struct memsrc ms;
				struct sync_log sl = { 0 };
				struct elfmod_exec_opts o;

				snprintf(ctx, sizeof(ctx), "load ELF%d%s %s", cls, be ? "BE" : "LE",
					 cb ? "callback" : "buffer");
				check_ctx = ctx;
				if (build(&f, (struct eb_opts){ .cls = cls, .be = be, .base = 0x10000,
								.machine = ELFMOD_EM_ARM }))
					continue;
				mem_init(&m, 0x10000, 0x4000);
				if (cb)
					memsrc_init(&ms, &src, f.data, f.size);
				else
					src = eb_source(&f);
				o = (struct elfmod_exec_opts){ .windows = &m.win, .nwindows = 1,
							       .machine = ELFMOD_EM_ARM, .cls = (uint8_t)cls,
							       .sync_icache = log_sync, .ctx = &sl };
				memset(&info, 0xee, sizeof(info));
				CHECK_RC(elfmod_exec_load(&src, &o, &info, &d), 0);
				CHECK(mem_matches(&m, &f, 0));
				/* Spot checks that do not go through the model: first text byte,
				 * first .bss byte, the byte after .bss, the byte before .text. */
				CHECK_EQ(m.raw[GUARD], 0x11);
				CHECK_EQ(m.raw[GUARD + 0x2000 + 48], 0);
				CHECK_EQ(m.raw[GUARD + 0x2000 + 127], 0);
				CHECK_EQ(m.raw[GUARD + 0x2000 + 128], FILLB);
				CHECK_EQ(m.raw[GUARD - 1], FILLB);
				CHECK_EQ(info.entry, 0x10008);
				CHECK_EQ(info.entry, f.entry);
				CHECK_EQ(info.segments, 3);
				CHECK_EQ(info.lowest, 0x10000);
				CHECK_EQ(info.highest, 0x12000 + 128);
				CHECK_EQ(info.copied, 64 + 48 + 32);
				CHECK_EQ(info.zeroed, 80);
				/* One sync per executable segment, with its run address. */
				CHECK_EQ(sl.n, 1);
				CHECK_EQ(sl.addr[0], 0x10000);
				CHECK_EQ(sl.len[0], 64);
				if (cb)
					CHECK_EQ(ms.bad, 0);
				mem_free(&m);
				eb_free(&f);
			}
		}
	}
}

/* Segments placed by p_paddr (a ROM image copied to its load address), and a window
 * that takes writes through a pointer unrelated to its run address. */
static void test_paddr_and_alias(void)
{
	struct eb_file f;
	struct mem m, mv;
	struct elfmod_exec_info info;
	struct elfmod_diag d;

	check_ctx = "USE_PADDR";
	if (build(&f, (struct eb_opts){ .cls = 32, .be = 1, .base = 0x20000000,
					.paddr_delta = 0x08000000 - 0x20000000 }))
		return;
	/* Load addresses at 0x08000000, run addresses at 0x20000000. */
	mem_init(&m, 0x08000000, 0x4000);
	CHECK_RC(load(&f, &m.win, 1, 0, &info, &d), ELFMOD_EWINDOW);
	CHECK(d.obj == ELFMOD_OBJ_PHDR && d.index == 0 && !strcmp(d.field, "p_vaddr"));
	CHECK(mem_untouched(&m));
	CHECK_RC(load(&f, &m.win, 1, ELFMOD_EXEC_USE_PADDR, &info, &d), 0);
	CHECK(mem_matches(&m, &f, 1));
	/* The entry is still where the code runs. */
	CHECK_EQ(info.entry, 0x20000008);
	CHECK_EQ(info.lowest, 0x08000000);
	mem_free(&m);

	/* The run window alone refuses USE_PADDR, with the field named. */
	mem_init(&mv, 0x20000000, 0x4000);
	CHECK_RC(load(&f, &mv.win, 1, ELFMOD_EXEC_USE_PADDR, &info, &d), ELFMOD_EWINDOW);
	CHECK(d.obj == ELFMOD_OBJ_PHDR && !strcmp(d.field, "p_paddr"));
	CHECK(mem_untouched(&mv));
	CHECK_RC(load(&f, &mv.win, 1, 0, &info, &d), 0);
	CHECK(mem_matches(&mv, &f, 0));
	mem_free(&mv);
	eb_free(&f);
}

/* Two windows, listed in the opposite order of their addresses, each with its own
 * write alias: text goes to one, rodata and data to the other. */
static void test_two_windows(void)
{
	struct eb_file f;
	struct mem lo, hi;
	struct elfmod_window w[2];
	struct elfmod_exec_info info;
	struct elfmod_diag d;

	check_ctx = "two windows";
	if (build(&f, (struct eb_opts){ .cls = 64, .be = 0, .base = 0x40000000 }))
		return;
	mem_init(&lo, 0x40000000, 0x1000);
	mem_init(&hi, 0x40001000, 0x2000);
	w[0] = hi.win;
	w[1] = lo.win;
	CHECK_RC(load(&f, w, 2, 0, &info, &d), 0);
	CHECK(mem_matches(&lo, &f, 0));
	CHECK(mem_matches(&hi, &f, 0));
	CHECK_EQ(lo.raw[GUARD], 0x11);
	CHECK_EQ(hi.raw[GUARD], 0x40);         /* rodata at +0x1000 */
	CHECK_EQ(hi.raw[GUARD + 0x1000], 0x80); /* data at +0x2000 */
	CHECK_EQ(info.segments, 3);
	mem_free(&lo);
	mem_free(&hi);

	/* A segment must lie inside ONE window: data+bss across two adjacent ones is refused. */
	mem_init(&lo, 0x40000000, 0x2040);
	mem_init(&hi, 0x40002040, 0x1000);
	w[0] = lo.win;
	w[1] = hi.win;
	CHECK_RC(load(&f, w, 2, 0, &info, &d), ELFMOD_EWINDOW);
	CHECK(d.obj == ELFMOD_OBJ_PHDR && d.index == 1 && d.value == 0x40002000);
	CHECK(mem_untouched(&lo) && mem_untouched(&hi));
	mem_free(&lo);
	mem_free(&hi);
	eb_free(&f);
}

/* Every refusal, each on an image that is otherwise loadable, and each leaving the
 * windows exactly as they were. */
static void test_refusals(void)
{
	struct eb_file f, g;
	struct mem m;
	struct elfmod_exec_info info;
	struct elfmod_diag d;
	struct elfmod_source src;
	struct elfmod_exec_opts o;

	for (int cls = 32; cls <= 64; cls += 32) {
		check_ctx = cls == 32 ? "refusals ELF32" : "refusals ELF64";
		if (build(&f, (struct eb_opts){ .cls = cls, .be = cls == 32, .base = 0x10000 }))
			continue;
		mem_init(&m, 0x10000, 0x4000);

		/* A window that ends before .data: the data segment is outside. */
		m.win.size = 0x2000;
		CHECK_RC(load(&f, &m.win, 1, 0, &info, &d), ELFMOD_EWINDOW);
		CHECK(d.obj == ELFMOD_OBJ_PHDR && d.index == 1 && d.value == 0x12000);
		/* ... and one that ends inside .bss. */
		m.win.size = 0x2000 + 127;
		CHECK_RC(load(&f, &m.win, 1, 0, &info, &d), ELFMOD_EWINDOW);
		CHECK(d.obj == ELFMOD_OBJ_PHDR && d.index == 1);
		/* One byte more and it fits exactly. */
		m.win.size = 0x2000 + 128;
		CHECK(mem_untouched(&m));
		CHECK_RC(load(&f, &m.win, 1, 0, &info, &d), 0);
		CHECK(mem_matches(&m, &f, 0));
		memset(m.raw, FILLB, m.size + 2 * GUARD);
		m.win.size = m.size;
		/* No windows at all. */
		CHECK_RC(load(&f, NULL, 0, 0, &info, &d), ELFMOD_EWINDOW);

		/* Overlap: .data moved onto .text's last bytes. */
		eb_clone(&g, &f);
		eb_put(&g, eb_phdr(&g, 1, EB_P_VADDR), 0x10000 + 60);
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), ELFMOD_EOVERLAP);
		CHECK(d.obj == ELFMOD_OBJ_PHDR && d.index == 1 && !strcmp(d.field, "p_vaddr"));
		/* Adjacent is not overlapping. */
		eb_put(&g, eb_phdr(&g, 1, EB_P_VADDR), 0x10000 + 64);
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), 0);
		memset(m.raw, FILLB, m.size + 2 * GUARD);
		/* Overlap by p_paddr only matters with USE_PADDR. */
		eb_put(&g, eb_phdr(&g, 1, EB_P_VADDR), 0x12000);
		eb_put(&g, eb_phdr(&g, 2, EB_P_PADDR), 0x12000 + 127);
		CHECK_RC(load(&g, &m.win, 1, ELFMOD_EXEC_USE_PADDR, &info, &d), ELFMOD_EOVERLAP);
		CHECK(d.obj == ELFMOD_OBJ_PHDR && d.index == 2 && !strcmp(d.field, "p_paddr"));
		CHECK(mem_untouched(&m));
		eb_free(&g);

		/* Entry outside every executable segment: in .data, one past .text, before it. */
		eb_clone(&g, &f);
		eb_put(&g, eb_ehdr(&g, EB_E_ENTRY), 0x12000);
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), ELFMOD_EWINDOW);
		CHECK(d.obj == ELFMOD_OBJ_EHDR && !strcmp(d.field, "e_entry") && d.value == 0x12000);
		eb_put(&g, eb_ehdr(&g, EB_E_ENTRY), 0x10000 + 64);
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), ELFMOD_EWINDOW);
		eb_put(&g, eb_ehdr(&g, EB_E_ENTRY), 0xffff);
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), ELFMOD_EWINDOW);
		CHECK(mem_untouched(&m));
		/* The last byte of .text is a valid entry. */
		eb_put(&g, eb_ehdr(&g, EB_E_ENTRY), 0x10000 + 63);
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), 0);
		CHECK_EQ(info.entry, 0x10000 + 63);
		memset(m.raw, FILLB, m.size + 2 * GUARD);
		/* Text that is not executable cannot hold the entry. */
		eb_put(&g, eb_ehdr(&g, EB_E_ENTRY), f.entry);
		eb_put(&g, eb_phdr(&g, 0, EB_P_FLAGS), ELFMOD_PF_R);
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), ELFMOD_EWINDOW);
		CHECK(mem_untouched(&m));
		eb_free(&g);

		/* File types and machines. */
		eb_clone(&g, &f);
		eb_put(&g, eb_ehdr(&g, EB_E_TYPE), ELFMOD_ET_DYN);
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), ELFMOD_ETYPE);
		CHECK(d.obj == ELFMOD_OBJ_EHDR && !strcmp(d.field, "e_type") && d.value == ELFMOD_ET_DYN);
		eb_free(&g);
		src = eb_source(&f);
		o = (struct elfmod_exec_opts){ .windows = &m.win, .nwindows = 1,
					       .machine = ELFMOD_EM_RISCV };
		CHECK_RC(elfmod_exec_load(&src, &o, &info, &d), ELFMOD_EMACHINE);
		CHECK(d.obj == ELFMOD_OBJ_EHDR && !strcmp(d.field, "e_machine") &&
		      d.value == ELFMOD_EM_X86_64);
		o.machine = ELFMOD_EM_X86_64;
		o.cls = cls == 32 ? 64 : 32;
		CHECK_RC(elfmod_exec_load(&src, &o, &info, &d), ELFMOD_EMACHINE);
		o.cls = (uint8_t)cls;
		CHECK_RC(elfmod_exec_load(&src, &o, &info, &d), 0);
		memset(m.raw, FILLB, m.size + 2 * GUARD);

		/* Nothing to load: no PT_LOAD, or only empty ones. */
		eb_clone(&g, &f);
		for (uint32_t i = 0; i < 3; i++)
			eb_put(&g, eb_phdr(&g, i, EB_P_TYPE), 4 /* PT_NOTE */);
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), ELFMOD_ENOLOAD);
		CHECK(d.obj == ELFMOD_OBJ_FILE);
		eb_free(&g);
		eb_clone(&g, &f);
		for (uint32_t i = 0; i < 3; i++) {
			eb_put(&g, eb_phdr(&g, i, EB_P_FILESZ), 0);
			eb_put(&g, eb_phdr(&g, i, EB_P_MEMSZ), 0);
		}
		CHECK_RC(load(&g, &m.win, 1, 0, &info, &d), ELFMOD_ENOLOAD);
		eb_free(&g);
		CHECK(mem_untouched(&m));

		/* Bad arguments. */
		src = eb_source(&f);
		o = (struct elfmod_exec_opts){ .windows = NULL, .nwindows = 1 };
		CHECK_RC(elfmod_exec_load(&src, &o, &info, &d), ELFMOD_EINVAL);
		o = (struct elfmod_exec_opts){ .windows = &m.win, .nwindows = 1 };
		CHECK_RC(elfmod_exec_load(&src, &o, NULL, &d), ELFMOD_EINVAL);
		CHECK_RC(elfmod_exec_load(&src, NULL, &info, &d), ELFMOD_EINVAL);
		CHECK_RC(elfmod_exec_load(NULL, &o, &info, &d), ELFMOD_EINVAL);
		{
			struct elfmod_window bad = m.win;
			bad.wr = NULL;
			CHECK_RC(load(&f, &bad, 1, 0, &info, &d), ELFMOD_EINVAL);
			CHECK(d.obj == ELFMOD_OBJ_WINDOW && d.index == 0);
			bad = m.win;
			bad.base = UINT64_MAX - 10;
			CHECK_RC(load(&f, &bad, 1, 0, &info, &d), ELFMOD_EINVAL);
		}
		CHECK(mem_untouched(&m));
		mem_free(&m);
		eb_free(&f);
	}

	/* ET_REL is not an executable. */
	check_ctx = "ET_REL";
	if (!build(&f, (struct eb_opts){ .cls = 64, .type = ELFMOD_ET_REL })) {
		mem_init(&m, 0, 0x4000);
		CHECK_RC(load(&f, &m.win, 1, 0, &info, &d), ELFMOD_ETYPE);
		CHECK(d.value == ELFMOD_ET_REL);
		CHECK(mem_untouched(&m));
		mem_free(&m);
		eb_free(&f);
	}
}

/* ELFMOD_CFG_MAX_LOAD_SEGMENTS loads; one more is refused before anything is written. */
static void test_segment_limit(void)
{
	struct eb_file f;
	struct mem m;
	struct elfmod_exec_info info;
	struct elfmod_diag d;

	for (int extra = 0; extra <= 1; extra++) {
		check_ctx = extra ? "limit+1" : "limit";
		if (build(&f, (struct eb_opts){ .cls = 32, .base = 0x10000,
						.nload = ELFMOD_CFG_MAX_LOAD_SEGMENTS + extra }))
			continue;
		mem_init(&m, 0x10000, 0x8000);
		if (extra) {
			CHECK_RC(load(&f, &m.win, 1, 0, &info, &d), ELFMOD_ELIMIT);
			CHECK(d.obj == ELFMOD_OBJ_PHDR && d.index == ELFMOD_CFG_MAX_LOAD_SEGMENTS);
			CHECK(mem_untouched(&m));
		} else {
			CHECK_RC(load(&f, &m.win, 1, 0, &info, &d), 0);
			CHECK_EQ(info.segments, ELFMOD_CFG_MAX_LOAD_SEGMENTS);
			CHECK(mem_matches(&m, &f, 0));
		}
		mem_free(&m);
		eb_free(&f);
	}
}

/* An image with no section headers at all loads the same bytes. */
static void test_segments_only(void)
{
	for (int cls = 32; cls <= 64; cls += 32) {
		for (int be = 0; be <= 1; be++) {
			struct eb_file f;
			struct mem m;
			struct elfmod_exec_info info;
			struct elfmod_diag d;

			check_ctx = "segments only";
			if (build(&f, (struct eb_opts){ .cls = cls, .be = be, .base = 0x8000,
							.no_sections = 1 }))
				continue;
			CHECK_EQ(f.shoff, 0);
			mem_init(&m, 0x8000, 0x3000);
			CHECK_RC(load(&f, &m.win, 1, 0, &info, &d), 0);
			CHECK(mem_matches(&m, &f, 0));
			CHECK_EQ(info.segments, 3);
			CHECK_EQ(info.entry, 0x8008);
			mem_free(&m);
			eb_free(&f);
		}
	}
}

/* A read callback failing during the copy: EIO, and nothing outside the windows. */
static void test_copy_failure(void)
{
	struct eb_file f;
	struct elfmod_exec_info info;
	struct elfmod_diag d;
	struct elfmod_source src;
	struct memsrc ms;
	unsigned long total;

	check_ctx = "copy failure";
	if (build(&f, (struct eb_opts){ .cls = 64, .be = 1, .base = 0x10000 }))
		return;
	{
		struct mem m;
		struct elfmod_exec_opts o;
		mem_init(&m, 0x10000, 0x4000);
		o = (struct elfmod_exec_opts){ .windows = &m.win, .nwindows = 1 };
		memsrc_init(&ms, &src, f.data, f.size);
		CHECK_RC(elfmod_exec_load(&src, &o, &info, &d), 0);
		total = ms.calls;
		for (unsigned long k = 1; k <= total; k++) {
			memset(m.raw, FILLB, m.size + 2 * GUARD);
			memsrc_init(&ms, &src, f.data, f.size);
			ms.fail_at = k;
			CHECK_RC(elfmod_exec_load(&src, &o, &info, &d), ELFMOD_EIO);
			CHECK_EQ(d.err, ELFMOD_EIO);
			for (unsigned g = 0; g < GUARD; g++) {
				CHECK_EQ(m.raw[g], FILLB);
				CHECK_EQ(m.raw[GUARD + m.size + g], FILLB);
			}
		}
		/* The last calls are the segment copies: a failure there names the segment. */
		CHECK(d.obj == ELFMOD_OBJ_PHDR);
		mem_free(&m);
	}
	eb_free(&f);
}

int main(void)
{
	test_loads();
	test_paddr_and_alias();
	test_two_windows();
	test_refusals();
	test_segment_limit();
	test_segments_only();
	test_copy_failure();
	return check_done("unit_exec");
}
