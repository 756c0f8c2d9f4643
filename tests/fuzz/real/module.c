extern int ext_counter;
extern void ext_log(const char *s);
static int table[4] = { 1, 2, 3, 4 };
int module_init(int x)
{
	ext_log("hello");
	ext_counter += table[x & 3];
	return ext_counter;
}
