/* The per-architecture interface. One file per architecture implements it; generic
 * code never tests e_machine itself. Internal: nothing here is public API.
 *
 * Division of labour: the generic code (src/module.c) finds S (symbol value, or the
 * address of a GOT slot / stub when the arch asks for one), A (explicit for RELA, read
 * in place through `addend` for REL), P (run address of the place) and a write pointer
 * to the bytes, and checks that the field lies inside its section. The arch file only
 * decodes, encodes and range-checks. All arithmetic is 64-bit with explicit byte order,
 * so any host relocates for any target. */
#ifndef ELFMOD_ARCH_H
#define ELFMOD_ARCH_H

#include <stdint.h>

/* What a relocation type needs from the generic code before allocation. */
#define RF_NONE 0x01u     /* no effect at all: its symbol is not an import (R_*_NONE, hints) */
#define RF_GOT 0x02u      /* needs a GOT slot holding the symbol's address (G) */
#define RF_GOTBASE 0x04u  /* refers to the GOT base (GOT): the module must have a GOT */
#define RF_CALL 0x08u     /* a branch: may go through a stub (L) when the target is out of reach */
#define RF_PCREL 0x10u    /* PC-relative data reference with limited reach: the target must be
			   * near the module (the allocator gets a "near" hint) */
#define RF_SIZE 0x20u     /* uses the symbol's size (Z) rather than its address */
#define RF_PAIR_HI 0x40u  /* computes a value its RF_PAIR_LO partners need (pair_value) */
#define RF_PAIR_LO 0x80u  /* needs the value of the RF_PAIR_HI relocation whose place is
			   * this one's S + A (RISC-V PCREL_LO12 -> PCREL_HI20/GOT_HI20) */
#define RF_GOT_PAGE 0x200u /* with its RF_PAIR_NEXT partner found: a GOT slot per distinct
			    * page_value() instead of the symbol's slot (MIPS GOT16 against a
			    * symbol that binds locally, static or hidden) */
#define RF_HIGH 0x400u    /* keeps only the high part of its value, with no partner to
			   * give the rest (ARM MOVT): a REL field cannot be moved by a
			   * difference (--emit-relocs executables) */
#define RF_NOTPC 0x800u   /* an RF_CALL whose field is not relative to the place (MIPS
			   * J/JAL: an address inside the current 256 MiB segment) */
#define RF_PAIR_NEXT 0x100u /* needs the addend of the next relocation of type
			     * pair_type(type) against the same symbol, later in the same
			     * table (MIPS REL HI16 -> LO16) */

struct reloc_info {
	uint16_t flags; /* RF_* */
	uint8_t size;   /* bytes of the field at r_offset (checked against the section) */
};

/* Everything one relocation needs, computed by the generic code. */
struct reloc_args {
	uint32_t type;
	uint8_t big_endian;
	uint8_t weak_undef;  /* the symbol is an undefined weak one (S == 0) */
	uint8_t *loc;        /* where to write: `size` bytes from reloc_info are valid here */
	uint64_t S;          /* symbol value (run address) */
	int64_t A;           /* addend */
	uint64_t P;          /* run address of the place */
	uint64_t GOT;        /* run address of the module's GOT base (0 when it has none) */
	uint64_t G;          /* run address of the symbol's GOT slot (when RF_GOT) */
	uint64_t L;          /* run address of the symbol's stub (when RF_CALL and one was made), else 0 */
	uint64_t Z;          /* symbol size (when RF_SIZE) */
	uint32_t e_flags;    /* the module's e_flags */
	uint8_t cls;         /* the module's ELF class: 32 or 64 */
	uint8_t sym_prel;    /* the symbol is an arch built-in whose value is relative to the
			      * place (MIPS _gp_disp = _gp - P): see arch_desc.builtin */
	uint8_t native;      /* the module will run on this host, its imports being host code
			      * built to the host's conventions (0 for `elfmod link`) */
	uint8_t sym_local;   /* the symbol has STB_LOCAL binding in the object */
	uint64_t obj;        /* the object's obj_value() (0 when the arch or the object has none) */
	/* RF_PAIR_LO: the partner's pair_value(); RF_PAIR_NEXT: the partner's addend.
	 * has_pair is 0 when no partner was found (the arch decides whether that is an
	 * error: RISC-V requires one, MIPS allows a lone HI16). */
	uint64_t pair;
	uint8_t has_pair;
};

/* What a dynamic relocation (ET_DYN, DT_REL/RELA/JMPREL) does, for dyn_kind(). All but
 * DYN_PC write a word of the module's class; A is the explicit addend (RELA) or the
 * word in place (REL), except for DYN_GLOB, which ignores a REL place as ld.so does. */
enum {
	DYN_UNSUPPORTED = 0,
	DYN_NONE,       /* nothing */
	DYN_RELATIVE,   /* B + A */
	DYN_ABS,        /* S + A (symbol 0 stands for B) */
	DYN_GLOB,       /* S + A (GLOB_DAT, JUMP_SLOT) */
	DYN_PC,         /* S + A - P, 32 bits (text relocations of i386/ARM) */
	DYN_IRELATIVE,  /* the result of calling B + A: native loads only */
	DYN_COPY,       /* refused: needs an executable's own data */
	DYN_TLS,        /* refused: elfmod has no thread-local storage */
};

/* What the ABI relocates without relocation entries (MIPS: the GOT, from DT_MIPS_*),
 * through the loader's view of a mapped ET_DYN image. */
struct dyn_view {
	void *ctx;
	uint64_t bias;      /* run address minus link address */
	uint8_t cls, big_endian;
	/* The value of dynamic tag `tag`: 0, or ENOTFOUND when absent. */
	int (*tag)(void *ctx, int64_t tag, uint64_t *val);
	/* Where `len` bytes at link address `vaddr` are, checked against the image. */
	int (*at)(void *ctx, uint64_t vaddr, uint64_t len, uint8_t **wr);
	/* S of dynamic symbol `idx`: its run address, an import's, or 0 for an undefined
	 * weak one; EUNDEF/EINDEX otherwise (with the diagnostic set). */
	int (*sym)(void *ctx, uint32_t idx, uint64_t *val);
};

struct arch_desc {
	uint16_t machine;            /* EM_* */
	const char *name;            /* human name, e.g. "AArch64" */
	/* Relocation type names indexed by type; NULL holes for unassigned numbers.
	 * Only present when ELFMOD_CFG_RELOC_NAMES is set. */
	const char *const *reloc_names;
	uint32_t nreloc_names;

	/* Relocation support; all NULL for an architecture that only has names so far. */
	uint8_t classes;             /* ELF classes handled: bit 0 ELFCLASS32, bit 1 ELFCLASS64 */
	uint8_t stub_size;           /* bytes of one call stub (0: the arch never needs stubs) */
	uint8_t stub_align;
	/* Fills `out` for a supported type; ELFMOD_EUNSUPPORTED otherwise. */
	int (*info)(uint32_t type, struct reloc_info *out);
	/* REL only: the addend stored in the field at loc. */
	int (*addend)(uint32_t type, const uint8_t *loc, int big_endian, int64_t *A);
	/* Writes the relocated field. ELFMOD_ERANGE when the value does not fit. */
	int (*apply)(const struct reloc_args *r);
	/* Writes a stub at `wr` (run address `at`) that jumps to `target`. */
	void (*stub)(uint8_t *wr, uint64_t at, uint64_t target, int big_endian);
	/* Whether a call of `type` to a symbol defined in the module, whose st_value is
	 * `value`, needs a stub whatever the distance (e.g. a branch that cannot change
	 * instruction set to an ARM/Thumb target of the other state). It may depend on
	 * bit 0 of `value` only: the loader asks once per type with 0 and 1. NULL: never. */
	int (*local_stub)(uint32_t type, uint64_t value);
	/* Rewrites a run of code just copied into place, `kind` being its mapping symbol's
	 * letter ($a, $t, ...; data runs, $d, are not passed). Big-endian ARM objects hold
	 * instructions big-endian, and ARMv7/ARMv6-M (BE8) run them little-endian: the
	 * loader swaps them as `ld --be8` does. Relocation fields in code are then read and
	 * written little-endian by the arch. Called for big-endian objects only (so
	 * little-endian code can run in place). NULL: the arch has no mapping symbols. */
	void (*fix_code)(uint8_t *wr, uint64_t len, char kind, int big_endian);
	/* RF_PAIR_HI types: the value their RF_PAIR_LO partners receive as `pair` (e.g.
	 * S + A - P for RISC-V PCREL_HI20, G + A - P for GOT_HI20). */
	uint64_t (*pair_value)(const struct reloc_args *r);
	/* RF_PAIR_NEXT types: the type of the partner to look for (MIPS HI16 -> LO16). */
	uint32_t (*pair_type)(uint32_t type);
	/* RF_GOT_PAGE: the value the GOT slot of this relocation must hold. */
	uint64_t (*page_value)(const struct reloc_args *r);
	/* Names the arch defines itself, relative to the module's GOT: returns 1 and sets
	 * *got_off (the value is GOT + *got_off) and *prel (1 when apply() must take it
	 * relative to the place). NULL: none. */
	int (*builtin)(const char *name, uint64_t *got_off, uint8_t *prel);
	/* A value relocations need from the object as a whole, kept in a section of type
	 * obj_sh_type (at least obj_size bytes, read from its start) and handed to apply()
	 * as reloc_args.obj: MIPS reads the gp value of an earlier `ld -r` from .reginfo.
	 * NULL: none. */
	uint64_t (*obj_value)(const uint8_t *data, int big_endian);
	uint32_t obj_sh_type;
	uint8_t obj_size;            /* at most 32 */
	/* What to tell the user when a PC-relative reference cannot reach an import
	 * (the build option that avoids it). NULL: a generic message. */
	const char *far_hint;
	/* Whether a call of `type` reaches every address of a `cls`-bit address space, so
	 * it never needs a stub (RISC-V AUIPC+JALR on RV32). NULL: no type does. */
	int (*reaches_all)(uint32_t type, uint8_t cls);
	/* ET_DYN: the DYN_* kind of dynamic relocation `type` in an object of class `cls`
	 * (32/64); NULL: shared objects of this
	 * machine are not supported. */
	uint8_t (*dyn_kind)(uint32_t type, uint8_t cls);
	/* ET_DYN: relocation done without entries, after the tables. NULL: none. */
	int (*dyn_implicit)(const struct dyn_view *v);
	/* RF_NOTPC types: the whole target address a field at place P holding addend A
	 * stands for, the bits it lacks being taken from the place (MIPS J/JAL: the
	 * 256 MiB segment of P + 4). Needed to move such a field by a difference. */
	uint64_t (*notpc_target)(uint32_t type, int64_t A, uint64_t P);
	/* Whether the executable section `name` (up to 31 characters; longer names read
	 * as "") must start the text region, ahead of the other code in file order. NULL:
	 * file order throughout. */
	int (*text_first)(const char *name);
	/* A hint for the user when a relocation of `type` fails with ERANGE (the build
	 * option that avoids it), or NULL. */
	const char *(*range_hint)(uint32_t type);
	/* Whether a module with these e_flags can run on this build's host (NULL: any). */
	int (*flags_ok)(uint32_t module_flags);
};

extern const struct arch_desc elfmod__arch_x86_64;
extern const struct arch_desc elfmod__arch_i386;
extern const struct arch_desc elfmod__arch_arm;
extern const struct arch_desc elfmod__arch_aarch64;
extern const struct arch_desc elfmod__arch_riscv;
extern const struct arch_desc elfmod__arch_xtensa;
extern const struct arch_desc elfmod__arch_mips;

/* The machine this build runs on: modules loaded without opts->machine must match it. */
#if defined(__x86_64__)
#define ELFMOD__HOST_MACHINE 62
#define ELFMOD__HOST_ARCH elfmod__arch_x86_64
#elif defined(__i386__)
#define ELFMOD__HOST_MACHINE 3
#define ELFMOD__HOST_ARCH elfmod__arch_i386
#elif defined(__aarch64__)
#define ELFMOD__HOST_MACHINE 183
#define ELFMOD__HOST_ARCH elfmod__arch_aarch64
#elif defined(__arm__)
#define ELFMOD__HOST_MACHINE 40
#define ELFMOD__HOST_ARCH elfmod__arch_arm
#elif defined(__riscv)
#define ELFMOD__HOST_MACHINE 243
#define ELFMOD__HOST_ARCH elfmod__arch_riscv
#elif defined(__xtensa__)
#define ELFMOD__HOST_MACHINE 94
#define ELFMOD__HOST_ARCH elfmod__arch_xtensa
#elif defined(__mips__)
#define ELFMOD__HOST_MACHINE 8
#define ELFMOD__HOST_ARCH elfmod__arch_mips
#else
#define ELFMOD__HOST_MACHINE 0
#endif

/* The descriptor for `machine`, or NULL. */
const struct arch_desc *elfmod__arch_find(uint16_t machine);

#endif
