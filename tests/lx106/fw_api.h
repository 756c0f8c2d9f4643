/* What the lx106 hosts (the sim firmware and the Linux-user program) offer to modules:
 * the only contract between them and the modules, which are compiled separately and
 * linked by elfmod at run time against the host's export table (host.c). */
#ifndef LX106_FW_API_H
#define LX106_FW_API_H

typedef void (*fw_callback_fn)(int value);

void fw_print(const char *s);
/* The module hands the host a function to call later (events, interrupts). */
void fw_register_callback(fw_callback_fn fn);
int fw_twice(int x);

#endif
