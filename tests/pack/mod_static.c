/* Code reaching a static variable PC-relatively: the text and data blocks cannot then
 * move apart, and `elfmod pack` refuses it. */
static int hidden = 7;

int bump(void);
int bump(void)
{
	return ++hidden;
}
