/* An image that resets itself: elfmod_image_reset at its reset entry puts .data and
 * .bss back to their initial values, while a counter in a .persistent section keeps
 * counting across resets. It prints its state at every start, changes all of it, and
 * restarts by jumping to its reset entry (with a fresh stack), three starts in all.
 *
 * USE_RESET 0 builds the same program without the placeholder and the call: an image
 * that ignores the routine, which must run the same after `elfmod reset-prep`.
 * Platforms: x86-64 Linux (a static process, system calls) and Cortex-M on QEMU
 * (semihosting, a bare `-kernel` boot: no loader, no ELF headers in memory). */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"

#ifndef USE_RESET
#define USE_RESET 1
#endif

#if USE_RESET
ELFMOD_RESET_TABLE_PLACEHOLDER;
#endif

int counter = 5;                                   /* .data */
unsigned zeroed;                                   /* .bss */
char text[16] = "initial";                         /* .data */
char *ptr = text;                                  /* .data holding an address */
static char big[4096];                             /* .bss, a page of it */
__attribute__((section(".persistent"))) unsigned boots; /* survives resets */

void image_main(void);
static void out(const char *s);
static __attribute__((noreturn)) void finish(int code);
static __attribute__((noreturn)) void restart(void);

#if defined(__x86_64__)
/* ---- x86-64 Linux: the process's own stack, kept in a .persistent word ---- */
__attribute__((section(".persistent"))) uintptr_t boot_sp;

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	mov %rsp, boot_sp(%rip)\n"
	".globl reset_entry\n"
	"reset_entry:\n"
	"	mov boot_sp(%rip), %rsp\n"
	"	and $-16, %rsp\n"
	"	call image_main\n"
	"	ud2\n");

static long sys3(long n, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}

static void out(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	sys3(1 /* write */, 1, (long)s, (long)n);
	sys3(1, 1, (long)"\n", 1);
}

static void finish(int code)
{
	sys3(231 /* exit_group */, code, 0, 0);
	for (;;)
		;
}

static void restart(void)
{
	__asm__ volatile("jmp reset_entry");
	__builtin_unreachable();
}
#elif defined(__arm__)
/* ---- Cortex-M: vector table, semihosting; the stack is above the image ---- */
#include "semihost.h"

extern uint32_t __stack_top[];
void reset_handler(void);
void fault_handler(void);

__attribute__((section(".vectors"), used)) void (*const vectors[16])(void) = {
	(void (*)(void))(uintptr_t)__stack_top, reset_handler, fault_handler, fault_handler,
	fault_handler, fault_handler, fault_handler,
};

void reset_handler(void)
{
	image_main();
}

void fault_handler(void)
{
	semihost_print("image: processor fault\n");
	semihost_exit(3);
}

static void out(const char *s)
{
	semihost_print(s);
	semihost_print("\n");
}

static void finish(int code)
{
	semihost_exit((uint32_t)code);
}

static void restart(void)
{
	__asm__ volatile("msr msp, %0\n\tbx %1" : : "r"(__stack_top), "r"(reset_handler) : "memory");
	__builtin_unreachable();
}
#else
#error "no platform for this target"
#endif

static char *put(char *b, const char *s)
{
	while (*s)
		*b++ = *s++;
	return b;
}

static char *put_int(char *b, int v)
{
	char d[12];
	int n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

	if (v < 0)
		*b++ = '-';
	do
		d[n++] = (char)('0' + u % 10);
	while ((u /= 10) && n < 11);
	while (n)
		*b++ = d[--n];
	return b;
}

void image_main(void)
{
	char line[160], *b = line;

#if USE_RESET
	int rc = elfmod_image_reset(ELFMOD_RESET_TABLE);
#endif

	boots++;
	b = put(b, "boot ");
	b = put_int(b, (int)boots);
#if USE_RESET
	b = put(b, ": reset ");
	b = put_int(b, rc);
#else
	b = put(b, ": reset unused");
#endif
	b = put(b, ", counter ");
	b = put_int(b, counter);
	b = put(b, ", zeroed ");
	b = put_int(b, (int)zeroed);
	b = put(b, ", text ");
	b = put(b, text);
	b = put(b, ", ptr ");
	b = put(b, ptr);
	b = put(b, ", big ");
	b = put_int(b, big[0] + big[sizeof(big) - 1]);
	*b = 0;
	out(line);

	/* Everything changes, as a run of the program would change it. */
	counter++;
	zeroed += 7;
	put(text, "changed");
	ptr = text + 1;
	big[0] = 1;
	big[sizeof(big) - 1] = 2;
	if (boots < 3)
		restart();
	out("done");
	finish(0);
}
