/* Static-arena port: module memory from fixed buffers, for targets without an MMU or a
 * heap. The block list lives in the arena descriptor, never inside the arena, so an
 * arena over instruction RAM that only takes word writes is never touched by it. */
#include "../internal.h"

void elfmod_arena_init(struct elfmod_arena *a, void *wr, uint64_t addr, uint64_t size)
{
	memset(a, 0, sizeof(*a));
	a->wr = wr;
	a->addr = addr;
	a->size = size;
}

/* First offset >= off whose run address is a multiple of align (a power of two). */
static uint64_t align_up(const struct elfmod_arena *a, uint64_t off, uint64_t align)
{
	uint64_t run = a->addr + off;
	return off + ((align - (run & (align - 1))) & (align - 1));
}

static int arena_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	struct elfmod_arena_set *set = ctx;
	struct elfmod_arena *a;
	uint64_t off = 0;
	uint32_t slot;

	(void)near; /* an arena is where it is; the loader checks reach itself */
	if (r->kind > ELFMOD_KIND_META || !(a = set->by_kind[r->kind]))
		return ELFMOD_ENOMEM;
	if (size == 0 || !elfmod__is_pow2_or_zero(align))
		return ELFMOD_EINVAL;
	if (align == 0)
		align = 1;
	if (a->nblocks == ELFMOD_CFG_ARENA_BLOCKS)
		return ELFMOD_ENOMEM;
	/* Try the gap before each block, then the space after the last one. */
	for (slot = 0; slot <= a->nblocks; slot++) {
		uint64_t gap_end = slot < a->nblocks ? a->used[slot].off : a->size;
		uint64_t start = align_up(a, off, align);
		if (start >= off && start <= gap_end && size <= gap_end - start) {
			memmove(&a->used[slot + 1], &a->used[slot],
				(a->nblocks - slot) * sizeof(a->used[0]));
			a->used[slot].off = start;
			a->used[slot].size = size;
			a->nblocks++;
			r->addr = a->addr + start;
			r->wr = (uint8_t *)a->wr + (size_t)start;
			r->size = size;
			r->perm = ELFMOD_PERM_R | ELFMOD_PERM_W | ELFMOD_PERM_X;
			r->priv = a;
			return 0;
		}
		if (slot < a->nblocks)
			off = a->used[slot].off + a->used[slot].size;
	}
	return ELFMOD_ENOMEM;
}

static void arena_free(void *ctx, struct elfmod_region *r)
{
	struct elfmod_arena *a = r->priv;
	uint64_t off;

	(void)ctx;
	if (!a || r->addr < a->addr)
		return;
	off = r->addr - a->addr;
	for (uint32_t i = 0; i < a->nblocks; i++) {
		if (a->used[i].off == off) {
			memmove(&a->used[i], &a->used[i + 1], (a->nblocks - i - 1) * sizeof(a->used[0]));
			a->nblocks--;
			break;
		}
	}
	r->priv = NULL;
}

static void arena_sync(void *ctx, uint64_t addr, uint64_t len)
{
	struct elfmod_arena_set *set = ctx;
	if (set->sync_icache)
		set->sync_icache(set->sync_ctx, addr, len);
}

void elfmod_arena_allocator(struct elfmod_allocator *out, struct elfmod_arena_set *set)
{
	memset(out, 0, sizeof(*out));
	out->alloc = arena_alloc;
	out->free = arena_free;
	out->protect = NULL; /* no MMU here; a port with an MPU wraps this allocator */
	out->sync_icache = arena_sync;
	out->ctx = set;
}
