/* A read-callback source over a memory buffer that counts its calls and can be told to
 * fail one of them: the same bytes as a buffer source, reached the way a device reads
 * SPI flash. Header-only. */
#ifndef ELFMOD_TEST_MEMSRC_H
#define ELFMOD_TEST_MEMSRC_H

#include "elfmod.h"

#include <string.h>

struct memsrc {
	const uint8_t *data;
	uint64_t size;
	unsigned long calls;    /* read calls so far */
	unsigned long fail_at;  /* 1-based call that fails; 0 = never */
	unsigned long bad;      /* calls outside the file: a caller bug, counted not served */
};

static inline int memsrc_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct memsrc *m = ctx;

	m->calls++;
	if (m->fail_at && m->calls == m->fail_at)
		return -1;
	if (off > m->size || len > m->size - off) {
		m->bad++;
		return -1;
	}
	memcpy(dst, m->data + off, len);
	return 0;
}

/* Fills `src` with a callback source over `m` (data stays NULL). */
static inline void memsrc_init(struct memsrc *m, struct elfmod_source *src, const void *data,
			       uint64_t size)
{
	memset(m, 0, sizeof(*m));
	m->data = data;
	m->size = size;
	memset(src, 0, sizeof(*src));
	src->size = size;
	src->read = memsrc_read;
	src->ctx = m;
}

#endif
