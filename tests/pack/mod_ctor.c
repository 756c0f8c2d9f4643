/* Constructors: the packed module offers its .init_array as the entries
 * __init_array_start/__init_array_end, and the host calls them after the load. */
int ready;
int order[4];
int n;

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

int get(void);
int get(void)
{
	return ready * 100 + order[0] * 10 + order[1];
}
