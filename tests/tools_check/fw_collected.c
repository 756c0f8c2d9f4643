/* Exports by ELFMOD_EXPORT (a table the linker collects): the firmware offers these
 * and nothing else of fw.c. */
#include "elfmod.h"

extern int fw_counter;
int fw_add(int a, int b);

ELFMOD_EXPORT(fw_add);
ELFMOD_EXPORT_AS("fw_counter_alias", fw_counter);
