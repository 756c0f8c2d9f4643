/*
 * The malformed-input suite. Starts from valid ELF32/ELF64 x LE/BE files written by
 * elfbuild and breaks one field at a time; every mangle expects its exact error code,
 * the stage that reports it (open, the accessors, or the executable loader) and, where
 * it says, the object, index and field of the diagnostic. Each case runs through:
 *   - elfmod_elf_open plus a walk of every accessor, from a buffer source,
 *   - the same from a read-callback source (must agree exactly),
 *   - elfmod_exec_load into a pre-filled window, which must fail the same way for open
 *     and loader errors and must then have written nothing.
 * A few "accepted" cases change a field in a way that is still valid: they pin down
 * that the checks are not stricter than the format.
 * Truncation is generated: every file is cut at every structure boundary and one byte
 * before it, and the expected diagnostic comes from the layout.
 */
#include "check.h"
#include "elfbuild.h"
#include "memsrc.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>

#define WIN_BASE 0x10000u
#define WIN_SIZE 0x4000u
#define GUARD 64
#define FILLB 0xAA

enum base { B_PLAIN, B_ESC, B_SEGONLY, B_ONELOAD, B_NBASES };
enum kind { K_EHDR, K_SHDR, K_SHDR0, K_PHDR, K_SYM, K_RELA, K_REL, K_LASTBYTE, K_SHNDX_ENT, K_CUSTOM };
enum op {
	V_SET,     /* v */
	V_ADD,     /* current + v */
	V_FSIZE,   /* file size + v */
	V_TOP,     /* highest address of the class - v */
	V_U64TOP,  /* UINT64_MAX - v (a 4-byte field keeps the low half) */
	V_SEC,     /* index of named section v */
	V_SHNUM,   /* section count + v */
	V_NSYMS,   /* symbol count + v */
	V_SECSIZE, /* size of named section v + v2 */
	V_RSYM,    /* r_info naming symbol nsyms + v, type kept */
	V_CLS,     /* v in an ELF64 file, v2 in an ELF32 one */
};
enum stage { S_OPEN, S_WALK, S_EXEC, S_NONE };
#define C32 1
#define C64 2
#define DI_TARGET 0          /* the mangled object's own index */
#define DI_NONE 1            /* ELFMOD_NOINDEX */
#define DI_ANY 2             /* not checked */
#define DI_SEC(s) (1000 + (s)) /* the index of named section s */
#define DI_LIT(n) (2000 + (n))
#define S2(s) ((s) + 1)      /* expected index2: named section s */

struct mangle {
	const char *name;
	enum base base;
	enum kind kind;
	int target, field;
	enum op op;
	int64_t v, v2;
	int err, err32;          /* err32: the code for ELF32 when it differs (0: same) */
	enum stage stage;
	uint8_t obj;
	int dindex, sec2;
	const char *dfield, *dfield32;
	unsigned classes;        /* C32|C64; 0 = both */
	void (*custom)(struct eb_file *f);
};

/* ---- custom mangles: ones whose value depends on two fields of the layout ---- */

static uint64_t phtab_size(const struct eb_file *f)
{
	return (uint64_t)f->phnum * f->phentsize;
}

/* e_phoff so that the table's last byte is one past the end of the file. */
static void phoff_one_short(struct eb_file *f)
{
	eb_put(f, eb_ehdr(f, EB_E_PHOFF), f->size - phtab_size(f) + 1);
}

/* e_shoff so that section 0 is readable but the rest of the table is not. */
static void shoff_table_past_end(struct eb_file *f)
{
	eb_put(f, eb_ehdr(f, EB_E_SHOFF), f->size - f->shentsize);
}

/* p_offset of segment 0 so that its last byte is one past the end. */
static void poff_one_short(struct eb_file *f)
{
	eb_put(f, eb_phdr(f, 0, EB_P_OFFSET), f->size - f->ph[0].filesz + 1);
}

/* sh_offset of .text so that its last byte is one past the end. */
static void shoff_text_one_short(struct eb_file *f)
{
	eb_put(f, eb_shdr(f, f->idx[EB_TEXT], EB_SH_OFFSET),
	       f->size - f->sh[f->idx[EB_TEXT]].size + 1);
}

/* The memory image, not the file image, must fit: filesz == memsz == huge. */
static void filesz_memsz_huge(struct eb_file *f)
{
	eb_put(f, eb_phdr(f, 1, EB_P_MEMSZ), UINT64_MAX);
	eb_put(f, eb_phdr(f, 1, EB_P_FILESZ), UINT64_MAX - 0x10);
}

/* The single PT_LOAD, moved so its last byte is the top of the address space: valid to
 * open, but no window reaches it. */
static void vaddr_at_top(struct eb_file *f)
{
	eb_put(f, eb_phdr(f, 0, EB_P_VADDR), eb_addr_max(f) - f->ph[0].memsz + 1);
}

/*
 * The SHT_SYMTAB_SHNDX section belongs to another symbol table. .rel.data becomes a
 * one-entry SHT_SYMTAB (its size is exactly one ELF32 symbol), .symtab_shndx links to it
 * and shrinks to its one entry: far_var's SHN_XINDEX in the real .symtab then has no
 * extended index table at all and must be refused, not looked up past the end of the
 * other table's.
 */
static void shndx_of_other_symtab(struct eb_file *f)
{
	uint32_t rel = f->idx[EB_REL], x = f->idx[EB_SHNDX];

	eb_put(f, eb_shdr(f, rel, EB_SH_TYPE), ELFMOD_SHT_SYMTAB);
	eb_put(f, eb_shdr(f, rel, EB_SH_ENTSIZE), f->symentsize);
	eb_put(f, eb_shdr(f, rel, EB_SH_SIZE), f->symentsize);
	eb_put(f, eb_shdr(f, rel, EB_SH_LINK), f->idx[EB_STRTAB]);
	eb_put(f, eb_shdr(f, rel, EB_SH_INFO), 0);
	eb_put(f, eb_shdr(f, rel, EB_SH_FLAGS), 0);
	eb_put(f, eb_shdr(f, x, EB_SH_LINK), rel);
	eb_put(f, eb_shdr(f, x, EB_SH_SIZE), 4);
}

#define SH(n, sec, fld, o, val, e, ob, df, ...)                                            \
	{ .name = n, .kind = K_SHDR, .target = sec, .field = fld, .op = o, .v = val, .err = e, \
	  .obj = ob, .dfield = df, __VA_ARGS__ }
#define EH(n, fld, o, val, e, df, ...)                                                      \
	{ .name = n, .kind = K_EHDR, .field = fld, .op = o, .v = val, .err = e,                \
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = df, __VA_ARGS__ }
#define PH(n, seg, fld, o, val, e, df, ...)                                                 \
	{ .name = n, .kind = K_PHDR, .target = seg, .field = fld, .op = o, .v = val, .err = e, \
	  .obj = ELFMOD_OBJ_PHDR, .dfield = df, __VA_ARGS__ }

static const struct mangle mangles[] = {
	/* ---- ELF header: identification ---- */
	EH("e_ident[EI_MAG0] is not 0x7f", EB_E_MAG0, V_SET, 0x7e, ELFMOD_EMAGIC, "e_ident[EI_MAG]"),
	EH("e_ident[EI_MAG3] is not 'F'", EB_E_MAG3, V_SET, 'G', ELFMOD_EMAGIC, "e_ident[EI_MAG]"),
	EH("EI_CLASS is ELFCLASSNONE", EB_E_CLASS, V_SET, 0, ELFMOD_ECLASS, "e_ident[EI_CLASS]"),
	EH("EI_CLASS is 3", EB_E_CLASS, V_SET, 3, ELFMOD_ECLASS, "e_ident[EI_CLASS]"),
	EH("EI_CLASS is 0xff", EB_E_CLASS, V_SET, 0xff, ELFMOD_ECLASS, "e_ident[EI_CLASS]"),
	EH("EI_DATA is ELFDATANONE", EB_E_DATA, V_SET, 0, ELFMOD_EDATA, "e_ident[EI_DATA]"),
	EH("EI_DATA is 3", EB_E_DATA, V_SET, 3, ELFMOD_EDATA, "e_ident[EI_DATA]"),
	EH("EI_VERSION is 0", EB_E_IDVERSION, V_SET, 0, ELFMOD_EVERSION, "e_ident[EI_VERSION]"),
	EH("EI_VERSION is 2", EB_E_IDVERSION, V_SET, 2, ELFMOD_EVERSION, "e_ident[EI_VERSION]"),
	EH("e_version is 0", EB_E_VERSION, V_SET, 0, ELFMOD_EVERSION, "e_version"),
	EH("e_version is 2", EB_E_VERSION, V_SET, 2, ELFMOD_EVERSION, "e_version"),
	EH("e_version is 0x01000000 (byte-swapped 1)", EB_E_VERSION, V_SET, 0x01000000, ELFMOD_EVERSION,
	   "e_version"),
	/* ---- ELF header: sizes ---- */
	EH("e_ehsize one too big", EB_E_EHSIZE, V_ADD, 1, ELFMOD_EHDRSIZE, "e_ehsize"),
	EH("e_ehsize is 0", EB_E_EHSIZE, V_SET, 0, ELFMOD_EHDRSIZE, "e_ehsize"),
	EH("e_ehsize of the other class", EB_E_EHSIZE, V_CLS, 52, ELFMOD_EHDRSIZE, "e_ehsize", .v2 = 64),
	EH("e_phentsize one too big", EB_E_PHENTSIZE, V_ADD, 1, ELFMOD_EHDRSIZE, "e_phentsize"),
	EH("e_phentsize is 0 with segments", EB_E_PHENTSIZE, V_SET, 0, ELFMOD_EHDRSIZE, "e_phentsize"),
	EH("e_phentsize of the other class", EB_E_PHENTSIZE, V_CLS, 32, ELFMOD_EHDRSIZE, "e_phentsize",
	   .v2 = 56),
	EH("e_shentsize one too small", EB_E_SHENTSIZE, V_ADD, -1, ELFMOD_EHDRSIZE, "e_shentsize"),
	EH("e_shentsize of the other class", EB_E_SHENTSIZE, V_CLS, 40, ELFMOD_EHDRSIZE, "e_shentsize",
	   .v2 = 64),
	EH("e_shentsize is 0xffff", EB_E_SHENTSIZE, V_SET, 0xffff, ELFMOD_EHDRSIZE, "e_shentsize"),
	/* ---- ELF header: table offsets and counts ---- */
	EH("e_phoff at the end of the file", EB_E_PHOFF, V_FSIZE, 0, ELFMOD_ETRUNC, "e_phoff"),
	EH("e_phoff far past the end", EB_E_PHOFF, V_FSIZE, 0x100000, ELFMOD_ETRUNC, "e_phoff"),
	{ .name = "e_phoff so the table ends one byte past the file", .kind = K_CUSTOM,
	  .custom = phoff_one_short, .err = ELFMOD_ETRUNC, .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE,
	  .dfield = "e_phoff" },
	EH("e_phoff + e_phnum*e_phentsize wraps 64 bits", EB_E_PHOFF, V_U64TOP, 16, ELFMOD_EOVERFLOW,
	   "e_phnum", .err32 = ELFMOD_ETRUNC, .dfield32 = "e_phoff"),
	EH("e_shoff at the end of the file", EB_E_SHOFF, V_FSIZE, 0, ELFMOD_ETRUNC, "e_shoff"),
	EH("e_shoff wraps 64 bits", EB_E_SHOFF, V_U64TOP, 16, ELFMOD_ETRUNC, "e_shoff"),
	{ .name = "e_shoff leaves section 0 in the file but not the table", .kind = K_CUSTOM,
	  .custom = shoff_table_past_end, .err = ELFMOD_ETRUNC, .obj = ELFMOD_OBJ_EHDR,
	  .dindex = DI_NONE, .dfield = "e_shoff" },
	EH("e_shnum one more than the table holds", EB_E_SHNUM, V_SHNUM, 1, ELFMOD_ETRUNC, "e_shoff"),
	EH("e_shnum is 0xfeff", EB_E_SHNUM, V_SET, 0xfeff, ELFMOD_ETRUNC, "e_shoff"),
	EH("e_shnum one too small (e_shstrndx now out of range)", EB_E_SHNUM, V_SHNUM, -1, ELFMOD_EINDEX,
	   "e_shstrndx"),
	{ .name = "e_phnum is PN_XNUM while section 0's sh_info is 0", .kind = K_EHDR,
	  .field = EB_E_PHNUM, .op = V_SET, .v = 0xffff, .err = ELFMOD_ENOLOAD, .stage = S_EXEC,
	  .obj = ELFMOD_OBJ_FILE, .dindex = DI_NONE, .dfield = "PT_LOAD" },
	/* ---- ELF header: e_shstrndx ---- */
	EH("e_shstrndx equal to e_shnum", EB_E_SHSTRNDX, V_SHNUM, 0, ELFMOD_EINDEX, "e_shstrndx"),
	EH("e_shstrndx names .text, not a string table", EB_E_SHSTRNDX, V_SEC, EB_TEXT, ELFMOD_ELINK,
	   "e_shstrndx"),
	EH("e_shstrndx names .symtab, not a string table", EB_E_SHSTRNDX, V_SEC, EB_SYMTAB, ELFMOD_ELINK,
	   "e_shstrndx"),
	EH("e_shstrndx is SHN_LORESERVE", EB_E_SHSTRNDX, V_SET, 0xff00, ELFMOD_EINDEX, "e_shstrndx"),
	EH("e_shstrndx is SHN_ABS", EB_E_SHSTRNDX, V_SET, ELFMOD_SHN_ABS, ELFMOD_EINDEX, "e_shstrndx"),
	{ .name = "e_shstrndx is SHN_XINDEX with section 0's sh_link 0 (no names) is accepted",
	  .kind = K_EHDR, .field = EB_E_SHSTRNDX, .op = V_SET, .v = 0xffff, .stage = S_NONE },
	/* ---- ELF header: what the executable loader checks ---- */
	EH("e_type is ET_DYN", EB_E_TYPE, V_SET, ELFMOD_ET_DYN, ELFMOD_ETYPE, "e_type", .stage = S_EXEC),
	EH("e_type is ET_REL", EB_E_TYPE, V_SET, ELFMOD_ET_REL, ELFMOD_ETYPE, "e_type", .stage = S_EXEC),
	EH("e_type is ET_CORE", EB_E_TYPE, V_SET, ELFMOD_ET_CORE, ELFMOD_ETYPE, "e_type", .stage = S_EXEC),
	EH("e_machine is not the expected one", EB_E_MACHINE, V_SET, ELFMOD_EM_RISCV, ELFMOD_EMACHINE,
	   "e_machine", .stage = S_EXEC),
	EH("e_entry in the data segment", EB_E_ENTRY, V_SET, WIN_BASE + 0x2000, ELFMOD_EWINDOW, "e_entry",
	   .stage = S_EXEC),
	EH("e_entry one past the text segment", EB_E_ENTRY, V_SET, WIN_BASE + 64, ELFMOD_EWINDOW,
	   "e_entry", .stage = S_EXEC),
	EH("e_entry one before the text segment", EB_E_ENTRY, V_SET, WIN_BASE - 1, ELFMOD_EWINDOW,
	   "e_entry", .stage = S_EXEC),

	/* ---- extended numbering (a file that uses all three escapes) ---- */
	{ .name = "e_shnum escape: section 0's sh_size is 0xffffffff", .base = B_ESC, .kind = K_SHDR0,
	  .field = EB_SH_SIZE, .op = V_SET, .v = 0xffffffff, .err = ELFMOD_ETRUNC,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_shoff" },
	{ .name = "e_shnum escape: section 0's sh_size is 2^32", .base = B_ESC, .kind = K_SHDR0,
	  .field = EB_SH_SIZE, .op = V_SET, .v = 0x100000000, .err = ELFMOD_EINDEX,
	  .obj = ELFMOD_OBJ_SHDR, .dindex = DI_LIT(0), .dfield = "sh_size (e_shnum escape)",
	  .classes = C64 },
	{ .name = "e_shnum escape: section 0's sh_size is 2^64-1", .base = B_ESC, .kind = K_SHDR0,
	  .field = EB_SH_SIZE, .op = V_U64TOP, .v = 0, .err = ELFMOD_EINDEX, .obj = ELFMOD_OBJ_SHDR,
	  .dindex = DI_LIT(0), .dfield = "sh_size (e_shnum escape)", .classes = C64 },
	{ .name = "e_shnum escape: section 0's sh_size one more than the table", .base = B_ESC,
	  .kind = K_SHDR0, .field = EB_SH_SIZE, .op = V_SHNUM, .v = 1, .err = ELFMOD_ETRUNC,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_shoff" },
	{ .name = "e_shnum escape: section 0's sh_size is 1", .base = B_ESC, .kind = K_SHDR0,
	  .field = EB_SH_SIZE, .op = V_SET, .v = 1, .err = ELFMOD_EINDEX, .obj = ELFMOD_OBJ_EHDR,
	  .dindex = DI_NONE, .dfield = "e_shstrndx" },
	{ .name = "e_phnum escape: section 0's sh_info is 0xffffffff", .base = B_ESC, .kind = K_SHDR0,
	  .field = EB_SH_INFO, .op = V_SET, .v = 0xffffffff, .err = ELFMOD_ETRUNC,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_phoff" },
	{ .name = "e_phnum escape: section 0's sh_info is 0x10000", .base = B_ESC, .kind = K_SHDR0,
	  .field = EB_SH_INFO, .op = V_SET, .v = 0x10000, .err = ELFMOD_ETRUNC,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_phoff" },
	{ .name = "e_shstrndx escape: section 0's sh_link equal to the count", .base = B_ESC,
	  .kind = K_SHDR0, .field = EB_SH_LINK, .op = V_SHNUM, .v = 0, .err = ELFMOD_EINDEX,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_shstrndx" },
	{ .name = "e_shstrndx escape: section 0's sh_link is 0xffffffff", .base = B_ESC,
	  .kind = K_SHDR0, .field = EB_SH_LINK, .op = V_SET, .v = 0xffffffff, .err = ELFMOD_EINDEX,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_shstrndx" },
	{ .name = "e_shstrndx escape: section 0's sh_link names .text", .base = B_ESC,
	  .kind = K_SHDR0, .field = EB_SH_LINK, .op = V_SEC, .v = EB_TEXT, .err = ELFMOD_ELINK,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_shstrndx" },
	{ .name = "segment-only file: e_phnum is PN_XNUM with no section 0", .base = B_SEGONLY,
	  .kind = K_EHDR, .field = EB_E_PHNUM, .op = V_SET, .v = 0xffff, .err = ELFMOD_EINDEX,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_phnum" },
	{ .name = "segment-only file: e_shnum set while e_shoff is 0", .base = B_SEGONLY,
	  .kind = K_EHDR, .field = EB_E_SHNUM, .op = V_SET, .v = 3, .err = ELFMOD_EINDEX,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_shnum" },
	{ .name = "segment-only file: e_shstrndx set without sections", .base = B_SEGONLY,
	  .kind = K_EHDR, .field = EB_E_SHSTRNDX, .op = V_SET, .v = 1, .err = ELFMOD_EINDEX,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_shstrndx" },
	{ .name = "segment-only file: p_offset past the end", .base = B_SEGONLY, .kind = K_PHDR,
	  .target = 1, .field = EB_P_OFFSET, .op = V_FSIZE, .v = 0, .err = ELFMOD_ETRUNC,
	  .obj = ELFMOD_OBJ_PHDR, .dfield = "p_offset" },

	/* ---- section headers: bounds in the file ---- */
	SH(".text sh_offset at the end of the file", EB_TEXT, EB_SH_OFFSET, V_FSIZE, 0, ELFMOD_ETRUNC,
	   ELFMOD_OBJ_SHDR, "sh_offset"),
	{ .name = ".text sh_offset so its last byte is past the end", .kind = K_CUSTOM,
	  .custom = shoff_text_one_short, .err = ELFMOD_ETRUNC, .obj = ELFMOD_OBJ_SHDR,
	  .dindex = DI_SEC(EB_TEXT), .dfield = "sh_offset" },
	SH(".text sh_offset+sh_size wraps 64 bits", EB_TEXT, EB_SH_OFFSET, V_U64TOP, 8, ELFMOD_EOVERFLOW,
	   ELFMOD_OBJ_SHDR, "sh_size", .err32 = ELFMOD_ETRUNC, .dfield32 = "sh_offset"),
	SH(".text sh_size wraps 64 bits", EB_TEXT, EB_SH_SIZE, V_U64TOP, 0, ELFMOD_EOVERFLOW,
	   ELFMOD_OBJ_SHDR, "sh_size", .err32 = ELFMOD_ETRUNC, .dfield32 = "sh_offset"),
	SH(".symtab sh_offset past the end", EB_SYMTAB, EB_SH_OFFSET, V_FSIZE, 1, ELFMOD_ETRUNC,
	   ELFMOD_OBJ_SHDR, "sh_offset"),
	SH(".strtab sh_size past the end", EB_STRTAB, EB_SH_SIZE, V_FSIZE, 0, ELFMOD_ETRUNC,
	   ELFMOD_OBJ_SHDR, "sh_offset"),
	SH(".rela.text sh_offset past the end", EB_RELA, EB_SH_OFFSET, V_FSIZE, 0x1000, ELFMOD_ETRUNC,
	   ELFMOD_OBJ_SHDR, "sh_offset"),
	SH(".shstrtab sh_offset+sh_size wraps 64 bits", EB_SHSTRTAB, EB_SH_OFFSET, V_U64TOP, 0,
	   ELFMOD_EOVERFLOW, ELFMOD_OBJ_SHDR, "sh_size", .err32 = ELFMOD_ETRUNC,
	   .dfield32 = "sh_offset"),
	SH(".bss (NOBITS) sh_offset past the end is accepted", EB_BSS, EB_SH_OFFSET, V_FSIZE, 0x1000, 0,
	   0, NULL, .stage = S_NONE),
	SH(".bss (NOBITS) sh_size larger than the file is accepted", EB_BSS, EB_SH_SIZE, V_SET, 0xfffff, 0, 0, NULL,
	   .stage = S_NONE),
	/* ---- section headers: names, alignment, addresses ---- */
	SH(".text sh_name equal to the .shstrtab size", EB_TEXT, EB_SH_NAME, V_SECSIZE, EB_SHSTRTAB,
	   ELFMOD_ESTRING, ELFMOD_OBJ_SHDR, "sh_name"),
	SH(".data sh_name is 0xffffffff", EB_DATA, EB_SH_NAME, V_SET, 0xffffffff, ELFMOD_ESTRING,
	   ELFMOD_OBJ_SHDR, "sh_name"),
	SH(".shstrtab sh_name past its own size", EB_SHSTRTAB, EB_SH_NAME, V_SECSIZE, EB_SHSTRTAB,
	   ELFMOD_ESTRING, ELFMOD_OBJ_SHDR, "sh_name", .v2 = 7),
	SH(".text sh_addralign is 3", EB_TEXT, EB_SH_ADDRALIGN, V_SET, 3, ELFMOD_EALIGN, ELFMOD_OBJ_SHDR,
	   "sh_addralign"),
	SH(".data sh_addralign is 0x30", EB_DATA, EB_SH_ADDRALIGN, V_SET, 0x30, ELFMOD_EALIGN,
	   ELFMOD_OBJ_SHDR, "sh_addralign"),
	SH(".symtab sh_addralign is all ones", EB_SYMTAB, EB_SH_ADDRALIGN, V_U64TOP, 0, ELFMOD_EALIGN,
	   ELFMOD_OBJ_SHDR, "sh_addralign"),
	SH(".bss sh_addralign is 6", EB_BSS, EB_SH_ADDRALIGN, V_SET, 6, ELFMOD_EALIGN, ELFMOD_OBJ_SHDR,
	   "sh_addralign"),
	SH(".text sh_addralign 0 is accepted", EB_TEXT, EB_SH_ADDRALIGN, V_SET, 0, 0, 0, NULL,
	   .stage = S_NONE),
	SH(".text sh_addr+sh_size wraps the address space", EB_TEXT, EB_SH_ADDR, V_TOP, 8,
	   ELFMOD_EOVERFLOW, ELFMOD_OBJ_SHDR, "sh_addr"),
	SH(".bss sh_addr+sh_size wraps the address space", EB_BSS, EB_SH_ADDR, V_TOP, 0x4e,
	   ELFMOD_EOVERFLOW, ELFMOD_OBJ_SHDR, "sh_addr"),
	SH(".data ending at the top of the address space is accepted", EB_DATA, EB_SH_ADDR, V_TOP, 47,
	   0, 0, NULL, .stage = S_NONE),
	SH(".symtab (not SHF_ALLOC) sh_addr near the top is accepted", EB_SYMTAB, EB_SH_ADDR, V_TOP, 0,
	   0, 0, NULL, .stage = S_NONE),
	/* ---- section headers: sh_link and sh_info ---- */
	SH(".text sh_link equal to e_shnum", EB_TEXT, EB_SH_LINK, V_SHNUM, 0, ELFMOD_EINDEX,
	   ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".symtab sh_link names .text, not a string table", EB_SYMTAB, EB_SH_LINK, V_SEC, EB_TEXT,
	   ELFMOD_ELINK, ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".symtab sh_link names itself", EB_SYMTAB, EB_SH_LINK, V_SEC, EB_SYMTAB, ELFMOD_ELINK,
	   ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".symtab sh_link is 0", EB_SYMTAB, EB_SH_LINK, V_SET, 0, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR,
	   "sh_link"),
	SH(".symtab sh_link is 0xffffffff", EB_SYMTAB, EB_SH_LINK, V_SET, 0xffffffff, ELFMOD_EINDEX,
	   ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".symtab sh_info one past the last symbol", EB_SYMTAB, EB_SH_INFO, V_NSYMS, 1, ELFMOD_EINDEX,
	   ELFMOD_OBJ_SHDR, "sh_info"),
	SH(".symtab sh_info is 0xffffffff", EB_SYMTAB, EB_SH_INFO, V_SET, 0xffffffff, ELFMOD_EINDEX,
	   ELFMOD_OBJ_SHDR, "sh_info"),
	SH(".symtab sh_info equal to the symbol count is accepted", EB_SYMTAB, EB_SH_INFO, V_NSYMS, 0, 0,
	   0, NULL, .stage = S_NONE),
	SH(".rela.text sh_link names .strtab, not a symbol table", EB_RELA, EB_SH_LINK, V_SEC, EB_STRTAB,
	   ELFMOD_ELINK, ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".rel.data sh_link names .text, not a symbol table", EB_REL, EB_SH_LINK, V_SEC, EB_TEXT,
	   ELFMOD_ELINK, ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".rel.data sh_link equal to e_shnum", EB_REL, EB_SH_LINK, V_SHNUM, 0, ELFMOD_EINDEX,
	   ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".rela.text sh_info (SHF_INFO_LINK) equal to e_shnum", EB_RELA, EB_SH_INFO, V_SHNUM, 0,
	   ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, "sh_info"),
	SH(".rel.data sh_info (no SHF_INFO_LINK) equal to e_shnum", EB_REL, EB_SH_INFO, V_SHNUM, 0,
	   ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, "sh_info"),
	SH(".rel.data sh_info is 0xffffffff", EB_REL, EB_SH_INFO, V_SET, 0xffffffff, ELFMOD_EINDEX,
	   ELFMOD_OBJ_SHDR, "sh_info"),
	SH(".rela.text sh_link 0 while entries name symbols", EB_RELA, EB_SH_LINK, V_SET, 0,
	   ELFMOD_EINDEX, ELFMOD_OBJ_REL, "r_info symbol", .stage = S_WALK, .dindex = DI_LIT(0),
	   .sec2 = S2(EB_RELA)),
	SH(".group sh_link names .strtab, not a symbol table", EB_GROUP, EB_SH_LINK, V_SEC, EB_STRTAB,
	   ELFMOD_ELINK, ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".group sh_link is 0", EB_GROUP, EB_SH_LINK, V_SET, 0, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR,
	   "sh_link"),
	SH(".group sh_info (signature) equal to the symbol count", EB_GROUP, EB_SH_INFO, V_NSYMS, 0,
	   ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, "sh_info"),
	SH(".group sh_info (signature) is 0xffffffff", EB_GROUP, EB_SH_INFO, V_SET, 0xffffffff,
	   ELFMOD_EINDEX, ELFMOD_OBJ_SHDR, "sh_info"),
	SH(".symtab_shndx sh_link names .strtab, not a symbol table", EB_SHNDX, EB_SH_LINK, V_SEC,
	   EB_STRTAB, ELFMOD_ELINK, ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".symtab_shndx sh_link names .rela.text", EB_SHNDX, EB_SH_LINK, V_SEC, EB_RELA, ELFMOD_ELINK,
	   ELFMOD_OBJ_SHDR, "sh_link"),
	SH(".symtab_shndx sh_link is 0", EB_SHNDX, EB_SH_LINK, V_SET, 0, ELFMOD_EINDEX, ELFMOD_OBJ_SHDR,
	   "sh_link"),
	SH(".symtab_shndx sh_link equal to e_shnum", EB_SHNDX, EB_SH_LINK, V_SHNUM, 0, ELFMOD_EINDEX,
	   ELFMOD_OBJ_SHDR, "sh_link"),
	/* ---- section headers: entry sizes ---- */
	SH(".symtab sh_entsize is 0", EB_SYMTAB, EB_SH_ENTSIZE, V_SET, 0, ELFMOD_EENTSIZE,
	   ELFMOD_OBJ_SHDR, "sh_entsize"),
	SH(".symtab sh_entsize of the other class", EB_SYMTAB, EB_SH_ENTSIZE, V_CLS, 16, ELFMOD_EENTSIZE,
	   ELFMOD_OBJ_SHDR, "sh_entsize", .v2 = 24),
	SH(".symtab sh_size not a multiple of the entry size", EB_SYMTAB, EB_SH_SIZE, V_ADD, -1,
	   ELFMOD_EENTSIZE, ELFMOD_OBJ_SHDR, "sh_size"),
	SH(".symtab sh_size one entry more than .symtab_shndx covers", EB_SYMTAB, EB_SH_SIZE, V_CLS,
	   11 * 24, ELFMOD_ETRUNC, ELFMOD_OBJ_SHDR, "sh_size", .dindex = DI_SEC(EB_SHNDX),
	   .v2 = 11 * 16),
	SH(".rela.text sh_entsize is 0", EB_RELA, EB_SH_ENTSIZE, V_SET, 0, ELFMOD_EENTSIZE,
	   ELFMOD_OBJ_SHDR, "sh_entsize"),
	SH(".rela.text sh_entsize is the REL size", EB_RELA, EB_SH_ENTSIZE, V_CLS, 16, ELFMOD_EENTSIZE,
	   ELFMOD_OBJ_SHDR, "sh_entsize", .v2 = 8),
	SH(".rel.data sh_entsize is the RELA size", EB_REL, EB_SH_ENTSIZE, V_CLS, 24, ELFMOD_EENTSIZE,
	   ELFMOD_OBJ_SHDR, "sh_entsize", .v2 = 12),
	SH(".rela.text sh_size not a multiple of the entry size", EB_RELA, EB_SH_SIZE, V_ADD, 1,
	   ELFMOD_EENTSIZE, ELFMOD_OBJ_SHDR, "sh_size"),
	SH(".rel.data sh_size not a multiple of the entry size", EB_REL, EB_SH_SIZE, V_ADD, -1,
	   ELFMOD_EENTSIZE, ELFMOD_OBJ_SHDR, "sh_size"),
	SH(".group sh_entsize is 8", EB_GROUP, EB_SH_ENTSIZE, V_SET, 8, ELFMOD_EENTSIZE, ELFMOD_OBJ_SHDR,
	   "sh_entsize"),
	SH(".group sh_entsize is 0", EB_GROUP, EB_SH_ENTSIZE, V_SET, 0, ELFMOD_EENTSIZE, ELFMOD_OBJ_SHDR,
	   "sh_entsize"),
	SH(".group sh_size not a multiple of 4", EB_GROUP, EB_SH_SIZE, V_SET, 6, ELFMOD_EENTSIZE,
	   ELFMOD_OBJ_SHDR, "sh_size"),
	SH(".symtab_shndx sh_entsize is 8", EB_SHNDX, EB_SH_ENTSIZE, V_SET, 8, ELFMOD_EENTSIZE,
	   ELFMOD_OBJ_SHDR, "sh_entsize"),
	SH(".symtab_shndx one entry short of the symbol table", EB_SHNDX, EB_SH_SIZE, V_ADD, -4,
	   ELFMOD_ETRUNC, ELFMOD_OBJ_SHDR, "sh_size"),
	/* ---- string tables ---- */
	{ .name = ".strtab's last byte is not NUL", .kind = K_LASTBYTE, .target = EB_STRTAB,
	  .op = V_SET, .v = 'x', .err = ELFMOD_ESTRING, .obj = ELFMOD_OBJ_SHDR,
	  .dfield = "string table end" },
	{ .name = ".shstrtab's last byte is not NUL", .kind = K_LASTBYTE, .target = EB_SHSTRTAB,
	  .op = V_SET, .v = 0xff, .err = ELFMOD_ESTRING, .obj = ELFMOD_OBJ_SHDR,
	  .dfield = "string table end" },
	SH(".strtab sh_size cuts off its final NUL", EB_STRTAB, EB_SH_SIZE, V_ADD, -1, ELFMOD_ESTRING,
	   ELFMOD_OBJ_SHDR, "string table end"),
	SH(".shstrtab sh_size cuts off its final NUL", EB_SHSTRTAB, EB_SH_SIZE, V_ADD, -1,
	   ELFMOD_ESTRING, ELFMOD_OBJ_SHDR, "string table end"),
	SH(".strtab sh_size 0 while symbols have names", EB_STRTAB, EB_SH_SIZE, V_SET, 0, ELFMOD_ESTRING,
	   ELFMOD_OBJ_SYM, "st_name", .stage = S_WALK, .dindex = DI_LIT(EB_SYM_LOCAL_FN),
	   .sec2 = S2(EB_SYMTAB)),
	SH(".strtab turned into PROGBITS", EB_STRTAB, EB_SH_TYPE, V_SET, ELFMOD_SHT_PROGBITS,
	   ELFMOD_ELINK, ELFMOD_OBJ_SHDR, "sh_link", .dindex = DI_SEC(EB_SYMTAB)),
	SH(".shstrtab turned into PROGBITS", EB_SHSTRTAB, EB_SH_TYPE, V_SET, ELFMOD_SHT_PROGBITS,
	   ELFMOD_ELINK, ELFMOD_OBJ_EHDR, "e_shstrndx", .dindex = DI_NONE),
	/* ---- symbols ---- */
	{ .name = "st_name equal to the .strtab size", .kind = K_SYM, .target = EB_SYM_DATA_VAR,
	  .field = EB_ST_NAME, .op = V_SECSIZE, .v = EB_STRTAB, .err = ELFMOD_ESTRING,
	  .stage = S_WALK, .obj = ELFMOD_OBJ_SYM, .sec2 = S2(EB_SYMTAB), .dfield = "st_name" },
	{ .name = "st_name is 0xffffffff", .kind = K_SYM, .target = EB_SYM_START, .field = EB_ST_NAME,
	  .op = V_SET, .v = 0xffffffff, .err = ELFMOD_ESTRING, .stage = S_WALK, .obj = ELFMOD_OBJ_SYM,
	  .sec2 = S2(EB_SYMTAB), .dfield = "st_name" },
	{ .name = "st_shndx equal to e_shnum", .kind = K_SYM, .target = EB_SYM_DATA_VAR,
	  .field = EB_ST_SHNDX, .op = V_SHNUM, .v = 0, .err = ELFMOD_EINDEX, .stage = S_WALK,
	  .obj = ELFMOD_OBJ_SYM, .sec2 = S2(EB_SYMTAB), .dfield = "st_shndx" },
	{ .name = "st_shndx is 0xfeff (below the reserved range, no such section)", .kind = K_SYM,
	  .target = EB_SYM_BSS_VAR, .field = EB_ST_SHNDX, .op = V_SET, .v = 0xfeff,
	  .err = ELFMOD_EINDEX, .stage = S_WALK, .obj = ELFMOD_OBJ_SYM, .sec2 = S2(EB_SYMTAB),
	  .dfield = "st_shndx" },
	{ .name = "st_shndx SHN_COMMON is accepted", .kind = K_SYM, .target = EB_SYM_BSS_VAR,
	  .field = EB_ST_SHNDX, .op = V_SET, .v = ELFMOD_SHN_COMMON, .stage = S_NONE },
	{ .name = "st_shndx in the processor-reserved range is accepted", .kind = K_SYM,
	  .target = EB_SYM_ABS, .field = EB_ST_SHNDX, .op = V_SET, .v = 0xff05, .stage = S_NONE },
	{ .name = "SHN_XINDEX without SHT_SYMTAB_SHNDX (table made PROGBITS)", .kind = K_SHDR,
	  .target = EB_SHNDX, .field = EB_SH_TYPE, .op = V_SET, .v = ELFMOD_SHT_PROGBITS,
	  .err = ELFMOD_EINDEX, .stage = S_WALK, .obj = ELFMOD_OBJ_SYM, .dindex = DI_LIT(EB_SYM_FAR),
	  .sec2 = S2(EB_SYMTAB), .dfield = "st_shndx" },
	{ .name = "SHN_XINDEX on a symbol whose extended index is e_shnum", .kind = K_SHNDX_ENT,
	  .target = EB_SYM_FAR, .op = V_SHNUM, .v = 0, .err = ELFMOD_EINDEX, .stage = S_WALK,
	  .obj = ELFMOD_OBJ_SYM, .sec2 = S2(EB_SYMTAB), .dfield = "st_shndx" },
	{ .name = "SHN_XINDEX on a symbol whose extended index is 0xffffffff", .kind = K_SHNDX_ENT,
	  .target = EB_SYM_FAR, .op = V_SET, .v = 0xffffffff, .err = ELFMOD_EINDEX, .stage = S_WALK,
	  .obj = ELFMOD_OBJ_SYM, .sec2 = S2(EB_SYMTAB), .dfield = "st_shndx" },
	{ .name = "SHT_SYMTAB_SHNDX belonging to another symbol table", .kind = K_CUSTOM,
	  .custom = shndx_of_other_symtab, .err = ELFMOD_EINDEX, .stage = S_WALK,
	  .obj = ELFMOD_OBJ_SYM, .dindex = DI_LIT(EB_SYM_FAR), .sec2 = S2(EB_SYMTAB),
	  .dfield = "st_shndx", .classes = C32 },
	/* ---- relocations ---- */
	{ .name = "RELA r_info symbol equal to the symbol count", .kind = K_RELA, .target = 0,
	  .field = EB_R_INFO, .op = V_RSYM, .v = 0, .err = ELFMOD_EINDEX, .stage = S_WALK,
	  .obj = ELFMOD_OBJ_REL, .sec2 = S2(EB_RELA), .dfield = "r_info symbol" },
	{ .name = "RELA r_info symbol is the largest the class can hold", .kind = K_RELA, .target = 2,
	  .field = EB_R_INFO, .op = V_TOP, .v = 0xff, .err = ELFMOD_EINDEX, .stage = S_WALK,
	  .obj = ELFMOD_OBJ_REL, .sec2 = S2(EB_RELA), .dfield = "r_info symbol" },
	{ .name = "REL r_info symbol equal to the symbol count", .kind = K_REL, .target = 1,
	  .field = EB_R_INFO, .op = V_RSYM, .v = 0, .err = ELFMOD_EINDEX, .stage = S_WALK,
	  .obj = ELFMOD_OBJ_REL, .sec2 = S2(EB_REL), .dfield = "r_info symbol" },
	{ .name = "REL r_info symbol far past the table", .kind = K_REL, .target = 0,
	  .field = EB_R_INFO, .op = V_RSYM, .v = 0x1000, .err = ELFMOD_EINDEX, .stage = S_WALK,
	  .obj = ELFMOD_OBJ_REL, .sec2 = S2(EB_REL), .dfield = "r_info symbol" },
	{ .name = "RELA r_info naming the last symbol is accepted", .kind = K_RELA, .target = 1,
	  .field = EB_R_INFO, .op = V_RSYM, .v = -1, .stage = S_NONE },

	/* ---- program headers ---- */
	PH("p_offset at the end of the file", 0, EB_P_OFFSET, V_FSIZE, 0, ELFMOD_ETRUNC, "p_offset"),
	{ .name = "p_offset so the segment's last byte is past the end", .kind = K_CUSTOM,
	  .custom = poff_one_short, .err = ELFMOD_ETRUNC, .obj = ELFMOD_OBJ_PHDR,
	  .dindex = DI_LIT(0), .dfield = "p_offset" },
	PH("p_offset+p_filesz wraps 64 bits", 2, EB_P_OFFSET, V_U64TOP, 4, ELFMOD_EOVERFLOW, "p_filesz",
	   .err32 = ELFMOD_ETRUNC, .dfield32 = "p_offset"),
	PH("p_filesz larger than the file and p_memsz", 1, EB_P_FILESZ, V_FSIZE, 0, ELFMOD_ESEGMENT, "p_filesz"),
	PH("p_filesz one more than p_memsz", 1, EB_P_FILESZ, V_SET, 129, ELFMOD_ESEGMENT, "p_filesz"),
	PH("p_memsz one less than p_filesz", 0, EB_P_MEMSZ, V_SET, 63, ELFMOD_ESEGMENT, "p_filesz"),
	PH("p_filesz all ones", 2, EB_P_FILESZ, V_U64TOP, 0, ELFMOD_ESEGMENT, "p_filesz"),
	{ .name = "p_offset+p_filesz wraps with p_filesz <= p_memsz", .kind = K_CUSTOM,
	  .custom = filesz_memsz_huge, .err = ELFMOD_EOVERFLOW, .err32 = ELFMOD_ETRUNC,
	  .obj = ELFMOD_OBJ_PHDR, .dindex = DI_LIT(1), .dfield = "p_filesz", .dfield32 = "p_offset" },
	PH("p_align is 3", 0, EB_P_ALIGN, V_SET, 3, ELFMOD_EALIGN, "p_align"),
	PH("p_align is 0x18", 1, EB_P_ALIGN, V_SET, 0x18, ELFMOD_EALIGN, "p_align"),
	PH("p_align of a non-load segment is 5", 3, EB_P_ALIGN, V_SET, 5, ELFMOD_EALIGN, "p_align"),
	PH("p_align 0 is accepted", 0, EB_P_ALIGN, V_SET, 0, 0, NULL, .stage = S_NONE),
	PH("p_vaddr+p_memsz wraps the address space", 0, EB_P_VADDR, V_TOP, 8, ELFMOD_EOVERFLOW,
	   "p_vaddr"),
	PH("p_paddr+p_memsz wraps the address space", 1, EB_P_PADDR, V_TOP, 0x10, ELFMOD_EOVERFLOW,
	   "p_paddr"),
	PH("p_memsz all ones", 1, EB_P_MEMSZ, V_TOP, 0, ELFMOD_EOVERFLOW, "p_vaddr"),
	PH("empty non-load segment at the top of the address space is accepted", 3, EB_P_VADDR, V_TOP,
	   0, 0, NULL, .stage = S_NONE),
	{ .name = "PT_LOAD ending at the top of the address space is outside every window",
	  .base = B_ONELOAD, .kind = K_CUSTOM, .custom = vaddr_at_top, .err = ELFMOD_EWINDOW,
	  .stage = S_EXEC, .obj = ELFMOD_OBJ_PHDR, .dindex = DI_LIT(0), .dfield = "p_vaddr" },
	PH("segment outside the window", 2, EB_P_VADDR, V_SET, WIN_BASE + WIN_SIZE, ELFMOD_EWINDOW,
	   "p_vaddr", .stage = S_EXEC),
	PH("segment straddling the window's end", 1, EB_P_VADDR, V_SET, WIN_BASE + WIN_SIZE - 64,
	   ELFMOD_EWINDOW, "p_vaddr", .stage = S_EXEC),
	PH("segment below the window", 0, EB_P_VADDR, V_SET, WIN_BASE - 64, ELFMOD_EWINDOW, "p_vaddr",
	   .stage = S_EXEC),
	PH("data segment overlapping the text's last byte", 1, EB_P_VADDR, V_SET, WIN_BASE + 63,
	   ELFMOD_EOVERLAP, "p_vaddr", .stage = S_EXEC),
	PH("rodata segment inside the data segment's .bss", 2, EB_P_VADDR, V_SET, WIN_BASE + 0x2040,
	   ELFMOD_EOVERLAP, "p_vaddr", .stage = S_EXEC),
	{ .name = "text segment loses PF_X (entry not executable)", .kind = K_PHDR, .target = 0,
	  .field = EB_P_FLAGS, .op = V_SET, .v = ELFMOD_PF_R, .err = ELFMOD_EWINDOW, .stage = S_EXEC,
	  .obj = ELFMOD_OBJ_EHDR, .dindex = DI_NONE, .dfield = "e_entry" },
	{ .name = "only PT_LOAD turned into PT_NOTE", .base = B_ONELOAD, .kind = K_PHDR, .target = 0,
	  .field = EB_P_TYPE, .op = V_SET, .v = 4, .err = ELFMOD_ENOLOAD, .stage = S_EXEC,
	  .obj = ELFMOD_OBJ_FILE, .dindex = DI_NONE, .dfield = "PT_LOAD" },
};

#define NMANGLES (sizeof(mangles) / sizeof(mangles[0]))

/* ---- running one case ---- */

struct result {
	int rc;
	enum stage stage;
	struct elfmod_diag d;
};

struct expect {
	int err;
	enum stage stage;
	uint8_t obj;
	int check_index;
	uint32_t index;
	int check_index2;
	uint32_t index2;
	const char *field;
};

static uint8_t window_mem[WIN_SIZE + 2 * GUARD];

static int window_untouched(void)
{
	for (size_t i = 0; i < sizeof(window_mem); i++)
		if (window_mem[i] != FILLB)
			return 0;
	return 1;
}

static void run_exec(const struct elfmod_source *src, uint16_t machine, struct result *r)
{
	struct elfmod_window w = { WIN_BASE, WIN_SIZE, window_mem + GUARD };
	struct elfmod_exec_opts o = { .windows = &w, .nwindows = 1, .machine = machine };
	struct elfmod_exec_info info;

	memset(window_mem, FILLB, sizeof(window_mem));
	r->rc = elfmod_exec_load(src, &o, &info, &r->d);
}

/* open + walk, then the loader on its own (it opens again). */
static void run_all(const struct elfmod_source *src, uint16_t machine, struct result *r,
		    struct result *ex, int *untouched)
{
	struct elfmod_elf elf;
	struct walk_stats st = { 0 };
	char buf[64];

	memset(r, 0, sizeof(*r));
	r->stage = S_OPEN;
	r->rc = elfmod_elf_open(&elf, src, &r->d);
	if (!r->rc) {
		r->stage = S_WALK;
		r->rc = walk_elf(&elf, buf, sizeof(buf), &st);
	}
	memset(ex, 0, sizeof(*ex));
	ex->stage = S_EXEC;
	run_exec(src, machine, ex);
	*untouched = window_untouched();
	if (!r->rc) {
		*r = *ex;
		if (!r->rc)
			r->stage = S_NONE;
	}
}

static int diag_eq(const struct elfmod_diag *a, const struct elfmod_diag *b)
{
	return a->err == b->err && a->obj == b->obj && a->index == b->index &&
	       a->index2 == b->index2 && a->value == b->value &&
	       ((!a->field && !b->field) || (a->field && b->field && !strcmp(a->field, b->field)));
}

static unsigned long runs;

static void report(const char *name, const struct eb_file *f, const char *what, const struct result *r)
{
	char msg[200];

	elfmod_diag_format(&r->d, msg, sizeof(msg));
	fprintf(stderr, "  %s [ELF%d%s]: %s: got %d (%s) at stage %d: %s\n", name, f->o.cls,
		f->o.be ? "BE" : "LE", what, r->rc, elfmod_strerror(r->rc), r->stage, msg);
}

static void run_case(const char *name, const struct eb_file *f, const struct expect *e)
{
	struct elfmod_source bsrc = eb_source(f), csrc;
	struct memsrc m;
	struct result rb, exb, rc, exc;
	int ub, uc, ok;

	runs++;
	check_ctx = name;
	run_all(&bsrc, f->o.machine, &rb, &exb, &ub);
	memsrc_init(&m, &csrc, f->data, f->size);
	run_all(&csrc, f->o.machine, &rc, &exc, &uc);

	ok = rb.rc == e->err && rb.stage == (e->err ? e->stage : S_NONE);
	if (ok && e->err) {
		ok = rb.d.err == e->err && rb.d.obj == e->obj;
		if (ok && e->check_index)
			ok = rb.d.index == e->index;
		if (ok && e->check_index2)
			ok = rb.d.index2 == e->index2;
		if (ok && e->field)
			ok = rb.d.field && !strcmp(rb.d.field, e->field);
	}
	CHECK(ok);
	if (!ok) {
		report(name, f, "buffer source", &rb);
		fprintf(stderr, "    want %d (%s) at stage %d, obj %u index %s%u field %s\n", e->err,
			elfmod_strerror(e->err), e->stage, e->obj, e->check_index ? "" : "any/",
			e->index, e->field ? e->field : "-");
	}
	/* The callback source must see exactly the same file. */
	ok = rb.rc == rc.rc && rb.stage == rc.stage && diag_eq(&rb.d, &rc.d) && m.bad == 0;
	CHECK(ok);
	if (!ok)
		report(name, f, "callback source differs", &rc);
	/* The loader fails exactly as open does, or as its own check says; a walk-only
	 * problem is none of its business. */
	if (e->err && e->stage != S_WALK) {
		ok = exb.rc == e->err && exc.rc == e->err && diag_eq(&exb.d, &rb.d) && ub && uc;
		CHECK(ok);
		if (!ok)
			report(name, f, ub && uc ? "loader differs" : "loader WROTE to the window", &exb);
	} else {
		CHECK(exb.rc == 0 && exc.rc == 0);
		if (exb.rc || exc.rc)
			report(name, f, "loader refused", &exb);
	}
}

/* ---- the table ---- */

static uint32_t target_index(const struct eb_file *f, const struct mangle *m)
{
	switch (m->kind) {
	case K_SHDR:
	case K_LASTBYTE:
		return f->idx[m->target];
	case K_SHDR0:
		return 0;
	default:
		return (uint32_t)m->target;
	}
}

static uint64_t mangled_value(const struct eb_file *f, const struct mangle *m, uint64_t cur,
			      struct eb_field fld)
{
	switch (m->op) {
	case V_SET: return (uint64_t)m->v;
	case V_ADD: return cur + (uint64_t)m->v;
	case V_FSIZE: return f->size + (uint64_t)m->v;
	case V_TOP: return eb_addr_max(f) - (uint64_t)m->v;
	case V_U64TOP: return UINT64_MAX - (uint64_t)m->v;
	case V_SEC: return f->idx[m->v];
	case V_SHNUM: return f->shnum + (uint64_t)m->v;
	case V_NSYMS: return f->nsyms + (uint64_t)m->v;
	case V_SECSIZE: return f->sh[f->idx[m->v]].size + (uint64_t)m->v2;
	case V_RSYM: {
		uint32_t type = f->o.cls == 64 ? (uint32_t)cur : (uint32_t)(cur & 0xff);
		return eb_r_info(f, (uint32_t)(f->nsyms + (uint64_t)m->v), type);
	}
	case V_CLS: return (uint64_t)(f->o.cls == 64 ? m->v : m->v2);
	}
	(void)fld;
	return 0;
}

static void apply(struct eb_file *f, const struct mangle *m)
{
	struct eb_field fld = { 0, 0 };

	switch (m->kind) {
	case K_EHDR: fld = eb_ehdr(f, (enum eb_ehdr_field)m->field); break;
	case K_SHDR: fld = eb_shdr(f, f->idx[m->target], (enum eb_shdr_field)m->field); break;
	case K_SHDR0: fld = eb_shdr(f, 0, (enum eb_shdr_field)m->field); break;
	case K_PHDR: fld = eb_phdr(f, (uint32_t)m->target, (enum eb_phdr_field)m->field); break;
	case K_SYM: fld = eb_symf(f, (uint32_t)m->target, (enum eb_sym_field)m->field); break;
	case K_RELA: fld = eb_relf(f, 1, (uint32_t)m->target, (enum eb_rel_field)m->field); break;
	case K_REL: fld = eb_relf(f, 0, (uint32_t)m->target, (enum eb_rel_field)m->field); break;
	case K_LASTBYTE:
		fld.off = f->sh[f->idx[m->target]].offset + f->sh[f->idx[m->target]].size - 1;
		fld.width = 1;
		break;
	case K_SHNDX_ENT:
		fld.off = f->sh[f->idx[EB_SHNDX]].offset + 4u * (uint32_t)m->target;
		fld.width = 4;
		break;
	case K_CUSTOM:
		m->custom(f);
		return;
	}
	eb_put(f, fld, mangled_value(f, m, eb_get(f, fld), fld));
}

static unsigned long table_mangles;

static void run_table(struct eb_file bases[B_NBASES])
{
	for (size_t i = 0; i < NMANGLES; i++) {
		const struct mangle *m = &mangles[i];
		const struct eb_file *base = &bases[m->base];
		unsigned cls_bit = base->o.cls == 64 ? C64 : C32;
		struct eb_file f;
		struct expect e;

		if (m->classes && !(m->classes & cls_bit))
			continue;
		if (eb_clone(&f, base)) {
			CHECK(!"out of memory");
			return;
		}
		apply(&f, m);
		memset(&e, 0, sizeof(e));
		e.err = cls_bit == C32 && m->err32 ? m->err32 : m->err;
		e.stage = m->stage;
		e.obj = m->obj;
		e.field = cls_bit == C32 && m->dfield32 ? m->dfield32 : m->dfield;
		e.check_index = m->dindex != DI_ANY;
		if (m->dindex == DI_TARGET)
			e.index = target_index(&f, m);
		else if (m->dindex == DI_NONE)
			e.index = ELFMOD_NOINDEX;
		else if (m->dindex >= 2000)
			e.index = (uint32_t)(m->dindex - 2000);
		else if (m->dindex >= 1000)
			e.index = f.idx[m->dindex - 1000];
		if (m->obj == ELFMOD_OBJ_EHDR && m->dindex == DI_TARGET)
			e.index = ELFMOD_NOINDEX;
		if (m->sec2) {
			e.check_index2 = 1;
			e.index2 = f.idx[m->sec2 - 1];
		}
		run_case(m->name, &f, &e);
		eb_free(&f);
	}
}

/* ---- truncation ---- */

/* What open must report for the file cut to `cut` bytes, from the layout and the order
 * in which open checks things. */
static void expect_cut(const struct eb_file *f, uint64_t cut, struct expect *e)
{
	memset(e, 0, sizeof(*e));
	e->err = ELFMOD_ETRUNC;
	e->stage = S_OPEN;
	e->check_index = 1;
	e->index = ELFMOD_NOINDEX;
	e->obj = ELFMOD_OBJ_EHDR;
	if (cut < 4) {
		e->err = ELFMOD_EMAGIC;
		e->field = "e_ident";
		return;
	}
	if (cut < 16) {
		e->field = "e_ident";
		return;
	}
	if (cut < f->ehsize) {
		e->field = "ELF header";
		return;
	}
	if (f->shoff && f->shoff + (uint64_t)f->shnum * f->shentsize > cut) {
		e->field = "e_shoff";
		return;
	}
	if (f->phnum && f->phoff + phtab_size(f) > cut) {
		e->field = "e_phoff";
		return;
	}
	for (uint32_t i = 1; i < f->shnum; i++) {
		const struct elfmod_shdr *s = &f->sh[i];
		if (s->type != ELFMOD_SHT_NOBITS && s->offset + s->size > cut) {
			e->obj = ELFMOD_OBJ_SHDR;
			e->index = i;
			e->field = "sh_offset";
			return;
		}
	}
	for (uint32_t i = 0; i < f->phnum; i++) {
		if (f->ph[i].offset + f->ph[i].filesz > cut) {
			e->obj = ELFMOD_OBJ_PHDR;
			e->index = i;
			e->field = "p_offset";
			return;
		}
	}
	e->err = 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static unsigned long truncations;

static void run_truncations(const struct eb_file *f, const char *layout)
{
	uint64_t *b = malloc(sizeof(*b) * 2 * (8 + f->phnum + f->shnum + 2 * f->shnum + 2 * f->phnum + 4));
	size_t n = 0;
	char name[128];

	b[n++] = 0;
	b[n++] = 4;
	b[n++] = 16;
	b[n++] = f->ehsize;
	for (uint32_t i = 0; i <= f->phnum && f->phnum; i++)
		b[n++] = f->phoff + (uint64_t)i * f->phentsize;
	for (uint32_t i = 0; i <= f->shnum && f->shnum; i++)
		b[n++] = f->shoff + (uint64_t)i * f->shentsize;
	for (uint32_t i = 1; i < f->shnum; i++) {
		if (f->sh[i].type == ELFMOD_SHT_NOBITS)
			continue;
		b[n++] = f->sh[i].offset;
		b[n++] = f->sh[i].offset + f->sh[i].size;
	}
	for (uint32_t i = 0; i < f->phnum; i++) {
		b[n++] = f->ph[i].offset;
		b[n++] = f->ph[i].offset + f->ph[i].filesz;
	}
	/* Each boundary and the byte before it. */
	for (size_t i = 0, m = n; i < m; i++)
		if (b[i])
			b[n++] = b[i] - 1;
	qsort(b, n, sizeof(*b), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		struct eb_file g;
		struct expect e;

		if ((i && b[i] == b[i - 1]) || b[i] >= f->size)
			continue;
		if (eb_clone(&g, f)) {
			CHECK(!"out of memory");
			break;
		}
		g.size = (size_t)b[i];
		expect_cut(f, b[i], &e);
		CHECK(e.err != 0); /* every cut of these files loses something */
		snprintf(name, sizeof(name), "%s file cut to %llu bytes", layout,
			 (unsigned long long)b[i]);
		run_case(name, &g, &e);
		truncations++;
		eb_free(&g);
	}
	free(b);
}

int main(void)
{
	for (int cls = 32; cls <= 64; cls += 32) {
		for (int be = 0; be <= 1; be++) {
			struct eb_file bases[B_NBASES], first;
			const struct eb_opts common = { .cls = cls, .be = be, .base = WIN_BASE,
							.machine = ELFMOD_EM_ARM, .xindex = 1 };
			struct eb_opts o[B_NBASES];
			int bad = 0;

			for (int k = 0; k < B_NBASES; k++)
				o[k] = common;
			o[B_ESC].ext_shnum = o[B_ESC].ext_shstrndx = o[B_ESC].ext_phnum = 1;
			o[B_SEGONLY].xindex = 0;
			o[B_SEGONLY].no_sections = 1;
			o[B_ONELOAD].nload = 1;
			o[B_ONELOAD].no_stack_phdr = 1;
			for (int k = 0; k < B_NBASES; k++)
				bad |= eb_build(&bases[k], &o[k]);
			o[0].shdrs_first = 1;
			bad |= eb_build(&first, &o[0]);
			if (bad) {
				CHECK(!"eb_build failed");
				return 1;
			}
			/* Each base must itself be accepted everywhere, or no case means anything. */
			for (int k = 0; k < B_NBASES; k++) {
				struct expect ok = { 0 };
				run_case("unmangled base file", &bases[k], &ok);
			}
			run_table(bases);
			run_truncations(&bases[B_PLAIN], "section headers last:");
			run_truncations(&first, "section headers first:");
			run_truncations(&bases[B_ESC], "extended numbering:");
			run_truncations(&bases[B_SEGONLY], "segments only:");
			for (int k = 0; k < B_NBASES; k++)
				eb_free(&bases[k]);
			eb_free(&first);
		}
	}
	table_mangles = NMANGLES;
	printf("malformed: %lu table mangles, %lu truncations (%lu distinct mangles), %lu runs\n",
	       table_mangles, truncations, table_mangles + truncations, runs);
	return check_done("malformed");
}
