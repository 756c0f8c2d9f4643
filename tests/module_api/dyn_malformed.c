/*
 * Malformed shared objects (ET_DYN): valid host x86-64 libraries built from mods/dso_*.c
 * with one field broken at a time - a program header, a dynamic entry, or a table the
 * dynamic section names (hash tables, relocations, DT_RELR words, symbols) - each
 * expecting its exact error code and the diagnostic's field. Every case loads from a
 * buffer and from a read callback (they must agree), and must leave nothing allocated,
 * the registry and the dependency's reference count unchanged, and no initialiser run.
 *
 * The image goes into a guarded allocator: PROT_NONE pages on both sides and a canary
 * in the slack after the image, so a stray access beyond it faults (or is seen at free)
 * even without ASan, which does not watch mmap'd memory.
 */
#define _GNU_SOURCE
#include "elfmod.h"
#include "check.h"
#include "files.h"
#include "memsrc.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- host side: what the libraries import ---- */

static int norder;
void record(int what);
void record(int what)
{
	(void)what;
	norder++;
}

int host_twice(int x);
int host_twice(int x)
{
	return 2 * x;
}

static const struct elfmod_export host_syms[] = {
	{ "record", (const void *)&record },
	{ "host_twice", (const void *)&host_twice },
};
static struct elfmod_export_index host_index[2];
static struct elfmod_exports host;
static struct elfmod_registry reg;

/* ---- the guarded allocator ---- */

#define CANARY 0xA5
static long live, canary_hits;
static size_t pg;

struct guard {
	uint8_t *map;
	size_t maplen;
};

static int g_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	size_t body, len;
	uint8_t *map, *p;
	struct guard *g;

	(void)ctx, (void)near;
	if (size == 0 || size > (1u << 26) || align > pg)
		return ELFMOD_ENOMEM;
	body = (size_t)((size + pg - 1) & ~(uint64_t)(pg - 1));
	len = body + 3 * pg; /* guard, bookkeeping, body, guard */
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return ELFMOD_ENOMEM;
	mprotect(map, pg, PROT_NONE);
	mprotect(map + len - pg, pg, PROT_NONE);
	g = (struct guard *)(void *)(map + pg);
	g->map = map;
	g->maplen = len;
	p = map + 2 * pg;
	memset(p + size, CANARY, body - (size_t)size);
	r->addr = (uint64_t)(uintptr_t)p;
	r->wr = p;
	r->size = size;
	live++;
	return 0;
}

static void g_free(void *ctx, struct elfmod_region *r)
{
	uint8_t *p = r->wr;
	struct guard *g = (struct guard *)(void *)(p - pg);
	size_t body = (size_t)((r->size + pg - 1) & ~(uint64_t)(pg - 1));

	(void)ctx;
	/* The slack is readable again for the check, whatever protect() made of it. */
	mprotect(p, body, PROT_READ | PROT_WRITE);
	for (size_t i = (size_t)r->size; i < body; i++)
		if (p[i] != CANARY) {
			canary_hits++;
			break;
		}
	munmap(g->map, g->maplen);
	live--;
}

static int g_protect(void *ctx, struct elfmod_region *r, unsigned perm)
{
	uintptr_t a = (uintptr_t)r->addr & ~(uintptr_t)(pg - 1);
	size_t len = (size_t)((uintptr_t)r->addr + r->size - a);
	int prot = (perm & ELFMOD_PERM_R ? PROT_READ : 0) | (perm & ELFMOD_PERM_W ? PROT_WRITE : 0) |
		   (perm & ELFMOD_PERM_X ? PROT_EXEC : 0);

	(void)ctx;
	return mprotect((void *)a, len, prot) ? ELFMOD_EPERM : 0;
}

static void g_sync(void *ctx, uint64_t addr, uint64_t len)
{
	(void)ctx;
	__builtin___clear_cache((char *)(uintptr_t)addr, (char *)(uintptr_t)(addr + len));
}

static struct elfmod_allocator mem = {
	.alloc = g_alloc, .free = g_free, .protect = g_protect, .sync_icache = g_sync,
};

/* ---- reading the files (files.h) and finding what to break in them ---- */

static Elf64_Phdr *phdr(const struct test_file *f, uint32_t type, int nth)
{
	const Elf64_Ehdr *e = (const Elf64_Ehdr *)(void *)f->data;

	for (int i = 0; i < e->e_phnum; i++) {
		Elf64_Phdr *p = (Elf64_Phdr *)(void *)(f->data + e->e_phoff + (size_t)i * e->e_phentsize);
		if (p->p_type == type && nth-- == 0)
			return p;
	}
	return NULL;
}

/* The file bytes behind link address `v` (every case's target is in some PT_LOAD). */
static uint8_t *at_vaddr(const struct test_file *f, uint64_t v)
{
	Elf64_Phdr *p;

	for (int i = 0; (p = phdr(f, PT_LOAD, i)); i++)
		if (v >= p->p_vaddr && v < p->p_vaddr + p->p_filesz)
			return f->data + p->p_offset + (v - p->p_vaddr);
	fprintf(stderr, "dyn_malformed: address 0x%llx is in no segment\n", (unsigned long long)v);
	exit(2);
}

static uint64_t image_end(const struct test_file *f)
{
	uint64_t end = 0;
	Elf64_Phdr *p;

	for (int i = 0; (p = phdr(f, PT_LOAD, i)); i++)
		if (p->p_vaddr + p->p_memsz > end)
			end = p->p_vaddr + p->p_memsz;
	return end;
}

/* The nth dynamic entry with `tag`, in the file. */
static Elf64_Dyn *dyn(const struct test_file *f, int64_t tag, int nth)
{
	Elf64_Phdr *p = phdr(f, PT_DYNAMIC, 0);
	Elf64_Dyn *e = (Elf64_Dyn *)(void *)(f->data + p->p_offset);

	for (; e->d_tag != DT_NULL; e++)
		if (e->d_tag == tag && nth-- == 0)
			return e;
	fprintf(stderr, "dyn_malformed: no dynamic tag 0x%llx\n", (unsigned long long)tag);
	exit(2);
}

static uint64_t dval(const struct test_file *f, int64_t tag)
{
	return dyn(f, tag, 0)->d_un.d_val;
}

static uint32_t nsyms(const struct test_file *f)
{
	uint32_t n;
	memcpy(&n, at_vaddr(f, dval(f, DT_HASH)) + 4, 4);
	return n;
}

/* Index of the first entry of relocation table `tag` with relocation type `type`. */
static uint32_t rel_with_type(const struct test_file *f, int64_t tag, int64_t sztag, uint32_t type)
{
	Elf64_Rela *r = (Elf64_Rela *)(void *)at_vaddr(f, dval(f, tag));
	uint32_t n = (uint32_t)(dval(f, sztag) / sizeof(*r));

	for (uint32_t i = 0; i < n; i++)
		if (ELF64_R_TYPE(r[i].r_info) == type)
			return i;
	fprintf(stderr, "dyn_malformed: no relocation of type %u\n", type);
	exit(2);
}

static Elf64_Rela *rela(const struct test_file *f, int64_t tag, uint32_t i)
{
	return (Elf64_Rela *)(void *)at_vaddr(f, dval(f, tag)) + i;
}

/* The dynamic symbol named `name`, in the file. */
static Elf64_Sym *dynsym(const struct test_file *f, const char *name)
{
	Elf64_Sym *s = (Elf64_Sym *)(void *)at_vaddr(f, dval(f, DT_SYMTAB));
	const char *str = (const char *)at_vaddr(f, dval(f, DT_STRTAB));

	for (uint32_t i = 1; i < nsyms(f); i++)
		if (!strcmp(str + s[i].st_name, name))
			return s + i;
	fprintf(stderr, "dyn_malformed: no dynamic symbol %s\n", name);
	exit(2);
}

/* ---- the mangles ---- */

enum which { BASE, RELR, USER, NFILES };

struct mangle {
	const char *name;
	enum which file;
	void (*apply)(struct test_file *f);
	int err;
	const char *field; /* expected in diag.field (a substring) */
	uint32_t index2;   /* for relocation entries: the DT_ tag of their table, else 0 */
};

#define RW_LOAD(f) phdr(f, PT_LOAD, 3)

static void ph_offset_past_end(struct test_file *f) { RW_LOAD(f)->p_offset = f->size - RW_LOAD(f)->p_filesz + 1; }
static void ph_offset_wraps(struct test_file *f) { RW_LOAD(f)->p_offset = UINT64_MAX - 8; }
static void ph_filesz_over_memsz(struct test_file *f) { RW_LOAD(f)->p_filesz = RW_LOAD(f)->p_memsz + 1; }
static void ph_filesz_past_end(struct test_file *f)
{
	RW_LOAD(f)->p_filesz = RW_LOAD(f)->p_memsz = f->size - RW_LOAD(f)->p_offset + 1;
}
static void ph_vaddr_wraps(struct test_file *f) { RW_LOAD(f)->p_vaddr = UINT64_MAX - 0x100; }
/* The writable segment moved down onto the read-only ones: the image now ends before
 * the dynamic section's address. */
static void ph_vaddr_drops_dynamic(struct test_file *f) { RW_LOAD(f)->p_vaddr = 0x2000; }
static void ph_align_not_pow2(struct test_file *f) { RW_LOAD(f)->p_align = 0x1800; }
static void ph_writable_code(struct test_file *f) { phdr(f, PT_LOAD, 1)->p_flags |= PF_W; }
static void ph_no_load(struct test_file *f)
{
	Elf64_Phdr *p;
	while ((p = phdr(f, PT_LOAD, 0)))
		p->p_type = PT_NULL;
}
static void ph_dynamic_outside(struct test_file *f) { phdr(f, PT_DYNAMIC, 0)->p_vaddr = image_end(f); }
static void ph_dynamic_too_long(struct test_file *f)
{
	Elf64_Phdr *p = phdr(f, PT_DYNAMIC, 0);
	p->p_memsz = image_end(f) - p->p_vaddr + 16;
}
static void ph_relro_outside(struct test_file *f) { phdr(f, PT_GNU_RELRO, 0)->p_memsz = 0x100000; }

static void dt_strsz_past_end(struct test_file *f)
{
	dyn(f, DT_STRSZ, 0)->d_un.d_val = image_end(f) - dval(f, DT_STRTAB) + 1;
}
static void dt_strtab_outside(struct test_file *f) { dyn(f, DT_STRTAB, 0)->d_un.d_val = image_end(f); }
static void dt_strtab_gone(struct test_file *f) { dyn(f, DT_STRTAB, 0)->d_tag = DT_DEBUG; }
static void dt_syment(struct test_file *f) { dyn(f, DT_SYMENT, 0)->d_un.d_val = 16; }
static void dt_symtab_outside(struct test_file *f) { dyn(f, DT_SYMTAB, 0)->d_un.d_val = image_end(f) - 8; }
static void dt_hash_outside(struct test_file *f) { dyn(f, DT_HASH, 0)->d_un.d_val = image_end(f) - 4; }
static void hash_nchain_huge(struct test_file *f) { memset(at_vaddr(f, dval(f, DT_HASH)) + 4, 0xff, 4); }
static void hash_nbucket_zero(struct test_file *f) { memset(at_vaddr(f, dval(f, DT_HASH)), 0, 4); }
/* Enough symbols to run the symbol table out of the image (the hash tables fit). */
static void hash_nchain_past_symtab(struct test_file *f)
{
	uint32_t n = (uint32_t)((image_end(f) - dval(f, DT_SYMTAB)) / 24 + 1);
	uint8_t *h = at_vaddr(f, dval(f, DT_HASH));
	uint32_t nb;
	memcpy(&nb, h, 4);
	if (dval(f, DT_HASH) + 8 + 4ull * nb + 4ull * n <= image_end(f))
		memcpy(h + 4, &n, 4);
}
static void dt_gnu_hash_outside(struct test_file *f) { dyn(f, DT_GNU_HASH, 0)->d_un.d_val = image_end(f) - 8; }
static void gnu_nbuckets_huge(struct test_file *f) { memset(at_vaddr(f, dval(f, DT_GNU_HASH)), 0x7f, 4); }
static void gnu_nbuckets_zero(struct test_file *f) { memset(at_vaddr(f, dval(f, DT_GNU_HASH)), 0, 4); }
/* A bucket starting a chain far past the table. */
static void gnu_bucket_far(struct test_file *f)
{
	uint8_t *g = at_vaddr(f, dval(f, DT_GNU_HASH));
	uint32_t nbloom, far = 0x40000000;
	memcpy(&nbloom, g + 8, 4);
	memcpy(g + 16 + 8 * nbloom, &far, 4);
}
static void dt_soname_outside(struct test_file *f) { dyn(f, DT_SONAME, 0)->d_un.d_val = dval(f, DT_STRSZ); }
static void dt_needed_outside(struct test_file *f) { dyn(f, DT_NEEDED, 0)->d_un.d_val = dval(f, DT_STRSZ) + 100; }
static void dt_init_outside(struct test_file *f) { dyn(f, DT_INIT, 0)->d_un.d_val = image_end(f); }
static void dt_fini_outside(struct test_file *f) { dyn(f, DT_FINI, 0)->d_un.d_val = image_end(f); }
static void dt_init_array_outside(struct test_file *f) { dyn(f, DT_INIT_ARRAY, 0)->d_un.d_val = image_end(f) - 4; }
static void dt_init_arraysz_odd(struct test_file *f) { dyn(f, DT_INIT_ARRAYSZ, 0)->d_un.d_val = 12; }
static void dt_fini_array_outside(struct test_file *f) { dyn(f, DT_FINI_ARRAY, 0)->d_un.d_val = image_end(f); }

static void dt_relasz_odd(struct test_file *f) { dyn(f, DT_RELASZ, 0)->d_un.d_val -= 1; }
static void dt_relasz_past_end(struct test_file *f)
{
	dyn(f, DT_RELASZ, 0)->d_un.d_val = (image_end(f) - dval(f, DT_RELA)) / 24 * 24 + 24;
}
static void dt_rela_outside(struct test_file *f) { dyn(f, DT_RELA, 0)->d_un.d_val = image_end(f); }
static void dt_relaent(struct test_file *f) { dyn(f, DT_RELAENT, 0)->d_un.d_val = 16; }
static void dt_pltrel(struct test_file *f) { dyn(f, DT_PLTREL, 0)->d_un.d_val = DT_SYMTAB; }
static void dt_pltrelsz_odd(struct test_file *f) { dyn(f, DT_PLTRELSZ, 0)->d_un.d_val += 8; }
static void rela_relative_offset_outside(struct test_file *f)
{
	rela(f, DT_RELA, rel_with_type(f, DT_RELA, DT_RELASZ, R_X86_64_RELATIVE))->r_offset = image_end(f) - 4;
}
static void rela_globdat_offset_outside(struct test_file *f)
{
	rela(f, DT_RELA, rel_with_type(f, DT_RELA, DT_RELASZ, R_X86_64_GLOB_DAT))->r_offset = image_end(f);
}
static void jmprel_offset_below(struct test_file *f)
{
	rela(f, DT_JMPREL, 0)->r_offset = (uint64_t)-8;
}
static void set_sym(Elf64_Rela *r, uint32_t sym) { r->r_info = ELF64_R_INFO(sym, ELF64_R_TYPE(r->r_info)); }
static void rela_sym_past_count(struct test_file *f)
{
	set_sym(rela(f, DT_RELA, rel_with_type(f, DT_RELA, DT_RELASZ, R_X86_64_GLOB_DAT)), nsyms(f));
}
static void jmprel_sym_huge(struct test_file *f)
{
	set_sym(rela(f, DT_JMPREL, 0), 0xffffffffu);
}
static void rela_type_unknown(struct test_file *f)
{
	Elf64_Rela *r = rela(f, DT_RELA, 0);
	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), 200);
}
static void rela_type_copy(struct test_file *f)
{
	Elf64_Rela *r = rela(f, DT_RELA, rel_with_type(f, DT_RELA, DT_RELASZ, R_X86_64_GLOB_DAT));
	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), R_X86_64_COPY);
}
static void sym_name_outside(struct test_file *f) { dynsym(f, "host_twice")->st_name = (uint32_t)dval(f, DT_STRSZ); }
static void sym_name_unterminated(struct test_file *f)
{
	Elf64_Sym *s = dynsym(f, "host_twice");
	uint8_t *str = at_vaddr(f, dval(f, DT_STRTAB));
	uint64_t n = dval(f, DT_STRSZ);
	/* The string table's tail made one unterminated name. */
	memset(str + n - 4, 'x', 4);
	s->st_name = (uint32_t)(n - 4);
}

/* Without section headers (nothing checks .dynstr at open), so the loader's own check
 * of names read from the image is what catches it. */
static void sym_name_unterminated_noshdr(struct test_file *f)
{
	Elf64_Ehdr *e = (Elf64_Ehdr *)(void *)f->data;
	/* The soname is the table's last string: it takes another name first. */
	dyn(f, DT_SONAME, 0)->d_un.d_val = dynsym(f, "record")->st_name;
	sym_name_unterminated(f);
	e->e_shoff = 0;
	e->e_shnum = 0;
	e->e_shstrndx = 0;
}

static void dt_relr_outside(struct test_file *f) { dyn(f, DT_RELR, 0)->d_un.d_val = image_end(f); }
static void dt_relrsz_odd(struct test_file *f) { dyn(f, DT_RELRSZ, 0)->d_un.d_val -= 4; }
static void dt_relrent(struct test_file *f) { dyn(f, DT_RELRENT, 0)->d_un.d_val = 4; }
static void dt_relrsz_gone(struct test_file *f) { dyn(f, DT_RELRSZ, 0)->d_tag = DT_DEBUG; }
static void relr_address_outside(struct test_file *f)
{
	uint64_t v = image_end(f);
	memcpy(at_vaddr(f, dval(f, DT_RELR)), &v, 8);
}
/* The table rewritten: the image's last word, then a bitmap marking the 63 words after
 * it, then empty bitmaps. */
static void relr_bitmap_past_end(struct test_file *f)
{
	uint64_t *w = (uint64_t *)(void *)at_vaddr(f, dval(f, DT_RELR));
	uint64_t n = dval(f, DT_RELRSZ) / 8;
	w[0] = image_end(f) - 8;
	w[1] = UINT64_MAX;
	for (uint64_t i = 2; i < n; i++)
		w[i] = 1;
}

static const struct mangle mangles[] = {
	/* Program headers (the generic segment checks of elfmod_elf_open come first). */
	{ "PT_LOAD p_offset past the file", BASE, ph_offset_past_end, ELFMOD_ETRUNC, "p_offset", 0 },
	{ "PT_LOAD p_offset + p_filesz wraps", BASE, ph_offset_wraps, ELFMOD_EOVERFLOW, "p_filesz", 0 },
	{ "PT_LOAD p_filesz > p_memsz", BASE, ph_filesz_over_memsz, ELFMOD_ESEGMENT, "p_filesz", 0 },
	{ "PT_LOAD p_filesz past the file", BASE, ph_filesz_past_end, ELFMOD_ETRUNC, "p_offset", 0 },
	{ "PT_LOAD p_vaddr + p_memsz wraps", BASE, ph_vaddr_wraps, ELFMOD_EOVERFLOW, "p_vaddr", 0 },
	{ "PT_LOAD p_vaddr moved: PT_DYNAMIC past the image", BASE, ph_vaddr_drops_dynamic, ELFMOD_ERANGE,
	  "PT_DYNAMIC", 0 },
	{ "PT_LOAD p_align not a power of two", BASE, ph_align_not_pow2, ELFMOD_EALIGN, "p_align", 0 },
	{ "PT_LOAD writable code", BASE, ph_writable_code, ELFMOD_EPERM, "writable and executable", 0 },
	{ "no PT_LOAD", BASE, ph_no_load, ELFMOD_ENOLOAD, "PT_LOAD", 0 },
	{ "PT_DYNAMIC outside the image", BASE, ph_dynamic_outside, ELFMOD_ERANGE, "PT_DYNAMIC", 0 },
	{ "PT_DYNAMIC runs past the image", BASE, ph_dynamic_too_long, ELFMOD_ERANGE, "PT_DYNAMIC", 0 },
	{ "PT_GNU_RELRO past the image", BASE, ph_relro_outside, ELFMOD_ERANGE, "PT_GNU_RELRO", 0 },
	/* Strings and symbols. */
	{ "DT_STRSZ one past the image", BASE, dt_strsz_past_end, ELFMOD_ERANGE, "DT_STRTAB/DT_STRSZ", 0 },
	{ "DT_STRTAB outside the image", BASE, dt_strtab_outside, ELFMOD_ERANGE, "DT_STRTAB/DT_STRSZ", 0 },
	{ "DT_SYMTAB without DT_STRTAB", BASE, dt_strtab_gone, ELFMOD_ELINK, "DT_SYMTAB", 0 },
	{ "DT_SYMENT 16", BASE, dt_syment, ELFMOD_EENTSIZE, "DT_SYMENT", 0 },
	{ "DT_SYMTAB outside the image", BASE, dt_symtab_outside, ELFMOD_ERANGE, "DT_SYMTAB", 0 },
	{ "DT_HASH outside the image", BASE, dt_hash_outside, ELFMOD_ERANGE, "DT_HASH", 0 },
	{ "DT_HASH nchain huge", BASE, hash_nchain_huge, ELFMOD_ERANGE, "DT_HASH tables", 0 },
	{ "DT_HASH nbucket 0", BASE, hash_nbucket_zero, ELFMOD_ERANGE, "DT_HASH tables", 0 },
	{ "DT_HASH nchain past the symbol table", BASE, hash_nchain_past_symtab, ELFMOD_ERANGE,
	  "dynamic symbol count", 0 },
	{ "DT_GNU_HASH outside the image", BASE, dt_gnu_hash_outside, ELFMOD_ERANGE, "DT_GNU_HASH", 0 },
	{ "DT_GNU_HASH nbuckets huge", BASE, gnu_nbuckets_huge, ELFMOD_ERANGE, "DT_GNU_HASH buckets", 0 },
	{ "DT_GNU_HASH nbuckets 0", BASE, gnu_nbuckets_zero, ELFMOD_ERANGE, "DT_GNU_HASH buckets", 0 },
	{ "DT_GNU_HASH bucket past the chains", BASE, gnu_bucket_far, ELFMOD_ERANGE, "DT_GNU_HASH chain", 0 },
	{ "DT_SONAME past DT_STRSZ", BASE, dt_soname_outside, ELFMOD_ESTRING, "DT_SONAME", 0 },
	{ "st_name past DT_STRSZ", BASE, sym_name_outside, ELFMOD_ESTRING, "st_name", 0 },
	{ "st_name unterminated (.dynstr seen at open)", BASE, sym_name_unterminated, ELFMOD_ESTRING,
	  "string table end", 0 },
	{ "st_name unterminated, no section headers", BASE, sym_name_unterminated_noshdr, ELFMOD_ESTRING,
	  "st_name", 0 },
	/* Initialisers. */
	{ "DT_INIT outside the image", BASE, dt_init_outside, ELFMOD_ERANGE, "DT_INIT", 0 },
	{ "DT_FINI outside the image", BASE, dt_fini_outside, ELFMOD_ERANGE, "DT_FINI", 0 },
	{ "DT_INIT_ARRAY runs past the image", BASE, dt_init_array_outside, ELFMOD_ERANGE, "DT_INIT_ARRAY", 0 },
	{ "DT_INIT_ARRAYSZ not whole words", BASE, dt_init_arraysz_odd, ELFMOD_ERANGE, "DT_INIT_ARRAY", 0 },
	{ "DT_FINI_ARRAY outside the image", BASE, dt_fini_array_outside, ELFMOD_ERANGE, "DT_FINI_ARRAY", 0 },
	/* Relocation tables and entries. */
	{ "DT_RELASZ not a multiple of 24", BASE, dt_relasz_odd, ELFMOD_ERANGE, "DT_RELA/DT_RELASZ", 0 },
	{ "DT_RELASZ past the image", BASE, dt_relasz_past_end, ELFMOD_ERANGE, "DT_RELA/DT_RELASZ", 0 },
	{ "DT_RELA outside the image", BASE, dt_rela_outside, ELFMOD_ERANGE, "DT_RELA/DT_RELASZ", 0 },
	{ "DT_RELAENT 16", BASE, dt_relaent, ELFMOD_EENTSIZE, "DT_RELASZ/DT_RELAENT", 0 },
	{ "DT_PLTREL neither DT_REL nor DT_RELA", BASE, dt_pltrel, ELFMOD_EINVAL, "DT_PLTREL", 0 },
	{ "DT_PLTRELSZ not a multiple of 24", BASE, dt_pltrelsz_odd, ELFMOD_ERANGE, "DT_JMPREL/DT_PLTRELSZ", 0 },
	{ "RELATIVE r_offset straddles the end", BASE, rela_relative_offset_outside, ELFMOD_ERANGE,
	  "r_offset", DT_RELA },
	{ "GLOB_DAT r_offset past the image", BASE, rela_globdat_offset_outside, ELFMOD_ERANGE, "r_offset",
	  DT_RELA },
	{ "JUMP_SLOT r_offset below the image", BASE, jmprel_offset_below, ELFMOD_ERANGE, "r_offset",
	  DT_JMPREL },
	{ "GLOB_DAT symbol index = symbol count", BASE, rela_sym_past_count, ELFMOD_EINDEX, "symbol index", 0 },
	{ "JUMP_SLOT symbol index 0xffffffff", BASE, jmprel_sym_huge, ELFMOD_EINDEX, "symbol index", 0 },
	{ "relocation type 200", BASE, rela_type_unknown, ELFMOD_ERELTYPE, "r_type", DT_RELA },
	{ "COPY relocation", BASE, rela_type_copy, ELFMOD_ERELTYPE, "copy relocation", DT_RELA },
	/* DT_RELR. */
	{ "DT_RELR outside the image", RELR, dt_relr_outside, ELFMOD_ERANGE, "DT_RELR/DT_RELRSZ", 0 },
	{ "DT_RELRSZ not whole words", RELR, dt_relrsz_odd, ELFMOD_ERANGE, "DT_RELR/DT_RELRSZ", 0 },
	{ "DT_RELRENT 4", RELR, dt_relrent, ELFMOD_EENTSIZE, "DT_RELRSZ/DT_RELRENT", 0 },
	{ "DT_RELR without DT_RELRSZ", RELR, dt_relrsz_gone, ELFMOD_EENTSIZE, "DT_RELRSZ/DT_RELRENT", 0 },
	{ "DT_RELR address outside the image", RELR, relr_address_outside, ELFMOD_ERANGE, "DT_RELR address",
	  0 },
	{ "DT_RELR bitmap past the image", RELR, relr_bitmap_past_end, ELFMOD_ERANGE, "DT_RELR bitmap", 0 },
	/* Dependencies. */
	{ "DT_NEEDED past DT_STRSZ", USER, dt_needed_outside, ELFMOD_ESTRING, "DT_NEEDED", 0 },
};
#define NMANGLES (sizeof(mangles) / sizeof(mangles[0]))

/* ---- running a case ---- */

/* Loads `f` from a buffer (cb 0) or a read callback (cb 1). */
static int load(struct elfmod_module *m, const struct test_file *f, const char *name, int cb,
		struct elfmod_diag *d)
{
	struct elfmod_source s = { f->data, f->size, NULL, NULL, NULL };
	struct elfmod_load_opts o = { 0 };
	struct memsrc ms;
	int rc;

	if (cb)
		memsrc_init(&ms, &s, f->data, f->size);
	o.name = name;
	o.mem = &mem;
	o.reg = &reg;
	rc = elfmod_load(m, &s, &o, d);
	/* Hostile or not, the file's bounds are the loader's to keep: never asked past them. */
	if (cb)
		CHECKF(ms.bad == 0, "%s: %lu reads outside the file", name, ms.bad);
	return rc;
}

int main(int argc, char **argv)
{
	static const char *const names[NFILES] = { "dso_base", "dso_relr", "dso_user" };
	struct test_file orig[NFILES];
	struct elfmod_module dep, m;
	struct elfmod_diag d;
	unsigned ran = 0;
	long base_live;

	if (argc != 4) {
		fprintf(stderr, "usage: dyn_malformed dso_base.so dso_relr.so dso_user.so\n");
		return 2;
	}
	pg = (size_t)sysconf(_SC_PAGESIZE);
	mem.page_size = (uint32_t)pg;
	for (int i = 0; i < NFILES; i++)
		orig[i] = test_file_load(argv[1 + i]);
	elfmod_registry_init(&reg);
	CHECK_RC(elfmod_exports_init(&host, host_syms, 2, host_index, NULL), 0);
	CHECK_RC(elfmod_registry_add_exports(&reg, &host), 0);

	/* What the mangles need is there, and the unmangled files load. */
	CHECK(dval(&orig[RELR], DT_RELR) != 0 && phdr(&orig[RELR], PT_LOAD, 3) != NULL);
	CHECK(dyn(&orig[USER], DT_NEEDED, 0) != NULL);
	for (int i = 0; i < NFILES; i++) {
		check_ctx = names[i];
		if (i == USER)
			CHECK_RC(load(&dep, &orig[BASE], "dep", 0, &d), 0);
		for (int cb = 0; cb < 2; cb++) {
			norder = 0;
			CHECK_RC(load(&m, &orig[i], names[i], cb, &d), 0);
			CHECK(i == USER || norder == 2);
			CHECK_RC(elfmod_unload(&m), 0);
		}
		if (i == USER)
			CHECK_RC(elfmod_unload(&dep), 0);
		CHECK(live == 0 && canary_hits == 0);
	}

	for (unsigned k = 0; k < NMANGLES; k++) {
		const struct mangle *t = &mangles[k];
		struct test_file f = { malloc(orig[t->file].size), orig[t->file].size };
		int rc[2];

		check_ctx = t->name;
		memcpy(f.data, orig[t->file].data, f.size);
		t->apply(&f);
		CHECK(memcmp(f.data, orig[t->file].data, f.size) != 0); /* the mangle changed something */
		if (t->file == USER)
			CHECK_RC(load(&dep, &orig[BASE], "dep", 0, &d), 0);
		base_live = live;
		for (int cb = 0; cb < 2; cb++) {
			norder = 0;
			memset(&d, 0, sizeof(d));
			rc[cb] = load(&m, &f, names[t->file], cb, &d);
			CHECK_RC(rc[cb], t->err);
			CHECK(d.err == rc[cb]);
			if (!d.field || !strstr(d.field, t->field)) {
				check_failed++;
				fprintf(stderr, "[%s] diag field \"%s\", want \"%s\"\n", t->name,
					d.field ? d.field : "(null)", t->field);
			}
			if (t->index2)
				CHECK(d.obj == ELFMOD_OBJ_DYN && d.index2 == t->index2);
			CHECK(norder == 0);
			CHECK(reg.modules == (t->file == USER ? &dep : NULL));
			CHECK(live == base_live);
			if (rc[cb] == 0)
				elfmod_unload(&m);
		}
		CHECK_EQ(rc[0], rc[1]);
		if (t->file == USER) {
			CHECK(dep.refs == 0);
			CHECK_RC(elfmod_unload(&dep), 0);
		}
		CHECK(live == 0 && canary_hits == 0);
		free(f.data);
		ran++;
	}
	check_ctx = "";
	printf("%u mangles\n", ran);
	for (int i = 0; i < NFILES; i++)
		free(orig[i].data);
	return check_done("dyn malformed");
}
