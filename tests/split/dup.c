/* A second static named like one in app.c, so that `dup` has two local definitions and
 * a lookup by that name must say it is ambiguous. */
static volatile int dup = 20;
int dup_value(void);

int dup_value(void)
{
	return dup;
}
