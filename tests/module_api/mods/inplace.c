/* For ELFMOD_LOAD_IN_PLACE / ELFMOD_LOAD_XIP (built with -ffunction-sections): the
 * strings and the table are read-only data no relocation writes, so they can stay in
 * the source; xip_add's section has no relocation either, so with XIP it runs from
 * there; inplace_text's does (it addresses the string), so it is always copied. */
static const char greeting[] = "in place";
static const int table[4] = { 1, 2, 3, 4 };

const char *inplace_text(void);
const char *inplace_text(void) { return greeting; }

int inplace_sum(void);
int inplace_sum(void)
{
	int s = 0;
	for (int i = 0; i < 4; i++)
		s += table[i];
	return s;
}

int xip_add(int a, int b);
int xip_add(int a, int b) { return a + b; }
