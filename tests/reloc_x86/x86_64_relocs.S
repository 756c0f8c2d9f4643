/*
 * Every absolute and PC-relative x86-64 relocation type elfmod applies, in code and
 * in data, against local symbols, section symbols, symbols that run_diff.sh defines
 * with --defsym (the module's imports) and an undefined weak one, with positive and
 * negative addends. GOT and PLT types stay out: GNU ld builds its own GOT.
 * .edges holds the range edges; run_diff.sh computes the --defsym values from the
 * offsets written next to each entry, so keep those in step.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	call	ext_fn				/* PLT32 */
	jmp	ext_fn				/* PLT32 */
	call	local_fn			/* PLT32 or resolved by as */
	lea	ext_data(%rip), %rax		/* PC32, A = -4 */
	mov	ext_data+16(%rip), %eax		/* PC32, A = 12 */
	lea	data_local-8(%rip), %rcx	/* PC32 against .data */
	cmpl	$5, ext_data-0x40(%rip)		/* PC32: an immediate follows the field */
	movabs	$ext_far, %rax			/* 64 */
	movabs	$data_local+0x20, %rdx		/* 64 against .data */
	mov	$ext_small, %eax		/* 32 */
	mov	$data_local-4, %esi		/* 32 against .data */
	movq	$ext_neg, %rax			/* 32S */
	mov	ext_small(,%rcx,8), %eax	/* 32S */
	mov	$ext16, %ax			/* 16 */
	mov	$ext8, %al			/* 8 */
	ret
	.size	_start, . - _start

	.type	local_fn, @function
local_fn:
	xor	%eax, %eax
	ret
	.size	local_fn, . - local_fn

	.data
	.type	data_local, @object
data_local:
	.quad	ext_far				/* 64 */
	.quad	ext_far - 0x1000		/* 64, negative addend */
	.quad	data_local + 8			/* 64 against .data */
	.quad	local_fn + 3			/* 64 against .text */
	.quad	ext_far - .			/* PC64 */
	.quad	local_fn - . - 16		/* PC64 against .text */
	.long	ext_small			/* 32 */
	.long	ext_small - 0x10		/* 32, negative addend */
	.long	local_fn			/* 32 against .text */
	.reloc	., R_X86_64_32S, ext_neg
	.long	0				/* 32S */
	.reloc	., R_X86_64_32S, ext_small - 0x100
	.long	0				/* 32S, negative addend */
	.long	ext_data - .			/* PC32 */
	.long	local_fn - . + 0x10		/* PC32 against .text */
	.long	ext_data - . - 0x20		/* PC32, negative addend */
	.reloc	., R_X86_64_PLT32, ext_fn - 4
	.long	0				/* PLT32 in data */
	.word	ext16				/* 16 */
	.word	ext16 - 0x10			/* 16, negative addend */
	.word	ext_neg16			/* 16, negative value */
	.byte	ext8				/* 8 */
	.byte	ext8 - 0x80			/* 8, negative addend */
	.byte	ext_neg8			/* 8, negative value */
	.long	sized_obj@SIZE			/* SIZE32 */
	.long	_start@SIZE - 4			/* SIZE32, negative addend */
	.quad	sized_obj@SIZE + 100		/* SIZE64 */
	.quad	ext_data@SIZE			/* SIZE64 of an absolute symbol: 0 */
	.quad	weak_undef			/* 64, undefined weak: 0 */
	.long	weak_undef + 8			/* 32, undefined weak */
	.balign	8
	.globl	sized_obj			/* global: as resolves a local @SIZE itself */
	.type	sized_obj, @object
sized_obj:
	.zero	24
	.size	sized_obj, 24
	.size	data_local, . - data_local
	.weak	weak_undef

	/* Range edges: the largest and smallest value each field takes. */
	.section .edges, "aw", @progbits
	.long	pc32_max - .			/* 0x00 PC32  0x7fffffff */
	.long	pc32_min - .			/* 0x04 PC32 -0x80000000 */
	.word	pc16_max - .			/* 0x08 PC16  0x7fff */
	.word	pc16_min - .			/* 0x0a PC16 -0x8000 */
	.byte	pc8_max - .			/* 0x0c PC8   0x7f */
	.byte	pc8_min - .			/* 0x0d PC8  -0x80 */
	.word	u16_max				/* 0x0e 16    0xffff */
	.word	s16_min				/* 0x10 16   -0x8000 */
	.byte	u8_max				/* 0x12 8     0xff */
	.byte	s8_min				/* 0x13 8    -0x80 */
	.long	u32_max				/* 0x14 32    0xffffffff */
	.long	u32_min + 0x10			/* 0x18 32    0 (u32_min = -0x10) */
	.reloc	., R_X86_64_32S, s32_max
	.long	0				/* 0x1c 32S   0x7fffffff */
	.reloc	., R_X86_64_32S, s32_min
	.long	0				/* 0x20 32S  -0x80000000 */
	.reloc	., R_X86_64_PLT32, plt_max - 4
	.long	0				/* 0x24 PLT32 0x7fffffff */
	.reloc	., R_X86_64_PLT32, plt_min - 4
	.long	0				/* 0x28 PLT32 -0x80000000 */
	.long	(sized_obj@SIZE) + 0xffffffe7	/* 0x2c SIZE32 0xffffffff */
	.quad	ext_far - . - 0x7000000000000000 /* 0x30 PC64, wraps */
