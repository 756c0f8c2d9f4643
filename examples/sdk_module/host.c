/* The example's "firmware": exports puts and host_scale, loads the module named on the
 * command line (relocatable or shared) and calls its greet(). */
#include "elfmod.h"

#include <stdio.h>

int host_scale(int v);
int host_scale(int v)
{
	return v * 2;
}

ELFMOD_EXPORT(puts);
ELFMOD_EXPORT(host_scale);
extern const struct elfmod_export __start_elfmod_exports[], __stop_elfmod_exports[];

int main(int argc, char **argv)
{
	struct elfmod_export_index idx[4];
	struct elfmod_exports host;
	struct elfmod_registry reg;
	struct elfmod_allocator mem;
	struct elfmod_posix_file f;
	struct elfmod_load_opts o = { 0 };
	struct elfmod_module m;
	struct elfmod_diag d;
	int (*greet)(void);
	char msg[200];
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: host MODULE\n");
		return 2;
	}
	elfmod_posix_allocator(&mem);
	elfmod_registry_init(&reg);
	if (elfmod_exports_init(&host, __start_elfmod_exports,
				(uint32_t)(__stop_elfmod_exports - __start_elfmod_exports), idx, NULL) ||
	    elfmod_registry_add_exports(&reg, &host)) {
		fprintf(stderr, "host: bad export table\n");
		return 1;
	}
	if (elfmod_posix_file_open(&f, argv[1], 0)) {
		fprintf(stderr, "host: %s: cannot open\n", argv[1]);
		return 1;
	}
	o.name = argv[1];
	o.mem = &mem;
	o.reg = &reg;
	rc = elfmod_load(&m, &f.src, &o, &d);
	elfmod_posix_file_close(&f);
	if (rc) {
		elfmod_diag_format(&d, msg, sizeof(msg));
		fprintf(stderr, "host: %s: %s\n", argv[1], msg);
		return 1;
	}
	greet = (int (*)(void))elfmod_sym(&m, "greet");
	rc = greet ? greet() : -1;
	printf("host: greet returned %d\n", rc);
	if (elfmod_unload(&m))
		return 1;
	return rc == 28 ? 0 : 1;
}
