/* What the bootloader hands to the application it starts: the contract between the
 * two images, which are linked separately and share nothing else. */
#ifndef CORTEXM_SERVICES_H
#define CORTEXM_SERVICES_H

#include <stdint.h>

#define BOOT_SERVICES_MAGIC 0x5e41c0deu

struct boot_services {
	uint32_t magic;
	void (*print)(const char *s);
};

/* The application's entry point, e_entry of its ELF image. */
typedef void (*app_entry_fn)(const struct boot_services *svc);

/* Exit codes seen by the test through semihosting SYS_EXIT_EXTENDED. */
#define EXIT_APP_OK 42       /* the application ran and every check passed */
#define EXIT_REFUSED_OK 21   /* the bad image was refused with EWINDOW, nothing written */
#define EXIT_LOAD_FAILED 1   /* elfmod_exec_load failed on a good image */
#define EXIT_BAD_ACCEPTED 2  /* the bad image was accepted */
#define EXIT_CLOBBERED 3     /* memory changed although the image was refused */
#define EXIT_APP_RETURNED 4  /* the application returned instead of exiting */
#define EXIT_APP_BAD_SVC 10  /* application checks, 10..19 */
#define EXIT_APP_BAD_BSS 11
#define EXIT_APP_BAD_DATA 12
#define EXIT_APP_BAD_RODATA 13
#define EXIT_FAULT 99        /* a processor fault */

#endif
