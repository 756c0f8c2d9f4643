/* Cortex-M firmware for tests/pack: the tiny loader alone (no elfmod core) loads packed
 * modules from its flash image. mod_basic (-fPIC) is copied to RAM (its GOT takes
 * fix-ups) and called 20 times; its results digest must equal the x86-64 one printed by
 * pack_host. The same built -msingle-pic-base (GOT through r9) runs in place from flash
 * with the same digest. mod_state has no fix-ups and runs in place, state in a host block. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod_tiny.h"
#include "semihost.h"
#include "services.h"

extern const uint8_t basic_start[], basic_end[], state_start[], state_end[], xip_start[], xip_end[];

/* Calls fn(arg) with r9 = got: the GOT base of a module built -msingle-pic-base
 * -mpic-register=r9 (the host's r9 is kept across the call). */
int call_r9(int (*fn)(int), int arg, void *got);
__asm__(".text\n\t.thumb\n\t.global call_r9\n\t.type call_r9, %function\n"
	"call_r9:\n\tpush {r9, lr}\n\tmov r9, r2\n\tmov r12, r0\n\tmov r0, r1\n\tblx r12\n"
	"\tpop {r9, pc}\n\t.size call_r9, . - call_r9\n");

int boot_main(void);

static char notes[256];
static size_t nnotes;
static uint8_t ro_ram[2048] __attribute__((aligned(64)));
static uint8_t rw_ram[1024] __attribute__((aligned(64)));

static int host_add(int a, int b)
{
	return a + 1000 * b;
}

static void host_note(const char *s)
{
	while (*s && nnotes < sizeof(notes) - 2)
		notes[nnotes++] = *s++;
	notes[nnotes++] = ',';
	notes[nnotes] = 0;
}

static void print_hex(const char *label, uint32_t v)
{
	char buf[96];
	size_t n = 0;

	while (*label && n < 80)
		buf[n++] = *label++;
	buf[n++] = '0';
	buf[n++] = 'x';
	for (int i = 28; i >= 0; i -= 4)
		buf[n++] = "0123456789abcdef"[(v >> i) & 15];
	buf[n++] = '\n';
	buf[n] = 0;
	semihost_print(buf);
}

struct state {
	unsigned calls, sum;
};

int boot_main(void)
{
	struct elfmod_tiny_import imp[2] = { { elfmod_tiny_hash("host_add"), (uintptr_t)host_add },
					     { elfmod_tiny_hash("host_note"), (uintptr_t)host_note } };
	struct elfmod_tiny_opts o = { 0 };
	struct elfmod_tiny t;
	int (*run)(int);
	unsigned (*step)(struct state *, unsigned);
	struct state st = { 0, 0 };
	uint32_t digest = 0;
	int rc;

	o.machine = 40;
	o.ro = ro_ram;
	o.ro_cap = sizeof(ro_ram);
	o.rw = rw_ram;
	o.rw_cap = sizeof(rw_ram);
	o.imports = imp;
	o.nimports = 2;
	rc = elfmod_tiny_load(basic_start, (size_t)(basic_end - basic_start), &o, &t);
	if (rc) {
		print_hex("fw: mod_basic refused: ", (uint32_t)rc);
		semihost_exit(1);
	}
	__asm__ volatile("dsb\n\tisb" ::: "memory");
	run = (int (*)(int))elfmod_tiny_entry(&t, elfmod_tiny_hash("run"));
	if (!run)
		semihost_exit(2);
	for (int i = 0; i < 20; i++)
		digest = digest * 31 + (uint32_t)run(i);
	print_hex("mod_basic: 20 calls, digest ", digest);
	semihost_print("mod_basic: notes ");
	semihost_print(notes);
	semihost_print("\n");

	/* The same module built to reach its GOT through r9: no fix-up in its code, which
	 * runs in place from flash; data, .bss and GOT in RAM. */
	nnotes = 0;
	notes[0] = 0;
	o.ro = NULL;
	rc = elfmod_tiny_load(xip_start, (size_t)(xip_end - xip_start), &o, &t);
	if (rc) {
		print_hex("fw: mod_basic (r9) refused: ", (uint32_t)rc);
		semihost_exit(5);
	}
	{
		void *got = elfmod_tiny_entry(&t, elfmod_tiny_hash("_GLOBAL_OFFSET_TABLE_"));
		run = (int (*)(int))elfmod_tiny_entry(&t, elfmod_tiny_hash("run"));
		if (!run || !got || t.ro != (uintptr_t)(xip_start + 64))
			semihost_exit(6);
		digest = 0;
		for (int i = 0; i < 20; i++)
			digest = digest * 31 + (uint32_t)call_r9(run, i, got);
	}
	print_hex("mod_basic (r9, in place): 20 calls, digest ", digest);
	print_hex("mod_basic (r9, in place): code at ", (uint32_t)t.ro);

	o.rw = NULL;
	o.rw_cap = 0;
	rc = elfmod_tiny_load(state_start, (size_t)(state_end - state_start), &o, &t);
	if (rc) {
		print_hex("fw: mod_state refused: ", (uint32_t)rc);
		semihost_exit(3);
	}
	step = (unsigned (*)(struct state *, unsigned))elfmod_tiny_entry(&t, elfmod_tiny_hash("step"));
	if (!step || t.ro != (uintptr_t)(state_start + 64))
		semihost_exit(4);
	for (unsigned i = 0; i < 5; i++)
		step(&st, i);
	print_hex("mod_state: in place at ", (uint32_t)t.ro);
	print_hex("mod_state: sum ", st.sum);
	semihost_exit(EXIT_APP_OK);
}
