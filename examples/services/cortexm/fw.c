/* The services firmware (../services.h) on a Cortex-M3 (mps2-an385 under QEMU): the same
 * numbered services as the host program ../fw.c, the same packed modules built for
 * Thumb-2, and the same transcript. The modules sit in a partition in this firmware's
 * flash (modules.S); QEMU's -append names the ones to run, in order, like the host
 * program's command line. Each is loaded by the tiny loader with the one import
 * svc_call and its module_main called. The services are the host program's
 * (../services_impl.h). Built twice, SVC_API=1 (firmware 1.4) and SVC_API=2 (firmware
 * 2.0). Output goes through semihosting; the exit status is 0 when every module ran. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod_tiny.h"
#include "semihost.h"
#include "services.h"
#include "services_impl.h"

int fw_main(void);

/* ---- console ---- */

static void print_int(long v)
{
	char d[24];
	int i = 23;
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;

	d[i] = 0;
	do
		d[--i] = (char)('0' + u % 10);
	while ((u /= 10) && i > 1);
	if (v < 0)
		d[--i] = '-';
	sh_print(d + i);
}

static void print_fw(void)
{
	sh_print("firmware ");
	print_int(FW_MAJOR);
	sh_print(".");
	print_int(FW_MINOR);
	sh_print(": ");
}

/* ---- the services (../services_impl.h) ---- */

/* The console of SVC_PRINT: semihosting. */
static void fw_console(const char *s)
{
	sh_print(s);
}

/* ---- the modules partition (modules.S) ---- */

extern const uint8_t mod_counter_start[], mod_counter_end[];
extern const uint8_t mod_checker_start[], mod_checker_end[];

static const struct {
	const char *name;
	const uint8_t *start, *end;
} partition[] = {
	{ "counter.emod", mod_counter_start, mod_counter_end },
	{ "checker.emod", mod_checker_start, mod_checker_end },
};

/* ---- running a module ---- */

/* RAM for the module being run, used again by the next one. Code runs from code_ram:
 * the RO block when fix-ups write into it, and the RW block of a module packed as one
 * block (its code reaches its data PC-relatively). No MPU is set up here, so all RAM
 * executes; a firmware that marks RAM execute-never leaves code_ram executable. */
static uint8_t code_ram[8192] __attribute__((aligned(64)));
static uint8_t data_ram[4096] __attribute__((aligned(64)));

static void *aligned_in(uint8_t *mem, size_t cap, size_t at, uint32_t align, size_t size)
{
	uintptr_t p = ((uintptr_t)mem + at + align - 1) & ~(uintptr_t)(align - 1);

	return p - (uintptr_t)mem <= cap && cap - (p - (uintptr_t)mem) >= size ? (void *)p : NULL;
}

static int run_module(const char *name, size_t name_len)
{
	/* The whole import table, the same for every firmware version. */
	const struct elfmod_tiny_import imp[1] = { { elfmod_tiny_hash("svc_call"), (uintptr_t)svc_call } };
	const uint8_t *buf = NULL;
	size_t len = 0, code_used = 0, k;
	struct elfmod_tiny_info in;
	struct elfmod_tiny_opts o = { 0 };
	struct elfmod_tiny t;
	int rc, copy_ro, (*entry)(void);

	for (k = 0; k < sizeof(partition) / sizeof(partition[0]); k++) {
		const char *p = partition[k].name;
		size_t n = 0;
		while (n < name_len && p[n] == name[n])
			n++;
		if (n == name_len && !p[n]) {
			buf = partition[k].start;
			len = (size_t)(partition[k].end - partition[k].start);
			break;
		}
	}
	if (!buf) {
		sh_print("services_fw: no module by that name in the partition\n");
		return 1;
	}
	name = partition[k].name;
	if ((rc = elfmod_tiny_info(buf, len, &in))) {
		sh_print("services_fw: bad header\n");
		return 1;
	}
	o.machine = 40; /* EM_ARM */
	/* In place from flash when nothing writes into the RO block and it sits aligned. */
	copy_ro = in.ro_size && (in.ro_fixups || ((uintptr_t)(buf + 64) & (in.ro_align - 1)));
	if (copy_ro) {
		o.ro = aligned_in(code_ram, sizeof(code_ram), 0, in.ro_align, in.ro_size);
		o.ro_cap = in.ro_size;
		code_used = o.ro ? (size_t)((uint8_t *)o.ro - code_ram) + in.ro_size : 0;
	}
	o.rw_cap = (size_t)in.data_size + in.bss_size;
	o.rw = in.rw_exec ? aligned_in(code_ram, sizeof(code_ram), code_used, in.rw_align, o.rw_cap)
			  : aligned_in(data_ram, sizeof(data_ram), 0, in.rw_align, o.rw_cap);
	if ((copy_ro && !o.ro) || (o.rw_cap && !o.rw)) {
		sh_print("services_fw: module too large for this firmware\n");
		return 1;
	}
	o.imports = imp;
	o.nimports = 1;
	if ((rc = elfmod_tiny_load(buf, len, &o, &t))) {
		sh_print("services_fw: module refused\n");
		return 1;
	}
	/* Code written through the data side must be seen by instruction fetch. */
	__asm__ volatile("dsb\n\tisb" ::: "memory");
	entry = (int (*)(void))elfmod_tiny_entry(&t, elfmod_tiny_hash("module_main"));
	if (!entry) {
		sh_print("services_fw: no module_main\n");
		return 1;
	}
	print_fw();
	sh_print("running ");
	sh_print(name);
	sh_print("\n");
	rc = entry();
	print_fw();
	sh_print(name);
	sh_print(" returned ");
	print_int(rc);
	sh_print("\n");
	return 0;
}

int fw_main(void)
{
	static char cmdline[256];
	char *p = cmdline;
	int runs = 0;

	if (sh_cmdline(cmdline, sizeof(cmdline)))
		cmdline[0] = 0;
	while (*p && *p != ' ')
		p++; /* the image's name */
	for (;;) {
		char *name;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		name = p;
		while (*p && *p != ' ')
			p++;
		if (run_module(name, (size_t)(p - name)))
			return 1;
		runs++;
	}
	if (!runs) {
		sh_print("usage: qemu-system-arm ... -kernel services_fw.elf -append 'MODULE.emod...'\n");
		return 2;
	}
	return 0;
}
