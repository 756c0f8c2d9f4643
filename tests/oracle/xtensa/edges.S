# oracle: --at .text=0x40100100 --at .data=0x3ffe8000 --defsym litfar=0x400c0100 --defsym litnear=0x40100100 --defsym chi=0x40180104 --defsym clo=0x4008010c --defsym jhi=0x4012010f --defsym jlo=0x400e0113 --defsym bhi=0x40100915 --defsym blo=0x400ff919 --defsym b8hi=0x4010019b --defsym b8lo=0x4010009f --defsym i8hi=0x401001a1 --defsym u8lo=0x401000a5 --defsym x8hi=0x401001a7 --defsym nhi=0x4010016a --defsym nlo=0x4010012d
#
# Every SLOT0_OP instruction format at the ends of its reach, against absolute
# symbols whose values were worked out by hand from .text = 0x40100100 (T):
#   L32R   base (P + 3) & ~3, offset -2^18 .. -4 (words)
#   CALL0  base (P & ~3) + 4, offset -2^19 .. 2^19 - 4 (words)
#   J      base P + 4, offset -2^17 .. 2^17 - 1
#   BRI12  base P + 4, -2048 .. 2047; BRI8/RRI8 -128 .. 127; BxZ.N 0 .. 63
# The instructions are spelled as bytes with an explicit .reloc, because gas would
# rewrite a branch to an undefined symbol into an inverted branch around a J.
# Odd places (P & 3 != 0) check the rounding of the L32R and CALL bases.

	.text
	.reloc	., R_XTENSA_SLOT0_OP, litfar	# T+0: l32r a2, T - 0x40000
	.byte	0x21, 0x00, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, litnear	# T+3: l32r a3, base T+4, offset -4
	.byte	0x31, 0x00, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, chi	# T+6: call0, base T+8, +0x7fffc
	.byte	0x05, 0x00, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, clo	# T+9: call0, base T+12, -0x80000
	.byte	0x05, 0x00, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, jhi	# T+12: j, T+16 + 0x1ffff
	.byte	0x06, 0x00, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, jlo	# T+15: j, T+19 - 0x20000
	.byte	0x06, 0x00, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, bhi	# T+18: beqz a2, T+22 + 2047
	.byte	0x16, 0x02, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, blo	# T+21: bnez a2, T+25 - 2048
	.byte	0x56, 0x02, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, b8hi	# T+24: beq a2, a3, T+28 + 127
	.byte	0x37, 0x12, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, b8lo	# T+27: bne a2, a3, T+31 - 128
	.byte	0x37, 0x92, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, i8hi	# T+30: beqi a2, 5, T+34 + 127
	.byte	0x26, 0x52, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, u8lo	# T+33: bltui a2, 16, T+37 - 128
	.byte	0xb6, 0xb2, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, x8hi	# T+36: bbsi a2, 3, T+40 + 127
	.byte	0x37, 0xe2, 0x00
	.reloc	., R_XTENSA_SLOT0_OP, nhi	# T+39: bnez.n a2, T+43 + 63
	.byte	0xcc, 0x02
	.reloc	., R_XTENSA_SLOT0_OP, nlo	# T+41: beqz.n a2, T+45 + 0
	.byte	0x8c, 0x02
	.byte	0x0d, 0xf0			# T+43: ret.n, so no field ends the section

	.data
	.4byte	0
	.reloc	., R_XTENSA_32, litfar - 0x400c0100	# S + A = 0: the stored word stays
	.4byte	0xdeadbeef
	.reloc	., R_XTENSA_32, chi + 0x7fffffff	# wraps modulo 2^32
	.4byte	0x80000000
	.reloc	., R_XTENSA_32_PCREL, clo		# backwards across the 1 GiB gap
	.4byte	0
