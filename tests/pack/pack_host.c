/* tests/pack: `elfmod pack` and the tiny loader on the host.
 *   pack_host CLI OUTDIR mod_basic.o mod_state.o DIGEST mod_basic.so mod_marked.o mod_ctor.o
 * - mod_basic: packed, loaded by the tiny loader into fresh memory, and run side by side
 *   with the same object loaded by elfmod_load: the same calls give the same results
 *   and the same host calls, and the results' digest is DIGEST (what the Cortex-M
 *   firmware of this directory prints for its build of the module);
 * - mod_basic.so: the same as a shared object (one image: the RW block), same digest;
 * - mod_marked: only its marked export is an entry, its recorded fingerprint is kept;
 * - mod_ctor: its constructors, called by the host from the entries, as elfmod_load does;
 * - mod_state: no data, no imports: no fix-ups, executes in place from the packed
 *   buffer mapped executable, state in a host block;
 * - the packed mod_basic broken one header field (or stream word) at a time, with the
 *   checksum made right again where the field is not the checksum: the exact error;
 *   then every truncation and every single-byte change, which must fail cleanly or load.
 */
#define _DEFAULT_SOURCE
#include "elfmod.h"
#include "elfmod_tiny.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static unsigned passed, failed;

#define CHECK_EQ(a, b)                                                                          \
	do {                                                                                    \
		unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);    \
		if (a_ == b_) {                                                                 \
			passed++;                                                               \
		} else {                                                                        \
			failed++;                                                               \
			fprintf(stderr, "%s:%d: %s == %s failed: %llu != %llu\n", __FILE__, __LINE__, \
				#a, #b, a_, b_);                                                \
		}                                                                               \
	} while (0)

static char notes[4096];

static int host_add(int a, int b)
{
	return a + 1000 * b;
}

static void host_note(const char *s)
{
	strncat(notes, s, sizeof(notes) - strlen(notes) - 2);
	strcat(notes, ",");
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		b = malloc((size_t)n);
		if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
			free(b);
			b = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return b;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Makes the checksum right for the bytes as they are (docs/format.md). */
static void reseal(uint8_t *b, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		if (i < 60 || i >= 64)
			h = (h ^ b[i]) * 16777619u;
	wr32(b + 60, h);
}

static int pack(const char *cli, const char *in, const char *out)
{
	char cmd[3 * 4096 + 64];

	snprintf(cmd, sizeof(cmd), "'%s' pack '%s' -o '%s'", cli, in, out);
	return system(cmd);
}

/* `obj` packed into dir/name (its path left in path[size]) and read back; NULL, counted
 * as a failure, when either fails. */
static uint8_t *pack_read(const char *cli, const char *obj, const char *dir, const char *name, char *path,
			  size_t size, size_t *len)
{
	uint8_t *b;

	snprintf(path, size, "%s/%s", dir, name);
	CHECK_EQ(pack(cli, obj, path), 0);
	b = read_all(path, len);
	if (!b)
		failed++;
	return b;
}

/* Memory the host can write and run code in (a one-block module, a shared object). */
static uint8_t *map_rwx(size_t size)
{
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m != MAP_FAILED)
		return m;
	failed++;
	return NULL;
}

static struct elfmod_tiny_import imports[2];
static void *ro_mem, *rw_mem;
static size_t ro_cap = 1 << 16, rw_cap = 1 << 16;

static int tiny(const uint8_t *b, size_t len, struct elfmod_tiny *t, size_t nimp)
{
	struct elfmod_tiny_opts o;
	struct elfmod_tiny_info in;
	size_t ro_off = 0, rw_off = 0;

	memset(&o, 0, sizeof(o));
	o.machine = ELFMOD_EM_X86_64;
	/* Off the page where the header allows: only as aligned as it asks. */
	if (elfmod_tiny_info(b, len, &in) == ELFMOD_TINY_OK && in.ro_align < 4096 && in.rw_align < 4096) {
		ro_off = in.ro_align;
		rw_off = in.rw_align;
	}
	o.ro = (uint8_t *)ro_mem + ro_off;
	o.ro_cap = ro_cap - 4096;
	o.rw = (uint8_t *)rw_mem + rw_off;
	o.rw_cap = rw_cap - 4096;
	o.imports = imports;
	o.nimports = nimp;
	return elfmod_tiny_load(b, len, &o, t);
}

/* One header field changed (then the checksum made right unless told): the error. */
static int mangled(const uint8_t *b, size_t len, size_t off, uint32_t v, int width, int seal)
{
	uint8_t *c = malloc(len);
	struct elfmod_tiny t;
	int rc;

	memcpy(c, b, len);
	if (width == 1)
		c[off] = (uint8_t)v;
	else
		wr32(c + off, v);
	if (seal)
		reseal(c, len);
	rc = tiny(c, len, &t, 2);
	free(c);
	return rc;
}

static void test_basic(const char *cli, const char *dir, const char *obj, uint32_t want_digest)
{
	char path[4096];
	size_t len = 0;
	uint8_t *b;
	struct elfmod_tiny t;
	struct elfmod_tiny_info in;
	struct elfmod_export ex[2] = { { "host_add", (const void *)host_add }, { "host_note", (const void *)host_note } };
	struct elfmod_export_index idx[2];
	struct elfmod_exports table;
	struct elfmod_registry reg;
	struct elfmod_allocator mem;
	struct elfmod_load_opts lo;
	struct elfmod_posix_file f;
	struct elfmod_module m;
	struct elfmod_diag d;
	int (*run_elf)(int), (*run_tiny)(int);
	char notes_elf[4096];
	uint32_t digest = 0;

	b = pack_read(cli, obj, dir, "mod_basic.emod", path, sizeof(path), &len);
	if (!b)
		return;
	CHECK_EQ(elfmod_tiny_info(b, len, &in), ELFMOD_TINY_OK);
	CHECK_EQ(in.word, 8);
	CHECK_EQ(in.machine, ELFMOD_EM_X86_64);
	CHECK_EQ(in.ro_fixups, 1); /* the GOT is in the read-only block */

	imports[0].hash = elfmod_tiny_hash("host_add");
	imports[0].addr = (uintptr_t)host_add;
	imports[1].hash = elfmod_tiny_hash("host_note");
	imports[1].addr = (uintptr_t)host_note;
	CHECK_EQ(elfmod_tiny_hash("host_add"), elfmod_hash("host_add"));
	ro_mem = mmap(NULL, ro_cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rw_mem = mmap(NULL, rw_cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro_mem == MAP_FAILED || rw_mem == MAP_FAILED) {
		failed++;
		return;
	}
	memset(rw_mem, 0xa5, rw_cap); /* .bss must come out zero */
	if (tiny(b, len, &t, 2) != ELFMOD_TINY_OK) {
		failed++;
		fprintf(stderr, "mod_basic: the tiny loader refused it\n");
		return;
	}
	CHECK_EQ(mprotect(ro_mem, ro_cap, PROT_READ | PROT_EXEC), 0);
	*(void **)&run_tiny = elfmod_tiny_entry(&t, elfmod_tiny_hash("run"));
	CHECK_EQ(run_tiny != NULL, 1);
	CHECK_EQ(elfmod_tiny_entry(&t, elfmod_tiny_hash("nothing")) == NULL, 1);
	CHECK_EQ(*(int *)elfmod_tiny_entry(&t, elfmod_tiny_hash("table")), 10);
	CHECK_EQ(strcmp(((const char *const *)elfmod_tiny_entry(&t, elfmod_tiny_hash("words")))[2], "gamma"),
		 0);

	/* The same object through the ELF loader. */
	CHECK_EQ(elfmod_exports_init(&table, ex, 2, idx, NULL), 0);
	elfmod_registry_init(&reg);
	elfmod_registry_add_exports(&reg, &table);
	elfmod_posix_allocator(&mem);
	memset(&lo, 0, sizeof(lo));
	lo.mem = &mem;
	lo.reg = &reg;
	CHECK_EQ(elfmod_posix_file_open(&f, obj, 1), 0);
	CHECK_EQ(elfmod_load(&m, &f.src, &lo, &d), 0);
	*(void **)&run_elf = elfmod_sym(&m, "run");
	if (!run_elf || !run_tiny) {
		failed++;
		return;
	}
	notes[0] = 0;
	for (int i = 0; i < 20; i++) {
		unsigned r = (unsigned)run_tiny(i);
		digest = digest * 31 + r;
		CHECK_EQ(r, (unsigned)run_elf(i));
	}
	/* The Cortex-M firmware (fw_tiny.c) prints the same digest for its own build. */
	printf("mod_basic: 20 calls, digest 0x%08x\n", digest);
	CHECK_EQ(digest, want_digest);
	/* Each instance's notes interleave: the tiny one wrote first, call by call. */
	snprintf(notes_elf, sizeof(notes_elf), "%s", notes);
	CHECK_EQ(strncmp(notes_elf, "alpha,alpha,beta,beta,gamma,gamma,", 34), 0);
	printf("mod_basic: %zu bytes packed; 20 calls agree with elfmod_load; %s\n", len,
	       failed ? "MISMATCH" : "ok");
	elfmod_unload(&m);
	elfmod_posix_file_close(&f);
	CHECK_EQ(mprotect(ro_mem, ro_cap, PROT_READ | PROT_WRITE), 0);

	/* Mangling, one field at a time (offsets: docs/format.md). */
	{
		struct elfmod_tiny_opts o;
		uint32_t rel_off = 64 + in.ro_size + in.data_size, rel_size = rd32(b + 36);
		uint32_t ent_off = rel_off + rel_size;

		CHECK_EQ(tiny(b, 63, &t, 2), ELFMOD_TINY_ETRUNC);
		CHECK_EQ(tiny(b, len - 1, &t, 2), ELFMOD_TINY_ETRUNC);
		CHECK_EQ(mangled(b, len, 0, 'X', 1, 1), ELFMOD_TINY_EMAGIC);
		CHECK_EQ(mangled(b, len, 4, 2, 1, 1), ELFMOD_TINY_EVERSION);
		CHECK_EQ(mangled(b, len, 5, 5, 1, 1), ELFMOD_TINY_ELAYOUT);
		CHECK_EQ(mangled(b, len, 5, 4, 1, 1), ELFMOD_TINY_EWORD);
		CHECK_EQ(mangled(b, len, 6, ELFMOD_EM_ARM, 1, 1), ELFMOD_TINY_EMACHINE);
		CHECK_EQ(mangled(b, len, 13, 2, 1, 1), ELFMOD_TINY_ELAYOUT);
		CHECK_EQ(mangled(b, len, 14, 2, 1, 1), ELFMOD_TINY_ELAYOUT);
		CHECK_EQ(mangled(b, len, 15, 2, 1, 1), ELFMOD_TINY_ELAYOUT);
		CHECK_EQ(mangled(b, len, 15, 1, 1, 1), ELFMOD_TINY_OK); /* rw_exec: the host's concern */
		CHECK_EQ(mangled(b, len, 16, 1, 1, 1), ELFMOD_TINY_OK); /* fingerprint: none asked */
		CHECK_EQ(mangled(b, len, 24, in.ro_size + 1, 4, 1), ELFMOD_TINY_ETRUNC);
		CHECK_EQ(mangled(b, len, 24, in.ro_size - 1, 4, 1), ELFMOD_TINY_ELAYOUT);
		CHECK_EQ(mangled(b, len, 24, 0xffffffffu, 4, 1), ELFMOD_TINY_ETRUNC);
		CHECK_EQ(mangled(b, len, 28, in.data_size + 4, 4, 1), ELFMOD_TINY_ETRUNC);
		CHECK_EQ(mangled(b, len, 32, 0xffffffffu, 4, 1), ELFMOD_TINY_ELAYOUT);
		CHECK_EQ(mangled(b, len, 32, 0x100000u, 4, 1), ELFMOD_TINY_ESPACE);
		CHECK_EQ(mangled(b, len, 36, rel_size + 2, 4, 1), ELFMOD_TINY_ELAYOUT);
		CHECK_EQ(mangled(b, len, 44, 0x20000000u, 4, 1), ELFMOD_TINY_ETRUNC);
		CHECK_EQ(mangled(b, len, 48, 17, 1, 1), ELFMOD_TINY_ELAYOUT);
		CHECK_EQ(mangled(b, len, 49, 17, 1, 1), ELFMOD_TINY_ELAYOUT);
		CHECK_EQ(mangled(b, len, 60, rd32(b + 60) ^ 1, 4, 0), ELFMOD_TINY_ECHECKSUM);
		CHECK_EQ(mangled(b, len, 64, b[64] ^ 1, 1, 0), ELFMOD_TINY_ECHECKSUM);
		CHECK_EQ(mangled(b, len, 14, 0, 1, 1), ELFMOD_TINY_ERELOC); /* claims no RO fix-up */
		/* The relocation stream: an import by position without the caller's
		 * fingerprint, a count beyond the stream, an offset out of the block, reserved
		 * bits. */
		CHECK_EQ(mangled(b, len, rel_off, rd32(b + rel_off) | 3, 4, 1), ELFMOD_TINY_EABI);
		CHECK_EQ(mangled(b, len, rel_off, rd32(b + rel_off) | 0x08, 4, 1), ELFMOD_TINY_ERELOC);
		CHECK_EQ(mangled(b, len, rel_off, rd32(b + rel_off) + (rel_size << 8), 4, 1), ELFMOD_TINY_ERELOC);
		CHECK_EQ(mangled(b, len, rel_off + 4, 0x7ffffff0u, 4, 1), ELFMOD_TINY_ERELOC);
		/* An entry beyond its block. */
		CHECK_EQ(mangled(b, len, ent_off + 4, in.ro_size, 4, 1), ELFMOD_TINY_EENTRY);
		CHECK_EQ(mangled(b, len, ent_off + 4, 0x80000000u | (in.data_size + in.bss_size), 4, 1),
			 ELFMOD_TINY_EENTRY);
		/* The caller's side: an import missing, a fingerprint, too little memory. */
		CHECK_EQ(tiny(b, len, &t, 1), ELFMOD_TINY_EUNDEF);
		CHECK_EQ(t.missing, elfmod_tiny_hash("host_note"));
		memset(&o, 0, sizeof(o));
		o.rw = rw_mem;
		o.rw_cap = rw_cap;
		o.imports = imports;
		o.nimports = 2;
		CHECK_EQ(elfmod_tiny_load(b, len, &o, &t), ELFMOD_TINY_ESPACE); /* RO fix-ups: no XIP */
		o.ro = ro_mem;
		o.ro_cap = in.ro_size - 1;
		CHECK_EQ(elfmod_tiny_load(b, len, &o, &t), ELFMOD_TINY_ESPACE);
		o.ro_cap = in.ro_size;
		o.rw = (uint8_t *)rw_mem + 1;
		CHECK_EQ(elfmod_tiny_load(b, len, &o, &t), ELFMOD_TINY_ESPACE);
		o.rw = rw_mem;
		o.rw_cap = in.data_size + in.bss_size - 1;
		CHECK_EQ(elfmod_tiny_load(b, len, &o, &t), ELFMOD_TINY_ESPACE);
		o.rw_cap = rw_cap;
		o.fingerprint = 0x1234;
		CHECK_EQ(elfmod_tiny_load(b, len, &o, &t), ELFMOD_TINY_OK); /* the module names none */
		{
			uint8_t *c = malloc(len);
			memcpy(c, b, len);
			c[16] = 0x35;
			reseal(c, len);
			CHECK_EQ(elfmod_tiny_load(c, len, &o, &t), ELFMOD_TINY_EABI);
			free(c);
		}
		CHECK_EQ(elfmod_tiny_load(NULL, len, &o, &t), ELFMOD_TINY_EINVAL);
		CHECK_EQ(elfmod_tiny_load(b, len, NULL, &t), ELFMOD_TINY_EINVAL);
	}
	/* Every truncation, every byte changed (resealed): an error or a load, never a
	 * fault (the _asan variant checks the memory accesses). */
	{
		unsigned ok = 0, errs = 0;
		uint8_t *c = malloc(len);

		for (size_t n = 0; n < len; n++)
			if (tiny(b, n, &t, 2) == ELFMOD_TINY_OK)
				ok++;
		CHECK_EQ(ok, 0);
		for (size_t i = 0; i < len; i++) {
			for (unsigned v = 0; v < 256; v += 51) {
				memcpy(c, b, len);
				c[i] ^= (uint8_t)(v | 1);
				reseal(c, len);
				if (tiny(c, len, &t, 2) == ELFMOD_TINY_OK)
					ok++;
				else
					errs++;
			}
		}
		free(c);
		CHECK_EQ(errs > 0, 1);
		printf("mangled mod_basic: %u loads, %u refusals, no fault\n", ok, errs);
	}
	free(b);
}

struct state {
	unsigned calls, sum;
};

static void test_state(const char *cli, const char *dir, const char *obj)
{
	char path[4096];
	size_t len = 0;
	uint8_t *b, *x;
	struct elfmod_tiny_info in;
	struct elfmod_tiny_opts o;
	struct elfmod_tiny t;
	struct state st = { 0, 0 };
	unsigned (*step)(struct state *, unsigned), want = 0, calls = 0, got = 0;

	b = pack_read(cli, obj, dir, "mod_state.emod", path, sizeof(path), &len);
	if (!b)
		return;
	CHECK_EQ(elfmod_tiny_info(b, len, &in), ELFMOD_TINY_OK);
	CHECK_EQ(rd32(b + 36), 0);    /* no relocation stream */
	CHECK_EQ(in.data_size + in.bss_size, 0);
	CHECK_EQ(in.ro_fixups, 0);
	/* Executed in place: the packed bytes mapped executable, no RO memory given. */
	x = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x == MAP_FAILED) {
		failed++;
		return;
	}
	memcpy(x, b, len);
	CHECK_EQ(mprotect(x, len, PROT_READ | PROT_EXEC), 0);
	memset(&o, 0, sizeof(o));
	if (elfmod_tiny_load(x, len, &o, &t) != ELFMOD_TINY_OK) {
		failed++;
		fprintf(stderr, "mod_state: the tiny loader refused it\n");
		return;
	}
	CHECK_EQ(t.ro, (uintptr_t)(x + 64));
	*(void **)&step = elfmod_tiny_entry(&t, elfmod_tiny_hash("step"));
	if (!step) {
		failed++;
		return;
	}
	for (unsigned i = 0; i < 5; i++) {
		calls++;
		want = want * 31 + i;
		got = step(&st, i);
		CHECK_EQ(got, want ^ calls);
	}
	CHECK_EQ(st.calls, 5);
	printf("mod_state: %zu bytes packed (64 header + %u code), no fix-ups, ran in place: %s\n", len, in.ro_size,
	       failed ? "MISMATCH" : "ok");
	munmap(x, len);
	free(b);
}

/* The same module linked as a shared object: one image, all of it the RW block, which
 * therefore holds code too (mapped read+write+execute here). */
static void test_so(const char *cli, const char *dir, const char *so, uint32_t want_digest)
{
	char path[4096];
	size_t len = 0;
	uint8_t *b, *rw;
	struct elfmod_tiny_info in;
	struct elfmod_tiny_opts o;
	struct elfmod_tiny t;
	int (*run)(int);
	uint32_t digest = 0;

	b = pack_read(cli, so, dir, "mod_basic_so.emod", path, sizeof(path), &len);
	if (!b)
		return;
	CHECK_EQ(elfmod_tiny_info(b, len, &in), ELFMOD_TINY_OK);
	CHECK_EQ(in.ro_size, 0);
	CHECK_EQ(in.ro_fixups, 0);
	CHECK_EQ(in.rw_exec, 1);
	rw = map_rwx(1 << 16);
	if (!rw)
		return;
	memset(&o, 0, sizeof(o));
	o.machine = ELFMOD_EM_X86_64;
	o.rw = rw;
	o.rw_cap = 1 << 16;
	o.imports = imports;
	o.nimports = 2;
	if (elfmod_tiny_load(b, len, &o, &t) != ELFMOD_TINY_OK) {
		failed++;
		fprintf(stderr, "mod_basic.so: the tiny loader refused it\n");
		return;
	}
	*(void **)&run = elfmod_tiny_entry(&t, elfmod_tiny_hash("run"));
	if (!run) {
		failed++;
		return;
	}
	notes[0] = 0;
	for (int i = 0; i < 20; i++)
		digest = digest * 31 + (unsigned)run(i);
	CHECK_EQ(digest, want_digest);
	CHECK_EQ(strncmp(notes, "alpha,beta,gamma,alpha,", 23), 0);
	printf("mod_basic.so: %zu bytes packed, 20 calls, digest 0x%08x\n", len, digest);
	munmap(rw, 1 << 16);
	free(b);
}

/* Code that reaches its data PC-relatively: refused with --split (pack_refuse_static),
 * else packed as one block - code, rodata and data in the RW block, which the header
 * says must be executable - and it runs with its data where its code expects it. */
static void test_joined(const char *cli, const char *dir, const char *obj)
{
	char path[4096];
	size_t len = 0;
	uint8_t *b, *rw;
	struct elfmod_tiny_info in;
	struct elfmod_tiny_opts o;
	struct elfmod_tiny t;
	int (*bump)(void);

	b = pack_read(cli, obj, dir, "mod_static.emod", path, sizeof(path), &len);
	if (!b)
		return;
	CHECK_EQ(elfmod_tiny_info(b, len, &in), ELFMOD_TINY_OK);
	CHECK_EQ(in.ro_size, 0);
	CHECK_EQ(in.rw_exec, 1);
	rw = map_rwx(1 << 16);
	if (!rw)
		return;
	memset(&o, 0, sizeof(o));
	o.rw = rw + in.rw_align; /* off the page: as aligned as asked, no more */
	o.rw_cap = (1 << 16) - in.rw_align;
	CHECK_EQ(elfmod_tiny_load(b, len, &o, &t), ELFMOD_TINY_OK);
	*(void **)&bump = elfmod_tiny_entry(&t, elfmod_tiny_hash("bump"));
	CHECK_EQ(bump != NULL, 1);
	if (bump) {
		CHECK_EQ(bump(), 8);
		CHECK_EQ(bump(), 9);
	}
	/* The data moved with the code: a second copy elsewhere starts over. */
	o.rw = rw + 0x8000;
	o.rw_cap = 0x8000;
	CHECK_EQ(elfmod_tiny_load(b, len, &o, &t), ELFMOD_TINY_OK);
	*(void **)&bump = elfmod_tiny_entry(&t, elfmod_tiny_hash("bump"));
	if (bump)
		CHECK_EQ(bump(), 8);
	printf("mod_static: %zu bytes packed as one block (%u code+data, %u bss), runs where placed\n", len,
	       in.data_size, in.bss_size);
	munmap(rw, 1 << 16);
	free(b);
}

/* Export marks and the recorded export-set fingerprint reach the packed module. */
static void test_marked(const char *cli, const char *dir, const char *obj)
{
	char path[4096];
	size_t len = 0;
	uint8_t *b;
	struct elfmod_tiny_info in;
	struct elfmod_tiny_opts o;
	struct elfmod_tiny t;

	b = pack_read(cli, obj, dir, "mod_marked.emod", path, sizeof(path), &len);
	if (!b)
		return;
	CHECK_EQ(elfmod_tiny_info(b, len, &in), ELFMOD_TINY_OK);
	CHECK_EQ(in.fingerprint, 0x8877665544332211ull);
	CHECK_EQ(in.nentries, 1);
	memset(&o, 0, sizeof(o));
	o.fingerprint = 0x8877665544332211ull;
	CHECK_EQ(elfmod_tiny_load(b, len, &o, &t), ELFMOD_TINY_OK);
	CHECK_EQ(elfmod_tiny_entry(&t, elfmod_tiny_hash("api")) == (void *)(b + 64), 1);
	CHECK_EQ(elfmod_tiny_entry(&t, elfmod_tiny_hash("helper")) == NULL, 1);
	o.fingerprint = 0x8877665544332212ull;
	CHECK_EQ(elfmod_tiny_load(b, len, &o, &t), ELFMOD_TINY_EABI);
	printf("mod_marked: one entry of two, fingerprint %016llx\n", (unsigned long long)in.fingerprint);
	free(b);
}

/* Constructors through __init_array_start/__init_array_end, in the order elfmod_load
 * runs them. */
static void test_ctor(const char *cli, const char *dir, const char *obj)
{
	char path[4096];
	size_t len = 0;
	uint8_t *b;
	struct elfmod_tiny t;
	struct elfmod_allocator mem;
	struct elfmod_load_opts lo;
	struct elfmod_posix_file f;
	struct elfmod_module m;
	struct elfmod_diag d;
	void (**fn)(void), (**end)(void), (**fini)(void), (**fini_end)(void);
	int (*get_tiny)(void), (*get_elf)(void), **out, trace_tiny = 0, trace_elf = 0;

	b = pack_read(cli, obj, dir, "mod_ctor.emod", path, sizeof(path), &len);
	if (!b)
		return;
	memset(rw_mem, 0xa5, rw_cap);
	if (tiny(b, len, &t, 0) != ELFMOD_TINY_OK || mprotect(ro_mem, ro_cap, PROT_READ | PROT_EXEC)) {
		failed++;
		fprintf(stderr, "mod_ctor: the tiny loader refused it\n");
		return;
	}
	fn = elfmod_tiny_entry(&t, elfmod_tiny_hash("__init_array_start"));
	end = elfmod_tiny_entry(&t, elfmod_tiny_hash("__init_array_end"));
	fini = elfmod_tiny_entry(&t, elfmod_tiny_hash("__fini_array_start"));
	fini_end = elfmod_tiny_entry(&t, elfmod_tiny_hash("__fini_array_end"));
	*(void **)&get_tiny = elfmod_tiny_entry(&t, elfmod_tiny_hash("get"));
	if (!fn || !end || !get_tiny || end - fn != 5 || !fini || !fini_end || fini_end - fini != 2) {
		failed++;
		fprintf(stderr, "mod_ctor: no constructor or destructor entries\n");
		return;
	}
	for (; fn < end; fn++)
		(*fn)();
	elfmod_posix_allocator(&mem);
	memset(&lo, 0, sizeof(lo));
	lo.mem = &mem;
	CHECK_EQ(elfmod_posix_file_open(&f, obj, 1), 0);
	CHECK_EQ(elfmod_load(&m, &f.src, &lo, &d), 0);
	*(void **)&get_elf = elfmod_sym(&m, "get");
	if (get_elf) {
		CHECK_EQ(get_tiny(), get_elf());
		CHECK_EQ(get_tiny() / 10000, 15);
		{
			int *odd_tiny = elfmod_tiny_entry(&t, elfmod_tiny_hash("odd_ran"));
			int *odd_elf = elfmod_sym(&m, "odd_ran");
			CHECK_EQ(odd_tiny && odd_elf && *odd_tiny > 2 && *odd_tiny == *odd_elf, 1);
		}
		/* Destructors: the fini array backwards, as elfmod_unload runs them. */
		out = elfmod_tiny_entry(&t, elfmod_tiny_hash("out"));
		if (out)
			*out = &trace_tiny;
		while (fini_end > fini)
			(*--fini_end)();
		out = elfmod_sym(&m, "out");
		if (out)
			*out = &trace_elf;
		elfmod_unload(&m);
		CHECK_EQ(trace_tiny, trace_elf);
		CHECK_EQ(trace_tiny, 12);
		printf("mod_ctor: constructors ran by priority: get() = %d, destructors %d, as with elfmod_load\n",
		       get_tiny(), trace_tiny);
	} else {
		failed++;
	}
	elfmod_posix_file_close(&f);
	CHECK_EQ(mprotect(ro_mem, ro_cap, PROT_READ | PROT_WRITE), 0);
	free(b);
}

int main(int argc, char **argv)
{
	if (argc != 10) {
		fprintf(stderr, "usage: pack_host CLI OUTDIR mod_basic.o mod_state.o DIGEST mod_basic.so "
				"mod_marked.o mod_ctor.o mod_static.o\n");
		return 2;
	}
	test_basic(argv[1], argv[2], argv[3], (uint32_t)strtoul(argv[5], NULL, 0));
	test_state(argv[1], argv[2], argv[4]);
	test_so(argv[1], argv[2], argv[6], (uint32_t)strtoul(argv[5], NULL, 0));
	test_marked(argv[1], argv[2], argv[7]);
	test_ctor(argv[1], argv[2], argv[8]);
	test_joined(argv[1], argv[2], argv[9]);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
