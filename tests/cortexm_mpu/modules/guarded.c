/* The module the firmware loads and then attacks: one function that uses every region
 * (text, .rodata, .data, .bss) and imports one firmware function. */
#include "elfmod.h"

ELFMOD_MODULE_EXPORT(guarded_step);
ELFMOD_MODULE_EXPORT(guarded_calls);
ELFMOD_MODULE_EXPORT(guarded_table);
ELFMOD_MODULE_EXPORT(guarded_ret);
ELFMOD_MODULE_EXPORT(guarded_calls_base);

int fw_twice(int x);
int guarded_step(int x);
int guarded_calls(void);
extern int guarded_calls_base;
extern const int guarded_table[4];
extern unsigned short guarded_ret[4];

static int calls;                                      /* .bss */
int guarded_calls_base = 100;                          /* .data */
const int guarded_table[4] = { 3, 5, 7, 11 };          /* .rodata */
/* Thumb "bx lr" halfwords in the data region: valid code in memory that must not
 * execute once the data region is XN. */
unsigned short guarded_ret[4] = { 0x4770, 0x4770, 0x4770, 0x4770 };

int guarded_step(int x)
{
	calls++;
	return fw_twice(x) + guarded_table[x & 3] + guarded_calls_base;
}

int guarded_calls(void)
{
	return calls;
}
