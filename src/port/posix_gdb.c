/* POSIX port: loaded modules made visible to GDB through its JIT interface (GDB manual,
 * "JIT Compilation Interface"). GDB breaks on __jit_debug_register_code and reads
 * __jit_debug_descriptor: those two names and the layout of the descriptor and its
 * entries are GDB's protocol, hence not elfmod_ names; they are the only globals here.
 *
 * Each entry points at an ELF file in this process's memory, which GDB reads as a symbol
 * file whose section addresses are absolute: a private mapping of the module's file (a
 * copy for a source without one) whose headers - and, for a moved image, symbols - are
 * patched to where elfmod put things. Hosted only. */
#define _GNU_SOURCE
#include "elfmod.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct jit_code_entry {
	struct jit_code_entry *next_entry;
	struct jit_code_entry *prev_entry;
	const char *symfile_addr;
	uint64_t symfile_size;
};

struct jit_descriptor {
	uint32_t version;
	uint32_t action_flag;  /* what the call to __jit_debug_register_code announces */
	struct jit_code_entry *relevant_entry;
	struct jit_code_entry *first_entry;
};

enum { JIT_NOACTION = 0, JIT_REGISTER_FN = 1, JIT_UNREGISTER_FN = 2 };

/* Declared here only: they are not part of elfmod's API, but must have external
 * linkage for GDB to find them in the executable's symbol table. */
void __jit_debug_register_code(void);
extern struct jit_descriptor __jit_debug_descriptor;

/* GDB keeps a breakpoint here; the empty asm keeps every call from being optimised
 * away or merged. */
__attribute__((noinline, used)) void __jit_debug_register_code(void)
{
	__asm__ volatile("" ::: "memory");
}

__attribute__((used)) struct jit_descriptor __jit_debug_descriptor = { 1, JIT_NOACTION, NULL, NULL };

struct gdb_entry {
	struct jit_code_entry e;
	const struct elfmod_module *m;
	void *image;
	size_t size;
	int mapped;            /* image is a private mapping of the file, not a copy */
};

/* GDB reads the list while the process is stopped in __jit_debug_register_code; this
 * lock keeps two threads from changing it at once. */
static pthread_mutex_t gdb_lock = PTHREAD_MUTEX_INITIALIZER;

static void put_word(uint8_t *at, int cls, uint64_t v)
{
	if (cls == 64) {
		memcpy(at, &v, 8);
	} else {
		uint32_t w = (uint32_t)v;
		memcpy(at, &w, 4);
	}
}

/* Offsets of the fields patched, per class (ELF gABI). */
#define SH_FLAGS 8
#define SH_ADDR(cls) ((cls) == 64 ? 16u : 12u)
#define SH_TYPE 4
#define SH_LINK(cls) ((cls) == 64 ? 40u : 24u)
#define ST_VALUE(cls) ((cls) == 64 ? 8u : 4u)
#define P_VADDR(cls) ((cls) == 64 ? 16u : 8u)
#define P_PADDR(cls) ((cls) == 64 ? 24u : 12u)
#define E_ENTRY 24

static uint8_t *shdr_at(uint8_t *img, const struct elfmod_elf *elf, uint32_t i)
{
	return img + elf->shoff + (uint64_t)i * elf->shentsize;
}

static int is_debug_name(const char *n)
{
	return !strncmp(n, ".debug", 6) || !strncmp(n, ".zdebug", 7) || !strncmp(n, ".gnu.debuglto", 13);
}

/* A relocatable module: each loaded section at its run address; a section the loader
 * dropped (a duplicate COMDAT group) is no longer allocated, so GDB gives it no place.
 * Symbols and debug information are section-relative: GDB relocates them itself. */
static int patch_rel(uint8_t *img, const struct elfmod_elf *elf, const struct elfmod_module *m)
{
	struct elfmod_shdr s;
	uint32_t k = 0;
	int rc;

	if (!m->sections)
		return ELFMOD_EINVAL;
	for (uint32_t i = 1; i < elf->shnum; i++) {
		if ((rc = elfmod_elf_shdr(elf, i, &s)))
			return rc;
		while (k < m->nsections && m->sections[k].shndx < i)
			k++;
		if (k < m->nsections && m->sections[k].shndx == i)
			put_word(shdr_at(img, elf, i) + SH_ADDR(elf->cls), elf->cls, m->sections[k].addr);
		else if (s.flags & ELFMOD_SHF_ALLOC)
			put_word(shdr_at(img, elf, i) + SH_FLAGS, elf->cls, s.flags & ~(uint64_t)ELFMOD_SHF_ALLOC);
	}
	return 0;
}

/* Moves the definitions of symbol table `tab` by `bias`. Entries are read in place:
 * elfmod_elf_sym_count has checked the table against the file, and only st_info,
 * st_shndx and st_value are looked at (in the host's byte order: the module runs here). */
static int rebase_symbols(uint8_t *img, const struct elfmod_elf *elf, uint32_t tab, uint64_t bias)
{
	unsigned info_at = elf->cls == 64 ? 4 : 12, shndx_at = elf->cls == 64 ? 6 : 14;
	struct elfmod_shdr s;
	uint32_t n;
	int rc;

	if ((rc = elfmod_elf_shdr(elf, tab, &s)) || (rc = elfmod_elf_sym_count(elf, tab, &n)))
		return rc;
	for (uint32_t i = 1; i < n; i++) {
		uint8_t *e = img + s.offset + (uint64_t)i * s.entsize;
		uint16_t shndx;
		uint64_t v;

		memcpy(&shndx, e + shndx_at, 2);
		if (shndx == ELFMOD_SHN_UNDEF || shndx == ELFMOD_SHN_ABS || shndx == ELFMOD_SHN_COMMON ||
		    (e[info_at] & 0xf) == 6 /* STT_TLS: an offset in the TLS block */)
			continue;
		if (elf->cls == 64) {
			memcpy(&v, e + ST_VALUE(64), 8);
		} else {
			uint32_t w;
			memcpy(&w, e + ST_VALUE(32), 4);
			v = w;
		}
		put_word(e + ST_VALUE(elf->cls), elf->cls, v + bias);
	}
	return 0;
}

/* A shared object, PIE or executable: the image moved as a whole by the bias. Section
 * and segment addresses and its symbols move with it: those of .symtab, which names
 * everything .dynsym does, .dynsym then hidden as the debug sections are (GDB would read
 * both, and moving both copies twice the pages); .dynsym's when it is the only table
 * (a stripped file). Its debug information holds
 * link addresses, which GDB would take as absolute in a JIT symbol file: it is hidden
 * (the symbols and .eh_frame, which is position-relative, still give GDB names and
 * backtraces). */
static int patch_dyn(uint8_t *img, const struct elfmod_elf *elf, const struct elfmod_module *m)
{
	int hide_dynsym = elf->symtab && elf->dynsym;
	uint64_t bias = m->dyn->bias;
	struct elfmod_shdr s;
	struct elfmod_phdr ph;
	const char *n;
	int rc;

	for (uint32_t i = 0; i < elf->phnum; i++) {
		uint8_t *at = img + elf->phoff + (uint64_t)i * elf->phentsize;
		if ((rc = elfmod_elf_phdr(elf, i, &ph)))
			return rc;
		put_word(at + P_VADDR(elf->cls), elf->cls, ph.vaddr + bias);
		put_word(at + P_PADDR(elf->cls), elf->cls, ph.paddr + bias);
	}
	if (elf->entry)
		put_word(img + E_ENTRY, elf->cls, elf->entry + bias);
	for (uint32_t i = 1; i < elf->shnum; i++) {
		uint8_t *at = shdr_at(img, elf, i);
		uint32_t null_type = ELFMOD_SHT_NULL, no_link = 0;
		char buf[64];

		if ((rc = elfmod_elf_shdr(elf, i, &s)))
			return rc;
		if (s.flags & ELFMOD_SHF_ALLOC) {
			put_word(at + SH_ADDR(elf->cls), elf->cls, s.addr + bias);
			/* With a .symtab, .dynsym is hidden; what links to it then links to
			 * nothing (a relocation table, as in a static PIE) or is hidden too
			 * (hash tables, symbol versions), so the file stays well-formed. */
			if (hide_dynsym && i == elf->dynsym)
				memcpy(at + SH_TYPE, &null_type, 4);
			else if (hide_dynsym && s.link == elf->dynsym &&
				 (s.type == ELFMOD_SHT_REL || s.type == ELFMOD_SHT_RELA))
				memcpy(at + SH_LINK(elf->cls), &no_link, 4);
			else if (hide_dynsym && s.link == elf->dynsym)
				memcpy(at + SH_TYPE, &null_type, 4);
			continue;
		}
		rc = elfmod_elf_section_name(elf, i, buf, sizeof(buf), &n);
		if (rc == ELFMOD_ESPACE)
			continue;
		if (rc)
			return rc;
		if (is_debug_name(n))
			memcpy(at + SH_TYPE, &null_type, 4);
	}
	if (elf->symtab)
		return rebase_symbols(img, elf, elf->symtab, bias);
	return elf->dynsym ? rebase_symbols(img, elf, elf->dynsym, bias) : 0;
}

/* The symbol file in fresh memory: a private mapping of the file when there is one to
 * map, so only the pages patched (headers, symbol tables) become the process's own and
 * the rest stay in the page cache; a copy otherwise (a source without a file). */
static int image_of(const struct elfmod_posix_file *f, struct gdb_entry *g)
{
	if (f->fd >= 0) {
		void *img = mmap(NULL, g->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, f->fd, 0);
		if (img != MAP_FAILED) {
			g->image = img;
			g->mapped = 1;
			return 0;
		}
	}
	if (!(g->image = malloc(g->size)))
		return ELFMOD_ENOMEM;
	if (f->src.data)
		memcpy(g->image, f->src.data, g->size);
	else if (f->src.read(f->src.ctx, 0, g->image, g->size))
		return ELFMOD_EIO;
	return 0;
}

/* Pages about to be patched, copied from the page cache in one call rather than in a
 * fault each (a failure only leaves that to the faults). */
static void will_patch(const struct gdb_entry *g, uint64_t off, uint64_t len)
{
#ifdef MADV_POPULATE_WRITE
	uint64_t ps = (uint64_t)sysconf(_SC_PAGESIZE), lo = off & ~(ps - 1);

	if (!g->mapped || off >= g->size || len == 0)
		return;
	if (len > g->size - off)
		len = g->size - off;
	madvise((uint8_t *)g->image + lo, (size_t)(off + len - lo), MADV_POPULATE_WRITE);
#else
	(void)g, (void)off, (void)len;
#endif
}

/* Everything patch_dyn or patch_rel writes: the headers, and a moved image's symbol
 * table (.symtab, or .dynsym without one). */
static void will_patch_all(const struct gdb_entry *g, const struct elfmod_elf *elf, const struct elfmod_module *m)
{
	struct elfmod_shdr s;

	will_patch(g, elf->shoff, (uint64_t)elf->shnum * elf->shentsize);
	if (!m->dyn)
		return;
	will_patch(g, 0, elf->phoff + (uint64_t)elf->phnum * elf->phentsize);
	if (elf->symtab ? !elfmod_elf_shdr(elf, elf->symtab, &s) : elf->dynsym && !elfmod_elf_shdr(elf, elf->dynsym, &s))
		will_patch(g, s.offset, s.size);
}

static void free_entry(struct gdb_entry *g)
{
	if (g->mapped)
		munmap(g->image, g->size);
	else
		free(g->image);
	free(g);
}

int elfmod_posix_gdb_register(const struct elfmod_module *m, const struct elfmod_posix_file *f)
{
	struct elfmod_source src;
	struct elfmod_elf elf;
	struct gdb_entry *g;
	size_t size;
	int rc;

	if (!m || !m->mem || !f || !f->src.size || (uint64_t)(size_t)f->src.size != f->src.size ||
	    (!m->dyn && !m->sections))
		return ELFMOD_EINVAL;
	size = (size_t)f->src.size;
	if (!(g = calloc(1, sizeof(*g))))
		return ELFMOD_ENOMEM;
	g->size = size;
	g->m = m;
	if ((rc = image_of(f, g))) {
		free_entry(g);
		return rc;
	}
	/* The image is read through a view of itself: the same checks as any load, and
	 * what is patched is never read again. */
	memset(&src, 0, sizeof(src));
	src.data = g->image;
	src.size = size;
	rc = elfmod_elf_open(&elf, &src, NULL);
	/* Fields are written in the host's byte order and width: only what runs here. */
	if (!rc && (elf.machine != m->machine || elf.cls != m->cls || elf.big_endian != m->big_endian ||
		    m->machine != elfmod_host_machine() || (m->cls == 64) != (sizeof(void *) == 8)))
		rc = ELFMOD_EMACHINE;
	if (!rc) {
		will_patch_all(g, &elf, m);
		rc = m->dyn ? patch_dyn(g->image, &elf, m) : patch_rel(g->image, &elf, m);
	}
	if (rc) {
		free_entry(g);
		return rc;
	}
	g->e.symfile_addr = g->image;
	g->e.symfile_size = size;

	pthread_mutex_lock(&gdb_lock);
	g->e.next_entry = __jit_debug_descriptor.first_entry;
	if (g->e.next_entry)
		g->e.next_entry->prev_entry = &g->e;
	__jit_debug_descriptor.first_entry = &g->e;
	__jit_debug_descriptor.relevant_entry = &g->e;
	__jit_debug_descriptor.action_flag = JIT_REGISTER_FN;
	__jit_debug_register_code();
	__jit_debug_descriptor.action_flag = JIT_NOACTION;
	pthread_mutex_unlock(&gdb_lock);
	return 0;
}

int elfmod_posix_gdb_unregister(const struct elfmod_module *m)
{
	struct jit_code_entry *e;
	struct gdb_entry *g = NULL;

	if (!m)
		return ELFMOD_EINVAL;
	pthread_mutex_lock(&gdb_lock);
	for (e = __jit_debug_descriptor.first_entry; e; e = e->next_entry)
		if (((struct gdb_entry *)(void *)e)->m == m) {
			g = (struct gdb_entry *)(void *)e;
			break;
		}
	if (g) {
		if (e->prev_entry)
			e->prev_entry->next_entry = e->next_entry;
		else
			__jit_debug_descriptor.first_entry = e->next_entry;
		if (e->next_entry)
			e->next_entry->prev_entry = e->prev_entry;
		__jit_debug_descriptor.relevant_entry = e;
		__jit_debug_descriptor.action_flag = JIT_UNREGISTER_FN;
		__jit_debug_register_code();
		__jit_debug_descriptor.action_flag = JIT_NOACTION;
		__jit_debug_descriptor.relevant_entry = NULL;
	}
	pthread_mutex_unlock(&gdb_lock);
	if (!g)
		return ELFMOD_ENOTFOUND;
	free_entry(g);
	return 0;
}

void elfmod_posix_gdb_placed(void *ctx, uint32_t shndx, const char *name, uint32_t sh_type,
			     uint64_t sh_flags, uint64_t addr, const void *wr, uint64_t size)
{
	struct elfmod_posix_gdb_load *l = ctx;
	const struct elfmod_module *m = l->m;

	(void)name, (void)sh_type, (void)sh_flags, (void)addr, (void)wr, (void)size;
	/* The table is complete before the first call; the last call is the last section. */
	if (!l->registered && m->nsections && shndx == m->sections[m->nsections - 1].shndx)
		l->registered = elfmod_posix_gdb_register(m, l->f) == 0;
}
