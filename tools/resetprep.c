/* elfmod reset-prep IMAGE.elf [--at ADDR] -o OUT.elf
 *
 * Prepares a program image (ET_EXEC) to reset itself (docs/images.md): OUT.elf is
 * IMAGE.elf with, appended,
 *  - a read-only PT_LOAD holding the reset table (struct elfmod_reset_table and its
 *    regions) and the new program header table (it has grown, and an image that reads
 *    its own headers through PT_PHDR or AT_PHDR still finds them in memory);
 *  - per writable PT_LOAD with file bytes, a read-only PT_LOAD holding a copy of them;
 *  - a program header of type ELFMOD_PT_RESET over the table;
 *  - sections .elfmod.reset and .elfmod.reset.copy over the same bytes (objcopy -O
 *    binary and debuggers go by sections), when the image has section headers.
 * The new segments are placed at ADDR, or after the highest address any segment
 * occupies (by p_vaddr or p_paddr) rounded up to the largest p_align, and are loaded
 * at their own address (p_paddr = p_vaddr). Everything already in the file stays at its
 * offset. The placeholder pointer `elfmod_reset_table`, when the image defines it, is
 * set to the table's address before the copies are taken, so a placeholder in .data
 * is restored to the same value.
 *
 * Regions: each writable PT_LOAD's [p_vaddr, p_vaddr + p_memsz) minus the sections
 * named .persistent* in it; a piece's bytes below p_filesz come from the copy, the
 * rest is zeroed. */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "tools.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT_PHDR 6u
#define PN_XNUM 0xffffu
#define STT_NOTYPE 0
#define STT_OBJECT 1
#define COPY_ALIGN 16u
#define TABLE_NAME ".elfmod.reset"
#define COPY_NAME ".elfmod.reset.copy"

struct range {
	uint64_t lo, hi;  /* [lo, hi) */
};

struct piece {
	uint64_t addr, filesz, memsz;
	uint32_t seg;     /* index into the writable segments */
};

struct prep {
	const char *path;
	uint8_t *buf;
	size_t size;
	struct elfmod_source src;
	struct elfmod_elf elf;
	struct elfmod_phdr *ph;
	struct range *keep;      /* .persistent* sections */
	uint32_t nkeep;
	uint32_t *wseg;          /* program header index of each writable PT_LOAD */
	uint32_t nwseg;
	struct piece *pieces;
	uint32_t npieces;
	uint64_t holder_off;     /* file offset of the placeholder, when found */
	int has_holder;
};

static int prep_usage(void)
{
	fprintf(stderr, "usage: elfmod reset-prep IMAGE.elf [--at ADDR] -o OUT.elf\n");
	return 2;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) & ~(a - 1) : v;
}

static int by_lo(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int by_addr(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The .persistent* sections: their bytes are left out of the regions. */
static int find_persistent(struct prep *p)
{
	struct elfmod_shdr s;
	char nb[256];
	const char *name;

	p->keep = calloc(p->elf.shnum + 1, sizeof(*p->keep));
	if (!p->keep)
		return -1;
	for (uint32_t i = 1; i < p->elf.shnum; i++) {
		if (elfmod_elf_shdr(&p->elf, i, &s))
			return -1;
		if (!(s.flags & ELFMOD_SHF_ALLOC) || !s.size || !p->elf.shstrndx)
			continue;
		if (elfmod_elf_section_name(&p->elf, i, nb, sizeof(nb), &name))
			return -1;
		if (!strncmp(name, ".persistent", 11)) {
			p->keep[p->nkeep].lo = s.addr;
			p->keep[p->nkeep++].hi = s.addr + s.size;
		}
	}
	qsort(p->keep, p->nkeep, sizeof(*p->keep), by_lo);
	return 0;
}

/* Splits writable segment k around the persistent ranges. */
static void cut(struct prep *p, uint32_t k)
{
	const struct elfmod_phdr *s = &p->ph[p->wseg[k]];
	uint64_t cur = s->vaddr, end = s->vaddr + s->memsz, fend = s->vaddr + s->filesz;

	for (uint32_t i = 0; i <= p->nkeep; i++) {
		uint64_t lo = i < p->nkeep ? p->keep[i].lo : end, hi = i < p->nkeep ? p->keep[i].hi : end;
		if (hi <= cur || lo >= end) {
			if (i < p->nkeep)
				continue;
			lo = hi = end;
		}
		if (lo > cur) {
			struct piece *pc = &p->pieces[p->npieces++];
			pc->addr = cur;
			pc->memsz = lo - cur;
			pc->filesz = fend > cur ? (fend < lo ? fend : lo) - cur : 0;
			pc->seg = k;
		}
		if (hi > cur)
			cur = hi;
	}
}

/* The placeholder pointer: an object of the image's address size among its file bytes,
 * still NULL. An image that does not declare it is prepared all the same. */
static int find_placeholder(struct prep *p)
{
	struct elfmod_exec_syms syms;
	struct elfmod_sym sym;
	struct elfmod_diag d;
	unsigned w = p->elf.cls / 8;
	int rc;

	if (!p->elf.symtab)
		return 0;
	rc = elfmod_exec_syms_open(&syms, &p->src, &p->src, &d);
	if (!rc)
		rc = elfmod_exec_symbol(&syms, ELFMOD_RESET_SYMBOL, &sym, &d);
	if (rc == ELFMOD_ENOTFOUND)
		return 0;
	if (rc) {
		tool_error(p->path, rc, &d);
		return -1;
	}
	if ((ELFMOD_ST_TYPE(sym.info) != STT_OBJECT && ELFMOD_ST_TYPE(sym.info) != STT_NOTYPE) || sym.size != w) {
		fprintf(stderr, "elfmod: %s: %s is not a pointer (%u-byte object; type %u, size %llu): declare "
			"it with ELFMOD_RESET_TABLE_PLACEHOLDER\n", p->path, ELFMOD_RESET_SYMBOL, w,
			ELFMOD_ST_TYPE(sym.info), (unsigned long long)sym.size);
		return -1;
	}
	for (uint32_t i = 0; i < p->elf.phnum; i++) {
		const struct elfmod_phdr *s = &p->ph[i];
		if (s->type == ELFMOD_PT_LOAD && sym.value >= s->vaddr && sym.value - s->vaddr <= s->filesz &&
		    w <= s->filesz - (sym.value - s->vaddr)) {
			uint64_t v = 0;
			p->holder_off = s->offset + (sym.value - s->vaddr);
			for (unsigned b = 0; b < w; b++)
				v |= p->buf[p->holder_off + b];
			if (v) {
				fprintf(stderr, "elfmod: %s: %s is not NULL: prepared already, or not a placeholder\n",
					p->path, ELFMOD_RESET_SYMBOL);
				return -1;
			}
			p->has_holder = 1;
			return 0;
		}
	}
	fprintf(stderr, "elfmod: %s: %s at 0x%llx is not among the file's bytes (in .bss?): it cannot be "
		"set\n", p->path, ELFMOD_RESET_SYMBOL, (unsigned long long)sym.value);
	return -1;
}

static int parse_addr(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end || s[0] == '-';
}

/* Checks the output in memory as a loader would see it, before it is written. */
static int check_output(const char *out, const uint8_t *b, size_t size, uint64_t table)
{
	struct elfmod_source src = { .data = b, .size = size };
	struct elfmod_elf elf;
	struct elfmod_diag d;
	uint64_t addr, tsize;
	int rc = elfmod_elf_open(&elf, &src, &d);

	if (!rc)
		rc = elfmod_exec_reset_table(&src, &addr, &tsize, &d);
	if (rc) {
		tool_error(out, rc, &d);
		return -1;
	}
	if (tool_check_image(out, &elf))
		return -1;
	if (addr != table) {
		fprintf(stderr, "elfmod: %s: the table is not where it was put\n", out);
		return -1;
	}
	return 0;
}

int cmd_reset_prep(int argc, char **argv)
{
	const char *out_path = NULL;
	struct prep p = { 0 };
	struct elfmod_diag d;
	struct elfmod_phdr *oph = NULL;
	struct elfmod_shdr strsec;
	uint64_t at = 0, A, F, lim, highest = 0, maxalign = COPY_ALIGN, T, phrel, total, cur, *crel = NULL;
	uint64_t str_off = 0, str_size = 0, old_str_size = 0, shoff = 0, out_size;
	uint32_t ncopy = 0, nload = 0, nph, nsh = 0, ins, k;
	unsigned mode = 0644, w;
	int has_at = 0, rc, status = 1, be, cls;
	size_t phent, shent;
	uint8_t *out = NULL, *t;
	struct tool_ehdr eh;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out_path = argv[++i];
		} else if (!strcmp(argv[i], "--at") && i + 1 < argc) {
			if (parse_addr(argv[++i], &at)) {
				fprintf(stderr, "elfmod: reset-prep: --at %s: not an address\n", argv[i]);
				return 2;
			}
			has_at = 1;
		} else if (argv[i][0] != '-' && !p.path) {
			p.path = argv[i];
		} else {
			return prep_usage();
		}
	}
	if (!p.path || !out_path)
		return prep_usage();
	if (!strcmp(p.path, out_path)) {
		fprintf(stderr, "elfmod: reset-prep: the output would overwrite the input\n");
		return 2;
	}
	if (tool_read_file(p.path, &p.buf, &p.size, &mode))
		return 1;
	p.src = (struct elfmod_source){ .data = p.buf, .size = p.size };
	rc = elfmod_elf_open(&p.elf, &p.src, &d);
	if (rc) {
		tool_error(p.path, rc, &d);
		goto done;
	}
	if (tool_check_image(p.path, &p.elf))
		goto done;
	cls = p.elf.cls;
	be = p.elf.big_endian;
	w = (unsigned)cls / 8;
	lim = cls == 64 ? UINT64_MAX : UINT32_MAX;
	phent = cls == 64 ? 56 : 32;
	shent = cls == 64 ? 64 : 40;
	if (p.elf.shnum && !p.elf.shstrndx) {
		fprintf(stderr, "elfmod: %s: sections without a section name table (e_shstrndx 0)\n", p.path);
		goto done;
	}

	p.ph = calloc(p.elf.phnum + 1, sizeof(*p.ph));
	p.wseg = calloc(p.elf.phnum + 1, sizeof(*p.wseg));
	if (!p.ph || !p.wseg)
		goto nomem;
	for (uint32_t i = 0; i < p.elf.phnum; i++) {
		const struct elfmod_phdr *s = &p.ph[i];
		if (elfmod_elf_phdr(&p.elf, i, &p.ph[i]))
			goto done;
		if (s->type == ELFMOD_PT_RESET) {
			fprintf(stderr, "elfmod: %s: has a reset table already (segment %u)\n", p.path, i);
			goto done;
		}
		if (s->type != ELFMOD_PT_LOAD || !s->memsz)
			continue;
		nload++;
		if (s->align > maxalign)
			maxalign = s->align;
		/* The last byte, not one past it: a segment may end at the top of memory. */
		if (s->vaddr + (s->memsz - 1) >= highest)
			highest = s->vaddr + (s->memsz - 1);
		if (s->paddr + (s->memsz - 1) >= highest)
			highest = s->paddr + (s->memsz - 1);
		if (s->flags & ELFMOD_PF_W) {
			p.wseg[p.nwseg++] = i;
			if (s->filesz)
				ncopy++;
		}
	}
	/* The copies sit congruent with A modulo the largest alignment: a file padded by up
	 * to that much. Beyond 64 MiB that is no alignment a loader honours. */
	if (maxalign > (1u << 26)) {
		fprintf(stderr, "elfmod: %s: p_align 0x%llx: too large to place the copies by\n", p.path,
			(unsigned long long)maxalign);
		goto done;
	}
	if (nload + ncopy + 1 > ELFMOD_CFG_MAX_LOAD_SEGMENTS) {
		fprintf(stderr, "elfmod: %s: with the copies and the table, more than %u PT_LOAD segments: more "
			"than elfmod_exec_load takes (ELFMOD_CFG_MAX_LOAD_SEGMENTS)\n", p.path,
			ELFMOD_CFG_MAX_LOAD_SEGMENTS);
		goto done;
	}
	if (find_persistent(&p) || find_placeholder(&p))
		goto done;
	p.pieces = calloc((size_t)p.nwseg * (p.nkeep + 1) + 1, sizeof(*p.pieces));
	crel = calloc(p.nwseg + 1, sizeof(*crel));
	if (!p.pieces || !crel)
		goto nomem;
	for (k = 0; k < p.nwseg; k++)
		cut(&p, k);
	qsort(p.pieces, p.npieces, sizeof(*p.pieces), by_addr);

	/* Layout from the table's address A: table, program headers, copies. */
	nph = p.elf.phnum + ncopy + 2;
	if (nph >= PN_XNUM) {
		fprintf(stderr, "elfmod: %s: %u program headers: too many\n", p.path, nph);
		goto done;
	}
	T = 16 + (uint64_t)p.npieces * 4 * w;
	phrel = align_up(T, 8);
	cur = phrel + (uint64_t)nph * phent;
	for (k = 0; k < p.nwseg; k++) {
		const struct elfmod_phdr *s = &p.ph[p.wseg[k]];
		if (!s->filesz)
			continue;
		crel[k] = align_up(cur, COPY_ALIGN);
		cur = crel[k] + s->filesz;
	}
	total = cur;

	if (has_at) {
		A = at;
		if (A % 8) {
			fprintf(stderr, "elfmod: reset-prep: --at 0x%llx: not a multiple of 8\n", (unsigned long long)A);
			goto done;
		}
	} else {
		if (highest >= lim - maxalign) {
			fprintf(stderr, "elfmod: %s: no addresses left after the image for the copies\n", p.path);
			goto done;
		}
		A = align_up(highest + 1, maxalign);
	}
	if (A > lim || total - 1 > lim - A) {
		fprintf(stderr, "elfmod: %s: 0x%llx bytes at 0x%llx do not fit the %d-bit address space\n", p.path,
			(unsigned long long)total, (unsigned long long)A, cls);
		goto done;
	}
	for (uint32_t i = 0; i < p.elf.phnum; i++) {
		const struct elfmod_phdr *s = &p.ph[i];
		uint64_t last = A + (total - 1);
		if (s->type != ELFMOD_PT_LOAD || !s->memsz)
			continue;
		if ((s->vaddr <= last && A <= s->vaddr + (s->memsz - 1)) ||
		    (s->paddr <= last && A <= s->paddr + (s->memsz - 1))) {
			fprintf(stderr, "elfmod: %s: [0x%llx, 0x%llx) for the table and copies overlaps segment %u\n",
				p.path, (unsigned long long)A, (unsigned long long)(last + 1), i);
			goto done;
		}
	}
	/* File offset congruent with A modulo every alignment in the image. */
	F = align_up(p.size, COPY_ALIGN);
	F += (A - F) & (maxalign - 1);
	out_size = F + total;
	if (p.elf.shnum) {
		if (elfmod_elf_shdr(&p.elf, p.elf.shstrndx, &strsec))
			goto done;
		old_str_size = strsec.size;
		nsh = p.elf.shnum + 1 + ncopy;
		str_off = out_size;
		str_size = old_str_size + sizeof(TABLE_NAME) + sizeof(COPY_NAME);
		shoff = align_up(str_off + str_size, 8);
		out_size = shoff + (uint64_t)nsh * shent;
	}
	out = calloc(1, (size_t)out_size);
	oph = calloc(nph, sizeof(*oph));
	if (!out || !oph)
		goto nomem;
	memcpy(out, p.buf, p.size);

	/* The placeholder first, so that a copy of its segment holds the table's address. */
	if (p.has_holder)
		tool_put(out + p.holder_off, A, (int)w, be);
	t = out + F;
	tool_put(t, ELFMOD_RESET_MAGIC, 4, be);
	tool_put(t + 4, ELFMOD_RESET_VERSION, 2, be);
	tool_put(t + 6, 4 * w, 2, be);
	tool_put(t + 8, p.npieces, 4, be);
	for (uint32_t i = 0; i < p.npieces; i++) {
		const struct piece *pc = &p.pieces[i];
		const struct elfmod_phdr *s = &p.ph[p.wseg[pc->seg]];
		uint8_t *e = t + 16 + (size_t)i * 4 * w;
		tool_put(e, pc->addr, (int)w, be);
		tool_put(e + w, pc->filesz ? A + crel[pc->seg] + (pc->addr - s->vaddr) : 0, (int)w, be);
		tool_put(e + 2 * w, pc->filesz, (int)w, be);
		tool_put(e + 3 * w, pc->memsz, (int)w, be);
	}
	for (k = 0; k < p.nwseg; k++) {
		const struct elfmod_phdr *s = &p.ph[p.wseg[k]];
		if (s->filesz)
			memcpy(t + crel[k], out + s->offset, (size_t)s->filesz);
	}

	/* Program headers: the new PT_LOADs where their address puts them among the others
	 * (ascending p_vaddr), PT_PHDR moved with the table, the table's header last. */
	ins = UINT32_MAX;
	k = UINT32_MAX; /* the last PT_LOAD below A (tool_check_image saw at least one) */
	for (uint32_t i = 0; i < p.elf.phnum && ins == UINT32_MAX; i++) {
		if (p.ph[i].type != ELFMOD_PT_LOAD)
			continue;
		if (p.ph[i].vaddr > A)
			ins = i;
		else
			k = i;
	}
	if (ins == UINT32_MAX)
		ins = k == UINT32_MAX ? p.elf.phnum : k + 1;
	{
		uint32_t n = 0;
		for (uint32_t i = 0; i <= p.elf.phnum; i++) {
			if (i == ins) {
				oph[n++] = (struct elfmod_phdr){ .type = ELFMOD_PT_LOAD, .flags = ELFMOD_PF_R, .offset = F,
								  .vaddr = A, .paddr = A, .filesz = phrel + (uint64_t)nph * phent,
								  .memsz = phrel + (uint64_t)nph * phent, .align = maxalign };
				for (k = 0; k < p.nwseg; k++) {
					uint64_t sz = p.ph[p.wseg[k]].filesz;
					if (sz)
						oph[n++] = (struct elfmod_phdr){ .type = ELFMOD_PT_LOAD, .flags = ELFMOD_PF_R,
										  .offset = F + crel[k], .vaddr = A + crel[k],
										  .paddr = A + crel[k], .filesz = sz,
										  .memsz = sz, .align = maxalign };
				}
			}
			if (i == p.elf.phnum)
				break;
			oph[n] = p.ph[i];
			if (oph[n].type == PT_PHDR) {
				oph[n].offset = F + phrel;
				oph[n].vaddr = oph[n].paddr = A + phrel;
				oph[n].filesz = oph[n].memsz = (uint64_t)nph * phent;
			}
			n++;
		}
		oph[n++] = (struct elfmod_phdr){ .type = ELFMOD_PT_RESET, .flags = ELFMOD_PF_R, .offset = F, .vaddr = A,
						  .paddr = A, .filesz = T, .memsz = T, .align = 8 };
		for (uint32_t i = 0; i < n; i++)
			tool_put_phdr(t + phrel + (size_t)i * phent, cls, be, &oph[i]);
	}

	/* Sections: the old ones as they were (the name table moved and grown), then the
	 * table's and the copies'. */
	if (p.elf.shnum) {
		uint8_t *sb = out + shoff;
		uint32_t n = p.elf.shnum;
		memcpy(out + str_off, p.buf + strsec.offset, (size_t)old_str_size);
		memcpy(out + str_off + old_str_size, TABLE_NAME, sizeof(TABLE_NAME));
		memcpy(out + str_off + old_str_size + sizeof(TABLE_NAME), COPY_NAME, sizeof(COPY_NAME));
		for (uint32_t i = 0; i < p.elf.shnum; i++) {
			struct elfmod_shdr x;
			if (elfmod_elf_shdr(&p.elf, i, &x))
				goto done;
			if (i == 0) {
				x.size = nsh < ELFMOD_SHN_LORESERVE ? 0 : nsh;
				x.info = 0;
			}
			if (i == p.elf.shstrndx) {
				x.offset = str_off;
				x.size = str_size;
			}
			tool_put_shdr(sb + (size_t)i * shent, cls, be, &x);
		}
		tool_put_shdr(sb + (size_t)n++ * shent, cls, be,
			      &(struct elfmod_shdr){ .name = (uint32_t)old_str_size, .type = ELFMOD_SHT_PROGBITS,
						     .flags = ELFMOD_SHF_ALLOC, .addr = A, .offset = F, .size = T,
						     .addralign = 8 });
		for (k = 0; k < p.nwseg; k++) {
			uint64_t sz = p.ph[p.wseg[k]].filesz;
			if (sz)
				tool_put_shdr(sb + (size_t)n++ * shent, cls, be,
					      &(struct elfmod_shdr){ .name = (uint32_t)(old_str_size + sizeof(TABLE_NAME)),
								     .type = ELFMOD_SHT_PROGBITS, .flags = ELFMOD_SHF_ALLOC,
								     .addr = A + crel[k], .offset = F + crel[k],
								     .size = sz, .addralign = COPY_ALIGN });
		}
	}
	eh = (struct tool_ehdr){ .type = ELFMOD_ET_EXEC, .machine = p.elf.machine, .entry = p.elf.entry,
				 .phoff = F + phrel, .shoff = shoff, .flags = p.elf.flags,
				 .phentsize = (uint16_t)phent, .phnum = (uint16_t)nph,
				 .shentsize = p.elf.shnum ? (uint16_t)shent : 0,
				 .shnum = nsh < ELFMOD_SHN_LORESERVE ? (uint16_t)nsh : 0,
				 .shstrndx = p.elf.shstrndx < ELFMOD_SHN_LORESERVE ? (uint16_t)p.elf.shstrndx
										  : ELFMOD_SHN_XINDEX };
	tool_put_ehdr(out, cls, be, &eh);

	if (check_output(out_path, out, (size_t)out_size, A))
		goto done;
	if (tool_write_file(out_path, out, (size_t)out_size, mode & 0777))
		goto done;
	printf("%s: %u regions, %u copies, table at 0x%llx (%llu bytes)%s\n", out_path, p.npieces, ncopy,
	       (unsigned long long)A, (unsigned long long)total,
	       p.has_holder ? ", " ELFMOD_RESET_SYMBOL " set" : "");
	status = 0;
	goto done;
nomem:
	fprintf(stderr, "elfmod: %s: out of memory\n", p.path);
done:
	free(p.buf);
	free(p.ph);
	free(p.keep);
	free(p.wseg);
	free(p.pieces);
	free(crel);
	free(oph);
	free(out);
	return status;
}
