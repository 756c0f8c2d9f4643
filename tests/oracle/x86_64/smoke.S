# oracle: --at .text=0x401000 --at .data=0x402000 --at .rodata=0x403000 --defsym ext_fn=0x405000 --defsym ext_data=0x406010
# A small check of `elfmod link` itself on the host architecture; the full x86 corpus
# is tests/reloc_x86 (reloc_diff_x86_64).
	.text
	.globl	f
f:
	call	ext_fn
	lea	ext_data+8(%rip), %rax
	lea	msg(%rip), %rdx
	movabs	$table, %rcx
	ret
	.data
table:
	.quad	f
	.quad	ext_data - 16
	.long	msg - .
	.section .rodata
msg:
	.asciz	"hello"
	.quad	table + 8
