/* The application image the bootloader loads into RAM at 0x20100000 and starts.
 *
 * It checks what a loader must get right: .bss zeroed (the bootloader fills the window
 * with a pattern first, so a loader that skips zeroing is caught), initialized .data
 * copied, .rodata present (the line it prints lives there), the services pointer passed
 * in r0. It exits through semihosting itself, so the code that runs is its own. */
#include <stdint.h>

#include "semihost.h"
#include "services.h"

/* volatile: the compiler must read memory, not what it knows the initializer was. */
volatile uint8_t app_bss_block[4096];
volatile uint32_t app_bss_word;
volatile uint32_t app_data_word = 0xc0ffee42u;
volatile uint8_t app_data_bytes[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
const char app_line[] = "app: hello from RAM, bss ok, data ok\n";

void app_start(const struct boot_services *svc);

static void fail(const struct boot_services *svc, const char *what, uint32_t code)
{
	svc->print(what);
	semihost_exit(code);
}

void app_start(const struct boot_services *svc)
{
	uint32_t sum = 0, nonzero = 0;

	if (!svc || svc->magic != BOOT_SERVICES_MAGIC || !svc->print)
		semihost_exit(EXIT_APP_BAD_SVC);
	for (uint32_t i = 0; i < sizeof(app_bss_block); i++)
		nonzero |= app_bss_block[i];
	if (nonzero || app_bss_word)
		fail(svc, "app: .bss is not zero\n", EXIT_APP_BAD_BSS);
	for (uint32_t i = 0; i < sizeof(app_data_bytes); i++)
		sum += app_data_bytes[i];
	if (app_data_word != 0xc0ffee42u || sum != 136)
		fail(svc, "app: .data does not hold its initial values\n", EXIT_APP_BAD_DATA);
	/* The RAM must also be writable. */
	app_data_word++;
	app_bss_word = 7;
	if (app_data_word != 0xc0ffee43u || app_bss_word != 7)
		fail(svc, "app: .data/.bss not writable\n", EXIT_APP_BAD_DATA);
	if (app_line[0] != 'a' || app_line[sizeof(app_line) - 2] != '\n')
		fail(svc, "app: .rodata is wrong\n", EXIT_APP_BAD_RODATA);
	svc->print(app_line);
	semihost_exit(EXIT_APP_OK);
}
