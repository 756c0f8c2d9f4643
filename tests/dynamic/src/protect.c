/* A libc-using shared object that checks the protections the loader left on its own
 * image: after relocation PT_GNU_RELRO must be read-only and the text never writable.
 * Each write is tried under a SIGSEGV handler that jumps back; a write that succeeds
 * is a loader bug and makes the transcript (and the exit status) say so. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static sigjmp_buf back;

/* Pointers in a const table: .data.rel.ro, written by the loader, then protected. */
static const char *const words[] = { "alpha", "beta" };
static int (*const fns[])(const char *, ...) = { printf };
int protect_writable = 3;

static void on_fault(int sig)
{
	siglongjmp(back, sig);
}

/* Writes one byte at p unless that faults; returns 1 when the write faulted. */
static int write_faults(volatile unsigned char *p)
{
	int faulted = 0;

	if (sigsetjmp(back, 1) == 0) {
		*p = *p;
		/* Only reached when the page is writable: undo nothing, the value is the same. */
	} else {
		faulted = 1;
	}
	return faulted;
}

int main(void)
{
	void (*old)(int) = signal(SIGSEGV, on_fault);
	void (*old_bus)(int) = signal(SIGBUS, on_fault);
	int relro, text, data, bad;

	relro = write_faults((volatile unsigned char *)&words[1]);
	relro &= write_faults((volatile unsigned char *)&fns[0]);
	text = write_faults((volatile unsigned char *)(void *)&write_faults);
	data = write_faults((volatile unsigned char *)&protect_writable);
	signal(SIGSEGV, old);
	signal(SIGBUS, old_bus);

	fns[0]("protect: %s %s relocated\n", words[0], words[1]);
	printf("protect: RELRO %s\n", relro ? "read-only" : "WRITABLE");
	printf("protect: text %s\n", text ? "read-only" : "WRITABLE");
	printf("protect: data %s\n", data ? "FAULTED" : "writable");
	bad = !relro || !text || data;
	printf("protect: %s\n", bad ? "FAILED" : "ok");
	return bad;
}
