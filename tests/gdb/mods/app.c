/* Imports gdb_lib_leaf from lib.o, so a backtrace from there crosses two modules. */
int gdb_lib_leaf(int x);

__attribute__((noinline)) int gdb_app_middle(int x)
{
	return gdb_lib_leaf(x + 1) + 2;
}

int gdb_app_main(int argc, char **argv)
{
	(void)argv;
	return gdb_app_middle(argc) == 3 * (argc + 1) + 3 ? 0 : 1;
}
