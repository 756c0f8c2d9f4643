/* Calls a function the firmware does not export: `elfmod check` refuses it. */
int firmware_secret(void);
int broken(void);

int broken(void)
{
	return firmware_secret();
}
