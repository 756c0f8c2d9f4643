/* elfmod keygen NAME
 * elfmod sign --key NAME.key MODULE -o OUT
 * elfmod verify --key NAME.pub [--key ...] FILE
 *
 * Ed25519 module signatures (docs/signing.md). Key files are one text line each:
 *    NAME.pub  "elfmod-ed25519-public <64 hex digits>"   the 32-byte public key
 *    NAME.key  "elfmod-ed25519-secret <64 hex digits>"   the 32-byte seed, mode 0600
 * A signed file is  ELF | 64-byte signature | 64-byte trailer  (include/elfmod.h). */
#define _GNU_SOURCE
#include "elfmod.h"
#include "tools.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PUB_PREFIX "elfmod-ed25519-public "
#define SEC_PREFIX "elfmod-ed25519-secret "

static void hex(char *out, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = 0;
}

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

static void key_id(uint8_t id[16], const uint8_t pk[32])
{
	struct elfmod_sha256 h;
	uint8_t d[32];

	elfmod_sha256_init(&h);
	elfmod_sha256_update(&h, pk, 32);
	elfmod_sha256_final(&h, d);
	memcpy(id, d, 16);
}

/* Writes `line` to a new file (never over an existing one) with `mode`. */
static int write_new(const char *path, const char *line, mode_t mode)
{
	size_t len = strlen(line), done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0) {
		fprintf(stderr, "elfmod: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (done < len) {
		ssize_t n = write(fd, line + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (close(fd) != 0 || done < len) {
		fprintf(stderr, "elfmod: %s: write failed\n", path);
		unlink(path);
		return -1;
	}
	return 0;
}

int cmd_keygen(int argc, char **argv)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], seed[crypto_sign_SEEDBYTES];
	char pub_path[4096], key_path[4096], line[128], hx[2 * 32 + 1];
	int rc = 1;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: elfmod keygen NAME   (writes NAME.pub and NAME.key)\n");
		return 2;
	}
	if ((size_t)snprintf(pub_path, sizeof(pub_path), "%s.pub", argv[1]) >= sizeof(pub_path) ||
	    (size_t)snprintf(key_path, sizeof(key_path), "%s.key", argv[1]) >= sizeof(key_path)) {
		fprintf(stderr, "elfmod: %s: name too long\n", argv[1]);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "elfmod: libsodium failed to initialise\n");
		return 1;
	}
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);

	hex(hx, seed, sizeof(seed));
	snprintf(line, sizeof(line), SEC_PREFIX "%s\n", hx);
	if (write_new(key_path, line, 0600))
		goto out;
	hex(hx, pk, sizeof(pk));
	snprintf(line, sizeof(line), PUB_PREFIX "%s\n", hx);
	if (write_new(pub_path, line, 0644)) {
		unlink(key_path);
		goto out;
	}
	{
		uint8_t id[16];
		char idx[33];
		key_id(id, pk);
		hex(idx, id, sizeof(id));
		printf("%s: public key (key id %s)\n%s: secret key, keep it private\n", pub_path, idx,
		       key_path);
	}
	rc = 0;
out:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(line, sizeof(line));
	sodium_memzero(hx, sizeof(hx));
	return rc;
}

/* The seed of a secret key file into `seed`. */
static int read_secret(const char *path, uint8_t seed[32])
{
	const size_t pre = sizeof(SEC_PREFIX) - 1;
	char text[sizeof(SEC_PREFIX) - 1 + 64 + 3];
	size_t len;
	int ok = 1;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "elfmod: %s: %s\n", path, strerror(errno));
		return -1;
	}
	len = fread(text, 1, sizeof(text), f);
	fclose(f);
	if (len < pre + 64 || memcmp(text, SEC_PREFIX, pre))
		ok = 0;
	for (size_t i = 0; ok && i < 32; i++) {
		int hi = hexval(text[pre + 2 * i]), lo = hexval(text[pre + 2 * i + 1]);
		if (hi < 0 || lo < 0)
			ok = 0;
		else
			seed[i] = (uint8_t)(hi << 4 | lo);
	}
	if (ok && !(len == pre + 64 || (len == pre + 65 && text[pre + 64] == '\n') ||
		    (len == pre + 66 && !memcmp(text + pre + 64, "\r\n", 2))))
		ok = 0;
	sodium_memzero(text, sizeof(text));
	if (!ok) {
		fprintf(stderr, "elfmod: %s: not an elfmod secret key file (\"%s<64 hex digits>\")\n", path,
			SEC_PREFIX);
		return -1;
	}
	return 0;
}

static int is_signed(const struct elfmod_posix_file *f)
{
	return f->src.size >= ELFMOD_SIG_TRAILER &&
	       !memcmp((const uint8_t *)f->src.data + f->src.size - 16, ELFMOD_SIG_MAGIC, 16);
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Writes the three parts to a temporary file next to `out`, then renames it over `out`,
 * so an interrupted run never leaves a half-signed module under the wanted name. */
static int write_signed(const char *out, mode_t mode, const void *elf, size_t elf_size, const uint8_t *sig,
			size_t sig_len, const uint8_t *trailer)
{
	char tmp[4096];
	FILE *f;
	int fd, ok;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", out) >= sizeof(tmp)) {
		fprintf(stderr, "elfmod: %s: name too long\n", out);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		fprintf(stderr, "elfmod: %s: %s\n", out, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return -1;
	}
	ok = fwrite(elf, 1, elf_size, f) == elf_size && fwrite(sig, 1, sig_len, f) == sig_len &&
	     fwrite(trailer, 1, ELFMOD_SIG_TRAILER, f) == ELFMOD_SIG_TRAILER;
	ok = fchmod(fd, mode) == 0 && ok;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, out) != 0) {
		fprintf(stderr, "elfmod: %s: %s\n", out, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int sign_usage(void)
{
	fprintf(stderr, "usage: elfmod sign --key NAME.key MODULE -o OUT\n");
	return 2;
}

int cmd_sign(int argc, char **argv)
{
	const char *key = NULL, *in = NULL, *out = NULL;
	uint8_t seed[32], pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	uint8_t msg[ELFMOD_SIG_MSG], sig[crypto_sign_BYTES], *trailer = msg + 32;
	struct elfmod_posix_file f;
	struct elfmod_sha256 h;
	struct elfmod_elf elf;
	struct elfmod_diag d;
	struct stat st;
	int rc = 1, err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--key") && i + 1 < argc)
			key = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] == '-' || in)
			return sign_usage();
		else
			in = argv[i];
	}
	if (!key || !in || !out)
		return sign_usage();
	if (sodium_init() < 0) {
		fprintf(stderr, "elfmod: libsodium failed to initialise\n");
		return 1;
	}
	if (read_secret(key, seed))
		return 2;
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof(seed));

	if (elfmod_posix_file_open(&f, in, 1) || stat(in, &st) != 0) {
		fprintf(stderr, "elfmod: %s: cannot open\n", in);
		sodium_memzero(sk, sizeof(sk));
		return 2;
	}
	if (f.src.size == 0 || !f.src.data) {
		fprintf(stderr, "elfmod: %s: empty file, not an ELF file\n", in);
		goto out;
	}
	if (is_signed(&f)) {
		fprintf(stderr, "elfmod: %s: already signed (ends with an elfmod signature trailer)\n", in);
		goto out;
	}
	/* A signature vouches for a module: refuse bytes that are not a well-formed ELF. */
	if ((err = elfmod_elf_open(&elf, &f.src, &d))) {
		char why[256];
		tool_why(err, &d, why, sizeof(why));
		fprintf(stderr, "elfmod: %s: not an ELF file elfmod can load: %s\n", in, why);
		goto out;
	}

	memset(trailer, 0, ELFMOD_SIG_TRAILER);
	put_le(trailer + 0, 1, 4);
	trailer[4] = ELFMOD_HASH_SHA256;
	trailer[5] = ELFMOD_SIG_ED25519;
	put_le(trailer + 8, crypto_sign_BYTES, 4);
	put_le(trailer + 16, f.src.size, 8);
	key_id(trailer + 24, pk);
	memcpy(trailer + 48, ELFMOD_SIG_MAGIC, 16);
	elfmod_sha256_init(&h);
	elfmod_sha256_update(&h, f.src.data, (size_t)f.src.size);
	elfmod_sha256_final(&h, msg);
	crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);

	if (write_signed(out, st.st_mode & 0777, f.src.data, (size_t)f.src.size, sig, sizeof(sig), trailer))
		goto out;
	{
		char idx[33];
		hex(idx, trailer + 24, 16);
		printf("%s: signed %s (%llu ELF bytes, Ed25519, key id %s)\n", out, in,
		       (unsigned long long)f.src.size, idx);
	}
	rc = 0;
out:
	sodium_memzero(sk, sizeof(sk));
	elfmod_posix_file_close(&f);
	return rc;
}

static int verify_usage(void)
{
	fprintf(stderr, "usage: elfmod verify --key NAME.pub [--key NAME.pub]... FILE\n");
	return 2;
}

int cmd_verify(int argc, char **argv)
{
	static struct elfmod_posix_keyring kr;
	const char *path = NULL;
	struct elfmod_posix_file f;
	struct elfmod_sig_info si;
	struct elfmod_sha256 h;
	struct elfmod_diag d;
	uint8_t msg[ELFMOD_SIG_MSG];
	const uint8_t *b, *trailer;
	char idx[33], dx[65];
	int nkeys = 0, rc = 1, err;
	unsigned k;

	memset(&kr, 0, sizeof(kr));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--key") && i + 1 < argc) {
			if ((err = elfmod_posix_key_add(&kr, argv[++i]))) {
				fprintf(stderr, "elfmod: %s: %s\n", argv[i],
					err == ELFMOD_EIO ? "cannot read"
					: err == ELFMOD_ELIMIT ? "too many keys"
					: "not an elfmod public key file (\"" PUB_PREFIX "<64 hex digits>\")");
				return 2;
			}
			nkeys++;
		} else if (argv[i][0] == '-' || path) {
			return verify_usage();
		} else {
			path = argv[i];
		}
	}
	if (!nkeys || !path)
		return verify_usage();
	if (elfmod_posix_file_open(&f, path, 1)) {
		fprintf(stderr, "elfmod: %s: cannot open\n", path);
		return 2;
	}
	b = f.src.data;
	if (!b || !is_signed(&f)) {
		fprintf(stderr, "elfmod: %s: not signed (no elfmod signature trailer at the end)\n", path);
		goto out;
	}
	trailer = b + f.src.size - ELFMOD_SIG_TRAILER;
	if ((err = elfmod_sig_trailer(trailer, f.src.size, &si, &d))) {
		char why[256];
		tool_why(err, &d, why, sizeof(why));
		fprintf(stderr, "elfmod: %s: bad signature trailer: %s\n", path, why);
		goto out;
	}
	hex(idx, si.key_id, sizeof(si.key_id));
	if (si.sig_alg != ELFMOD_SIG_ED25519) {
		fprintf(stderr, "elfmod: %s: signature algorithm %u is not Ed25519 (%u)\n", path, si.sig_alg,
			ELFMOD_SIG_ED25519);
		goto out;
	}
	if (si.sig_len != crypto_sign_BYTES) {
		fprintf(stderr, "elfmod: %s: signature length %u, an Ed25519 signature has %u bytes\n", path,
			(unsigned)si.sig_len, (unsigned)crypto_sign_BYTES);
		goto out;
	}
	for (k = 0; k < kr.n && memcmp(kr.keys[k].id, si.key_id, sizeof(si.key_id)); k++)
		;
	if (k == kr.n) {
		fprintf(stderr, "elfmod: %s: signed with an unknown key (key id %s)\n", path, idx);
		goto out;
	}
	elfmod_sha256_init(&h);
	elfmod_sha256_update(&h, b, (size_t)si.elf_size);
	elfmod_sha256_final(&h, msg);
	memcpy(msg + 32, trailer, ELFMOD_SIG_TRAILER);
	hex(dx, msg, 32);
	if (elfmod_posix_ed25519_verify(&kr, &si, msg, sizeof(msg), b + si.elf_size, si.sig_len)) {
		fprintf(stderr, "elfmod: %s: signature mismatch: the ELF bytes, the trailer or the signature "
			"differ from what key %s signed\n", path, idx);
		goto out;
	}
	printf("%s: good signature (Ed25519, key id %s)\n%s: ELF bytes 0..%llu, sha256 %s\n", path, idx, path,
	       (unsigned long long)si.elf_size, dx);
	rc = 0;
out:
	elfmod_posix_file_close(&f);
	return rc;
}
