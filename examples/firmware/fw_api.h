/* The contract between the firmware and what it runs from its modules partition.
 *
 * Relocatable modules (ET_REL) call the firmware's functions by name: elfmod links them
 * at load time against the export table (fw.c, ELFMOD_EXPORT). The execute-in-place
 * image is linked before the firmware exists (it sits inside the firmware's own flash
 * image), so it cannot know the firmware's addresses: it gets them at run time, as a
 * table passed to its entry point, and answers with the table of what it offers. */
#ifndef FIRMWARE_FW_API_H
#define FIRMWARE_FW_API_H

/* Exported to relocatable modules. */
void fw_print(const char *s);
void fw_print_int(int v);
void fw_print_hex(unsigned v);

/* What the shell's `call` runs: up to four int arguments, an int result. Functions
 * with fewer parameters are called the same way (AAPCS: r0-r3 in, r0 out). */
typedef int (*fw_call_fn)(int a, int b, int c, int d);

/* The execute-in-place image: e_entry is an xip_start_fn. */
struct fw_services {
	void (*print)(const char *s);
	void (*print_int)(int v);
	void (*print_hex)(unsigned v);
};

/* Any function, stored as this type (which casts to and from every function type
 * without a warning) and called as an fw_call_fn. */
typedef void (*xip_any_fn)(void);

struct xip_fn {
	const char *name;  /* NULL ends the table */
	xip_any_fn fn;
};

typedef const struct xip_fn *(*xip_start_fn)(const struct fw_services *svc);

#endif
