/* Arm semihosting on Cortex-M: the operation in r0, the address of its argument block
 * in r1, `bkpt 0xab`; the debugger (here QEMU) does the work on the host and answers in
 * r0. Operation numbers from Arm's "Semihosting for AArch32 and AArch64". */
#ifndef FIRMWARE_SEMIHOST_H
#define FIRMWARE_SEMIHOST_H

#include <stdint.h>

#define SH_OPEN 0x01
#define SH_CLOSE 0x02
#define SH_WRITE0 0x04
#define SH_READ 0x06
#define SH_GET_CMDLINE 0x15
#define SH_EXIT_EXTENDED 0x20
#define SH_APPLICATION_EXIT 0x20026u
#define SH_MODE_R 0  /* fopen "r" */

static inline uint32_t semihost(uint32_t op, const void *arg)
{
	register uint32_t r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;

	__asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

static inline void sh_print(const char *s)
{
	semihost(SH_WRITE0, s);
}

/* A host file (":tt" is the console) opened for reading; -1 when it cannot be. */
static inline int sh_open(const char *name)
{
	uint32_t len = 0;

	while (name[len])
		len++;
	const uint32_t block[3] = { (uint32_t)(uintptr_t)name, SH_MODE_R, len };
	return (int)semihost(SH_OPEN, block);
}

static inline void sh_close(int handle)
{
	const uint32_t block[1] = { (uint32_t)handle };

	semihost(SH_CLOSE, block);
}

/* One byte from `handle`; -1 at the end of the input (SYS_READ answers with the
 * number of bytes it did not read). */
static inline int sh_getc(int handle)
{
	uint8_t c;
	const uint32_t block[3] = { (uint32_t)handle, (uint32_t)(uintptr_t)&c, 1 };

	return semihost(SH_READ, block) == 0 ? c : -1;
}

/* The command line QEMU was given (the image's name, then -append's text). */
static inline int sh_cmdline(char *buf, uint32_t size)
{
	uint32_t block[2] = { (uint32_t)(uintptr_t)buf, size };

	return semihost(SH_GET_CMDLINE, block) == 0 ? 0 : -1;
}

static inline __attribute__((noreturn)) void sh_exit(uint32_t code)
{
	const uint32_t block[2] = { SH_APPLICATION_EXIT, code };

	semihost(SH_EXIT_EXTENDED, block);
	for (;;)
		;
}

#endif
