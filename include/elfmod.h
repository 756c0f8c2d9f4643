/** @file
 * elfmod - load ELF code at run time where there is no operating-system loader.
 *
 * This header is the whole public API and its documentation.
 *
 * Ground rules
 *  - The core is freestanding C11: it uses no libc beyond <stddef.h>/<stdint.h>
 *    (plus memcpy/memset/memmove/memcmp, which every freestanding toolchain provides),
 *    allocates nothing and keeps no global state. Everything it needs from the outside
 *    (bytes, memory, cache maintenance) comes through structures the caller owns.
 *  - Every function that can fail returns 0 or a negative ELFMOD_E* code. When the
 *    caller passes a struct elfmod_diag, it receives which object and field were wrong.
 *  - Every value read from a file is checked before use. A failed call leaves no memory
 *    allocated through the caller's allocator and nothing written outside the memory the
 *    caller handed out.
 *
 * Build-time configuration: define ELFMOD_CONFIG_FILE (e.g. -DELFMOD_CONFIG_FILE=
 * '"elfmod_config.h"') or put an elfmod_config.h on the include path; it may override
 * any ELFMOD_CFG_* default below.
 */
#ifndef ELFMOD_H
#define ELFMOD_H

#include <stddef.h>
#include <stdint.h>

#if defined(ELFMOD_CONFIG_FILE)
#include ELFMOD_CONFIG_FILE
#elif defined(__has_include)
#if __has_include("elfmod_config.h")
#include "elfmod_config.h"
#endif
#endif

/** Most PT_LOAD segments an executable may have. Overlap checks are quadratic in this. */
#ifndef ELFMOD_CFG_MAX_LOAD_SEGMENTS
#define ELFMOD_CFG_MAX_LOAD_SEGMENTS 32
#endif
/** Know only the architecture the core is built for (a firmware loading its own
 * modules): the other engines and their names are then left out of the image. */
#ifndef ELFMOD_CFG_HOST_ARCH_ONLY
#define ELFMOD_CFG_HOST_ARCH_ONLY 0
#endif
/** Bytes kept of a symbol name in struct elfmod_diag. */
#ifndef ELFMOD_CFG_DIAG_NAME
#define ELFMOD_CFG_DIAG_NAME 64
#endif
/** Include relocation type names (inspect, error messages). Costs a few KiB of rodata. */
#ifndef ELFMOD_CFG_RELOC_NAMES
#define ELFMOD_CFG_RELOC_NAMES 1
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**@{*/
/** The version of this API, for a caller that builds against several (`#if
 * ELFMOD_VERSION_MAJOR > 0 ...`). It describes the header only: nothing checks it at
 * run time. */
#define ELFMOD_VERSION_MAJOR 0
#define ELFMOD_VERSION_MINOR 1
/**@}*/

/* ------------------------------------------------------------------------------------ */
/* Errors                                                                               */
/* ------------------------------------------------------------------------------------ */

enum elfmod_error {
	ELFMOD_OK = 0,
	ELFMOD_EINVAL = -1,      /**< the caller passed a bad argument (NULL, bad option) */
	ELFMOD_EIO = -2,         /**< the source's read callback failed */
	ELFMOD_ENOMEM = -3,      /**< the allocator refused a request */
	ELFMOD_ETRUNC = -4,      /**< a structure extends past the end of the file */
	ELFMOD_EMAGIC = -5,      /**< not an ELF file */
	ELFMOD_ECLASS = -6,      /**< EI_CLASS is neither ELFCLASS32 nor ELFCLASS64 */
	ELFMOD_EDATA = -7,       /**< EI_DATA is neither little- nor big-endian */
	ELFMOD_EVERSION = -8,    /**< EI_VERSION or e_version is not EV_CURRENT */
	ELFMOD_ETYPE = -9,       /**< e_type is not one this operation handles */
	ELFMOD_EMACHINE = -10,   /**< e_machine or class/byte order not what the caller expects */
	ELFMOD_EHDRSIZE = -11,   /**< e_ehsize, e_phentsize or e_shentsize is wrong */
	ELFMOD_EINDEX = -12,     /**< a section, segment or symbol index is out of range */
	ELFMOD_ELINK = -13,      /**< sh_link/sh_info names a section of the wrong type */
	ELFMOD_ESTRING = -14,    /**< a string offset is outside its table, or a table is unterminated */
	ELFMOD_EALIGN = -15,     /**< an alignment is not a power of two, or a value is misaligned */
	ELFMOD_EOVERFLOW = -16,  /**< an offset plus a size (or address plus size) overflows */
	ELFMOD_ESEGMENT = -17,   /**< a segment is inconsistent (p_filesz > p_memsz, ...) */
	ELFMOD_EOVERLAP = -18,   /**< two loadable segments overlap in memory */
	ELFMOD_EWINDOW = -19,    /**< a segment or the entry lies outside the memory windows allowed */
	ELFMOD_ENOLOAD = -20,    /**< the file has nothing to load */
	ELFMOD_ELIMIT = -21,     /**< a count exceeds a configured limit (ELFMOD_CFG_*) */
	ELFMOD_EENTSIZE = -22,   /**< sh_entsize does not match the table's type */
	ELFMOD_ENOTFOUND = -23,  /**< no such symbol or section */
	ELFMOD_EUNSUPPORTED = -24, /**< valid ELF that uses a feature elfmod does not implement */
	ELFMOD_ESPACE = -25,     /**< a caller-supplied buffer is too small */
	ELFMOD_EPERM = -26,      /**< the allocator could not apply memory permissions */
	ELFMOD_EUNDEF = -27,     /**< symbols the module imports could not be resolved */
	ELFMOD_ERANGE = -28,     /**< a relocated value does not fit its field, or an address
				  * the file gives lies outside the loaded image */
	ELFMOD_ERELTYPE = -29,   /**< a relocation type elfmod does not implement */
	ELFMOD_EBUSY = -30,      /**< the module is in use by another module */
	ELFMOD_EDUP = -31,       /**< a name is exported twice (two modules, or module and host),
				  * or names two definitions (elfmod_exec_symbol) */
	ELFMOD_EREACH = -32,     /**< an import lies beyond what the module's code can reach */
	ELFMOD_EVERIFY = -33,    /**< integrity check failed: digest, signature or its trailer */
	ELFMOD_EABI = -34,       /**< built against another export set (ABI fingerprint differs) */
};

/** A fixed English text for an error code; never NULL. */
const char *elfmod_strerror(int err);

/** Which kind of object a diagnostic is about. */
enum elfmod_obj {
	ELFMOD_OBJ_NONE = 0,
	ELFMOD_OBJ_FILE,     /**< the file as a whole */
	ELFMOD_OBJ_EHDR,     /**< the ELF header */
	ELFMOD_OBJ_SHDR,     /**< a section header; index = section index */
	ELFMOD_OBJ_PHDR,     /**< a program header; index = segment index */
	ELFMOD_OBJ_SYM,      /**< a symbol; index = symbol index, index2 = symbol table section */
	ELFMOD_OBJ_REL,      /**< a relocation; index = entry, index2 = relocation section */
	ELFMOD_OBJ_WINDOW,   /**< a caller memory window; index = window */
	ELFMOD_OBJ_DYN,      /**< a dynamic entry (index = entry) or, with index2 = its DT_ tag
			      * (DT_REL, DT_RELA, DT_JMPREL, DT_RELR), a dynamic relocation */
};

/** The index of a struct elfmod_diag when none applies (the object is the file, the
 * header, or nothing in particular). */
#define ELFMOD_NOINDEX 0xffffffffu

/**
 * Where a failure was found. Filled by every function that takes one (it may be NULL).
 * `field` is a static string such as "sh_offset" or "e_shstrndx"; `value` is the
 * offending value as read from the file.
 */
struct elfmod_diag {
	int err;              /**< the ELFMOD_E* code the call returned */
	uint8_t obj;          /**< enum elfmod_obj */
	uint32_t index;       /**< ELFMOD_NOINDEX when not applicable */
	uint32_t index2;      /**< second index, as enum elfmod_obj says per kind of object;
			       * ELFMOD_NOINDEX when not applicable */
	const char *field;    /**< what was wrong: a static string, or NULL when the object
			       * itself is the answer (e.g. a symbol not found) */
	uint64_t value;       /**< the offending value as read from the file (or passed) */
	/** The symbol (or section) the failure is about, when it has a name, truncated to
	 * fit; empty otherwise. */
	char name[ELFMOD_CFG_DIAG_NAME];
	/** The other module involved: the name (struct elfmod_module::name) of the one that
	 * exports the name already (EDUP from elfmod_load); NULL otherwise. Points at that
	 * module's name, valid while it stays loaded. */
	const char *module;
};

/**
 * Formats a diagnostic as one line, e.g.
 *   "section 7: sh_link: index out of range (value 0x2a)". Always NUL-terminates when
 * size > 0; returns the length it wanted (like snprintf).
 */
size_t elfmod_diag_format(const struct elfmod_diag *d, char *buf, size_t size);

/* ------------------------------------------------------------------------------------ */
/* Sources: where the file's bytes come from                                            */
/* ------------------------------------------------------------------------------------ */

/**
 * Either `data` points at the whole file (RAM, memory-mapped flash), or `read` fetches
 * bytes on demand (SPI flash, SD card, a file). When both are set, `data` wins.
 * `size` is the file size and must always be set: every offset is checked against it.
 * `read` returns 0 when it delivered exactly `len` bytes, anything else is an error.
 */
struct elfmod_source {
	const void *data;     /**< the whole file, readable for as long as the source is used
			       * (by an elfmod_elf, a load, a module loaded in place), or NULL */
	uint64_t size;        /**< the file's size in bytes */
	/** Copies `len` bytes from file offset `offset` to `dst`; elfmod asks only for
	 * ranges inside `size`. */
	int (*read)(void *ctx, uint64_t offset, void *dst, size_t len);
	void *ctx;            /**< passed to `read` and `map` as is */
	/**
	 * Optional (NULL: segments are always copied). Makes the file's bytes [offset,
	 * offset + len) appear at `dst` instead of copying them: a private, copy-on-write,
	 * readable and writable mapping that replaces the memory there, as
	 * mmap(MAP_PRIVATE | MAP_FIXED) of the file does; bytes of its last page past the
	 * end of the file read as zero. `perm` is what the segment will end with
	 * (ELFMOD_PERM_*, applied later through the allocator's `protect`): a hint, e.g. to
	 * copy a writable segment's pages at once, as its relocations will. Returns 0 when
	 * done, or non-zero, leaving the memory at `dst` as it was, to have those bytes
	 * copied through `data` or `read` instead.
	 *
	 * elfmod_load calls it only for the PT_LOAD segments of a shared object or an
	 * executable, and only where the result equals a copy's: the allocator sets
	 * ELFMOD_MEM_MAPPABLE and page_size (`offset`, `dst` and `len` are then multiples of
	 * page_size and [dst, dst + len) lies in a region it provided, whose `wr` is its run
	 * address); the lowest PT_LOAD address, rounded down to the largest p_align, is a
	 * multiple of page_size; the file has at most 16 PT_LOAD segments with memory, whose
	 * file bytes lie in ascending address order without overlapping; the segment's
	 * p_offset and p_vaddr are congruent modulo page_size; the pages mapped hold no
	 * other segment's bytes and end on the page of the segment's last file byte (never
	 * a page wholly past the file's end); no digest or signature is checked
	 * (opts.sha256, opts.verify: every byte must pass through it, so it is copied). The
	 * loader zeroes what a copy would leave zero on the pages mapped (the bytes before and
	 * after the segment, its .bss), so a refusal changes nothing but the time taken.
	 * Mapped bytes are not counted in struct elfmod_module::bytes_loaded.
	 *
	 * A page not yet written shows the file's current bytes: as with the host's own
	 * dynamic loader, the file must not change (nor shrink) while the module is loaded.
	 */
	int (*map)(void *ctx, uint64_t offset, void *dst, uint64_t len, unsigned perm);
};

/* ------------------------------------------------------------------------------------ */
/* The ELF view: a checked, byte-order-neutral reading of headers and tables            */
/* ------------------------------------------------------------------------------------ */

/**@{*/
/** Values from the ELF specifications that callers commonly need. */
#define ELFMOD_ET_REL 1
#define ELFMOD_ET_EXEC 2
#define ELFMOD_ET_DYN 3
#define ELFMOD_ET_CORE 4

#define ELFMOD_EM_386 3
#define ELFMOD_EM_MIPS 8
#define ELFMOD_EM_ARM 40
#define ELFMOD_EM_X86_64 62
#define ELFMOD_EM_XTENSA 94
#define ELFMOD_EM_AARCH64 183
#define ELFMOD_EM_RISCV 243

#define ELFMOD_PT_LOAD 1
#define ELFMOD_PF_X 1
#define ELFMOD_PF_W 2
#define ELFMOD_PF_R 4

#define ELFMOD_SHT_NULL 0
#define ELFMOD_SHT_PROGBITS 1
#define ELFMOD_SHT_SYMTAB 2
#define ELFMOD_SHT_STRTAB 3
#define ELFMOD_SHT_RELA 4
#define ELFMOD_SHT_HASH 5
#define ELFMOD_SHT_DYNAMIC 6
#define ELFMOD_SHT_NOTE 7
#define ELFMOD_SHT_NOBITS 8
#define ELFMOD_SHT_REL 9
#define ELFMOD_SHT_DYNSYM 11
#define ELFMOD_SHT_INIT_ARRAY 14
#define ELFMOD_SHT_FINI_ARRAY 15
#define ELFMOD_SHT_PREINIT_ARRAY 16
#define ELFMOD_SHT_GROUP 17
#define ELFMOD_SHT_SYMTAB_SHNDX 18
#define ELFMOD_SHT_RELR 19

#define ELFMOD_SHF_WRITE 0x1
#define ELFMOD_SHF_ALLOC 0x2
#define ELFMOD_SHF_EXECINSTR 0x4
#define ELFMOD_SHF_INFO_LINK 0x40

#define ELFMOD_SHN_UNDEF 0
#define ELFMOD_SHN_LORESERVE 0xff00
#define ELFMOD_SHN_ABS 0xfff1
#define ELFMOD_SHN_COMMON 0xfff2
#define ELFMOD_SHN_XINDEX 0xffff
/**@}*/

/** Native copies of the headers, widened to 64 bits whatever the file's class. */
struct elfmod_shdr {
	/**@{*/
	uint32_t name, type; /**< sh_name: offset of the name in the section name table (see
			      * elfmod_elf_section_name); sh_type: ELFMOD_SHT_* */
	/**@}*/
	/**@{*/
	/** sh_flags (ELFMOD_SHF_*); sh_addr: the address the section runs at (usually 0 in
	 * a relocatable file); sh_offset and sh_size: its bytes in the file (SHT_NOBITS: none
	 * there, size is its size in memory). */
	uint64_t flags, addr, offset, size;
	/**@}*/
	/**@{*/
	uint32_t link, info; /**< sh_link and sh_info: section indices or counts, by sh_type
			      * (a symbol table's string table; a relocation section's symbol
			      * table and the section it patches) */
	/**@}*/
	/**@{*/
	uint64_t addralign, entsize; /**< sh_addralign: 0 or a power of two (checked);
				      * sh_entsize: bytes per entry of a table, else 0 */
	/**@}*/
};

/** A program header, widened like struct elfmod_shdr. */
struct elfmod_phdr {
	/**@{*/
	uint32_t type, flags; /**< p_type (ELFMOD_PT_LOAD, ...) and p_flags (ELFMOD_PF_*) */
	/**@}*/
	/**@{*/
	/** p_offset and p_filesz: the segment's bytes in the file; p_vaddr and p_paddr: the
	 * virtual and physical (load) address it is linked for; p_memsz: its size in memory,
	 * at least p_filesz for PT_LOAD (checked), the rest zero-filled; p_align: 0, 1 or a
	 * power of two (checked). */
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
	/**@}*/
};

/** shndx is the real section index: SHN_XINDEX has already been resolved. */
struct elfmod_sym {
	uint32_t name;        /**< st_name: offset in the linked string table (checked to lie
			       * inside it); read the name with elfmod_elf_string */
	/**@{*/
	/** st_info: binding (ELFMOD_ST_BIND: 0 local, 1 global, 2 weak) and type
	 * (ELFMOD_ST_TYPE: 0 none, 1 object, 2 function, 3 section, 4 file, 5 common, 6 TLS,
	 * 10 indirect function);
	 * st_other: the visibility in its low two bits. */
	uint8_t info, other;
	/**@}*/
	uint32_t shndx;       /**< the defining section, or a reserved value (ELFMOD_SHN_UNDEF,
			       * ELFMOD_SHN_ABS, ELFMOD_SHN_COMMON, ...) */
	/**@{*/
	uint64_t value, size; /**< st_value (an address; in a relocatable file an offset in
			       * section shndx, or for SHN_COMMON the alignment) and st_size
			       * in bytes (0: unknown) */
	/**@}*/
};

/**@{*/
/** The binding and the type of a symbol from its st_info (struct elfmod_sym::info). */
#define ELFMOD_ST_BIND(info) ((uint8_t)(info) >> 4)
#define ELFMOD_ST_TYPE(info) ((uint8_t)(info) & 0xf)
/**@}*/

/** One relocation entry, REL or RELA; addend is 0 for REL (the arch reads it in place). */
struct elfmod_rel {
	uint64_t offset;      /**< r_offset: where the patch goes (ET_REL: an offset in the
			       * section the relocation section applies to; else an address) */
	uint32_t type;        /**< r_type, per machine (elfmod_reloc_name names it) */
	uint32_t sym;         /**< symbol index in the linked symbol table (checked), 0: none */
	int64_t addend;       /**< r_addend (RELA); 0 for REL */
};

/**
 * The checked view of one file. Fill it with elfmod_elf_open(); all fields are then
 * trusted values (the counts have been checked against the file size). Read-only to
 * the caller. Holds a pointer to the source, which must outlive it.
 */
struct elfmod_elf {
	const struct elfmod_source *src; /**< the source given to elfmod_elf_open (not copied) */
	struct elfmod_diag *diag; /**< the diag given to elfmod_elf_open: later calls on this
				   * view report their failures there too, so it must outlive
				   * the view or be NULL */
	uint8_t cls;          /**< 32 or 64 */
	uint8_t big_endian;   /**< 1 for ELFDATA2MSB */
	uint8_t osabi;        /**< EI_OSABI, as found (not checked) */
	/**@{*/
	uint16_t type, machine; /**< e_type (ELFMOD_ET_*) and e_machine (ELFMOD_EM_*) */
	/**@}*/
	uint32_t flags;       /**< e_flags: machine-specific (ABI variant, float ABI) */
	uint64_t entry;       /**< e_entry: the entry address, 0 when none */
	/**@{*/
	/** The program and section header tables: e_phoff and e_shoff (file offsets), their
	 * entry counts and the section name table's index with extended numbering resolved
	 * (the real values even where e_phnum, e_shnum or e_shstrndx hold an escape), and
	 * e_phentsize and e_shentsize (checked to be the class's entry sizes where the table
	 * exists). */
	uint64_t phoff, shoff;
	uint32_t phnum, shnum, shstrndx;
	uint16_t phentsize, shentsize;
	/**@}*/
	uint32_t symtab;      /**< index of SHT_SYMTAB, 0 when none */
	uint32_t dynsym;      /**< index of SHT_DYNSYM, 0 when none */
	uint32_t symtab_shndx; /**< index of the SHT_SYMTAB_SHNDX for symtab, 0 when none */
};

/**
 * Reads and checks the ELF header, the program header table and the section header
 * table, including every entry of both: bounds of what each refers to within the file,
 * overflow of every offset+size, power-of-two alignments, p_filesz <= p_memsz (PT_LOAD), sh_link
 * and sh_info indices and the types they must name, entry sizes, string tables that are
 * NUL-terminated, extended numbering (e_shnum/e_shstrndx/e_phnum escapes, SHN_XINDEX).
 * Reads headers one entry at a time: it never needs more than a few hundred bytes of
 * stack, whatever the source.
 *
 * Errors: EINVAL, EIO, ETRUNC, EMAGIC, ECLASS, EDATA, EVERSION, EHDRSIZE, EINDEX, ELINK,
 * ESTRING, EALIGN, EOVERFLOW, ESEGMENT, EENTSIZE.
 */
int elfmod_elf_open(struct elfmod_elf *elf, const struct elfmod_source *src,
		    struct elfmod_diag *diag);

/** Section header `idx` (< shnum). Errors: EINDEX, EIO, ETRUNC. */
int elfmod_elf_shdr(const struct elfmod_elf *elf, uint32_t idx, struct elfmod_shdr *out);

/** Program header `idx` (< phnum). Errors: EINDEX, EIO, ETRUNC. */
int elfmod_elf_phdr(const struct elfmod_elf *elf, uint32_t idx, struct elfmod_phdr *out);

/**
 * The n-th DT_NEEDED name of a shared object or PIE, read from the file (its dynamic
 * section and string table through the PT_LOAD segments that hold them), copied into
 * `buf`. Errors: ENOTFOUND (fewer than n + 1 entries, or no PT_DYNAMIC), ESTRING (no
 * DT_STRTAB/DT_STRSZ, or a name outside the table), ERANGE (the table is outside the
 * segments), ESPACE (longer than buf), EIO, ETRUNC.
 */
int elfmod_elf_needed(const struct elfmod_elf *elf, uint32_t n, char *buf, size_t bufsz, const char **out);

/**
 * The NUL-terminated string at `off` in string table section `strtab`. With an
 * addressable source the result points into the file; otherwise it is copied into
 * `buf` (size `bufsz`) and points there. Errors: EINDEX, ELINK (not a string table),
 * ESTRING (offset out of table), ESPACE (longer than buf), EIO.
 */
int elfmod_elf_string(const struct elfmod_elf *elf, uint32_t strtab, uint64_t off, char *buf,
		      size_t bufsz, const char **out);

/** Name of section `idx` from the section name table; same rules as elfmod_elf_string
 * (a file without a section name table gives every section the name ""). */
int elfmod_elf_section_name(const struct elfmod_elf *elf, uint32_t idx, char *buf, size_t bufsz,
			    const char **out);

/** Number of entries of a SHT_SYMTAB/SHT_DYNSYM section. Errors: EINDEX, ELINK (not a
 * symbol table), EIO. */
int elfmod_elf_sym_count(const struct elfmod_elf *elf, uint32_t symtab, uint32_t *count);

/**
 * Symbol `i` of symbol table `symtab`, checked: st_name inside the linked string table,
 * st_shndx a real section or a reserved value, SHN_XINDEX resolved through the table's
 * SHT_SYMTAB_SHNDX. Errors: EINDEX, ELINK, ESTRING, EIO, ETRUNC.
 */
int elfmod_elf_sym(const struct elfmod_elf *elf, uint32_t symtab, uint32_t i, struct elfmod_sym *out);

/** Number of entries of a SHT_REL/SHT_RELA section. Errors: EINDEX, ELINK (not a
 * relocation section), EIO. */
int elfmod_elf_rel_count(const struct elfmod_elf *elf, uint32_t relsec, uint32_t *count);

/**
 * Entry `i` of relocation section `relsec`, decoded for the file's class (MIPS64's
 * three-type r_info is refused with EUNSUPPORTED). The symbol index is checked
 * against the linked symbol table. Errors: EINDEX, ELINK, EIO, ETRUNC, EUNSUPPORTED.
 */
int elfmod_elf_rel(const struct elfmod_elf *elf, uint32_t relsec, uint32_t i, struct elfmod_rel *out);

/** "R_ARM_THM_CALL" and the like, or NULL for a type elfmod has no name for (or when
 * built with ELFMOD_CFG_RELOC_NAMES 0). */
const char *elfmod_reloc_name(uint16_t machine, uint32_t type);

/**@{*/
/** 1 when elfmod can load relocatable code for `machine` (it has a relocation engine),
 * and when it implements relocation `type` there; 0 otherwise. */
int elfmod_machine_supported(uint16_t machine);
int elfmod_reloc_supported(uint16_t machine, uint32_t type);
/**@}*/

/** 1 when elfmod applies dynamic relocation `type` of a shared object or PIE of
 * `machine` and class `cls` (32/64); 0 otherwise (copy and TLS relocations included). */
int elfmod_dynreloc_supported(uint16_t machine, uint8_t cls, uint32_t type);

/** 1 when relocation `type` of `machine` changes nothing (R_*_NONE, and hints such as
 * R_MIPS_JALR): a symbol referenced only by such relocations is not imported. */
int elfmod_reloc_is_hint(uint16_t machine, uint32_t type);

/** 1 when elfmod_load provides `name` itself to a module of `machine` (a relocatable
 * one, or with `shared_object` a shared object or PIE): the C++ ABI halves
 * (__cxa_atexit, __aeabi_atexit, __cxa_finalize), _GLOBAL_OFFSET_TABLE_, __dso_handle,
 * and the architecture's own (MIPS _gp_disp, __gnu_local_gp, _gp). */
int elfmod_builtin_symbol(uint16_t machine, int shared_object, const char *name);

/** The e_machine of the host this build of elfmod runs on (0 when it knows none):
 * what modules loaded without opts.machine, and packed modules a host runs, must be. */
uint16_t elfmod_host_machine(void);

/** "x86-64", "AArch64", ... or NULL for a machine elfmod does not know. */
const char *elfmod_machine_name(uint16_t machine);

/* ------------------------------------------------------------------------------------ */
/* Memory                                                                               */
/* ------------------------------------------------------------------------------------ */

/** What a region holds, which decides its final permissions (and lets an allocator take
 * each kind from different memory). */
enum elfmod_kind {
	ELFMOD_KIND_TEXT = 0,   /**< code: ends up read+execute */
	ELFMOD_KIND_RODATA = 1, /**< read-only data */
	ELFMOD_KIND_DATA = 2,   /**< writable data and .bss */
	ELFMOD_KIND_META = 3,   /**< the loader's own bookkeeping: host RAM, never executed */
};

/**@{*/
/** Memory permission bits: read, write, execute (struct elfmod_region::perm, the `perm`
 * of struct elfmod_allocator::protect). The values are those of ELF's PF_R, PF_W, PF_X. */
#define ELFMOD_PERM_R 4u
#define ELFMOD_PERM_W 2u
#define ELFMOD_PERM_X 1u
/**@}*/

struct elfmod_alloc_info;

/**
 * One block of module memory. `addr` is the address the bytes run at; `wr` is where the
 * loader writes them. They differ on parts whose instruction RAM is written through a
 * data-bus alias, or when relocating for another machine. `priv` belongs to the allocator.
 */
struct elfmod_region {
	uint64_t addr;  /**< run address, set by the allocator */
	void *wr;       /**< where this process writes the bytes, set by the allocator */
	uint64_t size;  /**< bytes, set by the allocator: at least what was asked (for the
			 * regions of a relocatable module's sections the loader then records
			 * just what it asked for); 0 in struct elfmod_module::region when unused */
	uint8_t kind;   /**< enum elfmod_kind */
	uint8_t perm;   /**< ELFMOD_PERM_* currently applied */
	void *priv;     /**< the allocator's own, e.g. which arena the block came from */
	/** During `alloc` only (NULL otherwise, and for META): what the region will hold,
	 * so a firmware can choose the memory by section, e.g. fast RAM for `.iram*`,
	 * external RAM for `.psram*`. */
	const struct elfmod_alloc_info *info;
	/** ELFMOD_ALLOC_*: set by the loader before `alloc`, like `kind` (0 otherwise). */
	uint8_t flags;
};

/** struct elfmod_region::flags: the source's `map` will replace most of the region's
 * pages right after `alloc` (the image of a shared object or executable, with an
 * ELFMOD_MEM_MAPPABLE allocator), so filling them in advance (MAP_POPULATE) is wasted.
 * Only a hint: the region must still be what `alloc` always provides. */
#define ELFMOD_ALLOC_MAPPED 0x1u

/**
 * The sections a region will hold (its loader-made pieces - call stubs, GOT - are not
 * sections and not counted). section() copies the name of the k-th one (k < nsections)
 * into buf and returns it, or NULL when it cannot (read error, longer than bufsz).
 */
struct elfmod_alloc_info {
	uint64_t sh_flags;      /**< union of the sections' SHF_* flags */
	uint32_t nsections;     /**< how many sections the region will hold */
	/** The name of section k (k < nsections), copied into buf; NULL when k is out of
	 * range, the name is bufsz bytes or longer, or it cannot be read. Valid during
	 * `alloc` only, like the struct. */
	const char *(*section)(const struct elfmod_alloc_info *ai, uint32_t k, char *buf, size_t bufsz);
	const void *priv;       /**< elfmod's */
};

/**
 * The host's memory services. A new region must be writable through `wr`; `protect`
 * then applies final permissions (never W and X together). `near` is 0 or an address
 * the region should lie within +-2 GiB of (a hint; the loader checks reach itself).
 * `protect` and `sync_icache` may be NULL when the target has neither.
 *
 * `write_code` is for instruction memory that takes only aligned 32-bit writes (ESP32
 * and ESP8266 IRAM, or IRAM written through a data-bus alias whose address differs from
 * the run address `addr`): when set, the loader never writes a text region through
 * `wr`. It builds the code in a META window of `code_window` bytes (0: the default
 * ELFMOD_CFG_CODE_WINDOW; at most the region's size) plus a 64-byte margin, one window
 * after another: reads those bytes from the source, applies the relocations that fall in
 * them against the run addresses, then hands the window over through write_code, `len`
 * bytes at offset `off` of the region (both multiples of 4), for the port to store word
 * by word. So the extra RAM is bounded whatever the module's size; each window costs one
 * more pass over the relocation tables. The text region's size is rounded up to 4.
 * Non-zero from write_code fails the load with EPERM.
 */
struct elfmod_allocator {
	/** Provides `size` bytes aligned to `align` (a power of two, at least 1) for a region
	 * of kind r->kind, which the loader sets before the call (r->info says what a module
	 * region will hold): fills r->addr, r->wr and r->size, and r->perm and r->priv as it
	 * keeps them. Returns 0, or non-zero to refuse (the load fails with ENOMEM; a result
	 * smaller than asked or misaligned fails it with EINVAL). Required. */
	int (*alloc)(void *ctx, struct elfmod_region *r, uint64_t size, uint64_t align, uint64_t near);
	/** Gives back a region `alloc` provided: at unload, when a load fails, and for the
	 * loader's own scratch memory during a load. Required. */
	void (*free)(void *ctx, struct elfmod_region *r);
	/** Applies `perm` (ELFMOD_PERM_*) to [r->addr, r->addr + r->size): a whole region,
	 * or, for a shared object, a copy of its image region narrowed to the pages of one
	 * segment. Non-zero fails the load with EPERM. Not called with
	 * ELFMOD_LOAD_NO_PROTECT. */
	int (*protect)(void *ctx, struct elfmod_region *r, unsigned perm);
	/** Makes code just written at [addr, addr + len) visible to instruction fetch, before
	 * it runs (elfmod_cache_sync is one). */
	void (*sync_icache)(void *ctx, uint64_t addr, uint64_t len);
	void *ctx;              /**< passed to every callback as is */
	/** Stores `len` bytes from `src` at offset `off` of text region `r` (see above);
	 * NULL: code is written through r->wr like everything else. */
	int (*write_code)(void *ctx, struct elfmod_region *r, uint64_t off, const void *src, uint64_t len);
	uint32_t code_window;   /**< bytes per write_code window; 0: ELFMOD_CFG_CODE_WINDOW */
	/** The granularity of `protect` (the host's page size), used to round the segments
	 * and RELRO of shared objects as ld.so does; 0: each segment's own p_align. */
	uint32_t page_size;
	uint32_t flags;         /**< ELFMOD_MEM_* */
};

/** struct elfmod_allocator::flags: every region `alloc` provides starts at a multiple of
 * page_size, owns the whole pages up to its end, reads as zero when new, and may have
 * pages replaced by a source's `map` (struct elfmod_source), which `free` then releases
 * with the rest: memory from mmap. Lets a shared object's segments be mapped from the
 * file rather than copied. */
#define ELFMOD_MEM_MAPPABLE 0x1u

/* ------------------------------------------------------------------------------------ */
/* Executable loader (ET_EXEC): bootloaders                                             */
/* ------------------------------------------------------------------------------------ */

/**
 * A range of target memory a segment may be loaded into. Bytes for address A are
 * written at (char *)wr + (A - base). A bootloader lists the RAM it owns and leaves out
 * itself, so an image can never overwrite the loader.
 */
struct elfmod_window {
	uint64_t base;        /**< the first target address of the window */
	uint64_t size;        /**< bytes */
	void *wr;             /**< where this process writes the byte for address `base` */
};

#define ELFMOD_EXEC_USE_PADDR 0x1u  /**< place segments at p_paddr instead of p_vaddr */
/** Execute in place (XIP): with an addressable source, a segment whose bytes already lie
 * where it would be written (src->data + p_offset is its destination, as for an image
 * pre-linked for its flash address: `elfmod link --xip`) and that has no .bss
 * (p_filesz == p_memsz) is neither copied nor written; info->in_place counts it. Such a
 * segment may lie in a window over read-only memory (flash). */
#define ELFMOD_EXEC_XIP 0x2u

/** How elfmod_exec_load may load an image. */
struct elfmod_exec_opts {
	/** The memory the image may occupy (each segment inside one of them; none: any
	 * PT_LOAD fails with EWINDOW). Read during the call only. */
	const struct elfmod_window *windows;
	uint32_t nwindows;     /**< entries of `windows` */
	uint32_t flags;        /**< ELFMOD_EXEC_* */
	uint16_t machine;      /**< expected e_machine, 0 to accept any */
	uint8_t cls;           /**< expected class (32/64), 0 to accept any */
	/** Called once per segment with code in it, after it has been written. May be NULL. */
	void (*sync_icache)(void *ctx, uint64_t addr, uint64_t len);
	void *ctx;             /**< passed to sync_icache as is */
};

/** What elfmod_exec_load did, for the caller to jump to the image and to report. */
struct elfmod_exec_info {
	uint64_t entry;        /**< e_entry: where to start the image */
	/**@{*/
	uint64_t lowest, highest;  /**< loaded address range [lowest, highest) */
	/**@}*/
	/**@{*/
	uint64_t copied, zeroed;   /**< bytes copied from the file (p_filesz) and bytes zeroed
				    * after them (p_memsz - p_filesz), over the segments not
				    * used in place */
	/**@}*/
	uint64_t in_place;         /**< bytes used where they are (ELFMOD_EXEC_XIP) */
	uint32_t segments;         /**< PT_LOAD segments loaded */
};

/**
 * Loads every PT_LOAD segment of an ET_EXEC image: copies p_filesz bytes, zeroes the
 * rest up to p_memsz. Works without section headers. Everything is checked before the
 * first byte is written: each segment must lie inside one window, no two segments may
 * overlap, and the entry point must lie in an executable segment. Bytes stream from
 * the source straight to their destination; no buffer beyond one program header.
 *
 * Errors: everything elfmod_elf_open() returns, plus EINVAL, ETYPE, EMACHINE, ENOLOAD,
 * ELIMIT (more than ELFMOD_CFG_MAX_LOAD_SEGMENTS), EOVERLAP, EWINDOW, EIO during copy.
 * After EIO during copy the windows may hold partial data; nothing outside them does.
 */
int elfmod_exec_load(const struct elfmod_source *src, const struct elfmod_exec_opts *opts,
		     struct elfmod_exec_info *info, struct elfmod_diag *diag);

/* ------------------------------------------------------------------------------------ */
/* Export tables: the symbols a host (firmware, kernel) offers to modules                */
/* ------------------------------------------------------------------------------------ */

/** One symbol the host offers: modules that import `name` are linked to `addr`. */
struct elfmod_export {
	const char *name;     /**< NUL-terminated; NULL in a hashed table (see elfmod_exports) */
	const void *addr;     /**< the definition in this process (function or object) */
};

/** One entry of a lookup index: the GNU hash of a name and its position in the table. */
struct elfmod_export_index {
	uint32_t hash;        /**< elfmod_hash() of the entry's name */
	uint32_t sym;         /**< the entry's index in elfmod_exports::syms */
};

/**
 * An export table with its index. Lookups hash the name once, binary-search the index
 * by hash (O(log n) integer compares) and compare strings only on a hash match.
 *
 * Hashed names: an entry whose name is NULL matches any import of its hash (tables
 * `elfmod exports --hashed` generates keep no strings on the device, as Flipper Zero
 * does; `elfmod check` refuses a module one of whose imports would match such an entry
 * by a hash collision). Such tables come with their index prebuilt.
 *
 * `fingerprint` identifies the export set (its ABI) for modules that record the one
 * they were built against (ELFMOD_MODULE_ABI); 0: none, no check.
 */
struct elfmod_exports {
	const struct elfmod_export *syms;         /**< the entries, in any order */
	const struct elfmod_export_index *index;  /**< `count` entries sorted by hash (then
						   * name), as elfmod_exports_init builds it */
	uint32_t count;                           /**< entries of `syms` and of `index` */
	uint64_t fingerprint;                     /**< the export set's ABI, 0: none
						   * (elfmod_exports_init sets 0; the caller
						   * sets it afterwards) */
};

/**@{*/
/**
 * Declares `sym` as exported by the host. The entries are collected by the linker into
 * the section `elfmod_exports`, bounded by __start_elfmod_exports/__stop_elfmod_exports
 * (GNU ld and lld provide these for sections named like C identifiers). One per line.
 * Xtensa hosts: link with --no-relax, or bound the section in the linker script; GNU ld
 * 2.40's relaxation merges the literals of the two linker-made symbols, and the table
 * then reads as empty.
 */
#define ELFMOD__CAT2(a, b) a##b
#define ELFMOD__CAT(a, b) ELFMOD__CAT2(a, b)
#define ELFMOD_EXPORT_AS(name_str, sym)                                                      \
	static const struct elfmod_export ELFMOD__CAT(elfmod__export_, __LINE__)           \
		__attribute__((used, section("elfmod_exports"), aligned(sizeof(void *)))) = { \
			name_str, (const void *)&(sym)                                     \
		}
#define ELFMOD_EXPORT(sym) ELFMOD_EXPORT_AS(#sym, sym)
/**@}*/

/** The GNU hash of a NUL-terminated name (the DT_GNU_HASH function: h = h * 33 + c). */
uint32_t elfmod_hash(const char *name);

/**
 * Builds the index of `syms` (n entries) into `index` (n entries, caller memory: RAM for
 * a table collected at link time, or a const array generated on the host) and fills `t`.
 * O(n log n), no recursion. Errors: EINVAL (t NULL, syms or index NULL with n > 0, or a
 * NULL name); ELIMIT when two entries share a name, with `dup` (when not NULL) set to the
 * later one's index.
 */
int elfmod_exports_init(struct elfmod_exports *t, const struct elfmod_export *syms, uint32_t n,
			struct elfmod_export_index *index, uint32_t *dup);

/** The entry named `name`, or NULL. `hash` is elfmod_hash(name) (callers that look the
 * same name up in several tables compute it once). */
const struct elfmod_export *elfmod_exports_find(const struct elfmod_exports *t, const char *name,
						uint32_t hash);

/**
 * The ABI fingerprint of an export set: the first 8 bytes, little-endian, of the SHA-256
 * of its names in index order (by hash, then by name), each followed by a NUL. The host
 * tools compute the same (`elfmod exports`). 0 when an entry has no name (a hashed table
 * carries its fingerprint from the generator). Needs the integrity code
 * (ELFMOD_CFG_INTEGRITY); without it, 0.
 */
uint64_t elfmod_exports_fingerprint(const struct elfmod_exports *t);

/**@{*/
/**
 * Records in a module the fingerprint of the export set it was built and checked
 * against, as the 8 bytes `elfmod exports` writes into its header
 * (ELFMOD_ABI_FINGERPRINT_BYTES), in a non-allocated section `.elfmod.abi` that costs
 * the module no memory. At load, when any host table of the registry has a
 * fingerprint, the module's must equal one of them: otherwise EABI, unless
 * ELFMOD_LOAD_ANY_ABI. Use it once per module: ELFMOD_MODULE_ABI(ELFMOD_ABI_FINGERPRINT_BYTES).
 */
#define ELFMOD__STR(...) #__VA_ARGS__
#define ELFMOD__XSTR(...) ELFMOD__STR(__VA_ARGS__)
#define ELFMOD_MODULE_ABI(...)                                                              \
	__asm__(".pushsection .elfmod.abi,\"\",%progbits\n.byte " ELFMOD__XSTR(__VA_ARGS__) "\n.popsection")
/**@}*/

/* ------------------------------------------------------------------------------------ */
/* Integrity: SHA-256 digests and signed modules                                         */
/* ------------------------------------------------------------------------------------ */

/** SHA-256 (FIPS 180-4), freestanding; for hosts and tools as well as the loader. */
struct elfmod_sha256 {
	uint32_t h[8];        /**< the hash state (H0..H7 of the standard) */
	uint64_t len;         /**< bytes hashed so far */
	uint8_t buf[64];      /**< the bytes of an incomplete block (len % 64 of them) */
};

/** Starts a digest in `c` (caller memory, no other setup needed). */
void elfmod_sha256_init(struct elfmod_sha256 *c);
/** Hashes `len` bytes at `data`, any length: a message may come in pieces of any size. */
void elfmod_sha256_update(struct elfmod_sha256 *c, const void *data, size_t len);
/** Writes the 32-byte digest of everything hashed since elfmod_sha256_init to `out`.
 * Pads in place: `c` must be initialised again before it hashes anything else. */
void elfmod_sha256_final(struct elfmod_sha256 *c, uint8_t out[32]);

/**
 * A signed module is  ELF bytes | signature (sig_len bytes) | trailer (64 bytes).
 * The ELF stays a valid ELF for every other tool: the signature and trailer are bytes
 * after everything its headers describe (as Linux appends module signatures). Trailer,
 * integers little-endian:
 *    0  u32  version = 1
 *    4  u8   hash algorithm (ELFMOD_HASH_SHA256)
 *    5  u8   signature algorithm (ELFMOD_SIG_ED25519)
 *    6  u16  0
 *    8  u32  sig_len (1..ELFMOD_CFG_MAX_SIG)
 *   12  u32  0
 *   16  u64  elf_size = file size - sig_len - 64
 *   24  u8[16] key id: the first 16 bytes of the SHA-256 of the public key
 *   40  u8[8] 0
 *   48  u8[16] magic ELFMOD_SIG_MAGIC
 * What is signed is the 96-byte message  SHA-256(ELF bytes) | trailer,  so a change to
 * any byte of the ELF or of the trailer changes the message, and a change to the
 * signature fails its check. docs/signing.md has the rationale and the tools.
 */
/**@{*/
#define ELFMOD_SIG_TRAILER 64
#define ELFMOD_SIG_MSG 96
#define ELFMOD_SIG_MAGIC "~elfmod signed~\n"
#define ELFMOD_HASH_SHA256 1
#define ELFMOD_SIG_ED25519 1
/**@}*/
/** 0 leaves shared objects, PIEs and executables out of elfmod_load (about 13 KiB of code
 * on Cortex-M, src/dynamic.c): a firmware that loads only relocatable modules. Their
 * loads then fail with EUNSUPPORTED. elfmod_exec_load (the bootloader path) is not
 * affected. */
#ifndef ELFMOD_CFG_DYNAMIC
#define ELFMOD_CFG_DYNAMIC 1
#endif
/** 0 leaves the integrity check out of elfmod_load (about 1.5 KiB of code on Cortex-M):
 * opts.sha256 and opts.verify are then refused with EUNSUPPORTED. */
#ifndef ELFMOD_CFG_INTEGRITY
#define ELFMOD_CFG_INTEGRITY 1
#endif
/** The longest signature a trailer may announce (bytes; an Ed25519 one is 64). A load
 * with `verify` reserves this much META memory for the signature. */
#ifndef ELFMOD_CFG_MAX_SIG
#define ELFMOD_CFG_MAX_SIG 256
#endif

/** What a trailer says, for a verifier callback. */
struct elfmod_sig_info {
	/**@{*/
	uint8_t hash_alg, sig_alg; /**< ELFMOD_HASH_SHA256 (the only one accepted) and the
				    * signature algorithm: any non-zero value, for the verifier
				    * to accept or refuse (ELFMOD_SIG_ED25519 is defined) */
	/**@}*/
	uint8_t key_id[16];   /**< first 16 bytes of the SHA-256 of the signer's public key */
	uint32_t sig_len;     /**< signature bytes, 1..ELFMOD_CFG_MAX_SIG */
	uint64_t elf_size;    /**< bytes of the ELF: the file without signature and trailer */
};

/**
 * Decodes and checks the trailer (the last 64 bytes of a file of `file_size` bytes):
 * magic, version, zero fields, sig_len within 1..ELFMOD_CFG_MAX_SIG, and elf_size +
 * sig_len + 64 == file_size. Errors: EVERIFY (diag names the field), ETRUNC (file
 * shorter than a trailer).
 */
int elfmod_sig_trailer(const uint8_t trailer[ELFMOD_SIG_TRAILER], uint64_t file_size,
		       struct elfmod_sig_info *out, struct elfmod_diag *diag);

/**
 * Checks one signature: `msg` (ELFMOD_SIG_MSG bytes) against `sig` (si->sig_len bytes)
 * with the key si->key_id names. Returns 0 only when the signature is valid for a key
 * the host trusts.
 */
typedef int (*elfmod_verify_fn)(void *ctx, const struct elfmod_sig_info *si, const uint8_t *msg,
				size_t msg_len, const uint8_t *sig, size_t sig_len);

/* ------------------------------------------------------------------------------------ */
/* Modules: relocatable objects (ET_REL) loaded, linked against the host and each other */
/* ------------------------------------------------------------------------------------ */

/** Most host export tables a registry holds (elfmod_registry_add_exports). */
#ifndef ELFMOD_CFG_MAX_EXPORT_TABLES
#define ELFMOD_CFG_MAX_EXPORT_TABLES 8
#endif
/** Bytes of the scratch window that word-only code memory is built in (see write_code). */
#ifndef ELFMOD_CFG_CODE_WINDOW
#define ELFMOD_CFG_CODE_WINDOW 1024
#endif

/**@{*/
/** The read cache in front of a read-callback source during a load: LINES lines of LINE
 * bytes (a power of two), one META allocation of LINES * LINE bytes plus its state (about
 * 200 bytes; with an integrity check about 250 more and ELFMOD_CFG_MAX_SIG). Small reads (headers, symbols, relocations, names) are served from
 * it; reads of LINE bytes or more go straight to their destination. 0 lines: every
 * read is a callback (the state is still allocated when an integrity check needs it). */
#ifndef ELFMOD_CFG_READ_LINES
#define ELFMOD_CFG_READ_LINES 8
#endif
#ifndef ELFMOD_CFG_READ_LINE
#define ELFMOD_CFG_READ_LINE 128
#endif
/**@}*/

/** Longest symbol or section name, with its NUL, the loader handles when names are read
 * through a callback (a longer one fails the load with ESPACE); from an addressable
 * source names are used in place, whatever their length. The loader keeps buffers of
 * this size on the stack. */
#ifndef ELFMOD_CFG_MAX_NAME
#define ELFMOD_CFG_MAX_NAME 256
#endif

struct elfmod_module;

/**
 * What modules can link against: the host's export tables and the loaded modules.
 * Caller-owned; zero-initialise it (or call elfmod_registry_init). Not thread-safe:
 * the caller serialises loads and unloads that share a registry.
 */
struct elfmod_registry {
	struct elfmod_module *modules;  /**< loaded modules, newest first (m->next) */
	/** Host export tables, in the order added and searched; the caller's, which must
	 * outlive the registry's use. */
	const struct elfmod_exports *tables[ELFMOD_CFG_MAX_EXPORT_TABLES];
	uint32_t ntables;               /**< entries of `tables` in use */
};

/** Empties `reg`: no modules, no tables (the same as zero-initialising it). Cannot fail. */
void elfmod_registry_init(struct elfmod_registry *reg);

/** Adds a host export table (searched in the order added). Errors: EINVAL, ELIMIT. */
int elfmod_registry_add_exports(struct elfmod_registry *reg, const struct elfmod_exports *t);

/**
 * Marks a symbol a module exports by name. Modules that mark at least one symbol export
 * only the marked ones; modules that mark none export every global definition. The mark
 * is a non-allocated section (.elfmod.exports): it costs the module no memory.
 */
#define ELFMOD_MODULE_EXPORT(sym)                                                           \
	__asm__(".pushsection .elfmod.exports,\"\",%progbits\n.asciz \"" #sym "\"\n.popsection")

#define ELFMOD_LOAD_DROP_SYMBOLS 0x1u  /**< keep no symbol table after load: elfmod_sym() finds
					* nothing, other modules cannot import from this one */
#define ELFMOD_LOAD_NO_INIT 0x2u       /**< run no module code: no init functions (and no fini
					* at unload), no indirect-function resolvers (a shared
					* object that needs them is refused, ERELTYPE) */
#define ELFMOD_LOAD_NO_PROTECT 0x4u    /**< leave regions writable (debugging, pre-linking) */
/** ET_EXEC: by default an executable that kept its relocations (linked with -q,
 * --emit-relocs) is moved to wherever the allocator puts it, and one without is loaded
 * only at its link address. These force one way: */
#define ELFMOD_LOAD_EXEC_FIXED 0x8u    /**< at the link address even if it could move */
#define ELFMOD_LOAD_EXEC_MOVE 0x10u    /**< move it; ENOTFOUND when it kept no relocations */
/**@{*/
/** ET_REL from an addressable source that outlives the module (memory-mapped flash): its
 * read-only sections that no relocation writes are used where they are, not copied
 * (suitably aligned ones; m->bytes_in_place counts them). With ELFMOD_LOAD_XIP such
 * code sections too: the source must then be executable (XIP flash). */
#define ELFMOD_LOAD_IN_PLACE 0x20u
#define ELFMOD_LOAD_XIP 0x40u
/**@}*/
/** Load a module whose recorded ABI fingerprint matches no host table (see
 * ELFMOD_MODULE_ABI): the caller vouches for it. */
#define ELFMOD_LOAD_ANY_ABI 0x80u
/**@{*/
/** For elfmod_reset: keep what it takes to bring the writable data back to its initial
 * values. RESET_COPY keeps a copy of the data as it is before any module code runs
 * (META, the size of the data); RESET_SOURCE keeps only the fields the loader wrote into
 * it (relocations, its own words: 24 bytes each on 64-bit hosts, 16 on 32-bit) and
 * re-reads the rest from the source at reset. For shared objects and executables those
 * fields are found by comparing the writable segments with the file once more at load. */
#define ELFMOD_LOAD_RESET_COPY 0x100u
#define ELFMOD_LOAD_RESET_SOURCE 0x200u
/**@}*/
/** Relocate for an image that will run somewhere else (pre-linking, `elfmod pack`): as
 * when relocating for another machine, no address of this process goes into it
 * (__cxa_atexit and friends are then ordinary imports, the word behind __dso_handle
 * stays 0), and every call to an import goes through a call stub even where a direct
 * call would reach, so each import's address is a word of the image. */
#define ELFMOD_LOAD_PRELINK 0x400u
/** Keep where each loaded section of a relocatable module went (m->sections), so that a
 * debugger can put the module's symbols and debug information at their addresses (the
 * GDB script scripts/gdb/elfmod.py reads it from a firmware's registry): 16 bytes per
 * section in the module's META memory. Shared objects and executables need no table:
 * their image moved as a whole, by m->dyn->bias. */
#define ELFMOD_LOAD_KEEP_SECTIONS 0x800u

/** What elfmod_load_opts::place returns to give a section a region of its own. */
#define ELFMOD_PLACE_REGION 1
/** Most sections of one module in regions of their own (ELFMOD_PLACE_REGION); more fail
 * the load with ELIMIT. */
#ifndef ELFMOD_CFG_SECTION_REGIONS
#define ELFMOD_CFG_SECTION_REGIONS 8
#endif

/** How elfmod_load loads a module: its memory, what it links against, placement and
 * integrity. Read during the call only, except `name`, `mem` and `reg`, which the module
 * keeps pointers to: they must outlive it. Zero-initialise, then set what is needed. */
struct elfmod_load_opts {
	const char *name;                      /**< the module's name in messages and lists */
	const struct elfmod_allocator *mem;    /**< required */
	struct elfmod_registry *reg;           /**< NULL: link against `resolve` only */
	/** Last resort for an import nobody exports: 0 and *addr, or non-zero. */
	int (*resolve)(void *ctx, const char *name, uint64_t *addr);
	void *resolve_ctx;                     /**< passed to `resolve` as is */
	/** Called once for every import that could not be resolved, so a caller can list
	 * them all; the load then fails with EUNDEF naming the first. May be NULL. */
	void (*unresolved)(void *ctx, const char *name);
	void *unresolved_ctx;                  /**< passed to `unresolved` as is */
	uint32_t flags;                        /**< ELFMOD_LOAD_* */

	/**
	 * Relocating for another machine (pre-linking, `elfmod link`): the module's
	 * e_machine, class and byte order may then differ from the host's. Nothing of it
	 * runs (as ELFMOD_LOAD_NO_INIT), no host built-ins are offered, and addresses are
	 * the target's. 0: the module must match the host.
	 */
	uint16_t machine;
	/**
	 * Placement by section: asked for every allocated section (the module chooses
	 * with names, e.g. __attribute__((section(".iram.text")))). Returning
	 *  - 0 with *addr (run address) and *wr (where to write `size` bytes) places the
	 *    section in caller memory, outside the module's regions (the caller owns it:
	 *    elfmod neither frees nor protects it);
	 *  - ELFMOD_PLACE_REGION gives the section a region of its own from the allocator,
	 *    whose `info` then names just this section; it is freed at unload and
	 *    protected by its kind like the others (at most ELFMOD_CFG_SECTION_REGIONS);
	 *  - anything else lets elfmod put it in the text, rodata or data region.
	 * Sections placed either way are written through `wr` with ordinary stores
	 * (not through write_code), and must lie within reach of the code that refers to
	 * them (ERANGE otherwise; the allocator is given the text region's address as
	 * `near`).
	 */
	int (*place)(void *ctx, uint32_t shndx, const char *name, uint64_t size, uint64_t align,
		     uint64_t *addr, void **wr);
	/** Told where every allocated section went, once relocated (e.g. to write it out);
	 * called just before the load completes, so a later failure can still follow. */
	void (*placed)(void *ctx, uint32_t shndx, const char *name, uint32_t sh_type, uint64_t sh_flags,
		       uint64_t addr, const void *wr, uint64_t size);
	void *place_ctx;                       /**< passed to `place` and `placed` as is */

	/**@{*/
	/**
	 * Integrity, checked before any code of the module runs (init functions, indirect-
	 * function resolvers) and before it becomes visible; a mismatch fails the load with
	 * EVERIFY and leaves nothing allocated. The digest is taken as the file streams in:
	 * the bytes of a read-callback source pass through the hash in file order as the
	 * loader reads them, and only the bytes it skipped or read out of order are read
	 * again at the end (never the code and data it copied). The source must return the
	 * same bytes for the same offset during the load (see docs/signing.md).
	 *  - sha256: 32 bytes the SHA-256 of the ELF bytes must equal (the whole source, or
	 *    the part before the signature when `verify` is set), or NULL.
	 *  - verify: the file must be signed (trailer above); its ELF bytes are loaded and
	 *    the message is handed to verify, which must return 0. NULL: no signature check
	 *    (a trailer is then just bytes after the ELF).
	 */
	const uint8_t *sha256;
	elfmod_verify_fn verify;
	/**@}*/
	void *verify_ctx;                      /**< passed to `verify` as is */
};

/** Where one section of a relocatable module went (ELFMOD_LOAD_KEEP_SECTIONS). */
struct elfmod_section_addr {
	uint64_t addr;                    /**< run address of its first byte */
	uint32_t shndx;                   /**< its index in the module's file */
	uint32_t reserved;                /**< 0 */
};

/** What the loader keeps of a shared object or PIE, in the module's META memory. */
struct elfmod_dyn_info {
	uint64_t bias;                    /**< run address minus link address (p_vaddr) */
	const char *soname;               /**< DT_SONAME (in the image), NULL when none */
	uint8_t textrel;                  /**< relocations were applied to code (DT_TEXTREL):
					   * written before the code was made executable */
	/**@{*/
	/** Private to elfmod: lookups use the image's own tables. DT_SYMTAB, DT_STRTAB,
	 * DT_GNU_HASH and DT_HASH as pointers into the loaded image (its write view),
	 * NULL when absent. */
	const uint8_t *symtab, *strtab, *gnu_hash, *hash;
	/**@}*/
	uint64_t strsz;                   /**< DT_STRSZ: bytes of strtab */
	uint32_t nsyms;                   /**< dynamic symbols: the most any of DT_HASH,
					   * DT_GNU_HASH and a SHT_DYNSYM section header says */
	/**@{*/
	uint64_t fini_array, fini_count, fini; /**< DT_FINI_ARRAY (link address) and its
						* number of pointers, DT_FINI (link address);
						* 0 when none */
	/**@}*/
	uint8_t native;                   /**< runs on this host (indirect functions resolve) */
	uint64_t entry;                   /**< run address of e_entry (0 when the file has none);
					   * an executable has no dynamic symbols for elfmod_sym */
	/**@{*/
	uint64_t preinit_array, preinit_count, init_array, init_count, init; /**< as the fini
				* fields: DT_PREINIT_ARRAY and DT_INIT_ARRAY (link addresses) with
				* their numbers of pointers, DT_INIT; 0 when none */
	/**@}*/
};

/**
 * A loaded module. The caller provides the storage and must not touch the fields while
 * it is loaded; the ones above `next` may be read.
 */
struct elfmod_module {
	const char *name;                 /**< elfmod_load_opts::name (the pointer, not a copy),
					   * or "module" when that is NULL */
	struct elfmod_region region[3];   /**< by enum elfmod_kind; size 0 when unused */
	struct elfmod_exports exports;    /**< what it offers to others (empty when dropped) */
	uint32_t refs;                    /**< modules that import from this one */
	uint16_t machine;                 /**< the file's e_machine (ELFMOD_EM_*) */
	/**@{*/
	uint8_t cls, big_endian;          /**< the file's class (32 or 64) and byte order
					   * (1: big-endian), as in struct elfmod_elf */
	/**@}*/
	/**@{*/
	uint32_t got_slots, stubs;        /**< loader-made GOT entries and call stubs */
	/**@}*/
	/**@{*/
	uint64_t got, stub_base;          /**< their run addresses (0 when there are none) */
	/**@}*/
	uint64_t bytes_loaded;            /**< bytes copied from the source into the regions */
	uint64_t bytes_in_place;          /**< bytes used where they are (ELFMOD_LOAD_IN_PLACE) */
	/** Shared objects and PIEs (ET_DYN): the whole image is region[ELFMOD_KIND_TEXT]
	 * and `dyn` describes it; NULL for relocatable modules. */
	const struct elfmod_dyn_info *dyn;
	/** Loaded with ELFMOD_LOAD_KEEP_SECTIONS, a relocatable module's loaded sections
	 * (ascending by index) and where each went; NULL and 0 otherwise. */
	const struct elfmod_section_addr *sections;
	uint32_t nsections;               /**< entries of `sections` */
	/** The next older module of the registry (elfmod_registry::modules). This and
	 * everything after it is private to elfmod. */
	struct elfmod_module *next;
	struct elfmod_registry *reg;      /**< elfmod_load_opts::reg, NULL when none */
	const struct elfmod_allocator *mem; /**< elfmod_load_opts::mem, used again at unload */
	struct elfmod_region keep;        /**< symbols, names, dependencies, fini list, and
					   * the regions of single sections (in keep) */
	struct elfmod_region *own;        /**< the regions of single sections
					   * (ELFMOD_PLACE_REGION), NULL when none */
	uint32_t nown;                    /**< entries of `own` */
	struct elfmod_module **deps;      /**< the modules it imports from, each counted in
					   * their `refs` until this one is unloaded */
	uint32_t ndeps;                   /**< entries of `deps` */
	uint32_t nfini;                   /**< pairs in `fini` */
	uint64_t *fini;                   /**< pairs: run address of a pointer array, count; or
					   * a negative count for .dtors (run forwards) */
	struct elfmod__atexit *atexit;    /**< destructors registered with elfmod_cxa_atexit
					   * for this module, newest first, each in META memory
					   * of its own */
	uint64_t dso_handle;              /**< run address of this module's __dso_handle */
	uint32_t flags;                   /**< elfmod_load_opts::flags, plus
					   * ELFMOD_LOAD_NO_INIT when relocated for another
					   * machine */
	uint32_t ninit;                   /**< pairs in `init` */
	uint64_t *init;                   /**< pairs as fini, in the keep (ET_REL) */
	struct elfmod_region reset;       /**< what elfmod_reset needs (META), size 0: nothing */
};

/**
 * Loads a relocatable object (ET_REL, including `ld -r` output): places its allocated
 * sections into text (RX), rodata (R) and data (RW, .bss and SHN_COMMON at its end)
 * regions, one allocation each, within +-2 GiB of each other; resolves its imports
 * (its own definitions, then loaded modules' exports - recording the dependency - then
 * the registry's host tables in order, then `resolve`); builds the GOT and call stubs
 * its relocations need; relocates; applies permissions; runs .preinit_array,
 * .ctors and .init_array (unless ELFMOD_LOAD_NO_INIT); adds it to the registry.
 *
 * On failure nothing allocated stays allocated, the registry and every other module's
 * reference count are unchanged, and `diag` says what failed (for EUNDEF, EDUP, ERANGE
 * and ERELTYPE it names the symbol in diag->name).
 *
 * Errors: those of elfmod_elf_open(), EINVAL, ETYPE, EMACHINE, ENOMEM, EUNDEF, EDUP,
 * ERANGE, ERELTYPE, EREACH, EPERM, EIO, ELIMIT (more than ELFMOD_CFG_SECTION_REGIONS
 * regions of single sections), EVERIFY (digest, signature or trailer), EUNSUPPORTED
 * (an integrity check asked of a core built without it).
 */
int elfmod_load(struct elfmod_module *m, const struct elfmod_source *src,
		const struct elfmod_load_opts *opts, struct elfmod_diag *diag);

/**
 * Runs the module's atexit list (newest first), .fini_array (backwards) and .dtors,
 * releases its dependencies and frees its memory. Errors: EBUSY while another loaded
 * module imports from it (nothing is done then), EINVAL.
 */
int elfmod_unload(struct elfmod_module *m);

/** Address of an exported definition of the module, or NULL. */
void *elfmod_sym(const struct elfmod_module *m, const char *name);

/** elfmod_reset flag: run the module's destructors before and its init functions after. */
#define ELFMOD_RESET_INIT 0x1u

/**
 * Brings a loaded module's writable data back to its initial values, as the load left
 * them before any module code ran (so what its init functions did is undone too):
 * initialised data and relocated pointers in it as loaded, .bss (and COMMON) zeroed,
 * without reloading. A shared object's RELRO, read-only by then, is left alone. Loaded with
 * ELFMOD_LOAD_RESET_COPY, from the copy kept then (src may be NULL); with
 * ELFMOD_LOAD_RESET_SOURCE, from `src`, which must hold the same file (its data bytes
 * are read again and the relocated fields put back). With ELFMOD_RESET_INIT, the
 * module's destructors (atexit list, fini arrays) run first and its init functions
 * again after (neither when it was loaded with ELFMOD_LOAD_NO_INIT). Errors: EINVAL
 * (NULL, an unknown flag, not loaded with either flag, or loaded with RESET_SOURCE and
 * `src` NULL or with neither data nor read), ETRUNC (src has another size than the file
 * loaded: nothing is written then), EIO (a read of src failed; the data may then be half
 * restored, and with ELFMOD_RESET_INIT the destructors have run but no init function).
 */
int elfmod_reset(struct elfmod_module *m, const struct elfmod_source *src, unsigned flags,
		 struct elfmod_diag *diag);

/**
 * Which module and exported symbol hold address `addr` (for fault handlers and
 * backtraces). Fills what is not NULL: the module, the nearest exported symbol at or
 * below addr within the module's regions (NULL when none) and the offset from it.
 * Errors: EINVAL (reg NULL), ENOTFOUND (no loaded module holds addr).
 */
int elfmod_addr_lookup(const struct elfmod_registry *reg, uint64_t addr,
		       const struct elfmod_module **m, const char **sym, uint64_t *offset);

/**@{*/
/** Host-side halves of the C++ ABI that modules import. elfmod_load resolves a module's
 * __cxa_atexit / __aeabi_atexit / __cxa_finalize to these and gives it its own
 * __dso_handle (a shared object keeps its own, which elfmod points back at the module
 * when its symbol table names it), so destructors registered by a module run at its
 * unload, not at process exit. A `dso` that leads to no module is refused (-1). */
int elfmod_cxa_atexit(void (*fn)(void *), void *arg, void *dso);
int elfmod_aeabi_atexit(void *arg, void (*fn)(void *), void *dso);
/**@}*/
/** Runs (and forgets) the destructors registered with `dso`, newest first. */
void elfmod_cxa_finalize(void *dso);

/* ------------------------------------------------------------------------------------ */
/* Split images and resets inside an image (src/exec.c, src/reset_image.c)               */
/* ------------------------------------------------------------------------------------ */

/**
 * Split images. `elfmod split IMAGE.elf --image OUT.elf --symbols OUT.syms.elf` writes
 * the program image with program headers only, and its symbols and debug information
 * (for the same addresses) to a separate file, as seL4 Microkit keeps them apart
 * (docs/images.md). A bootloader loads OUT.elf with elfmod_exec_load; given the symbols
 * file it can then find entry points by name and patch named variables before the
 * image starts (Microkit's setvar).
 *
 * A symbols file names the image it was split from: a note (owner ELFMOD_NOTE_OWNER,
 * type ELFMOD_NT_IMAGE_DIGEST) holds the image digest, so that a symbols file of
 * another build cannot silently patch the wrong bytes. The digest is a SHA-256 over
 * what a load of the image depends on and nothing else (not file offsets, not section
 * headers), so the original IMAGE.elf and OUT.elf have the same one:
 *   16 bytes: "elfmod-image-v1" and a NUL;
 *   16 bytes: EI_CLASS, EI_DATA, e_machine (u16), e_flags (u32), e_entry (u64);
 *   per PT_LOAD, in program header order, 48 bytes: p_type (u32), p_flags (u32),
 *   p_vaddr, p_paddr, p_filesz, p_memsz, p_align (u64 each), then its p_filesz file
 *   bytes, in which the ELF header's section fields (e_shoff, e_shentsize, e_shnum,
 *   e_shstrndx), when a segment holds them, count as zero (the split image has no
 *   sections). Integers little-endian whatever the file's byte order.
 */
#define ELFMOD_NOTE_OWNER "elfmod"
#define ELFMOD_NT_IMAGE_DIGEST 0x656c6d64u /**< "elmd"; not 1 or 2, which readelf names for any owner */

/** The image digest of the ET_EXEC file in `image`. Reads every PT_LOAD's bytes once, in
 * 64-byte pieces from a read callback. Errors: those of elfmod_elf_open(), EINVAL (NULL
 * digest), ETYPE (not ET_EXEC), ENOLOAD (no PT_LOAD), EIO. */
int elfmod_exec_digest(const struct elfmod_source *image, uint8_t digest[32], struct elfmod_diag *diag);

/**
 * A symbols file opened against the image it belongs to. Caller-owned, filled by
 * elfmod_exec_syms_open; read-only afterwards. Holds pointers to both sources, which
 * must outlive it. Nothing is allocated: nothing to close.
 */
struct elfmod_exec_syms {
	struct elfmod_elf syms;     /**< the symbols file (its .symtab is used) */
	struct elfmod_elf image;    /**< the image (its program headers are used) */
	uint8_t digest[32];         /**< the image digest both agree on */
};

/**
 * Opens the symbols file `syms` for the image `image` (the OUT.elf of the split or the
 * original IMAGE.elf: the digest is the same) and checks that they belong together:
 * both ET_EXEC of the same class, byte order and machine, the symbols file has a symbol
 * table, and its digest note equals the image's digest (computed here, so the image's
 * bytes are read once more). `syms` may be `image` itself (the same pointer): an image
 * that kept its own symbol table needs no note. Errors: those of elfmod_elf_open() (for
 * either file, diag says which header), EINVAL (NULL), ETYPE (not ET_EXEC), EMACHINE
 * (class, byte order or machine differ), ENOTFOUND (no SHT_SYMTAB in the symbols file),
 * EVERIFY (no digest note, diag field "image digest note"; or a note of another image,
 * field "image digest"), ENOLOAD, EIO.
 */
int elfmod_exec_syms_open(struct elfmod_exec_syms *s, const struct elfmod_source *syms,
			  const struct elfmod_source *image, struct elfmod_diag *diag);

/**
 * The definition of `name` in the symbols file: out->value is its address (a Thumb
 * function's has bit 0 set, ready to be called), out->size its size. A global or weak
 * definition wins; otherwise a local one (a `static` variable) is taken when it is the
 * only local of that name. Undefined, section, file and TLS symbols are never matched.
 * The search is linear (ET_EXEC symbol tables have no hash): the globals (from sh_info
 * on), then the locals; names are compared in 64-byte pieces, so any length works from a
 * read callback and nothing is copied. Errors: EINVAL (NULL), ENOTFOUND (no definition;
 * diag names it), EDUP (no global definition and several locals, diag field "local
 * definitions": which one is meant is unknown), and EIO, ETRUNC, ESTRING, EINDEX, ELINK
 * from reading the table.
 */
int elfmod_exec_symbol(const struct elfmod_exec_syms *s, const char *name, struct elfmod_sym *out,
		       struct elfmod_diag *diag);

/**
 * Writes `len` bytes of `value` over the start of the variable `name` in an image loaded
 * with elfmod_exec_load and the same `opts` (windows and flags), before it starts. The
 * rest of the variable keeps its bytes (a string shorter than its buffer: pass its NUL
 * too). Everything is checked before the one write, which goes through the window's
 * `wr` and never outside the window:
 *  - the symbol is a data object (STT_OBJECT, or STT_NOTYPE as assembler labels are);
 *  - 0 < len <= st_size (a symbol without a size cannot be checked and is refused);
 *  - [address, address + len) lies inside one PT_LOAD of the image (at p_vaddr; with
 *    ELFMOD_EXEC_USE_PADDR the bytes go where the loader put that segment);
 *  - that place lies inside one window, and the segment was copied there (not used in
 *    place from flash, ELFMOD_EXEC_XIP).
 * Errors: those of elfmod_exec_symbol(), EINVAL (NULL, len 0), ETYPE (a function,
 * section, file, TLS or common symbol), ESPACE (len > st_size, or st_size 0; diag value
 * st_size), ERANGE (outside the image's segments), EWINDOW (outside the windows),
 * EPERM (inside a segment executed in place: read-only memory).
 */
int elfmod_exec_setvar(const struct elfmod_exec_syms *s, const struct elfmod_exec_opts *opts,
		       const char *name, const void *value, size_t len, struct elfmod_diag *diag);

/**
 * Reset inside an image. `elfmod reset-prep IMAGE.elf [--at ADDR] -o OUT.elf` adds, for
 * each writable PT_LOAD, a read-only PT_LOAD holding its initial bytes, and a table of
 * the writable regions in a read-only PT_LOAD of its own, which a program header of type
 * ELFMOD_PT_RESET points at (docs/images.md has the layout byte by byte). At its reset
 * entry the image calls elfmod_image_reset(ELFMOD_RESET_TABLE), which puts every
 * writable byte back to its initial value and zeroes .bss, without a loader and without
 * its ELF headers in memory (a bare `-kernel` boot): it finds the table through the
 * placeholder below, which the tool patches with the table's address.
 *
 * Sections named `.persistent*` keep their contents across resets: the tool leaves their
 * byte ranges out of the regions (a persistent section inside .data splits it in two).
 * What the image runs on during the reset must stay out of the regions too: its stack
 * belongs in a `.persistent.stack` section, or outside the image as bare-metal linker
 * scripts put it (__stack_top at the end of RAM).
 *
 * The table, in the image's byte order, address-sized words (uintptr_t) of its class:
 */
#define ELFMOD_PT_RESET 0x656c6d72u    /**< PT_LOOS + 0x56c6d72 ("elmr") */
#define ELFMOD_RESET_MAGIC 0x54535245u /**< "ERST" as a little-endian u32 */
#define ELFMOD_RESET_VERSION 1u     /**< the table layout below */

/** The table's header; `count` struct elfmod_reset_region follow it. */
struct elfmod_reset_table {
	uint32_t magic;         /**< ELFMOD_RESET_MAGIC */
	uint16_t version;       /**< ELFMOD_RESET_VERSION */
	uint16_t entsize;       /**< sizeof(struct elfmod_reset_region) */
	uint32_t count;         /**< regions following this header, ascending by addr */
	uint32_t reserved;      /**< 0 */
};

/** One writable range: [addr, addr + filesz) comes from [copy, copy + filesz),
 * [addr + filesz, addr + memsz) is zeroed. copy is 0 when filesz is 0. */
struct elfmod_reset_region {
	uintptr_t addr;       /**< run address of the writable range */
	uintptr_t copy;       /**< run address of its initial bytes (in read-only memory) */
	uintptr_t filesz;     /**< bytes restored from `copy` */
	uintptr_t memsz;      /**< bytes of the range: those after filesz are zeroed */
};

/** The regions follow the header. */
#define ELFMOD_RESET_REGIONS(t) ((const struct elfmod_reset_region *)(const void *)((t) + 1))

/**@{*/
/**
 * The placeholder an image declares (once, at file scope) to find its table: a pointer
 * the tool sets to the table's address, NULL in an image that was not prepared. Plain
 * const, so compilers put it in .rodata, among the file's bytes where the tool can set
 * it (`const volatile` objects go to .data with GCC). Read it with ELFMOD_RESET_TABLE: a
 * volatile read, as the compiler saw the NULL it was built with and would fold it.
 */
#define ELFMOD_RESET_SYMBOL "elfmod_reset_table"
#define ELFMOD_RESET_TABLE_PLACEHOLDER                                                       \
	const struct elfmod_reset_table *const elfmod_reset_table                             \
		__attribute__((used, aligned(sizeof(void *)))) = 0
extern const struct elfmod_reset_table *const elfmod_reset_table;
#define ELFMOD_RESET_TABLE (*(const struct elfmod_reset_table *const volatile *)&elfmod_reset_table)
/**@}*/

/**
 * Restores every region of `t` (src/reset_image.c: freestanding, no state, only memcpy
 * and memset). Checks the whole table before writing anything. The caller's stack must
 * not lie in a region and nothing may run meanwhile; after it returns, every writable
 * variable outside `.persistent*` sections holds its initial value: continue with the
 * image's normal start (its own .data/.bss loops are then redundant but harmless).
 * Errors: ENOTFOUND (t is NULL: the image was not prepared), EINVAL (bad magic, version,
 * entsize or reserved field), ESEGMENT (filesz > memsz, or copy 0 with filesz),
 * EOVERFLOW (a range wraps), EOVERLAP (a copy, the table, another region or the caller's
 * stack lies in a region).
 */
int elfmod_image_reset(const struct elfmod_reset_table *t);

/**
 * Host side: the run address (p_vaddr) and size of the reset table of a prepared image,
 * from its ELFMOD_PT_RESET program header. Errors: those of elfmod_elf_open(), EINVAL
 * (NULL), ETYPE, ENOTFOUND (not prepared), ESEGMENT (the table is not inside a PT_LOAD's
 * file bytes at the same place in memory, or shorter than its header).
 */
int elfmod_exec_reset_table(const struct elfmod_source *src, uint64_t *addr, uint64_t *size,
			    struct elfmod_diag *diag);

/* ------------------------------------------------------------------------------------ */
/* Static-arena allocator (bare metal)                                                  */
/* ------------------------------------------------------------------------------------ */

/**
 * Hands out module memory from caller-provided arenas, one per kind (an arena may be
 * shared by several kinds: pass the same one). First-fit with coalescing on free;
 * headers live outside the arena so instruction RAM that takes only word writes is
 * never written by the allocator itself. ELFMOD_CFG_ARENA_BLOCKS is the most blocks one
 * arena has out at a time: beyond that, `alloc` refuses (the load fails with ENOMEM).
 */
#ifndef ELFMOD_CFG_ARENA_BLOCKS
#define ELFMOD_CFG_ARENA_BLOCKS 32
#endif

/** One arena: caller memory, set up with elfmod_arena_init; private to the allocator
 * afterwards. */
struct elfmod_arena {
	uint64_t addr;       /**< run address of the arena */
	void *wr;            /**< write address of the arena */
	uint64_t size;       /**< bytes */
	uint32_t nblocks;    /**< blocks handed out: entries of `used` in use */
	struct { uint64_t off, size; } used[ELFMOD_CFG_ARENA_BLOCKS]; /**< sorted by off */
};

/** The arenas an allocator from elfmod_arena_allocator draws on. Caller memory; it may
 * change `by_kind` between loads. */
struct elfmod_arena_set {
	struct elfmod_arena *by_kind[4];  /**< indexed by enum elfmod_kind; NULL: requests
					   * of that kind are refused */
	/** The allocator's sync_icache, called with `sync_ctx` (elfmod_cache_sync on most
	 * targets); NULL when code needs no cache maintenance. */
	void (*sync_icache)(void *ctx, uint64_t addr, uint64_t len);
	void *sync_ctx;                   /**< passed to sync_icache as is */
};

/** Prepares an arena over [wr, wr+size) that runs at `addr`. */
void elfmod_arena_init(struct elfmod_arena *a, void *wr, uint64_t addr, uint64_t size);

/** Fills `out` with an allocator over `set`; `set` must outlive it. */
void elfmod_arena_allocator(struct elfmod_allocator *out, struct elfmod_arena_set *set);

/* ------------------------------------------------------------------------------------ */
/* Cache maintenance (src/port/cache.c, freestanding)                                   */
/* ------------------------------------------------------------------------------------ */

/**
 * A ready-made `sync_icache` (ctx unused): after code in [addr, addr + len) was written,
 * makes it visible to instruction fetch. Cortex-M: DSB, ISB. AArch64 bare metal: DC CVAU
 * and IC IVAU by CTR_EL0 line, DSB ISH, ISB. ARMv7-A/R bare metal: DCCMVAU, ICIMVAU,
 * BPIALL, DSB, ISB. RISC-V: FENCE.I. Xtensa: ISYNC. Hosted (Linux, Unix):
 * __builtin___clear_cache. Other hosts: nothing. The loader calls sync_icache once per
 * range of code it wrote (a module's text region, a caller-placed code section, each
 * executable segment of a shared object), after writing and before anything runs.
 */
void elfmod_cache_sync(void *ctx, uint64_t addr, uint64_t len);

/* ------------------------------------------------------------------------------------ */
/* POSIX port (hosted builds only: link elfmod_posix; not part of the freestanding core) */
/* ------------------------------------------------------------------------------------ */

/** A file as a source: fill it with elfmod_posix_file_open, use `src`, then
 * elfmod_posix_file_close. */
struct elfmod_posix_file {
	struct elfmod_source src;     /**< the source to load from; valid until the close */
	int fd;                       /**< the open file, -1 when closed */
	void *map;                    /**< the read-only mapping of the file, NULL when none */
	/**@{*/
	uint64_t reads, bytes_read;   /**< statistics of the read callback */
	/**@}*/
	uint64_t maps;                /**< ranges the map callback mapped */
};

/**
 * Opens the regular file at `path` as a source in `f` (caller memory, overwritten). With
 * `map` non-zero the file is mapped and read in place (src.data; a file of 0 bytes is
 * not mapped); otherwise bytes are fetched with pread through the read callback, as a
 * device would from SPI flash. Either way src.map maps the file's pages (MAP_PRIVATE)
 * where a shared object's segments go, when elfmod_posix_allocator provided them
 * (struct elfmod_source::map); an executable segment's only when the file may be
 * mapped executable (not on a noexec mount), else they are copied. Errors: EIO (cannot open or stat it, not a regular file,
 * or cannot map it); `f` then holds nothing to close.
 */
int elfmod_posix_file_open(struct elfmod_posix_file *f, const char *path, int map);
/** Unmaps and closes what elfmod_posix_file_open opened; `f->src` must not be used
 * afterwards (nor anything loaded in place from it). Closing twice does no harm. */
void elfmod_posix_file_close(struct elfmod_posix_file *f);

/**
 * An allocator over mmap/mprotect: regions start read+write, `protect` applies final
 * permissions and refuses write+execute together, `near` is honoured by placing the
 * mapping within +-2 GiB of the hint when the address space allows.
 */
void elfmod_posix_allocator(struct elfmod_allocator *out);

/**
 * Maps fresh read+write memory at exactly [addr, addr+size) (rounded out to pages),
 * refusing to replace anything already mapped there, and describes it as a window for
 * elfmod_exec_load(). Errors: EINVAL, ENOMEM (range busy or unavailable).
 */
int elfmod_posix_map_window(uint64_t addr, uint64_t size, struct elfmod_window *out);
/** Unmaps a window elfmod_posix_map_window made and sets w->wr to NULL (a window whose wr
 * is NULL is left alone, so unmapping twice does no harm). */
void elfmod_posix_unmap_window(struct elfmod_window *w);

/** Sets page permissions (ELFMOD_PERM_*) on [addr, addr+size). Errors: EPERM, EINVAL. */
int elfmod_posix_protect(uint64_t addr, uint64_t size, unsigned perm);

/** An ET_EXEC image loaded into this process by elfmod_posix_exec_load. */
struct elfmod_posix_exec {
	struct elfmod_window window;  /**< the mapping, from the page of the lowest segment to
				       * the end of the highest; wr NULL when nothing is mapped */
	struct elfmod_exec_info info; /**< what elfmod_exec_load reported (entry, ranges) */
};

/**
 * Loads an ET_EXEC image at its link addresses in this process: maps fresh memory over
 * the pages from its lowest segment to its highest (never replacing an existing
 * mapping), loads it with elfmod_exec_load(), then gives each segment's pages the
 * permissions of the segments on them (refusing a page that would be writable and
 * executable). On failure nothing stays mapped. Errors: those of elfmod_exec_load(),
 * ENOMEM (addresses taken), EINVAL (a range that wraps or that this process cannot
 * address), EPERM.
 */
int elfmod_posix_exec_load(const struct elfmod_source *src, struct elfmod_posix_exec *out,
			   struct elfmod_diag *diag);
/** Unmaps an image elfmod_posix_exec_load loaded (nothing of it may run afterwards). */
void elfmod_posix_exec_unload(struct elfmod_posix_exec *ex);

/**
 * A dlopen-style layer over elfmod_load (src/port/posix_dl.c). One registry for the
 * whole process: modules opened here link against each other and against the tables
 * added with elfmod_open_add_exports; their memory comes from elfmod_posix_allocator,
 * their files are mapped with elfmod_posix_file_open. Thread-safe: a recursive lock
 * serialises opens and closes, so a module's init and fini functions may open and close
 * modules themselves. A handle is used with elfmod_sym (which takes no lock: the caller
 * keeps the handle open meanwhile) and its public fields may be read; it must never be
 * passed to elfmod_unload. Modules still open at exit are unloaded then, importers
 * first, running their fini functions, as the host's dynamic loader does for its
 * libraries. Uses pthreads and dlsym: glibc before 2.34 needs -lpthread -ldl.
 */
#define ELFMOD_OPEN_HOST_SYMBOLS 0x1u /**< imports nobody exports: dlsym(RTLD_DEFAULT, name),
				       * then the DT_NEEDED libraries no open module provides,
				       * opened with dlopen (closed with the handle) */
#define ELFMOD_OPEN_NOLOAD 0x2u       /**< never load: the open handle (counted) or NULL */

/**
 * Loads the file at `path`; or, when that file (same st_dev and st_ino, whatever the
 * path) is open already, returns its handle and counts one more open. Every successful
 * open needs one elfmod_close. The module is named by the path of its first open; flags
 * matter only when the file is loaded. NULL on failure, with the reason in
 * elfmod_error(): EINVAL (NULL path, unknown flag), a path that cannot be stat'ed or is
 * not a regular file (the system's text), not open (ELFMOD_OPEN_NOLOAD), EIO or ENOMEM
 * from elfmod_posix_file_open, any error of elfmod_load formatted with
 * elfmod_diag_format (EUNDEF lists every unresolved import, EDUP names the module that
 * exports the name already).
 */
struct elfmod_module *elfmod_open(const char *path, unsigned flags);

/**
 * Counts one open of `m` off and unloads the module at the last. Errors, also reported
 * through elfmod_error(): EINVAL (NULL, or not a handle elfmod_open returned, or closed
 * already: such a pointer is never dereferenced); EBUSY while another loaded module
 * imports from it, the importer named: nothing changes then, the open still counts.
 */
int elfmod_close(struct elfmod_module *m);

/**
 * The last failure of elfmod_open or elfmod_close in the calling thread, as
 * "PATH: message", which is then forgotten: NULL when none is pending. Successful calls
 * leave a pending message alone. The text stays valid until the thread's next failure.
 */
const char *elfmod_error(void);

/**
 * The host's own dynamic loader as an import resolver, for hosted builds: symbols of
 * the process (dlsym(RTLD_DEFAULT)), then of the libraries a shared object needs that no
 * loaded module provides. Used by elfmod_open (ELFMOD_OPEN_HOST_SYMBOLS) and by
 * `elfmod run --host-symbols`.
 */
struct elfmod_posix_host {
	void *libs[16];                   /**< dlopen handles, closed by elfmod_posix_host_close */
	unsigned nlibs;                   /**< entries of `libs` in use */
};

/** dlopen()s each DT_NEEDED library of the shared object in `src` whose soname no module
 * of `reg` (may be NULL) has. Returns how many of them the host could not open either
 * (or that found no room in `h`); the file not being a shared object is no error. */
int elfmod_posix_host_needed(struct elfmod_posix_host *h, const struct elfmod_source *src,
			     const struct elfmod_registry *reg);
/** An opts.resolve: `ctx` is a struct elfmod_posix_host, or NULL for the process only. A
 * symbol whose value is legitimately 0 is told apart from a missing one by dlerror. */
int elfmod_posix_host_resolve(void *ctx, const char *name, uint64_t *addr);
/** dlclose()s the libraries elfmod_posix_host_needed opened, newest first, and empties
 * `h`; no module that resolved symbols through `h` may run afterwards. */
void elfmod_posix_host_close(struct elfmod_posix_host *h);

/**
 * Ed25519 signatures through libsodium (src/port/posix_sig.c; link libsodium). A
 * keyring of public keys the host trusts; its key ids are computed by
 * elfmod_posix_key_add. Key files are those `elfmod keygen` writes (docs/signing.md).
 */
#ifndef ELFMOD_POSIX_MAX_KEYS
#define ELFMOD_POSIX_MAX_KEYS 8
#endif
/** The public keys a host trusts; zero-initialise it, then elfmod_posix_key_add. */
struct elfmod_posix_keyring {
	/** Each key: its id (the first 16 bytes of the SHA-256 of the public key, as a
	 * trailer names it) and the Ed25519 public key. */
	struct {
		uint8_t id[16];
		uint8_t pk[32];
	} keys[ELFMOD_POSIX_MAX_KEYS];
	unsigned n;                       /**< entries of `keys` in use */
};

/** Adds the public key in the file at `path` (a key the keyring holds already is not
 * added twice). Errors: EIO (cannot read), EINVAL (NULL, or not a public key file),
 * ELIMIT (keyring full). */
int elfmod_posix_key_add(struct elfmod_posix_keyring *kr, const char *path);
/** An elfmod_verify_fn: ctx is a struct elfmod_posix_keyring. Refuses an unknown key id,
 * another algorithm, a signature of the wrong length, and a signature that does not
 * verify (non-zero each time). */
int elfmod_posix_ed25519_verify(void *ctx, const struct elfmod_sig_info *si, const uint8_t *msg,
				size_t msg_len, const uint8_t *sig, size_t sig_len);

/**
 * Adds a host export table for the modules opened from now on (searched in the order
 * added, before ELFMOD_OPEN_HOST_SYMBOLS); adding the same table again does nothing.
 * `t` must outlive every module. Errors: EINVAL (NULL), ELIMIT (more than
 * ELFMOD_CFG_MAX_EXPORT_TABLES).
 */
int elfmod_open_add_exports(const struct elfmod_exports *t);

/**
 * GDB's JIT interface (src/port/posix_gdb.c): makes a loaded module visible to a GDB
 * debugging this process, as if its symbols had been added with add-symbol-file at the
 * addresses elfmod chose: breakpoints by name (pending ones too), backtraces and, for a
 * relocatable module built with -g, file and line. The port defines GDB's
 * `__jit_debug_descriptor` and `__jit_debug_register_code` (a process can hold only one
 * such pair: none of its other libraries may define them). elfmod_open and `elfmod run`
 * register every module they load and unregister it at unload.
 *
 * What GDB reads is a private mapping of the module's file `f` (the one it was loaded
 * from, still open; a copy when `f` has no file descriptor), so that only the patched
 * pages become the process's own, with the headers patched: a relocatable module's section addresses (it must have been
 * loaded with ELFMOD_LOAD_KEEP_SECTIONS; GDB relocates its symbols and DWARF itself), or
 * for a shared object, PIE or executable its section and segment addresses and its
 * symbols moved by m->dyn->bias (those of .symtab, .dynsym and what links to it then
 * hidden; those of .dynsym in a stripped file) (its DWARF, in link addresses, is hidden from GDB:
 * names and backtraces, no lines). It lives until elfmod_posix_gdb_unregister.
 * Called after elfmod_load, it registers a module whose init functions have run: to meet
 * breakpoints in a relocatable module's constructors, register it from the load with
 * elfmod_posix_gdb_placed (below). With no debugger attached the cost is the mapping, the
 * pages patched and one call. Thread-safe.
 * Errors: EINVAL (NULL, not loaded, or a relocatable module without its sections kept),
 * EMACHINE (`f` is not the module's file, or the module was relocated for another
 * machine), ENOMEM, EIO, and those of elfmod_elf_open().
 */
int elfmod_posix_gdb_register(const struct elfmod_module *m, const struct elfmod_posix_file *f);

/**
 * Registration before the module's init functions run, so that breakpoints in a
 * relocatable module's constructors are met: pass elfmod_posix_gdb_placed as opts.placed
 * and this structure (m and f set, registered 0) as opts.place_ctx, with
 * ELFMOD_LOAD_KEEP_SECTIONS. The module is then registered when its last section is
 * placed, just before its init functions run. After elfmod_load: on failure, when
 * `registered` is set, call elfmod_posix_gdb_unregister; on success, when it is not (a
 * shared object or executable: their init functions run unregistered), call
 * elfmod_posix_gdb_register. elfmod_open and `elfmod run` do so.
 */
struct elfmod_posix_gdb_load {
	const struct elfmod_module *m;        /**< the module being loaded */
	const struct elfmod_posix_file *f;    /**< its file */
	int registered;                       /**< set once the module is registered */
};

/** An opts.placed for struct elfmod_posix_gdb_load (above); the other arguments are
 * those of opts.placed and are not used. */
void elfmod_posix_gdb_placed(void *ctx, uint32_t shndx, const char *name, uint32_t sh_type,
			     uint64_t sh_flags, uint64_t addr, const void *wr, uint64_t size);

/** Takes `m` out of GDB's list (call it once the module is unloaded, so its destructors
 * could still be debugged by name) and frees its symbol file. Errors: EINVAL (NULL),
 * ENOTFOUND (not registered). */
int elfmod_posix_gdb_unregister(const struct elfmod_module *m);

#ifdef __cplusplus
}
#endif

#endif /**< ELFMOD_H */
