/* The modules inside the firmware's flash image, loaded in place from there. The build
 * passes -Wa,-I<dir> with the modules built for the firmware's core. */
#include "../common/module_partition.h"

	module lib, "lib.o"
	module app, "app.o"
	module so, "so.so"
