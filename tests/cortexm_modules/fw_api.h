/* What the firmware offers to modules: the only contract between the firmware and
 * the modules it loads, which are compiled separately and linked by elfmod at run time
 * against the firmware's export table (fw.c, ELFMOD_EXPORT). */
#ifndef CORTEXM_MODULES_FW_API_H
#define CORTEXM_MODULES_FW_API_H

typedef void (*fw_callback_fn)(int value);

void fw_print(const char *s);
/* The module hands the firmware a function to call later (events, interrupts). */
void fw_register_callback(fw_callback_fn fn);
int fw_twice(int x);

#endif
