/* A module that exports only what it marks. */
#include "elfmod.h"

int visible(void);
int hidden(void);
int visible(void) { return 1; }
int hidden(void) { return 2; }
ELFMOD_MODULE_EXPORT(visible);
