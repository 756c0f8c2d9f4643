/* Bare-metal Cortex-M3 firmware (mps2-an385) whose elfmod port protects loaded modules
 * with the ARMv7-M MPU (PMSAv7): one MPU region per module region, text read-only and
 * executable, rodata read-only, data read-write, both never executable.
 *
 * PMSAv7 regions are a power of two in size (32 bytes at least) and aligned to their
 * size, so the allocator hands out TEXT, RODATA and DATA as such blocks from a pool;
 * the loader's own bookkeeping (META) needs no protection and comes from a plain arena.
 *
 * The firmware loads guarded.o from its flash partition, calls it, then writes into its
 * text, writes into its rodata and branches into its data. Each must raise MemManage;
 * the handler records the fault status and address and resumes at the attempt's return
 * address. Every failed check exits with its own code; success exits with FW_EXIT_OK. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"
#include "semihost.h"

#define FW_EXIT_OK 42

void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memset(void *d, int c, size_t n);
int boot_main(void);
int fw_twice(int x);

/* ---- what the module may call ---- */

int fw_twice(int x)
{
	return 2 * x;
}

ELFMOD_EXPORT(fw_twice);

extern const struct elfmod_export __start_elfmod_exports[], __stop_elfmod_exports[];
extern const uint8_t mod_guarded_start[], mod_guarded_end[];

/* ---- output ---- */

static void put_hex(const char *label, uint32_t v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
	b[10] = 0;
	semihost_print(label);
	semihost_print(b);
}

static void check(int ok, uint32_t code, const char *what)
{
	if (ok)
		return;
	semihost_print("fw: FAIL ");
	semihost_print(what);
	semihost_print("\n");
	semihost_exit(code);
}

/* ---- system control registers ---- */

#define REG(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define VTOR 0xE000ED08u
#define SHCSR 0xE000ED24u
#define CFSR 0xE000ED28u
#define MMFAR 0xE000ED34u
#define MPU_TYPE 0xE000ED90u
#define MPU_CTRL 0xE000ED94u
#define MPU_RNR 0xE000ED98u
#define MPU_RBAR 0xE000ED9Cu
#define MPU_RASR 0xE000EDA0u

#define SHCSR_MEMFAULTENA (1u << 16)
#define MPU_CTRL_ENABLE 1u
#define MPU_CTRL_PRIVDEFENA 4u /* the default map for everything no region covers */
#define RASR_ENABLE 1u
#define RASR_XN (1u << 28)
#define RASR_AP_NONE (0u << 24)
#define RASR_AP_RW (3u << 24)
#define RASR_AP_RO (6u << 24)
#define RASR_NORMAL_WB (1u << 17 | 1u << 16) /* TEX 0, C, B: normal memory, write-back */
#define MMFSR_IACCVIOL 0x01u
#define MMFSR_DACCVIOL 0x02u
#define MMFSR_MMARVALID 0x80u

static void barrier(void)
{
	/* The new map must be in force before the next access or instruction fetch. */
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}

/* ---- MPU-shaped module memory ---- */

#define POOL_SIZE 8192u
#define GRANULE 32u /* the smallest PMSAv7 region */
#define GRANULES (POOL_SIZE / GRANULE)
#define SLOTS 8u    /* MPU regions the port may use; the M3 in QEMU has 8 */

struct mpu_block {
	uint32_t base, size; /* size 0: slot free */
};

struct mpu_port {
	struct mpu_block slot[SLOTS];
	uint32_t used[GRANULES / 32]; /* one bit per granule of the pool */
	uint32_t protects;
	struct elfmod_allocator meta;
};

static uint8_t pool[POOL_SIZE] __attribute__((aligned(POOL_SIZE)));
static uint8_t meta_mem[4096] __attribute__((aligned(8)));
static struct elfmod_arena meta_arena;
static struct elfmod_arena_set meta_set;
static struct mpu_port port;
static struct elfmod_allocator allocator;

static int granule_used(const struct mpu_port *p, uint32_t g)
{
	return (p->used[g / 32] >> (g % 32)) & 1u;
}

static void mark(struct mpu_port *p, uint32_t first, uint32_t n, int on)
{
	for (uint32_t g = first; g < first + n; g++) {
		if (on)
			p->used[g / 32] |= 1u << (g % 32);
		else
			p->used[g / 32] &= ~(1u << (g % 32));
	}
}

static int mpu_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	struct mpu_port *p = ctx;
	uint32_t block = GRANULE, s, n;

	if (r->kind == ELFMOD_KIND_META)
		return p->meta.alloc(p->meta.ctx, r, size, align, near);
	if (size == 0 || size > POOL_SIZE || align > POOL_SIZE)
		return ELFMOD_ENOMEM;
	while (block < size || block < align)
		block <<= 1;
	for (s = 0; s < SLOTS && p->slot[s].size; s++)
		;
	if (s == SLOTS)
		return ELFMOD_ENOMEM;
	n = block / GRANULE;
	/* Aligned first fit: a block may only start at a multiple of its size. */
	for (uint32_t first = 0; first + n <= GRANULES; first += n) {
		uint32_t g = first;
		while (g < first + n && !granule_used(p, g))
			g++;
		if (g < first + n)
			continue;
		mark(p, first, n, 1);
		p->slot[s].base = (uint32_t)(uintptr_t)pool + first * GRANULE;
		p->slot[s].size = block;
		r->addr = p->slot[s].base;
		r->wr = pool + first * GRANULE;
		r->size = size;
		r->perm = ELFMOD_PERM_R | ELFMOD_PERM_W | ELFMOD_PERM_X;
		r->priv = &p->slot[s];
		return 0;
	}
	return ELFMOD_ENOMEM;
}

static struct mpu_block *block_of(struct mpu_port *p, const struct elfmod_region *r)
{
	for (uint32_t s = 0; s < SLOTS; s++)
		if (r->priv == &p->slot[s])
			return &p->slot[s];
	return NULL;
}

static void mpu_free(void *ctx, struct elfmod_region *r)
{
	struct mpu_port *p = ctx;
	struct mpu_block *b = block_of(p, r);

	if (!b) {
		p->meta.free(p->meta.ctx, r);
		return;
	}
	/* Hand the memory back to the default map before anyone reuses it. */
	REG(MPU_RNR) = (uint32_t)(b - p->slot);
	REG(MPU_RASR) = 0;
	barrier();
	mark(p, (b->base - (uint32_t)(uintptr_t)pool) / GRANULE, b->size / GRANULE, 0);
	b->size = 0;
	r->priv = NULL;
}

static uint32_t log2_of(uint32_t pow2)
{
	uint32_t k = 0;

	while ((1u << k) < pow2)
		k++;
	return k;
}

static int mpu_protect(void *ctx, struct elfmod_region *r, unsigned perm)
{
	struct mpu_port *p = ctx;
	struct mpu_block *b = block_of(p, r);
	uint32_t rasr;

	if (!b)
		return ELFMOD_EINVAL;
	rasr = RASR_NORMAL_WB | ((log2_of(b->size) - 1) << 1) | RASR_ENABLE;
	if (perm & ELFMOD_PERM_W)
		rasr |= RASR_AP_RW;
	else if (perm & (ELFMOD_PERM_R | ELFMOD_PERM_X))
		rasr |= RASR_AP_RO;
	else
		rasr |= RASR_AP_NONE;
	if (!(perm & ELFMOD_PERM_X))
		rasr |= RASR_XN;
	REG(MPU_RNR) = (uint32_t)(b - p->slot);
	REG(MPU_RBAR) = b->base;
	REG(MPU_RASR) = rasr;
	REG(MPU_CTRL) = MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE;
	barrier();
	r->perm = (uint8_t)perm;
	p->protects++;
	return 0;
}

/* No caches on the M3, but code written through the data side must reach instruction
 * fetch before it runs. */
static void mpu_sync_icache(void *ctx, uint64_t addr, uint64_t len)
{
	(void)ctx;
	(void)addr;
	(void)len;
	barrier();
}

/* ---- MemManage: record the fault, resume at the attempt's return address ---- */

typedef void (*vector_fn)(void);
extern const vector_fn boot_vectors[16];
void mm_entry(void);
void mm_handler(uint32_t *frame);

/* Room for the 16 system vectors and the an385's 32 interrupts; VTOR needs the table
 * aligned to its size rounded up to a power of two. */
static vector_fn ram_vectors[64] __attribute__((aligned(256)));

struct fault_record {
	volatile uint32_t armed, count, mmfsr, mmfar, pc;
};
static struct fault_record fault;

#define FAULT_RESULT 0xfa17u /* what an attempt cut short by a fault returns */

/* Thread mode runs on MSP here; the C handler gets the stacked frame and returns
 * through EXC_RETURN, still in LR. */
__asm__(".section .text.mm_entry,\"ax\",%progbits\n"
	".global mm_entry\n"
	".type mm_entry, %function\n"
	".thumb_func\n"
	"mm_entry:\n"
	"\tmrs r0, msp\n"
	"\tb mm_handler\n"
	".size mm_entry, . - mm_entry\n");

/* A store the compiler cannot move or drop, in a leaf that saves nothing: a fault on
 * the store resumes in the caller through LR. */
void fw_store(volatile uint32_t *p, uint32_t v);
__asm__(".section .text.fw_store,\"ax\",%progbits\n"
	".global fw_store\n"
	".type fw_store, %function\n"
	".thumb_func\n"
	"fw_store:\n"
	"\tstr r1, [r0]\n"
	"\tbx lr\n"
	".size fw_store, . - fw_store\n");

void mm_handler(uint32_t *frame)
{
	uint32_t cfsr = REG(CFSR);

	if (!fault.armed) {
		put_hex("fw: FAIL unexpected MemManage, MMFSR ", cfsr & 0xff);
		put_hex(" at pc ", frame[6]);
		semihost_print("\n");
		semihost_exit(90);
	}
	fault.armed = 0;
	fault.count++;
	fault.mmfsr = cfsr & 0xff;
	fault.mmfar = REG(MMFAR);
	fault.pc = frame[6];
	REG(CFSR) = cfsr & 0xff; /* write one to clear */
	/* Both attempts fault before their target saved anything, so LR in the frame
	 * still returns to the caller. */
	frame[0] = FAULT_RESULT;
	frame[6] = frame[5] & ~1u;
}

static void install_vectors(void)
{
	for (int k = 0; k < 16; k++)
		ram_vectors[k] = boot_vectors[k];
	ram_vectors[4] = mm_entry;
	REG(VTOR) = (uint32_t)(uintptr_t)ram_vectors;
	REG(SHCSR) |= SHCSR_MEMFAULTENA;
	barrier();
}

static void arm_fault(void)
{
	fault.count = fault.mmfsr = fault.mmfar = fault.pc = 0;
	fault.armed = 1;
}

/* ---- the checks ---- */

typedef int (*int_fn_int)(int);
typedef int (*int_fn_void)(void);

static void *sym(const struct elfmod_module *m, const char *name, uint32_t code)
{
	void *p = elfmod_sym(m, name);

	if (!p) {
		semihost_print("fw: FAIL missing symbol ");
		semihost_print(name);
		semihost_print("\n");
		semihost_exit(code);
	}
	return p;
}

static int inside(const struct elfmod_region *r, uint32_t a)
{
	return a >= (uint32_t)r->addr && a - (uint32_t)r->addr < (uint32_t)r->size;
}

/* The region lies in an MPU-shaped block that its MPU region covers exactly, with the
 * access bits `want` (AP and XN of RASR). */
static void check_mpu_region(const struct elfmod_region *r, uint32_t want, uint32_t code,
			     const char *what)
{
	const struct mpu_block *b = r->priv;
	uint32_t rasr, rbar;

	check(b && b->size >= r->size && (b->size & (b->size - 1)) == 0 && b->size >= GRANULE &&
	      (b->base & (b->size - 1)) == 0 && b->base == (uint32_t)r->addr, code, what);
	REG(MPU_RNR) = (uint32_t)(b - port.slot);
	rbar = REG(MPU_RBAR);
	rasr = REG(MPU_RASR);
	check((rbar & ~0x1fu) == b->base && (rasr & 1u) && ((rasr >> 1) & 0x1f) + 1 == log2_of(b->size) &&
	      (rasr & (RASR_XN | 7u << 24)) == want, code, what);
}

static int step_expected(int x, int calls_base)
{
	static const int table[4] = { 3, 5, 7, 11 };
	return 2 * x + table[x & 3] + calls_base;
}

int boot_main(void)
{
	static struct elfmod_module mod;
	static struct elfmod_registry registry;
	static struct elfmod_export_index export_index[4];
	static struct elfmod_exports exports;
	uint32_t n = (uint32_t)(__stop_elfmod_exports - __start_elfmod_exports), dup = 0;
	struct elfmod_diag diag;
	int rc;

	semihost_print("fw: cortex-m3 MPU port up\n");
	check(((REG(MPU_TYPE) >> 8) & 0xff) >= SLOTS, 1, "the MPU has fewer than 8 regions");
	install_vectors();

	check(n > 0 && n <= 4, 2, "export table size");
	check(elfmod_exports_init(&exports, __start_elfmod_exports, n, export_index, &dup) == 0, 2,
	      "elfmod_exports_init");
	elfmod_registry_init(&registry);
	check(elfmod_registry_add_exports(&registry, &exports) == 0, 2, "elfmod_registry_add_exports");

	elfmod_arena_init(&meta_arena, meta_mem, (uintptr_t)meta_mem, sizeof(meta_mem));
	meta_set.by_kind[ELFMOD_KIND_META] = &meta_arena;
	elfmod_arena_allocator(&port.meta, &meta_set);
	allocator.alloc = mpu_alloc;
	allocator.free = mpu_free;
	allocator.protect = mpu_protect;
	allocator.sync_icache = mpu_sync_icache;
	allocator.ctx = &port;

	/* 1. Load and call: protected code still runs and its data is still writable. */
	{
		const struct elfmod_source src = { .data = mod_guarded_start,
						   .size = (uint64_t)(mod_guarded_end - mod_guarded_start) };
		const struct elfmod_load_opts opts = { .name = "guarded.o", .mem = &allocator, .reg = &registry };
		rc = elfmod_load(&mod, &src, &opts, &diag);
		if (rc) {
			char msg[160];
			elfmod_diag_format(&diag, msg, sizeof(msg));
			semihost_print("fw: guarded.o: ");
			semihost_print(msg);
			semihost_print("\n");
		}
	}
	check(rc == 0, 10, "loading guarded.o from flash");
	put_hex("fw: guarded.o loaded: text ", (uint32_t)mod.region[ELFMOD_KIND_TEXT].addr);
	put_hex(", rodata ", (uint32_t)mod.region[ELFMOD_KIND_RODATA].addr);
	put_hex(", data ", (uint32_t)mod.region[ELFMOD_KIND_DATA].addr);
	semihost_print("\n");
	check(port.protects == 3, 11, "protect was not called once per region");
	check_mpu_region(&mod.region[ELFMOD_KIND_TEXT], RASR_AP_RO, 12, "text region: not MPU RO+X");
	check_mpu_region(&mod.region[ELFMOD_KIND_RODATA], RASR_AP_RO | RASR_XN, 13,
			 "rodata region: not MPU RO+XN");
	check_mpu_region(&mod.region[ELFMOD_KIND_DATA], RASR_AP_RW | RASR_XN, 14,
			 "data region: not MPU RW+XN");
	check((REG(MPU_CTRL) & 5u) == 5u, 15, "MPU not enabled with the default map");

	int_fn_int step = (int_fn_int)sym(&mod, "guarded_step", 16);
	int_fn_void calls = (int_fn_void)sym(&mod, "guarded_calls", 16);
	const int *table = sym(&mod, "guarded_table", 16);
	uint16_t *ret = sym(&mod, "guarded_ret", 16);
	int *base = sym(&mod, "guarded_calls_base", 16);
	check(inside(&mod.region[ELFMOD_KIND_TEXT], (uint32_t)(uintptr_t)step) &&
	      inside(&mod.region[ELFMOD_KIND_RODATA], (uint32_t)(uintptr_t)table) &&
	      inside(&mod.region[ELFMOD_KIND_DATA], (uint32_t)(uintptr_t)ret), 16,
	      "symbols outside their regions");
	check(step(5) == step_expected(5, 100) && step(2) == step_expected(2, 100) && calls() == 2, 17,
	      "guarded_step from protected text");
	*base = 200; /* data is read-write */
	check(step(3) == step_expected(3, 200) && calls() == 3, 18, "guarded_step after writing .data");
	semihost_print("fw: protected module runs\n");

	/* 2. Writing into the text region. */
	{
		volatile uint32_t *target = (volatile uint32_t *)((uintptr_t)step & ~3u);
		uint32_t before = *target;
		arm_fault();
		fw_store(target, ~before);
		check(fault.count == 1, 20, "writing into module text did not fault");
		check((fault.mmfsr & MMFSR_DACCVIOL) && (fault.mmfsr & MMFSR_MMARVALID), 21,
		      "text write: MMFSR not DACCVIOL with a valid address");
		check(fault.mmfar == (uint32_t)(uintptr_t)target, 22, "text write: wrong MMFAR");
		check(*target == before, 23, "module text changed");
		put_hex("fw: text write faulted: MMFSR ", fault.mmfsr);
		put_hex(", MMFAR ", fault.mmfar);
		semihost_print("\n");
	}

	/* 3. Writing into the rodata region. */
	{
		volatile uint32_t *target = (volatile uint32_t *)(uintptr_t)&table[1];
		arm_fault();
		fw_store(target, 0xdead);
		check(fault.count == 1, 30, "writing into module rodata did not fault");
		check((fault.mmfsr & MMFSR_DACCVIOL) && fault.mmfar == (uint32_t)(uintptr_t)target, 31,
		      "rodata write: not DACCVIOL at the target");
		check(table[1] == 5, 32, "module rodata changed");
		put_hex("fw: rodata write faulted: MMFSR ", fault.mmfsr);
		semihost_print("\n");
	}

	/* 4. Executing the data region: valid code ("bx lr"), but XN. */
	{
		int_fn_void in_data = (int_fn_void)((uintptr_t)ret | 1u);
		check(ret[0] == 0x4770, 40, "guarded_ret does not hold bx lr");
		arm_fault();
		rc = in_data();
		check(fault.count == 1 && rc == (int)FAULT_RESULT, 41, "executing module data did not fault");
		check(fault.mmfsr & MMFSR_IACCVIOL, 44, "data execute: MMFSR not IACCVIOL");
		check(fault.pc == (uint32_t)(uintptr_t)ret, 43, "data execute: faulted elsewhere");
		put_hex("fw: data execute faulted: MMFSR ", fault.mmfsr);
		put_hex(", PC ", fault.pc);
		semihost_print("\n");
	}

	/* 5. Still intact after the faults; unloading gives the MPU regions back. */
	check(step(1) == step_expected(1, 200) && calls() == 4, 50, "module broken after the faults");
	rc = elfmod_unload(&mod);
	check(rc == 0, 51, "elfmod_unload");
	for (uint32_t s = 0; s < SLOTS; s++) {
		REG(MPU_RNR) = s;
		check(port.slot[s].size == 0 && (REG(MPU_RASR) & RASR_ENABLE) == 0, 52,
		      "an MPU region is still in use after unload");
	}
	for (uint32_t w = 0; w < GRANULES / 32; w++)
		check(port.used[w] == 0, 53, "the pool is not empty after unload");
	check(meta_arena.nblocks == 0, 54, "the meta arena is not empty after unload");
	check(fault.armed == 0, 55, "a fault was armed but never taken");

	semihost_print("fw: all MPU checks passed\n");
	semihost_exit(FW_EXIT_OK);
}
