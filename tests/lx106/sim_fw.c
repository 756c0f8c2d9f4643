/* lx106 (ESP8266 core) firmware that loads relocatable modules (ET_REL objects) with
 * elfmod and calls them, on QEMU's sim machine (qemu-system-xtensa -M sim -cpu lx106).
 *
 * Modules come from two places: the "modules" partition in this firmware's own flash
 * image (modules.S, read in place) and files on the host read over semihosting
 * (SIMCALL open/lseek/read) through a read callback. They link against the export table
 * (host.c) and against each other.
 *
 * Memory is laid out as on an ESP8266: module code goes to instruction RAM, which takes
 * aligned 32-bit stores only, so it is written solely through the allocator's
 * write_code with word stores; the text arena's write address is an unmapped alias
 * where any store faults (the vectors in sim_start.S end the run), so a single byte
 * the loader wrote to code any other way would stop the firmware. Rodata, data and
 * elfmod's bookkeeping come from data RAM arenas: IRAM would fault on their byte loads.
 * After every load the firmware checks where each region went.
 *
 * Every failed check prints "host: FAIL ..." and exits with its own code (host.h,
 * host.c); success exits with HOST_EXIT_OK. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"
#include "host.h"

/* The sim machine's memories (see sim.ld). */
#define IRAM_BASE 0x40100000u
#define IRAM_SIZE 0x100000u
#define DRAM_BASE 0x3ffc0000u
#define DRAM_SIZE 0x40000u
/* Nothing answers here on the sim machine: every load or store faults. */
#define NO_STORE_ALIAS 0x70000000u
/* The module part of IRAM: 32 KiB, as on an ESP8266. */
#define ARENA_TEXT 0x8000u
#define ARENA_RODATA 4096
#define ARENA_DATA 2048
#define ARENA_META 16384

/* An exception exits with this plus its vector (131 debug .. 135 double), clear of
 * timeout's 124; host.c's checks use the codes below. */
#define EXIT_FAULT_BASE 130

/* The Xtensa ISS semihosting calls QEMU implements (target/xtensa/xtensa-semi.c). */
#define SIM_EXIT 1
#define SIM_READ 3
#define SIM_WRITE 4
#define SIM_OPEN 5
#define SIM_CLOSE 6
#define SIM_LSEEK 19
#define SIM_O_RDONLY 0
#define SIM_SEEK_SET 0
#define SIM_SEEK_END 2
#define POS_UNKNOWN 0xffffffffu

void *memset(void *d, int c, size_t n);
void fw_reset(void);
void fw_fault(uint32_t vector, uint32_t cause, uint32_t epc, uint32_t vaddr);

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];
extern const uint8_t mod_lib_start[], mod_lib_end[], mod_app_start[], mod_app_end[];
extern const uint8_t mod_tsl_start[], mod_tsl_end[], mod_far_start[], mod_far_end[];

/* The call in a2, arguments in a3..a5; the result in a2 (errno in a3). */
static int32_t simcall(int32_t op, int32_t a, int32_t b, int32_t c)
{
	register int32_t a2 __asm__("a2") = op;
	register int32_t a3 __asm__("a3") = a;
	register int32_t a4 __asm__("a4") = b;
	register int32_t a5 __asm__("a5") = c;

	__asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
	return a2;
}

void host_print(const char *s)
{
	int32_t n = 0;

	while (s[n])
		n++;
	simcall(SIM_WRITE, 1, (int32_t)(uintptr_t)s, n);
}

void host_exit(uint32_t code)
{
	simcall(SIM_EXIT, (int32_t)code, 0, 0);
	for (;;)
		;
}

void fw_fault(uint32_t vector, uint32_t cause, uint32_t epc, uint32_t vaddr)
{
	host_put_hex("fw: exception, vector ", vector);
	host_put_hex(", cause ", cause);
	host_put_hex(", epc1 ", epc);
	host_put_hex(", excvaddr ", vaddr);
	host_print("\n");
	host_exit(EXIT_FAULT_BASE + vector);
}

/* ---- the "SD card": host files over semihosting, read through a callback ---- */

struct host_file {
	int32_t fd;
	uint32_t size, pos, calls, bytes;
};

static int host_file_open(struct host_file *f, const char *name)
{
	f->fd = simcall(SIM_OPEN, (int32_t)(uintptr_t)name, SIM_O_RDONLY, 0);
	if (f->fd < 0)
		return -1;
	f->size = (uint32_t)simcall(SIM_LSEEK, f->fd, 0, SIM_SEEK_END);
	f->pos = POS_UNKNOWN; /* the next read seeks */
	f->calls = f->bytes = 0;
	return (int32_t)f->size < 0 ? -1 : 0;
}

static int host_file_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct host_file *f = ctx;
	uint8_t *d = dst;

	if (off > f->size || len > f->size - off)
		return -1;
	f->calls++;
	if (f->pos != off) {
		if (simcall(SIM_LSEEK, f->fd, (int32_t)off, SIM_SEEK_SET) != (int32_t)off)
			return -1;
		f->pos = (uint32_t)off;
	}
	while (len) {
		int32_t n = simcall(SIM_READ, f->fd, (int32_t)(uintptr_t)d, (int32_t)len);
		if (n <= 0 || (size_t)n > len) {
			f->pos = POS_UNKNOWN;
			return -1;
		}
		d += n;
		len -= (size_t)n;
		f->pos += (uint32_t)n;
		f->bytes += (uint32_t)n;
	}
	return 0;
}

/* ---- module memory ---- */

static uint8_t rodata_mem[ARENA_RODATA] __attribute__((aligned(8)));
static uint8_t data_mem[ARENA_DATA] __attribute__((aligned(8)));
static uint8_t meta_mem[ARENA_META] __attribute__((aligned(8)));
static struct elfmod_arena arenas[4];
static struct elfmod_arena_set arena_set;
static struct elfmod_allocator allocator;
static uint32_t iram_calls, iram_words, iram_refused, icache_syncs;

static int in_range(uint64_t addr, uint64_t size, uint32_t base, uint32_t len)
{
	return addr >= base && addr - base <= len && size <= len - (addr - base);
}

/* The only way code reaches IRAM: whole aligned words, as the bus requires. */
static int iram_write(void *ctx, struct elfmod_region *r, uint64_t off, const void *src, uint64_t len)
{
	const uint8_t *s = src;
	volatile uint32_t *d;

	(void)ctx;
	if (r->kind != ELFMOD_KIND_TEXT || ((r->addr | off | len) & 3) || off > r->size ||
	    len > r->size - off || !in_range(r->addr + off, len, IRAM_BASE, IRAM_SIZE)) {
		iram_refused++;
		return -1;
	}
	d = (volatile uint32_t *)(uintptr_t)(r->addr + off);
	for (uint64_t i = 0; i < len / 4; i++, s += 4)
		d[i] = (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
	iram_calls++;
	iram_words += (uint32_t)(len / 4);
	return 0;
}

/* lx106 IRAM is not cached; the cache port's ISYNC makes the stores visible to
 * instruction fetch. */
static void sync_icache(void *ctx, uint64_t addr, uint64_t len)
{
	++*(uint32_t *)ctx;
	elfmod_cache_sync(NULL, addr, len);
}

static uint32_t arena_blocks(void)
{
	uint32_t n = 0;

	for (int k = 0; k < 4; k++)
		n += arenas[k].nblocks;
	return n;
}

static void memory_init(void)
{
	elfmod_arena_init(&arenas[ELFMOD_KIND_TEXT], (void *)(uintptr_t)NO_STORE_ALIAS, IRAM_BASE, ARENA_TEXT);
	elfmod_arena_init(&arenas[ELFMOD_KIND_RODATA], rodata_mem, (uintptr_t)rodata_mem, sizeof(rodata_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_DATA], data_mem, (uintptr_t)data_mem, sizeof(data_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_META], meta_mem, (uintptr_t)meta_mem, sizeof(meta_mem));
	for (int k = 0; k < 4; k++)
		arena_set.by_kind[k] = &arenas[k];
	arena_set.sync_icache = sync_icache;
	arena_set.sync_ctx = &icache_syncs;
	elfmod_arena_allocator(&allocator, &arena_set);
	allocator.write_code = iram_write;
}

/* Code in IRAM, everything that is read byte by byte in data RAM, and the code written
 * once, as whole words, through write_code. */
static void check_layout(const struct elfmod_module *m, uint32_t calls_before, uint32_t words_before,
			 uint32_t code)
{
	const struct elfmod_region *t = &m->region[ELFMOD_KIND_TEXT];

	host_put_hex("fw: text ", (uint32_t)t->addr);
	host_put_hex(" (", (uint32_t)t->size);
	host_put_hex(" bytes), rodata ", (uint32_t)m->region[ELFMOD_KIND_RODATA].addr);
	host_put_hex(", data ", (uint32_t)m->region[ELFMOD_KIND_DATA].addr);
	host_print("\n");
	host_check(t->size && in_range(t->addr, t->size, IRAM_BASE, IRAM_SIZE), code,
		   "module code is not in instruction RAM");
	for (int k = ELFMOD_KIND_RODATA; k <= ELFMOD_KIND_DATA; k++)
		host_check(!m->region[k].size ||
				   in_range(m->region[k].addr, m->region[k].size, DRAM_BASE, DRAM_SIZE),
			   code, "module rodata/data is not in data RAM");
	host_check(iram_calls == calls_before + 1 && iram_words - words_before == (t->size + 3) / 4,
		   code + 1, "code was not written once, whole, through write_code");
	host_check(iram_refused == 0, code + 1, "write_code was asked for an unaligned or stray write");
}

/* ---- loading ---- */

static struct elfmod_registry registry;

static int load_flash(struct elfmod_module *m, const char *name, const uint8_t *start,
		      const uint8_t *end, struct elfmod_diag *diag)
{
	const struct elfmod_source src = { .data = start, .size = (uint64_t)(end - start) };
	const struct elfmod_load_opts opts = { .name = name, .mem = &allocator, .reg = &registry };
	int rc = elfmod_load(m, &src, &opts, diag);

	host_print("fw: ");
	host_print(name);
	host_print(rc == 0 ? " loaded from flash\n" : " from flash refused\n");
	return rc;
}

static int load_semihost(struct elfmod_module *m, const char *name, struct elfmod_diag *diag)
{
	static struct host_file f;
	struct elfmod_source src = { .read = host_file_read, .ctx = &f };
	const struct elfmod_load_opts opts = { .name = name, .mem = &allocator, .reg = &registry };
	int rc;

	if (host_file_open(&f, name)) {
		host_print("fw: cannot open ");
		host_print(name);
		host_print(" on the host\n");
		memset(diag, 0, sizeof(*diag));
		diag->err = ELFMOD_EIO;
		diag->field = "semihosting open";
		return ELFMOD_EIO;
	}
	src.size = f.size;
	rc = elfmod_load(m, &src, &opts, diag);
	simcall(SIM_CLOSE, f.fd, 0, 0);
	host_print("fw: ");
	host_print(name);
	if (rc == 0) {
		host_put_hex(" loaded over semihosting: ", f.size);
		host_put_hex(" bytes, ", f.calls);
		host_put_hex(" reads of ", f.bytes);
		host_print(" bytes\n");
		host_check(f.calls > 0 && f.bytes > 0, 2, "the read callback was never used");
	} else {
		host_print(" over semihosting refused\n");
	}
	return rc;
}

static void must_load(int rc, const char *name, const struct elfmod_diag *diag, uint32_t code)
{
	if (rc) {
		host_print("fw: ");
		host_print(name);
		host_print_diag(": ", rc, diag);
	}
	host_check(rc == 0, code, name);
}

/* ---- stack high-water mark ---- */

#define STACK_PAINT 0x57ac57acu

static void __attribute__((noinline)) paint_stack(void)
{
	volatile uint32_t *p = __bss_end;
	uint32_t *sp;

	__asm__ volatile("mov %0, a1" : "=r"(sp));
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

/* ---- the run ---- */

static __attribute__((noreturn)) void fw_main(void)
{
	static struct elfmod_module lib, app, tsl, dbg, far, bad;
	struct elfmod_diag diag;
	uint32_t calls, words, blocks, refs;
	int rc;

	paint_stack();
	host_print("fw: lx106 up\n");
	host_exports_init(&registry);
	memory_init();

	/* 1. The base module, in place from flash: CALL0s and L32Rs inside itself. */
	calls = iram_calls, words = iram_words;
	rc = load_flash(&lib, "lib.o", mod_lib_start, mod_lib_end, &diag);
	must_load(rc, "lib.o", &diag, 10);
	check_layout(&lib, calls, words, 11);
	host_check(icache_syncs > 0, 11, "no instruction sync after loading code");
	host_check_lib(&lib, 20);

	/* 2. -mlongcalls: imports from lib.o and the firmware, over semihosting. */
	calls = iram_calls, words = iram_words;
	rc = load_semihost(&app, "app.o", &diag);
	must_load(rc, "app.o", &diag, 30);
	check_layout(&app, calls, words, 31);
	host_check(lib.refs == 1, 33, "app.o did not take a reference on lib.o");
	host_check_app(&app, &lib, &registry, 40);
	host_check(elfmod_unload(&lib) == ELFMOD_EBUSY, 33, "lib.o unloaded while app.o imports from it");
	host_print("fw: lib.o busy while app.o uses it\n");

	/* 3. Literal pools inside .text (-mtext-section-literals), from flash. */
	calls = iram_calls, words = iram_words;
	rc = load_flash(&tsl, "tsl.o", mod_tsl_start, mod_tsl_end, &diag);
	must_load(rc, "tsl.o", &diag, 50);
	check_layout(&tsl, calls, words, 51);
	host_check(lib.refs == 2, 51, "tsl.o did not take a reference on lib.o");
	host_check_tsl(&tsl, 52);

	/* 4. DWARF, property tables, one literal pool per function, over semihosting. */
	calls = iram_calls, words = iram_words;
	rc = load_semihost(&dbg, "dbg.o", &diag);
	must_load(rc, "dbg.o", &diag, 60);
	check_layout(&dbg, calls, words, 61);
	host_check_dbg(&dbg, 62);

	/* 5. A CALL0 to the firmware from IRAM cannot reach (firmware code is ~1 MiB
	 * away): refused naming -mlongcalls, nothing allocated, nothing written to IRAM. */
	blocks = arena_blocks();
	calls = iram_calls;
	rc = load_flash(&far, "far.o", mod_far_start, mod_far_end, &diag);
	host_check_far_refused(rc, &diag, 70);
	host_check(arena_blocks() == blocks, 73, "a refused load left memory allocated");
	host_check(iram_calls == calls, 74, "a refused load wrote instruction RAM");

	/* 6. An import nobody offers, over semihosting. */
	blocks = arena_blocks();
	refs = lib.refs;
	rc = load_semihost(&bad, "bad.o", &diag);
	host_check_bad_refused(rc, &diag, 80);
	host_check(arena_blocks() == blocks, 83, "a refused load left memory allocated");
	host_check(lib.refs == refs, 84, "a refused load changed a reference count");

	/* 7. app.o again, now in place from flash: fresh .data and .bss. */
	host_unload(&app, 90);
	host_check(lib.refs == refs - 1, 90, "unloading app.o kept its reference on lib.o");
	calls = iram_calls, words = iram_words;
	rc = load_flash(&app, "app.o", mod_app_start, mod_app_end, &diag);
	must_load(rc, "app.o", &diag, 91);
	check_layout(&app, calls, words, 92);
	host_check_app(&app, &lib, &registry, 100);

	/* 8. Unload everything: the arenas must be empty again. */
	host_unload(&app, 110);
	host_unload(&dbg, 110);
	host_unload(&tsl, 110);
	host_unload(&lib, 110);
	host_check(registry.modules == NULL, 111, "modules left in the registry");
	host_put_hex("fw: arena blocks after unload ", arena_blocks());
	host_print("\n");
	host_check(arena_blocks() == 0, 112, "the arenas are not empty after unloading everything");
	host_put_hex("fw: IRAM writes ", iram_calls);
	host_put_hex(" (", iram_words);
	host_put_hex(" words), instruction syncs ", icache_syncs);
	host_put_hex(", stack used ", stack_used());
	host_print("\n");
	host_check(stack_used() + 128 <= (uint32_t)((uintptr_t)__stack_top - (uintptr_t)__bss_end), 113,
		   "the stack reached .bss");
	host_print("fw: all module checks passed\n");
	host_exit(HOST_EXIT_OK);
}

/* Entered from the reset stub with the stack set. Copies .rodata and .data from flash,
 * clears .bss, and leaves PS with exceptions enabled (EXCM clear, interrupts masked) so
 * a fault reaches the vectors rather than the double-exception vector. */
void fw_reset(void)
{
	const uint32_t *s = __data_load;

	for (uint32_t *d = __data_start; d < __data_end;)
		*d++ = *s++;
	for (uint32_t *d = __bss_start; d < __bss_end;)
		*d++ = 0;
	__asm__ volatile("movi a2, 0x2f\n\twsr.ps a2\n\trsync" ::: "a2", "memory");
	fw_main();
}
