/* Bare-metal RV32IMAC firmware that loads relocatable modules (ET_REL objects) with
 * elfmod and calls them; runs on qemu-system-riscv32 -M virt -bios none.
 *
 * The board is modelled as a small MCU (fw.ld): the firmware and a "modules" partition
 * (modules.S) in flash, module code only in instruction RAM, module data and the
 * loader's bookkeeping in data RAM; start.S locks these down with PMP, so code that
 * ended up in data RAM, or a write into flash, traps. Modules come from the flash
 * partition (an addressable source, read in place) and from host files over
 * semihosting through a read callback, with the module directory as QEMU's working
 * directory. They link against the firmware's export table and each other.
 *
 * Every failed check prints "fw: FAIL ..." and exits with its own code through
 * semihosting SYS_EXIT_EXTENDED; success exits with FW_EXIT_OK. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"
#include "fw_api.h"

#define FW_EXIT_OK 42
#define FW_EXIT_RETURNED 98
#define FW_EXIT_TRAP 99

#define ARENA_RODATA 4096
#define ARENA_DATA 2048
#define ARENA_META 8192

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITE0 0x04
#define SYS_READ 0x06
#define SYS_SEEK 0x0a
#define SYS_FLEN 0x0c
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define OPEN_MODE_RB 1

/* What start.S's trap entry returns in a0 for a probed fault, and the causes. */
#define FAULT_SEEN 0xfa17u
#define MCAUSE_FETCH_ACCESS 1u
#define MCAUSE_STORE_ACCESS 7u

uint32_t semihost_call(uint32_t op, const void *arg);
void fw_main(void);
void fw_returned(void);
void fw_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval);
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memset(void *d, int c, size_t n);
uint64_t __udivdi3(uint64_t a, uint64_t b);
uint64_t __umoddi3(uint64_t a, uint64_t b);
int64_t __divdi3(int64_t a, int64_t b);
int64_t __moddi3(int64_t a, int64_t b);

/* Shared with start.S's trap entry. */
volatile uint32_t fw_fault_expected, fw_fault_cause;

extern const uint8_t __flash_start[], __flash_end[], __iram_start[], __iram_end[];
extern const uint8_t __dram_start[], __dram_end[];
extern uint32_t __bss_end[], __stack_top[];

/* ---- semihosting ---- */

static void print(const char *s)
{
	semihost_call(SYS_WRITE0, s);
}

/* QEMU 7.2 takes an exit code from RV32 guests only through SYS_EXIT_EXTENDED (plain
 * SYS_EXIT carries one on 64-bit targets only): the process then exits with it. */
static __attribute__((noreturn)) void fw_exit(uint32_t code)
{
	const uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, code };

	semihost_call(SYS_EXIT_EXTENDED, block);
	for (;;)
		;
}

static void put_hex(const char *label, uint32_t v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
	b[10] = 0;
	print(label);
	print(b);
}

static void check(int ok, uint32_t code, const char *what)
{
	if (ok)
		return;
	print("fw: FAIL ");
	print(what);
	print("\n");
	fw_exit(code);
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Whether `word` occurs in s. */
static int contains(const char *s, const char *word)
{
	for (; *s; s++) {
		size_t i = 0;
		while (word[i] && s[i] == word[i])
			i++;
		if (!word[i])
			return 1;
	}
	return 0;
}

static void print_diag(const char *what, int rc, const struct elfmod_diag *d)
{
	char msg[160];

	elfmod_diag_format(d, msg, sizeof(msg));
	print(what);
	print(msg);
	put_hex(" (rc ", (uint32_t)rc);
	print(")\n");
}

void fw_returned(void)
{
	print("fw: FAIL fw_main returned\n");
	fw_exit(FW_EXIT_RETURNED);
}

void fw_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
	put_hex("fw: FAIL unexpected trap, mcause ", mcause);
	put_hex(", mepc ", mepc);
	put_hex(", mtval ", mtval);
	print("\n");
	fw_exit(FW_EXIT_TRAP);
}

/* ---- what modules may call ---- */

static fw_callback_fn callback;

void fw_print(const char *s)
{
	print(s);
}

void fw_register_callback(fw_callback_fn fn)
{
	callback = fn;
}

int fw_twice(int x)
{
	return 2 * x;
}

ELFMOD_EXPORT(fw_print);
ELFMOD_EXPORT(fw_register_callback);
ELFMOD_EXPORT(fw_twice);
/* Compilers call these on their own; a module gets them from the firmware (libgcc). */
ELFMOD_EXPORT(memcpy);
ELFMOD_EXPORT(memset);
ELFMOD_EXPORT(__udivdi3);
ELFMOD_EXPORT(__umoddi3);
ELFMOD_EXPORT(__divdi3);
ELFMOD_EXPORT(__moddi3);

extern const struct elfmod_export __start_elfmod_exports[], __stop_elfmod_exports[];

/* ---- the modules partition in flash (modules.S) ---- */

extern const uint8_t mod_lib_start[], mod_lib_end[];
extern const uint8_t mod_app_start[], mod_app_end[];
extern const uint8_t mod_app_norelax_start[], mod_app_norelax_end[];
extern const uint8_t mod_align_start[], mod_align_end[];
extern const uint8_t mod_align_norelax_start[], mod_align_norelax_end[];

/* ---- the "SD card": host files over semihosting, read through a callback ---- */

/* Whole 512-byte sectors, a few cached, as a card driver would: elfmod goes back and
 * forth between the section headers, the symbol table and its strings. */
#define SECTOR 512u
#define SD_SECTORS 4u
#define NO_SECTOR 0xffffffffu

struct sd_file {
	uint32_t handle, size;
	uint32_t pos;                   /* the host file's position, NO_SECTOR if unknown */
	uint32_t tag[SD_SECTORS];       /* sector held by each slot */
	uint32_t next;                  /* slot replaced next */
	uint32_t calls, fetches;
	uint8_t buf[SD_SECTORS][SECTOR];
};

static int sd_open(struct sd_file *f, const char *name)
{
	uint32_t len = 0;

	while (name[len])
		len++;
	const uint32_t open_block[3] = { (uint32_t)(uintptr_t)name, OPEN_MODE_RB, len };
	f->handle = semihost_call(SYS_OPEN, open_block);
	if ((int32_t)f->handle < 0)
		return -1;
	const uint32_t flen_block[1] = { f->handle };
	f->size = semihost_call(SYS_FLEN, flen_block);
	f->pos = 0;
	f->next = 0;
	f->calls = f->fetches = 0;
	for (uint32_t k = 0; k < SD_SECTORS; k++)
		f->tag[k] = NO_SECTOR;
	return (int32_t)f->size < 0 ? -1 : 0;
}

static void sd_close(struct sd_file *f)
{
	const uint32_t block[1] = { f->handle };

	semihost_call(SYS_CLOSE, block);
}

/* The slot holding sector `sec`, fetched if need be; -1 on an error. */
static int sd_sector(struct sd_file *f, uint32_t sec)
{
	uint32_t at = sec * SECTOR, n = f->size - at < SECTOR ? f->size - at : SECTOR, k;

	for (k = 0; k < SD_SECTORS; k++)
		if (f->tag[k] == sec)
			return (int)k;
	k = f->next;
	f->next = (k + 1) % SD_SECTORS;
	f->tag[k] = NO_SECTOR;
	if (f->pos != at) {
		const uint32_t seek[2] = { f->handle, at };
		if (semihost_call(SYS_SEEK, seek) != 0)
			return -1;
		f->pos = at;
	}
	const uint32_t rd[3] = { f->handle, (uint32_t)(uintptr_t)f->buf[k], n };
	/* SYS_READ answers with the number of bytes it did NOT read. */
	if (semihost_call(SYS_READ, rd) != 0) {
		f->pos = NO_SECTOR;
		return -1;
	}
	f->pos = at + n;
	f->tag[k] = sec;
	f->fetches++;
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

/* ---- module memory: code in instruction RAM, the rest in data RAM ---- */

/* All of instruction RAM is the text arena. */
static uint8_t text_mem[16384] __attribute__((section(".iram"), aligned(64)));
static uint8_t rodata_mem[ARENA_RODATA] __attribute__((aligned(8)));
static uint8_t data_mem[ARENA_DATA] __attribute__((aligned(8)));
static uint8_t meta_mem[ARENA_META] __attribute__((aligned(8)));
static struct elfmod_arena arenas[4];
static struct elfmod_arena_set arena_set;
static struct elfmod_allocator allocator;

struct sync_log {
	uint32_t count;
	uint32_t outside;     /* ranges not inside instruction RAM */
};
static struct sync_log syncs;

/* Code is written through the data side: the cache port (fence.i) makes it visible to
 * instruction fetch on this hart before it runs. */
static void sync_icache(void *ctx, uint64_t addr, uint64_t len)
{
	struct sync_log *log = ctx;

	log->count++;
	if (addr < (uintptr_t)__iram_start || len > (uintptr_t)__iram_end - addr)
		log->outside++;
	elfmod_cache_sync(NULL, addr, len);
}

static uint32_t arena_blocks(void)
{
	uint32_t n = 0;

	for (int k = 0; k < 4; k++)
		n += arenas[k].nblocks;
	return n;
}

static int inside(uint64_t addr, uint64_t size, const void *lo, const void *hi)
{
	return addr >= (uintptr_t)lo && addr <= (uintptr_t)hi && size <= (uintptr_t)hi - addr;
}

/* Where the loader put the module: code in instruction RAM, data in data RAM, and
 * each in its own arena. */
static void check_placement(const struct elfmod_module *m, uint32_t code)
{
	const struct elfmod_region *t = &m->region[ELFMOD_KIND_TEXT];
	const struct elfmod_region *r = &m->region[ELFMOD_KIND_RODATA];
	const struct elfmod_region *d = &m->region[ELFMOD_KIND_DATA];

	check(t->size > 0 && inside(t->addr, t->size, __iram_start, __iram_end) &&
		      inside(t->addr, t->size, text_mem, text_mem + sizeof(text_mem)),
	      code, "text region outside instruction RAM");
	check(!r->size || (inside(r->addr, r->size, __dram_start, __dram_end) &&
			   inside(r->addr, r->size, rodata_mem, rodata_mem + sizeof(rodata_mem))),
	      code, "rodata region outside its data RAM arena");
	check(!d->size || (inside(d->addr, d->size, __dram_start, __dram_end) &&
			   inside(d->addr, d->size, data_mem, data_mem + sizeof(data_mem))),
	      code, "data region outside its data RAM arena");
	check(syncs.count > 0 && syncs.outside == 0, code,
	      "instruction sync missing or outside instruction RAM");
}

/* ---- loading ---- */

static struct elfmod_registry registry;
static struct elfmod_export_index export_index[16];
static struct elfmod_exports exports;

static void report_loaded(const struct elfmod_module *m, const char *from)
{
	print("fw: ");
	print(m->name);
	print(" loaded from ");
	print(from);
	put_hex(": text ", (uint32_t)m->region[ELFMOD_KIND_TEXT].addr);
	put_hex(", rodata ", (uint32_t)m->region[ELFMOD_KIND_RODATA].addr);
	put_hex(", data ", (uint32_t)m->region[ELFMOD_KIND_DATA].addr);
	put_hex(", stubs ", m->stubs);
	print("\n");
}

static int load_flash(struct elfmod_module *m, const char *name, const uint8_t *start,
		      const uint8_t *end, struct elfmod_diag *diag)
{
	const struct elfmod_source src = { .data = start, .size = (uint64_t)(end - start) };
	const struct elfmod_load_opts opts = { .name = name, .mem = &allocator, .reg = &registry };
	int rc;

	syncs.count = syncs.outside = 0;
	rc = elfmod_load(m, &src, &opts, diag);
	if (rc == 0)
		report_loaded(m, "flash");
	return rc;
}

static int load_sd(struct elfmod_module *m, const char *name, struct elfmod_diag *diag)
{
	static struct sd_file f;
	struct elfmod_source src = { .read = sd_read, .ctx = &f };
	const struct elfmod_load_opts opts = { .name = name, .mem = &allocator, .reg = &registry };
	int rc;

	syncs.count = syncs.outside = 0;
	if (sd_open(&f, name)) {
		print("fw: cannot open ");
		print(name);
		print(" on the host\n");
		memset(diag, 0, sizeof(*diag));
		diag->err = ELFMOD_EIO;
		diag->field = "semihosting SYS_OPEN";
		return ELFMOD_EIO;
	}
	src.size = f.size;
	rc = elfmod_load(m, &src, &opts, diag);
	sd_close(&f);
	if (rc == 0) {
		report_loaded(m, "sd");
		put_hex("fw:   ", f.size);
		put_hex(" bytes in ", f.calls);
		put_hex(" reads, ", f.fetches);
		print(" sector fetches\n");
		check(f.calls > 0 && f.fetches > 0, 30, "the read callback was never used");
	}
	return rc;
}

static void unload(struct elfmod_module *m, uint32_t code)
{
	int rc = elfmod_unload(m);

	if (rc) {
		put_hex("fw: unload failed, rc ", (uint32_t)rc);
		print("\n");
		fw_exit(code);
	}
}

static void *sym(const struct elfmod_module *m, const char *name, uint32_t code)
{
	void *p = elfmod_sym(m, name);

	if (!p) {
		print("fw: FAIL missing symbol ");
		print(name);
		print("\n");
		fw_exit(code);
	}
	check(inside((uintptr_t)p, 1, __iram_start, __iram_end) ||
		      inside((uintptr_t)p, 1, __dram_start, __dram_end),
	      code, "a symbol outside the module arenas");
	return p;
}

static void *code_sym(const struct elfmod_module *m, const char *name, uint32_t code)
{
	void *p = sym(m, name, code);

	check(inside((uintptr_t)p, 2, text_mem, text_mem + sizeof(text_mem)), code,
	      "a function outside instruction RAM");
	return p;
}

/* ---- the memory protection is real ---- */

/* `ret`, in data RAM: fetching it must trap. */
static uint32_t dram_ret[1] = { 0x00008067u };

/* A leaf whose first instruction is the store: a trap there returns to our caller. */
static __attribute__((noipa)) uint32_t poke(volatile uint32_t *p, uint32_t v)
{
	*p = v;
	return 0;
}

static void probe_protection(void)
{
	uint32_t (*fn)(void) = (uint32_t (*)(void))(uintptr_t)dram_ret;
	volatile uint32_t *flash_word = (volatile uint32_t *)(uintptr_t)mod_lib_start;
	uint32_t r;

	fw_fault_cause = 0;
	fw_fault_expected = 1;
	r = fn();
	check(r == FAULT_SEEN && fw_fault_cause == MCAUSE_FETCH_ACCESS && !fw_fault_expected, 2,
	      "code in data RAM ran (PMP not in force)");
	fw_fault_cause = 0;
	fw_fault_expected = 1;
	r = poke(flash_word, *flash_word);
	check(r == FAULT_SEEN && fw_fault_cause == MCAUSE_STORE_ACCESS && !fw_fault_expected, 3,
	      "flash took a write (PMP not in force)");
	fw_fault_expected = 0;
	print("fw: PMP: data RAM does not execute, flash does not take writes\n");
}

/* ---- the checks ---- */

typedef int (*int_fn_int)(int);
typedef int (*int_fn_void)(void);
typedef int (*int_fn_uint_int)(unsigned, int);
typedef int (*int_fn_int_int)(int, int);

static const short lib_table[8] = { 3, -1, 4, -1, 5, -9, 2, -6 };

static int lib_scale_expected(int x)
{
	return x * 3 + 7 + lib_table[x & 7];
}

static void exercise_lib(const struct elfmod_module *lib)
{
	int_fn_int scale = (int_fn_int)code_sym(lib, "lib_scale", 11);
	const char *name = sym(lib, "lib_name", 11);
	uint64_t (*div64)(uint64_t, uint32_t) =
		(uint64_t (*)(uint64_t, uint32_t))code_sym(lib, "lib_div64", 12);
	int64_t (*sdiv64)(int64_t, int64_t) = (int64_t (*)(int64_t, int64_t))code_sym(lib, "lib_sdiv64", 12);
	const uint64_t big = 0x123456789abcdefull;

	check(scale(3) == lib_scale_expected(3) && scale(-4) == lib_scale_expected(-4), 11, "lib_scale");
	check(name[0] == 'l' && name[6] == '1' && name[7] == 0, 11, "lib_name (.rodata)");
	check(elfmod_sym(lib, "lib_private") == NULL, 11, "an unmarked symbol was exported");
	check(div64(big, 1000003u) == big / 1000003u * 1000u + big % 1000003u, 12,
	      "lib_div64 (__udivdi3, __umoddi3)");
	check(sdiv64(-(int64_t)big, 77777) == -(int64_t)big / 77777 * 1000 + -(int64_t)big % 77777, 12,
	      "lib_sdiv64 (__divdi3, __moddi3)");
	print("fw: lib checks passed\n");
}

static int app_select_expected(int op, int x, const int *history)
{
	switch (op) {
	case 0:
		return lib_scale_expected(x);
	case 1:
		return x * 7 + 1234;
	case 2:
		return 2 * x - 1;
	case 3:
		return history[x & 15];
	case 4:
		return x >> 3;
	case 5:
		return 7 * x;
	case 6:
		return (int)((uint64_t)((uint64_t)x << 20) / 3 * 1000u + ((uint64_t)x << 20) % 3);
	case 7:
		return x ^ 0x5a5a;
	default:
		return -1;
	}
}

/* Runs everything app.o offers; `base` is the exit code of its first check. */
static void exercise_app(struct elfmod_module *app, const struct elfmod_module *lib, uint32_t base)
{
	int_fn_void start = (int_fn_void)code_sym(app, "app_start", base);
	int_fn_uint_int apply = (int_fn_uint_int)code_sym(app, "app_apply", base);
	int_fn_void counter = (int_fn_void)code_sym(app, "app_counter", base);
	int_fn_int_int select = (int_fn_int_int)code_sym(app, "app_select", base);
	int (*count)(const char *, char) = (int (*)(const char *, char))code_sym(app, "app_count", base);
	uint64_t (*avg64)(const uint64_t *, unsigned) =
		(uint64_t (*)(const uint64_t *, unsigned))code_sym(app, "app_avg64", base);
	int_fn_int tail = (int_fn_int)code_sym(app, "app_tail", base);
	int_fn_int fw_tail = (int_fn_int)code_sym(app, "app_fw_tail", base);
	int_fn_void lib_calls = (int_fn_void)code_sym(app, "app_lib_calls", base);
	int_fn_void lib_calls_direct = (int_fn_void)code_sym(lib, "lib_calls", base);
	int *seed = sym(app, "app_seed", base);
	static const uint64_t samples[4] = { 0x100000000ull, 0x300000001ull, 5, 0xffffffffull };
	const int history[16] = { 5, 0, 0, 0, 0, -2 };
	const struct elfmod_module *who = NULL;
	const char *what = NULL;
	uint64_t off = 1;
	int before;

	check(*seed == 1234, base + 1, "app_seed: .sdata not loaded");
	callback = NULL;
	check(start() == 0xc0de, base + 2, "constructor did not run (app_start)");
	check(callback != NULL && inside((uintptr_t)callback, 2, text_mem, text_mem + sizeof(text_mem)),
	      base + 3, "the module registered no callback in instruction RAM");
	check(counter() == 7, base + 3, ".sbss not zero (app_counter)");
	callback(5);
	callback(-2);
	check(counter() == 10, base + 3, "callback into the module (app_counter)");
	check(apply(0, 21) == 42 + 1234, base + 4, "function pointer to a local function (dbl)");
	check(apply(1, 9) == -9, base + 4, "function pointer (neg)");
	before = lib_calls_direct();
	check(apply(2, 5) == lib_scale_expected(5), base + 4, "function pointer to an import (lib_scale)");
	check(apply(3, 11) == 22, base + 4, "function pointer to the firmware (fw_twice)");
	check(apply(4, 0) == -1, base + 4, "app_apply bounds");
	for (int op = -1; op <= 8; op++) {
		for (int x = -9; x <= 40; x += 7) {
			if (select(op, x) != app_select_expected(op, x, history)) {
				put_hex("fw: app_select op ", (uint32_t)op);
				put_hex(" x ", (uint32_t)x);
				print("\n");
				check(0, base + 5, "switch jump table (app_select)");
			}
		}
	}
	check(count("abracadabra", 'a') == 5 && count("", 'a') == 0 && count("xyz", 'a') == 0, base + 6,
	      "compressed branches (app_count)");
	check(avg64(samples, 4) == (0x100000000ull + 0x300000001ull + 5 + 0xffffffffull) / 4 &&
		      avg64(samples, 0) == 0,
	      base + 7, "64-bit division (app_avg64)");
	check(tail(10) == lib_scale_expected(11), base + 8, "tail call into lib (app_tail)");
	check(fw_tail(20) == 42, base + 8, "tail call into the firmware (app_fw_tail)");
	/* apply(2), select(0, ...) and tail() each called lib_scale */
	check(lib_calls() == lib_calls_direct() && lib_calls_direct() > before, base + 9,
	      "lib's .sbss counter seen through app");
	*seed = 0;
	check(apply(0, 21) == 42, base + 9, "module data written by the firmware (dbl)");
	*seed = 1234;
	check(elfmod_addr_lookup(&registry, (uintptr_t)counter, &who, &what, &off) == 0 && who == app &&
		      what && streq(what, "app_counter") && off == 0,
	      base + 9, "elfmod_addr_lookup(app_counter)");
	print("fw: ");
	print(app->name);
	print(" checks passed\n");
}

static int plus100(int x)
{
	return x + 100;
}

static void exercise_abs(const struct elfmod_module *abs)
{
	int_fn_int_int store = (int_fn_int_int)code_sym(abs, "abs_store", 61);
	int_fn_int load = (int_fn_int)code_sym(abs, "abs_load", 61);
	int_fn_int_int call = (int_fn_int_int)code_sym(abs, "abs_call", 61);
	void (*set_op)(int, int_fn_int) = (void (*)(int, int_fn_int))code_sym(abs, "abs_set_op", 61);
	int_fn_int *ops = sym(abs, "abs_ops", 61);

	check(store(0, 11) == 0 && store(1, 22) == 0 && store(7, 77) == 11, 62,
	      "abs_store (LUI/ADDI into .bss)");
	check(load(0) == 11 && load(1) == 22 && load(-1) == 7, 62, "abs_load (LUI/LW, LUI/SW)");
	check(inside((uintptr_t)ops[0], 2, text_mem, text_mem + sizeof(text_mem)) && ops[1] == fw_twice, 63,
	      "abs_ops (R_RISCV_32 in .data)");
	check(call(0, 4) == 7 && call(1, 4) == 8, 63, "abs_call through .data pointers");
	set_op(1, plus100);
	check(call(1, 4) == 104, 63, "abs_call after the firmware's pointer was stored");
	print("fw: abs checks passed\n");
}

/* Calls align.o's functions and returns how many of the two that ask for an
 * alignment (align_a 16, align_c 64) did not get it. */
static uint32_t exercise_align(const struct elfmod_module *m, uint32_t code)
{
	int_fn_int a = (int_fn_int)code_sym(m, "align_a", code);
	int_fn_int b = (int_fn_int)code_sym(m, "align_b", code);
	int_fn_int c = (int_fn_int)code_sym(m, "align_c", code);
	uint32_t bad = 0;

	check(a(4) == 5 && b(4) == 20 && c(4) == 15, code, "align_a/b/c results");
	put_hex("fw: ", (uint32_t)(uintptr_t)a);
	put_hex(" align_a (wants 16), ", (uint32_t)(uintptr_t)c);
	print(" align_c (wants 64)\n");
	bad += ((uintptr_t)a & 15) != 0;
	bad += ((uintptr_t)c & 63) != 0;
	return bad;
}

/* ---- stack high-water mark ---- */

#define STACK_PAINT 0x57ac57acu

static void __attribute__((noinline)) paint_stack(void)
{
	volatile uint32_t *p = __bss_end;
	uint32_t *sp;

	__asm__ volatile("mv %0, sp" : "=r"(sp));
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

void fw_main(void)
{
	static struct elfmod_module lib, app, abs, bad, align;
	uint32_t n = (uint32_t)(__stop_elfmod_exports - __start_elfmod_exports), dup = 0;
	struct elfmod_diag diag;
	uint32_t blocks, misaligned;
	int rc;

	paint_stack();
	print("fw: rv32imac up\n");
	probe_protection();

	rc = elfmod_exports_init(&exports, __start_elfmod_exports, n, export_index, &dup);
	check(n > 0 && n <= sizeof(export_index) / sizeof(export_index[0]) && rc == 0, 1,
	      "elfmod_exports_init");
	elfmod_registry_init(&registry);
	check(elfmod_registry_add_exports(&registry, &exports) == 0, 1, "elfmod_registry_add_exports");
	put_hex("fw: firmware exports ", n);
	print("\n");

	elfmod_arena_init(&arenas[ELFMOD_KIND_TEXT], text_mem, (uintptr_t)text_mem, sizeof(text_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_RODATA], rodata_mem, (uintptr_t)rodata_mem, sizeof(rodata_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_DATA], data_mem, (uintptr_t)data_mem, sizeof(data_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_META], meta_mem, (uintptr_t)meta_mem, sizeof(meta_mem));
	for (int k = 0; k < 4; k++)
		arena_set.by_kind[k] = &arenas[k];
	arena_set.sync_icache = sync_icache;
	arena_set.sync_ctx = &syncs;
	elfmod_arena_allocator(&allocator, &arena_set);

	/* 1. The base module, in place from the flash partition (which PMP keeps
	 * read-only: the loader must not write to its source). */
	rc = load_flash(&lib, "lib.o", mod_lib_start, mod_lib_end, &diag);
	if (rc)
		print_diag("fw: lib.o: ", rc, &diag);
	check(rc == 0, 10, "loading lib.o from flash");
	check_placement(&lib, 10);
	exercise_lib(&lib);

	/* 2. A module importing from lib.o and the firmware, from the "SD card". */
	rc = load_sd(&app, "app.o", &diag);
	if (rc)
		print_diag("fw: app.o: ", rc, &diag);
	check(rc == 0, 20, "loading app.o over semihosting");
	check_placement(&app, 20);
	check(lib.refs == 1, 21, "app.o did not take a reference on lib.o");
	exercise_app(&app, &lib, 40);
	check(elfmod_unload(&lib) == ELFMOD_EBUSY, 22, "lib.o unloaded while app.o imports from it");
	print("fw: lib.o busy while app.o uses it\n");

	/* 3. Absolute addressing (medlow), over semihosting. */
	rc = load_sd(&abs, "abs.o", &diag);
	if (rc)
		print_diag("fw: abs.o: ", rc, &diag);
	check(rc == 0, 60, "loading abs.o over semihosting");
	check_placement(&abs, 60);
	exercise_abs(&abs);

	/* 4. An import nobody offers: refused, naming it, nothing left allocated. */
	blocks = arena_blocks();
	rc = load_sd(&bad, "bad.o", &diag);
	check(rc != 0, 70, "bad.o was accepted");
	print_diag("fw: bad.o refused: ", rc, &diag);
	check(rc == ELFMOD_EUNDEF && diag.err == ELFMOD_EUNDEF, 70, "bad.o refused with the wrong error");
	check(streq(diag.name, "fw_not_exported"), 70, "bad.o's diagnostic does not name the import");
	check(arena_blocks() == blocks, 71, "a refused load left memory allocated");
	check(lib.refs == 1, 71, "a refused load changed a reference count");

	/* 5. app.o without linker relaxation (no R_RISCV_RELAX/ALIGN), then with, both in
	 * place from flash: fresh .data and .bss each time. */
	unload(&app, 80);
	check(lib.refs == 0, 80, "unloading app.o kept its reference on lib.o");
	rc = load_flash(&app, "app_norelax.o", mod_app_norelax_start, mod_app_norelax_end, &diag);
	if (rc)
		print_diag("fw: app_norelax.o: ", rc, &diag);
	check(rc == 0, 81, "loading app_norelax.o from flash");
	check_placement(&app, 81);
	exercise_app(&app, &lib, 50);
	unload(&app, 82);
	rc = load_flash(&app, "app.o", mod_app_start, mod_app_end, &diag);
	if (rc)
		print_diag("fw: app.o: ", rc, &diag);
	check(rc == 0, 83, "loading app.o from flash");
	check_placement(&app, 83);
	exercise_app(&app, &lib, 40);

	/* 6. Aligned functions. Without relaxation the assembler pads exactly and the
	 * loaded functions must keep their alignment. */
	rc = load_flash(&align, "align_norelax.o", mod_align_norelax_start, mod_align_norelax_end, &diag);
	if (rc)
		print_diag("fw: align_norelax.o: ", rc, &diag);
	check(rc == 0, 84, "loading align_norelax.o from flash");
	misaligned = exercise_align(&align, 85);
	check(misaligned == 0, 85, "align_norelax.o: a function lost its alignment");
	unload(&align, 85);
	/* With relaxation the padding before them is R_RISCV_ALIGN's worst case, which
	 * only a linker deleting bytes corrects. elfmod keeps the code as assembled and
	 * checks each ALIGN: the module must either come out with every function aligned
	 * (where its placement happens to make the padding right) or be refused with
	 * ERANGE and a message that says to build with -mno-relax. */
	blocks = arena_blocks();
	rc = load_flash(&align, "align.o", mod_align_start, mod_align_end, &diag);
	if (rc) {
		char msg[200];
		print_diag("fw: align.o refused: ", rc, &diag);
		elfmod_diag_format(&diag, msg, sizeof(msg));
		check(rc == ELFMOD_ERANGE && contains(msg, "-mno-relax"), 87,
		      "align.o: refused without ERANGE naming -mno-relax");
	} else {
		misaligned = exercise_align(&align, 86);
		unload(&align, 86);
		check(misaligned == 0, 87, "align.o: R_RISCV_ALIGN padding left functions misaligned");
	}
	check(arena_blocks() == blocks, 88, "a refused align.o left memory allocated");

	/* 7. Unload everything: the arenas must be empty again. */
	unload(&app, 90);
	unload(&abs, 90);
	unload(&lib, 90);
	check(registry.modules == NULL, 91, "modules left in the registry");
	put_hex("fw: arena blocks after unload ", arena_blocks());
	print("\n");
	check(arena_blocks() == 0, 92, "the arenas are not empty after unloading everything");
	put_hex("fw: stack used ", stack_used());
	put_hex(" of ", (uint32_t)((uintptr_t)__stack_top - (uintptr_t)__bss_end));
	print("\n");
	check(stack_used() + 64 <= (uint32_t)((uintptr_t)__stack_top - (uintptr_t)__bss_end), 93,
	      "the stack reached .bss");
	print("fw: all module checks passed\n");
	fw_exit(FW_EXIT_OK);
}
