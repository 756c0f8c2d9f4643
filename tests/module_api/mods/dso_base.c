/* A shared object for the ET_DYN failure paths and malformed-input tests (soname set by
 * the link). One source, linked several ways (CMakeLists.txt): -nostdlib, against the C
 * library, with DT_RELR. It has what a load must get right and undo: data holding local
 * addresses (RELATIVE or DT_RELR), const tables of addresses (RELRO), .bss, an import
 * from the host table (record), an indirect function called through the PLT and
 * reached through data (IRELATIVE), DT_INIT/DT_FINI and init/fini arrays; each
 * initialiser calls record(), so a failed load must be seen to run none of them. */
void record(int what);
int host_twice(int x);

int base_counter = 40;
int base_zero[300];

static int inc(int v) { return v + 1; }
static int dec(int v) { return v - 1; }
int (*base_ops[2])(int) = { inc, dec };
static const char *const base_words[] = { "zero", "one", "two" };

static int slow(void) { return 1; }
static int fast(void) { return 2; }
static int (*choose(void))(void) { return base_counter > 0 ? fast : slow; }
int base_pick(void) __attribute__((ifunc("choose")));
int (*base_pick_ptr)(void) = base_pick;

#ifdef DSO_LIBC
#include <string.h>
static int words_len(void) { return (int)strlen(base_words[2]); }
#else
static int words_len(void) { return base_words[2][0] == 't' ? 3 : 0; }
#endif

void base_init(void);
void base_init(void) { record(base_zero[7] == 0 ? 10 : 99); }
void base_fini(void);
void base_fini(void) { record(-10); }
__attribute__((constructor)) static void base_ctor(void) { record(11); }
__attribute__((destructor)) static void base_dtor(void) { record(-11); }

void base_record(int what);
void base_record(int what) { record(what); }

int base_value(int v);
int base_value(int v)
{
	return base_ops[0](host_twice(v)) + words_len() + base_pick() + base_pick_ptr();
}
