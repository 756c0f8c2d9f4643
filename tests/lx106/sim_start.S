/* Start-up of the lx106 firmware on QEMU's sim machine.
 *
 * QEMU starts the core at the reset vector 0x50000000 (the start of the flash image),
 * whatever the ELF entry says: a stub there loads the stack pointer and jumps to the
 * firmware's C start in instruction RAM 0. L32R reaches only backwards, so the stub
 * jumps over its own two literals first. */
	.section .reset, "ax"
	.global _reset
_reset:
	j	1f
	.align	4
2:	.word	fw_reset
	.word	__stack_top
1:	l32r	a0, 2b
	l32r	a1, 2b + 4
	jx	a0

/* The exception vectors, at VECBASE (0x40000000 on this core after reset). Any
 * exception is a failure of the test: each vector calls fw_fault with its number, the
 * cause, EPC1 and EXCVADDR, and fw_fault ends the run with its own exit code. */
	.section .vectors, "ax"
	.global _vectors
_vectors:
	.macro	vector off, id
	.org	\off
	movi	a2, \id
	j	fault_common
	.endm
	vector	0x10, 1	/* debug */
	vector	0x20, 2	/* NMI */
	vector	0x30, 3	/* kernel */
	vector	0x50, 4	/* user */
	vector	0x70, 5	/* double */
	.org	0x80
fault_common:
	rsr.exccause	a3
	rsr.epc1	a4
	rsr.excvaddr	a5
	call0	fw_fault
3:	j	3b
