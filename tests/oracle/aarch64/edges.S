// oracle: --at .edges=0x300000000 --defsym e_call_max=0x307fffffc --defsym e_call_min=0x2f8000004 --defsym e_jump_max=0x308000004 --defsym e_jump_min=0x2f800000c --defsym e_cond_max=0x30010000c --defsym e_cond_min=0x2fff00014 --defsym e_tst_max=0x300008014 --defsym e_tst_min=0x2ffff801c --defsym e_ld_max=0x30010001c --defsym e_ld_min=0x2fff00024 --defsym e_adr_max=0x300100027 --defsym e_adr_min=0x2fff0002c --defsym e_page_max=0x3ffffffff --defsym e_page_min=0x200000000 --defsym e_u16=0xffff --defsym e_u32=0xffffffff --defsym e_u48=0xffffffffffff --defsym e_s16_max=0xffff --defsym e_s16_min=0xffffffffffff0000 --defsym e_s32_max=0xffffffff --defsym e_s32_min=0xffffffff00000000 --defsym e_s48_max=0xffffffffffff --defsym e_s48_min=0xffff000000000000 --defsym e_p16_max=0x30001005b --defsym e_p16_min=0x2ffff0060 --defsym e_p32_max=0x400000063 --defsym e_p32_min=0x200000068 --defsym e_p48_max=0x100030000006b --defsym e_p48_min=0xffff000300000070 --defsym e_prel32_max=0x380000073 --defsym e_prel32_min=0x280000078 --defsym e_prel16_max=0x30000807b --defsym e_prel16_min=0x2ffff807e --defsym e_abs32_max=0xffffffff --defsym e_abs16_max=0xffff
// AArch64 range edges: every checked field at its largest and smallest value. Each
// target is an absolute symbol placed by the header relative to the instruction's
// offset in .edges (noted on its line), so that X is exactly the edge. One past each
// edge is refused by both ld and elfmod (tests/reloc_aarch64 checks elfmod's side).
// Where GNU ld's check is narrower than the ABI's (PREL32/16 signed only, ABS32/16
// unsigned only) the edge is ld's.
	.section .edges, "ax", %progbits
	.balign	4
	bl	e_call_max                // +0x00 CALL26 +2^27-4
	bl	e_call_min                // +0x04 CALL26 -2^27
	b	e_jump_max                 // +0x08 JUMP26 +2^27-4
	b	e_jump_min                 // +0x0c JUMP26 -2^27
	b.eq	e_cond_max              // +0x10 CONDBR19 +2^20-4
	cbnz	x0, e_cond_min          // +0x14 CONDBR19 -2^20
	tbz	x0, #0, e_tst_max        // +0x18 TSTBR14 +2^15-4
	tbnz	x0, #63, e_tst_min      // +0x1c TSTBR14 -2^15
	ldr	x0, e_ld_max             // +0x20 LD_PREL_LO19 +2^20-4
	ldr	w0, e_ld_min             // +0x24 LD_PREL_LO19 -2^20
	adr	x0, e_adr_max            // +0x28 ADR_PREL_LO21 +2^20-1
	adr	x0, e_adr_min            // +0x2c ADR_PREL_LO21 -2^20
	adrp	x0, e_page_max          // +0x30 ADR_PREL_PG_HI21 +2^32-4K (last byte of that page)
	adrp	x0, e_page_min          // +0x34 ADR_PREL_PG_HI21 -2^32
	movz	x0, #:abs_g0:e_u16      // +0x38 MOVW_UABS_G0 2^16-1
	movz	x0, #:abs_g1:e_u32      // +0x3c MOVW_UABS_G1 2^32-1
	movz	x0, #:abs_g2:e_u48      // +0x40 MOVW_UABS_G2 2^48-1
	movz	x0, #:abs_g0_s:e_s16_max // +0x44 MOVW_SABS_G0 2^16-1
	movz	x0, #:abs_g0_s:e_s16_min // +0x48 MOVW_SABS_G0 -2^16 (MOVN)
	movz	x0, #:abs_g1_s:e_s32_max // +0x4c MOVW_SABS_G1 2^32-1
	movn	x0, #:abs_g1_s:e_s32_min // +0x50 MOVW_SABS_G1 -2^32
	movn	x0, #:abs_g2_s:e_s48_max // +0x54 MOVW_SABS_G2 2^48-1 (MOVN made MOVZ)
	movz	x0, #:abs_g2_s:e_s48_min // +0x58 MOVW_SABS_G2 -2^48
	movz	x0, #:prel_g0:e_p16_max // +0x5c MOVW_PREL_G0 +2^16-1
	movz	x0, #:prel_g0:e_p16_min // +0x60 MOVW_PREL_G0 -2^16
	movz	x0, #:prel_g1:e_p32_max // +0x64 MOVW_PREL_G1 +2^32-1
	movz	x0, #:prel_g1:e_p32_min // +0x68 MOVW_PREL_G1 -2^32
	movz	x0, #:prel_g2:e_p48_max // +0x6c MOVW_PREL_G2 +2^48-1
	movz	x0, #:prel_g2:e_p48_min // +0x70 MOVW_PREL_G2 -2^48
	.word	e_prel32_max - .       // +0x74 PREL32 +2^31-1 (GNU ld takes no more)
	.word	e_prel32_min - .       // +0x78 PREL32 -2^31
	.hword	e_prel16_max - .      // +0x7c PREL16 +2^15-1 (GNU ld takes no more)
	.hword	e_prel16_min - .      // +0x7e PREL16 -2^15
	.word	e_abs32_max            // +0x80 ABS32 2^32-1
	.hword	e_abs16_max           // +0x84 ABS16 2^16-1
