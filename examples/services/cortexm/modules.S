/* The modules partition in the firmware's flash (-Wa,-I<build dir>). The 64-byte
 * header puts the RO block 64 bytes in: each module aligned to 64 keeps its code
 * aligned for execution in place. */
	.section .rodata.modules, "a"

	.macro module name
	.balign 64
	.global mod_\name\()_start, mod_\name\()_end
mod_\name\()_start:
	.incbin "\name\().emod"
mod_\name\()_end:
	.endm

	module counter
	module checker
