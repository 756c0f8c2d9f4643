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

enum elfmod_tiny_error {
	ELFMOD_TINY_OK = 0,
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
	uint8_t osabi, big_endian;
	uint8_t ro_fixups;      /**< 1: the read-only block is written at load (not XIP) */
	/** 1: the RW block holds code (a shared object's image, or a module whose code
	 * reaches its data PC-relatively, packed as one block): the caller's RW memory must
	 * be able to execute, and the instruction cache be synchronised over it. */
	uint8_t rw_exec;
	uint16_t machine;
	uint8_t word;           /**< 4 or 8 */
	uint64_t fingerprint;   /**< export set it was packed against, 0: none */
	uint32_t ro_size;       /**< text + rodata, one block */
	uint32_t ro_align;
	uint32_t data_size, bss_size; /**< the RW block is data_size + bss_size bytes */
	uint32_t rw_align;
	uint32_t state_size;    /**< bytes of state the host hands the entry points */
	uint32_t nentries;
};

/** An import the firmware offers: elfmod_tiny_hash(name) and its address. */
struct elfmod_tiny_import {
	uint32_t hash;
	uintptr_t addr;
};

struct elfmod_tiny_opts {
	uint16_t machine;       /**< 0: any */
	uint64_t fingerprint;   /**< 0: any; else a module packed against another set is refused */
	/** RW memory: at least data_size + bss_size bytes, aligned to rw_align. */
	void *rw;
	size_t rw_cap;
	/** RO memory for text + rodata; NULL: execute in place from `buf` (the module must
	 * have no read-only fix-ups and its images must sit aligned in buf). */
	void *ro;
	size_t ro_cap;
	/** What the module may import. Looked up by name hash; a module packed against a
	 * firmware's export table (`elfmod pack --exports`) names its imports by position in
	 * that table instead, and then loads only when `fingerprint` is that table's: pass
	 * the table `elfmod exports --tiny` generates, which is in that order. */
	const struct elfmod_tiny_import *imports;
	size_t nimports; /**< entries in `imports` */
};

struct elfmod_tiny {
	uintptr_t ro, rw;       /**< where the blocks are */
	uint32_t ro_size, rw_size, state_size;
	const uint8_t *entries; /**< in the packed buffer, which must stay */
	uint32_t nentries;
	uint32_t missing;       /**< after ELFMOD_TINY_EUNDEF: the hash (or position) not found */
};

uint32_t elfmod_tiny_hash(const char *name);

/** Checks header, sizes and checksum of `len` bytes at buf. */
int elfmod_tiny_info(const void *buf, size_t len, struct elfmod_tiny_info *info);

/** Validates everything (the relocation stream and imports too) before writing any
 * caller memory; then copies, zeroes .bss and applies the fix-ups. */
int elfmod_tiny_load(const void *buf, size_t len, const struct elfmod_tiny_opts *o, struct elfmod_tiny *t);

/** Address of the entry whose name hashes to `hash`, or NULL; only after a successful
 * load. Besides the module's globals: __init_array_start/__init_array_end (constructors
 * for the host to call in order) and _GLOBAL_OFFSET_TABLE_ (the GOT, for a module that
 * reaches it through a base register such as r9), when the module has them. */
void *elfmod_tiny_entry(const struct elfmod_tiny *t, uint32_t hash);

#endif
