/* What the corpus libraries share: the interface of liba (soname libdyna.so) that libb
 * imports, and where their output goes.
 *
 * One set of sources is built three ways, so that the same transcript proves the same
 * things whatever the link:
 *   default       -nostdlib: no C library headers, no DT_NEEDED on libc; printf and
 *                 friends are plain undefined dynamic symbols that only the host's
 *                 export table can satisfy.
 *   DYN_LIBC      an ordinary hosted build (libc headers, crt files, DT_NEEDED libc.so.6).
 *   DYN_STANDALONE  one -static-pie -nostdlib image: nothing may stay undefined, so the
 *                 output goes out through raw write system calls (sysout.c). */
#ifndef DYN_H
#define DYN_H

#if defined(DYN_STANDALONE)
int say(const char *fmt, ...) __attribute__((format(printf, 1, 2), visibility("hidden")));
#define DYN_PUTS(s) say("%s", s)
#elif defined(DYN_LIBC)
#include <stdio.h>
#define say printf
#define DYN_PUTS(s) fputs(s, stdout)
#else
/* Declared by hand: a -nostdlib build must not depend on any C library's headers. */
struct _IO_FILE;
extern struct _IO_FILE *stdout;
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fputs(const char *s, struct _IO_FILE *f);
#define say printf
#define DYN_PUTS(s) fputs(s, stdout)
#endif

extern int a_counter;
extern const char a_name[];
extern int (*a_ops[3])(int);
int a_apply(int op, int v);
const char *a_word(int i);
int a_bump(int by);
int a_bss_sum(void);
int a_hook_present(void);
int a_init_log(void);

#endif
