# oracle: --at .text=0x20000ffc --at .data=0x20100000 --defsym ext_data=0x20345678 --defsym ext_7ff=0x200017ff --defsym ext_800=0x20001800 --defsym ext_back=0x1fff0000
# PC-relative pairs: AUIPC with R_RISCV_PCREL_HI20 and the loads, stores and adds
# with R_RISCV_PCREL_LO12_I/S that name the AUIPC's label. The low part is that of
# the AUIPC's own S + A - P, found by elfmod's generic pairing; the cases cross the
# 0x800 rounding both ways, go backwards, share one AUIPC among several partners,
# and put a partner before its AUIPC in the table (a branch back to the AUIPC).
	.option norelax
	.option rvc
	.text
	.globl	f
f:
1:	auipc	a0, %pcrel_hi(ext_data)
	addi	a0, a0, %pcrel_lo(1b)
2:	auipc	a1, %pcrel_hi(ext_7ff)
	lw	a1, %pcrel_lo(2b)(a1)
3:	auipc	a2, %pcrel_hi(ext_800)
	sw	a2, %pcrel_lo(3b)(a2)
4:	auipc	a3, %pcrel_hi(ext_back)
	ld	a3, %pcrel_lo(4b)(a3)
	sd	a3, %pcrel_lo(4b)(a3)
	addi	a4, a3, %pcrel_lo(4b)
5:	auipc	t0, %pcrel_hi(d2 + 0x7f0)
	lbu	t1, %pcrel_lo(5b)(t0)
	sh	t1, %pcrel_lo(5b)(t0)
6:	auipc	t2, %pcrel_hi(d2 - 0x10)
	c.j	7f
	.balign	4
8:	flw	ft0, %pcrel_lo(6b)(t2)
	fsd	ft0, %pcrel_lo(6b)(t2)
	ret
7:	lla	a5, d2 + 4
	j	8b
9:	auipc	t3, %pcrel_hi(f)
	jalr	ra, %pcrel_lo(9b)(t3)

	.data
	.globl	d2
	.word	0
d2:
	.word	1
