/* Segments mapped from the file (struct elfmod_source::map) rather than copied: the
 * image is what the copy gives, whatever map does or refuses. A test source serves map
 * by copying the file's whole pages (so the bytes around a segment on its pages are the
 * file's until the loader zeroes them) and records every call. Checked: map is used for
 * each segment it can take, mapped bytes are not counted as copied; a refusal, a digest
 * check, an allocator without ELFMOD_MEM_MAPPABLE and a segment whose p_offset is not
 * congruent to its p_vaddr all fall back to the copy; a page shared with another segment
 * is copied, not mapped; .bss on a mapped page is zero; elfmod_reset works on a mapped
 * image; 1000 random PT_LOAD layouts load through map as by copy (same error or same
 * image); a file of thousands of segments is copied; the POSIX file source maps for
 * real, and a file on a noexec mount still loads (its code copied: mapped pages could
 * not be made executable).
 * Usage: map_test dso_base.so resetme.so exec_q.elf */
#define _GNU_SOURCE
#include "check.h"
#include "counting.h"
#include "files.h"
#include "resetme_host.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CALLS 16

struct mapsrc {
	const uint8_t *data;
	uint64_t size, page;
	int refuse, with_data;  /* set before through_map */
	unsigned calls, mapped, bad;
	struct {
		uint64_t off, len;
		uint8_t *dst;
		unsigned perm;
	} r[MAX_CALLS];
};

static int mapsrc_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	const struct mapsrc *s = ctx;

	if (off > s->size || len > s->size - off)
		return -1;
	memcpy(dst, s->data + off, len);
	return 0;
}

/* Whole pages of the file, past its end zero, as mmap gives them. */
static int mapsrc_map(void *ctx, uint64_t off, void *dst, uint64_t len, unsigned perm)
{
	struct mapsrc *s = ctx;
	uint64_t have;

	s->calls++;
	/* A page entirely past the end of the file would be SIGBUS under mmap. */
	if (((off | len | (uintptr_t)dst) & (s->page - 1)) || len == 0 || off >= s->size ||
	    len - (s->size - off < len ? s->size - off : len) >= s->page) {
		s->bad++;
		return -1;
	}
	if (s->refuse)
		return -1;
	if (s->mapped < MAX_CALLS) {
		s->r[s->mapped].off = off;
		s->r[s->mapped].len = len;
		s->r[s->mapped].dst = dst;
		s->r[s->mapped].perm = perm;
	}
	s->mapped++;
	have = s->size - off < len ? s->size - off : len;
	memcpy(dst, s->data + off, (size_t)have);
	memset((uint8_t *)dst + have, 0, (size_t)(len - have));
	return 0;
}

static void mapsrc_init(struct mapsrc *s, struct elfmod_source *src, const uint8_t *data, uint64_t size)
{
	memset(s, 0, sizeof(*s));
	s->data = data;
	s->size = size;
	s->page = (uint64_t)sysconf(_SC_PAGESIZE);
	memset(src, 0, sizeof(*src));
	src->size = size;
	src->read = mapsrc_read;
	src->map = mapsrc_map;
	src->ctx = s;
}

/* What dso_base.so imports. */
void record(int what);
void record(int what)
{
	(void)what;
}

int host_twice(int x);
int host_twice(int x)
{
	return 2 * x;
}

static const struct elfmod_export host_syms[] = {
	{ "host_twice", (const void *)&host_twice },
	{ "record", (const void *)&record },
};

static struct elfmod_registry reg;
static struct elfmod_allocator mem;
static int quiet; /* load() keeps its failures to itself */

/* The loaded image, kept after the unload for comparison. */
struct image {
	uint8_t *bytes;
	uint64_t size, bias, copied;
};

static int load(struct elfmod_module *m, const struct elfmod_source *src, const struct elfmod_allocator *a,
		const uint8_t *sha256, uint32_t flags)
{
	struct elfmod_load_opts o = { 0 };
	struct elfmod_diag d;
	int rc;

	o.name = "mapped";
	o.mem = a;
	o.reg = &reg;
	o.flags = flags;
	o.sha256 = sha256;
	/* exec_q.elf's imports (printf...): the process's. */
	o.resolve = elfmod_posix_host_resolve;
	rc = elfmod_load(m, src, &o, &d);
	if (rc && !quiet) {
		char text[256];
		elfmod_diag_format(&d, text, sizeof(text));
		fprintf(stderr, "[%s] load: %s\n", check_ctx, text);
	}
	return rc;
}

static int snapshot(struct elfmod_module *m, struct image *im)
{
	im->size = m->region[0].size;
	im->bias = m->dyn->bias;
	im->copied = m->bytes_loaded;
	im->bytes = malloc((size_t)im->size);
	if (!im->bytes)
		return -1;
	memcpy(im->bytes, m->region[0].wr, (size_t)im->size);
	return 0;
}

/* Equal, but for the fields relocated against the image itself (its bias differs): each
 * byte that differs lies in 8 bytes, at any alignment (code too, for a moved executable),
 * that differ by exactly the difference of the biases. */
static int same_image(const struct image *a, const struct image *b)
{
	if (a->size != b->size)
		return 0;
	for (uint64_t k = 0; k < a->size; k++) {
		int explained = 0;
		if (a->bytes[k] == b->bytes[k])
			continue;
		for (uint64_t o = k >= 7 ? k - 7 : 0; o <= k && o + 8 <= a->size && !explained; o++) {
			uint64_t x, y;
			memcpy(&x, a->bytes + o, 8);
			memcpy(&y, b->bytes + o, 8);
			explained = x - a->bias == y - b->bias;
		}
		if (!explained) {
			fprintf(stderr, "[%s] images differ at offset 0x%llx\n", check_ctx, (unsigned long long)k);
			return 0;
		}
	}
	return 1;
}

/* The image a plain copy gives (a buffer source: no map). */
static int copied_image(const uint8_t *data, uint64_t size, struct image *im)
{
	struct elfmod_source src = { 0 };
	struct elfmod_module m;

	src.data = data;
	src.size = size;
	if (load(&m, &src, &mem, NULL, 0))
		return -1;
	if (snapshot(&m, im))
		return -1;
	return elfmod_unload(&m);
}

struct seg {
	uint64_t vaddr, offset, filesz, memsz;
};

static unsigned segments(const uint8_t *data, uint64_t size, struct seg *out, unsigned max)
{
	struct elfmod_source src = { 0 };
	struct elfmod_elf elf;
	struct elfmod_phdr ph;
	unsigned n = 0;

	src.data = data;
	src.size = size;
	if (elfmod_elf_open(&elf, &src, NULL))
		return 0;
	for (uint32_t i = 0; i < elf.phnum && n < max; i++)
		if (!elfmod_elf_phdr(&elf, i, &ph) && ph.type == ELFMOD_PT_LOAD && ph.filesz) {
			out[n].vaddr = ph.vaddr;
			out[n].offset = ph.offset;
			out[n].filesz = ph.filesz;
			out[n].memsz = ph.memsz;
			n++;
		}
	return n;
}

/* Loads through the map source and compares with the copy; the calls are left in *ms. */
static void through_map(const uint8_t *data, uint64_t size, const struct image *want, struct mapsrc *ms,
			const struct elfmod_allocator *a, const uint8_t *sha256, struct image *got)
{
	struct elfmod_source src;
	struct elfmod_module m;
	int refuse = ms->refuse, with_data = ms->with_data, rc;

	mapsrc_init(ms, &src, data, size);
	ms->refuse = refuse;
	if (with_data)
		src.data = data;
	memset(got, 0, sizeof(*got));
	rc = load(&m, &src, a, sha256, 0);
	CHECK_RC(rc, 0);
	if (rc)
		return;
	CHECK_RC(snapshot(&m, got), 0);
	/* The ranges, as image offsets, before the image goes. */
	for (unsigned k = 0; k < ms->mapped && k < MAX_CALLS; k++)
		ms->r[k].dst = (uint8_t *)(uintptr_t)(ms->r[k].dst - (uint8_t *)m.region[0].wr);
	CHECK_RC(elfmod_unload(&m), 0);
	CHECK(same_image(want, got));
	CHECK_EQ(ms->bad, 0);
}

/* Whether a recorded mapping covers image offsets [lo, hi). */
static int mapped_over(const struct mapsrc *ms, uint64_t lo, uint64_t hi)
{
	for (unsigned k = 0; k < ms->mapped && k < MAX_CALLS; k++) {
		uint64_t a = (uint64_t)(uintptr_t)ms->r[k].dst;
		if (a < hi && lo < a + ms->r[k].len)
			return 1;
	}
	return 0;
}

static void test_file(const struct test_file *f, const char *what)
{
	struct image want, got;
	struct mapsrc ms;
	struct seg seg[8];
	unsigned nseg = segments(f->data, f->size, seg, 8);
	uint64_t filesz = 0;
	char ctx[96];

	for (unsigned k = 0; k < nseg; k++)
		filesz += seg[k].filesz;
	snprintf(ctx, sizeof(ctx), "%s", what);
	check_ctx = ctx;
	CHECK(nseg >= 2);
	if (copied_image(f->data, f->size, &want)) {
		CHECK(0);
		return;
	}
	CHECK_EQ(want.copied, filesz);

	/* Every segment mapped (each congruent, none sharing a page): one call each, and
	 * only the bytes on pages shared with another segment copied; the same whether the
	 * source is only read or also addressable (as elfmod_open's). */
	for (int data = 0; data < 2; data++) {
		snprintf(ctx, sizeof(ctx), "%s: mapped, %s source", what, data ? "addressable" : "read");
		memset(&ms, 0, sizeof(ms));
		ms.with_data = data;
		through_map(f->data, f->size, &want, &ms, &mem, NULL, &got);
		CHECK_EQ(ms.mapped, nseg);
		CHECK_EQ(ms.calls, nseg);
		CHECK(got.copied < filesz);
		for (unsigned k = 0; k < ms.mapped && k < MAX_CALLS; k++) {
			const struct seg *s = NULL;
			for (unsigned j = 0; j < nseg; j++)
				if ((seg[j].offset & ~(ms.page - 1)) <= ms.r[k].off &&
				    ms.r[k].off < seg[j].offset + seg[j].filesz)
					s = &seg[j];
			CHECK(s != NULL);
		}
		free(got.bytes);
	}

	snprintf(ctx, sizeof(ctx), "%s: map refused", what);
	memset(&ms, 0, sizeof(ms));
	ms.refuse = 1;
	through_map(f->data, f->size, &want, &ms, &mem, NULL, &got);
	CHECK_EQ(ms.calls, nseg);
	CHECK_EQ(ms.mapped, 0);
	CHECK_EQ(got.copied, filesz);
	free(got.bytes);

	/* A digest must see every byte: nothing mapped, whether the source is read (through
	 * the loader's cache) or addressable (as elfmod_posix_file's, which elfmod_open uses). */
	for (int data = 0; data < 2; data++) {
		struct elfmod_sha256 sha;
		uint8_t digest[32];
		snprintf(ctx, sizeof(ctx), "%s: digest, %s source", what, data ? "addressable" : "read");
		elfmod_sha256_init(&sha);
		elfmod_sha256_update(&sha, f->data, f->size);
		elfmod_sha256_final(&sha, digest);
		memset(&ms, 0, sizeof(ms));
		ms.with_data = data;
		through_map(f->data, f->size, &want, &ms, &mem, digest, &got);
		CHECK_EQ(ms.calls, 0);
		CHECK_EQ(got.copied, filesz);
		free(got.bytes);
	}
	/* An allocator that does not say its pages can be replaced. */
	snprintf(ctx, sizeof(ctx), "%s: not mappable", what);
	{
		struct elfmod_allocator plain = mem;
		plain.flags = 0;
		memset(&ms, 0, sizeof(ms));
		through_map(f->data, f->size, &want, &ms, &plain, NULL, &got);
		CHECK_EQ(ms.calls, 0);
		CHECK_EQ(got.copied, filesz);
		free(got.bytes);
	}
	free(want.bytes);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* The program header of the k-th PT_LOAD with file bytes, in `data` (64-bit LE). */
static uint8_t *load_phdr(uint8_t *data, unsigned k)
{
	uint64_t phoff = get64(data + 32);
	uint16_t phentsize, phnum;

	memcpy(&phentsize, data + 54, 2);
	memcpy(&phnum, data + 56, 2);
	for (unsigned i = 0; i < phnum; i++) {
		uint8_t *p = data + phoff + (uint64_t)i * phentsize;
		uint32_t type;
		memcpy(&type, p, 4);
		if (type == ELFMOD_PT_LOAD && get64(p + 32) && k-- == 0)
			return p;
	}
	return NULL;
}

/* dso_base.so with its last segment's bytes moved to an offset not congruent to its
 * address: that segment is copied, the others are still mapped, the image the same. */
static void test_incongruent(const struct test_file *f)
{
	struct seg seg[8];
	unsigned nseg = segments(f->data, f->size, seg, 8);
	const struct seg *last;
	uint64_t at;
	uint8_t *copy;
	struct image want, got;
	struct mapsrc ms;

	check_ctx = "dso_base.so, a segment not congruent";
	CHECK(nseg >= 2);
	if (nseg < 2)
		return;
	last = &seg[nseg - 1];
	at = ((f->size + 4095) & ~(uint64_t)4095) + (last->vaddr & 4095) + 8;
	copy = calloc(1, (size_t)(at + last->filesz));
	if (!copy) {
		CHECK(0);
		return;
	}
	memcpy(copy, f->data, f->size);
	memcpy(copy + at, f->data + last->offset, (size_t)last->filesz);
	put64(load_phdr(copy, nseg - 1) + 8, at);
	if (copied_image(copy, at + last->filesz, &want)) {
		CHECK(0);
		free(copy);
		return;
	}
	memset(&ms, 0, sizeof(ms));
	through_map(copy, at + last->filesz, &want, &ms, &mem, NULL, &got);
	CHECK_EQ(ms.calls, nseg - 1);
	CHECK(!mapped_over(&ms, last->vaddr - (seg[0].vaddr & ~(ms.page - 1)),
			   last->vaddr + last->filesz - (seg[0].vaddr & ~(ms.page - 1))));
	free(got.bytes);
	free(want.bytes);
	free(copy);
}

/* dso_base.so with the segment before the writable one made writable too and given
 * .bss reaching into the writable one's first page: that page holds both, so it is
 * copied (with the zeroes between them), never mapped; the image is the copy's. */
static void test_shared_page(const struct test_file *f)
{
	struct seg seg[8];
	unsigned nseg = segments(f->data, f->size, seg, 8);
	uint8_t *copy = malloc(f->size);
	struct image want, got;
	struct mapsrc ms;
	uint64_t ps = (uint64_t)sysconf(_SC_PAGESIZE), page, memsz;
	uint8_t *ph;
	uint32_t rw = ELFMOD_PF_R | ELFMOD_PF_W;

	check_ctx = "dso_base.so, a page shared by two segments";
	if (!copy || nseg < 3) {
		CHECK(0);
		free(copy);
		return;
	}
	memcpy(copy, f->data, f->size);
	page = seg[nseg - 1].vaddr & ~(ps - 1);
	/* The writable segment must start past its page's beginning, with the one before
	 * ending on an earlier page: the layout of a -z relro link. */
	CHECK(page > seg[nseg - 2].vaddr + seg[nseg - 2].memsz && seg[nseg - 1].vaddr > page + 16);
	memsz = page + 16 - seg[nseg - 2].vaddr;
	ph = load_phdr(copy, nseg - 2);
	memcpy(ph + 4, &rw, 4);
	put64(ph + 40, memsz);
	if (copied_image(copy, f->size, &want)) {
		CHECK(0);
		free(copy);
		return;
	}
	memset(&ms, 0, sizeof(ms));
	through_map(copy, f->size, &want, &ms, &mem, NULL, &got);
	CHECK(ms.mapped >= 1);
	CHECK(!mapped_over(&ms, page, page + ps));
	/* The bytes between the two segments on that page are zero (a copy's gap). */
	CHECK(got.bytes && got.bytes[page + 16] == 0 && got.bytes[seg[nseg - 1].vaddr - 1] == 0);
	free(got.bytes);
	free(want.bytes);
	free(copy);
}

/* A crafted file of `n` PT_LOAD segments a page apart, each 16 bytes of the same page
 * of the file (congruent, mappable one by one); no dynamic section. */
static uint8_t *many_segments(unsigned n, uint64_t ps, uint64_t *size)
{
	uint64_t data = (64 + 56ull * n + ps - 1) & ~(ps - 1);
	uint8_t *f = calloc(1, (size_t)(data + ps));
	uint16_t h16[] = { 3 /* ET_DYN */, elfmod_host_machine() };
	uint32_t one = 1, r = ELFMOD_PF_R;
	uint64_t phoff = 64;

	if (!f)
		return NULL;
	memcpy(f, "\x7f" "ELF\x02\x01\x01", 7);
	memcpy(f + 16, h16, 4);
	memcpy(f + 20, &one, 4);
	put64(f + 32, phoff);
	f[52] = 64;             /* e_ehsize */
	f[54] = 56;             /* e_phentsize */
	memcpy(f + 56, &n, 2);  /* e_phnum (n < 0xffff, little-endian host) */
	for (unsigned k = 0; k < n; k++) {
		uint8_t *ph = f + phoff + 56ull * k;
		memcpy(ph, &one, 4);                    /* PT_LOAD */
		memcpy(ph + 4, &r, 4);
		put64(ph + 8, data + 0x100);            /* p_offset */
		put64(ph + 16, k * ps + 0x100);         /* p_vaddr */
		put64(ph + 24, k * ps + 0x100);
		put64(ph + 32, 16);                     /* p_filesz */
		put64(ph + 40, 16);                     /* p_memsz */
		put64(ph + 48, ps);                     /* p_align */
	}
	memset(f + data, 0xc3, (size_t)ps);
	*size = data + ps;
	return f;
}

/* Thousands of segments would make deciding what to map quadratic (a crafted file of
 * a megabyte took a minute): past a few, all are copied, the image the same. */
static void test_many_segments(void)
{
	uint64_t ps = (uint64_t)sysconf(_SC_PAGESIZE), size;
	uint8_t *f;
	struct image want, got;
	struct mapsrc ms;
	static const unsigned counts[] = { 16, 4000 };

	check_ctx = "many segments";
	for (unsigned k = 0; k < 2; k++) {
		unsigned n = counts[k];
		if (!(f = many_segments(n, ps, &size)) || copied_image(f, size, &want)) {
			CHECK(0);
			free(f);
			return;
		}
		memset(&ms, 0, sizeof(ms));
		through_map(f, size, &want, &ms, &mem, NULL, &got);
		/* 16 segments are mapped; 4000 are all copied. */
		CHECK_EQ(ms.mapped, n == 16 ? 16 : 0);
		free(got.bytes);
		free(want.bytes);
		free(f);
	}
}

/* resetme.so with its PT_LOAD headers moved at random (addresses, sizes, offsets by
 * bytes or pages, both at once into the page before, .bss reaching into the next
 * segment, segments over one another, made writable so that a page shared with another
 * is allowed): each variant loads through map exactly as it loads by copy - the same
 * error, or the same image - and every map call is one a mmap could serve. */
static void test_random_layouts(const struct test_file *f)
{
	uint64_t ps = (uint64_t)sysconf(_SC_PAGESIZE), x = 0x9e3779b97f4a7c15ull;
	uint8_t *copy = malloc(f->size);
	unsigned loaded = 0, mapped = 0;
	uint32_t rw = ELFMOD_PF_R | ELFMOD_PF_W;
	char ctx[64];

	if (!copy) {
		CHECK(0);
		return;
	}
	quiet = 1;
	for (unsigned round = 0; round < 1000; round++) {
		struct elfmod_source src;
		struct elfmod_module m;
		struct image want, got;
		struct mapsrc ms;
		int rc_copy, rc_map;

		memcpy(copy, f->data, f->size);
		for (unsigned k = 0; k < 4; k++) {
			uint8_t *ph = load_phdr(copy, k);
			uint64_t r, delta;
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			r = x;
			if (!ph || (r & 3) != 0)
				continue;
			delta = (r >> 8) & 1 ? ps * ((r >> 9) & 3) : (r >> 12) & 0xfff;
			switch ((r >> 2) & 7) {
			case 0: put64(ph + 40, get64(ph + 40) + delta); break;                  /* p_memsz */
			case 1: put64(ph + 16, get64(ph + 16) + delta); break;                  /* p_vaddr */
			case 2: put64(ph + 16, get64(ph + 16) - (delta & ~(ps - 1))); break;
			case 3: put64(ph + 8, get64(ph + 8) + (delta & ~(ps - 1)) % f->size); break; /* p_offset */
			case 4: put64(ph + 32, get64(ph + 32) / 2); break;                       /* p_filesz */
			case 5: put64(ph + 16, get64(ph + 16) - delta);  /* congruent still */
				put64(ph + 8, get64(ph + 8) - delta); break;
			case 6: memcpy(ph + 4, &rw, 4); break;                                /* p_flags */
			default: put64(ph + 48, 16); break;                                     /* p_align */
			}
		}
		snprintf(ctx, sizeof(ctx), "random layout %u", round);
		check_ctx = ctx;
		memset(&src, 0, sizeof(src));
		src.data = copy;
		src.size = f->size;
		memset(&want, 0, sizeof(want));
		rc_copy = load(&m, &src, &mem, NULL, ELFMOD_LOAD_NO_INIT);
		if (!rc_copy) {
			CHECK_RC(snapshot(&m, &want), 0);
			CHECK_RC(elfmod_unload(&m), 0);
		}
		mapsrc_init(&ms, &src, copy, f->size);
		rc_map = load(&m, &src, &mem, NULL, ELFMOD_LOAD_NO_INIT);
		CHECK_RC(rc_map, rc_copy);
		CHECK_EQ(ms.bad, 0);
		if (!rc_map) {
			CHECK_RC(snapshot(&m, &got), 0);
			CHECK_RC(elfmod_unload(&m), 0);
			if (!rc_copy)
				CHECK(same_image(&want, &got));
			free(got.bytes);
			loaded++;
			mapped += ms.mapped > 0;
		}
		free(want.bytes);
	}
	quiet = 0;
	fprintf(stderr, "random layouts: %u of 1000 loaded, %u of them mapped\n", loaded, mapped);
	/* The variants reach both outcomes, and mapping among the loads. */
	check_ctx = "random layouts";
	CHECKF(loaded > 100 && mapped > 50 && loaded < 1000, "%u loaded, %u mapped", loaded, mapped);
	free(copy);
}

/* resetme.so through the map source: reset from a copy and from the source. */
static void test_reset(const struct test_file *f)
{
	for (int mode = 0; mode < 2; mode++) {
		uint32_t flag = mode ? ELFMOD_LOAD_RESET_SOURCE : ELFMOD_LOAD_RESET_COPY;
		struct elfmod_source src;
		struct elfmod_module m;
		struct elfmod_diag d;
		struct mapsrc ms;
		int (*bump)(void), (*intact)(void);

		check_ctx = mode ? "resetme.so mapped, reset from the source" : "resetme.so mapped, reset from a copy";
		int rc;

		mapsrc_init(&ms, &src, f->data, f->size);
		rc = load(&m, &src, &mem, NULL, flag);
		CHECK_RC(rc, 0);
		if (rc)
			return;
		CHECK(ms.mapped > 0);
		bump = (int (*)(void))elfmod_sym(&m, "bump");
		intact = (int (*)(void))elfmod_sym(&m, "intact");
		CHECK(bump && intact);
		if (bump && intact) {
			CHECK_EQ(bump(), 801);
			CHECK_EQ(bump(), 902);
			CHECK_RC(elfmod_reset(&m, mode ? &src : NULL, 0, &d), 0);
			CHECK_EQ(bump(), 801);
			CHECK(intact());
		}
		CHECK_RC(elfmod_unload(&m), 0);
	}
}

/* The POSIX file source maps for real (mmap), with the same result as its copy. */
static void test_posix(const char *path, const struct test_file *f)
{
	struct elfmod_posix_file pf;
	struct elfmod_module m;
	struct image want, got;

	check_ctx = "elfmod_posix_file";
	if (copied_image(f->data, f->size, &want)) {
		CHECK(0);
		return;
	}
	/* Mapped in memory (the source elfmod_open uses), and read with pread: the loader
	 * reads the latter through its cache, which passes map on. */
	for (int map = 1; map >= 0; map--) {
		int rc;
		CHECK_RC(elfmod_posix_file_open(&pf, path, map), 0);
		CHECK(pf.src.map != NULL);
		rc = load(&m, &pf.src, &mem, NULL, 0);
		CHECK_RC(rc, 0);
		elfmod_posix_file_close(&pf);
		if (rc)
			break;
		CHECK(pf.maps > 0);
		CHECK(m.bytes_loaded < want.copied);
		CHECK_RC(snapshot(&m, &got), 0);
		CHECK_RC(elfmod_unload(&m), 0);
		CHECK(same_image(&want, &got));
		free(got.bytes);
	}
	free(want.bytes);
}

/* Writes `text` to the file at `path` (a /proc/self knob). */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/* The child of test_noexec: in a mount namespace of its own, `dir` becomes a noexec
 * tmpfs holding a copy of the file; loading it must give the copy's image. Exits with
 * the failures counted, 77 when no namespace can be had or the mount is refused
 * (EPERM: an LSM, a container): once the mount is there, nothing is skipped, and the
 * mount must really refuse executable mappings, or the case tested nothing. */
static void noexec_child(const char *dir, const struct test_file *f, const struct image *want)
{
	struct elfmod_posix_file pf;
	struct elfmod_module m;
	struct image got;
	char path[256], map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();
	unsigned long failed = check_failed;
	int fd, rc;

	if (unshare(CLONE_NEWNS) != 0) {
		/* Unprivileged: a user namespace gives the mount namespace. */
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
			_exit(77);
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
		write_file("/proc/self/setgroups", "deny");
		if (write_file("/proc/self/uid_map", map))
			_exit(77);
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
		write_file("/proc/self/gid_map", map);
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", dir, "tmpfs", MS_NOEXEC, "size=4m") != 0) {
		if (errno == EPERM)
			_exit(77);
		CHECKF(0, "mount: %s", strerror(errno));
		_exit(1);
	}
	snprintf(path, sizeof(path), "%s/noexec.so", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0755);
	CHECK(fd >= 0 && write(fd, f->data, f->size) == (ssize_t)f->size);
	if (fd < 0)
		_exit(1);
	{
		void *x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		CHECKF(x == MAP_FAILED, "an executable mapping of a file on the noexec mount was granted");
		if (x != MAP_FAILED)
			munmap(x, 4096);
	}
	close(fd);
	for (int map_it = 1; map_it >= 0; map_it--) {
		CHECK_RC(elfmod_posix_file_open(&pf, path, map_it), 0);
		rc = load(&m, &pf.src, &mem, NULL, 0);
		CHECK_RC(rc, 0);
		if (!rc) {
			/* The writable segment's pages can still be mapped. */
			CHECK(pf.maps > 0);
			CHECK_RC(snapshot(&m, &got), 0);
			CHECK_RC(elfmod_unload(&m), 0);
			CHECK(same_image(want, &got));
			free(got.bytes);
		}
		elfmod_posix_file_close(&pf);
	}
	failed = check_failed - failed;
	_exit(failed ? (int)(failed < 76 ? failed : 76) : 0);
}

/* A file on a noexec mount: its pages can be mapped, but not made executable later (a
 * copy can), so its code is copied and the load succeeds as it does without map. */
static void test_noexec(const struct test_file *f)
{
	char dir[] = "/tmp/elfmod_map_test_XXXXXX";
	struct image want;
	pid_t pid;
	int status = 0;

	check_ctx = "a file on a noexec mount";
	if (copied_image(f->data, f->size, &want)) {
		CHECK(0);
		return;
	}
	if (!mkdtemp(dir)) {
		CHECK(0);
		free(want.bytes);
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		noexec_child(dir, f, &want);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		fprintf(stderr, "[%s] skipped: no mount namespace or tmpfs to be had\n", check_ctx);
	else
		CHECK_EQ(WEXITSTATUS(status), 0);
	rmdir(dir);
	free(want.bytes);
}

int main(int argc, char **argv)
{
	static struct elfmod_export_index host_index[2], reset_index[1];
	static struct elfmod_exports host, reset_host;
	struct test_file base, resetme, exec;

	if (argc != 4 || test_file_read(argv[1], &base) || test_file_read(argv[2], &resetme) ||
	    test_file_read(argv[3], &exec)) {
		fprintf(stderr, "usage: map_test dso_base.so resetme.so exec_q.elf\n");
		return 2;
	}
	elfmod_posix_allocator(&mem);
	CHECK(mem.flags & ELFMOD_MEM_MAPPABLE);
	elfmod_registry_init(&reg);
	CHECK_RC(elfmod_exports_init(&host, host_syms, 2, host_index, NULL), 0);
	CHECK_RC(elfmod_registry_add_exports(&reg, &host), 0);
	CHECK_RC(elfmod_exports_init(&reset_host, resetme_imports, 1, reset_index, NULL), 0);
	CHECK_RC(elfmod_registry_add_exports(&reg, &reset_host), 0);
	test_file(&base, "dso_base.so");
	test_file(&resetme, "resetme.so");
	test_file(&exec, "exec_q.elf");
	test_incongruent(&base);
	test_shared_page(&base);
	test_many_segments();
	test_random_layouts(&resetme);
	test_reset(&resetme);
	test_posix(argv[1], &base);
	test_noexec(&base);
	free(base.data);
	free(resetme.data);
	free(exec.data);
	return check_done("map");
}
