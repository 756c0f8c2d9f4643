/* Thread-local storage: its relocations are what elfmod refuses, so `inspect` must say so. */
__thread int counter;

int bump(void);
int bump(void)
{
	return ++counter;
}
