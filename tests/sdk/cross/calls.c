/* Calls into the firmware and keeps a tentative definition (COMMON without -fno-common). */
int fw_fn(int x);
int mod_fn(int x);

int mod_counter;

int mod_fn(int x)
{
	mod_counter++;
	return fw_fn(x) + 1;
}
