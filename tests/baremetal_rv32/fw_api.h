/* What the RV32 firmware offers to modules: the only contract between the firmware and
 * the modules it loads, which are compiled separately and linked by elfmod at run time
 * against the firmware's export table (fw.c, ELFMOD_EXPORT). Besides these, the
 * firmware exports memcpy/memset and libgcc's 64-bit division helpers, which the
 * compiler calls on its own. */
#ifndef BAREMETAL_RV32_FW_API_H
#define BAREMETAL_RV32_FW_API_H

typedef void (*fw_callback_fn)(int value);

void fw_print(const char *s);
/* The module hands the firmware a function to call later (events, interrupts). */
void fw_register_callback(fw_callback_fn fn);
int fw_twice(int x);

#endif
