/* guarded.o of ../cortexm_mpu packed, in the MPU firmware's flash (-Wa,-I<build dir>). */
	.section .modules, "a"
	.balign 64
	.global mod_guarded_start, mod_guarded_end
mod_guarded_start:
	.incbin "guarded.emod"
mod_guarded_end:
