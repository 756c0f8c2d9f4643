@ oracle: --at .text=0x2000000 --at .data=0x2100000 --at .thumb1=0x2080000 --at .near=0x2000080 --at .e_bl=0x2010000 --at .e_j11=0x2050000 --at .t11_max=0x2050802 --at .t11_min=0x204f806 --at .t8_max=0x2050106 --at .t8_min=0x204ff0a --defsym ext_thm=0x2400001 --defsym ext_data=0x2500003 --defsym bl_max=0x300ffff --defsym bl_min=0x1010009
@ oracle-as: -march=armv6-m
@ Thumb-1 code for ARMv6-M (Cortex-M0) against GNU ld. ld takes every branch target for
@ Thumb code here (the core has no ARM state) and drops bit 0 of a --defsym value, as
@ elfmod does for an odd one: imports are odd. Not here: calls to undefined weak
@ symbols, for which ld writes the ARMv6-M NOP sequence only when it links for ARMv6-M
@ while elfmod picks by the core it is built for (unit-tested).
	.syntax unified
	.arch	armv6-m
	.thumb

	.text
	.globl	m0_main
	.type	m0_main, %function
m0_main:
	bl	ext_thm			@ THM_CALL, ARMv6-M BL (J1/J2, +-16 MiB)
	bl	ext_thm + 0x20
	bl	ext_thm - 0x1000
	bl	thm_fn			@ to a Thumb function of the module
	bl	m0_main			@ backwards
	b	thm_fn_near		@ THM_JUMP11
	beq	thm_fn_near		@ THM_JUMP8
	.reloc	., R_ARM_NONE, ext_data
	bx	lr
	.balign	4
	.word	ext_data		@ literal pool: ABS32
	.word	thm_fn			@ Thumb bit
	.word	ext_data - .		@ REL32
	.word	thm_fn - . + 0x10

	.section .thumb1, "ax", %progbits
	.type	thm_fn, %function
thm_fn:
	bx	lr
	.section .near, "ax", %progbits
	.type	thm_fn_near, %function
thm_fn_near:
	bx	lr

	.data
	.word	ext_thm
	.word	ext_data - 0x100
	.word	ext_data(TARGET1)
	.reloc	., R_ARM_PREL31, thm_fn
	.word	0
	.reloc	., R_ARM_PREL31, m0_main
	.word	0x7fffff00		@ negative addend
	.byte	9
	.word	ext_thm - .		@ unaligned REL32
	.hword	0x1234
	.word	ext_data + 0x10		@ unaligned ABS32
	.byte	7

@ BL edges: P + 4 - 0x1000000 and P + 4 + 0xfffffa: GNU ld makes a veneer for the last
@ two halfwords of the forward reach to an odd --defsym value (exact edge: unit test).
	.section .e_bl, "ax", %progbits
	bl	bl_max
	bl	bl_min

@ B +-2 KiB and B<c> +-256 bytes, at their exact edges.
	.section .e_j11, "ax", %progbits
	b	t11_max			@ P + 4 + 2046
	b	t11_min			@ P + 4 - 2048
	beq	t8_max			@ P + 4 + 254
	bne	t8_min			@ P + 4 - 256
	.section .t11_max, "ax", %progbits
	.type	t11_max, %function
t11_max:
	bx	lr
	.section .t11_min, "ax", %progbits
	.type	t11_min, %function
t11_min:
	bx	lr
	.section .t8_max, "ax", %progbits
	.type	t8_max, %function
t8_max:
	bx	lr
	.section .t8_min, "ax", %progbits
	.type	t8_min, %function
t8_min:
	bx	lr
