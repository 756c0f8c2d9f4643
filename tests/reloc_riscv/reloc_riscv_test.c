/*
 * The RISC-V relocation engine, called through its descriptor exactly as src/module.c
 * calls it. Every expected encoding below was worked out by hand from the psABI's
 * formulas and the RV32I/RV64I/C instruction layouts (those marked "ld" are also
 * what GNU ld 2.40 writes for the same instruction and distance, in the oracle corpus
 * tests/oracle/riscv64 or by hand). Fields are written at an odd
 * address (buf + 1) so that a wide or aligned store would show under UBSan, and a
 * refused relocation must leave the bytes alone.
 */
#include "arch/arch.h"
#include "check.h"
#include "reloc_test.h"

#include <stdint.h>
#include <string.h>

/* Type numbers (RISC-V ELF psABI). */
#define NONE 0
#define R32 1
#define R64 2
#define BRANCH 16
#define JAL 17
#define CALL 18
#define CALL_PLT 19
#define GOT_HI20 20
#define PCREL_HI20 23
#define PCREL_LO12_I 24
#define PCREL_LO12_S 25
#define HI20 26
#define LO12_I 27
#define LO12_S 28
#define ADD8 33
#define ADD16 34
#define ADD32 35
#define ADD64 36
#define SUB8 37
#define SUB16 38
#define SUB32 39
#define SUB64 40
#define ALIGN 43
#define RVC_BRANCH 44
#define RVC_JUMP 45
#define RELAX 51
#define SUB6 52
#define SET6 53
#define SET8 54
#define SET16 55
#define SET32 56
#define PCREL32 57
#define PLT32 59
#define SET_ULEB128 60
#define SUB_ULEB128 61

/* Instructions with zero immediates, as the assembler leaves them. */
#define I_AUIPC 0x00000097u   /* auipc ra, 0 */
#define I_JALR 0x000080e7u    /* jalr ra, 0(ra) */
#define I_JR_T1 0x00030067u   /* jr 0(t1) */
#define I_JAL 0x000000efu     /* jal ra, . */
#define I_BEQ 0x00b50063u     /* beq a0, a1, . */
#define I_LUI 0x00000537u     /* lui a0, 0 */
#define I_ADDI 0x00050513u    /* addi a0, a0, 0 */
#define I_SW 0x00a52023u      /* sw a0, 0(a0) */
#define I_CJ 0xa001u          /* c.j . */
#define I_CBNEZ 0xe381u       /* c.bnez a5, . */

#define ERANGE_ ELFMOD_ERANGE
#define P0 0x10000000ull
#define FAR 0x7f0000000000ull

struct tc {
	uint32_t type;
	uint64_t in;     /* the field before relocation */
	uint64_t S, P, G, L, pair;
	int64_t A;
	uint8_t weak;
	uint8_t has_pair;
	uint8_t be;      /* big-endian data */
	uint8_t cls;     /* 32 for RV32 (arithmetic modulo 2^32); 0 is RV64 */
	int rc;
	uint64_t want;   /* the field's value when rc == 0 */
	int line;
};

#define T(...) { __VA_ARGS__, .line = __LINE__ }
/* A CALL pair's field as one 64-bit little-endian value: jalr << 32 | auipc. */
#define PAIR(auipc, jalr) ((uint64_t)(jalr) << 32 | (auipc))

static const struct tc cases[] = {
	/* 32: S + A, anything that fits as signed or unsigned 32 bits. */
	T(.type = R32, .S = 0xfffffff0, .A = 0xf, .want = 0xffffffff),
	T(.type = R32, .S = 0xfffffff0, .A = 0x10, .rc = ERANGE_),
	T(.type = R32, .S = 0x10, .A = -0x20, .want = 0xfffffff0),
	T(.type = R32, .S = 0, .A = -0x80000000LL, .want = 0x80000000),
	T(.type = R32, .S = 0, .A = -0x80000001LL, .rc = ERANGE_),
	T(.type = R32, .S = 0x12345678, .be = 1, .want = 0x12345678),
	/* 64: S + A. */
	T(.type = R64, .S = 0xfedcba9876543210, .A = 1, .want = 0xfedcba9876543211),
	T(.type = R64, .S = 0x10, .A = -0x20, .be = 1, .want = 0xfffffffffffffff0),
	/* 32_PCREL: S + A - P, signed 32 bits. */
	T(.type = PCREL32, .S = P0 + 0x7fffffff, .P = P0, .want = 0x7fffffff),
	T(.type = PCREL32, .S = P0 + 0x80000000, .P = P0, .rc = ERANGE_),
	T(.type = PCREL32, .S = P0 - 0x80000000, .P = P0, .want = 0x80000000),
	T(.type = PCREL32, .S = P0 - 0x80000001, .P = P0, .rc = ERANGE_),
	T(.type = PCREL32, .S = P0, .P = P0 + 0x10, .A = 4, .want = 0xfffffff4),
	/* PLT32: like 32_PCREL, through the stub when S is out of reach and A == 0. */
	T(.type = PLT32, .S = P0 + 0x100, .P = P0, .L = P0 + 0x40, .want = 0x100),
	T(.type = PLT32, .S = FAR, .P = P0, .L = P0 + 0x40, .want = 0x40),
	T(.type = PLT32, .S = FAR, .P = P0, .L = P0 + 0x40, .A = 4, .rc = ERANGE_),
	T(.type = PLT32, .S = FAR, .P = P0, .rc = ERANGE_),
	T(.type = PLT32, .S = FAR, .P = P0 + 0x80, .L = P0, .want = 0xffffff80),

	/* BRANCH: imm[12|10:5] at [31:25], imm[4:1|11] at [11:7]; -4096 .. 4094, even. */
	T(.type = BRANCH, .in = I_BEQ, .S = P0 + 0xffe, .P = P0, .want = 0x7eb50fe3), /* ld */
	T(.type = BRANCH, .in = I_BEQ, .S = P0 + 0x1000, .P = P0, .rc = ERANGE_),
	T(.type = BRANCH, .in = I_BEQ, .S = P0 - 0x1000, .P = P0, .want = 0x80b50063),
	T(.type = BRANCH, .in = I_BEQ, .S = P0 - 0x1002, .P = P0, .rc = ERANGE_),
	T(.type = BRANCH, .in = I_BEQ, .S = P0 + 3, .P = P0, .rc = ERANGE_),
	T(.type = BRANCH, .in = I_BEQ, .S = P0 + 0x800, .P = P0, .want = 0x00b500e3),
	T(.type = BRANCH, .in = I_BEQ, .S = P0 + 0x20, .P = P0, .A = -0x22, .want = 0xfeb50fe3),
	/* JAL: imm[20|10:1|11|19:12] at [31:12]; -1 MiB .. 1 MiB - 2. */
	T(.type = JAL, .in = I_JAL, .S = P0 + 0xffffe, .P = P0, .want = 0x7ffff0ef), /* ld */
	T(.type = JAL, .in = I_JAL, .S = P0 + 0x100000, .P = P0, .rc = ERANGE_),
	T(.type = JAL, .in = I_JAL, .S = P0 - 0x100000, .P = P0, .want = 0x800000ef), /* ld */
	T(.type = JAL, .in = I_JAL, .S = P0 - 0x100002, .P = P0, .rc = ERANGE_),
	T(.type = JAL, .in = I_JAL, .S = P0 + 0x800, .P = P0, .want = 0x001000ef),
	T(.type = JAL, .in = I_JAL, .S = P0 + 0x1000, .P = P0, .want = 0x000010ef),
	T(.type = JAL, .in = I_JAL, .S = P0 + 1, .P = P0, .rc = ERANGE_),
	/* Through the stub when S is out of reach (and A == 0). */
	T(.type = JAL, .in = I_JAL, .S = FAR, .P = P0, .L = P0 + 0x800, .want = 0x001000ef),
	T(.type = JAL, .in = I_JAL, .S = FAR, .P = P0, .L = P0 + 0x800, .A = 2, .rc = ERANGE_),
	T(.type = JAL, .in = I_JAL, .S = FAR, .P = P0, .L = P0 + 0x100000, .rc = ERANGE_),
	/* RVC_BRANCH: offset[8|4:3] at [12:10], offset[7:6|2:1|5] at [6:2]; -256 .. 254. */
	T(.type = RVC_BRANCH, .in = I_CBNEZ, .S = P0 + 0xfe, .P = P0, .want = 0xeffd),
	T(.type = RVC_BRANCH, .in = I_CBNEZ, .S = P0 + 0x100, .P = P0, .rc = ERANGE_),
	T(.type = RVC_BRANCH, .in = I_CBNEZ, .S = P0 - 0x100, .P = P0, .want = 0xf381),
	T(.type = RVC_BRANCH, .in = I_CBNEZ, .S = P0 - 0x102, .P = P0, .rc = ERANGE_),
	T(.type = RVC_BRANCH, .in = I_CBNEZ, .S = P0 + 0x20, .P = P0, .want = 0xe385),
	T(.type = RVC_BRANCH, .in = I_CBNEZ, .S = P0 + 5, .P = P0, .rc = ERANGE_),
	/* RVC_JUMP: offset[11|4|9:8|10|6|7|3:1|5] at [12:2]; -2048 .. 2046. */
	T(.type = RVC_JUMP, .in = I_CJ, .S = P0 + 0x7fe, .P = P0, .want = 0xaffd), /* ld */
	T(.type = RVC_JUMP, .in = I_CJ, .S = P0 + 0x800, .P = P0, .rc = ERANGE_),
	T(.type = RVC_JUMP, .in = I_CJ, .S = P0 - 0x800, .P = P0, .want = 0xb001), /* ld */
	T(.type = RVC_JUMP, .in = I_CJ, .S = P0 - 0x802, .P = P0, .rc = ERANGE_),
	T(.type = RVC_JUMP, .in = I_CJ, .S = P0 + 0x10, .P = P0, .want = 0xa801),
	T(.type = RVC_JUMP, .in = I_CJ, .S = P0 + 0x40, .P = P0, .want = 0xa081),

	/* CALL, CALL_PLT: AUIPC gets (X + 0x800) >> 12, JALR the low 12 bits, signed. */
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = P0 + 0x7ffff7fe, .P = P0,
	  .want = PAIR(0x7ffff097, 0x7fe080e7)), /* ld */
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = P0 + 0x7ffff800, .P = P0, .rc = ERANGE_),
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = P0 - 0x80000800, .P = P0,
	  .want = PAIR(0x80000097, 0x800080e7)), /* ld */
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = P0 - 0x80000802, .P = P0, .rc = ERANGE_),
	T(.type = CALL, .in = PAIR(I_AUIPC, I_JALR), .S = P0 + 0x7ff, .P = P0,
	  .want = PAIR(0x00000097, 0x7ff080e7)),
	T(.type = CALL, .in = PAIR(I_AUIPC, I_JALR), .S = P0 + 0x800, .P = P0,
	  .want = PAIR(0x00001097, 0x800080e7)),
	T(.type = CALL, .in = PAIR(I_AUIPC, I_JALR), .S = P0, .P = P0 + 0x10, .A = 4,
	  .want = PAIR(0x00000097, 0xff4080e7)),
	T(.type = CALL, .in = PAIR(0x00000317, I_JR_T1), .S = P0 + 0x12345678, .P = P0,
	  .want = PAIR(0x12345317, 0x67830067)),
	/* Through the stub only when S is out of reach, and only for A == 0. */
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = FAR, .P = P0, .L = P0 + 0x1000,
	  .want = PAIR(0x00001097, 0x000080e7)),
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = P0 + 0x2000, .P = P0, .L = P0 + 0x1000,
	  .want = PAIR(0x00002097, 0x000080e7)),
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = FAR, .P = P0, .L = P0 + 0x1000, .A = 8,
	  .rc = ERANGE_),
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = FAR, .P = P0, .rc = ERANGE_),
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = 0x1000, .P = FAR + 0x7ffff000,
	  .L = FAR + 0x10, .want = PAIR(0x80001097, 0x010080e7)),
	/* Undefined weak: AUIPC rd, 0 and JALR rd, 0(x0), a call to 0, as GNU ld writes. */
	T(.type = CALL_PLT, .in = PAIR(I_AUIPC, I_JALR), .S = 0, .P = FAR, .L = FAR + 0x100, .weak = 1,
	  .want = PAIR(0x00000097, 0x000000e7)), /* ld */
	T(.type = CALL_PLT, .in = PAIR(0x00000317, I_JR_T1), .S = 0, .P = 0x100, .weak = 1,
	  .want = PAIR(0x00000317, 0x00000067)), /* ld */

	/* HI20: (X + 0x800) >> 12, X as RV64 sign-extends it; LO12_I/S: X's low 12 bits. */
	T(.type = HI20, .in = I_LUI, .S = 0x12345678, .want = 0x12345537), /* ld */
	T(.type = HI20, .in = I_LUI, .S = 0x123457ff, .want = 0x12345537), /* ld */
	T(.type = HI20, .in = I_LUI, .S = 0x12345800, .want = 0x12346537), /* ld */
	T(.type = HI20, .in = I_LUI, .S = 0x7ffff7ff, .want = 0x7ffff537), /* ld */
	T(.type = HI20, .in = I_LUI, .S = 0x7ffff800, .rc = ERANGE_),
	/* RV32: addresses wrap at 2^32, so the upper half of the space is in reach. */
	T(.type = HI20, .in = I_LUI, .S = 0x7ffff800, .cls = 32, .want = 0x80000537),
	T(.type = HI20, .in = I_LUI, .S = 0x80000000, .cls = 32, .want = 0x80000537),
	T(.type = PCREL32, .S = 0x10, .P = 0xfffffff0, .cls = 32, .want = 0x20),
	T(.type = PCREL32, .S = 0x10, .P = 0xfffffff0, .rc = ERANGE_),
	T(.type = HI20, .in = I_LUI, .S = 0, .A = -0x80000800LL, .want = 0x80000537), /* ld */
	T(.type = HI20, .in = I_LUI, .S = 0, .A = -0x80000801LL, .rc = ERANGE_),
	T(.type = HI20, .in = I_LUI, .S = 0, .A = -0x1234, .want = 0xfffff537),
	T(.type = HI20, .in = I_LUI, .S = 0, .A = -0x800, .want = 0x00000537),
	T(.type = HI20, .in = I_LUI, .S = 0, .A = -0x801, .want = 0xfffff537),
	T(.type = HI20, .in = I_LUI, .S = FAR, .rc = ERANGE_),
	T(.type = LO12_I, .in = I_ADDI, .S = 0x123457ff, .want = 0x7ff50513), /* ld */
	T(.type = LO12_I, .in = I_ADDI, .S = 0x12345800, .want = 0x80050513), /* ld */
	T(.type = LO12_I, .in = I_ADDI, .S = 0, .A = -0x1234, .want = 0xdcc50513),
	T(.type = LO12_I, .in = I_ADDI, .S = FAR + 0xfff, .want = 0xfff50513),
	T(.type = LO12_S, .in = I_SW, .S = 0x123457ff, .want = 0x7ea52fa3), /* ld */
	T(.type = LO12_S, .in = I_SW, .S = 0x12345800, .want = 0x80a52023),
	T(.type = LO12_S, .in = I_SW, .S = 0, .A = -0x1234, .want = 0xdca52623),

	/* PCREL_HI20: S + A - P, rounded like HI20. */
	T(.type = PCREL_HI20, .in = I_AUIPC, .S = P0 + 0x7ffff7ff, .P = P0, .want = 0x7ffff097),
	T(.type = PCREL_HI20, .in = I_AUIPC, .S = P0 + 0x7ffff800, .P = P0, .rc = ERANGE_),
	T(.type = PCREL_HI20, .in = I_AUIPC, .S = P0 - 0x80000800, .P = P0, .want = 0x80000097),
	T(.type = PCREL_HI20, .in = I_AUIPC, .S = P0 - 0x80000801, .P = P0, .rc = ERANGE_),
	T(.type = PCREL_HI20, .in = I_AUIPC, .S = P0 + 0x7ff, .P = P0, .want = 0x00000097),
	T(.type = PCREL_HI20, .in = I_AUIPC, .S = P0 + 0x800, .P = P0, .want = 0x00001097),
	T(.type = PCREL_HI20, .in = I_AUIPC, .S = P0, .P = P0 + 0x801, .want = 0xfffff097),
	/* GOT_HI20: G - P; the slot holds S, so A must be 0. */
	T(.type = GOT_HI20, .in = I_AUIPC, .S = FAR, .G = P0 + 0x12345800, .P = P0, .want = 0x12346097),
	T(.type = GOT_HI20, .in = I_AUIPC, .G = P0 + 0x7ffff800, .P = P0, .rc = ERANGE_),
	T(.type = GOT_HI20, .in = I_AUIPC, .G = P0 + 8, .P = P0, .A = 8, .rc = ELFMOD_EUNSUPPORTED),
	/* PCREL_LO12_I/S: the low 12 bits of the partner's value; refused without one. */
	T(.type = PCREL_LO12_I, .in = I_ADDI, .pair = 0x12345678, .has_pair = 1, .want = 0x67850513),
	T(.type = PCREL_LO12_I, .in = I_ADDI, .pair = 0x800, .has_pair = 1, .want = 0x80050513),
	T(.type = PCREL_LO12_I, .in = I_ADDI, .pair = (uint64_t)-0x801, .has_pair = 1, .want = 0x7ff50513),
	T(.type = PCREL_LO12_I, .in = I_ADDI, .pair = (uint64_t)-1, .has_pair = 1, .want = 0xfff50513),
	T(.type = PCREL_LO12_I, .in = I_ADDI, .S = P0, .P = P0 + 4, .rc = ERANGE_),
	T(.type = PCREL_LO12_S, .in = I_SW, .pair = 0x7ff, .has_pair = 1, .want = 0x7ea52fa3),
	T(.type = PCREL_LO12_S, .in = I_SW, .pair = (uint64_t)-0x10, .has_pair = 1, .want = 0xfea52823),
	T(.type = PCREL_LO12_S, .in = I_SW, .S = P0, .P = P0 + 4, .rc = ERANGE_),

	/* ADD/SUB: V + (S + A), V - (S + A), wrapping in the field; data byte order. */
	T(.type = ADD8, .in = 0xf0, .S = 0x20, .A = -0x1, .want = 0x0f),
	T(.type = ADD16, .in = 0x1234, .S = 0x10000, .A = 0x10, .want = 0x1244),
	T(.type = ADD16, .in = 0x1234, .S = 0x10, .be = 1, .want = 0x1244),
	T(.type = ADD32, .in = 0xfffffff0, .S = 0x20, .want = 0x10),
	T(.type = ADD64, .in = 0x1000, .S = FAR, .A = 1, .want = FAR + 0x1001),
	T(.type = SUB8, .in = 0x10, .S = 0x20, .want = 0xf0),
	T(.type = SUB16, .in = 0x1234, .S = 0x34, .A = 0x1000, .want = 0x0200),
	T(.type = SUB32, .in = 0x100, .S = 0x12345678, .A = -0x12345600, .want = 0x88),
	T(.type = SUB32, .in = 0x100, .S = 0x80, .be = 1, .want = 0x80),
	T(.type = SUB64, .in = FAR + 0x40, .S = FAR, .want = 0x40),
	/* SET: S + A truncated; SET6/SUB6 keep the byte's top two bits. */
	T(.type = SET8, .in = 0x55, .S = 0x12345678, .want = 0x78),
	T(.type = SET16, .in = 0x5555, .S = 0x12345678, .A = 1, .want = 0x5679),
	T(.type = SET32, .in = 0x55555555, .S = FAR + 0x12345678, .want = 0x12345678),
	T(.type = SET32, .in = 0x55555555, .S = 0x12345678, .be = 1, .want = 0x12345678),
	T(.type = SET6, .in = 0xc0, .S = 0x1234567f, .want = 0xff),
	T(.type = SET6, .in = 0x7f, .S = 0x41, .want = 0x41),
	T(.type = SUB6, .in = 0x85, .S = 0x3, .want = 0x82),
	T(.type = SUB6, .in = 0x45, .S = 0x6, .want = 0x7f),
	T(.type = SUB6, .in = 0xff, .S = 0x1000, .A = 0x3f, .want = 0xc0),
};

static char ctx[128];

static const char *nm(uint32_t type)
{
	const char *n = elfmod_reloc_name(ELFMOD_EM_RISCV, type);

	return n ? n : "?";
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned size_of(uint32_t t)
{
	switch (t) {
	case R64: case ADD64: case SUB64: case CALL: case CALL_PLT:
		return 8;
	case ADD8: case SUB8: case SET8: case SET6: case SUB6:
		return 1;
	case ADD16: case SUB16: case SET16: case RVC_BRANCH: case RVC_JUMP:
		return 2;
	default:
		return 4;
	}
}

/* Data fields follow the object's byte order; instructions are little-endian. */
static int is_data(uint32_t t)
{
	return t == R32 || t == R64 || t == PCREL32 || t == PLT32 || (t >= ADD8 && t <= SUB64) ||
	       (t >= SUB6 && t <= SET32);
}

/* One case through info and apply, on the field at buf + 1. */
static void run(const struct tc *c)
{
	const struct arch_desc *arch = &elfmod__arch_riscv;
	uint8_t buf[24], field[8];
	struct reloc_info ri;
	struct reloc_args a;
	unsigned n = size_of(c->type);
	int be = is_data(c->type) && c->be;

	snprintf(ctx, sizeof(ctx), "%s line %d", nm(c->type), c->line);
	check_ctx = ctx;
	memset(&ri, 0, sizeof(ri));
	CHECK_RC(arch->info(c->type, &ri), 0);
	CHECK_EQ(ri.size, n);
	CHECK(!(ri.flags & RF_NONE));

	memset(buf, GUARD, sizeof(buf));
	put(buf + 1, c->in, n, be);
	memset(&a, 0, sizeof(a));
	a.type = c->type;
	a.big_endian = c->be;
	a.cls = c->cls ? c->cls : 64;
	a.loc = buf + 1;
	a.S = c->S;
	a.P = c->P;
	a.G = c->G;
	a.L = c->L;
	a.A = c->A;
	a.weak_undef = c->weak;
	a.pair = c->pair;
	a.has_pair = c->has_pair;
	memcpy(field, buf + 1, n);
	CHECK_RC(arch->apply(&a), c->rc);
	if (c->rc == 0) {
		put(field, c->want, n, be);
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
		uint16_t flags;
		uint8_t size;
	} f[] = {
		{ NONE, RF_NONE, 0 }, { ALIGN, 0, 0 }, { RELAX, RF_NONE, 0 },
		{ R32, 0, 4 }, { R64, 0, 8 }, { BRANCH, RF_PCREL, 4 }, { JAL, RF_CALL, 4 },
		{ CALL, RF_CALL, 8 }, { CALL_PLT, RF_CALL, 8 }, { GOT_HI20, RF_GOT | RF_PAIR_HI, 4 },
		{ PCREL_HI20, RF_PCREL | RF_PAIR_HI, 4 }, { PCREL_LO12_I, RF_PAIR_LO, 4 },
		{ PCREL_LO12_S, RF_PAIR_LO, 4 }, { HI20, 0, 4 }, { LO12_I, 0, 4 }, { LO12_S, 0, 4 },
		{ ADD8, 0, 1 }, { ADD16, 0, 2 }, { ADD32, 0, 4 }, { ADD64, 0, 8 },
		{ SUB8, 0, 1 }, { SUB16, 0, 2 }, { SUB32, 0, 4 }, { SUB64, 0, 8 },
		{ RVC_BRANCH, RF_PCREL, 2 }, { RVC_JUMP, RF_PCREL, 2 }, { SUB6, 0, 1 }, { SET6, 0, 1 },
		{ SET8, 0, 1 }, { SET16, 0, 2 }, { SET32, 0, 4 }, { PCREL32, RF_PCREL, 4 },
		{ PLT32, RF_CALL, 4 }, { SET_ULEB128, 0, 10 }, { SUB_ULEB128, 0, 10 },
	};
	const struct arch_desc *arch = &elfmod__arch_riscv;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		struct reloc_info ri;

		snprintf(ctx, sizeof(ctx), "flags of %s (%u)", nm(f[i].type), f[i].type);
		check_ctx = ctx;
		CHECK_RC(arch->info(f[i].type, &ri), 0);
		CHECK_EQ(ri.flags, f[i].flags);
		CHECK_EQ(ri.size, f[i].size);
		CHECK(elfmod_reloc_supported(ELFMOD_EM_RISCV, f[i].type));
	}
}

/* NONE, RELAX and ALIGN: nothing is written; loc may point nowhere. */
static void check_none(void)
{
	const struct arch_desc *arch = &elfmod__arch_riscv;
	static const uint32_t types[] = { NONE, RELAX, ALIGN };

	for (size_t i = 0; i < 3; i++) {
		struct reloc_args a;

		snprintf(ctx, sizeof(ctx), "%s", nm(types[i]));
		check_ctx = ctx;
		memset(&a, 0, sizeof(a));
		a.type = types[i];
		a.S = 0x1234;
		a.A = 6;
		a.P = 0x567a; /* + 6 is 8-aligned: ALIGN's padding holds */
		CHECK_RC(arch->apply(&a), 0); /* loc is NULL */
	}
}

/* ALIGN with A bytes of padding asks for the next power of two above A at P + A. */
static void check_align(void)
{
	static const struct {
		uint64_t P;
		int64_t A;
		int ok;
	} c[] = {
		{ 0x1000, 0, 1 },  { 0x1002, 2, 1 },  { 0x1000, 2, 0 },  { 0x1006, 2, 1 },
		{ 0x1001, 2, 0 },  { 0x1002, 6, 1 },  { 0x100a, 6, 1 },  { 0x1006, 6, 0 },
		{ 0x1004, 4, 1 },  { 0x1000, 4, 0 },  { 0x1002, 14, 1 }, { 0x1012, 14, 1 },
		{ 0x100a, 14, 0 }, { 0x1004, 60, 1 }, { 0x1000, 60, 0 }, { 0x1044, 60, 1 },
		{ 0xfffffffffffffffeull, 2, 1 }, { 0xfffffffffffffffcull, 2, 0 },
	};
	const struct arch_desc *arch = &elfmod__arch_riscv;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct reloc_args a;

		snprintf(ctx, sizeof(ctx), "ALIGN P=0x%llx A=%lld", (unsigned long long)c[i].P,
			 (long long)c[i].A);
		check_ctx = ctx;
		memset(&a, 0, sizeof(a));
		a.type = ALIGN;
		a.cls = 64;
		a.P = c[i].P;
		a.A = c[i].A;
		CHECK_RC(arch->apply(&a), c[i].ok ? 0 : ELFMOD_ERANGE);
	}
	check_ctx = "ALIGN hint";
	CHECK(arch->range_hint && strstr(arch->range_hint(ALIGN), "-mno-relax"));
	CHECK(arch->range_hint(CALL) == NULL);
}

static void check_unsupported(void)
{
	static const uint32_t types[] = {
		3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 21, 22, 29, 30, 31, 32, 41, 42, 46, 47, 48,
		49, 50, 58, 62, 63, 191, 192, 255, 256, 0x10000, 0xffffffffu,
	};
	const struct arch_desc *arch = &elfmod__arch_riscv;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint8_t buf[16];
		struct reloc_info ri;
		struct reloc_args a;

		snprintf(ctx, sizeof(ctx), "unsupported %s (%u)", nm(types[i]), types[i]);
		check_ctx = ctx;
		memset(buf, GUARD, sizeof(buf));
		CHECK_RC(arch->info(types[i], &ri), ELFMOD_ERELTYPE);
		CHECK(!elfmod_reloc_supported(ELFMOD_EM_RISCV, types[i]));
		memset(&a, 0, sizeof(a));
		a.type = types[i];
		a.loc = buf + 1;
		a.S = 0x1000;
		a.P = 0x2000;
		CHECK_RC(arch->apply(&a), ELFMOD_ERELTYPE);
		CHECK(guards_ok(buf, sizeof(buf), 0, 0));
	}
}

/* The test's own ULEB128 writer: v in exactly n bytes (padded with 0x80 bytes). */
static void uleb_n(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 7)
		p[i] = (uint8_t)((v & 0x7f) | (i + 1 < n ? 0x80 : 0));
}

static int uleb_apply(uint32_t type, uint8_t *loc, uint64_t S, int64_t A)
{
	struct reloc_args a;

	memset(&a, 0, sizeof(a));
	a.type = type;
	a.loc = loc;
	a.S = S;
	a.A = A;
	a.P = 0x1000;
	return elfmod__arch_riscv.apply(&a);
}

/*
 * SET_ULEB128 / SUB_ULEB128 (binutils 2.40 cannot emit them): the field keeps the
 * assembler's length n, the value is taken modulo 2^(7n), and what follows the field
 * (here 10 bytes from loc are valid, as info() claims) is never touched.
 */
static void check_uleb(void)
{
	for (unsigned n = 1; n <= 10; n++) {
		uint8_t buf[24], want[24];
		uint64_t mod = n >= 10 ? 0 : (1ull << (7 * n)) - 1; /* 0: all 64 bits */
		uint64_t start = 0x1234 & (mod ? mod : ~0ull), D;

		snprintf(ctx, sizeof(ctx), "ULEB128 of %u bytes", n);
		check_ctx = ctx;
		/* A lone SUB: V - S - A. */
		memset(buf, GUARD, sizeof(buf));
		uleb_n(buf + 1, start, n);
		CHECK_RC(uleb_apply(SUB_ULEB128, buf + 1, 0x34, -4), 0);
		memset(want, GUARD, sizeof(want));
		uleb_n(want + 1, start - 0x30, n);
		CHECK(memcmp(buf, want, sizeof(buf)) == 0);
		/* The pair: SET writes the end address modulo, SUB leaves the difference. */
		D = mod ? mod : 0xffffffffffffffffull; /* the largest difference that fits */
		memset(buf, GUARD, sizeof(buf));
		uleb_n(buf + 1, 0, n);
		CHECK_RC(uleb_apply(SET_ULEB128, buf + 1, FAR + D, 0), 0);
		CHECK_RC(uleb_apply(SUB_ULEB128, buf + 1, FAR, 0), 0);
		memset(want, GUARD, sizeof(want));
		uleb_n(want + 1, D, n);
		CHECK(memcmp(buf, want, sizeof(buf)) == 0);
		/* A lone SET with a value that fits. */
		memset(buf, GUARD, sizeof(buf));
		uleb_n(buf + 1, 0, n);
		CHECK_RC(uleb_apply(SET_ULEB128, buf + 1, 0x10, 0xf), 0);
		memset(want, GUARD, sizeof(want));
		uleb_n(want + 1, 0x1f, n);
		CHECK(memcmp(buf, want, sizeof(buf)) == 0);
		/* The last byte has no continuation bit, the others have it. */
		for (unsigned i = 0; i < n; i++)
			CHECK(((buf[1 + i] & 0x80) != 0) == (i + 1 < n));
	}

	check_ctx = "ULEB128 wraps in its length";
	{
		uint8_t b[12];

		memset(b, GUARD, sizeof(b));
		b[0] = 0x05;
		CHECK_RC(uleb_apply(SUB_ULEB128, b, 6, 0), 0);
		CHECK_EQ(b[0], 0x7f); /* 5 - 6 modulo 2^7, still one byte */
		CHECK_EQ(b[1], GUARD);
		b[0] = 0x80, b[1] = 0x01;  /* 128 in two bytes */
		CHECK_RC(uleb_apply(SET_ULEB128, b, 0x4000 + 0x81, 0), 0);
		CHECK_EQ(b[0], 0x81);
		CHECK_EQ(b[1], 0x01); /* 0x4081 modulo 2^14 = 0x81 */
		CHECK_EQ(b[2], GUARD);
	}

	/* Eleven bytes or an unterminated run within the ten that are valid: malformed. */
	check_ctx = "ULEB128 without an end";
	{
		uint8_t b[12], copy[12];

		memset(b, 0x80, 10);
		b[10] = 0x00;
		b[11] = GUARD;
		memcpy(copy, b, sizeof(b));
		CHECK_RC(uleb_apply(SET_ULEB128, b, 1, 0), ELFMOD_ERANGE);
		CHECK_RC(uleb_apply(SUB_ULEB128, b, 1, 0), ELFMOD_ERANGE);
		CHECK(memcmp(b, copy, sizeof(b)) == 0);
		/* Ten bytes, the last ending it: fine (bits above 63 are dropped). */
		b[9] = 0x01;
		CHECK_RC(uleb_apply(SUB_ULEB128, b, 1, 0), 0);
		CHECK_EQ(b[0], 0xff); /* 2^63 - 1 */
		CHECK_EQ(b[8], 0xff);
		CHECK_EQ(b[9], 0x00);
		CHECK_EQ(b[10], 0x00);
	}
}

/*
 * A small interpreter for the stub: the seven instructions it uses, under RV32 and
 * RV64 rules, from the stub's first byte until its JALR, which gives the target.
 */
static int run_stub(const uint8_t *code, unsigned len, uint64_t at, int xlen, int be, uint64_t *to)
{
	uint64_t x[32] = { 0 }, pc = at;
	uint64_t mask = xlen == 32 ? 0xffffffffull : ~0ull;

	for (int steps = 0; steps < 16; steps++) {
		uint32_t in, rd, rs1, rs2, f3;
		int64_t imm;
		uint64_t off = pc - at;

		if (off + 4 > len)
			return -1;
		in = le32(code + off);
		rd = in >> 7 & 31, rs1 = in >> 15 & 31, rs2 = in >> 20 & 31, f3 = in >> 12 & 7;
		imm = (int32_t)in >> 20;
		switch (in & 0x7f) {
		case 0x17: /* auipc */
			x[rd] = (pc + (uint64_t)(int64_t)(int32_t)(in & 0xfffff000u)) & mask;
			break;
		case 0x03: { /* lw only */
			uint64_t ea = (x[rs1] + (uint64_t)imm - at) & mask;
			uint32_t w;

			if (f3 != 2 || ea + 4 > len)
				return -1;
			w = be ? (uint32_t)code[ea] << 24 | (uint32_t)code[ea + 1] << 16 |
					 (uint32_t)code[ea + 2] << 8 | code[ea + 3]
			       : le32(code + ea);
			x[rd] = (uint64_t)(int64_t)(int32_t)w & mask;
			break;
		}
		case 0x13: /* slli only, with RV32's 5-bit shift amount */
			if (f3 != 1 || (in >> 26) || (xlen == 32 && (in >> 25 & 1)))
				return -1;
			x[rd] = (x[rs1] << (in >> 20 & 63)) & mask;
			break;
		case 0x33: /* add only */
			if (f3 != 0 || (in >> 25))
				return -1;
			x[rd] = (x[rs1] + x[rs2]) & mask;
			break;
		case 0x67: /* jalr: the end */
			if (rd != 0)
				return -1;
			*to = (x[rs1] + (uint64_t)imm) & mask & ~1ull;
			return 0;
		default:
			return -1;
		}
		x[0] = 0;
		pc += 4;
	}
	return -1;
}

static void check_stub(void)
{
	const struct arch_desc *arch = &elfmod__arch_riscv;
	static const uint64_t t64[] = {
		0x1122334455667788, 0x7f0080000000, 0xffffffff80000000, 0x80000000, 0x7ffffffc,
		0xfffffffffffffffe, 0x100000000, 0,
	};
	static const uint64_t t32[] = { 0x80000000, 0xfffffffe, 0x20001000, 0x7ffffffe };
	uint8_t buf[48];
	uint64_t to;

	check_ctx = "descriptor";
	CHECK(arch->info && arch->apply && arch->stub && arch->pair_value);
	CHECK(arch->addend == NULL);
	CHECK_EQ(arch->classes, 3);
	CHECK_EQ(arch->stub_size, 36);
	CHECK_EQ(arch->stub_align, 4);

	check_ctx = "stub bytes";
	memset(buf, GUARD, sizeof(buf));
	arch->stub(buf + 1, 0x7f0000002000, 0x1122334495667788, 0);
	CHECK_EQ(le32(buf + 1), 0x00000317u);      /* auipc t1, 0 */
	CHECK_EQ(le32(buf + 5), 0x01c32383u);      /* lw t2, 28(t1) */
	CHECK_EQ(le32(buf + 9), 0x02032303u);      /* lw t1, 32(t1) */
	CHECK_EQ(le32(buf + 13), 0x01031313u);     /* slli t1, t1, 16 */
	CHECK_EQ(le32(buf + 17), 0x01031313u);     /* slli t1, t1, 16 */
	CHECK_EQ(le32(buf + 21), 0x00730333u);     /* add t1, t1, t2 */
	CHECK_EQ(le32(buf + 25), 0x00030067u);     /* jr t1 */
	CHECK_EQ(le32(buf + 29), 0x95667788u);     /* low word */
	CHECK_EQ(le32(buf + 33), 0x11223345u);     /* high word + bit 31 of the low */
	CHECK(guards_ok(buf, sizeof(buf), 1, 37));

	for (size_t i = 0; i < sizeof(t64) / sizeof(t64[0]); i++) {
		for (int be = 0; be < 2; be++) {
			snprintf(ctx, sizeof(ctx), "RV64 stub to 0x%llx%s", (unsigned long long)t64[i],
				 be ? " (big-endian data)" : "");
			check_ctx = ctx;
			arch->stub(buf, 0x7f0000002000, t64[i], be);
			to = 1;
			CHECK_RC(run_stub(buf, 36, 0x7f0000002000, 64, be, &to), 0);
			CHECK_EQ(to, t64[i] & ~1ull);
		}
	}
	for (size_t i = 0; i < sizeof(t32) / sizeof(t32[0]); i++) {
		snprintf(ctx, sizeof(ctx), "RV32 stub to 0x%llx", (unsigned long long)t32[i]);
		check_ctx = ctx;
		arch->stub(buf, 0x10000000, t32[i], 0);
		to = 1;
		CHECK_RC(run_stub(buf, 36, 0x10000000, 32, 0, &to), 0);
		CHECK_EQ(to, t32[i]);
	}
}

/* pair_value: what the generic code hands a PCREL_LO12 partner. */
static void check_pair_value(void)
{
	const struct arch_desc *arch = &elfmod__arch_riscv;
	struct reloc_args a;

	check_ctx = "pair_value";
	memset(&a, 0, sizeof(a));
	a.type = PCREL_HI20;
	a.S = P0 + 0x1000;
	a.A = -0x10;
	a.P = P0 + 0x2000;
	a.G = 0x5000;
	CHECK_EQ(arch->pair_value(&a), (uint64_t)-0x1010);
	a.type = GOT_HI20;
	a.A = 0;
	a.G = P0 + 0x2808;
	CHECK_EQ(arch->pair_value(&a), 0x808);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
	check_flags();
	check_none();
	check_align();
	check_unsupported();
	check_uleb();
	check_stub();
	check_pair_value();
	return check_done("reloc_riscv");
}
