/* elfmod_posix_allocator wrapped to watch what the loader does with memory: the regions
 * it holds (none may be left after an unload or a failed load), the bytes it holds (its
 * transient RAM is the peak minus what stays), and its allocation calls, any one of which
 * can be refused so that every failure path is taken in turn. Header-only, hosted. */
#ifndef ELFMOD_TEST_COUNTING_H
#define ELFMOD_TEST_COUNTING_H

#include "elfmod.h"

#include <stdint.h>
#include <string.h>

struct counting {
	struct elfmod_allocator inner; /* elfmod_posix_allocator: does the real work */
	long live;                     /* regions allocated and not yet freed */
	long calls;                    /* alloc calls, refused ones included */
	long fail_at;                  /* the call (1-based) refused with ELFMOD_ENOMEM; 0: none */
	uint64_t force_near;           /* when set, replaces the loader's "near" hint */
	uint64_t cur, peak;            /* bytes held now, and the most held at once */
	uint64_t biggest_meta;         /* the largest ELFMOD_KIND_META block: the file is never held */
	/* When set, sees every instruction sync before it is done, for tests that check the
	 * loader syncs exactly the code it wrote. */
	void (*on_sync)(uint64_t addr, uint64_t len);
};

static inline int counting_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align,
				 uint64_t near)
{
	struct counting *c = ctx;
	int rc;

	if (++c->calls == c->fail_at)
		return ELFMOD_ENOMEM;
	rc = c->inner.alloc(c->inner.ctx, r, size, align, c->force_near ? c->force_near : near);
	if (rc)
		return rc;
	c->live++;
	c->cur += size;
	if (c->cur > c->peak)
		c->peak = c->cur;
	if (r->kind == ELFMOD_KIND_META && size > c->biggest_meta)
		c->biggest_meta = size;
	return 0;
}

static inline void counting_free(void *ctx, struct elfmod_region *r)
{
	struct counting *c = ctx;

	c->live--;
	c->cur -= r->size;
	c->inner.free(c->inner.ctx, r);
}

static inline int counting_protect(void *ctx, struct elfmod_region *r, unsigned perm)
{
	struct counting *c = ctx;

	return c->inner.protect(c->inner.ctx, r, perm);
}

static inline void counting_sync(void *ctx, uint64_t addr, uint64_t len)
{
	struct counting *c = ctx;

	if (c->on_sync)
		c->on_sync(addr, len);
	c->inner.sync_icache(c->inner.ctx, addr, len);
}

/* Clears `c` and makes `mem` the allocator that counts into it. `mem` keeps the posix
 * allocator's page_size (and its other fields), so it rounds shared objects the same. */
static inline void counting_init(struct counting *c, struct elfmod_allocator *mem)
{
	memset(c, 0, sizeof(*c));
	elfmod_posix_allocator(&c->inner);
	*mem = c->inner;
	mem->alloc = counting_alloc;
	mem->free = counting_free;
	mem->protect = counting_protect;
	mem->sync_icache = counting_sync;
	mem->ctx = c;
}

#endif
