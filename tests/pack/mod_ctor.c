/* Constructors and destructors, with priorities: the packed module offers its init and
 * fini arrays as the entries __init_array_start/__init_array_end and
 * __fini_array_start/__fini_array_end, in the order a static link gives them, and the
 * host calls them (the fini array backwards). */
int ready;
int order[4];
int n;
int *out; /* set by the host: the destructors leave their trace there */

__attribute__((constructor)) static void first(void)
{
	order[n++] = 1;
	ready += 10;
}

__attribute__((constructor)) static void second(void)
{
	order[n++] = 2;
	ready += 5;
}

__attribute__((constructor(200))) static void early(void)
{
	order[n++] = 3;
}

__attribute__((constructor(101))) static void earliest(void)
{
	order[n++] = 4;
}

__attribute__((destructor)) static void bye(void)
{
	if (out)
		*out = *out * 10 + 1;
}

__attribute__((destructor(300))) static void bye_last(void)
{
	if (out)
		*out = *out * 10 + 2;
}

/* An init array whose name is not .init_array*: its type makes it one, and it runs with
 * the plain ones (as ld and elfmod_load order it). A short name, too, must be read as
 * the string it is. */
int odd_ran; /* 1 + how many constructors ran before it */
__attribute__((used)) static void odd(void)
{
	odd_ran = n + 1;
}
__asm__(".section .ia,\"aw\",%init_array\n\t.p2align 3\n\t.dc.a odd\n\t.previous");

int get(void);
int get(void)
{
	return ready * 10000 + order[0] * 1000 + order[1] * 100 + order[2] * 10 + order[3];
}
