/* Imports from nested.o while nested.o's constructor is still opening it: the importer
 * then finishes loading before the module it imports from. */
int nested_value(int x);

int nested_user(void);
int nested_user(void)
{
	return nested_value(1);
}
