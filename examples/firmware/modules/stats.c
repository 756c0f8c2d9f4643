/* Running statistics over the samples it is given: state in .data (min and max start
 * at the extremes) and .bss (count and sum), kept between calls until the module is
 * unloaded. */
#include "fw_api.h"

int stats_add(int x);
int stats_count(void);
int stats_sum(void);
int stats_mean(void);
int stats_min(void);
int stats_max(void);
int stats_reset(void);
int stats_clamp(int x, int lo, int hi);

#define INT_MAX_ 0x7fffffff

static int count, sum;
static int lo = INT_MAX_, hi = -INT_MAX_ - 1;

int stats_add(int x)
{
	count++;
	sum += x;
	if (x < lo)
		lo = x;
	if (x > hi)
		hi = x;
	return count;
}

int stats_count(void)
{
	return count;
}

int stats_sum(void)
{
	return sum;
}

int stats_mean(void)
{
	return count ? sum / count : 0;
}

int stats_min(void)
{
	return count ? lo : 0;
}

int stats_max(void)
{
	return count ? hi : 0;
}

int stats_reset(void)
{
	int n = count;

	count = sum = 0;
	lo = INT_MAX_;
	hi = -INT_MAX_ - 1;
	return n;
}

/* No state, no relocation: with -ffunction-sections its code is a section of its own. */
int stats_clamp(int x, int l, int h)
{
	return x < l ? l : x > h ? h : x;
}
