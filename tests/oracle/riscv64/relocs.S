# oracle: --at .text=0x10001000 --at .data=0x10040000 --at .rodata=0x10080000 --defsym ext_fn=0x12000000 --defsym ext_near=0x10081234 --defsym ext_data=0x10345678 --defsym ext_lo=0x7ff --defsym ext_round=0x12345800 --defsym ext_neg=-0x1234 --defsym ext_big=0xfedcba9876543210
# Every RISC-V relocation type elfmod implements that GNU ld resolves the same way
# in a static link with --no-relax, against imports (--defsym), symbols of other
# sections and global symbols of the same section, with positive and negative
# addends and unaligned data. Left out: GOT_HI20 (ld lays out its own GOT;
# tests/reloc_riscv checks it) and out-of-range calls (ld would fail; elfmod uses a
# stub). Range edges are in edges.S; PCREL_LO12 pairs in pairs.S.
	.option norelax
	.option rvc
	.text
	.globl	f, g, near
	.weak	weak_fn
f:
	# CALL_PLT (call, tail) and CALL (gas makes CALL for an explicit %call).
	call	ext_fn
	tail	ext_fn
	call	ext_fn + 0x40
	call	ext_fn - 0x1000
	call	g
	call	f
	.reloc	., R_RISCV_CALL, ext_fn + 4
	auipc	ra, 0
	jalr	ra, 0(ra)
	# An undefined weak function: ld and elfmod both jump to address 0.
	call	weak_fn
	tail	weak_fn
	# JAL, BRANCH: forwards, backwards, to another section.
	jal	g
	jal	ra, f
	jal	zero, near + 8
	j	g
	jal	ext_near
	beq	a0, a1, g
	bne	a2, a3, f
	blt	a0, zero, near - 2
	bgeu	t0, t1, near
	# Compressed: C.J, C.JAL is RV32 only, C.BEQZ, C.BNEZ.
	c.j	g
	c.j	f
	c.beqz	a0, near
	c.bnez	s1, f
	# Absolute HI20 / LO12_I / LO12_S, with rounding across 0x800 and negative values.
	lui	a0, %hi(ext_data)
	addi	a0, a0, %lo(ext_data)
	lui	a1, %hi(ext_lo)
	addi	a1, a1, %lo(ext_lo)
	lui	a2, %hi(ext_round)
	lw	a2, %lo(ext_round)(a2)
	lui	a3, %hi(ext_neg)
	sw	a3, %lo(ext_neg)(a3)
	lui	a4, %hi(d1 + 0x7ff)
	sd	a4, %lo(d1 + 0x7ff)(a4)
	lui	a5, %hi(d1 - 0x801)
	ld	a5, %lo(d1 - 0x801)(a5)
	lui	a5, %hi(g)
	jalr	a5, %lo(g)(a5)
near:
	nop
	.balign 4
g:
	ret
	# Label differences in code: ADD/SUB pairs (gas keeps them for a relaxing linker).
	.byte	g - f
	.2byte	g - f
	.4byte	near - f
	.8byte	g - f
	.balign 4

	.data
	.globl	d1
d1:
	.word	ext_data
	.word	ext_data + 0x10
	.byte	0
	.word	ext_neg            # unaligned
	.dword	ext_big
	.dword	f - 8
	.byte	1
	.dword	ext_big + 1        # unaligned
	.reloc	., R_RISCV_32_PCREL, ext_data
	.word	0
	.reloc	., R_RISCV_32_PCREL, f + 4
	.word	0
	.byte	2
	.reloc	., R_RISCV_32_PCREL, g - 0x10     # unaligned
	.word	0
	# SET/SUB as assemblers emit them for DWARF advances: SET then SUB at one place.
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
	.reloc	., R_RISCV_SET6, g + 1
	.byte	0x40
	.reloc	., R_RISCV_SUB6, f
	.byte	0x85
	.reloc	., R_RISCV_SET32, ext_big
	.4byte	0x12345678
	.reloc	., R_RISCV_ADD64, ext_big
	.reloc	., R_RISCV_SUB64, ext_data
	.8byte	0x1000
	.balign 8

	.section .rodata, "a"
	.word	d1
	.word	d1 - 4
	.dword	g
