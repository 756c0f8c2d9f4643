/* The "modules" partition in the firmware's flash image: module objects exactly as
 * the compiler wrote them, read in place by elfmod. The build passes -Wa,-I<dir>
 * with the objects. */
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
	module app_norelax, "app_norelax.o"
	module align, "align.o"
	module align_norelax, "align_norelax.o"
