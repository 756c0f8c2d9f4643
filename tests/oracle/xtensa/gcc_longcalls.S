# oracle: --at .literal=0x40100000 --at .text=0x40100100 --at .rodata=0x3ffe8800 --defsym ext=0x40101000 --defsym tab=0x3ffe9000
# oracle-as: --longcalls
#
# What xtensa-lx106-elf-gcc -O2 -mlongcalls -S makes of a small C file, assembled with
# --longcalls as gcc -c would (gas expands each call0 into l32r + callx0, marked ASM_EXPAND;
# ld --no-relax leaves the pair), a call0 to a local function, a jump table in .rodata
# with R_XTENSA_32 entries, literals for constants and addresses).
	.file	"c.c"
	.text
	.literal_position
	.literal .LC0, tab
	.align	4
	.global	g
	.type	g, @function
g:
	addi	sp, sp, -16
	s32i.n	a12, sp, 8
	s32i.n	a0, sp, 12
	mov.n	a12, a2
	call0	ext
	l32r	a4, .LC0
	extui	a3, a12, 0, 3
	addx4	a3, a3, a4
	l32i.n	a3, a3, 0
	l32i.n	a0, sp, 12
	add.n	a12, a12, a3
	addx2	a2, a2, a2
	add.n	a2, a12, a2
	l32i.n	a12, sp, 8
	addi	sp, sp, 16
	ret.n
	.size	g, .-g
	.literal_position
	.literal .LC1, .L8
	.literal .LC2, 12345678
	.align	4
	.global	f
	.type	f, @function
f:
	addi	sp, sp, -48
	s32i.n	a14, sp, 32
	s32i.n	a0, sp, 44
	s32i.n	a12, sp, 40
	s32i.n	a13, sp, 36
	s32i.n	a15, sp, 28
	s32i.n	a3, sp, 0
	mov.n	a14, a2
	blti	a3, 1, .L14
	mov.n	a12, a2
	add.n	a13, a3, a2
	movi.n	a15, 0
.L5:
	mov.n	a2, a12
	call0	g
	addi.n	a12, a12, 1
	add.n	a15, a15, a2
	bne	a12, a13, .L5
	j	.L4
.L14:
	movi.n	a15, 0
.L4:
	bgeui	a14, 6, .L6
	l32r	a2, .LC1
	addx4	a14, a14, a2
	l32i.n	a2, a14, 0
	jx	a2
	.section	.rodata
	.align	4
	.align	4
.L8:
	.word	.L13
	.word	.L3
	.word	.L11
	.word	.L10
	.word	.L9
	.word	.L7
	.text
.L13:
	movi.n	a15, 5
	j	.L3
.L11:
	l32i.n	a15, sp, 0
	j	.L3
.L10:
	movi.n	a15, 7
	j	.L3
.L9:
	l32i.n	a2, sp, 0
	add.n	a15, a15, a2
	j	.L3
.L7:
	movi.n	a15, 9
	j	.L3
.L6:
	l32r	a2, .LC2
	add.n	a15, a15, a2
.L3:
	l32i.n	a0, sp, 44
	mov.n	a2, a15
	l32i.n	a12, sp, 40
	l32i.n	a13, sp, 36
	l32i.n	a14, sp, 32
	l32i.n	a15, sp, 28
	addi	sp, sp, 48
	ret.n
	.size	f, .-f
	.ident	"GCC: (12.2.0-14+deb12u1+13+b2) 12.2.0"
