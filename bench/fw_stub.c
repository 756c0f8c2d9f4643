/* The smallest firmware that loads relocatable modules with elfmod: a host export table,
 * a static arena, load, look a symbol up, call it, unload. core_size.sh links it with the
 * core for Cortex-M4 at -Os with --gc-sections, so what is measured is the part of the
 * core such a firmware really carries. The mem* functions stand in for the C library's
 * and are not counted. */
#include "elfmod.h"

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int fw_entry(const void *file, uint32_t size);
int fw_service(int x);

void *memcpy(void *d, const void *s, size_t n)
{
	return memmove(d, s, n);
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	if (p < q)
		while (n--)
			*p++ = *q++;
	else
		while (n--)
			p[n] = q[n];
	return d;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

int fw_service(int x)
{
	return x + 1;
}

static const struct elfmod_export fw_syms[] = { { "fw_service", (const void *)fw_service } };
static struct elfmod_export_index fw_index[1];
static struct elfmod_exports fw_exports;
static struct elfmod_registry fw_reg;
static uint8_t fw_ram[16384] __attribute__((aligned(8)));
static struct elfmod_arena fw_arena;
static struct elfmod_arena_set fw_set;
static struct elfmod_allocator fw_mem;
static struct elfmod_module fw_mod;

int fw_entry(const void *file, uint32_t size)
{
	struct elfmod_source src = { file, size, 0, 0, 0 };
	struct elfmod_load_opts o = { 0 };
	int (*f)(void);
	int rc;

	elfmod_registry_init(&fw_reg);
	elfmod_exports_init(&fw_exports, fw_syms, 1, fw_index, 0);
	elfmod_registry_add_exports(&fw_reg, &fw_exports);
	elfmod_arena_init(&fw_arena, fw_ram, (uintptr_t)fw_ram, sizeof(fw_ram));
	for (int k = 0; k < 4; k++)
		fw_set.by_kind[k] = &fw_arena;
	fw_set.sync_icache = elfmod_cache_sync;
	elfmod_arena_allocator(&fw_mem, &fw_set);
	o.mem = &fw_mem;
	o.reg = &fw_reg;
	rc = elfmod_load(&fw_mod, &src, &o, 0);
	if (rc)
		return rc;
	*(void **)&f = elfmod_sym(&fw_mod, "main");
	rc = f ? f() : -1;
	elfmod_unload(&fw_mod);
	return rc;
}
