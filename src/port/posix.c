/* POSIX port: files as sources, mmap/mprotect as the allocator. Hosted only. */
#define _GNU_SOURCE
#include "elfmod.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int file_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct elfmod_posix_file *f = ctx;
	uint8_t *p = dst;

	f->reads++;
	while (len) {
		ssize_t n = pread(f->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
		f->bytes_read += (uint64_t)n;
	}
	return 0;
}

/* The source's map: the file's pages over part of a region of elfmod_posix_allocator
 * (the loader only asks for that, page-aligned). A writable segment's pages are copied
 * in the call (its relocations would copy them one fault at a time); the others stay
 * the page cache's. An executable segment is mapped executable first: a file on a
 * noexec mount (or one an LSM keeps from executing) cannot be made executable later,
 * where a copy can, so it is refused here and copied. A failed MAP_FIXED may have
 * unmapped the range already: fresh zero pages go back, as the region was. */
static int file_map(void *ctx, uint64_t off, void *dst, uint64_t len, unsigned perm)
{
	struct elfmod_posix_file *f = ctx;
	int flags = MAP_PRIVATE | MAP_FIXED, prot = PROT_READ | PROT_WRITE;

#ifdef MAP_POPULATE
	if (perm & ELFMOD_PERM_W)
		flags |= MAP_POPULATE;
#endif
	if (perm & ELFMOD_PERM_X)
		prot = PROT_READ | PROT_EXEC;
	if (f->fd < 0 || len > SIZE_MAX || off > (uint64_t)INT64_MAX)
		return -1;
	if (mmap(dst, (size_t)len, prot, flags, f->fd, (off_t)off) != MAP_FAILED &&
	    (prot == (PROT_READ | PROT_WRITE) || mprotect(dst, (size_t)len, PROT_READ | PROT_WRITE) == 0)) {
		f->maps++;
		return 0;
	}
	mmap(dst, (size_t)len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	return -1;
}

int elfmod_posix_file_open(struct elfmod_posix_file *f, const char *path, int map)
{
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return ELFMOD_EIO;
	if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto fail;
	f->src.size = (uint64_t)st.st_size;
	if (map && st.st_size > 0) {
		f->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, f->fd, 0);
		if (f->map == MAP_FAILED) {
			f->map = NULL;
			goto fail;
		}
		f->src.data = f->map;
	} else {
		f->src.read = file_read;
	}
	f->src.ctx = f;
	f->src.map = file_map;
	return 0;
fail:
	close(f->fd);
	f->fd = -1;
	return ELFMOD_EIO;
}

void elfmod_posix_file_close(struct elfmod_posix_file *f)
{
	if (f->map)
		munmap(f->map, (size_t)f->src.size);
	if (f->fd >= 0)
		close(f->fd);
	f->map = NULL;
	f->fd = -1;
}

static uint64_t page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

static int prot_of(unsigned perm)
{
	return ((perm & ELFMOD_PERM_R) ? PROT_READ : 0) | ((perm & ELFMOD_PERM_W) ? PROT_WRITE : 0) |
	       ((perm & ELFMOD_PERM_X) ? PROT_EXEC : 0);
}

static int within_2g(uint64_t a, uint64_t size, uint64_t near)
{
	uint64_t lo = a < near ? a : near, hi = a + size > near ? a + size : near;
	return hi - lo < (1ull << 31);
}

/* Every page of a region is written at once (the copy, the zeroing of .bss): filled in
 * one call rather than a fault each - unless the file's pages will be mapped over it. */
#ifdef MAP_POPULATE
#define MAP_FILLED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE)
#else
#define MAP_FILLED (MAP_PRIVATE | MAP_ANONYMOUS)
#endif

/* An anonymous RW mapping of `len` bytes, aligned to `align`, near `near` when asked. */
static void *map_aligned(uint64_t len, uint64_t align, uint64_t near, int fill)
{
	int flags = fill ? MAP_FILLED : MAP_PRIVATE | MAP_ANONYMOUS;
	uint64_t span = len + (align > page_size() ? align : 0);
	uint8_t *p = MAP_FAILED;

	if (near) {
		/* Probe hints moving away from `near` in both directions, `near` itself first
		 * (an executable without relocations needs exactly that); the kernel takes a
		 * hint that is free, otherwise we keep looking. */
		for (uint64_t step = 0; step < (1ull << 31) && p == MAP_FAILED; step += 1ull << 26) {
			for (int dir = 1; dir >= -1 && p == MAP_FAILED; dir -= 2) {
				uint64_t hint = dir < 0 ? near - step - span : near + step;
				if (dir < 0 && near < step + span)
					continue;
				hint &= ~(page_size() - 1);
				p = mmap((void *)(uintptr_t)hint, (size_t)span, PROT_READ | PROT_WRITE,
					 flags | MAP_FIXED_NOREPLACE, -1, 0);
				if (p != MAP_FAILED && !within_2g((uint64_t)(uintptr_t)p, span, near)) {
					munmap(p, (size_t)span);
					p = MAP_FAILED;
				}
			}
		}
	}
	if (p == MAP_FAILED)
		p = mmap(NULL, (size_t)span, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (span != len) {
		/* Trim to the aligned part so free() can unmap exactly what it was given. */
		uint64_t base = (uint64_t)(uintptr_t)p;
		uint64_t start = (base + align - 1) & ~(align - 1);
		if (start > base)
			munmap(p, (size_t)(start - base));
		if (start + len < base + span)
			munmap((void *)(uintptr_t)(start + len), (size_t)(base + span - start - len));
		p = (uint8_t *)(uintptr_t)start;
	}
	return p;
}

static int posix_alloc(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near)
{
	uint64_t ps = page_size(), len;
	void *p;

	(void)ctx;
	if (size == 0 || (align & (align - 1)) || size > SIZE_MAX - ps)
		return ELFMOD_EINVAL;
	len = (size + ps - 1) & ~(ps - 1);
	p = map_aligned(len, align, near, !(r->flags & ELFMOD_ALLOC_MAPPED));
	if (!p)
		return ELFMOD_ENOMEM;
	r->addr = (uint64_t)(uintptr_t)p;
	r->wr = p;
	r->size = size;
	r->perm = ELFMOD_PERM_R | ELFMOD_PERM_W;
	r->priv = NULL;
	return 0;
}

static void posix_free(void *ctx, struct elfmod_region *r)
{
	uint64_t ps = page_size();

	(void)ctx;
	if (r->wr)
		munmap(r->wr, (size_t)((r->size + ps - 1) & ~(ps - 1)));
	r->wr = NULL;
}

int elfmod_posix_protect(uint64_t addr, uint64_t size, unsigned perm)
{
	uint64_t ps = page_size(), lo = addr & ~(ps - 1), hi;

	if ((perm & ELFMOD_PERM_W) && (perm & ELFMOD_PERM_X))
		return ELFMOD_EPERM;
	if (addr + size < addr)
		return ELFMOD_EINVAL;
	hi = (addr + size + ps - 1) & ~(ps - 1);
	return mprotect((void *)(uintptr_t)lo, (size_t)(hi - lo), prot_of(perm)) == 0 ? 0 : ELFMOD_EPERM;
}

static int posix_protect(void *ctx, struct elfmod_region *r, unsigned perm)
{
	int rc;

	(void)ctx;
	rc = elfmod_posix_protect(r->addr, r->size, perm);
	if (rc == 0)
		r->perm = (uint8_t)perm;
	return rc;
}

static void posix_sync(void *ctx, uint64_t addr, uint64_t len)
{
	elfmod_cache_sync(ctx, addr, len);
}

void elfmod_posix_allocator(struct elfmod_allocator *out)
{
	memset(out, 0, sizeof(*out));
	out->alloc = posix_alloc;
	out->free = posix_free;
	out->protect = posix_protect;
	out->sync_icache = posix_sync;
	out->page_size = (uint32_t)page_size();
	/* Fresh mmap'd pages, unmapped whole by posix_free. */
	out->flags = ELFMOD_MEM_MAPPABLE;
}

int elfmod_posix_map_window(uint64_t addr, uint64_t size, struct elfmod_window *out)
{
	uint64_t ps = page_size(), lo = addr & ~(ps - 1), hi;
	void *p;

	if (size == 0 || addr + size < addr || addr + size > UINTPTR_MAX - ps)
		return ELFMOD_EINVAL;
	hi = (addr + size + ps - 1) & ~(ps - 1);
	p = mmap((void *)(uintptr_t)lo, (size_t)(hi - lo), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return ELFMOD_ENOMEM;
	if ((uint64_t)(uintptr_t)p != lo) { /* kernels before 4.17 treat the flag as a hint */
		munmap(p, (size_t)(hi - lo));
		return ELFMOD_ENOMEM;
	}
	out->base = lo;
	out->size = hi - lo;
	out->wr = p;
	return 0;
}

void elfmod_posix_unmap_window(struct elfmod_window *w)
{
	if (w->wr)
		munmap(w->wr, (size_t)w->size);
	w->wr = NULL;
}

/* Permissions for the pages of segment `i`: its own, plus those of any other segment
 * that shares its first or last page (the page gets the union). */
static unsigned page_perm(const struct elfmod_elf *elf, const struct elfmod_phdr *p, uint64_t ps)
{
	unsigned perm = 0;
	uint64_t lo = p->vaddr & ~(ps - 1), hi = (p->vaddr + p->memsz + ps - 1) & ~(ps - 1);
	struct elfmod_phdr q;

	for (uint32_t j = 0; j < elf->phnum; j++) {
		if (elfmod_elf_phdr(elf, j, &q) || q.type != ELFMOD_PT_LOAD || q.memsz == 0)
			continue;
		uint64_t qlo = q.vaddr & ~(ps - 1), qhi = (q.vaddr + q.memsz + ps - 1) & ~(ps - 1);
		if (qlo < hi && lo < qhi)
			perm |= ((q.flags & ELFMOD_PF_R) ? ELFMOD_PERM_R : 0) |
				((q.flags & ELFMOD_PF_W) ? ELFMOD_PERM_W : 0) |
				((q.flags & ELFMOD_PF_X) ? ELFMOD_PERM_X : 0);
	}
	return perm;
}

int elfmod_posix_exec_load(const struct elfmod_source *src, struct elfmod_posix_exec *out,
			   struct elfmod_diag *diag)
{
	struct elfmod_exec_opts opts;
	struct elfmod_elf elf;
	struct elfmod_phdr p;
	uint64_t lo = UINT64_MAX, hi = 0, ps = page_size();
	int rc;

	memset(out, 0, sizeof(*out));
	/* Find the span to map first; elfmod_exec_load re-checks everything itself. */
	rc = elfmod_elf_open(&elf, src, diag);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < elf.phnum; i++) {
		rc = elfmod_elf_phdr(&elf, i, &p);
		if (rc)
			return rc;
		if (p.type != ELFMOD_PT_LOAD || p.memsz == 0)
			continue;
		if (p.vaddr < lo)
			lo = p.vaddr;
		if (p.vaddr + p.memsz > hi)
			hi = p.vaddr + p.memsz;
	}
	if (hi == 0)
		return elfmod_exec_load(src, &(struct elfmod_exec_opts){ 0 }, &out->info, diag);
	rc = elfmod_posix_map_window(lo, hi - lo, &out->window);
	if (rc)
		return rc;

	memset(&opts, 0, sizeof(opts));
	opts.windows = &out->window;
	opts.nwindows = 1;
	opts.sync_icache = posix_sync;
	rc = elfmod_exec_load(src, &opts, &out->info, diag);
	if (rc)
		goto fail;
	for (uint32_t i = 0; i < elf.phnum; i++) {
		rc = elfmod_elf_phdr(&elf, i, &p);
		if (rc)
			goto fail;
		if (p.type != ELFMOD_PT_LOAD || p.memsz == 0)
			continue;
		rc = elfmod_posix_protect(p.vaddr, p.memsz, page_perm(&elf, &p, ps));
		if (rc)
			goto fail;
	}
	return 0;
fail:
	elfmod_posix_unmap_window(&out->window);
	return rc;
}

void elfmod_posix_exec_unload(struct elfmod_posix_exec *ex)
{
	elfmod_posix_unmap_window(&ex->window);
}

/* ---- the host's dynamic loader as an import resolver ---- */

int elfmod_posix_host_needed(struct elfmod_posix_host *h, const struct elfmod_source *src,
			     const struct elfmod_registry *reg)
{
	struct elfmod_elf elf;
	char buf[256];
	const char *n;
	int missing = 0;

	if (elfmod_elf_open(&elf, src, NULL) || elf.type != ELFMOD_ET_DYN)
		return 0;
	for (uint32_t i = 0; elfmod_elf_needed(&elf, i, buf, sizeof(buf), &n) == 0; i++) {
		int have = 0;
		void *lib;
		for (const struct elfmod_module *m = reg ? reg->modules : NULL; m && !have; m = m->next)
			have = m->dyn && m->dyn->soname && !strcmp(m->dyn->soname, n);
		if (have)
			continue;
		lib = h->nlibs < sizeof(h->libs) / sizeof(h->libs[0]) ? dlopen(n, RTLD_NOW | RTLD_LOCAL) : NULL;
		if (lib)
			h->libs[h->nlibs++] = lib;
		else
			missing++;
	}
	return missing;
}

int elfmod_posix_host_resolve(void *ctx, const char *name, uint64_t *addr)
{
	const struct elfmod_posix_host *h = ctx;
	void *p;

	dlerror();
	p = dlsym(RTLD_DEFAULT, name);
	for (unsigned k = 0; !p && h && k < h->nlibs; k++) {
		dlerror();
		p = dlsym(h->libs[k], name);
	}
	if (!p && dlerror())
		return -1;
	*addr = (uint64_t)(uintptr_t)p;
	return 0;
}

void elfmod_posix_host_close(struct elfmod_posix_host *h)
{
	while (h->nlibs)
		dlclose(h->libs[--h->nlibs]);
}
