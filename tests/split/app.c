/* The image split by the test: a static -nostdlib program linked at a fixed address.
 * The loader calls its entry with a services table before and after patching its
 * variables by name; what it prints shows which values it ran with. */
struct services {
	int (*print)(const char *s);
};

#ifndef SETTING_INIT
#define SETTING_INIT 1
#endif

volatile int setting = SETTING_INIT;          /* patched by name (global) */
char message[32] = "default message";          /* patched with a shorter string */
volatile short tiny = 7;                       /* too small for an int */
static volatile int hidden = 3;                /* a static: found as the only local */
static volatile int dup = 10;                  /* and one of two locals of this name */
const int in_rom = 5;                          /* read-only segment: refused when in place
                                                * (plain const: const volatile goes to .data) */

/* An absolute symbol far from the image: an address no segment holds. */
__asm__(".globl outside\n.type outside, %object\n.size outside, 4\n.set outside, 0x1000");

int entry(const struct services *sv);
int dup_value(void);

/* "NAME VALUE" into buf: no C library here. */
static void line(char *buf, const char *name, int v)
{
	char digits[12];
	int n = 0;

	while (*name)
		*buf++ = *name++;
	*buf++ = ' ';
	if (v < 0) {
		*buf++ = '-';
		v = -v;
	}
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < 11);
	while (n)
		*buf++ = digits[--n];
	*buf = 0;
}

int entry(const struct services *sv)
{
	char buf[48];

	sv->print(message);
	line(buf, "value of the setting:", setting);
	sv->print(buf);
	line(buf, "value of the hidden one:", hidden);
	sv->print(buf);
	line(buf, "tiny and rom:", tiny * 100 + *(const volatile int *)&in_rom + dup + dup_value());
	sv->print(buf);
	return setting;
}
