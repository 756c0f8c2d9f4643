/* elfmod inspect: placeholder replaced below */
#include "tools.h"
int cmd_inspect(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}
