/* Images whose `elfmod_reset_table` is no placeholder the tool can set; reset-prep must
 * refuse each. KIND 1: the wrong size; 2: in .bss, so not among the file's bytes;
 * 3: not NULL. Never run. */
#if KIND == 1
const char elfmod_reset_table[3] = { 0 };
#elif KIND == 2
const void *elfmod_reset_table;
#else
const void *const elfmod_reset_table = (const void *)&elfmod_reset_table;
#endif
int data_word = 1;

void _start(void);
void _start(void)
{
	for (;;)
		;
}
