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
 * (docs/signing.md). */
#define _GNU_SOURCE
#include "elfmod.h"
#include "tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	rc = elfmod_load(m, &f.src, o, &d);
	elfmod_posix_file_close(&f);
	if (rc) {
		tool_error(path, rc, &d);
		return LOAD_FAILED;
	}
	return 0;
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
		if (trace)
			printf("elfmod: unloaded %s\n", mods[k].name);
	}
	return ret;
}
