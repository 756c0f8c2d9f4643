/* A packed-module test: initialised data with pointers to rodata, to its own functions
 * and to an import, .bss, and calls to the host. Data is reached through non-static
 * globals so -fPIC code uses the GOT (the packed blocks move independently). */
extern int host_add(int a, int b);
extern void host_note(const char *s);

int counter;
int history[16];
int table[4] = { 10, 20, 30, 40 };
const char *const words[] = { "alpha", "beta", "gamma" };

int twice(int x);
int twice(int x)
{
	return 2 * x;
}

int square(int x);
int square(int x)
{
	return x * x;
}

int (*const ops[])(int) = { twice, square };
int (*import_ptr)(int, int) = host_add;

int run(int x);
int run(int x)
{
	int v;

	history[counter & 15] = x;
	counter++;
	host_note(words[x % 3]);
	v = ops[x & 1](table[x & 3]);
	return import_ptr(v, counter) + history[0];
}
