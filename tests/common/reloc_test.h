/* Helpers shared by the relocation engine tests (tests/reloc_*): the guard byte around
 * a field, the check that nothing outside it changed, and the tests' own byte-order
 * encoder (independent of elfmod__put*). Header-only. */
#ifndef ELFMOD_TEST_RELOC_H
#define ELFMOD_TEST_RELOC_H

#include <stddef.h>
#include <stdint.h>

#define GUARD 0xa5

/* 1 when every byte of buf outside [from, to) still holds GUARD. */
static inline int guards_ok(const uint8_t *buf, size_t len, size_t from, size_t to)
{
	for (size_t i = 0; i < len; i++)
		if ((i < from || i >= to) && buf[i] != GUARD)
			return 0;
	return 1;
}

/* v as n bytes in the given byte order. */
static inline void put(uint8_t *p, uint64_t v, unsigned n, int be)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[be ? n - 1 - i : i] = (uint8_t)v;
}

#endif
