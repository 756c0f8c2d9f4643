/*
 * Every absolute and PC-relative i386 relocation type elfmod applies, in code and
 * data, against local symbols, section symbols, symbols that run_diff.sh defines with
 * --defsym (the module's imports) and an undefined weak one. i386 is REL: the addends
 * sit in the fields, positive and negative. GOT types stay out: GNU ld builds its own
 * GOT. .edges holds the range edges; run_diff.sh computes the --defsym values from the
 * offsets written next to each entry, so keep those in step.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	call	ext_fn				/* PC32 or PLT32, as gas chooses */
	call	ext_fn@PLT			/* PLT32 */
	jmp	far_fn				/* beyond 2 GiB: wraps modulo 2^32 */
	mov	$ext_data, %eax			/* 32 */
	mov	ext_data+16, %ecx		/* 32, addend in the field */
	lea	data_local-8, %edx		/* 32 against .data */
	movw	$ext16, %ax			/* 16 */
	movb	$ext8, %al			/* 8 */
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
	.long	ext_data			/* 32 */
	.long	ext_data - 0x1000		/* 32, negative addend */
	.long	data_local + 8			/* 32 against .data */
	.long	local_fn + 3			/* 32 against .text */
	.long	ext_hi + 0x20			/* 32, wraps past 2^32 */
	.long	ext_data - .			/* PC32 */
	.long	local_fn - . + 0x10		/* PC32 against .text */
	.long	ext_data - . - 0x20		/* PC32, negative addend */
	.long	ext_low - .			/* PC32, backwards across 0 */
	.reloc	., R_386_PLT32, ext_fn
	.long	-4				/* PLT32 in data, addend in the field */
	.word	ext16				/* 16 */
	.word	ext16 - 0x10			/* 16, negative addend */
	.word	ext_neg16			/* 16, negative value */
	.word	local_fn - . + 6		/* PC16 against .text */
	.byte	ext8				/* 8 */
	.byte	ext8 - 0x80			/* 8, negative addend */
	.byte	ext_neg8			/* 8, negative value */
	.long	sized_obj@SIZE			/* SIZE32 */
	.long	_start@SIZE - 4			/* SIZE32, negative addend */
	.long	weak_undef			/* 32, undefined weak: 0 */
	.long	weak_undef + 8
	.balign	4
	.globl	sized_obj			/* global: as resolves a local @SIZE itself */
	.type	sized_obj, @object
sized_obj:
	.zero	24
	.size	sized_obj, 24
	.size	data_local, . - data_local
	.weak	weak_undef

	/* Range edges: the largest and smallest value each short field takes. */
	.section .edges, "aw", @progbits
	.word	pc16_max - .			/* 0x00 PC16  0x7fff */
	.word	pc16_min - .			/* 0x02 PC16 -0x8000 */
	.byte	pc8_max - .			/* 0x04 PC8   0x7f */
	.byte	pc8_min - .			/* 0x05 PC8  -0x80 */
	.word	u16_max				/* 0x06 16    0xffff */
	.word	s16_min				/* 0x08 16   -0x8000 */
	.byte	u8_max				/* 0x0a 8     0xff */
	.byte	s8_min				/* 0x0b 8    -0x80 */
	.word	u16_max - 0x10			/* 0x0c 16    0xffef, negative addend */
	.word	s16_min + 0x7fff		/* 0x0e 16   -1 */
	.long	ext_hi - .			/* 0x10 PC32, any distance */
