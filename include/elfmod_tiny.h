/** @file
 * The tiny loader for packed modules (`elfmod pack`, docs/format.md). Stands alone:
 * one C11 file (src/tiny/elfmod_tiny.c), no allocation, no globals, nothing else of
 * elfmod. It checks the header and checksum, copies the images into memory the caller
 * gives, zeroes .bss, applies the word fix-ups and finds entry points by name hash.
 */
#ifndef ELFMOD_TINY_H
#define ELFMOD_TINY_H

#include <stddef.h>
#include <stdint.h>

/** What elfmod_tiny_info and elfmod_tiny_load return: 0 or one reason. */
enum elfmod_tiny_error {
	ELFMOD_TINY_OK = 0,        /**< success */
	ELFMOD_TINY_EINVAL = 1,    /**< a NULL argument */
	ELFMOD_TINY_ETRUNC = 2,    /**< shorter than its header says */
	ELFMOD_TINY_EMAGIC = 3,    /**< not "EMOD" */
	ELFMOD_TINY_EVERSION = 4,  /**< format version other than 1 */
	ELFMOD_TINY_EMACHINE = 5,  /**< e_machine is not the one asked for */
	ELFMOD_TINY_EWORD = 6,     /**< word size is not this loader's pointer size */
	ELFMOD_TINY_ELAYOUT = 7,   /**< sizes, alignments or reserved fields inconsistent */
	ELFMOD_TINY_ECHECKSUM = 8, /**< payload checksum mismatch */
	ELFMOD_TINY_EABI = 9,      /**< packed against another export set (fingerprint), or
				    * imports by position without the caller's fingerprint */
	ELFMOD_TINY_ESPACE = 10,   /**< caller memory too small or misaligned */
	ELFMOD_TINY_ERELOC = 11,   /**< malformed relocation stream or fix-up out of bounds */
	ELFMOD_TINY_EUNDEF = 12,   /**< an import the caller's table does not have (a hash,
				    * or a position past its end) */
	ELFMOD_TINY_EENTRY = 13,   /**< entry outside its region */
};

/** What the header says, checked (elfmod_tiny_info). */
struct elfmod_tiny_info {
	uint32_t flags;         /**< the module's e_flags */
	uint8_t osabi;          /**< the module's EI_OSABI */
	uint8_t big_endian;     /**< 1: the module's words are big-endian */
	uint8_t ro_fixups;      /**< 1: the read-only block is written at load (not XIP) */
	/** 1: the RW block holds code (a shared object's image, or a module whose code
	 * reaches its data PC-relatively, packed as one block): the caller's RW memory must
	 * be able to execute, and the instruction cache be synchronised over it. */
	uint8_t rw_exec;
	uint16_t machine;       /**< the module's e_machine (EM_*) */
	uint8_t word;           /**< bytes of a fix-up word, the module's pointer size: 4 or 8 */
	uint64_t fingerprint;   /**< export set it was packed against, 0: none */
	uint32_t ro_size;       /**< bytes of the RO block (text + rodata) */
	uint32_t ro_align;      /**< alignment the RO block needs (a power of two, at most 64 KiB) */
	uint32_t data_size;     /**< bytes of the RW block stored in the file */
	uint32_t bss_size;      /**< bytes after them the loader zeroes: the RW block is data_size + bss_size */
	uint32_t rw_align;      /**< alignment the RW block needs (a power of two, at most 64 KiB) */
	uint32_t state_size;    /**< bytes of state the host hands the entry points */
	uint32_t nentries;      /**< named entries (elfmod_tiny_entry) */
};

/** An import the firmware offers: elfmod_tiny_hash(name) and its address. */
struct elfmod_tiny_import {
	uint32_t hash;          /**< elfmod_tiny_hash() of the name */
	uintptr_t addr;         /**< what the module's references to it get (a Thumb function's with bit 0) */
};

/** The caller's side of a load: memory, what to accept, what to offer. */
struct elfmod_tiny_opts {
	uint16_t machine;       /**< 0: any */
	uint64_t fingerprint;   /**< 0: any; else a module packed against another set is refused */
	/** RW memory: at least data_size + bss_size bytes, aligned to rw_align (may be NULL
	 * when both are 0). Executable when info.rw_exec is 1. */
	void *rw;
	size_t rw_cap;          /**< bytes at `rw` */
	/** RO memory for text + rodata; NULL: execute in place from `buf` (the module must
	 * have no read-only fix-ups and its images must sit aligned in buf). */
	void *ro;
	size_t ro_cap;          /**< bytes at `ro` (at least ro_size) */
	/** What the module may import. Looked up by name hash; a module packed against a
	 * firmware's export table (`elfmod pack --exports`) names its imports by position in
	 * that table instead, and then loads only when `fingerprint` is that table's: pass
	 * the table `elfmod exports --tiny` generates, which is in that order. */
	const struct elfmod_tiny_import *imports;
	size_t nimports; /**< entries in `imports` */
};

/** A loaded packed module (filled by elfmod_tiny_load). It owns nothing: unloading is
 * the caller reusing the memory it gave. */
struct elfmod_tiny {
	uintptr_t ro;           /**< address of the RO block (in `opts.ro`, or in the packed buffer) */
	uintptr_t rw;           /**< address of the RW block */
	uint32_t ro_size;       /**< bytes of the RO block */
	uint32_t rw_size;       /**< bytes of the RW block, .bss included */
	uint32_t state_size;    /**< bytes of host state the entry points take (0: none) */
	const uint8_t *entries; /**< the entry table, in the packed buffer, which must stay */
	uint32_t nentries;      /**< records in `entries` */
	uint32_t missing;       /**< after ELFMOD_TINY_EUNDEF: the hash (or position) not found */
};

/** The 32-bit name hash packed modules use for imports and entries: DJB2 (h = h * 33 + c
 * from 5381), the same as elfmod_hash() and the GNU hash.
 * @param name NUL-terminated name
 * @return its hash */
uint32_t elfmod_tiny_hash(const char *name);

/** Checks the header, the sizes and the checksum of a packed module, and reports them
 * (to choose memory before elfmod_tiny_load).
 * @param buf the packed module
 * @param len its length in bytes
 * @param info filled on success
 * @return ELFMOD_TINY_OK, or EINVAL (NULL buf or info), ETRUNC (shorter than its header
 *         says), EMAGIC, EVERSION, ELAYOUT (bad word size, flags, alignments, sizes, or
 *         bytes after the payload), ECHECKSUM */
int elfmod_tiny_info(const void *buf, size_t len, struct elfmod_tiny_info *info);

/** Loads a packed module into the caller's memory. Validates everything - the header,
 * the caller's memory, every entry, the whole relocation stream with every import
 * resolved - before writing any of it; then copies the RO block (unless executing in
 * place), copies the data, zeroes the .bss and applies the fix-ups. Runs no module code:
 * the caller then makes the code executable, synchronises the instruction cache, and
 * calls the constructors the entries name.
 * @param buf the packed module; it must stay while the module is used (the entry table
 *        is read from it, and it is the RO block when `o->ro` is NULL)
 * @param len its length in bytes
 * @param o memory and imports
 * @param t filled on success
 * @return ELFMOD_TINY_OK, or any error of elfmod_tiny_info, or EINVAL (NULL o or t),
 *         EMACHINE, EWORD, EABI, ESPACE, EENTRY, ERELOC, EUNDEF (`t->missing` says which) */
int elfmod_tiny_load(const void *buf, size_t len, const struct elfmod_tiny_opts *o, struct elfmod_tiny *t);

/** Address of the entry whose name hashes to `hash`; only after a successful load.
 * Besides the module's globals (functions and objects; only the marked ones when the
 * module marks exports): __init_array_start/__init_array_end (constructors, for the
 * host to call in order), __fini_array_start/__fini_array_end (destructors, for it to
 * call backwards before it drops the module) and _GLOBAL_OFFSET_TABLE_ (the GOT, for a
 * module that reaches it through a base register such as r9), when the module has them.
 * @param t the loaded module (NULL: none)
 * @param hash elfmod_tiny_hash() of the name
 * @return the address, or NULL when no entry has that hash */
void *elfmod_tiny_entry(const struct elfmod_tiny *t, uint32_t hash);

#endif
