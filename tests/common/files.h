/* Whole files in memory for the host test programs: the modules they load from a buffer,
 * serve through a read callback, mangle or flip bits in. Header-only, hosted (stdio). */
#ifndef ELFMOD_TEST_FILES_H
#define ELFMOD_TEST_FILES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct test_file {
	uint8_t *data; /* malloc'd: free(data) */
	size_t size;
};

/* 0 with the whole file in `f`; -1, a message on stderr and `f` empty when it cannot be
 * read whole. */
static inline int test_file_read(const char *path, struct test_file *f)
{
	FILE *fp = fopen(path, "rb");
	long n = 0;

	f->data = NULL;
	f->size = 0;
	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET))
		goto fail;
	/* At least one byte: malloc(0) may return NULL, which would read as a failure. */
	f->data = malloc(n ? (size_t)n : 1);
	if (!f->data || fread(f->data, 1, (size_t)n, fp) != (size_t)n)
		goto fail;
	f->size = (size_t)n;
	fclose(fp);
	return 0;
fail:
	fprintf(stderr, "cannot read %s\n", path);
	free(f->data);
	f->data = NULL;
	if (fp)
		fclose(fp);
	return -1;
}

/* For a fixture the test cannot run without: a missing one is a broken setup, not a
 * failed check, so the program stops with status 2 as for a bad command line. */
static inline struct test_file test_file_load(const char *path)
{
	struct test_file f;

	if (test_file_read(path, &f))
		exit(2);
	return f;
}

#endif
