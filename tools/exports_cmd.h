/*
 * What `elfmod exports` and `elfmod check` share (tools/exports_cmd.c): a firmware's
 * export set read from its symbol table or from a listing the generator wrote, and the
 * ABI a firmware or module was built for (header, build attributes).
 *
 * The listing is the host's copy of a generated table: text lines, the same in the
 * comment at the top of exports.c and in the non-allocated section .elfmod.listing that
 * exports.c adds to the firmware that compiles it (no memory on the device):
 *
 *   elfmod-exports 1
 *   table NAME named|hashed COUNT FINGERPRINT
 *   target machine=40 class=32 data=le flags=0x5000200 KEY=VALUE...
 *   sym HASH NAME            (COUNT lines, in index order: by hash, then name)
 *   end
 */
#ifndef ELFMOD_TOOLS_EXPORTS_CMD_H
#define ELFMOD_TOOLS_EXPORTS_CMD_H

#include "elfmod.h"

#include <stddef.h>
#include <stdint.h>

#define TOOL_LISTING_SECTION ".elfmod.listing"
#define TOOL_LISTING_MAGIC "elfmod-exports 1"
#define TOOL_ABI_SECTION ".elfmod.abi"

/* What code must agree with to run with a firmware. -1: not known. */
struct tool_target {
	uint16_t machine;
	uint8_t cls, big_endian;
	uint32_t flags;
	/* ARM build attributes (.ARM.attributes, "aeabi"); arm_attrs 0 when absent. */
	int arm_attrs;
	int arm_profile, arm_arch, arm_isa, arm_thumb, arm_fp, arm_vfp_args, arm_enum, arm_wchar;
	int arm_align_needed, arm_align_preserved;
	/* RISC-V Tag_RISCV_arch, "" when absent. */
	char riscv_arch[256];
	/* MIPS .MIPS.abiflags (or Tag_GNU_MIPS_ABI_FP for the fp ABI). */
	int mips_fp, mips_isa, mips_rev;
	/* Xtensa .xtensa.info: ABI= and USE_ABSOLUTE_LITERALS=. */
	int xtensa_abi, xtensa_abslit;
};

struct tool_xsym {
	char *name;
	uint32_t hash;
	uint8_t type;   /* STT_* of the definition (generator only) */
};

struct tool_xtable {
	char *origin;        /* the file it was read from */
	char *name;          /* C name of the table object */
	int hashed;
	int module;          /* a module's exports (elfmod check --dep), not the firmware's */
	uint64_t fingerprint; /* 0: none (a table collected at link time, a module) */
	size_t n;
	struct tool_xsym *e; /* index order */
};

/* Glob patterns from --allow/--deny files. */
struct tool_patterns {
	char **pat;
	char **where;        /* "FILE:LINE" of each, for messages */
	unsigned char *hit;
	size_t n, cap;
};

void *tool_xrealloc(void *p, size_t n);
char *tool_xstrdup(const char *s);

/* Reads a pattern file into `p`. 0, or -1 with the reason printed. */
int tool_patterns_load(struct tool_patterns *p, const char *path);
void tool_patterns_free(struct tool_patterns *p);

/* The names `elfmod exports` would export from the firmware in `elf` (opened from
 * `path`): global or weak defined functions and objects of default or protected
 * visibility, allowed by `allow` (all when it has no pattern) and not denied by
 * `deny`, minus the table objects a generated listing in the firmware names. Sorted
 * into index order with hashes and fingerprint. 0, or -1 with the reason printed. */
int tool_xtable_from_symbols(const struct elfmod_elf *elf, const char *path, struct tool_patterns *allow,
			     struct tool_patterns *deny, struct tool_xtable *t);

/* Sorts into index order, computes hashes and the fingerprint. Returns the index of the
 * first of two equal names (n when none). */
size_t tool_xtable_finish(struct tool_xtable *t);
void tool_xtable_free(struct tool_xtable *t);

/* The first entry of `t` an import of `name` would bind to, as the core's lookup
 * finds it (hash match alone in a hashed table), or NULL. */
const struct tool_xsym *tool_xtable_find(const struct tool_xtable *t, const char *name);

/* Parses listings (one or several, one after the other) from `text`. Appends the tables
 * to *tabs / *ntabs and fills `target` from their target line (all must agree).
 * 0, or -1 with "origin: reason" printed. */
int tool_listing_parse(const char *text, size_t len, const char *origin, struct tool_xtable **tabs,
		       size_t *ntabs, struct tool_target *target, int *have_target);

/* The listing in the leading comment of an exports.c (`text`, `len` bytes) into a new
 * buffer *lst of *n bytes, for tool_listing_parse. 0, or -1 with the reason printed. */
int tool_listing_from_c(const char *text, size_t len, const char *path, char **lst, size_t *n);

/* The tables of the listing section of a firmware, if it has one (*ntabs unchanged
 * otherwise). 0, or -1 with the reason printed. */
int tool_firmware_listing(const struct elfmod_elf *elf, const char *path, struct tool_xtable **tabs,
			  size_t *ntabs, struct tool_target *target, int *have_target);

/* The target description of an ELF file: header, attributes. 0, or -1 printed. */
int tool_target_read(const struct elfmod_elf *elf, const char *path, struct tool_target *t);

/* The target line of a listing ("target machine=..."), into buf. */
void tool_target_format(const struct tool_target *t, char *buf, size_t size);
/* Whether two targets have the same target line. */
int tool_target_same(const struct tool_target *a, const struct tool_target *b);

/* Section `idx` read into a new buffer (NUL-terminated for convenience). Sections over
 * `max` bytes are refused. 0, or an ELFMOD_E* code. */
int tool_section_read(const struct elfmod_elf *elf, uint32_t idx, uint64_t max, uint8_t **out, size_t *len);

/* Index of the first section named `name` (0 when none). 0, or an ELFMOD_E* code. */
int tool_section_find(const struct elfmod_elf *elf, const char *name, uint32_t *idx);

/* SHA-256 fingerprint of names in index order, each with its NUL. */
uint64_t tool_fingerprint(const struct tool_xtable *t);

/* A symbol name the generated C can refer to with an asm label. */
int tool_name_ok(const char *s);

#endif
