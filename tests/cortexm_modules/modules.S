/* The "modules" partition inside the firmware's flash image: the module objects as
 * they were compiled, read in place by elfmod. The build passes -Wa,-I<dir> with the
 * objects for this core. */
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
	module pure, "pure.o"
