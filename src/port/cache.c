/* Making freshly written code visible to instruction fetch: elfmod_cache_sync() is a
 * ready-made allocator sync_icache for the cores elfmod runs on. The core calls it with
 * the exact range of code it wrote, after writing and before any of it runs.
 *
 * Hosted builds leave it to the compiler's __builtin___clear_cache, which knows the
 * operating system's way (a system call on 32-bit ARM and RISC-V Linux, user-mode cache
 * instructions on AArch64). Bare metal does it itself, per core. */
#include "elfmod.h"

#if !defined(__linux__) && !defined(__unix__) && defined(__aarch64__)
/* Clean each data cache line of the range to the point of unification, invalidate
 * the instruction cache lines, then make both complete before the next fetch. Line
 * sizes come from CTR_EL0 (log2 of words). */
static void sync_range(uint64_t addr, uint64_t len)
{
	uint64_t ctr, dline, iline, end = addr + len, p;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	dline = 4ull << ((ctr >> 16) & 0xf);
	iline = 4ull << (ctr & 0xf);
	for (p = addr & ~(dline - 1); p < end; p += dline)
		__asm__ volatile("dc cvau, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb ish" ::: "memory");
	for (p = addr & ~(iline - 1); p < end; p += iline)
		__asm__ volatile("ic ivau, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
}
#elif !defined(__linux__) && !defined(__unix__) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
/* Cortex-M0..M4 have no caches (an M7's are the port's to maintain): the writes must
 * complete and the pipeline refetch. */
static void sync_range(uint64_t addr, uint64_t len)
{
	(void)addr;
	(void)len;
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}
#elif !defined(__linux__) && !defined(__unix__) && defined(__arm__)
/* ARMv7-A/R bare metal: DCCMVAU and ICIMVAU per 32-byte line (the smallest any v7
 * core has), then BPIALL, DSB and ISB. */
static void sync_range(uint64_t addr, uint64_t len)
{
	uint32_t p = (uint32_t)addr & ~31u, end = (uint32_t)(addr + len);

	for (; p < end; p += 32)
		__asm__ volatile("mcr p15, 0, %0, c7, c11, 1\n\tmcr p15, 0, %0, c7, c5, 1" ::"r"(p) : "memory");
	__asm__ volatile("mcr p15, 0, %0, c7, c5, 6\n\tdsb\n\tisb" ::"r"(0) : "memory");
}
#elif !defined(__linux__) && !defined(__unix__) && defined(__riscv)
/* fence.i orders this hart's instruction fetches after its stores (Zifencei). Emitted
 * by its encoding: GCC 12 accepts the mnemonic only with _zifencei in -march. */
static void sync_range(uint64_t addr, uint64_t len)
{
	(void)addr;
	(void)len;
	__asm__ volatile(".4byte 0x0000100f /* fence.i */" ::: "memory");
}
#elif !defined(__linux__) && !defined(__unix__) && defined(__XTENSA__)
/* isync waits for the stores and refetches; lx106 IRAM has no cache to maintain. */
static void sync_range(uint64_t addr, uint64_t len)
{
	(void)addr;
	(void)len;
	__asm__ volatile("isync" ::: "memory");
}
#elif defined(__linux__) || defined(__unix__)
static void sync_range(uint64_t addr, uint64_t len)
{
	__builtin___clear_cache((char *)(uintptr_t)addr, (char *)(uintptr_t)(addr + len));
}
#else
/* Instruction fetch is coherent with stores (x86), or the port knows better. */
static void sync_range(uint64_t addr, uint64_t len)
{
	(void)addr;
	(void)len;
}
#endif

void elfmod_cache_sync(void *ctx, uint64_t addr, uint64_t len)
{
	(void)ctx;
	if (len)
		sync_range(addr, len);
}
