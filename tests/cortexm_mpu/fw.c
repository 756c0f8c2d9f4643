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
 * address (../cortexm/mpu_fault.h, shared with the packed firmware of ../cortexm_packed).
 * Every failed check exits with its own code; success exits with FW_EXIT_OK. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"
#include "fw_check.h"
#include "mpu_fault.h"
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
	mpu_region((uint32_t)(b - p->slot), b->base, 0, 0);
	barrier();
	mark(p, (b->base - (uint32_t)(uintptr_t)pool) / GRANULE, b->size / GRANULE, 0);
	b->size = 0;
	r->priv = NULL;
}

static int mpu_protect(void *ctx, struct elfmod_region *r, unsigned perm)
{
	struct mpu_port *p = ctx;
	struct mpu_block *b = block_of(p, r);
	uint32_t access;

	if (!b)
		return ELFMOD_EINVAL;
	if (perm & ELFMOD_PERM_W)
		access = RASR_AP_RW;
	else if (perm & (ELFMOD_PERM_R | ELFMOD_PERM_X))
		access = RASR_AP_RO;
	else
		access = RASR_AP_NONE;
	if (!(perm & ELFMOD_PERM_X))
		access |= RASR_XN;
	mpu_region((uint32_t)(b - p->slot), b->base, b->size, access);
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

/* ---- the checks ---- */

static void *sym(const struct elfmod_module *m, const char *name, uint32_t code)
{
	return need_symbol(elfmod_sym(m, name), name, code);
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
	check_runs(step, calls, base);

	/* 2.-4. Writing into the text and into the rodata, executing the data. */
	check_faults((const void *)step, table, ret);

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
