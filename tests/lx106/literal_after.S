/* A literal pool whose section comes after the code that loads it (as ld -r or a
 * hand-written file may order them): L32R reaches only backwards, so elfmod must put
 * .literal.f below .text.f. */
	.section .text.f,"ax",@progbits
	.align 4
	.global f
f:
	l32r a2, .Lc
	ret
	.section .literal.f,"ax",@progbits
	.align 4
.Lc:
	.word 0x12345678
