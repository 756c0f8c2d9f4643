/*
 * Unit tests of the parser on valid files: every decoded field of every header, section,
 * segment, symbol and relocation against the model elfbuild wrote, for both classes and
 * byte orders, both source kinds, extended numbering and SHN_XINDEX; a read callback
 * that fails on each of its calls in turn; string copies into small buffers; the
 * accessors' own range errors.
 */
#include "check.h"
#include "elfbuild.h"
#include "memsrc.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>

static char ctxbuf[256];

static const char *describe(const struct eb_file *f, const char *what, int cb)
{
	snprintf(ctxbuf, sizeof(ctxbuf), "%s ELF%d%s m%u%s%s%s%s%s fill%u %s", what, f->o.cls,
		 f->o.be ? "BE" : "LE", f->o.machine, f->o.xindex ? " xindex" : "",
		 f->o.ext_shnum ? " ext_shnum" : "", f->o.ext_shstrndx ? " ext_shstrndx" : "",
		 f->o.ext_phnum ? " ext_phnum" : "", f->o.shdrs_first ? " shdrs_first" : "",
		 f->o.fillers, cb ? "callback" : "buffer");
	check_ctx = ctxbuf;
	return ctxbuf;
}

static void check_shdr_eq(const struct elfmod_shdr *a, const struct elfmod_shdr *b)
{
	CHECK_EQ(a->name, b->name);
	CHECK_EQ(a->type, b->type);
	CHECK_EQ(a->flags, b->flags);
	CHECK_EQ(a->addr, b->addr);
	CHECK_EQ(a->offset, b->offset);
	CHECK_EQ(a->size, b->size);
	CHECK_EQ(a->link, b->link);
	CHECK_EQ(a->info, b->info);
	CHECK_EQ(a->addralign, b->addralign);
	CHECK_EQ(a->entsize, b->entsize);
}

/* Everything the API reports about f must equal the model. */
static void check_file(const struct eb_file *f, const struct elfmod_source *src)
{
	struct elfmod_elf elf;
	struct elfmod_diag d;
	struct elfmod_shdr s;
	struct elfmod_phdr p;
	struct elfmod_sym sym;
	struct elfmod_rel r;
	char buf[512];
	const char *name;
	uint32_t n, i;
	int has_sec = !f->o.no_sections;

	memset(&d, 0x5a, sizeof(d));
	CHECK_RC(elfmod_elf_open(&elf, src, &d), 0);
	CHECK_EQ(d.err, 0);
	CHECK(elf.src == src && elf.diag == &d);
	CHECK_EQ(elf.cls, f->o.cls);
	CHECK_EQ(elf.big_endian, f->o.be);
	CHECK_EQ(elf.osabi, 0);
	CHECK_EQ(elf.type, f->o.type);
	CHECK_EQ(elf.machine, f->o.machine);
	CHECK_EQ(elf.flags, 0x1234);
	CHECK_EQ(elf.entry, f->entry);
	CHECK_EQ(elf.phoff, f->phoff);
	CHECK_EQ(elf.shoff, f->shoff);
	CHECK_EQ(elf.phnum, f->phnum);
	CHECK_EQ(elf.shnum, f->shnum);
	CHECK_EQ(elf.shstrndx, f->shstrndx);
	if (f->phnum)
		CHECK_EQ(elf.phentsize, f->phentsize);
	if (has_sec)
		CHECK_EQ(elf.shentsize, f->shentsize);
	CHECK_EQ(elf.symtab, has_sec ? f->idx[EB_SYMTAB] : 0);
	CHECK_EQ(elf.dynsym, 0);
	CHECK_EQ(elf.symtab_shndx, f->idx[EB_SHNDX]);

	/* Sections, names included. */
	for (i = 0; i < elf.shnum; i++) {
		CHECK_RC(elfmod_elf_shdr(&elf, i, &s), 0);
		check_shdr_eq(&s, &f->sh[i]);
		name = NULL;
		CHECK_RC(elfmod_elf_section_name(&elf, i, buf, sizeof(buf), &name), 0);
		CHECK(name && !strcmp(name, f->sec_name[i]));
		/* A buffer source hands out pointers into the file, a callback copies. */
		if (name && i)
			CHECK(src->data ? (const uint8_t *)name > f->data &&
						  (const uint8_t *)name < f->data + f->size
					: name == buf);
	}
	CHECK_RC(elfmod_elf_shdr(&elf, elf.shnum, &s), ELFMOD_EINDEX);
	CHECK(d.obj == ELFMOD_OBJ_SHDR && d.index == elf.shnum);
	CHECK_RC(elfmod_elf_shdr(&elf, UINT32_MAX, &s), ELFMOD_EINDEX);
	CHECK_RC(elfmod_elf_section_name(&elf, elf.shnum, buf, sizeof(buf), &name), ELFMOD_EINDEX);

	/* Segments. */
	for (i = 0; i < elf.phnum; i++) {
		CHECK_RC(elfmod_elf_phdr(&elf, i, &p), 0);
		CHECK_EQ(p.type, f->ph[i].type);
		CHECK_EQ(p.flags, f->ph[i].flags);
		CHECK_EQ(p.offset, f->ph[i].offset);
		CHECK_EQ(p.vaddr, f->ph[i].vaddr);
		CHECK_EQ(p.paddr, f->ph[i].paddr);
		CHECK_EQ(p.filesz, f->ph[i].filesz);
		CHECK_EQ(p.memsz, f->ph[i].memsz);
		CHECK_EQ(p.align, f->ph[i].align);
	}
	CHECK_RC(elfmod_elf_phdr(&elf, elf.phnum, &p), ELFMOD_EINDEX);
	CHECK(d.obj == ELFMOD_OBJ_PHDR && d.index == elf.phnum);
	if (!has_sec)
		return;

	/* Symbols: every field, SHN_XINDEX resolved, and the names. */
	CHECK_RC(elfmod_elf_sym_count(&elf, f->idx[EB_SYMTAB], &n), 0);
	CHECK_EQ(n, f->nsyms);
	for (i = 0; i < f->nsyms; i++) {
		memset(&sym, 0xee, sizeof(sym));
		CHECK_RC(elfmod_elf_sym(&elf, f->idx[EB_SYMTAB], i, &sym), 0);
		CHECK_EQ(sym.name, f->sym[i].name);
		CHECK_EQ(sym.info, f->sym[i].info);
		CHECK_EQ(sym.other, f->sym[i].other);
		CHECK_EQ(sym.shndx, f->sym[i].shndx);
		CHECK_EQ(sym.value, f->sym[i].value);
		CHECK_EQ(sym.size, f->sym[i].size);
		name = NULL;
		CHECK_RC(elfmod_elf_string(&elf, f->idx[EB_STRTAB], sym.name, buf, sizeof(buf), &name), 0);
		CHECK(name && !strcmp(name, f->sym_name[i]));
	}
	if (f->o.xindex) {
		CHECK_RC(elfmod_elf_sym(&elf, f->idx[EB_SYMTAB], EB_SYM_FAR, &sym), 0);
		CHECK_EQ(sym.shndx, f->idx[EB_XDATA]);
		CHECK_EQ(f->sym_raw_shndx[EB_SYM_FAR], ELFMOD_SHN_XINDEX);
	}
	CHECK_RC(elfmod_elf_sym(&elf, f->idx[EB_SYMTAB], f->nsyms, &sym), ELFMOD_EINDEX);
	CHECK(d.obj == ELFMOD_OBJ_SYM && d.index == f->nsyms);
	CHECK_RC(elfmod_elf_sym(&elf, f->idx[EB_SYMTAB], UINT32_MAX, &sym), ELFMOD_EINDEX);
	CHECK_RC(elfmod_elf_sym(&elf, f->idx[EB_TEXT], 0, &sym), ELFMOD_ELINK);
	CHECK_RC(elfmod_elf_sym(&elf, 0, 0, &sym), ELFMOD_ELINK);
	CHECK_RC(elfmod_elf_sym_count(&elf, f->idx[EB_STRTAB], &n), ELFMOD_ELINK);
	CHECK_RC(elfmod_elf_sym_count(&elf, elf.shnum, &n), ELFMOD_EINDEX);

	/* Relocations, REL and RELA. */
	CHECK_RC(elfmod_elf_rel_count(&elf, f->idx[EB_RELA], &n), 0);
	CHECK_EQ(n, EB_NRELA);
	for (i = 0; i < EB_NRELA; i++) {
		memset(&r, 0xee, sizeof(r));
		CHECK_RC(elfmod_elf_rel(&elf, f->idx[EB_RELA], i, &r), 0);
		CHECK_EQ(r.offset, f->rela[i].offset);
		CHECK_EQ(r.type, f->rela[i].type);
		CHECK_EQ(r.sym, f->rela[i].sym);
		CHECK_EQ(r.addend, f->rela[i].addend);
	}
	CHECK_RC(elfmod_elf_rel_count(&elf, f->idx[EB_REL], &n), 0);
	CHECK_EQ(n, EB_NREL);
	for (i = 0; i < EB_NREL; i++) {
		memset(&r, 0xee, sizeof(r));
		CHECK_RC(elfmod_elf_rel(&elf, f->idx[EB_REL], i, &r), 0);
		CHECK_EQ(r.offset, f->rel[i].offset);
		CHECK_EQ(r.type, f->rel[i].type);
		CHECK_EQ(r.sym, f->rel[i].sym);
		CHECK_EQ(r.addend, 0);
	}
	CHECK_RC(elfmod_elf_rel(&elf, f->idx[EB_RELA], EB_NRELA, &r), ELFMOD_EINDEX);
	CHECK(d.obj == ELFMOD_OBJ_REL && d.index == EB_NRELA);
	CHECK_RC(elfmod_elf_rel(&elf, f->idx[EB_SYMTAB], 0, &r), ELFMOD_ELINK);
	CHECK_RC(elfmod_elf_rel_count(&elf, f->idx[EB_GROUP], &n), ELFMOD_ELINK);

	/* Strings: bounds of the table and its type. */
	CHECK_RC(elfmod_elf_string(&elf, f->idx[EB_STRTAB], f->sh[f->idx[EB_STRTAB]].size, buf,
				   sizeof(buf), &name),
		 ELFMOD_ESTRING);
	CHECK(d.obj == ELFMOD_OBJ_SHDR && d.index == f->idx[EB_STRTAB]);
	CHECK_RC(elfmod_elf_string(&elf, f->idx[EB_STRTAB], UINT64_MAX, buf, sizeof(buf), &name),
		 ELFMOD_ESTRING);
	CHECK_RC(elfmod_elf_string(&elf, f->idx[EB_SYMTAB], 0, buf, sizeof(buf), &name), ELFMOD_ELINK);
	CHECK_RC(elfmod_elf_string(&elf, 0, 0, buf, sizeof(buf), &name), ELFMOD_ELINK);
	/* The last string of the table ends at its final byte. */
	name = NULL;
	CHECK_RC(elfmod_elf_string(&elf, f->idx[EB_SHSTRTAB], f->sh[f->idx[EB_SHSTRTAB]].size - 1, buf,
				   sizeof(buf), &name),
		 0);
	CHECK(name && name[0] == 0);
}

static void run_both_sources(const struct eb_file *f, const char *what)
{
	struct elfmod_source src = eb_source(f), cbsrc;
	struct memsrc m;

	describe(f, what, 0);
	check_file(f, &src);
	describe(f, what, 1);
	memsrc_init(&m, &cbsrc, f->data, f->size);
	check_file(f, &cbsrc);
	CHECK(m.calls > 0);
	CHECK_EQ(m.bad, 0);
}

static void build_and_check(struct eb_opts *o, const char *what)
{
	struct eb_file f;

	if (eb_build(&f, o)) {
		CHECK(!"eb_build failed");
		return;
	}
	run_both_sources(&f, what);
	eb_free(&f);
}

static void test_valid_files(void)
{
	/* Machines of both byte orders and classes; elfmod does not care which for parsing. */
	static const uint16_t machines[] = { ELFMOD_EM_X86_64, ELFMOD_EM_ARM, ELFMOD_EM_RISCV,
					     ELFMOD_EM_AARCH64, ELFMOD_EM_386, 20 /* PPC */, 0x1234 };

	for (int cls = 32; cls <= 64; cls += 32) {
		for (int be = 0; be <= 1; be++) {
			for (size_t m = 0; m < sizeof(machines) / sizeof(machines[0]); m++) {
				struct eb_opts o = { .cls = cls, .be = be, .machine = machines[m],
						     .base = 0x10000 };
				build_and_check(&o, "plain");
			}
			struct eb_opts o = { .cls = cls, .be = be, .xindex = 1, .shdrs_first = 1,
					     .base = 0x80000000u };
			build_and_check(&o, "xindex");
			o = (struct eb_opts){ .cls = cls, .be = be, .xindex = 1, .ext_shnum = 1,
					      .ext_shstrndx = 1, .ext_phnum = 1 };
			build_and_check(&o, "escapes");
			o = (struct eb_opts){ .cls = cls, .be = be, .ext_phnum = 1, .nload = 5 };
			build_and_check(&o, "ext_phnum");
			o = (struct eb_opts){ .cls = cls, .be = be, .type = ELFMOD_ET_REL };
			build_and_check(&o, "ET_REL");
			o = (struct eb_opts){ .cls = cls, .be = be, .no_sections = 1, .base = 0x2000 };
			build_and_check(&o, "segments only");
			o = (struct eb_opts){ .cls = cls, .be = be, .machine = ELFMOD_EM_MIPS,
					      .xindex = 1 };
			if (cls == 32) /* MIPS64 relocations are refused: see test_mips64 */
				build_and_check(&o, "MIPS");
		}
	}
}

/* Enough sections that indices really need the escapes: e_shnum, e_shstrndx and a
 * symbol's st_shndx all exceed SHN_LORESERVE. */
static void test_many_sections(void)
{
	for (int cls = 32; cls <= 64; cls += 32) {
		for (int be = 0; be <= 1; be++) {
			struct eb_opts o = { .cls = cls, .be = be, .xindex = 1, .fillers = 0xff00 };
			struct eb_file f;

			if (eb_build(&f, &o)) {
				CHECK(!"eb_build failed");
				continue;
			}
			CHECK_EQ(f.e_shnum, 0);
			CHECK_EQ(f.e_shstrndx, ELFMOD_SHN_XINDEX);
			CHECK(f.shstrndx > ELFMOD_SHN_LORESERVE);
			CHECK(f.idx[EB_XDATA] > ELFMOD_SHN_LORESERVE);
			run_both_sources(&f, "many sections");
			eb_free(&f);
		}
	}
}

static void test_mips64(void)
{
	struct eb_opts o = { .cls = 64, .be = 1, .machine = ELFMOD_EM_MIPS };
	struct eb_file f;
	struct elfmod_source src;
	struct elfmod_elf elf;
	struct elfmod_rel r;
	struct elfmod_diag d;

	check_ctx = "MIPS64";
	if (eb_build(&f, &o)) {
		CHECK(!"eb_build failed");
		return;
	}
	src = eb_source(&f);
	CHECK_RC(elfmod_elf_open(&elf, &src, &d), 0);
	CHECK_RC(elfmod_elf_rel(&elf, f.idx[EB_RELA], 0, &r), ELFMOD_EUNSUPPORTED);
	CHECK(d.obj == ELFMOD_OBJ_SHDR && d.index == f.idx[EB_RELA]);
	eb_free(&f);
}

static void test_bad_arguments(void)
{
	struct eb_opts o = { .cls = 64 };
	struct eb_file f;
	struct elfmod_source src, none = { 0 };
	struct elfmod_elf elf;
	struct elfmod_diag d;

	check_ctx = "arguments";
	if (eb_build(&f, &o)) {
		CHECK(!"eb_build failed");
		return;
	}
	src = eb_source(&f);
	CHECK_RC(elfmod_elf_open(NULL, &src, &d), ELFMOD_EINVAL);
	CHECK_EQ(d.err, ELFMOD_EINVAL);
	CHECK_RC(elfmod_elf_open(&elf, NULL, &d), ELFMOD_EINVAL);
	none.size = f.size;
	CHECK_RC(elfmod_elf_open(&elf, &none, &d), ELFMOD_EINVAL);
	CHECK_RC(elfmod_elf_open(&elf, &none, NULL), ELFMOD_EINVAL);
	/* A successful open clears an old diagnostic. */
	CHECK_RC(elfmod_elf_open(&elf, &src, &d), 0);
	CHECK_EQ(d.err, 0);
	CHECK_EQ(d.obj, ELFMOD_OBJ_NONE);
	/* No diagnostic at all is fine too. */
	CHECK_RC(elfmod_elf_open(&elf, &src, NULL), 0);
	CHECK_RC(elfmod_elf_shdr(&elf, 999, &(struct elfmod_shdr){ 0 }), ELFMOD_EINDEX);
	eb_free(&f);
}

/*
 * A read callback that fails on its k-th call, for every k: the walk (open, every
 * accessor) must stop with EIO and nothing else, and a later call count must succeed.
 */
static int full_walk(const struct elfmod_source *src, struct elfmod_diag *d)
{
	struct elfmod_elf elf;
	struct walk_stats st = { 0 };
	char buf[64];
	int rc = elfmod_elf_open(&elf, src, d);

	if (!rc)
		rc = walk_elf(&elf, buf, sizeof(buf), &st);
	return rc;
}

static void test_read_failures(void)
{
	for (int cls = 32; cls <= 64; cls += 32) {
		for (int be = 0; be <= 1; be++) {
			struct eb_opts o = { .cls = cls, .be = be, .xindex = 1, .ext_shnum = 1,
					     .ext_phnum = 1, .ext_shstrndx = 1 };
			struct eb_file f;
			struct elfmod_source src;
			struct elfmod_diag d;
			struct memsrc m;
			unsigned long total, k, eio = 0;

			if (eb_build(&f, &o)) {
				CHECK(!"eb_build failed");
				continue;
			}
			describe(&f, "read failure", 1);
			memsrc_init(&m, &src, f.data, f.size);
			CHECK_RC(full_walk(&src, &d), 0);
			total = m.calls;
			CHECK(total > 50);
			for (k = 1; k <= total + 1; k++) {
				int rc;
				memsrc_init(&m, &src, f.data, f.size);
				m.fail_at = k;
				rc = full_walk(&src, &d);
				if (k <= total) {
					CHECK_RC(rc, ELFMOD_EIO);
					CHECK_EQ(d.err, ELFMOD_EIO);
					CHECK(d.obj != ELFMOD_OBJ_NONE);
					/* It stopped at the failure: no further reads. */
					CHECK_EQ(m.calls, k);
					eio += rc == ELFMOD_EIO;
				} else {
					CHECK_RC(rc, 0);
				}
				CHECK_EQ(m.bad, 0);
			}
			CHECK_EQ(eio, total);
			eb_free(&f);
		}
	}
}

/* Copies into caller buffers: exactly the string and its NUL fit, or ESPACE. */
static void test_small_buffers(void)
{
	static const char long_name[] =
		"a_rather_long_symbol_name_that_spans_several_32_byte_read_chunks_of_the_copy_loop";
	const size_t long_len = sizeof(long_name) - 1;

	for (int cls = 32; cls <= 64; cls += 32) {
		struct eb_opts o = { .cls = cls, .be = cls == 64, .local_name = long_name };
		struct eb_file f;
		struct elfmod_source src, bsrc;
		struct elfmod_elf elf, belf;
		struct elfmod_diag d;
		struct memsrc m;
		char buf[128];
		const char *name;
		uint32_t strtab, off_local, off_start;

		if (eb_build(&f, &o)) {
			CHECK(!"eb_build failed");
			continue;
		}
		describe(&f, "small buffers", 1);
		memsrc_init(&m, &src, f.data, f.size);
		CHECK_RC(elfmod_elf_open(&elf, &src, &d), 0);
		strtab = f.idx[EB_STRTAB];
		off_local = f.sym[EB_SYM_LOCAL_FN].name;
		off_start = f.sym[EB_SYM_START].name;

		/* "_start": 7 bytes with the NUL. */
		for (size_t sz = 0; sz <= 8; sz++) {
			memset(buf, 'x', sizeof(buf));
			name = NULL;
			CHECK_RC(elfmod_elf_string(&elf, strtab, off_start, buf, sz, &name),
				 sz >= 7 ? 0 : ELFMOD_ESPACE);
			if (sz >= 7)
				CHECK(name == buf && !strcmp(buf, "_start"));
			else
				CHECK(d.err == ELFMOD_ESPACE && d.obj == ELFMOD_OBJ_SHDR &&
				      d.index == strtab && d.value == off_start);
			/* Never a byte past the size given. */
			CHECK(buf[sz] == 'x');
		}
		/* Across the chunk boundaries of the copy loop. */
		for (size_t sz = long_len - 1; sz <= long_len + 2; sz++) {
			name = NULL;
			CHECK_RC(elfmod_elf_string(&elf, strtab, off_local, buf, sz, &name),
				 sz > long_len ? 0 : ELFMOD_ESPACE);
			if (sz > long_len)
				CHECK(name && !strcmp(name, long_name));
		}
		/* Starting in the middle of a string is allowed: a suffix. */
		CHECK_RC(elfmod_elf_string(&elf, strtab, off_local + 40, buf, sizeof(buf), &name), 0);
		CHECK(!strcmp(name, long_name + 40));
		/* Section names through the same path. */
		CHECK_RC(elfmod_elf_section_name(&elf, f.idx[EB_SYMTAB], buf, 7, &name), ELFMOD_ESPACE);
		CHECK_RC(elfmod_elf_section_name(&elf, f.idx[EB_SYMTAB], buf, 8, &name), 0);
		CHECK(!strcmp(name, ".symtab"));

		/* A buffer source needs no buffer at all. */
		bsrc = eb_source(&f);
		CHECK_RC(elfmod_elf_open(&belf, &bsrc, &d), 0);
		name = NULL;
		CHECK_RC(elfmod_elf_string(&belf, strtab, off_local, NULL, 0, &name), 0);
		CHECK(name && !strcmp(name, long_name));
		CHECK_EQ(m.bad, 0);
		eb_free(&f);
	}
}

int main(void)
{
	test_valid_files();
	test_many_sections();
	test_mips64();
	test_bad_arguments();
	test_read_failures();
	test_small_buffers();
	return check_done("unit_parse");
}
