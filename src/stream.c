/* The loader's view of a read-callback source: a small line cache in front of the
 * caller's read callback, and the integrity check (SHA-256, signature) fed by the same
 * reads.
 *
 * The loaders read a file in passes, an entry at a time (headers, symbols, relocations,
 * names); without a cache each entry is one callback, a few hundred per kilobyte of
 * module. The cache serves those small reads from a few aligned lines; bulk reads
 * (section and segment contents) go straight to their destination.
 *
 * SHA-256 needs the bytes in file order, and the loaders do not read in file order. The
 * digest therefore follows a frontier: whenever the caller's callback delivers bytes
 * that reach the frontier, the hash takes them and the frontier moves on. Code and data
 * are copied in ascending order, so they pass through the hash as they are loaded;
 * what was read ahead of the frontier (the tables, usually at the end of the file) or
 * never read is read once more by stream_finish. */
#include "internal.h"

#define LINE ELFMOD_CFG_READ_LINE
#define NLINES ELFMOD_CFG_READ_LINES
#define NO_LINE UINT64_MAX

_Static_assert(NLINES == 0 || (LINE >= 8 && (LINE & (LINE - 1)) == 0),
	       "ELFMOD_CFG_READ_LINE must be a power of two of at least 8");

/* Only when a digest or signature is checked. */
struct integrity {
	uint64_t front;                    /* bytes [0, front) have been hashed */
	struct elfmod_sha256 sha;
	const uint8_t *expect;             /* expected digest, or NULL */
	elfmod_verify_fn verify;
	void *verify_ctx;
	struct elfmod_sig_info si;
	uint8_t trailer[ELFMOD_SIG_TRAILER];
	uint8_t sig[];                     /* si.sig_len bytes, when signed */
};

struct elfmod__stream {
	struct elfmod_source src;          /* what the loader reads: ctx = this */
	const struct elfmod_source *under; /* the caller's */
	struct elfmod_region mem;          /* the META allocation this lives in */
	uint64_t tag[NLINES ? NLINES : 1]; /* file offset of each line, NO_LINE when empty */
	uint32_t last[NLINES ? NLINES : 1]; /* use clock, for least-recently-used eviction */
	uint32_t clock;
	uint32_t seq_line;                 /* the line a sequential walk last filled */
	uint64_t seq_next;                 /* and the line it will want next */
	uint8_t *lines;                    /* NLINES * LINE bytes */
	struct integrity *ig;              /* NULL, or while the digest is being taken */
};

/* Feeds the part of [off, off + len) at the frontier to the hash. */
static void feed(struct elfmod__stream *st, uint64_t off, const uint8_t *b, uint64_t len)
{
	struct integrity *ig = st->ig;
	uint64_t end = off + len;

	if (!ELFMOD_CFG_INTEGRITY || !ig || off > ig->front || end <= ig->front)
		return;
	if (end > st->src.size)
		end = st->src.size;
	if (end <= ig->front)
		return;
	elfmod_sha256_update(&ig->sha, b + (ig->front - off), (size_t)(end - ig->front));
	ig->front = end;
}

static int under_read(struct elfmod__stream *st, uint64_t off, void *dst, size_t len)
{
	if (st->under->read(st->under->ctx, off, dst, len))
		return -1;
	feed(st, off, dst, len);
	return 0;
}

/* The caller's map, for the loader reading through the cache. Never while a digest is
 * taken: its bytes must be read (the loader does not ask then either). */
static int stream_map(void *ctx, uint64_t off, void *dst, uint64_t len, unsigned perm)
{
	struct elfmod__stream *st = ctx;

	if (st->ig)
		return -1;
	return st->under->map(st->under->ctx, off, dst, len, perm);
}

static int stream_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct elfmod__stream *st = ctx;
	uint8_t *out = dst;

	/* Bulk reads bypass the lines: they would only evict the tables being walked. */
	if (len >= LINE || NLINES == 0)
		return under_read(st, off, dst, len);
	while (len) {
		uint64_t base = off & ~(uint64_t)(LINE - 1), have;
		uint32_t k, victim = 0;
		size_t take;

		for (k = 0; k < NLINES && st->tag[k] != base; k++)
			if (st->tag[k] == NO_LINE || st->last[k] < st->last[victim])
				victim = k;
		if (k == NLINES) {
			/* The underlying source is the whole file (not only the signed part). */
			have = st->under->size - base < LINE ? st->under->size - base : LINE;
			/* A walk through a table takes one line after another: it reuses
			 * its own line instead of evicting the headers around it. */
			k = base == st->seq_next && st->tag[st->seq_line] == base - LINE ? st->seq_line : victim;
			st->seq_line = k;
			st->seq_next = base + LINE;
			st->tag[k] = NO_LINE;
			if (under_read(st, base, st->lines + k * LINE, (size_t)have))
				return -1;
			st->tag[k] = base;
		}
		st->last[k] = ++st->clock;
		take = (size_t)(base + LINE - off) < len ? (size_t)(base + LINE - off) : len;
		memcpy(out, st->lines + k * LINE + (off - base), take);
		out += take;
		off += take;
		len -= take;
	}
	return 0;
}

static int verify_fail(struct elfmod_diag *d, const char *field)
{
	return elfmod__fail(d, ELFMOD_EVERIFY, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, field, 0);
}

/* Compares the digest and checks the signature; `digest` is the ELF bytes' SHA-256. */
static int check(const uint8_t *expect, elfmod_verify_fn verify, void *vctx, const struct elfmod_sig_info *si,
		 const uint8_t *trailer, const uint8_t *sig, const uint8_t digest[32], struct elfmod_diag *diag)
{
	uint8_t msg[ELFMOD_SIG_MSG];

	if (expect && memcmp(expect, digest, 32))
		return verify_fail(diag, "SHA-256 of the module differs from the expected digest");
	if (!verify)
		return 0;
	memcpy(msg, digest, 32);
	memcpy(msg + 32, trailer, ELFMOD_SIG_TRAILER);
	if (verify(vctx, si, msg, sizeof(msg), sig, si->sig_len))
		return verify_fail(diag, "signature (refused by the verifier)");
	return 0;
}

/* Reads and decodes the trailer and signature of a signed file. */
static int read_sig(const struct elfmod_source *src, uint8_t *trailer, struct elfmod_sig_info *si,
		    uint8_t *sig, struct elfmod_diag *diag)
{
	int rc;

	if (src->size < ELFMOD_SIG_TRAILER)
		return verify_fail(diag, "signature trailer (file too short to be signed)");
	rc = elfmod__src_read(src, src->size - ELFMOD_SIG_TRAILER, trailer, ELFMOD_SIG_TRAILER);
	if (!rc)
		rc = elfmod_sig_trailer(trailer, src->size, si, diag);
	if (!rc && sig)
		rc = elfmod__src_read(src, si->elf_size, sig, si->sig_len);
	return rc == ELFMOD_EIO ? elfmod__fail(diag, rc, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "signature", 0) : rc;
}

int elfmod__stream_open(struct elfmod__stream **out, struct elfmod_source *view, const struct elfmod_source *src,
			const struct elfmod_load_opts *o, struct elfmod_diag *diag)
{
	const struct elfmod_allocator *mem = o->mem;
	int integrity = o->sha256 || o->verify;
	struct elfmod__stream *st;
	struct elfmod_region r;
	uint64_t size;
	int rc;

	*out = NULL;
	*view = *src;
	if (integrity && !ELFMOD_CFG_INTEGRITY)
		return elfmod__fail(diag, ELFMOD_EUNSUPPORTED, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX,
				    "integrity check (built with ELFMOD_CFG_INTEGRITY 0)", 0);
	integrity = integrity && ELFMOD_CFG_INTEGRITY;
	if (!src->data && !src->read)
		return 0; /* elfmod_elf_open reports it */
	if (src->data) {
		/* Addressable: check it in memory before anything is read from it. */
		struct elfmod_sig_info si = { 0 };
		struct elfmod_sha256 sha;
		uint8_t trailer[ELFMOD_SIG_TRAILER], digest[32];
		if (!integrity)
			return 0;
		if (o->verify) {
			if ((rc = read_sig(src, trailer, &si, NULL, diag)))
				return rc;
			view->size = si.elf_size;
		}
		elfmod_sha256_init(&sha);
		elfmod_sha256_update(&sha, src->data, (size_t)view->size);
		elfmod_sha256_final(&sha, digest);
		return check(o->sha256, o->verify, o->verify_ctx, &si, trailer,
			     (const uint8_t *)src->data + view->size, digest, diag);
	}
	if (NLINES == 0 && !integrity)
		return 0;
	size = sizeof(*st) + (uint64_t)NLINES * LINE +
	       (integrity ? sizeof(struct integrity) + (o->verify ? ELFMOD_CFG_MAX_SIG : 0) : 0);
	memset(&r, 0, sizeof(r));
	r.kind = ELFMOD_KIND_META;
	if (mem->alloc(mem->ctx, &r, size, 8, 0))
		return elfmod__fail(diag, ELFMOD_ENOMEM, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "read cache", size);
	r.size = size;
	st = r.wr;
	memset(st, 0, sizeof(*st));
	st->mem = r;
	st->under = src;
	st->lines = (uint8_t *)(st + 1);
	for (uint32_t k = 0; k < NLINES; k++)
		st->tag[k] = NO_LINE;
	st->src.size = src->size;
	st->src.read = stream_read;
	st->src.map = src->map ? stream_map : NULL;
	st->src.ctx = st;
	if (integrity) {
		/* Lines are LINE bytes each, a power of two of at least 8: still aligned. */
		struct integrity *ig = (struct integrity *)(void *)(st->lines + (size_t)NLINES * LINE);
		memset(ig, 0, sizeof(*ig));
		if (o->verify) {
			if ((rc = read_sig(src, ig->trailer, &ig->si, ig->sig, diag))) {
				elfmod__stream_close(st, mem);
				return rc;
			}
			st->src.size = ig->si.elf_size;
			ig->verify = o->verify;
			ig->verify_ctx = o->verify_ctx;
		}
		ig->expect = o->sha256;
		elfmod_sha256_init(&ig->sha);
		st->ig = ig;
	}
	*view = st->src;
	*out = st;
	return 0;
}

/* Hashes [front, end) by reading it, through one line (which is then forgotten). */
static int hash_to(struct elfmod__stream *st, uint64_t end, struct elfmod_diag *diag)
{
	struct integrity *ig = st->ig;

	while (ig->front < end) {
		uint64_t n = end - ig->front < LINE ? end - ig->front : LINE;
		uint8_t tmp[64], *buf = NLINES ? st->lines : tmp;
		if (!NLINES && n > sizeof(tmp))
			n = sizeof(tmp);
		if (NLINES)
			st->tag[0] = NO_LINE;
		if (under_read(st, ig->front, buf, (size_t)n))
			return elfmod__fail(diag, ELFMOD_EIO, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "read while hashing",
					    ig->front);
	}
	return 0;
}

static struct elfmod__stream *hashing(const struct elfmod_elf *elf)
{
	struct elfmod__stream *st;

	if (!ELFMOD_CFG_INTEGRITY || elf->src->read != stream_read)
		return NULL;
	st = elf->src->ctx;
	return st->ig ? st : NULL;
}

int elfmod__stream_skip(const struct elfmod_elf *elf, uint64_t off, struct elfmod_diag *diag)
{
	struct elfmod__stream *st = hashing(elf);

	if (!st || off <= st->ig->front || off > st->src.size)
		return 0;
	return hash_to(st, off, diag);
}

int elfmod__stream_finish(const struct elfmod_elf *elf, struct elfmod_diag *diag)
{
	struct elfmod__stream *st = hashing(elf);
	struct integrity *ig;
	uint8_t digest[32];
	int rc;

	if (!st)
		return 0;
	ig = st->ig;
	if ((rc = hash_to(st, st->src.size, diag)))
		return rc;
	st->ig = NULL;
	elfmod_sha256_final(&ig->sha, digest);
	return check(ig->expect, ig->verify, ig->verify_ctx, &ig->si, ig->trailer, ig->sig, digest, diag);
}

void elfmod__stream_close(struct elfmod__stream *st, const struct elfmod_allocator *mem)
{
	/* The region describes the memory it lives in: free through a copy. */
	struct elfmod_region r;

	if (!st)
		return;
	r = st->mem;
	mem->free(mem->ctx, &r);
}
