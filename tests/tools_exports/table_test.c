/*
 * A host program built from fw_syms.c and the exports.c `elfmod exports` generated from
 * a firmware image of fw_syms.c (run.py builds it, with -DHASHED for a --hashed table).
 * The table must be the core's format as it is: every entry at the address of its
 * symbol, the index sorted by (hash, name), the fingerprint the core computes for the
 * same names; and it must serve elfmod_load: a module built against table.h loads and
 * runs, a module built against another fingerprint is refused until the caller allows
 * it.
 *
 * Usage: table_test GOOD_MODULE.o WRONG_ABI_MODULE.o
 */
#include "elfmod.h"
#include "check.h"
#include "fw_syms.h"
#include "table.h"

#include <string.h>

#ifdef HASHED
#define NAMED 0
#else
#define NAMED 1
#endif

/* The set run.py asks for: fw_* and coll_* allowed, fw_keep denied (and coll_FY for
 * the hashed table, whose hash coll_Ez has). */
static const struct {
	const char *name;
	const void *addr;
} expected[] = {
	{ "fw_counter", &fw_counter },
	{ "fw_name", fw_name },
	{ "fw_add", __extension__(const void *) & fw_add },
	{ "fw_twice", __extension__(const void *) & fw_twice },
	{ "fw_weakfn", __extension__(const void *) & fw_weakfn },
	{ "coll_Ez", __extension__(const void *) & coll_Ez },
#if NAMED
	{ "coll_FY", __extension__(const void *) & coll_FY },
#endif
};
#define NEXPECTED (sizeof(expected) / sizeof(expected[0]))

static void test_entries(const struct elfmod_exports *t)
{
	check_ctx = "entries";
	CHECK_EQ(t->count, NEXPECTED);
	for (size_t i = 0; i < NEXPECTED; i++) {
		const struct elfmod_export *e = elfmod_exports_find(t, expected[i].name, elfmod_hash(expected[i].name));
		CHECK(e != NULL);
		if (!e)
			continue;
		CHECK(e->addr == expected[i].addr);
		if (NAMED)
			CHECK(e->name && !strcmp(e->name, expected[i].name));
		else
			CHECK(e->name == NULL);
	}
	CHECK(!elfmod_exports_find(t, "fw_keep", elfmod_hash("fw_keep")));
	CHECK(!elfmod_exports_find(t, "fw_hidden", elfmod_hash("fw_hidden")));
	CHECK(!elfmod_exports_find(t, "main", elfmod_hash("main")));
	/* What `elfmod check` warns about: a hashed table binds any name of a hash it has. */
	if (!NAMED)
		CHECK(elfmod_exports_find(t, "coll_FY", elfmod_hash("coll_FY"))->addr == expected[5].addr);
	/* The calls go where the entries say. */
	for (size_t i = 0; i < NEXPECTED; i++)
		if (!strcmp(expected[i].name, "fw_add")) {
			const struct elfmod_export *e = elfmod_exports_find(t, "fw_add", elfmod_hash("fw_add"));
			int (*fn)(int, int) = __extension__(int (*)(int, int)) e->addr;
			CHECK_EQ(fn(1, 2), 1 + 2 + fw_counter);
		}
}

static void test_index(const struct elfmod_exports *t)
{
	check_ctx = "index";
	for (uint32_t i = 0; i < t->count; i++) {
		const struct elfmod_export_index *x = &t->index[i];
		CHECK(x->sym < t->count);
		if (NAMED)
			CHECK_EQ(x->hash, elfmod_hash(t->syms[x->sym].name));
		if (i) {
			const struct elfmod_export_index *p = &t->index[i - 1];
			CHECK(p->hash <= x->hash);
			if (NAMED && p->hash == x->hash)
				CHECK(strcmp(t->syms[p->sym].name, t->syms[x->sym].name) < 0);
		}
	}
}

static void test_fingerprint(const struct elfmod_exports *t)
{
	struct elfmod_export mine[NEXPECTED];
	struct elfmod_export_index idx[NEXPECTED];
	struct elfmod_exports ref;
	const uint8_t bytes[8] = { ELFMOD_ABI_FINGERPRINT_BYTES };
	uint64_t le = 0;

	check_ctx = "fingerprint";
	CHECK(t->fingerprint != 0);
	CHECK_EQ(t->fingerprint, ELFMOD_ABI_FINGERPRINT);
	for (int k = 7; k >= 0; k--)
		le = le << 8 | bytes[k];
	CHECK_EQ(le, ELFMOD_ABI_FINGERPRINT);
	/* The core's fingerprint of the same names, from a table it indexes itself. */
	for (size_t i = 0; i < NEXPECTED; i++) {
		mine[i].name = expected[i].name;
		mine[i].addr = expected[i].addr;
	}
	CHECK(elfmod_exports_init(&ref, mine, NEXPECTED, idx, NULL) == 0);
	CHECK_EQ(elfmod_exports_fingerprint(&ref), t->fingerprint);
	/* A named table's own; a hashed one has no names to hash. */
	CHECK_EQ(elfmod_exports_fingerprint(t), NAMED ? t->fingerprint : 0);
}

static int load(const char *path, struct elfmod_registry *reg, uint32_t flags, struct elfmod_module *m,
		struct elfmod_diag *d)
{
	static struct elfmod_allocator mem;
	struct elfmod_posix_file f;
	struct elfmod_load_opts o;
	int rc;

	elfmod_posix_allocator(&mem);
	memset(&o, 0, sizeof(o));
	o.name = path;
	o.mem = &mem;
	o.reg = reg;
	o.flags = flags;
	if (elfmod_posix_file_open(&f, path, 1))
		return ELFMOD_EIO;
	rc = elfmod_load(m, &f.src, &o, d);
	elfmod_posix_file_close(&f);
	return rc;
}

static void test_load(const struct elfmod_exports *t, const char *good, const char *wrong)
{
	struct elfmod_registry reg;
	struct elfmod_module m;
	struct elfmod_diag d;
	struct elfmod_exports nofp = *t;
	int (*sum)(void);
	int rc;

	check_ctx = "load";
	elfmod_registry_init(&reg);
	CHECK(elfmod_registry_add_exports(&reg, t) == 0);
	rc = load(good, &reg, 0, &m, &d);
	CHECK_EQ(rc, 0);
	if (rc == 0) {
		int before = fw_counter;
		sum = __extension__(int (*)(void)) elfmod_sym(&m, "mod_sum");
		CHECK(sum != NULL);
		if (sum) {
			/* fw_add(fw_twice(3), 'f') after the module's own fw_counter += 1. */
			CHECK_EQ(sum(), 6 + 'f' + before + 1);
			CHECK_EQ(fw_counter, before + 1);
		}
		CHECK(elfmod_unload(&m) == 0);
	}

	/* Built against another export set: refused, with the error that says so. */
	rc = load(wrong, &reg, 0, &m, &d);
	CHECK_RC(rc, ELFMOD_EABI);
	rc = load(wrong, &reg, ELFMOD_LOAD_ANY_ABI, &m, &d);
	CHECK_EQ(rc, 0);
	if (rc == 0)
		CHECK(elfmod_unload(&m) == 0);

	/* A table without a fingerprint checks nothing. */
	nofp.fingerprint = 0;
	elfmod_registry_init(&reg);
	CHECK(elfmod_registry_add_exports(&reg, &nofp) == 0);
	rc = load(wrong, &reg, 0, &m, &d);
	CHECK_EQ(rc, 0);
	if (rc == 0)
		CHECK(elfmod_unload(&m) == 0);
}

int main(int argc, char **argv)
{
	const struct elfmod_exports *t = &elfmod_firmware_exports;

	if (argc != 3) {
		fprintf(stderr, "usage: table_test GOOD_MODULE WRONG_ABI_MODULE\n");
		return 2;
	}
	test_entries(t);
	test_index(t);
	test_fingerprint(t);
	test_load(t, argv[1], argv[2]);
	return check_done(NAMED ? "table_test (named table)" : "table_test (hashed table)");
}
