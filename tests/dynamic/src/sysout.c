/* The output of the -static-pie -nostdlib image: there is no C library and nothing may
 * stay undefined, so say() formats by itself (%d, %s, %%) and writes to file descriptor
 * 1 with the architecture's own system call. The runner's stdio buffer is flushed
 * before the destructors run, so the two streams never interleave out of order. */
#include <stdarg.h>
#include <stddef.h>

#include "dyn.h"

static long sys_write(int fd, const char *buf, size_t n)
{
#if defined(__x86_64__)
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "0"(1L), "D"(fd), "S"(buf), "d"(n)
			 : "rcx", "r11", "memory");
	return ret;
#elif defined(__i386__)
	long ret;
	/* ebx may be the PIC register: swap it in and out around the call. */
	__asm__ volatile("xchg %%ebx, %2\n\tint $0x80\n\txchg %%ebx, %2"
			 : "=a"(ret) : "0"(4L), "r"(fd), "c"(buf), "d"(n) : "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = 64;
	register long x0 __asm__("x0") = fd;
	register long x1 __asm__("x1") = (long)buf;
	register long x2 __asm__("x2") = (long)n;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
#elif defined(__arm__)
	register long r7 __asm__("r7") = 4;
	register long r0 __asm__("r0") = fd;
	register long r1 __asm__("r1") = (long)buf;
	register long r2 __asm__("r2") = (long)n;
	__asm__ volatile("svc #0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2) : "memory");
	return r0;
#elif defined(__riscv)
	register long a7 __asm__("a7") = 64;
	register long a0 __asm__("a0") = fd;
	register long a1 __asm__("a1") = (long)buf;
	register long a2 __asm__("a2") = (long)n;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
	return a0;
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
	/* o32: number in v0, a3 comes back non-zero on error; the rest is caller-saved. */
	register long v0 __asm__("$2") = 4004;
	register long a0 __asm__("$4") = fd;
	register long a1 __asm__("$5") = (long)buf;
	register long a2 __asm__("$6") = (long)n;
	register long a3 __asm__("$7");
	__asm__ volatile("syscall"
			 : "+r"(v0), "=r"(a3) : "r"(a0), "r"(a1), "r"(a2)
			 : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
			   "$24", "$25", "hi", "lo", "memory");
	return a3 ? -v0 : v0;
#else
#error "sysout.c: no write system call for this architecture"
#endif
}

static void out(const char *s, size_t n)
{
	while (n) {
		long w = sys_write(1, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

int say(const char *fmt, ...)
{
	char buf[256], num[12];
	size_t len = 0;
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p && len < sizeof(buf) - 12; p++) {
		if (*p != '%') {
			buf[len++] = *p;
			continue;
		}
		switch (*++p) {
		case 'd': {
			int v = va_arg(ap, int);
			unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
			int k = 0;
			do
				num[k++] = (char)('0' + u % 10);
			while ((u /= 10) != 0);
			if (v < 0)
				buf[len++] = '-';
			while (k)
				buf[len++] = num[--k];
			break;
		}
		case 's':
			for (const char *s = va_arg(ap, const char *); *s && len < sizeof(buf) - 12; s++)
				buf[len++] = *s;
			break;
		case '%':
			buf[len++] = '%';
			break;
		default:
			/* Unknown conversions never appear in the corpus: show them, do not guess. */
			buf[len++] = '%';
			if (*p)
				buf[len++] = *p;
			else
				p--;
		}
	}
	va_end(ap);
	out(buf, len);
	return (int)len;
}

/* What GCC may call for block moves and clears even in freestanding code. */
void *memset(void *d, int c, size_t n) __attribute__((visibility("hidden")));
void *memcpy(void *d, const void *s, size_t n) __attribute__((visibility("hidden")));

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}
