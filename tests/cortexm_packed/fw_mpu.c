/* Cortex-M3 firmware (mps2-an385) that runs guarded.o of ../cortexm_mpu packed, with the
 * tiny loader alone, and protects it with the ARMv7-M MPU (PMSAv7) as the ELF firmware
 * ../cortexm_mpu/fw.c does. A packed module has two blocks, so two MPU regions: RO (text
 * and rodata) read-only and executable, RW (data and .bss) read-write and never
 * executable. The checks and lines are fw.c's: the protected module runs, writing its
 * text or its rodata and branching into its data each raise MemManage with the same
 * status (the MPU registers, the MemManage handler and those attempts are
 * ../cortexm/mpu_fault.h, which fw.c includes too); compare.sh diffs the lines against
 * the ELF firmware's. Every failed check exits with its own code; success exits with
 * EXIT_APP_OK. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod_tiny.h"
#include "fw_check.h"
#include "mpu_fault.h"
#include "semihost.h"
#include "services.h"

int boot_main(void);
int fw_twice(int x);

/* ---- what the module may call ---- */

int fw_twice(int x)
{
	return 2 * x;
}

extern const uint8_t mod_guarded_start[], mod_guarded_end[];

/* ---- module memory: one PMSAv7 region per block ----
 * A region is a power of two of at least 32 bytes, aligned to its size: the RO block
 * gets the first half of the pool, the RW block the second, each rounded up. */

#define POOL_SIZE 4096u
static uint8_t pool[POOL_SIZE] __attribute__((aligned(POOL_SIZE)));

static uint32_t region_size(uint32_t n)
{
	uint32_t s = 32;

	while (s < n)
		s <<= 1;
	return s;
}

/* ---- the checks, as ../cortexm_mpu/fw.c makes them ---- */

static void *entry(const struct elfmod_tiny *t, const char *name, uint32_t code)
{
	return need_symbol(elfmod_tiny_entry(t, elfmod_tiny_hash(name)), name, code);
}

static int inside(uintptr_t base, uint32_t size, const void *p)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)1;

	return a >= base && a - base < size;
}

int boot_main(void)
{
	const struct elfmod_tiny_import imp[1] = { { elfmod_tiny_hash("fw_twice"), (uintptr_t)fw_twice } };
	struct elfmod_tiny_info info;
	struct elfmod_tiny_opts o = { 0 };
	struct elfmod_tiny t;
	uint32_t ro_region, rw_region;
	const uint8_t *buf = mod_guarded_start;
	size_t len = (size_t)(mod_guarded_end - mod_guarded_start);
	int rc;

	semihost_print("fw: cortex-m3 MPU, tiny loader\n");
	install_vectors();

	/* 1. Load and call: protected code still runs and its data is still writable. */
	rc = elfmod_tiny_info(buf, len, &info);
	check(rc == 0, 10, "guarded.emod: bad header");
	ro_region = region_size(info.ro_size);
	rw_region = region_size(info.data_size + info.bss_size);
	check(!info.rw_exec && ro_region <= POOL_SIZE / 2 && rw_region <= POOL_SIZE / 2 &&
		      info.ro_align <= POOL_SIZE / 2 && info.rw_align <= POOL_SIZE / 2,
	      10, "guarded.emod does not fit two MPU regions of the pool");
	o.machine = 40;
	o.ro = pool;
	o.ro_cap = POOL_SIZE / 2;
	o.rw = pool + POOL_SIZE / 2;
	o.rw_cap = POOL_SIZE / 2;
	o.imports = imp;
	o.nimports = 1;
	rc = elfmod_tiny_load(buf, len, &o, &t);
	if (rc) {
		put_hex("fw: guarded.emod: tiny loader error ", (uint32_t)rc);
		semihost_print("\n");
	}
	check(rc == 0, 10, "loading guarded.emod from flash");
	put_hex("fw: guarded.emod loaded: text ", (uint32_t)t.ro);
	put_hex(", data ", (uint32_t)t.rw);
	semihost_print("\n");
	mpu_region(0, (uint32_t)(uintptr_t)o.ro, ro_region, RASR_AP_RO);
	mpu_region(1, (uint32_t)(uintptr_t)o.rw, rw_region, RASR_AP_RW | RASR_XN);
	REG(MPU_CTRL) = MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE;
	barrier();

	int_fn_int step = (int_fn_int)entry(&t, "guarded_step", 16);
	int_fn_void calls = (int_fn_void)entry(&t, "guarded_calls", 16);
	const int *table = entry(&t, "guarded_table", 16);
	uint16_t *ret = entry(&t, "guarded_ret", 16);
	int *base = entry(&t, "guarded_calls_base", 16);
	check(inside(t.ro, t.ro_size, (const void *)step) && inside(t.ro, t.ro_size, table) &&
		      inside(t.rw, t.rw_size, ret) && inside(t.rw, t.rw_size, base),
	      16, "symbols outside their blocks");
	check_runs(step, calls, base);

	/* 2.-4. Writing into the text and into the rodata, executing the data. */
	check_faults((const void *)step, table, ret);

	/* 5. Still intact after the faults; then the regions are given back. */
	check(step(1) == step_expected(1, 200) && calls() == 4, 50, "module broken after the faults");
	mpu_region(0, 0, 0, 0);
	mpu_region(1, 0, 0, 0);
	barrier();
	check(fault.armed == 0, 55, "a fault was armed but never taken");
	semihost_print("fw: all MPU checks passed\n");
	semihost_exit(EXIT_APP_OK);
}
