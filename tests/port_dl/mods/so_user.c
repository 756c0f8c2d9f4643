/* A relocatable module importing a function and data from so_mod.so. */
int so_add(int x);
extern int so_value;

int so_user(void);
int so_user(void)
{
	return so_add(1) + so_value;
}
