/* tiny_run MODULE.emod [local]: a Linux program (any architecture, run under qemu-user
 * for the foreign ones) that loads a packed mod_basic with the tiny loader and prints the
 * digest of 20 calls and the host calls it made, as pack_host and the Cortex-M firmware
 * do; with `local`, a packed mod_local and the results of 5 calls. */
#define _DEFAULT_SOURCE
#include "elfmod_tiny.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static char notes[1024];

static int host_add(int a, int b)
{
	return a + 1000 * b;
}

static void host_note(const char *s)
{
	strncat(notes, s, sizeof(notes) - strlen(notes) - 2);
	strcat(notes, ",");
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 16];
	const size_t map = 1 << 19;
	struct elfmod_tiny_import imp[2] = { { elfmod_tiny_hash("host_add"), (uintptr_t)host_add },
					     { elfmod_tiny_hash("host_note"), (uintptr_t)host_note } };
	struct elfmod_tiny_opts o;
	struct elfmod_tiny t;
	struct elfmod_tiny_info in;
	FILE *f;
	size_t len;
	int rc, (*run)(int), local = argc == 3 && !strcmp(argv[2], "local");
	uint32_t digest = 0;
	void *ro, *rw;

	if (argc < 2 || argc > 3 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: tiny_run MODULE.emod [local]\n");
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ro = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rw = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED || rw == MAP_FAILED)
		return 1;
	/* Off a page boundary where the module allows it: placed only as aligned as the
	 * header asks, as on a small device. */
	if (elfmod_tiny_info(buf, len, &in)) {
		fprintf(stderr, "tiny_run: %s: bad header\n", argv[1]);
		return 1;
	}
	/* Aligned as asked (up to 64 KiB), then off by that alignment where it is below a
	 * page. */
	memset(&o, 0, sizeof(o));
	o.ro = (uint8_t *)(((uintptr_t)ro + in.ro_align - 1) & ~(uintptr_t)(in.ro_align - 1)) +
	       (in.ro_align < 4096 ? in.ro_align : 0);
	o.ro_cap = sizeof(buf);
	o.rw = (uint8_t *)(((uintptr_t)rw + in.rw_align - 1) & ~(uintptr_t)(in.rw_align - 1)) +
	       (in.rw_align < 4096 ? in.rw_align : 0);
	o.rw_cap = sizeof(buf);
	o.imports = imp;
	o.nimports = 2;
	rc = elfmod_tiny_load(buf, len, &o, &t);
	if (rc) {
		fprintf(stderr, "tiny_run: %s: refused, error %d\n", argv[1], rc);
		return 1;
	}
	__builtin___clear_cache((char *)o.ro, (char *)o.ro + t.ro_size);
	if (mprotect(ro, map, PROT_READ | PROT_EXEC))
		return 1;
	if (local) {
		*(void **)&run = elfmod_tiny_entry(&t, elfmod_tiny_hash("run_local"));
		if (!run)
			return 1;
		printf("mod_local:");
		for (int i = 0; i < 5; i++)
			printf(" %d", run(i));
		printf("\nmod_local: alignment %u, code at 0x%lx\n", (unsigned)in.ro_align, (unsigned long)t.ro);
		return 0;
	}
	*(void **)&run = elfmod_tiny_entry(&t, elfmod_tiny_hash("run"));
	if (!run)
		return 1;
	for (int i = 0; i < 20; i++)
		digest = digest * 31 + (uint32_t)run(i);
	printf("mod_basic: 20 calls, digest 0x%08x\nmod_basic: notes %s\n", digest, notes);
	printf("mod_basic: code at page offset 0x%x, data at page offset 0x%x\n",
	       (unsigned)(t.ro & 4095), (unsigned)(t.rw & 4095));
	return 0;
}
