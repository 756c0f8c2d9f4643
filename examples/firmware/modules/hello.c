/* The simplest module: prints through the firmware's fw_print and counts its greetings
 * in .bss. Its strings are read-only and unrelocated: used in place in flash. */
#include "fw_api.h"

int hello(int times);

static int greeted;

int hello(int times)
{
	if (times <= 0)
		times = 1;
	for (int i = 0; i < times; i++)
		fw_print("hello: hello from a module in flash\n");
	greeted += times;
	return greeted;
}
