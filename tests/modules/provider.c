/* Module A of the module-to-module test: exports a function, data and a callback hook. */
#include <stdio.h>

int provider_value = 1000;
static int hits;

int provider_add(int x);
int provider_add(int x)
{
	hits++;
	return provider_value + x;
}

int provider_hits(void);
int provider_hits(void)
{
	return hits;
}

int provider_call(int (*fn)(int), int x);
int provider_call(int (*fn)(int), int x)
{
	return fn(x) + 1;
}
