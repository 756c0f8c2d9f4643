/* A module others import from; the tests break in gdb_lib_leaf by name. Freestanding:
 * the same source is built for the host and for the Cortex-M firmware. */
volatile int gdb_lib_calls;

__attribute__((noinline)) int gdb_lib_leaf(int x)
{
	gdb_lib_calls++;
	return x * 3 + 1;
}
