/*
 * Relocated branches executed: an armhf program (run under qemu-arm by run_arm.sh) that
 * writes small ARM and Thumb functions into a page, relocates their calls and branches
 * with the ARM engine as this host build configures it (ARMv7, hard-float Linux), makes
 * the page executable and calls them. Checks BL/BLX conversion both ways, B and B.W
 * through the stub (the only way to change state without a link), the stub's two entries
 * called directly, calls to undefined weak symbols turned into NOPs, and calls out of
 * BL's reach to a region 64 MiB away through the stub.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "arch/arch.h"
#include "check.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#if !defined(__arm__)
#error "run_arm.c is an ARM program"
#endif

#define PAGE 4096
#define R_THM_CALL 10
#define R_CALL 28
#define R_JUMP24 29
#define R_THM_JUMP24 30

typedef int (*fn_t)(void);

/* Offsets in a code page. */
#define O_ARM7 0x00  /* ARM:   mov r0, #7; bx lr */
#define O_THM9 0x10  /* Thumb: movs r0, #9; bx lr */
#define O_THM11 0x1a /* Thumb: movs r0, #11; bx lr (not on a word: BLX with H = 1) */
#define O_TCALL 0x20 /* Thumb: push {lr}; bl/blx X; pop {pc} */
#define O_ACALL 0x30 /* ARM:   push {lr}; bl/blx X; pop {pc} */
#define O_TJMP 0x40  /* Thumb: b.w X */
#define O_AJMP 0x50  /* ARM:   b X */
#define O_TWEAK 0x60 /* Thumb: push {lr}; movs r0, #5; bl X; pop {pc} */
#define O_AWEAK 0x70 /* ARM:   push {lr}; mov r0, #6; bl X; pop {pc} */
#define O_STUB 0x80

static int host_fn(void)
{
	return 42;
}

static void w16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void w32(uint8_t *p, uint32_t v)
{
	w16(p, (uint16_t)v);
	w16(p + 2, (uint16_t)(v >> 16));
}

/* Thumb-2 32-bit instruction: first halfword, then second. */
static void wt(uint8_t *p, uint32_t v)
{
	w16(p, (uint16_t)(v >> 16));
	w16(p + 2, (uint16_t)v);
}

/* The fixed parts of a page; tcall/acall: the instruction to relocate. */
static void fill(uint8_t *pg, uint32_t tcall, uint32_t acall)
{
	memset(pg, 0, PAGE);
	w32(pg + O_ARM7, 0xe3a00007);
	w32(pg + O_ARM7 + 4, 0xe12fff1e);
	w16(pg + O_THM9, 0x2009);
	w16(pg + O_THM9 + 2, 0x4770);
	w16(pg + O_THM11 - 2, 0xde00); /* udf: where a BLX that lost H would land */
	w16(pg + O_THM11, 0x200b);
	w16(pg + O_THM11 + 2, 0x4770);
	w16(pg + O_TCALL, 0xb500);
	wt(pg + O_TCALL + 2, tcall);
	w16(pg + O_TCALL + 6, 0xbd00);
	w32(pg + O_ACALL, 0xe92d4000);
	w32(pg + O_ACALL + 4, acall);
	w32(pg + O_ACALL + 8, 0xe8bd8000);
	wt(pg + O_TJMP, 0xf7ffbffe);
	w32(pg + O_AJMP, 0xeafffffe);
	w16(pg + O_TWEAK, 0xb500);
	w16(pg + O_TWEAK + 2, 0x2005);
	wt(pg + O_TWEAK + 4, 0xf7fffffe);
	w16(pg + O_TWEAK + 8, 0xbd00);
	w32(pg + O_AWEAK, 0xe92d4000);
	w32(pg + O_AWEAK + 4, 0xe3a00006);
	w32(pg + O_AWEAK + 8, 0xebfffffe);
	w32(pg + O_AWEAK + 12, 0xe8bd8000);
}

/* One relocation at pg + off, as src/module.c makes it (REL: addend from the field). */
static int reloc(uint8_t *pg, uint32_t off, uint32_t type, uintptr_t S, uintptr_t L, int weak)
{
	const struct arch_desc *arm = &elfmod__arch_arm;
	struct reloc_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.type = type;
	a.loc = pg + off;
	a.P = (uintptr_t)(pg + off);
	a.S = S;
	a.L = L;
	a.weak_undef = (uint8_t)weak;
	rc = arm->addend(type, a.loc, 0, &a.A);
	return rc ? rc : arm->apply(&a);
}

static void seal(uint8_t *pg, int exec)
{
	if (exec)
		__builtin___clear_cache((char *)pg, (char *)pg + PAGE);
	CHECK(mprotect(pg, PAGE, exec ? PROT_READ | PROT_EXEC : PROT_READ | PROT_WRITE) == 0);
}

static fn_t thumb(uint8_t *p)
{
	fn_t f;
	uintptr_t a = (uintptr_t)p | 1;

	memcpy(&f, &a, sizeof(f));
	return f;
}

static fn_t arm(uint8_t *p)
{
	fn_t f;
	uintptr_t a = (uintptr_t)p;

	memcpy(&f, &a, sizeof(f));
	return f;
}

static uintptr_t addr(uint8_t *p, int t)
{
	return (uintptr_t)p | (uintptr_t)t;
}

int main(void)
{
	uint8_t *pg = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *far = MAP_FAILED;
	uintptr_t stub, hostfn;

	CHECK(pg != MAP_FAILED);
	if (pg == MAP_FAILED)
		return check_done("reloc_arm_run");
	memcpy(&hostfn, &(fn_t){ host_fn }, sizeof(hostfn));
	stub = (uintptr_t)(pg + O_STUB);

	/* Thumb BL to ARM code (becomes BLX) and to Thumb code; ARM BL the same way. */
	check_ctx = "direct calls";
	fill(pg, 0xf7fffffe, 0xebfffffe);
	CHECK_RC(reloc(pg, O_TCALL + 2, R_THM_CALL, addr(pg + O_ARM7, 0), 0, 0), 0);
	CHECK_RC(reloc(pg, O_ACALL + 4, R_CALL, addr(pg + O_THM9, 1), 0, 0), 0);
	seal(pg, 1);
	CHECK_EQ(thumb(pg + O_TCALL)(), 7);
	CHECK_EQ(arm(pg + O_ACALL)(), 9);
	seal(pg, 0);
	fill(pg, 0xf7fffffe, 0xebfffffe);
	CHECK_RC(reloc(pg, O_TCALL + 2, R_THM_CALL, addr(pg + O_THM9, 1), 0, 0), 0);
	CHECK_RC(reloc(pg, O_ACALL + 4, R_CALL, addr(pg + O_ARM7, 0), 0, 0), 0);
	seal(pg, 1);
	CHECK_EQ(thumb(pg + O_TCALL)(), 9);
	CHECK_EQ(arm(pg + O_ACALL)(), 7);
	seal(pg, 0);
	fill(pg, 0xf7fffffe, 0xebfffffe);
	CHECK_RC(reloc(pg, O_ACALL + 4, R_CALL, addr(pg + O_THM11, 1), 0, 0), 0);
	seal(pg, 1);
	CHECK_EQ(arm(pg + O_ACALL)(), 11);
	seal(pg, 0);
	/* BLX in the object: back to BL where the state does not change. */
	check_ctx = "blx";
	fill(pg, 0xf7ffeffe, 0xfafffffe);
	CHECK_RC(reloc(pg, O_TCALL + 2, R_THM_CALL, addr(pg + O_THM9, 1), 0, 0), 0);
	CHECK_RC(reloc(pg, O_ACALL + 4, R_CALL, addr(pg + O_ARM7, 0), 0, 0), 0);
	seal(pg, 1);
	CHECK_EQ(thumb(pg + O_TCALL)(), 9);
	CHECK_EQ(arm(pg + O_ACALL)(), 7);
	seal(pg, 0);

	/* B.W to ARM code and B to Thumb code: refused without a stub, through it with one. */
	check_ctx = "branches through the stub";
	fill(pg, 0xf7fffffe, 0xebfffffe);
	CHECK_RC(reloc(pg, O_TJMP, R_THM_JUMP24, addr(pg + O_ARM7, 0), 0, 0), ELFMOD_ERANGE);
	CHECK_RC(reloc(pg, O_AJMP, R_JUMP24, addr(pg + O_THM9, 1), 0, 0), ELFMOD_ERANGE);
	elfmod__arch_arm.stub(pg + O_STUB, stub, addr(pg + O_ARM7, 0), 0);
	CHECK_RC(reloc(pg, O_TJMP, R_THM_JUMP24, addr(pg + O_ARM7, 0), stub, 0), 0);
	seal(pg, 1);
	CHECK_EQ(thumb(pg + O_TJMP)(), 7);
	/* The stub's entries called directly: Thumb at +0, ARM at +12. */
	CHECK_EQ(thumb(pg + O_STUB)(), 7);
	CHECK_EQ(arm(pg + O_STUB + 12)(), 7);
	seal(pg, 0);
	elfmod__arch_arm.stub(pg + O_STUB, stub, addr(pg + O_THM9, 1), 0);
	CHECK_RC(reloc(pg, O_AJMP, R_JUMP24, addr(pg + O_THM9, 1), stub, 0), 0);
	seal(pg, 1);
	CHECK_EQ(arm(pg + O_AJMP)(), 9);
	CHECK_EQ(thumb(pg + O_STUB)(), 9);
	CHECK_EQ(arm(pg + O_STUB + 12)(), 9);
	seal(pg, 0);
	/* To this program's own (Thumb) code, wherever it is. Fields are REL: fresh ones. */
	fill(pg, 0xf7fffffe, 0xebfffffe);
	elfmod__arch_arm.stub(pg + O_STUB, stub, hostfn, 0);
	CHECK_RC(reloc(pg, O_TCALL + 2, R_THM_CALL, hostfn, stub, 0), 0);
	CHECK_RC(reloc(pg, O_ACALL + 4, R_CALL, hostfn, stub, 0), 0);
	CHECK_RC(reloc(pg, O_AJMP, R_JUMP24, hostfn, stub, 0), 0);
	seal(pg, 1);
	CHECK_EQ(thumb(pg + O_TCALL)(), 42);
	CHECK_EQ(arm(pg + O_ACALL)(), 42);
	CHECK_EQ(arm(pg + O_AJMP)(), 42);
	CHECK_EQ(thumb(pg + O_STUB)(), 42);
	seal(pg, 0);

	/* Calls to undefined weak symbols: NOPs; r0 keeps what the caller put there. */
	check_ctx = "weak";
	fill(pg, 0xf7fffffe, 0xebfffffe);
	CHECK_RC(reloc(pg, O_TWEAK + 4, R_THM_CALL, 0, stub, 1), 0);
	CHECK_RC(reloc(pg, O_AWEAK + 8, R_CALL, 0, 0, 1), 0);
	seal(pg, 1);
	CHECK_EQ(thumb(pg + O_TWEAK)(), 5);
	CHECK_EQ(arm(pg + O_AWEAK)(), 6);
	seal(pg, 0);

	/* Out of BL's reach: a second page 64 MiB away, reached through the stub. */
	check_ctx = "far";
	for (uintptr_t d = 0x4000000; d <= 0x10000000 && far == MAP_FAILED; d += 0x4000000) {
		uintptr_t base = (uintptr_t)pg, want = base + d < base ? base - d : base + d;

		far = mmap((void *)want, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (far != MAP_FAILED && (uintptr_t)(far > pg ? far - pg : pg - far) < 0x4000000) {
			munmap(far, PAGE);
			far = MAP_FAILED;
		}
	}
	CHECK(far != MAP_FAILED);
	if (far != MAP_FAILED) {
		fill(far, 0xf7fffffe, 0xebfffffe);
		seal(far, 1);
		fill(pg, 0xf7fffffe, 0xebfffffe);
		CHECK_RC(reloc(pg, O_TCALL + 2, R_THM_CALL, addr(far + O_THM9, 1), 0, 0), ELFMOD_ERANGE);
		CHECK_RC(reloc(pg, O_ACALL + 4, R_CALL, addr(far + O_THM9, 1), 0, 0), ELFMOD_ERANGE);
		elfmod__arch_arm.stub(pg + O_STUB, stub, addr(far + O_THM9, 1), 0);
		CHECK_RC(reloc(pg, O_TCALL + 2, R_THM_CALL, addr(far + O_THM9, 1), stub, 0), 0);
		CHECK_RC(reloc(pg, O_ACALL + 4, R_CALL, addr(far + O_THM9, 1), stub, 0), 0);
		seal(pg, 1);
		CHECK_EQ(thumb(pg + O_TCALL)(), 9);
		CHECK_EQ(arm(pg + O_ACALL)(), 9);
		seal(pg, 0);
		fill(pg, 0xf7fffffe, 0xebfffffe);
		elfmod__arch_arm.stub(pg + O_STUB, stub, addr(far + O_ARM7, 0), 0);
		CHECK_RC(reloc(pg, O_TCALL + 2, R_THM_CALL, addr(far + O_ARM7, 0), stub, 0), 0);
		CHECK_RC(reloc(pg, O_ACALL + 4, R_CALL, addr(far + O_ARM7, 0), stub, 0), 0);
		seal(pg, 1);
		CHECK_EQ(thumb(pg + O_TCALL)(), 7);
		CHECK_EQ(arm(pg + O_ACALL)(), 7);
	}
	return check_done("reloc_arm_run");
}
