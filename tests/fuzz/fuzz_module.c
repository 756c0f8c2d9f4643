/* libFuzzer harness for ET_REL loading: placement, resolution, GOT/stub planning and
 * relocation, for every architecture with an engine, against a fixed export table and
 * a resolver, into static arenas. Nothing loaded is ever executed. Aborts if a load leaves memory
 * allocated, or if a failed load leaves the registry changed. The input's length picks
 * the way in: a buffer, a read callback (through the loader's read cache), a read
 * callback with a SHA-256 no input can have (the load must fail), or a buffer with
 * elfmod_reset from the source and from a copy. */
#include "elfmod.h"

#include <stdlib.h>
#include <string.h>

static uint8_t text[1 << 18], rodata[1 << 18], data[1 << 18], meta[1 << 20];
static uint8_t host_things[4096];

struct input {
	const uint8_t *buf;
	size_t len;
};

static int input_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	const struct input *in = ctx;

	if (off > in->len || len > in->len - off)
		abort(); /* the loader checks ranges before it reads */
	memcpy(dst, in->buf + off, len);
	return 0;
}

static int resolve(void *ctx, const char *name, uint64_t *addr)
{
	(void)ctx;
	/* Resolve about half the names, so both outcomes are explored. */
	if (elfmod_hash(name) & 1)
		return -1;
	*addr = (uint64_t)(uintptr_t)&host_things[elfmod_hash(name) & 2047];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	static const struct elfmod_export syms[] = {
		{ "printf", &host_things[0] }, { "puts", &host_things[16] }, { "stdout", &host_things[32] },
		{ "memcpy", &host_things[48] }, { "malloc", &host_things[64] },
	};
	static struct elfmod_export_index idx[5];
	struct elfmod_arena at, ar, ad, am;
	struct elfmod_arena_set set = { { &at, &ar, &ad, &am }, NULL, NULL };
	struct elfmod_allocator mem;
	struct elfmod_exports host;
	struct elfmod_registry reg;
	static const uint8_t no_digest[32];
	struct input in = { buf, len };
	struct elfmod_source src = { buf, len, NULL, NULL, NULL };
	unsigned way = (unsigned)(len & 3);
	int rc;
	struct elfmod_load_opts o;
	struct elfmod_module m;
	struct elfmod_diag d;
	char msg[256];

	elfmod_arena_init(&at, text, (uint64_t)(uintptr_t)text, sizeof(text));
	elfmod_arena_init(&ar, rodata, (uint64_t)(uintptr_t)rodata, sizeof(rodata));
	elfmod_arena_init(&ad, data, (uint64_t)(uintptr_t)data, sizeof(data));
	elfmod_arena_init(&am, meta, (uint64_t)(uintptr_t)meta, sizeof(meta));
	elfmod_arena_allocator(&mem, &set);
	elfmod_registry_init(&reg);
	if (elfmod_exports_init(&host, syms, 5, idx, NULL) || elfmod_registry_add_exports(&reg, &host))
		abort();
	memset(&o, 0, sizeof(o));
	o.mem = &mem;
	o.reg = &reg;
	o.resolve = resolve;
	o.flags = ELFMOD_LOAD_NO_INIT;
	/* Relocate for whatever machine the input claims, so every engine is exercised
	 * (nothing runs: a foreign load never executes module code). */
	if (len >= 20)
		o.machine = buf[5] == 2 ? (uint16_t)(buf[18] << 8 | buf[19]) : (uint16_t)(buf[19] << 8 | buf[18]);

	if (way == 1 || way == 2) {
		src.data = NULL;
		src.read = input_read;
		src.ctx = &in;
		o.flags |= way == 1 ? ELFMOD_LOAD_RESET_COPY : 0;
		o.sha256 = way == 2 ? no_digest : NULL;
	} else if (way == 3) {
		o.flags |= ELFMOD_LOAD_RESET_SOURCE;
	}

	rc = elfmod_load(&m, &src, &o, &d);
	if (rc == 0 && way == 2)
		abort(); /* no file has an all-zero SHA-256 */
	if (rc == 0) {
		(void)elfmod_sym(&m, "main");
		if ((way == 1 || way == 3) && elfmod_reset(&m, &src, 0, &d) != 0)
			abort();
		if (elfmod_unload(&m) != 0)
			abort();
	} else {
		elfmod_diag_format(&d, msg, sizeof(msg));
		if (reg.modules)
			abort();
	}
	if (at.nblocks || ar.nblocks || ad.nblocks || am.nblocks)
		abort();
	return 0;
}
