/* Integrity before execution (docs/signing.md): signed modules load and run; one bit
 * flipped anywhere in a signed file (ELF bytes, signature, trailer) makes the load fail
 * before any code of it runs and with nothing left allocated, from a memory source and
 * from a read-callback source alike; the same for the expected-digest mode.
 *
 * usage: sig_test KEY.pub OTHER.pub REL.o REL.signed SO.so SO.signed
 * (REL.signed and SO.signed are REL.o and SO.so signed with KEY by `elfmod sign`). */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "check.h"
#include "counting.h"
#include "files.h"
#include "memsrc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- what the modules see of the host ---- */

int sig_inits; /* the modules' init functions add to it: 1 for REL, 10 for SO */

static const struct elfmod_export host_syms[] = {
	{ "sig_inits", (const void *)&sig_inits },
};
static struct elfmod_export_index host_index[1];
static struct elfmod_exports host;
static struct elfmod_registry reg;

/* ---- elfmod_posix_allocator, counting the regions it holds (counting.h) ---- */

static struct counting cnt;
static struct elfmod_allocator mem;

/* ---- sources (the files are read whole by files.h) ---- */

static void sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
	struct elfmod_sha256 h;

	elfmod_sha256_init(&h);
	elfmod_sha256_update(&h, p, n);
	elfmod_sha256_final(&h, out);
}

enum kind { FROM_MEMORY, FROM_CALLBACK };
static const char *const kind_name[] = { "memory source", "read-callback source" };

/* The read callback counts the bytes it serves, to show how much re-reading the digest
 * costs; out-of-file requests (a loader bug) are counted by memsrc. */
static uint64_t cb_bytes;
static int counted_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	cb_bytes += len;
	return memsrc_read(ctx, off, dst, len);
}

struct check {
	const uint8_t *sha256;  /* opts.sha256 */
	elfmod_verify_fn verify;
	void *verify_ctx;
};

/* One load of `data` with the checks in `c`. On success the module stays loaded. */
static int load(struct elfmod_module *m, const uint8_t *data, size_t size, enum kind kind,
		const struct check *c, struct elfmod_diag *d)
{
	struct elfmod_load_opts o;
	struct elfmod_source src;
	struct memsrc ms;
	int rc;

	memset(&o, 0, sizeof(o));
	o.name = "signed";
	o.mem = &mem;
	o.reg = &reg;
	o.sha256 = c->sha256;
	o.verify = c->verify;
	o.verify_ctx = c->verify_ctx;
	if (kind == FROM_MEMORY) {
		memset(&src, 0, sizeof(src));
		src.data = data;
		src.size = size;
	} else {
		memsrc_init(&ms, &src, data, size);
		src.read = counted_read;
	}
	memset(d, 0, sizeof(*d));
	rc = elfmod_load(m, &src, &o, d);
	if (kind == FROM_CALLBACK)
		CHECK_EQ(ms.bad, 0);
	return rc;
}

/* A load that must fail with `want` (0: any error) and leave no trace. */
static void expect_fail(const char *what, const uint8_t *data, size_t size, const struct check *c,
			int want)
{
	for (int k = FROM_MEMORY; k <= FROM_CALLBACK; k++) {
		struct elfmod_module m;
		struct elfmod_diag d;
		int rc;

		check_ctx = what;
		sig_inits = 0;
		rc = load(&m, data, size, (enum kind)k, c, &d);
		if (want)
			CHECK_RC(rc, want);
		else
			CHECK(rc != 0);
		if (rc == 0)
			elfmod_unload(&m);
		CHECK_EQ(sig_inits, 0);
		CHECK_EQ(cnt.live, 0);
		CHECK(reg.modules == NULL);
	}
}

/* A load that must succeed, run the init function (adding `inits`) and give `fn`(2, 3)
 * == `want`; then unloaded, leaving nothing. */
static void expect_ok(const char *what, const uint8_t *data, size_t size, const struct check *c,
		      int inits, const char *fn, int want)
{
	for (int k = FROM_MEMORY; k <= FROM_CALLBACK; k++) {
		struct elfmod_module m;
		struct elfmod_diag d;
		char msg[256];
		int rc;

		check_ctx = what;
		sig_inits = 0;
		cb_bytes = 0;
		rc = load(&m, data, size, (enum kind)k, c, &d);
		if (rc) {
			elfmod_diag_format(&d, msg, sizeof(msg));
			fprintf(stderr, "%s (%s): %s\n", what, kind_name[k], msg);
		}
		CHECK_RC(rc, 0);
		if (rc)
			continue;
		CHECK_EQ(sig_inits, inits);
		{
			int (*f)(int, int) = (int (*)(int, int))elfmod_sym(&m, fn);
			CHECK(f != NULL);
			if (f)
				CHECK_EQ(f(2, 3), want);
		}
		CHECK_RC(elfmod_unload(&m), 0);
		CHECK_EQ(cnt.live, 0);
		if (k == FROM_CALLBACK)
			printf("%s: read callback served %llu bytes of a %zu-byte file\n", what,
			       (unsigned long long)cb_bytes, size);
	}
}

/*
 * Every byte of the file, one bit flipped (bit pos % 8), loaded from both kinds of
 * source: each load must fail, run nothing and leave nothing allocated. From memory,
 * every load must fail with EVERIFY: an addressable source is checked before it is
 * parsed. Through a callback, positions at or after `tail` (the signature and trailer
 * of a signed file) must fail with EVERIFY; before it any error will do (a broken
 * header may be refused before the digest is complete), and the count is printed.
 */
static void flip_every_byte(const char *what, const struct test_file *f, size_t tail,
			    const struct check *c)
{
	uint8_t *buf = malloc(f->size);

	for (int k = FROM_MEMORY; k <= FROM_CALLBACK; k++) {
		unsigned long loaded = 0, ran = 0, leaked = 0, wrong_err = 0, everify = 0, shown = 0;

		check_ctx = what;
		for (size_t pos = 0; pos < f->size; pos++) {
			struct elfmod_module m;
			struct elfmod_diag d;
			int rc, must_everify = pos >= tail || k == FROM_MEMORY;

			memcpy(buf, f->data, f->size);
			buf[pos] ^= (uint8_t)(1u << (pos % 8));
			sig_inits = 0;
			rc = load(&m, buf, f->size, (enum kind)k, c, &d);
			everify += rc == ELFMOD_EVERIFY;
			if (rc == 0) {
				loaded++;
				elfmod_unload(&m);
			}
			ran += sig_inits != 0;
			leaked += cnt.live != 0 || reg.modules != NULL;
			wrong_err += rc != ELFMOD_EVERIFY && must_everify;
			if ((rc == 0 || sig_inits || cnt.live || (rc != ELFMOD_EVERIFY && must_everify)) &&
			    shown++ < 8)
				fprintf(stderr, "%s (%s): byte %zu flipped: rc %d (%s), inits %d, live %ld\n",
					what, kind_name[k], pos, rc, elfmod_strerror(rc), sig_inits, cnt.live);
			cnt.live = 0; /* one leak reported, not every later one */
		}
		CHECK_EQ(loaded, 0);
		CHECK_EQ(ran, 0);
		CHECK_EQ(leaked, 0);
		CHECK_EQ(wrong_err, 0);
		printf("%s (%s): %zu single-bit flips refused, %lu with EVERIFY\n", what, kind_name[k],
		       f->size, everify);
	}
	free(buf);
}

/* ---- a verifier that checks what the loader hands it, then asks the real one ---- */

struct spy {
	struct elfmod_posix_keyring *keys;
	const struct test_file *signed_file;
	unsigned calls, bad;
};

static int spy_verify(void *ctx, const struct elfmod_sig_info *si, const uint8_t *msg, size_t msg_len,
		      const uint8_t *sig, size_t sig_len)
{
	struct spy *s = ctx;
	const struct test_file *f = s->signed_file;
	const uint8_t *trailer = f->data + f->size - ELFMOD_SIG_TRAILER;
	struct elfmod_sig_info want;
	uint8_t expect[ELFMOD_SIG_MSG];

	s->calls++;
	/* What a verifier is promised: the decoded trailer, the message SHA-256(ELF) |
	 * trailer, and the signature bytes, before any code of the module has run. */
	if (elfmod_sig_trailer(trailer, f->size, &want, NULL) != 0 || sig_inits != 0 ||
	    si->sig_alg != want.sig_alg || si->hash_alg != want.hash_alg || si->sig_len != want.sig_len ||
	    si->elf_size != want.elf_size || memcmp(si->key_id, want.key_id, 16) ||
	    msg_len != ELFMOD_SIG_MSG || sig_len != want.sig_len ||
	    memcmp(sig, f->data + want.elf_size, sig_len))
		s->bad++;
	sha256(f->data, (size_t)want.elf_size, expect);
	memcpy(expect + 32, trailer, ELFMOD_SIG_TRAILER);
	if (msg_len == ELFMOD_SIG_MSG && memcmp(msg, expect, ELFMOD_SIG_MSG))
		s->bad++;
	return elfmod_posix_ed25519_verify(s->keys, si, msg, msg_len, sig, sig_len);
}

/* ---- the tests ---- */

static struct elfmod_posix_keyring keys, other_keys;

static void test_posix_verifier(const struct test_file *sf)
{
	const uint8_t *trailer = sf->data + sf->size - ELFMOD_SIG_TRAILER;
	struct elfmod_sig_info si;
	uint8_t msg[ELFMOD_SIG_MSG];
	const uint8_t *sig;

	check_ctx = "elfmod_posix_ed25519_verify";
	CHECK_RC(elfmod_sig_trailer(trailer, sf->size, &si, NULL), 0);
	sig = sf->data + si.elf_size;
	sha256(sf->data, (size_t)si.elf_size, msg);
	memcpy(msg + 32, trailer, ELFMOD_SIG_TRAILER);
	CHECK_RC(elfmod_posix_ed25519_verify(&keys, &si, msg, sizeof(msg), sig, si.sig_len), 0);
	CHECK(elfmod_posix_ed25519_verify(&other_keys, &si, msg, sizeof(msg), sig, si.sig_len) != 0);
	CHECK(elfmod_posix_ed25519_verify(NULL, &si, msg, sizeof(msg), sig, si.sig_len) != 0);
	CHECK(elfmod_posix_ed25519_verify(&keys, &si, msg, sizeof(msg) - 1, sig, si.sig_len) != 0);
	CHECK(elfmod_posix_ed25519_verify(&keys, &si, msg, sizeof(msg), sig, si.sig_len - 1) != 0);
	{
		struct elfmod_sig_info other = si;
		other.sig_alg = 2;
		CHECK(elfmod_posix_ed25519_verify(&keys, &other, msg, sizeof(msg), sig, si.sig_len) != 0);
		other = si;
		other.hash_alg = 2;
		CHECK(elfmod_posix_ed25519_verify(&keys, &other, msg, sizeof(msg), sig, si.sig_len) != 0);
		other = si;
		other.key_id[15] ^= 1;
		CHECK(elfmod_posix_ed25519_verify(&keys, &other, msg, sizeof(msg), sig, si.sig_len) != 0);
	}
	msg[0] ^= 1;
	CHECK(elfmod_posix_ed25519_verify(&keys, &si, msg, sizeof(msg), sig, si.sig_len) != 0);
	msg[0] ^= 1;
	msg[ELFMOD_SIG_MSG - 1] ^= 0x80;
	CHECK(elfmod_posix_ed25519_verify(&keys, &si, msg, sizeof(msg), sig, si.sig_len) != 0);
}

static void test_keyring(const char *pub)
{
	struct elfmod_posix_keyring kr;
	char bad[64];
	FILE *f;

	/* Per process: the plain and the ASan build may run at the same time. */
	snprintf(bad, sizeof(bad), "sig_test_bad.%ld.pub", (long)getpid());

	check_ctx = "elfmod_posix_key_add";
	memset(&kr, 0, sizeof(kr));
	CHECK_RC(elfmod_posix_key_add(&kr, pub), 0);
	CHECK_RC(elfmod_posix_key_add(&kr, pub), 0); /* the same key: no second slot */
	CHECK_EQ(kr.n, 1);
	{
		uint8_t id[32];
		sha256(kr.keys[0].pk, 32, id);
		CHECK(memcmp(id, kr.keys[0].id, 16) == 0);
	}
	CHECK_RC(elfmod_posix_key_add(&kr, "/nonexistent/key.pub"), ELFMOD_EIO);
	CHECK_RC(elfmod_posix_key_add(NULL, pub), ELFMOD_EINVAL);
	static const char *const wrong[] = {
		"elfmod-ed25519-secret 0000000000000000000000000000000000000000000000000000000000000000\n",
		"elfmod-ed25519-public 000000000000000000000000000000000000000000000000000000000000000\n",
		"elfmod-ed25519-public 000000000000000000000000000000000000000000000000000000000000000g\n",
		"elfmod-ed25519-public 0000000000000000000000000000000000000000000000000000000000000000\nx",
		"elfmod-ed25519-public 00000000000000000000000000000000000000000000000000000000000000000\n",
		"",
	};
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		f = fopen(bad, "wb");
		fputs(wrong[i], f);
		fclose(f);
		CHECK_RC(elfmod_posix_key_add(&kr, bad), ELFMOD_EINVAL);
	}
	f = fopen(bad, "wb");
	fputs("elfmod-ed25519-public 00000000000000000000000000000000000000000000000000000000000000A0\r\n", f);
	fclose(f);
	CHECK_RC(elfmod_posix_key_add(&kr, bad), 0);
	CHECK_EQ(kr.n, 2);
	CHECK_EQ(kr.keys[1].pk[31], 0xa0);
	/* A full keyring refuses one more key (the fillers differ from it in byte 0). */
	memset(&kr, 0, sizeof(kr));
	for (unsigned i = 0; i < ELFMOD_POSIX_MAX_KEYS; i++)
		kr.keys[i].pk[0] = (uint8_t)(i + 1);
	kr.n = ELFMOD_POSIX_MAX_KEYS;
	CHECK_RC(elfmod_posix_key_add(&kr, bad), ELFMOD_ELIMIT);
	remove(bad);
}

int main(int argc, char **argv)
{
	struct test_file rel, rel_s, so, so_s;
	uint8_t d_rel[32], d_rel_s_elf[32], d_rel_s_whole[32], d_wrong[32], d_so[32];
	struct check none = { 0 }, signed_chk, other_chk, spy_chk;
	struct spy spy;
	struct elfmod_sig_info si;

	if (argc != 7) {
		fprintf(stderr, "usage: %s KEY.pub OTHER.pub REL.o REL.signed SO.so SO.signed\n", argv[0]);
		return 2;
	}
	counting_init(&cnt, &mem);
	if (elfmod_exports_init(&host, host_syms, 1, host_index, NULL)) {
		fprintf(stderr, "export table\n");
		return 2;
	}
	elfmod_registry_init(&reg);
	elfmod_registry_add_exports(&reg, &host);
	if (elfmod_posix_key_add(&keys, argv[1]) || elfmod_posix_key_add(&other_keys, argv[2])) {
		fprintf(stderr, "cannot read the keys %s, %s\n", argv[1], argv[2]);
		return 2;
	}
	rel = test_file_load(argv[3]);
	rel_s = test_file_load(argv[4]);
	so = test_file_load(argv[5]);
	so_s = test_file_load(argv[6]);

	/* The fixtures are what the test assumes: REL.o / SO.so plus 64 + 64 bytes. */
	check_ctx = "fixtures";
	CHECK_EQ(rel_s.size, rel.size + 128);
	CHECK(memcmp(rel_s.data, rel.data, rel.size) == 0);
	CHECK_EQ(so_s.size, so.size + 128);
	CHECK(memcmp(so_s.data, so.data, so.size) == 0);
	CHECK_RC(elfmod_sig_trailer(rel_s.data + rel_s.size - 64, rel_s.size, &si, NULL), 0);
	CHECK_EQ(si.elf_size, rel.size);

	test_keyring(argv[1]);
	test_posix_verifier(&rel_s);

	signed_chk = (struct check){ .verify = elfmod_posix_ed25519_verify, .verify_ctx = &keys };
	other_chk = (struct check){ .verify = elfmod_posix_ed25519_verify, .verify_ctx = &other_keys };
	spy = (struct spy){ .keys = &keys, .signed_file = &rel_s };
	spy_chk = (struct check){ .verify = spy_verify, .verify_ctx = &spy };

	/* Signed files load and run; the verifier gets the promised message, once per load. */
	expect_ok("signed module", rel_s.data, rel_s.size, &signed_chk, 1, "sig_add", 1005);
	expect_ok("signed module, spying verifier", rel_s.data, rel_s.size, &spy_chk, 1, "sig_add", 1005);
	check_ctx = "spying verifier";
	CHECK_EQ(spy.calls, 2);
	CHECK_EQ(spy.bad, 0);
	expect_ok("signed shared object", so_s.data, so_s.size, &signed_chk, 10, "so_mul", 13);
	/* Without `verify` a trailer is bytes after the ELF: the module loads as it is. */
	expect_ok("signed module, no check", rel_s.data, rel_s.size, &none, 1, "sig_add", 1005);

	/* Refusals that involve no tampering. */
	expect_fail("signed by another key", rel_s.data, rel_s.size, &other_chk, ELFMOD_EVERIFY);
	expect_fail("unsigned module, signature wanted", rel.data, rel.size, &signed_chk, ELFMOD_EVERIFY);
	expect_fail("unsigned shared object, signature wanted", so.data, so.size, &signed_chk, ELFMOD_EVERIFY);
	expect_fail("40-byte file, signature wanted", rel.data, 40, &signed_chk, 0);

	/* The expected-digest mode. */
	sha256(rel.data, rel.size, d_rel);
	sha256(rel_s.data, rel.size, d_rel_s_elf);
	sha256(rel_s.data, rel_s.size, d_rel_s_whole);
	sha256(so.data, so.size, d_so);
	memcpy(d_wrong, d_rel, 32);
	d_wrong[31] ^= 1;
	expect_ok("sha256", rel.data, rel.size, &(struct check){ .sha256 = d_rel }, 1, "sig_add", 1005);
	expect_ok("sha256, shared object", so.data, so.size, &(struct check){ .sha256 = d_so }, 10, "so_mul", 13);
	expect_fail("sha256 wrong", rel.data, rel.size, &(struct check){ .sha256 = d_wrong }, ELFMOD_EVERIFY);
	expect_fail("sha256 of another file", rel.data, rel.size, &(struct check){ .sha256 = d_so }, ELFMOD_EVERIFY);
	/* Without verify the digest covers the whole source; with it, the ELF bytes. */
	expect_ok("sha256 of a whole signed file", rel_s.data, rel_s.size,
		  &(struct check){ .sha256 = d_rel_s_whole }, 1, "sig_add", 1005);
	expect_fail("sha256 of the ELF bytes, no verify", rel_s.data, rel_s.size,
		    &(struct check){ .sha256 = d_rel_s_elf }, ELFMOD_EVERIFY);
	expect_ok("sha256 and signature", rel_s.data, rel_s.size,
		  &(struct check){ .sha256 = d_rel_s_elf, .verify = elfmod_posix_ed25519_verify, .verify_ctx = &keys },
		  1, "sig_add", 1005);
	expect_fail("sha256 of the whole file with signature", rel_s.data, rel_s.size,
		    &(struct check){ .sha256 = d_rel_s_whole, .verify = elfmod_posix_ed25519_verify,
				     .verify_ctx = &keys },
		    ELFMOD_EVERIFY);
	expect_fail("right sha256, signed by another key", rel_s.data, rel_s.size,
		    &(struct check){ .sha256 = d_rel_s_elf, .verify = elfmod_posix_ed25519_verify,
				     .verify_ctx = &other_keys },
		    ELFMOD_EVERIFY);

	/* One bit flipped anywhere. */
	flip_every_byte("signed module", &rel_s, rel.size, &signed_chk);
	flip_every_byte("signed shared object", &so_s, so.size, &signed_chk);
	flip_every_byte("sha256 module", &rel, rel.size, &(struct check){ .sha256 = d_rel });

	free(rel.data);
	free(rel_s.data);
	free(so.data);
	free(so_s.data);
	return check_done("signing");
}
