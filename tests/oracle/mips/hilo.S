# oracle: --at .text=0x2000000 --at .data=0x2107ff0 --defsym ext=0x12348000 --defsym lo7fff=0x7fff --defsym top=0xffff8000
# oracle-as: -G0
# HI16/LO16 pairs against GNU ld: the HI16 takes its low half from the next LO16 against
# the same symbol (several HI16 may share one LO16), and carries into the high half when
# the low half is 0x8000 or more. Needs the generic code's RF_PAIR_NEXT look-ahead.
	.option	pic0
	.set	noreorder

	.text
	lui	$2, %hi(ext)			# low half 0x8000: carry
	addiu	$2, $2, %lo(ext)
	lui	$2, %hi(ext - 1)		# 0x7fff: none
	addiu	$2, $2, %lo(ext - 1)
	lui	$2, %hi(ext + 0x12345)		# addend across the halves
	lw	$3, %lo(ext + 0x12345)($2)
	lui	$2, %hi(ext - 0x10000)		# negative addend
	sw	$3, %lo(ext - 0x10000)($2)
	lui	$2, %hi(lo7fff)
	addiu	$2, $2, %lo(lo7fff)
	lui	$2, %hi(lo7fff + 1)		# 0x8000: carry from the addend
	addiu	$2, $2, %lo(lo7fff + 1)
	lui	$2, %hi(top)			# wraps to 0
	addiu	$2, $2, %lo(top)
	lui	$2, %hi(top + 0x7fff)
	addiu	$2, $2, %lo(top + 0x7fff)
	# Two HI16 and a LO16 against the section symbol .data: one shared low half.
	lui	$4, %hi(d + 4)
	lui	$5, %hi(d + 4)
	lw	$6, %lo(d + 4)($5)
	# .data starts at 0x2107ff0: d + 0x10 is 0x2108000, past the carry boundary.
	lui	$4, %hi(d + 0x10)
	lw	$6, %lo(d + 0x10)($4)
	lui	$4, %hi(d + 0xf)
	lbu	$6, %lo(d + 0xf)($4)
	lui	$4, %hi(e)
	lhu	$6, %lo(e)($4)
	jr	$31
	nop

	.data
d:	.word	0, 1, 2, 3, 4, 5
e:	.half	4
