/* The "modules" partition: the module objects as they were compiled, read in place by
 * elfmod. The build passes -Wa,-I<dir> with the objects. The sim firmware's linker
 * script puts the section in flash; the Linux-user program keeps it with its rodata. */
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
	module tsl, "tsl.o"
	module dbg, "dbg.o"
	module far, "far.o"
	module bad, "bad.o"
