/* Subcommands of the elfmod CLI. Each returns the process exit code. */
#ifndef ELFMOD_TOOLS_H
#define ELFMOD_TOOLS_H

int cmd_inspect(int argc, char **argv);
int cmd_run(int argc, char **argv);

/* The C library table `run` links modules against. */
struct elfmod_exports;
int tool_libc_exports(struct elfmod_exports *t);

/* Prints "elfmod: FILE: message" for a failed core call, with the diagnostic. */
struct elfmod_diag;
void tool_error(const char *file, int err, const struct elfmod_diag *diag);

#endif
