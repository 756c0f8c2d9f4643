/* A firmware for `elfmod check`: what it exports comes from here. Freestanding, so
 * every toolchain links it (-nostdlib, entry fw_start). */
int fw_counter = 3;
double fw_scale = 1.5;

int fw_add(int a, int b)
{
	return a + b + fw_counter;
}

/* Takes and returns a double, so the float ABI matters, without arithmetic that would
 * need a toolchain's soft-float helpers. */
double fw_mul(double x)
{
	return fw_counter ? x : fw_scale;
}

/* Two names of one GNU hash ("Ez" and "FY" hash alike). */
int coll_Ez(void)
{
	return 10;
}

int coll_FY(void)
{
	return 11;
}

void fw_start(void);
void fw_start(void)
{
	for (;;)
		fw_counter = fw_add(coll_Ez(), coll_FY());
}
