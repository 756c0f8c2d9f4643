/* A freestanding lx106 Linux program (qemu-xtensa -cpu lx106, raw system calls, no
 * libc) that loads the same modules as the sim firmware and runs the same checks
 * (host.c). Module memory comes from mmap: each region starts read+write and `protect`
 * turns code read+execute (qemu-user enforces no-execute, so code that was never made
 * executable would fault). Modules come from the program's own rodata (modules.S),
 * in place or through a read callback. Failed checks exit with their own code. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"
#include "host.h"

/* Linux on Xtensa: the call number in a2, arguments in a6, a3, a4, a5, a8, a9. */
#define SYS_WRITE 13
#define SYS_MMAP2 80
#define SYS_MUNMAP 81
#define SYS_MPROTECT 82
#define SYS_EXIT_GROUP 119
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_PRIVATE 0x2
#define MAP_ANONYMOUS 0x800 /* not 0x20 on Xtensa */
#define PAGE 4096u

void _start(void);

extern const uint8_t mod_lib_start[], mod_lib_end[], mod_app_start[], mod_app_end[];
extern const uint8_t mod_tsl_start[], mod_tsl_end[], mod_dbg_start[], mod_dbg_end[];
extern const uint8_t mod_far_start[], mod_far_end[], mod_bad_start[], mod_bad_end[];

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long a2 __asm__("a2") = n;
	register long a6 __asm__("a6") = a;
	register long a3 __asm__("a3") = b;
	register long a4 __asm__("a4") = c;
	register long a5 __asm__("a5") = d;
	register long a8 __asm__("a8") = e;
	register long a9 __asm__("a9") = f;

	__asm__ volatile("syscall"
			 : "+r"(a2)
			 : "r"(a6), "r"(a3), "r"(a4), "r"(a5), "r"(a8), "r"(a9)
			 : "memory");
	return a2;
}

void host_print(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	sys6(SYS_WRITE, 1, (long)(uintptr_t)s, n, 0, 0, 0);
}

void host_exit(uint32_t code)
{
	sys6(SYS_EXIT_GROUP, (long)code, 0, 0, 0, 0, 0);
	for (;;)
		;
}

/* ---- module memory: one mapping per region ---- */

struct mmap_stats {
	uint32_t maps, unmaps, rx, wx_refused;
};

static struct mmap_stats stats;

static uint64_t pages(uint64_t size)
{
	return (size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

static int map_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	struct mmap_stats *st = ctx;
	long p;

	(void)near; /* the loader checks reach itself; far.o relies on that */
	if (size == 0 || align > PAGE || size > 0x10000000u)
		return ELFMOD_ENOMEM;
	p = sys6(SYS_MMAP2, 0, (long)pages(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p < 0 && p > -4096)
		return ELFMOD_ENOMEM;
	r->addr = (uint32_t)p;
	r->wr = (void *)p;
	r->size = size;
	r->perm = ELFMOD_PERM_R | ELFMOD_PERM_W;
	st->maps++;
	return 0;
}

static void map_free(void *ctx, struct elfmod_region *r)
{
	struct mmap_stats *st = ctx;

	if (sys6(SYS_MUNMAP, (long)r->addr, (long)pages(r->size), 0, 0, 0, 0) == 0)
		st->unmaps++;
}

static int map_protect(void *ctx, struct elfmod_region *r, unsigned perm)
{
	struct mmap_stats *st = ctx;
	long prot = 0;

	if ((perm & ELFMOD_PERM_W) && (perm & ELFMOD_PERM_X)) {
		st->wx_refused++;
		return ELFMOD_EPERM;
	}
	if (perm & ELFMOD_PERM_R)
		prot |= PROT_READ;
	if (perm & ELFMOD_PERM_W)
		prot |= PROT_WRITE;
	if (perm & ELFMOD_PERM_X)
		prot |= PROT_EXEC;
	if (sys6(SYS_MPROTECT, (long)r->addr, (long)pages(r->size), prot, 0, 0, 0) != 0)
		return ELFMOD_EPERM;
	if (perm & ELFMOD_PERM_X)
		st->rx++;
	r->perm = (uint8_t)perm;
	return 0;
}

/* lx106 has no caches; ISYNC orders the stores before instruction fetch. */
static void map_sync(void *ctx, uint64_t addr, uint64_t len)
{
	(void)ctx;
	(void)addr;
	(void)len;
	__asm__ volatile("isync" ::: "memory");
}

static const struct elfmod_allocator allocator = {
	.alloc = map_alloc,
	.free = map_free,
	.protect = map_protect,
	.sync_icache = map_sync,
	.ctx = &stats,
};

/* ---- sources ---- */

struct blob {
	const uint8_t *start;
	uint32_t reads;
};

/* As a driver would fetch bytes from a device: copies, never hands out pointers. */
static int blob_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct blob *b = ctx;
	uint8_t *d = dst;

	b->reads++;
	for (size_t i = 0; i < len; i++)
		d[i] = b->start[off + i];
	return 0;
}

static struct elfmod_registry registry;

static int load(struct elfmod_module *m, const char *name, const uint8_t *start, const uint8_t *end,
		int by_callback, struct elfmod_diag *diag)
{
	struct blob b = { start, 0 };
	struct elfmod_source src = { .size = (uint64_t)(end - start) };
	const struct elfmod_load_opts opts = { .name = name, .mem = &allocator, .reg = &registry };
	int rc;

	if (by_callback) {
		src.read = blob_read;
		src.ctx = &b;
	} else {
		src.data = start;
	}
	rc = elfmod_load(m, &src, &opts, diag);
	host_print("user: ");
	host_print(name);
	host_print(rc ? " refused" : " loaded");
	host_print(by_callback ? " through a read callback" : " in place");
	if (rc == 0) {
		host_put_hex(": text ", (uint32_t)m->region[ELFMOD_KIND_TEXT].addr);
		host_put_hex(", rodata ", (uint32_t)m->region[ELFMOD_KIND_RODATA].addr);
		host_put_hex(", data ", (uint32_t)m->region[ELFMOD_KIND_DATA].addr);
		host_check(!by_callback || b.reads > 0, 2, "the read callback was never used");
		host_check(m->region[ELFMOD_KIND_TEXT].perm == (ELFMOD_PERM_R | ELFMOD_PERM_X), 3,
			   "the code was not made read+execute");
	}
	host_print("\n");
	return rc;
}

static void must_load(int rc, const char *name, const struct elfmod_diag *diag, uint32_t code)
{
	if (rc)
		host_print_diag("user: ", rc, diag);
	host_check(rc == 0, code, name);
}

void _start(void)
{
	static struct elfmod_module lib, app, tsl, dbg, far, bad;
	struct elfmod_diag diag;
	uint32_t maps;

	host_print("user: lx106 under Linux user mode\n");
	host_exports_init(&registry);

	must_load(load(&lib, "lib.o", mod_lib_start, mod_lib_end, 0, &diag), "lib.o", &diag, 10);
	host_check_lib(&lib, 20);
	must_load(load(&app, "app.o", mod_app_start, mod_app_end, 1, &diag), "app.o", &diag, 30);
	host_check(lib.refs == 1, 33, "app.o did not take a reference on lib.o");
	host_check_app(&app, &lib, &registry, 40);
	must_load(load(&tsl, "tsl.o", mod_tsl_start, mod_tsl_end, 0, &diag), "tsl.o", &diag, 50);
	host_check(lib.refs == 2, 51, "tsl.o did not take a reference on lib.o");
	host_check_tsl(&tsl, 52);
	must_load(load(&dbg, "dbg.o", mod_dbg_start, mod_dbg_end, 1, &diag), "dbg.o", &diag, 60);
	host_check_dbg(&dbg, 62);

	/* The kernel maps module memory far from this program's code (0x00400000): the
	 * CALL0 cannot reach it. */
	maps = stats.maps - stats.unmaps;
	host_check_far_refused(load(&far, "far.o", mod_far_start, mod_far_end, 0, &diag), &diag, 70);
	host_check(stats.maps - stats.unmaps == maps, 73, "a refused load left memory mapped");
	host_check_bad_refused(load(&bad, "bad.o", mod_bad_start, mod_bad_end, 1, &diag), &diag, 80);
	host_check(stats.maps - stats.unmaps == maps, 83, "a refused load left memory mapped");
	host_check(lib.refs == 2, 84, "a refused load changed a reference count");

	host_unload(&app, 110);
	host_unload(&dbg, 110);
	host_unload(&tsl, 110);
	host_unload(&lib, 110);
	host_check(registry.modules == NULL, 111, "modules left in the registry");
	host_put_hex("user: mappings ", stats.maps);
	host_put_hex(", unmapped ", stats.unmaps);
	host_put_hex(", made executable ", stats.rx);
	host_print("\n");
	host_check(stats.maps > 0 && stats.maps == stats.unmaps, 112, "module memory left mapped");
	host_check(stats.rx >= 4 && stats.wx_refused == 0, 112, "code regions not made read+execute");
	host_print("user: all module checks passed\n");
	host_exit(HOST_EXIT_OK);
}
