# oracle: --at .literal=0x40100000 --at .text=0x40100100 --at .data=0x3ffe8000 --defsym ext=0x40101000 --defsym var=0x3ffe9000
#
# Code as the lx106 compiler writes it: literals in .literal below .text (L32R only
# reaches backwards), explicit CALL0 (an l32r + callx0 pair against a symbol defined
# in the link would be turned into CALL0 by ld), J, and branches to local labels,
# which gas leaves as SLOT0_OP relocations against .text for the linker to resolve.
# Data words (R_XTENSA_32) with negative addends and at odd addresses, 32_PCREL,
# and symbol differences in code (PDIFF*, NDIFF*), which ld leaves as stored.

	.literal_position
	.literal .Lvar, var
	.literal .Lvarm, var - 8
	.literal .Lext, ext + 3
	.literal .Ltab, table

	.text
	.align	4
	.global	f
f:
	l32r	a2, .Lvar
	l32r	a3, .Lvarm
	l32r	a4, .Lext
	l32r	a5, .Ltab
	call0	g
	call0	ext
	beqz	a2, 1f
	bnez	a3, 2f
	bltz	a4, 1f
	bgez	a5, 2f
1:	beq	a2, a3, 2f
	bne	a2, a3, f
	bltu	a2, a3, 3f
	bbci	a2, 3, 3f
	bbsi	a2, 31, f
	beqi	a2, 5, 3f
	bnei	a2, -1, f
	bltui	a2, 16, 3f
	bgeui	a2, 65536, 3f
2:	bnez.n	a2, 3f
	beqz.n	a3, 3f
	nop
3:	j	ext
	j	f
	ret.n
	.word	3b - f
	.byte	3b - 1b
	.short	2b - 1b
	.4byte	f - 3b
	.byte	1b - 3b
	.2byte	1b - 3b

	.align	4
g:	ret

	.data
	.byte	0x11
table:	.4byte	f
	.4byte	g + 3
	.4byte	ext - 4
	.4byte	var - 0x80000000
	.4byte	table - 1
	.byte	0x22, 0x33
	.reloc	., R_XTENSA_32_PCREL, ext
	.4byte	0
	.reloc	., R_XTENSA_32_PCREL, table - 16
	.4byte	0
	.reloc	., R_XTENSA_32, ext + 1
	.4byte	0x1000
