/* The packed modules inside the firmware's flash image (-Wa,-I<core dir>). The 64-byte
 * header puts the RO block 64 bytes in: each module aligned to 64 keeps its code
 * aligned for execution in place. */
#include "../common/module_partition.h"

	module lib, "lib.emod", 64
