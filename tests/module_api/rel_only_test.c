/* The core built with ELFMOD_CFG_DYNAMIC=0 (the smallest firmware configuration): a
 * relocatable module still loads, runs its constructor and destructor and unloads; a
 * shared object is refused with EUNSUPPORTED, naming the option, before any memory is
 * taken. */
#include "elfmod.h"
#include "check.h"
#include "counting.h"
#include "files.h"
#include "resetme_host.h"

#include <string.h>

#if ELFMOD_CFG_DYNAMIC
#error "build this test with -DELFMOD_CFG_DYNAMIC=0"
#endif

int main(int argc, char **argv)
{
	struct elfmod_export_index index[1];
	struct elfmod_exports host;
	struct elfmod_registry reg;
	struct counting cnt;
	struct elfmod_allocator mem;
	struct elfmod_load_opts o = { 0 };
	struct elfmod_module m;
	struct elfmod_diag d;
	struct test_file rel, so;
	int (*bump)(void);

	if (argc != 3 || test_file_read(argv[1], &rel) || test_file_read(argv[2], &so)) {
		fprintf(stderr, "usage: rel_only_test resetme.o resetme.so\n");
		return 2;
	}
	counting_init(&cnt, &mem);
	elfmod_registry_init(&reg);
	CHECK_RC(elfmod_exports_init(&host, resetme_imports, 1, index, NULL), 0);
	CHECK_RC(elfmod_registry_add_exports(&reg, &host), 0);
	o.mem = &mem;
	o.reg = &reg;
	{
		struct elfmod_source src = { rel.data, rel.size, NULL, NULL, NULL };
		CHECK_RC(elfmod_load(&m, &src, &o, &d), 0);
		bump = (int (*)(void))elfmod_sym(&m, "bump");
		CHECK(bump != NULL);
		if (bump)
			CHECK_EQ(bump(), 801);
		CHECK_EQ(starts, 1);
		CHECK_RC(elfmod_unload(&m), 0);
		CHECK_EQ(stops, 1);
	}
	{
		struct elfmod_source src = { so.data, so.size, NULL, NULL, NULL };
		long before = cnt.calls;
		CHECK_RC(elfmod_load(&m, &src, &o, &d), ELFMOD_EUNSUPPORTED);
		CHECK(d.field && strstr(d.field, "ELFMOD_CFG_DYNAMIC=0"));
		CHECK_EQ(cnt.calls, before);
		CHECK_EQ(cnt.live, 0);
	}
	free(rel.data);
	free(so.data);
	return check_done("rel_only");
}
