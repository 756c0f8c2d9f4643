/* An example module: prints through the firmware's puts and returns what words.c
 * computed. `elfmod run` calls main; host.c calls greet. */
#include "elfmod.h"

int puts(const char *s);
int host_scale(int v);
int words_total(void);
int greet(void);
int main(int argc, char **argv);

int greet(void)
{
	puts("sdk module: hello");
	return words_total();
}
ELFMOD_MODULE_EXPORT(greet);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return greet() == 28 ? 0 : 1;
}
ELFMOD_MODULE_EXPORT(main);
