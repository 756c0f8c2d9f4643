/* SHA-256 (FIPS 180-4) and the signed-module trailer. Freestanding, no tables beyond
 * the 64 round constants, no 64-bit multiply or variable shift (lx106 has neither). */
#include "internal.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void block(struct elfmod_sha256 *c, const uint8_t *b)
{
	uint32_t w[16], v[8];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 |
		       b[4 * i + 3];
	for (int i = 0; i < 8; i++)
		v[i] = c->h[i];
	/* The message schedule kept as a 16-word ring: 64 bytes of stack instead of 256. */
	for (int i = 0; i < 64; i++) {
		uint32_t s0, s1, t1, t2;
		if (i >= 16) {
			uint32_t a = w[(i + 1) & 15], d = w[(i + 14) & 15];
			s0 = ror(a, 7) ^ ror(a, 18) ^ (a >> 3);
			s1 = ror(d, 17) ^ ror(d, 19) ^ (d >> 10);
			w[i & 15] += s0 + s1 + w[(i + 9) & 15];
		}
		t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) + ((v[4] & v[5]) ^ (~v[4] & v[6])) +
		     K[i] + w[i & 15];
		t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) + ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		v[7] = v[6];
		v[6] = v[5];
		v[5] = v[4];
		v[4] = v[3] + t1;
		v[3] = v[2];
		v[2] = v[1];
		v[1] = v[0];
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		c->h[i] += v[i];
}

void elfmod_sha256_init(struct elfmod_sha256 *c)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
}

void elfmod_sha256_update(struct elfmod_sha256 *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t have = (size_t)(c->len & 63);

	c->len += len;
	if (have) {
		size_t take = 64 - have < len ? 64 - have : len;
		memcpy(c->buf + have, p, take);
		p += take;
		len -= take;
		if (have + take < 64)
			return;
		block(c, c->buf);
	}
	for (; len >= 64; p += 64, len -= 64)
		block(c, p);
	memcpy(c->buf, p, len);
}

void elfmod_sha256_final(struct elfmod_sha256 *c, uint8_t out[32])
{
	uint64_t bits = c->len << 3;
	size_t have = (size_t)(c->len & 63);

	c->buf[have++] = 0x80;
	if (have > 56) {
		memset(c->buf + have, 0, 64 - have);
		block(c, c->buf);
		have = 0;
	}
	memset(c->buf + have, 0, 56 - have);
	for (int i = 0; i < 8; i++, bits <<= 8)
		c->buf[56 + i] = (uint8_t)(bits >> 56);
	block(c, c->buf);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static int bad(struct elfmod_diag *d, const char *field, uint64_t v)
{
	return elfmod__fail(d, ELFMOD_EVERIFY, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, field, v);
}

int elfmod_sig_trailer(const uint8_t t[ELFMOD_SIG_TRAILER], uint64_t file_size,
		       struct elfmod_sig_info *out, struct elfmod_diag *diag)
{
	uint64_t elf_size = (uint64_t)le32(t + 20) << 32 | le32(t + 16), total;

	if (file_size < ELFMOD_SIG_TRAILER)
		return elfmod__fail(diag, ELFMOD_ETRUNC, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "signature trailer",
				    file_size);
	if (memcmp(t + 48, ELFMOD_SIG_MAGIC, 16))
		return bad(diag, "signature trailer magic (the module is not signed)", 0);
	if (le32(t) != 1)
		return bad(diag, "signature trailer version", le32(t));
	if (t[4] != ELFMOD_HASH_SHA256)
		return bad(diag, "signature hash algorithm", t[4]);
	if (t[5] == 0)
		return bad(diag, "signature algorithm", t[5]);
	if (!zero(t + 6, 2) || !zero(t + 12, 4) || !zero(t + 40, 8))
		return bad(diag, "signature trailer reserved bytes", 0);
	out->sig_len = le32(t + 8);
	if (out->sig_len == 0 || out->sig_len > ELFMOD_CFG_MAX_SIG)
		return bad(diag, "signature length", out->sig_len);
	if (!elfmod__add_ok(elf_size, out->sig_len + (uint64_t)ELFMOD_SIG_TRAILER, &total) ||
	    total != file_size)
		return bad(diag, "signed ELF size", elf_size);
	out->hash_alg = t[4];
	out->sig_alg = t[5];
	memcpy(out->key_id, t + 24, 16);
	out->elf_size = elf_size;
	return 0;
}
