/* The POSIX port's dlopen-style layer: elfmod_open/elfmod_close/elfmod_error with the
 * core's elfmod_sym. Open counts per file (not per path string), NOLOAD, the error text
 * of each kind of failure and its clearing, module-to-module imports through the
 * layer's registry, close refused while an importer is open, host symbols through the
 * host's dynamic loader, re-entry from a module's constructor and destructor, and many
 * threads opening and closing at once. Module paths come from the build (see
 * CMakeLists.txt): MODULES_DIR (tests/modules), API_DIR (tests/module_api), DL_DIR
 * (this directory's modules), NOT_ELF (a text file). */
#define _GNU_SOURCE
#include "elfmod.h"
#include "check.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- what the host exports to modules ---- */

int host_twice(int x);
int host_twice(int x)
{
	return 2 * x;
}

const char *nested_inner_path;
int nested_close_rc = 1;

static const struct elfmod_export host_syms[] = {
	{ "host_twice", (const void *)&host_twice },
	{ "elfmod_open", (const void *)&elfmod_open },
	{ "elfmod_close", (const void *)&elfmod_close },
	{ "elfmod_sym", (const void *)&elfmod_sym },
	{ "nested_inner_path", (const void *)&nested_inner_path },
	{ "nested_close_rc", (const void *)&nested_close_rc },
};
static struct elfmod_export_index host_index[sizeof(host_syms) / sizeof(host_syms[0])];
static struct elfmod_exports host;

/* ---- helpers ---- */

static char provider[512], consumer[512], hostsym[512], undef[512], user[512], strlen_mod[512],
	nested[512];

static void setup(void)
{
	CHECK_RC(elfmod_exports_init(&host, host_syms, sizeof(host_syms) / sizeof(host_syms[0]),
				     host_index, NULL), 0);
	snprintf(provider, sizeof(provider), "%s/provider.o", MODULES_DIR);
	snprintf(consumer, sizeof(consumer), "%s/consumer.o", MODULES_DIR);
	snprintf(hostsym, sizeof(hostsym), "%s/hostsym.o", MODULES_DIR);
	snprintf(undef, sizeof(undef), "%s/undef.o", API_DIR);
	snprintf(user, sizeof(user), "%s/user.o", API_DIR);
	snprintf(strlen_mod, sizeof(strlen_mod), "%s/strlen_mod.o", DL_DIR);
	snprintf(nested, sizeof(nested), "%s/nested.o", DL_DIR);
}

/* The pending error must exist and contain every one of the NULL-terminated strings,
 * and be gone once read. ERROR_HAS checks that at the caller's line. */
#define ERROR_HAS(...) CHECK(error_has(__VA_ARGS__, (const char *)NULL))
static int error_has(const char *first, ...)
{
	const char *e = elfmod_error(), *s;
	va_list ap;
	int ok = e != NULL;

	va_start(ap, first);
	for (s = first; s && ok; s = va_arg(ap, const char *))
		if (!strstr(e, s))
			ok = 0;
	va_end(ap);
	if (!ok)
		fprintf(stderr, "[%s] unexpected error text: %s\n", check_ctx, e ? e : "(none)");
	return ok && elfmod_error() == NULL;
}

typedef int (*int_fn)(int);
typedef int (*void_fn)(void);

static int call_int(const struct elfmod_module *m, const char *name, int x)
{
	int_fn f = (int_fn)(uintptr_t)elfmod_sym(m, name);
	return f ? f(x) : -12345;
}

static int call_void(const struct elfmod_module *m, const char *name)
{
	void_fn f = (void_fn)(uintptr_t)elfmod_sym(m, name);
	return f ? f() : -12345;
}

/* ---- tests ---- */

static void test_basic(void)
{
	struct elfmod_module *m;

	check_ctx = "basic";
	CHECK(elfmod_error() == NULL);
	m = elfmod_open(provider, 0);
	CHECK(m != NULL);
	if (!m) {
		fprintf(stderr, "%s\n", elfmod_error());
		return;
	}
	CHECK(elfmod_error() == NULL);
	CHECK_EQ(call_int(m, "provider_add", 5), 1005);
	CHECK_EQ(call_void(m, "provider_hits"), 1);
	CHECK(elfmod_sym(m, "no_such_symbol") == NULL);
	CHECK(elfmod_sym(m, "hits") == NULL);  /* static: not exported */
	CHECK(strcmp(m->name, provider) == 0);
	CHECK_RC(elfmod_close(m), 0);
	CHECK(elfmod_error() == NULL);
	CHECK(elfmod_open(provider, ELFMOD_OPEN_NOLOAD) == NULL);
	ERROR_HAS(provider, "not open");
}

/* Every successful open, whichever path names the file, needs its own close; the module
 * is unloaded at the last one and a later open loads it afresh. */
static void test_refcount(void)
{
	char dotted[600], link_path[64];
	struct elfmod_module *a, *b, *c, *d, *e;

	check_ctx = "refcount";
	snprintf(dotted, sizeof(dotted), "%s/./provider.o", MODULES_DIR);
	snprintf(link_path, sizeof(link_path), "/tmp/elfmod_dl_link_%ld.o", (long)getpid());
	unlink(link_path);
	CHECK(symlink(provider, link_path) == 0);

	CHECK(elfmod_open(provider, ELFMOD_OPEN_NOLOAD) == NULL);
	ERROR_HAS("not open");
	a = elfmod_open(provider, 0);
	b = elfmod_open(dotted, 0);
	c = elfmod_open(link_path, 0);
	d = elfmod_open(provider, ELFMOD_OPEN_NOLOAD);
	CHECK(a != NULL);
	CHECK(a == b && a == c && a == d);
	CHECK(elfmod_error() == NULL);
	CHECK_EQ(call_int(a, "provider_add", 1), 1001);
	CHECK_EQ(call_void(a, "provider_hits"), 1);
	/* The name is the path of the first open. */
	CHECK(a && strcmp(a->name, provider) == 0);

	for (int i = 0; i < 3; i++)
		CHECK_RC(elfmod_close(a), 0);
	e = elfmod_open(dotted, ELFMOD_OPEN_NOLOAD);  /* still loaded, state kept */
	CHECK(e == a);
	CHECK_EQ(call_void(a, "provider_hits"), 1);
	CHECK_RC(elfmod_close(a), 0);
	CHECK_RC(elfmod_close(a), 0);
	CHECK(elfmod_open(link_path, ELFMOD_OPEN_NOLOAD) == NULL);
	ERROR_HAS(link_path, "not open");
	/* Closed once too often: refused, never dereferenced. */
	CHECK_RC(elfmod_close(a), ELFMOD_EINVAL);
	ERROR_HAS("elfmod_close", "invalid argument");
	CHECK_RC(elfmod_close(NULL), ELFMOD_EINVAL);
	ERROR_HAS("elfmod_close");
	CHECK_RC(elfmod_close((struct elfmod_module *)(uintptr_t)host_syms), ELFMOD_EINVAL);
	ERROR_HAS("elfmod_close");

	/* Loaded afresh: its .bss counter starts at zero again. */
	a = elfmod_open(link_path, 0);
	CHECK(a != NULL);
	CHECK_EQ(call_void(a, "provider_hits"), 0);
	CHECK(a && strcmp(a->name, link_path) == 0);
	CHECK_RC(elfmod_close(a), 0);
	unlink(link_path);
}

static void test_errors(void)
{
	check_ctx = "errors";
	CHECK(elfmod_open("/nonexistent/dir/mod.o", 0) == NULL);
	ERROR_HAS("/nonexistent/dir/mod.o: ", "No such file or directory");
	CHECK(elfmod_open(NOT_ELF, 0) == NULL);
	ERROR_HAS(NOT_ELF ": ", "not an ELF file");
	CHECK(elfmod_open(MODULES_DIR, 0) == NULL);
	ERROR_HAS(MODULES_DIR ": ", "not a regular file");
	CHECK(elfmod_open(provider, 0x100) == NULL);
	ERROR_HAS(provider, "unknown flags 0x100");
	CHECK(elfmod_open(NULL, 0) == NULL);
	ERROR_HAS("invalid argument");
	/* Every unresolved import is named, not only the first. */
	CHECK(elfmod_open(undef, 0) == NULL);
	ERROR_HAS(undef, "unresolved symbol", "missing_alpha", "missing_beta", "missing_gamma");
	CHECK(elfmod_open(undef, ELFMOD_OPEN_NOLOAD) == NULL);
	ERROR_HAS("not open");
	/* A failure is reported once; a success does not clear a pending one. */
	CHECK(elfmod_open(NOT_ELF, 0) == NULL);
	struct elfmod_module *m = elfmod_open(provider, 0);
	CHECK(m != NULL);
	ERROR_HAS(NOT_ELF);
	CHECK_RC(elfmod_close(m), 0);
}

static void test_add_exports(void)
{
	check_ctx = "add_exports";
	CHECK_RC(elfmod_open_add_exports(NULL), ELFMOD_EINVAL);
	/* The same table again takes no further slot of the registry. */
	for (int i = 0; i < 2 * ELFMOD_CFG_MAX_EXPORT_TABLES; i++)
		CHECK_RC(elfmod_open_add_exports(&host), 0);
}

/* user.o imports provider_add and provider_value from provider.o and host_twice from
 * the host; the provider cannot be closed under it. */
static void test_deps(void)
{
	struct elfmod_module *p, *u, *c;

	check_ctx = "deps";
	CHECK(elfmod_open(user, 0) == NULL);
	ERROR_HAS(user, "unresolved symbol", "provider_add");

	p = elfmod_open(provider, 0);
	u = elfmod_open(user, 0);
	CHECK(p != NULL && u != NULL);
	CHECK(elfmod_error() == NULL);
	CHECK_EQ(call_void(u, "user_main"), 2);       /* provider_add(host_twice(1)) - provider_value */
	CHECK_EQ(call_void(p, "provider_hits"), 1);   /* the call went to the loaded provider */
	CHECK_EQ(p ? p->refs : 0, 1);

	CHECK_RC(elfmod_close(p), ELFMOD_EBUSY);
	ERROR_HAS(provider, "module in use", user);
	/* Refused means untouched: still loaded, still one open to close. */
	CHECK(elfmod_open(provider, ELFMOD_OPEN_NOLOAD) == p);
	CHECK_RC(elfmod_close(p), 0);
	CHECK_EQ(call_int(p, "provider_add", 0), 1000);

	CHECK_RC(elfmod_close(u), 0);
	CHECK_RC(elfmod_close(p), 0);

	/* consumer.o imports printf besides provider's symbols: host symbols serve it. Its
	 * main checks the values it gets and provider's call count from a fresh load. */
	p = elfmod_open(provider, 0);
	CHECK(elfmod_open(consumer, 0) == NULL);
	ERROR_HAS(consumer, "unresolved symbol", "printf");
	c = elfmod_open(consumer, ELFMOD_OPEN_HOST_SYMBOLS);
	CHECK(p != NULL && c != NULL);
	fflush(stdout);
	CHECK_EQ(call_void(c, "main"), 0);
	CHECK_EQ(call_void(p, "provider_hits"), 2);
	CHECK_RC(elfmod_close(p), ELFMOD_EBUSY);
	ERROR_HAS(provider, "module in use", consumer);
	CHECK_RC(elfmod_close(c), 0);
	CHECK_RC(elfmod_close(p), 0);
	CHECK(elfmod_open(provider, ELFMOD_OPEN_NOLOAD) == NULL);
	ERROR_HAS("not open");
}

static void test_host_symbols(void)
{
	struct elfmod_module *m;

	check_ctx = "host_symbols";
	CHECK(elfmod_open(strlen_mod, 0) == NULL);
	ERROR_HAS(strlen_mod, "'strlen'", "unresolved symbol");
	m = elfmod_open(strlen_mod, ELFMOD_OPEN_HOST_SYMBOLS);
	CHECK(m != NULL);
	if (m) {
		size_t (*len)(const char *) = (size_t (*)(const char *))(uintptr_t)elfmod_sym(m, "dl_len");
		void *(*addr)(void) = (void *(*)(void))(uintptr_t)elfmod_sym(m, "dl_strlen_addr");
		CHECK(len && len("hello, world") == 12);
		CHECK(addr && addr() == dlsym(RTLD_DEFAULT, "strlen"));
		/* Reopening without the flag finds the loaded module: flags matter at load. */
		CHECK(elfmod_open(strlen_mod, 0) == m);
		CHECK_RC(elfmod_close(m), 0);
		CHECK_RC(elfmod_close(m), 0);
	}
	m = elfmod_open(hostsym, ELFMOD_OPEN_HOST_SYMBOLS);  /* getpid, printf */
	CHECK(m != NULL);
	fflush(stdout);
	CHECK_EQ(call_void(m, "main"), 0);
	CHECK_RC(m ? elfmod_close(m) : -1, 0);
}

/* The layer is re-entered from a module's constructor and destructor. */
static void test_nested(void)
{
	struct elfmod_module *n;

	check_ctx = "nested";
	nested_inner_path = provider;
	n = elfmod_open(nested, 0);
	CHECK(n != NULL);
	CHECK(elfmod_error() == NULL);
	/* Opened by n's constructor: found, and this extra open closed again. */
	CHECK_RC(elfmod_close(elfmod_open(provider, ELFMOD_OPEN_NOLOAD)), 0);
	CHECK_EQ(call_int(n, "nested_value", 7), 1007);
	nested_close_rc = 1;
	CHECK_RC(n ? elfmod_close(n) : -1, 0);
	CHECK_EQ(nested_close_rc, 0);
	CHECK(elfmod_open(provider, ELFMOD_OPEN_NOLOAD) == NULL);
	ERROR_HAS("not open");
}

/* What is still open at exit is unloaded, destructors run. The child registers its check
 * before the layer's first use, so the check runs after the layer's handler, which has
 * then run nested.o's destructor: it closes the module its constructor opened. */
static int exit_want_rc;

static void check_after_layer(void)
{
	_exit(nested_close_rc == exit_want_rc ? 0 : 3);
}

static int exit_child(const char *inner, int want_rc)
{
	pid_t pid;
	int status = -1;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		atexit(check_after_layer);
		nested_inner_path = inner;
		nested_close_rc = 1;
		exit_want_rc = want_rc;
		if (elfmod_open_add_exports(&host) || !elfmod_open(nested, 0) ||
		    !elfmod_open(strlen_mod, ELFMOD_OPEN_HOST_SYMBOLS))
			_exit(4);
		exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_exit(void)
{
	char nested_user[600];

	check_ctx = "exit";
	CHECK_EQ(exit_child(provider, 0), 0);
	/* nested_user.o imports from nested.o but is older in the list: it must go first,
	 * so nested.o's destructor finds its handle closed already. */
	snprintf(nested_user, sizeof(nested_user), "%s/nested_user.o", DL_DIR);
	CHECK_EQ(exit_child(nested_user, ELFMOD_EINVAL), 0);
}

/* A different file under a path already open is a different module: here its exports
 * clash with the open one's, which the error names. */
static void test_replaced(void)
{
	char tmp[64], tmp2[64], cmd[1400];
	struct elfmod_module *a, *b;

	check_ctx = "replaced";
	snprintf(tmp, sizeof(tmp), "/tmp/elfmod_dl_copy_%ld.o", (long)getpid());
	snprintf(tmp2, sizeof(tmp2), "/tmp/elfmod_dl_copy2_%ld.o", (long)getpid());
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && cp '%s' '%s'", strlen_mod, tmp, strlen_mod, tmp2);
	CHECK(system(cmd) == 0);
	a = elfmod_open(tmp, ELFMOD_OPEN_HOST_SYMBOLS);
	CHECK(a != NULL);
	CHECK(rename(tmp2, tmp) == 0);
	CHECK(elfmod_open(tmp, ELFMOD_OPEN_NOLOAD) == NULL);
	ERROR_HAS("not open");
	b = elfmod_open(tmp, ELFMOD_OPEN_HOST_SYMBOLS);
	CHECK(b == NULL);
	ERROR_HAS(tmp, "exported twice", "dl_len");
	CHECK_RC(a ? elfmod_close(a) : -1, 0);
	b = elfmod_open(tmp, ELFMOD_OPEN_HOST_SYMBOLS);
	CHECK(b != NULL);
	CHECK_RC(b ? elfmod_close(b) : -1, 0);
	unlink(tmp);
}

/* Shared objects through the same layer: their dynamic symbols serve elfmod_sym and
 * relocatable modules; imports of an ordinary one come from the host. */
static void test_shared(void)
{
	char so[600], so_libc[600], so_user[600];
	struct elfmod_module *s, *u, *l;

	check_ctx = "shared";
	snprintf(so, sizeof(so), "%s/so_mod.so", DL_DIR);
	snprintf(so_libc, sizeof(so_libc), "%s/so_libc.so", DL_DIR);
	snprintf(so_user, sizeof(so_user), "%s/so_user.o", DL_DIR);
	s = elfmod_open(so, 0);
	CHECK(s != NULL);
	CHECK(elfmod_error() == NULL);
	CHECK_EQ(call_int(s, "so_add", 1), 8);
	CHECK(elfmod_open(so, 0) == s);
	CHECK_RC(elfmod_close(s), 0);
	u = elfmod_open(so_user, 0);
	CHECK(u != NULL);
	CHECK_EQ(call_void(u, "so_user"), 15);
	CHECK_RC(elfmod_close(s), ELFMOD_EBUSY);
	ERROR_HAS(so, "module in use", so_user);
	CHECK_RC(u ? elfmod_close(u) : -1, 0);
	CHECK_RC(s ? elfmod_close(s) : -1, 0);
	CHECK(elfmod_open(so, ELFMOD_OPEN_NOLOAD) == NULL);
	ERROR_HAS("not open");

	CHECK(elfmod_open(so_libc, 0) == NULL);
	ERROR_HAS(so_libc, "'strlen'", "unresolved symbol");
	l = elfmod_open(so_libc, ELFMOD_OPEN_HOST_SYMBOLS);
	CHECK(l != NULL);
	if (l) {
		size_t (*len)(const char *) = (size_t (*)(const char *))(uintptr_t)elfmod_sym(l, "so_len");
		CHECK(len && len("abc") == 3);
		CHECK_RC(elfmod_close(l), 0);
	}

	/* DT_NEEDED libz.so.1, which this process has not loaded: found only through the
	 * host's loader. crc32("123456789") is the standard check value. */
	snprintf(so_libc, sizeof(so_libc), "%s/so_zneed.so", DL_DIR);
	CHECK(elfmod_open(so_libc, 0) == NULL);
	ERROR_HAS(so_libc, "'crc32'", "unresolved symbol");
	l = elfmod_open(so_libc, ELFMOD_OPEN_HOST_SYMBOLS);
	CHECK(l != NULL);
	if (l) {
		unsigned long (*crc)(const char *, unsigned) =
			(unsigned long (*)(const char *, unsigned))(uintptr_t)elfmod_sym(l, "so_crc");
		CHECK(crc && crc("123456789", 9) == 0xcbf43926ul);
		CHECK_RC(elfmod_close(l), 0);
	}
}

/* ---- threads ---- */

/* Each thread has its own pending error: one left pending here is neither seen nor
 * overwritten by another thread's. */
static void *other_thread(void *arg)
{
	int *ok = arg;

	*ok = elfmod_error() == NULL;
	*ok &= elfmod_open("/nonexistent/other-thread.o", 0) == NULL;
	*ok &= error_has("/nonexistent/other-thread.o", "No such file", (const char *)NULL);
	return NULL;
}

static void test_error_per_thread(void)
{
	pthread_t t;
	int ok = 0;

	check_ctx = "error_per_thread";
	CHECK(elfmod_open("/nonexistent/main-thread.o", 0) == NULL);
	CHECK(pthread_create(&t, NULL, other_thread, &ok) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(ok);
	ERROR_HAS("/nonexistent/main-thread.o");
}

#define THREADS 8
#define ITERATIONS 200
#define THREAD_MODS 4

struct worker {
	pthread_t tid;
	int id;
	struct elfmod_module *held;   /* the provider handle the main thread holds, or NULL */
	unsigned failed;
	char first[300];
};

static void worker_fail(struct worker *w, const char *what)
{
	if (!w->failed++)
		snprintf(w->first, sizeof(w->first), "thread %d: %s", w->id, what ? what : "(no error)");
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char mod[600], missing[64], sym[32];
	int k = w->id % THREAD_MODS;

	snprintf(mod, sizeof(mod), "%s/thread_mod_%d.o", DL_DIR, k);
	snprintf(sym, sizeof(sym), "thread_mod_%d", k);
	for (int i = 0; i < ITERATIONS; i++) {
		struct elfmod_module *p = elfmod_open(provider, 0), *t;
		const char *e;

		if (!p) {
			worker_fail(w, elfmod_error());
			continue;
		}
		if (w->held && p != w->held)
			worker_fail(w, "a second handle for the provider");
		t = elfmod_open(mod, 0);
		if (!t)
			worker_fail(w, elfmod_error());
		else if (call_void(t, sym) != 1000 + k)
			worker_fail(w, "wrong value from the thread module");
		/* Errors stay in the thread that caused them. */
		snprintf(missing, sizeof(missing), "/nonexistent/thread-%d-%d", w->id, i);
		if (elfmod_open(missing, 0))
			worker_fail(w, "opened a missing file");
		e = elfmod_error();
		if (!e || strncmp(e, missing, strlen(missing)) || e[strlen(missing)] != ':')
			worker_fail(w, "another thread's error, or none");
		if (elfmod_error())
			worker_fail(w, "error not cleared");
		if (t && elfmod_close(t))
			worker_fail(w, elfmod_error());
		if (elfmod_close(p))
			worker_fail(w, elfmod_error());
	}
	return NULL;
}

static void run_threads(struct elfmod_module *held)
{
	struct worker w[THREADS];

	memset(w, 0, sizeof(w));
	for (int i = 0; i < THREADS; i++) {
		w[i].id = i;
		w[i].held = held;
		CHECK(pthread_create(&w[i].tid, NULL, worker_main, &w[i]) == 0);
	}
	for (int i = 0; i < THREADS; i++) {
		CHECK(pthread_join(w[i].tid, NULL) == 0);
		CHECK_EQ(w[i].failed, 0);
		if (w[i].failed)
			fprintf(stderr, "%s (%u failures)\n", w[i].first, w[i].failed);
	}
}

static void test_threads(void)
{
	struct elfmod_module *p;
	char mod[600];

	check_ctx = "threads";
	/* With the provider held by this thread, every thread must get the same handle;
	 * without, it is loaded and unloaded under their feet. */
	p = elfmod_open(provider, 0);
	CHECK(p != NULL);
	run_threads(p);
	CHECK_RC(elfmod_close(p), 0);
	run_threads(NULL);
	CHECK(elfmod_open(provider, ELFMOD_OPEN_NOLOAD) == NULL);
	ERROR_HAS("not open");
	for (int k = 0; k < THREAD_MODS; k++) {
		snprintf(mod, sizeof(mod), "%s/thread_mod_%d.o", DL_DIR, k);
		CHECK(elfmod_open(mod, ELFMOD_OPEN_NOLOAD) == NULL);
		ERROR_HAS("not open");
	}
}

int main(void)
{
	setup();
	test_exit();   /* forks: before this process has threads or an initialised layer */
	test_basic();
	test_refcount();
	test_errors();
	test_add_exports();
	test_deps();
	test_host_symbols();
	test_nested();
	test_replaced();
	test_shared();
	test_error_per_thread();
	test_threads();
	return check_done("port_dl");
}
