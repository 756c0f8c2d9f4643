/* Cortex-M3 firmware (mps2-an385) that runs guarded.o of ../cortexm_mpu packed, with the
 * tiny loader alone, and protects it with the ARMv7-M MPU (PMSAv7) as the ELF firmware
 * ../cortexm_mpu/fw.c does. A packed module has two blocks, so two MPU regions: RO (text
 * and rodata) read-only and executable, RW (data and .bss) read-write and never
 * executable. The checks and lines are fw.c's: the protected module runs, writing its
 * text or its rodata and branching into its data each raise MemManage with the same
 * status; compare.sh diffs the lines against the ELF firmware's. Every failed check
 * exits with its own code; success exits with EXIT_APP_OK. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod_tiny.h"
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

/* ---- system control registers (ARMv7-M) ---- */

#define REG(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define VTOR 0xE000ED08u
#define SHCSR 0xE000ED24u
#define CFSR 0xE000ED28u
#define MMFAR 0xE000ED34u
#define MPU_CTRL 0xE000ED94u
#define MPU_RNR 0xE000ED98u
#define MPU_RBAR 0xE000ED9Cu
#define MPU_RASR 0xE000EDA0u

#define SHCSR_MEMFAULTENA (1u << 16)
#define MPU_CTRL_ENABLE 1u
#define MPU_CTRL_PRIVDEFENA 4u /* the default map where no region applies */
#define RASR_ENABLE 1u
#define RASR_XN (1u << 28)
#define RASR_AP_RW (3u << 24)
#define RASR_AP_RO (6u << 24)
#define RASR_NORMAL_WB (1u << 17 | 1u << 16)
#define MMFSR_IACCVIOL 0x01u
#define MMFSR_DACCVIOL 0x02u
#define MMFSR_MMARVALID 0x80u

static void barrier(void)
{
	/* The new map (or code written) must be in force before the next access or fetch. */
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}

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

static uint32_t log2_of(uint32_t pow2)
{
	uint32_t k = 0;

	while ((1u << k) < pow2)
		k++;
	return k;
}

static void mpu_region(uint32_t slot, const void *base, uint32_t size, uint32_t access)
{
	REG(MPU_RNR) = slot;
	REG(MPU_RBAR) = (uint32_t)(uintptr_t)base;
	REG(MPU_RASR) = size ? RASR_NORMAL_WB | access | ((log2_of(size) - 1) << 1) | RASR_ENABLE : 0;
}

/* ---- MemManage: record the fault, resume at the attempt's return address ---- */

typedef void (*vector_fn)(void);
extern const vector_fn boot_vectors[16];
void mm_entry(void);
void mm_handler(uint32_t *frame);

/* The 16 system vectors and the an385's 32 interrupts, aligned as VTOR requires. */
static vector_fn ram_vectors[64] __attribute__((aligned(256)));

struct fault_record {
	volatile uint32_t armed, count, mmfsr, mmfar, pc;
};
static struct fault_record fault;

#define FAULT_RESULT 0xfa17u /* what an attempt cut short by a fault returns */

/* Thread mode runs on MSP: the handler gets the stacked frame. */
__asm__(".section .text.mm_entry,\"ax\",%progbits\n"
	".global mm_entry\n"
	".type mm_entry, %function\n"
	".thumb_func\n"
	"mm_entry:\n"
	"\tmrs r0, msp\n"
	"\tb mm_handler\n"
	".size mm_entry, . - mm_entry\n");

/* One store in a leaf that saves nothing: a fault on it resumes in the caller via LR. */
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
	REG(CFSR) = cfsr & 0xff;
	/* Each attempt faults before its target saved anything: the stacked LR returns to
	 * the caller. */
	frame[0] = FAULT_RESULT;
	frame[6] = frame[5] & ~1u;
}

static void arm_fault(void)
{
	fault.count = fault.mmfsr = fault.mmfar = fault.pc = 0;
	fault.armed = 1;
}

/* ---- the checks, as ../cortexm_mpu/fw.c makes them ---- */

typedef int (*int_fn_int)(int);
typedef int (*int_fn_void)(void);

static void *entry(const struct elfmod_tiny *t, const char *name, uint32_t code)
{
	void *p = elfmod_tiny_entry(t, elfmod_tiny_hash(name));

	if (!p) {
		semihost_print("fw: FAIL missing symbol ");
		semihost_print(name);
		semihost_print("\n");
		semihost_exit(code);
	}
	return p;
}

static int inside(uintptr_t base, uint32_t size, const void *p)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)1;

	return a >= base && a - base < size;
}

static int step_expected(int x, int calls_base)
{
	static const int table[4] = { 3, 5, 7, 11 };
	return 2 * x + table[x & 3] + calls_base;
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
	for (int k = 0; k < 16; k++)
		ram_vectors[k] = boot_vectors[k];
	ram_vectors[4] = mm_entry;
	REG(VTOR) = (uint32_t)(uintptr_t)ram_vectors;
	REG(SHCSR) |= SHCSR_MEMFAULTENA;
	barrier();

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
	mpu_region(0, o.ro, ro_region, RASR_AP_RO);
	mpu_region(1, o.rw, rw_region, RASR_AP_RW | RASR_XN);
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
	check(step(5) == step_expected(5, 100) && step(2) == step_expected(2, 100) && calls() == 2, 17,
	      "guarded_step from protected text");
	*base = 200;
	check(step(3) == step_expected(3, 200) && calls() == 3, 18, "guarded_step after writing .data");
	semihost_print("fw: protected module runs\n");

	/* 2. Writing into the text. */
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

	/* 3. Writing into the rodata (the same RO block and region as the text here). */
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

	/* 4. Executing the data: valid code ("bx lr"), but XN. */
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

	/* 5. Still intact after the faults; then the regions are given back. */
	check(step(1) == step_expected(1, 200) && calls() == 4, 50, "module broken after the faults");
	mpu_region(0, 0, 0, 0);
	mpu_region(1, 0, 0, 0);
	barrier();
	check(fault.armed == 0, 55, "a fault was armed but never taken");
	semihost_print("fw: all MPU checks passed\n");
	semihost_exit(EXIT_APP_OK);
}
