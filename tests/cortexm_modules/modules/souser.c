/* A relocatable module that imports from the shared object shlib.so (a function and a
 * data object, through its dynamic symbols): while it is loaded the shared object
 * cannot be unloaded. */
extern int so_apply(unsigned i, int x);
extern int so_base;

int user_run(int x);

int user_run(int x)
{
	return so_apply(0, x) + so_base;
}
