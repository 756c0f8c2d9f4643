/*
 * The Xtensa relocation engine, called through its descriptor exactly as
 * src/module.c calls it. Every expected encoding was worked out by hand from the
 * Xtensa ISA's instruction formats and binutils' operand definitions (base and scale
 * of each PC-relative operand); those marked "ld" are also what GNU ld 2.40 writes in
 * the oracle corpus tests/oracle/xtensa/edges.S for the same place and target.
 * Fields are written at an odd address (buf + 1), and a refused relocation must leave
 * the bytes alone.
 */
#include "arch/arch.h"
#include "check.h"
#include "reloc_test.h"

#include <stdint.h>
#include <string.h>

/* Type numbers (binutils include/elf/xtensa.h). */
#define NONE 0
#define R32 1
#define ASM_EXPAND 11
#define ASM_SIMPLIFY 12
#define PCREL32 14
#define VTINHERIT 15
#define VTENTRY 16
#define DIFF8 17
#define DIFF16 18
#define DIFF32 19
#define SLOT0 20
#define PDIFF8 57
#define NDIFF32 62

#define ERANGE_ ELFMOD_ERANGE
#define ETYPE_ ELFMOD_ERELTYPE
#define T0 0x40100100ull /* .text of the oracle's edges.S */

struct tc {
	uint32_t type;
	uint32_t in;    /* the field before relocation (little-endian, 3 bytes for SLOT0) */
	uint64_t S, P;
	int64_t A;
	uint8_t weak;
	uint8_t be;
	int rc;
	uint32_t want;  /* the field after, when rc == 0 */
	int line;
};

#define T(...) { __VA_ARGS__, .line = __LINE__ }

static const struct tc cases[] = {
	/* 32: S + A added to the word in place (ld's partial_inplace howto). */
	T(.type = R32, .S = 0x3ffe9000, .A = -8, .want = 0x3ffe8ff8),
	T(.type = R32, .in = 0x1000, .S = 0x40101000, .A = 1, .want = 0x40102001),
	T(.type = R32, .in = 0x80000000, .S = 0x40180104, .A = 0x7fffffff, .want = 0x40180103), /* ld */
	T(.type = R32, .in = 0xdeadbeef, .S = 0x400c0100, .A = -0x400c0100, .want = 0xdeadbeef), /* ld */
	T(.type = R32, .S = 0x12345678, .be = 1, .want = 0x12345678),
	/* 32_PCREL: S + A - P, overwriting, modulo 2^32. */
	T(.type = PCREL32, .in = 0x100, .S = 0x40101000, .P = 0x3ffe8000, .want = 0x00119000),
	T(.type = PCREL32, .S = 0x4008010c, .P = 0x3ffe800c, .want = 0x00098100), /* ld */
	T(.type = PCREL32, .S = 0x3ffe8000, .P = 0x3ffe8010, .A = -4, .want = 0xffffffec),

	/* L32R a2: imm16 at [23:8] = (T - ((P + 3) & ~3)) >> 2, T below the base. */
	T(.type = SLOT0, .in = 0x123421, .S = T0 - 0x40000, .P = T0, .want = 0x000021), /* ld */
	T(.type = SLOT0, .in = 0x000021, .S = T0 - 0x40004, .P = T0, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000021, .S = T0 - 4, .P = T0, .want = 0xffff21),
	T(.type = SLOT0, .in = 0x000021, .S = T0, .P = T0, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000021, .S = T0 + 0x100, .P = T0, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000031, .S = T0, .P = T0 + 3, .want = 0xffff31), /* ld */
	T(.type = SLOT0, .in = 0x000031, .S = T0, .P = T0 + 1, .want = 0xffff31),
	T(.type = SLOT0, .in = 0x000031, .S = T0, .P = T0 + 4, .want = 0xffff31),
	T(.type = SLOT0, .in = 0x000031, .S = T0, .P = T0 + 5, .want = 0xfffe31),
	T(.type = SLOT0, .in = 0x000031, .S = T0 + 4 - 0x40000, .P = T0 + 1, .want = 0x000031),
	T(.type = SLOT0, .in = 0x000031, .S = T0 - 0x40000, .P = T0 + 1, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000021, .S = T0 - 6, .P = T0, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000021, .S = T0 - 0x100, .A = -0x10, .P = T0, .want = 0xffbc21),
	T(.type = SLOT0, .in = 0x000021, .S = T0 - 0x20000, .P = T0, .want = 0x800021),

	/* CALL0: offset18 at [23:6] = (T - ((P & ~3) + 4)) >> 2; n at [5:4] kept. */
	T(.type = SLOT0, .in = 0xffffc5, .S = T0 + 8 + 0x7fffc, .P = T0 + 6, .want = 0x7fffc5), /* ld */
	T(.type = SLOT0, .in = 0x000005, .S = T0 + 8 + 0x80000, .P = T0 + 6, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000005, .S = T0 + 12 - 0x80000, .P = T0 + 9, .want = 0x800005), /* ld */
	T(.type = SLOT0, .in = 0x000005, .S = T0 + 8 - 0x80000, .P = T0 + 9, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000005, .S = T0 + 10, .P = T0, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0xffffc5, .S = T0 + 4, .P = T0 + 3, .want = 0x000005),
	T(.type = SLOT0, .in = 0xffffc5, .S = T0, .P = T0 + 3, .want = 0xffffc5),
	T(.type = SLOT0, .in = 0x000005, .S = T0 + 0x100, .A = 4, .P = T0, .want = 0x001005),
	/* CALL8 (n = 2) and CALL12 (n = 3): the same field. */
	T(.type = SLOT0, .in = 0x000025, .S = T0 + 0x104, .P = T0, .want = 0x001025),
	T(.type = SLOT0, .in = 0x000035, .S = T0 - 0x100, .P = T0 + 2, .want = 0xffeff5),
	/* A call to an undefined weak function: the 3-byte NOP. */
	T(.type = SLOT0, .in = 0x000005, .S = 0, .P = T0, .weak = 1, .want = 0x0020f0),
	T(.type = SLOT0, .in = 0x000025, .S = 0, .P = T0, .weak = 1, .want = 0x0020f0),

	/* J: offset18 at [23:6] = T - (P + 4), any alignment. */
	T(.type = SLOT0, .in = 0x000006, .S = T0 + 16 + 0x1ffff, .P = T0 + 12, .want = 0x7fffc6), /* ld */
	T(.type = SLOT0, .in = 0x000006, .S = T0 + 16 + 0x20000, .P = T0 + 12, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000006, .S = T0 + 19 - 0x20000, .P = T0 + 15, .want = 0x800006), /* ld */
	T(.type = SLOT0, .in = 0x000006, .S = T0 + 18 - 0x20000, .P = T0 + 15, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000006, .S = T0 + 1, .P = T0, .want = 0xffff46),
	/* Not a call: an undefined weak J target stays 0, far away. */
	T(.type = SLOT0, .in = 0x000006, .S = 0, .P = T0, .weak = 1, .rc = ERANGE_),

	/* BRI12 (BEQZ/BNEZ/BLTZ/BGEZ): imm12 at [23:12], T - (P + 4), -2048 .. 2047. */
	T(.type = SLOT0, .in = 0x000216, .S = T0 + 22 + 2047, .P = T0 + 18, .want = 0x7ff216), /* ld */
	T(.type = SLOT0, .in = 0x000216, .S = T0 + 22 + 2048, .P = T0 + 18, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x000256, .S = T0 + 25 - 2048, .P = T0 + 21, .want = 0x800256), /* ld */
	T(.type = SLOT0, .in = 0x000256, .S = T0 + 25 - 2049, .P = T0 + 21, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0xfff3d6, .S = T0 + 4, .P = T0, .want = 0x0003d6),

	/* BRI8 (BEQI.. n = 2, BLTUI/BGEUI n = 3): imm8 at [23:16], -128 .. 127. */
	T(.type = SLOT0, .in = 0x005226, .S = T0 + 34 + 127, .P = T0 + 30, .want = 0x7f5226), /* ld */
	T(.type = SLOT0, .in = 0x005226, .S = T0 + 34 + 128, .P = T0 + 30, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x005226, .S = T0 + 4 - 128, .P = T0, .want = 0x805226),
	T(.type = SLOT0, .in = 0x00b2b6, .S = T0 + 37 - 128, .P = T0 + 33, .want = 0x80b2b6), /* ld */
	T(.type = SLOT0, .in = 0x00b2b6, .S = T0 + 37 - 129, .P = T0 + 33, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x0012f6, .S = T0 + 4 + 0x10, .P = T0, .want = 0x1012f6),
	/* RRI8 (BEQ, BNE, BBSI, ...): imm8 at [23:16]. */
	T(.type = SLOT0, .in = 0x001237, .S = T0 + 28 + 127, .P = T0 + 24, .want = 0x7f1237), /* ld */
	T(.type = SLOT0, .in = 0x009237, .S = T0 + 31 - 128, .P = T0 + 27, .want = 0x809237), /* ld */
	T(.type = SLOT0, .in = 0x009237, .S = T0 + 31 - 129, .P = T0 + 27, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x00e237, .S = T0 + 40 + 127, .P = T0 + 36, .want = 0x7fe237), /* ld */
	T(.type = SLOT0, .in = 0x001237, .S = T0 + 3, .P = T0, .want = 0xff1237),
	/* BF b0 (n = 3, m = 1, r = 0): BRI8. */
	T(.type = SLOT0, .in = 0x000076, .S = T0 + 9, .P = T0, .want = 0x050076),
	/* LOOP a2 (r = 8): imm8 at [23:16] unsigned, 0 .. 255. */
	T(.type = SLOT0, .in = 0x008276, .S = T0 + 4 + 255, .P = T0, .want = 0xff8276),
	T(.type = SLOT0, .in = 0x008276, .S = T0 + 4 + 256, .P = T0, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x008276, .S = T0 + 3, .P = T0, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x00a276, .S = T0 + 8, .P = T0, .want = 0x04a276), /* LOOPGTZ */

	/* BNEZ.N/BEQZ.N: imm6[5:4] at [5:4], imm6[3:0] at [15:12], 0 .. 63; two bytes
	 * only (the third, 0x5a, belongs to the next instruction). */
	T(.type = SLOT0, .in = 0x5a02cc, .S = T0 + 43 + 63, .P = T0 + 39, .want = 0x5af2fc), /* ld */
	T(.type = SLOT0, .in = 0x5a02cc, .S = T0 + 43 + 64, .P = T0 + 39, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x5a028c, .S = T0 + 45, .P = T0 + 41, .want = 0x5a028c), /* ld */
	T(.type = SLOT0, .in = 0x5af2fc, .S = T0 + 45, .P = T0 + 41, .want = 0x5a02cc),
	T(.type = SLOT0, .in = 0x5a028c, .S = T0 + 44, .P = T0 + 41, .rc = ERANGE_),
	T(.type = SLOT0, .in = 0x5a028c, .S = T0 + 4 + 0x15, .P = T0, .want = 0x5a529c),

	/* Opcodes without a PC-relative operand. */
	T(.type = SLOT0, .in = 0x5a000c, .S = T0 + 8, .P = T0, .rc = ETYPE_),  /* MOVI.N */
	T(.type = SLOT0, .in = 0x000036, .S = T0 + 8, .P = T0, .rc = ETYPE_),  /* ENTRY */
		T(.type = SLOT0, .in = 0x002276, .S = T0 + 8, .P = T0, .rc = ETYPE_),  /* B1, r = 2 */
	T(.type = SLOT0, .in = 0x0020f0, .S = T0 + 8, .P = T0, .rc = ETYPE_),  /* NOP (op0 0) */
	T(.type = SLOT0, .in = 0x000222, .S = T0 + 8, .P = T0, .rc = ETYPE_),  /* op0 2 (L8UI..) */
	T(.type = SLOT0, .in = 0x00000d, .S = T0 + 8, .P = T0, .rc = ETYPE_),  /* op0 d (ST3) */
	T(.type = SLOT0, .in = 0x00000e, .S = T0 + 8, .P = T0, .rc = ETYPE_),  /* op0 e (FLIX) */
	/* Big-endian Xtensa lays instruction fields out differently: refused. */
	T(.type = SLOT0, .in = 0x000006, .S = T0 + 8, .P = T0, .be = 1, .rc = ETYPE_),
};

static char ctx[128];

static unsigned size_of(uint32_t type)
{
	return type == SLOT0 ? 3 : 4;
}

static void put_field(uint8_t *p, uint32_t v, unsigned n, int be)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(be ? v >> (8 * (n - 1 - i)) : v >> (8 * i));
}

static uint32_t get_field(const uint8_t *p, unsigned n, int be)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (be ? 8 * (n - 1 - i) : 8 * i);
	return v;
}

static void run(const struct tc *c)
{
	const struct arch_desc *a = &elfmod__arch_xtensa;
	uint8_t buf[16], before[16];
	unsigned n = size_of(c->type);
	struct reloc_info ri;
	struct reloc_args r;
	int rc;

	snprintf(ctx, sizeof(ctx), "line %d", c->line);
	check_ctx = ctx;
	memset(buf, GUARD, sizeof(buf));
	put_field(buf + 1, c->in, n, c->be);
	memcpy(before, buf, sizeof(buf));
	CHECK_RC(a->info(c->type, &ri), 0);
	CHECK(!(ri.flags & RF_NONE));
	CHECK_EQ(ri.size, n);

	memset(&r, 0, sizeof(r));
	r.type = c->type;
	r.big_endian = c->be;
	r.weak_undef = c->weak;
	r.loc = buf + 1;
	r.S = c->S;
	r.A = c->A;
	r.P = c->P;
	r.cls = 32;
	rc = a->apply(&r);
	CHECK_RC(rc, c->rc);
	if (rc == 0 && c->rc == 0)
		CHECK_EQ(get_field(buf + 1, n, c->be), c->want);
	else
		CHECK(memcmp(buf, before, sizeof(buf)) == 0);
	/* Nothing outside the field, ever. */
	CHECK(buf[0] == GUARD);
	for (unsigned i = 1 + n; i < sizeof(buf); i++)
		CHECK(buf[i] == GUARD);
}

static void check_desc(void)
{
	const struct arch_desc *a = &elfmod__arch_xtensa;

	check_ctx = "descriptor";
	CHECK_EQ(a->machine, 94);
	CHECK_EQ(a->classes, 1);
	CHECK_EQ(a->stub_size, 0);
	CHECK(a->info != NULL && a->apply != NULL);
	CHECK(a->addend == NULL);
	CHECK(a->stub == NULL);
	CHECK(elfmod__arch_find(94) == a);
}

/* Hints and debug differences: no effect, field size still bounds-checked. */
static void check_none(void)
{
	static const struct {
		uint32_t type;
		uint8_t size;
	} hints[] = {
		{ NONE, 0 },	 { ASM_EXPAND, 0 }, { ASM_SIMPLIFY, 0 }, { VTINHERIT, 0 },
		{ VTENTRY, 0 },	 { DIFF8, 1 },	    { DIFF16, 2 },	 { DIFF32, 4 },
		{ PDIFF8, 1 },	 { 58, 2 },	    { 59, 4 },		 { 60, 1 },
		{ 61, 2 },	 { NDIFF32, 4 },
	};
	struct reloc_info ri;

	check_ctx = "hints";
	for (unsigned i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		memset(&ri, 0, sizeof(ri));
		CHECK_RC(elfmod__arch_xtensa.info(hints[i].type, &ri), 0);
		CHECK_EQ(ri.flags, RF_NONE);
		CHECK_EQ(ri.size, hints[i].size);
	}
	CHECK_RC(elfmod__arch_xtensa.info(R32, &ri), 0);
	CHECK_EQ(ri.flags, 0);
	CHECK_RC(elfmod__arch_xtensa.info(PCREL32, &ri), 0);
	CHECK_EQ(ri.flags, RF_PCREL);
	CHECK_RC(elfmod__arch_xtensa.info(SLOT0, &ri), 0);
	CHECK_EQ(ri.flags, RF_PCREL);
}

static void check_unsupported(void)
{
	/* RTLD, GLOB_DAT, JMP_SLOT, RELATIVE, PLT, a hole, OP0-OP2, a hole, the other
	 * slots and ALT operands, TLS, past the end. */
	static const uint32_t bad[] = { 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 21, 34, 35, 49,
					50, 51, 52, 53, 54, 55, 56, 63, 256, 0xffffffffu };
	struct reloc_info ri;
	struct reloc_args r;
	uint8_t buf[8];

	check_ctx = "unsupported";
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_RC(elfmod__arch_xtensa.info(bad[i], &ri), ETYPE_);
		/* apply() refuses them too, without touching the bytes. */
		memset(buf, GUARD, sizeof(buf));
		memset(&r, 0, sizeof(r));
		r.type = bad[i];
		r.loc = buf;
		r.S = 0x1000;
		r.cls = 32;
		CHECK_RC(elfmod__arch_xtensa.apply(&r), ETYPE_);
		for (unsigned j = 0; j < sizeof(buf); j++)
			CHECK(buf[j] == GUARD);
	}
#if ELFMOD_CFG_RELOC_NAMES
	CHECK(elfmod_reloc_name(94, SLOT0) != NULL &&
	      strcmp(elfmod_reloc_name(94, SLOT0), "R_XTENSA_SLOT0_OP") == 0);
#endif
}

int main(void)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
	check_desc();
	check_none();
	check_unsupported();
	return check_done("reloc_xtensa");
}
