/* A bare-metal Cortex-M3 bootloader built on elfmod (QEMU mps2-an385).
 *
 * Flash 0x0 holds this program and a "partition" with an application ELF. The
 * bootloader owns RAM 0x20000000..0x2000ffff; the application may use only the window
 * 0x20100000..0x201fffff. Built three ways:
 *   default                the partition is read in place (a buffer source);
 *   BOOT_USE_READ=1        through a read callback, as from SPI flash;
 *   BOOT_EXPECT_REFUSAL=1  the partition holds an image that reaches into the
 *                          bootloader's RAM: elfmod must refuse it before writing anything.
 * Results come back as semihosting exit codes (services.h). */
#include <stddef.h>
#include <stdint.h>

#include "elfmod.h"
#include "fw_check.h"
#include "semihost.h"
#include "services.h"

#define APP_WINDOW_BASE 0x20100000u
#define APP_WINDOW_SIZE 0x00100000u
#define CANARY 0xa5a5a5a5u

/* Variants, chosen with -D...=1; plain ifs so every variant compiles all the code. */
#ifndef BOOT_USE_READ
#define BOOT_USE_READ 0
#endif
#ifndef BOOT_EXPECT_REFUSAL
#define BOOT_EXPECT_REFUSAL 0
#endif

/* In the bootloader's own flash, from partition.S. */
extern const uint8_t partition_start[], partition_end[];

/* Initialized data of the bootloader itself: a refused image must not have touched it. */
volatile uint32_t boot_data_magic = 0xb007b007u;

struct flash_dev {
	const uint8_t *base;
	uint32_t size;
	uint32_t reads;
};

/* What an SPI flash driver would do: bounds-checked copies out of the device. */
static int flash_read(void *ctx, uint64_t off, void *dst, size_t len)
{
	struct flash_dev *f = ctx;
	const uint8_t *src;
	uint8_t *d = dst;

	if (off > f->size || len > f->size - off)
		return -1;
	src = f->base + (uint32_t)off;
	while (len--)
		*d++ = *src++;
	f->reads++;
	return 0;
}

/* Cortex-M3 has no caches, but code written as data must be made visible to the
 * instruction stream before it runs. */
static void sync_code(void *ctx, uint64_t addr, uint64_t len)
{
	(void)addr;
	(void)len;
	++*(uint32_t *)ctx;
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}

static void fill_window(void)
{
	volatile uint32_t *w = (volatile uint32_t *)APP_WINDOW_BASE;

	for (uint32_t i = 0; i < APP_WINDOW_SIZE / 4; i++)
		w[i] = CANARY;
}

static int window_untouched(void)
{
	const volatile uint32_t *w = (const volatile uint32_t *)APP_WINDOW_BASE;

	for (uint32_t i = 0; i < APP_WINDOW_SIZE / 4; i++)
		if (w[i] != CANARY)
			return 0;
	return 1;
}

static const struct boot_services services = {
	.magic = BOOT_SERVICES_MAGIC,
	.print = semihost_print,
};

int boot_main(void);

int boot_main(void)
{
	const struct elfmod_window window = {
		.base = APP_WINDOW_BASE,
		.size = APP_WINDOW_SIZE,
		.wr = (void *)APP_WINDOW_BASE,
	};
	struct flash_dev dev = { partition_start, (uint32_t)(partition_end - partition_start), 0 };
	struct elfmod_source src = { .size = dev.size };
	uint32_t syncs = 0;
	struct elfmod_exec_opts opts = {
		.windows = &window,
		.nwindows = 1,
		.machine = ELFMOD_EM_ARM,
		.cls = 32,
		.sync_icache = sync_code,
		.ctx = &syncs,
	};
	struct elfmod_exec_info info;
	struct elfmod_diag diag;
	char msg[128];
	int rc;

	if (BOOT_USE_READ) {
		src.read = flash_read;
		src.ctx = &dev;
		semihost_print("boot: source: read callback\n");
	} else {
		src.data = partition_start;
		semihost_print("boot: source: buffer in flash\n");
	}
	put_hex("boot: partition of ", dev.size);
	semihost_print(" bytes\n");
	/* A pattern, not zeros: .bss must be zeroed by the loader, not by luck. */
	fill_window();

	rc = elfmod_exec_load(&src, &opts, &info, &diag);
	if (rc) {
		elfmod_diag_format(&diag, msg, sizeof(msg));
		semihost_print("boot: refused: ");
		semihost_print(msg);
		semihost_print("\n");
		if (!BOOT_EXPECT_REFUSAL || rc != ELFMOD_EWINDOW)
			semihost_exit(EXIT_LOAD_FAILED);
		if (!window_untouched() || boot_data_magic != 0xb007b007u) {
			semihost_print("boot: memory was written before the refusal\n");
			semihost_exit(EXIT_CLOBBERED);
		}
		semihost_print("boot: window untouched, bootloader RAM intact\n");
		semihost_exit(EXIT_REFUSED_OK);
	}
	if (BOOT_EXPECT_REFUSAL) {
		semihost_print("boot: the bad image was accepted\n");
		semihost_exit(EXIT_BAD_ACCEPTED);
	}
	put_hex("boot: loaded, entry ", (uint32_t)info.entry);
	put_hex(", segments ", info.segments);
	put_hex(", copied ", (uint32_t)info.copied);
	put_hex(", zeroed ", (uint32_t)info.zeroed);
	put_hex(", code syncs ", syncs);
	if (src.read)
		put_hex(", reads ", dev.reads);
	semihost_print("\n");
	if (syncs == 0 || (src.read && dev.reads == 0))
		semihost_exit(EXIT_LOAD_FAILED);

	/* e_entry of a Thumb function already has bit 0 set; make sure of it anyway,
	 * since a BLX to an even address faults on an M-profile core. */
	app_entry_fn entry = (app_entry_fn)(uintptr_t)((uint32_t)info.entry | 1u);
	entry(&services);
	semihost_print("boot: the application returned\n");
	semihost_exit(EXIT_APP_RETURNED);
}
