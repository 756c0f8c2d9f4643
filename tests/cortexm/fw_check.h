/* Output and checks of the Cortex-M test firmwares: a value in hex after a label, and a
 * check that ends the run with its own exit code ("fw: FAIL ..." first) when it fails. */
#ifndef CORTEXM_FW_CHECK_H
#define CORTEXM_FW_CHECK_H

#include <stdint.h>

#include "semihost.h"

static inline void put_hex(const char *label, uint32_t v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
	b[10] = 0;
	semihost_print(label);
	semihost_print(b);
}

static inline void check(int ok, uint32_t code, const char *what)
{
	if (ok)
		return;
	semihost_print("fw: FAIL ");
	semihost_print(what);
	semihost_print("\n");
	semihost_exit(code);
}

/* `p`, the address a module gave for symbol `name`; a NULL one ends the run with `code`. */
static inline void *need_symbol(void *p, const char *name, uint32_t code)
{
	if (!p) {
		semihost_print("fw: FAIL missing symbol ");
		semihost_print(name);
		semihost_print("\n");
		semihost_exit(code);
	}
	return p;
}

#endif
