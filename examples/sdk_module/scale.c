/* What host.c exports as host_scale, as a module of its own: `elfmod run --dep scale.o`
 * provides it to greet outside the firmware. */
int host_scale(int v);

int host_scale(int v)
{
	return v * 2;
}
