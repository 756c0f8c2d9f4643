/* A module for the tiny loader: its data is reached through the GOT (a non-static global
 * under -fPIC), so every fix-up is a word write. */
int host_scale(int v);
int packed_get(void);

int packed_counter = 5;

int packed_get(void)
{
	return host_scale(packed_counter);
}
