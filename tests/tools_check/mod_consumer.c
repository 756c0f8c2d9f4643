/* Imports from mod_provider.c and from the firmware; with USE_UNMARKED, also a global
 * of the provider it does not export. */
extern int prov_value;
int prov_twice(int x);
int prov_helper(int x);
int fw_add(int a, int b);

int consume(void);
int consume(void)
{
#ifdef USE_UNMARKED
	return prov_helper(1);
#else
	return fw_add(prov_twice(prov_value), 1);
#endif
}
