/* Built with -mtext-section-literals -mlongcalls: the literal pools sit inside .text,
 * between functions, where the assembler put them (each below its loads), so there is
 * no .literal section at all. Imports from the host and from lib.o. */
#include <stdint.h>

#include "fw_api.h"

extern int lib_scale(int x);

uint32_t tsl_mix(uint32_t x);
int tsl_run(int x);
const char *tsl_msg(void);

static const char msg[] = "tsl: literals inside .text\n";
static uint32_t state = 0x9e3779b9u;   /* .data */

/* Constants too wide for MOVI: each one a literal in .text. */
uint32_t tsl_mix(uint32_t x)
{
	x ^= 0xdeadbeefu;
	x = (x << 7 | x >> 25) + 0x01234567u;
	x ^= state;
	state = x + 0x76543210u;
	return x;
}

int tsl_run(int x)
{
	fw_print(msg);
	return fw_twice(lib_scale(x)) + 100000;
}

const char *tsl_msg(void)
{
	return msg;
}
