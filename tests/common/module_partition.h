/* Included by the test firmwares' modules.S: `module NAME, "FILE"[, ALIGN]` puts FILE's
 * bytes (found through the -Wa,-I<dir> the build passes) into the .modules section,
 * between the globals mod_NAME_start and mod_NAME_end, where elfmod reads them in place.
 * ALIGN is 8 unless given (the 64 of a packed module keeps its code aligned for
 * execution in place). */
	.section .modules, "a"

	.macro module name, file, align=8
	.balign \align
	.global mod_\name\()_start, mod_\name\()_end
mod_\name\()_start:
	.incbin "\file"
mod_\name\()_end:
	.endm
