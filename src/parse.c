/* Parse stage: a checked view of an ELF file's headers and tables.
 *
 * Nothing from the file is trusted until it has been checked here. Headers are read one
 * entry at a time into small stack buffers and decoded with explicit byte order, so the
 * same code reads a big-endian MIPS file on a little-endian host and works from a read
 * callback as well as from memory. */
#include "internal.h"

#define EI_NIDENT 16
#define ELFCLASS32 1
#define ELFCLASS64 2
#define PN_XNUM 0xffffu
#define SHT_GNU_HASH 0x6ffffff6u

int elfmod__fail(struct elfmod_diag *d, int err, uint8_t obj, uint32_t index, const char *field,
		 uint64_t value)
{
	if (d) {
		d->err = err;
		d->obj = obj;
		d->index = index;
		d->index2 = ELFMOD_NOINDEX;
		d->field = field;
		d->value = value;
		d->name[0] = 0;
		d->module = NULL;
	}
	return err;
}

int elfmod__src_read(const struct elfmod_source *src, uint64_t off, void *dst, size_t len)
{
	if (!elfmod__in_range(off, len, src->size))
		return ELFMOD_ETRUNC;
	if (len == 0)
		return 0;
	if (src->data) {
		memcpy(dst, (const uint8_t *)src->data + off, len);
		return 0;
	}
	return src->read(src->ctx, off, dst, len) == 0 ? 0 : ELFMOD_EIO;
}

static int fail(const struct elfmod_elf *elf, int err, uint8_t obj, uint32_t index,
		const char *field, uint64_t value)
{
	return elfmod__fail(elf->diag, err, obj, index, field, value);
}

/* A read that failed because of the file (range) or the medium (I/O) names the object. */
static int read_obj(const struct elfmod_elf *elf, uint64_t off, void *dst, size_t len, uint8_t obj,
		    uint32_t index, const char *field)
{
	int rc = elfmod__src_read(elf->src, off, dst, len);
	return rc ? fail(elf, rc, obj, index, field, off) : 0;
}

/* A table entry: where it lies in an addressable source (no copy: symbols and
 * relocations are read several times per load, and a copy per read was a large part of
 * its time), otherwise read into `buf`. NULL on failure, with *rc set. */
static const uint8_t *entry_at(const struct elfmod_elf *elf, uint64_t off, uint8_t *buf, uint32_t len,
			       uint8_t obj, uint32_t index, const char *field, int *rc)
{
	if (elf->src->data && elfmod__in_range(off, len, elf->src->size))
		return (const uint8_t *)elf->src->data + off;
	*rc = read_obj(elf, off, buf, len, obj, index, field);
	return *rc ? NULL : buf;
}

/* ---- decoding of the fixed-layout headers ---- */

static void decode_shdr(const struct elfmod_elf *elf, const uint8_t *b, struct elfmod_shdr *s)
{
	int be = elf->big_endian;
	if (elf->cls == 64) {
		s->name = elfmod__get32(b, be);
		s->type = elfmod__get32(b + 4, be);
		s->flags = elfmod__get64(b + 8, be);
		s->addr = elfmod__get64(b + 16, be);
		s->offset = elfmod__get64(b + 24, be);
		s->size = elfmod__get64(b + 32, be);
		s->link = elfmod__get32(b + 40, be);
		s->info = elfmod__get32(b + 44, be);
		s->addralign = elfmod__get64(b + 48, be);
		s->entsize = elfmod__get64(b + 56, be);
	} else {
		s->name = elfmod__get32(b, be);
		s->type = elfmod__get32(b + 4, be);
		s->flags = elfmod__get32(b + 8, be);
		s->addr = elfmod__get32(b + 12, be);
		s->offset = elfmod__get32(b + 16, be);
		s->size = elfmod__get32(b + 20, be);
		s->link = elfmod__get32(b + 24, be);
		s->info = elfmod__get32(b + 28, be);
		s->addralign = elfmod__get32(b + 32, be);
		s->entsize = elfmod__get32(b + 36, be);
	}
}

static void decode_phdr(const struct elfmod_elf *elf, const uint8_t *b, struct elfmod_phdr *p)
{
	int be = elf->big_endian;
	if (elf->cls == 64) {
		p->type = elfmod__get32(b, be);
		p->flags = elfmod__get32(b + 4, be);
		p->offset = elfmod__get64(b + 8, be);
		p->vaddr = elfmod__get64(b + 16, be);
		p->paddr = elfmod__get64(b + 24, be);
		p->filesz = elfmod__get64(b + 32, be);
		p->memsz = elfmod__get64(b + 40, be);
		p->align = elfmod__get64(b + 48, be);
	} else {
		p->type = elfmod__get32(b, be);
		p->offset = elfmod__get32(b + 4, be);
		p->vaddr = elfmod__get32(b + 8, be);
		p->paddr = elfmod__get32(b + 12, be);
		p->filesz = elfmod__get32(b + 16, be);
		p->memsz = elfmod__get32(b + 20, be);
		p->flags = elfmod__get32(b + 24, be);
		p->align = elfmod__get32(b + 28, be);
	}
}

int elfmod_elf_shdr(const struct elfmod_elf *elf, uint32_t idx, struct elfmod_shdr *out)
{
	uint8_t b[64];
	int rc;

	if (idx >= elf->shnum)
		return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, idx, "section index", idx);
	/* shoff + shnum * shentsize was checked at open, so this cannot wrap. */
	rc = read_obj(elf, elf->shoff + elfmod__mul_entsize(idx, elf->shentsize), b, elf->shentsize,
		      ELFMOD_OBJ_SHDR, idx, "section header");
	if (rc)
		return rc;
	decode_shdr(elf, b, out);
	return 0;
}

int elfmod_elf_phdr(const struct elfmod_elf *elf, uint32_t idx, struct elfmod_phdr *out)
{
	uint8_t b[56];
	int rc;

	if (idx >= elf->phnum)
		return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_PHDR, idx, "segment index", idx);
	rc = read_obj(elf, elf->phoff + elfmod__mul_entsize(idx, elf->phentsize), b, elf->phentsize,
		      ELFMOD_OBJ_PHDR, idx, "program header");
	if (rc)
		return rc;
	decode_phdr(elf, b, out);
	return 0;
}

/* ---- per-section and per-segment checks ---- */

static uint32_t sym_entsize(const struct elfmod_elf *elf)
{
	return elf->cls == 64 ? 24 : 16;
}

static uint32_t rel_entsize(const struct elfmod_elf *elf, uint32_t type)
{
	uint32_t w = elf->cls == 64 ? 8 : 4;
	return type == ELFMOD_SHT_RELA ? 3 * w : type == ELFMOD_SHT_REL ? 2 * w : w;
}

/* The section `idx` must exist and be one of the given types (0 in `t2` means "only t1"). */
static int check_link(const struct elfmod_elf *elf, uint32_t from, uint32_t idx, const char *field,
		      uint32_t t1, uint32_t t2)
{
	struct elfmod_shdr s;
	int rc;

	if (idx == 0 || idx >= elf->shnum)
		return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, from, field, idx);
	rc = elfmod_elf_shdr(elf, idx, &s);
	if (rc)
		return rc;
	if (s.type != t1 && (t2 == 0 || s.type != t2))
		return fail(elf, ELFMOD_ELINK, ELFMOD_OBJ_SHDR, from, field, idx);
	return 0;
}

static int check_table_entsize(const struct elfmod_elf *elf, uint32_t i, const struct elfmod_shdr *s,
			       uint32_t want)
{
	uint32_t rem;

	if (s->entsize != want)
		return fail(elf, ELFMOD_EENTSIZE, ELFMOD_OBJ_SHDR, i, "sh_entsize", s->entsize);
	elfmod__div_entsize(s->size, want, &rem);
	if (rem)
		return fail(elf, ELFMOD_EENTSIZE, ELFMOD_OBJ_SHDR, i, "sh_size", s->size);
	return 0;
}

static int check_section(struct elfmod_elf *elf, uint32_t i, uint64_t shstr_size)
{
	struct elfmod_shdr s, l;
	uint64_t end;
	uint32_t rem;
	int rc;

	rc = elfmod_elf_shdr(elf, i, &s);
	if (rc)
		return rc;
	if (elf->shstrndx && s.name >= shstr_size)
		return fail(elf, ELFMOD_ESTRING, ELFMOD_OBJ_SHDR, i, "sh_name", s.name);
	if (!elfmod__is_pow2_or_zero(s.addralign))
		return fail(elf, ELFMOD_EALIGN, ELFMOD_OBJ_SHDR, i, "sh_addralign", s.addralign);
	if (s.type != ELFMOD_SHT_NOBITS && s.type != ELFMOD_SHT_NULL) {
		if (!elfmod__add_ok(s.offset, s.size, &end))
			return fail(elf, ELFMOD_EOVERFLOW, ELFMOD_OBJ_SHDR, i, "sh_size", s.size);
		if (end > elf->src->size)
			return fail(elf, ELFMOD_ETRUNC, ELFMOD_OBJ_SHDR, i, "sh_offset", s.offset);
	}
	if (s.flags & ELFMOD_SHF_ALLOC) {
		uint64_t lim = elf->cls == 64 ? UINT64_MAX : UINT32_MAX;
		if (s.size && (s.addr > lim || s.size - 1 > lim - s.addr))
			return fail(elf, ELFMOD_EOVERFLOW, ELFMOD_OBJ_SHDR, i, "sh_addr", s.addr);
	}
	/* Linked sections must exist whatever the type; the types below also fix what they name. */
	if (s.link >= elf->shnum)
		return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, i, "sh_link", s.link);
	if ((s.flags & ELFMOD_SHF_INFO_LINK) && s.info >= elf->shnum)
		return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, i, "sh_info", s.info);

	switch (s.type) {
	case ELFMOD_SHT_SYMTAB:
	case ELFMOD_SHT_DYNSYM:
		rc = check_table_entsize(elf, i, &s, sym_entsize(elf));
		if (!rc)
			rc = check_link(elf, i, s.link, "sh_link", ELFMOD_SHT_STRTAB, 0);
		if (rc)
			return rc;
		/* sh_info is one past the last local symbol. */
		if (s.info && !elfmod__entry_in(s.info - 1, sym_entsize(elf), s.size))
			return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, i, "sh_info", s.info);
		if (s.type == ELFMOD_SHT_SYMTAB && !elf->symtab)
			elf->symtab = i;
		if (s.type == ELFMOD_SHT_DYNSYM && !elf->dynsym)
			elf->dynsym = i;
		break;
	case ELFMOD_SHT_STRTAB:
		/* A final NUL makes every in-range offset a terminated string. */
		if (s.size) {
			uint8_t last;
			rc = read_obj(elf, s.offset + s.size - 1, &last, 1, ELFMOD_OBJ_SHDR, i, "sh_offset");
			if (rc)
				return rc;
			if (last != 0)
				return fail(elf, ELFMOD_ESTRING, ELFMOD_OBJ_SHDR, i, "string table end", last);
		}
		break;
	case ELFMOD_SHT_REL:
	case ELFMOD_SHT_RELA:
		rc = check_table_entsize(elf, i, &s, rel_entsize(elf, s.type));
		if (rc)
			return rc;
		/* Dynamic relocation tables without symbols (static PIE) may link to nothing. */
		if (s.link) {
			rc = check_link(elf, i, s.link, "sh_link", ELFMOD_SHT_SYMTAB, ELFMOD_SHT_DYNSYM);
			if (rc)
				return rc;
		}
		if (s.info >= elf->shnum)
			return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, i, "sh_info", s.info);
		break;
	case ELFMOD_SHT_RELR:
		rc = check_table_entsize(elf, i, &s, rel_entsize(elf, s.type));
		if (rc)
			return rc;
		break;
	case ELFMOD_SHT_SYMTAB_SHNDX:
		rc = check_link(elf, i, s.link, "sh_link", ELFMOD_SHT_SYMTAB, 0);
		if (rc)
			return rc;
		rc = elfmod_elf_shdr(elf, s.link, &l);
		if (rc)
			return rc;
		if (s.entsize != 4 && s.entsize != 0)
			return fail(elf, ELFMOD_EENTSIZE, ELFMOD_OBJ_SHDR, i, "sh_entsize", s.entsize);
		if (s.size >> 2 < elfmod__div_entsize(l.size, sym_entsize(elf), &rem))
			return fail(elf, ELFMOD_ETRUNC, ELFMOD_OBJ_SHDR, i, "sh_size", s.size);
		elf->symtab_shndx = i;
		break;
	case ELFMOD_SHT_GROUP:
		rc = check_table_entsize(elf, i, &s, 4);
		if (!rc)
			rc = check_link(elf, i, s.link, "sh_link", ELFMOD_SHT_SYMTAB, 0);
		if (rc)
			return rc;
		rc = elfmod_elf_shdr(elf, s.link, &l);
		if (rc)
			return rc;
		if (!elfmod__entry_in(s.info, sym_entsize(elf), l.size))
			return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, i, "sh_info", s.info);
		break;
	case ELFMOD_SHT_HASH:
	case SHT_GNU_HASH:
		rc = check_link(elf, i, s.link, "sh_link", ELFMOD_SHT_DYNSYM, ELFMOD_SHT_SYMTAB);
		if (rc)
			return rc;
		break;
	case ELFMOD_SHT_DYNAMIC:
		rc = check_link(elf, i, s.link, "sh_link", ELFMOD_SHT_STRTAB, 0);
		if (rc)
			return rc;
		break;
	default:
		break;
	}
	return 0;
}

static int check_segment(const struct elfmod_elf *elf, uint32_t i)
{
	struct elfmod_phdr p;
	uint64_t end;
	uint64_t lim = elf->cls == 64 ? UINT64_MAX : UINT32_MAX;
	int rc;

	rc = elfmod_elf_phdr(elf, i, &p);
	if (rc)
		return rc;
	if (!elfmod__is_pow2_or_zero(p.align))
		return fail(elf, ELFMOD_EALIGN, ELFMOD_OBJ_PHDR, i, "p_align", p.align);
	/* Only a loaded segment must fit its file bytes in memory: non-loaded ones such as
	 * PT_RISCV_ATTRIBUTES legitimately have p_memsz 0 and file contents. */
	if (p.type == ELFMOD_PT_LOAD && p.filesz > p.memsz)
		return fail(elf, ELFMOD_ESEGMENT, ELFMOD_OBJ_PHDR, i, "p_filesz", p.filesz);
	if (!elfmod__add_ok(p.offset, p.filesz, &end))
		return fail(elf, ELFMOD_EOVERFLOW, ELFMOD_OBJ_PHDR, i, "p_filesz", p.filesz);
	if (end > elf->src->size)
		return fail(elf, ELFMOD_ETRUNC, ELFMOD_OBJ_PHDR, i, "p_offset", p.offset);
	/* The segment must fit the target's address space at both of its addresses; the
	 * last byte (not one past it) is what has to be addressable. */
	if (p.memsz && (p.memsz - 1 > lim - p.vaddr || p.vaddr > lim))
		return fail(elf, ELFMOD_EOVERFLOW, ELFMOD_OBJ_PHDR, i, "p_vaddr", p.vaddr);
	if (p.memsz && (p.memsz - 1 > lim - p.paddr || p.paddr > lim))
		return fail(elf, ELFMOD_EOVERFLOW, ELFMOD_OBJ_PHDR, i, "p_paddr", p.paddr);
	return 0;
}

/* ---- the header ---- */

static int open_header(struct elfmod_elf *elf, uint16_t *e_shnum, uint16_t *e_shstrndx,
		       uint16_t *e_phnum)
{
	const struct elfmod_source *src = elf->src;
	uint8_t b[64];
	int be, rc;
	size_t ehsize;

	if (src->size < EI_NIDENT)
		return fail(elf, src->size < 4 ? ELFMOD_EMAGIC : ELFMOD_ETRUNC, ELFMOD_OBJ_EHDR,
			    ELFMOD_NOINDEX, "e_ident", src->size);
	rc = read_obj(elf, 0, b, EI_NIDENT, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_ident");
	if (rc)
		return rc;
	if (b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
		return fail(elf, ELFMOD_EMAGIC, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_ident[EI_MAG]", b[0]);
	if (b[4] != ELFCLASS32 && b[4] != ELFCLASS64)
		return fail(elf, ELFMOD_ECLASS, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_ident[EI_CLASS]", b[4]);
	if (b[5] != 1 && b[5] != 2)
		return fail(elf, ELFMOD_EDATA, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_ident[EI_DATA]", b[5]);
	if (b[6] != 1)
		return fail(elf, ELFMOD_EVERSION, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_ident[EI_VERSION]", b[6]);
	elf->cls = b[4] == ELFCLASS64 ? 64 : 32;
	elf->big_endian = b[5] == 2;
	elf->osabi = b[7];
	be = elf->big_endian;
	ehsize = elf->cls == 64 ? 64 : 52;

	rc = read_obj(elf, 0, b, ehsize, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "ELF header");
	if (rc)
		return rc;
	elf->type = elfmod__get16(b + 16, be);
	elf->machine = elfmod__get16(b + 18, be);
	if (elfmod__get32(b + 20, be) != 1)
		return fail(elf, ELFMOD_EVERSION, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_version",
			    elfmod__get32(b + 20, be));
	if (elf->cls == 64) {
		elf->entry = elfmod__get64(b + 24, be);
		elf->phoff = elfmod__get64(b + 32, be);
		elf->shoff = elfmod__get64(b + 40, be);
		b[0] = 48; /* offset of e_flags and what follows, kept in a byte to share code */
	} else {
		elf->entry = elfmod__get32(b + 24, be);
		elf->phoff = elfmod__get32(b + 28, be);
		elf->shoff = elfmod__get32(b + 32, be);
		b[0] = 36;
	}
	{
		const uint8_t *t = b + b[0];
		elf->flags = elfmod__get32(t, be);
		if (elfmod__get16(t + 4, be) != ehsize)
			return fail(elf, ELFMOD_EHDRSIZE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_ehsize",
				    elfmod__get16(t + 4, be));
		elf->phentsize = elfmod__get16(t + 6, be);
		*e_phnum = elfmod__get16(t + 8, be);
		elf->shentsize = elfmod__get16(t + 10, be);
		*e_shnum = elfmod__get16(t + 12, be);
		*e_shstrndx = elfmod__get16(t + 14, be);
	}
	return 0;
}

int elfmod_elf_open(struct elfmod_elf *elf, const struct elfmod_source *src,
		    struct elfmod_diag *diag)
{
	uint16_t e_shnum = 0, e_shstrndx = 0, e_phnum = 0;
	struct elfmod_shdr s0, strsec;
	uint64_t tsize, end, shstr_size = 0;
	int rc;

	if (diag)
		elfmod__fail(diag, 0, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, NULL, 0);
	if (!elf)
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "elf", 0);
	memset(elf, 0, sizeof(*elf));
	elf->diag = diag;
	if (!src || (!src->data && !src->read))
		return elfmod__fail(diag, ELFMOD_EINVAL, ELFMOD_OBJ_NONE, ELFMOD_NOINDEX, "source", 0);
	elf->src = src;

	rc = open_header(elf, &e_shnum, &e_shstrndx, &e_phnum);
	if (rc)
		return rc;

	/* Section header table, with the extended-numbering escapes kept in section 0. */
	if (elf->shoff) {
		if (elf->shentsize != (elf->cls == 64 ? 64 : 40))
			return fail(elf, ELFMOD_EHDRSIZE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_shentsize",
				    elf->shentsize);
		elf->shnum = 1; /* enough to read section 0 */
		rc = elfmod_elf_shdr(elf, 0, &s0);
		if (rc)
			return fail(elf, rc, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_shoff", elf->shoff);
		if (e_shnum == 0) {
			if (s0.size > UINT32_MAX)
				return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, 0, "sh_size (e_shnum escape)",
					    s0.size);
			elf->shnum = (uint32_t)s0.size;
		} else {
			elf->shnum = e_shnum;
		}
		elf->shstrndx = e_shstrndx == ELFMOD_SHN_XINDEX ? s0.link : e_shstrndx;
		if (e_phnum == PN_XNUM)
			e_phnum = 0, elf->phnum = s0.info;
		tsize = elfmod__mul_entsize(elf->shnum, elf->shentsize);
		if (!elfmod__add_ok(elf->shoff, tsize, &end))
			return fail(elf, ELFMOD_EOVERFLOW, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_shnum", elf->shnum);
		if (end > src->size)
			return fail(elf, ELFMOD_ETRUNC, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_shoff", elf->shoff);
	} else {
		if (e_shnum)
			return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_shnum", e_shnum);
		if (e_phnum == PN_XNUM)
			return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_phnum", e_phnum);
		elf->shstrndx = e_shstrndx;
	}
	if (e_phnum != PN_XNUM && e_phnum)
		elf->phnum = e_phnum;
	if (elf->shstrndx && (elf->shstrndx >= elf->shnum ||
			      (e_shstrndx >= ELFMOD_SHN_LORESERVE && e_shstrndx != ELFMOD_SHN_XINDEX)))
		return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_shstrndx", elf->shstrndx);
	if (elf->shstrndx) {
		rc = elfmod_elf_shdr(elf, elf->shstrndx, &strsec);
		if (rc)
			return rc;
		if (strsec.type != ELFMOD_SHT_STRTAB)
			return fail(elf, ELFMOD_ELINK, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_shstrndx",
				    elf->shstrndx);
		shstr_size = strsec.size;
	}

	/* Program header table. */
	if (elf->phnum) {
		if (elf->phentsize != (elf->cls == 64 ? 56 : 32))
			return fail(elf, ELFMOD_EHDRSIZE, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_phentsize",
				    elf->phentsize);
		tsize = elfmod__mul_entsize(elf->phnum, elf->phentsize);
		if (!elfmod__add_ok(elf->phoff, tsize, &end))
			return fail(elf, ELFMOD_EOVERFLOW, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_phnum", elf->phnum);
		if (end > src->size)
			return fail(elf, ELFMOD_ETRUNC, ELFMOD_OBJ_EHDR, ELFMOD_NOINDEX, "e_phoff", elf->phoff);
	}

	for (uint32_t i = 1; i < elf->shnum; i++) {
		rc = check_section(elf, i, shstr_size);
		if (rc)
			return rc;
	}
	for (uint32_t i = 0; i < elf->phnum; i++) {
		rc = check_segment(elf, i);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- strings, symbols, relocations ---- */

static int get_typed(const struct elfmod_elf *elf, uint32_t idx, struct elfmod_shdr *s, uint32_t t1,
		     uint32_t t2)
{
	int rc = elfmod_elf_shdr(elf, idx, s);
	if (rc)
		return rc;
	if (idx == 0 || (s->type != t1 && s->type != t2))
		return fail(elf, ELFMOD_ELINK, ELFMOD_OBJ_SHDR, idx, "sh_type", s->type);
	return 0;
}

int elfmod_elf_string(const struct elfmod_elf *elf, uint32_t strtab, uint64_t off, char *buf,
		      size_t bufsz, const char **out)
{
	struct elfmod_shdr s;
	int rc = get_typed(elf, strtab, &s, ELFMOD_SHT_STRTAB, ELFMOD_SHT_STRTAB);

	return rc ? rc : elfmod__string(elf, strtab, &s, off, buf, bufsz, out);
}

int elfmod__string(const struct elfmod_elf *elf, uint32_t strtab, const struct elfmod_shdr *sp,
		   uint64_t off, char *buf, size_t bufsz, const char **out)
{
	const struct elfmod_shdr s = *sp;
	uint64_t pos;
	size_t n = 0;
	int rc;

	if (off >= s.size)
		return fail(elf, ELFMOD_ESTRING, ELFMOD_OBJ_SHDR, strtab, "string offset", off);
	pos = s.offset + off;
	if (elf->src->data) {
		/* open() saw the table's final NUL: the string ends inside the table. */
		*out = (const char *)elf->src->data + pos;
		return 0;
	}
	/* Copy in small chunks; the table's final NUL bounds the loop. */
	while (n < bufsz) {
		size_t chunk = bufsz - n < 32 ? bufsz - n : 32;
		uint64_t left = s.offset + s.size - (pos + n);
		if (chunk > left)
			chunk = (size_t)left;
		rc = read_obj(elf, pos + n, buf + n, chunk, ELFMOD_OBJ_SHDR, strtab, "string");
		if (rc)
			return rc;
		for (size_t k = 0; k < chunk; k++) {
			if (buf[n + k] == 0) {
				*out = buf;
				return 0;
			}
		}
		n += chunk;
	}
	return fail(elf, ELFMOD_ESPACE, ELFMOD_OBJ_SHDR, strtab, "string length", off);
}

int elfmod_elf_section_name(const struct elfmod_elf *elf, uint32_t idx, char *buf, size_t bufsz,
			    const char **out)
{
	struct elfmod_shdr s;
	int rc = elfmod_elf_shdr(elf, idx, &s);

	if (rc)
		return rc;
	if (!elf->shstrndx) {
		*out = "";
		return 0;
	}
	return elfmod_elf_string(elf, elf->shstrndx, s.name, buf, bufsz, out);
}

/* Number of whole entries of `es` bytes in `size` bytes, at most UINT32_MAX. */
static uint32_t entries(uint64_t size, uint32_t es)
{
	uint32_t rem;
	uint64_t n = elfmod__div_entsize(size, es, &rem);

	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

int elfmod_elf_sym_count(const struct elfmod_elf *elf, uint32_t symtab, uint32_t *count)
{
	struct elfmod_shdr s;
	int rc = get_typed(elf, symtab, &s, ELFMOD_SHT_SYMTAB, ELFMOD_SHT_DYNSYM);

	if (rc)
		return rc;
	*count = entries(s.size, sym_entsize(elf));
	return 0;
}

/* The table's bytes in place, when the source is addressable and holds all of them. */
static void table_view(const struct elfmod_elf *elf, struct elfmod__table *t, uint32_t es)
{
	t->data = NULL;
	t->count = entries(t->sh.size, es);
	if (elf->src->data && elfmod__in_range(t->sh.offset, t->sh.size, elf->src->size))
		t->data = (const uint8_t *)elf->src->data + t->sh.offset;
}

int elfmod__symtab_open(const struct elfmod_elf *elf, uint32_t symtab, struct elfmod__table *t)
{
	int rc = get_typed(elf, symtab, &t->sh, ELFMOD_SHT_SYMTAB, ELFMOD_SHT_DYNSYM);

	t->data = NULL;
	if (!rc)
		rc = elfmod_elf_shdr(elf, t->sh.link, &t->link); /* a string table: open() saw */
	t->idx = symtab;
	if (!rc)
		table_view(elf, t, sym_entsize(elf));
	return rc;
}

int elfmod_elf_sym(const struct elfmod_elf *elf, uint32_t symtab, uint32_t i, struct elfmod_sym *out)
{
	struct elfmod__table t;
	int rc = elfmod__symtab_open(elf, symtab, &t);

	return rc ? rc : elfmod__sym(elf, &t, i, out);
}

static int sym_read(const struct elfmod_elf *elf, const struct elfmod__table *t, uint32_t i,
		    struct elfmod_sym *out);

/* One Elf32_Sym/Elf64_Sym entry's fields, unchecked; returns st_shndx. */
ELFMOD__HOT_INLINE uint16_t decode_sym(const uint8_t *b, uint8_t cls, int be, struct elfmod_sym *out)
{
	out->name = elfmod__get32(b, be);
	if (cls == 64) {
		out->info = b[4];
		out->other = b[5];
		out->value = elfmod__get64(b + 8, be);
		out->size = elfmod__get64(b + 16, be);
		return elfmod__get16(b + 6, be);
	}
	out->value = elfmod__get32(b + 4, be);
	out->size = elfmod__get32(b + 8, be);
	out->info = b[12];
	out->other = b[13];
	return elfmod__get16(b + 14, be);
}

/* The common case decoded here, without a frame: the symbol's entry in place, its name
 * inside the string table, its section an ordinary one or a reserved value. Anything
 * else (a read callback, SHN_XINDEX, an error to report) takes the full reader. */
int elfmod__sym(const struct elfmod_elf *elf, const struct elfmod__table *t, uint32_t i,
		struct elfmod_sym *out)
{
	const uint8_t *b;
	int be = elf->big_endian;
	uint32_t shndx;

	if (!t->data || i >= t->count)
		return sym_read(elf, t, i, out);
	b = t->data + (size_t)i * (elf->cls == 64 ? 24 : 16);
	shndx = decode_sym(b, elf->cls, be, out);
	if ((out->name >= t->link.size && !(out->name == 0 && t->link.size == 0)) ||
	    shndx == ELFMOD_SHN_XINDEX || (shndx < ELFMOD_SHN_LORESERVE && shndx >= elf->shnum))
		return sym_read(elf, t, i, out);
	out->shndx = shndx;
	return 0;
}

__attribute__((noinline)) static int sym_read(const struct elfmod_elf *elf, const struct elfmod__table *t,
					      uint32_t i, struct elfmod_sym *out)
{
	const struct elfmod_shdr *s = &t->sh, *str = &t->link;
	uint32_t symtab = t->idx;
	uint8_t buf[24];
	const uint8_t *b;
	uint32_t es = sym_entsize(elf);
	int be = elf->big_endian, rc = 0;
	uint16_t shndx;

	if (!elfmod__entry_in(i, es, s->size))
		return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SYM, i, "symbol index", i);
	b = entry_at(elf, s->offset + elfmod__mul_entsize(i, es), buf, es, ELFMOD_OBJ_SYM, i, "symbol", &rc);
	if (!b)
		return rc;
	shndx = decode_sym(b, elf->cls, be, out);
	if (out->name >= str->size && !(out->name == 0 && str->size == 0))
		goto bad_name;
	out->shndx = shndx;
	if (shndx == ELFMOD_SHN_XINDEX) {
		struct elfmod_shdr x;
		uint8_t w[4];
		if (!elf->symtab_shndx || symtab != elf->symtab)
			goto bad_shndx;
		rc = elfmod_elf_shdr(elf, elf->symtab_shndx, &x);
		if (rc)
			return rc;
		/* open() only saw that the table covers the symbol table it links to; a file
		 * may have another, so it must be this table's and hold entry i. */
		if (x.link != symtab || !elfmod__entry_in(i, 4, x.size))
			goto bad_shndx;
		rc = read_obj(elf, x.offset + ((uint64_t)i << 2), w, 4, ELFMOD_OBJ_SYM, i, "SHT_SYMTAB_SHNDX");
		if (rc)
			return rc;
		out->shndx = elfmod__get32(w, be);
		if (out->shndx >= elf->shnum)
			goto bad_shndx;
	} else if (shndx < ELFMOD_SHN_LORESERVE && shndx >= elf->shnum) {
		goto bad_shndx;
	}
	return 0;

bad_name:
	rc = fail(elf, ELFMOD_ESTRING, ELFMOD_OBJ_SYM, i, "st_name", out->name);
	goto with_table;
bad_shndx:
	rc = fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_SYM, i, "st_shndx", out->shndx);
with_table:
	if (elf->diag)
		elf->diag->index2 = symtab;
	return rc;
}

int elfmod_elf_rel_count(const struct elfmod_elf *elf, uint32_t relsec, uint32_t *count)
{
	struct elfmod_shdr s;
	int rc = get_typed(elf, relsec, &s, ELFMOD_SHT_REL, ELFMOD_SHT_RELA);

	if (rc)
		return rc;
	*count = elfmod__rel_entries(elf, &s);
	return 0;
}

uint32_t elfmod__rel_entries(const struct elfmod_elf *elf, const struct elfmod_shdr *rs)
{
	return entries(rs->size, rel_entsize(elf, rs->type));
}

int elfmod__reltab_open(const struct elfmod_elf *elf, uint32_t relsec, struct elfmod__table *t)
{
	int rc = get_typed(elf, relsec, &t->sh, ELFMOD_SHT_REL, ELFMOD_SHT_RELA);

	if (rc)
		return rc;
	t->link.size = 0; /* without a linked table only symbol 0 (none) is valid */
	if (t->sh.link && (rc = elfmod_elf_shdr(elf, t->sh.link, &t->link)))
		return rc;
	return elfmod__reltab_known(elf, relsec, &t->sh, &t->link, t);
}

int elfmod__reltab_known(const struct elfmod_elf *elf, uint32_t relsec, const struct elfmod_shdr *rs,
			 const struct elfmod_shdr *symtab, struct elfmod__table *t)
{
	if (relsec == 0 || (rs->type != ELFMOD_SHT_REL && rs->type != ELFMOD_SHT_RELA))
		return fail(elf, ELFMOD_ELINK, ELFMOD_OBJ_SHDR, relsec, "sh_type", rs->type);
	if (elf->cls == 64 && elf->machine == ELFMOD_EM_MIPS)
		return fail(elf, ELFMOD_EUNSUPPORTED, ELFMOD_OBJ_SHDR, relsec, "MIPS64 r_info", 0);
	t->idx = relsec;
	t->sh = *rs;
	t->link = *symtab;
	table_view(elf, t, rel_entsize(elf, rs->type));
	t->linked = entries(symtab->size, sym_entsize(elf));
	return 0;
}

int elfmod_elf_rel(const struct elfmod_elf *elf, uint32_t relsec, uint32_t i, struct elfmod_rel *out)
{
	struct elfmod__table t;
	int rc = elfmod__reltab_open(elf, relsec, &t);

	return rc ? rc : elfmod__rel(elf, &t, i, out);
}

static int rel_read(const struct elfmod_elf *elf, const struct elfmod__table *t, uint32_t i,
		    struct elfmod_rel *out);

/* As elfmod__sym: an entry in place whose symbol index is in range decodes here. */
int elfmod__rel(const struct elfmod_elf *elf, const struct elfmod__table *t, uint32_t i,
		struct elfmod_rel *out)
{
	return elfmod__rel_in_place(elf, t, i, out) ? 0 : rel_read(elf, t, i, out);
}

__attribute__((noinline)) static int rel_read(const struct elfmod_elf *elf, const struct elfmod__table *t,
					      uint32_t i, struct elfmod_rel *out)
{
	const struct elfmod_shdr *s = &t->sh;
	uint32_t relsec = t->idx;
	uint8_t buf[24];
	const uint8_t *b;
	uint64_t symtab_size = t->link.size;
	uint32_t es;
	int be = elf->big_endian, rc = 0;

	es = rel_entsize(elf, s->type);
	if (!elfmod__entry_in(i, es, s->size))
		return fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_REL, i, "relocation index", i);
	b = entry_at(elf, s->offset + elfmod__mul_entsize(i, es), buf, es, ELFMOD_OBJ_REL, i, "relocation", &rc);
	if (!b)
		return rc;
	elfmod__decode_rel(b, elf->cls, be, s->type == ELFMOD_SHT_RELA, out);
	if (out->sym != 0 && !elfmod__entry_in(out->sym, sym_entsize(elf), symtab_size)) {
		rc = fail(elf, ELFMOD_EINDEX, ELFMOD_OBJ_REL, i, "r_info symbol", out->sym);
		if (elf->diag)
			elf->diag->index2 = relsec;
		return rc;
	}
	return 0;
}

/* ---- the dynamic section, read from the file (before anything is loaded) ---- */

/* The file offset of `len` bytes at link address `vaddr`, inside one PT_LOAD's file part. */
static int vaddr_to_off(const struct elfmod_elf *elf, uint64_t vaddr, uint64_t len, uint64_t *off)
{
	struct elfmod_phdr ph;
	int rc;

	for (uint32_t i = 0; i < elf->phnum; i++) {
		if ((rc = elfmod_elf_phdr(elf, i, &ph)))
			return rc;
		if (ph.type == ELFMOD_PT_LOAD && vaddr >= ph.vaddr && vaddr - ph.vaddr <= ph.filesz &&
		    ph.filesz - (vaddr - ph.vaddr) >= len) {
			*off = ph.offset + (vaddr - ph.vaddr);
			return 0;
		}
	}
	return fail(elf, ELFMOD_ERANGE, ELFMOD_OBJ_DYN, ELFMOD_NOINDEX, "address outside the file's segments", vaddr);
}

int elfmod_elf_needed(const struct elfmod_elf *elf, uint32_t n, char *buf, size_t bufsz, const char **out)
{
	uint32_t w = elf->cls == 64 ? 8 : 4, found = 0;
	uint64_t dyn_off = 0, dyn_size = 0, strtab = 0, strsz = 0, name = 0, off = 0;
	int have_name = 0, have_str = 0, have_sz = 0, rc;
	struct elfmod_phdr ph;
	uint8_t e[16];

	for (uint32_t i = 0; i < elf->phnum && !dyn_size; i++) {
		if ((rc = elfmod_elf_phdr(elf, i, &ph)))
			return rc;
		if (ph.type == 2 /* PT_DYNAMIC */) {
			dyn_off = ph.offset;
			dyn_size = ph.filesz;
		}
	}
	for (uint64_t at = 0; at + 2 * w <= dyn_size; at += 2 * w) {
		int64_t tag;
		uint64_t val;
		if ((rc = read_obj(elf, dyn_off + at, e, 2 * w, ELFMOD_OBJ_DYN, ELFMOD_NOINDEX, "dynamic entry")))
			return rc;
		tag = w == 8 ? (int64_t)elfmod__get64(e, elf->big_endian)
			     : (int64_t)(int32_t)elfmod__get32(e, elf->big_endian);
		val = w == 8 ? elfmod__get64(e + 8, elf->big_endian) : elfmod__get32(e + 4, elf->big_endian);
		if (tag == 0 /* DT_NULL */)
			break;
		if (tag == 1 /* DT_NEEDED */ && found++ == n) {
			name = val;
			have_name = 1;
		} else if (tag == 5 /* DT_STRTAB */) {
			strtab = val;
			have_str = 1;
		} else if (tag == 10 /* DT_STRSZ */) {
			strsz = val;
			have_sz = 1;
		}
	}
	if (!have_name)
		return ELFMOD_ENOTFOUND;
	if (!have_str || !have_sz || name >= strsz)
		return fail(elf, ELFMOD_ESTRING, ELFMOD_OBJ_DYN, n, "DT_NEEDED", name);
	if ((rc = vaddr_to_off(elf, strtab, strsz, &off)))
		return rc;
	for (size_t k = 0;; k++) {
		if (k == bufsz)
			return fail(elf, ELFMOD_ESPACE, ELFMOD_OBJ_DYN, n, "DT_NEEDED", name);
		if (name + k >= strsz)
			return fail(elf, ELFMOD_ESTRING, ELFMOD_OBJ_DYN, n, "DT_NEEDED", name);
		if ((rc = read_obj(elf, off + name + k, buf + k, 1, ELFMOD_OBJ_DYN, n, "DT_NEEDED")))
			return rc;
		if (!buf[k])
			break;
	}
	*out = buf;
	return 0;
}
