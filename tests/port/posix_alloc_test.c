/* The POSIX port's allocator: alignment, the "near" hint, W^X, executing what it maps,
 * and files as sources (mapped and read through the callback). */
#define _GNU_SOURCE
#include "elfmod.h"
#include "check.h"
#include "faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_alloc(void)
{
	struct elfmod_allocator a;
	struct elfmod_region r = { 0 }, big = { 0 };
	/* x86-64: mov eax, 42; ret.  Only run where that is the host's code. */
	static const uint8_t code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

	elfmod_posix_allocator(&a);
	r.kind = ELFMOD_KIND_TEXT;
	CHECK(a.alloc(a.ctx, &r, 100, 16, 0) == 0);
	CHECK(r.addr == (uint64_t)(uintptr_t)r.wr && r.size == 100);
	CHECK(r.perm == (ELFMOD_PERM_R | ELFMOD_PERM_W));
	memcpy(r.wr, code, sizeof(code));
	CHECK(a.protect(a.ctx, &r, ELFMOD_PERM_R | ELFMOD_PERM_W | ELFMOD_PERM_X) == ELFMOD_EPERM);
	CHECK(a.protect(a.ctx, &r, ELFMOD_PERM_R | ELFMOD_PERM_X) == 0);
	a.sync_icache(a.ctx, r.addr, sizeof(code));
	CHECK(r.perm == (ELFMOD_PERM_R | ELFMOD_PERM_X));
	CHECK(write_faults(r.wr));
#if defined(__x86_64__)
	CHECK(((int (*)(void))(uintptr_t)r.addr)() == 42);
#endif
	a.free(a.ctx, &r);

	/* Alignment larger than a page is honoured by trimming a larger mapping. */
	big.kind = ELFMOD_KIND_DATA;
	CHECK(a.alloc(a.ctx, &big, 5000, 1 << 20, 0) == 0);
	CHECK((big.addr & ((1 << 20) - 1)) == 0);
	memset(big.wr, 0x5a, 5000);
	a.free(a.ctx, &big);

	CHECK(a.alloc(a.ctx, &big, 0, 8, 0) == ELFMOD_EINVAL);
	CHECK(a.alloc(a.ctx, &big, 8, 3, 0) == ELFMOD_EINVAL);
}

static void test_near(void)
{
	struct elfmod_allocator a;
	struct elfmod_region r[4];
	uint64_t anchor = (uint64_t)(uintptr_t)&test_near;

	elfmod_posix_allocator(&a);
	for (int i = 0; i < 4; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].kind = ELFMOD_KIND_DATA;
		CHECK(a.alloc(a.ctx, &r[i], 1 << 20, 4096, anchor) == 0);
		uint64_t lo = r[i].addr < anchor ? r[i].addr : anchor;
		uint64_t hi = r[i].addr + r[i].size > anchor ? r[i].addr + r[i].size : anchor;
		CHECK(hi - lo < (1ull << 31));
	}
	for (int i = 0; i < 4; i++)
		a.free(a.ctx, &r[i]);
}

static void test_files(const char *self)
{
	struct elfmod_posix_file m, p;
	struct elfmod_elf em, ep;
	struct elfmod_shdr a, b;

	CHECK(elfmod_posix_file_open(&m, self, 1) == 0 && m.src.data);
	CHECK(elfmod_posix_file_open(&p, self, 0) == 0 && !p.src.data && p.src.read);
	CHECK(m.src.size == p.src.size && m.src.size > 0);
	CHECK(elfmod_elf_open(&em, &m.src, NULL) == 0);
	CHECK(elfmod_elf_open(&ep, &p.src, NULL) == 0);
	CHECK(em.shnum == ep.shnum && em.shnum > 0);
	for (uint32_t i = 0; i < em.shnum; i++) {
		CHECK(elfmod_elf_shdr(&em, i, &a) == 0 && elfmod_elf_shdr(&ep, i, &b) == 0);
		CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	}
	CHECK(p.reads > 0 && p.bytes_read > 0);
	elfmod_posix_file_close(&m);
	elfmod_posix_file_close(&p);
	CHECK(elfmod_posix_file_open(&m, "/nonexistent/elfmod", 0) == ELFMOD_EIO);
	CHECK(elfmod_posix_file_open(&m, "/", 0) == ELFMOD_EIO);
}

static void test_window(void)
{
	struct elfmod_window w, w2;
	uint64_t at = 0x31000000;

	CHECK(elfmod_posix_map_window(at + 10, 100, &w) == 0);
	CHECK(w.base == at && w.size == (uint64_t)sysconf(_SC_PAGESIZE));
	/* A second window over the same pages must not replace the first. */
	CHECK(elfmod_posix_map_window(at, 10, &w2) == ELFMOD_ENOMEM);
	elfmod_posix_unmap_window(&w);
	CHECK(elfmod_posix_map_window(at, 0, &w2) == ELFMOD_EINVAL);
}

int main(int argc, char **argv)
{
	(void)argc;
	test_alloc();
	test_near();
	test_files(argv[0]);
	test_window();
	return check_done("posix port");
}
