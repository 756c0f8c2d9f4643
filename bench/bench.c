/* elfmod benchmarks: one table, every figure a ratio against a baseline measured in the
 * same process, the two interleaved round by round (A then B, then B then A, ...) so that
 * whatever else the machine does falls on both alike. Each side's figure is the median of
 * its rounds. Nothing here asserts a time: the table says whether each aim is met.
 *
 *   elfmod_bench --so SO --zlib ZMOD.o --big BIG.o --sizes SIZES [--quick] [--only LETTERS]
 *
 * SO is the generated shared object (bench_gen so), ZMOD.o Debian's libz.a partially
 * linked, BIG.o the generated 1 MiB module, SIZES the output of core_size.sh. --quick runs
 * a few rounds only (the smoke test: the table's shape, not its figures); --only runs the
 * parts named (e.g. --only a, for a profiler). */
#define _GNU_SOURCE
#include "elfmod.h"
#include "counting.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

struct opts {
	const char *so, *zlib, *big, *sizes;
	const char *only; /* a letter: run that part only (for profiling) */
	int quick;
};

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "elfmod_bench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One side of a comparison: `run` does `reps` operations; per-op time is reported. */
struct side {
	void (*run)(void *ctx, int reps);
	void *ctx;
	int reps;
	double ns;       /* median nanoseconds per operation */
};

#define MAX_ROUNDS 64

/* Times a and b alternately for `rounds` rounds (after one untimed warm-up of each). */
static void interleave(struct side *a, struct side *b, int rounds)
{
	double ta[MAX_ROUNDS], tb[MAX_ROUNDS];

	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;
	a->run(a->ctx, 1);
	b->run(b->ctx, 1);
	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < 2; k++) {
			struct side *s = (k ^ (r & 1)) ? b : a;
			double t0 = now_ns();
			s->run(s->ctx, s->reps);
			(s == a ? ta : tb)[r] = (now_ns() - t0) / s->reps;
		}
	}
	a->ns = median(ta, rounds);
	b->ns = median(tb, rounds);
}

/* ---- the table ---- */

static void fmt_time(char *buf, size_t n, double ns)
{
	if (ns < 1e3)
		snprintf(buf, n, "%.1f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, n, "%.1f us", ns / 1e3);
	else
		snprintf(buf, n, "%.2f ms", ns / 1e6);
}

static void fmt_bytes(char *buf, size_t n, double b)
{
	if (b < 10 * 1024)
		snprintf(buf, n, "%.0f B", b);
	else if (b < 10 * 1024 * 1024)
		snprintf(buf, n, "%.1f KiB", b / 1024);
	else
		snprintf(buf, n, "%.1f MiB", b / 1048576);
}

static void row(const char *id, const char *what, const char *elf, const char *base, const char *ratio,
		const char *aim, const char *meets)
{
	printf("| %s | %s | %s | %s | %s | %s | %s |\n", id, what, elf, base, ratio, aim, meets);
}

static const char *yes_no(int ok)
{
	return ok ? "yes" : "**no**";
}

/* ---- a: a shared object through elfmod's POSIX port and through glibc ---- */

typedef int (*entry_fn)(int);
static volatile int sink;

static void glibc_cycle(void *ctx, int reps)
{
	const char *path = ctx;

	for (int i = 0; i < reps; i++) {
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		entry_fn f;

		if (!h)
			die("dlopen", dlerror());
		*(void **)&f = dlsym(h, "bench_entry");
		if (!f)
			die("dlsym bench_entry", dlerror());
		sink += f(i);
		if (dlclose(h))
			die("dlclose", dlerror());
	}
}

static void elfmod_open_cycle(void *ctx, int reps)
{
	const char *path = ctx;

	for (int i = 0; i < reps; i++) {
		struct elfmod_module *m = elfmod_open(path, 0);
		entry_fn f;

		if (!m)
			die("elfmod_open", elfmod_error());
		*(void **)&f = elfmod_sym(m, "bench_entry");
		if (!f)
			die("elfmod_sym bench_entry", path);
		sink += f(i);
		if (elfmod_close(m))
			die("elfmod_close", elfmod_error());
	}
}

static void bench_so(const struct opts *o)
{
	struct side e = { elfmod_open_cycle, (void *)o->so, o->quick ? 2 : 20, 0 };
	struct side g = { glibc_cycle, (void *)o->so, o->quick ? 2 : 20, 0 };
	char te[32], tg[32], ratio[32];
	double r;

	interleave(&e, &g, o->quick ? 3 : 31);
	r = g.ns / e.ns;
	fmt_time(te, sizeof(te), e.ns);
	fmt_time(tg, sizeof(tg), g.ns);
	if (r >= 1)
		snprintf(ratio, sizeof(ratio), "%.1fx faster", r);
	else
		snprintf(ratio, sizeof(ratio), "%.2fx (%.1fx slower)", r, 1 / r);
	row("a", "shared object, 2,000 functions + 2,000 data relocations: open, look up, call, close "
		 "(elfmod_open vs glibc dlopen RTLD_NOW)", te, tg, ratio, ">= 10x faster", yes_no(r >= 10));
}

/* The floor under row a: what no loader of that file can skip, with nothing checked or
 * relocated - open it, fstat it, read its headers, reserve the span, map each PT_LOAD
 * from the file with its final permissions, close, and unmap at the end. The segments
 * are taken from the file once, outside the timing. */
struct so_floor_seg {
	uint64_t vaddr, offset, filesz;
	uint64_t bss, bss_len;  /* whole pages of .bss past the file's: anonymous */
	int prot;
};

struct so_floor {
	const char *path;
	uint64_t span;
	uint32_t n;
	struct so_floor_seg seg[16];
};

static void so_floor_setup(struct so_floor *fl, const char *path)
{
	struct elfmod_posix_file f;
	struct elfmod_elf elf;
	struct elfmod_phdr ph;
	struct elfmod_diag d;

	memset(fl, 0, sizeof(*fl));
	fl->path = path;
	if (elfmod_posix_file_open(&f, path, 1) || elfmod_elf_open(&elf, &f.src, &d))
		die("floor: cannot read", path);
	for (uint32_t i = 0; i < elf.phnum; i++) {
		struct so_floor_seg *s = &fl->seg[fl->n];
		if (elfmod_elf_phdr(&elf, i, &ph))
			die("floor: program header", path);
		if (ph.type != ELFMOD_PT_LOAD || ph.memsz == 0)
			continue;
		if (fl->n == sizeof(fl->seg) / sizeof(fl->seg[0]) || (ph.vaddr & 4095) != (ph.offset & 4095))
			die("floor: segments not mappable", path);
		s->vaddr = ph.vaddr & ~4095ull;
		s->offset = ph.offset & ~4095ull;
		s->filesz = ph.vaddr + ph.filesz - s->vaddr;
		s->prot = ((ph.flags & ELFMOD_PF_R) ? PROT_READ : 0) | ((ph.flags & ELFMOD_PF_W) ? PROT_WRITE : 0) |
			  ((ph.flags & ELFMOD_PF_X) ? PROT_EXEC : 0);
		s->bss = (ph.vaddr + ph.filesz + 4095) & ~4095ull;
		s->bss_len = ph.vaddr + ph.memsz > s->bss ? ((ph.vaddr + ph.memsz + 4095) & ~4095ull) - s->bss : 0;
		if (ph.vaddr + ph.memsz > fl->span)
			fl->span = (ph.vaddr + ph.memsz + 4095) & ~4095ull;
		fl->n++;
	}
	elfmod_posix_file_close(&f);
}

static void so_floor_cycle(void *ctx, int reps)
{
	const struct so_floor *fl = ctx;
	uint8_t hdr[4096];

	for (int i = 0; i < reps; i++) {
		struct stat st;
		int fd = open(fl->path, O_RDONLY | O_CLOEXEC);
		uint8_t *base;

		if (fd < 0 || fstat(fd, &st) || pread(fd, hdr, sizeof(hdr), 0) <= 0)
			die("floor: open", fl->path);
		base = mmap(NULL, fl->span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base == MAP_FAILED)
			die("floor: mmap", strerror(errno));
		for (uint32_t k = 0; k < fl->n; k++)
			if (mmap(base + fl->seg[k].vaddr, fl->seg[k].filesz, fl->seg[k].prot, MAP_PRIVATE | MAP_FIXED, fd,
				 (off_t)fl->seg[k].offset) == MAP_FAILED)
				die("floor: mmap segment", strerror(errno));
		for (uint32_t k = 0; k < fl->n; k++)
			if (fl->seg[k].bss_len &&
			    mmap(base + fl->seg[k].bss, fl->seg[k].bss_len, fl->seg[k].prot,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
				die("floor: mmap .bss", strerror(errno));
		close(fd);
		sink += base[0];
		munmap(base, fl->span);
	}
}

static void bench_so_floor(const struct opts *o)
{
	struct so_floor fl;
	struct side f = { so_floor_cycle, &fl, o->quick ? 2 : 20, 0 };
	struct side g = { glibc_cycle, (void *)o->so, o->quick ? 2 : 20, 0 };
	char tf[32], tg[32], ratio[32], what[256];

	so_floor_setup(&fl, o->so);
	interleave(&f, &g, o->quick ? 3 : 31);
	fmt_time(tf, sizeof(tf), f.ns);
	fmt_time(tg, sizeof(tg), g.ns);
	snprintf(ratio, sizeof(ratio), "%.1fx faster", g.ns / f.ns);
	snprintf(what, sizeof(what),
		 "a's floor: the system calls no loader of that file avoids - open, fstat, read the headers, "
		 "map its %u PT_LOAD segments from the file, close, unmap; nothing checked, relocated or "
		 "called (vs glibc dlopen RTLD_NOW)", fl.n);
	row("a", what, tf, tg, ratio, "the best ratio a can reach here", "n/a");
}

/* ---- b, d: relocatable modules ---- */

struct file_buf {
	uint8_t *data;
	size_t size;
};

static struct file_buf read_file(const char *path)
{
	struct file_buf b = { 0, 0 };
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		die("cannot read", path);
	b.size = (size_t)n;
	b.data = malloc(b.size);
	if (!b.data || fread(b.data, 1, b.size, f) != b.size)
		die("cannot read", path);
	fclose(f);
	return b;
}

/* The host exports a module needs, collected once through dlsym and then served from a
 * hashed table, as a firmware serves its own: the timed loads resolve through elfmod. */
struct host_table {
	struct elfmod_export syms[512];
	struct elfmod_export_index index[512];
	uint32_t n;
	struct elfmod_exports t;
};

static int collect_import(void *ctx, const char *name, uint64_t *addr)
{
	struct host_table *h = ctx;
	void *p = dlsym(RTLD_DEFAULT, name);

	if (!p || h->n == 512)
		return -1;
	for (uint32_t i = 0; i < h->n; i++)
		if (!strcmp(h->syms[i].name, name))
			goto found;
	h->syms[h->n].name = strdup(name);
	h->syms[h->n].addr = p;
	h->n++;
found:
	*addr = (uint64_t)(uintptr_t)p;
	return 0;
}

/* One module loaded into an arena (no mmap, no mprotect per load: the cost is the
 * loader's own), against the memory floor: its allocated sections copied from the file
 * in memory and its NOBITS sections zeroed. */
struct rel_bench {
	struct file_buf file;
	struct elfmod_source src;
	struct elfmod_arena arena;
	struct elfmod_arena_set set;
	struct elfmod_allocator mem;
	struct elfmod_registry reg;
	struct host_table host;
	struct elfmod_load_opts lo;
	uint8_t *floor_dst;
	uint64_t file_bytes, bss_bytes;
	struct { uint64_t off, size, dst; int nobits; } sec[4096];
	uint32_t nsec;
};

static void rel_load_cycle(void *ctx, int reps)
{
	struct rel_bench *b = ctx;

	for (int i = 0; i < reps; i++) {
		struct elfmod_module m;
		struct elfmod_diag d;
		int rc = elfmod_load(&m, &b->src, &b->lo, &d);

		if (rc) {
			char t[256];
			elfmod_diag_format(&d, t, sizeof(t));
			die("elfmod_load", t);
		}
		if (elfmod_unload(&m))
			die("elfmod_unload", NULL);
	}
}

static void floor_cycle(void *ctx, int reps)
{
	struct rel_bench *b = ctx;

	for (int i = 0; i < reps; i++) {
		for (uint32_t k = 0; k < b->nsec; k++) {
			if (b->sec[k].nobits)
				memset(b->floor_dst + b->sec[k].dst, 0, b->sec[k].size);
			else
				memcpy(b->floor_dst + b->sec[k].dst, b->file.data + b->sec[k].off, b->sec[k].size);
		}
		__asm__ volatile("" : : "r"(b->floor_dst) : "memory");
	}
}

static struct rel_bench *rel_setup(const char *path)
{
	struct rel_bench *b = calloc(1, sizeof(*b));
	struct elfmod_allocator posix;
	struct elfmod_region r;
	struct elfmod_elf elf;
	struct elfmod_module m;
	struct elfmod_diag d;
	uint64_t at = 0;
	uint32_t dup;

	if (!b)
		die("out of memory", NULL);
	b->file = read_file(path);
	b->src.data = b->file.data;
	b->src.size = b->file.size;
	if (elfmod_elf_open(&elf, &b->src, &d))
		die("not an ELF file", path);
	for (uint32_t i = 1; i < elf.shnum && b->nsec < 4096; i++) {
		struct elfmod_shdr sh;

		if (elfmod_elf_shdr(&elf, i, &sh))
			die("bad section header", path);
		if (!(sh.flags & ELFMOD_SHF_ALLOC) || !sh.size)
			continue;
		if (sh.addralign > 1)
			at = (at + sh.addralign - 1) & ~(sh.addralign - 1);
		b->sec[b->nsec].off = sh.offset;
		b->sec[b->nsec].size = sh.size;
		b->sec[b->nsec].dst = at;
		b->sec[b->nsec].nobits = sh.type == ELFMOD_SHT_NOBITS;
		if (sh.type == ELFMOD_SHT_NOBITS)
			b->bss_bytes += sh.size;
		else
			b->file_bytes += sh.size;
		at += sh.size;
		b->nsec++;
	}
	b->floor_dst = malloc((size_t)at + 1);
	if (!b->floor_dst)
		die("out of memory", NULL);
	memset(b->floor_dst, 1, (size_t)at + 1);

	/* One arena of 8x the module for every kind, from the POSIX allocator near libc so
	 * the module's references to host functions reach without trouble. */
	elfmod_posix_allocator(&posix);
	memset(&r, 0, sizeof(r));
	r.kind = ELFMOD_KIND_DATA;
	if (posix.alloc(posix.ctx, &r, 8 * b->file.size + (1u << 20), 4096, (uint64_t)(uintptr_t)&memcpy))
		die("cannot map the arena", NULL);
	memset(r.wr, 0, (size_t)r.size);
	elfmod_arena_init(&b->arena, r.wr, r.addr, r.size);
	for (int k = 0; k < 4; k++)
		b->set.by_kind[k] = &b->arena;
	elfmod_arena_allocator(&b->mem, &b->set);

	elfmod_registry_init(&b->reg);
	memset(&b->lo, 0, sizeof(b->lo));
	b->lo.name = path;
	b->lo.mem = &b->mem;
	b->lo.reg = &b->reg;
	b->lo.flags = ELFMOD_LOAD_NO_INIT;
	b->lo.resolve = collect_import;
	b->lo.resolve_ctx = &b->host;
	if (elfmod_load(&m, &b->src, &b->lo, &d)) {
		char t[256];
		elfmod_diag_format(&d, t, sizeof(t));
		die("elfmod_load", t);
	}
	elfmod_unload(&m);
	if (elfmod_exports_init(&b->host.t, b->host.syms, b->host.n, b->host.index, &dup))
		die("host exports", NULL);
	if (elfmod_registry_add_exports(&b->reg, &b->host.t))
		die("host exports", NULL);
	b->lo.resolve = NULL;
	return b;
}

static void bench_rel(const struct opts *o, const char *path, const char *label)
{
	struct rel_bench *b = rel_setup(path);
	struct side e = { rel_load_cycle, b, 1, 0 };
	struct side f = { floor_cycle, b, 1, 0 };
	char te[32], tf[32], ratio[32], what[256], fb[32], bb[32];
	double r;

	/* Enough repetitions per round that one round lasts a few milliseconds. */
	e.reps = f.reps = o->quick ? 1 : (int)(8e6 / (double)b->file.size) + 1;
	f.reps *= 4;
	interleave(&e, &f, o->quick ? 3 : 21);
	r = e.ns / f.ns;
	fmt_time(te, sizeof(te), e.ns);
	fmt_time(tf, sizeof(tf), f.ns);
	fmt_bytes(fb, sizeof(fb), (double)b->file_bytes);
	fmt_bytes(bb, sizeof(bb), (double)b->bss_bytes);
	snprintf(ratio, sizeof(ratio), "%.2fx floor", r);
	snprintf(what, sizeof(what), "ET_REL load + unload, %s (%s from the file, %s .bss) vs "
		 "memcpy + memset of the same bytes", label, fb, bb);
	row("b", what, te, tf, ratio, "<= 3x floor", yes_no(r <= 3));
	free(b->floor_dst);
	free(b->file.data);
	for (uint32_t i = 0; i < b->host.n; i++)
		free((void *)b->host.syms[i].name);
	free(b);
}

/* d: a load from a read callback (pread, as from SPI flash), every byte of memory it
 * takes counted: the peak against the image it leaves. */
static void bench_stream(const char *path, const char *label)
{
	struct rel_bench *b = rel_setup(path); /* for its host table only */
	struct elfmod_posix_file f;
	struct elfmod_allocator mem;
	struct elfmod_load_opts lo;
	struct elfmod_module m;
	struct elfmod_diag d;
	struct counting c;
	uint64_t image = 0;
	char tp[32], ti[32], ratio[64], what[320];

	counting_init(&c, &mem);
	if (elfmod_posix_file_open(&f, path, 0))
		die("cannot open", path);
	lo = b->lo;
	lo.mem = &mem;
	if (elfmod_load(&m, &f.src, &lo, &d)) {
		char t[256];
		elfmod_diag_format(&d, t, sizeof(t));
		die("elfmod_load (streaming)", t);
	}
	for (int k = 0; k < 3; k++)
		image += m.region[k].size;
	fmt_bytes(tp, sizeof(tp), (double)c.peak);
	fmt_bytes(ti, sizeof(ti), (double)image);
	snprintf(ratio, sizeof(ratio), "%.3fx image", (double)c.peak / (double)image);
	/* What stays beyond the image is the module's own record (its symbols for
	 * elfmod_sym and importers); what goes is the loader's scratch. */
	snprintf(what, sizeof(what), "streaming load (pread callback) peak RAM vs image, %s (file %.1f KiB, "
		 "read %.2fx; kept besides the image %.1f KiB, scratch %.1f KiB)", label,
		 (double)f.src.size / 1024, (double)f.bytes_read / (double)f.src.size,
		 (double)(c.cur - image) / 1024, (double)(c.peak - c.cur) / 1024);
	row("d", what, tp, ti, ratio, "none set", "n/a");
	elfmod_unload(&m);
	elfmod_posix_file_close(&f);
	free(b->floor_dst);
	free(b->file.data);
	for (uint32_t i = 0; i < b->host.n; i++)
		free((void *)b->host.syms[i].name);
	free(b);
}

/* ---- c: symbol resolution ---- */

#define NSYMS 10000

struct lookup_bench {
	struct elfmod_export syms[NSYMS];
	struct elfmod_export_index index[NSYMS];
	struct elfmod_exports t;
	const char *imports[NSYMS];  /* separate copies, in another order: a module's names */
	uint32_t n;
};

static void hashed_lookups(void *ctx, int reps)
{
	struct lookup_bench *b = ctx;

	for (int r = 0; r < reps; r++)
		for (uint32_t i = 0; i < b->n; i++) {
			const char *name = b->imports[i];
			const struct elfmod_export *e = elfmod_exports_find(&b->t, name, elfmod_hash(name));
			if (!e)
				die("lookup failed", name);
			sink += (int)(uintptr_t)e->addr;
		}
}

static void linear_lookups(void *ctx, int reps)
{
	struct lookup_bench *b = ctx;

	for (int r = 0; r < reps; r++)
		for (uint32_t i = 0; i < b->n; i++) {
			const char *name = b->imports[i];
			uint32_t k = 0;

			while (k < b->n && strcmp(b->syms[k].name, name))
				k++;
			if (k == b->n)
				die("lookup failed", name);
			sink += (int)(uintptr_t)b->syms[k].addr;
		}
}

static void bench_lookup(const struct opts *o)
{
	static const char *const sub[] = { "gpio", "uart", "spi", "i2c", "adc", "dma", "timer",
					   "flash", "usb", "net", "fs", "log", "crypto", "ble", "wifi",
					   "audio" };
	static const char *const verb[] = { "init", "deinit", "read", "write", "set_mode",
					    "get_status", "configure", "enable_irq", "disable_irq",
					    "start", "stop", "reset", "poll", "flush", "lock", "unlock" };
	struct lookup_bench *b = calloc(1, sizeof(*b));
	struct side e = { hashed_lookups, b, 1, 0 }, l = { linear_lookups, b, 1, 0 };
	char te[32], tl[32], ratio[32], aim[64];
	uint32_t dup;
	double r;

	if (!b)
		die("out of memory", NULL);
	b->n = NSYMS;
	for (uint32_t i = 0; i < NSYMS; i++) {
		char name[64];
		/* Names share prefixes as real APIs do: subsystem, unit, verb. */
		snprintf(name, sizeof(name), "%s%u_%s", sub[i % 16], i / 256, verb[(i / 16) % 16]);
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "_%u", i % 16);
		b->syms[i].name = strdup(name);
		b->syms[i].addr = &b->syms[i];
	}
	/* The imports: copies, in a shuffled order (a fixed LCG: the same every run). */
	for (uint32_t i = 0; i < NSYMS; i++)
		b->imports[i] = strdup(b->syms[i].name);
	for (uint32_t i = NSYMS - 1, x = 12345; i > 0; i--) {
		const char *t;
		x = x * 1103515245u + 12345u;
		uint32_t j = (x >> 8) % (i + 1);
		t = b->imports[i];
		b->imports[i] = b->imports[j];
		b->imports[j] = t;
	}
	if (elfmod_exports_init(&b->t, b->syms, NSYMS, b->index, &dup))
		die("exports_init", b->syms[dup].name);
	e.reps = o->quick ? 1 : 20;
	interleave(&e, &l, o->quick ? 3 : 7);
	e.ns /= NSYMS;
	l.ns /= NSYMS;
	r = l.ns / e.ns;
	fmt_time(te, sizeof(te), e.ns);
	fmt_time(tl, sizeof(tl), l.ns);
	snprintf(ratio, sizeof(ratio), "%.0fx faster", r);
	snprintf(aim, sizeof(aim), ">= 50x faster, < 100 ns");
	row("c", "10,000 imports resolved against 10,000 host exports, per lookup "
		 "(elfmod_hash + elfmod_exports_find vs linear strcmp scan)",
	    te, tl, ratio, aim, yes_no(r >= 50 && e.ns < 100));
	for (uint32_t i = 0; i < NSYMS; i++) {
		free((void *)b->syms[i].name);
		free((void *)b->imports[i]);
	}
	free(b);
}

/* ---- e: code size, from core_size.sh's output ---- */

static long size_of(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	char k[128];
	long v = -1, x;

	if (!f)
		return -1;
	while (fscanf(f, "%127s %ld", k, &x) == 2)
		if (!strcmp(k, key))
			v = x;
	fclose(f);
	return v;
}

static void size_row(const char *sizes, const char *key, const char *what, long aim)
{
	long v = size_of(sizes, key);
	char val[32], am[32];

	snprintf(am, sizeof(am), "< %ld KiB", aim / 1024);
	if (v < 0) {
		row("e", what, "not measured", "-", "-", am, "n/a");
		return;
	}
	snprintf(val, sizeof(val), "%ld B (%.1f KiB)", v, (double)v / 1024);
	row("e", what, val, "-", "-", am, yes_no(v < aim));
}

static void bench_sizes(const struct opts *o)
{
	size_row(o->sizes, "core_default", "core linked into a firmware that loads ET_REL modules, "
		 "Cortex-M4 -Os, gc-sections, default options (text + rodata + data)", 6 * 1024);
	size_row(o->sizes, "core_min", "the same, ELFMOD_CFG_HOST_ARCH_ONLY=1, RELOC_NAMES=0, "
		 "INTEGRITY=0", 6 * 1024);
	size_row(o->sizes, "core_rel_only", "the same and DYNAMIC=0: relocatable modules only (smallest "
		 "configuration)", 6 * 1024);
	size_row(o->sizes, "tiny", "tiny packed-module loader (src/tiny/elfmod_tiny.c), Cortex-M4 -Os "
		 "(text)", 1024);
}

static void machine_line(void)
{
	struct utsname u;
	char model[256] = "unknown CPU", line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');
		if (!strncmp(line, "model name", 10) && p) {
			snprintf(model, sizeof(model), "%s", p + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	uname(&u);
	printf("machine: %s; %s %s %s; glibc %s; %s\n\n", model, u.sysname, u.release, u.machine,
	       gnu_get_libc_version(), "gcc " __VERSION__);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };

	for (int i = 1; i < argc; i++) {
		const char **slot = !strcmp(argv[i], "--so")	? &o.so
				    : !strcmp(argv[i], "--zlib")	? &o.zlib
				    : !strcmp(argv[i], "--big")	? &o.big
				    : !strcmp(argv[i], "--sizes") ? &o.sizes
				    : !strcmp(argv[i], "--only") ? &o.only
								  : NULL;
		if (!strcmp(argv[i], "--quick")) {
			o.quick = 1;
		} else if (slot && i + 1 < argc) {
			*slot = argv[++i];
		} else {
			fprintf(stderr, "usage: %s --so SO --zlib ZMOD.o --big BIG.o --sizes SIZES [--quick] [--only abcde]\n",
				argv[0]);
			return 2;
		}
	}
	if (!o.so || !o.zlib || !o.big || !o.sizes) {
		fprintf(stderr, "elfmod_bench: --so, --zlib, --big and --sizes are required\n");
		return 2;
	}
	/* dlopen searches the library path for a name without a slash: both loaders get
	 * the same absolute path. */
	o.so = realpath(o.so, NULL);
	if (!o.so)
		die("--so", strerror(errno));
	printf("elfmod benchmarks%s: each ratio against a baseline run side by side in the same "
	       "process (medians of interleaved rounds)\n", o.quick ? " (--quick: shape only, figures "
								 "not meaningful)" : "");
	machine_line();
	printf("| # | measure | elfmod | baseline | ratio | aim | meets aim |\n");
	printf("|---|---|---|---|---|---|---|\n");
#define PART(c) (!o.only || strchr(o.only, c))
	if (PART('a')) {
		bench_so(&o);
		bench_so_floor(&o);
	}
	if (PART('b')) {
		bench_rel(&o, o.zlib, "Debian zlib (libz.a, ld -r)");
		bench_rel(&o, o.big, "generated 1 MiB module");
	}
	if (PART('c'))
		bench_lookup(&o);
	if (PART('d')) {
		bench_stream(o.zlib, "Debian zlib");
		bench_stream(o.big, "generated 1 MiB module");
	}
	if (PART('e'))
		bench_sizes(&o);
	return 0;
}
