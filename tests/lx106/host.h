/* The part of the lx106 module tests that both hosts share: the export table modules
 * link against, output, checks that end the run with their own exit code, and what
 * the loaded modules must compute. Each host (sim_fw.c on the bare sim machine,
 * user_main.c under Linux user mode) supplies the two platform functions below and
 * its own memory and sources. */
#ifndef LX106_HOST_H
#define LX106_HOST_H

#include <stdint.h>

#include "elfmod.h"

/* The exit code of a run whose every check passed. */
#define HOST_EXIT_OK 42

/* ---- supplied by the platform ---- */
void host_print(const char *s);
__attribute__((noreturn)) void host_exit(uint32_t code);

/* ---- shared ---- */
void host_put_hex(const char *label, uint32_t v);
/* Ends the run with `code` unless `ok`. */
void host_check(int ok, uint32_t code, const char *what);
/* Prints `what`, the formatted diagnostic and rc on one line. */
void host_print_diag(const char *what, int rc, const struct elfmod_diag *d);
/* Whether `needle` occurs in `s`. */
int host_contains(const char *s, const char *needle);

/* Indexes the export table into `reg` (exit code 1 on failure). */
void host_exports_init(struct elfmod_registry *reg);

/* A symbol the module exports, or the end of the run with `code`. */
void *host_sym(const struct elfmod_module *m, const char *name, uint32_t code);
void host_unload(struct elfmod_module *m, uint32_t code);

/* What each module must compute; every failure exits with base + something < 10. */
void host_check_lib(const struct elfmod_module *lib, uint32_t base);
void host_check_app(struct elfmod_module *app, const struct elfmod_module *lib,
		    struct elfmod_registry *reg, uint32_t base);
void host_check_tsl(const struct elfmod_module *tsl, uint32_t base);
void host_check_dbg(const struct elfmod_module *dbg, uint32_t base);
/* far.o (a CALL0 to the host beyond reach) and bad.o (an unresolved import) must be
 * refused with these diagnostics; the caller checks that nothing stayed allocated. */
void host_check_far_refused(int rc, const struct elfmod_diag *d, uint32_t code);
void host_check_bad_refused(int rc, const struct elfmod_diag *d, uint32_t code);

#endif
