# oracle: --base 0x2108000 --at .text=0x2000000 --at .sdata=0x2110000 --defsym _gp=0x2110020 --defsym gp_min=0x2108020 --defsym gp_max=0x211801f --defsym ext=0x2112345
# oracle-as: -G0
# GP-relative references (GPREL16, GPREL32) against GNU ld. elfmod's _gp is its GOT
# plus 0x7ff0, and its GOT is the last thing of the read-only region it places from
# --base: after .reginfo (24 bytes) and .MIPS.abiflags (24 bytes), at 0x2108030, so
# _gp = 0x2110020, which ld is given. The 16-bit offsets reach -0x8000 .. 0x7fff.
	.option	pic0
	.set	noreorder

	.text
	addiu	$2, $gp, %gp_rel(gp_min)	# -0x8000
	addiu	$2, $gp, %gp_rel(gp_max)	# 0x7fff
	lw	$3, %gp_rel(ext)($gp)
	lw	$3, %gp_rel(ext - 0x2344)($gp)	# negative addend
	sw	$4, %gp_rel(small)($gp)		# against the section symbol .sdata
	lh	$5, %gp_rel(small + 6)($gp)
	addiu	$2, $gp, %gp_rel(gp_max - 0x7fff)	# 0 by the addend

	.section .sdata, "aw"
small:
	.word	1, 2, 3
	.reloc	., R_MIPS_GPREL32, ext
	.word	0
	.reloc	., R_MIPS_GPREL32, small
	.word	-0x100				# negative addend, below _gp
	.reloc	., R_MIPS_GPREL32, gp_max
	.word	0x12345678
	.byte	0
	.reloc	., R_MIPS_GPREL32, ext		# unaligned
	.byte	0xfe, 0xff, 0xff, 0xff
