/* Imports from another module: stats.o must be loaded first (otherwise the load fails
 * with the unresolved names), and while report.o is loaded stats.o cannot be unloaded. */
#include "fw_api.h"

int stats_add(int x);
int stats_count(void);
int stats_mean(void);
int stats_min(void);
int stats_max(void);

int report_add3(int a, int b, int c);
int report(void);

int report_add3(int a, int b, int c)
{
	stats_add(a);
	stats_add(b);
	return stats_add(c);
}

static void field(const char *name, int v)
{
	fw_print(name);
	fw_print_int(v);
}

/* Prints the statistics kept by stats.o; returns the mean. */
int report(void)
{
	field("report: n=", stats_count());
	field(" mean=", stats_mean());
	field(" min=", stats_min());
	field(" max=", stats_max());
	fw_print("\n");
	return stats_mean();
}
