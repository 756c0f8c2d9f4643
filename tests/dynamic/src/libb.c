/* libb (soname libdynb.so, DT_NEEDED libdyna.so): imports liba's functions and its
 * global variable, holds addresses of imports in writable and in const data (absolute
 * word relocations against symbols), and has the main() `elfmod run` calls. Its output
 * is the test's transcript, identical on every architecture. */
#include "dyn.h"

int b_value = 7;

/* Addresses of another module's function and variable in data: symbol-based absolute
 * words, resolved only once liba is known. */
int (*b_bump_ptr)(int) = a_bump;
int *const b_counter_ref = &a_counter;
static const char *const b_labels[] = { "first", "second" };

void b_init(void);
void b_init(void)
{
	say("libb: DT_INIT, liba log %d\n", a_init_log());
}

__attribute__((constructor)) static void b_ctor(void)
{
	say("libb: init_array, b_value %d\n", b_value);
	b_value++;
}

__attribute__((destructor)) static void b_dtor(void)
{
	say("libb: fini_array, counter %d\n", a_counter);
}

void b_fini(void);
void b_fini(void)
{
	DYN_PUTS("libb: DT_FINI\n");
}

int main(int argc, char **argv)
{
	int bad = 0, v;

	say("main: argc %d, arg %s\n", argc, argc > 1 ? argv[1] : "(none)");
	say("main: %s says %s %s %s\n", a_name, a_word(1), a_word(3), b_labels[1]);

	v = a_apply(0, 21) + a_apply(1, 5) + a_apply(2, 3);
	say("main: ops %d\n", v);
	bad |= v != 42 + 25 - 3;

	/* The variable lives in liba: both modules must see the same word. */
	a_counter += 2;
	v = a_bump(3);
	say("main: counter %d %d %d\n", v, a_counter, *b_counter_ref);
	bad |= v != 45 || a_counter != 45 || b_counter_ref != &a_counter;
	v = b_bump_ptr(5);
	say("main: bump through data %d\n", v);
	bad |= v != 50;

	v = a_bss_sum();
	say("main: bss sum %d\n", v);
	bad |= v != 511 * 512 / 2;

	say("main: weak hook %s\n", a_hook_present() ? "PRESENT" : "absent");
	say("main: init log %d, b_value %d\n", a_init_log(), b_value);
	bad |= a_init_log() != 12 || b_value != 8;

	/* Caller-visible ops table: writable, so it can be patched at run time. */
	a_ops[2] = a_ops[0];
	v = a_apply(2, 4);
	say("main: patched op %d\n", v);
	bad |= v != 8;

	say("main: %s\n", bad ? "FAILED" : "ok");
	return bad;
}
