/* A shared object (ET_DYN): GDB sees it through a copy moved by the load bias. */
volatile int gdb_so_calls;

__attribute__((noinline)) int gdb_so_leaf(int x)
{
	gdb_so_calls++;
	return x + 7;
}

__attribute__((noinline)) int gdb_so_middle(int x)
{
	return gdb_so_leaf(x * 2) + 1;
}

int gdb_so_main(int argc, char **argv)
{
	(void)argv;
	return gdb_so_middle(argc) == argc * 2 + 8 ? 0 : 1;
}
