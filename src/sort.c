/* The core's generic sort: a heapsort, in place and without recursion, so its stack use
 * is fixed on the smallest targets. Used for mapping symbols and paired relocations; the
 * export index, sorted on every load, has a copy written for its entries (exports.c). */
#include "internal.h"

static void swap_bytes(uint8_t *a, uint8_t *b, size_t size)
{
	while (size--) {
		uint8_t t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

static void sift(uint8_t *base, size_t size, uint32_t root, uint32_t n,
		 int (*less)(const void *a, const void *b, const void *ctx), const void *ctx)
{
	for (;;) {
		uint32_t c = 2 * root + 1, big = root;
		if (c < n && less(base + elfmod__mul_entsize(big, (uint32_t)size),
				  base + elfmod__mul_entsize(c, (uint32_t)size), ctx))
			big = c;
		if (c + 1 < n && less(base + elfmod__mul_entsize(big, (uint32_t)size),
				      base + elfmod__mul_entsize(c + 1, (uint32_t)size), ctx))
			big = c + 1;
		if (big == root)
			return;
		swap_bytes(base + elfmod__mul_entsize(root, (uint32_t)size),
			   base + elfmod__mul_entsize(big, (uint32_t)size), size);
		root = big;
	}
}

void elfmod__sort(void *base, uint32_t n, size_t size,
		  int (*less)(const void *a, const void *b, const void *ctx), const void *ctx)
{
	uint8_t *b = base;

	for (uint32_t i = n / 2; i-- > 0;)
		sift(b, size, i, n, less, ctx);
	for (uint32_t end = n; end > 1; end--) {
		swap_bytes(b, b + elfmod__mul_entsize(end - 1, (uint32_t)size), size);
		sift(b, size, 0, end - 1, less, ctx);
	}
}
