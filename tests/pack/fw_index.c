/* fw_index MODULE.emod [nofp|badfp]: a host "firmware" whose export table comes from
 * `elfmod exports --tiny` (built in a second pass with the generated exports.c, the
 * first pass with -DFIRST_PASS), loading mod_basic packed with `elfmod pack --exports`:
 * imports named by position in that table. Prints the digest of 20 calls and the host
 * calls, or the loader's error code when it refuses. nofp: no fingerprint given;
 * badfp: another one. */
#define _DEFAULT_SOURCE
#include "elfmod_tiny.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef FIRST_PASS
#include "exports.h"
#endif

static char notes[1024];

/* Exported: non-static, matched by the --allow patterns. */
int host_add(int a, int b);
void host_note(const char *s);
int host_unused(int a);

int host_add(int a, int b)
{
	return a + 1000 * b;
}

void host_note(const char *s)
{
	strncat(notes, s, sizeof(notes) - strlen(notes) - 2);
	strcat(notes, ",");
}

int host_unused(int a)
{
	return -a;
}

int main(int argc, char **argv)
{
#ifdef FIRST_PASS
	(void)argc, (void)argv;
	return host_unused(0);
#else
	static uint8_t buf[1 << 16];
	struct elfmod_tiny_opts o;
	struct elfmod_tiny t;
	FILE *f;
	size_t len;
	int rc, (*run)(int);
	uint32_t digest = 0;
	uint8_t *mem;

	if (argc < 2 || !(f = fopen(argv[1], "rb")))
		return 2;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	mem = mmap(NULL, 1 << 17, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	memset(&o, 0, sizeof(o));
	o.ro = mem;
	o.ro_cap = 1 << 16;
	o.rw = mem + (1 << 16);
	o.rw_cap = 1 << 16;
	o.imports = elfmod_firmware_exports_tiny;
	o.nimports = sizeof(elfmod_firmware_exports_tiny) / sizeof(elfmod_firmware_exports_tiny[0]);
	o.fingerprint = ELFMOD_ABI_FINGERPRINT;
	if (argc > 2 && !strcmp(argv[2], "nofp"))
		o.fingerprint = 0;
	if (argc > 2 && !strcmp(argv[2], "badfp"))
		o.fingerprint ^= 1;
	rc = elfmod_tiny_load(buf, len, &o, &t);
	if (rc) {
		printf("fw_index: refused, error %d\n", rc);
		return 1;
	}
	*(void **)&run = elfmod_tiny_entry(&t, elfmod_tiny_hash("run"));
	if (!run)
		return 1;
	for (int i = 0; i < 20; i++)
		digest = digest * 31 + (uint32_t)run(i);
	printf("mod_basic: 20 calls, digest 0x%08x\nmod_basic: notes %s\n", digest, notes);
	return 0;
#endif
}
