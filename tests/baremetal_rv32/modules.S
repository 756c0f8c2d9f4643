/* The "modules" partition in the firmware's flash image: module objects exactly as
 * the compiler wrote them, read in place by elfmod. The build passes -Wa,-I<dir>
 * with the objects. */
#include "../common/module_partition.h"

	module lib, "lib.o"
	module app, "app.o"
	module app_norelax, "app_norelax.o"
	module align, "align.o"
	module align_norelax, "align_norelax.o"
