/* The "modules" partition inside the firmware's flash image: the module objects as
 * they were compiled, read in place by elfmod. The build passes -Wa,-I<dir> with the
 * objects for this core. */
#ifndef HAVE_PURE
#define HAVE_PURE 1
#endif
	.section .modules, "a"

	.macro module name, file
	.balign 8
	.global mod_\name\()_start, mod_\name\()_end
mod_\name\()_start:
	.incbin "\file"
mod_\name\()_end:
	.endm

	module lib, "lib.o"
	module app, "app.o"
#if HAVE_PURE
	module pure, "pure.o"
#endif
