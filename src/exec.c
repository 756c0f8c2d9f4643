/* Executable loader: what a bootloader does with an ET_EXEC image.
 *
 * Two passes over the program headers. The first checks everything (types, windows,
 * overlaps, entry) and writes nothing, so a bad image cannot damage the memory the
 * loader runs in. The second streams each segment straight to its destination, except
 * (ELFMOD_EXEC_XIP) one whose bytes already lie there: an image stored in flash at the
 * address it was linked for runs its text and rodata where they are. */
#include "internal.h"

struct span {
	uint64_t lo, last; /* inclusive, so a segment ending at the top of memory needs no wrap */
};

/* The window holding [addr, addr+len) or -1. */
static int find_window(const struct elfmod_exec_opts *o, uint64_t addr, uint64_t len)
{
	for (uint32_t w = 0; w < o->nwindows; w++) {
		const struct elfmod_window *win = &o->windows[w];
		if (addr >= win->base && elfmod__in_range(addr - win->base, len, win->size))
			return (int)w;
	}
	return -1;
}

static uint64_t seg_addr(const struct elfmod_exec_opts *o, const struct elfmod_phdr *p)
{
	return (o->flags & ELFMOD_EXEC_USE_PADDR) ? p->paddr : p->vaddr;
}

/* Where the bytes for `addr` go. */
static uintptr_t dest(const struct elfmod_window *win, uint64_t addr)
{
	return (uintptr_t)win->wr + (size_t)(addr - win->base);
}

/* Whether segment `p` needs no copy: its file bytes are already its memory (an image
 * in flash at its link address) and there is no .bss to clear after them. The bytes
 * are inside the source (elfmod_elf_open checked p_offset + p_filesz), so nothing
 * outside the file is taken for the segment. */
static int in_place(const struct elfmod_source *src, const struct elfmod_exec_opts *o,
		    const struct elfmod_window *win, const struct elfmod_phdr *p, uint64_t addr)
{
	return (o->flags & ELFMOD_EXEC_XIP) && src->data && p->filesz == p->memsz &&
	       dest(win, addr) == (uintptr_t)src->data + (size_t)p->offset;
}

static int check_windows(const struct elfmod_exec_opts *o, struct elfmod_diag *diag)
{
	for (uint32_t w = 0; w < o->nwindows; w++) {
		const struct elfmod_window *win = &o->windows[w];
		uint64_t end;
		/* The host must be able to form every write pointer inside the window. */
		if (!win->wr || win->size > SIZE_MAX || !elfmod__add_ok(win->base, win->size, &end) ||
		    (uintptr_t)win->wr + (size_t)win->size < (uintptr_t)win->wr)
			return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_WINDOW, w, "window", win->base);
	}
	return 0;
}

/* Pass 1: every check, no writes. */
static int plan(const struct elfmod_elf *elf, const struct elfmod_exec_opts *o,
		struct elfmod_exec_info *info, struct elfmod_diag *diag)
{
	struct span spans[ELFMOD_CFG_MAX_LOAD_SEGMENTS];
	struct elfmod_phdr p;
	uint32_t n = 0;
	int entry_ok = 0, rc;

	info->lowest = UINT64_MAX;
	info->highest = 0;
	for (uint32_t i = 0; i < elf->phnum; i++) {
		uint64_t addr;
		rc = elfmod_elf_phdr(elf, i, &p);
		if (rc)
			return rc;
		if (p.type != ELFMOD_PT_LOAD || p.memsz == 0)
			continue;
		if (n == ELFMOD_CFG_MAX_LOAD_SEGMENTS)
			return elfmod__fail(diag, ELFMOD_ELIMIT, ELFMOD_OBJ_PHDR, i, "PT_LOAD count", n + 1);
		addr = seg_addr(o, &p);
		if (find_window(o, addr, p.memsz) < 0)
			return elfmod__fail(diag, ELFMOD_EWINDOW, ELFMOD_OBJ_PHDR, i,
					    (o->flags & ELFMOD_EXEC_USE_PADDR) ? "p_paddr" : "p_vaddr", addr);
		spans[n].lo = addr;
		spans[n].last = addr + (p.memsz - 1);
		for (uint32_t k = 0; k < n; k++)
			if (spans[k].lo <= spans[n].last && spans[n].lo <= spans[k].last)
				return elfmod__fail(diag, ELFMOD_EOVERLAP, ELFMOD_OBJ_PHDR, i,
						    (o->flags & ELFMOD_EXEC_USE_PADDR) ? "p_paddr" : "p_vaddr",
						    addr);
		n++;
		if (addr < info->lowest)
			info->lowest = addr;
		if (spans[n - 1].last >= info->highest)
			info->highest = spans[n - 1].last + 1;
		/* The entry is an address the code runs at: compare with p_vaddr. */
		if ((p.flags & ELFMOD_PF_X) && elf->entry >= p.vaddr && elf->entry - p.vaddr < p.memsz)
			entry_ok = 1;
	}
	if (n == 0)
		return elfmod__fail(diag, ELFMOD_ENOLOAD, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "PT_LOAD", 0);
	if (!entry_ok)
		return elfmod__fail(diag, ELFMOD_EWINDOW, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_entry", elf->entry);
	info->segments = n;
	return 0;
}

/* Pass 2: stream each segment into place. */
static int copy(const struct elfmod_elf *elf, const struct elfmod_exec_opts *o,
		struct elfmod_exec_info *info, struct elfmod_diag *diag)
{
	struct elfmod_phdr p;
	int rc;

	for (uint32_t i = 0; i < elf->phnum; i++) {
		const struct elfmod_window *win;
		uint8_t *dst;
		uint64_t addr;

		rc = elfmod_elf_phdr(elf, i, &p);
		if (rc)
			return rc;
		if (p.type != ELFMOD_PT_LOAD || p.memsz == 0)
			continue;
		addr = seg_addr(o, &p);
		win = &o->windows[find_window(o, addr, p.memsz)];
		if (in_place(elf->src, o, win, &p, addr)) {
			/* Unwritten, so nothing for the instruction cache to catch up with. */
			info->in_place += p.filesz;
			continue;
		}
		dst = (uint8_t *)dest(win, addr);
		rc = elfmod__src_read(elf->src, p.offset, dst, (size_t)p.filesz);
		if (rc)
			return elfmod__fail(diag, rc, ELFMOD_OBJ_PHDR, i, "p_offset", p.offset);
		memset(dst + p.filesz, 0, (size_t)(p.memsz - p.filesz));
		info->copied += p.filesz;
		info->zeroed += p.memsz - p.filesz;
		if ((p.flags & ELFMOD_PF_X) && o->sync_icache)
			o->sync_icache(o->ctx, addr, p.memsz);
	}
	return 0;
}

int elfmod_exec_load(const struct elfmod_source *src, const struct elfmod_exec_opts *opts,
		     struct elfmod_exec_info *info, struct elfmod_diag *diag)
{
	struct elfmod_elf elf;
	int rc;

	if (!opts || !info || (!opts->windows && opts->nwindows))
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "argument", 0);
	memset(info, 0, sizeof(*info));
	rc = elfmod_elf_open(&elf, src, diag);
	if (rc)
		return rc;
	rc = check_windows(opts, diag);
	if (rc)
		return rc;
	if (elf.type != ELFMOD_ET_EXEC)
		return elfmod__fail(diag, ELFMOD_ETYPE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_type", elf.type);
	if (opts->machine && elf.machine != opts->machine)
		return elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_machine",
				    elf.machine);
	if (opts->cls && elf.cls != opts->cls)
		return elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "EI_CLASS", elf.cls);
	rc = plan(&elf, opts, info, diag);
	if (rc)
		return rc;
	rc = copy(&elf, opts, info, diag);
	if (rc)
		return rc;
	info->entry = elf.entry;
	return 0;
}
