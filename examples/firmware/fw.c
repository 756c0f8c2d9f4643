/* A Cortex-M firmware with a "modules" partition in flash and a tiny shell to list,
 * load, call and unload what is in it (mps2-an385 under QEMU; see README.md).
 *
 * The partition (partition.S) holds relocatable modules (ET_REL, `gcc -c` output) and
 * one image pre-linked with `elfmod link --xip` for its own place in the partition.
 *  - A relocatable module is linked at load time against the firmware's export table
 *    and the modules already loaded: its code and data are copied into RAM arenas,
 *    while its read-only sections that no relocation touches (strings, tables) stay in
 *    flash where they are (ELFMOD_LOAD_IN_PLACE).
 *  - The XIP image runs from flash: elfmod_exec_load with ELFMOD_EXEC_XIP copies only
 *    its .data into, and clears its .bss in, the RAM the firmware reserves for it.
 *
 * Commands come from the semihosting console (QEMU's standard input), or from a script
 * file named on QEMU's -append, echoed so that a transcript reads like a session. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"
#include "fw_api.h"
#include "semihost.h"

#ifndef FW_XIP_RAM
#error "the build defines FW_XIP_RAM and FW_XIP_RAM_SIZE (the XIP image's RAM)"
#endif

#define MAX_MODULES 8
#define NAME_SIZE 16      /* a directory entry's name field, NUL included */
#define DIR_ENTRY 24      /* name, offset, size */
#define LINE_SIZE 128
#define MAX_WORDS 8

void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int fw_main(void);

/* ---- output, and what modules may call ---- */

void fw_print(const char *s)
{
	sh_print(s);
}

void fw_print_int(int v)
{
	char b[12], *p = b + sizeof(b);
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

	*--p = 0;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	sh_print(p);
}

void fw_print_hex(unsigned v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
	b[10] = 0;
	sh_print(b);
}

ELFMOD_EXPORT(fw_print);
ELFMOD_EXPORT(fw_print_int);
ELFMOD_EXPORT(fw_print_hex);
/* Compilers call these on their own. */
ELFMOD_EXPORT(memcpy);
ELFMOD_EXPORT(memset);

extern const struct elfmod_export __start_elfmod_exports[], __stop_elfmod_exports[];

static const struct fw_services services = { fw_print, fw_print_int, fw_print_hex };

/* "label value" pairs on one line. */
static void put_u(const char *label, uint64_t v)
{
	sh_print(label);
	fw_print_int((int)(uint32_t)v);
}

static void put_i(const char *label, int v)
{
	sh_print(label);
	fw_print_int(v);
}

static void put_x(const char *label, uint64_t v)
{
	sh_print(label);
	fw_print_hex((unsigned)v);
}

static void error(const char *a, const char *b, const char *c)
{
	sh_print("error: ");
	sh_print(a);
	sh_print(b);
	sh_print(c);
	sh_print("\n");
}

static void diag_error(const char *what, const char *name, const struct elfmod_diag *d)
{
	char msg[160];

	elfmod_diag_format(d, msg, sizeof(msg));
	sh_print("error: ");
	sh_print(what);
	sh_print(name);
	sh_print(": ");
	sh_print(msg);
	sh_print("\n");
}

/* ---- memory for relocatable modules: static arenas in RAM ---- */

static uint8_t text_mem[ARENA_TEXT] __attribute__((aligned(8)));
static uint8_t rodata_mem[ARENA_RODATA] __attribute__((aligned(8)));
static uint8_t data_mem[ARENA_DATA] __attribute__((aligned(8)));
static uint8_t meta_mem[ARENA_META] __attribute__((aligned(8)));
static struct elfmod_arena arenas[4];
static struct elfmod_arena_set arena_set;
static struct elfmod_allocator allocator;

static struct elfmod_registry registry;
static struct elfmod_export_index export_index[16];
static struct elfmod_exports exports;

/* ---- the modules partition (partition.S) ---- */

extern const uint8_t modules_partition[], modules_partition_end[];

struct slot {
	char name[NAME_SIZE];
	const uint8_t *file;
	uint32_t size;
	uint16_t type;                  /* e_type; 0 when the file is no ELF file */
	int loaded;
	struct elfmod_module m;         /* ET_REL */
	struct elfmod_exec_info exec;   /* ET_EXEC, run in place */
	const struct xip_fn *fns;       /* what the XIP image offers */
};

static struct slot slots[MAX_MODULES];
static uint32_t nslots;
static const struct slot *xip_owner; /* the image using the XIP RAM */

static int has_nul(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!p[i])
			return 1;
	return 0;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads the directory, trusting nothing in it: every name terminated, every file inside
 * the partition. */
static int read_partition(void)
{
	const uint8_t *p = modules_partition;
	uint32_t size = (uint32_t)(modules_partition_end - modules_partition), n;

	if (size < 8 || memcmp(p, "EMOD", 4)) {
		error("modules partition: ", "no directory", "");
		return -1;
	}
	n = get32(p + 4);
	if (n > MAX_MODULES || n > (size - 8) / DIR_ENTRY) {
		error("modules partition: ", "bad module count", "");
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = p + 8 + i * DIR_ENTRY;
		struct slot *s = &slots[i];
		uint32_t off = get32(e + NAME_SIZE), len = get32(e + NAME_SIZE + 4);
		const struct elfmod_source src = { .data = p + off, .size = len };
		struct elfmod_elf elf;
		struct elfmod_diag d;

		if (!has_nul(e, NAME_SIZE) || off > size || len > size - off) {
			error("modules partition: ", "bad directory entry", "");
			return -1;
		}
		memcpy(s->name, e, NAME_SIZE);
		s->file = p + off;
		s->size = len;
		s->type = elfmod_elf_open(&elf, &src, &d) == 0 ? elf.type : 0;
	}
	nslots = n;
	return 0;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static struct slot *find(const char *name)
{
	for (uint32_t i = 0; i < nslots; i++)
		if (str_eq(slots[i].name, name))
			return &slots[i];
	error("no module ", name, " in the partition (ls lists them)");
	return NULL;
}

/* ---- loading ---- */

static void load_rel(struct slot *s)
{
	const struct elfmod_source src = { .data = s->file, .size = s->size };
	/* Read-only sections no relocation writes stay in flash: the partition outlives
	 * every module. */
	/* The partition outlives the module, so `reset` can read its data again from there:
	 * no copy of it is kept in RAM, only the words the loader relocated. */
	const struct elfmod_load_opts opts = { .name = s->name, .mem = &allocator, .reg = &registry,
					       .flags = ELFMOD_LOAD_IN_PLACE | ELFMOD_LOAD_RESET_SOURCE };
	struct elfmod_diag d;
	int rc = elfmod_load(&s->m, &src, &opts, &d);

	if (rc) {
		diag_error("load ", s->name, &d);
		return;
	}
	s->loaded = 1;
	sh_print(s->name);
	put_u(": loaded, ", s->m.bytes_loaded);
	put_u(" bytes copied to RAM, ", s->m.bytes_in_place);
	sh_print(" bytes used in place in flash\n");
}

/* The image must have been linked for where it is stored: every segment in the flash
 * window is its own file bytes (so nothing is ever written to flash), the rest is for
 * the RAM window, which elfmod_exec_load checks. */
static int linked_for_its_place(const struct slot *s, const struct elfmod_window *flash)
{
	const struct elfmod_source src = { .data = s->file, .size = s->size };
	struct elfmod_elf elf;
	struct elfmod_phdr ph;
	struct elfmod_diag d;

	if (elfmod_elf_open(&elf, &src, &d)) {
		diag_error("load ", s->name, &d);
		return 0;
	}
	for (uint32_t i = 0; i < elf.phnum; i++) {
		if (elfmod_elf_phdr(&elf, i, &ph)) {
			diag_error("load ", s->name, &d);
			return 0;
		}
		if (ph.type != ELFMOD_PT_LOAD || ph.memsz == 0 || ph.vaddr + ph.memsz <= flash->base ||
		    ph.vaddr >= flash->base + flash->size)
			continue;
		if (ph.filesz != ph.memsz || ph.vaddr != (uintptr_t)s->file + ph.offset) {
			sh_print("error: load ");
			sh_print(s->name);
			put_x(": segment at ", ph.vaddr);
			put_x(" would be written to flash: the image is at ", (uintptr_t)s->file);
			sh_print(", was it linked with --xip for that address?\n");
			return 0;
		}
	}
	return 1;
}

static void load_exec(struct slot *s)
{
	const struct elfmod_window windows[2] = {
		{ .base = (uintptr_t)modules_partition,
		  .size = (uint64_t)(modules_partition_end - modules_partition),
		  .wr = (void *)(uintptr_t)modules_partition },
		{ .base = FW_XIP_RAM, .size = FW_XIP_RAM_SIZE, .wr = (void *)(uintptr_t)FW_XIP_RAM },
	};
	const struct elfmod_exec_opts opts = { .windows = windows, .nwindows = 2, .flags = ELFMOD_EXEC_XIP,
					       .machine = ELFMOD_EM_ARM, .cls = 32,
					       .sync_icache = elfmod_cache_sync };
	const struct elfmod_source src = { .data = s->file, .size = s->size };
	struct elfmod_diag d;
	xip_start_fn start;
	int rc;

	if (xip_owner) {
		error("load ", s->name, ": the XIP RAM is in use (unload the other image first)");
		return;
	}
	if (!linked_for_its_place(s, &windows[0]))
		return;
	rc = elfmod_exec_load(&src, &opts, &s->exec, &d);
	if (rc) {
		diag_error("load ", s->name, &d);
		return;
	}
	/* Its entry hands over the services and answers with its function table. */
	start = (xip_start_fn)(uintptr_t)s->exec.entry;
	s->fns = start(&services);
	if ((uintptr_t)s->fns < s->exec.lowest || (uintptr_t)s->fns >= s->exec.highest) {
		error("load ", s->name, ": its entry returned no function table");
		return;
	}
	s->loaded = 1;
	xip_owner = s;
	sh_print(s->name);
	put_x(": executing in place at ", s->exec.entry & ~1ull);
	put_u(", ", s->exec.in_place);
	put_u(" bytes in place in flash, ", s->exec.copied);
	put_u(" copied and ", s->exec.zeroed);
	sh_print(" zeroed in RAM\n");
}

/* ---- commands ---- */

static int parse_int(const char *t, int *out)
{
	uint32_t v = 0, base = 10, neg = 0, digits = 0;

	if (*t == '-')
		neg = 1, t++;
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
		base = 16, t += 2;
	for (; *t; t++, digits++) {
		uint32_t d = *t >= '0' && *t <= '9' ? (uint32_t)(*t - '0')
			     : (*t | 0x20) >= 'a' && (*t | 0x20) <= 'f' ? (uint32_t)((*t | 0x20) - 'a' + 10)
									: 99;
		if (d >= base || v > (0xffffffffu - d) / base)
			return -1;
		v = v * base + d;
	}
	if (!digits)
		return -1;
	*out = (int)(neg ? 0u - v : v);
	return 0;
}

static const char *type_name(uint16_t type)
{
	return type == ELFMOD_ET_REL ? "relocatable" : type == ELFMOD_ET_EXEC ? "xip image" : "not loadable";
}

static void cmd_help(void)
{
	sh_print("commands:\n"
		 "  ls                         the partition's modules and their state\n"
		 "  load NAME                  load a module (a relocatable one is linked against\n"
		 "                             the firmware and the modules loaded; the xip image\n"
		 "                             starts executing from flash)\n"
		 "  call NAME SYMBOL [INT]...  call a function with up to four int arguments\n"
		 "  unload NAME                unload (refused while another module uses it)\n"
		 "  reset NAME                 a module's data back to its initial values, in place\n"
		 "  info NAME                  where a loaded module is, bytes copied / in place\n"
		 "  mem                        module memory in use\n"
		 "  help                       this text\n"
		 "  exit [CODE]                leave QEMU with CODE (0)\n");
}

static void cmd_ls(void)
{
	put_x("partition at ", (uintptr_t)modules_partition);
	put_u(", ", nslots);
	sh_print(" modules\n");
	for (uint32_t i = 0; i < nslots; i++) {
		const struct slot *s = &slots[i];
		sh_print("  ");
		sh_print(s->name);
		sh_print(" ");
		sh_print(type_name(s->type));
		put_x(" at offset ", (uintptr_t)(s->file - modules_partition));
		put_u(", ", s->size);
		sh_print(" bytes, ");
		if (!s->loaded)
			sh_print("not loaded\n");
		else if (s->type == ELFMOD_ET_EXEC)
			sh_print("executing in place\n");
		else {
			put_u("loaded, refs ", s->m.refs);
			sh_print("\n");
		}
	}
}

static void cmd_load(struct slot *s)
{
	if (s->loaded)
		error("load ", s->name, ": already loaded");
	else if (s->type == ELFMOD_ET_REL)
		load_rel(s);
	else if (s->type == ELFMOD_ET_EXEC)
		load_exec(s);
	else
		error("load ", s->name, ": not a relocatable module or an executable");
}

static void cmd_call(struct slot *s, const char *symbol, int nargs, char **words)
{
	int a[4] = { 0, 0, 0, 0 }, r;
	fw_call_fn fn = NULL;

	if (!s->loaded) {
		error("call: ", s->name, " is not loaded");
		return;
	}
	if (nargs > 4) {
		error("call: ", "at most four arguments", "");
		return;
	}
	for (int i = 0; i < nargs; i++)
		if (parse_int(words[i], &a[i])) {
			error("call: ", words[i], " is not a number");
			return;
		}
	if (s->type == ELFMOD_ET_EXEC) {
		for (const struct xip_fn *f = s->fns; f->name; f++)
			if (str_eq(f->name, symbol))
				fn = (fw_call_fn)f->fn;
	} else {
		void *p = elfmod_sym(&s->m, symbol);
		/* Thumb code addresses are odd: anything else is data. */
		if (p && !((uintptr_t)p & 1)) {
			error("call: ", symbol, " is not a function");
			return;
		}
		fn = (fw_call_fn)(uintptr_t)p;
	}
	if (!fn) {
		error("call: ", s->name, " has no function by that name");
		return;
	}
	r = fn(a[0], a[1], a[2], a[3]);
	sh_print(s->name);
	sh_print(".");
	sh_print(symbol);
	put_i(" = ", r);
	sh_print("\n");
}

static void cmd_unload(struct slot *s)
{
	int rc;

	if (!s->loaded) {
		error("unload ", s->name, ": not loaded");
		return;
	}
	if (s->type == ELFMOD_ET_EXEC) {
		/* Nothing of it is allocated: its RAM is simply free for the next image. */
		s->loaded = 0;
		xip_owner = NULL;
		sh_print(s->name);
		sh_print(": stopped\n");
		return;
	}
	rc = elfmod_unload(&s->m);
	if (rc) {
		sh_print("error: unload ");
		sh_print(s->name);
		sh_print(": ");
		sh_print(elfmod_strerror(rc));
		put_u(" (refs ", s->m.refs);
		sh_print(": loaded modules import from it)\n");
		return;
	}
	s->loaded = 0;
	sh_print(s->name);
	sh_print(": unloaded\n");
}

static void cmd_reset(struct slot *s)
{
	const struct elfmod_source src = { .data = s->file, .size = s->size };
	struct elfmod_diag d;

	if (!s->loaded || s->type == ELFMOD_ET_EXEC) {
		error("reset ", s->name, ": not a loaded relocatable module");
		return;
	}
	if (elfmod_reset(&s->m, &src, 0, &d)) {
		diag_error("reset ", s->name, &d);
		return;
	}
	sh_print(s->name);
	sh_print(": data reset\n");
}

static void cmd_info(const struct slot *s)
{
	static const char *const kinds[3] = { "text   ", "rodata ", "data   " };

	sh_print(s->name);
	sh_print(": ");
	sh_print(type_name(s->type));
	if (!s->loaded) {
		sh_print(", not loaded\n");
		return;
	}
	if (s->type == ELFMOD_ET_EXEC) {
		put_x(", entry ", s->exec.entry);
		put_u(", ", s->exec.segments);
		sh_print(" segments\n");
		put_x("  range  ", s->exec.lowest);
		put_x(" .. ", s->exec.highest);
		put_u("\n  in place ", s->exec.in_place);
		put_u(" bytes (flash), copied ", s->exec.copied);
		put_u(", zeroed ", s->exec.zeroed);
		sh_print(" (RAM)\n");
		return;
	}
	put_u(", refs ", s->m.refs);
	sh_print("\n");
	for (int k = 0; k < 3; k++) {
		const struct elfmod_region *r = &s->m.region[k];
		sh_print("  ");
		sh_print(kinds[k]);
		if (!r->size) {
			sh_print("-\n");
			continue;
		}
		put_x("", r->addr);
		put_u(" ", r->size);
		sh_print(" bytes\n");
	}
	put_u("  copied ", s->m.bytes_loaded);
	put_u(" bytes, in place ", s->m.bytes_in_place);
	put_u(" bytes (flash), stubs ", s->m.stubs);
	put_u(", GOT slots ", s->m.got_slots);
	sh_print("\n");
}

static void cmd_mem(void)
{
	static const char *const kinds[4] = { "text", "rodata", "data", "meta" };

	for (int k = 0; k < 4; k++) {
		uint64_t used = 0;
		for (uint32_t b = 0; b < arenas[k].nblocks; b++)
			used += arenas[k].used[b].size;
		sh_print(kinds[k]);
		put_u(" ", used);
		put_u(" of ", arenas[k].size);
		put_u(" bytes in ", arenas[k].nblocks);
		sh_print(" blocks\n");
	}
}

/* Runs one command line; returns -1 to go on, or the exit code. */
static int run(char *line)
{
	char *w[MAX_WORDS];
	int n = 0;
	struct slot *s;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p || *p == '#')
			break;
		if (n == MAX_WORDS) {
			error("too many words", "", "");
			return -1;
		}
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (n == 0)
		return -1;
	if (str_eq(w[0], "exit")) {
		int code = 0;
		if (n > 1 && parse_int(w[1], &code))
			code = 1;
		if (code < 0)
			code = 1;
		return code;
	}
	if (str_eq(w[0], "help")) {
		cmd_help();
	} else if (str_eq(w[0], "ls")) {
		cmd_ls();
	} else if (str_eq(w[0], "mem")) {
		cmd_mem();
	} else if (str_eq(w[0], "load") || str_eq(w[0], "unload") || str_eq(w[0], "info") ||
		   str_eq(w[0], "reset")) {
		if (n != 2)
			error(w[0], ": usage: ", "NAME");
		else if ((s = find(w[1])) != NULL && w[0][0] == 'l')
			cmd_load(s);
		else if (s && w[0][0] == 'u')
			cmd_unload(s);
		else if (s && w[0][0] == 'r')
			cmd_reset(s);
		else if (s)
			cmd_info(s);
	} else if (str_eq(w[0], "call")) {
		if (n < 3)
			error("call: usage: ", "NAME SYMBOL [INT]...", "");
		else if ((s = find(w[1])) != NULL)
			cmd_call(s, w[2], n - 3, w + 3);
	} else {
		error("unknown command ", w[0], " (help lists them)");
	}
	return -1;
}

/* ---- input ---- */

/* One line from `handle` without its end; -1 at the end of the input. A line too long
 * for the buffer is cut (and then refused as a command by its missing rest). */
static int read_line(int handle, char *buf, uint32_t size)
{
	uint32_t n = 0;
	int c;

	while ((c = sh_getc(handle)) >= 0 && c != '\n')
		if (c != '\r' && n + 1 < size)
			buf[n++] = (char)c;
	buf[n] = 0;
	return c < 0 && n == 0 ? -1 : (int)n;
}

/* The script named after the image on QEMU's command line, or the console. */
static int open_input(int *echo)
{
	static char cmdline[160];
	char *p = cmdline;
	int h;

	*echo = 0;
	if (sh_cmdline(cmdline, sizeof(cmdline)) == 0) {
		while (*p && *p != ' ')
			p++; /* the image's name */
		while (*p == ' ')
			p++;
	} else {
		*p = 0;
	}
	if (!*p)
		return sh_open(":tt");
	h = sh_open(p);
	if (h < 0)
		error("cannot open the script ", p, "");
	*echo = 1;
	return h;
}

int fw_main(void)
{
	uint32_t n = (uint32_t)(__stop_elfmod_exports - __start_elfmod_exports), dup = 0;
	static char line[LINE_SIZE];
	int input, echo, code = -1;

	sh_print("fw: elfmod firmware example, Cortex-M3\n");
	if (n > sizeof(export_index) / sizeof(export_index[0]) ||
	    elfmod_exports_init(&exports, __start_elfmod_exports, n, export_index, &dup))
		return 2;
	elfmod_registry_init(&registry);
	if (elfmod_registry_add_exports(&registry, &exports))
		return 2;
	elfmod_arena_init(&arenas[ELFMOD_KIND_TEXT], text_mem, (uintptr_t)text_mem, sizeof(text_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_RODATA], rodata_mem, (uintptr_t)rodata_mem, sizeof(rodata_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_DATA], data_mem, (uintptr_t)data_mem, sizeof(data_mem));
	elfmod_arena_init(&arenas[ELFMOD_KIND_META], meta_mem, (uintptr_t)meta_mem, sizeof(meta_mem));
	for (int k = 0; k < 4; k++)
		arena_set.by_kind[k] = &arenas[k];
	/* Code is written through the data side: make it visible to instruction fetch. */
	arena_set.sync_icache = elfmod_cache_sync;
	elfmod_arena_allocator(&allocator, &arena_set);
	if (read_partition())
		return 2;
	put_u("fw: ", n);
	put_u(" firmware exports, ", nslots);
	put_x(" modules in the partition at ", (uintptr_t)modules_partition);
	sh_print("; type help\n");

	input = open_input(&echo);
	if (input < 0)
		return 2;
	while (code < 0) {
		sh_print("fw> ");
		if (read_line(input, line, sizeof(line)) < 0) {
			sh_print("\nfw: end of input\n");
			code = 0;
			break;
		}
		if (echo) {
			sh_print(line);
			sh_print("\n");
		}
		code = run(line);
	}
	if (echo)
		sh_close(input);
	sh_print("fw: bye\n");
	return code;
}
