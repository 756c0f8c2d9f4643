# oracle: --at .edges=0x40000000 --defsym e_call_max=0xbffff7fe --defsym e_call_min=-0x400007f8 --defsym e_jal_max=0x4010000e --defsym e_jal_min=0x3ff00014 --defsym e_br_max=0x40001016 --defsym e_br_min=0x3ffff01c --defsym e_cj_max=0x4000081e --defsym e_cj_min=0x3ffff822 --defsym e_cb_max=0x40000122 --defsym e_cb_min=0x3fffff26 --defsym e_pc_max=0xbffff827 --defsym e_pc_min=0x2c --defsym e_pc_round=0x4000082f --defsym e_pc_round2=0x40000834 --defsym e_hi_max=0x7ffff7ff --defsym e_hi_7ff=0x123457ff --defsym e_hi_800=0x12345800 --defsym e_abs32_max=0xffffffff
# RV32 range edges (elfmod checks RV32 values modulo 2^32, as the hardware computes
# them; the negative edges that need addresses below 0 are left to tests/reloc_riscv).
	.option norelax
	.section .edges, "ax", %progbits
	call	e_call_max		# +0x00 CALL_PLT +0x7ffff7fe
	call	e_call_min		# +0x08 CALL_PLT -0x80000800 (the target wraps below 0)
	jal	e_jal_max		# +0x10 JAL +2^20-2
	jal	e_jal_min		# +0x14 JAL -2^20
	.reloc	., R_RISCV_BRANCH, e_br_max
	beq	a0, a1, .		# +0x18 BRANCH +2^12-2
	.reloc	., R_RISCV_BRANCH, e_br_min
	bgeu	a0, a1, .		# +0x1c BRANCH -2^12
	.reloc	., R_RISCV_RVC_JUMP, e_cj_max
	c.j	.			# +0x20 RVC_JUMP +2^11-2
	.reloc	., R_RISCV_RVC_JUMP, e_cj_min
	c.jal	.			# +0x22 RVC_JUMP -2^11
	.reloc	., R_RISCV_RVC_BRANCH, e_cb_max
	c.beqz	a0, .			# +0x24 RVC_BRANCH +2^8-2
	.reloc	., R_RISCV_RVC_BRANCH, e_cb_min
	c.bnez	a5, .			# +0x26 RVC_BRANCH -2^8
	auipc	a0, %pcrel_hi(e_pc_max)	# +0x28 PCREL_HI20 +0x7ffff7ff
	auipc	a0, %pcrel_hi(e_pc_min)	# +0x2c PCREL_HI20 -2^30
	auipc	a0, %pcrel_hi(e_pc_round)	# +0x30 PCREL_HI20 +0x7ff (rounds down)
	auipc	a0, %pcrel_hi(e_pc_round2)	# +0x34 PCREL_HI20 +0x800 (rounds up)
	lui	a0, %hi(e_hi_max)	# +0x38 HI20 0x7ffff7ff
	lui	a0, %hi(e_hi_7ff)	# +0x3c HI20 rounds down
	lui	a0, %hi(e_hi_800)	# +0x40 HI20 rounds up
	.word	e_abs32_max		# +0x44 32 0xffffffff
	addi	a0, a0, %lo(e_hi_7ff)	# +0x48 LO12_I 0x7ff
	addi	a0, a0, %lo(e_hi_800)	# +0x4c LO12_I -0x800
	sw	a0, %lo(e_hi_7ff)(a0)	# +0x50 LO12_S 0x7ff
	sb	a0, %lo(e_hi_800)(a0)	# +0x54 LO12_S -0x800
