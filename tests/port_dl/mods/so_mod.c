/* A shared object without the C library (-shared -fPIC -nostdlib): data and a function
 * for modules of any type to import. */
int so_value = 7;

int so_add(int x);
int so_add(int x)
{
	return so_value + x;
}
