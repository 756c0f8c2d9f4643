/* Subcommands of the elfmod CLI. Each returns the process exit code. */
#ifndef ELFMOD_TOOLS_H
#define ELFMOD_TOOLS_H

int cmd_inspect(int argc, char **argv);
int cmd_run(int argc, char **argv);

int cmd_link(int argc, char **argv);
/* tools/exports_cmd.c, tools/check.c */
int cmd_exports(int argc, char **argv);
int cmd_check(int argc, char **argv);
/* tools/sign.c, built when libsodium is there (ELFMOD_TOOL_SIGN) */
int cmd_keygen(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* An ELF executable made of given sections (tools/elfout.c). */
#include <stdint.h>
#define TOOL_ELF_MAX_SECS 520
struct tool_elf_sec {
	const char *name;
	uint32_t type;
	uint64_t flags, addr, size, align;
	const void *bytes;
};
struct tool_elf_out {
	uint8_t cls, big_endian;
	uint16_t machine;
	uint32_t flags;
	unsigned nsecs;
	struct tool_elf_sec secs[TOOL_ELF_MAX_SECS];
};
int tool_elf_add(struct tool_elf_out *w, const char *name, uint32_t type, uint64_t flags,
		 uint64_t addr, const void *bytes, uint64_t size, uint64_t align);
int tool_elf_write(const struct tool_elf_out *w, const char *path);

/* The C library table `run` links modules against. */
struct elfmod_exports;
int tool_libc_exports(struct elfmod_exports *t);

/* Prints "elfmod: FILE: message" for a failed core call, with the diagnostic. */
struct elfmod_diag;
void tool_error(const char *file, int err, const struct elfmod_diag *diag);

#endif
