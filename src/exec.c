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

/* ---- split images: the image digest, symbols files, setvar ---- */

/* Program headers and data are hashed in pieces this big from a read callback. */
#define DIGEST_PIECE 64

static int digest_of(const struct elfmod_elf *elf, uint8_t out[32], struct elfmod_diag *diag)
{
	const struct elfmod_source *src = elf->src;
	struct elfmod_sha256 c;
	struct elfmod_phdr p;
	uint8_t b[DIGEST_PIECE];
	uint32_t loads = 0, ehsize = elf->cls == 64 ? 64 : 52;
	int rc;

	if (elf->type != ELFMOD_ET_EXEC)
		return elfmod__fail(diag, ELFMOD_ETYPE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_type", elf->type);
	elfmod_sha256_init(&c);
	memset(b, 0, 32);
	memcpy(b, "elfmod-image-v1", 16);
	b[16] = elf->cls == 64 ? 2 : 1;
	b[17] = elf->big_endian ? 2 : 1;
	elfmod__put16(b + 18, elf->machine, 0);
	elfmod__put32(b + 20, elf->flags, 0);
	elfmod__put64(b + 24, elf->entry, 0);
	elfmod_sha256_update(&c, b, 32);
	for (uint32_t i = 0; i < elf->phnum; i++) {
		uint64_t off, left;
		rc = elfmod_elf_phdr(elf, i, &p);
		if (rc)
			return rc;
		if (p.type != ELFMOD_PT_LOAD)
			continue;
		loads++;
		elfmod__put32(b, p.type, 0);
		elfmod__put32(b + 4, p.flags, 0);
		elfmod__put64(b + 8, p.vaddr, 0);
		elfmod__put64(b + 16, p.paddr, 0);
		elfmod__put64(b + 24, p.filesz, 0);
		elfmod__put64(b + 32, p.memsz, 0);
		elfmod__put64(b + 40, p.align, 0);
		elfmod_sha256_update(&c, b, 48);
		/* elfmod_elf_open checked p_offset + p_filesz against the file size. */
		for (off = p.offset, left = p.filesz; left;) {
			size_t n;
			if (off < ehsize) {
				/* The ELF header, which the first segment usually holds: its section
				 * fields count as zero, as in the split image, which has none. */
				n = left > ehsize - off ? (size_t)(ehsize - off) : (size_t)left;
				rc = elfmod__src_read(src, 0, b, ehsize);
				if (rc)
					return elfmod__fail(diag, rc, ELFMOD_OBJ_PHDR, i, "p_offset", p.offset);
				if (elf->cls == 64) {
					memset(b + 40, 0, 8);  /* e_shoff */
					memset(b + 58, 0, 6);  /* e_shentsize, e_shnum, e_shstrndx */
				} else {
					memset(b + 32, 0, 4);
					memset(b + 46, 0, 6);
				}
				elfmod_sha256_update(&c, b + off, n);
			} else if (src->data) {
				n = left > 0x10000000u ? 0x10000000u : (size_t)left;
				elfmod_sha256_update(&c, (const uint8_t *)src->data + (size_t)off, n);
			} else {
				n = left > DIGEST_PIECE ? DIGEST_PIECE : (size_t)left;
				rc = elfmod__src_read(src, off, b, n);
				if (rc)
					return elfmod__fail(diag, rc, ELFMOD_OBJ_PHDR, i, "p_offset", p.offset);
				elfmod_sha256_update(&c, b, n);
			}
			off += n;
			left -= n;
		}
	}
	if (!loads)
		return elfmod__fail(diag, ELFMOD_ENOLOAD, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "PT_LOAD", 0);
	elfmod_sha256_final(&c, out);
	return 0;
}

int elfmod_exec_digest(const struct elfmod_source *image, uint8_t digest[32], struct elfmod_diag *diag)
{
	struct elfmod_elf elf;
	int rc;

	if (!digest)
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "digest", 0);
	rc = elfmod_elf_open(&elf, image, diag);
	return rc ? rc : digest_of(&elf, digest, diag);
}

/*
 * The digest in the symbols file's notes: owner ELFMOD_NOTE_OWNER, type
 * ELFMOD_NT_IMAGE_DIGEST, 32 bytes. Notes are walked in every SHT_NOTE section, each
 * header and name checked against the section before it is read. 1: found, 0: none.
 */
static int note_digest(const struct elfmod_elf *elf, uint8_t out[32], uint32_t *sec)
{
	static const char owner[] = ELFMOD_NOTE_OWNER;
	struct elfmod_shdr s;
	uint8_t h[12 + sizeof(owner)];
	int be = elf->big_endian, rc;

	for (uint32_t i = 1; i < elf->shnum; i++) {
		uint64_t pos = 0, pad;
		rc = elfmod_elf_shdr(elf, i, &s);
		if (rc)
			return rc;
		if (s.type != ELFMOD_SHT_NOTE)
			continue;
		/* 8-aligned notes (GNU properties in 64-bit files) pad names and data to 8. */
		pad = s.addralign == 8 ? 7 : 3;
		while (elfmod__in_range(pos, 12, s.size)) {
			uint64_t namesz, descsz, name_end, desc_end;
			uint32_t type;
			rc = elfmod__src_read(elf->src, s.offset + pos, h, 12);
			if (rc)
				return elfmod__fail(elf->diag, rc, ELFMOD_OBJ_SHDR, i, "sh_offset", s.offset);
			namesz = elfmod__get32(h, be);
			descsz = elfmod__get32(h + 4, be);
			type = elfmod__get32(h + 8, be);
			name_end = pos + 12 + ((namesz + pad) & ~pad);
			desc_end = name_end + ((descsz + pad) & ~pad);
			/* Both sizes are below 2^32, so neither sum can wrap; a note running past
			 * its section ends the walk (the last note's padding may be missing). */
			if (!elfmod__in_range(pos + 12, namesz, s.size) || !elfmod__in_range(name_end, descsz, s.size))
				break;
			if (type == ELFMOD_NT_IMAGE_DIGEST && namesz == sizeof(owner) && descsz == 32) {
				rc = elfmod__src_read(elf->src, s.offset + pos + 12, h + 12, sizeof(owner));
				if (rc)
					return elfmod__fail(elf->diag, rc, ELFMOD_OBJ_SHDR, i, "sh_offset", s.offset);
				if (!memcmp(h + 12, owner, sizeof(owner))) {
					rc = elfmod__src_read(elf->src, s.offset + name_end, out, 32);
					if (rc)
						return elfmod__fail(elf->diag, rc, ELFMOD_OBJ_SHDR, i, "sh_offset",
								    s.offset);
					*sec = i;
					return 1;
				}
			}
			pos = desc_end;
		}
	}
	return 0;
}

int elfmod_exec_syms_open(struct elfmod_exec_syms *s, const struct elfmod_source *syms,
			  const struct elfmod_source *image, struct elfmod_diag *diag)
{
	uint8_t noted[32];
	uint32_t sec = 0;
	int rc;

	if (!s || !syms || !image)
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "argument", 0);
	memset(s, 0, sizeof(*s));
	rc = elfmod_elf_open(&s->image, image, diag);
	if (!rc)
		rc = digest_of(&s->image, s->digest, diag);
	if (rc)
		goto fail;
	if (syms == image) {
		s->syms = s->image;
	} else {
		rc = elfmod_elf_open(&s->syms, syms, diag);
		if (rc)
			goto fail;
	}
	if (s->syms.type != ELFMOD_ET_EXEC) {
		rc = elfmod__fail(diag, ELFMOD_ETYPE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_type", s->syms.type);
		goto fail;
	}
	if (s->syms.cls != s->image.cls || s->syms.big_endian != s->image.big_endian) {
		rc = elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_ident", s->syms.cls);
		goto fail;
	}
	if (s->syms.machine != s->image.machine) {
		rc = elfmod__fail(diag, ELFMOD_EMACHINE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_machine",
				  s->syms.machine);
		goto fail;
	}
	if (!s->syms.symtab) {
		rc = elfmod__fail(diag, ELFMOD_ENOTFOUND, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "SHT_SYMTAB", 0);
		goto fail;
	}
	/* An image that kept its own symbols describes itself: nothing to bind. */
	if (syms != image) {
		rc = note_digest(&s->syms, noted, &sec);
		if (rc < 0)
			goto fail;
		if (rc == 0) {
			rc = elfmod__fail(diag, ELFMOD_EVERIFY, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX, "image digest note", 0);
			goto fail;
		}
		if (memcmp(noted, s->digest, 32)) {
			rc = elfmod__fail(diag, ELFMOD_EVERIFY, ELFMOD_OBJ_SHDR, sec, "image digest",
					  elfmod__get64(noted, 1));
			goto fail;
		}
	}
	/* The diagnostic belongs to this call: later calls bring their own. */
	s->image.diag = NULL;
	s->syms.diag = NULL;
	return 0;
fail:
	memset(s, 0, sizeof(*s));
	return rc;
}

/* Whether symbol name `off` of string table `str` is `name` (len bytes and a NUL):
 * 1 yes, 0 no, or a read error. */
static int name_is(const struct elfmod_elf *elf, const struct elfmod_shdr *str, uint64_t off, const char *name,
		   size_t len)
{
	uint8_t b[DIGEST_PIECE];
	size_t done;

	if (!elfmod__in_range(off, (uint64_t)len + 1, str->size))
		return 0;
	off += str->offset;
	if (elf->src->data)
		return !memcmp((const uint8_t *)elf->src->data + (size_t)off, name, len + 1);
	for (done = 0; done < len + 1;) {
		size_t n = len + 1 - done > sizeof(b) ? sizeof(b) : len + 1 - done;
		int rc = elfmod__src_read(elf->src, off + done, b, n);
		if (rc)
			return elfmod__fail(elf->diag, rc, ELFMOD_OBJ_SHDR, ELFMOD_NOINDEX, "string table", off);
		if (memcmp(b, name + done, n))
			return 0;
		done += n;
	}
	return 1;
}

#define STT_SECTION 3
#define STT_FILE 4
#define STT_COMMON 5
#define STT_TLS 6
#define STB_LOCAL 0

/* Definitions that name an address in the image. */
static int addressable(const struct elfmod_sym *sym)
{
	unsigned t = ELFMOD_ST_TYPE(sym->info);

	return sym->shndx != ELFMOD_SHN_UNDEF && sym->shndx != ELFMOD_SHN_COMMON && t != STT_SECTION &&
	       t != STT_FILE && t != STT_TLS && t != STT_COMMON;
}

static int lookup(const struct elfmod_elf *elf, const char *name, struct elfmod_sym *out, uint32_t *idx,
		  struct elfmod_diag *diag)
{
	struct elfmod__table t;
	struct elfmod_sym sym;
	uint32_t count, first_global, last_local, locals = 0;
	size_t len = 0;
	int rc;

	while (name[len])
		len++;
	rc = elfmod_elf_sym_count(elf, elf->symtab, &count);
	if (!rc)
		rc = elfmod__symtab_open(elf, elf->symtab, &t);
	if (rc)
		return rc;
	/* Locals come first (sh_info is one past the last): globals are searched first, as
	 * they win, and the locals only when no global matched. A table whose sh_info says
	 * nothing useful is searched whole both times. */
	if (t.sh.info && t.sh.info <= count) {
		first_global = t.sh.info;
		last_local = t.sh.info;
	} else {
		first_global = 1;
		last_local = count;
	}
	for (int pass = 0; pass < 2; pass++) {
		uint32_t lo = pass ? 1 : first_global, hi = pass ? last_local : count;
		for (uint32_t i = lo; i < hi; i++) {
			int local;
			rc = elfmod__sym(elf, &t, i, &sym);
			if (rc)
				return rc;
			local = ELFMOD_ST_BIND(sym.info) == STB_LOCAL;
			if (local != pass || !addressable(&sym))
				continue;
			rc = name_is(elf, &t.link, sym.name, name, len);
			if (rc < 0)
				return rc;
			if (!rc)
				continue;
			if (!local || locals++ == 0) {
				*out = sym;
				*idx = i;
			}
			if (!local)
				return 0;
		}
	}
	if (locals == 1)
		return 0;
	if (locals) {
		rc = elfmod__fail(diag, ELFMOD_EDUP, ELFMOD_OBJ_SYM, *idx, "local definitions", locals);
		if (diag)
			diag->index2 = elf->symtab;
	} else {
		rc = elfmod__fail(diag, ELFMOD_ENOTFOUND, ELFMOD_OBJ_SYM, ELFMOD_NOINDEX, NULL, 0);
	}
	elfmod__diag_name(diag, name);
	return rc;
}

int elfmod_exec_symbol(const struct elfmod_exec_syms *s, const char *name, struct elfmod_sym *out,
		       struct elfmod_diag *diag)
{
	struct elfmod_elf elf;
	uint32_t idx;

	if (!s || !name || !out || !s->syms.src)
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "argument", 0);
	if (diag)
		elfmod__fail(diag, 0, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, NULL, 0);
	elf = s->syms;
	elf.diag = diag;
	return lookup(&elf, name, out, &idx, diag);
}

int elfmod_exec_setvar(const struct elfmod_exec_syms *s, const struct elfmod_exec_opts *opts,
		       const char *name, const void *value, size_t len, struct elfmod_diag *diag)
{
	struct elfmod_elf elf, image;
	struct elfmod_sym sym;
	struct elfmod_phdr p;
	const struct elfmod_window *win;
	uint64_t addr, end, seg;
	uint32_t idx;
	int w, rc;
	unsigned type;

	if (!s || !opts || !name || !value || !len || !s->syms.src || (!opts->windows && opts->nwindows))
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "argument", 0);
	if (diag)
		elfmod__fail(diag, 0, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, NULL, 0);
	rc = check_windows(opts, diag);
	if (rc)
		return rc;
	elf = s->syms;
	elf.diag = diag;
	image = s->image;
	image.diag = diag;
	rc = lookup(&elf, name, &sym, &idx, diag);
	if (rc)
		return rc;

	type = ELFMOD_ST_TYPE(sym.info);
	if (type != 0 /* STT_NOTYPE */ && type != 1 /* STT_OBJECT */)
		rc = elfmod__fail(diag, ELFMOD_ETYPE, ELFMOD_OBJ_SYM, idx, "st_info", sym.info);
	else if (sym.size == 0 || len > sym.size)
		rc = elfmod__fail(diag, ELFMOD_ESPACE, ELFMOD_OBJ_SYM, idx, "st_size", sym.size);
	else if (!elfmod__add_ok(sym.value, len, &end))
		rc = elfmod__fail(diag, ELFMOD_ERANGE, ELFMOD_OBJ_SYM, idx, "st_value", sym.value);
	if (rc)
		goto named;
	addr = sym.value;

	/* The segment that holds the variable, by the addresses the symbols are in. */
	for (uint32_t i = 0;; i++) {
		if (i == image.phnum) {
			rc = elfmod__fail(diag, ELFMOD_ERANGE, ELFMOD_OBJ_SYM, idx, "st_value", addr);
			goto named;
		}
		rc = elfmod_elf_phdr(&image, i, &p);
		if (rc)
			return rc;
		if (p.type == ELFMOD_PT_LOAD && addr >= p.vaddr && elfmod__in_range(addr - p.vaddr, len, p.memsz))
			break;
	}
	/* Where the loader put that segment, and so the variable: it must have been able to
	 * (the whole segment in one window), and must have written it there. */
	seg = seg_addr(opts, &p);
	w = find_window(opts, seg, p.memsz);
	if (w < 0) {
		rc = elfmod__fail(diag, ELFMOD_EWINDOW, ELFMOD_OBJ_SYM, idx, "st_value", addr);
		goto named;
	}
	win = &opts->windows[w];
	if (in_place(image.src, opts, win, &p, seg)) {
		rc = elfmod__fail(diag, ELFMOD_EPERM, ELFMOD_OBJ_SYM, idx, "st_value", addr);
		goto named;
	}
	memcpy((void *)dest(win, seg + (addr - p.vaddr)), value, len);
	return 0;
named:
	if (diag)
		diag->index2 = s->syms.symtab;
	elfmod__diag_name(diag, name);
	return rc;
}

/* ---- resets inside an image: the host's view of the table ---- */

int elfmod_exec_reset_table(const struct elfmod_source *src, uint64_t *addr, uint64_t *size,
			    struct elfmod_diag *diag)
{
	struct elfmod_elf elf;
	struct elfmod_phdr r, p;
	uint32_t ri;
	int rc;

	if (!addr || !size)
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "argument", 0);
	rc = elfmod_elf_open(&elf, src, diag);
	if (rc)
		return rc;
	if (elf.type != ELFMOD_ET_EXEC)
		return elfmod__fail(diag, ELFMOD_ETYPE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_type", elf.type);
	for (ri = 0;; ri++) {
		if (ri == elf.phnum)
			return elfmod__fail(diag, ELFMOD_ENOTFOUND, ELFMOD_OBJ_FILE, ELFMOD_NOINDEX,
					    "ELFMOD_PT_RESET", 0);
		rc = elfmod_elf_phdr(&elf, ri, &r);
		if (rc)
			return rc;
		if (r.type == ELFMOD_PT_RESET)
			break;
	}
	/* The table is read at run time where a PT_LOAD put it: it must be among the bytes
	 * of one, at the same place in the file and in memory. */
	for (uint32_t i = 0; i < elf.phnum; i++) {
		rc = elfmod_elf_phdr(&elf, i, &p);
		if (rc)
			return rc;
		if (p.type == ELFMOD_PT_LOAD && r.filesz >= sizeof(struct elfmod_reset_table) &&
		    r.offset >= p.offset && elfmod__in_range(r.offset - p.offset, r.filesz, p.filesz) &&
		    r.vaddr >= p.vaddr && r.vaddr - p.vaddr == r.offset - p.offset) {
			*addr = r.vaddr;
			*size = r.filesz;
			return 0;
		}
	}
	return elfmod__fail(diag, ELFMOD_ESEGMENT, ELFMOD_OBJ_PHDR, ri, "p_offset", r.offset);
}
