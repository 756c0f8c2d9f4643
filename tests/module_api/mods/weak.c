/* Undefined weak references: a call guarded by a null check and a data address, both
 * resolving to 0 as GNU ld makes them when nobody defines the symbol. */
extern int maybe_fn(void) __attribute__((weak));
extern int maybe_data __attribute__((weak));
extern int present_fn(void) __attribute__((weak));

int weak_probe(void);
int weak_probe(void)
{
	int r = 0;
	if (!maybe_fn)
		r |= 1;
	if (&maybe_data == 0)
		r |= 2;
	if (present_fn && present_fn() == 5)
		r |= 4;
	return r;
}
