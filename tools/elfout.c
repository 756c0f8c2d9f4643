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
