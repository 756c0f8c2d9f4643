/* Vector table and reset handler of a firmware without a C library (the memory
 * functions the core needs come from src/port/mem.c). */
#include <stddef.h>
#include <stdint.h>

#include "semihost.h"

#define EXIT_FAULT 99

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];

int fw_main(void);
void reset_handler(void);
void fault_handler(void);
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memset(void *d, int c, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

typedef void (*vector_fn)(void);

/* Initial stack pointer, then the exception handlers up to SysTick. */
__attribute__((section(".vectors"), used)) const vector_fn fw_vectors[16] = {
	(vector_fn)(uintptr_t)__stack_top,
	reset_handler,
	fault_handler, /* NMI */
	fault_handler, /* HardFault */
	fault_handler, /* MemManage */
	fault_handler, /* BusFault */
	fault_handler, /* UsageFault */
	0, 0, 0, 0,
	fault_handler, /* SVCall */
	fault_handler, /* DebugMonitor */
	0,
	fault_handler, /* PendSV */
	fault_handler, /* SysTick */
};

void reset_handler(void)
{
	const uint32_t *s = __data_load;

	for (uint32_t *d = __data_start; d < __data_end;)
		*d++ = *s++;
	for (uint32_t *d = __bss_start; d < __bss_end;)
		*d++ = 0;
	sh_exit((uint32_t)fw_main());
}

void fault_handler(void)
{
	sh_print("fw: processor fault\n");
	sh_exit(EXIT_FAULT);
}
