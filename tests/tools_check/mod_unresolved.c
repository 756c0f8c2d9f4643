/* Imports the firmware does not export, from two functions. */
int fw_add(int a, int b);
int fw_missing(int x);
extern int fw_missing_data;

int uses_missing(int x);
int uses_missing(int x)
{
	return fw_missing(x) + 1;
}

int also_missing(void);
int also_missing(void)
{
	return fw_add(fw_missing_data, 2);
}
