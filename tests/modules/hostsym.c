/* Imports a function that is not in `elfmod run`'s C library table: it loads only with
 * --host-symbols, which lets the runner look names up with dlsym. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("hostsym: pid is %s\n", getpid() > 0 ? "positive" : "odd");
	return 0;
}
