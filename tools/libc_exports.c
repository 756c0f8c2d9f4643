/* The C library functions and objects `elfmod run` offers to modules: what a module
 * built against a hosted C library typically imports. Kept in one table so the list
 * is easy to read and to extend. */
#define _GNU_SOURCE
#include "elfmod.h"
#include "tools.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

/* glibc's fortified and stack-protector entry points: Debian builds its own static
 * libraries with them, so modules made from those libraries import them. glibc
 * declares them only under _FORTIFY_SOURCE. */
extern void __stack_chk_fail(void);
#if !defined(__i386__) && !defined(__x86_64__)
/* Outside x86 glibc keeps the stack-protector canary in a global rather than in the
 * thread control block, and code built with -fstack-protector imports it. */
extern uintptr_t __stack_chk_guard;
#define STACK_GUARD E(__stack_chk_guard),
#else
#define STACK_GUARD
#endif
extern int __printf_chk(int flag, const char *fmt, ...);
extern int __fprintf_chk(FILE *f, int flag, const char *fmt, ...);
extern int __sprintf_chk(char *s, int flag, size_t len, const char *fmt, ...);
extern int __snprintf_chk(char *s, size_t n, int flag, size_t len, const char *fmt, ...);
extern int __vsnprintf_chk(char *s, size_t n, int flag, size_t len, const char *fmt, va_list ap);
extern int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap);
extern void *__memcpy_chk(void *d, const void *s, size_t n, size_t dn);
extern void *__memset_chk(void *d, int c, size_t n, size_t dn);
extern void *__memmove_chk(void *d, const void *s, size_t n, size_t dn);
extern char *__strcpy_chk(char *d, const char *s, size_t dn);

/* C++ runtime pieces a -fno-exceptions -fno-rtti module still needs. */
static void *cxx_new(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void cxx_delete(void *p)
{
	free(p);
}

static void cxx_delete_sized(void *p, size_t n)
{
	(void)n;
	free(p);
}

/* The guard protocol of the Itanium C++ ABI, single-threaded: the first byte of the
 * 64-bit guard says "initialised". */
static int cxa_guard_acquire(uint64_t *g)
{
	return *(volatile uint8_t *)g == 0;
}

static void cxa_guard_release(uint64_t *g)
{
	*(volatile uint8_t *)g = 1;
}

static void cxa_guard_abort(uint64_t *g)
{
	(void)g;
}

static void cxa_pure_virtual(void)
{
	fputs("elfmod: pure virtual function called\n", stderr);
	abort();
}

#define E(sym) { #sym, (const void *)&(sym) }
#define EA(name, sym) { name, (const void *)&(sym) }

static const struct elfmod_export libc[] = {
	/* stdio */
	E(printf), E(fprintf), E(sprintf), E(snprintf), E(vprintf), E(vfprintf), E(vsprintf),
	E(vsnprintf), E(puts), E(putchar), E(fputs), E(fputc), E(putc), E(fwrite), E(fread),
	E(fflush), E(fopen), E(fclose), E(fgets), E(fgetc), E(getc), E(getchar), E(sscanf),
	E(perror), E(remove), E(rename), E(fseek), E(ftell), E(rewind), E(feof), E(ferror),
	E(stdout), E(stderr), E(stdin),
	/* string */
	E(memcpy), E(memmove), E(memset), E(memcmp), E(memchr), E(strlen), E(strnlen), E(strcmp),
	E(strncmp), E(strcpy), E(strncpy), E(strcat), E(strncat), E(strchr), E(strrchr),
	E(strstr), E(strdup), E(strndup), E(strtok), E(strspn), E(strcspn), E(strerror),
	E(strcasecmp), E(strncasecmp),
	/* stdlib */
	E(malloc), E(calloc), E(realloc), E(free), E(qsort), E(bsearch), E(exit), E(abort),
	E(atexit), E(atoi), E(atol), E(atof), E(strtol), E(strtoul), E(strtoll), E(strtoull),
	E(strtod), E(strtof), E(abs), E(labs), E(llabs), E(div), E(ldiv), E(getenv), E(rand),
	E(srand), E(raise), E(signal),
	/* ctype */
	E(isalpha), E(isdigit), E(isalnum), E(isspace), E(isupper), E(islower), E(isprint),
	E(ispunct), E(isxdigit), E(iscntrl), E(isgraph), E(toupper), E(tolower),
	E(__ctype_b_loc), E(__ctype_toupper_loc), E(__ctype_tolower_loc),
	/* math */
	E(sin), E(cos), E(tan), E(asin), E(acos), E(atan), E(atan2), E(sinh), E(cosh), E(tanh),
	E(sqrt), E(cbrt), E(pow), E(exp), E(exp2), E(log), E(log2), E(log10), E(floor), E(ceil),
	E(round), E(trunc), E(fabs), E(fmod), E(hypot), E(ldexp), E(frexp), E(modf),
	E(sinf), E(cosf), E(sqrtf), E(powf), E(expf), E(logf), E(floorf), E(ceilf), E(fabsf),
	E(fmodf), E(roundf),
	/* setjmp */
	E(_setjmp), E(__sigsetjmp), E(longjmp), E(siglongjmp), EA("setjmp", _setjmp),
	/* time */
	E(time), E(clock), E(difftime), E(localtime), E(gmtime), E(mktime), E(strftime),
	/* errno */
	E(__errno_location),
	/* POSIX file descriptors */
	E(open), E(close), E(read), E(write), E(lseek), E(lseek64), E(unlink),
	/* fortified and stack-protector entry points */
	STACK_GUARD E(__stack_chk_fail), E(__printf_chk), E(__fprintf_chk), E(__sprintf_chk), E(__snprintf_chk),
	E(__vsnprintf_chk), E(__vfprintf_chk), E(__memcpy_chk), E(__memset_chk), E(__memmove_chk),
	E(__strcpy_chk),
	/* C++ runtime (Itanium ABI names, LP64 and ILP32 spellings of size_t) */
	EA("_Znwm", cxx_new), EA("_Znam", cxx_new), EA("_Znwj", cxx_new), EA("_Znaj", cxx_new),
	EA("_ZdlPv", cxx_delete), EA("_ZdaPv", cxx_delete), EA("_ZdlPvm", cxx_delete_sized),
	EA("_ZdaPvm", cxx_delete_sized), EA("_ZdlPvj", cxx_delete_sized),
	EA("_ZdaPvj", cxx_delete_sized), EA("__cxa_guard_acquire", cxa_guard_acquire),
	EA("__cxa_guard_release", cxa_guard_release), EA("__cxa_guard_abort", cxa_guard_abort),
	EA("__cxa_pure_virtual", cxa_pure_virtual),
};

static struct elfmod_export_index libc_index[sizeof(libc) / sizeof(libc[0])];

int tool_libc_exports(struct elfmod_exports *t)
{
	return elfmod_exports_init(t, libc, sizeof(libc) / sizeof(libc[0]), libc_index, NULL);
}
