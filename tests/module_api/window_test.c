/*
 * Word-only code memory, built through a bounded window, gives exactly the bytes of an
 * ordinary load.
 *
 * Every module given (objects of all seven architectures: the fuzz seeds and the host
 * test modules) is relocated for its own machine at fixed addresses, first into plain
 * memory, then with write_code and code windows of 4, 12, 64 and 1024 bytes and the
 * default. The windowed loads must
 *   - end with the same result code, and on success with identical text, rodata and
 *     data bytes and the same symbol values (relocations use the run address: the
 *     text region's `wr` is a guard buffer that must stay untouched);
 *   - write code memory only as aligned words, every word of the region exactly once,
 *     in ceil(size / window) calls;
 *   - need no more META memory at their peak than the plain load plus the window and
 *     its 64-byte margin: the scratch is bounded, not text-sized.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "elfmod.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_AT 0x40100000u /* ESP8266 IRAM */
#define RODATA_AT 0x3ffe8000u
#define DATA_AT 0x3ffc0000u
#define GUARD 0xa5
#define MARGIN 64

struct mem {
	uint8_t *text_wr, *iram, *rodata, *data, *written;
	uint64_t text_size;
	int windowed;
	long calls, bad, meta_live, meta_peak;
};

static int t_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	struct mem *m = ctx;
	uint8_t *p;

	(void)near;
	if (align > 4096 || size > (64u << 20))
		return ELFMOD_ENOMEM;
	p = malloc(size ? (size_t)size : 1);
	if (!p)
		return ELFMOD_ENOMEM;
	r->wr = p;
	r->size = size;
	switch (r->kind) {
	case ELFMOD_KIND_TEXT:
		memset(p, GUARD, (size_t)size);
		m->text_wr = p;
		m->text_size = size;
		m->iram = calloc(1, (size_t)size + 4);
		m->written = calloc(1, (size_t)size / 4 + 1);
		r->addr = TEXT_AT;
		break;
	case ELFMOD_KIND_RODATA:
		m->rodata = p;
		r->addr = RODATA_AT;
		break;
	case ELFMOD_KIND_DATA:
		m->data = p;
		r->addr = DATA_AT;
		break;
	default:
		r->addr = (uint64_t)(uintptr_t)p;
		m->meta_live += (long)size;
		if (m->meta_live > m->meta_peak)
			m->meta_peak = m->meta_live;
	}
	return 0;
}

static void t_free(void *ctx, struct elfmod_region *r)
{
	struct mem *m = ctx;

	if (r->kind == ELFMOD_KIND_META)
		m->meta_live -= (long)r->size;
	if (r->kind == ELFMOD_KIND_TEXT) {
		free(m->iram);
		free(m->written);
		m->iram = m->written = NULL;
	}
	free(r->wr);
}

static int t_write_code(void *ctx, struct elfmod_region *r, uint64_t off, const void *src, uint64_t len)
{
	struct mem *m = ctx;

	m->calls++;
	if (r->wr != m->text_wr || (off & 3) || (len & 3) || len == 0 || off + len > r->size) {
		m->bad++;
		return -1;
	}
	for (uint64_t k = 0; k < len; k += 4) {
		if (m->written[(off + k) / 4]++)
			m->bad++; /* a word written twice */
		memcpy(m->iram + off + k, (const uint8_t *)src + k, 4);
	}
	return 0;
}

/* Imports land 256 KiB below the code: within reach of every engine's calls. */
static int t_resolve(void *ctx, const char *name, uint64_t *addr)
{
	(void)ctx;
	*addr = TEXT_AT - 0x40000u + (elfmod_hash(name) & 0x3fffcu);
	return 0;
}

struct snap {
	int rc;
	uint8_t *bytes[3];
	uint64_t size[3];
	uint64_t sym_sum;
	long peak;
};

static uint16_t machine_of(const uint8_t *b, size_t n)
{
	if (n < 20)
		return 0;
	return b[5] == 2 ? (uint16_t)(b[18] << 8 | b[19]) : (uint16_t)(b[19] << 8 | b[18]);
}

static void snap_free(struct snap *s)
{
	for (int k = 0; k < 3; k++)
		free(s->bytes[k]);
}

static void load(const uint8_t *buf, size_t len, int windowed, uint32_t window, struct snap *out)
{
	struct mem m = { 0 };
	struct elfmod_allocator a = { .alloc = t_alloc, .free = t_free, .ctx = &m };
	struct elfmod_source src = { buf, len, NULL, NULL, NULL };
	struct elfmod_load_opts o = { 0 };
	struct elfmod_module mod;
	struct elfmod_diag d;

	if (windowed) {
		a.write_code = t_write_code;
		a.code_window = window;
	}
	o.mem = &a;
	o.resolve = t_resolve;
	o.machine = machine_of(buf, len);
	o.flags = ELFMOD_LOAD_NO_INIT | ELFMOD_LOAD_NO_PROTECT;
	memset(out, 0, sizeof(*out));
	out->rc = elfmod_load(&mod, &src, &o, &d);
	out->peak = m.meta_peak;
	if (out->rc == 0) {
		const uint8_t *from[3] = { windowed ? m.iram : m.text_wr, m.rodata, m.data };
		for (int k = 0; k < 3; k++) {
			out->size[k] = mod.region[k].size;
			out->bytes[k] = malloc((size_t)out->size[k] + 1);
			if (out->size[k])
				memcpy(out->bytes[k], from[k], (size_t)out->size[k]);
		}
		for (uint32_t i = 0; i < mod.exports.count; i++)
			out->sym_sum += (uint64_t)(uintptr_t)mod.exports.syms[i].addr * (i + 1);
		if (windowed && mod.region[0].size) {
			uint64_t w = window ? window : ELFMOD_CFG_CODE_WINDOW, size = mod.region[0].size;
			int untouched = 1, all = 1;
			w &= ~3ull;
			if (w > size)
				w = size;
			for (uint64_t k = 0; k < size; k++)
				untouched &= m.text_wr[k] == GUARD;
			for (uint64_t k = 0; k < size / 4; k++)
				all &= m.written[k] == 1;
			CHECK(untouched);
			CHECK(all && (size & 3) == 0);
			CHECK(m.bad == 0);
			CHECK_EQ(m.calls, (long)((size + w - 1) / w));
		}
		CHECK_RC(elfmod_unload(&mod), 0);
	}
	CHECK_EQ(m.meta_live, 0);
}

int main(int argc, char **argv)
{
	static const uint32_t windows[] = { 4, 12, 64, 1024, 0 };
	unsigned loaded = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		struct snap plain, win;
		uint8_t *buf;
		long n;

		check_ctx = argv[i];
		if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
			CHECK(!"readable input");
			if (f)
				fclose(f);
			continue;
		}
		buf = malloc((size_t)n);
		CHECK(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
		fclose(f);
		load(buf, (size_t)n, 0, 0, &plain);
		if (plain.rc == 0)
			loaded++;
		for (unsigned w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
			uint64_t wb = windows[w] ? windows[w] : ELFMOD_CFG_CODE_WINDOW;
			load(buf, (size_t)n, 1, windows[w], &win);
			CHECK_EQ(win.rc, plain.rc);
			if (win.rc == 0 && plain.rc == 0) {
				for (int k = 0; k < 3; k++) {
					/* Word-only code memory gets whole words, the tail zeroed. */
					uint64_t want = k ? plain.size[k] : (plain.size[k] + 3) & ~3ull;
					CHECK_EQ(win.size[k], want);
					if (win.size[k] != want)
						continue;
					CHECK(!plain.size[k] ||
					      !memcmp(win.bytes[k], plain.bytes[k], (size_t)plain.size[k]));
					for (uint64_t b = plain.size[k]; b < want; b++)
						CHECK_EQ(win.bytes[k][b], 0);
				}
				CHECK_EQ(win.sym_sum, plain.sym_sum);
				CHECK(win.peak <= plain.peak + (long)wb + MARGIN);
			}
			snap_free(&win);
		}
		printf("%s: e_machine %u, %s, text %llu bytes, META peak %ld plain\n", argv[i],
		       machine_of(buf, (size_t)n), plain.rc ? elfmod_strerror(plain.rc) : "loaded",
		       (unsigned long long)plain.size[0], plain.peak);
		snap_free(&plain);
		free(buf);
	}
	check_ctx = "";
	/* The corpus must really exercise the windows. */
	CHECK(loaded >= 10);
	return check_done("window");
}
