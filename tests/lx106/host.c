/* Shared by both lx106 hosts: the export table, output helpers and the checks of what
 * each module computes. See host.h. */
#include <stddef.h>
#include <stdint.h>

#include "fw_api.h"
#include "host.h"

void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memset(void *d, int c, size_t n);
int __divsi3(int a, int b);
int __modsi3(int a, int b);
unsigned __udivsi3(unsigned a, unsigned b);
unsigned __umodsi3(unsigned a, unsigned b);
long long __muldi3(long long a, long long b);

/* ---- what modules may call ---- */

static fw_callback_fn callback;

void fw_print(const char *s)
{
	host_print(s);
}

void fw_register_callback(fw_callback_fn fn)
{
	callback = fn;
}

int fw_twice(int x)
{
	return 2 * x;
}

ELFMOD_EXPORT(fw_print);
ELFMOD_EXPORT(fw_register_callback);
ELFMOD_EXPORT(fw_twice);
/* GCC calls these on its own: a module gets them from the host (runtime.c, and
 * __modsi3 from libgcc). */
ELFMOD_EXPORT(memcpy);
ELFMOD_EXPORT(memset);
ELFMOD_EXPORT(__divsi3);
ELFMOD_EXPORT(__modsi3);
ELFMOD_EXPORT(__udivsi3);
ELFMOD_EXPORT(__umodsi3);
ELFMOD_EXPORT(__muldi3);

extern const struct elfmod_export __start_elfmod_exports[], __stop_elfmod_exports[];

static struct elfmod_export_index export_index[16];
static struct elfmod_exports exports;

void host_exports_init(struct elfmod_registry *reg)
{
	uint32_t n = (uint32_t)(__stop_elfmod_exports - __start_elfmod_exports), dup = 0;

	host_check(n > 0 && n <= sizeof(export_index) / sizeof(export_index[0]), 1, "export table size");
	host_check(elfmod_exports_init(&exports, __start_elfmod_exports, n, export_index, &dup) == 0, 1,
		   "elfmod_exports_init");
	elfmod_registry_init(reg);
	host_check(elfmod_registry_add_exports(reg, &exports) == 0, 1, "elfmod_registry_add_exports");
	host_put_hex("host: exports ", n);
	host_print("\n");
}

/* ---- output ---- */

void host_put_hex(const char *label, uint32_t v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
	b[10] = 0;
	host_print(label);
	host_print(b);
}

void host_check(int ok, uint32_t code, const char *what)
{
	if (ok)
		return;
	host_print("host: FAIL ");
	host_print(what);
	host_put_hex(" (exit ", code);
	host_print(")\n");
	host_exit(code);
}

void host_print_diag(const char *what, int rc, const struct elfmod_diag *d)
{
	char msg[200];

	elfmod_diag_format(d, msg, sizeof(msg));
	host_print(what);
	host_print(msg);
	host_put_hex(" (rc ", (uint32_t)rc);
	host_print(")\n");
}

int host_contains(const char *s, const char *needle)
{
	for (; *s; s++) {
		size_t i = 0;
		while (needle[i] && s[i] == needle[i])
			i++;
		if (!needle[i])
			return 1;
	}
	return !*needle;
}

void *host_sym(const struct elfmod_module *m, const char *name, uint32_t code)
{
	void *p = elfmod_sym(m, name);

	if (!p) {
		host_print("host: FAIL missing symbol ");
		host_print(name);
		host_print("\n");
		host_exit(code);
	}
	return p;
}

void host_unload(struct elfmod_module *m, uint32_t code)
{
	int rc = elfmod_unload(m);

	if (rc) {
		host_put_hex("host: FAIL unload, rc ", (uint32_t)rc);
		host_print("\n");
		host_exit(code);
	}
}

/* ---- the modules' results ---- */

typedef int (*int_fn_int)(int);
typedef int (*int_fn_void)(void);
typedef int (*int_fn_uint)(unsigned);
typedef int (*int_fn_uint_int)(unsigned, int);
typedef int (*int_fn_int_int)(int, int);
typedef unsigned (*uint_fn_uint_uint)(unsigned, unsigned);
typedef int64_t (*i64_fn_i64_i64)(int64_t, int64_t);
typedef uint32_t (*u32_fn_u32)(uint32_t);

static int in_region(const struct elfmod_module *m, int kind, const void *p)
{
	const struct elfmod_region *r = &m->region[kind];
	uintptr_t a = (uintptr_t)p;

	return r->size && a >= r->addr && a - r->addr < r->size;
}

static int lib_scale_expected(int x, int bias)
{
	static const short table[8] = { 3, -1, 4, -1, 5, -9, 2, -6 };
	return x * 3 + bias + table[x & 7];
}

/* lib.c's switch, case by case. */
static int lib_classify_expected(unsigned x, int bias, int calls)
{
	static const int plain[9] = { 11, 23, 35, 47, 59, 61, 73, 85, 97 };

	if (x > 8)
		return -1;
	return plain[x] + (x == 4 ? bias : 0) + (x == 6 ? calls : 0);
}

void host_check_lib(const struct elfmod_module *lib, uint32_t base)
{
	int_fn_int scale = (int_fn_int)host_sym(lib, "lib_scale", base);
	int_fn_void calls = (int_fn_void)host_sym(lib, "lib_calls", base);
	int_fn_uint classify = (int_fn_uint)host_sym(lib, "lib_classify", base);
	const char *name = host_sym(lib, "lib_name", base);
	int *bias = host_sym(lib, "lib_bias", base);
	int before;

	host_check(*bias == 7 && in_region(lib, ELFMOD_KIND_DATA, bias), base + 1, "lib_bias (.data)");
	host_check(name[0] == 'l' && name[6] == '1' && name[7] == 0 &&
			   in_region(lib, ELFMOD_KIND_RODATA, name),
		   base + 1, "lib_name (.rodata)");
	host_check(in_region(lib, ELFMOD_KIND_TEXT, (const void *)scale), base + 1,
		   "lib_scale is not in the text region");
	before = calls();
	host_check(scale(3) == lib_scale_expected(3, 7) && scale(-4) == lib_scale_expected(-4, 7), base + 2,
		   "lib_scale (literal pool, CALL0 inside the module)");
	host_check(calls() == before + 2, base + 3, "lib_calls (.bss)");
	for (unsigned x = 0; x < 12; x++)
		host_check(classify(x) == lib_classify_expected(x, 7, calls()), base + 4,
			   "lib_classify (switch table in .rodata)");
	host_check(elfmod_sym(lib, "lib_private") == NULL, base + 5, "an unmarked symbol was exported");
	host_print("host: lib checks passed\n");
}

void host_check_app(struct elfmod_module *app, const struct elfmod_module *lib,
		    struct elfmod_registry *reg, uint32_t base)
{
	int_fn_void start = (int_fn_void)host_sym(app, "app_start", base);
	int_fn_uint_int apply = (int_fn_uint_int)host_sym(app, "app_apply", base);
	int_fn_void counter = (int_fn_void)host_sym(app, "app_counter", base);
	int_fn_int_int div = (int_fn_int_int)host_sym(app, "app_div", base);
	uint_fn_uint_uint udiv = (uint_fn_uint_uint)host_sym(app, "app_udiv", base);
	uint_fn_uint_uint umod = (uint_fn_uint_uint)host_sym(app, "app_umod", base);
	i64_fn_i64_i64 mul64 = (i64_fn_i64_i64)host_sym(app, "app_mul64", base);
	int_fn_int tail = (int_fn_int)host_sym(app, "app_tail", base);
	int_fn_int fw_tail = (int_fn_int)host_sym(app, "app_fw_tail", base);
	int_fn_void lib_calls = (int_fn_void)host_sym(app, "app_lib_calls", base);
	int_fn_void classify_sum = (int_fn_void)host_sym(app, "app_classify_sum", base);
	int_fn_void lib_calls_direct = (int_fn_void)host_sym(lib, "lib_calls", base);
	int *seed = host_sym(app, "app_seed", base);
	const struct elfmod_module *who = NULL;
	const char *what = NULL;
	uint64_t off = 1;
	int before, sum;

	host_check(*seed == 1234, base + 1, "app_seed: .data not loaded");
	callback = NULL;
	host_check(start() == 0xc0de, base + 2, "constructor did not run (app_start)");
	host_check(callback != NULL, base + 3, "the module registered no callback");
	host_check(counter() == 7, base + 3, ".bss not zero (app_counter)");
	callback(5);
	callback(-2);
	host_check(counter() == 10, base + 3, "callback into the module (app_counter)");
	host_check(apply(0, 21) == 42 + 1234, base + 4, "function pointer to a local function (dbl)");
	*seed = 0;
	host_check(apply(0, 21) == 42, base + 4, "module data written by the host (dbl)");
	host_check(apply(1, 9) == -9, base + 4, "function pointer (neg)");
	before = lib_calls_direct();
	host_check(apply(2, 5) == lib_scale_expected(5, 7), base + 5, "function pointer to an import (lib_scale)");
	host_check(apply(3, 11) == 22, base + 5, "function pointer to the host (fw_twice)");
	host_check(apply(4, 0) == -1, base + 5, "app_apply bounds");
	host_check(div(-91, 7) == -13 && div(91, -7) == -13 && div(-7, -2) == 3, base + 6,
		   "signed division through the host's __divsi3 (app_div)");
	host_check(udiv(4000000000u, 7) == 571428571u && umod(4000000000u, 7) == 3, base + 6,
		   "unsigned division through __udivsi3/__umodsi3 (app_udiv, app_umod)");
	host_check(mul64(0x123456789ll, -1000) == -4886718345000ll &&
			   (uint64_t)mul64((1ll << 40) + 3, (1 << 20) + 5) == 0x100005000030000full,
		   base + 6, "64-bit multiply through the host's __muldi3 (app_mul64)");
	host_check(tail(10) == lib_scale_expected(11, 7), base + 7, "tail call into lib (app_tail)");
	host_check(fw_tail(20) == 42, base + 7, "tail call into the host (app_fw_tail)");
	host_check(lib_calls() == before + 2 && lib_calls_direct() == before + 2, base + 8,
		   "lib's .bss counter seen through app");
	sum = 0;
	for (unsigned x = 0; x < 10; x++)
		sum += lib_classify_expected(x, 7, lib_calls_direct());
	host_check(classify_sum() == sum, base + 8, "lib's switch table called from app");
	host_check(elfmod_addr_lookup(reg, (uintptr_t)counter, &who, &what, &off) == 0 && who == app &&
			   what && off == 0,
		   base + 9, "elfmod_addr_lookup(app_counter)");
	host_print("host: app checks passed\n");
}

/* tsl.c's mixer, from its initial state. */
static uint32_t tsl_state = 0x9e3779b9u;

static uint32_t tsl_mix_expected(uint32_t x)
{
	x ^= 0xdeadbeefu;
	x = (x << 7 | x >> 25) + 0x01234567u;
	x ^= tsl_state;
	tsl_state = x + 0x76543210u;
	return x;
}

void host_check_tsl(const struct elfmod_module *tsl, uint32_t base)
{
	u32_fn_u32 mix = (u32_fn_u32)host_sym(tsl, "tsl_mix", base);
	int_fn_int run = (int_fn_int)host_sym(tsl, "tsl_run", base);
	const char *(*msg)(void) = (const char *(*)(void))host_sym(tsl, "tsl_msg", base);

	uint32_t x = 1;

	tsl_state = 0x9e3779b9u;
	for (int i = 0; i < 16; i++, x = x * 5 + 3)
		host_check(mix(x) == tsl_mix_expected(x), base + 1, "tsl_mix (literals inside .text)");
	host_check(run(6) == 2 * lib_scale_expected(6, 7) + 100000, base + 2,
		   "tsl_run (imports from .text literals)");
	host_check(in_region(tsl, ELFMOD_KIND_RODATA, msg()) && msg()[0] == 't', base + 3,
		   "tsl_msg: the address of .rodata");
	host_print("host: tsl checks passed\n");
}

void host_check_dbg(const struct elfmod_module *dbg, uint32_t base)
{
	int (*sum)(const int *, unsigned) = (int (*)(const int *, unsigned))host_sym(dbg, "dbg_sum", base);
	int_fn_int pick = (int_fn_int)host_sym(dbg, "dbg_pick", base);
	static const int v[5] = { 4, -3, 10, 1, 7 };

	host_check(sum(v, 5) == 4 - 6 + 30 + 4 + 35 && sum(v, 0) == 0, base + 1, "dbg_sum");
	host_check(pick(2) == 16 + 13 + 1 && pick(7) == 42 + 34 + 2 && pick(4) == 2 + 2 + 3, base + 2,
		   "dbg_pick (.rodata table, .bss counter, import)");
	host_print("host: dbg checks passed\n");
}

void host_check_far_refused(int rc, const struct elfmod_diag *d, uint32_t code)
{
	char msg[200];

	host_check(rc != 0, code, "far.o was accepted: its CALL0 to the host cannot reach");
	host_print_diag("host: far.o refused: ", rc, d);
	host_check(rc == ELFMOD_EREACH, code + 1, "far.o refused with the wrong error (want EREACH)");
	elfmod_diag_format(d, msg, sizeof(msg));
	host_check(host_contains(msg, "-mlongcalls") && host_contains(msg, "fw_twice"), code + 2,
		   "far.o's message does not name fw_twice and -mlongcalls");
}

void host_check_bad_refused(int rc, const struct elfmod_diag *d, uint32_t code)
{
	host_check(rc != 0, code, "bad.o was accepted");
	host_print_diag("host: bad.o refused: ", rc, d);
	host_check(rc == ELFMOD_EUNDEF, code + 1, "bad.o refused with the wrong error (want EUNDEF)");
	host_check(host_contains(d->name, "fw_not_exported"), code + 2,
		   "bad.o's diagnostic does not name fw_not_exported");
}
