/* liba (soname libdyna.so): the library the others import from. Exercises exported
 * functions and data, a .data table of local function pointers (RELATIVE), pointers in
 * const tables (.data.rel.ro, made read-only by PT_GNU_RELRO), .bss, a weak undefined
 * import, and every kind of initialiser: DT_INIT/DT_FINI (-Wl,-init=a_init,-fini=a_fini)
 * and init_array/fini_array (constructor/destructor). */
#include "dyn.h"

int a_counter = 40;              /* .data, read and written by libb through its GOT */
const char a_name[] = "libdyna";
int a_zero[512];                 /* .bss: must be zero when the initialisers run */
static int a_log;                /* .bss: records the order the initialisers ran in */

static int twice(int v) { return 2 * v; }
static int square(int v) { return v * v; }
static int negate(int v) { return -v; }

/* Writable, so plain .data: each entry a RELATIVE relocation (or a DT_RELR bit). */
int (*a_ops[3])(int) = { twice, square, negate };

/* Const but holding addresses: .data.rel.ro, inside PT_GNU_RELRO. */
static const char *const a_words[] = { "zero", "one", "two", "three", "four" };
static const struct {
	const char *name;
	int (*fn)(int);
} a_named[] = { { "twice", twice }, { "square", square }, { "negate", negate } };

/* Defined nowhere: the loader must leave its address 0, not fail. */
extern void dyn_optional_hook(int) __attribute__((weak));

static int bss_clear(void)
{
	for (unsigned i = 0; i < sizeof(a_zero) / sizeof(a_zero[0]); i++)
		if (a_zero[i])
			return 0;
	return a_log == 0 || a_log == 1;
}

/* DT_INIT: before the init array (gABI order). */
void a_init(void);
void a_init(void)
{
	say("liba: DT_INIT, bss %s\n", bss_clear() ? "clear" : "DIRTY");
	a_log = a_log * 10 + 1;
}

__attribute__((constructor)) static void a_ctor(void)
{
	say("liba: init_array, counter %d\n", a_counter);
	a_log = a_log * 10 + 2;
	for (unsigned i = 0; i < sizeof(a_zero) / sizeof(a_zero[0]); i++)
		a_zero[i] = (int)i;
}

__attribute__((destructor)) static void a_dtor(void)
{
	say("liba: fini_array, counter %d\n", a_counter);
}

/* DT_FINI: after the fini array. */
void a_fini(void);
void a_fini(void)
{
	DYN_PUTS("liba: DT_FINI\n");
}

int a_apply(int op, int v)
{
	for (unsigned i = 0; i < sizeof(a_named) / sizeof(a_named[0]); i++)
		if (a_named[i].fn == a_ops[op])
			return a_named[i].fn(v);
	return -1000;
}

const char *a_word(int i)
{
	return i >= 0 && i < 5 ? a_words[i] : "?";
}

int a_bump(int by)
{
	a_counter += by;
	return a_counter;
}

int a_bss_sum(void)
{
	int s = 0;

	for (unsigned i = 0; i < sizeof(a_zero) / sizeof(a_zero[0]); i++)
		s += a_zero[i];
	return s;
}

int a_hook_present(void)
{
	if (dyn_optional_hook) {
		dyn_optional_hook(1);
		return 1;
	}
	return 0;
}

int a_init_log(void)
{
	return a_log;
}
