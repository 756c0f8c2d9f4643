# oracle: --at .text=0x2000000 --at .data=0x2100000 --at .e_seg0=0xffffff8 --at .e_seg1=0xffffffc --at .e_pc=0x2200000 --at .e_pc2=0x2300000 --defsym ext=0x2400000 --defsym j_max=0xffffffc --defsym j_min=0x0 --defsym s1_min=0x10000000 --defsym pc_max=0x2220000 --defsym pc_min=0x21e000c --defsym ext_d=0x80001234 --defsym near=0x2010000 --defsym zero=0
# oracle-as: -G0
# MIPS32 o32, non-PIC (as -mno-shared with .option pic0), against GNU ld: every type
# except HI16/LO16 (hilo.S), the GP-relative ones (gprel.S) and the GOT ones. J/JAL at
# both ends of their 256 MiB segment (the segment of the delay slot, P + 4), branches at
# both ends of their +-128 KiB, negative addends, unaligned data words. Every import is
# in reach: out-of-reach calls through stubs are unit-tested.
	.option	pic0
	.set	noreorder
	.set	nomacro

	.text
	.globl	fn
fn:
	jal	ext			# R_MIPS_26 to an import
	nop
	jal	ext - 8			# negative addend
	nop
	j	ext + 0x100
	nop
	jal	local_fn		# against the section symbol .text
	nop
	j	fn + 4
	nop
	jal	j_max			# the segment's last word
	nop
	jal	j_min			# and its first
	nop
	bal	near			# R_MIPS_PC16 to an import
	nop
	beq	$4, $5, near + 0x10
	nop
	bnez	$2, near - 0x100
	nop
local_fn:
	jr	$31
	nop

	.section .e_seg0, "ax"
	jal	j_max			# delay slot at 0xffffffc: segment 0
	.section .e_seg1, "ax"
	jal	s1_min			# delay slot at 0x10000000: segment 1

	.section .e_pc, "ax"
	b	pc_max			# +0x1fffc from the delay slot
	nop
	bal	pc_min			# -0x20000 from the delay slot
	nop
	.section .e_pc2, "ax"
	bgez	$3, data_fn		# to another section of the module
	nop
	blez	$3, data_fn - 4
	nop
data_fn:
	jr	$31
	nop

	.data
	.word	ext			# R_MIPS_32
	.word	ext - 4
	.word	ext_d + 0x7fffedcb	# wraps
	.word	fn + 8			# section symbol
	.word	local_fn
	.byte	1
	.word	ext + 0x10		# unaligned
	.byte	2, 3, 4
	.word	ext - .			# R_MIPS_PC32
	.word	fn - . + 0x20
	.word	ext_d - .
	.byte	5
	.word	data_fn - .		# unaligned
	.byte	6, 7, 8
	.reloc	., R_MIPS_16, half_max
	.half	2			# 0x7ffd + 2: the largest
	.reloc	., R_MIPS_16, zero
	.half	-0x8000			# the smallest
	.reloc	., R_MIPS_16, half_max
	.half	-0x8000
	.set	half_max, 0x7ffd
