/* What both firmwares that run these modules share: the ELF one (fw.c, elfmod core) and
 * the packed one (../cortexm_packed/fw_packed.c, tiny loader alone). The firmware's side
 * of fw_api.h, the other functions it offers modules, and what it expects of lib.o.
 *
 * Defines fw_print, fw_register_callback and fw_twice: include it from one file of a
 * firmware. */
#ifndef CORTEXM_MODULES_FW_COMMON_H
#define CORTEXM_MODULES_FW_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "fw_api.h"
#include "semihost.h"

/* Compilers call these on their own; a module gets them from the firmware. */
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memset(void *d, int c, size_t n);
int __aeabi_idiv(int a, int b);

/* ---- fw_api.h ---- */

/* The function a module registered last (fw_register_callback), or NULL. */
static fw_callback_fn callback;

void fw_print(const char *s)
{
	semihost_print(s);
}

void fw_register_callback(fw_callback_fn fn)
{
	callback = fn;
}

int fw_twice(int x)
{
	return 2 * x;
}

/* ---- lib.o ---- */

/* What lib_scale(x) returns. */
static inline int lib_scale_expected(int x)
{
	static const short table[8] = { 3, -1, 4, -1, 5, -9, 2, -6 };
	return x * 3 + 7 + table[x & 7];
}

/* Whether the `size` bytes of rodata at `start` hold an exception-index entry
 * (.ARM.exidx, its first word an R_ARM_PREL31 offset from itself) for the function at
 * `fn`. */
static inline int exidx_covers_in(uint32_t start, uint32_t size, const void *fn)
{
	uint32_t want = (uint32_t)(uintptr_t)fn & ~1u;

	for (uint32_t off = 0; off + 8 <= size; off += 4) {
		uint32_t at = start + off;
		uint32_t w = *(const uint32_t *)(uintptr_t)at;
		uint32_t rel = ((w & 0x7fffffffu) ^ 0x40000000u) - 0x40000000u;
		if (!(w & 0x80000000u) && at + rel == want)
			return 1;
	}
	return 0;
}

#endif
