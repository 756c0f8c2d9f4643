/* Built -fno-pic: the address of `table` is a 32-bit immediate (R_X86_64_32). It must be
 * refused, not taken for the low half of a moving 8-byte word. */
int table[4];

int *where(void);
int *where(void)
{
	return table;
}
