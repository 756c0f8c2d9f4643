/* A module `elfmod run` calls, signed by the CLI test: prints its arguments and returns
 * a status of its own, so the test tells a run of it from a refused load (125). */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("signed module: %d args, last '%s'\n", argc, argv[argc - 1]);
	return 7;
}
