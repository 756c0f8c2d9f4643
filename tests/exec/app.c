/* A static -nostdlib program linked at a fixed address. The loader calls its entry as a
 * function with a services table; it returns 0 only if the loader did everything right. */
struct services {
	int (*print)(const char *s);
};

volatile char bss_buf[3000];              /* must arrive zeroed */
static volatile int counter = 41;         /* .data: must arrive with its initial value */
static const char greeting[] = "exec app: running at its link address";
int twice(int x);
int entry(const struct services *sv);

/* rodata holding an absolute address: proves the image sits at its link address */
int (*const volatile table[])(int) = { twice };

int twice(int x)
{
	return 2 * x;
}

int entry(const struct services *sv)
{
	for (unsigned i = 0; i < sizeof(bss_buf); i++)
		if (bss_buf[i])
			return 2;
	if (counter != 41)
		return 3;
	counter++;
	if (table[0] != twice || table[0](21) != 42)
		return 4;
	bss_buf[0] = 1;
	sv->print(greeting);
	return counter; /* 42 */
}
