/* Vector table and reset handler of the test firmware (no newlib; the memory functions
 * come from src/port/mem.c). */
#include <stddef.h>
#include <stdint.h>

#include "semihost.h"
#include "services.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];

int boot_main(void);
void reset_handler(void);
void fault_handler(void);

typedef void (*vector_fn)(void);

/* Initial stack pointer, then the exception handlers up to SysTick. */
__attribute__((section(".vectors"), used)) const vector_fn boot_vectors[16] = {
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
	boot_main();
	semihost_exit(EXIT_APP_RETURNED);
}

void fault_handler(void)
{
	semihost_print("boot: processor fault\n");
	semihost_exit(EXIT_FAULT);
}

