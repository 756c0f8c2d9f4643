/* POSIX port: a dlopen-style layer over elfmod_load. One process-wide registry, files
 * identified by device and inode, open counts, per-thread error text; every module
 * loaded is registered with GDB's JIT interface (posix_gdb.c). Hosted only. */
#define _GNU_SOURCE
#include "elfmod.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The caller sees only `mod`, so elfmod_sym works on the handle unchanged. */
struct dl_handle {
	struct elfmod_module mod;
	struct dl_handle *next;
	dev_t dev;
	ino_t ino;
	unsigned long opens;
	struct elfmod_posix_host host;    /* DT_NEEDED libraries opened by the host's loader */
	char path[];                      /* the module's name: the path of its first open */
};

static pthread_once_t dl_once = PTHREAD_ONCE_INIT;
/* Recursive: a module's constructor or destructor may itself open or close modules. */
static pthread_mutex_t dl_lock;
static struct elfmod_registry dl_reg;
static struct elfmod_allocator dl_mem;
static struct dl_handle *dl_list;

/* Like dlerror: one message per thread, handed out once. Sized for a long path, the
 * diagnostic and a list of unresolved names. */
static _Thread_local char dl_msg[2048];
static _Thread_local int dl_msg_set;

static void unload_all(void);

static void dl_init(void)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&dl_lock, &a);
	pthread_mutexattr_destroy(&a);
	elfmod_registry_init(&dl_reg);
	elfmod_posix_allocator(&dl_mem);
	/* As the host's loader does for its libraries: what is still open at exit has its
	 * destructors run, after the atexit handlers the program registered later. */
	atexit(unload_all);
}

static void dl_enter(void)
{
	pthread_once(&dl_once, dl_init);
	pthread_mutex_lock(&dl_lock);
}

static void dl_leave(void)
{
	pthread_mutex_unlock(&dl_lock);
}

static void set_error(const char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(dl_msg, sizeof(dl_msg), "%s: ", path ? path : "elfmod");
	if (n < 0 || (size_t)n >= sizeof(dl_msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(dl_msg + n, sizeof(dl_msg) - (size_t)n, fmt, ap);
	va_end(ap);
	dl_msg_set = 1;
}

static void set_diag_error(const char *path, const struct elfmod_diag *d)
{
	char text[512];

	elfmod_diag_format(d, text, sizeof(text));
	set_error(path, "%s", text);
}

const char *elfmod_error(void)
{
	if (!dl_msg_set)
		return NULL;
	dl_msg_set = 0;
	return dl_msg;
}

/* Every unresolved import, so the message can name them all and not only the first
 * the diagnostic holds. Bounded: past the buffer, the rest are counted. */
struct missing {
	char names[1024];
	size_t len;
	unsigned count, dropped;
};

static void note_missing(void *ctx, const char *name)
{
	struct missing *ms = ctx;
	size_t n = strlen(name);

	ms->count++;
	if (ms->len + n + 3 > sizeof(ms->names)) {
		ms->dropped++;
		return;
	}
	if (ms->len) {
		memcpy(ms->names + ms->len, ", ", 2);
		ms->len += 2;
	}
	memcpy(ms->names + ms->len, name, n + 1);
	ms->len += n;
}

static struct dl_handle *find_file(dev_t dev, ino_t ino)
{
	for (struct dl_handle *h = dl_list; h; h = h->next)
		if (h->dev == dev && h->ino == ino)
			return h;
	return NULL;
}

/* The handle behind a caller's pointer, found by comparison only: a pointer that
 * elfmod_open did not return (or that was closed) is never dereferenced. */
static struct dl_handle *find_handle(const struct elfmod_module *m, struct dl_handle ***link)
{
	for (struct dl_handle **pp = &dl_list; *pp; pp = &(*pp)->next)
		if (&(*pp)->mod == m) {
			if (link)
				*link = pp;
			return *pp;
		}
	return NULL;
}

static struct elfmod_module *load_file(const char *path, const struct stat *st, unsigned flags)
{
	struct elfmod_posix_file f;
	struct elfmod_posix_gdb_load gdb = { NULL, NULL, 0 };
	struct elfmod_load_opts o;
	struct elfmod_diag d;
	struct missing ms;
	struct dl_handle *h;
	struct stat fst;
	size_t len = strlen(path);
	int rc;

	if (elfmod_posix_file_open(&f, path, 1)) {
		set_error(path, "cannot open: %s", strerror(errno));
		return NULL;
	}
	/* The path may have been replaced since it was looked up: what was opened is what
	 * counts, and it may be open already under its new identity. */
	if (fstat(f.fd, &fst) != 0) {
		set_error(path, "cannot stat: %s", strerror(errno));
		elfmod_posix_file_close(&f);
		return NULL;
	}
	if (fst.st_dev != st->st_dev || fst.st_ino != st->st_ino) {
		h = find_file(fst.st_dev, fst.st_ino);
		if (h) {
			elfmod_posix_file_close(&f);
			h->opens++;
			return &h->mod;
		}
	}
	h = malloc(sizeof(*h) + len + 1);
	if (!h) {
		set_error(path, "%s", elfmod_strerror(ELFMOD_ENOMEM));
		elfmod_posix_file_close(&f);
		return NULL;
	}
	memset(h, 0, sizeof(*h));
	memcpy(h->path, path, len + 1);
	h->dev = fst.st_dev;
	h->ino = fst.st_ino;
	h->opens = 1;

	memset(&o, 0, sizeof(o));
	memset(&ms, 0, sizeof(ms));
	o.name = h->path;
	o.mem = &dl_mem;
	o.reg = &dl_reg;
	o.unresolved = note_missing;
	o.unresolved_ctx = &ms;
	o.flags = ELFMOD_LOAD_KEEP_SECTIONS;
	if (flags & ELFMOD_OPEN_HOST_SYMBOLS) {
		o.resolve = elfmod_posix_host_resolve;
		o.resolve_ctx = &h->host;
		elfmod_posix_host_needed(&h->host, &f.src, &dl_reg);
	}
	/* For a debugger, registered before the module's constructors run when it is a .o
	 * (a failure to register only means GDB does not see the module). */
	o.placed = elfmod_posix_gdb_placed;
	gdb.m = &h->mod;
	gdb.f = &f;
	o.place_ctx = &gdb;
	rc = elfmod_load(&h->mod, &f.src, &o, &d);
	if (rc && gdb.registered)
		elfmod_posix_gdb_unregister(&h->mod);
	else if (!rc && !gdb.registered)
		elfmod_posix_gdb_register(&h->mod, &f);
	elfmod_posix_file_close(&f);
	if (rc) {
		char text[512];

		elfmod_diag_format(&d, text, sizeof(text));
		if (rc == ELFMOD_EUNDEF && ms.count > 1)
			set_error(path, "%s; unresolved: %s%s", text, ms.names,
				  ms.dropped ? ", ..." : "");
		else
			set_error(path, "%s", text);
		elfmod_posix_host_close(&h->host);
		free(h);
		return NULL;
	}
	h->next = dl_list;
	dl_list = h;
	return &h->mod;
}

struct elfmod_module *elfmod_open(const char *path, unsigned flags)
{
	struct elfmod_module *m = NULL;
	struct dl_handle *h;
	struct stat st;

	if (!path) {
		set_error(NULL, "elfmod_open: %s (no path)", elfmod_strerror(ELFMOD_EINVAL));
		return NULL;
	}
	if (flags & ~(unsigned)(ELFMOD_OPEN_HOST_SYMBOLS | ELFMOD_OPEN_NOLOAD)) {
		set_error(path, "%s (unknown flags 0x%x)", elfmod_strerror(ELFMOD_EINVAL), flags);
		return NULL;
	}
	if (stat(path, &st) != 0) {
		set_error(path, "%s", strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		set_error(path, "not a regular file");
		return NULL;
	}
	dl_enter();
	h = find_file(st.st_dev, st.st_ino);
	if (h) {
		h->opens++;
		m = &h->mod;
	} else if (flags & ELFMOD_OPEN_NOLOAD) {
		set_error(path, "not open (ELFMOD_OPEN_NOLOAD)");
	} else {
		m = load_file(path, &st, flags);
	}
	dl_leave();
	return m;
}

/* A module still importing from `h` (the first found), to name it in the message. The
 * dependency list is elfmod's own bookkeeping, read here only to explain EBUSY. */
static const char *importer_of(const struct dl_handle *h)
{
	for (const struct dl_handle *x = dl_list; x; x = x->next)
		for (uint32_t k = 0; k < x->mod.ndeps; k++)
			if (x->mod.deps[k] == &h->mod)
				return x->path;
	return NULL;
}

int elfmod_close(struct elfmod_module *m)
{
	struct dl_handle *h, **link = NULL;
	struct elfmod_diag d;
	int rc = 0;

	dl_enter();
	h = m ? find_handle(m, &link) : NULL;
	if (!h) {
		set_error(NULL, "elfmod_close: %s (not a handle elfmod_open returned, or closed already)",
			  elfmod_strerror(ELFMOD_EINVAL));
		rc = ELFMOD_EINVAL;
	} else if (h->opens > 1) {
		h->opens--;
	} else {
		/* Out of the list while it unloads: a destructor that closes its own handle
		 * again is told it is not open, rather than unloading the module twice. */
		*link = h->next;
		rc = elfmod_unload(&h->mod);
		if (rc == 0) {
			elfmod_posix_gdb_unregister(&h->mod);
			elfmod_posix_host_close(&h->host);
			free(h);
		} else {
			/* Refused before anything ran (EBUSY: a module imports from it), so
			 * the list is as it was. The open stays counted: closing again once
			 * the importer is gone succeeds. */
			*link = h;
			memset(&d, 0, sizeof(d));
			d.err = rc;
			d.index = d.index2 = ELFMOD_NOINDEX;
			if (rc == ELFMOD_EBUSY)
				d.module = importer_of(h);
			set_diag_error(h->path, &d);
		}
	}
	dl_leave();
	return rc;
}

/* Importers before what they import: a module is usually loaded after its providers,
 * but one opened from a constructor can import from the module being constructed. */
static void unload_all(void)
{
	dl_enter();
	for (;;) {
		struct dl_handle *h = NULL, **link = NULL;
		for (struct dl_handle **pp = &dl_list; *pp && !h; pp = &(*pp)->next)
			if ((*pp)->mod.refs == 0) {
				h = *pp;
				link = pp;
			}
		if (!h)
			break;
		*link = h->next;
		if (elfmod_unload(&h->mod) == 0) {
			elfmod_posix_gdb_unregister(&h->mod);
			elfmod_posix_host_close(&h->host);
			free(h);
		}
	}
	dl_leave();
}

int elfmod_open_add_exports(const struct elfmod_exports *t)
{
	int rc = 0;

	if (!t)
		return ELFMOD_EINVAL;
	dl_enter();
	for (uint32_t i = 0; i < dl_reg.ntables; i++)
		if (dl_reg.tables[i] == t)
			goto out;
	rc = elfmod_registry_add_exports(&dl_reg, t);
out:
	dl_leave();
	return rc;
}
