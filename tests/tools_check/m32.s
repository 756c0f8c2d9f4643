# An i386 object (`as --32`): another machine than an x86-64 firmware.
	.text
	.globl	m32_main
	.type	m32_main, @function
m32_main:
	call	fw_add
	ret
	.size	m32_main, .-m32_main
