/* A host program that opens lib.o and app.o with elfmod_open and calls app's entry: the
 * GDB test breaks in lib.o's function from here (the dlopen-style layer registers both
 * modules with GDB). Usage: gdb_dl_host DIR. Exits 0 when the modules computed right. */
#include "elfmod.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	char lib_path[4096], app_path[4096];
	struct elfmod_module *lib, *app;
	int (*entry)(int, char **);
	int rc;

	if (argc != 2)
		return 2;
	snprintf(lib_path, sizeof(lib_path), "%s/lib.o", argv[1]);
	snprintf(app_path, sizeof(app_path), "%s/app.o", argv[1]);
	lib = elfmod_open(lib_path, 0);
	app = lib ? elfmod_open(app_path, 0) : NULL;
	if (!app) {
		fprintf(stderr, "%s\n", elfmod_error());
		return 1;
	}
	entry = (int (*)(int, char **))elfmod_sym(app, "gdb_app_main");
	rc = entry ? entry(1, NULL) : 1;
	if (elfmod_close(app) || elfmod_close(lib))
		return 1;
	return rc;
}
