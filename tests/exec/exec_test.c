/* Loads a static program linked at a fixed address into this process with the POSIX
 * port and calls its entry: the x86-64 "runs for real" check of the executable loader.
 * Both source kinds are exercised: a mapped file and a read callback (pread). */
#include "elfmod.h"

#include <stdio.h>
#include <string.h>

struct services {
	int (*print)(const char *s);
};

static int printed;

static int print(const char *s)
{
	printed++;
	return printf("%s\n", s);
}

static int run(const char *path, int map)
{
	struct elfmod_posix_file f;
	struct elfmod_posix_exec ex;
	struct elfmod_diag d;
	struct services sv = { print };
	char msg[200];
	int rc, ret;

	if (elfmod_posix_file_open(&f, path, map)) {
		fprintf(stderr, "cannot open %s\n", path);
		return 1;
	}
	rc = elfmod_posix_exec_load(&f.src, &ex, &d);
	elfmod_posix_file_close(&f);
	if (rc) {
		elfmod_diag_format(&d, msg, sizeof(msg));
		fprintf(stderr, "load failed: %s\n", msg);
		return 1;
	}
	printf("loaded %u segments [0x%llx, 0x%llx), copied %llu, zeroed %llu, entry 0x%llx\n",
	       ex.info.segments, (unsigned long long)ex.info.lowest, (unsigned long long)ex.info.highest,
	       (unsigned long long)ex.info.copied, (unsigned long long)ex.info.zeroed,
	       (unsigned long long)ex.info.entry);
	if (ex.info.zeroed < 3000) {
		fprintf(stderr, "bss not accounted for\n");
		return 1;
	}
	ret = ((int (*)(const struct services *))(uintptr_t)ex.info.entry)(&sv);
	elfmod_posix_exec_unload(&ex);
	if (ret != 42 || printed != 1) {
		fprintf(stderr, "entry returned %d (want 42), printed %d\n", ret, printed);
		return 1;
	}
	printed = 0;
	return 0;
}

int main(int argc, char **argv)
{
	struct elfmod_posix_file f;
	struct elfmod_posix_exec ex;
	struct elfmod_diag d;

	if (argc != 2) {
		fprintf(stderr, "usage: exec_test APP.elf\n");
		return 2;
	}
	if (run(argv[1], 1) || run(argv[1], 0))
		return 1;
	/* Loading twice without unloading must be refused, not map over the first copy. */
	if (elfmod_posix_file_open(&f, argv[1], 1) || elfmod_posix_exec_load(&f.src, &ex, &d))
		return 1;
	{
		struct elfmod_posix_exec ex2;
		int rc = elfmod_posix_exec_load(&f.src, &ex2, &d);
		if (rc != ELFMOD_ENOMEM) {
			fprintf(stderr, "second load at the same address: %d, want ENOMEM\n", rc);
			return 1;
		}
	}
	elfmod_posix_exec_unload(&ex);
	elfmod_posix_file_close(&f);
	printf("exec test: ok\n");
	return 0;
}
