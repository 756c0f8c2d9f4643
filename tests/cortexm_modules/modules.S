/* The "modules" partition inside the firmware's flash image: the modules as they were
 * built (objects, a shared object, an executable), read in place by elfmod. The build
 * passes -Wa,-I<dir> with the modules for this core. */
#include "../common/module_partition.h"

	module lib, "lib.o"
	module app, "app.o"
	module pure, "pure.o"
	module shlib, "shlib.so"
	module souser, "souser.o"
#if FW_EXEC
	module exe, "exe.elf"
#endif
