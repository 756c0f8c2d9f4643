/* elfmod run [--dep FILE]... [--entry SYM] [--host-symbols] [--sha256 HEX] [--key PUB]...
 *            MODULE [-- ARGS...]
 *
 * Loads the dependencies, then the module, into this process through the POSIX port,
 * links them against a table of C library functions (and, with --host-symbols, against
 * anything this process can find with dlsym), calls main or the named entry and exits
 * with what it returns. A load failure exits 125 so it cannot be mistaken for the
 * module's own status.
 *
 * --key (repeatable) loads only signed files, dependencies included, whose signature
 * verifies with one of the public keys given; --sha256 loads MODULE only when the
 * SHA-256 of its ELF bytes is HEX. Both are checked before any of its code runs
 * (docs/signing.md).
 *
 * Every module loaded is registered with GDB's JIT interface (elfmod_posix_gdb_register):
 * under gdb, breakpoints in it by name and backtraces through it work without
 * add-symbol-file.
 *
 * A packed module (`elfmod pack`, docs/format.md) is loaded by the tiny loader instead,
 * with the same C library table as its imports, and runs the same way; it takes no
 * --dep, --key or --sha256 (the format has its own checksum). */
#define _GNU_SOURCE
#include "elfmod.h"
#include "elfmod_tiny.h"
#include "tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define LOAD_FAILED 125
#define MAX_MODULES 64

static void print_unresolved(void *ctx, const char *name)
{
	fprintf(stderr, "elfmod: %s: unresolved symbol '%s'\n", (const char *)ctx, name);
}

/* Libraries a module needs (DT_NEEDED) that no loaded module provides, opened through
 * the host's dynamic loader for --host-symbols. */
static struct elfmod_posix_host host_libs;

#if defined(ELFMOD_TOOL_SIGN) && ELFMOD_TOOL_SIGN
#define KEY_USAGE " [--key NAME.pub]..."
/* The public keys of --key: static, it is a few hundred bytes. */
static struct elfmod_posix_keyring keys;
#else
#define KEY_USAGE ""
#endif

/* Whether the file starts as a packed module does ("EMOD"). */
static int is_packed(const char *path)
{
	char magic[4];
	FILE *f = fopen(path, "rb");
	int yes = f && fread(magic, 1, 4, f) == 4 && !memcmp(magic, "EMOD", 4);

	if (f)
		fclose(f);
	return yes;
}

/* Whether --key asked for signed files only. */
static int signed_only(void)
{
#if defined(ELFMOD_TOOL_SIGN) && ELFMOD_TOOL_SIGN
	return keys.n != 0;
#else
	return 0;
#endif
}

/* 64 hex digits into 32 bytes. */
static int parse_sha256(const char *s, uint8_t out[32])
{
	for (int i = 0; i < 64; i++) {
		int c = s[i], v = c >= '0' && c <= '9' ? c - '0'
				: c >= 'a' && c <= 'f' ? c - 'a' + 10
				: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0)
			return -1;
		if (i & 1)
			out[i / 2] |= (uint8_t)v;
		else
			out[i / 2] = (uint8_t)(v << 4);
	}
	return s[64] ? -1 : 0;
}

static int run_usage(void)
{
	fprintf(stderr, "usage: elfmod run [--dep FILE]... [--entry SYM] [--host-symbols] [--trace]\n"
			"                  [--sha256 HEX]%s MODULE [-- ARGS...]\n",
		KEY_USAGE);
	return 2;
}

static int load_one(const char *path, struct elfmod_module *m, struct elfmod_load_opts *o)
{
	struct elfmod_posix_file f;
	struct elfmod_posix_gdb_load gdb = { m, &f, 0 };
	struct elfmod_diag d;
	int rc;

	if (elfmod_posix_file_open(&f, path, 1)) {
		fprintf(stderr, "elfmod: %s: cannot open\n", path);
		return LOAD_FAILED;
	}
	o->name = path;
	o->unresolved_ctx = (void *)path;
	if (o->resolve == elfmod_posix_host_resolve &&
	    elfmod_posix_host_needed(&host_libs, &f.src, o->reg))
		fprintf(stderr, "elfmod: %s: a needed library was not found by the host either\n", path);
	/* For a debugger, registered before the module's constructors run when it is a .o
	 * (a failure to register only means GDB does not see the module). */
	o->placed = elfmod_posix_gdb_placed;
	o->place_ctx = &gdb;
	rc = elfmod_load(m, &f.src, o, &d);
	o->placed = NULL;
	o->place_ctx = NULL;
	if (rc && gdb.registered)
		elfmod_posix_gdb_unregister(m);
	else if (!rc && !gdb.registered)
		elfmod_posix_gdb_register(m, &f);
	elfmod_posix_file_close(&f);
	if (rc) {
		tool_error(path, rc, &d);
		return LOAD_FAILED;
	}
	return 0;
}

static const char *tiny_error(int rc)
{
	static const char *const text[] = {
		"ok", "invalid argument", "truncated", "not a packed module", "format version not supported",
		"built for another machine", "word size differs from this host's", "inconsistent layout",
		"checksum mismatch", "packed against another export set", "no room", "malformed fix-ups",
		"unresolved import", "entry outside its block",
	};
	return rc >= 0 && (size_t)rc < sizeof(text) / sizeof(text[0]) ? text[rc] : "error";
}

/* Fresh read+write pages for `size` bytes aligned to `align` (a power of two). */
static uint8_t *map_block(size_t size, size_t align, void **base, size_t *len)
{
	uintptr_t p;

	*len = size + align;
	*base = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*base == MAP_FAILED)
		return NULL;
	p = ((uintptr_t)*base + align - 1) & ~(uintptr_t)(align - 1);
	return (uint8_t *)p;
}

/* The packed module's destructors (__cxa_atexit): run when it returns, newest first,
 * while its memory is still there - not by the C library at exit, after it is gone. */
static struct {
	void (*fn)(void *);
	void *arg;
} packed_dtors[256];
static unsigned npacked_dtors;

static int packed_atexit(void (*fn)(void *), void *arg, void *dso)
{
	(void)dso;
	if (npacked_dtors == sizeof(packed_dtors) / sizeof(packed_dtors[0]))
		return -1;
	packed_dtors[npacked_dtors].fn = fn;
	packed_dtors[npacked_dtors++].arg = arg;
	return 0;
}

/* ARM EABI's form: __aeabi_atexit(object, destructor, dso). */
static int packed_aeabi_atexit(void *arg, void (*fn)(void *), void *dso)
{
	return packed_atexit(fn, arg, dso);
}

/* A packed module: its blocks in fresh pages, the code block made read+execute once the
 * loader has written it, the constructors it lists run in order, then the entry. */
static int run_packed(const char *path, uint8_t *buf, size_t len, const char *entry, int argc, char **argv)
{
	struct elfmod_exports libc;
	struct elfmod_tiny_info in;
	struct elfmod_tiny_opts o;
	struct elfmod_tiny t;
	struct elfmod_tiny_import *imp = NULL;
	void *ro_base = MAP_FAILED, *rw_base = MAP_FAILED;
	size_t ro_len = 0, rw_len = 0;
	void (**ctor)(void), (**ctor_end)(void);
	int (*fn)(int, char **);
	int rc, ret = LOAD_FAILED;

	memset(&o, 0, sizeof(o));
	if ((rc = elfmod_tiny_info(buf, len, &in))) {
		fprintf(stderr, "elfmod: %s: %s\n", path, tiny_error(rc));
		goto out;
	}
	if (in.state_size) {
		fprintf(stderr, "elfmod: %s: needs a %u-byte state block from its host: not a program to run\n",
			path, in.state_size);
		goto out;
	}
	if (tool_libc_exports(&libc) || !(imp = calloc(libc.count + 2, sizeof(*imp))))
		goto out;
	/* First, so they are found before the C library's. */
	imp[0].hash = elfmod_tiny_hash("__cxa_atexit");
	imp[0].addr = (uintptr_t)packed_atexit;
	imp[1].hash = elfmod_tiny_hash("__aeabi_atexit");
	imp[1].addr = (uintptr_t)packed_aeabi_atexit;
	for (uint32_t k = 0; k < libc.count; k++) {
		imp[k + 2].hash = elfmod_tiny_hash(libc.syms[k].name);
		imp[k + 2].addr = (uintptr_t)libc.syms[k].addr;
	}
	o.machine = elfmod_host_machine();
	o.imports = imp;
	o.nimports = libc.count + 2;
	o.ro = map_block(in.ro_size ? in.ro_size : 1, in.ro_align, &ro_base, &ro_len);
	o.ro_cap = in.ro_size;
	o.rw = map_block(in.data_size + in.bss_size ? in.data_size + in.bss_size : 1, in.rw_align, &rw_base, &rw_len);
	o.rw_cap = (size_t)in.data_size + in.bss_size;
	if (!o.ro || !o.rw) {
		fprintf(stderr, "elfmod: %s: out of memory\n", path);
		goto out;
	}
	if ((rc = elfmod_tiny_load(buf, len, &o, &t))) {
		if (rc == ELFMOD_TINY_EUNDEF)
			fprintf(stderr, "elfmod: %s: unresolved import (name hash 0x%08x)\n", path, t.missing);
		else
			fprintf(stderr, "elfmod: %s: %s\n", path, tiny_error(rc));
		goto out;
	}
	/* Code in the RW block (a shared object, or code that reaches its data PC-relatively,
	 * packed as one block) runs where its data is written: those pages must be both. */
	if (in.rw_exec) {
		__builtin___clear_cache((char *)o.rw, (char *)o.rw + o.rw_cap);
		if (mprotect(rw_base, rw_len, PROT_READ | PROT_WRITE | PROT_EXEC)) {
			fprintf(stderr, "elfmod: %s: cannot make its code executable\n", path);
			goto out;
		}
	}
	__builtin___clear_cache((char *)o.ro, (char *)o.ro + in.ro_size);
	if (elfmod_posix_protect((uint64_t)(uintptr_t)o.ro, in.ro_size ? in.ro_size : 1,
				 ELFMOD_PERM_R | ELFMOD_PERM_X)) {
		fprintf(stderr, "elfmod: %s: cannot make its code executable\n", path);
		goto out;
	}
	ctor = (void (**)(void))elfmod_tiny_entry(&t, elfmod_tiny_hash("__init_array_start"));
	ctor_end = (void (**)(void))elfmod_tiny_entry(&t, elfmod_tiny_hash("__init_array_end"));
	for (; ctor && ctor_end && ctor < ctor_end; ctor++)
		(*ctor)();
	fn = (int (*)(int, char **))elfmod_tiny_entry(&t, elfmod_tiny_hash(entry));
	if (!fn) {
		fprintf(stderr, "elfmod: %s: no entry '%s'\n", path, entry);
		goto out;
	}
	ret = fn(argc, argv);
	/* As elfmod_unload: C++ destructors (registered last), then the fini array
	 * backwards. */
	while (npacked_dtors) {
		npacked_dtors--;
		packed_dtors[npacked_dtors].fn(packed_dtors[npacked_dtors].arg);
	}
	ctor = (void (**)(void))elfmod_tiny_entry(&t, elfmod_tiny_hash("__fini_array_start"));
	ctor_end = (void (**)(void))elfmod_tiny_entry(&t, elfmod_tiny_hash("__fini_array_end"));
	while (ctor && ctor_end && ctor_end > ctor)
		(*--ctor_end)();
	fflush(NULL);
out:
	if (ro_base != MAP_FAILED)
		munmap(ro_base, ro_len);
	if (rw_base != MAP_FAILED)
		munmap(rw_base, rw_len);
	free(imp);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	static struct elfmod_module mods[MAX_MODULES];
	const char *deps[MAX_MODULES], *entry = "main", *path = NULL;
	struct elfmod_allocator mem;
	struct elfmod_registry reg;
	struct elfmod_exports libc;
	struct elfmod_load_opts o;
	int ndeps = 0, host = 0, trace = 0, entry_given = 0, i, rc, ret;
	uint8_t digest[32];
	const uint8_t *want_digest = NULL;
	void *fn;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dep") && i + 1 < argc && ndeps < MAX_MODULES - 1)
			deps[ndeps++] = argv[++i];
		else if (!strcmp(argv[i], "--entry") && i + 1 < argc)
			entry = argv[++i], entry_given = 1;
		else if (!strcmp(argv[i], "--host-symbols"))
			host = 1;
		else if (!strcmp(argv[i], "--trace"))
			trace = 1;
		else if (!strcmp(argv[i], "--sha256") && i + 1 < argc) {
			if (parse_sha256(argv[++i], digest)) {
				fprintf(stderr, "elfmod: --sha256 wants 64 hex digits, not '%s'\n", argv[i]);
				return 2;
			}
			want_digest = digest;
		}
#if defined(ELFMOD_TOOL_SIGN) && ELFMOD_TOOL_SIGN
		else if (!strcmp(argv[i], "--key") && i + 1 < argc) {
			if ((rc = elfmod_posix_key_add(&keys, argv[++i]))) {
				fprintf(stderr, "elfmod: %s: %s\n", argv[i],
					rc == ELFMOD_EIO ? "cannot read"
					: rc == ELFMOD_ELIMIT ? "too many keys"
					: "not an elfmod public key file");
				return 2;
			}
		}
#endif
		else if (argv[i][0] == '-' && strcmp(argv[i], "--"))
			return run_usage();
		else
			break;
	}
	if (i < argc && strcmp(argv[i], "--"))
		path = argv[i++];
	if (!path)
		return run_usage();
	if (i < argc && !strcmp(argv[i], "--"))
		i++;

	if (is_packed(path)) {
		uint8_t *buf;
		size_t len;
		unsigned mode;
		if (tool_read_file(path, &buf, &len, &mode) == 0) {
			{
				if (ndeps || want_digest || host || signed_only()) {
					fprintf(stderr, "elfmod: %s: a packed module takes no --dep, --sha256, --key "
						"or --host-symbols\n", path);
					free(buf);
					return 2;
				}
				argv[i - 1] = (char *)path;
				rc = run_packed(path, buf, len, entry, argc - i + 1, argv + i - 1);
				free(buf);
				return rc;
			}
		}
		return LOAD_FAILED;
	}

	elfmod_posix_allocator(&mem);
	elfmod_registry_init(&reg);
	if (tool_libc_exports(&libc) || elfmod_registry_add_exports(&reg, &libc)) {
		fprintf(stderr, "elfmod: internal error: C library export table\n");
		return LOAD_FAILED;
	}
	memset(&o, 0, sizeof(o));
	o.mem = &mem;
	o.reg = &reg;
	o.unresolved = print_unresolved;
	/* Where each section went, for GDB (elfmod_posix_gdb_register). */
	o.flags = ELFMOD_LOAD_KEEP_SECTIONS;
	if (host)
		o.resolve = elfmod_posix_host_resolve, o.resolve_ctx = &host_libs;
#if defined(ELFMOD_TOOL_SIGN) && ELFMOD_TOOL_SIGN
	if (keys.n)
		o.verify = elfmod_posix_ed25519_verify, o.verify_ctx = &keys;
#endif

	for (int k = 0; k < ndeps; k++)
		if ((rc = load_one(deps[k], &mods[k], &o)))
			return rc;
	/* The digest is the module's own: the dependencies have theirs. */
	o.sha256 = want_digest;
	if ((rc = load_one(path, &mods[ndeps], &o)))
		return rc;
	if (trace)
		for (int k = 0; k <= ndeps; k++)
			fprintf(stderr, "elfmod: loaded %s: text %llu at 0x%llx, rodata %llu at 0x%llx, "
				"data %llu at 0x%llx, %u GOT slots, %u stubs\n", mods[k].name,
				(unsigned long long)mods[k].region[0].size, (unsigned long long)mods[k].region[0].addr,
				(unsigned long long)mods[k].region[1].size, (unsigned long long)mods[k].region[1].addr,
				(unsigned long long)mods[k].region[2].size, (unsigned long long)mods[k].region[2].addr,
				mods[k].got_slots, mods[k].stubs);
	for (int k = 0; trace && k <= ndeps; k++)
		if (mods[k].dyn && mods[k].dyn->textrel)
			fprintf(stderr, "elfmod: %s: text relocations applied (DT_TEXTREL), then made "
				"read-only and executable\n", mods[k].name);

	fn = elfmod_sym(&mods[ndeps], entry);
	/* An executable (ET_EXEC) has no dynamic symbols: its entry point stands in. */
	if (!fn && !entry_given && mods[ndeps].dyn && mods[ndeps].dyn->entry)
		fn = (void *)(uintptr_t)mods[ndeps].dyn->entry;
	if (!fn) {
		fprintf(stderr, "elfmod: %s: no exported entry '%s'\n", path, entry);
		return LOAD_FAILED;
	}
	/* argv for the module: its path, then what follows `--`. */
	argv[i - 1] = (char *)path;
	ret = ((int (*)(int, char **))fn)(argc - i + 1, argv + i - 1);
	fflush(NULL);

	/* Unload newest first, so dependencies are released before their providers. */
	for (int k = ndeps; k >= 0; k--) {
		rc = elfmod_unload(&mods[k]);
		if (rc) {
			fprintf(stderr, "elfmod: %s: unload: %s\n", mods[k].name, elfmod_strerror(rc));
			return LOAD_FAILED;
		}
		elfmod_posix_gdb_unregister(&mods[k]);
		if (trace)
			printf("elfmod: unloaded %s\n", mods[k].name);
	}
	return ret;
}
