/* Streaming with bounded RAM: modules loaded through a read callback, as from SPI flash
 * or an SD card, with a counting allocator. For each file it prints the read calls, the
 * bytes read (against the file size), how sequential the reads were, and the loader's
 * transient memory (peak minus what stays allocated), and checks:
 *  - transient memory <= the bound docs/porting.md states:
 *      read cache (ELFMOD_CFG_READ_LINES * ELFMOD_CFG_READ_LINE + its state, <= 256 B)
 *      + (10 + pointer size) bytes per section + 18 bytes per symbol
 *      + pointer size per loaded module
 *    (x86-64 has no paired relocations or mapping symbols, which cost 16 bytes each);
 *  - bytes read <= 1.5 x the file size, plus 8 x the section header table for small
 *    files, whose tables the loader's passes re-read (a big module's contents, read
 *    once, dominate);
 *  - the file was never held: no allocation reaches the file's size unless the image
 *    itself is that big.
 * Usage: stream_test FILE... (ET_REL, ET_DYN and ET_EXEC; every import resolves
 * against the C library table of `elfmod run`). */
#include "check.h"
#include "counting.h"
#include "files.h"
#include "tools.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct device {
	const uint8_t *bytes;
	uint64_t size;
	uint64_t reads, bytes_read, back, last;
};

static int dev_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct device *d = ctx;

	if (off > d->size || len > d->size - off)
		return -1;
	d->reads++;
	d->bytes_read += len;
	if (off < d->last)
		d->back++;
	d->last = off;
	memcpy(dst, d->bytes + off, len);
	return 0;
}

static struct elfmod_registry reg;

/* What the test shared objects import from their host. */
static int recorded;
void record(int what);
void record(int what)
{
	recorded += what != 0;
}
int host_twice(int x);
int host_twice(int x)
{
	return 2 * x;
}
static const struct elfmod_export host_syms[] = {
	{ "record", (const void *)&record },
	{ "host_twice", (const void *)&host_twice },
};
static struct elfmod_export_index host_index[2];

static void one(const char *path)
{
	struct device dev = { 0 };
	struct test_file file;
	struct counting cnt;
	struct elfmod_allocator mem;
	struct elfmod_source src = { 0 }, whole = { 0 };
	struct elfmod_load_opts o = { 0 };
	struct elfmod_module m;
	struct elfmod_diag d;
	struct elfmod_elf elf;
	uint32_t nsyms = 0;
	uint64_t final, transient, bound;
	int rc;

	check_ctx = path;
	CHECK_RC(test_file_read(path, &file), 0);
	if (!file.data)
		return;
	dev.bytes = file.data;
	dev.size = file.size;
	whole.data = dev.bytes;
	whole.size = dev.size;
	CHECK_RC(elfmod_elf_open(&elf, &whole, NULL), 0);
	if (elf.symtab)
		CHECK_RC(elfmod_elf_sym_count(&elf, elf.symtab, &nsyms), 0);

	counting_init(&cnt, &mem);
	src.size = dev.size;
	src.read = dev_read;
	src.ctx = &dev;
	o.name = path;
	o.mem = &mem;
	o.reg = &reg;
	/* Shared objects run their resolvers and init functions; the rest is only loaded. */
	o.flags = elf.type == ELFMOD_ET_DYN ? 0 : ELFMOD_LOAD_NO_INIT;
	rc = elfmod_load(&m, &src, &o, &d);
	if (rc) {
		char msg[256];
		elfmod_diag_format(&d, msg, sizeof(msg));
		fprintf(stderr, "%s: %s\n", path, msg);
	}
	CHECK_RC(rc, 0);
	if (rc) {
		free(file.data);
		return;
	}
	final = cnt.cur;
	transient = cnt.peak - final;
	bound = (uint64_t)ELFMOD_CFG_READ_LINES * ELFMOD_CFG_READ_LINE + 256 +
		(10 + sizeof(void *)) * elf.shnum + 18ull * nsyms + sizeof(void *) * 8;
	printf("%-16s type %u %7llu bytes: %4llu reads (%3llu backwards), %7llu bytes read (%.2fx); "
	       "image+kept %7llu, transient %5llu (bound %llu)\n",
	       strrchr(path, '/') ? strrchr(path, '/') + 1 : path, elf.type, (unsigned long long)dev.size,
	       (unsigned long long)dev.reads, (unsigned long long)dev.back, (unsigned long long)dev.bytes_read,
	       (double)dev.bytes_read / (double)dev.size,
	       (unsigned long long)final, (unsigned long long)transient, (unsigned long long)bound);
	CHECK(transient <= bound);
	CHECK(dev.bytes_read <= dev.size + dev.size / 2 + 8ull * elf.shnum * elf.shentsize);
	CHECK(dev.reads > 0);
	/* Never a buffer for the file: META blocks stay far below its size. */
	CHECK(cnt.biggest_meta < dev.size / 2 || dev.size < 8192);
	/* A shared object's init functions ran (they record). */
	CHECK(elf.type != ELFMOD_ET_DYN || recorded > 0);
	CHECK_RC(elfmod_unload(&m), 0);
	CHECK_EQ(cnt.cur, 0);

	/* Again with the SHA-256 checked as the file streams in: what the loader read in
	 * file order is hashed as it passes; only the rest is read once more. */
	{
		struct elfmod_sha256 sha;
		uint8_t digest[32];
		uint64_t plain = dev.bytes_read;
		elfmod_sha256_init(&sha);
		elfmod_sha256_update(&sha, dev.bytes, (size_t)dev.size);
		elfmod_sha256_final(&sha, digest);
		o.sha256 = digest;
		dev.reads = dev.bytes_read = dev.back = dev.last = 0;
		CHECK_RC(elfmod_load(&m, &src, &o, &d), 0);
		printf("%-16s with SHA-256: %4llu reads, %7llu bytes read (%.2fx), %llu more than without "
		       "(%llu bytes of the file are not copied)\n", "",
		       (unsigned long long)dev.reads, (unsigned long long)dev.bytes_read,
		       (double)dev.bytes_read / (double)dev.size, (unsigned long long)(dev.bytes_read - plain),
		       (unsigned long long)(dev.size - m.bytes_loaded));
		/* No second pass: what is read again is at most the bytes not copied (tables,
		 * symbols, debug information), never the code and data. */
		CHECK(dev.bytes_read - plain <= dev.size - m.bytes_loaded);
		CHECK_RC(elfmod_unload(&m), 0);
		digest[5] ^= 1;
		CHECK_RC(elfmod_load(&m, &src, &o, &d), ELFMOD_EVERIFY);
		CHECK_EQ(cnt.cur, 0);
	}
	free(file.data);
}

int main(int argc, char **argv)
{
	struct elfmod_exports libc, host;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	elfmod_registry_init(&reg);
	CHECK(elfmod_exports_init(&host, host_syms, 2, host_index, NULL) == 0);
	CHECK(elfmod_registry_add_exports(&reg, &host) == 0);
	CHECK(tool_libc_exports(&libc) == 0);
	CHECK(elfmod_registry_add_exports(&reg, &libc) == 0);
	for (int i = 1; i < argc; i++)
		one(argv[i]);
	return check_done("stream");
}
