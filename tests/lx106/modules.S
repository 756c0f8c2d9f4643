/* The "modules" partition: the module objects as they were compiled, read in place by
 * elfmod. The build passes -Wa,-I<dir> with the objects. The sim firmware's linker
 * script puts the section in flash; the Linux-user program keeps it with its rodata. */
#include "../common/module_partition.h"

	module lib, "lib.o"
	module app, "app.o"
	module tsl, "tsl.o"
	module dbg, "dbg.o"
	module far, "far.o"
	module bad, "bad.o"
