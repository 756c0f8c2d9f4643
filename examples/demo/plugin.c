/* The demo's module: an ordinary `gcc -c` object. It imports what the "firmware" (the
 * demo program) exports, keeps state in .data/.bss, and exports one entry point. */
#include "elfmod.h"

void host_log(const char *fmt, ...);
unsigned host_ticks(void);

struct reading {
	const char *sensor;
	int value;
};

static const struct reading table[] = {   /* pointers relocated at load */
	{ "temperature", 21 }, { "humidity", 48 }, { "pressure", 1013 },
};
static unsigned calls;                    /* .bss */
int threshold = 40;                       /* .data */

int plugin_run(int round);
int plugin_run(int round)
{
	int over = 0;

	calls++;
	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].value > threshold)
			over++;
		host_log("  plugin: %-12s %5d%s\n", table[i].sensor, table[i].value,
			 table[i].value > threshold ? "  (over threshold)" : "");
	}
	host_log("  plugin: round %d, call %u, %d readings over %d, tick %u\n", round, calls, over,
		 threshold, host_ticks());
	threshold += 10;
	return over;
}
ELFMOD_MODULE_EXPORT(plugin_run);
