/* Code reaching a static variable PC-relatively: the text and data blocks cannot then
 * move apart. `elfmod pack --split` refuses it; without, it packs as one block. */
static int hidden = 7;

int bump(void);
int bump(void)
{
	return ++hidden;
}
