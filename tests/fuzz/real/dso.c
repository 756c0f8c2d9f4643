/* Source of the ET_DYN seeds (dyn-*.elf, see README.md): a -nostdlib shared object or
 * PIE with what src/dynamic.c walks - local addresses in data (RELATIVE or DT_RELR), a
 * const table of addresses (RELRO), exported functions and data, imports of a function
 * and of data (GLOB_DAT / JUMP_SLOT, or the MIPS GOT), a weak import, .bss and an init
 * array. */
/* Names fuzz_module.c's export table has, so that the seeds load. */
extern int puts(const char *s);
extern int stdout;
extern void ext_hook(int) __attribute__((weak));

int dso_value = 7;
int dso_bss[16];
static int twice(int v) { return 2 * v; }
static int negate(int v) { return -v; }
int (*dso_ops[2])(int) = { twice, negate };
static const char *const dso_words[] = { "one", "two" };

__attribute__((constructor)) static void dso_ctor(void) { dso_bss[0] = dso_value; }

int dso_call(int op, int v);
int dso_call(int op, int v)
{
	if (ext_hook)
		ext_hook(v);
	puts(dso_words[op & 1]);
	stdout += dso_ops[op & 1](v);
	return stdout + dso_bss[0];
}

#ifdef DSO_PIE
int main(void);
int main(void) { return dso_call(0, 1); }
#endif
