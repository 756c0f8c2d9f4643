/*
 * elfmod exports FIRMWARE.elf [--allow FILE]... [--deny FILE]... [--hashed] [--tiny] [--name NAME]
 *                -o exports.c [--header exports.h]
 *
 * Writes the export table of a firmware as C source in the core's lookup format, from
 * the firmware's own symbol table: the entries, their index already sorted by (hash,
 * name) so the device builds nothing at boot, and the struct elfmod_exports with the
 * ABI fingerprint of the set. The entries refer to the firmware's symbols by their link
 * names (asm labels), so the file compiles whatever their C types and whatever headers
 * declare, and links into the firmware it was generated from.
 *
 * --hashed leaves the names out of the device table (each entry matches on its hash
 * alone, as Flipper Zero's API tables do); the names stay on the host, in the listing
 * at the top of exports.c and in the firmware's ELF file (.elfmod.listing, not
 * allocated), where `elfmod check` finds them so its messages still name symbols. Two
 * names of one hash would then be one entry: refused.
 *
 * --tiny adds the set as the tiny loader's import table (NAME_tiny, index order), for
 * packed modules that name imports by position (`elfmod pack --exports`).
 *
 * Nothing is written unless everything was understood; outputs appear by rename().
 * This file also holds what `elfmod check` shares with the generator (exports_cmd.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"
#include "exports_cmd.h"
#include "tools.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STT_OBJECT 1
#define STT_FUNC 2
#define STT_GNU_IFUNC 10
#define STB_GLOBAL 1
#define STB_WEAK 2
#define STB_GNU_UNIQUE 10
#define STV_INTERNAL 1
#define STV_HIDDEN 2

#define SHT_GNU_ATTRIBUTES 0x6ffffff5u
#define SHT_ARCH_ATTRIBUTES 0x70000003u /* ARM and RISC-V */
#define SHT_MIPS_ABIFLAGS 0x7000002au

#define DEFAULT_TABLE "elfmod_firmware_exports"
#define NAME_MAX_LEN 4096
/* Attributes, listings and notes are small; anything larger is not one of them. */
#define META_MAX (16u << 20)

/* ---- memory: a failed allocation ends a command-line tool ---- */

void *tool_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "elfmod: out of memory\n");
		exit(1);
	}
	return p;
}

char *tool_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(tool_xrealloc(NULL, n), s, n);
}

/* ---- names ---- */

/* What an assembler takes as a plain symbol name, so an asm label can carry it. */
int tool_name_ok(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '.' || *s == '$'))
			return 0;
	return 1;
}

static int c_identifier(const char *s)
{
	static const char *const keywords[] = {
		"auto", "break", "case", "char", "const", "continue", "default", "do", "double",
		"else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
		"register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
		"switch", "typedef", "union", "unsigned", "void", "volatile", "while",
	};

	if (!tool_name_ok(s) || strchr(s, '.') || strchr(s, '$'))
		return 0;
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcmp(s, keywords[i]))
			return 0;
	/* The generated file adds __N and _syms/_index to it. */
	return strlen(s) < 200;
}

/* ---- pattern files ---- */

void tool_patterns_free(struct tool_patterns *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->pat[i]);
		free(p->where[i]);
	}
	free(p->pat);
	free(p->where);
	free(p->hit);
	memset(p, 0, sizeof(*p));
}

int tool_patterns_load(struct tool_patterns *p, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long no = 0;
	int ret = -1;

	if (!f) {
		fprintf(stderr, "elfmod: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *s = line, *e, *hash, where[64];
		no++;
		if (memchr(line, 0, (size_t)len)) {
			fprintf(stderr, "elfmod: %s:%lu: a NUL byte: not a pattern file\n", path, no);
			goto out;
		}
		/* Symbol names never hold '#': it always starts a comment. */
		if ((hash = strchr(s, '#')))
			*hash = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
			*--e = 0;
		if (!*s)
			continue;
		if (strpbrk(s, " \t")) {
			fprintf(stderr, "elfmod: %s:%lu: '%s': one pattern per line, without spaces\n", path, no, s);
			goto out;
		}
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 16;
			p->pat = tool_xrealloc(p->pat, p->cap * sizeof(*p->pat));
			p->where = tool_xrealloc(p->where, p->cap * sizeof(*p->where));
			p->hit = tool_xrealloc(p->hit, p->cap);
		}
		snprintf(where, sizeof(where), "%lu", no);
		p->where[p->n] = tool_xrealloc(NULL, strlen(path) + strlen(where) + 2);
		sprintf(p->where[p->n], "%s:%s", path, where);
		p->pat[p->n] = tool_xstrdup(s);
		p->hit[p->n] = 0;
		p->n++;
	}
	if (ferror(f)) {
		fprintf(stderr, "elfmod: %s: read error\n", path);
		goto out;
	}
	ret = 0;
out:
	free(line);
	fclose(f);
	return ret;
}

static int patterns_match(struct tool_patterns *p, const char *name)
{
	int any = 0;

	/* Every pattern is tried, so each one that matches something is known. */
	for (size_t i = 0; i < p->n; i++)
		if (fnmatch(p->pat[i], name, 0) == 0)
			p->hit[i] = 1, any = 1;
	return any;
}

static void patterns_warn_unused(const struct tool_patterns *p, const char *what)
{
	for (size_t i = 0; i < p->n; i++)
		if (!p->hit[i])
			fprintf(stderr, "elfmod: warning: %s: %s pattern '%s' matches no symbol\n", p->where[i], what,
				p->pat[i]);
}

/* ---- export sets ---- */

static int xsym_cmp(const void *a, const void *b)
{
	const struct tool_xsym *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	/* strcmp compares as unsigned char, as the core's elfmod__strcmp does. */
	return strcmp(x->name, y->name);
}

uint64_t tool_fingerprint(const struct tool_xtable *t)
{
	struct elfmod_sha256 sha;
	uint8_t d[32];
	uint64_t fp = 0;

	elfmod_sha256_init(&sha);
	for (size_t i = 0; i < t->n; i++)
		elfmod_sha256_update(&sha, t->e[i].name, strlen(t->e[i].name) + 1);
	elfmod_sha256_final(&sha, d);
	for (int k = 7; k >= 0; k--)
		fp = fp << 8 | d[k];
	return fp;
}

size_t tool_xtable_finish(struct tool_xtable *t)
{
	for (size_t i = 0; i < t->n; i++)
		t->e[i].hash = elfmod_hash(t->e[i].name);
	if (t->n > 1)
		qsort(t->e, t->n, sizeof(t->e[0]), xsym_cmp);
	t->fingerprint = tool_fingerprint(t);
	for (size_t i = 1; i < t->n; i++)
		if (!strcmp(t->e[i - 1].name, t->e[i].name))
			return i - 1;
	return t->n;
}

void tool_xtable_free(struct tool_xtable *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].name);
	free(t->e);
	free(t->origin);
	free(t->name);
	memset(t, 0, sizeof(*t));
}

const struct tool_xsym *tool_xtable_find(const struct tool_xtable *t, const char *name)
{
	uint32_t h = elfmod_hash(name);
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->e[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n && t->e[lo].hash == h; lo++)
		if (t->hashed || !strcmp(t->e[lo].name, name))
			return &t->e[lo];
	return NULL;
}

/* ---- reading sections ---- */

int tool_section_read(const struct elfmod_elf *elf, uint32_t idx, uint64_t max, uint8_t **out, size_t *len)
{
	const struct elfmod_source *src = elf->src;
	struct elfmod_shdr s;
	uint8_t *b;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = elfmod_elf_shdr(elf, idx, &s)))
		return rc;
	if (s.type == ELFMOD_SHT_NOBITS)
		s.size = 0;
	if (s.size > max)
		return ELFMOD_ELIMIT;
	if (s.offset > src->size || s.size > src->size - s.offset)
		return ELFMOD_ETRUNC;
	b = tool_xrealloc(NULL, (size_t)s.size + 1);
	if (s.size) {
		if (src->data)
			memcpy(b, (const uint8_t *)src->data + s.offset, (size_t)s.size);
		else if (src->read(src->ctx, s.offset, b, (size_t)s.size)) {
			free(b);
			return ELFMOD_EIO;
		}
	}
	b[s.size] = 0;
	*out = b;
	*len = (size_t)s.size;
	return 0;
}

int tool_section_find(const struct elfmod_elf *elf, const char *name, uint32_t *idx)
{
	char buf[256];
	const char *n;
	int rc;

	*idx = 0;
	for (uint32_t i = 1; i < elf->shnum; i++) {
		rc = elfmod_elf_section_name(elf, i, buf, sizeof(buf), &n);
		if (rc == ELFMOD_ESPACE)
			continue;
		if (rc)
			return rc;
		if (!strcmp(n, name)) {
			*idx = i;
			return 0;
		}
	}
	return 0;
}

/* ---- build attributes ---- */

static uint32_t rd32(const uint8_t *b, int be)
{
	return be ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
		  : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

static int uleb(const uint8_t *b, size_t end, size_t *p, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*p < end) {
		uint8_t c = b[(*p)++];
		if (shift >= 64 || (shift == 63 && (c & 0x7e)))
			return -1;
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return 0;
		shift += 7;
	}
	return -1;
}

typedef void (*attr_fn)(void *ctx, const char *vendor, uint64_t tag, uint64_t ival, const char *sval);

/* Whether tag `t` of `vendor` holds a string (1), an integer (0) or both (2). */
static int attr_kind(const char *vendor, uint64_t t)
{
	if (t == 32)
		return 2; /* Tag_compatibility: flag, then name */
	if (!strcmp(vendor, "aeabi") && t < 32)
		return t == 4 || t == 5;
	return (t & 1) != 0;
}

/* The ELF build-attributes format shared by ARM, RISC-V and GNU: 'A', then per vendor
 * a length, a name and sub-sections, of which the file-scope ones are read. */
static int attrs_parse(const uint8_t *b, size_t n, int be, attr_fn fn, void *ctx)
{
	size_t p = 1;

	if (n == 0)
		return 0;
	if (b[0] != 'A')
		return -1;
	while (p < n) {
		size_t end, q, vend;
		uint32_t len;
		if (n - p < 4)
			return -1;
		len = rd32(b + p, be);
		if (len < 5 || len > n - p)
			return -1;
		end = p + len;
		q = p + 4;
		vend = q;
		while (vend < end && b[vend])
			vend++;
		if (vend == end)
			return -1;
		q = vend + 1;
		while (q < end) {
			size_t start = q, subend;
			uint64_t tag;
			uint32_t sz;
			if (uleb(b, end, &q, &tag) || end - q < 4)
				return -1;
			sz = rd32(b + q, be);
			q += 4;
			if (sz < q - start || sz > end - start)
				return -1;
			subend = start + sz;
			while (tag == 1 && q < subend) {
				uint64_t t, iv = 0;
				const char *sv = NULL;
				int kind;
				if (uleb(b, subend, &q, &t))
					return -1;
				kind = attr_kind((const char *)b + p + 4, t);
				if (kind != 1 && uleb(b, subend, &q, &iv))
					return -1;
				if (kind != 0) {
					size_t s = q;
					while (q < subend && b[q])
						q++;
					if (q == subend)
						return -1;
					sv = (const char *)b + s;
					q++;
				}
				fn(ctx, (const char *)b + p + 4, t, iv, sv);
			}
			q = subend;
		}
		p = end;
	}
	return 0;
}

static int clamp_int(uint64_t v)
{
	return v > 0x7fffffff ? 0x7fffffff : (int)v;
}

static void target_attr(void *ctx, const char *vendor, uint64_t tag, uint64_t v, const char *s)
{
	struct tool_target *t = ctx;

	if (!strcmp(vendor, "aeabi")) {
		switch (tag) {
		case 6: t->arm_arch = clamp_int(v); break;
		case 7: t->arm_profile = clamp_int(v); break;
		case 8: t->arm_isa = clamp_int(v); break;
		case 9: t->arm_thumb = clamp_int(v); break;
		case 10: t->arm_fp = clamp_int(v); break;
		case 18: t->arm_wchar = clamp_int(v); break;
		case 24: t->arm_align_needed = clamp_int(v); break;
		case 25: t->arm_align_preserved = clamp_int(v); break;
		case 26: t->arm_enum = clamp_int(v); break;
		case 28: t->arm_vfp_args = clamp_int(v); break;
		}
	} else if (!strcmp(vendor, "riscv") && tag == 5 && s) {
		snprintf(t->riscv_arch, sizeof(t->riscv_arch), "%s", s);
	} else if (!strcmp(vendor, "gnu") && tag == 4 && t->machine == ELFMOD_EM_MIPS && t->mips_fp < 0) {
		t->mips_fp = clamp_int(v);
	}
}

static int arch_chars_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int read_attrs(const struct elfmod_elf *elf, const char *path, uint32_t idx, struct tool_target *t)
{
	uint8_t *b;
	size_t n;
	int rc = tool_section_read(elf, idx, META_MAX, &b, &n);

	if (rc) {
		fprintf(stderr, "elfmod: %s: section %" PRIu32 " (build attributes): %s\n", path, idx,
			elfmod_strerror(rc));
		return -1;
	}
	rc = attrs_parse(b, n, elf->big_endian, target_attr, t);
	free(b);
	if (rc) {
		fprintf(stderr, "elfmod: %s: section %" PRIu32 ": build attributes not understood\n", path, idx);
		return -1;
	}
	return 0;
}

int tool_target_read(const struct elfmod_elf *elf, const char *path, struct tool_target *t)
{
	struct elfmod_shdr s;
	int rc;

	memset(t, 0, sizeof(*t));
	t->machine = elf->machine;
	t->cls = elf->cls;
	t->big_endian = elf->big_endian;
	t->flags = elf->flags;
	t->arm_profile = t->arm_arch = t->arm_isa = t->arm_thumb = t->arm_fp = t->arm_vfp_args = -1;
	t->arm_enum = t->arm_wchar = t->arm_align_needed = t->arm_align_preserved = -1;
	t->mips_fp = t->mips_isa = t->mips_rev = -1;
	t->xtensa_abi = t->xtensa_abslit = -1;
	for (uint32_t i = 1; i < elf->shnum; i++) {
		if ((rc = elfmod_elf_shdr(elf, i, &s))) {
			tool_error(path, rc, elf->diag);
			return -1;
		}
		if (elf->machine == ELFMOD_EM_ARM && s.type == SHT_ARCH_ATTRIBUTES && !t->arm_attrs) {
			/* A tag an attribute section leaves out has the value 0. */
			t->arm_attrs = 1;
			t->arm_profile = t->arm_arch = t->arm_isa = t->arm_thumb = t->arm_fp = 0;
			t->arm_vfp_args = t->arm_enum = t->arm_wchar = 0;
			t->arm_align_needed = t->arm_align_preserved = 0;
			if (read_attrs(elf, path, i, t))
				return -1;
		} else if (elf->machine == ELFMOD_EM_RISCV && s.type == SHT_ARCH_ATTRIBUTES) {
			if (read_attrs(elf, path, i, t))
				return -1;
			if (!arch_chars_ok(t->riscv_arch)) {
				fprintf(stderr, "elfmod: %s: Tag_RISCV_arch '%s' not understood\n", path, t->riscv_arch);
				return -1;
			}
		} else if (elf->machine == ELFMOD_EM_MIPS && s.type == SHT_MIPS_ABIFLAGS) {
			uint8_t *b;
			size_t n;
			if ((rc = tool_section_read(elf, i, META_MAX, &b, &n))) {
				tool_error(path, rc, NULL);
				return -1;
			}
			if (n < 24 || b[0] != 0 || b[1] != 0) {
				/* Version 0 is the only one there is; big or little, it reads 0. */
				free(b);
				fprintf(stderr, "elfmod: %s: .MIPS.abiflags not understood\n", path);
				return -1;
			}
			t->mips_isa = b[2];
			t->mips_rev = b[3];
			t->mips_fp = b[7];
			free(b);
		} else if (elf->machine == ELFMOD_EM_MIPS && s.type == SHT_GNU_ATTRIBUTES) {
			if (read_attrs(elf, path, i, t))
				return -1;
		} else if (elf->machine == ELFMOD_EM_XTENSA && s.type == ELFMOD_SHT_NOTE) {
			char buf[32];
			const char *nm;
			uint8_t *b;
			size_t n;
			if ((rc = elfmod_elf_section_name(elf, i, buf, sizeof(buf), &nm)) == ELFMOD_ESPACE)
				continue;
			if (rc) {
				tool_error(path, rc, elf->diag);
				return -1;
			}
			if (strcmp(nm, ".xtensa.info"))
				continue;
			if ((rc = tool_section_read(elf, i, META_MAX, &b, &n))) {
				tool_error(path, rc, NULL);
				return -1;
			}
			/* A note: namesz, descsz, type, "Xtensa_Info", then KEY=VALUE lines. */
			if (n >= 12) {
				uint32_t namesz = rd32(b, elf->big_endian), descsz = rd32(b + 4, elf->big_endian);
				size_t d = 12 + (((size_t)namesz + 3) & ~(size_t)3);
				if (namesz < n && d <= n && descsz <= n - d) {
					const char *txt = (const char *)b + d, *k;
					b[d + descsz < n ? d + descsz : n] = 0;
					if ((k = strstr(txt, "ABI=")) && (k == txt || k[-1] == '\n'))
						t->xtensa_abi = atoi(k + 4);
					if ((k = strstr(txt, "USE_ABSOLUTE_LITERALS=")))
						t->xtensa_abslit = atoi(k + 22);
				}
			}
			free(b);
		}
	}
	return 0;
}

void tool_target_format(const struct tool_target *t, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "target machine=%u class=%u data=%s flags=0x%" PRIx32, t->machine,
				    t->cls, t->big_endian ? "be" : "le", t->flags);

#define MORE(...)                                                                              \
	do {                                                                                   \
		if (n < size)                                                                  \
			n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__);                  \
	} while (0)
	if (t->arm_attrs)
		MORE(" arm.profile=%d arm.arch=%d arm.isa=%d arm.thumb=%d arm.fp=%d arm.vfp_args=%d arm.enum=%d"
		     " arm.wchar=%d arm.align_needed=%d arm.align_preserved=%d",
		     t->arm_profile, t->arm_arch, t->arm_isa, t->arm_thumb, t->arm_fp, t->arm_vfp_args, t->arm_enum,
		     t->arm_wchar, t->arm_align_needed, t->arm_align_preserved);
	if (t->riscv_arch[0])
		MORE(" riscv.arch=%s", t->riscv_arch);
	if (t->mips_fp >= 0)
		MORE(" mips.fp=%d", t->mips_fp);
	if (t->mips_isa >= 0)
		MORE(" mips.isa=%d mips.rev=%d", t->mips_isa, t->mips_rev);
	if (t->xtensa_abi >= 0)
		MORE(" xtensa.abi=%d", t->xtensa_abi);
	if (t->xtensa_abslit >= 0)
		MORE(" xtensa.abslit=%d", t->xtensa_abslit);
#undef MORE
}

/* ---- listings ---- */

static int parse_u64(const char *s, uint64_t *v, int base)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno || *end ? -1 : 0;
}

static int parse_target(char *line, struct tool_target *t)
{
	static const struct {
		const char *key;
		size_t off;
	} ints[] = {
#define K(k, f) { k, offsetof(struct tool_target, f) }
		K("arm.profile", arm_profile), K("arm.arch", arm_arch), K("arm.isa", arm_isa),
		K("arm.thumb", arm_thumb), K("arm.fp", arm_fp), K("arm.vfp_args", arm_vfp_args),
		K("arm.enum", arm_enum), K("arm.wchar", arm_wchar), K("arm.align_needed", arm_align_needed),
		K("arm.align_preserved", arm_align_preserved), K("mips.fp", mips_fp), K("mips.isa", mips_isa),
		K("mips.rev", mips_rev), K("xtensa.abi", xtensa_abi), K("xtensa.abslit", xtensa_abslit),
#undef K
	};
	int seen = 0, narm = 0;
	char *save = NULL;

	memset(t, 0, sizeof(*t));
	t->arm_profile = t->arm_arch = t->arm_isa = t->arm_thumb = t->arm_fp = t->arm_vfp_args = -1;
	t->arm_enum = t->arm_wchar = t->arm_align_needed = t->arm_align_preserved = -1;
	t->mips_fp = t->mips_isa = t->mips_rev = -1;
	t->xtensa_abi = t->xtensa_abslit = -1;
	for (char *tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		uint64_t v;
		size_t k;
		if (!eq)
			return -1;
		*eq++ = 0;
		if (!strcmp(tok, "machine")) {
			if (parse_u64(eq, &v, 10) || v > 0xffff)
				return -1;
			t->machine = (uint16_t)v, seen |= 1;
		} else if (!strcmp(tok, "class")) {
			if (parse_u64(eq, &v, 10) || (v != 32 && v != 64))
				return -1;
			t->cls = (uint8_t)v, seen |= 2;
		} else if (!strcmp(tok, "data")) {
			if (strcmp(eq, "le") && strcmp(eq, "be"))
				return -1;
			t->big_endian = eq[0] == 'b', seen |= 4;
		} else if (!strcmp(tok, "flags")) {
			if (strncmp(eq, "0x", 2) || parse_u64(eq + 2, &v, 16) || v > 0xffffffffu)
				return -1;
			t->flags = (uint32_t)v, seen |= 8;
		} else if (!strcmp(tok, "riscv.arch")) {
			if (!*eq || strlen(eq) >= sizeof(t->riscv_arch) || !arch_chars_ok(eq))
				return -1;
			strcpy(t->riscv_arch, eq);
		} else {
			for (k = 0; k < sizeof(ints) / sizeof(ints[0]); k++)
				if (!strcmp(tok, ints[k].key))
					break;
			if (k == sizeof(ints) / sizeof(ints[0]) || parse_u64(eq, &v, 10) || v > 0x7fffffff)
				return -1;
			{
				int iv = (int)v;
				memcpy((char *)t + ints[k].off, &iv, sizeof(iv));
			}
			narm += !strncmp(tok, "arm.", 4);
		}
	}
	if (narm && narm != 10)
		return -1;
	t->arm_attrs = narm == 10;
	return seen == 15 ? 0 : -1;
}

int tool_target_same(const struct tool_target *a, const struct tool_target *b)
{
	char x[1024], y[1024];

	tool_target_format(a, x, sizeof(x));
	tool_target_format(b, y, sizeof(y));
	return !strcmp(x, y);
}

int tool_listing_parse(const char *text, size_t len, const char *origin, struct tool_xtable **tabs,
		       size_t *ntabs, struct tool_target *target, int *have_target)
{
	enum { START, TABLE, TARGET, SYMS } state = START;
	struct tool_xtable t;
	size_t pos = 0, lineno = 0, want = 0, cap = 0;
	char *line = NULL;
	const char *why = "not understood";
	int ret = -1;

	memset(&t, 0, sizeof(t));
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		free(line);
		line = tool_xrealloc(NULL, ll + 1);
		memcpy(line, text + pos, ll);
		line[ll] = 0;
		pos += ll + (nl != NULL);
		lineno++;
		if (strlen(line) != ll) {
			why = "a NUL byte";
			goto fail;
		}
		if (state == START) {
			if (!ll)
				continue; /* padding between listings */
			if (strcmp(line, TOOL_LISTING_MAGIC)) {
				why = "no 'elfmod-exports 1' line";
				goto fail;
			}
			state = TABLE;
		} else if (state == TABLE) {
			char name[256], kind[16], fp[32];
			unsigned long long count;
			uint64_t v;
			char extra;
			if (sscanf(line, "table %255s %15s %llu %31s %c", name, kind, &count, fp, &extra) != 4 ||
			    !c_identifier(name) || (strcmp(kind, "named") && strcmp(kind, "hashed")) ||
			    strncmp(fp, "0x", 2) || parse_u64(fp + 2, &v, 16) || count > 0x7fffffffu) {
				why = "bad table line";
				goto fail;
			}
			t.origin = tool_xstrdup(origin);
			t.name = tool_xstrdup(name);
			t.hashed = !strcmp(kind, "hashed");
			t.fingerprint = v;
			/* The array grows with the sym lines: the count is only the listing's word. */
			want = (size_t)count;
			cap = want < 64 ? want : 64;
			t.e = tool_xrealloc(NULL, (cap ? cap : 1) * sizeof(*t.e));
			state = TARGET;
		} else if (state == TARGET) {
			struct tool_target tg;
			if (strncmp(line, "target ", 7) || parse_target(line + 7, &tg)) {
				why = "bad target line";
				goto fail;
			}
			if (*have_target && !tool_target_same(&tg, target)) {
				why = "a target other than another table's";
				goto fail;
			}
			*target = tg;
			*have_target = 1;
			state = SYMS;
		} else if (!strcmp(line, "end")) {
			if (t.n != want) {
				why = "fewer sym lines than the table line counts";
				goto fail;
			}
			/* Strictly ordered sym lines hold no name twice. */
			if (tool_fingerprint(&t) != t.fingerprint) {
				why = "its fingerprint is not that of its names (edited?)";
				goto fail;
			}
			*tabs = tool_xrealloc(*tabs, (*ntabs + 1) * sizeof(**tabs));
			(*tabs)[(*ntabs)++] = t;
			memset(&t, 0, sizeof(t));
			state = START;
		} else {
			char name[NAME_MAX_LEN], extra;
			uint64_t h;
			char hx[16];
			if (t.n == want || sscanf(line, "sym 0x%8[0-9a-f] %4095s %c", hx, name, &extra) != 2 ||
			    parse_u64(hx, &h, 16) || !tool_name_ok(name) || elfmod_hash(name) != h) {
				why = t.n == want ? "more sym lines than the table line counts" : "bad sym line";
				goto fail;
			}
			if (t.n && xsym_cmp(&t.e[t.n - 1], &(struct tool_xsym){ .name = name, .hash = (uint32_t)h }) >= 0) {
				why = "sym lines out of index order";
				goto fail;
			}
			if (t.n == cap) {
				cap = want - cap < cap ? want : 2 * cap;
				t.e = tool_xrealloc(t.e, cap * sizeof(*t.e));
			}
			t.e[t.n].name = tool_xstrdup(name);
			t.e[t.n].hash = (uint32_t)h;
			t.e[t.n].type = 0;
			t.n++;
		}
	}
	if (state != START) {
		why = "ends before its 'end' line";
		goto fail;
	}
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "elfmod: %s: export listing, line %zu: %s\n", origin, lineno, why);
	tool_xtable_free(&t);
out:
	free(line);
	return ret;
}

int tool_firmware_listing(const struct elfmod_elf *elf, const char *path, struct tool_xtable **tabs,
			  size_t *ntabs, struct tool_target *target, int *have_target)
{
	uint32_t idx;
	uint8_t *b;
	size_t n;
	int rc;

	if ((rc = tool_section_find(elf, TOOL_LISTING_SECTION, &idx))) {
		tool_error(path, rc, elf->diag);
		return -1;
	}
	if (!idx)
		return 0;
	if ((rc = tool_section_read(elf, idx, 256u << 20, &b, &n))) {
		fprintf(stderr, "elfmod: %s: %s: %s\n", path, TOOL_LISTING_SECTION, elfmod_strerror(rc));
		return -1;
	}
	rc = tool_listing_parse((const char *)b, n, path, tabs, ntabs, target, have_target);
	free(b);
	return rc;
}

/* ---- the firmware's symbols ---- */

int tool_xtable_from_symbols(const struct elfmod_elf *elf, const char *path, struct tool_patterns *allow,
			     struct tool_patterns *deny, struct tool_xtable *t)
{
	struct tool_xtable *listed = NULL;
	struct tool_target lt;
	struct elfmod_shdr sh;
	struct elfmod_sym s;
	size_t nlisted = 0, cap = 0, dup;
	uint32_t count;
	char buf[NAME_MAX_LEN];
	int have = 0, ret = -1, rc;

	memset(t, 0, sizeof(*t));
	if (!elf->symtab) {
		fprintf(stderr, "elfmod: %s: no symbol table (.symtab): give the firmware as linked, before strip\n",
			path);
		return -1;
	}
	/* A firmware that compiled a generated table: its table objects are not exports. */
	if (tool_firmware_listing(elf, path, &listed, &nlisted, &lt, &have))
		goto out;
	if ((rc = elfmod_elf_sym_count(elf, elf->symtab, &count)) || (rc = elfmod_elf_shdr(elf, elf->symtab, &sh))) {
		tool_error(path, rc, elf->diag);
		goto out;
	}
	for (uint32_t i = 1; i < count; i++) {
		uint8_t bind, type, vis;
		const char *name;
		int skip = 0;
		if ((rc = elfmod_elf_sym(elf, elf->symtab, i, &s))) {
			tool_error(path, rc, elf->diag);
			goto out;
		}
		bind = ELFMOD_ST_BIND(s.info);
		type = ELFMOD_ST_TYPE(s.info);
		vis = s.other & 3;
		if ((bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) ||
		    (type != STT_OBJECT && type != STT_FUNC && type != STT_GNU_IFUNC) ||
		    s.shndx == ELFMOD_SHN_UNDEF || s.shndx == ELFMOD_SHN_COMMON || vis == STV_HIDDEN ||
		    vis == STV_INTERNAL || s.name == 0)
			continue;
		rc = elfmod_elf_string(elf, sh.link, s.name, buf, sizeof(buf), &name);
		if (rc) {
			tool_error(path, rc, elf->diag);
			goto out;
		}
		for (size_t k = 0; k < nlisted && !skip; k++)
			skip = !strcmp(name, listed[k].name);
		if (skip || (allow->n && !patterns_match(allow, name)))
			continue;
		if (patterns_match(deny, name))
			continue;
		if (!tool_name_ok(name)) {
			fprintf(stderr,
				"elfmod: %s: symbol '%s' cannot be named from C or assembly: leave it out with --deny\n",
				path, name);
			goto out;
		}
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			t->e = tool_xrealloc(t->e, cap * sizeof(*t->e));
		}
		t->e[t->n].name = tool_xstrdup(name);
		t->e[t->n].type = type;
		t->n++;
	}
	dup = tool_xtable_finish(t);
	if (dup != t->n) {
		fprintf(stderr, "elfmod: %s: symbol '%s' is defined twice\n", path, t->e[dup].name);
		goto out;
	}
	t->origin = tool_xstrdup(path);
	ret = 0;
out:
	for (size_t k = 0; k < nlisted; k++)
		tool_xtable_free(&listed[k]);
	free(listed);
	if (ret)
		tool_xtable_free(t);
	return ret;
}

/* ---- writing the C ---- */

/* The input's name as it may appear inside a C comment. */
static void comment_safe(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 1 < size; in++) {
		char c = *in;
		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f || (c == '*' && in[1] == '/') ||
		    (c == '/' && in[1] == '*'))
			c = '?';
		out[n++] = c;
	}
	out[n] = 0;
}

static void write_listing_lines(FILE *f, const struct tool_xtable *t, const char *target, const char *prefix,
				const char *suffix)
{
	fprintf(f, "%s%s%s", prefix, TOOL_LISTING_MAGIC, suffix);
	fprintf(f, "%stable %s %s %zu 0x%016" PRIx64 "%s", prefix, t->name, t->hashed ? "hashed" : "named", t->n,
		t->fingerprint, suffix);
	fprintf(f, "%s%s%s", prefix, target, suffix);
	for (size_t i = 0; i < t->n; i++)
		fprintf(f, "%ssym 0x%08" PRIx32 " %s%s", prefix, t->e[i].hash, t->e[i].name, suffix);
	fprintf(f, "%send%s", prefix, suffix);
}

int tool_listing_from_c(const char *text, size_t len, const char *path, char **lst, size_t *n)
{
	const char *p = text, *end = text + len;
	int in = 0;

	*lst = NULL;
	*n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!in && ll == 3 + strlen(TOOL_LISTING_MAGIC) && !memcmp(p, " * ", 3) &&
		    !memcmp(p + 3, TOOL_LISTING_MAGIC, ll - 3))
			in = 1;
		if (in) {
			if (ll < 3 || memcmp(p, " * ", 3))
				break;
			*lst = tool_xrealloc(*lst, *n + ll - 3 + 1);
			memcpy(*lst + *n, p + 3, ll - 3);
			*n += ll - 3;
			(*lst)[(*n)++] = '\n';
			if (ll == 6 && !memcmp(p + 3, "end", 3))
				in = 0;
		}
		p += ll + (nl != NULL);
	}
	if (!*n || in) {
		fprintf(stderr, "elfmod: %s: %s\n", path,
			!*n ? "neither an ELF file nor an exports.c written by `elfmod exports`"
			    : "the export listing ends without its 'end' line");
		free(*lst);
		*lst = NULL;
		return -1;
	}
	return 0;
}

static void write_source(FILE *f, const struct tool_xtable *t, const char *input, const char *target, int tiny)
{
	const char *tn = t->name;
	char src[256];

	comment_safe(input, src, sizeof(src));
	fprintf(f, "/*\n * Export table of %s for elfmod, written by `elfmod exports`: do not edit.\n", src);
	fprintf(f, " * %zu symbol%s; %s.\n", t->n, t->n == 1 ? "" : "s",
		t->hashed ? "hashed names: the device keeps only their hashes, the names below are for the host tools"
			  : "the device keeps their names");
	fprintf(f, " * ABI fingerprint 0x%016" PRIx64 " (ELFMOD_ABI_FINGERPRINT).\n *\n", t->fingerprint);
	write_listing_lines(f, t, target, " * ", "\n");
	fprintf(f, " */\n#include \"elfmod.h\"\n%s\n", tiny ? "#include \"elfmod_tiny.h\"\n" : "");
	if (t->n) {
		fprintf(f, "/* The firmware's symbols by their link names, whatever their C types (declared\n"
			   " * as functions or as objects, as they are, so a link-time optimiser sees no\n"
			   " * change of kind). */\n");
		for (size_t i = 0; i < t->n; i++) {
			if (t->e[i].type == STT_OBJECT)
				fprintf(f, "extern const unsigned char %s__%zu[] __asm__(\"%s\");\n", tn, i, t->e[i].name);
			else
				fprintf(f, "extern void %s__%zu(void) __asm__(\"%s\");\n", tn, i, t->e[i].name);
		}
		fprintf(f, "\nstatic const struct elfmod_export %s_syms[%zu] = {\n", tn, t->n);
		for (size_t i = 0; i < t->n; i++) {
			/* A function's address as a data pointer: fine in GNU C, which
			 * __extension__ tells -Wpedantic. */
			const char *addr = t->e[i].type == STT_OBJECT ? "(const void *)" : "__extension__ (const void *)&";
			if (t->hashed)
				fprintf(f, "\t{ NULL, %s%s__%zu }, /* %s */\n", addr, tn, i, t->e[i].name);
			else
				fprintf(f, "\t{ \"%s\", %s%s__%zu },\n", t->e[i].name, addr, tn, i);
		}
		fprintf(f, "};\n\n/* Sorted by (hash, name): the core searches it as it is. */\n");
		fprintf(f, "static const struct elfmod_export_index %s_index[%zu] = {\n", tn, t->n);
		for (size_t i = 0; i < t->n; i++)
			fprintf(f, "\t{ 0x%08" PRIx32 "u, %zuu },\n", t->e[i].hash, i);
		fprintf(f, "};\n\n");
		fprintf(f, "extern const struct elfmod_exports %s;\n", tn);
		fprintf(f, "const struct elfmod_exports %s = {\n\t%s_syms, %s_index, %zuu, 0x%016" PRIx64 "ull,\n};\n",
			tn, tn, tn, t->n, t->fingerprint);
		if (tiny) {
			fprintf(f, "\n/* The same set for the tiny loader of packed modules (elfmod_tiny_opts.imports),\n"
				   " * in index order: `elfmod pack --exports` names imports by position in it. */\n");
			fprintf(f, "const struct elfmod_tiny_import %s_tiny[%zu] = {\n", tn, t->n);
			for (size_t i = 0; i < t->n; i++)
				fprintf(f, "\t{ 0x%08" PRIx32 "u, (uintptr_t)%s%s__%zu }, /* %s */\n", t->e[i].hash,
					t->e[i].type == STT_OBJECT ? "" : "&", tn, i, t->e[i].name);
			fprintf(f, "};\n");
		}
	} else {
		fprintf(f, "extern const struct elfmod_exports %s;\n", tn);
		fprintf(f, "const struct elfmod_exports %s = {\n\tNULL, NULL, 0u, 0x%016" PRIx64 "ull,\n};\n", tn,
			t->fingerprint);
	}
	fprintf(f, "\n/* The listing above, also kept in the firmware's ELF file for `elfmod check` (a\n"
		   " * section that is not allocated: no memory on the device). */\n");
	fprintf(f, "__asm__(\".pushsection %s,\\\"\\\",%%progbits\\n\"\n", TOOL_LISTING_SECTION);
	write_listing_lines(f, t, target, "\t\".ascii \\\"", "\\\\n\\\"\\n\"\n");
	fprintf(f, "\t\".popsection\");\n");
}

static void write_header(FILE *f, const struct tool_xtable *t, const char *input, const char *header_path,
			 int tiny)
{
	char src[256], guard[300];
	size_t n = 0;

	comment_safe(input, src, sizeof(src));
	for (const char *s = t->name; *s && n + 3 < sizeof(guard); s++)
		guard[n++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
	memcpy(guard + n, "_H", 3);
	(void)header_path;
	fprintf(f, "/* Export table of %s for elfmod, written by `elfmod exports`: do not edit. */\n", src);
	fprintf(f, "#ifndef %s\n#define %s\n\n#include \"elfmod.h\"\n\n", guard, guard);
	fprintf(f, "extern const struct elfmod_exports %s;\n\n", t->name);
	if (tiny)
		fprintf(f, "#include \"elfmod_tiny.h\"\n\n/* The set for the tiny loader, in index order. */\n"
			   "extern const struct elfmod_tiny_import %s_tiny[%zu];\n\n",
			t->name, t->n);
	fprintf(f, "/* The ABI fingerprint of the export set (%zu symbol%s). A module built against it\n"
		   " * records it with ELFMOD_MODULE_ABI(ELFMOD_ABI_FINGERPRINT_BYTES); the loader then\n"
		   " * refuses it on a firmware whose set differs. */\n",
		t->n, t->n == 1 ? "" : "s");
	fprintf(f, "#define ELFMOD_ABI_FINGERPRINT 0x%016" PRIx64 "ull\n", t->fingerprint);
	fprintf(f, "#define ELFMOD_ABI_FINGERPRINT_BYTES ");
	for (int k = 0; k < 8; k++)
		fprintf(f, "%s0x%02x", k ? "," : "", (unsigned)(t->fingerprint >> (8 * k)) & 0xffu);
	fprintf(f, "\n\n#endif\n");
}

/* Writes through a temporary file in the same directory, renamed by commit_output. */
struct output {
	const char *path;
	char *tmp;
	FILE *f;
};

static int open_output(struct output *o, const char *path)
{
	int fd;

	o->path = path;
	o->tmp = tool_xrealloc(NULL, strlen(path) + 16);
	sprintf(o->tmp, "%s.tmp.XXXXXX", path);
	fd = mkstemp(o->tmp);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		fprintf(stderr, "elfmod: %s: %s\n", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	return 0;
}

static int close_output(struct output *o)
{
	int bad = ferror(o->f) != 0;

	bad |= fclose(o->f) != 0;
	o->f = NULL;
	if (bad)
		fprintf(stderr, "elfmod: %s: write error\n", o->path);
	return bad ? -1 : 0;
}

static void drop_output(struct output *o)
{
	if (!o->tmp)
		return;
	if (o->f)
		fclose(o->f);
	unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
}

static int exports_usage(void)
{
	fprintf(stderr, "usage: elfmod exports FIRMWARE.elf [--allow FILE]... [--deny FILE]... [--hashed] [--tiny]\n"
			"                      [--name NAME] -o exports.c [--header exports.h]\n");
	return 2;
}

int cmd_exports(int argc, char **argv)
{
	struct tool_patterns allow = { 0 }, deny = { 0 };
	struct elfmod_posix_file file;
	struct elfmod_diag diag;
	struct elfmod_elf elf;
	struct tool_target target;
	struct tool_xtable t = { 0 };
	struct output oc = { 0 }, oh = { 0 };
	const char *in = NULL, *out_c = NULL, *out_h = NULL, *name = DEFAULT_TABLE;
	char tline[1024];
	int hashed = 0, tiny = 0, opened = 0, ret = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "--allow") || !strcmp(a, "--deny")) && i + 1 < argc) {
			if (tool_patterns_load(a[2] == 'a' ? &allow : &deny, argv[++i]))
				goto out;
		} else if (!strcmp(a, "--hashed")) {
			hashed = 1;
		} else if (!strcmp(a, "--tiny")) {
			tiny = 1;
		} else if (!strcmp(a, "--name") && i + 1 < argc) {
			name = argv[++i];
		} else if (!strcmp(a, "-o") && i + 1 < argc && !out_c) {
			out_c = argv[++i];
		} else if (!strcmp(a, "--header") && i + 1 < argc && !out_h) {
			out_h = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			ret = exports_usage();
			goto out;
		} else if (!in) {
			in = a;
		} else {
			ret = exports_usage();
			goto out;
		}
	}
	if (!in || !out_c) {
		ret = exports_usage();
		goto out;
	}
	if (!c_identifier(name)) {
		fprintf(stderr, "elfmod: --name '%s': not a C identifier\n", name);
		ret = 2;
		goto out;
	}
	if (tool_elf_open(in, &file, &elf, &diag))
		goto out;
	opened = 1;
	if (elf.type != ELFMOD_ET_EXEC && elf.type != ELFMOD_ET_DYN) {
		fprintf(stderr, "elfmod: %s: not a linked firmware (e_type %u): give the executable\n", in, elf.type);
		goto out;
	}
	if (!elfmod_machine_supported(elf.machine)) {
		fprintf(stderr, "elfmod: %s: machine %u: elfmod loads no modules for it\n", in, elf.machine);
		goto out;
	}
	if (tool_target_read(&elf, in, &target))
		goto out;
	tool_target_format(&target, tline, sizeof(tline));
	if (tool_xtable_from_symbols(&elf, in, &allow, &deny, &t))
		goto out;
	patterns_warn_unused(&allow, "allow");
	patterns_warn_unused(&deny, "deny");
	t.hashed = hashed;
	t.name = tool_xstrdup(name);
	if (hashed) {
		for (size_t i = 1; i < t.n; i++)
			if (t.e[i].hash == t.e[i - 1].hash) {
				fprintf(stderr,
					"elfmod: %s: '%s' and '%s' have the same hash 0x%08" PRIx32
					": a hashed table cannot tell them apart; leave one out with --deny\n",
					in, t.e[i - 1].name, t.e[i].name, t.e[i].hash);
				goto out;
			}
	}
	if (!t.n && tiny) {
		fprintf(stderr, "elfmod: %s: no symbol to export: no table for the tiny loader (--tiny)\n", in);
		goto out;
	}
	if (!t.n)
		fprintf(stderr, "elfmod: warning: %s: no symbol to export: the table is empty\n", in);

	if (open_output(&oc, out_c) || (out_h && open_output(&oh, out_h)))
		goto out;
	write_source(oc.f, &t, in, tline, tiny);
	if (out_h)
		write_header(oh.f, &t, in, out_h, tiny);
	if (close_output(&oc) || (out_h && close_output(&oh)))
		goto out;
	if (out_h && rename(oh.tmp, out_h)) {
		fprintf(stderr, "elfmod: %s: %s\n", out_h, strerror(errno));
		goto out;
	}
	free(oh.tmp);
	oh.tmp = NULL;
	if (rename(oc.tmp, out_c)) {
		fprintf(stderr, "elfmod: %s: %s\n", out_c, strerror(errno));
		goto out;
	}
	free(oc.tmp);
	oc.tmp = NULL;
	ret = 0;
out:
	drop_output(&oc);
	drop_output(&oh);
	tool_xtable_free(&t);
	tool_patterns_free(&allow);
	tool_patterns_free(&deny);
	if (opened)
		elfmod_posix_file_close(&file);
	return ret;
}
