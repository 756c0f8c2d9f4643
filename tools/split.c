/* elfmod split IMAGE.elf --image OUT.elf --symbols OUT.syms.elf
 *
 * Splits a program image (ET_EXEC) in two:
 *  - OUT.elf: the ELF header, the program headers and every segment's file bytes at the
 *    offsets they had (so p_offset and p_vaddr stay congruent and the first segment
 *    still holds the headers), nothing else: no section headers, no symbols, no debug
 *    information; the bytes between segments are zero.
 *  - OUT.syms.elf: an ET_EXEC of the same machine with the same section headers, in the
 *    same order, so every symbol keeps its st_shndx: the allocated sections become
 *    SHT_NOBITS (addresses and sizes without bytes) except notes (a build id still
 *    matches) and unwind tables (.eh_frame, .ARM.exidx), which keep theirs; the symbol and string tables, .debug_* and every other
 *    non-allocated section keep their bytes, except relocation sections, which describe
 *    the link and become NOBITS too. A note section `.note.elfmod.image` holds the image
 *    digest (elfmod_exec_digest), which elfmod_exec_syms_open compares.
 * Everything is checked and both files are built in memory before either is written. */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PN_XNUM 0xffffu
#define SHT_RELR 19u
#define SHT_ARM_EXIDX 0x70000001u
#define NOTE_SECTION ".note.elfmod.image"
#define NOTE_SIZE (12 + 8 + 32) /* header, "elfmod" padded to 8, the digest */

struct in {
	const char *path;
	uint8_t *buf;
	size_t size;
	struct elfmod_source src;
	struct elfmod_elf elf;
};

static int split_usage(void)
{
	fprintf(stderr, "usage: elfmod split IMAGE.elf --image OUT.elf --symbols OUT.syms.elf\n");
	return 2;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) & ~(a - 1) : v;
}

/* Offsets of the section fields of the ELF header, per class. */
static void clear_sections(uint8_t *ehdr, int cls, int be)
{
	if (cls == 64) {
		tool_put(ehdr + 40, 0, 8, be); /* e_shoff */
		tool_put(ehdr + 58, 0, 2, be); /* e_shentsize, e_shnum, e_shstrndx */
		tool_put(ehdr + 60, 0, 2, be);
		tool_put(ehdr + 62, 0, 2, be);
	} else {
		tool_put(ehdr + 32, 0, 4, be);
		tool_put(ehdr + 46, 0, 2, be);
		tool_put(ehdr + 48, 0, 2, be);
		tool_put(ehdr + 50, 0, 2, be);
	}
}

static int build_image(const struct in *in, uint8_t **out, size_t *out_size)
{
	const struct elfmod_elf *elf = &in->elf;
	size_t ehsize = elf->cls == 64 ? 64 : 52, phsize = (size_t)elf->phnum * elf->phentsize;
	uint64_t end = elf->phoff + phsize;
	struct elfmod_phdr p;
	uint8_t *img;

	if (end < ehsize)
		end = ehsize;
	for (uint32_t i = 0; i < elf->phnum; i++) {
		if (elfmod_elf_phdr(elf, i, &p))
			return -1;
		if (p.filesz && p.offset + p.filesz > end)
			end = p.offset + p.filesz;
	}
	img = calloc(1, (size_t)end);
	if (!img)
		return -1;
	memcpy(img, in->buf, ehsize);
	memcpy(img + elf->phoff, in->buf + elf->phoff, phsize);
	/* Every segment, not only PT_LOAD: notes and attributes stay readable. */
	for (uint32_t i = 0; i < elf->phnum; i++) {
		if (elfmod_elf_phdr(elf, i, &p)) {
			free(img);
			return -1;
		}
		if (p.filesz)
			memcpy(img + p.offset, in->buf + p.offset, (size_t)p.filesz);
	}
	clear_sections(img, elf->cls, elf->big_endian);
	*out = img;
	*out_size = (size_t)end;
	return 0;
}

/* Whether the symbols file keeps a section's bytes. Of the allocated sections only those
 * that describe the code rather than being part of it: notes (a build id still matches)
 * and unwind tables, which debuggers unwind with and readelf decodes. */
static int keeps_bytes(const struct elfmod_elf *elf, uint32_t i, const struct elfmod_shdr *s)
{
	char nb[64];
	const char *name;

	if (s->type == ELFMOD_SHT_NOBITS || s->type == ELFMOD_SHT_NULL)
		return 0;
	if (s->flags & ELFMOD_SHF_ALLOC) {
		if (s->type == ELFMOD_SHT_NOTE || (s->type == SHT_ARM_EXIDX && elf->machine == ELFMOD_EM_ARM))
			return 1;
		name = tool_section_name(elf, i, nb, sizeof(nb));
		return !strcmp(name, ".eh_frame") || !strcmp(name, ".eh_frame_hdr") ||
		       !strncmp(name, ".ARM.extab", 10);
	}
	return s->type != ELFMOD_SHT_REL && s->type != ELFMOD_SHT_RELA && s->type != SHT_RELR;
}

static int build_syms(const struct in *in, const uint8_t digest[32], uint8_t **out, size_t *out_size)
{
	const struct elfmod_elf *elf = &in->elf;
	int cls = elf->cls, be = elf->big_endian;
	size_t ehsize = cls == 64 ? 64 : 52, shent = cls == 64 ? 64 : 40;
	uint32_t n = elf->shnum + 1, note = elf->shnum;
	struct elfmod_shdr *sh = calloc(n, sizeof(*sh)), strsec;
	uint64_t *from = calloc(n, sizeof(*from)); /* each section's offset in the input */
	uint64_t off = ehsize, note_name, shoff, total = 0, kept = 0;
	struct tool_ehdr eh;
	uint8_t *b = NULL, *strtab = NULL, *nb;
	int rc = -1;

	if (!sh || !from)
		goto out;
	/* The section names, with the note's appended. */
	if (elfmod_elf_shdr(elf, elf->shstrndx, &strsec))
		goto out;
	note_name = strsec.size;
	strtab = malloc((size_t)strsec.size + sizeof(NOTE_SECTION));
	if (!strtab)
		goto out;
	memcpy(strtab, in->buf + strsec.offset, (size_t)strsec.size);
	memcpy(strtab + strsec.size, NOTE_SECTION, sizeof(NOTE_SECTION));

	for (uint32_t i = 1; i < elf->shnum; i++) {
		if (elfmod_elf_shdr(elf, i, &sh[i]))
			goto out;
		from[i] = sh[i].offset;
		if (i == elf->shstrndx)
			sh[i].size += sizeof(NOTE_SECTION);
		if (i == elf->shstrndx || keeps_bytes(elf, i, &sh[i])) {
			/* Sections that do not overlap fit in the input: a file whose sections
			 * claim more bytes than it has would make an output of any size. */
			kept += sh[i].size;
			if (kept > in->size + sizeof(NOTE_SECTION)) {
				fprintf(stderr, "elfmod: %s: sections overlap in the file (section %u)\n", in->path, i);
				rc = -2;
				goto out;
			}
			/* File offsets follow the alignment (up to 64), as the sections'
			 * readers expect. */
			off = align_up(off, sh[i].addralign > 64 ? 64 : sh[i].addralign);
			sh[i].offset = off;
			off += sh[i].size;
		} else {
			if (sh[i].type != ELFMOD_SHT_NULL)
				sh[i].type = ELFMOD_SHT_NOBITS;
			sh[i].offset = off;
		}
	}
	off = align_up(off, 4);
	sh[note] = (struct elfmod_shdr){ .name = (uint32_t)note_name, .type = ELFMOD_SHT_NOTE, .offset = off,
					 .size = NOTE_SIZE, .addralign = 4 };
	off += NOTE_SIZE;
	shoff = align_up(off, 8);
	total = shoff + (uint64_t)n * shent;
	b = calloc(1, (size_t)total);
	if (!b)
		goto out;

	memcpy(b, in->buf, 16); /* e_ident: class, byte order, OS ABI */
	eh = (struct tool_ehdr){ .type = ELFMOD_ET_EXEC, .machine = elf->machine, .entry = elf->entry,
				 .shoff = shoff, .flags = elf->flags, .shentsize = (uint16_t)shent };
	/* Section counts that do not fit the header go in section 0 (extended numbering). */
	eh.shnum = n < ELFMOD_SHN_LORESERVE ? (uint16_t)n : 0;
	eh.shstrndx = elf->shstrndx < ELFMOD_SHN_LORESERVE ? (uint16_t)elf->shstrndx : ELFMOD_SHN_XINDEX;
	tool_put_ehdr(b, cls, be, &eh);
	sh[0] = (struct elfmod_shdr){ .size = n < ELFMOD_SHN_LORESERVE ? 0 : n,
				      .link = elf->shstrndx < ELFMOD_SHN_LORESERVE ? 0 : elf->shstrndx };
	for (uint32_t i = 1; i < elf->shnum; i++) {
		if (i == elf->shstrndx)
			memcpy(b + sh[i].offset, strtab, (size_t)sh[i].size);
		else if (keeps_bytes(elf, i, &sh[i]))
			memcpy(b + sh[i].offset, in->buf + from[i], (size_t)sh[i].size);
	}
	/* The note: namesz, descsz, type, "elfmod" NUL-padded to 8, the digest. */
	nb = b + sh[note].offset;
	tool_put(nb, sizeof(ELFMOD_NOTE_OWNER), 4, be);
	tool_put(nb + 4, 32, 4, be);
	tool_put(nb + 8, ELFMOD_NT_IMAGE_DIGEST, 4, be);
	memcpy(nb + 12, ELFMOD_NOTE_OWNER, sizeof(ELFMOD_NOTE_OWNER));
	memcpy(nb + 20, digest, 32);
	for (uint32_t i = 0; i < n; i++)
		tool_put_shdr(b + shoff + (size_t)i * shent, cls, be, &sh[i]);
	rc = 0;
out:
	free(sh);
	free(from);
	free(strtab);
	if (rc) {
		free(b);
	} else {
		*out = b;
		*out_size = (size_t)total;
	}
	return rc;
}

static int same_path(const char *a, const char *b)
{
	return !strcmp(a, b);
}

int cmd_split(int argc, char **argv)
{
	const char *out_img = NULL, *out_syms = NULL;
	struct in in = { 0 };
	struct elfmod_diag d;
	uint8_t digest[32], *img = NULL, *syms = NULL;
	size_t img_size = 0, syms_size = 0;
	unsigned mode = 0644;
	int rc, status = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--image") && i + 1 < argc)
			out_img = argv[++i];
		else if (!strcmp(argv[i], "--symbols") && i + 1 < argc)
			out_syms = argv[++i];
		else if (argv[i][0] != '-' && !in.path)
			in.path = argv[i];
		else
			return split_usage();
	}
	if (!in.path || !out_img || !out_syms)
		return split_usage();
	if (same_path(out_img, out_syms) || same_path(in.path, out_img) || same_path(in.path, out_syms)) {
		fprintf(stderr, "elfmod: split: IMAGE, --image and --symbols must be three different files\n");
		return 2;
	}
	if (tool_read_file(in.path, &in.buf, &in.size, &mode))
		return 1;
	in.src = (struct elfmod_source){ .data = in.buf, .size = in.size };
	rc = elfmod_elf_open(&in.elf, &in.src, &d);
	if (rc) {
		tool_error(in.path, rc, &d);
		goto out;
	}
	if (tool_check_image(in.path, &in.elf))
		goto out;
	if (!in.elf.shnum || !in.elf.symtab) {
		fprintf(stderr, "elfmod: %s: no symbol table (SHT_SYMTAB): nothing to split off (stripped?)\n",
			in.path);
		goto out;
	}
	if (!in.elf.shstrndx) {
		fprintf(stderr, "elfmod: %s: no section name table (e_shstrndx 0)\n", in.path);
		goto out;
	}
	/* Without section 0 the program header count must fit the ELF header. */
	if (in.elf.phnum >= PN_XNUM) {
		fprintf(stderr, "elfmod: %s: %u program headers: more than a file without sections can "
			"count\n", in.path, in.elf.phnum);
		goto out;
	}
	rc = elfmod_exec_digest(&in.src, digest, &d);
	if (rc) {
		tool_error(in.path, rc, &d);
		goto out;
	}
	if (build_image(&in, &img, &img_size)) {
		fprintf(stderr, "elfmod: %s: out of memory\n", in.path);
		goto out;
	}
	rc = build_syms(&in, digest, &syms, &syms_size);
	if (rc) {
		if (rc == -1)
			fprintf(stderr, "elfmod: %s: out of memory\n", in.path);
		goto out;
	}
	if (tool_write_file(out_img, img, img_size, mode & 0777))
		goto out;
	if (tool_write_file(out_syms, syms, syms_size, mode & 0666)) {
		remove(out_img);
		goto out;
	}
	status = 0;
out:
	free(in.buf);
	free(img);
	free(syms);
	return status;
}
