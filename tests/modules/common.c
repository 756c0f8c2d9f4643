/* Built with -fcommon: tentative definitions become SHN_COMMON symbols the loader must
 * give space in .bss, with their alignment. */
#include <stdio.h>

int common_a;
double common_b[8];
char common_c[3];

int main(void)
{
	common_a = 3;
	common_b[7] = 1.5;
	common_c[2] = 'x';
	if (((unsigned long)&common_b & 7) != 0)
		return 1;
	printf("common: %d %.1f %c\n", common_a, common_b[7], common_c[2]);
	return 0;
}
