/* Split images, the loader's half: loads the segment-only image (elfmod split --image)
 * into this process with the POSIX port, opens its symbols file against it, finds the
 * entry by name, patches variables by name and runs the image; the output shows the
 * values it ran with. Then every refusal: a symbols file of another build, one without
 * its note, one whose digest was altered, a value larger than its variable, an unknown
 * name, an ambiguous one, a function, an address outside the image, outside the
 * windows, and inside a segment executed in place.
 *
 *   split_test IMAGE SYMS ORIGINAL OTHER_SYMS
 *   split_test --corrupt IN OUT   writes IN with .data's sh_addr moved outside every
 *                                 segment (an input `elfmod split` must refuse)
 *   split_test --foreign IMAGE SYMS   an image of another machine: loaded into host
 *                                 memory and patched by name, not run
 */
#define _GNU_SOURCE
#include "elfmod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

struct services {
	int (*print)(const char *s);
};

static char printed[8][64];
static int nprinted;

static int print(const char *s)
{
	printf("  image: %s\n", s);
	if (nprinted < 8)
		snprintf(printed[nprinted++], sizeof(printed[0]), "%s", s);
	return 0;
}

/* Expects `rc` to be `want` with diag field `field` (NULL: any). */
static void expect(const char *what, int rc, int want, const struct elfmod_diag *d, const char *field)
{
	CHECKF(rc == want, "%s: got %d (%s), want %d (%s)", what, rc, elfmod_strerror(rc), want,
	      elfmod_strerror(want));
	if (rc == want && rc && field)
		CHECKF(d->field && !strcmp(d->field, field), "%s: diag field '%s', want '%s'", what,
		      d->field ? d->field : "(none)", field);
	if (rc == want)
		printf("ok: %s: %s\n", what, rc ? check_why(d) : "accepted");
}

/* One load, patch and run; `map`: sources mapped or read through pread. */
static void run(const char *image, const char *syms_path, int map, int setting, const char *message)
{
	struct elfmod_posix_file img, syms;
	struct elfmod_posix_exec ex;
	struct elfmod_exec_syms s;
	struct elfmod_exec_opts opts;
	struct elfmod_diag d;
	struct elfmod_sym sym;
	struct services sv = { print };
	char want[64];
	int rc, ret, hidden = 9;
	short tiny = 4;

	if (elfmod_posix_file_open(&img, image, map) || elfmod_posix_file_open(&syms, syms_path, map)) {
		CHECKF(0, "cannot open %s or %s", image, syms_path);
		return;
	}
	rc = elfmod_posix_exec_load(&img.src, &ex, &d);
	CHECKF(rc == 0, "load of the segment-only image: %s", check_why(&d));
	if (rc)
		goto close;
	rc = elfmod_exec_syms_open(&s, &syms.src, &img.src, &d);
	CHECKF(rc == 0, "symbols file refused: %s", check_why(&d));
	if (rc)
		goto unload;
	rc = elfmod_exec_symbol(&s, "entry", &sym, &d);
	CHECKF(rc == 0 && sym.value == ex.info.entry, "entry by name: rc %d, 0x%llx, e_entry 0x%llx", rc,
	      (unsigned long long)sym.value, (unsigned long long)ex.info.entry);

	memset(&opts, 0, sizeof(opts));
	opts.windows = &ex.window;
	opts.nwindows = 1;
	rc = elfmod_exec_setvar(&s, &opts, "setting", &setting, sizeof(setting), &d);
	CHECKF(rc == 0, "setvar setting: %s", check_why(&d));
	rc = elfmod_exec_setvar(&s, &opts, "message", message, strlen(message) + 1, &d);
	CHECKF(rc == 0, "setvar message: %s", check_why(&d));
	rc = elfmod_exec_setvar(&s, &opts, "hidden", &hidden, sizeof(hidden), &d);
	CHECKF(rc == 0, "setvar of the only local 'hidden': %s", check_why(&d));
	rc = elfmod_exec_setvar(&s, &opts, "tiny", &tiny, sizeof(tiny), &d);
	CHECKF(rc == 0, "setvar tiny with its own size: %s", check_why(&d));

	nprinted = 0;
	ret = ((int (*)(const struct services *))(uintptr_t)sym.value)(&sv);
	CHECKF(ret == setting, "entry returned %d, want the patched %d", ret, setting);
	CHECKF(nprinted == 4, "printed %d lines, want 4", nprinted);
	CHECKF(!strcmp(printed[0], message), "message printed '%s', want '%s'", printed[0], message);
	snprintf(want, sizeof(want), "value of the setting: %d", setting);
	CHECKF(!strcmp(printed[1], want), "printed '%s', want '%s'", printed[1], want);
	CHECKF(!strcmp(printed[2], "value of the hidden one: 9"), "printed '%s'", printed[2]);
	/* tiny * 100 + in_rom (5) + the two dups (10 + 20) */
	CHECKF(!strcmp(printed[3], "tiny and rom: 435"), "printed '%s'", printed[3]);
unload:
	elfmod_posix_exec_unload(&ex);
close:
	elfmod_posix_file_close(&img);
	elfmod_posix_file_close(&syms);
}

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return b;
}

static void refusals(const char *image, const char *syms_path, const char *orig, const char *other)
{
	struct elfmod_posix_file img, syms, origf, otherf;
	struct elfmod_posix_exec ex;
	struct elfmod_exec_syms s, s2;
	struct elfmod_exec_opts opts;
	struct elfmod_window part, rom;
	struct elfmod_elf elf;
	struct elfmod_phdr p;
	struct elfmod_diag d;
	struct elfmod_source mem;
	uint8_t d1[32], d2[32], *copy;
	size_t size;
	int v = 1234, rc;
	const char *pos;

	if (elfmod_posix_file_open(&img, image, 1) || elfmod_posix_file_open(&syms, syms_path, 1) ||
	    elfmod_posix_file_open(&origf, orig, 1) || elfmod_posix_file_open(&otherf, other, 1)) {
		CHECKF(0, "cannot open the files");
		return;
	}
	/* The split image and the original have the same digest: it covers what is loaded. */
	CHECKF(elfmod_exec_digest(&img.src, d1, &d) == 0 && elfmod_exec_digest(&origf.src, d2, &d) == 0 &&
		      !memcmp(d1, d2, 32),
	      "image and original digests differ");
	expect("symbols file with the original image", elfmod_exec_syms_open(&s2, &syms.src, &origf.src, &d), 0,
	       &d, NULL);
	expect("symbols of another build", elfmod_exec_syms_open(&s2, &otherf.src, &img.src, &d), ELFMOD_EVERIFY,
	       &d, "image digest");
	expect("a symbols file without the note (the original)",
	       elfmod_exec_syms_open(&s2, &origf.src, &img.src, &d), ELFMOD_EVERIFY, &d, "image digest note");
	expect("the image as its own symbols file (none left)", elfmod_exec_syms_open(&s2, &img.src, &img.src, &d),
	       ELFMOD_ENOTFOUND, &d, "SHT_SYMTAB");
	expect("the original as its own symbols file", elfmod_exec_syms_open(&s2, &origf.src, &origf.src, &d), 0,
	       &d, NULL);
	expect("an ET_EXEC where the image should be", elfmod_exec_syms_open(&s2, &syms.src, &syms.src, &d),
	       ELFMOD_ENOLOAD, &d, "PT_LOAD");

	/* The digest in the note altered by one bit. */
	copy = slurp(syms_path, &size);
	pos = copy ? memmem(copy, size, "elfmod\0\0", 8) : NULL;
	CHECKF(pos != NULL, "no note owner in the symbols file");
	if (pos) {
		copy[(size_t)(pos - (const char *)copy) + 8 + 31] ^= 1;
		mem = (struct elfmod_source){ .data = copy, .size = size };
		expect("a symbols file whose digest was altered", elfmod_exec_syms_open(&s2, &mem, &img.src, &d),
		       ELFMOD_EVERIFY, &d, "image digest");
	}
	free(copy);

	rc = elfmod_posix_exec_load(&img.src, &ex, &d);
	CHECKF(rc == 0, "load: %s", check_why(&d));
	if (rc)
		goto close;
	rc = elfmod_exec_syms_open(&s, &syms.src, &img.src, &d);
	CHECKF(rc == 0, "open: %s", check_why(&d));
	memset(&opts, 0, sizeof(opts));
	opts.windows = &ex.window;
	opts.nwindows = 1;
	expect("an int into a short", elfmod_exec_setvar(&s, &opts, "tiny", &v, sizeof(v), &d), ELFMOD_ESPACE, &d,
	       "st_size");
	expect("an unknown name", elfmod_exec_setvar(&s, &opts, "no_such_variable", &v, sizeof(v), &d),
	       ELFMOD_ENOTFOUND, &d, NULL);
	CHECKF(!strcmp(d.name, "no_such_variable"), "diag names '%s'", d.name);
	expect("two locals of one name", elfmod_exec_setvar(&s, &opts, "dup", &v, sizeof(v), &d), ELFMOD_EDUP, &d,
	       "local definitions");
	/* The same error without a diagnostic to record it in. */
	CHECK_EQ(elfmod_exec_setvar(&s, &opts, "dup", &v, sizeof(v), NULL), ELFMOD_EDUP);
	CHECK_EQ(elfmod_exec_setvar(&s, &opts, "no_such_variable", &v, sizeof(v), NULL), ELFMOD_ENOTFOUND);
	expect("a function", elfmod_exec_setvar(&s, &opts, "entry", &v, sizeof(v), &d), ELFMOD_ETYPE, &d,
	       "st_info");
	expect("an address no segment holds", elfmod_exec_setvar(&s, &opts, "outside", &v, sizeof(v), &d),
	       ELFMOD_ERANGE, &d, "st_value");
	expect("an empty value", elfmod_exec_setvar(&s, &opts, "setting", &v, 0, &d), ELFMOD_EINVAL, &d, NULL);
	/* A window over the first 16 bytes of the image only. */
	part = ex.window;
	part.size = 16;
	opts.windows = &part;
	expect("a variable outside the windows", elfmod_exec_setvar(&s, &opts, "setting", &v, sizeof(v), &d),
	       ELFMOD_EWINDOW, &d, "st_value");
	/* in_rom's segment executed in place: the window maps its run address onto the
	 * mapped file, so its bytes are where the loader would have put them. */
	CHECKF(elfmod_elf_open(&elf, &img.src, &d) == 0, "reopen");
	memset(&rom, 0, sizeof(rom));
	for (uint32_t i = 0; i < elf.phnum; i++)
		if (elfmod_elf_phdr(&elf, i, &p) == 0 && p.type == ELFMOD_PT_LOAD && !(p.flags & ELFMOD_PF_W) &&
		    !(p.flags & ELFMOD_PF_X) && p.offset) {
			rom.base = p.vaddr;
			rom.size = p.memsz;
			rom.wr = (uint8_t *)(uintptr_t)img.src.data + p.offset;
		}
	CHECKF(rom.size != 0, "no read-only data segment");
	opts.windows = &rom;
	opts.flags = ELFMOD_EXEC_XIP;
	expect("a variable in a segment executed in place",
	       elfmod_exec_setvar(&s, &opts, "in_rom", &v, sizeof(v), &d), ELFMOD_EPERM, &d, "st_value");
	elfmod_posix_exec_unload(&ex);
close:
	elfmod_posix_file_close(&img);
	elfmod_posix_file_close(&syms);
	elfmod_posix_file_close(&origf);
	elfmod_posix_file_close(&otherf);
}

/* --corrupt: .data's sh_addr moved 1 MiB up, where no segment is. */
static int corrupt(const char *in, const char *out)
{
	struct elfmod_source src;
	struct elfmod_elf elf;
	struct elfmod_shdr sh;
	struct elfmod_diag d;
	size_t size;
	uint8_t *b = slurp(in, &size);
	const char *name;
	char nb[64];
	FILE *f;

	if (!b)
		return 1;
	src = (struct elfmod_source){ .data = b, .size = size };
	if (elfmod_elf_open(&elf, &src, &d))
		return 1;
	for (uint32_t i = 1; i < elf.shnum; i++) {
		int w = elf.cls == 64 ? 8 : 4;
		uint8_t *field;
		if (elfmod_elf_shdr(&elf, i, &sh) || elfmod_elf_section_name(&elf, i, nb, sizeof(nb), &name))
			return 1;
		if (strcmp(name, ".data"))
			continue;
		sh.addr += 0x100000;
		field = b + elf.shoff + (uint64_t)i * elf.shentsize + (elf.cls == 64 ? 16 : 12);
		for (int k = 0; k < w; k++)
			field[elf.big_endian ? w - 1 - k : k] = (uint8_t)(sh.addr >> (8 * k));
		f = fopen(out, "wb");
		if (!f || fwrite(b, 1, size, f) != size || fclose(f))
			return 1;
		free(b);
		return 0;
	}
	return 1;
}

/* --foreign: an image of another machine (the test's app.c built for Cortex-M) loaded
 * into host memory, one window per segment, its variables patched by name: the bytes
 * must land at the variable's place in the window, and nothing runs. */
static int foreign(const char *image, const char *syms_path)
{
	struct elfmod_posix_file img, syms;
	struct elfmod_window win[ELFMOD_CFG_MAX_LOAD_SEGMENTS];
	struct elfmod_exec_opts opts;
	struct elfmod_exec_info info;
	struct elfmod_exec_syms s;
	struct elfmod_elf elf;
	struct elfmod_phdr p;
	struct elfmod_sym sym;
	struct elfmod_diag d;
	uint8_t value[4] = { 0x44, 0x33, 0x22, 0x11 };
	const char msg[] = "patched on the host";
	uint32_t n = 0;
	int rc;

	if (elfmod_posix_file_open(&img, image, 1) || elfmod_posix_file_open(&syms, syms_path, 0) ||
	    elfmod_elf_open(&elf, &img.src, &d)) {
		CHECKF(0, "cannot open %s or %s", image, syms_path);
		return 1;
	}
	for (uint32_t i = 0; i < elf.phnum && n < ELFMOD_CFG_MAX_LOAD_SEGMENTS; i++) {
		if (elfmod_elf_phdr(&elf, i, &p) || p.type != ELFMOD_PT_LOAD || !p.memsz)
			continue;
		win[n].base = p.vaddr;
		win[n].size = p.memsz;
		win[n++].wr = calloc(1, (size_t)p.memsz);
	}
	memset(&opts, 0, sizeof(opts));
	opts.windows = win;
	opts.nwindows = n;
	rc = elfmod_exec_load(&img.src, &opts, &info, &d);
	CHECKF(rc == 0, "load: %s", check_why(&d));
	rc = elfmod_exec_syms_open(&s, &syms.src, &img.src, &d);
	CHECKF(rc == 0, "symbols: %s", check_why(&d));
	if (check_failed)
		return 1;
	rc = elfmod_exec_symbol(&s, "entry", &sym, &d);
	CHECKF(rc == 0 && sym.value == info.entry, "entry 0x%llx, e_entry 0x%llx", (unsigned long long)sym.value,
	      (unsigned long long)info.entry);
	if (elf.big_endian)
		for (int k = 0; k < 4; k++)
			value[k] = (uint8_t)(0x11223344u >> (24 - 8 * k));
	rc = elfmod_exec_setvar(&s, &opts, "setting", value, sizeof(value), &d);
	CHECKF(rc == 0, "setvar setting: %s", check_why(&d));
	rc = elfmod_exec_setvar(&s, &opts, "message", msg, sizeof(msg), &d);
	CHECKF(rc == 0, "setvar message: %s", check_why(&d));
	expect("an int into a short", elfmod_exec_setvar(&s, &opts, "tiny", value, 4, &d), ELFMOD_ESPACE, &d, "st_size");
	/* Where they landed: each variable's offset in its segment's window. */
	for (const char *const *v = (const char *const[]){ "setting", "message", NULL }; *v; v++) {
		const void *want = !strcmp(*v, "setting") ? (const void *)value : (const void *)msg;
		size_t len = !strcmp(*v, "setting") ? sizeof(value) : sizeof(msg);
		int found = 0;
		if (elfmod_exec_symbol(&s, *v, &sym, &d))
			continue;
		for (uint32_t w = 0; w < n; w++)
			if (sym.value >= win[w].base && sym.value - win[w].base + len <= win[w].size) {
				CHECKF(!memcmp((uint8_t *)win[w].wr + (sym.value - win[w].base), want, len),
				      "%s: the bytes are not at its address", *v);
				found = 1;
			}
		CHECKF(found, "%s: in no window", *v);
	}
	for (uint32_t w = 0; w < n; w++)
		free(win[w].wr);
	elfmod_posix_file_close(&img);
	elfmod_posix_file_close(&syms);
	printf("%s: %s %s-endian, %u segments, patched by name\n", check_failed ? "FAIL" : "ok",
	       elfmod_machine_name(elf.machine) ? elfmod_machine_name(elf.machine) : "?", elf.big_endian ? "big" : "little",
	       info.segments);
	return check_failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--corrupt"))
		return corrupt(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "--foreign"))
		return foreign(argv[2], argv[3]);
	if (argc != 5) {
		fprintf(stderr, "usage: split_test IMAGE SYMS ORIGINAL OTHER_SYMS\n");
		return 2;
	}
	run(argv[1], argv[2], 1, 42, "patched by name");
	run(argv[1], argv[2], 0, -7, "read through pread");
	refusals(argv[1], argv[2], argv[3], argv[4]);
	if (check_failed) {
		printf("split test: %lu failures\n", check_failed);
		return 1;
	}
	printf("split test: ok\n");
	return 0;
}
