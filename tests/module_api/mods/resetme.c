/* For elfmod_reset: state in .data and .bss, a relocated pointer in .data, an
 * initialiser and a destructor the host counts, and the export-set fingerprint it was
 * built against (8 bytes 01..08: 0x0807060504030201). */
#include "elfmod.h"

ELFMOD_MODULE_ABI(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08);

void host_count(int what);

static int counter = 7;
static int calls;
int *counter_ptr = &counter;
static const char *greeting = "hello";
int inits;

__attribute__((constructor)) static void start(void)
{
	inits++;
	host_count(1);
}

__attribute__((destructor)) static void stop(void)
{
	host_count(-1);
}

int bump(void);
int bump(void)
{
	counter++;
	calls++;
	return counter * 100 + calls;
}

/* The pointers still point right after a reset. */
int intact(void);
int intact(void)
{
	return counter_ptr == &counter && greeting[0] == 'h';
}
