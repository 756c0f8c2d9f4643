/* elfmod_reset: a loaded module's writable data back to its initial values.
 *
 * At load the loaders describe the writable memory as ranges, in the order a reset
 * rewrites them (an enclosing zero range first, then what lies inside it): each range
 * is `size` bytes at `wr`, of which the first `file_len` come from the file at
 * `file_off` and the rest are zero. Then either
 *  - RESET_COPY: the ranges' bytes are copied once relocation is done, before any module
 *    code runs, and a reset copies them back; or
 *  - RESET_SOURCE: every field the loader writes into those ranges (relocations, its
 *    own words) is logged with its bytes, and a reset zeroes the ranges, reads the file
 *    parts again and puts the logged fields back.
 * One part of the memory may be excluded (a shared object's RELRO, read-only once the
 * load is done): a reset never writes there. */
#include "internal.h"

struct range {
	uint8_t *wr;
	uint64_t size, file_off, file_len;
};

struct fix {
	uint8_t *at;
	uint8_t len;
	uint8_t bytes[ELFMOD__RESET_FIELD];
};

struct state {
	uint32_t nrange, nfix, capfix;
	uint64_t file_size;
	uint8_t *excl_lo, *excl_hi;   /* never written by a reset */
	struct elfmod_region fixes;   /* RESET_SOURCE: the log, grown by doubling */
	/* struct range[nrange], then (RESET_COPY) the bytes of every range */
};

static struct state *state_of(const struct elfmod_module *m)
{
	return m->reset.size ? (struct state *)m->reset.wr : NULL;
}

static struct range *ranges(struct state *st)
{
	return (struct range *)(void *)(st + 1);
}

int elfmod__reset_begin(struct elfmod_module *m, uint32_t nrange, uint64_t copy_bytes, struct elfmod_diag *diag)
{
	int copy = (m->flags & ELFMOD_LOAD_RESET_COPY) != 0;
	uint64_t size = sizeof(struct state) + elfmod__mul_entsize(nrange, sizeof(struct range));
	struct state *st;

	if (!(m->flags & (ELFMOD_LOAD_RESET_COPY | ELFMOD_LOAD_RESET_SOURCE)))
		return 0;
	if (copy && !elfmod__add_ok(size, copy_bytes, &size))
		return elfmod__fail(diag, ELFMOD_EOVERFLOW, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "reset copy", copy_bytes);
	m->reset.kind = ELFMOD_KIND_META;
	if (m->mem->alloc(m->mem->ctx, &m->reset, size, 8, 0)) {
		memset(&m->reset, 0, sizeof(m->reset));
		return elfmod__fail(diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "reset copy", size);
	}
	m->reset.size = size;
	st = m->reset.wr;
	memset(st, 0, sizeof(*st) + elfmod__mul_entsize(nrange, sizeof(struct range)));
	st->nrange = nrange;
	return 0;
}

void elfmod__reset_loaded(struct elfmod_module *m, const struct elfmod_source *src)
{
	struct state *st = state_of(m);

	if (st)
		st->file_size = src->size;
}

void elfmod__reset_range(struct elfmod_module *m, uint32_t k, uint8_t *wr, uint64_t size, uint64_t file_off,
			 uint64_t file_len)
{
	struct state *st = state_of(m);

	if (!st || k >= st->nrange)
		return;
	ranges(st)[k].wr = wr;
	ranges(st)[k].size = size;
	ranges(st)[k].file_off = file_off;
	ranges(st)[k].file_len = file_len < size ? file_len : size;
}

void elfmod__reset_exclude(struct elfmod_module *m, uint8_t *lo, uint8_t *hi)
{
	struct state *st = state_of(m);

	if (st) {
		st->excl_lo = lo;
		st->excl_hi = hi;
	}
}

/* Whether [at, at + len) lies in one of the ranges (a field the reset must restore). */
static int in_ranges(struct state *st, const uint8_t *at, uint64_t len)
{
	for (uint32_t k = 0; k < st->nrange; k++) {
		const struct range *r = &ranges(st)[k];
		uintptr_t a = (uintptr_t)at, w = (uintptr_t)r->wr;
		if (a >= w && len <= r->size && a - w <= r->size - len)
			return 1;
	}
	return 0;
}

int elfmod__reset_note(struct elfmod_module *m, const uint8_t *at, uint32_t len, struct elfmod_diag *diag)
{
	struct state *st = state_of(m);
	struct fix *f;

	if (!st || !(m->flags & ELFMOD_LOAD_RESET_SOURCE) || !in_ranges(st, at, len))
		return 0;
	if (len > ELFMOD__RESET_FIELD)
		return elfmod__fail(diag, ELFMOD_ELIMIT, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "relocated field for reset", len);
	if (st->nfix == st->capfix) {
		/* No realloc in the allocator interface: a new block, a copy, the old freed. */
		struct elfmod_region r = { 0 }, old = st->fixes;
		uint32_t cap = st->capfix ? st->capfix * 2 : 16;
		if (cap < st->capfix)
			return elfmod__fail(diag, ELFMOD_ELIMIT, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "reset log", st->nfix);
		r.kind = ELFMOD_KIND_META;
		if (m->mem->alloc(m->mem->ctx, &r, elfmod__mul_entsize(cap, sizeof(struct fix)), 8, 0))
			return elfmod__fail(diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "reset log",
					    elfmod__mul_entsize(cap, sizeof(struct fix)));
		r.size = elfmod__mul_entsize(cap, sizeof(struct fix));
		if (st->nfix)
			memcpy(r.wr, old.wr, (size_t)elfmod__mul_entsize(st->nfix, sizeof(struct fix)));
		st->fixes = r;
		st->capfix = cap;
		if (old.size)
			m->mem->free(m->mem->ctx, &old);
	}
	f = (struct fix *)st->fixes.wr + st->nfix++;
	f->at = (uint8_t *)(uintptr_t)at;
	f->len = (uint8_t)len;
	memcpy(f->bytes, at, len);
	return 0;
}

void elfmod__reset_snapshot(struct elfmod_module *m)
{
	struct state *st = state_of(m);
	uint8_t *b;

	if (!st || !(m->flags & ELFMOD_LOAD_RESET_COPY))
		return;
	b = (uint8_t *)(ranges(st) + st->nrange);
	for (uint32_t k = 0; k < st->nrange; k++) {
		memcpy(b, ranges(st)[k].wr, (size_t)ranges(st)[k].size);
		b += ranges(st)[k].size;
	}
}

void elfmod__reset_free(struct elfmod_module *m)
{
	struct state *st = state_of(m);
	struct elfmod_region r;

	if (!st)
		return;
	if (st->fixes.size) {
		r = st->fixes;
		m->mem->free(m->mem->ctx, &r);
	}
	r = m->reset;
	memset(&m->reset, 0, sizeof(m->reset));
	m->mem->free(m->mem->ctx, &r);
}

/* Writes [wr, wr + len) from `from` (NULL: zeroes), outside the excluded part. */
static void put(struct state *st, uint8_t *wr, const uint8_t *from, uint64_t len)
{
	uintptr_t lo = (uintptr_t)st->excl_lo, hi = (uintptr_t)st->excl_hi;

	for (uint64_t k = 0; k < len; k++)
		if ((uintptr_t)(wr + k) < lo || (uintptr_t)(wr + k) >= hi)
			wr[k] = from ? from[k] : 0;
}

/* Reads a range's file part in chunks, so an excluded part is never written. */
static int reread(struct state *st, const struct elfmod_source *src, const struct range *r)
{
	uint8_t buf[64];

	for (uint64_t done = 0; done < r->file_len;) {
		uint64_t n = r->file_len - done < sizeof(buf) ? r->file_len - done : sizeof(buf);
		int rc = elfmod__src_read(src, r->file_off + done, buf, (size_t)n);
		if (rc)
			return rc;
		put(st, r->wr + done, buf, n);
		done += n;
	}
	return 0;
}

int elfmod_reset(struct elfmod_module *m, const struct elfmod_source *src, unsigned flags,
		 struct elfmod_diag *diag)
{
	struct state *st;
	int rc;

	if (!m || !m->mem || !(st = state_of(m)) || (flags & ~ELFMOD_RESET_INIT))
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "argument", flags);
	if (!(m->flags & ELFMOD_LOAD_RESET_COPY)) {
		if (!src || (!src->data && !src->read))
			return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "source", 0);
		if (src->size != st->file_size)
			return elfmod__fail(diag, ELFMOD_ETRUNC, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX,
					    "file size (not the file the module was loaded from)", src->size);
	}
	if ((flags & ELFMOD_RESET_INIT) && !(m->flags & ELFMOD_LOAD_NO_INIT))
		elfmod__run_fini(m);
	if (m->flags & ELFMOD_LOAD_RESET_COPY) {
		const uint8_t *b = (const uint8_t *)(ranges(st) + st->nrange);
		for (uint32_t k = 0; k < st->nrange; k++) {
			put(st, ranges(st)[k].wr, b, ranges(st)[k].size);
			b += ranges(st)[k].size;
		}
	} else {
		for (uint32_t k = 0; k < st->nrange; k++) {
			const struct range *r = &ranges(st)[k];
			put(st, r->wr, NULL, r->size);
			if ((rc = reread(st, src, r)))
				return elfmod__fail(diag, rc, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "reading data again",
						    r->file_off);
		}
		for (uint32_t k = 0; k < st->nfix; k++) {
			const struct fix *f = (const struct fix *)st->fixes.wr + k;
			put(st, f->at, f->bytes, f->len);
		}
	}
	if ((flags & ELFMOD_RESET_INIT) && !(m->flags & ELFMOD_LOAD_NO_INIT))
		elfmod__run_init(m);
	return 0;
}

int elfmod__reset_diff(struct elfmod_module *m, const struct elfmod_source *src, struct elfmod_diag *diag)
{
	struct state *st = state_of(m);
	uint8_t buf[64];
	int rc;

	if (!st || !(m->flags & ELFMOD_LOAD_RESET_SOURCE))
		return 0;
	/* What the loader changed is what differs from the file (or from zero past it):
	 * logged in runs of at most ELFMOD__RESET_FIELD bytes. */
	for (uint32_t k = 0; k < st->nrange; k++) {
		const struct range *r = &ranges(st)[k];
		for (uint64_t done = 0; done < r->size;) {
			uint64_t n = r->size - done < sizeof(buf) ? r->size - done : sizeof(buf), run = 0;
			if (done < r->file_len) {
				if (n > r->file_len - done)
					n = r->file_len - done;
				if ((rc = elfmod__src_read(src, r->file_off + done, buf, (size_t)n)))
					return elfmod__fail(diag, rc, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "reading data again",
							    r->file_off + done);
			} else {
				memset(buf, 0, sizeof(buf));
			}
			for (uint64_t j = 0; j <= n; j++) {
				uintptr_t a = (uintptr_t)(r->wr + done + j);
				int differs = j < n && r->wr[done + j] != buf[j] &&
					      (a < (uintptr_t)st->excl_lo || a >= (uintptr_t)st->excl_hi);
				if (differs && run < ELFMOD__RESET_FIELD) {
					run++;
					continue;
				}
				if (run && (rc = elfmod__reset_note(m, r->wr + done + j - run, (uint32_t)run, diag)))
					return rc;
				run = differs;
			}
			done += n;
		}
	}
	return 0;
}
