/* Internal helpers shared by the core's files. Nothing here is public API: every
 * symbol is either static inline or carries the elfmod__ prefix. */
#ifndef ELFMOD_INTERNAL_H
#define ELFMOD_INTERNAL_H

#include "elfmod.h"

#include <stddef.h>
#include <stdint.h>

/* Freestanding toolchains provide these four; they are the only library calls the core makes. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* For the helpers of loops that run once per relocation: inlined into each loop when
 * optimising for speed; left to the compiler in a build for size (-Os), where the copies
 * would cost about 1.4 KiB of Cortex-M4 code. */
#ifdef __OPTIMIZE_SIZE__
#define ELFMOD__HOT_INLINE static inline
#else
#define ELFMOD__HOT_INLINE static inline __attribute__((always_inline))
#endif

/* The one range check: does [off, off+len) lie inside [0, size)? Overflow-safe. */
static inline int elfmod__in_range(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* a + b without wrapping; returns 0 when it would wrap. */
static inline int elfmod__add_ok(uint64_t a, uint64_t b, uint64_t *sum)
{
	*sum = a + b;
	return *sum >= a;
}

static inline int elfmod__is_pow2_or_zero(uint64_t v)
{
	return (v & (v - 1)) == 0;
}

/*
 * Table arithmetic without 64-bit multiply or divide: Xtensa lx106's libgcc has no
 * __muldi3, __udivdi3 or __umoddi3, so the core never lets the compiler need them.
 * Entry sizes are small (4..64), which keeps both loops short.
 */

/* idx * es, exact (two 32-bit factors cannot overflow 64 bits), by shifts and adds. */
static inline uint64_t elfmod__mul_entsize(uint32_t idx, uint32_t es)
{
#if UINTPTR_MAX > 0xffffffffu
	/* 64-bit hosts multiply natively; every table entry read goes through here. */
	return (uint64_t)idx * es;
#else
	uint64_t sum = 0, term = idx;

	/* Shifts by one only: variable 64-bit shifts are library calls on 32-bit targets. */
	for (; es; es >>= 1, term <<= 1)
		if (es & 1)
			sum += term;
	return sum;
#endif
}

/* Does entry idx of size es lie wholly inside a table of `size` bytes? (idx < size / es) */
static inline int elfmod__entry_in(uint32_t idx, uint32_t es, uint64_t size)
{
	return elfmod__in_range(elfmod__mul_entsize(idx, es), es, size);
}

/* n / d for 0 < d, remainder in *rem: shift and subtract, 64 steps. Not for hot paths. */
static inline uint64_t elfmod__div_entsize(uint64_t n, uint32_t d, uint32_t *rem)
{
#if UINTPTR_MAX > 0xffffffffu
	/* 64-bit hosts divide natively: every relocation table is counted once per pass. */
	*rem = (uint32_t)(n % d);
	return n / d;
#else
	uint64_t q = 0, r = 0;

	for (int bit = 0; bit < 64; bit++, n <<= 1) {
		r = r << 1 | n >> 63;
		q <<= 1;
		if (r >= d) {
			r -= d;
			q |= 1;
		}
	}
	*rem = (uint32_t)r;
	return q;
#endif
}

/* strcmp, which the core may not take from a C library. */
static inline int elfmod__strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

/* Sorts n elements of `size` bytes (size < 2^16) ascending by `less`; heapsort. */
void elfmod__sort(void *base, uint32_t n, size_t size,
		  int (*less)(const void *a, const void *b, const void *ctx), const void *ctx);

/* elfmod_exports_init with the index's hashes already filled in (`hashed`) and, when
 * `tmp` holds n entries and 256 32-bit counts, a radix sort through it instead of the
 * in-place heapsort. Same result and errors. */
int elfmod__exports_index(struct elfmod_exports *t, const struct elfmod_export *syms, uint32_t n,
			  struct elfmod_export_index *index, int hashed, void *tmp, uint64_t tmp_size,
			  uint32_t *dup);

/* Copies `name` (truncated) into the diagnostic's name, when there is a diagnostic. */
void elfmod__diag_name(struct elfmod_diag *d, const char *name);

/* Records a failure in the caller's diagnostic (when there is one) and returns err. */
int elfmod__fail(struct elfmod_diag *d, int err, uint8_t obj, uint32_t index, const char *field,
		 uint64_t value);

/*
 * A table (symbols or relocations) with its own header and its linked section's header
 * read once, for loops over many entries: the elfmod_elf_sym/rel/string accessors
 * re-read both on every call. Same checks, same errors.
 */
struct elfmod__table {
	uint32_t idx;
	struct elfmod_shdr sh, link;
	/* An addressable source holding the whole table: its bytes and entries, decoded in
	 * place without the per-entry range checks (NULL otherwise). `linked`: entries of
	 * the symbol table a relocation table links to. */
	const uint8_t *data;
	uint32_t count, linked;
};

int elfmod__symtab_open(const struct elfmod_elf *elf, uint32_t symtab, struct elfmod__table *t);
int elfmod__sym(const struct elfmod_elf *elf, const struct elfmod__table *t, uint32_t i,
		struct elfmod_sym *out);
int elfmod__reltab_open(const struct elfmod_elf *elf, uint32_t relsec, struct elfmod__table *t);
/* Entries of a SHT_REL/SHT_RELA table whose header the caller has read. */
uint32_t elfmod__rel_entries(const struct elfmod_elf *elf, const struct elfmod_shdr *rs);
/* The same from headers the caller has read already (`symtab`: its linked table's). */
int elfmod__reltab_known(const struct elfmod_elf *elf, uint32_t relsec, const struct elfmod_shdr *rs,
			 const struct elfmod_shdr *symtab, struct elfmod__table *t);
int elfmod__rel(const struct elfmod_elf *elf, const struct elfmod__table *t, uint32_t i,
		struct elfmod_rel *out);
/* String `off` of the string table `strtab` whose header is *sh. */
int elfmod__string(const struct elfmod_elf *elf, uint32_t strtab, const struct elfmod_shdr *sh,
		   uint64_t off, char *buf, size_t bufsz, const char **out);

/* Between the ET_REL (module.c) and ET_DYN (dynamic.c) loaders. */
struct arch_desc;
/* The import chain: loaded modules (*from set), the registry's host tables, resolve. */
int elfmod__lookup(const struct elfmod_load_opts *o, const char *name, uint64_t *addr,
		   struct elfmod_module **from);
void elfmod__call_array(const struct elfmod_module *m, uint64_t addr, uint64_t n, int backwards);
/* The host's halves of the C++ ABI offered to modules by name (__cxa_atexit, ...), or
 * 0. A shared object's __cxa_finalize gets a no-op: crtbeginS.o passes it the value of
 * __dso_handle, and elfmod_unload runs the destructors anyway. */
uint64_t elfmod__cxa_builtin(const char *name, int shared_object);
int elfmod__dyn_load(struct elfmod_module *m, struct elfmod_elf *elf, const struct elfmod_load_opts *o,
		     const struct arch_desc *arch, int foreign, struct elfmod_diag *diag);
int elfmod__dyn_find(const struct elfmod_module *m, const char *name, uint32_t hash, uint64_t *addr);
int elfmod__dyn_nearest(const struct elfmod_module *m, uint64_t addr, const char **name, uint64_t *at);
void elfmod__dyn_fini(struct elfmod_module *m);
int elfmod__exec_load(struct elfmod_module *m, struct elfmod_elf *elf, const struct elfmod_load_opts *o,
		      const struct arch_desc *arch, int foreign, struct elfmod_diag *diag);

/* The loader's read cache and integrity check (stream.c). open makes `view` the source
 * to load from: the caller's, or one through the cache (and the hash); finish completes
 * the digest and checks it and the signature (0 when there is nothing to check); close
 * frees what open allocated (NULL: nothing). */
struct elfmod__stream;
int elfmod__stream_open(struct elfmod__stream **st, struct elfmod_source *view, const struct elfmod_source *src,
			const struct elfmod_load_opts *o, struct elfmod_diag *diag);
int elfmod__stream_finish(const struct elfmod_elf *elf, struct elfmod_diag *diag);
/* A loader about to read contents at `off` that it reads in ascending file order, with
 * nothing it will still copy before `off`: the digest is brought up to `off` now, so
 * the contents pass through the hash as they are copied instead of being read again
 * at the end. Nothing when no digest is being taken or it is past `off` already. */
int elfmod__stream_skip(const struct elfmod_elf *elf, uint64_t off, struct elfmod_diag *diag);
void elfmod__stream_close(struct elfmod__stream *st, const struct elfmod_allocator *mem);

/* elfmod_reset's memory (reset.c): see there. Longest field a reset log keeps. */
#define ELFMOD__RESET_FIELD 10
int elfmod__reset_begin(struct elfmod_module *m, uint32_t nrange, uint64_t copy_bytes, struct elfmod_diag *diag);
/* The caller's source, once the load succeeded: a reset from another size is refused
 * (the whole file: with a signature, more than the ELF bytes the loaders saw). */
void elfmod__reset_loaded(struct elfmod_module *m, const struct elfmod_source *src);
void elfmod__reset_range(struct elfmod_module *m, uint32_t k, uint8_t *wr, uint64_t size, uint64_t file_off,
			 uint64_t file_len);
void elfmod__reset_exclude(struct elfmod_module *m, uint8_t *lo, uint8_t *hi);
int elfmod__reset_note(struct elfmod_module *m, const uint8_t *at, uint32_t len, struct elfmod_diag *diag);
void elfmod__reset_snapshot(struct elfmod_module *m);
/* RESET_SOURCE for images written by code other than one relocation loop: logs what
 * differs from the file, reading the ranges' file parts again. */
int elfmod__reset_diff(struct elfmod_module *m, const struct elfmod_source *src, struct elfmod_diag *diag);
void elfmod__reset_free(struct elfmod_module *m);
/* A module's destructors (atexit list, fini arrays) and init functions, both loaders. */
void elfmod__run_fini(struct elfmod_module *m);
void elfmod__run_init(const struct elfmod_module *m);
void elfmod__dyn_init(const struct elfmod_module *m);

/* Reads len bytes at off, after checking the range against the file size. */
int elfmod__src_read(const struct elfmod_source *src, uint64_t off, void *dst, size_t len);

/* Byte-order-explicit loads from a file buffer. */
static inline uint16_t elfmod__get16(const uint8_t *p, int be)
{
	return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static inline uint32_t elfmod__get32(const uint8_t *p, int be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline uint64_t elfmod__get64(const uint8_t *p, int be)
{
	uint64_t a = elfmod__get32(p, be), b = elfmod__get32(p + 4, be);
	return be ? a << 32 | b : b << 32 | a;
}

static inline void elfmod__put16(uint8_t *p, uint16_t v, int be)
{
	p[be ? 0 : 1] = (uint8_t)(v >> 8);
	p[be ? 1 : 0] = (uint8_t)v;
}

static inline void elfmod__put32(uint8_t *p, uint32_t v, int be)
{
	for (int i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static inline void elfmod__put64(uint8_t *p, uint64_t v, int be)
{
	for (int i = 0; i < 8; i++)
		p[be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
}

/* One Elf32_Rel(a)/Elf64_Rel(a) entry's fields, unchecked. */
ELFMOD__HOT_INLINE void elfmod__decode_rel(const uint8_t *b, uint8_t cls, int be, int rela, struct elfmod_rel *out)
{
	uint64_t info;

	if (cls == 64) {
		out->offset = elfmod__get64(b, be);
		info = elfmod__get64(b + 8, be);
		out->sym = (uint32_t)(info >> 32);
		out->type = (uint32_t)info;
		out->addend = rela ? (int64_t)elfmod__get64(b + 16, be) : 0;
	} else {
		out->offset = elfmod__get32(b, be);
		info = elfmod__get32(b + 4, be);
		out->sym = (uint32_t)(info >> 8);
		out->type = (uint32_t)(info & 0xff);
		out->addend = rela ? (int32_t)elfmod__get32(b + 8, be) : 0;
	}
}

/* elfmod__rel's common case, for loops that call it per entry: entry i of a table in
 * an addressable source (see elfmod__table.data) whose symbol index is in range. 1 when
 * *out is decoded; 0 when elfmod__rel must read it (and report what is wrong). */
ELFMOD__HOT_INLINE int elfmod__rel_in_place(const struct elfmod_elf *elf, const struct elfmod__table *t, uint32_t i,
					    struct elfmod_rel *out)
{
	int rela = t->sh.type == ELFMOD_SHT_RELA;
	uint32_t es = elf->cls == 64 ? (rela ? 24 : 16) : (rela ? 12 : 8);

	if (!t->data || i >= t->count)
		return 0;
	elfmod__decode_rel(t->data + (size_t)i * es, elf->cls, elf->big_endian, rela, out);
	return out->sym < t->linked || out->sym == 0;
}

#endif
