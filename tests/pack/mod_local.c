/* Static data and a static table of strings: MIPS -fPIC code reaches them through GOT
 * entries of 64 KiB pages plus a low part, so this packs only with 64 KiB alignment
 * (pack_user_mips*). On most other machines the code reaches them PC-relatively from
 * the other block and the packer refuses it. */
static int count;
static const char *const names[] = { "one", "three", "seven" };

int run_local(int x);
int run_local(int x)
{
	count += x;
	return count * 1000 + names[x % 3][0];
}
