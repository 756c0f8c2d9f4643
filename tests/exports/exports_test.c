/* Host export tables: link-time collection with ELFMOD_EXPORT, index building, lookups
 * (including names whose hashes collide), duplicate detection. */
#include "elfmod.h"
#include "internal.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int exported_counter = 7;
int exported_function(int x);
int exported_function(int x)
{
	return x + 1;
}
ELFMOD_EXPORT(exported_counter);
ELFMOD_EXPORT(exported_function);
ELFMOD_EXPORT_AS("renamed", exported_counter);

extern const struct elfmod_export __start_elfmod_exports[], __stop_elfmod_exports[];

static void test_collected(void)
{
	uint32_t n = (uint32_t)(__stop_elfmod_exports - __start_elfmod_exports);
	struct elfmod_export_index idx[8];
	struct elfmod_exports t;
	const struct elfmod_export *e;

	CHECK(n == 3);
	CHECK(elfmod_exports_init(&t, __start_elfmod_exports, n, idx, NULL) == 0);
	e = elfmod_exports_find(&t, "exported_function", elfmod_hash("exported_function"));
	CHECK(e && ((int (*)(int))(uintptr_t)e->addr)(41) == 42);
	e = elfmod_exports_find(&t, "renamed", elfmod_hash("renamed"));
	CHECK(e && *(const int *)e->addr == 7);
	CHECK(!elfmod_exports_find(&t, "exported", elfmod_hash("exported")));
}

static void test_collisions_and_dups(void)
{
	/* "Ez" and "FY" have the same GNU hash: 69*33+122 == 70*33+89. */
	static const struct elfmod_export syms[] = {
		{ "FY", (void *)1 }, { "Ez", (void *)2 }, { "a", (void *)3 }, { "", (void *)4 },
	};
	static const struct elfmod_export dups[] = {
		{ "x", (void *)1 }, { "y", (void *)2 }, { "x", (void *)3 },
	};
	struct elfmod_export_index idx[4];
	struct elfmod_exports t;
	uint32_t dup = 99;

	CHECK(elfmod_hash("Ez") == elfmod_hash("FY"));
	CHECK(elfmod_hash("") == 5381);
	CHECK(elfmod_exports_init(&t, syms, 4, idx, NULL) == 0);
	CHECK(elfmod_exports_find(&t, "Ez", elfmod_hash("Ez"))->addr == (void *)2);
	CHECK(elfmod_exports_find(&t, "FY", elfmod_hash("FY"))->addr == (void *)1);
	CHECK(elfmod_exports_find(&t, "", elfmod_hash(""))->addr == (void *)4);
	CHECK(!elfmod_exports_find(&t, "Ey", elfmod_hash("Ey")));
	CHECK(elfmod_exports_init(&t, dups, 3, idx, &dup) == ELFMOD_ELIMIT && dup == 2);
	CHECK(elfmod_exports_init(&t, NULL, 0, NULL, NULL) == 0 && t.count == 0);
	CHECK(!elfmod_exports_find(&t, "x", elfmod_hash("x")));
	CHECK(elfmod_exports_init(&t, NULL, 1, idx, NULL) == ELFMOD_EINVAL);
}

static void test_large(void)
{
	enum { N = 10000 };
	struct elfmod_export *syms = calloc(N, sizeof(*syms));
	struct elfmod_export_index *idx = calloc(N, sizeof(*idx));
	char (*names)[24] = calloc(N, sizeof(*names));
	struct elfmod_exports t;
	char miss[32];

	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "sym_%d_%x", i, i * 2654435761u);
		syms[i].name = names[i];
		syms[i].addr = (void *)(uintptr_t)(i + 1);
	}
	CHECK(elfmod_exports_init(&t, syms, N, idx, NULL) == 0);
	for (uint32_t i = 1; i < N; i++)
		CHECK(idx[i - 1].hash <= idx[i].hash);
	for (int i = 0; i < N; i++) {
		const struct elfmod_export *e = elfmod_exports_find(&t, names[i], elfmod_hash(names[i]));
		CHECK(e && e->addr == (void *)(uintptr_t)(i + 1));
		snprintf(miss, sizeof(miss), "%s_", names[i]);
		CHECK(!elfmod_exports_find(&t, miss, elfmod_hash(miss)));
	}
	free(syms);
	free(idx);
	free(names);
}

/* Whether any of the n bytes at p is not zero. */
static int touched(const void *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (((const uint8_t *)p)[i])
			return 1;
	return 0;
}

/* The loader's radix sort (elfmod__exports_index with room) must give the heapsort's
 * index exactly, long and short runs of colliding hashes included, and still find
 * duplicates. Blocks of "Ez" or "FY" all hash alike, so k blocks make 2^k names of one
 * hash: runs of 16 (the heapsort within a run) and of 8 (insertion). */
static void test_radix(void)
{
	enum { N = 600 };
	struct elfmod_export *syms = calloc(N, sizeof(*syms));
	struct elfmod_export_index *a = calloc(N, sizeof(*a)), *b = calloc(N, sizeof(*b));
	uint64_t tmp_size = (N + 200) * sizeof(struct elfmod_export_index);
	void *tmp = calloc(1, tmp_size);
	char (*names)[24] = calloc(N, sizeof(*names));
	struct elfmod_exports t, u;
	uint32_t n = 0, dup = 99;

	for (uint32_t k = 0; k < 16; k++, n++)
		for (int j = 0; j < 4; j++)
			strcat(names[n], k >> j & 1 ? "Ez" : "FY");
	for (uint32_t k = 0; k < 8; k++, n++) {
		strcpy(names[n], "q");
		for (int j = 0; j < 3; j++)
			strcat(names[n], k >> j & 1 ? "Ez" : "FY");
	}
	for (; n < N; n++)
		snprintf(names[n], sizeof(names[n]), "f%u_%x", n, n * 2654435761u);
	/* Reversed, so neither the radix passes nor the runs start out in order. */
	for (uint32_t i = 0; i < N; i++) {
		syms[i].name = names[N - 1 - i];
		syms[i].addr = (void *)(uintptr_t)(i + 1);
	}
	CHECK(elfmod_exports_init(&t, syms, N, a, NULL) == 0);
	CHECK(elfmod__exports_index(&u, syms, N, b, 0, tmp, tmp_size, NULL) == 0);
	CHECK(memcmp(a, b, N * sizeof(*a)) == 0);
	/* The room was written: the radix sort ran, not the heapsort compared with itself. */
	CHECK(touched(tmp, tmp_size));
	for (uint32_t i = 0; i < N; i++)
		CHECK(elfmod_exports_find(&u, names[i], elfmod_hash(names[i])) == &syms[N - 1 - i]);
	/* Hashes given by the caller are used as they are. */
	for (uint32_t i = 0; i < N; i++)
		b[i].hash = elfmod_hash(syms[i].name);
	memset(tmp, 0, tmp_size);
	CHECK(elfmod__exports_index(&u, syms, N, b, 1, tmp, tmp_size, NULL) == 0);
	CHECK(memcmp(a, b, N * sizeof(*a)) == 0);
	CHECK(touched(tmp, tmp_size));
	/* Not recomputed: one hash for all makes one run, ordered by name alone. */
	for (uint32_t i = 0; i < N; i++)
		b[i].hash = 7;
	CHECK(elfmod__exports_index(&u, syms, N, b, 1, tmp, tmp_size, NULL) == 0);
	for (uint32_t i = 0; i < N; i++)
		CHECK(b[i].hash == 7 && (i == 0 || strcmp(syms[b[i - 1].sym].name, syms[b[i].sym].name) < 0));
	/* A name twice, inside a run of colliding hashes. */
	syms[N - 1 - 3].name = names[5];
	CHECK(elfmod__exports_index(&u, syms, N, b, 0, tmp, tmp_size, &dup) == ELFMOD_ELIMIT);
	CHECK(dup == N - 1 - 3);
	free(syms);
	free(a);
	free(b);
	free(tmp);
	free(names);
}

int main(void)
{
	test_collected();
	test_collisions_and_dups();
	test_large();
	test_radix();
	return check_done("exports");
}
