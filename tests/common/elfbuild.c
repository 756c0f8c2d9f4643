/* In-memory ELF writer for the tests: see elfbuild.h. */
#include "elfbuild.h"

#include <stdlib.h>
#include <string.h>

#define SHT_GNU_STACK_PT 0x6474e551u /* PT_GNU_STACK */
#define GRP_COMDAT 1u
#define STB_LOCAL 0
#define STB_GLOBAL 1
#define STT_NOTYPE 0
#define STT_OBJECT 1
#define STT_FUNC 2
#define STT_SECTION 3
#define STV_HIDDEN 2
#define ST_INFO(b, t) ((uint8_t)((b) << 4 | (t)))

#define TEXT_SIZE 64u
#define RODATA_SIZE 32u
#define DATA_SIZE 48u
#define BSS_SIZE 80u
#define XDATA_SIZE 8u
#define EXTRA_FILESZ 16u
#define EXTRA_MEMSZ 32u

static void put_n(uint8_t *p, uint64_t v, unsigned width, int be)
{
	for (unsigned i = 0; i < width; i++)
		p[be ? width - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_n(const uint8_t *p, unsigned width, int be)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v |= (uint64_t)p[be ? width - 1 - i : i] << (8 * i);
	return v;
}

uint64_t eb_get(const struct eb_file *f, struct eb_field fld)
{
	return get_n(f->data + fld.off, fld.width, f->o.be);
}

void eb_put(struct eb_file *f, struct eb_field fld, uint64_t v)
{
	put_n(f->data + fld.off, v, fld.width, f->o.be);
}

uint64_t eb_addr_max(const struct eb_file *f)
{
	return f->o.cls == 64 ? UINT64_MAX : UINT32_MAX;
}

uint64_t eb_r_info(const struct eb_file *f, uint32_t sym, uint32_t type)
{
	return f->o.cls == 64 ? (uint64_t)sym << 32 | type : (uint64_t)sym << 8 | (type & 0xff);
}

struct elfmod_source eb_source(const struct eb_file *f)
{
	struct elfmod_source s;

	memset(&s, 0, sizeof(s));
	s.data = f->data;
	s.size = f->size;
	return s;
}

/* ---- field locations ---- */

struct eb_field eb_ehdr(const struct eb_file *f, enum eb_ehdr_field which)
{
	int w64 = f->o.cls == 64;
	unsigned aw = w64 ? 8 : 4, t = w64 ? 48 : 36; /* t: offset of e_flags */
	struct eb_field r = { 0, 1 };

	switch (which) {
	case EB_E_MAG0: r.off = 0; break;
	case EB_E_MAG3: r.off = 3; break;
	case EB_E_CLASS: r.off = 4; break;
	case EB_E_DATA: r.off = 5; break;
	case EB_E_IDVERSION: r.off = 6; break;
	case EB_E_OSABI: r.off = 7; break;
	case EB_E_TYPE: r.off = 16, r.width = 2; break;
	case EB_E_MACHINE: r.off = 18, r.width = 2; break;
	case EB_E_VERSION: r.off = 20, r.width = 4; break;
	case EB_E_ENTRY: r.off = 24, r.width = aw; break;
	case EB_E_PHOFF: r.off = 24 + aw, r.width = aw; break;
	case EB_E_SHOFF: r.off = 24 + 2 * aw, r.width = aw; break;
	case EB_E_FLAGS: r.off = t, r.width = 4; break;
	case EB_E_EHSIZE: r.off = t + 4, r.width = 2; break;
	case EB_E_PHENTSIZE: r.off = t + 6, r.width = 2; break;
	case EB_E_PHNUM: r.off = t + 8, r.width = 2; break;
	case EB_E_SHENTSIZE: r.off = t + 10, r.width = 2; break;
	case EB_E_SHNUM: r.off = t + 12, r.width = 2; break;
	case EB_E_SHSTRNDX: r.off = t + 14, r.width = 2; break;
	}
	return r;
}

struct eb_field eb_shdr(const struct eb_file *f, uint32_t idx, enum eb_shdr_field which)
{
	/* ELF64 widens flags, addr, offset, size, addralign and entsize to 8 bytes. */
	static const uint8_t off32[] = { 0, 4, 8, 12, 16, 20, 24, 28, 32, 36 };
	static const uint8_t off64[] = { 0, 4, 8, 16, 24, 32, 40, 44, 48, 56 };
	static const uint8_t w32[] = { 4, 4, 4, 4, 4, 4, 4, 4, 4, 4 };
	static const uint8_t w64[] = { 4, 4, 8, 8, 8, 8, 4, 4, 8, 8 };
	int c64 = f->o.cls == 64;
	struct eb_field r;

	r.off = f->shoff + (uint64_t)idx * f->shentsize + (c64 ? off64 : off32)[which];
	r.width = (c64 ? w64 : w32)[which];
	return r;
}

struct eb_field eb_phdr(const struct eb_file *f, uint32_t idx, enum eb_phdr_field which)
{
	/* ELF32 keeps p_flags after p_memsz; ELF64 moves it next to p_type. */
	static const uint8_t off32[] = { 0, 24, 4, 8, 12, 16, 20, 28 };
	static const uint8_t off64[] = { 0, 4, 8, 16, 24, 32, 40, 48 };
	static const uint8_t w64[] = { 4, 4, 8, 8, 8, 8, 8, 8 };
	int c64 = f->o.cls == 64;
	struct eb_field r;

	r.off = f->phoff + (uint64_t)idx * f->phentsize + (c64 ? off64 : off32)[which];
	r.width = c64 ? w64[which] : 4;
	return r;
}

struct eb_field eb_symf(const struct eb_file *f, uint32_t idx, enum eb_sym_field which)
{
	static const uint8_t off32[] = { 0, 4, 8, 12, 13, 14 };
	static const uint8_t w32[] = { 4, 4, 4, 1, 1, 2 };
	static const uint8_t off64[] = { 0, 8, 16, 4, 5, 6 };
	static const uint8_t w64[] = { 4, 8, 8, 1, 1, 2 };
	int c64 = f->o.cls == 64;
	struct eb_field r;

	r.off = f->sh[f->idx[EB_SYMTAB]].offset + (uint64_t)idx * f->symentsize +
		(c64 ? off64 : off32)[which];
	r.width = (c64 ? w64 : w32)[which];
	return r;
}

struct eb_field eb_relf(const struct eb_file *f, int rela, uint32_t idx, enum eb_rel_field which)
{
	unsigned w = f->o.cls == 64 ? 8 : 4;
	struct eb_field r;

	r.off = (rela ? f->rela_off : f->rel_off)[idx] + which * w;
	r.width = w;
	return r;
}

/* ---- building ---- */

struct strtab {
	char buf[1024];
	uint32_t len;
};

static uint32_t str_add(struct strtab *t, const char *s)
{
	uint32_t at = t->len;
	size_t n = strlen(s) + 1;

	memcpy(t->buf + t->len, s, n);
	t->len += (uint32_t)n;
	return at;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) & ~(a - 1) : v;
}

static uint32_t add_sec(struct eb_file *f, const char *name, uint32_t type, uint64_t flags,
			uint64_t addr, uint64_t size, uint64_t align, uint64_t entsize)
{
	uint32_t i = f->shnum++;
	struct elfmod_shdr *s = &f->sh[i];

	memset(s, 0, sizeof(*s));
	f->sec_name[i] = name;
	s->type = type;
	s->flags = flags;
	s->addr = addr;
	s->size = size;
	s->addralign = align;
	s->entsize = entsize;
	return i;
}

static void set_sym(struct eb_file *f, uint32_t i, const char *name, uint64_t value, uint64_t size,
		    uint8_t info, uint8_t other, uint32_t shndx)
{
	struct elfmod_sym *s = &f->sym[i];

	f->sym_name[i] = name;
	s->value = value;
	s->size = size;
	s->info = info;
	s->other = other;
	s->shndx = shndx;
	f->sym_raw_shndx[i] = shndx >= ELFMOD_SHN_LORESERVE && shndx != ELFMOD_SHN_ABS &&
					      shndx != ELFMOD_SHN_COMMON
				      ? ELFMOD_SHN_XINDEX
				      : (uint16_t)shndx;
}

static void write_shdr(struct eb_file *f, uint32_t i)
{
	const struct elfmod_shdr *s = &f->sh[i];

	eb_put(f, eb_shdr(f, i, EB_SH_NAME), s->name);
	eb_put(f, eb_shdr(f, i, EB_SH_TYPE), s->type);
	eb_put(f, eb_shdr(f, i, EB_SH_FLAGS), s->flags);
	eb_put(f, eb_shdr(f, i, EB_SH_ADDR), s->addr);
	eb_put(f, eb_shdr(f, i, EB_SH_OFFSET), s->offset);
	eb_put(f, eb_shdr(f, i, EB_SH_SIZE), s->size);
	eb_put(f, eb_shdr(f, i, EB_SH_LINK), s->link);
	eb_put(f, eb_shdr(f, i, EB_SH_INFO), s->info);
	eb_put(f, eb_shdr(f, i, EB_SH_ADDRALIGN), s->addralign);
	eb_put(f, eb_shdr(f, i, EB_SH_ENTSIZE), s->entsize);
}

static void write_phdr(struct eb_file *f, uint32_t i)
{
	const struct elfmod_phdr *p = &f->ph[i];

	eb_put(f, eb_phdr(f, i, EB_P_TYPE), p->type);
	eb_put(f, eb_phdr(f, i, EB_P_FLAGS), p->flags);
	eb_put(f, eb_phdr(f, i, EB_P_OFFSET), p->offset);
	eb_put(f, eb_phdr(f, i, EB_P_VADDR), p->vaddr);
	eb_put(f, eb_phdr(f, i, EB_P_PADDR), p->paddr);
	eb_put(f, eb_phdr(f, i, EB_P_FILESZ), p->filesz);
	eb_put(f, eb_phdr(f, i, EB_P_MEMSZ), p->memsz);
	eb_put(f, eb_phdr(f, i, EB_P_ALIGN), p->align);
}

static void fill(uint8_t *p, uint64_t n, uint8_t seed, uint8_t step)
{
	for (uint64_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + step * i);
}

int eb_build(struct eb_file *f, const struct eb_opts *opts)
{
	struct eb_opts o = *opts;
	struct strtab shstr = { { 0 }, 1 }, str = { { 0 }, 1 };
	uint32_t maxsec, i;
	uint64_t off, base, extra_off[EB_MAX_SEGS] = { 0 };
	int rel = 0;

	memset(f, 0, sizeof(*f));
	if (o.cls != 32 && o.cls != 64)
		return -1;
	if (!o.machine)
		o.machine = ELFMOD_EM_X86_64;
	if (!o.type)
		o.type = ELFMOD_ET_EXEC;
	if (o.type == ELFMOD_ET_REL)
		o.no_segments = 1, rel = 1;
	if (!o.nload)
		o.nload = 3;
	if (o.nload + 1 > EB_MAX_SEGS)
		return -1;
	if (o.no_sections && (o.ext_shnum || o.ext_shstrndx || o.ext_phnum || o.xindex || o.fillers))
		return -1;
	if (o.no_sections && o.no_segments)
		return -1;
	if (o.local_name && strlen(o.local_name) > 300)
		return -1;
	f->o = o;
	base = rel ? 0 : o.base;
	f->ehsize = o.cls == 64 ? 64 : 52;
	f->phentsize = o.cls == 64 ? 56 : 32;
	f->shentsize = o.cls == 64 ? 64 : 40;
	f->symentsize = o.cls == 64 ? 24 : 16;

	/* ---- the section model (kept even for segment-only files: it holds the contents) ---- */
	maxsec = EB_NSEC + 1 + o.fillers;
	f->sh = calloc(maxsec, sizeof(*f->sh));
	f->sec_name = calloc(maxsec, sizeof(*f->sec_name));
	if (!f->sh || !f->sec_name) {
		eb_free(f);
		return -1;
	}
	f->sec_name[0] = "";
	f->shnum = 1;
	f->idx[EB_TEXT] = add_sec(f, ".text", ELFMOD_SHT_PROGBITS, ELFMOD_SHF_ALLOC | ELFMOD_SHF_EXECINSTR,
				  base, TEXT_SIZE, 16, 0);
	f->idx[EB_RODATA] = add_sec(f, ".rodata", ELFMOD_SHT_PROGBITS, ELFMOD_SHF_ALLOC,
				    rel ? 0 : base + 0x1000, RODATA_SIZE, 8, 0);
	f->idx[EB_DATA] = add_sec(f, ".data", ELFMOD_SHT_PROGBITS, ELFMOD_SHF_ALLOC | ELFMOD_SHF_WRITE,
				  rel ? 0 : base + 0x2000, DATA_SIZE, 8, 0);
	f->idx[EB_BSS] = add_sec(f, ".bss", ELFMOD_SHT_NOBITS, ELFMOD_SHF_ALLOC | ELFMOD_SHF_WRITE,
				 rel ? 0 : base + 0x2000 + DATA_SIZE, BSS_SIZE, 16, 0);
	f->nsyms = o.xindex ? EB_SYM_FAR + 1 : EB_SYM_FAR;
	f->idx[EB_SYMTAB] = add_sec(f, ".symtab", ELFMOD_SHT_SYMTAB, 0, 0,
				    (uint64_t)f->nsyms * f->symentsize, o.cls == 64 ? 8 : 4, f->symentsize);
	f->idx[EB_STRTAB] = add_sec(f, ".strtab", ELFMOD_SHT_STRTAB, 0, 0, 0, 1, 0);
	f->idx[EB_RELA] = add_sec(f, ".rela.text", ELFMOD_SHT_RELA, ELFMOD_SHF_INFO_LINK, 0,
				  EB_NRELA * 3u * (o.cls / 8), o.cls / 8, 3u * (o.cls / 8));
	f->idx[EB_REL] = add_sec(f, ".rel.data", ELFMOD_SHT_REL, 0, 0, EB_NREL * 2u * (o.cls / 8),
				 o.cls / 8, 2u * (o.cls / 8));
	f->idx[EB_GROUP] = add_sec(f, ".group", ELFMOD_SHT_GROUP, 0, 0, 8, 4, 4);
	if (o.xindex)
		f->idx[EB_SHNDX] = add_sec(f, ".symtab_shndx", ELFMOD_SHT_SYMTAB_SHNDX, 0, 0,
					   (uint64_t)f->nsyms * 4, 4, 4);
	for (i = 0; i < o.fillers; i++)
		add_sec(f, ".fill", ELFMOD_SHT_PROGBITS, 0, 0, 0, 1, 0);
	if (o.xindex)
		f->idx[EB_XDATA] = add_sec(f, ".xdata", ELFMOD_SHT_PROGBITS, 0, 0, XDATA_SIZE, 1, 0);
	f->idx[EB_SHSTRTAB] = add_sec(f, ".shstrtab", ELFMOD_SHT_STRTAB, 0, 0, 0, 1, 0);

	f->sh[f->idx[EB_SYMTAB]].link = f->idx[EB_STRTAB];
	f->sh[f->idx[EB_SYMTAB]].info = EB_FIRST_GLOBAL;
	f->sh[f->idx[EB_RELA]].link = f->idx[EB_SYMTAB];
	f->sh[f->idx[EB_RELA]].info = f->idx[EB_TEXT];
	f->sh[f->idx[EB_REL]].link = f->idx[EB_SYMTAB];
	f->sh[f->idx[EB_REL]].info = f->idx[EB_DATA];
	f->sh[f->idx[EB_GROUP]].link = f->idx[EB_SYMTAB];
	f->sh[f->idx[EB_GROUP]].info = EB_SYM_GRP_SIG;
	if (o.xindex)
		f->sh[f->idx[EB_SHNDX]].link = f->idx[EB_SYMTAB];

	/* Section names: one copy per distinct name, fillers share theirs. */
	{
		uint32_t fill_name = 0;
		for (i = 1; i < f->shnum; i++) {
			if (!strcmp(f->sec_name[i], ".fill")) {
				if (!fill_name)
					fill_name = str_add(&shstr, ".fill");
				f->sh[i].name = fill_name;
			} else {
				f->sh[i].name = str_add(&shstr, f->sec_name[i]);
			}
		}
	}
	f->sh[f->idx[EB_SHSTRTAB]].size = shstr.len;
	f->shstrndx = f->idx[EB_SHSTRTAB];

	/* Symbols. Values are addresses in a linked file and section offsets in ET_REL. */
	set_sym(f, EB_SYM_TEXTSEC, "", base, 0, ST_INFO(STB_LOCAL, STT_SECTION), 0, f->idx[EB_TEXT]);
	set_sym(f, EB_SYM_LOCAL_FN, o.local_name ? o.local_name : "local_fn", base + 0x10, 8, ST_INFO(STB_LOCAL, STT_FUNC),
		STV_HIDDEN, f->idx[EB_TEXT]);
	set_sym(f, EB_SYM_GRP_SIG, "grp_sig", base, 0, ST_INFO(STB_LOCAL, STT_NOTYPE), 0,
		f->idx[EB_TEXT]);
	set_sym(f, EB_SYM_START, "_start", base + 8, 16, ST_INFO(STB_GLOBAL, STT_FUNC), 0,
		f->idx[EB_TEXT]);
	set_sym(f, EB_SYM_DATA_VAR, "data_var", f->sh[f->idx[EB_DATA]].addr + 4, 4,
		ST_INFO(STB_GLOBAL, STT_OBJECT), 0, f->idx[EB_DATA]);
	set_sym(f, EB_SYM_BSS_VAR, "bss_var", f->sh[f->idx[EB_BSS]].addr, 8,
		ST_INFO(STB_GLOBAL, STT_OBJECT), 0, f->idx[EB_BSS]);
	set_sym(f, EB_SYM_EXT_FUNC, "ext_func", 0, 0, ST_INFO(STB_GLOBAL, STT_NOTYPE), 0,
		ELFMOD_SHN_UNDEF);
	set_sym(f, EB_SYM_ABS, "abs_sym", 0x1234, 0, ST_INFO(STB_GLOBAL, STT_NOTYPE), 0,
		ELFMOD_SHN_ABS);
	if (o.xindex) {
		set_sym(f, EB_SYM_FAR, "far_var", 4, 4, ST_INFO(STB_GLOBAL, STT_OBJECT), 0,
			f->idx[EB_XDATA]);
		/* Small indices are written as SHN_XINDEX too: that is what is being tested. */
		f->sym_raw_shndx[EB_SYM_FAR] = ELFMOD_SHN_XINDEX;
	}
	f->sym_name[EB_SYM_NULL] = "";
	for (i = 1; i < f->nsyms; i++)
		f->sym[i].name = f->sym_name[i][0] ? str_add(&str, f->sym_name[i]) : 0;
	f->sh[f->idx[EB_STRTAB]].size = str.len;

	/* Relocations: an undefined function, a data symbol, a section symbol; two REL words. */
	{
		const struct elfmod_rel ra[EB_NRELA] = {
			{ base + 0x20, 2, EB_SYM_EXT_FUNC, -4 },
			{ base + 0x28, 1, EB_SYM_DATA_VAR, 0x10 },
			{ base + 0x30, 3, EB_SYM_TEXTSEC, o.cls == 64 ? -0x123456789ll : -0x12345678ll },
		};
		const struct elfmod_rel rr[EB_NREL] = {
			{ f->sh[f->idx[EB_DATA]].addr, 1, EB_SYM_START, 0 },
			{ f->sh[f->idx[EB_DATA]].addr + 8, 8, 0, 0 },
		};
		memcpy(f->rela, ra, sizeof(ra));
		memcpy(f->rel, rr, sizeof(rr));
	}

	/* ---- program headers ---- */
	if (!o.no_segments) {
		const struct elfmod_shdr *t = &f->sh[f->idx[EB_TEXT]], *d = &f->sh[f->idx[EB_DATA]],
					 *r = &f->sh[f->idx[EB_RODATA]];
		struct elfmod_phdr *p = f->ph;

		p[0] = (struct elfmod_phdr){ ELFMOD_PT_LOAD, ELFMOD_PF_R | ELFMOD_PF_X, 0, t->addr,
					     t->addr, TEXT_SIZE, TEXT_SIZE, 16 };
		f->phnum = 1;
		if (o.nload >= 2)
			p[f->phnum++] = (struct elfmod_phdr){ ELFMOD_PT_LOAD, ELFMOD_PF_R | ELFMOD_PF_W, 0,
							      d->addr, d->addr, DATA_SIZE,
							      DATA_SIZE + BSS_SIZE, 16 };
		if (o.nload >= 3)
			p[f->phnum++] = (struct elfmod_phdr){ ELFMOD_PT_LOAD, ELFMOD_PF_R, 0, r->addr,
							      r->addr, RODATA_SIZE, RODATA_SIZE, 8 };
		for (i = 3; i < o.nload; i++)
			p[f->phnum++] = (struct elfmod_phdr){ ELFMOD_PT_LOAD, ELFMOD_PF_R, 0,
							      base + 0x3000 + (i - 3) * 0x100, 0,
							      EXTRA_FILESZ, EXTRA_MEMSZ, 4 };
		if (!o.no_stack_phdr)
			p[f->phnum++] = (struct elfmod_phdr){ SHT_GNU_STACK_PT, ELFMOD_PF_R | ELFMOD_PF_W,
							      0, 0, 0, 0, 0, 16 };
		for (i = 0; i < f->phnum; i++)
			if (p[i].type == ELFMOD_PT_LOAD)
				p[i].paddr = p[i].vaddr + o.paddr_delta;
	}
	f->entry = rel ? 0 : base + 8;

	/* ---- extended numbering ---- */
	f->e_shnum = (uint16_t)f->shnum;
	f->e_shstrndx = (uint16_t)f->shstrndx;
	f->e_phnum = (uint16_t)f->phnum;
	if (o.ext_shnum || f->shnum >= ELFMOD_SHN_LORESERVE) {
		f->e_shnum = 0;
		f->sh[0].size = f->shnum;
	}
	if (o.ext_shstrndx || f->shstrndx >= ELFMOD_SHN_LORESERVE) {
		f->e_shstrndx = ELFMOD_SHN_XINDEX;
		f->sh[0].link = f->shstrndx;
	}
	if (o.ext_phnum) {
		f->e_phnum = 0xffff;
		f->sh[0].info = f->phnum;
	}
	if (o.no_sections) {
		f->e_shnum = 0;
		f->e_shstrndx = 0;
	}

	/* ---- layout ---- */
	off = f->ehsize;
	if (f->phnum) {
		f->phoff = off;
		off += (uint64_t)f->phnum * f->phentsize;
	}
	if (!o.no_sections && o.shdrs_first) {
		off = align_up(off, 8);
		f->shoff = off;
		off += (uint64_t)f->shnum * f->shentsize;
	}
	for (i = 1; i < f->shnum; i++) {
		struct elfmod_shdr *s = &f->sh[i];
		if (o.no_sections && i != f->idx[EB_TEXT] && i != f->idx[EB_RODATA] &&
		    i != f->idx[EB_DATA])
			continue;
		off = align_up(off, s->addralign > 16 ? s->addralign : 16);
		s->offset = off;
		if (s->type != ELFMOD_SHT_NOBITS)
			off += s->size;
	}
	for (i = 3; i < o.nload && !o.no_segments; i++) {
		off = align_up(off, 16);
		extra_off[i] = off;
		off += EXTRA_FILESZ;
	}
	if (!o.no_sections && !o.shdrs_first) {
		off = align_up(off, 8);
		f->shoff = off;
		off += (uint64_t)f->shnum * f->shentsize;
	}
	if (o.no_sections) {
		/* The model keeps its sections for the contents, but the file has none. */
		f->shnum = 0;
		f->shstrndx = 0;
	}
	f->size = (size_t)off;
	for (i = 0; i < f->phnum && !o.no_segments; i++) {
		struct elfmod_phdr *p = &f->ph[i];
		if (p->type != ELFMOD_PT_LOAD)
			continue;
		if (i == 0)
			p->offset = f->sh[f->idx[EB_TEXT]].offset;
		else if (i == 1)
			p->offset = f->sh[f->idx[EB_DATA]].offset;
		else if (i == 2)
			p->offset = f->sh[f->idx[EB_RODATA]].offset;
		else
			p->offset = extra_off[i];
	}
	for (i = 0; i < EB_NRELA; i++)
		f->rela_off[i] = f->sh[f->idx[EB_RELA]].offset + (uint64_t)i * 3 * (o.cls / 8);
	for (i = 0; i < EB_NREL; i++)
		f->rel_off[i] = f->sh[f->idx[EB_REL]].offset + (uint64_t)i * 2 * (o.cls / 8);
	for (i = 0; i < f->nsyms; i++)
		f->sym_off[i] = f->sh[f->idx[EB_SYMTAB]].offset + (uint64_t)i * f->symentsize;

	f->data = calloc(1, f->size ? f->size : 1);
	if (!f->data) {
		eb_free(f);
		return -1;
	}

	/* ---- serialize ---- */
	{
		uint8_t *d = f->data;
		const uint8_t id[8] = { 0x7f, 'E', 'L', 'F', o.cls == 64 ? 2 : 1, o.be ? 2 : 1, 1, 0 };
		memcpy(d, id, sizeof(id));
		eb_put(f, eb_ehdr(f, EB_E_TYPE), o.type);
		eb_put(f, eb_ehdr(f, EB_E_MACHINE), o.machine);
		eb_put(f, eb_ehdr(f, EB_E_VERSION), 1);
		eb_put(f, eb_ehdr(f, EB_E_ENTRY), f->entry);
		eb_put(f, eb_ehdr(f, EB_E_PHOFF), f->phoff);
		eb_put(f, eb_ehdr(f, EB_E_SHOFF), f->shoff);
		eb_put(f, eb_ehdr(f, EB_E_FLAGS), 0x1234);
		eb_put(f, eb_ehdr(f, EB_E_EHSIZE), f->ehsize);
		eb_put(f, eb_ehdr(f, EB_E_PHENTSIZE), f->phnum ? f->phentsize : 0);
		eb_put(f, eb_ehdr(f, EB_E_PHNUM), f->e_phnum);
		eb_put(f, eb_ehdr(f, EB_E_SHENTSIZE), o.no_sections ? 0 : f->shentsize);
		eb_put(f, eb_ehdr(f, EB_E_SHNUM), f->e_shnum);
		eb_put(f, eb_ehdr(f, EB_E_SHSTRNDX), f->e_shstrndx);

		fill(d + f->sh[f->idx[EB_TEXT]].offset, TEXT_SIZE, 0x11, 3);
		fill(d + f->sh[f->idx[EB_RODATA]].offset, RODATA_SIZE, 0x40, 1);
		fill(d + f->sh[f->idx[EB_DATA]].offset, DATA_SIZE, 0x80, 5);
		for (i = 3; i < o.nload && !o.no_segments; i++)
			fill(d + extra_off[i], EXTRA_FILESZ, (uint8_t)(0xc0 + i), 1);
		for (i = 0; i < f->phnum; i++)
			write_phdr(f, i);
		if (!o.no_sections) {
			memcpy(d + f->sh[f->idx[EB_STRTAB]].offset, str.buf, str.len);
			memcpy(d + f->sh[f->idx[EB_SHSTRTAB]].offset, shstr.buf, shstr.len);
			for (i = 1; i < f->nsyms; i++) {
				eb_put(f, eb_symf(f, i, EB_ST_NAME), f->sym[i].name);
				eb_put(f, eb_symf(f, i, EB_ST_VALUE), f->sym[i].value);
				eb_put(f, eb_symf(f, i, EB_ST_SIZE), f->sym[i].size);
				eb_put(f, eb_symf(f, i, EB_ST_INFO), f->sym[i].info);
				eb_put(f, eb_symf(f, i, EB_ST_OTHER), f->sym[i].other);
				eb_put(f, eb_symf(f, i, EB_ST_SHNDX), f->sym_raw_shndx[i]);
			}
			for (i = 0; i < EB_NRELA; i++) {
				eb_put(f, eb_relf(f, 1, i, EB_R_OFFSET), f->rela[i].offset);
				eb_put(f, eb_relf(f, 1, i, EB_R_INFO),
				       eb_r_info(f, f->rela[i].sym, f->rela[i].type));
				eb_put(f, eb_relf(f, 1, i, EB_R_ADDEND), (uint64_t)f->rela[i].addend);
			}
			for (i = 0; i < EB_NREL; i++) {
				eb_put(f, eb_relf(f, 0, i, EB_R_OFFSET), f->rel[i].offset);
				eb_put(f, eb_relf(f, 0, i, EB_R_INFO),
				       eb_r_info(f, f->rel[i].sym, f->rel[i].type));
			}
			{
				uint64_t g = f->sh[f->idx[EB_GROUP]].offset;
				put_n(d + g, GRP_COMDAT, 4, o.be);
				put_n(d + g + 4, f->idx[EB_TEXT], 4, o.be);
			}
			if (o.xindex) {
				put_n(d + f->sh[f->idx[EB_SHNDX]].offset + 4u * EB_SYM_FAR,
				      f->idx[EB_XDATA], 4, o.be);
				fill(d + f->sh[f->idx[EB_XDATA]].offset, XDATA_SIZE, 0x5a, 0);
			}
			for (i = 0; i < f->shnum; i++)
				write_shdr(f, i);
		}
	}
	return 0;
}

void eb_free(struct eb_file *f)
{
	free(f->data);
	free(f->sh);
	free(f->sec_name);
	memset(f, 0, sizeof(*f));
}

int eb_clone(struct eb_file *dst, const struct eb_file *src)
{
	size_t nsec = EB_NSEC + 1 + src->o.fillers;

	*dst = *src;
	dst->data = malloc(src->size ? src->size : 1);
	dst->sh = malloc(nsec * sizeof(*dst->sh));
	dst->sec_name = malloc(nsec * sizeof(*dst->sec_name));
	if (!dst->data || !dst->sh || !dst->sec_name) {
		free(dst->data);
		free(dst->sh);
		free(dst->sec_name);
		memset(dst, 0, sizeof(*dst));
		return -1;
	}
	memcpy(dst->data, src->data, src->size);
	memcpy(dst->sh, src->sh, nsec * sizeof(*dst->sh));
	memcpy(dst->sec_name, src->sec_name, nsec * sizeof(*dst->sec_name));
	return 0;
}
