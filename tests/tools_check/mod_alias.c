/* Imports what fw_collected.c exports, one of them under its exported alias. */
extern int fw_counter_alias;
int fw_add(int a, int b);

int alias_user(void);
int alias_user(void)
{
	return fw_add(fw_counter_alias, 1);
}
