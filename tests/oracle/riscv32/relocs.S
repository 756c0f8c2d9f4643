# oracle: --at .text=0x20001000 --at .data=0x20040000 --at .rodata=0x20080000 --defsym ext_fn=0x22000000 --defsym ext_near=0x20081234 --defsym ext_data=0x20345678 --defsym ext_lo=0x7ff --defsym ext_round=0x12345800 --defsym ext_neg=-0x1234
# RV32 (rv32imac, ilp32): the relocation types of an ELFCLASS32 object, against
# imports, other sections and global symbols of the same section, with addends,
# unaligned data, C.JAL (RV32 only) and a PCREL pair. Edges are in edges.S.
	.option norelax
	.text
	.globl	f, g, near
	.weak	weak_fn
f:
	call	ext_fn
	tail	ext_fn
	call	ext_fn - 0x1000
	call	g
	.reloc	., R_RISCV_CALL, ext_fn + 4
	auipc	ra, 0
	jalr	ra, 0(ra)
	call	weak_fn
	jal	g
	jal	zero, near + 8
	jal	ext_near
	beq	a0, a1, g
	bltu	a2, a3, f
	c.j	g
	c.jal	f
	c.jal	near
	c.beqz	a0, near
	c.bnez	s1, f
	lui	a0, %hi(ext_data)
	addi	a0, a0, %lo(ext_data)
	lui	a1, %hi(ext_lo)
	sw	a1, %lo(ext_lo)(a1)
	lui	a2, %hi(ext_round)
	lw	a2, %lo(ext_round)(a2)
	lui	a3, %hi(ext_neg)
	sh	a3, %lo(ext_neg)(a3)
1:	auipc	a4, %pcrel_hi(d1 + 0x7ff)
	lw	a4, %pcrel_lo(1b)(a4)
	sw	a4, %pcrel_lo(1b)(a4)
near:
	nop
g:
	ret
	.byte	g - f
	.2byte	g - f
	.4byte	near - f
	.balign 4

	.data
	.globl	d1
d1:
	.word	ext_data
	.word	ext_data + 0x10
	.byte	0
	.word	ext_neg            # unaligned
	.word	f - 8
	.reloc	., R_RISCV_32_PCREL, ext_data
	.word	0
	.byte	2
	.reloc	., R_RISCV_32_PCREL, g - 0x10     # unaligned
	.word	0
	.reloc	., R_RISCV_SET8, g
	.reloc	., R_RISCV_SUB8, f
	.byte	0
	.reloc	., R_RISCV_SET16, g + 0x100
	.reloc	., R_RISCV_SUB16, f
	.2byte	0
	.reloc	., R_RISCV_SET32, ext_data
	.reloc	., R_RISCV_SUB32, f
	.4byte	0
	.reloc	., R_RISCV_SET6, near
	.reloc	., R_RISCV_SUB6, f
	.byte	0xc0
	.reloc	., R_RISCV_ADD16, ext_data
	.2byte	0x1234
	.balign 4

	.section .rodata, "a"
	.word	d1
	.word	d1 - 4
