/* A relocatable module for the signing tests: its init function tells the host it ran,
 * so a test can see that no code of a rejected module was executed. */
extern int sig_inits;

__attribute__((constructor)) static void sig_init(void)
{
	sig_inits++;
}

int sig_add(int a, int b);
int sig_add(int a, int b)
{
	return a + b + 1000;
}
