/* Bare-metal Cortex-M firmware that runs the modules of ../cortexm_modules packed
 * (`elfmod pack`) with the tiny loader alone: no elfmod core. The modules are the very
 * objects the ELF firmware (../cortexm_modules/fw.c) loads; this firmware offers the same
 * exports (fw_api.h, plus the functions compilers call), loads each module from the same
 * place (flash, or the host over semihosting as the "SD card"), calls it the way fw.c
 * does and prints the same lines, which compare.sh diffs against the ELF firmware's.
 *
 * Only modules whose imports are all firmware exports are here: lib.o from flash and
 * bad.o (an import nobody offers) from the host; the packer refuses the others that
 * qualify (CMakeLists.txt).
 * Every failed check prints "fw: FAIL ..." and exits with its own code; success exits
 * with EXIT_APP_OK. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod_tiny.h"
#include "fw_api.h"
#include "fw_check.h"
#include "fw_common.h"
#include "semihost.h"
#include "semihost_file.h"
#include "services.h"

#ifndef CODE_MEM
#define CODE_MEM 4096
#endif
#ifndef DATA_MEM
#define DATA_MEM 1024
#endif

int boot_main(void);

/* ---- what modules may call: fw.c's functions (fw_common.h) ---- */

/* The export table: fw.c's, by name hash (filled at boot: the hashes are computed). */
static struct elfmod_tiny_import imports[6];

static void exports_init(void)
{
	static const struct {
		const char *name;
		uintptr_t addr;
	} table[6] = {
		{ "fw_print", (uintptr_t)fw_print }, { "fw_register_callback", (uintptr_t)fw_register_callback },
		{ "fw_twice", (uintptr_t)fw_twice }, { "memcpy", (uintptr_t)memcpy },
		{ "memset", (uintptr_t)memset },     { "__aeabi_idiv", (uintptr_t)__aeabi_idiv },
	};

	for (size_t k = 0; k < 6; k++) {
		imports[k].hash = elfmod_tiny_hash(table[k].name);
		imports[k].addr = table[k].addr;
	}
}

/* ---- the packed modules in flash (modules.S) ---- */

extern const uint8_t mod_lib_start[], mod_lib_end[];

/* ---- module memory: two RAM pools, taken and given back like a stack ----
 * Code runs from code_mem: the RO block when it takes fix-ups, and the RW block of a
 * module packed as one block (rw_exec). No MPU is set up on these boards, so all RAM
 * executes; a firmware that marks RAM execute-never must give code_mem to the code. */

struct pool {
	uint8_t *mem;
	uint32_t size, used;
};

static uint8_t code_mem[CODE_MEM] __attribute__((aligned(8)));
static uint8_t data_mem[DATA_MEM] __attribute__((aligned(8)));
static struct pool code_pool = { code_mem, sizeof(code_mem), 0 };
static struct pool data_pool = { data_mem, sizeof(data_mem), 0 };

/* `size` bytes aligned to `align` (a power of two, elfmod_tiny_info's), or NULL when the
 * pool cannot hold them. */
static void *take(struct pool *p, uint32_t size, uint32_t align)
{
	uintptr_t base = (uintptr_t)p->mem, at = (base + p->used + align - 1) & ~(uintptr_t)(align - 1);

	if (at - base > p->size || p->size - (at - base) < size)
		return NULL;
	p->used = (uint32_t)(at - base + size);
	return (void *)at;
}

/* ---- loading ---- */

struct packed {
	struct elfmod_tiny t;
	uint32_t code_mark, data_mark;   /* pool levels before the load, for unloading */
	uint32_t rodata_off;             /* where the rodata starts in the RO block */
};

static void unload(struct packed *m)
{
	code_pool.used = m->code_mark;
	data_pool.used = m->data_mark;
}

/* Loads `len` bytes at `buf`: the RO block in place when nothing writes into it and it
 * sits aligned in `buf`, else in code_mem; the RW block in data_mem, or in code_mem when
 * it holds code. Memory is given back when the load is refused. */
static int load(struct packed *m, const char *name, const char *from, const uint8_t *buf, size_t len)
{
	struct elfmod_tiny_info info;
	struct elfmod_tiny_opts o = { 0 };
	int rc;

	m->code_mark = code_pool.used;
	m->data_mark = data_pool.used;
	o.machine = 40; /* EM_ARM */
	o.imports = imports;
	o.nimports = sizeof(imports) / sizeof(imports[0]);
	rc = elfmod_tiny_info(buf, len, &info);
	if (rc == 0 && info.ro_size &&
	    (info.ro_fixups || ((uintptr_t)(buf + 64) & (info.ro_align - 1)))) {
		o.ro_cap = info.ro_size;
		o.ro = take(&code_pool, info.ro_size, info.ro_align);
		if (!o.ro)
			rc = ELFMOD_TINY_ESPACE;
	}
	if (rc == 0 && info.data_size + info.bss_size) {
		o.rw_cap = info.data_size + info.bss_size;
		o.rw = take(info.rw_exec ? &code_pool : &data_pool, (uint32_t)o.rw_cap, info.rw_align);
		if (!o.rw)
			rc = ELFMOD_TINY_ESPACE;
	}
	if (rc == 0)
		rc = elfmod_tiny_load(buf, len, &o, &m->t);
	semihost_print("fw: ");
	semihost_print(name);
	if (rc) {
		unload(m);
		semihost_print(" from ");
		semihost_print(from);
		semihost_print(" refused\n");
		return rc;
	}
	/* The rodata ends the RO block (docs/format.md: rodata_size, header offset 56). */
	m->rodata_off = info.ro_size - (uint32_t)(buf[56] | buf[57] << 8 | buf[58] << 16 | (uint32_t)buf[59] << 24);
	/* Code written through the data side must be seen by instruction fetch. */
	__asm__ volatile("dsb\n\tisb" ::: "memory");
	semihost_print(" loaded from ");
	semihost_print(from);
	put_hex(": text ", (uint32_t)m->t.ro);
	put_hex(", data ", (uint32_t)m->t.rw);
	semihost_print(info.ro_size && !o.ro ? ", in place\n" : "\n");
	return 0;
}

/* The "SD card": a host file over semihosting, read whole into RAM and loaded from
 * there (the tiny loader reads a buffer, not a stream). */
static uint8_t sd_buf[1024] __attribute__((aligned(64)));

static int load_sd(struct packed *m, const char *name)
{
	int handle = semihost_open(name);
	uint32_t size;

	check(handle >= 0, 30, "cannot open a module on the host");
	size = semihost_flen(handle);
	check(size <= sizeof(sd_buf), 30, "a module on the host is larger than the buffer");
	check(semihost_read(handle, sd_buf, size) == 0, 30, "reading a module on the host");
	semihost_close(handle);
	return load(m, name, "sd", sd_buf, size);
}

static void *entry(const struct packed *m, const char *name, uint32_t code)
{
	return need_symbol(elfmod_tiny_entry(&m->t, elfmod_tiny_hash(name)), name, code);
}

/* ---- the checks, as fw.c makes them ---- */

typedef int (*int_fn_int)(int);

/* Whether the module's rodata (the end of its RO block) holds lib's unwind entry for
 * `fn`. */
static int exidx_covers(const struct packed *m, const void *fn)
{
	return m->rodata_off <= m->t.ro_size &&
	       exidx_covers_in((uint32_t)m->t.ro + m->rodata_off, m->t.ro_size - m->rodata_off, fn);
}

/* Whether the pools and the memory they hand out are untouched since `code`/`data`:
 * still holding `fill` from there on. */
static int pools_untouched(uint32_t code, uint32_t data, uint8_t fill)
{
	if (code_pool.used != code || data_pool.used != data)
		return 0;
	for (uint32_t k = code; k < code_pool.size; k++)
		if (code_mem[k] != fill)
			return 0;
	for (uint32_t k = data; k < data_pool.size; k++)
		if (data_mem[k] != fill)
			return 0;
	return 1;
}

int boot_main(void)
{
	static struct packed lib, bad;
	uint32_t code_used, data_used;
	int rc;

	semihost_print("fw: " FW_CORE " up, tiny loader\n");
	exports_init();
	put_hex("fw: firmware exports ", sizeof(imports) / sizeof(imports[0]));
	semihost_print("\n");

	/* The steps of fw.c that involve these modules, numbered as there. 1. The base
	 * module from the flash partition. */
	rc = load(&lib, "lib.emod", "flash", mod_lib_start, (size_t)(mod_lib_end - mod_lib_start));
	if (rc) {
		put_hex("fw: lib.emod: tiny loader error ", (uint32_t)rc);
		semihost_print("\n");
	}
	check(rc == 0, 10, "loading lib.emod from flash");
	{
		int_fn_int scale = (int_fn_int)entry(&lib, "lib_scale", 11);
		const char *name = entry(&lib, "lib_name", 11);
		check(((uintptr_t)scale & 1) == 1, 11, "lib_scale is not a Thumb address");
		check(scale(3) == lib_scale_expected(3) && scale(-4) == lib_scale_expected(-4), 11,
		      "lib_scale");
		check(name[0] == 'l' && name[6] == '1' && name[7] == 0, 11, "lib_name (.rodata)");
		check(elfmod_tiny_entry(&lib.t, elfmod_tiny_hash("lib_private")) == NULL, 12,
		      "an unmarked symbol was exported");
		check(exidx_covers(&lib, scale) && exidx_covers(&lib, entry(&lib, "lib_calls", 13)), 13,
		      ".ARM.exidx does not point at lib's functions (R_ARM_PREL31)");
		check(((int (*)(void))entry(&lib, "lib_calls", 13))() == 2, 13, "lib's .bss counter");
		semihost_print("fw: lib checks passed\n");
	}

	/* 4. A module with an import nobody offers, from the host: refused before anything
	 * is written, the missing import named by its hash. */
	code_used = code_pool.used;
	data_used = data_pool.used;
	memset(code_mem + code_used, 0xa5, code_pool.size - code_used);
	memset(data_mem + data_used, 0xa5, data_pool.size - data_used);
	rc = load_sd(&bad, "bad.emod");
	check(rc != 0, 70, "bad.emod was accepted");
	check(rc == ELFMOD_TINY_EUNDEF && bad.t.missing == elfmod_tiny_hash("fw_not_exported"), 70,
	      "bad.emod refused with the wrong error or import");
	put_hex("fw: bad.emod refused: symbol 'fw_not_exported': import: unresolved symbol (tiny rc ",
		(uint32_t)rc);
	semihost_print(")\n");
	check(pools_untouched(code_used, data_used, 0xa5), 71, "a refused load wrote or kept memory");

	/* 6. Unload everything. */
	unload(&lib);
	put_hex("fw: pool bytes after unload ", code_pool.used + data_pool.used);
	semihost_print("\n");
	check(code_pool.used == 0 && data_pool.used == 0, 92, "the pools are not empty after unloading");
	semihost_print("fw: all packed module checks passed\n");
	semihost_exit(EXIT_APP_OK);
}
