/* Reset entry, trap entry and the semihosting call of the RV32 firmware. QEMU's virt
 * board with -bios none jumps to the start of RAM, so _start must sit at 0x80000000
 * (fw.ld puts .text.start first). Runs in machine mode throughout. */

/* pmpcfg bytes: R=1 W=2 X=4, A=NAPOT (3 << 3), L=0x80 (locked: binds machine mode too) */
#define PMP_NAPOT_L 0x98
#define PMP_R 1
#define PMP_W 2
#define PMP_X 4

/* The value a probed fault hands back in a0 (fw.c FAULT_SEEN). */
#define FAULT_SEEN 0xfa17

	.section .text.start, "ax"
	.global _start
_start:
	/* No gp: modules never see it, and nothing here relaxes against it. */
	la	sp, __stack_top
	la	t0, trap_entry
	csrw	mtvec, t0

	/* Model the MCU's buses with PMP: flash read+execute, instruction RAM
	 * read+write+execute, data RAM read+write only. Locked, so machine mode obeys
	 * them: module code placed in data RAM, or a write to flash, traps. */
	la	t0, __pmp_flash
	csrw	pmpaddr0, t0
	la	t0, __pmp_iram
	csrw	pmpaddr1, t0
	la	t0, __pmp_dram
	csrw	pmpaddr2, t0
	li	t0, ((PMP_NAPOT_L | PMP_R | PMP_X) | \
		     (PMP_NAPOT_L | PMP_R | PMP_W | PMP_X) << 8 | \
		     (PMP_NAPOT_L | PMP_R | PMP_W) << 16)
	csrw	pmpcfg0, t0

	/* .data from its flash image, .bss cleared. */
	la	t0, __data_load
	la	t1, __data_start
	la	t2, __data_end
1:	bgeu	t1, t2, 2f
	lw	t3, 0(t0)
	sw	t3, 0(t1)
	addi	t0, t0, 4
	addi	t1, t1, 4
	j	1b
2:	la	t1, __bss_start
	la	t2, __bss_end
3:	bgeu	t1, t2, 4f
	sw	zero, 0(t1)
	addi	t1, t1, 4
	j	3b
4:	call	fw_main
	tail	fw_returned

/*
 * Every trap lands here. fw.c probes the memory protection on purpose: it sets
 * fw_fault_expected and calls a function that faults on its first access (a jump into
 * data RAM, a store to flash from a leaf). Such a fault returns to the caller, through
 * ra, with FAULT_SEEN in a0; only t0/t1 are used, which a call may clobber anyway.
 * Any other trap is fatal.
 */
	.section .text.trap, "ax"
	.balign 4
trap_entry:
	la	t0, fw_fault_expected
	lw	t1, 0(t0)
	beqz	t1, 5f
	sw	zero, 0(t0)
	csrr	t1, mcause
	la	t0, fw_fault_cause
	sw	t1, 0(t0)
	li	a0, FAULT_SEEN
	csrw	mepc, ra
	mret
5:	csrr	a0, mcause
	csrr	a1, mepc
	csrr	a2, mtval
	tail	fw_trap

/*
 * uint32_t semihost_call(uint32_t op, const void *arg): the RISC-V semihosting
 * sequence, which must be exactly these three uncompressed instructions on one page.
 */
	.section .text.semihost, "ax"
	.balign 16
	.global semihost_call
semihost_call:
	.option push
	.option norvc
	slli	x0, x0, 0x1f
	ebreak
	srai	x0, x0, 7
	.option pop
	ret
