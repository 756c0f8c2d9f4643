/* Does touching memory fault? For tests of memory protection: a SIGSEGV handler that
 * jumps back. Header-only, hosted (POSIX signals). */
#ifndef ELFMOD_TEST_FAULTS_H
#define ELFMOD_TEST_FAULTS_H

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>

static sigjmp_buf faults_jb;

static void faults_on_segv(int sig)
{
	(void)sig;
	siglongjmp(faults_jb, 1);
}

/* 1 when writing the byte at p (its own value back) faults. */
static inline int write_faults(volatile uint8_t *p)
{
	struct sigaction sa, old;
	int faulted = 0;

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sa.sa_handler = faults_on_segv;
	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(faults_jb, 1) == 0)
		*p = *p;
	else
		faulted = 1;
	sigaction(SIGSEGV, &old, NULL);
	return faulted;
}

#endif
