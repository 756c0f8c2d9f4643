/*
 * libFuzzer harness for the parser and the executable loader.
 *
 * Each input is opened twice, from a buffer source (pointing straight at libFuzzer's
 * copy, so ASan sees any read past the input) and from a read callback (which aborts on
 * any request outside the file: the core must never ask for one). Both views are walked
 * through every accessor and must agree. Then the input is loaded as an executable into
 * two 64 KiB windows, at 0 and at 0x10000000, by p_vaddr and by p_paddr, from both
 * sources; a refused image must leave the windows untouched, and guard bytes around
 * them must survive every load.
 */
#include "elfmod.h"
#include "walk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define WIN 65536
#define GUARD 64
#define FILLB 0xAA

struct cb {
	const uint8_t *data;
	size_t size;
};

static int cb_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	const struct cb *c = ctx;

	if (off > c->size || len > c->size - off)
		abort(); /* the core checks ranges before it reads */
	memcpy(dst, c->data + off, len);
	return 0;
}

static uint8_t mem[2][WIN + 2 * GUARD], snapshot[2][WIN + 2 * GUARD];

static void fill_windows(void)
{
	memset(mem, FILLB, sizeof(mem));
}

/* Compared with memcmp against an all-FILLB copy: a byte loop under ASan would cost more
 * than the code under test. */
static int windows_untouched(void)
{
	static uint8_t ref[sizeof(mem)];

	if (ref[0] != FILLB)
		memset(ref, FILLB, sizeof(ref));
	return !memcmp(ref, mem, sizeof(mem));
}

static int guards_intact(void)
{
	for (size_t w = 0; w < 2; w++)
		for (size_t i = 0; i < GUARD; i++)
			if (mem[w][i] != FILLB || mem[w][GUARD + WIN + i] != FILLB)
				return 0;
	return 1;
}

static int open_and_walk(const struct elfmod_source *src, struct walk_stats *st,
			 struct elfmod_diag *d)
{
	struct elfmod_elf elf;
	static char buf[4096];
	char line[96];
	int rc;

	memset(st, 0, sizeof(*st));
	rc = elfmod_elf_open(&elf, src, d);
	if (!rc)
		rc = walk_elf(&elf, buf, sizeof(buf), st);
	/* The formatter must cope with whatever a failure recorded. */
	elfmod_diag_format(d, line, sizeof(line));
	elfmod_diag_format(d, line, 7);
	return rc;
}

static void load(const struct elfmod_source *src, uint32_t flags, int *rc_out)
{
	const struct elfmod_window w[2] = {
		{ 0, WIN, mem[0] + GUARD },
		{ 0x10000000, WIN, mem[1] + GUARD },
	};
	struct elfmod_exec_opts o = { .windows = w, .nwindows = 2, .flags = flags };
	struct elfmod_exec_info info;
	struct elfmod_diag d;
	int rc;

	fill_windows();
	rc = elfmod_exec_load(src, &o, &info, &d);
	if (!guards_intact())
		abort();
	if (rc && !windows_untouched())
		abort(); /* a refused image wrote something */
	if (!rc && (info.segments == 0 || info.segments > ELFMOD_CFG_MAX_LOAD_SEGMENTS ||
		    info.copied + info.zeroed > 2 * WIN))
		abort();
	*rc_out = rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cb c = { data, size };
	struct elfmod_source bsrc = { data, size, NULL, NULL, NULL };
	struct elfmod_source csrc = { NULL, size, cb_read, &c, NULL };
	struct walk_stats sb, sc;
	struct elfmod_diag db, dc;
	int rb, rcb, lb, lc;

	rb = open_and_walk(&bsrc, &sb, &db);
	rcb = open_and_walk(&csrc, &sc, &dc);
	/* A callback source copies strings into a 4 KiB buffer: a longer one is ESPACE
	 * there and fine in place. Otherwise both views must agree exactly. */
	if (rcb != ELFMOD_ESPACE) {
		if (rb != rcb || db.err != dc.err || db.obj != dc.obj || db.index != dc.index ||
		    db.index2 != dc.index2 || db.value != dc.value)
			abort();
		if (sb.sections != sc.sections || sb.symbols != sc.symbols ||
		    sb.relocs != sc.relocs || sb.segments != sc.segments ||
		    sb.name_bytes != sc.name_bytes)
			abort();
	}

	/* Both sources must load the same bytes (or refuse alike). */
	for (uint32_t flags = 0; flags <= ELFMOD_EXEC_USE_PADDR; flags++) {
		load(&bsrc, flags, &lb);
		memcpy(snapshot, mem, sizeof(mem));
		load(&csrc, flags, &lc);
		if (lb != lc || memcmp(snapshot, mem, sizeof(mem)))
			abort();
	}
	return 0;
}
