/* Cortex-M firmware for the GDB test: loads lib.o, app.o (ET_REL, with
 * ELFMOD_LOAD_KEEP_SECTIONS) and so.so (ET_DYN) from its flash image into RAM arenas,
 * keeps them in a global registry that scripts/gdb/elfmod.py walks, calls
 * fw_modules_changed after the loads (where GDB picks up their symbols), runs them,
 * unloads them and exits through semihosting with 42 when every result was right. */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"
#include "semihost.h"

extern const uint8_t mod_lib_start[], mod_lib_end[], mod_app_start[], mod_app_end[],
	mod_so_start[], mod_so_end[];

/* The loaded modules, for the debugger: elfmod-symbols fw_registry. */
struct elfmod_registry fw_registry;

/* Text, rodata and data arenas in RAM outside every section of the firmware (fw.ld), so
 * that GDB attributes addresses there to the modules; the loader's META can be anywhere. */
extern uint8_t __module_ram[], __module_ram_end[];
#define TEXT_ARENA 4096u
#define RODATA_ARENA 2048u
#define DATA_ARENA 2048u
static uint8_t meta_mem[4096] __attribute__((aligned(8)));
static struct elfmod_arena arenas[4];
static struct elfmod_arena_set arena_set;
static struct elfmod_allocator allocator;
static struct elfmod_module mods[3];

/* Called whenever the registry changed: the debugger's cue (elfmod-symbols-auto). */
__attribute__((noinline)) void fw_modules_changed(void)
{
	__asm__ volatile("" ::: "memory");
}

static __attribute__((noreturn)) void fail(const char *what)
{
	semihost_print("fw: FAIL: ");
	semihost_print(what);
	semihost_print("\n");
	semihost_exit(1);
}

static void load(struct elfmod_module *m, const char *name, const uint8_t *start, const uint8_t *end)
{
	const struct elfmod_source src = { .data = start, .size = (uint64_t)(end - start) };
	const struct elfmod_load_opts o = { .name = name, .mem = &allocator, .reg = &fw_registry,
					    .flags = ELFMOD_LOAD_KEEP_SECTIONS };
	struct elfmod_diag d;

	if (elfmod_load(m, &src, &o, &d))
		fail(name);
}

int boot_main(void)
{
	int (*app_main)(int, char **), (*so_main)(int, char **);
	uint8_t *ram = __module_ram;

	elfmod_registry_init(&fw_registry);

	if ((uintptr_t)(__module_ram_end - __module_ram) < TEXT_ARENA + RODATA_ARENA + DATA_ARENA)
		fail("module RAM");
	elfmod_arena_init(&arenas[ELFMOD_KIND_TEXT], ram, (uintptr_t)ram, TEXT_ARENA);
	ram += TEXT_ARENA;
	elfmod_arena_init(&arenas[ELFMOD_KIND_RODATA], ram, (uintptr_t)ram, RODATA_ARENA);
	ram += RODATA_ARENA;
	elfmod_arena_init(&arenas[ELFMOD_KIND_DATA], ram, (uintptr_t)ram, DATA_ARENA);
	elfmod_arena_init(&arenas[ELFMOD_KIND_META], meta_mem, (uintptr_t)meta_mem, sizeof(meta_mem));
	for (int k = 0; k < 4; k++)
		arena_set.by_kind[k] = &arenas[k];
	arena_set.sync_icache = elfmod_cache_sync;
	elfmod_arena_allocator(&allocator, &arena_set);

	load(&mods[0], "lib.o", mod_lib_start, mod_lib_end);
	load(&mods[1], "app.o", mod_app_start, mod_app_end);
	load(&mods[2], "so.so", mod_so_start, mod_so_end);
	if (!mods[0].nsections || !mods[1].nsections || mods[2].nsections || !mods[2].dyn)
		fail("section tables");
	fw_modules_changed();

	app_main = (int (*)(int, char **))elfmod_sym(&mods[1], "gdb_app_main");
	so_main = (int (*)(int, char **))elfmod_sym(&mods[2], "gdb_so_main");
	if (!app_main || !so_main)
		fail("entries");
	if (app_main(1, NULL) != 0)
		fail("gdb_app_main");
	if (so_main(1, NULL) != 0)
		fail("gdb_so_main");
	semihost_print("fw: modules ran\n");

	for (int k = 2; k >= 0; k--)
		if (elfmod_unload(&mods[k]))
			fail("unload");
	fw_modules_changed();
	semihost_print("fw: modules unloaded\n");
	semihost_exit(42);
}
