/* `make demo`: load a program the way a bootloader would, then a module the way a
 * firmware would; report what went where; run both. */
#define _POSIX_C_SOURCE 200809L
#include "elfmod.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

struct services {
	int (*printf)(const char *fmt, ...);
};

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static const char *perm(uint32_t f)
{
	static const char *const p[] = { "---", "--x", "-w-", "-wx", "r--", "r-x", "rw-", "rwx" };
	return p[f & 7]; /* PF_R/PF_W/PF_X are 4/2/1, the table's order */
}

/* What the "firmware" offers modules: collected at link time by ELFMOD_EXPORT. */
void host_log(const char *fmt, ...);
unsigned host_ticks(void);

void host_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

unsigned host_ticks(void)
{
	static unsigned t;
	return t += 7;
}

ELFMOD_EXPORT(host_log);
ELFMOD_EXPORT(host_ticks);
extern const struct elfmod_export __start_elfmod_exports[], __stop_elfmod_exports[];

/* Part two: a firmware loading a relocatable module, linking it against its exports. */
static int module_demo(const char *path)
{
	static const char *const kinds[] = { "text", "rodata", "data" };
	static const char *const perms[] = { "r-x", "r--", "rw-" };
	struct elfmod_export_index idx[8];
	struct elfmod_exports host;
	struct elfmod_registry reg;
	struct elfmod_allocator mem;
	struct elfmod_posix_file f;
	struct elfmod_load_opts o = { 0 };
	struct elfmod_module m;
	struct elfmod_diag d;
	int (*run)(int);
	char msg[200];
	double t0, t1;
	int rc = 1;

	printf("elfmod demo: loading module %s\n", path);
	elfmod_posix_allocator(&mem);
	elfmod_registry_init(&reg);
	if (elfmod_exports_init(&host, __start_elfmod_exports,
				(uint32_t)(__stop_elfmod_exports - __start_elfmod_exports), idx, NULL) ||
	    elfmod_registry_add_exports(&reg, &host) || elfmod_posix_file_open(&f, path, 0))
		return 1;
	o.name = path;
	o.mem = &mem;
	o.reg = &reg;
	t0 = now_us();
	rc = elfmod_load(&m, &f.src, &o, &d);
	t1 = now_us();
	if (rc) {
		elfmod_diag_format(&d, msg, sizeof(msg));
		fprintf(stderr, "elfmod: %s: %s\n", path, msg);
		elfmod_posix_file_close(&f);
		return 1;
	}
	printf("  %-8s %-18s %10s  %s\n", "region", "address", "bytes", "perm");
	for (int k = 0; k < 3; k++)
		if (m.region[k].size)
			printf("  %-8s 0x%016llx %10llu  %s\n", kinds[k], (unsigned long long)m.region[k].addr,
			       (unsigned long long)m.region[k].size, perms[k]);
	printf("  %llu bytes from the file in %llu reads, %u GOT slots, %u call stubs, %u export(s)\n",
	       (unsigned long long)m.bytes_loaded, (unsigned long long)f.reads, m.got_slots, m.stubs,
	       m.exports.count);
	printf("  loaded, linked and relocated in %.1f us\n", t1 - t0);
	elfmod_posix_file_close(&f);

	run = (int (*)(int))elfmod_sym(&m, "plugin_run");
	rc = run && run(1) == 2 && run(2) == 1 ? 0 : 1;
	if (elfmod_unload(&m))
		rc = 1;
	printf("  module unloaded\n");
	return rc;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : DEMO_APP;
	struct elfmod_posix_file f;
	struct elfmod_posix_exec ex;
	struct elfmod_diag d;
	struct elfmod_elf elf;
	struct elfmod_phdr p;
	struct services sv = { printf };
	char msg[200];
	double t0, t1;
	int rc;

	printf("elfmod demo: loading %s\n", path);
	if (elfmod_posix_file_open(&f, path, 0)) {
		fprintf(stderr, "elfmod: %s: cannot open\n", path);
		return 1;
	}
	t0 = now_us();
	rc = elfmod_posix_exec_load(&f.src, &ex, &d);
	t1 = now_us();
	if (rc) {
		elfmod_diag_format(&d, msg, sizeof(msg));
		fprintf(stderr, "elfmod: %s: %s\n", path, msg);
		return 1;
	}
	/* The report: every segment, where it went and how it was filled. */
	if (elfmod_elf_open(&elf, &f.src, &d) == 0) {
		printf("  %-8s %-18s %10s %10s  %s\n", "segment", "address", "file", "memory", "perm");
		for (uint32_t i = 0; i < elf.phnum; i++) {
			if (elfmod_elf_phdr(&elf, i, &p) || p.type != ELFMOD_PT_LOAD)
				continue;
			printf("  %-8u 0x%016llx %10llu %10llu  %s\n", i, (unsigned long long)p.vaddr,
			       (unsigned long long)p.filesz, (unsigned long long)p.memsz, perm(p.flags));
		}
	}
	printf("  %u segments, %llu bytes copied, %llu bytes zeroed, %llu reads from the file\n",
	       ex.info.segments, (unsigned long long)ex.info.copied, (unsigned long long)ex.info.zeroed,
	       (unsigned long long)f.reads);
	printf("  loaded in %.1f us; entry point 0x%llx\n", t1 - t0, (unsigned long long)ex.info.entry);
	elfmod_posix_file_close(&f);

	t0 = now_us();
	rc = ((int (*)(const struct services *))(uintptr_t)ex.info.entry)(&sv);
	t1 = now_us();
	printf("  entry returned %d after %.1f us\n", rc, t1 - t0);
	elfmod_posix_exec_unload(&ex);
	if (rc == 0 && argc <= 1)
		rc = module_demo(DEMO_PLUGIN);
	printf(rc == 0 ? "elfmod demo: ok\n" : "elfmod demo: FAILED\n");
	return rc;
}
