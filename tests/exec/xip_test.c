/* Execute in place: an image pre-linked with `elfmod link --xip FLASH` (xip_mod.c) is
 * mapped read-only and executable at FLASH, as memory-mapped flash would be, and loaded
 * with ELFMOD_EXEC_XIP: its code, constants and pointer table stay in the mapping
 * (info.in_place), only .data is copied into the RAM window and .bss zeroed there, and
 * the code runs from the mapping. A write into the mapping would kill the test.
 *
 * Then the counter-checks: without the flag, or with the bytes not at their
 * destination (a copy of the file in the heap, or a read callback), every segment is
 * copied into a writable window at FLASH and runs from there. Without the flag the
 * loader writes every segment, so an image in read-only flash needs the flag: the
 * loader cannot see that a window is read-only. */
#define _GNU_SOURCE
#include "elfmod.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "files.h"

#define RAM_SIZE 0x1000u

typedef int (*entry_fn)(int);

/* xip_mod.c's xip_entry, for the n-th call since the load. */
static int expected(int x, int n)
{
	static const int primes[8] = { 2, 3, 5, 7, 11, 13, 17, 19 };
	int v = primes[x & 7] * 3;

	return ((x & 1) ? -v : 2 * v) + 100 + n;
}

/* What the section headers say each kind of loaded byte should come to. */
struct sizes {
	uint64_t ro, rw, bss;
};

static int measure(const void *img, uint64_t size, struct sizes *sz)
{
	const struct elfmod_source src = { .data = img, .size = size };
	struct elfmod_elf elf;
	struct elfmod_shdr s;
	struct elfmod_diag d;

	memset(sz, 0, sizeof(*sz));
	if (elfmod_elf_open(&elf, &src, &d))
		return -1;
	for (uint32_t i = 1; i < elf.shnum; i++) {
		if (elfmod_elf_shdr(&elf, i, &s))
			return -1;
		if (!(s.flags & ELFMOD_SHF_ALLOC))
			continue;
		if (s.type == ELFMOD_SHT_NOBITS)
			sz->bss += s.size;
		else if (s.flags & ELFMOD_SHF_WRITE)
			sz->rw += s.size;
		else
			sz->ro += s.size;
	}
	return 0;
}

static int load(const struct elfmod_source *src, struct elfmod_window *win, uint32_t flags,
		struct elfmod_exec_info *info)
{
	struct elfmod_exec_opts o = { .windows = win, .nwindows = 2, .flags = flags,
				      .machine = ELFMOD_EM_X86_64, .cls = 64 };
	struct elfmod_diag d;
	char msg[200];
	int rc = elfmod_exec_load(src, &o, info, &d);

	if (rc) {
		elfmod_diag_format(&d, msg, sizeof(msg));
		fprintf(stderr, "elfmod_exec_load: %s\n", msg);
	}
	return rc;
}

static void report(const char *what, const struct elfmod_exec_info *info)
{
	printf("%s: %u segments, in place %llu, copied %llu, zeroed %llu, entry 0x%llx\n", what, info->segments,
	       (unsigned long long)info->in_place, (unsigned long long)info->copied,
	       (unsigned long long)info->zeroed, (unsigned long long)info->entry);
}

/* The image stored at FLASH (the file mapped there read-only): XIP. */
static void run_in_place(const char *path, uint64_t flash, uint64_t ram, uint64_t size, const struct sizes *sz)
{
	struct elfmod_window win[2];
	struct elfmod_exec_info info;
	int fd = open(path, O_RDONLY);
	void *map;

	if (fd < 0) {
		CHECKF(0, "open the image");
		return;
	}
	map = mmap((void *)(uintptr_t)flash, (size_t)size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED_NOREPLACE,
		   fd, 0);
	close(fd);
	if (map == MAP_FAILED || (uint64_t)(uintptr_t)map != flash) {
		CHECKF(0, "map the image read-only at its flash address");
		if (map != MAP_FAILED)
			munmap(map, (size_t)size);
		return;
	}
	win[0] = (struct elfmod_window){ .base = flash, .size = size, .wr = map };
	if (elfmod_posix_map_window(ram, RAM_SIZE, &win[1])) {
		CHECKF(0, "map the RAM window");
		munmap(map, (size_t)size);
		return;
	}
	memset(win[1].wr, 0xa5, RAM_SIZE); /* so .bss has to be zeroed for real */
	{
		const struct elfmod_source src = { .data = map, .size = size };
		int rc = load(&src, win, ELFMOD_EXEC_XIP, &info);
		CHECKF(rc == 0, "XIP load");
		if (rc == 0) {
			entry_fn entry = (entry_fn)(uintptr_t)info.entry;
			const int *data = win[1].wr;
			report("xip", &info);
			CHECKF(info.in_place == sz->ro, "in_place: the code and read-only sections");
			CHECKF(info.copied == sz->rw && sz->rw == 8, "copied: .data only (8 bytes)");
			CHECKF(info.zeroed == sz->bss && sz->bss > 0, "zeroed: .bss");
			CHECKF(info.entry >= flash && info.entry < flash + size, "entry point in the flash mapping");
			CHECKF(data[0] == 3 && data[1] == 100, ".data in RAM with its initial values");
			CHECKF(entry(2) == expected(2, 1), "xip_entry(2) from flash");
			CHECKF(entry(3) == expected(3, 2), "xip_entry(3) from flash: .bss counts the calls");
			data = NULL;
		}
	}
	elfmod_posix_unmap_window(&win[1]);
	munmap(map, (size_t)size);
}

/* The bytes are not where they run: copied into a writable window at FLASH, which is
 * then made executable and runs. */
static void run_copied(const char *what, const struct elfmod_source *src, uint32_t flags, uint64_t flash,
		       uint64_t ram, uint64_t size, const struct sizes *sz)
{
	struct elfmod_window win[2];
	struct elfmod_exec_info info;
	char msg[120];

	if (elfmod_posix_map_window(flash, size, &win[0])) {
		CHECKF(0, "map a window at the flash address");
		return;
	}
	if (elfmod_posix_map_window(ram, RAM_SIZE, &win[1])) {
		CHECKF(0, "map the RAM window");
		elfmod_posix_unmap_window(&win[0]);
		return;
	}
	snprintf(msg, sizeof(msg), "%s: load", what);
	CHECKF(load(src, win, flags, &info) == 0, "%s", msg);
	if (info.segments) {
		report(what, &info);
		snprintf(msg, sizeof(msg), "%s: nothing in place, everything copied", what);
		CHECKF(info.in_place == 0 && info.copied == sz->ro + sz->rw, "%s", msg);
		snprintf(msg, sizeof(msg), "%s: the copy runs", what);
		if (elfmod_posix_protect(win[0].base, win[0].size, ELFMOD_PERM_R | ELFMOD_PERM_X) == 0)
			CHECKF(((entry_fn)(uintptr_t)info.entry)(3) == expected(3, 1), "%s", msg);
		else
			CHECKF(0, "%s", msg);
	}
	elfmod_posix_unmap_window(&win[1]);
	elfmod_posix_unmap_window(&win[0]);
}

int main(int argc, char **argv)
{
	struct elfmod_posix_file f;
	struct sizes sz;
	struct test_file copy;
	uint64_t flash, ram, size;

	if (argc != 4) {
		fprintf(stderr, "usage: xip_test XIP.elf FLASH_ADDR RAM_ADDR\n");
		return 2;
	}
	flash = strtoull(argv[2], NULL, 0);
	ram = strtoull(argv[3], NULL, 0);
	if (test_file_read(argv[1], &copy))
		return 1;
	size = copy.size;
	if (measure(copy.data, size, &sz) || sz.ro == 0) {
		fprintf(stderr, "%s: not an image with read-only sections\n", argv[1]);
		return 1;
	}
	printf("sections: read-only %llu, data %llu, bss %llu bytes\n", (unsigned long long)sz.ro,
	       (unsigned long long)sz.rw, (unsigned long long)sz.bss);

	run_in_place(argv[1], flash, ram, size, &sz);
	{
		const struct elfmod_source heap = { .data = copy.data, .size = size };
		run_copied("no flag", &heap, 0, flash, ram, size, &sz);
		run_copied("xip, bytes elsewhere", &heap, ELFMOD_EXEC_XIP, flash, ram, size, &sz);
	}
	if (elfmod_posix_file_open(&f, argv[1], 0) == 0) {
		run_copied("xip, read callback", &f.src, ELFMOD_EXEC_XIP, flash, ram, size, &sz);
		elfmod_posix_file_close(&f);
	} else {
		CHECKF(0, "open the image for the read callback");
	}
	free(copy.data);
	return check_done("xip test");
}
