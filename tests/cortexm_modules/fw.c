/* Bare-metal Cortex-M firmware that loads modules with elfmod and calls them: relocatable
 * objects (ET_REL), a shared object (ET_DYN) and, with FW_EXEC, an executable linked
 * with --emit-relocs (ET_EXEC); run under QEMU (mps2-an385 M3, mps2-an386 M4, microbit M0).
 *
 * Modules come from two places: the "modules" partition inside this firmware's own
 * flash image (modules.S, read in place: an addressable source) and files on the host
 * read over semihosting with a read callback that seeks and reads, as a driver would
 * from an SD card. They link against the firmware's export table (ELFMOD_EXPORT below,
 * indexed into RAM at boot) and against each other; their code runs from RAM arenas.
 *
 * Every check that fails prints "fw: FAIL ..." and exits with its own code; success
 * exits with FW_EXIT_OK. Start-up code, semihosting and exit codes come from the
 * bootloader test next door (../cortexm). */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"
#include "fw_api.h"
#include "fw_check.h"
#include "fw_common.h"
#include "semihost.h"
#include "semihost_file.h"
#include "services.h"

#define FW_EXIT_OK 42

/* Per-core sizes: the micro:bit has 16 KiB of RAM in all. */
#ifndef ARENA_TEXT
#define ARENA_TEXT 8192
#endif
#ifndef ARENA_RODATA
#define ARENA_RODATA 2048
#endif
#ifndef ARENA_DATA
#define ARENA_DATA 1024
#endif
#ifndef ARENA_META
#define ARENA_META 4096
#endif
/* 1 where the pure-code module must be refused (its relocations are not implemented
 * for this core). */
#ifndef PURE_REFUSED
#define PURE_REFUSED 0
#endif
/* 1 when elfmod_load moves --emit-relocs executables and exe.elf is in the partition. */
#ifndef FW_EXEC
#define FW_EXEC 0
#endif

int boot_main(void);

/* ---- what modules may call (the functions are fw_common.h's) ---- */

ELFMOD_EXPORT(fw_print);
ELFMOD_EXPORT(fw_register_callback);
ELFMOD_EXPORT(fw_twice);
ELFMOD_EXPORT(memcpy);
ELFMOD_EXPORT(memset);
ELFMOD_EXPORT(__aeabi_idiv);

extern const struct elfmod_export __start_elfmod_exports[], __stop_elfmod_exports[];

/* ---- the modules partition in flash (modules.S) ---- */

extern const uint8_t mod_lib_start[], mod_lib_end[];
extern const uint8_t mod_app_start[], mod_app_end[];
extern const uint8_t mod_pure_start[], mod_pure_end[];
extern const uint8_t mod_shlib_start[], mod_shlib_end[];
#if FW_EXEC
extern const uint8_t mod_exe_start[], mod_exe_end[];
#endif

static void print_diag(const char *what, int rc, const struct elfmod_diag *d)
{
	char msg[160];

	elfmod_diag_format(d, msg, sizeof(msg));
	semihost_print(what);
	semihost_print(msg);
	put_hex(" (rc ", (uint32_t)rc);
	semihost_print(")\n");
}

/* ---- the "SD card": host files over semihosting, read through a callback ---- */

/* Like a card driver, the callback fetches whole 512-byte sectors and keeps the last
 * few. elfmod reads a file in passes, an entry at a time, going back and forth between
 * the section header table, the symbol table and its strings: with one cached sector a
 * 2.4 KiB module costs ~600 sector fetches, with three ~25, with four ~10. */
#define SECTOR 512u
#define NO_SECTOR 0xffffffffu
#ifndef SD_CACHE_SECTORS
#define SD_CACHE_SECTORS 4
#endif

struct sd_file {
	int handle;
	uint32_t size;
	uint32_t pos;                       /* the host file's position */
	uint32_t tag[SD_CACHE_SECTORS];     /* sector held by each slot, or NO_SECTOR */
	uint32_t victim;                    /* next slot to replace (round robin) */
	uint32_t calls, sector_reads;
	uint8_t buf[SD_CACHE_SECTORS][SECTOR];
};

static int sd_open(struct sd_file *f, const char *name)
{
	f->handle = semihost_open(name);
	if (f->handle < 0)
		return -1;
	f->size = semihost_flen(f->handle);
	f->pos = 0;
	f->victim = 0;
	f->calls = f->sector_reads = 0;
	for (uint32_t k = 0; k < SD_CACHE_SECTORS; k++)
		f->tag[k] = NO_SECTOR;
	return (int32_t)f->size < 0 ? -1 : 0;
}

static void sd_close(struct sd_file *f)
{
	semihost_close(f->handle);
}

/* The cache slot holding sector `sec`, fetched into the next victim slot if need be
 * (seek when the host position is elsewhere, then read what the file has of it); -1
 * on an error. */
static int sd_sector(struct sd_file *f, uint32_t sec)
{
	uint32_t at = sec * SECTOR, n = f->size - at < SECTOR ? f->size - at : SECTOR, k;

	for (k = 0; k < SD_CACHE_SECTORS; k++)
		if (f->tag[k] == sec)
			return (int)k;
	k = f->victim;
	f->victim = (k + 1) % SD_CACHE_SECTORS;
	f->tag[k] = NO_SECTOR;
	if (f->pos != at) {
		if (semihost_seek(f->handle, at) != 0)
			return -1;
		f->pos = at;
	}
	if (semihost_read(f->handle, f->buf[k], n) != 0) {
		f->pos = NO_SECTOR;
		return -1;
	}
	f->pos = at + n;
	f->tag[k] = sec;
	f->sector_reads++;
	return (int)k;
}

static int sd_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct sd_file *f = ctx;
	uint8_t *d = dst;

	if (off > f->size || len > f->size - off)
		return -1;
	f->calls++;
	while (len) {
		uint32_t o = (uint32_t)off, in = o % SECTOR;
		size_t n = SECTOR - in < len ? SECTOR - in : len;
		int k = sd_sector(f, o / SECTOR);
		if (k < 0)
			return -1;
		memcpy(d, f->buf[k] + in, n);
		d += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* ---- module memory: static arenas in RAM; code runs from RAM ---- */

static uint8_t text_mem[ARENA_TEXT] __attribute__((aligned(8)));
static uint8_t rodata_mem[ARENA_RODATA] __attribute__((aligned(8)));
static uint8_t data_mem[ARENA_DATA] __attribute__((aligned(8)));
static uint8_t meta_mem[ARENA_META] __attribute__((aligned(8)));
static struct elfmod_arena arenas[4];
static struct elfmod_arena_set arena_set;
static struct elfmod_allocator allocator;
static uint32_t icache_syncs;

/* No caches on these cores, but code written through the data side must be visible
 * to instruction fetch before it runs: complete the writes, flush the pipeline. */
static void sync_icache(void *ctx, uint64_t addr, uint64_t len)
{
	++*(uint32_t *)ctx;
	elfmod_cache_sync(NULL, addr, len); /* the cache port: DSB, ISB */
}

static uint32_t arena_blocks(void)
{
	uint32_t n = 0;

	for (int k = 0; k < 4; k++)
		n += arenas[k].nblocks;
	return n;
}

/* ---- loading ---- */

static struct elfmod_registry registry;
static struct elfmod_export_index export_index[16];
static struct elfmod_exports exports;

static int load_flash(struct elfmod_module *m, const char *name, const uint8_t *start,
		      const uint8_t *end, struct elfmod_diag *diag)
{
	const struct elfmod_source src = { .data = start, .size = (uint64_t)(end - start) };
	const struct elfmod_load_opts opts = { .name = name, .mem = &allocator, .reg = &registry };
	int rc = elfmod_load(m, &src, &opts, diag);

	semihost_print("fw: ");
	semihost_print(name);
	if (rc == 0) {
		put_hex(" loaded from flash: text ", (uint32_t)m->region[ELFMOD_KIND_TEXT].addr);
		put_hex(", stubs ", m->stubs);
		semihost_print("\n");
	} else {
		semihost_print(" from flash refused\n");
	}
	return rc;
}

static int load_sd(struct elfmod_module *m, const char *name, struct elfmod_diag *diag)
{
	static struct sd_file f;
	struct elfmod_source src = { .read = sd_read, .ctx = &f };
	const struct elfmod_load_opts opts = { .name = name, .mem = &allocator, .reg = &registry };
	int rc;

	if (sd_open(&f, name)) {
		semihost_print("fw: cannot open ");
		semihost_print(name);
		semihost_print(" on the host\n");
		memset(diag, 0, sizeof(*diag));
		diag->err = ELFMOD_EIO;
		diag->field = "semihosting SYS_OPEN";
		return ELFMOD_EIO;
	}
	src.size = f.size;
	rc = elfmod_load(m, &src, &opts, diag);
	sd_close(&f);
	semihost_print("fw: ");
	semihost_print(name);
	if (rc == 0) {
		put_hex(" loaded from sd: text ", (uint32_t)m->region[ELFMOD_KIND_TEXT].addr);
		put_hex(", stubs ", m->stubs);
		put_hex(", ", f.size);
		put_hex(" bytes in ", f.calls);
		put_hex(" reads, ", f.sector_reads);
		semihost_print(" sector fetches\n");
		check(f.calls > 0 && f.sector_reads > 0, 30, "the read callback was never used");
	} else {
		semihost_print(" from sd refused\n");
	}
	return rc;
}

/* ---- stack high-water mark, for the size report ---- */

#define STACK_PAINT 0x57ac57acu

extern uint32_t __bss_end[], __stack_top[];

/* Paints the free RAM between .bss and the live stack, to see later how deep it got. */
static void __attribute__((noinline)) paint_stack(void)
{
	volatile uint32_t *p = __bss_end;
	uint32_t *sp;

	__asm__ volatile("mov %0, sp" : "=r"(sp));
	while (p < sp - 32)
		*p++ = STACK_PAINT;
}

static uint32_t stack_used(void)
{
	const volatile uint32_t *p = __bss_end;

	while (p < __stack_top && *p == STACK_PAINT)
		p++;
	return (uint32_t)((uintptr_t)__stack_top - (uintptr_t)p);
}

/* ---- the checks ---- */

typedef int (*int_fn_int)(int);
typedef int (*int_fn_void)(void);
typedef int (*int_fn_uint_int)(unsigned, int);
typedef int (*int_fn_int_int)(int, int);

static void *sym(const struct elfmod_module *m, const char *name, uint32_t code)
{
	return need_symbol(elfmod_sym(m, name), name, code);
}

/* Whether the module's rodata region holds lib's unwind entry for `fn`. */
static int exidx_covers(const struct elfmod_module *m, const void *fn)
{
	const struct elfmod_region *r = &m->region[ELFMOD_KIND_RODATA];

	return exidx_covers_in((uint32_t)r->addr, (uint32_t)r->size, fn);
}

/* Runs everything app.o offers; `base` is the exit code of its first check. */
static void exercise_app(struct elfmod_module *app, const struct elfmod_module *lib, uint32_t base)
{
	int_fn_void start = (int_fn_void)sym(app, "app_start", base);
	int_fn_uint_int apply = (int_fn_uint_int)sym(app, "app_apply", base);
	int_fn_void counter = (int_fn_void)sym(app, "app_counter", base);
	int_fn_int_int div = (int_fn_int_int)sym(app, "app_div", base);
	int_fn_int tail = (int_fn_int)sym(app, "app_tail", base);
	int_fn_int fw_tail = (int_fn_int)sym(app, "app_fw_tail", base);
	int_fn_void lib_calls = (int_fn_void)sym(app, "app_lib_calls", base);
	int_fn_void lib_calls_direct = (int_fn_void)sym(lib, "lib_calls", base);
	int *seed = sym(app, "app_seed", base);
	const struct elfmod_module *who = NULL;
	const char *what = NULL;
	uint64_t off = 1;
	int before;

	check(((uintptr_t)start & 1) == 1, base + 1, "app_start is not a Thumb address");
	check(*seed == 1234, base + 1, "app_seed: .data not loaded");
	callback = NULL;
	check(start() == 0xc0de, base + 2, "constructor did not run (app_start)");
	check(callback != NULL, base + 3, "the module registered no callback");
	check(counter() == 7, base + 3, ".bss not zero (app_counter)");
	callback(5);
	callback(-2);
	check(counter() == 10, base + 3, "callback into the module (app_counter)");
	check(apply(0, 21) == 42 + 1234, base + 4, "function pointer to a local function (dbl)");
	*seed = 0;
	check(apply(0, 21) == 42, base + 4, "module data written by the host (dbl)");
	check(apply(1, 9) == -9, base + 4, "function pointer (neg)");
	before = lib_calls_direct();
	check(apply(2, 5) == lib_scale_expected(5), base + 5, "function pointer to an import (lib_scale)");
	check(apply(3, 11) == 22, base + 5, "function pointer to the firmware (fw_twice)");
	check(apply(4, 0) == -1, base + 5, "app_apply bounds");
	check(div(-91, 7) == -13, base + 6, "division (app_div)");
	check(tail(10) == lib_scale_expected(11), base + 7, "tail call into lib (app_tail)");
	check(fw_tail(20) == 42, base + 7, "tail call into the firmware (app_fw_tail)");
	check(lib_calls() == before + 2 && lib_calls_direct() == before + 2, base + 8,
	      "lib's .bss counter seen through app");
	check(elfmod_addr_lookup(&registry, (uintptr_t)counter, &who, &what, &off) == 0 && who == app &&
		      what && off == 0,
	      base + 9, "elfmod_addr_lookup(app_counter)");
	semihost_print("fw: app checks passed\n");
}

static void unload(struct elfmod_module *m, uint32_t code)
{
	int rc = elfmod_unload(m);

	if (rc) {
		put_hex("fw: unload failed, rc ", (uint32_t)rc);
		semihost_print("\n");
		semihost_exit(code);
	}
}

/* Whether [p, p + len) lies in the image of a shared object or executable. */
static int in_image(const struct elfmod_module *m, const void *p, uint32_t len)
{
	const struct elfmod_region *r = &m->region[ELFMOD_KIND_TEXT];
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)1;

	return a >= r->addr && a - r->addr <= r->size && r->size - (a - r->addr) >= len;
}

typedef const char *(*str_fn_uint)(unsigned);
typedef int_fn_int (*fn_fn_void)(void);

/* Runs everything shlib.so offers, right after a load; `base` is the exit code of its
 * first check. */
static void exercise_so(const struct elfmod_module *so, uint32_t base)
{
	int_fn_uint_int apply = (int_fn_uint_int)sym(so, "so_apply", base);
	str_fn_uint message = (str_fn_uint)sym(so, "so_message", base);
	int_fn_void calls = (int_fn_void)sym(so, "so_calls", base);
	fn_fn_void twice = (fn_fn_void)sym(so, "so_fw_twice", base);
	int *ctor_ran = sym(so, "so_ctor_ran", base);
	int *so_base = sym(so, "so_base", base);
	const struct elfmod_module *who = NULL;
	const char *what = NULL, *msg;
	uint64_t off = 1;

	/* One image: code and data in the text region, nothing in the others. */
	check(so->dyn != NULL && so->region[ELFMOD_KIND_RODATA].size == 0 &&
		      so->region[ELFMOD_KIND_DATA].size == 0,
	      base, "a shared object is not one image");
	check(((uintptr_t)apply & 1) && in_image(so, (const void *)apply, 2) &&
		      in_image(so, ctor_ran, 4) && in_image(so, so_base, 4),
	      base, "symbols outside the image, or not Thumb");
	check(*ctor_ran == 0x50c7, base + 1, "the constructor (init_array) did not run");
	/* The constructor called the firmware (JUMP_SLOT, or GLOB_DAT on ARMv6-M). */
	check(callback != NULL && in_image(so, (const void *)callback, 2), base + 1,
	      "the constructor registered no callback of the shared object");
	check(calls() == 0, base + 2, ".bss not zero (so_calls)");
	check(*so_base == 100, base + 2, ".data not loaded (so_base)");
	check(apply(0, 5) == 105, base + 3, "pointer to a local function (R_ARM_RELATIVE)");
	check(apply(1, 21) == 42, base + 3, "pointer to the firmware in data (R_ARM_ABS32)");
	/* Its code reads so_base through the GOT (GLOB_DAT against its own symbol). */
	*so_base = 1000;
	check(apply(0, 5) == 1005, base + 4, "so_base written by the firmware (R_ARM_GLOB_DAT)");
	check(twice() == fw_twice, base + 4, "the firmware's address from the GOT (R_ARM_GLOB_DAT)");
	msg = message(1);
	check(in_image(so, msg, 20) && msg[0] == 's' && msg[4] == 's' && msg[18] == '\n' && msg[19] == 0,
	      base + 5, "pointer to a string in a table (R_ARM_RELATIVE)");
	msg = message(0);
	check(in_image(so, msg, 19) && msg[4] == 'f', base + 5, "pointer to a local string (R_ARM_RELATIVE)");
	callback(5);
	check(calls() == 3 + 5, base + 6, "callback into the shared object");
	check(elfmod_addr_lookup(&registry, (uintptr_t)calls, &who, &what, &off) == 0 && who == so &&
		      what && off == 0,
	      base + 7, "elfmod_addr_lookup(so_calls)");
}

/* A shared object, in place from flash and from the "SD card", with a relocatable
 * module importing from it. The caller lends the module storage (RAM is short on the
 * micro:bit). */
static void shared_object_checks(struct elfmod_module *so, struct elfmod_module *user)
{
	struct elfmod_diag diag;
	int rc;

	rc = load_flash(so, "shlib.so", mod_shlib_start, mod_shlib_end, &diag);
	if (rc)
		print_diag("fw: shlib.so: ", rc, &diag);
	check(rc == 0, 100, "loading shlib.so from flash");
	exercise_so(so, 100);

	/* Its dynamic symbols serve other modules, which then hold it. */
	rc = load_sd(user, "souser.o", &diag);
	if (rc)
		print_diag("fw: souser.o: ", rc, &diag);
	check(rc == 0, 110, "loading souser.o over semihosting");
	check(so->refs == 1, 111, "souser.o did not take a reference on shlib.so");
	{
		int_fn_int run = (int_fn_int)sym(user, "user_run", 112);
		const int *so_base = sym(so, "so_base", 112);
		check(run(1) == 1 + 2 * *so_base, 112, "souser.o calling into shlib.so");
	}
	rc = elfmod_unload(so);
	check(rc == ELFMOD_EBUSY, 113, "shlib.so unloaded while souser.o imports from it");
	semihost_print("fw: shlib.so busy while souser.o uses it\n");
	unload(user, 114);
	check(so->refs == 0, 114, "unloading souser.o kept its reference on shlib.so");
	unload(so, 115);
	check(callback == NULL, 115, "the destructor (fini_array) did not run");

	/* Again from the "SD card": fresh .data and .bss, the constructor again. */
	rc = load_sd(so, "shlib.so", &diag);
	if (rc)
		print_diag("fw: shlib.so: ", rc, &diag);
	check(rc == 0, 120, "loading shlib.so over semihosting");
	exercise_so(so, 120);
	unload(so, 128);
	check(callback == NULL, 128, "the destructor (fini_array) did not run");
	semihost_print("fw: shlib checks passed\n");
}

#if FW_EXEC
/* exe_main(x): (x odd ? x - 1 : x + 1) * 3 + 2x + its calls so far. */
static int exe_expected(int x, int hits)
{
	return ((x & 1) ? x - 1 : x + 1) * 3 + 2 * x + hits;
}

/* The --emit-relocs executable, linked at 0, moved into the text arena; from flash,
 * then from the "SD card". The caller lends the module storage. */
static void exec_checks(struct elfmod_module *exe)
{
	struct elfmod_diag diag;
	int_fn_int entry;
	uint32_t blocks = arena_blocks();
	int rc;

	/* Kept at its link address it would have to sit at 0, in flash: refused, nothing
	 * left allocated. */
	{
		const struct elfmod_source src = { .data = mod_exe_start,
						   .size = (uint64_t)(mod_exe_end - mod_exe_start) };
		const struct elfmod_load_opts fixed = { .name = "exe.elf", .mem = &allocator, .reg = &registry,
							.flags = ELFMOD_LOAD_EXEC_FIXED };
		rc = elfmod_load(exe, &src, &fixed, &diag);
		check(rc == ELFMOD_EWINDOW, 129, "exe.elf at its link address: expected ELFMOD_EWINDOW");
		print_diag("fw: exe.elf at its link address refused: ", rc, &diag);
		check(arena_blocks() == blocks, 129, "a refused load left memory allocated");
	}

	for (int from_sd = 0; from_sd < 2; from_sd++) {
		uint32_t base = from_sd ? 140 : 130;
		rc = from_sd ? load_sd(exe, "exe.elf", &diag)
			     : load_flash(exe, "exe.elf", mod_exe_start, mod_exe_end, &diag);
		if (rc)
			print_diag("fw: exe.elf: ", rc, &diag);
		check(rc == 0, base, "loading exe.elf");
		check(exe->dyn != NULL && exe->dyn->entry != 0, base + 1, "exe.elf: no entry point");
		/* Linked at 0: only moved code can run from the arena. */
		check(exe->region[ELFMOD_KIND_TEXT].addr != 0 &&
			      exe->dyn->bias == exe->region[ELFMOD_KIND_TEXT].addr,
		      base + 1, "exe.elf was not moved from its link address");
		entry = (int_fn_int)(uintptr_t)exe->dyn->entry;
		check(((uintptr_t)entry & 1) && in_image(exe, (const void *)entry, 2), base + 1,
		      "exe.elf: entry point outside the image, or not Thumb");
		/* Fresh .bss each time: the count of calls starts again at 1. */
		check(entry(4) == exe_expected(4, 1), base + 2, "exe_main(4)");
		check(entry(3) == exe_expected(3, 2), base + 3, "exe_main(3)");
		unload(exe, base + 4);
	}
	semihost_print("fw: exe checks passed\n");
}
#endif

int boot_main(void)
{
	static struct elfmod_module lib, app, bad, pure;
	uint32_t n = (uint32_t)(__stop_elfmod_exports - __start_elfmod_exports), dup = 0;
	struct elfmod_diag diag;
	uint32_t blocks, syncs;
	int rc;

	paint_stack();
	semihost_print("fw: " FW_CORE " up\n");

	/* The export table: collected by the linker, indexed into RAM at boot. */
	check(n > 0 && n <= sizeof(export_index) / sizeof(export_index[0]), 1, "export table size");
	rc = elfmod_exports_init(&exports, __start_elfmod_exports, n, export_index, &dup);
	check(rc == 0, 1, "elfmod_exports_init");
	elfmod_registry_init(&registry);
	check(elfmod_registry_add_exports(&registry, &exports) == 0, 1, "elfmod_registry_add_exports");
	put_hex("fw: firmware exports ", n);
	semihost_print("\n");

	elfmod_arena_init(&arenas[ELFMOD_KIND_TEXT], text_mem, (uintptr_t)text_mem, sizeof(text_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_RODATA], rodata_mem, (uintptr_t)rodata_mem, sizeof(rodata_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_DATA], data_mem, (uintptr_t)data_mem, sizeof(data_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_META], meta_mem, (uintptr_t)meta_mem, sizeof(meta_mem));
	for (int k = 0; k < 4; k++)
		arena_set.by_kind[k] = &arenas[k];
	arena_set.sync_icache = sync_icache;
	arena_set.sync_ctx = &icache_syncs;
	elfmod_arena_allocator(&allocator, &arena_set);

	/* 1. The base module, in place from the flash partition. */
	rc = load_flash(&lib, "lib.o", mod_lib_start, mod_lib_end, &diag);
	if (rc)
		print_diag("fw: lib.o: ", rc, &diag);
	check(rc == 0, 10, "loading lib.o from flash");
	check(icache_syncs > 0, 10, "no instruction sync after loading code");
	{
		int_fn_int scale = (int_fn_int)sym(&lib, "lib_scale", 11);
		const char *name = sym(&lib, "lib_name", 11);
		check(scale(3) == lib_scale_expected(3) && scale(-4) == lib_scale_expected(-4), 11,
		      "lib_scale");
		check(name[0] == 'l' && name[6] == '1' && name[7] == 0, 11, "lib_name (.rodata)");
		check(elfmod_sym(&lib, "lib_private") == NULL, 12, "an unmarked symbol was exported");
		check(exidx_covers(&lib, scale) && exidx_covers(&lib, sym(&lib, "lib_calls", 13)), 13,
		      ".ARM.exidx does not point at lib's functions (R_ARM_PREL31)");
		semihost_print("fw: lib checks passed\n");
	}

	/* 2. A module that imports from lib.o and the firmware, from the "SD card". */
	syncs = icache_syncs;
	rc = load_sd(&app, "app.o", &diag);
	if (rc)
		print_diag("fw: app.o: ", rc, &diag);
	check(rc == 0, 20, "loading app.o over semihosting");
	check(icache_syncs > syncs, 20, "no instruction sync after loading app.o");
	check(lib.refs == 1, 21, "app.o did not take a reference on lib.o");
	exercise_app(&app, &lib, 40);
	rc = elfmod_unload(&lib);
	check(rc == ELFMOD_EBUSY, 22, "lib.o unloaded while app.o imports from it");
	semihost_print("fw: lib.o busy while app.o uses it\n");

	/* 3. Execute-only code: addresses built with MOVW/MOVT on ARMv7-M. ARMv6-M builds
	 * them with MOVS/LSLS/ADDS (R_ARM_THM_ALU_ABS_G0_NC..G3_NC), which elfmod does not
	 * implement: there the module must be refused cleanly, naming the type. */
	blocks = arena_blocks();
	rc = load_flash(&pure, "pure.o", mod_pure_start, mod_pure_end, &diag);
	if (rc)
		print_diag("fw: pure.o refused: ", rc, &diag);
	if (PURE_REFUSED) {
		check(rc == ELFMOD_ERELTYPE, 60, "pure.o: expected a refusal with ELFMOD_ERELTYPE");
		check(arena_blocks() == blocks, 60, "a refused load left memory allocated");
	} else {
		check(rc == 0, 60, "loading pure.o from flash");
	}
	if (rc == 0) {
		int_fn_int run = (int_fn_int)sym(&pure, "pure_run", 61);
		const char *(*msg)(void) = (const char *(*)(void))sym(&pure, "pure_msg", 61);
		int *value = sym(&pure, "pure_value", 61);
		check(run(1) == 1 + 99 + 43, 61, "pure_run");
		check(msg()[0] == 'p' && (uintptr_t)msg() >= (uintptr_t)rodata_mem &&
			      (uintptr_t)msg() < (uintptr_t)rodata_mem + sizeof(rodata_mem),
		      61, "pure_msg: address of .rodata built in code");
		check(*value == 99, 61, "pure_value");
		semihost_print("fw: pure checks passed\n");
	}

	/* 4. A module with an import nobody offers: refused, nothing left allocated. */
	blocks = arena_blocks();
	rc = load_sd(&bad, "bad.o", &diag);
	check(rc != 0, 70, "bad.o was accepted");
	print_diag("fw: bad.o refused: ", rc, &diag);
	check(rc == ELFMOD_EUNDEF, 70, "bad.o refused with the wrong error");
	check(arena_blocks() == blocks, 71, "a refused load left memory allocated");
	check(lib.refs == 1, 71, "a refused load changed a reference count");

	/* 5. app.o again, now in place from flash: fresh .data and .bss. */
	unload(&app, 80);
	check(lib.refs == 0, 80, "unloading app.o kept its reference on lib.o");
	rc = load_flash(&app, "app.o", mod_app_start, mod_app_end, &diag);
	if (rc)
		print_diag("fw: app.o: ", rc, &diag);
	check(rc == 0, 81, "loading app.o from flash");
	exercise_app(&app, &lib, 50);

	/* 6. Unload everything. */
	unload(&app, 90);
	if (!PURE_REFUSED)
		unload(&pure, 90);
	unload(&lib, 90);
	check(registry.modules == NULL, 91, "modules left in the registry");

	/* 7. A shared object (ET_DYN); 8. an --emit-relocs executable (ET_EXEC). */
	callback = NULL;
	shared_object_checks(&lib, &app);
#if FW_EXEC
	exec_checks(&lib);
#endif

	/* The arenas must be empty again. */
	check(registry.modules == NULL, 91, "modules left in the registry");
	put_hex("fw: arena blocks after unload ", arena_blocks());
	semihost_print("\n");
	check(arena_blocks() == 0, 92, "the arenas are not empty after unloading everything");
	put_hex("fw: instruction syncs ", icache_syncs);
	put_hex(", stack used ", stack_used());
	put_hex(" of ", (uint32_t)((uintptr_t)__stack_top - (uintptr_t)__bss_end));
	/* Painted words left just above .bss: the stack never ran into the firmware's data. */
	check(stack_used() + 64 <= (uint32_t)((uintptr_t)__stack_top - (uintptr_t)__bss_end), 93,
	      "the stack reached .bss");
	semihost_print("\nfw: all module checks passed\n");
	semihost_exit(FW_EXIT_OK);
}
