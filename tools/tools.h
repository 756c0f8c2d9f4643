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
#include <stddef.h>
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

/* The image tools (tools/split.c, tools/resetprep.c) and their helpers in elfout.c. */
int cmd_split(int argc, char **argv);
int cmd_reset_prep(int argc, char **argv);
/* tools/pack.c */
int cmd_pack(int argc, char **argv);
struct elfmod_elf;
struct elfmod_phdr;
struct elfmod_shdr;
/* A whole file into malloc'd memory (and its permission bits); a file written whole,
 * removed again when writing fails. Both print why they failed. */
int tool_read_file(const char *path, uint8_t **buf, size_t *size, unsigned *mode);
int tool_write_file(const char *path, const void *buf, size_t size, unsigned mode);
/* Raw headers in a file's class (32/64) and byte order. tool_put_ehdr writes from
 * e_type on (e_ident is the caller's); e_ehsize follows from the class. */
struct tool_ehdr {
	uint16_t type, machine;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t phentsize, phnum, shentsize, shnum, shstrndx;
};
void tool_put(uint8_t *p, uint64_t v, int bytes, int be);
void tool_put_ehdr(uint8_t *p, int cls, int be, const struct tool_ehdr *h);
void tool_put_phdr(uint8_t *p, int cls, int be, const struct elfmod_phdr *ph);
void tool_put_shdr(uint8_t *p, int cls, int be, const struct elfmod_shdr *sh);
const char *tool_section_name(const struct elfmod_elf *elf, uint32_t i, char *buf, size_t size);
/* Refuses, with a message, what is not an ET_EXEC program image whose sections and
 * segments agree: no PT_LOAD, overlapping PT_LOADs, an allocated section outside the
 * PT_LOADs or with its file bytes elsewhere than its segment takes them. */
int tool_check_image(const char *path, const struct elfmod_elf *elf);

/* The C library table `run` links modules against. */
struct elfmod_exports;
int tool_libc_exports(struct elfmod_exports *t);

/* Prints "elfmod: FILE: message" for a failed core call, with the diagnostic; tool_why
 * writes the message alone (the diagnostic when it is about `err`, else its name). */
struct elfmod_diag;
void tool_error(const char *file, int err, const struct elfmod_diag *diag);
void tool_why(int err, const struct elfmod_diag *diag, char *buf, size_t size);

/* A name from a file for a terminal: anything unprintable, and a backslash, as \xNN. */
#include <stdio.h>
void tool_put_text(FILE *f, const char *s);
/* "R_ARM_CALL", or "type N" in buf for a number elfmod has no name for. */
const char *tool_reloc_label(uint16_t machine, uint32_t type, char *buf, size_t size);

/* Opens `path` (mapped) and its ELF header and tables into `f` and `elf`, `d` taking the
 * details. 0, or -1 with "elfmod: PATH: why" printed and the file closed again. */
struct elfmod_posix_file;
int tool_elf_open(const char *path, struct elfmod_posix_file *f, struct elfmod_elf *elf, struct elfmod_diag *d);

#endif
