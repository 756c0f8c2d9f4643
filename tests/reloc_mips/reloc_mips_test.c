/*
 * The MIPS32 relocation engine (src/arch/mips.c), called through its descriptor as
 * src/module.c calls it: info, then addend (o32 objects use REL: the addend is read back
 * from the field), then apply; HI16 gets the partner LO16's addend in r->pair as the
 * generic look-ahead passes it. Every case runs big- and little-endian, the field
 * written at an odd address (buf + 1) between guard bytes; a refused relocation must
 * leave the bytes alone. Expected words worked out by hand from the MIPS ABI's formulas
 * and the instruction encodings (several also appear in GNU ld's output in
 * tests/oracle/mips).
 */
#include "arch/arch.h"
#include "internal.h"
#include "check.h"
#include "reloc_test.h"

#include <stdint.h>
#include <string.h>

#define NONE 0
#define R16 1
#define R32 2
#define R26 4
#define HI16 5
#define LO16 6
#define GPREL16 7
#define GOT16 9
#define PC16 10
#define CALL16 11
#define GPREL32 12
#define JALR 37
#define PC32 248

#define ERANGE_ ELFMOD_ERANGE
#define ETYPE_ ELFMOD_ERELTYPE

static const struct arch_desc *const mips = &elfmod__arch_mips;

struct tc {
	uint32_t type;
	uint32_t in;
	uint64_t S, P, GOT, G, L;
	uint32_t pair;     /* partner LO16's field (RF_PAIR_NEXT), when has_pair */
	uint8_t has_pair;
	uint8_t weak;
	uint8_t native;    /* the module runs on this host: imports are called through L */
	uint8_t local;     /* the symbol is STB_LOCAL (sym_local) */
	uint32_t gp0;      /* the object's .reginfo ri_gp_value (reloc_args.obj) */
	int rc;
	uint32_t want;
	int line;
};

#define T(...) { __VA_ARGS__, .line = __LINE__ }

#define JAL_ 0x0c000000   /* jal 0 (A = 0) */
#define J_ 0x08000000     /* j 0 */
#define B_ 0x1000ffff     /* b .  (A = -4) */
#define BAL_ 0x0411ffff   /* bal . */
#define LUI_ 0x3c020000   /* lui v0, 0 */
#define ADDIU_ 0x24420000 /* addiu v0, v0, 0 */
#define LW_ 0x8f990000    /* lw t9, 0(gp) */

static const struct tc cases[] = {
	/* ---- 32, PC32: data words, anything goes. */
	T(.type = R32, .in = 0, .S = 0x12345678, .want = 0x12345678),
	T(.type = R32, .in = 0xfffffffc, .S = 0x12345678, .want = 0x12345674),
	T(.type = R32, .in = 0x10, .S = 0xfffffff8, .want = 0x8),
	T(.type = PC32, .in = 0, .S = 0x1000, .P = 0x2000, .want = 0xfffff000),
	T(.type = PC32, .in = 0x20, .S = 0x3000, .P = 0x2000, .want = 0x1020),

	/* ---- 16: low half of a word, S + A signed 16 bits. */
	T(.type = R16, .in = 0x12340002, .S = 0x7ffd, .want = 0x12347fff),
	T(.type = R16, .in = 0x12340002, .S = 0x7ffe, .rc = ERANGE_),
	T(.type = R16, .in = 0x00008000, .S = 0, .want = 0x00008000),
	T(.type = R16, .in = 0x0000ffff, .S = 0xffff8000, .rc = ERANGE_), /* S is unsigned */

	/* ---- 26: J/JAL in the 256 MiB segment of P + 4. */
	T(.type = R26, .in = JAL_, .S = 0x2400000, .P = 0x2000000, .want = 0x0c900000),
	T(.type = R26, .in = JAL_, .S = 0xffffffc, .P = 0x2000000, .want = 0x0fffffff),
	T(.type = R26, .in = JAL_, .S = 0, .P = 0x2000000, .want = 0x0c000000),
	T(.type = R26, .in = J_, .S = 0x10000000, .P = 0x2000000, .rc = ERANGE_),
	/* The delay slot decides: P = 0xffffff8 is in segment 0, 0xffffffc's slot in 1. */
	T(.type = R26, .in = JAL_, .S = 0xffffffc, .P = 0xffffff8, .want = 0x0fffffff),
	T(.type = R26, .in = JAL_, .S = 0xffffffc, .P = 0xffffffc, .rc = ERANGE_),
	T(.type = R26, .in = JAL_, .S = 0x10000000, .P = 0xffffffc, .want = 0x0c000000),
	T(.type = R26, .in = JAL_, .S = 0x1ffffffc, .P = 0x10000000, .want = 0x0fffffff),
	T(.type = R26, .in = J_, .S = 0xf0000000, .P = 0xf0001000, .want = 0x08000000),
	/* Addends: jal ext - 8 holds 0x3fffffe. */
	T(.type = R26, .in = 0x0ffffffe, .S = 0x2400000, .P = 0x2000000, .want = 0x0c8ffffe),
	T(.type = R26, .in = 0x08000040, .S = 0x2400000, .P = 0x2000000, .want = 0x08900040),
	T(.type = R26, .in = 0x0ffffffe, .S = 0x4, .P = 0x2000000, .rc = ERANGE_), /* below 0 */
	/* A target that is not a word. */
	T(.type = R26, .in = JAL_, .S = 0x2400002, .P = 0x2000000, .rc = ERANGE_),
	/* Out of the segment: the stub when there is one, for the symbol itself only. */
	T(.type = R26, .in = JAL_, .S = 0x40000000, .P = 0x2000000, .L = 0x2010000, .want = 0x0c804000),
	T(.type = R26, .in = J_, .S = 0x40000000, .P = 0x2000000, .L = 0x2010000, .want = 0x08804000),
	T(.type = R26, .in = 0x0c000001, .S = 0x40000000, .P = 0x2000000, .L = 0x2010000, .rc = ERANGE_),
	T(.type = R26, .in = JAL_, .S = 0x40000000, .P = 0x2000000, .L = 0x12010000, .rc = ERANGE_),
	/* ... and the target itself when it is in reach. */
	T(.type = R26, .in = JAL_, .S = 0x2400000, .P = 0x2000000, .L = 0x2010000, .want = 0x0c900000),
	/* Run on the host: an import is always called through its stub, which sets t9. */
	T(.type = R26, .in = JAL_, .S = 0x2400000, .P = 0x2000000, .L = 0x2010000, .native = 1,
	  .want = 0x0c804000),
	/* Undefined weak: JAL becomes a NOP; J is written as ld writes it. */
	T(.type = R26, .in = JAL_, .weak = 1, .P = 0x72000000, .want = 0),
	T(.type = R26, .in = J_, .weak = 1, .P = 0x72000000, .want = 0x08000000),

	/* ---- PC16: (S + A - P) >> 2, +-128 KiB from the delay slot. */
	T(.type = PC16, .in = B_, .S = 0x2220000, .P = 0x2200000, .want = 0x10007fff),
	T(.type = PC16, .in = B_, .S = 0x2220004, .P = 0x2200000, .rc = ERANGE_),
	T(.type = PC16, .in = BAL_, .S = 0x21e000c, .P = 0x2200008, .want = 0x04118000),
	T(.type = PC16, .in = BAL_, .S = 0x21e0008, .P = 0x2200008, .rc = ERANGE_),
	T(.type = PC16, .in = B_, .S = 0x1004, .P = 0x1000, .want = 0x10000000),
	T(.type = PC16, .in = B_, .S = 0x1000, .P = 0x1000, .want = 0x1000ffff),
	T(.type = PC16, .in = B_, .S = 0x1002, .P = 0x1000, .rc = ERANGE_),
	/* b ext + 8 holds 1 (A = 4). */
	T(.type = PC16, .in = 0x10000001, .S = 0x1000, .P = 0x1000, .want = 0x10000001),
	/* Far import: the stub, for the symbol itself (A = -4) only. */
	T(.type = PC16, .in = BAL_, .S = 0x40000000, .P = 0x1000, .L = 0x2000, .want = 0x041103ff),
	T(.type = PC16, .in = 0x04110001, .S = 0x40000000, .P = 0x1000, .L = 0x2000, .rc = ERANGE_),
	T(.type = PC16, .in = BAL_, .S = 0x40000000, .P = 0x1000, .L = 0x30000, .rc = ERANGE_),

	/* ---- HI16: ((AHL + S) + 0x8000) >> 16, AHL = AHI << 16 + (int16_t)ALO. */
	T(.type = HI16, .in = LUI_, .S = 0x12348000, .has_pair = 1, .pair = 0, .want = 0x3c021235),
	T(.type = HI16, .in = LUI_, .S = 0x12347fff, .has_pair = 1, .pair = 0, .want = 0x3c021234),
	/* ext + 0x8000: as writes hi 1, lo 0x8000 (-0x8000): AHL = 0x8000. */
	T(.type = HI16, .in = 0x3c020001, .S = 0x8000, .has_pair = 1, .pair = 0x8000, .want = 0x3c020001),
	T(.type = HI16, .in = 0x3c020001, .S = 0x7fff, .has_pair = 1, .pair = 0x8000, .want = 0x3c020001),
	T(.type = HI16, .in = 0x3c020001, .S = 0x0, .has_pair = 1, .pair = 0x8000, .want = 0x3c020001),
	T(.type = HI16, .in = 0x3c020001, .S = 0xffff0000, .has_pair = 1, .pair = 0x8000, .want = 0x3c020000),
	/* A negative AHL: ext - 0x10000 (hi 0xffff, lo 0). */
	T(.type = HI16, .in = 0x3c02ffff, .S = 0x12348000, .has_pair = 1, .pair = 0, .want = 0x3c021234),
	/* The partner's low half decides the carry: two HI16 with the LO16 0x7fff and 0x8001. */
	T(.type = HI16, .in = LUI_, .S = 0x10000000, .has_pair = 1, .pair = 0x7fff, .want = 0x3c021000),
	T(.type = HI16, .in = LUI_, .S = 0x10008000, .has_pair = 1, .pair = 0x7fff, .want = 0x3c021001),
	T(.type = HI16, .in = LUI_, .S = 0x10008000, .has_pair = 1, .pair = 0xffff8001, .want = 0x3c021000),
	/* Wraps at 4 GiB. */
	T(.type = HI16, .in = LUI_, .S = 0xffff8000, .has_pair = 1, .pair = 0, .want = 0x3c020000),
	/* A lone HI16: ALO taken as 0. */
	T(.type = HI16, .in = 0x3c020001, .S = 0x12348000, .want = 0x3c021236),

	/* ---- LO16: (S + A) & 0xffff, never checked. */
	T(.type = LO16, .in = ADDIU_, .S = 0x12348000, .want = 0x24428000),
	T(.type = LO16, .in = 0x24428000, .S = 0x8000, .want = 0x24420000),
	T(.type = LO16, .in = 0x8c450004, .S = 0x2107ffc, .want = 0x8c458000),
	T(.type = LO16, .in = 0x8c45ffff, .S = 0xffffffff, .want = 0x8c45fffe),

	/* ---- GPREL16: S + A - _gp, _gp = GOT + 0x7ff0, signed 16 bits. */
	T(.type = GPREL16, .in = ADDIU_, .S = 0x2108020, .GOT = 0x2108030, .want = 0x24428000),
	T(.type = GPREL16, .in = ADDIU_, .S = 0x211801f, .GOT = 0x2108030, .want = 0x24427fff),
	T(.type = GPREL16, .in = ADDIU_, .S = 0x210801f, .GOT = 0x2108030, .rc = ERANGE_),
	T(.type = GPREL16, .in = ADDIU_, .S = 0x2118020, .GOT = 0x2108030, .rc = ERANGE_),
	T(.type = GPREL16, .in = 0x8c43fffc, .S = 0x2110020, .GOT = 0x2108030, .want = 0x8c43fffc),
	T(.type = GPREL16, .in = 0x8c438000, .S = 0x2118020, .GOT = 0x2108030, .want = 0x8c430000),

	/* ---- GPREL32: S + A - _gp, a data word. */
	T(.type = GPREL32, .in = 0, .S = 0x2112345, .GOT = 0x2108030, .want = 0x2325),
	T(.type = GPREL32, .in = 0xffffff00, .S = 0x2110000, .GOT = 0x2108030, .want = 0xfffffee0),
	T(.type = GPREL32, .in = 0, .S = 0x1000, .GOT = 0x40000000, .want = 0xbfff9010),
	/* ld -r output: addends against local symbols were made A - gp0 (gp0 = 0x7fef
	 * without small data), so gp0 is added back; global symbols take none. */
	T(.type = GPREL32, .in = 0xffff8011, .S = 0x2110000, .GOT = 0x2108030, .local = 1,
	  .gp0 = 0x7fef, .want = 0xffffffe0),
	T(.type = GPREL32, .in = 0xffff8011, .S = 0x2110000, .GOT = 0x2108030, .local = 0,
	  .gp0 = 0x7fef, .want = 0xffff7ff1),
	T(.type = GPREL32, .in = 0x10, .S = 0x2110000, .GOT = 0x2108030, .local = 1,
	  .gp0 = 0xfffffff0, .want = 0xffffffe0), /* a negative gp0 */
	T(.type = GPREL16, .in = 0x24428011, .S = 0x2110000, .GOT = 0x2108030, .local = 1,
	  .gp0 = 0x7fef, .want = 0x2442ffe0),
	T(.type = GPREL16, .in = 0x24428011, .S = 0x2110000, .GOT = 0x2108030, .local = 0,
	  .gp0 = 0x7fef, .rc = ERANGE_),

	/* ---- GOT16 (global form), CALL16: G - _gp, signed 16 bits. */
	T(.type = CALL16, .in = LW_, .S = 0x5555, .GOT = 0x10000, .G = 0x10004, .want = 0x8f998014),
	T(.type = GOT16, .in = LW_, .S = 0x5555, .GOT = 0x10000, .G = 0x10004, .want = 0x8f998014),
	/* _gp = 0x17ff0: slots reach from 0xfff0 to 0x1ffef. */
	T(.type = CALL16, .in = LW_, .GOT = 0x10000, .G = 0x1ffec, .want = 0x8f997ffc),
	T(.type = CALL16, .in = LW_, .GOT = 0x10000, .G = 0xfff0, .want = 0x8f998000),
	T(.type = CALL16, .in = LW_, .GOT = 0x10000, .G = 0x1fff0, .rc = ERANGE_),
	T(.type = GOT16, .in = LW_, .GOT = 0x10000, .G = 0xffec, .rc = ERANGE_),
	/* An addend cannot be honoured: the slot holds S. */
	T(.type = CALL16, .in = 0x8f990004, .GOT = 0x10000, .G = 0x10004, .rc = ERANGE_),
	/* GOT16 with a LO16 partner is the local (page) form: G is the page slot the loader
	 * made, the field its offset from _gp (0x17ff0), whatever the addend. */
	T(.type = GOT16, .in = 0x8f990002, .GOT = 0x10000, .G = 0x10008, .has_pair = 1, .pair = 0x1234,
	  .want = 0x8f998018),
	T(.type = GOT16, .in = LW_, .GOT = 0x10000, .G = 0xffec, .has_pair = 1, .rc = ERANGE_),
};

/* REL addends, as the field holds them. */
struct ac {
	uint32_t type, in;
	int64_t A;
	int line;
};

#define AC(t, i, a) { t, i, a, __LINE__ }

static const struct ac addends[] = {
	AC(R32, 0x7fffffff, 0x7fffffff), AC(R32, 0x80000000, -0x80000000LL), AC(R32, 0xfffffffc, -4),
	AC(PC32, 0xfffffff0, -16), AC(GPREL32, 0x12345678, 0x12345678), AC(GPREL32, 0xffffff00, -256),
	AC(R16, 0x12347fff, 0x7fff), AC(R16, 0x12348000, -0x8000), AC(R16, 0xffff0002, 2),
	/* 26: the field times 4, sign-extended from 28 bits; the opcode ignored. */
	AC(R26, 0x0c000000, 0), AC(R26, 0x0ffffffe, -8), AC(R26, 0x0c000040, 0x100),
	AC(R26, 0x0dffffff, 0x7fffffc), AC(R26, 0x0a000000, -0x8000000LL), AC(R26, 0x08000012, 0x48),
	/* HI16, GOT16: AHI << 16, as a signed 32-bit value. */
	AC(HI16, 0x3c020001, 0x10000), AC(HI16, 0x3c02ffff, -0x10000), AC(HI16, 0x3c027fff, 0x7fff0000),
	AC(HI16, 0x3c028000, -0x80000000LL), AC(GOT16, 0x8f990000, 0), AC(GOT16, 0x8f990002, 0x20000),
	/* LO16, GPREL16, CALL16: the immediate, signed. */
	AC(LO16, 0x24428000, -0x8000), AC(LO16, 0x24427fff, 0x7fff), AC(LO16, 0x8c45fffc, -4),
	AC(GPREL16, 0x8c43fffc, -4), AC(GPREL16, 0x24420010, 0x10), AC(CALL16, 0x8f990000, 0),
	AC(CALL16, 0x8f99ffff, -1),
	/* PC16: the immediate times 4, signed: b . holds -1. */
	AC(PC16, 0x1000ffff, -4), AC(PC16, 0x10007fff, 0x1fffc), AC(PC16, 0x10008000, -0x20000),
	AC(PC16, 0x04110001, 4),
};

static char ctx[160];

/* A word laid out in the chosen byte order, independently of elfmod__put*. */
static void lay(uint8_t *p, uint32_t v, int be)
{
	for (int i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static const char *nm(uint32_t type)
{
	const char *n = elfmod_reloc_name(ELFMOD_EM_MIPS, type);

	return n ? n : "?";
}

static void run(const struct tc *c, int be)
{
	uint8_t buf[12], before[4], want[4], lo[4];
	struct reloc_info ri;
	struct reloc_args a;

	snprintf(ctx, sizeof(ctx), "%s line %d %s", nm(c->type), c->line, be ? "BE" : "LE");
	check_ctx = ctx;
	memset(&ri, 0, sizeof(ri));
	CHECK_RC(mips->info(c->type, &ri), 0);
	CHECK_EQ(ri.size, 4);
	memset(buf, GUARD, sizeof(buf));
	lay(buf + 1, c->in, be);
	memcpy(before, buf + 1, 4);

	memset(&a, 0, sizeof(a));
	a.type = c->type;
	a.big_endian = (uint8_t)be;
	a.weak_undef = c->weak;
	a.native = c->native;
	a.sym_local = c->local;
	a.obj = c->gp0;
	a.loc = buf + 1;
	a.S = c->S;
	a.P = c->P;
	a.GOT = c->GOT;
	a.G = c->G;
	a.L = c->L;
	a.A = 0x5a5a5a5a;
	CHECK_RC(mips->addend(c->type, buf + 1, be, &a.A), 0);
	if (c->has_pair) {
		/* As the generic code does: the partner LO16's addend, read in place. */
		int64_t pa = 0x5a5a;
		lay(lo, 0x24420000 | (c->pair & 0xffff), be);
		CHECK_RC(mips->addend(LO16, lo, be, &pa), 0);
		a.pair = (uint64_t)pa;
		a.has_pair = 1;
	}
	CHECK_RC(mips->apply(&a), c->rc);
	if (c->rc == 0) {
		lay(want, c->want, be);
		CHECK(memcmp(buf + 1, want, 4) == 0);
		if (memcmp(buf + 1, want, 4))
			fprintf(stderr, "  wrote %02x %02x %02x %02x, want 0x%08lx\n", buf[1], buf[2], buf[3],
				buf[4], (unsigned long)c->want);
	} else {
		CHECK(memcmp(buf + 1, before, 4) == 0);
	}
	CHECK(guards_ok(buf, sizeof(buf), 1, 5));
}

static void check_addends(void)
{
	for (size_t i = 0; i < sizeof(addends) / sizeof(addends[0]); i++) {
		const struct ac *c = &addends[i];
		uint8_t buf[8];
		int64_t A;

		for (int be = 0; be <= 1; be++) {
			snprintf(ctx, sizeof(ctx), "addend %s line %d%s", nm(c->type), c->line, be ? " BE" : "");
			check_ctx = ctx;
			A = 0x5a5a5a5a;
			memset(buf, GUARD, sizeof(buf));
			lay(buf + 1, c->in, be);
			CHECK_RC(mips->addend(c->type, buf + 1, be, &A), 0);
			CHECK_EQ(A, c->A);
			CHECK(guards_ok(buf, sizeof(buf), 1, 5));
		}
	}
}

struct fc {
	uint32_t type;
	uint16_t flags;
	uint8_t size;
};

static const struct fc flags[] = {
	{ NONE, RF_NONE, 0 }, { R16, 0, 4 }, { R32, 0, 4 }, { R26, RF_CALL | RF_NOTPC, 4 },
	{ HI16, RF_PAIR_NEXT, 4 }, { LO16, 0, 4 }, { GPREL16, RF_GOTBASE, 4 },
	{ GOT16, RF_GOT | RF_GOTBASE | RF_PAIR_NEXT | RF_GOT_PAGE, 4 }, { PC16, RF_CALL, 4 },
	{ CALL16, RF_GOT | RF_GOTBASE, 4 }, { GPREL32, RF_GOTBASE, 4 }, { JALR, RF_NONE, 0 },
	{ PC32, 0, 4 },
};

static void check_info(void)
{
	struct reloc_info ri;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		snprintf(ctx, sizeof(ctx), "info %s", nm(flags[i].type));
		check_ctx = ctx;
		CHECK_RC(mips->info(flags[i].type, &ri), 0);
		CHECK_EQ(ri.flags, flags[i].flags);
		CHECK_EQ(ri.size, flags[i].size);
	}
	check_ctx = "pair_type";
	CHECK(mips->pair_type != NULL);
	if (mips->pair_type) {
		CHECK_EQ(mips->pair_type(HI16), LO16);
		CHECK_EQ(mips->pair_type(GOT16), LO16);
	}
	/* Everything else is refused by every entry point, before anything is read. */
	check_ctx = "unsupported";
	for (uint32_t t = 0; t < 300; t++) {
		int known = 0;
		struct reloc_args a;
		int64_t A;

		for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			known |= flags[i].type == t;
		if (known)
			continue;
		CHECK_RC(mips->info(t, &ri), ETYPE_);
		CHECK_RC(mips->addend(t, NULL, 0, &A), ETYPE_);
		memset(&a, 0, sizeof(a));
		a.type = t;
		CHECK_RC(mips->apply(&a), ETYPE_);
	}
	CHECK_RC(mips->info(0xffffffffu, &ri), ETYPE_);
	CHECK_RC(mips->info(1u << 8 | R32, &ri), ETYPE_);
	CHECK_EQ(mips->classes, 1);
	CHECK_EQ(mips->machine, ELFMOD_EM_MIPS);
	CHECK(elfmod__arch_find(ELFMOD_EM_MIPS) == mips);
}

/* NONE and JALR: nothing written, nothing read (loc may point nowhere). */
static void check_noops(void)
{
	static const uint32_t types[] = { NONE, JALR };

	for (size_t i = 0; i < 2; i++) {
		uint8_t buf[8];
		struct reloc_args a;
		int64_t A = 7;

		snprintf(ctx, sizeof(ctx), "%s", nm(types[i]));
		check_ctx = ctx;
		memset(buf, GUARD, sizeof(buf));
		CHECK_RC(mips->addend(types[i], NULL, 0, &A), 0);
		CHECK_EQ(A, 0);
		memset(&a, 0, sizeof(a));
		a.type = types[i];
		a.loc = buf + 1;
		a.S = 0x1234;
		CHECK_RC(mips->apply(&a), 0);
		CHECK(guards_ok(buf, sizeof(buf), 0, 0));
	}
}

/* The stub: lui t9, %hi; addiu t9, t9, %lo; jr t9 (jalr zero, t9); nop. */
static void check_stub(uint32_t target, uint32_t hi, uint32_t lo)
{
	uint8_t buf[20], want[16];

	snprintf(ctx, sizeof(ctx), "stub 0x%08lx", (unsigned long)target);
	check_ctx = ctx;
	CHECK_EQ(mips->stub_size, 16);
	CHECK_EQ(mips->stub_align, 4);
	for (int be = 0; be <= 1; be++) {
		memset(buf, GUARD, sizeof(buf));
		mips->stub(buf + 2, 0x20000000, target, be);
		lay(want, 0x3c190000 | hi, be);
		lay(want + 4, 0x27390000 | lo, be);
		lay(want + 8, 0x03200009, be);
		lay(want + 12, 0, be);
		CHECK(memcmp(buf + 2, want, 16) == 0);
		CHECK(guards_ok(buf, sizeof(buf), 2, 18));
	}
}

static void check_flags_ok(void)
{
	static const struct {
		uint32_t flags;
		uint8_t ok;
	} f[] = {
		{ 0x00001000, 1 }, /* o32 */
		{ 0x50001007, 1 }, /* o32, mips32r2, noreorder, pic, cpic */
		{ 0x00000000, 1 }, /* no ABI stated: o32 */
		{ 0x00000020, 0 }, /* n32 */
		{ 0x00002000, 0 }, /* o64 */
		{ 0x00003000, 0 }, /* EABI32 */
		{ 0x90001000, 0 }, /* mips32r6 */
		{ 0x00001400, 0 }, /* NaN 2008 */
		{ 0x00001200, 0 }, /* FP64 */
	};

	check_ctx = "flags_ok";
#if !defined(__mips__)
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		CHECK_EQ(mips->flags_ok(f[i].flags), f[i].ok);
#else
	CHECK_EQ(mips->flags_ok(0x00000020), 0);
	(void)f;
#endif
}

/* abicalls PIC: the built-in gp symbols, GOT16 page values, HI16/LO16 of _gp_disp. */
static void check_pic(void)
{
	struct reloc_args a;
	uint64_t off = 0;
	uint8_t prel = 9, buf[4];

	check_ctx = "pic";
	CHECK(mips->builtin("_gp_disp", &off, &prel) == 1 && off == 0x7ff0 && prel == 1);
	CHECK(mips->builtin("_gp", &off, &prel) == 1 && off == 0x7ff0 && prel == 0);
	CHECK(mips->builtin("__gnu_local_gp", &off, &prel) == 1 && prel == 0);
	CHECK(mips->builtin("_gp_dis", &off, &prel) == 0 && mips->builtin("gp", &off, &prel) == 0);

	/* Page of S + AHL, rounded like HI16: AHI 1, ALO -0x8000. */
	memset(&a, 0, sizeof(a));
	a.type = GOT16;
	a.S = 0x12340000;
	a.A = 0x10000;
	a.pair = 0x8000;
	a.has_pair = 1;
	CHECK_EQ(mips->page_value(&a), 0x12350000);
	a.has_pair = 0;
	a.A = 0;
	a.S = 0x12347fff;
	CHECK_EQ(mips->page_value(&a), 0x12340000);
	a.S = 0x12348000;
	CHECK_EQ(mips->page_value(&a), 0x12350000);

	/* lui/addiu of _gp_disp = 0x17ff0 - P, P the lui's place; the addiu is at P + 4. */
	for (int be = 0; be <= 1; be++) {
		memset(&a, 0, sizeof(a));
		a.big_endian = (uint8_t)be;
		a.loc = buf;
		a.sym_prel = 1;
		a.S = 0x17ff0;
		a.type = HI16;
		a.P = 0x400;
		a.has_pair = 1;
		a.pair = 0;
		elfmod__put32(buf, 0x3c1c0000, be); /* lui gp, 0 */
		CHECK_RC(mips->apply(&a), 0);
		CHECK_EQ(elfmod__get32(buf, be), 0x3c1c0001); /* (0x17bf0 + 0x8000) >> 16 */
		a.type = LO16;
		a.P = 0x404;
		a.has_pair = 0;
		elfmod__put32(buf, 0x279c0000, be); /* addiu gp, gp, 0 */
		CHECK_RC(mips->apply(&a), 0);
		CHECK_EQ(elfmod__get32(buf, be), 0x279c7bf0);
	}
}

int main(void)
{
	check_pic();
	check_info();
	check_addends();
	check_noops();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(&cases[i], 0);
		run(&cases[i], 1);
	}
	check_stub(0x12345678, 0x1234, 0x5678);
	check_stub(0x12348000, 0x1235, 0x8000);
	check_stub(0xffff8000, 0x0000, 0x8000);
	check_flags_ok();
	return check_done("reloc_mips");
}
