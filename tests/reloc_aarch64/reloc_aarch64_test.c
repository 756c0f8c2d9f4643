/*
 * The AArch64 relocation engine, called through its descriptor exactly as src/module.c
 * calls it. Every expected encoding below was worked out by hand from the ABI's
 * formulas and the A64 instruction layouts (those marked "ld" were also checked against
 * GNU ld 2.40 at the same addresses). Fields are written at an odd address (buf + 1) so
 * that a wide or aligned store would show under UBSan, and a refused relocation must
 * leave the bytes alone. On an AArch64 Linux host the call stub is also run.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "arch/arch.h"
#include "check.h"
#include "reloc_test.h"

#include <stdint.h>
#include <string.h>

#if defined(__aarch64__) && defined(__linux__)
#include <sys/mman.h>
#define RUN_STUBS 1
#else
#define RUN_STUBS 0
#endif

/* Type numbers (ELF for the Arm 64-bit Architecture). */
#define NONE 0
#define NULL_ 256
#define ABS64 257
#define ABS32 258
#define ABS16 259
#define PREL64 260
#define PREL32 261
#define PREL16 262
#define UABS_G0 263
#define UABS_G0_NC 264
#define UABS_G1 265
#define UABS_G1_NC 266
#define UABS_G2 267
#define UABS_G2_NC 268
#define UABS_G3 269
#define SABS_G0 270
#define SABS_G1 271
#define SABS_G2 272
#define LD_PREL_LO19 273
#define ADR_PREL_LO21 274
#define ADR_PREL_PG_HI21 275
#define ADR_PREL_PG_HI21_NC 276
#define ADD_ABS_LO12_NC 277
#define LDST8_LO12 278
#define TSTBR14 279
#define CONDBR19 280
#define JUMP26 282
#define CALL26 283
#define LDST16_LO12 284
#define LDST32_LO12 285
#define LDST64_LO12 286
#define PREL_G0 287
#define PREL_G0_NC 288
#define PREL_G1 289
#define PREL_G1_NC 290
#define PREL_G2 291
#define PREL_G2_NC 292
#define PREL_G3 293
#define LDST128_LO12 299
#define ADR_GOT_PAGE 311
#define LD64_GOT_LO12_NC 312
#define LD64_GOTPAGE_LO15 313

/* Instructions with zero immediates, as the assembler leaves them. */
#define I_BL 0x94000000u          /* bl . */
#define I_B 0x14000000u           /* b . */
#define I_BNE 0x54000001u         /* b.ne . */
#define I_CBZ 0xb4000001u         /* cbz x1, . */
#define I_TBZ 0xb6f80001u         /* tbz x1, #63, . */
#define I_LDRLIT 0x58000001u      /* ldr x1, . */
#define I_ADR 0x10000001u         /* adr x1, . */
#define I_ADRP 0x90000001u        /* adrp x1, . */
#define I_ADD 0x91000020u         /* add x0, x1, #0 */
#define I_LDRB 0x39400020u        /* ldrb w0, [x1] */
#define I_LDRH 0x79400020u        /* ldrh w0, [x1] */
#define I_LDRW 0xb9400020u        /* ldr w0, [x1] */
#define I_LDRX 0xf9400020u        /* ldr x0, [x1] */
#define I_LDRQ 0x3dc00020u        /* ldr q0, [x1] */
#define I_LDRX0 0xf9400000u       /* ldr x0, [x0] */
#define I_MOVZ0 0xd2800000u       /* movz x0, #0 */
#define I_MOVZ1 0xd2a00000u       /* movz x0, #0, lsl #16 */
#define I_MOVZ2 0xd2c00000u       /* movz x0, #0, lsl #32 */
#define I_MOVZ3 0xd2e00000u       /* movz x0, #0, lsl #48 */
#define I_MOVN0 0x92800000u       /* movn x0, #0 */
#define I_MOVN3 0x92e00000u       /* movn x0, #0, lsl #48 */
#define I_MOVK0 0xf2800000u       /* movk x0, #0 */
#define I_MOVK1 0xf2a00000u       /* movk x0, #0, lsl #16 */
#define I_MOVK2 0xf2c00000u       /* movk x0, #0, lsl #32 */
#define I_NOP 0xd503201fu

#define ERANGE_ ELFMOD_ERANGE
#define P0 0x10000000ull
#define FAR 0x7f0000000000ull

struct tc {
	uint32_t type;
	uint32_t in;     /* the instruction before relocation (instruction types) */
	uint64_t S, P, GOT, G, L;
	int64_t A;
	uint8_t weak;    /* undefined weak symbol */
	uint8_t be;      /* big-endian object (aarch64_be) */
	int rc;          /* what apply must return */
	uint64_t want;   /* the field's value when rc == 0 */
	int line;
};

#define T(...) { __VA_ARGS__, .line = __LINE__ }

static const struct tc cases[] = {
	/* ABS64: S + A, any value. */
	T(.type = ABS64, .S = 0x1122334455667788, .A = 0x10, .want = 0x1122334455667798),
	T(.type = ABS64, .S = 0x1122334455667788, .A = -0x88, .want = 0x1122334455667700),
	T(.type = ABS64, .S = 0xfffffffffffffff0, .A = 0x20, .want = 0x10),
	T(.type = ABS64, .S = 0x1122334455667788, .be = 1, .want = 0x1122334455667788),
	/* ABS32: -2^31 .. 2^32-1. */
	T(.type = ABS32, .S = 0xfffffff0, .A = 0xf, .want = 0xffffffff),
	T(.type = ABS32, .S = 0xfffffff0, .A = 0x10, .rc = ERANGE_),
	T(.type = ABS32, .S = 0x10, .A = -0x20, .want = 0xfffffff0),
	T(.type = ABS32, .S = 0, .A = -0x80000000LL, .want = 0x80000000),
	T(.type = ABS32, .S = 0, .A = -0x80000001LL, .rc = ERANGE_),
	T(.type = ABS32, .S = FAR, .rc = ERANGE_),
	T(.type = ABS32, .S = 0x12345678, .be = 1, .want = 0x12345678),
	/* ABS16: -2^15 .. 2^16-1. */
	T(.type = ABS16, .S = 0xfff0, .A = 0xf, .want = 0xffff),
	T(.type = ABS16, .S = 0xfff0, .A = 0x10, .rc = ERANGE_),
	T(.type = ABS16, .S = 0, .A = -0x8000, .want = 0x8000),
	T(.type = ABS16, .S = 0, .A = -0x8001, .rc = ERANGE_),
	T(.type = ABS16, .S = 0x1234, .be = 1, .want = 0x1234),
	/* PREL64: S + A - P. */
	T(.type = PREL64, .S = 0x1000, .P = FAR, .A = -8, .want = 0xffff810000000ff8),
	T(.type = PREL64, .S = FAR, .P = 0x1000, .A = 0x10, .want = 0x7efffffff010),
	T(.type = PREL64, .S = 0x1000, .P = 0x2000, .be = 1, .want = 0xfffffffffffff000),
	/* PREL32: -2^31 .. 2^32-1 (the ABI's range; GNU ld takes only the signed half). */
	T(.type = PREL32, .S = P0 + 0x7fffffff, .P = P0, .want = 0x7fffffff),
	T(.type = PREL32, .S = P0 + 0xffffffff, .P = P0, .want = 0xffffffff),
	T(.type = PREL32, .S = P0 + 0x100000000, .P = P0, .rc = ERANGE_),
	T(.type = PREL32, .S = P0 - 0x80000000, .P = P0, .want = 0x80000000),
	T(.type = PREL32, .S = P0 - 0x80000000, .P = P0, .A = -1, .rc = ERANGE_),
	T(.type = PREL32, .S = P0 + 0x10, .P = P0, .A = -0x20, .want = 0xfffffff0),
	T(.type = PREL32, .S = P0 + 0x10, .P = P0, .A = -0x20, .be = 1, .want = 0xfffffff0),
	/* PREL16: -2^15 .. 2^16-1. */
	T(.type = PREL16, .S = P0 + 0xffff, .P = P0, .want = 0xffff),
	T(.type = PREL16, .S = P0 + 0x10000, .P = P0, .rc = ERANGE_),
	T(.type = PREL16, .S = P0 - 0x8000, .P = P0, .want = 0x8000),
	T(.type = PREL16, .S = P0 - 0x8001, .P = P0, .rc = ERANGE_),
	T(.type = PREL16, .S = P0 + 2, .P = P0, .A = -6, .be = 1, .want = 0xfffc),

	/* CALL26: imm26 = X[27:2], -2^27 <= X < 2^27. */
	T(.type = CALL26, .in = I_BL, .S = P0 + 0x7fffffc, .P = P0, .want = 0x95ffffff), /* ld */
	T(.type = CALL26, .in = I_BL, .S = P0 + 0x8000000, .P = P0, .rc = ERANGE_),
	T(.type = CALL26, .in = I_BL, .S = P0 - 0x8000000, .P = P0, .want = 0x96000000), /* ld */
	T(.type = CALL26, .in = I_BL, .S = P0 - 0x8000004, .P = P0, .rc = ERANGE_),
	T(.type = CALL26, .in = I_BL, .S = P0 + 0x100, .P = P0, .A = -0x10, .want = 0x9400003c),
	T(.type = CALL26, .in = I_BL, .S = P0, .P = P0 + 4, .want = 0x97ffffff),
	/* A target that is not a multiple of 4 cannot be encoded (ld drops the bits). */
	T(.type = CALL26, .in = I_BL, .S = P0 + 2, .P = P0, .rc = ERANGE_),
	T(.type = CALL26, .in = I_BL, .S = FAR + 2, .P = P0, .L = P0 + 0x1000, .rc = ERANGE_),
	/* Through the stub only when S is out of reach, and only for A == 0. */
	T(.type = CALL26, .in = I_BL, .S = FAR, .P = P0, .L = P0 + 0x1000, .want = 0x94000400),
	T(.type = CALL26, .in = I_BL, .S = P0 + 0x2000, .P = P0, .L = P0 + 0x1000, .want = 0x94000800),
	T(.type = CALL26, .in = I_BL, .S = FAR, .P = P0, .L = P0 + 0x7fffffc, .want = 0x95ffffff),
	T(.type = CALL26, .in = I_BL, .S = FAR, .P = P0, .L = P0 + 0x8000000, .rc = ERANGE_),
	T(.type = CALL26, .in = I_BL, .S = FAR, .P = P0, .L = P0 - 0x8000000, .want = 0x96000000),
	T(.type = CALL26, .in = I_BL, .S = FAR, .P = P0, .L = P0 + 0x1000, .A = 4, .rc = ERANGE_),
	T(.type = CALL26, .in = I_BL, .S = FAR, .P = P0, .rc = ERANGE_),
	/* A call to an undefined weak function becomes a NOP, as GNU ld makes it. */
	T(.type = CALL26, .in = I_BL, .S = 0, .P = FAR, .L = FAR + 0x1000, .weak = 1, .want = I_NOP),
	T(.type = CALL26, .in = I_BL, .S = 0, .P = 0x1000, .A = 8, .weak = 1, .want = I_NOP),
	/* Instructions stay little-endian in a big-endian object. */
	T(.type = CALL26, .in = I_BL, .S = P0 + 0x7fffffc, .P = P0, .be = 1, .want = 0x95ffffff),
	/* JUMP26: the same for B. */
	T(.type = JUMP26, .in = I_B, .S = P0 + 8, .P = P0, .want = 0x14000002),
	T(.type = JUMP26, .in = I_B, .S = P0 - 0x8000000, .P = P0, .want = 0x16000000),
	T(.type = JUMP26, .in = I_B, .S = P0 - 0x8000004, .P = P0, .rc = ERANGE_),
	T(.type = JUMP26, .in = I_B, .S = FAR, .P = P0, .L = P0 + 0x40, .want = 0x14000010),
	T(.type = JUMP26, .in = I_B, .S = 0, .P = FAR, .weak = 1, .want = I_NOP),

	/* CONDBR19: imm19 = X[20:2] at [23:5], -2^20 <= X < 2^20; the condition stays. */
	T(.type = CONDBR19, .in = I_BNE, .S = P0 + 0xffffc, .P = P0, .want = 0x547fffe1),
	T(.type = CONDBR19, .in = I_BNE, .S = P0 + 0x100000, .P = P0, .rc = ERANGE_),
	T(.type = CONDBR19, .in = I_BNE, .S = P0 - 0x100000, .P = P0, .want = 0x54800001),
	T(.type = CONDBR19, .in = I_BNE, .S = P0 - 0x100004, .P = P0, .rc = ERANGE_),
	T(.type = CONDBR19, .in = I_BNE, .S = P0 + 8, .P = P0, .A = -4, .want = 0x54000021),
	T(.type = CONDBR19, .in = I_BNE, .S = P0 + 2, .P = P0, .rc = ERANGE_),
	T(.type = CONDBR19, .in = I_CBZ, .S = P0 - 4, .P = P0, .want = 0xb4ffffe1),
	T(.type = CONDBR19, .in = I_CBZ, .S = P0 + 0x40, .P = P0, .be = 1, .want = 0xb4000201),
	/* TSTBR14: imm14 = X[15:2] at [18:5], -2^15 <= X < 2^15; bit number and Rt stay. */
	T(.type = TSTBR14, .in = I_TBZ, .S = P0 + 0x7ffc, .P = P0, .want = 0xb6fbffe1), /* ld */
	T(.type = TSTBR14, .in = I_TBZ, .S = P0 + 0x8000, .P = P0, .rc = ERANGE_),
	T(.type = TSTBR14, .in = I_TBZ, .S = P0 - 0x8000, .P = P0, .want = 0xb6fc0001),
	T(.type = TSTBR14, .in = I_TBZ, .S = P0 - 0x8004, .P = P0, .rc = ERANGE_),
	T(.type = TSTBR14, .in = I_TBZ, .S = P0 + 6, .P = P0, .rc = ERANGE_),
	T(.type = TSTBR14, .in = I_TBZ, .S = P0 + 0x10, .P = P0, .A = -0x14, .want = 0xb6ffffe1),

	/* LD_PREL_LO19: like CONDBR19, and X must be a multiple of 4 (ld checks that too). */
	T(.type = LD_PREL_LO19, .in = I_LDRLIT, .S = P0 + 0xffffc, .P = P0, .want = 0x587fffe1), /* ld */
	T(.type = LD_PREL_LO19, .in = I_LDRLIT, .S = P0 + 0x100000, .P = P0, .rc = ERANGE_),
	T(.type = LD_PREL_LO19, .in = I_LDRLIT, .S = P0 - 0x100000, .P = P0, .want = 0x58800001),
	T(.type = LD_PREL_LO19, .in = I_LDRLIT, .S = P0 - 0x100004, .P = P0, .rc = ERANGE_),
	T(.type = LD_PREL_LO19, .in = I_LDRLIT, .S = P0 + 2, .P = P0, .rc = ERANGE_),
	T(.type = LD_PREL_LO19, .in = I_LDRLIT, .S = P0 + 0x20, .P = P0, .A = -0x28, .want = 0x58ffffc1),
	/* ADR_PREL_LO21: immlo = X[1:0] at [30:29], immhi = X[20:2] at [23:5]. */
	T(.type = ADR_PREL_LO21, .in = I_ADR, .S = P0 + 0xfffff, .P = P0, .want = 0x707fffe1), /* ld */
	T(.type = ADR_PREL_LO21, .in = I_ADR, .S = P0 + 0x100000, .P = P0, .rc = ERANGE_),
	T(.type = ADR_PREL_LO21, .in = I_ADR, .S = P0 - 0x100000, .P = P0, .want = 0x10800001), /* ld */
	T(.type = ADR_PREL_LO21, .in = I_ADR, .S = P0 - 0x100001, .P = P0, .rc = ERANGE_),
	T(.type = ADR_PREL_LO21, .in = I_ADR, .S = P0 + 1, .P = P0, .want = 0x30000001),
	T(.type = ADR_PREL_LO21, .in = I_ADR, .S = P0, .P = P0, .A = -1, .want = 0x70ffffe1),
	/* ADR_PREL_PG_HI21: Page(S + A) - Page(P), -2^32 <= X < 2^32, imm = X[32:12]. */
	T(.type = ADR_PREL_PG_HI21, .in = I_ADRP, .S = P0 + 0xffffffff, .P = P0, .want = 0xf07fffe1), /* ld */
	T(.type = ADR_PREL_PG_HI21, .in = I_ADRP, .S = P0 + 0x100000000, .P = P0, .rc = ERANGE_),
	T(.type = ADR_PREL_PG_HI21, .in = I_ADRP, .S = P0 - 0x100000000, .P = P0, .want = 0x90800001), /* ld */
	T(.type = ADR_PREL_PG_HI21, .in = I_ADRP, .S = P0 - 0x100000001, .P = P0, .rc = ERANGE_),
	T(.type = ADR_PREL_PG_HI21, .in = I_ADRP, .S = P0 + 0x1000, .P = P0 + 0xffc, .want = 0xb0000001),
	T(.type = ADR_PREL_PG_HI21, .in = I_ADRP, .S = P0 + 0xfff, .P = P0 + 0x1000, .want = 0xf0ffffe1),
	T(.type = ADR_PREL_PG_HI21, .in = I_ADRP, .S = P0, .P = P0 + 0xff0, .A = 0x1234, .want = 0xb0000001),
	T(.type = ADR_PREL_PG_HI21, .in = I_ADRP, .S = P0 + 0x3000, .P = P0, .A = -0x1001, .want = 0xb0000001),
	T(.type = ADR_PREL_PG_HI21, .in = I_ADRP, .S = FAR, .P = P0, .rc = ERANGE_),
	/* ..._NC: the same bits, unchecked. */
	T(.type = ADR_PREL_PG_HI21_NC, .in = I_ADRP, .S = P0 + 0x100000000, .P = P0, .want = 0x90800001), /* ld */
	T(.type = ADR_PREL_PG_HI21_NC, .in = I_ADRP, .S = P0 + 0x2000, .P = P0, .want = 0x90000001 | 2 << 29),

	/* ADD_ABS_LO12_NC: (S + A) & 0xfff at [21:10]. */
	T(.type = ADD_ABS_LO12_NC, .in = I_ADD, .S = 0x12345fff, .want = 0x913ffc20), /* ld */
	T(.type = ADD_ABS_LO12_NC, .in = I_ADD, .S = 0x1000, .A = -1, .want = 0x913ffc20),
	T(.type = ADD_ABS_LO12_NC, .in = I_ADD, .S = FAR + 0x123, .want = 0x91048c20),
	/* LDSTn_ABS_LO12_NC: the low 12 bits scaled by the access size; misaligned ones
	 * are refused, as GNU ld refuses them. */
	T(.type = LDST8_LO12, .in = I_LDRB, .S = 0x12345ff1, .want = 0x397fc420), /* ld */
	T(.type = LDST16_LO12, .in = I_LDRH, .S = 0x12345ff0, .want = 0x795fe020), /* ld */
	T(.type = LDST16_LO12, .in = I_LDRH, .S = 0x12345ff1, .rc = ERANGE_),
	T(.type = LDST32_LO12, .in = I_LDRW, .S = 0x12345ff0, .want = 0xb94ff020), /* ld */
	T(.type = LDST32_LO12, .in = I_LDRW, .S = 0x12345ff2, .rc = ERANGE_),
	T(.type = LDST64_LO12, .in = I_LDRX, .S = 0x12345ff0, .want = 0xf947f820), /* ld */
	T(.type = LDST64_LO12, .in = I_LDRX, .S = 0x12345ff4, .rc = ERANGE_),
	T(.type = LDST64_LO12, .in = I_LDRX, .S = 0x12346000, .A = -8, .want = 0xf947fc20),
	T(.type = LDST128_LO12, .in = I_LDRQ, .S = 0x12345ff0, .want = 0x3dc3fc20), /* ld */
	T(.type = LDST128_LO12, .in = I_LDRQ, .S = 0x12345ff8, .rc = ERANGE_),
	T(.type = LDST128_LO12, .in = I_LDRQ, .S = 0x12345010, .be = 1, .want = 0x3dc00420),

	/* MOVW_UABS_Gn: bits [16n+15:16n] of S + A at [20:5], X < 2^(16n+16); the
	 * instruction is left as it is (ld does not rewrite MOVN either). */
	T(.type = UABS_G0, .in = I_MOVZ0, .S = 0xffff, .want = 0xd29fffe0), /* ld */
	T(.type = UABS_G0, .in = I_MOVZ0, .S = 0x10000, .rc = ERANGE_),
	T(.type = UABS_G0, .in = I_MOVZ0, .S = 0x10, .A = -0x11, .rc = ERANGE_),
	T(.type = UABS_G0, .in = I_MOVN0, .S = 0x1234, .want = 0x92824680), /* ld */
	T(.type = UABS_G0_NC, .in = I_MOVK0, .S = 0x12345678, .want = 0xf28acf00), /* ld */
	T(.type = UABS_G0_NC, .in = I_MOVK0, .S = 0, .A = -2, .want = 0xf29fffc0),
	T(.type = UABS_G1, .in = I_MOVZ1, .S = 0xffffffff, .want = 0xd2bfffe0), /* ld */
	T(.type = UABS_G1, .in = I_MOVZ1, .S = 0x100000000, .rc = ERANGE_),
	T(.type = UABS_G1_NC, .in = I_MOVK1, .S = 0x123456789abc, .want = 0xf2aacf00),
	T(.type = UABS_G2, .in = I_MOVZ2, .S = 0xffffffffffff, .want = 0xd2dfffe0), /* ld */
	T(.type = UABS_G2, .in = I_MOVZ2, .S = 0x1000000000000, .rc = ERANGE_),
	T(.type = UABS_G2_NC, .in = I_MOVK2, .S = 0xfedcba9876543210, .want = 0xf2d75300),
	T(.type = UABS_G3, .in = I_MOVZ3, .S = 0xfedcba9876543210, .want = 0xd2ffdb80), /* ld */
	T(.type = UABS_G3, .in = I_MOVN3, .S = 0xfedcba9876543210, .want = 0x92ffdb80), /* ld */
	T(.type = UABS_G3, .in = I_MOVZ3, .S = 0x10, .A = -0x20, .want = 0xd2ffffe0),
	/* MOVW_SABS_Gn: MOVZ with X when X >= 0, MOVN with ~X when X < 0;
	 * -2^(16n+16) <= X < 2^(16n+16). */
	T(.type = SABS_G0, .in = I_MOVZ0, .S = 0xffff, .want = 0xd29fffe0), /* ld */
	T(.type = SABS_G0, .in = I_MOVZ0, .S = 0x10000, .rc = ERANGE_),
	T(.type = SABS_G0, .in = I_MOVZ0, .S = 0, .A = -0x10000, .want = 0x929fffe0), /* ld */
	T(.type = SABS_G0, .in = I_MOVZ0, .S = 0, .A = -0x10001, .rc = ERANGE_),
	T(.type = SABS_G0, .in = I_MOVN0, .S = 5, .want = 0xd28000a0), /* ld */
	T(.type = SABS_G0, .in = I_MOVZ0, .S = 4, .A = -5, .want = 0x92800000),
	T(.type = SABS_G1, .in = I_MOVZ1, .S = 0, .A = -0x100000000, .want = 0x92bfffe0), /* ld */
	T(.type = SABS_G1, .in = I_MOVZ1, .S = 0, .A = -0x100000001, .rc = ERANGE_),
	T(.type = SABS_G1, .in = I_MOVZ1, .S = 0xffffffff, .want = 0xd2bfffe0), /* ld */
	T(.type = SABS_G1, .in = I_MOVZ1, .S = 0x100000000, .rc = ERANGE_),
	T(.type = SABS_G2, .in = I_MOVZ2, .S = 0, .A = -0x1000000000000, .want = 0x92dfffe0), /* ld */
	T(.type = SABS_G2, .in = I_MOVZ2, .S = 0, .A = -0x1000000000001, .rc = ERANGE_),
	T(.type = SABS_G2, .in = I_MOVZ2, .S = 0xffffffffffff, .want = 0xd2dfffe0), /* ld */
	T(.type = SABS_G2, .in = I_MOVZ2, .S = 0x1000000000000, .rc = ERANGE_),
	/* MOVW_PREL_Gn: the same with S + A - P; the _NC ones keep the instruction. */
	T(.type = PREL_G0, .in = I_MOVZ0, .S = P0 + 0xffff, .P = P0, .want = 0xd29fffe0), /* ld */
	T(.type = PREL_G0, .in = I_MOVZ0, .S = P0 + 0x10000, .P = P0, .rc = ERANGE_),
	T(.type = PREL_G0, .in = I_MOVZ0, .S = P0 - 0x10000, .P = P0, .want = 0x929fffe0), /* ld */
	T(.type = PREL_G0, .in = I_MOVZ0, .S = P0 - 0x10001, .P = P0, .rc = ERANGE_),
	T(.type = PREL_G0_NC, .in = I_MOVK0, .S = P0 - 0x10, .P = P0, .want = 0xf29ffe00), /* ld */
	T(.type = PREL_G0_NC, .in = I_MOVZ0, .S = P0 - 0x10, .P = P0, .want = 0xd29ffe00), /* ld */
	T(.type = PREL_G1, .in = I_MOVZ1, .S = P0 + 0xffffffff, .P = P0, .want = 0xd2bfffe0), /* ld */
	T(.type = PREL_G1, .in = I_MOVZ1, .S = P0 + 0x100000000, .P = P0, .rc = ERANGE_),
	T(.type = PREL_G1, .in = I_MOVZ1, .S = P0 - 0x100000000, .P = P0, .want = 0x92bfffe0), /* ld */
	T(.type = PREL_G1, .in = I_MOVZ1, .S = P0 - 0x100000001, .P = P0, .rc = ERANGE_),
	T(.type = PREL_G1_NC, .in = I_MOVK1, .S = P0 - 0x10, .P = P0, .want = 0xf2bfffe0), /* ld */
	T(.type = PREL_G2, .in = I_MOVZ2, .S = P0 + 0xffffffffffff, .P = P0, .want = 0xd2dfffe0), /* ld */
	T(.type = PREL_G2, .in = I_MOVZ2, .S = P0 + 0x1000000000000, .P = P0, .rc = ERANGE_),
	T(.type = PREL_G2, .in = I_MOVZ2, .S = P0 - 0x1000000000000, .P = P0, .want = 0x92dfffe0), /* ld */
	T(.type = PREL_G2, .in = I_MOVZ2, .S = P0 - 0x1000000000001, .P = P0, .rc = ERANGE_),
	T(.type = PREL_G2_NC, .in = I_MOVK2, .S = P0 - 0x10, .P = P0, .want = 0xf2dfffe0), /* ld */
	T(.type = PREL_G3, .in = I_MOVZ3, .S = P0 - 0x10, .P = P0, .want = 0x92e00000), /* ld */
	T(.type = PREL_G3, .in = I_MOVZ3, .S = P0 + 0x1234000000000000, .P = P0, .want = 0xd2e24680), /* ld */
	T(.type = PREL_G3, .in = I_MOVN3, .S = 0x8000000000000000, .P = P0, .want = 0xd2efffe0), /* ld */
	T(.type = PREL_G3, .in = I_MOVZ3, .S = 0x8000000000000000, .P = 0, .want = 0x92efffe0),

	/* ADR_GOT_PAGE: Page(G) - Page(P), -2^32 <= X < 2^32. A must be 0 (see apply). */
	T(.type = ADR_GOT_PAGE, .in = I_ADRP, .G = 0x10010008, .GOT = 0x10010000, .S = 0x20000000,
	  .P = P0, .want = 0x90000081), /* ld */
	T(.type = ADR_GOT_PAGE, .in = I_ADRP, .G = P0 + 0xffffffff, .P = P0, .want = 0xf07fffe1),
	T(.type = ADR_GOT_PAGE, .in = I_ADRP, .G = P0 + 0x100000000, .P = P0, .rc = ERANGE_),
	T(.type = ADR_GOT_PAGE, .in = I_ADRP, .G = P0 - 0x100000000, .P = P0, .want = 0x90800001),
	T(.type = ADR_GOT_PAGE, .in = I_ADRP, .G = P0 - 0x100000008, .P = P0, .rc = ERANGE_),
	T(.type = ADR_GOT_PAGE, .in = I_ADRP, .G = 0x10010008, .P = P0, .A = 8, .rc = ELFMOD_EUNSUPPORTED),
	/* LD64_GOT_LO12_NC: G & 0xff8 as an 8-byte-scaled offset; G must be 8-aligned. */
	T(.type = LD64_GOT_LO12_NC, .in = I_LDRX0, .G = 0x10010008, .want = 0xf9400400), /* ld */
	T(.type = LD64_GOT_LO12_NC, .in = I_LDRX0, .G = 0x10010ff8, .want = 0xf947fc00),
	T(.type = LD64_GOT_LO12_NC, .in = I_LDRX0, .G = 0x1001000c, .rc = ERANGE_),
	T(.type = LD64_GOT_LO12_NC, .in = I_LDRX0, .G = 0x10010008, .A = -8, .rc = ELFMOD_EUNSUPPORTED),
	/* LD64_GOTPAGE_LO15: G - Page(GOT), 0 <= X < 2^15, 8-aligned, as [14:3]. */
	T(.type = LD64_GOTPAGE_LO15, .in = I_LDRX0, .GOT = 0x10010010, .G = 0x10010008, .want = 0xf9400400), /* ld */
	T(.type = LD64_GOTPAGE_LO15, .in = I_LDRX0, .GOT = 0x10010010, .G = 0x10017ff8, .want = 0xf97ffc00),
	T(.type = LD64_GOTPAGE_LO15, .in = I_LDRX0, .GOT = 0x10010010, .G = 0x10018000, .rc = ERANGE_),
	T(.type = LD64_GOTPAGE_LO15, .in = I_LDRX0, .GOT = 0x10010010, .G = 0x1000fff8, .rc = ERANGE_),
	T(.type = LD64_GOTPAGE_LO15, .in = I_LDRX0, .GOT = 0x10010010, .G = 0x10010004, .rc = ERANGE_),
	T(.type = LD64_GOTPAGE_LO15, .in = I_LDRX0, .GOT = 0x10010010, .G = 0x10010008, .A = 8,
	  .rc = ELFMOD_EUNSUPPORTED),
};

static char ctx[128];

static const char *nm(uint32_t type)
{
	const char *n = elfmod_reloc_name(ELFMOD_EM_AARCH64, type);

	return n ? n : "?";
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned size_of(uint32_t t)
{
	switch (t) {
	case ABS64: case PREL64:
		return 8;
	case ABS16: case PREL16:
		return 2;
	default:
		return 4;
	}
}

static int is_data(uint32_t t)
{
	return t >= ABS64 && t <= PREL16;
}

/* One case through info and apply, on the field at buf + 1. */
static void run(const struct tc *c)
{
	const struct arch_desc *arch = &elfmod__arch_aarch64;
	uint8_t buf[24], field[8];
	struct reloc_info ri;
	struct reloc_args a;
	unsigned n = size_of(c->type);

	snprintf(ctx, sizeof(ctx), "%s line %d", nm(c->type), c->line);
	check_ctx = ctx;
	memset(&ri, 0, sizeof(ri));
	CHECK_RC(arch->info(c->type, &ri), 0);
	CHECK_EQ(ri.size, n);
	CHECK(!(ri.flags & RF_NONE));

	memset(buf, GUARD, sizeof(buf));
	if (!is_data(c->type))
		put(buf + 1, c->in, 4, 0); /* instructions are little-endian always */
	memset(&a, 0, sizeof(a));
	a.type = c->type;
	a.big_endian = c->be;
	a.loc = buf + 1;
	a.S = c->S;
	a.P = c->P;
	a.GOT = c->GOT;
	a.G = c->G;
	a.L = c->L;
	a.A = c->A;
	a.weak_undef = c->weak;
	memcpy(field, buf + 1, n);
	CHECK_RC(arch->apply(&a), c->rc);
	if (c->rc == 0) {
		put(field, c->want, n, is_data(c->type) && c->be);
		CHECK(memcmp(buf + 1, field, n) == 0);
		if (memcmp(buf + 1, field, n)) {
			fprintf(stderr, "  wrote");
			for (unsigned i = 0; i < n; i++)
				fprintf(stderr, " %02x", buf[1 + i]);
			fprintf(stderr, ", want 0x%llx\n", (unsigned long long)c->want);
		}
	} else {
		/* Refused: the field keeps what it held. */
		CHECK(memcmp(buf + 1, field, n) == 0);
	}
	CHECK(guards_ok(buf, sizeof(buf), 1, 1 + n));
}

/* What each type asks of the generic code. */
static void check_flags(void)
{
	static const struct {
		uint32_t type;
		uint8_t flags;
	} f[] = {
		{ NONE, RF_NONE }, { NULL_, RF_NONE }, { ABS64, 0 }, { ABS32, 0 }, { ABS16, 0 },
		{ PREL64, 0 }, { PREL32, RF_PCREL }, { PREL16, RF_PCREL },
		{ UABS_G0, 0 }, { UABS_G0_NC, 0 }, { UABS_G1, 0 }, { UABS_G1_NC, 0 }, { UABS_G2, 0 },
		{ UABS_G2_NC, 0 }, { UABS_G3, 0 }, { SABS_G0, 0 }, { SABS_G1, 0 }, { SABS_G2, 0 },
		{ LD_PREL_LO19, RF_PCREL }, { ADR_PREL_LO21, RF_PCREL }, { ADR_PREL_PG_HI21, RF_PCREL },
		{ ADR_PREL_PG_HI21_NC, RF_PCREL }, { ADD_ABS_LO12_NC, 0 }, { LDST8_LO12, 0 },
		{ TSTBR14, RF_PCREL }, { CONDBR19, RF_PCREL }, { JUMP26, RF_CALL }, { CALL26, RF_CALL },
		{ LDST16_LO12, 0 }, { LDST32_LO12, 0 }, { LDST64_LO12, 0 }, { LDST128_LO12, 0 },
		{ PREL_G0, RF_PCREL }, { PREL_G0_NC, 0 }, { PREL_G1, RF_PCREL }, { PREL_G1_NC, 0 },
		{ PREL_G2, 0 }, { PREL_G2_NC, 0 }, { PREL_G3, 0 },
		{ ADR_GOT_PAGE, RF_GOT }, { LD64_GOT_LO12_NC, RF_GOT },
		{ LD64_GOTPAGE_LO15, RF_GOT | RF_GOTBASE },
	};
	const struct arch_desc *arch = &elfmod__arch_aarch64;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		struct reloc_info ri;

		snprintf(ctx, sizeof(ctx), "flags of %s", nm(f[i].type));
		check_ctx = ctx;
		CHECK_RC(arch->info(f[i].type, &ri), 0);
		CHECK_EQ(ri.flags, f[i].flags);
		CHECK(elfmod_reloc_supported(ELFMOD_EM_AARCH64, f[i].type));
	}
}

/* R_AARCH64_NONE (0) and the withdrawn 256: no field; loc may point nowhere. */
static void check_none(void)
{
	const struct arch_desc *arch = &elfmod__arch_aarch64;
	static const uint32_t types[] = { NONE, NULL_ };

	for (size_t i = 0; i < 2; i++) {
		struct reloc_info ri;
		struct reloc_args a;

		snprintf(ctx, sizeof(ctx), "%s", nm(types[i]));
		check_ctx = ctx;
		CHECK_RC(arch->info(types[i], &ri), 0);
		CHECK_EQ(ri.flags, RF_NONE);
		CHECK_EQ(ri.size, 0);
		memset(&a, 0, sizeof(a));
		a.type = types[i];
		a.S = 0x1234;
		a.P = 0x5678;
		CHECK_RC(arch->apply(&a), 0); /* loc is NULL */
	}
}

static void check_unsupported(void)
{
	static const uint32_t types[] = {
		1, 2, 28, 255, 281, 294, 295, 296, 297, 298, 300, 306, 307, 308, 309, 310, 314, 511,
		512, 513, 541, 542, 549, 550, 562, 563, 569, 573, 1024, 1025, 1026, 1027, 1031, 1032,
		0x10000, 0xffffffffu,
	};
	const struct arch_desc *arch = &elfmod__arch_aarch64;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint8_t buf[16];
		struct reloc_info ri;
		struct reloc_args a;

		snprintf(ctx, sizeof(ctx), "unsupported %s (%u)", nm(types[i]), types[i]);
		check_ctx = ctx;
		memset(buf, GUARD, sizeof(buf));
		CHECK_RC(arch->info(types[i], &ri), ELFMOD_ERELTYPE);
		CHECK(!elfmod_reloc_supported(ELFMOD_EM_AARCH64, types[i]));
		memset(&a, 0, sizeof(a));
		a.type = types[i];
		a.loc = buf + 1;
		a.S = 0x1000;
		a.P = 0x2000;
		CHECK_RC(arch->apply(&a), ELFMOD_ERELTYPE);
		CHECK(guards_ok(buf, sizeof(buf), 0, 0));
	}
}

static void check_descriptor(void)
{
	const struct arch_desc *arch = &elfmod__arch_aarch64;

	check_ctx = "descriptor";
	CHECK_EQ(arch->machine, ELFMOD_EM_AARCH64);
	CHECK_EQ(arch->classes, 2); /* ELFCLASS64 only */
	CHECK(arch->info && arch->apply && arch->stub);
	CHECK(arch->addend == NULL); /* RELA only */
	CHECK(arch->flags_ok == NULL || arch->flags_ok(0xffffffff));
	CHECK_EQ(arch->stub_size, 16);
	CHECK_EQ(arch->stub_align, 8);
	CHECK(elfmod__arch_find(ELFMOD_EM_AARCH64) == arch);
	CHECK(elfmod_machine_supported(ELFMOD_EM_AARCH64));
}

/*
 * The stub, decoded: LDR (literal) x16 whose literal is the 8 bytes after the BR,
 * then BR x16, then the target in the object's byte order.
 */
static void check_stub(void)
{
	static const uint8_t want_le[16] = {
		0x50, 0x00, 0x00, 0x58, /* ldr x16, .+8 */
		0x00, 0x02, 0x1f, 0xd6, /* br x16 */
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	};
	const struct arch_desc *arch = &elfmod__arch_aarch64;
	uint8_t buf[20];
	uint32_t ldr, br;

	check_ctx = "stub bytes";
	memset(buf, GUARD, sizeof(buf));
	arch->stub(buf + 1, 0x7f0000002000, 0x1122334455667788, 0);
	CHECK(memcmp(buf + 1, want_le, sizeof(want_le)) == 0);
	CHECK(guards_ok(buf, sizeof(buf), 1, 17));

	ldr = le32(buf + 1);
	br = le32(buf + 5);
	CHECK_EQ(ldr & 0xff000000u, 0x58000000u);          /* LDR (literal), 64-bit */
	CHECK_EQ(ldr & 0x1f, 16);                          /* into x16 */
	CHECK_EQ(((ldr >> 5) & 0x7ffff) * 4, 8);           /* the literal at +8 */
	CHECK_EQ(br & 0xfffffc1fu, 0xd61f0000u);           /* BR */
	CHECK_EQ((br >> 5) & 0x1f, 16);                    /* through x16 */

	/* Position-independent: the same bytes anywhere. */
	memset(buf, GUARD, sizeof(buf));
	arch->stub(buf + 1, 0x10, 0x1122334455667788, 0);
	CHECK(memcmp(buf + 1, want_le, sizeof(want_le)) == 0);

	/* aarch64_be: the instructions stay little-endian, the literal is big-endian. */
	check_ctx = "stub bytes, big-endian";
	memset(buf, GUARD, sizeof(buf));
	arch->stub(buf + 1, 0x1000, 0x1122334455667788, 1);
	CHECK(memcmp(buf + 1, want_le, 8) == 0);
	CHECK(buf[9] == 0x11 && buf[10] == 0x22 && buf[15] == 0x77 && buf[16] == 0x88);
	CHECK(guards_ok(buf, sizeof(buf), 1, 17));
}

#if RUN_STUBS
__attribute__((noinline)) static long host_fn(long x)
{
	return x * 7 + 3;
}

/* stp x29, x30, [sp, #-16]!; mov x29, sp; bl .; ldp x29, x30, [sp], #16; ret.
 * Returns the offset of the BL. */
static size_t put_caller(uint8_t *p)
{
	static const uint32_t code[] = { 0xa9bf7bfd, 0x910003fd, 0x94000000, 0xa8c17bfd, 0xd65f03c0 };

	for (size_t i = 0; i < 5; i++)
		put(p + 4 * i, code[i], 4, 0);
	return 8;
}

static void run_stubs(void)
{
	const struct arch_desc *arch = &elfmod__arch_aarch64;
	uint64_t fn = (uint64_t)(uintptr_t)host_fn;
	/* A hint far from the program, so that the direct call cannot reach. */
	uintptr_t hint = fn < 0x4000000000 ? 0x6000000000 : 0x1000000000;
	uint8_t *page = mmap((void *)hint, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t base = (uint64_t)(uintptr_t)page, dist;
	struct reloc_args a;
	size_t f1, f2, f3;
	int far;

	check_ctx = "stub execution";
	CHECK(page != MAP_FAILED);
	if (page == MAP_FAILED)
		return;
	memset(page, 0, 4096); /* udf #0 */
	/* 0: caller via CALL26 (direct or stub); 32: the stub; 64: caller whose BL lands
	 * on the stub; 96: caller of an undefined weak function (NOP). */
	f1 = put_caller(page);
	arch->stub(page + 32, base + 32, fn, 0);
	f2 = 64 + put_caller(page + 64);
	f3 = 96 + put_caller(page + 96);

	memset(&a, 0, sizeof(a));
	a.type = CALL26;
	a.loc = page + f1;
	a.P = base + f1;
	a.S = fn;
	a.L = base + 32;
	CHECK_RC(arch->apply(&a), 0);
	dist = fn - a.P;
	far = dist + 0x8000000 >= 0x10000000;
	CHECK_EQ(le32(page + f1) & 0x3ffffff, ((far ? a.L : fn) - a.P) >> 2 & 0x3ffffff);
	printf("stub page at %p, host_fn at %p: %s\n", (void *)page, (void *)(uintptr_t)fn,
	       far ? "out of reach, CALL26 uses the stub" : "in reach (the stub is run through the second caller)");

	a.loc = page + f2;
	a.P = base + f2;
	a.S = base + 32;
	a.L = 0;
	CHECK_RC(arch->apply(&a), 0);

	a.loc = page + f3;
	a.P = base + f3;
	a.S = 0;
	a.weak_undef = 1;
	CHECK_RC(arch->apply(&a), 0);
	CHECK_EQ(le32(page + f3), I_NOP);

	CHECK(mprotect(page, 4096, PROT_READ | PROT_EXEC) == 0);
	__builtin___clear_cache((char *)page, (char *)page + 4096);
	{
		long (*caller)(long) = (long (*)(long))(uintptr_t)page;
		long (*via_stub)(long) = (long (*)(long))(uintptr_t)(page + 64);
		long (*stub_fn)(long) = (long (*)(long))(uintptr_t)(page + 32);
		long (*weak_caller)(long) = (long (*)(long))(uintptr_t)(page + 96);

		CHECK_EQ(caller(5), 38);
		CHECK_EQ(via_stub(-3), -18);
		CHECK_EQ(stub_fn(100), 703);
		CHECK_EQ(weak_caller(42), 42); /* x0 passes through the NOP */
	}
	munmap(page, 4096);
}
#endif

int main(void)
{
	check_descriptor();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
	check_flags();
	check_none();
	check_unsupported();
	check_stub();
#if RUN_STUBS
	run_stubs();
#endif
	return check_done("reloc_aarch64");
}
