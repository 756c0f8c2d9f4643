/*
 * Unit tests of the static-arena allocator: alignment relative to the run address (not
 * the write address), first fit, free with reuse of coalesced space, exhaustion of bytes
 * and of block slots, kinds without an arena, shared arenas, icache forwarding.
 */
#include "check.h"

#include <string.h>

static uint8_t backing[4096];

static struct elfmod_region region(uint8_t kind)
{
	struct elfmod_region r;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	return r;
}

/* The region's write pointer must be the arena's write base plus its run offset. */
static int consistent(const struct elfmod_arena *a, const struct elfmod_region *r)
{
	return r->addr >= a->addr && r->addr - a->addr + r->size <= a->size &&
	       (uint8_t *)r->wr == (uint8_t *)a->wr + (r->addr - a->addr);
}

static void test_alignment(void)
{
	struct elfmod_arena a;
	struct elfmod_arena_set set = { .by_kind = { [ELFMOD_KIND_TEXT] = &a, [ELFMOD_KIND_RODATA] = &a,
						   [ELFMOD_KIND_DATA] = &a } };
	struct elfmod_allocator al;
	struct elfmod_region r1, r2, r3;

	check_ctx = "alignment";
	/* Runs at an address that is 4 mod 64 while the write buffer has other alignment:
	 * alignment must follow the run address, where the code executes. */
	elfmod_arena_init(&a, backing + 8, 0x20000004, 1024);
	elfmod_arena_allocator(&al, &set);
	CHECK(al.alloc && al.free && al.sync_icache && !al.protect && al.ctx == &set);

	r1 = region(ELFMOD_KIND_TEXT);
	CHECK_RC(al.alloc(al.ctx, &r1, 10, 64, 0), 0);
	CHECK_EQ(r1.addr, 0x20000040);
	CHECK_EQ(r1.size, 10);
	CHECK(r1.wr == backing + 8 + 0x3c);
	CHECK(consistent(&a, &r1));
	CHECK(r1.priv == &a);
	CHECK_EQ(r1.perm, ELFMOD_PERM_R | ELFMOD_PERM_W | ELFMOD_PERM_X);

	/* align 0 and 1 mean no constraint; first fit uses the gap before r1. */
	r2 = region(ELFMOD_KIND_DATA);
	CHECK_RC(al.alloc(al.ctx, &r2, 3, 0, 0), 0);
	CHECK_EQ(r2.addr, 0x20000004);
	CHECK(r2.wr == backing + 8);
	r3 = region(ELFMOD_KIND_DATA);
	CHECK_RC(al.alloc(al.ctx, &r3, 1, 1, 0), 0);
	CHECK_EQ(r3.addr, 0x20000007);
	/* Exactly what is left of that gap once aligned: 0x20000008..0x2000003f. */
	r3 = region(ELFMOD_KIND_RODATA);
	CHECK_RC(al.alloc(al.ctx, &r3, 0x38, 4, 0), 0);
	CHECK_EQ(r3.addr, 0x20000008);
	CHECK(consistent(&a, &r3));
	/* The gap is full now: the next byte goes after r1. */
	r3 = region(ELFMOD_KIND_RODATA);
	CHECK_RC(al.alloc(al.ctx, &r3, 1, 1, 0), 0);
	CHECK_EQ(r3.addr, 0x2000004a);
	/* Non-power-of-two alignment and empty requests are refused. */
	r3 = region(ELFMOD_KIND_DATA);
	CHECK_RC(al.alloc(al.ctx, &r3, 4, 3, 0), ELFMOD_EINVAL);
	CHECK_RC(al.alloc(al.ctx, &r3, 0, 4, 0), ELFMOD_EINVAL);
	/* An alignment larger than the arena can satisfy. */
	CHECK_RC(al.alloc(al.ctx, &r3, 4, (uint64_t)1 << 40, 0), ELFMOD_ENOMEM);
}

static void test_first_fit_and_reuse(void)
{
	struct elfmod_arena a;
	struct elfmod_arena_set set = { .by_kind = { [ELFMOD_KIND_TEXT] = &a, [ELFMOD_KIND_RODATA] = &a,
						   [ELFMOD_KIND_DATA] = &a } };
	struct elfmod_allocator al;
	struct elfmod_region r[4], big, d, e;

	check_ctx = "first fit";
	elfmod_arena_init(&a, backing, 0x1000, 256);
	elfmod_arena_allocator(&al, &set);
	for (int i = 0; i < 4; i++) {
		r[i] = region(ELFMOD_KIND_DATA);
		CHECK_RC(al.alloc(al.ctx, &r[i], 64, 16, 0), 0);
		CHECK_EQ(r[i].addr, 0x1000 + 64 * (uint64_t)i);
	}
	big = region(ELFMOD_KIND_DATA);
	CHECK_RC(al.alloc(al.ctx, &big, 1, 1, 0), ELFMOD_ENOMEM); /* full */

	/* Free the 2nd and 3rd: a 128-byte hole. First fit puts a small block at its start. */
	al.free(al.ctx, &r[1]);
	CHECK(r[1].priv == NULL);
	al.free(al.ctx, &r[2]);
	d = region(ELFMOD_KIND_TEXT);
	CHECK_RC(al.alloc(al.ctx, &d, 16, 16, 0), 0);
	CHECK_EQ(d.addr, 0x1040);
	/* The rest of the hole (112 bytes) is reused as one piece: the two frees coalesced. */
	e = region(ELFMOD_KIND_TEXT);
	CHECK_RC(al.alloc(al.ctx, &e, 112, 16, 0), 0);
	CHECK_EQ(e.addr, 0x1050);
	big = region(ELFMOD_KIND_DATA);
	CHECK_RC(al.alloc(al.ctx, &big, 1, 1, 0), ELFMOD_ENOMEM);

	/* Free everything: the whole arena is one block again. */
	al.free(al.ctx, &r[0]);
	al.free(al.ctx, &r[3]);
	al.free(al.ctx, &d);
	al.free(al.ctx, &e);
	CHECK_EQ(a.nblocks, 0);
	big = region(ELFMOD_KIND_RODATA);
	CHECK_RC(al.alloc(al.ctx, &big, 256, 256, 0), 0);
	CHECK_EQ(big.addr, 0x1000);
	CHECK(big.wr == backing);
	e = region(ELFMOD_KIND_DATA);
	CHECK_RC(al.alloc(al.ctx, &e, 1, 0, 0), ELFMOD_ENOMEM);
	/* Freeing twice, or a region never allocated, changes nothing. */
	al.free(al.ctx, &big);
	al.free(al.ctx, &big);
	al.free(al.ctx, &e);
	CHECK_EQ(a.nblocks, 0);
	/* Larger than the arena. */
	big = region(ELFMOD_KIND_DATA);
	CHECK_RC(al.alloc(al.ctx, &big, 257, 1, 0), ELFMOD_ENOMEM);
	CHECK_RC(al.alloc(al.ctx, &big, UINT64_MAX, 1, 0), ELFMOD_ENOMEM);
}

static void test_block_slots(void)
{
	struct elfmod_arena a;
	struct elfmod_arena_set set = { .by_kind = { [ELFMOD_KIND_TEXT] = &a, [ELFMOD_KIND_RODATA] = &a,
						   [ELFMOD_KIND_DATA] = &a } };
	struct elfmod_allocator al;
	struct elfmod_region r[ELFMOD_CFG_ARENA_BLOCKS + 1];

	check_ctx = "block slots";
	elfmod_arena_init(&a, backing, 0x8000, sizeof(backing));
	elfmod_arena_allocator(&al, &set);
	for (int i = 0; i < ELFMOD_CFG_ARENA_BLOCKS; i++) {
		r[i] = region(ELFMOD_KIND_DATA);
		CHECK_RC(al.alloc(al.ctx, &r[i], 8, 8, 0), 0);
	}
	/* Plenty of bytes left, but no slot to record another block. */
	r[ELFMOD_CFG_ARENA_BLOCKS] = region(ELFMOD_KIND_DATA);
	CHECK_RC(al.alloc(al.ctx, &r[ELFMOD_CFG_ARENA_BLOCKS], 8, 8, 0), ELFMOD_ENOMEM);
	al.free(al.ctx, &r[5]);
	CHECK_RC(al.alloc(al.ctx, &r[ELFMOD_CFG_ARENA_BLOCKS], 8, 8, 0), 0);
	CHECK_EQ(r[ELFMOD_CFG_ARENA_BLOCKS].addr, 0x8000 + 5 * 8);
	/* The list stays sorted by offset. */
	for (uint32_t i = 1; i < a.nblocks; i++)
		CHECK(a.used[i - 1].off + a.used[i - 1].size <= a.used[i].off);
}

static void sync_cb(void *ctx, uint64_t addr, uint64_t len)
{
	uint64_t *seen = ctx;

	seen[0] = addr;
	seen[1] = len;
	seen[2]++;
}

static void test_kinds(void)
{
	struct elfmod_arena iram, dram;
	uint64_t seen[3] = { 0, 0, 0 };
	struct elfmod_arena_set set = { .by_kind = { [ELFMOD_KIND_TEXT] = &iram, [ELFMOD_KIND_DATA] = &dram },
					.sync_icache = sync_cb, .sync_ctx = seen };
	struct elfmod_allocator al;
	struct elfmod_region t, ro, d;

	check_ctx = "kinds";
	/* Instruction RAM written through a data-bus alias: run and write addresses differ. */
	elfmod_arena_init(&iram, backing, 0x40100000, 1024);
	elfmod_arena_init(&dram, backing + 2048, 0x3ffe8000, 1024);
	elfmod_arena_allocator(&al, &set);
	t = region(ELFMOD_KIND_TEXT);
	CHECK_RC(al.alloc(al.ctx, &t, 100, 4, 0), 0);
	CHECK_EQ(t.addr, 0x40100000);
	CHECK(t.wr == backing);
	d = region(ELFMOD_KIND_DATA);
	CHECK_RC(al.alloc(al.ctx, &d, 100, 4, 0x40100000), 0);
	CHECK_EQ(d.addr, 0x3ffe8000);
	CHECK(d.wr == backing + 2048);
	/* No arena for rodata, and kinds past every arena slot. */
	ro = region(ELFMOD_KIND_RODATA);
	CHECK_RC(al.alloc(al.ctx, &ro, 4, 4, 0), ELFMOD_ENOMEM);
	ro = region(sizeof(set.by_kind) / sizeof(set.by_kind[0]));
	CHECK_RC(al.alloc(al.ctx, &ro, 4, 4, 0), ELFMOD_ENOMEM);
	ro = region(0xff);
	CHECK_RC(al.alloc(al.ctx, &ro, 4, 4, 0), ELFMOD_ENOMEM);
	/* Cache maintenance reaches the caller's hook with the run address. */
	al.sync_icache(al.ctx, t.addr, t.size);
	CHECK_EQ(seen[0], 0x40100000);
	CHECK_EQ(seen[1], 100);
	CHECK_EQ(seen[2], 1);
	set.sync_icache = NULL;
	al.sync_icache(al.ctx, t.addr, t.size); /* no hook: nothing happens */
	CHECK_EQ(seen[2], 1);
	/* Freeing in one arena leaves the other alone. */
	al.free(al.ctx, &t);
	CHECK_EQ(iram.nblocks, 0);
	CHECK_EQ(dram.nblocks, 1);
	/* Regions sharing one arena never overlap. */
	set.by_kind[ELFMOD_KIND_RODATA] = &dram;
	ro = region(ELFMOD_KIND_RODATA);
	CHECK_RC(al.alloc(al.ctx, &ro, 100, 4, 0), 0);
	CHECK(ro.addr >= d.addr + d.size || ro.addr + ro.size <= d.addr);
}

int main(void)
{
	test_alignment();
	test_first_fit_and_reuse();
	test_block_slots();
	test_kinds();
	return check_done("unit_arena");
}
