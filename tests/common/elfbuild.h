/*
 * elfbuild: a small in-memory ELF writer for the tests.
 *
 * It first builds a model of the file (section headers, program headers, symbols and
 * relocations as the public elfmod_* structures), then serializes it for any class and
 * byte order. The model is what a test expects the parser to decode; the recorded file
 * offsets of every header, entry and table are what a mangle writes to when it breaks
 * one field on purpose.
 *
 * Hosted C: tests may use libc, so the image lives in malloc'd memory.
 */
#ifndef ELFBUILD_H
#define ELFBUILD_H

#include "elfmod.h"

#include <stddef.h>
#include <stdint.h>

/* Which of the named sections a file has; eb_file.idx[] maps these to section indices. */
enum eb_sec {
	EB_TEXT,
	EB_RODATA,
	EB_DATA,
	EB_BSS,
	EB_SYMTAB,
	EB_STRTAB,
	EB_RELA,     /* .rela.text, SHF_INFO_LINK set */
	EB_REL,      /* .rel.data, no SHF_INFO_LINK */
	EB_GROUP,    /* a COMDAT group holding .text */
	EB_SHNDX,    /* SHT_SYMTAB_SHNDX, with opts.xindex */
	EB_XDATA,    /* the section "far_var" lives in, after the fillers, with opts.xindex */
	EB_SHSTRTAB,
	EB_NSEC
};

/* Symbol indices the builder always uses (EB_SYM_FAR only with opts.xindex). */
enum eb_symidx {
	EB_SYM_NULL,
	EB_SYM_TEXTSEC,   /* STT_SECTION for .text */
	EB_SYM_LOCAL_FN,  /* local function, STV_HIDDEN */
	EB_SYM_GRP_SIG,   /* group signature */
	EB_SYM_START,     /* first global: _start, the entry */
	EB_SYM_DATA_VAR,
	EB_SYM_BSS_VAR,
	EB_SYM_EXT_FUNC,  /* undefined */
	EB_SYM_ABS,       /* SHN_ABS */
	EB_SYM_FAR,       /* SHN_XINDEX, resolved through .symtab_shndx */
	EB_SYM_MAX
};
#define EB_FIRST_GLOBAL EB_SYM_START

#define EB_NRELA 3
#define EB_NREL 2
#define EB_MAX_SEGS 64

struct eb_opts {
	int cls;              /* 32 or 64 */
	int be;               /* 1 for big-endian */
	uint16_t machine;     /* any e_machine; 0 means EM_X86_64 */
	uint16_t type;        /* e_type; 0 means ET_EXEC */
	uint64_t base;        /* run address of .text; .rodata at +0x1000, .data at +0x2000 */
	uint64_t paddr_delta; /* p_paddr = p_vaddr + paddr_delta */
	uint32_t nload;       /* PT_LOAD count: 0 means 3 (text, data+bss, rodata), more adds small ones */
	int no_sections;      /* segment-only file: e_shoff = e_shnum = e_shstrndx = 0 */
	int no_segments;      /* no program headers (as ET_REL files have) */
	int shdrs_first;      /* place the section header table right after the program headers */
	int xindex;           /* add .symtab_shndx, .xdata and far_var with st_shndx = SHN_XINDEX */
	uint32_t fillers;     /* empty sections between the named ones and .xdata/.shstrtab */
	int ext_shnum;        /* e_shnum = 0, count in section 0's sh_size */
	int ext_shstrndx;     /* e_shstrndx = SHN_XINDEX, index in section 0's sh_link */
	int ext_phnum;        /* e_phnum = PN_XNUM, count in section 0's sh_info */
	int no_stack_phdr;    /* leave out the trailing PT_GNU_STACK (a non-load header) */
	const char *local_name; /* name of local_fn (default "local_fn"), up to 300 bytes */
};

/* A field's place in the file: offset and width in bytes. */
struct eb_field {
	uint64_t off;
	unsigned width;
};

enum eb_ehdr_field {
	EB_E_MAG0, EB_E_MAG3, EB_E_CLASS, EB_E_DATA, EB_E_IDVERSION, EB_E_OSABI,
	EB_E_TYPE, EB_E_MACHINE, EB_E_VERSION, EB_E_ENTRY, EB_E_PHOFF, EB_E_SHOFF, EB_E_FLAGS,
	EB_E_EHSIZE, EB_E_PHENTSIZE, EB_E_PHNUM, EB_E_SHENTSIZE, EB_E_SHNUM, EB_E_SHSTRNDX
};
enum eb_shdr_field {
	EB_SH_NAME, EB_SH_TYPE, EB_SH_FLAGS, EB_SH_ADDR, EB_SH_OFFSET, EB_SH_SIZE, EB_SH_LINK,
	EB_SH_INFO, EB_SH_ADDRALIGN, EB_SH_ENTSIZE
};
enum eb_phdr_field {
	EB_P_TYPE, EB_P_FLAGS, EB_P_OFFSET, EB_P_VADDR, EB_P_PADDR, EB_P_FILESZ, EB_P_MEMSZ, EB_P_ALIGN
};
enum eb_sym_field { EB_ST_NAME, EB_ST_VALUE, EB_ST_SIZE, EB_ST_INFO, EB_ST_OTHER, EB_ST_SHNDX };
enum eb_rel_field { EB_R_OFFSET, EB_R_INFO, EB_R_ADDEND };

struct eb_file {
	uint8_t *data;
	size_t size;
	struct eb_opts o;      /* with defaults filled in */
	unsigned ehsize, phentsize, shentsize, symentsize;

	/* The model: what the parser must decode. */
	uint16_t e_shnum, e_phnum, e_shstrndx; /* as written, escapes included */
	uint32_t shnum, phnum, shstrndx;       /* real values */
	uint64_t phoff, shoff, entry;
	struct elfmod_shdr *sh;                /* shnum entries */
	const char **sec_name;                 /* shnum names ("" for section 0) */
	struct elfmod_phdr ph[EB_MAX_SEGS];
	uint32_t idx[EB_NSEC];                 /* section index of each named section, 0 = absent */
	uint32_t nsyms;
	struct elfmod_sym sym[EB_SYM_MAX];     /* shndx resolved, as elfmod_elf_sym reports it */
	uint16_t sym_raw_shndx[EB_SYM_MAX];    /* st_shndx as written */
	const char *sym_name[EB_SYM_MAX];
	struct elfmod_rel rela[EB_NRELA], rel[EB_NREL];

	/* Where things are in the file. */
	uint64_t sym_off[EB_SYM_MAX];
	uint64_t rela_off[EB_NRELA], rel_off[EB_NREL];
};

/* Builds a valid file. Returns 0, or -1 when out of memory or the options are impossible. */
int eb_build(struct eb_file *f, const struct eb_opts *o);
void eb_free(struct eb_file *f);
/* A deep copy, for mangling while keeping the original. */
int eb_clone(struct eb_file *dst, const struct eb_file *src);

/* Locations of fields. */
struct eb_field eb_ehdr(const struct eb_file *f, enum eb_ehdr_field which);
struct eb_field eb_shdr(const struct eb_file *f, uint32_t idx, enum eb_shdr_field which);
struct eb_field eb_phdr(const struct eb_file *f, uint32_t idx, enum eb_phdr_field which);
struct eb_field eb_symf(const struct eb_file *f, uint32_t idx, enum eb_sym_field which);
/* rela != 0: .rela.text entry idx; otherwise .rel.data entry idx. */
struct eb_field eb_relf(const struct eb_file *f, int rela, uint32_t idx, enum eb_rel_field which);

/* Read or write a field in the file's byte order (the value is truncated to the width). */
uint64_t eb_get(const struct eb_file *f, struct eb_field fld);
void eb_put(struct eb_file *f, struct eb_field fld, uint64_t v);

/* The file as an elfmod source over its buffer. */
struct elfmod_source eb_source(const struct eb_file *f);

/* Highest address of the class: 0xffffffff or UINT64_MAX. */
uint64_t eb_addr_max(const struct eb_file *f);

/* The r_info value for a symbol and type in the file's class. */
uint64_t eb_r_info(const struct eb_file *f, uint32_t sym, uint32_t type);

#endif
