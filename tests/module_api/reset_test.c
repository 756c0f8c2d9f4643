/* elfmod_reset and export-set fingerprints, for a relocatable module and a shared object
 * (mods/resetme.c): the counters go back to their initial values, relocated pointers in
 * the data still point right, init functions run again only when asked (destructors
 * first), from a copy or from the source (buffer and read callback), and nothing leaks;
 * a module recording the fingerprint 0x0807060504030201 loads against a host table with
 * it, is refused with EABI against another one unless ELFMOD_LOAD_ANY_ABI, and loads when
 * no table has a fingerprint. Usage: reset_test resetme.o resetme.so */
#include "check.h"
#include "counting.h"
#include "files.h"
#include "memsrc.h"
#include "resetme_host.h"

#include <string.h>

static struct elfmod_export_index host_index[1];
static struct elfmod_exports host;
static struct elfmod_registry reg;
static struct counting cnt;
static struct elfmod_allocator mem;

static int load(struct elfmod_module *m, const struct elfmod_source *src, uint32_t flags, struct elfmod_diag *d)
{
	struct elfmod_load_opts o = { 0 };

	o.name = "resetme";
	o.mem = &mem;
	o.reg = &reg;
	o.flags = flags;
	return elfmod_load(m, src, &o, d);
}

static void test_reset(const struct test_file *f, const char *what)
{
	struct elfmod_source data = { f->data, f->size, NULL, NULL, NULL };
	struct elfmod_source cb;
	struct memsrc ms;
	struct elfmod_module m;
	struct elfmod_diag d;

	memsrc_init(&ms, &cb, f->data, f->size);
	for (int mode = 0; mode < 4; mode++) {
		uint32_t flag = mode < 2 ? ELFMOD_LOAD_RESET_COPY : ELFMOD_LOAD_RESET_SOURCE;
		const struct elfmod_source *src = mode & 1 ? &cb : &data;
		int (*bump)(void), (*intact)(void);
		int *inits;
		char ctx[96];

		snprintf(ctx, sizeof(ctx), "%s, %s, %s", what, mode < 2 ? "copy" : "source",
			 mode & 1 ? "read callback" : "buffer");
		check_ctx = ctx;
		starts = stops = 0;
		CHECK_RC(load(&m, src, flag, &d), 0);
		bump = (int (*)(void))elfmod_sym(&m, "bump");
		intact = (int (*)(void))elfmod_sym(&m, "intact");
		inits = (int *)elfmod_sym(&m, "inits");
		CHECK(bump && intact && inits);
		if (!bump || !intact || !inits)
			return;
		CHECK_EQ(*inits, 1);
		CHECK_EQ(bump(), 801);
		CHECK_EQ(bump(), 902);
		CHECK_RC(elfmod_reset(&m, mode < 2 ? NULL : src, 0, &d), 0);
		CHECK_EQ(bump(), 801);
		CHECK(intact());
		/* As before any module code ran: the initialiser's count too. */
		CHECK_EQ(*inits, 0);
		CHECK(starts == 1 && stops == 0);
		/* Destructors, then the data, then the initialisers again. */
		CHECK_RC(elfmod_reset(&m, mode < 2 ? NULL : src, ELFMOD_RESET_INIT, &d), 0);
		CHECK(starts == 2 && stops == 1);
		CHECK_EQ(*inits, 1);
		CHECK_EQ(bump(), 801);
		CHECK(intact());
		if (mode >= 2) {
			/* Another file (here: shorter) is refused before anything is written. */
			struct elfmod_source other = *src;
			other.size--;
			CHECK_RC(elfmod_reset(&m, &other, 0, &d), ELFMOD_ETRUNC);
			CHECK_RC(elfmod_reset(&m, NULL, 0, &d), ELFMOD_EINVAL);
			CHECK_EQ(bump(), 902);
		}
		CHECK_RC(elfmod_reset(&m, src, 0x80, &d), ELFMOD_EINVAL);
		CHECK_RC(elfmod_unload(&m), 0);
		CHECK(stops == 2);
		CHECK_EQ(cnt.live, 0);
	}
	/* Not loaded for a reset: refused, nothing changes. */
	check_ctx = what;
	CHECK_RC(load(&m, &data, 0, &d), 0);
	CHECK_RC(elfmod_reset(&m, &data, 0, &d), ELFMOD_EINVAL);
	CHECK_RC(elfmod_unload(&m), 0);
	/* Every allocation failing in turn (the reset copy and log among them). */
	for (uint32_t flag = ELFMOD_LOAD_RESET_COPY; flag <= ELFMOD_LOAD_RESET_SOURCE; flag <<= 1) {
		int loaded = 0;
		for (long k = 1; k < 64 && !loaded; k++) {
			int rc;
			cnt.calls = 0;
			cnt.fail_at = k;
			rc = load(&m, &cb, flag, &d);
			cnt.fail_at = 0;
			if (rc == 0) {
				CHECK_RC(elfmod_unload(&m), 0);
				loaded = 1;
				continue;
			}
			CHECK_RC(rc, ELFMOD_ENOMEM);
			CHECK_EQ(cnt.live, 0);
		}
		CHECKF(loaded, "flag 0x%x: no load within 63 allocations", (unsigned)flag);
	}
	/* The loader and reset never asked the callback for bytes outside the file. */
	CHECK_EQ(ms.bad, 0);
}

static int accept_all(void *ctx, const struct elfmod_sig_info *si, const uint8_t *msg, size_t msg_len,
		      const uint8_t *sig, size_t sig_len)
{
	(void)ctx, (void)si, (void)msg, (void)msg_len, (void)sig, (void)sig_len;
	return 0;
}

/* A signed file (the ELF, a signature, the trailer) loaded with a verifier and reset from
 * that same file: the file the module was loaded from is the whole signed file. */
static void test_reset_signed(const struct test_file *f, const char *what)
{
	size_t size = f->size + 8 + ELFMOD_SIG_TRAILER;
	uint8_t *file = calloc(1, size), *t;
	struct memsrc ms;
	struct elfmod_load_opts o = { 0 };
	struct elfmod_module m;
	struct elfmod_diag d;

	check_ctx = what;
	CHECK(file != NULL);
	if (!file)
		return;
	memcpy(file, f->data, f->size);
	t = file + f->size + 8;
	t[0] = 1;                          /* version */
	t[4] = ELFMOD_HASH_SHA256;
	t[5] = ELFMOD_SIG_ED25519;
	t[8] = 8;                          /* sig_len */
	for (int k = 0; k < 8; k++)        /* elf_size */
		t[16 + k] = (uint8_t)((uint64_t)f->size >> (8 * k));
	memcpy(t + 48, ELFMOD_SIG_MAGIC, 16);
	for (int mode = 0; mode < 2; mode++) {
		struct elfmod_source data = { file, size, NULL, NULL, NULL }, cb;
		const struct elfmod_source *src = mode ? &cb : &data;
		int (*bump)(void);

		memsrc_init(&ms, &cb, file, size);
		o.name = "resetme";
		o.mem = &mem;
		o.reg = &reg;
		o.flags = ELFMOD_LOAD_RESET_SOURCE;
		o.verify = accept_all;
		CHECK_RC(elfmod_load(&m, src, &o, &d), 0);
		bump = (int (*)(void))elfmod_sym(&m, "bump");
		CHECK(bump != NULL);
		if (bump) {
			CHECK_EQ(bump(), 801);
			CHECK_RC(elfmod_reset(&m, src, 0, &d), 0);
			CHECK_EQ(bump(), 801);
		}
		CHECK_RC(elfmod_unload(&m), 0);
		CHECK_EQ(ms.bad, 0);
	}
	free(file);
}

static void test_abi(const struct test_file *f, const char *what)
{
	struct elfmod_source data = { f->data, f->size, NULL, NULL, NULL };
	struct elfmod_module m;
	struct elfmod_diag d;

	check_ctx = what;
	host.fingerprint = 0x0807060504030201ull;
	CHECK_RC(load(&m, &data, 0, &d), 0);
	CHECK_RC(elfmod_unload(&m), 0);
	host.fingerprint = 0x0807060504030202ull;
	CHECK_RC(load(&m, &data, 0, &d), ELFMOD_EABI);
	CHECK(d.value == 0x0807060504030201ull && strstr(d.field, "another export set"));
	CHECK_EQ(cnt.live, 0);
	CHECK_RC(load(&m, &data, ELFMOD_LOAD_ANY_ABI, &d), 0);
	CHECK_RC(elfmod_unload(&m), 0);
	host.fingerprint = 0;
	CHECK_RC(load(&m, &data, 0, &d), 0);
	CHECK_RC(elfmod_unload(&m), 0);
}

int main(int argc, char **argv)
{
	struct test_file rel, so;

	if (argc != 3 || test_file_read(argv[1], &rel) || test_file_read(argv[2], &so)) {
		fprintf(stderr, "usage: reset_test resetme.o resetme.so\n");
		return 2;
	}
	counting_init(&cnt, &mem);
	elfmod_registry_init(&reg);
	CHECK_RC(elfmod_exports_init(&host, resetme_imports, 1, host_index, NULL), 0);
	CHECK_RC(elfmod_registry_add_exports(&reg, &host), 0);
	/* The fingerprint of a table is that of its names. */
	CHECK(elfmod_exports_fingerprint(&host) != 0);
	test_reset(&rel, "resetme.o");
	test_reset(&so, "resetme.so");
	test_reset_signed(&rel, "resetme.o signed");
	test_reset_signed(&so, "resetme.so signed");
	test_abi(&rel, "resetme.o fingerprint");
	test_abi(&so, "resetme.so fingerprint");
	free(rel.data);
	free(so.data);
	return check_done("reset");
}
