/* Arm semihosting for Cortex-M: the operation in r0, its argument in r1, bkpt 0xab. */
#ifndef CORTEXM_SEMIHOST_H
#define CORTEXM_SEMIHOST_H

#include <stdint.h>

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static inline uint32_t semihost(uint32_t op, const void *arg)
{
	register uint32_t r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;

	__asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

static inline void semihost_print(const char *s)
{
	semihost(SYS_WRITE0, s);
}

static inline __attribute__((noreturn)) void semihost_exit(uint32_t code)
{
	const uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, code };

	semihost(SYS_EXIT_EXTENDED, block);
	for (;;)
		;
}

#endif
