/* The packed modules inside the firmware's flash image (-Wa,-I<core dir>). The 64-byte
 * header puts the RO block 64 bytes in: each module aligned to 64 keeps its code
 * aligned for execution in place. */
	.section .modules, "a"

	.macro module name, file
	.balign 64
	.global mod_\name\()_start, mod_\name\()_end
mod_\name\()_start:
	.incbin "\file"
mod_\name\()_end:
	.endm

	module lib, "lib.emod"
