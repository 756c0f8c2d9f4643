@ oracle: --at .text=0x2000000 --at .data=0x2100000 --at .thumb=0x2200000 --at .e_bl_max=0x2010000 --at .e_bl_min=0x2010100 --at .e_b_max=0x2010200 --at .e_b_min=0x2010300 --at .e_blx_max=0x2010400 --at .e_blx_min=0x2010500 --at .thi=0x4010406 --at .tlo=0x10508 --defsym ext_arm=0x2300000 --defsym ext_data=0x2400001 --defsym bl_max=0x4010004 --defsym bl_min=0x10108 --defsym b_max=0x4010204 --defsym b_min=0x10308
@ A32 code (ARMv7-A) against GNU ld: every relocation type ld resolves the same way
@ elfmod does, ARM and Thumb targets, negative addends, range edges. Imports given with
@ --defsym are even: ld takes a --defsym symbol for ARM code whatever its bit 0, and
@ elfmod goes by bit 0. Calls to Thumb code go to Thumb functions in .thumb/.thi/.tlo.
	.syntax unified
	.arch	armv7-a
	.arm
	.weak	wk
	.type	wk, %function

	.text
	.globl	arm_fn
	.type	arm_fn, %function
arm_fn:
	bl	ext_arm			@ CALL
	b	ext_arm			@ JUMP24
	bne	ext_arm			@ JUMP24, conditional
	blne	ext_arm			@ JUMP24, conditional BL
	blx	ext_arm			@ CALL: BLX to ARM code becomes BL
	bl	ext_arm + 0x100		@ positive addend
	bl	ext_arm - 0x1000	@ negative addend
	bl	thm_fn			@ CALL to Thumb code becomes BLX (H = 0)
	bl	thm_fn2			@ ... with H = 1
	blx	thm_fn2			@ BLX stays BLX
	bl	arm_fn			@ backwards, same section
	bl	wk			@ undefined weak: NOP
	b	wk
	bgt	wk			@ conditional NOP
	.reloc	., R_ARM_PC24, ext_arm	@ the deprecated type: BL ...
	.inst	0xebfffffe
	.reloc	., R_ARM_PC24, ext_arm	@ ... and B
	.inst	0xeafffffe
	movw	r0, #:lower16:ext_data		@ MOVW_ABS_NC
	movt	r0, #:upper16:ext_data		@ MOVT_ABS
	movw	r1, #:lower16:ext_data + 0x7ffe
	movt	r1, #:upper16:ext_data + 0x7fff	@ carry into the upper half
	movw	r2, #:lower16:ext_data - 0x8000
	movt	r2, #:upper16:ext_data - 0x8000	@ borrow from the upper half
	movw	r3, #:lower16:thm_fn		@ Thumb bit
	movt	r3, #:upper16:thm_fn
	movw	r4, #:lower16:ext_data - .	@ MOVW_PREL_NC
	movt	r4, #:upper16:ext_data - .	@ MOVT_PREL
	movw	r5, #:lower16:arm_fn - . - 0x20
	movt	r5, #:upper16:arm_fn - . - 0x20	@ backwards: negative result
	movw	r6, #:lower16:thm_fn - .
	movt	r6, #:upper16:thm_fn - .
	.reloc	., R_ARM_V4BX		@ left alone
	bx	lr
	.reloc	., R_ARM_NONE, ext_data	@ nothing
	nop

	.data
	.word	ext_data		@ ABS32
	.word	ext_data - 0x10
	.word	thm_fn			@ Thumb bit
	.word	arm_fn + 4
	.word	ext_data - .		@ REL32
	.word	arm_fn - . - 0x100
	.word	ext_data(TARGET1)	@ ABS32 for Linux
	.reloc	., R_ARM_PREL31, arm_fn	@ PREL31
	.word	0
	.reloc	., R_ARM_PREL31, arm_fn	@ bit 31 kept, negative addend
	.word	0xfffffff0
	.reloc	., R_ARM_PREL31, thm_fn
	.word	0x7ffffff8
	.byte	0x55
	.word	ext_data + 3		@ unaligned
	.word	ext_data - . + 0x7f	@ unaligned REL32
	.byte	0xaa, 0xbb, 0xcc

	.section .thumb, "ax", %progbits
	.thumb
	.type	thm_fn, %function
thm_fn:
	bx	lr
	.type	thm_fn2, %function
thm_fn2:
	bx	lr

@ Range edges, each instruction at the start of its own section: ARM +-32 MiB.
	.arm
	.section .e_bl_max, "ax", %progbits
	bl	bl_max			@ P + 8 + 0x1fffffc
	.section .e_bl_min, "ax", %progbits
	bl	bl_min			@ P + 8 - 0x2000000
	.section .e_b_max, "ax", %progbits
	b	b_max
	.section .e_b_min, "ax", %progbits
	bpl	b_min
	.section .e_blx_max, "ax", %progbits
	bl	thm_max			@ BLX, P + 8 + 0x1fffffe
	.section .e_blx_min, "ax", %progbits
	bl	thm_min			@ BLX, P + 8 - 0x2000000
	.thumb
	.section .thi, "ax", %progbits
	.type	thm_max, %function
thm_max:
	bx	lr
	.section .tlo, "ax", %progbits
	.type	thm_min, %function
thm_min:
	bx	lr
