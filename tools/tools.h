/* Subcommands of the elfmod CLI. Each returns the process exit code. */
#ifndef ELFMOD_TOOLS_H
#define ELFMOD_TOOLS_H

int cmd_inspect(int argc, char **argv);

/* Prints "elfmod: FILE: message" for a failed core call, with the diagnostic. */
struct elfmod_diag;
void tool_error(const char *file, int err, const struct elfmod_diag *diag);

#endif
