/* The packed modules inside the firmware's flash image (-Wa,-I<build dir>). The
 * 64-byte header puts the RO block 64 bytes in: aligning the file to 64 keeps the code
 * aligned for execution in place. */
	.section .rodata.modules, "a"
	.balign 64
	.global basic_start, basic_end, state_start, state_end, xip_start, xip_end
basic_start:
	.incbin "mod_basic_m4.emod"
basic_end:
	.balign 64
state_start:
	.incbin "mod_state_m4.emod"
state_end:
	.balign 64
xip_start:
	.incbin "mod_basic_xip_m4.emod"
xip_end:
