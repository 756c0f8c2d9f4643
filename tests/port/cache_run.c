/* The cache port's bare-metal AArch64 path (DC CVAU / IC IVAU by CTR_EL0 line sizes,
 * DSB ISH, ISB), run under qemu-aarch64: src/port/cache.c is compiled here with the
 * operating-system macros removed, so it takes the path a bare-metal AArch64 build
 * takes. Code is written into a fresh page, synced, made executable and called; then
 * rewritten in place and synced again, and the new code must be what runs. */
#define _DEFAULT_SOURCE
#include "elfmod.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static void put(uint32_t *code, uint32_t value)
{
	code[0] = 0x52800000u | (value << 5); /* mov w0, #value */
	code[1] = 0xd65f03c0u;                /* ret */
}

int main(void)
{
	uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int (*fn)(void);
	int a, b;

	if (code == MAP_FAILED)
		return 2;
	put(code, 42);
	elfmod_cache_sync(NULL, (uint64_t)(uintptr_t)code, 8);
	if (mprotect(code, 4096, PROT_READ | PROT_EXEC))
		return 3;
	fn = (int (*)(void))(uintptr_t)code;
	a = fn();
	if (mprotect(code, 4096, PROT_READ | PROT_WRITE))
		return 4;
	put(code, 7);
	elfmod_cache_sync(NULL, (uint64_t)(uintptr_t)code, 8);
	if (mprotect(code, 4096, PROT_READ | PROT_EXEC))
		return 5;
	b = fn();
	printf("cache_sync: first %d, rewritten %d\n", a, b);
	return a == 42 && b == 7 ? 0 : 1;
}
