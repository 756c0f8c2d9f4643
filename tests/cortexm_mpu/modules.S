/* The "modules" partition in the firmware's flash image, read in place by elfmod. The
 * build passes -Wa,-I<dir> with the module object. */
#include "../common/module_partition.h"

	module guarded, "guarded.o"
