/* Host files over Arm semihosting, read-only: how the Cortex-M test firmwares read
 * modules from the host as they would from an SD card. */
#ifndef CORTEXM_SEMIHOST_FILE_H
#define CORTEXM_SEMIHOST_FILE_H

#include <stdint.h>

#include "semihost.h"

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_READ 0x06
#define SYS_SEEK 0x0a
#define SYS_FLEN 0x0c
#define OPEN_MODE_RB 1

/* The host file `name` opened for reading, binary: its handle, or a negative value. */
static inline int semihost_open(const char *name)
{
	uint32_t len = 0;

	while (name[len])
		len++;
	const uint32_t block[3] = { (uint32_t)(uintptr_t)name, OPEN_MODE_RB, len };
	return (int)semihost(SYS_OPEN, block);
}

/* The file's length in bytes; negative as an int32_t on an error. */
static inline uint32_t semihost_flen(int handle)
{
	const uint32_t block[1] = { (uint32_t)handle };

	return semihost(SYS_FLEN, block);
}

/* 0 when the file position is now `at`. */
static inline uint32_t semihost_seek(int handle, uint32_t at)
{
	const uint32_t block[2] = { (uint32_t)handle, at };

	return semihost(SYS_SEEK, block);
}

/* The number of bytes NOT read of `n` (SYS_READ's answer): 0 when all were. */
static inline uint32_t semihost_read(int handle, void *buf, uint32_t n)
{
	const uint32_t block[3] = { (uint32_t)handle, (uint32_t)(uintptr_t)buf, n };

	return semihost(SYS_READ, block);
}

static inline void semihost_close(int handle)
{
	const uint32_t block[1] = { (uint32_t)handle };

	semihost(SYS_CLOSE, block);
}

#endif
