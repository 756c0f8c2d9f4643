/* The elfmod command-line tool: a thin shell over the core and the POSIX port. */
#include "elfmod.h"
#include "tools.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void tool_why(int err, const struct elfmod_diag *diag, char *buf, size_t size)
{
	if (diag && diag->err == err && err != 0)
		elfmod_diag_format(diag, buf, size);
	else
		snprintf(buf, size, "%s", elfmod_strerror(err));
}

void tool_error(const char *file, int err, const struct elfmod_diag *diag)
{
	char msg[256];

	tool_why(err, diag, msg, sizeof(msg));
	fprintf(stderr, "elfmod: %s: %s\n", file, msg);
}

int tool_elf_open(const char *path, struct elfmod_posix_file *f, struct elfmod_elf *elf, struct elfmod_diag *d)
{
	int rc = elfmod_posix_file_open(f, path, 1);

	if (rc) {
		tool_error(path, rc, NULL);
		return -1;
	}
	if ((rc = elfmod_elf_open(elf, &f->src, d))) {
		tool_error(path, rc, d);
		elfmod_posix_file_close(f);
		return -1;
	}
	return 0;
}

void tool_put_text(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

const char *tool_reloc_label(uint16_t machine, uint32_t type, char *buf, size_t size)
{
	const char *n = elfmod_reloc_name(machine, type);

	if (n)
		return n;
	snprintf(buf, size, "type %" PRIu32, type);
	return buf;
}

#if defined(ELFMOD_TOOL_SIGN) && ELFMOD_TOOL_SIGN
#define RUN_CHECKS "[--sha256 HEX] [--key NAME.pub]..."
#else
#define RUN_CHECKS "[--sha256 HEX]"
#endif

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{ "inspect", cmd_inspect, "inspect FILE [--json]    headers, sections, segments, symbols, relocations\n"
	  "  inspect --supported      relocation types implemented, per machine" },
	{ "link", cmd_link,
	  "link MODULE [--at SECTION=ADDR]... [--defsym NAME=ADDR]... [--base ADDR]\n"
	  "       [--xip FLASH_ADDR] [--entry SYMBOL] -o OUT.elf\n"
	  "                           relocate for the module's own machine at fixed addresses;\n"
	  "                           --xip: code and rodata run from OUT.elf stored at FLASH_ADDR" },
	{ "exports", cmd_exports,
	  "exports FIRMWARE.elf [--allow FILE]... [--deny FILE]... [--hashed] [--name NAME]\n"
	  "       -o exports.c [--header exports.h]\n"
	  "                           the firmware's export table as C, with its ABI fingerprint" },
	{ "check", cmd_check,
	  "check MODULE --exports FIRMWARE.elf|exports.c... [--dep MODULE]... [--allow FILE]...\n"
	  "       [--deny FILE]... [--hashed] [--json]\n"
	  "                           will MODULE load on that firmware? exit 0 yes, 1 no" },
	{ "run", cmd_run,
	  "run [--dep FILE]... [--entry SYM] [--host-symbols] MODULE [-- ARGS...]\n"
	  "                           load modules into this process and call main (or SYM)\n"
	  "  run " RUN_CHECKS " ...\n"
	  "                           load only a module of that digest / signed by a key given" },
	{ "split", cmd_split, "split IMAGE.elf --image OUT.elf --symbols OUT.syms.elf\n"
	  "                           program image without sections + its symbols and debug info" },
	{ "pack", cmd_pack, "pack MODULE [--fingerprint HEX] [--state SIZE] -o OUT.emod\n"
	  "                           pre-linked compact module for the tiny loader (docs/format.md)" },
	{ "reset-prep", cmd_reset_prep, "reset-prep IMAGE.elf [--at ADDR] -o OUT.elf\n"
	  "                           add copies of the writable data and a reset table (elfmod_image_reset)" },
#if defined(ELFMOD_TOOL_SIGN) && ELFMOD_TOOL_SIGN
	{ "keygen", cmd_keygen, "keygen NAME              new Ed25519 key pair: NAME.pub, NAME.key (mode 0600)" },
	{ "sign", cmd_sign, "sign --key NAME.key MODULE -o OUT\n"
	  "                           append an Ed25519 signature and its trailer to an ELF file" },
	{ "verify", cmd_verify, "verify --key NAME.pub... FILE\n"
	  "                           check a signed file: exit 0 valid, 1 not (the reason on stderr)" },
#endif
};

static int usage(FILE *f)
{
	fprintf(f, "usage: elfmod COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].help);
	return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "elfmod: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
