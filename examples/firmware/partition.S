/* The "modules" partition: a directory, then the modules as they were built, at a fixed
 * flash address (fw.ld). The directory is what the firmware trusts least and checks
 * first: magic, count, then per module a 16-byte NUL-terminated name and the offset
 * (from the partition's start) and size of its file.
 *
 * The execute-in-place image goes first, at FW_XIP_OFFSET: it was linked for exactly
 * FW_PARTITION_ADDR + FW_XIP_OFFSET (`elfmod link --xip`), so it must not move when
 * the directory or the other modules change. The build passes both values and
 * -Wa,-I<dir> with the module files. */
	.section .modules, "a"
	.balign 16
	.global modules_partition, modules_partition_end

	.macro entry name
0:	.asciz "\name"
	.org 0b + 16
	.word mod_\name - modules_partition, mod_\name\()_end - mod_\name
	.endm

	.macro module name, file
	.balign 16
mod_\name:
	.incbin "\file"
mod_\name\()_end:
	.endm

modules_partition:
	.ascii "EMOD"
	.word (directory_end - directory) / 24
directory:
	entry xipmath
	entry hello
	entry stats
	entry report
directory_end:

	/* The assembler refuses to move .org backwards: a directory grown into the image
	 * stops the build. FW_XIP_OFFSET is a multiple of 16, so `module` aligns nothing
	 * here; the firmware still checks the image against its place before running it. */
	.org FW_XIP_OFFSET
	module xipmath, "xipmath.elf"
	module hello, "hello.o"
	module stats, "stats.o"
	module report, "report.o"
modules_partition_end:
