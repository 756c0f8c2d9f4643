/* A host program playing a firmware that offers services (services.h) to packed modules:
 *   services_fw MODULE.emod...
 * loads each module with the tiny loader, giving it one import (svc_call), and calls its
 * module_main. Built twice from this file: SVC_API=1 (firmware 1.4) and SVC_API=2
 * (firmware 2.0, one more service and two more fields); both load the same .emod files. */
#define _DEFAULT_SOURCE
#include "services.h"
#include "elfmod_tiny.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#if SVC_API >= 2
#define FW_MAJOR 2
#define FW_MINOR 0
#else
#define FW_MAJOR 1
#define FW_MINOR 4
#endif

/* Bytes up to the end of `field`: a block this short is still complete as of the
 * revision that added the field. */
#define END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define HAS(p, type, field) ((p)->size >= END(type, field))

#define NSETTINGS 8
#define KEYMAX 16

static struct {
	char key[KEYMAX];
	int32_t value;
} settings[NSETTINGS];
static uint32_t clock_ms;

/* What the caller gave, or what this firmware knows: the smaller. */
static uint32_t filled(uint32_t size, size_t known)
{
	return size < known ? size : (uint32_t)known;
}

static int setting_find(const char *key, int create)
{
	if (!key || strlen(key) >= KEYMAX)
		return SVC_EINVAL;
	for (int i = 0; i < NSETTINGS; i++)
		if (settings[i].key[0] && !strcmp(settings[i].key, key))
			return i;
	if (!create)
		return SVC_ENOENT;
	for (int i = 0; i < NSETTINGS; i++)
		if (!settings[i].key[0]) {
			strcpy(settings[i].key, key);
			return i;
		}
	return SVC_ENOSPC;
}

#if SVC_API >= 2
static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}
#endif

int svc_call(unsigned number, void *params)
{
	uint32_t *size = params;

	if (!params)
		return SVC_EINVAL;
	switch (number) {
	case SVC_VERSION: {
		struct svc_version *v = params;

		if (!HAS(v, struct svc_version, minor))
			return SVC_EINVAL;
		v->major = FW_MAJOR;
		v->minor = FW_MINOR;
#if SVC_API >= 2
		if (HAS(v, struct svc_version, api))
			v->api = SVC_API;
#endif
		*size = filled(*size, sizeof(*v));
		return SVC_OK;
	}
	case SVC_PRINT: {
		struct svc_print *p = params;

		if (!HAS(p, struct svc_print, text) || !p->text)
			return SVC_EINVAL;
		printf("  | %s\n", p->text);
		*size = filled(*size, sizeof(*p));
		return SVC_OK;
	}
	case SVC_CLOCK: {
		struct svc_clock *c = params;

		if (!HAS(c, struct svc_clock, ms))
			return SVC_EINVAL;
		/* A simulated clock: 10 ms per reading, so the transcript is repeatable. */
		clock_ms += 10;
		c->ms = clock_ms;
#if SVC_API >= 2
		if (HAS(c, struct svc_clock, resolution_ms))
			c->resolution_ms = 10;
#endif
		*size = filled(*size, sizeof(*c));
		return SVC_OK;
	}
	case SVC_SETTING_GET:
	case SVC_SETTING_SET: {
		struct svc_setting *s = params;
		int i;

		if (!HAS(s, struct svc_setting, value))
			return SVC_EINVAL;
		i = setting_find(s->key, number == SVC_SETTING_SET);
		if (i < 0)
			return i;
		if (number == SVC_SETTING_SET)
			settings[i].value = s->value;
		else
			s->value = settings[i].value;
		*size = filled(*size, sizeof(*s));
		return SVC_OK;
	}
#if SVC_API >= 2
	case SVC_CRC32: {
		struct svc_crc32 *c = params;

		if (!HAS(c, struct svc_crc32, crc) || (!c->data && c->len))
			return SVC_EINVAL;
		c->crc = crc32(c->data, c->len);
		*size = filled(*size, sizeof(*c));
		return SVC_OK;
	}
#endif
	default:
		return SVC_ENOSYS;
	}
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
