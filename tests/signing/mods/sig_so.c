/* A shared object for the signing tests (-shared -fPIC -nostdlib): its init function,
 * from .init_array, tells the host it ran. */
extern int sig_inits;

__attribute__((constructor)) static void so_init(void)
{
	sig_inits += 10;
}

int so_mul(int a, int b);
int so_mul(int a, int b)
{
	return a * b + 7;
}
