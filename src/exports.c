/* Host export tables. The index orders entries by (hash, name), so a lookup is a binary
 * search over integers followed, almost always, by a single string comparison (none
 * for a hashed table, whose entries have no names). */
#include "internal.h"

uint32_t elfmod_hash(const char *name)
{
	uint32_t h = 5381;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h << 5) + h + *p;
	return h;
}

/* Orders index entries by hash, then by name, so equal names end up adjacent. */
static int entry_cmp(const struct elfmod_export *syms, const struct elfmod_export_index *a,
		     const struct elfmod_export_index *b)
{
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return elfmod__strcmp(syms[a->sym].name, syms[b->sym].name);
}

static int entry_less(const struct elfmod_export *syms, const struct elfmod_export_index *a,
		      const struct elfmod_export_index *b)
{
	if (a->hash != b->hash)
		return a->hash < b->hash;
	return elfmod__strcmp(syms[a->sym].name, syms[b->sym].name) < 0;
}

/* A heapsort of the index like elfmod__sort's (in place, no recursion), written out for
 * this one element type: every module load sorts its exports, and the generic sort's
 * comparison callback and byte-wise swaps made that most of the load's time. The sift
 * goes down to a leaf along the larger children, then back up to where v belongs: most
 * elements belong near the bottom, so this costs about one comparison per level instead
 * of two. */
static void index_sift(struct elfmod_export_index *x, uint32_t root, uint32_t n,
		       const struct elfmod_export *syms)
{
	struct elfmod_export_index v = x[root];
	uint32_t i = root;

	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && entry_less(syms, &x[c], &x[c + 1]))
			c++;
		x[i] = x[c];
		i = c;
	}
	while (i > root) {
		uint32_t parent = (i - 1) / 2;
		if (!entry_less(syms, &x[parent], &v))
			break;
		x[i] = x[parent];
		i = parent;
	}
	x[i] = v;
}

static void index_sort(struct elfmod_export_index *x, uint32_t n, const struct elfmod_export *syms)
{
	for (uint32_t i = n / 2; i-- > 0;)
		index_sift(x, i, n, syms);
	for (uint32_t end = n; end > 1; end--) {
		struct elfmod_export_index t = x[0];
		x[0] = x[end - 1];
		x[end - 1] = t;
		index_sift(x, 0, end - 1, syms);
	}
}

/* Sorts the index by hash alone, least significant byte first, through `tmp` (n
 * entries) with `count` (256 entries) as the histogram: four linear passes instead of
 * the heapsort's n log n mispredicted comparisons, which were a tenth of a module load
 * with thousands of exports. Stable: entries of equal hash stay in sym order. */
static void index_radix(struct elfmod_export_index *x, struct elfmod_export_index *tmp, uint32_t *count,
			uint32_t n)
{
	struct elfmod_export_index *from = x, *to = tmp, *t;

	for (uint32_t shift = 0; shift < 32; shift += 8) {
		uint32_t sum = 0;
		for (uint32_t d = 0; d < 256; d++)
			count[d] = 0;
		for (uint32_t i = 0; i < n; i++)
			count[from[i].hash >> shift & 0xff]++;
		if (count[from[0].hash >> shift & 0xff] == n)
			continue; /* one digit for all: this pass would not move anything */
		for (uint32_t d = 0; d < 256; d++) {
			uint32_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++)
			to[count[from[i].hash >> shift & 0xff]++] = from[i];
		t = from, from = to, to = t;
	}
	if (from != x)
		memcpy(x, from, (size_t)n * sizeof(*x));
}

/* Orders each run of equal hashes by name: insertion for the usual short run (most
 * are one entry), the heapsort for a long one (hostile names made to collide must not
 * make this quadratic). */
static void index_runs(struct elfmod_export_index *x, uint32_t n, const struct elfmod_export *syms)
{
	for (uint32_t lo = 0, hi; lo < n; lo = hi) {
		for (hi = lo + 1; hi < n && x[hi].hash == x[lo].hash; hi++)
			;
		if (hi - lo > 8) {
			index_sort(x + lo, hi - lo, syms);
			continue;
		}
		for (uint32_t i = lo + 1; i < hi; i++) {
			struct elfmod_export_index v = x[i];
			uint32_t j = i;
			for (; j > lo && entry_less(syms, &v, &x[j - 1]); j--)
				x[j] = x[j - 1];
			x[j] = v;
		}
	}
}

int elfmod__exports_index(struct elfmod_exports *t, const struct elfmod_export *syms, uint32_t n,
			  struct elfmod_export_index *index, int hashed, void *tmp, uint64_t tmp_size,
			  uint32_t *dup)
{
	if (!t || (n && (!syms || !index)))
		return ELFMOD_EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		if (!syms[i].name)
			return ELFMOD_EINVAL;
		if (!hashed)
			index[i].hash = elfmod_hash(syms[i].name);
		index[i].sym = i;
	}
	if (n > 1 && tmp && tmp_size / sizeof(*index) > (uint64_t)n + 256 * sizeof(uint32_t) / sizeof(*index)) {
		struct elfmod_export_index *x = tmp;
		index_radix(index, x, (uint32_t *)(void *)(x + n), n);
		index_runs(index, n, syms);
	} else {
		index_sort(index, n, syms);
	}
	for (uint32_t i = 1; i < n; i++) {
		if (entry_cmp(syms, &index[i - 1], &index[i]) == 0) {
			if (dup)
				*dup = index[i].sym > index[i - 1].sym ? index[i].sym : index[i - 1].sym;
			return ELFMOD_ELIMIT;
		}
	}
	t->syms = syms;
	t->index = index;
	t->count = n;
	t->fingerprint = 0;
	return 0;
}

int elfmod_exports_init(struct elfmod_exports *t, const struct elfmod_export *syms, uint32_t n,
			struct elfmod_export_index *index, uint32_t *dup)
{
	return elfmod__exports_index(t, syms, n, index, 0, NULL, 0, dup);
}

uint64_t elfmod_exports_fingerprint(const struct elfmod_exports *t)
{
	struct elfmod_sha256 sha;
	uint8_t d[32];
	uint64_t fp = 0;

	if (!ELFMOD_CFG_INTEGRITY || !t)
		return 0;
	elfmod_sha256_init(&sha);
	for (uint32_t i = 0; i < t->count; i++) {
		const char *n = t->syms[t->index[i].sym].name;
		size_t len = 0;
		if (!n)
			return 0;
		while (n[len])
			len++;
		elfmod_sha256_update(&sha, n, len + 1);
	}
	elfmod_sha256_final(&sha, d);
	for (int k = 7; k >= 0; k--)
		fp = fp << 8 | d[k];
	return fp;
}

const struct elfmod_export *elfmod_exports_find(const struct elfmod_exports *t, const char *name,
						uint32_t hash)
{
	const struct elfmod_export_index *base = t->index;
	uint32_t n = t->count, lo;

	/* Lower bound of `hash`, then a walk over the (rare) run of equal hashes. The
	 * search halves a window whose size depends only on the count, choosing the half
	 * with a conditional move rather than a branch: random names make that branch
	 * unpredictable, and its mispredictions, not the compares, were the cost. */
	if (!n)
		return NULL;
	while (n > 1) {
		uint32_t half = n / 2;
		/* Both entries the next step may compare, fetched while this one compares:
		 * the steps' memory latencies overlap instead of adding up. */
		__builtin_prefetch(&base[half / 2]);
		__builtin_prefetch(&base[half + half / 2]);
		base += (size_t)(base[half - 1].hash < hash) * half;
		n -= half;
	}
	lo = (uint32_t)(base - t->index) + (base->hash < hash);
	for (; lo < t->count && t->index[lo].hash == hash; lo++) {
		const struct elfmod_export *e = &t->syms[t->index[lo].sym];
		/* A hashed table keeps no names: the hash is the match. */
		if (!e->name || elfmod__strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}
