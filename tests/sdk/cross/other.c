/* A second source: the module is both objects combined. */
int mod_fn(int x);
int mod_other(void);

int mod_other(void)
{
	return mod_fn(2);
}
