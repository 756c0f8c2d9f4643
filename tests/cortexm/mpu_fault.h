/* The ARMv7-M MPU (PMSAv7) and MemManage faults, for the firmwares that protect guarded.o
 * with the MPU: the ELF one (../cortexm_mpu/fw.c) and the packed one
 * (../cortexm_packed/fw_mpu.c). The system control registers, one MPU region's setting,
 * a MemManage handler that records the fault and resumes at the attempt's return
 * address, and the attempts both firmwares make on the protected module, with the same
 * checks and lines (compare.sh diffs them).
 *
 * Defines the global symbols mm_entry, mm_handler and fw_store: include it from one file
 * of a firmware. */
#ifndef CORTEXM_MPU_FAULT_H
#define CORTEXM_MPU_FAULT_H

#include <stdint.h>

#include "fw_check.h"
#include "semihost.h"

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

static inline void barrier(void)
{
	/* The new map (or code written) must be in force before the next access or fetch. */
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}

static inline uint32_t log2_of(uint32_t pow2)
{
	uint32_t k = 0;

	while ((1u << k) < pow2)
		k++;
	return k;
}

/* MPU region `slot` over `size` bytes at `base` (a power of two of at least 32, `base`
 * aligned to it) with the access bits `access` (AP and XN of RASR); size 0 turns the
 * region off. */
static inline void mpu_region(uint32_t slot, uint32_t base, uint32_t size, uint32_t access)
{
	REG(MPU_RNR) = slot;
	REG(MPU_RBAR) = base;
	REG(MPU_RASR) = size ? RASR_NORMAL_WB | access | ((log2_of(size) - 1) << 1) | RASR_ENABLE : 0;
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
	/* Each attempt faults before its target saved anything, so LR in the frame still
	 * returns to the caller. */
	frame[0] = FAULT_RESULT;
	frame[6] = frame[5] & ~1u;
}

/* The boot vectors copied to RAM with mm_entry for MemManage, which is turned on. */
static inline void install_vectors(void)
{
	for (int k = 0; k < 16; k++)
		ram_vectors[k] = boot_vectors[k];
	ram_vectors[4] = mm_entry;
	REG(VTOR) = (uint32_t)(uintptr_t)ram_vectors;
	REG(SHCSR) |= SHCSR_MEMFAULTENA;
	barrier();
}

static inline void arm_fault(void)
{
	fault.count = fault.mmfsr = fault.mmfar = fault.pc = 0;
	fault.armed = 1;
}

/* ---- guarded.o and the attempts on it ---- */

typedef int (*int_fn_int)(int);
typedef int (*int_fn_void)(void);

/* What guarded_step(x) returns with guarded_calls_base at `calls_base`. */
static inline int step_expected(int x, int calls_base)
{
	static const int table[4] = { 3, 5, 7, 11 };
	return 2 * x + table[x & 3] + calls_base;
}

/* The calls of step 1 of both firmwares: guarded_step runs from protected text, counts
 * its calls in its data and reads guarded_calls_base (at `base`), which is written here. */
static inline void check_runs(int_fn_int step, int_fn_void calls, int *base)
{
	check(step(5) == step_expected(5, 100) && step(2) == step_expected(2, 100) && calls() == 2, 17,
	      "guarded_step from protected text");
	*base = 200; /* data is read-write */
	check(step(3) == step_expected(3, 200) && calls() == 3, 18, "guarded_step after writing .data");
	semihost_print("fw: protected module runs\n");
}

/* Steps 2 to 4 of both firmwares: writing into the module's text (at `text`, a function
 * of it), into its rodata (`table`, guarded_table) and branching into its data (`ret`,
 * guarded_ret, which holds "bx lr") must each raise MemManage with the status expected
 * and change nothing. */
static inline void check_faults(const void *text, const int *table, const uint16_t *ret)
{
	int rc;

	/* 2. Writing into the text. */
	{
		volatile uint32_t *target = (volatile uint32_t *)((uintptr_t)text & ~3u);
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

	/* 3. Writing into the rodata (in the packed module, the text's block and region). */
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
}

#endif
