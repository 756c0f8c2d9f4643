/* A host program playing a firmware that offers services (services.h) to packed modules:
 *   services_fw MODULE.emod...
 * loads each module with the tiny loader, giving it one import (svc_call), and calls its
 * module_main. The services are services_impl.h, shared with the Cortex-M3 firmware
 * (cortexm/fw.c). Built twice from this file: SVC_API=1 (firmware 1.4) and SVC_API=2
 * (firmware 2.0, one more service and two more fields); both load the same .emod files. */
#define _DEFAULT_SOURCE
#include "services.h"
#include "services_impl.h"
#include "elfmod_tiny.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* The console of SVC_PRINT: stdout. */
static void fw_console(const char *s)
{
	fputs(s, stdout);
}

static void *aligned(void *p, uint32_t align)
{
	return (void *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
}

static int run_module(const char *path)
{
	static uint8_t buf[1 << 16];
	const size_t map = 1 << 18;
	/* The whole import table, the same for every firmware version. */
	const struct elfmod_tiny_import imp[1] = { { elfmod_tiny_hash("svc_call"), (uintptr_t)svc_call } };
	struct elfmod_tiny_info in;
	struct elfmod_tiny_opts o;
	struct elfmod_tiny t;
	int rc = 1, (*entry)(void);
	void *ro = MAP_FAILED, *rw = MAP_FAILED;
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len;
	FILE *f;

	if (!(f = fopen(path, "rb"))) {
		fprintf(stderr, "services_fw: cannot open %s\n", path);
		return 1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	if (!feof(f)) {
		fprintf(stderr, "services_fw: %s: larger than %zu bytes\n", path, sizeof(buf));
		fclose(f);
		return 1;
	}
	fclose(f);
	if ((rc = elfmod_tiny_info(buf, len, &in))) {
		fprintf(stderr, "services_fw: %s: bad header, error %d\n", path, rc);
		return 1;
	}
	if (in.ro_align > 4096 || in.rw_align > 4096 || in.ro_size > map - 4096 ||
	    (uint64_t)in.data_size + in.bss_size > map - 4096) {
		fprintf(stderr, "services_fw: %s: too large for this firmware\n", path);
		return 1;
	}
	ro = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rw = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED || rw == MAP_FAILED)
		goto fail;
	memset(&o, 0, sizeof(o));
	o.machine = 62; /* EM_X86_64 */
	o.ro = aligned(ro, in.ro_align);
	o.ro_cap = map - 4096;
	o.rw = aligned(rw, in.rw_align);
	o.rw_cap = map - 4096;
	o.imports = imp;
	o.nimports = 1;
	rc = elfmod_tiny_load(buf, len, &o, &t);
	if (rc) {
		fprintf(stderr, "services_fw: %s: refused, error %d\n", path, rc);
		rc = 1;
		goto fail;
	}
	rc = 1;
	if (mprotect(ro, map, PROT_READ | PROT_EXEC))
		goto fail;
	*(void **)&entry = elfmod_tiny_entry(&t, elfmod_tiny_hash("module_main"));
	if (!entry) {
		fprintf(stderr, "services_fw: %s: no module_main\n", path);
		goto fail;
	}
	printf("firmware %d.%d: running %s\n", FW_MAJOR, FW_MINOR, name);
	printf("firmware %d.%d: %s returned %d\n", FW_MAJOR, FW_MINOR, name, entry());
	rc = 0;
fail:
	if (ro != MAP_FAILED)
		munmap(ro, map);
	if (rw != MAP_FAILED)
		munmap(rw, map);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: services_fw MODULE.emod...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (run_module(argv[i]))
			return 1;
	return 0;
}
