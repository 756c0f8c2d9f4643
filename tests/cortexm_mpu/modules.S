/* The "modules" partition in the firmware's flash image, read in place by elfmod. The
 * build passes -Wa,-I<dir> with the module object. */
	.section .modules, "a"
	.balign 8
	.global mod_guarded_start, mod_guarded_end
mod_guarded_start:
	.incbin "guarded.o"
mod_guarded_end:
