# oracle: --at .text=0x10002000 --at .data=0x10050000 --at .eh_frame=0x10060000 --defsym ext_fn=0x10400000 --defsym ext_data=0x10345678
# Assembled for a relaxing linker (no .option norelax): gas adds R_RISCV_RELAX to
# every relaxable sequence and ADD/SUB/SET6/SUB6 pairs for label differences, CFI
# advances included. elfmod does not relax, like `ld --no-relax`. No alignment in
# code here: for R_RISCV_ALIGN gas pads with the most NOPs the alignment could need
# and ld deletes the excess even with --no-relax, while elfmod cannot move code: it
# keeps them where they already align the code and refuses the module otherwise
# (tests/reloc_riscv, tests/baremetal_rv32), so the two cannot be byte-identical.
	.option rvc
	.text
	.globl	f, g
f:
	.cfi_startproc
	addi	sp, sp, -16
	.cfi_def_cfa_offset 16
	sd	ra, 8(sp)
	.cfi_offset ra, -8
	call	ext_fn
	lla	a0, d3
	la	a1, d3 + 8
	lui	a2, %hi(ext_data)
	addi	a2, a2, %lo(ext_data)
	tail	g
	.cfi_endproc
g:
	.cfi_startproc
	nop
	ret
	.cfi_endproc
	.word	g - f
	.byte	g - f
	.data
d3:
	.dword	g - f
	.dword	0
