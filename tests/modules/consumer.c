/* Module B: imports functions and data from module A (provider.c). */
#include <stdio.h>

extern int provider_value;
int provider_add(int x);
int provider_hits(void);
int provider_call(int (*fn)(int), int x);

static int twice(int x) { return 2 * x; }

int main(void)
{
	int a = provider_add(5);
	provider_value = 2000;
	int b = provider_add(5);
	int c = provider_call(twice, 20);
	printf("consumer: %d %d %d hits=%d\n", a, b, c, provider_hits());
	return a == 1005 && b == 2005 && c == 41 && provider_hits() == 2 ? 0 : 1;
}
