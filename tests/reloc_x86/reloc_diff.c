/*
 * The differential half of the x86 relocation tests: relocates the sections of an
 * object file through the arch interface (src/arch/arch.h) at given addresses, with
 * given values for its undefined symbols, and compares the bytes with what GNU ld made
 * of the same object (objcopy -O binary of each output section). run_diff.sh drives it.
 *
 *   reloc_diff OBJ -s NAME=ADDR=BIN... -d SYM=VALUE...
 *	Relocate and compare each section NAME with the file BIN. Every type the object
 *	file is meant to exercise must have been applied at least once.
 *   reloc_diff -e OBJ -s NAME=ADDR... -d SYM=VALUE...
 *	Range check instead: at least one relocation must fail with ELFMOD_ERANGE and
 *	none with anything else (ld refused the same object).
 *
 * Any GOT or PLT relocation is an error: ld lays out its GOT its own way, so those
 * types are covered by the hand-computed tests in reloc_x86_test.c.
 */
#include "arch/arch.h"
#include "elfmod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECS 8
#define MAX_DEFS 64

struct sec {
	const char *name;
	uint64_t addr;
	const char *bin;   /* ld's bytes; NULL in range mode */
	uint32_t idx;      /* section index in the object */
	uint8_t *bytes;
	uint64_t size;
};

struct def {
	char name[64];
	uint64_t value;
};

static struct sec secs[MAX_SECS];
static unsigned nsecs;
static struct def defs[MAX_DEFS];
static unsigned ndefs;
static unsigned long applied[256]; /* per type, for the coverage check */

/* The types each object file must exercise (kept in step with the .S files). */
static const uint32_t cover_x86_64[] = { 1, 2, 4, 10, 11, 12, 13, 14, 15, 24, 32, 33 };
static const uint32_t cover_i386[] = { 1, 2, 4, 20, 21, 22, 23, 38 };

static _Noreturn void die(const char *msg, const char *arg)
{
	fprintf(stderr, "reloc_diff: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

static void *slurp(const char *path, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		die("cannot open", path);
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("cannot size", path);
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read", path);
	fclose(f);
	*size = (uint64_t)n;
	return buf;
}

static uint64_t number(const char *s, const char *what)
{
	char *end;
	uint64_t v;

	/* strtoull accepts a leading '-' and negates modulo 2^64, as ld's --defsym does. */
	v = strtoull(s, &end, 0);
	if (end == s || *end)
		die("bad number", what);
	return v;
}

static void parse_sec(char *arg, int range_mode)
{
	char *a = strchr(arg, '='), *b;
	struct sec *s;

	if (!a || nsecs == MAX_SECS)
		die("bad -s", arg);
	s = &secs[nsecs++];
	*a++ = 0;
	b = strchr(a, '=');
	if (b)
		*b++ = 0;
	if ((b == NULL) != range_mode)
		die(range_mode ? "-s takes no BIN with -e" : "-s needs NAME=ADDR=BIN", arg);
	s->name = arg;
	s->addr = number(a, arg);
	s->bin = b;
}

static void parse_def(const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct def *d;

	if (!eq || (size_t)(eq - arg) >= sizeof(d->name) || ndefs == MAX_DEFS)
		die("bad -d", arg);
	d = &defs[ndefs++];
	memcpy(d->name, arg, (size_t)(eq - arg));
	d->name[eq - arg] = 0;
	d->value = number(eq + 1, arg);
}

static struct sec *sec_by_index(uint32_t idx)
{
	for (unsigned i = 0; i < nsecs; i++)
		if (secs[i].idx == idx)
			return &secs[i];
	return NULL;
}

static void release(uint8_t *file)
{
	for (unsigned k = 0; k < nsecs; k++)
		free(secs[k].bytes);
	free(file);
}

static const char *type_name(uint16_t machine, uint32_t type)
{
	const char *n = elfmod_reloc_name(machine, type);
	return n ? n : "?";
}

/* S for symbol `i`: defined ones from the section placement, undefined from -d. */
static void symbol(const struct elfmod_elf *elf, uint32_t i, struct elfmod_sym *sym, uint64_t *S,
		   uint8_t *weak_undef, const char **name)
{
	struct elfmod_shdr st;
	struct sec *s;

	*S = 0;
	*weak_undef = 0;
	*name = "";
	if (elfmod_elf_sym(elf, elf->symtab, i, sym) || elfmod_elf_shdr(elf, elf->symtab, &st) ||
	    elfmod_elf_string(elf, st.link, sym->name, NULL, 0, name))
		die("bad symbol", NULL);
	if (i == 0)
		return;
	if (sym->shndx == ELFMOD_SHN_UNDEF) {
		for (unsigned k = 0; k < ndefs; k++)
			if (!strcmp(defs[k].name, *name)) {
				*S = defs[k].value;
				return;
			}
		if (ELFMOD_ST_BIND(sym->info) != 2 /* STB_WEAK */)
			die("no -d value for", *name);
		*weak_undef = 1;
		return;
	}
	if (sym->shndx == ELFMOD_SHN_ABS) {
		*S = sym->value;
		return;
	}
	s = sec_by_index(sym->shndx);
	if (!s)
		die("symbol in a section not placed with -s", *name);
	*S = s->addr + sym->value;
}

int main(int argc, char **argv)
{
	const struct arch_desc *arch;
	struct elfmod_source src;
	struct elfmod_elf elf;
	const char *obj = NULL;
	int range_mode = 0, bad = 0, ranged = 0;
	unsigned long total = 0;
	uint8_t *file;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-e"))
			range_mode = 1;
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			parse_sec(argv[++i], range_mode);
		else if (!strcmp(argv[i], "-d") && i + 1 < argc)
			parse_def(argv[++i]);
		else if (!obj && argv[i][0] != '-')
			obj = argv[i];
		else
			die("usage: reloc_diff [-e] OBJ -s NAME=ADDR[=BIN]... -d SYM=VALUE...", NULL);
	}
	if (!obj || !nsecs)
		die("nothing to do", NULL);

	memset(&src, 0, sizeof(src));
	file = slurp(obj, &src.size);
	src.data = file;
	if (elfmod_elf_open(&elf, &src, NULL) || elf.type != ELFMOD_ET_REL || !elf.symtab)
		die("not a relocatable object with a symbol table", obj);
	arch = elfmod__arch_find(elf.machine);
	if (!arch || !arch->apply || !(arch->classes & (elf.cls == 64 ? 2 : 1)))
		die("no relocation support for this machine/class", obj);
	if (elf.machine != ELFMOD_EM_X86_64 && elf.machine != ELFMOD_EM_386)
		die("not an x86 object", obj);

	/* The object's bytes of each section, as the loader would copy them. */
	for (unsigned k = 0; k < nsecs; k++) {
		struct sec *s = &secs[k];
		struct elfmod_shdr sh;
		const char *n;

		for (s->idx = 1; s->idx < elf.shnum; s->idx++)
			if (!elfmod_elf_section_name(&elf, s->idx, NULL, 0, &n) && !strcmp(n, s->name))
				break;
		if (s->idx == elf.shnum || elfmod_elf_shdr(&elf, s->idx, &sh))
			die("no such section in the object", s->name);
		s->size = sh.size;
		s->bytes = calloc(1, sh.size ? sh.size : 1);
		if (!s->bytes)
			die("out of memory", NULL);
		if (sh.type != ELFMOD_SHT_NOBITS)
			memcpy(s->bytes, file + sh.offset, sh.size);
	}

	for (uint32_t rs = 1; rs < elf.shnum; rs++) {
		struct elfmod_shdr sh;
		uint32_t count;
		struct sec *t;

		if (elfmod_elf_shdr(&elf, rs, &sh))
			die("bad section header", NULL);
		if (sh.type != ELFMOD_SHT_REL && sh.type != ELFMOD_SHT_RELA)
			continue;
		t = sec_by_index(sh.info);
		if (!t)
			continue;
		if (sh.link != elf.symtab || elfmod_elf_rel_count(&elf, rs, &count))
			die("bad relocation section", t->name);
		for (uint32_t i = 0; i < count; i++) {
			struct reloc_info ri;
			struct reloc_args a;
			struct elfmod_rel r;
			struct elfmod_sym sym;
			const char *name;
			int rc;

			if (elfmod_elf_rel(&elf, rs, i, &r))
				die("bad relocation", t->name);
			rc = arch->info(r.type, &ri);
			if (rc) {
				fprintf(stderr, "%s+0x%llx: %s (%u) not supported: %s\n", t->name,
					(unsigned long long)r.offset, type_name(elf.machine, r.type),
					r.type, elfmod_strerror(rc));
				bad++;
				continue;
			}
			if (ri.flags & (RF_GOT | RF_GOTBASE))
				die("GOT relocation in a differential object", type_name(elf.machine, r.type));
			if (r.offset > t->size || ri.size > t->size - r.offset)
				die("relocation outside its section", t->name);
			memset(&a, 0, sizeof(a));
			a.type = r.type;
			a.loc = t->bytes + r.offset;
			a.P = t->addr + r.offset;
			a.A = r.addend;
			symbol(&elf, r.sym, &sym, &a.S, &a.weak_undef, &name);
			a.Z = sym.size;
			rc = 0;
			if (sh.type == ELFMOD_SHT_REL)
				rc = arch->addend ? arch->addend(r.type, a.loc, 0, &a.A) : ELFMOD_ERELTYPE;
			if (!rc)
				rc = arch->apply(&a);
			if (rc == ELFMOD_ERANGE && range_mode) {
				ranged++;
				continue;
			}
			if (rc) {
				fprintf(stderr, "%s+0x%llx: %s against %s%+lld failed: %s\n", t->name,
					(unsigned long long)r.offset, type_name(elf.machine, r.type), name,
					(long long)a.A, elfmod_strerror(rc));
				bad++;
				continue;
			}
			total++;
			if (r.type < 256)
				applied[r.type]++;
		}
	}

	if (range_mode) {
		if (!ranged) {
			fprintf(stderr, "no relocation was refused with ELFMOD_ERANGE\n");
			bad++;
		}
		printf("%s: %d relocation(s) refused with ELFMOD_ERANGE\n", obj, ranged);
		release(file);
		return bad ? 1 : 0;
	}

	for (unsigned k = 0; k < nsecs; k++) {
		struct sec *s = &secs[k];
		uint64_t n;
		uint8_t *want = slurp(s->bin, &n);

		if (n != s->size) {
			fprintf(stderr, "%s: ld made %llu bytes, the object has %llu\n", s->name,
				(unsigned long long)n, (unsigned long long)s->size);
			bad++;
		}
		for (uint64_t o = 0; o < n && o < s->size; o++)
			if (s->bytes[o] != want[o]) {
				fprintf(stderr, "%s+0x%llx: elfmod wrote 0x%02x, ld 0x%02x\n", s->name,
					(unsigned long long)o, s->bytes[o], want[o]);
				bad++;
			}
		free(want);
	}

	{
		const uint32_t *cover = elf.machine == ELFMOD_EM_X86_64 ? cover_x86_64 : cover_i386;
		size_t ncover = elf.machine == ELFMOD_EM_X86_64 ? sizeof(cover_x86_64) / sizeof(cover_x86_64[0])
							       : sizeof(cover_i386) / sizeof(cover_i386[0]);

		printf("%s: %lu relocations, types:", obj, total);
		for (uint32_t t = 0; t < 256; t++)
			if (applied[t])
				printf(" %s x%lu", type_name(elf.machine, t), applied[t]);
		printf("\n");
		for (size_t k = 0; k < ncover; k++)
			if (!applied[cover[k]]) {
				fprintf(stderr, "%s never exercised\n", type_name(elf.machine, cover[k]));
				bad++;
			}
	}
	printf("%s\n", bad ? "MISMATCH" : "identical to GNU ld");
	release(file);
	return bad ? 1 : 0;
}
