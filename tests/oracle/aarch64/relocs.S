// oracle: --at .text=0x10001000 --at .data=0x10040000 --at .rodata=0x10080000 --defsym ext_fn=0x12000000 --defsym ext_data=0x10345678 --defsym ext_big=0xfedcba9876543210 --defsym ext_48=0xfedcba987654 --defsym ext_32=0xfedcba98 --defsym ext_16=0xfedc --defsym ext_neg16=-0x1234 --defsym ext_neg32=-0x12345678 --defsym ext_neg48=-0x123456789abc --defsym ext_far=0x7f0012345678
// Every AArch64 relocation type elfmod implements that GNU ld resolves the same way in
// a static link, against imports (--defsym), symbols of other sections and global
// symbols of the same section (gas resolves local labels itself), with positive and
// negative addends and unaligned data words. Left out: the GOT types (ld lays out its
// own GOT; tests/reloc_aarch64 checks them), PC-relative references to undefined weak
// symbols (ld resolves those as if to the place itself, elfmod as if to address 0) and
// out-of-range branches (ld makes its own veneers). Range edges are in edges.S.
	.text
	.globl	f, g, near
	.weak	weak_fn
f:
	// CALL26, JUMP26: imports, other sections, this section, addends.
	bl	ext_fn
	b	ext_fn
	bl	ext_fn + 0x40
	b	ext_fn - 0x1000
	bl	g
	b	g + 8
	bl	f
	// An undefined weak function: ld and elfmod both write a NOP.
	bl	weak_fn
	b	weak_fn
	// CONDBR19 (B.cond, CBZ, CBNZ), TSTBR14 (TBZ, TBNZ), backwards and forwards.
	b.ne	g
	b.lt	f
	cbz	x1, near + 4
	cbnz	w2, f - 8
	tbz	x3, #40, near
	tbnz	w4, #3, f
	// LD_PREL_LO19: literals in .data and .rodata.
	ldr	x5, lit
	ldr	w6, lit + 12
	ldr	q7, msg - 0x20
	ldrsw	x8, f + 4
	prfm	pldl1keep, lit
	// ADR_PREL_LO21, odd offsets included.
	adr	x9, msg
	adr	x9, msg + 3
	adr	x10, f - 0x101
	// ADR_PREL_PG_HI21 with ADD_ABS_LO12_NC and the scaled LDST*_ABS_LO12_NC forms.
	adrp	x11, ext_data
	add	x11, x11, :lo12:ext_data
	adrp	x12, table + 0x10
	ldrb	w13, [x12, :lo12:table + 1]
	strb	w13, [x12, :lo12:table + 0xfff]
	ldrh	w13, [x12, :lo12:table + 2]
	ldrsh	x13, [x12, :lo12:table + 0x7e]
	ldr	w13, [x12, :lo12:table + 4]
	str	s0, [x12, :lo12:table + 0x24]
	ldr	x13, [x12, :lo12:table + 8]
	str	d1, [x12, :lo12:table - 8]
	ldr	q2, [x12, :lo12:table + 16]
	str	q3, [x12, :lo12:table + 0x100]
	add	x14, x12, :lo12:msg + 0x5
	// ADR_PREL_PG_HI21_NC: far beyond 4 GiB, where only the low bits are kept.
	adrp	x15, :pg_hi21_nc:ext_far
	adrp	x15, :pg_hi21_nc:msg - 0x2000
	// MOVW_UABS: a full 64-bit address, and the checked groups.
	movz	x16, #:abs_g3:ext_big
	movk	x16, #:abs_g2_nc:ext_big
	movk	x16, #:abs_g1_nc:ext_big
	movk	x16, #:abs_g0_nc:ext_big
	movz	x17, #:abs_g2:ext_48
	movz	x17, #:abs_g1:ext_32
	movz	x17, #:abs_g0:ext_16
	movz	x17, #:abs_g1:table + 0x10
	movz	x17, #:abs_g0:ext_16 - 0xfe00
	// MOVW_SABS: the sign picks MOVZ or MOVN, whatever the instruction was.
	movz	x18, #:abs_g0_s:ext_neg16
	movn	x18, #:abs_g0_s:ext_16
	movz	x18, #:abs_g1_s:ext_neg32
	movn	x18, #:abs_g1_s:ext_32 - 0x10000
	movz	x18, #:abs_g2_s:ext_neg48
	movz	x18, #:abs_g2_s:ext_48
	// MOVW_PREL: a full 64-bit offset, and the checked groups, both signs.
	movz	x19, #:prel_g3:ext_far
	movk	x19, #:prel_g2_nc:ext_far
	movk	x19, #:prel_g1_nc:ext_far
	movk	x19, #:prel_g0_nc:ext_far
	movz	x20, #:prel_g3:f
	movk	x20, #:prel_g2_nc:f
	movk	x20, #:prel_g1_nc:f
	movk	x20, #:prel_g0_nc:f
	movz	x21, #:prel_g0:near
	movz	x21, #:prel_g0:f
	movz	x21, #:prel_g1:ext_data
	movz	x21, #:prel_g1:f - 0x123456
	movz	x21, #:prel_g2:ext_far
	movn	x21, #:prel_g2:ext_neg48
g:
	ret
near:
	nop
	ret

	.data
	.balign	16
	.globl	table, lit
table:
	.quad	f			// ABS64
	.quad	ext_big
	.quad	ext_fn - 0x10
	.quad	weak_fn			// undefined weak: 0 for both
	.word	ext_32			// ABS32
	.word	msg + 0x1234
	.hword	ext_16			// ABS16
	.hword	lit - table
	.word	ext_data - .		// PREL32
	.word	f - . - 0x100
	.word	msg - .
	.hword	table - .		// PREL16
	.hword	lit - . + 0x10
	.quad	ext_far - .		// PREL64
	.quad	f - .
	.byte	0x5a
	.quad	ext_data + 3		// unaligned ABS64, PREL64, ABS32, PREL32, ABS16, PREL16
	.quad	ext_big - .
	.word	ext_fn
	.word	f - . + 1
	.hword	0x1234
	.byte	0
	.hword	ext_16 + 0x10
	.hword	table - .
	.balign	8
lit:
	.quad	0x1122334455667788
	.quad	0x99aabbccddeeff00

	.section .rodata, "a", %progbits
	.balign	16
	.globl	msg
	.skip	0x20
msg:
	.asciz	"elfmod"
	.balign	4
	.word	g - .
	.xword	lit + 8
