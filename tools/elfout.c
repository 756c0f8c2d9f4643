/* A small ELF writer for the tools: an executable made of the sections it is given, each
 * also covered by its own PT_LOAD, in the class and byte order of the input it came from. */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tool_elf_add(struct tool_elf_out *w, const char *name, uint32_t type, uint64_t flags,
		 uint64_t addr, const void *bytes, uint64_t size, uint64_t align)
{
	struct tool_elf_sec *s;

	if (w->nsecs == TOOL_ELF_MAX_SECS)
		return -1;
	s = &w->secs[w->nsecs++];
	s->name = name;
	s->type = type;
	s->flags = flags;
	s->addr = addr;
	s->bytes = bytes;
	s->size = size;
	s->align = align ? align : 1;
	return 0;
}

static void put(uint8_t *p, uint64_t v, int bytes, int be)
{
	for (int i = 0; i < bytes; i++)
		p[be ? bytes - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Field writers for the two classes: `w` is the width of an address-sized field. */
struct cursor {
	uint8_t *p;
	int be;
};

static void f(struct cursor *c, uint64_t v, int bytes)
{
	put(c->p, v, bytes, c->be);
	c->p += bytes;
}

int tool_elf_write(const struct tool_elf_out *w, const char *path)
{
	int is64 = w->cls == 64, aw = is64 ? 8 : 4, be = w->big_endian;
	size_t ehsize = is64 ? 64 : 52, phent = is64 ? 56 : 32, shent = is64 ? 64 : 40;
	size_t nload = 0, strsize = 1 + sizeof(".shstrtab"), off, total;
	uint64_t *data_off = calloc(w->nsecs + 1, sizeof(uint64_t));
	uint32_t *name_off = calloc(w->nsecs + 1, sizeof(uint32_t));
	uint8_t *img = NULL;
	struct cursor c;
	FILE *fp;
	int rc = -1;

	if (!data_off || !name_off)
		goto out;
	for (unsigned i = 0; i < w->nsecs; i++) {
		if (w->secs[i].flags & ELFMOD_SHF_ALLOC)
			nload++;
		name_off[i] = (uint32_t)strsize;
		strsize += strlen(w->secs[i].name) + 1;
	}
	/* Layout: header, program headers, section contents, names, section headers. */
	off = ehsize + nload * phent;
	for (unsigned i = 0; i < w->nsecs; i++) {
		uint64_t a = w->secs[i].align > 16 ? 16 : w->secs[i].align;
		off = (size_t)((off + a - 1) & ~(a - 1));
		data_off[i] = off;
		if (w->secs[i].type != ELFMOD_SHT_NOBITS)
			off += (size_t)w->secs[i].size;
	}
	data_off[w->nsecs] = off; /* .shstrtab */
	off += strsize;
	off = (off + 7) & ~(size_t)7;
	total = off + (w->nsecs + 2) * shent;
	img = calloc(1, total);
	if (!img)
		goto out;

	memcpy(img, "\177ELF", 4);
	img[4] = is64 ? 2 : 1;
	img[5] = be ? 2 : 1;
	img[6] = 1;
	c.p = img + 16;
	c.be = be;
	f(&c, ELFMOD_ET_EXEC, 2);
	f(&c, w->machine, 2);
	f(&c, 1, 4);
	f(&c, 0, aw);                   /* e_entry */
	f(&c, nload ? ehsize : 0, aw);  /* e_phoff */
	f(&c, off, aw);                 /* e_shoff */
	f(&c, w->flags, 4);
	f(&c, ehsize, 2);
	f(&c, nload ? phent : 0, 2);
	f(&c, nload, 2);
	f(&c, shent, 2);
	f(&c, w->nsecs + 2, 2);
	f(&c, w->nsecs + 1, 2);         /* e_shstrndx */

	c.p = img + ehsize;
	for (unsigned i = 0; i < w->nsecs; i++) {
		const struct tool_elf_sec *s = &w->secs[i];
		uint32_t pf = ELFMOD_PF_R | ((s->flags & ELFMOD_SHF_WRITE) ? ELFMOD_PF_W : 0) |
			      ((s->flags & ELFMOD_SHF_EXECINSTR) ? ELFMOD_PF_X : 0);
		uint64_t filesz = s->type == ELFMOD_SHT_NOBITS ? 0 : s->size;
		if (!(s->flags & ELFMOD_SHF_ALLOC))
			continue;
		f(&c, ELFMOD_PT_LOAD, 4);
		if (is64)
			f(&c, pf, 4);
		f(&c, data_off[i], aw);
		f(&c, s->addr, aw);
		f(&c, s->addr, aw);
		f(&c, filesz, aw);
		f(&c, s->size, aw);
		if (!is64)
			f(&c, pf, 4);
		f(&c, 1, aw);
	}
	for (unsigned i = 0; i < w->nsecs; i++)
		if (w->secs[i].type != ELFMOD_SHT_NOBITS && w->secs[i].size)
			memcpy(img + data_off[i], w->secs[i].bytes, (size_t)w->secs[i].size);
	for (unsigned i = 0; i < w->nsecs; i++)
		memcpy(img + data_off[w->nsecs] + name_off[i], w->secs[i].name, strlen(w->secs[i].name) + 1);
	memcpy(img + data_off[w->nsecs] + 1, ".shstrtab", sizeof(".shstrtab"));

	c.p = img + off + shent; /* section 0 stays zero */
	for (unsigned i = 0; i <= w->nsecs; i++) {
		int str = i == w->nsecs;
		const struct tool_elf_sec *s = &w->secs[i];
		f(&c, str ? 1 : name_off[i], 4);
		f(&c, str ? ELFMOD_SHT_STRTAB : s->type, 4);
		f(&c, str ? 0 : s->flags, aw);
		f(&c, str ? 0 : s->addr, aw);
		f(&c, data_off[i], aw);
		f(&c, str ? strsize : s->size, aw);
		f(&c, 0, 4);
		f(&c, 0, 4);
		f(&c, str ? 1 : s->align, aw);
		f(&c, 0, aw);
	}

	fp = fopen(path, "wb");
	if (fp) {
		if (fwrite(img, 1, total, fp) == total)
			rc = 0;
		if (fclose(fp))
			rc = -1;
	}
out:
	free(img);
	free(data_off);
	free(name_off);
	return rc;
}

/* ---- whole files and raw headers, for the image tools (split, reset-prep) ---- */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int tool_read_file(const char *path, uint8_t **buf, size_t *size, unsigned *mode)
{
	struct stat st;
	FILE *fp = fopen(path, "rb");
	uint8_t *b = NULL;

	if (!fp || fstat(fileno(fp), &st) != 0) {
		fprintf(stderr, "elfmod: %s: cannot read: %s\n", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "elfmod: %s: cannot read: not a regular file\n", path);
		goto fail;
	}
	b = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!b || fread(b, 1, (size_t)st.st_size, fp) != (size_t)st.st_size) {
		fprintf(stderr, "elfmod: %s: cannot read: %s\n", path, b ? "short read" : "out of memory");
		goto fail;
	}
	fclose(fp);
	*buf = b;
	*size = (size_t)st.st_size;
	*mode = st.st_mode & 07777;
	return 0;
fail:
	free(b);
	if (fp)
		fclose(fp);
	return -1;
}

int tool_write_file(const char *path, const void *buf, size_t size, unsigned mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	const uint8_t *p = buf;
	size_t done = 0;

	if (fd < 0) {
		fprintf(stderr, "elfmod: %s: cannot write: %s\n", path, strerror(errno));
		return -1;
	}
	while (done < size) {
		ssize_t n = write(fd, p + done, size - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (done != size || close(fd) != 0) {
		fprintf(stderr, "elfmod: %s: cannot write: %s\n", path, strerror(errno));
		if (done != size)
			close(fd);
		unlink(path);
		return -1;
	}
	return 0;
}

void tool_put(uint8_t *p, uint64_t v, int bytes, int be)
{
	put(p, v, bytes, be);
}

void tool_put_ehdr(uint8_t *p, int cls, int be, const struct tool_ehdr *h)
{
	struct cursor c = { p + 16, be };
	int aw = cls == 64 ? 8 : 4;

	f(&c, h->type, 2);
	f(&c, h->machine, 2);
	f(&c, 1, 4);
	f(&c, h->entry, aw);
	f(&c, h->phoff, aw);
	f(&c, h->shoff, aw);
	f(&c, h->flags, 4);
	f(&c, cls == 64 ? 64 : 52, 2);
	f(&c, h->phentsize, 2);
	f(&c, h->phnum, 2);
	f(&c, h->shentsize, 2);
	f(&c, h->shnum, 2);
	f(&c, h->shstrndx, 2);
}

void tool_put_phdr(uint8_t *p, int cls, int be, const struct elfmod_phdr *ph)
{
	struct cursor c = { p, be };
	int aw = cls == 64 ? 8 : 4;

	f(&c, ph->type, 4);
	if (cls == 64)
		f(&c, ph->flags, 4);
	f(&c, ph->offset, aw);
	f(&c, ph->vaddr, aw);
	f(&c, ph->paddr, aw);
	f(&c, ph->filesz, aw);
	f(&c, ph->memsz, aw);
	if (cls != 64)
		f(&c, ph->flags, 4);
	f(&c, ph->align, aw);
}

void tool_put_shdr(uint8_t *p, int cls, int be, const struct elfmod_shdr *sh)
{
	struct cursor c = { p, be };
	int aw = cls == 64 ? 8 : 4;

	f(&c, sh->name, 4);
	f(&c, sh->type, 4);
	f(&c, sh->flags, aw);
	f(&c, sh->addr, aw);
	f(&c, sh->offset, aw);
	f(&c, sh->size, aw);
	f(&c, sh->link, 4);
	f(&c, sh->info, 4);
	f(&c, sh->addralign, aw);
	f(&c, sh->entsize, aw);
}

#define SHF_TLS 0x400u

/* The name of section i for a message ("?" when it has none that can be read). */
const char *tool_section_name(const struct elfmod_elf *elf, uint32_t i, char *buf, size_t size)
{
	const char *name = NULL;

	if (!elf->shstrndx || elfmod_elf_section_name(elf, i, buf, size, &name))
		return "?";
	return name;
}

int tool_check_image(const char *path, const struct elfmod_elf *elf)
{
	struct elfmod_phdr load[ELFMOD_CFG_MAX_LOAD_SEGMENTS], p;
	uint32_t idx[ELFMOD_CFG_MAX_LOAD_SEGMENTS];
	struct elfmod_shdr s;
	char nb[128];
	uint32_t n = 0;

	if (elf->type != ELFMOD_ET_EXEC) {
		fprintf(stderr, "elfmod: %s: e_type %u is not ET_EXEC: this tool takes a program image "
			"linked at fixed addresses\n", path, elf->type);
		return -1;
	}
	/* As many as elfmod_exec_load takes: the outputs must load again, and it bounds the
	 * work below whatever the file claims. */
	for (uint32_t i = 0; i < elf->phnum; i++) {
		if (elfmod_elf_phdr(elf, i, &p))
			return -1;
		if (p.type != ELFMOD_PT_LOAD || p.memsz == 0)
			continue;
		if (n == ELFMOD_CFG_MAX_LOAD_SEGMENTS) {
			fprintf(stderr, "elfmod: %s: more than %u PT_LOAD segments: more than elfmod_exec_load "
				"takes (ELFMOD_CFG_MAX_LOAD_SEGMENTS)\n", path, ELFMOD_CFG_MAX_LOAD_SEGMENTS);
			return -1;
		}
		for (uint32_t j = 0; j < n; j++) {
			const struct elfmod_phdr *q = &load[j];
			if (p.vaddr <= q->vaddr + (q->memsz - 1) && q->vaddr <= p.vaddr + (p.memsz - 1)) {
				fprintf(stderr, "elfmod: %s: segments %u and %u overlap in memory (p_vaddr 0x%llx, "
					"0x%llx)\n", path, idx[j], i, (unsigned long long)q->vaddr,
					(unsigned long long)p.vaddr);
				return -1;
			}
		}
		idx[n] = i;
		load[n++] = p;
	}
	if (!n) {
		fprintf(stderr, "elfmod: %s: no PT_LOAD segment: nothing is loaded from this file\n", path);
		return -1;
	}
	/* Every allocated section must be where a segment loads it, with its file bytes where
	 * that segment takes them: otherwise sections and segments disagree about the image,
	 * and neither the symbols nor the copies would describe what runs. */
	for (uint32_t i = 1; i < elf->shnum; i++) {
		const struct elfmod_phdr *q = NULL;
		uint32_t j;
		if (elfmod_elf_shdr(elf, i, &s))
			return -1;
		if (!(s.flags & ELFMOD_SHF_ALLOC) || s.size == 0 || s.type == ELFMOD_SHT_NULL)
			continue;
		/* .tbss takes no room of its own: each thread's copy is made at run time. */
		if ((s.flags & SHF_TLS) && s.type == ELFMOD_SHT_NOBITS)
			continue;
		for (j = 0; j < n && !q; j++)
			if (s.addr >= load[j].vaddr && s.addr - load[j].vaddr <= load[j].memsz &&
			    s.size <= load[j].memsz - (s.addr - load[j].vaddr))
				q = &load[j];
		if (!q) {
			fprintf(stderr, "elfmod: %s: section %u (%s) at 0x%llx, 0x%llx bytes, lies in no PT_LOAD "
				"segment\n", path, i, tool_section_name(elf, i, nb, sizeof(nb)),
				(unsigned long long)s.addr, (unsigned long long)s.size);
			return -1;
		}
		if (s.type != ELFMOD_SHT_NOBITS &&
		    (s.offset < q->offset || s.offset - q->offset != s.addr - q->vaddr ||
		     s.addr - q->vaddr > q->filesz || s.size > q->filesz - (s.addr - q->vaddr))) {
			fprintf(stderr, "elfmod: %s: section %u (%s): its file bytes (sh_offset 0x%llx) are not "
				"where segment %u loads them from\n", path, i, tool_section_name(elf, i, nb, sizeof(nb)),
				(unsigned long long)s.offset, idx[j - 1]);
			return -1;
		}
	}
	return 0;
}
