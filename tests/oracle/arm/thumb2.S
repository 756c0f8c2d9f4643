@ oracle: --at .text=0x2000000 --at .data=0x2100000 --at .arm=0x2090000 --at .thumb2=0x2080000 --at .e_max=0x2010000 --at .t_max=0x3010000 --at .e_min=0x2020000 --at .t_min=0x1020004 --at .e_blx=0x2030000 --at .e_j19=0x2040000 --at .t19_max=0x2140002 --at .t19_min=0x1f40008 --at .e_j11=0x2050000 --at .t11_max=0x2050802 --at .t11_min=0x204f806 --at .t8_max=0x2050106 --at .t8_min=0x204ff0a --defsym ext_arm=0x2400000 --defsym ext_data=0x2500001 --defsym blx_max=0x3030004 --defsym blx_min=0x1030004
@ Thumb-2 code (ARMv7-A) against GNU ld: every Thumb relocation type ld resolves the
@ same way elfmod does, BL/BLX both ways, negative addends, every branch's range edges.
@ Imports given with --defsym are even (ARM code): ld takes a --defsym symbol for ARM code
@ whatever its bit 0, elfmod goes by bit 0. Thumb targets are Thumb functions here.
	.syntax unified
	.arch	armv7-a
	.thumb
	.weak	wk
	.type	wk, %function

	.text
	.globl	thm_main
	.type	thm_main, %function
thm_main:
	bl	ext_arm			@ THM_CALL to ARM code: BLX, P a word boundary
	bl	ext_arm + 0x40
	nop
	bl	ext_arm			@ BLX with P = 2 mod 4: counts from P rounded down
	blx	ext_arm			@ stays BLX
	blx	ext_arm - 0x1000	@ negative addend
	bl	arm_fn			@ BLX to an ARM function of the module
	bl	thm_fn			@ BL to Thumb code
	blx	thm_fn			@ BLX to Thumb code becomes BL
	bl	thm_fn + 8
	bl	thm_main		@ backwards
	b.w	thm_fn			@ THM_JUMP24
	b.w	thm_main
	beq.w	thm_fn			@ THM_JUMP19
	bne.w	thm_main
	bl	wk			@ undefined weak: NOP.W
	b.w	wk
	movw	r0, #:lower16:ext_data		@ THM_MOVW_ABS_NC
	movt	r0, #:upper16:ext_data		@ THM_MOVT_ABS
	movw	r1, #:lower16:ext_data + 0x7ffe
	movt	r1, #:upper16:ext_data + 0x7fff
	movw	r2, #:lower16:ext_data - 0x8000
	movt	r2, #:upper16:ext_data - 0x8000
	movw	r3, #:lower16:thm_fn		@ Thumb bit
	movt	r3, #:upper16:thm_fn
	movw	r4, #:lower16:ext_data - .	@ THM_MOVW_PREL_NC
	movt	r4, #:upper16:ext_data - .	@ THM_MOVT_PREL
	movw	r5, #:lower16:thm_main - . - 0x20
	movt	r5, #:upper16:thm_main - . - 0x20
	movw	r6, #:lower16:thm_fn - .
	movt	r6, #:upper16:thm_fn - .
	movw	r7, #:lower16:arm_fn
	movt	r7, #:upper16:arm_fn
	bx	lr

	.data
	.word	thm_fn			@ ABS32, Thumb bit
	.word	thm_fn + 2
	.word	arm_fn
	.word	thm_fn - .		@ REL32
	.word	ext_data - . - 0x100
	.word	thm_fn(TARGET1)
	.reloc	., R_ARM_PREL31, thm_fn	@ PREL31 to Thumb code
	.word	0x80000000
	.reloc	., R_ARM_PREL31, arm_fn
	.word	0x7ffffffc
	.byte	1, 2, 3
	.word	thm_fn			@ unaligned
	.byte	4

	.section .arm, "ax", %progbits
	.arm
	.type	arm_fn, %function
arm_fn:
	bx	lr
	.thumb

	.section .thumb2, "ax", %progbits
	.type	thm_fn, %function
thm_fn:
	bx	lr

@ Range edges: BL and B.W +-16 MiB. Forward, GNU ld makes a veneer already at
@ P + 4 + 0xfffffe (it measures to the Thumb address, bit 0 set): one halfword short
@ here, the exact edge is a unit test.
	.section .e_max, "ax", %progbits
	bl	t_bl_max		@ P + 4 + 0xfffffc
	b.w	t_bw_max
	.section .t_max, "ax", %progbits
	.type	t_bl_max, %function
t_bl_max:
	bx	lr
	nop
	.type	t_bw_max, %function
t_bw_max:
	bx	lr
	.section .e_min, "ax", %progbits
	bl	t_bl_min		@ P + 4 - 0x1000000
	b.w	t_bw_min
	.section .t_min, "ax", %progbits
	.type	t_bl_min, %function
t_bl_min:
	bx	lr
	nop
	.type	t_bw_min, %function
t_bw_min:
	bx	lr

@ BLX: from P + 4 rounded down to a word, -0x1000000 and +0xfffffc. (Backwards from
@ P = 2 mod 4, ld makes a veneer although BLX reaches: it measures from P.)
	.section .e_blx, "ax", %progbits
	bl	blx_min
	nop
	bl	blx_max			@ P = 2 mod 4

@ B<c>.W +-1 MiB.
	.section .e_j19, "ax", %progbits
	beq.w	t19_max			@ P + 4 + 0xffffe
	bne.w	t19_min			@ P + 4 - 0x100000
	.section .t19_max, "ax", %progbits
	.type	t19_max, %function
t19_max:
	bx	lr
	.section .t19_min, "ax", %progbits
	.type	t19_min, %function
t19_min:
	bx	lr

@ B (16-bit) +-2 KiB, B<c> (16-bit) +-256 bytes.
	.section .e_j11, "ax", %progbits
	b.n	t11_max			@ P + 4 + 2046
	b.n	t11_min			@ P + 4 - 2048
	beq.n	t8_max			@ P + 4 + 254
	bne.n	t8_min			@ P + 4 - 256
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
