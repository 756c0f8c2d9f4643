/* A module others import from; the tests break in gdb_lib_leaf and in its constructor
 * by name. Freestanding: the same source is built for the host and for the Cortex-M
 * firmware. */
volatile int gdb_lib_calls;

/* Runs inside elfmod_load: met only when the module is registered before that. */
__attribute__((constructor, noinline)) static void gdb_lib_init(void)
{
	gdb_lib_calls = 0;
}

__attribute__((noinline)) int gdb_lib_leaf(int x)
{
	gdb_lib_calls++;
	return x * 3 + 1;
}
