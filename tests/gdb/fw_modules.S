/* The modules inside the firmware's flash image, loaded in place from there. The build
 * passes -Wa,-I<dir> with the modules built for the firmware's core. */
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
	module so, "so.so"
