# oracle: --at .edges=0x40000000 --defsym e_call_max=0xbffff7fe --defsym e_call_min=-0x400007f8 --defsym e_jal_max=0x4010000e --defsym e_jal_min=0x3ff00014 --defsym e_br_max=0x40001016 --defsym e_br_min=0x3ffff01c --defsym e_cj_max=0x4000081e --defsym e_cj_min=0x3ffff822 --defsym e_cb_max=0x40000122 --defsym e_cb_min=0x3fffff26 --defsym e_pc_max=0xbffff827 --defsym e_pc_min=-0x400007d4 --defsym e_pc_round=0x4000082f --defsym e_pc_round2=0x40000834 --defsym e_pc32_max=0xc0000047 --defsym e_pc32_min=-0x3fffffb4 --defsym e_hi_max=0x7ffff7ff --defsym e_hi_min=-0x80000800 --defsym e_hi_7ff=0x123457ff --defsym e_hi_800=0x12345800 --defsym e_abs32_max=0xffffffff --defsym e_abs32_min=-0x80000000
# RISC-V range edges: every checked field at its largest and smallest value. Each
# target is an absolute symbol placed by the header relative to the instruction's
# offset in .edges (noted on its line), so that the distance is exactly the edge.
# One past each edge is refused by both ld and elfmod (tests/reloc_riscv checks
# elfmod's side). The branches use .reloc because gas would turn a branch to an
# undefined symbol into a branch around a JAL.
	.option norelax
	.option rvc
	.section .edges, "ax", %progbits
	call	e_call_max		# +0x00 CALL_PLT +0x7ffff7fe (hi 0x7ffff, lo 0x7fe)
	call	e_call_min		# +0x08 CALL_PLT -0x80000800
	jal	e_jal_max		# +0x10 JAL +2^20-2
	jal	e_jal_min		# +0x14 JAL -2^20
	.reloc	., R_RISCV_BRANCH, e_br_max
	beq	a0, a1, .		# +0x18 BRANCH +2^12-2
	.reloc	., R_RISCV_BRANCH, e_br_min
	bgeu	a0, a1, .		# +0x1c BRANCH -2^12
	.reloc	., R_RISCV_RVC_JUMP, e_cj_max
	c.j	.			# +0x20 RVC_JUMP +2^11-2
	.reloc	., R_RISCV_RVC_JUMP, e_cj_min
	c.j	.			# +0x22 RVC_JUMP -2^11
	.reloc	., R_RISCV_RVC_BRANCH, e_cb_max
	c.beqz	a0, .			# +0x24 RVC_BRANCH +2^8-2
	.reloc	., R_RISCV_RVC_BRANCH, e_cb_min
	c.bnez	a5, .			# +0x26 RVC_BRANCH -2^8
	auipc	a0, %pcrel_hi(e_pc_max)	# +0x28 PCREL_HI20 +0x7ffff7ff
	auipc	a0, %pcrel_hi(e_pc_min)	# +0x2c PCREL_HI20 -0x80000800
	auipc	a0, %pcrel_hi(e_pc_round)	# +0x30 PCREL_HI20 +0x7ff (rounds down)
	auipc	a0, %pcrel_hi(e_pc_round2)	# +0x34 PCREL_HI20 +0x800 (rounds up)
	lui	a0, %hi(e_hi_max)	# +0x38 HI20 0x7ffff7ff
	lui	a0, %hi(e_hi_min)	# +0x3c HI20 -0x80000800
	lui	a0, %hi(e_hi_7ff)	# +0x40 HI20 rounds down
	lui	a0, %hi(e_hi_800)	# +0x44 HI20 rounds up
	.reloc	., R_RISCV_32_PCREL, e_pc32_max
	.word	0			# +0x48 32_PCREL +2^31-1
	.reloc	., R_RISCV_32_PCREL, e_pc32_min
	.word	0			# +0x4c 32_PCREL -2^31
	.word	e_abs32_max		# +0x50 32 0xffffffff
	.word	e_abs32_min		# +0x54 32 -2^31
	addi	a0, a0, %lo(e_hi_7ff)	# +0x58 LO12_I 0x7ff
	addi	a0, a0, %lo(e_hi_800)	# +0x5c LO12_I -0x800
	sw	a0, %lo(e_hi_7ff)(a0)	# +0x60 LO12_S 0x7ff
	sb	a0, %lo(e_hi_800)(a0)	# +0x64 LO12_S -0x800
