/* The module's second source: data with pointers (relocated at load) and an import. */
int host_scale(int v);
int words_total(void);

static const char *const words[] = { "alpha", "beta", "gamma" };
int word_count = 3;

int words_total(void)
{
	int n = 0;

	for (int i = 0; i < word_count; i++)
		for (const char *p = words[i]; *p; p++)
			n++;
	return host_scale(n);
}
