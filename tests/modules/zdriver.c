/* Drives Debian's own zlib, partially linked into the same module: deflate and inflate
 * several MiB and compare CRCs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int main(void)
{
	const size_t n = 6u << 20;
	unsigned char *src = malloc(n), *packed, *back = malloc(n);
	uLongf plen, blen = n;
	uLong crc_in, crc_out;
	unsigned seed = 12345;

	if (!src || !back)
		return 2;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		/* Compressible but not trivial: text-like runs with noise. */
		src[i] = (unsigned char)("elfmod loads modules "[i % 21] ^ ((seed >> 16) & 3));
	}
	plen = compressBound(n);
	packed = malloc(plen);
	if (!packed || compress2(packed, &plen, src, n, 6) != Z_OK)
		return 3;
	if (uncompress(back, &blen, packed, plen) != Z_OK || blen != n)
		return 4;
	crc_in = crc32(0, src, n);
	crc_out = crc32(0, back, blen);
	printf("zlib %s: %lu bytes -> %lu -> %lu, crc %08lx %s\n", zlibVersion(), (unsigned long)n,
	       (unsigned long)plen, (unsigned long)blen, crc_in, crc_in == crc_out ? "ok" : "MISMATCH");
	free(src);
	free(packed);
	free(back);
	return crc_in == crc_out && !memcmp(src == back ? src : back, back, 1) ? 0 : 5;
}
