/* Reset inside an image, from a loader's side: the prepared image (elfmod reset-prep)
 * loads with elfmod_exec_load through the POSIX port, its ELFMOD_PT_RESET header and its
 * placeholder agree on where the table is, and elfmod_image_reset, called on the loaded
 * image after its state was changed, brings .data and .bss back while .persistent keeps
 * its value. Then tables a hostile or broken image could carry, each refused before
 * anything is written.
 *
 *   reset_host PREPARED.elf UNPREPARED.elf
 *   reset_host --reload FILE.elf   loads an image of any machine into host memory with
 *                                  elfmod_exec_load, checks every segment's bytes and,
 *                                  when prepared, the table's header where it landed
 */
#include "elfmod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static void *addr_of(const struct elfmod_exec_syms *s, const char *name)
{
	struct elfmod_sym sym;
	struct elfmod_diag d;

	if (elfmod_exec_symbol(s, name, &sym, &d)) {
		CHECKF(0, "symbol %s: %s", name, check_why(&d));
		return NULL;
	}
	return (void *)(uintptr_t)sym.value;
}

static void loaded(const char *path)
{
	struct elfmod_posix_file f;
	struct elfmod_posix_exec ex;
	struct elfmod_exec_syms s;
	struct elfmod_diag d;
	uint64_t taddr = 0, tsize = 0;
	const struct elfmod_reset_table *t, *const *holder;
	int *counter, rc;
	unsigned *zeroed, *boots;
	char *text, **ptr, *big;

	if (elfmod_posix_file_open(&f, path, 0)) {
		CHECKF(0, "cannot open %s", path);
		return;
	}
	rc = elfmod_posix_exec_load(&f.src, &ex, &d);
	CHECKF(rc == 0, "load of the prepared image: %s", check_why(&d));
	if (rc)
		goto close;
	printf("loaded %u segments [0x%llx, 0x%llx)\n", ex.info.segments, (unsigned long long)ex.info.lowest,
	       (unsigned long long)ex.info.highest);
	rc = elfmod_exec_reset_table(&f.src, &taddr, &tsize, &d);
	CHECKF(rc == 0, "ELFMOD_PT_RESET: %s", check_why(&d));
	rc = elfmod_exec_syms_open(&s, &f.src, &f.src, &d);
	CHECKF(rc == 0, "its own symbols: %s", check_why(&d));
	if (rc)
		goto unload;
	holder = addr_of(&s, ELFMOD_RESET_SYMBOL);
	counter = addr_of(&s, "counter");
	zeroed = addr_of(&s, "zeroed");
	text = addr_of(&s, "text");
	ptr = addr_of(&s, "ptr");
	big = addr_of(&s, "big");
	boots = addr_of(&s, "boots");
	if (check_failed)
		goto unload;
	t = *holder;
	CHECKF((uintptr_t)t == taddr, "placeholder says %p, the program header 0x%llx", (const void *)t,
	      (unsigned long long)taddr);
	CHECKF(tsize == sizeof(*t) + t->count * sizeof(struct elfmod_reset_region), "table size %llu for %u regions",
	      (unsigned long long)tsize, t->count);
	CHECKF(*counter == 5 && *zeroed == 0 && !strcmp(text, "initial") && *ptr == text && *boots == 0,
	      "not loaded with its initial state");

	/* A run's worth of changes, then the reset the image would do at its reset entry. */
	*counter = 99;
	*zeroed = 7;
	strcpy(text, "changed");
	*ptr = text + 3;
	memset(big, 0x5a, 4096);
	*boots = 41;
	rc = elfmod_image_reset(t);
	CHECKF(rc == 0, "elfmod_image_reset: %d (%s)", rc, elfmod_strerror(rc));
	CHECKF(*counter == 5, "counter %d after reset, want 5", *counter);
	CHECKF(*zeroed == 0, "zeroed %u after reset, want 0", *zeroed);
	CHECKF(!strcmp(text, "initial"), "text '%s' after reset", text);
	CHECKF(*ptr == text, "ptr %p after reset, want %p", (void *)*ptr, (void *)text);
	CHECKF(big[0] == 0 && big[4095] == 0 && !memcmp(big, big + 1, 4095), "big not zeroed");
	CHECKF(*boots == 41, "the .persistent counter was reset: %u, want 41", *boots);
	if (!check_failed)
		printf("ok: reset of the loaded image: .data and .bss initial, .persistent kept\n");
unload:
	elfmod_posix_exec_unload(&ex);
close:
	elfmod_posix_file_close(&f);
}

/* A table and its regions in one block, as the tool lays them out. */
struct table1 {
	struct elfmod_reset_table h;
	struct elfmod_reset_region r[2];
};

static void expect(const char *what, const struct elfmod_reset_table *t, int want, const uint8_t *area,
		   const uint8_t *before, size_t n)
{
	int rc = elfmod_image_reset(t);

	CHECKF(rc == want, "%s: %d (%s), want %d (%s)", what, rc, elfmod_strerror(rc), want, elfmod_strerror(want));
	if (area)
		CHECKF(!memcmp(area, before, n), "%s: memory written before the refusal", what);
	if (rc == want)
		printf("ok: %s: %s\n", what, elfmod_strerror(rc));
}

static void hostile(void)
{
	static uint8_t area[256], init[64], before[256];
	struct table1 t;
	uint8_t stack_probe[64];

	memset(area, 0xa5, sizeof(area));
	memset(init, 0x11, sizeof(init));
	memcpy(before, area, sizeof(area));
	memset(&t, 0, sizeof(t));
	t.h.magic = ELFMOD_RESET_MAGIC;
	t.h.version = ELFMOD_RESET_VERSION;
	t.h.entsize = sizeof(struct elfmod_reset_region);
	t.h.count = 1;
	t.r[0] = (struct elfmod_reset_region){ (uintptr_t)area, (uintptr_t)init, 64, 128 };

	expect("not prepared (NULL)", NULL, ELFMOD_ENOTFOUND, NULL, NULL, 0);
	t.h.magic ^= 1;
	expect("bad magic", &t.h, ELFMOD_EINVAL, area, before, sizeof(area));
	t.h.magic ^= 1;
	t.h.version = 2;
	expect("another version", &t.h, ELFMOD_EINVAL, area, before, sizeof(area));
	t.h.version = ELFMOD_RESET_VERSION;
	t.h.entsize = 16;
	expect("another entry size", &t.h, ELFMOD_EINVAL, area, before, sizeof(area));
	t.h.entsize = sizeof(struct elfmod_reset_region);
	t.r[0].filesz = 200;
	expect("filesz > memsz", &t.h, ELFMOD_ESEGMENT, area, before, sizeof(area));
	t.r[0].filesz = 64;
	t.r[0].copy = 0;
	expect("bytes to copy from address 0", &t.h, ELFMOD_ESEGMENT, area, before, sizeof(area));
	t.r[0].copy = (uintptr_t)init;
	t.r[0].memsz = UINTPTR_MAX;
	expect("a region that wraps", &t.h, ELFMOD_EOVERFLOW, area, before, sizeof(area));
	t.r[0].memsz = 128;
	t.h.count = 2;
	t.r[1] = (struct elfmod_reset_region){ (uintptr_t)(area + 64), 0, 0, 16 };
	expect("two regions that overlap", &t.h, ELFMOD_EOVERLAP, area, before, sizeof(area));
	t.r[1] = (struct elfmod_reset_region){ (uintptr_t)(area + 192), (uintptr_t)(area + 8), 8, 16 };
	expect("a copy inside a region", &t.h, ELFMOD_EOVERLAP, area, before, sizeof(area));
	t.r[1] = (struct elfmod_reset_region){ (uintptr_t)&t, 0, 0, 8 };
	expect("the table inside a region", &t.h, ELFMOD_EOVERLAP, area, before, sizeof(area));
	/* A region over this stack: zeroing it would pull the ground from under the routine. */
	memset(stack_probe, 0x33, sizeof(stack_probe));
	t.r[1] = (struct elfmod_reset_region){ (uintptr_t)stack_probe - 8192, 0, 0, 8192 + sizeof(stack_probe) };
	expect("a region over the caller's stack", &t.h, ELFMOD_EOVERLAP, area, before, sizeof(area));
	CHECKF(stack_probe[0] == 0x33 && stack_probe[63] == 0x33, "stack written");
	t.h.reserved = 1;
	t.h.count = 1;
	expect("a reserved field set", &t.h, ELFMOD_EINVAL, area, before, sizeof(area));
	t.h.reserved = 0;
	expect("a good table", &t.h, 0, NULL, NULL, 0);
	CHECKF(!memcmp(area, init, 64) && area[64] == 0 && area[127] == 0 && area[128] == 0xa5,
	      "good table: copy, zero fill or the bytes after it wrong");
}

static uint32_t get32(const uint8_t *p, int be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int reload(const char *path)
{
	struct elfmod_posix_file f;
	struct elfmod_window win[ELFMOD_CFG_MAX_LOAD_SEGMENTS];
	struct elfmod_exec_opts opts;
	struct elfmod_exec_info info;
	struct elfmod_elf elf;
	struct elfmod_phdr p;
	struct elfmod_diag d;
	uint64_t taddr, tsize;
	uint32_t n = 0;
	int rc, trc;

	if (elfmod_posix_file_open(&f, path, 1) || elfmod_elf_open(&elf, &f.src, &d)) {
		printf("FAIL: cannot open %s\n", path);
		return 1;
	}
	/* One window per segment, in host memory: nothing runs, the bytes are checked. */
	for (uint32_t i = 0; i < elf.phnum && n < ELFMOD_CFG_MAX_LOAD_SEGMENTS; i++) {
		if (elfmod_elf_phdr(&elf, i, &p) || p.type != ELFMOD_PT_LOAD || !p.memsz)
			continue;
		win[n].base = p.vaddr;
		win[n].size = p.memsz;
		win[n].wr = malloc((size_t)p.memsz);
		memset(win[n].wr, 0xee, (size_t)p.memsz);
		n++;
	}
	memset(&opts, 0, sizeof(opts));
	opts.windows = win;
	opts.nwindows = n;
	rc = elfmod_exec_load(&f.src, &opts, &info, &d);
	CHECKF(rc == 0, "%s: elfmod_exec_load: %s", path, check_why(&d));
	for (uint32_t i = 0, w = 0; rc == 0 && i < elf.phnum; i++) {
		const uint8_t *m;
		if (elfmod_elf_phdr(&elf, i, &p) || p.type != ELFMOD_PT_LOAD || !p.memsz)
			continue;
		m = win[w++].wr;
		CHECKF(!memcmp(m, (const uint8_t *)f.src.data + p.offset, (size_t)p.filesz),
		      "segment %u: bytes differ from the file", i);
		for (uint64_t k = p.filesz; k < p.memsz; k++)
			if (m[k]) {
				CHECKF(0, "segment %u: byte %llu not zeroed", i, (unsigned long long)k);
				break;
			}
	}
	/* Prepared or not, but not a table the loader cannot read. */
	trc = rc == 0 ? elfmod_exec_reset_table(&f.src, &taddr, &tsize, &d) : ELFMOD_ENOTFOUND;
	CHECKF(trc == 0 || trc == ELFMOD_ENOTFOUND, "%s: elfmod_exec_reset_table: %s", path, check_why(&d));
	if (trc == 0) {
		int found = 0;
		for (uint32_t w = 0; w < n; w++)
			if (taddr >= win[w].base && taddr - win[w].base + 16 <= win[w].size) {
				const uint8_t *t = (const uint8_t *)win[w].wr + (taddr - win[w].base);
				CHECKF(get32(t, elf.big_endian) == ELFMOD_RESET_MAGIC, "no table magic at 0x%llx",
				      (unsigned long long)taddr);
				printf("table at 0x%llx: %u regions\n", (unsigned long long)taddr,
				       get32(t + 8, elf.big_endian));
				found = 1;
			}
		CHECKF(found, "the table at 0x%llx was not loaded", (unsigned long long)taddr);
	}
	printf("%s: reloaded %u segments [0x%llx, 0x%llx), %llu bytes copied, %llu zeroed\n", path, info.segments,
	       (unsigned long long)info.lowest, (unsigned long long)info.highest, (unsigned long long)info.copied,
	       (unsigned long long)info.zeroed);
	for (uint32_t w = 0; w < n; w++)
		free(win[w].wr);
	elfmod_posix_file_close(&f);
	return check_failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct elfmod_posix_file f;
	struct elfmod_diag d;
	uint64_t a, n;
	int rc;

	if (argc == 3 && !strcmp(argv[1], "--reload"))
		return reload(argv[2]);
	if (argc != 3) {
		fprintf(stderr, "usage: reset_host PREPARED.elf UNPREPARED.elf\n");
		return 2;
	}
	loaded(argv[1]);
	if (elfmod_posix_file_open(&f, argv[2], 1) == 0) {
		rc = elfmod_exec_reset_table(&f.src, &a, &n, &d);
		CHECKF(rc == ELFMOD_ENOTFOUND, "unprepared image: %d, want ENOTFOUND", rc);
		elfmod_posix_file_close(&f);
	} else {
		CHECKF(0, "cannot open the unprepared image %s", argv[2]);
	}
	hostile();
	if (check_failed) {
		printf("reset host test: %lu failures\n", check_failed);
		return 1;
	}
	printf("reset host test: ok\n");
	return 0;
}
