/* The GDB JIT interface of the POSIX port, without GDB: what it hands GDB is read back
 * from __jit_debug_descriptor and checked against where elfmod put things.
 *   - ELFMOD_LOAD_KEEP_SECTIONS: m->sections lists exactly what opts.placed reports;
 *     nothing without the flag, nothing after unload.
 *   - A relocatable module's symbol file: sh_addr of every loaded section is its run
 *     address, so section + st_value of a function is what elfmod_sym finds.
 *   - A shared object's: its functions' st_value moved by the bias, its DWARF hidden.
 *   - elfmod_posix_gdb_placed registers a module during its load.
 *   - Unregistering empties the list; elfmod_open and elfmod_close do both.
 * Usage: gdb_jit DIR (lib.o, app.o, so.so built with -g). */
#include "check.h"
#include "elfmod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GDB's layout (posix_gdb.c defines the object). */
struct jit_code_entry {
	struct jit_code_entry *next_entry, *prev_entry;
	const char *symfile_addr;
	uint64_t symfile_size;
};
struct jit_descriptor {
	uint32_t version, action_flag;
	struct jit_code_entry *relevant_entry, *first_entry;
};
extern struct jit_descriptor __jit_debug_descriptor;

static char path_buf[3][4096];

static const char *path_of(int k, const char *dir, const char *name)
{
	snprintf(path_buf[k], sizeof(path_buf[k]), "%s/%s", dir, name);
	return path_buf[k];
}

struct placed_log {
	uint32_t n;
	struct elfmod_section_addr s[64];
};

static void on_placed(void *ctx, uint32_t shndx, const char *name, uint32_t sh_type, uint64_t sh_flags,
		      uint64_t addr, const void *wr, uint64_t size)
{
	struct placed_log *l = ctx;

	(void)name, (void)sh_type, (void)sh_flags, (void)wr, (void)size;
	if (l->n < 64) {
		l->s[l->n].addr = addr;
		l->s[l->n++].shndx = shndx;
	}
}

static int count_entries(void)
{
	int n = 0;
	for (struct jit_code_entry *e = __jit_debug_descriptor.first_entry; e; e = e->next_entry)
		n++;
	return n;
}

/* The symbol named `want` in the registered image `e`: its st_value and section. */
static int image_symbol(const struct jit_code_entry *e, struct elfmod_elf *elf, struct elfmod_source *src,
			const char *want, struct elfmod_sym *out)
{
	uint32_t n;
	const char *name;

	memset(src, 0, sizeof(*src));
	src->data = e->symfile_addr;
	src->size = e->symfile_size;
	if (elfmod_elf_open(elf, src, NULL) || !elf->symtab || elfmod_elf_sym_count(elf, elf->symtab, &n))
		return -1;
	for (uint32_t i = 1; i < n; i++) {
		struct elfmod_shdr st;
		if (elfmod_elf_sym(elf, elf->symtab, i, out) || elfmod_elf_shdr(elf, elf->symtab, &st) ||
		    elfmod_elf_string(elf, st.link, out->name, NULL, 0, &name))
			return -1;
		if (!strcmp(name, want))
			return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct elfmod_allocator mem;
	struct elfmod_registry reg;
	struct elfmod_load_opts o;
	struct elfmod_posix_file f;
	struct elfmod_module lib, so;
	struct placed_log log;
	struct elfmod_diag d;
	struct elfmod_source src;
	struct elfmod_elf elf;
	struct elfmod_sym sym;
	struct elfmod_shdr sh;
	const char *name;
	int debug_seen = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gdb_jit DIR\n");
		return 2;
	}
	elfmod_posix_allocator(&mem);
	elfmod_registry_init(&reg);
	memset(&o, 0, sizeof(o));
	o.mem = &mem;
	o.reg = &reg;

	check_ctx = "relocatable";
	CHECK_RC(elfmod_posix_file_open(&f, path_of(0, argv[1], "lib.o"), 1), 0);
	/* Without the flag: no table, and nothing to register. */
	CHECK_RC(elfmod_load(&lib, &f.src, &o, &d), 0);
	CHECK(lib.sections == NULL && lib.nsections == 0);
	CHECK_RC(elfmod_posix_gdb_register(&lib, &f), ELFMOD_EINVAL);
	CHECK_RC(elfmod_unload(&lib), 0);

	memset(&log, 0, sizeof(log));
	o.flags = ELFMOD_LOAD_KEEP_SECTIONS;
	o.placed = on_placed;
	o.place_ctx = &log;
	CHECK_RC(elfmod_load(&lib, &f.src, &o, &d), 0);
	CHECK(log.n > 0);
	CHECK_EQ(lib.nsections, log.n);
	for (uint32_t k = 0; k < log.n && k < lib.nsections; k++) {
		CHECK_EQ(lib.sections[k].shndx, log.s[k].shndx);
		CHECK_EQ(lib.sections[k].addr, log.s[k].addr);
		CHECK_EQ(lib.sections[k].reserved, 0);
	}
	CHECK_EQ(count_entries(), 0);
	CHECK_RC(elfmod_posix_gdb_register(&lib, &f), 0);
	elfmod_posix_file_close(&f);
	CHECK_EQ(count_entries(), 1);
	CHECK(__jit_debug_descriptor.version == 1 && __jit_debug_descriptor.action_flag == 0);
	if (__jit_debug_descriptor.first_entry &&
	    image_symbol(__jit_debug_descriptor.first_entry, &elf, &src, "gdb_lib_leaf", &sym) == 0) {
		CHECK(elf.type == ELFMOD_ET_REL);
		for (uint32_t k = 0; k < lib.nsections; k++) {
			CHECK_RC(elfmod_elf_shdr(&elf, lib.sections[k].shndx, &sh), 0);
			CHECK_EQ(sh.addr, lib.sections[k].addr);
		}
		CHECK_RC(elfmod_elf_shdr(&elf, sym.shndx, &sh), 0);
		CHECK_EQ(sh.addr + sym.value, (uintptr_t)elfmod_sym(&lib, "gdb_lib_leaf"));
		/* Debug information stays for GDB to relocate (the module is built with -g). */
		for (uint32_t i = 1; i < elf.shnum; i++)
			if (!elfmod_elf_section_name(&elf, i, NULL, 0, &name) && !strcmp(name, ".debug_info") &&
			    !elfmod_elf_shdr(&elf, i, &sh) && sh.type == ELFMOD_SHT_PROGBITS)
				debug_seen = 1;
		CHECK(debug_seen);
	} else {
		CHECKF(0, "gdb_lib_leaf not found in the registered image");
	}
	CHECK_RC(elfmod_unload(&lib), 0);
	CHECK(lib.sections == NULL && lib.nsections == 0);
	CHECK_RC(elfmod_posix_gdb_unregister(&lib), 0);
	CHECK_EQ(count_entries(), 0);
	CHECK_RC(elfmod_posix_gdb_unregister(&lib), ELFMOD_ENOTFOUND);
	CHECK_RC(elfmod_posix_gdb_unregister(NULL), ELFMOD_EINVAL);
	CHECK_RC(elfmod_posix_gdb_register(NULL, NULL), ELFMOD_EINVAL);

	check_ctx = "registered during the load";
	{
		struct elfmod_posix_gdb_load l = { &lib, &f, 0 };
		CHECK_RC(elfmod_posix_file_open(&f, path_of(0, argv[1], "lib.o"), 1), 0);
		o.placed = elfmod_posix_gdb_placed;
		o.place_ctx = &l;
		CHECK_RC(elfmod_load(&lib, &f.src, &o, &d), 0);
		elfmod_posix_file_close(&f);
		CHECK(l.registered);
		CHECK_EQ(count_entries(), 1);
		CHECK_RC(elfmod_unload(&lib), 0);
		CHECK_RC(elfmod_posix_gdb_unregister(&lib), 0);
		CHECK_EQ(count_entries(), 0);
		o.place_ctx = NULL;
	}

	check_ctx = "shared object";
	o.placed = NULL;
	CHECK_RC(elfmod_posix_file_open(&f, path_of(0, argv[1], "so.so"), 1), 0);
	CHECK_RC(elfmod_load(&so, &f.src, &o, &d), 0);
	CHECK(so.dyn != NULL && so.sections == NULL);
	CHECK_RC(elfmod_posix_gdb_register(&so, &f), 0);
	elfmod_posix_file_close(&f);
	if (__jit_debug_descriptor.first_entry &&
	    image_symbol(__jit_debug_descriptor.first_entry, &elf, &src, "gdb_so_leaf", &sym) == 0) {
		CHECK(elf.type == ELFMOD_ET_DYN);
		CHECK_EQ(sym.value, (uintptr_t)elfmod_sym(&so, "gdb_so_leaf"));
		/* With a .symtab, .dynsym is hidden (GDB would read both tables). */
		CHECK(elf.symtab != 0 && elf.dynsym == 0);
		for (uint32_t i = 1; i < elf.shnum; i++) {
			CHECK_RC(elfmod_elf_shdr(&elf, i, &sh), 0);
			if (sh.type != ELFMOD_SHT_NULL && !elfmod_elf_section_name(&elf, i, NULL, 0, &name))
				CHECKF(strncmp(name, ".debug", 6) != 0, "%s still visible", name);
		}
	} else {
		CHECKF(0, "gdb_so_leaf not found in the registered image");
	}
	CHECK_RC(elfmod_unload(&so), 0);
	CHECK_RC(elfmod_posix_gdb_unregister(&so), 0);
	CHECK_EQ(count_entries(), 0);

	check_ctx = "elfmod_open";
	{
		struct elfmod_module *a = elfmod_open(path_of(0, argv[1], "lib.o"), 0);
		struct elfmod_module *b = elfmod_open(path_of(1, argv[1], "app.o"), 0);
		struct elfmod_module *c = elfmod_open(path_of(2, argv[1], "lib.o"), 0);
		CHECK(a && b && c == a);
		CHECK_EQ(count_entries(), 2);
		CHECK(a && a->nsections > 0);
		CHECK_RC(elfmod_close(c), 0);
		CHECK_EQ(count_entries(), 2);
		CHECK_RC(elfmod_close(b), 0);
		CHECK_EQ(count_entries(), 1);
		CHECK_RC(elfmod_close(a), 0);
		CHECK_EQ(count_entries(), 0);
	}
	return check_done("gdb_jit");
}
