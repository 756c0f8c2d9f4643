/* POSIX port: Ed25519 module signatures through libsodium. Hosted only.
 *
 * Key files (written by `elfmod keygen`, docs/signing.md) are one text line:
 *    elfmod-ed25519-public <64 hex digits: the 32-byte public key>
 * optionally followed by a newline. Nothing else is accepted, so a secret key file
 * handed over by mistake is refused rather than half-read. */
#define _GNU_SOURCE
#include "elfmod.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#define PUB_PREFIX "elfmod-ed25519-public "
/* Prefix, 64 digits, "\r\n", and one byte to tell a longer file. */
#define PUB_MAX (sizeof(PUB_PREFIX) - 1 + 64 + 2 + 1)

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Up to `cap` bytes of the file into buf: its length, or cap when it is longer (the
 * caller makes cap one more than anything valid), -1 when it cannot be read. */
static long read_small(const char *path, char *buf, size_t cap)
{
	size_t have = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (have < cap) {
		ssize_t n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	return (long)have;
}

int elfmod_posix_key_add(struct elfmod_posix_keyring *kr, const char *path)
{
	char text[PUB_MAX];
	const size_t pre = sizeof(PUB_PREFIX) - 1;
	uint8_t pk[32], id[32];
	struct elfmod_sha256 h;
	long len;

	if (!kr || !path || kr->n > ELFMOD_POSIX_MAX_KEYS)
		return ELFMOD_EINVAL;
	len = read_small(path, text, sizeof(text));
	if (len < 0)
		return ELFMOD_EIO;
	if ((size_t)len < pre + 64 || memcmp(text, PUB_PREFIX, pre))
		return ELFMOD_EINVAL;
	for (size_t i = 0; i < 32; i++) {
		int hi = hexval(text[pre + 2 * i]), lo = hexval(text[pre + 2 * i + 1]);
		if (hi < 0 || lo < 0)
			return ELFMOD_EINVAL;
		pk[i] = (uint8_t)(hi << 4 | lo);
	}
	/* Only the line end may follow the digits. */
	if (!((size_t)len == pre + 64 || ((size_t)len == pre + 65 && text[pre + 64] == '\n') ||
	      ((size_t)len == pre + 66 && !memcmp(text + pre + 64, "\r\n", 2))))
		return ELFMOD_EINVAL;

	elfmod_sha256_init(&h);
	elfmod_sha256_update(&h, pk, sizeof(pk));
	elfmod_sha256_final(&h, id);
	for (unsigned i = 0; i < kr->n; i++)
		if (!memcmp(kr->keys[i].pk, pk, sizeof(pk)))
			return 0; /* trusted already: one slot per key */
	if (kr->n == ELFMOD_POSIX_MAX_KEYS)
		return ELFMOD_ELIMIT;
	memcpy(kr->keys[kr->n].id, id, sizeof(kr->keys[kr->n].id));
	memcpy(kr->keys[kr->n].pk, pk, sizeof(pk));
	kr->n++;
	return 0;
}

int elfmod_posix_ed25519_verify(void *ctx, const struct elfmod_sig_info *si, const uint8_t *msg,
				size_t msg_len, const uint8_t *sig, size_t sig_len)
{
	const struct elfmod_posix_keyring *kr = ctx;

	if (!kr || !si || !msg || !sig || kr->n > ELFMOD_POSIX_MAX_KEYS)
		return ELFMOD_EINVAL;
	if (si->hash_alg != ELFMOD_HASH_SHA256 || si->sig_alg != ELFMOD_SIG_ED25519 ||
	    msg_len != ELFMOD_SIG_MSG || sig_len != crypto_sign_BYTES || si->sig_len != sig_len)
		return ELFMOD_EVERIFY;
	/* sodium_init may run any number of times, from any thread; it only picks the
	 * fastest implementations (and seeds the generator verification does not use). */
	if (sodium_init() < 0)
		return ELFMOD_EVERIFY;
	for (unsigned i = 0; i < kr->n; i++)
		if (!memcmp(kr->keys[i].id, si->key_id, sizeof(si->key_id)))
			return crypto_sign_verify_detached(sig, msg, msg_len, kr->keys[i].pk) == 0
				       ? 0
				       : ELFMOD_EVERIFY;
	return ELFMOD_EVERIFY;
}
