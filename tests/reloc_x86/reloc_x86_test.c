/*
 * The x86-64 and i386 relocation engines, called through their descriptors exactly as
 * src/module.c calls them. Every expected value below was worked out by hand from the
 * psABI formulas; fields are written at an odd address (buf + 1) so that a wide or
 * aligned store would show under UBSan. A refused relocation must leave the bytes
 * alone. On an x86-64 Linux host the call stub is also run: written into a RW page,
 * made RX, and called, with and without a PLT32 relocation in front of it.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "arch/arch.h"
#include "check.h"
#include "reloc_test.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#include <sys/mman.h>
#define RUN_STUBS 1
#else
#define RUN_STUBS 0
#endif

/* x86-64 type numbers (psABI). */
#define X_NONE 0
#define X_64 1
#define X_PC32 2
#define X_GOT32 3
#define X_PLT32 4
#define X_GOTPCREL 9
#define X_32 10
#define X_32S 11
#define X_16 12
#define X_PC16 13
#define X_8 14
#define X_PC8 15
#define X_PC64 24
#define X_GOTOFF64 25
#define X_GOTPC32 26
#define X_GOT64 27
#define X_GOTPCREL64 28
#define X_GOTPC64 29
#define X_GOTPLT64 30
#define X_PLTOFF64 31
#define X_SIZE32 32
#define X_SIZE64 33
#define X_GOTPCRELX 41
#define X_REX_GOTPCRELX 42

/* i386 type numbers (psABI). */
#define I_NONE 0
#define I_32 1
#define I_PC32 2
#define I_GOT32 3
#define I_PLT32 4
#define I_GOTOFF 9
#define I_GOTPC 10
#define I_16 20
#define I_PC16 21
#define I_8 22
#define I_PC8 23
#define I_SIZE32 38
#define I_GOT32X 43

#define ERANGE_ ELFMOD_ERANGE

struct tc {
	uint32_t type;
	uint64_t S, P, GOT, G, L, Z;
	int64_t A;       /* RELA addend; for i386 it is stored in the field first */
	uint8_t weak;    /* undefined weak symbol */
	int rc;          /* what apply must return */
	uint64_t want;   /* the field's value when rc == 0 */
	int line;
};

#define T(...) { __VA_ARGS__, .line = __LINE__ }

static const struct tc x86_64_cases[] = {
	/* R_X86_64_64: S + A, any value. */
	T(.type = X_64, .S = 0x1122334455667788, .A = 0x10, .want = 0x1122334455667798),
	T(.type = X_64, .S = 0x1122334455667788, .A = -0x88, .want = 0x1122334455667700),
	T(.type = X_64, .S = 0xfffffffffffffff0, .A = 0x20, .want = 0x10),
	/* R_X86_64_32: zero-extended, 0 .. 0xffffffff. */
	T(.type = X_32, .S = 0x80000000, .want = 0x80000000),
	T(.type = X_32, .S = 0xfffffff0, .A = 0xf, .want = 0xffffffff),
	T(.type = X_32, .S = 0xfffffff0, .A = 0x10, .rc = ERANGE_),
	T(.type = X_32, .S = 0x10, .A = -0x10, .want = 0),
	T(.type = X_32, .S = 0x10, .A = -0x11, .rc = ERANGE_),
	T(.type = X_32, .S = 0x7f0000001000, .rc = ERANGE_),
	/* R_X86_64_32S: sign-extended, -0x80000000 .. 0x7fffffff. */
	T(.type = X_32S, .S = 0x7fff0000, .A = 0xffff, .want = 0x7fffffff),
	T(.type = X_32S, .S = 0x7fff0000, .A = 0x10000, .rc = ERANGE_),
	T(.type = X_32S, .S = 0xffffffff80000000, .want = 0x80000000),
	T(.type = X_32S, .S = 0xffffffff80000010, .A = -0x11, .rc = ERANGE_),
	T(.type = X_32S, .S = 0x10, .A = -0x20, .want = 0xfffffff0),
	T(.type = X_32S, .S = 0x80000000, .rc = ERANGE_),
	/* R_X86_64_PC32: S + A - P, signed 32. */
	T(.type = X_PC32, .S = 0x10002000, .P = 0x10000000, .A = -4, .want = 0x1ffc),
	T(.type = X_PC32, .S = 0x0fff0000, .P = 0x10000000, .A = -4, .want = 0xfffefffc),
	T(.type = X_PC32, .S = 0x90000003, .P = 0x10000000, .A = -4, .want = 0x7fffffff),
	T(.type = X_PC32, .S = 0x90000004, .P = 0x10000000, .A = -4, .rc = ERANGE_),
	T(.type = X_PC32, .S = 0xffffffff90000004, .P = 0x10000000, .A = -4, .want = 0x80000000),
	T(.type = X_PC32, .S = 0xffffffff90000003, .P = 0x10000000, .A = -4, .rc = ERANGE_),
	/* ... through the symbol's stub (made for a call elsewhere) only when S is out of reach. */
	T(.type = X_PC32, .S = 0x400000, .P = 0x7f0000001000, .L = 0x7f0000002000, .A = -4, .want = 0xffc),
	T(.type = X_PC32, .S = 0x7f0000003000, .P = 0x7f0000001000, .L = 0x7f0000002000, .A = -4,
	  .want = 0x1ffc),
	T(.type = X_PC32, .S = 0x400000, .P = 0x7f0000001000, .L = 0x100000000000, .A = -4, .rc = ERANGE_),
	T(.type = X_PC32, .S = 0x400000, .P = 0x7f0000001000, .A = -4, .rc = ERANGE_),
	/* &weak must stay NULL: never the stub for a data reference to an undefined weak. */
	T(.type = X_PC32, .S = 0, .P = 0x7f0000001000, .L = 0x7f0000002000, .A = -4, .weak = 1, .rc = ERANGE_),
	T(.type = X_PC32, .S = 0, .P = 0x1000, .L = 0x7f0000002000, .A = -4, .weak = 1, .want = 0xffffeffc),
	/* R_X86_64_PLT32: the same, the stub being the fallback. */
	T(.type = X_PLT32, .S = 0x400000, .P = 0x7f0000001000, .L = 0x7f0000002000, .A = -4, .want = 0xffc),
	T(.type = X_PLT32, .S = 0x7f0000003000, .P = 0x7f0000001000, .L = 0x7f0000002000, .A = -4,
	  .want = 0x1ffc),
	T(.type = X_PLT32, .S = 0x400000, .P = 0x7f0000001000, .L = 0x100000000000, .A = -4, .rc = ERANGE_),
	T(.type = X_PLT32, .S = 0x400000, .P = 0x7f0000001000, .A = -4, .rc = ERANGE_),
	T(.type = X_PLT32, .S = 0, .P = 0x7f0000001000, .L = 0x7f0000002000, .A = -4, .weak = 1, .want = 0xffc),
	T(.type = X_PLT32, .S = 0x90000003, .P = 0x10000000, .A = -4, .want = 0x7fffffff),
	T(.type = X_PLT32, .S = 0x90000004, .P = 0x10000000, .A = -4, .rc = ERANGE_),
	T(.type = X_PLT32, .S = 0xffffffff90000004, .P = 0x10000000, .A = -4, .want = 0x80000000),
	T(.type = X_PLT32, .S = 0xffffffff90000003, .P = 0x10000000, .A = -4, .rc = ERANGE_),
	T(.type = X_PLT32, .S = 0x400000000000, .P = 0x10000000, .L = 0x90000003, .A = -4, .want = 0x7fffffff),
	T(.type = X_PLT32, .S = 0x400000000000, .P = 0x10000000, .L = 0x90000004, .A = -4, .rc = ERANGE_),
	/* R_X86_64_PC64: S + A - P, 64 bits. */
	T(.type = X_PC64, .S = 0x1000, .P = 0x7f0000000000, .A = -8, .want = 0xffff810000000ff8),
	T(.type = X_PC64, .S = 0x7f0000000000, .P = 0x1000, .A = 0x10, .want = 0x7efffffff010),
	/* R_X86_64_GOT32: offset of the slot in the GOT + A, signed 32. */
	T(.type = X_GOT32, .GOT = 0x600000, .G = 0x600018, .A = 4, .want = 0x1c),
	T(.type = X_GOT32, .GOT = 0x600000, .G = 0x600008, .A = -0x10, .want = 0xfffffff8),
	T(.type = X_GOT32, .GOT = 0x600000, .G = 0x80600000, .A = -1, .want = 0x7fffffff),
	T(.type = X_GOT32, .GOT = 0x600000, .G = 0x80600000, .rc = ERANGE_),
	T(.type = X_GOT32, .GOT = 0x600000, .G = 0x600000, .A = -0x80000000LL, .want = 0x80000000),
	T(.type = X_GOT32, .GOT = 0x600000, .G = 0x600000, .A = -0x80000001LL, .rc = ERANGE_),
	/* R_X86_64_GOT64 and GOTPLT64: the same offset in 64 bits. */
	T(.type = X_GOT64, .GOT = 0x600000, .G = 0x600020, .A = -8, .want = 0x18),
	T(.type = X_GOT64, .GOT = 0x600000, .G = 0x600008, .A = -0x10, .want = 0xfffffffffffffff8),
	T(.type = X_GOTPLT64, .GOT = 0x600000, .G = 0x600030, .want = 0x30),
	/* R_X86_64_GOTPCREL and the relaxable forms (not relaxed): slot + A - P, signed 32. */
	T(.type = X_GOTPCREL, .P = 0x401003, .G = 0x600010, .GOT = 0x600000, .A = -4, .want = 0x1ff009),
	T(.type = X_GOTPCRELX, .P = 0x401003, .G = 0x600010, .GOT = 0x600000, .A = -4, .want = 0x1ff009),
	T(.type = X_REX_GOTPCRELX, .P = 0x401003, .G = 0x600010, .GOT = 0x600000, .A = -4, .want = 0x1ff009),
	T(.type = X_GOTPCREL, .P = 0x401003, .G = 0x80401006, .A = -4, .want = 0x7fffffff),
	T(.type = X_GOTPCREL, .P = 0x401003, .G = 0x80401007, .A = -4, .rc = ERANGE_),
	T(.type = X_GOTPCRELX, .P = 0x401003, .G = 0xffffffff80401007, .A = -4, .want = 0x80000000),
	T(.type = X_REX_GOTPCRELX, .P = 0x401003, .G = 0xffffffff80401006, .A = -4, .rc = ERANGE_),
	/* R_X86_64_GOTPCREL64: 64 bits. */
	T(.type = X_GOTPCREL64, .P = 0x7f0000001000, .G = 0x10000, .A = -4, .want = 0xffff81000000effc),
	/* R_X86_64_GOTPC32: GOT + A - P, signed 32. */
	T(.type = X_GOTPC32, .GOT = 0x600000, .P = 0x401002, .A = 2, .want = 0x1ff000),
	T(.type = X_GOTPC32, .GOT = 0x600000, .P = 0x700000, .A = -8, .want = 0xffeffff8),
	T(.type = X_GOTPC32, .GOT = 0x80000fff, .P = 0x1000, .want = 0x7fffffff),
	T(.type = X_GOTPC32, .GOT = 0x80001000, .P = 0x1000, .rc = ERANGE_),
	/* R_X86_64_GOTPC64. */
	T(.type = X_GOTPC64, .GOT = 0x7f0000100000, .P = 0x401000, .A = 3, .want = 0x7effffcff003),
	/* R_X86_64_GOTOFF64: S + A - GOT. */
	T(.type = X_GOTOFF64, .S = 0x400000, .GOT = 0x600000, .A = 0x10, .want = 0xffffffffffe00010),
	/* R_X86_64_PLTOFF64: (stub or symbol) + A - GOT. */
	T(.type = X_PLTOFF64, .S = 0x400000, .GOT = 0x600000, .want = 0xffffffffffe00000),
	T(.type = X_PLTOFF64, .S = 0x400000, .L = 0x7f0000002000, .GOT = 0x7f0000000000, .A = 8, .want = 0x2008),
	/* R_X86_64_SIZE32 / SIZE64: Z + A. */
	T(.type = X_SIZE32, .Z = 0x100, .A = -1, .want = 0xff),
	T(.type = X_SIZE32, .Z = 0xffffffff, .want = 0xffffffff),
	T(.type = X_SIZE32, .Z = 0xffffffff, .A = 1, .rc = ERANGE_),
	T(.type = X_SIZE32, .Z = 0x20, .A = -0x20, .want = 0),
	T(.type = X_SIZE32, .Z = 0, .A = -1, .rc = ERANGE_),
	T(.type = X_SIZE64, .Z = 0x100, .A = -0x200, .want = 0xffffffffffffff00),
	T(.type = X_SIZE64, .Z = 0x123456789, .A = 1, .want = 0x12345678a),
	/* R_X86_64_16: signed or unsigned, -0x8000 .. 0xffff. */
	T(.type = X_16, .S = 0x1234, .want = 0x1234),
	T(.type = X_16, .S = 0xfff0, .A = 0xf, .want = 0xffff),
	T(.type = X_16, .S = 0xfff0, .A = 0x10, .rc = ERANGE_),
	T(.type = X_16, .S = 0, .A = -0x8000, .want = 0x8000),
	T(.type = X_16, .S = 0, .A = -0x8001, .rc = ERANGE_),
	/* R_X86_64_PC16: signed, -0x8000 .. 0x7fff. */
	T(.type = X_PC16, .S = 0x10100, .P = 0x10000, .A = -2, .want = 0xfe),
	T(.type = X_PC16, .S = 0x17fff, .P = 0x10000, .want = 0x7fff),
	T(.type = X_PC16, .S = 0x18000, .P = 0x10000, .rc = ERANGE_),
	T(.type = X_PC16, .S = 0x8000, .P = 0x10000, .want = 0x8000),
	T(.type = X_PC16, .S = 0x7fff, .P = 0x10000, .rc = ERANGE_),
	/* R_X86_64_8: -0x80 .. 0xff. */
	T(.type = X_8, .S = 0x12, .want = 0x12),
	T(.type = X_8, .S = 0xf0, .A = 0xf, .want = 0xff),
	T(.type = X_8, .S = 0xf0, .A = 0x10, .rc = ERANGE_),
	T(.type = X_8, .S = 0x10, .A = -0x90, .want = 0x80),
	T(.type = X_8, .S = 0x10, .A = -0x91, .rc = ERANGE_),
	/* R_X86_64_PC8: -0x80 .. 0x7f. */
	T(.type = X_PC8, .S = 0x1010, .P = 0x1000, .A = -1, .want = 0x0f),
	T(.type = X_PC8, .S = 0x107f, .P = 0x1000, .want = 0x7f),
	T(.type = X_PC8, .S = 0x1080, .P = 0x1000, .rc = ERANGE_),
	T(.type = X_PC8, .S = 0x0f80, .P = 0x1000, .want = 0x80),
	T(.type = X_PC8, .S = 0x0f7f, .P = 0x1000, .rc = ERANGE_),
};

static const struct tc i386_cases[] = {
	/* R_386_32: S + A modulo 2^32, never out of range. */
	T(.type = I_32, .S = 0x1000, .A = -4, .want = 0xffc),
	T(.type = I_32, .S = 0xfffffff0, .A = 0x20, .want = 0x10),
	T(.type = I_32, .S = 0x12345678, .A = 0x7fffffff, .want = 0x92345677),
	T(.type = I_32, .S = 0x100000010, .want = 0x10),
	/* R_386_PC32 / PLT32: S + A - P modulo 2^32: every distance reaches. A stub (L)
	 * exists only when the load asked for one per import (ELFMOD_LOAD_PRELINK): then
	 * the call goes through it - but a PC32 to an undefined weak symbol stays 0-based. */
	T(.type = I_PC32, .S = 0x1000, .P = 0x2000, .A = -4, .want = 0xffffeffc),
	T(.type = I_PC32, .S = 0xf0000000, .P = 0x1000, .A = -4, .want = 0xefffeffc),
	T(.type = I_PC32, .S = 0x1000, .P = 0xf0000000, .A = -4, .want = 0x10000ffc),
	T(.type = I_PC32, .S = 0xf0000000, .P = 0x1000, .A = -4, .L = 0x5000, .want = 0x3ffc),
	T(.type = I_PC32, .S = 0, .P = 0x1000, .A = -4, .L = 0x5000, .weak = 1, .want = 0xffffeffc),
	T(.type = I_PLT32, .S = 0x1000, .P = 0x2000, .A = -4, .want = 0xffffeffc),
	T(.type = I_PLT32, .S = 0xf0000000, .P = 0x1000, .A = -4, .L = 0x5000, .want = 0x3ffc),
	T(.type = I_PLT32, .S = 0, .P = 0x1000, .A = -4, .L = 0x5000, .weak = 1, .want = 0x3ffc),
	/* R_386_GOT32 / GOT32X: slot - GOT + A (the base-register form), not relaxed. */
	T(.type = I_GOT32, .GOT = 0x3000, .G = 0x300c, .want = 0xc),
	T(.type = I_GOT32, .GOT = 0x3000, .G = 0x300c, .A = -4, .want = 0x8),
	T(.type = I_GOT32X, .GOT = 0x3000, .G = 0x3010, .S = 0x1234, .want = 0x10),
	T(.type = I_GOT32X, .GOT = 0x3000, .G = 0x3000, .A = -0x10, .want = 0xfffffff0),
	/* R_386_GOTOFF: S + A - GOT. R_386_GOTPC: GOT + A - P. */
	T(.type = I_GOTOFF, .S = 0x1000, .GOT = 0x3000, .A = 4, .want = 0xffffe004),
	T(.type = I_GOTPC, .GOT = 0x3000, .P = 0x1002, .A = 2, .want = 0x2000),
	T(.type = I_GOTPC, .GOT = 0x1000, .P = 0x2000, .A = 3, .want = 0xfffff003),
	/* R_386_SIZE32: Z + A. */
	T(.type = I_SIZE32, .Z = 0x40, .A = -8, .want = 0x38),
	/* R_386_16: -0x8000 .. 0xffff after the 32-bit arithmetic. */
	T(.type = I_16, .S = 0x1234, .want = 0x1234),
	T(.type = I_16, .S = 0x10, .A = -0x10, .want = 0),
	T(.type = I_16, .S = 0xf, .A = -0x10, .want = 0xffff),
	T(.type = I_16, .S = 0xffff, .want = 0xffff),
	T(.type = I_16, .S = 0x10000, .rc = ERANGE_),
	T(.type = I_16, .S = 0xffff8000, .want = 0x8000),
	T(.type = I_16, .S = 0xffff7fff, .rc = ERANGE_),
	T(.type = I_16, .S = 0x8000, .A = -0x8000, .want = 0),
	/* R_386_PC16: -0x8000 .. 0x7fff. */
	T(.type = I_PC16, .S = 0x10100, .P = 0x10000, .A = -2, .want = 0xfe),
	T(.type = I_PC16, .S = 0x17fff, .P = 0x10000, .want = 0x7fff),
	T(.type = I_PC16, .S = 0x18000, .P = 0x10000, .rc = ERANGE_),
	T(.type = I_PC16, .S = 0x8000, .P = 0x10000, .want = 0x8000),
	T(.type = I_PC16, .S = 0x7fff, .P = 0x10000, .rc = ERANGE_),
	/* R_386_8: -0x80 .. 0xff. */
	T(.type = I_8, .S = 0x12, .want = 0x12),
	T(.type = I_8, .S = 0xff, .want = 0xff),
	T(.type = I_8, .S = 0x100, .rc = ERANGE_),
	T(.type = I_8, .S = 0xffffff80, .want = 0x80),
	T(.type = I_8, .S = 0xffffff7f, .rc = ERANGE_),
	T(.type = I_8, .S = 0x80, .A = -0x80, .want = 0),
	/* R_386_PC8: -0x80 .. 0x7f. */
	T(.type = I_PC8, .S = 0x107f, .P = 0x1000, .want = 0x7f),
	T(.type = I_PC8, .S = 0x1080, .P = 0x1000, .rc = ERANGE_),
	T(.type = I_PC8, .S = 0x0f80, .P = 0x1000, .want = 0x80),
	T(.type = I_PC8, .S = 0x0f7f, .P = 0x1000, .rc = ERANGE_),
	T(.type = I_PC8, .S = 0x1083, .P = 0x1000, .A = -4, .want = 0x7f),
};

static char ctx[128];

static const char *nm(uint16_t machine, uint32_t type)
{
	const char *n = elfmod_reloc_name(machine, type);

	return n ? n : "?";
}

/* The test's own little-endian encoding, independent of elfmod__put*. */
static void le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* One case through info, (for REL) addend, and apply, on the field at buf + 1. */
static void run(const struct arch_desc *arch, const struct tc *c, unsigned want_size)
{
	uint8_t buf[24], field[8];
	struct reloc_info ri;
	struct reloc_args a;

	snprintf(ctx, sizeof(ctx), "%s %s line %d", arch->name, nm(arch->machine, c->type), c->line);
	check_ctx = ctx;
	memset(&ri, 0, sizeof(ri));
	CHECK_RC(arch->info(c->type, &ri), 0);
	CHECK_EQ(ri.size, want_size);
	CHECK(!(ri.flags & RF_NONE));

	memset(buf, GUARD, sizeof(buf));
	memset(&a, 0, sizeof(a));
	a.type = c->type;
	a.loc = buf + 1;
	a.S = c->S;
	a.P = c->P;
	a.GOT = c->GOT;
	a.G = c->G;
	a.L = c->L;
	a.Z = c->Z;
	a.weak_undef = c->weak;
	a.A = c->A;
	if (arch->addend) {
		/* REL: the addend lives in the field; apply must get it from addend(). */
		int64_t got = 0x5a5a5a5a;

		le(buf + 1, (uint64_t)c->A, ri.size);
		CHECK_RC(arch->addend(c->type, buf + 1, 0, &got), 0);
		CHECK_EQ(got, c->A);
		a.A = got;
	}
	memcpy(field, buf + 1, ri.size);
	CHECK_RC(arch->apply(&a), c->rc);
	if (c->rc == 0) {
		le(field, c->want, ri.size);
		CHECK(memcmp(buf + 1, field, ri.size) == 0);
		if (memcmp(buf + 1, field, ri.size)) {
			fprintf(stderr, "  wrote");
			for (unsigned i = 0; i < ri.size; i++)
				fprintf(stderr, " %02x", buf[1 + i]);
			fprintf(stderr, ", want 0x%llx\n", (unsigned long long)c->want);
		}
	} else {
		/* Refused: the field keeps what it held. */
		CHECK(memcmp(buf + 1, field, ri.size) == 0);
	}
	CHECK(guards_ok(buf, sizeof(buf), 1, 1 + ri.size));
}

static unsigned x86_64_size(uint32_t t)
{
	switch (t) {
	case X_64: case X_PC64: case X_GOT64: case X_GOTPCREL64: case X_GOTPC64:
	case X_GOTPLT64: case X_PLTOFF64: case X_SIZE64: case X_GOTOFF64:
		return 8;
	case X_16: case X_PC16:
		return 2;
	case X_8: case X_PC8:
		return 1;
	default:
		return 4;
	}
}

static unsigned i386_size(uint32_t t)
{
	switch (t) {
	case I_16: case I_PC16:
		return 2;
	case I_8: case I_PC8:
		return 1;
	default:
		return 4;
	}
}

/* What each type asks of the generic code. */
struct flagcase {
	uint32_t type;
	uint8_t flags;
};

static const struct flagcase x86_64_flags[] = {
	{ X_NONE, RF_NONE }, { X_64, 0 }, { X_PC32, RF_PCREL }, { X_GOT32, RF_GOT | RF_GOTBASE },
	{ X_PLT32, RF_CALL }, { X_GOTPCREL, RF_GOT }, { X_32, 0 }, { X_32S, 0 }, { X_16, 0 },
	{ X_PC16, RF_PCREL }, { X_8, 0 }, { X_PC8, RF_PCREL }, { X_PC64, RF_PCREL },
	{ X_GOTOFF64, RF_GOTBASE }, { X_GOTPC32, RF_GOTBASE }, { X_GOT64, RF_GOT | RF_GOTBASE },
	{ X_GOTPCREL64, RF_GOT }, { X_GOTPC64, RF_GOTBASE }, { X_GOTPLT64, RF_GOT | RF_GOTBASE },
	{ X_PLTOFF64, RF_CALL | RF_GOTBASE }, { X_SIZE32, RF_SIZE }, { X_SIZE64, RF_SIZE },
	{ X_GOTPCRELX, RF_GOT }, { X_REX_GOTPCRELX, RF_GOT },
};

static const struct flagcase i386_flags[] = {
	{ I_NONE, RF_NONE }, { I_32, 0 }, { I_PC32, RF_PCREL | RF_CALL }, { I_GOT32, RF_GOT | RF_GOTBASE },
	{ I_PLT32, RF_CALL }, { I_GOTOFF, RF_GOTBASE }, { I_GOTPC, RF_GOTBASE }, { I_16, 0 },
	{ I_PC16, RF_PCREL }, { I_8, 0 }, { I_PC8, RF_PCREL }, { I_SIZE32, RF_SIZE },
	{ I_GOT32X, RF_GOT | RF_GOTBASE },
};

static void check_flags(const struct arch_desc *arch, const struct flagcase *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct reloc_info ri;

		snprintf(ctx, sizeof(ctx), "%s flags of %s", arch->name, nm(arch->machine, f[i].type));
		check_ctx = ctx;
		CHECK_RC(arch->info(f[i].type, &ri), 0);
		CHECK_EQ(ri.flags, f[i].flags);
	}
}

/* R_*_NONE: no field, and loc may point nowhere: nothing may be read or written. */
static void check_none(const struct arch_desc *arch)
{
	struct reloc_info ri;
	struct reloc_args a;

	snprintf(ctx, sizeof(ctx), "%s NONE", arch->name);
	check_ctx = ctx;
	CHECK_RC(arch->info(0, &ri), 0);
	CHECK_EQ(ri.flags, RF_NONE);
	CHECK_EQ(ri.size, 0);
	memset(&a, 0, sizeof(a));
	a.S = 0x1234;
	a.P = 0x5678;
	CHECK_RC(arch->apply(&a), 0); /* loc is NULL */
	if (arch->addend) {
		int64_t A = 77;

		CHECK_RC(arch->addend(0, NULL, 0, &A), 0);
		CHECK_EQ(A, 0);
	}
}

static void check_unsupported(const struct arch_desc *arch, const uint32_t *types, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t buf[16];
		struct reloc_info ri;
		struct reloc_args a;
		snprintf(ctx, sizeof(ctx), "%s unsupported %s (%u)", arch->name, nm(arch->machine, types[i]),
			 types[i]);
		check_ctx = ctx;
		memset(buf, GUARD, sizeof(buf));
		CHECK_RC(arch->info(types[i], &ri), ELFMOD_ERELTYPE);
		memset(&a, 0, sizeof(a));
		a.type = types[i];
		a.loc = buf + 1;
		a.S = 0x1000;
		a.P = 0x2000;
		CHECK_RC(arch->apply(&a), ELFMOD_ERELTYPE);
		if (arch->addend) {
			int64_t A;

			CHECK_RC(arch->addend(types[i], buf + 1, 0, &A), ELFMOD_ERELTYPE);
		}
		CHECK(guards_ok(buf, sizeof(buf), 0, 0));
	}
}

/* i386 REL addends: the field's bytes, sign-extended from the field's width. */
static void check_i386_addends(void)
{
	static const struct {
		uint32_t type;
		uint8_t bytes[4];
		int64_t A;
	} c[] = {
		{ I_32, { 0xfc, 0xff, 0xff, 0xff }, -4 },
		{ I_32, { 0x00, 0x00, 0x00, 0x80 }, -0x80000000LL },
		{ I_32, { 0xff, 0xff, 0xff, 0x7f }, 0x7fffffff },
		{ I_PC32, { 0x78, 0x56, 0x34, 0x12 }, 0x12345678 },
		{ I_GOTPC, { 0x03, 0x00, 0x00, 0x00 }, 3 },
		{ I_16, { 0x00, 0x80 }, -0x8000 },
		{ I_16, { 0xff, 0x7f }, 0x7fff },
		{ I_PC16, { 0xfe, 0xff }, -2 },
		{ I_8, { 0x80 }, -0x80 },
		{ I_8, { 0x7f }, 0x7f },
		{ I_PC8, { 0xfc }, -4 },
	};
	const struct arch_desc *arch = &elfmod__arch_i386;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint8_t buf[8];
		int64_t A = 0;

		snprintf(ctx, sizeof(ctx), "i386 addend of %s #%zu", nm(ELFMOD_EM_386, c[i].type), i);
		check_ctx = ctx;
		buf[0] = GUARD;
		memcpy(buf + 1, c[i].bytes, 4);
		CHECK_RC(arch->addend(c[i].type, buf + 1, 0, &A), 0);
		CHECK_EQ(A, c[i].A);
	}
}

static void check_stub_bytes(void)
{
	static const uint8_t want[16] = {
		0x49, 0xbb, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, /* movabs $t, %r11 */
		0x41, 0xff, 0xe3,                                           /* jmp *%r11 */
		0xcc, 0xcc, 0xcc,                                           /* int3 padding */
	};
	const struct arch_desc *arch = &elfmod__arch_x86_64;
	uint8_t buf[20];

	check_ctx = "x86-64 stub bytes";
	CHECK_EQ(arch->stub_size, 16);
	CHECK_EQ(arch->stub_align, 16);
	CHECK(arch->stub != NULL);
	memset(buf, GUARD, sizeof(buf));
	/* Absolute: the stub does not depend on where it runs. */
	arch->stub(buf + 1, 0x7f0000002000, 0x1122334455667788, 0);
	CHECK(memcmp(buf + 1, want, sizeof(want)) == 0);
	CHECK(guards_ok(buf, sizeof(buf), 1, 17));
	memset(buf, GUARD, sizeof(buf));
	arch->stub(buf + 1, 0x10, 0x1122334455667788, 0);
	CHECK(memcmp(buf + 1, want, sizeof(want)) == 0);
}

static void check_descriptors(void)
{
	check_ctx = "descriptors";
	CHECK_EQ(elfmod__arch_x86_64.machine, ELFMOD_EM_X86_64);
	CHECK_EQ(elfmod__arch_x86_64.classes, 2);
	CHECK(elfmod__arch_x86_64.info && elfmod__arch_x86_64.apply);
	CHECK(elfmod__arch_x86_64.addend == NULL); /* RELA only */
	CHECK(elfmod__arch_x86_64.flags_ok == NULL || elfmod__arch_x86_64.flags_ok(0xffffffff));
	CHECK(elfmod__arch_find(ELFMOD_EM_X86_64) == &elfmod__arch_x86_64);
	CHECK_EQ(elfmod__arch_i386.machine, ELFMOD_EM_386);
	CHECK_EQ(elfmod__arch_i386.classes, 1);
	CHECK(elfmod__arch_i386.info && elfmod__arch_i386.apply && elfmod__arch_i386.addend);
	/* Stubs only on request (every call reaches): push target; ret, the target a plain
	 * word at offset 1. */
	CHECK_EQ(elfmod__arch_i386.stub_size, 8);
	CHECK(elfmod__arch_i386.reaches_all && elfmod__arch_i386.reaches_all(4, 32));
	if (elfmod__arch_i386.stub) {
		uint8_t st[8];
		static const uint8_t want[8] = { 0x68, 0x78, 0x56, 0x34, 0x12, 0xc3, 0xcc, 0xcc };
		elfmod__arch_i386.stub(st, 0x1000, 0x12345678, 0);
		CHECK(memcmp(st, want, sizeof(want)) == 0);
	}
	CHECK(elfmod__arch_i386.flags_ok == NULL || elfmod__arch_i386.flags_ok(0xffffffff));
	CHECK(elfmod__arch_find(ELFMOD_EM_386) == &elfmod__arch_i386);
}

#if RUN_STUBS
/* What the stubs jump to. 256-aligned: a stub that put the target in rax would leave
 * al == 0, and the variadic prologue would then skip saving the xmm arguments. */
__attribute__((noinline)) static int host_fn(int x)
{
	return x * 7 + 3;
}

__attribute__((noinline, aligned(256))) static double host_vsum(int n, ...)
{
	va_list ap;
	double s = 0;

	va_start(ap, n);
	while (n-- > 0)
		s += va_arg(ap, double);
	va_end(ap);
	return s;
}

/* sub $8,%rsp; call rel32; add $8,%rsp; ret. Returns the offset of the rel32 field. */
static size_t put_caller(uint8_t *p)
{
	static const uint8_t code[] = { 0x48, 0x83, 0xec, 0x08, 0xe8, 0, 0, 0, 0,
					0x48, 0x83, 0xc4, 0x08, 0xc3 };

	memcpy(p, code, sizeof(code));
	return 5;
}

static int32_t rel32_at(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	int32_t s;

	memcpy(&s, &v, sizeof(s));
	return s;
}

static void run_stubs(void)
{
	const struct arch_desc *arch = &elfmod__arch_x86_64;
	uint64_t fn = (uint64_t)(uintptr_t)host_fn;
	/* A hint far from the program, so that the direct call cannot reach. */
	uintptr_t hint = fn < 0x400000000000 ? 0x600000000000 : 0x200000000000;
	uint8_t *page = mmap((void *)hint, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t base = (uint64_t)(uintptr_t)page, dist;
	struct reloc_args a;
	size_t f1, f2;
	int far;

	check_ctx = "x86-64 stub execution";
	CHECK(page != MAP_FAILED);
	if (page == MAP_FAILED)
		return;
	memset(page, 0xcc, 4096);
	/* 0: caller through PLT32 (direct or stub); 32: stub to host_fn; 48: stub to
	 * host_vsum; 64: caller whose call lands on the stub at 32. */
	f1 = put_caller(page);
	arch->stub(page + 32, base + 32, fn, 0);
	arch->stub(page + 48, base + 48, (uint64_t)(uintptr_t)host_vsum, 0);
	f2 = 64 + put_caller(page + 64);

	memset(&a, 0, sizeof(a));
	a.type = X_PLT32;
	a.A = -4;
	a.loc = page + f1;
	a.P = base + f1;
	a.S = fn;
	a.L = base + 32;
	CHECK_RC(arch->apply(&a), 0);
	dist = fn - 4 - a.P;
	far = dist + 0x80000000u > 0xffffffffu;
	/* The call lands on the stub exactly when host_fn is out of reach. */
	if (far)
		CHECK_EQ((int64_t)rel32_at(page + f1), (int64_t)(a.L - 4 - a.P));
	else
		CHECK_EQ((int64_t)rel32_at(page + f1), (int64_t)dist);
	printf("stub page at %p, host_fn at %p: %s\n", (void *)page, (void *)(uintptr_t)fn,
	       far ? "out of reach, PLT32 uses the stub" : "in reach (the stub is run through the second caller)");

	a.loc = page + f2;
	a.P = base + f2;
	a.S = base + 32;
	a.L = 0;
	CHECK_RC(arch->apply(&a), 0);
	CHECK_EQ(rel32_at(page + f2), 32 - 4 - (int64_t)f2);

	CHECK(mprotect(page, 4096, PROT_READ | PROT_EXEC) == 0);
	__builtin___clear_cache((char *)page, (char *)page + 4096);
	{
		int (*caller)(int) = (int (*)(int))(uintptr_t)page;
		int (*via_stub)(int) = (int (*)(int))(uintptr_t)(page + 64);
		int (*stub_fn)(int) = (int (*)(int))(uintptr_t)(page + 32);
		double (*vsum)(int, ...) = (double (*)(int, ...))(uintptr_t)(page + 48);

		CHECK_EQ(caller(5), 38);
		CHECK_EQ(via_stub(-3), -18);
		CHECK_EQ(stub_fn(100), 703);
		/* al carries the vector-register count through the stub. */
		CHECK(vsum(3, 1.5, 2.25, 4.0) == 7.75);
		CHECK(vsum(1, -0.5) == -0.5);
	}
	munmap(page, 4096);
}
#endif

int main(void)
{
	static const uint32_t x86_64_unsupported[] = {
		5, 6, 7, 8, 16, 17, 18, 19, 20, 21, 22, 23, 34, 35, 36, 37, 38, 39, 40, 43,
		100, 250, 251, 1000, 0xffffffffu,
	};
	static const uint32_t i386_unsupported[] = {
		5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 28, 29, 30, 31, 32,
		33, 34, 35, 36, 37, 39, 40, 41, 42, 44, 200, 250, 251, 0xffffffffu,
	};

	check_descriptors();
	for (size_t i = 0; i < sizeof(x86_64_cases) / sizeof(x86_64_cases[0]); i++)
		run(&elfmod__arch_x86_64, &x86_64_cases[i], x86_64_size(x86_64_cases[i].type));
	for (size_t i = 0; i < sizeof(i386_cases) / sizeof(i386_cases[0]); i++)
		run(&elfmod__arch_i386, &i386_cases[i], i386_size(i386_cases[i].type));
	check_flags(&elfmod__arch_x86_64, x86_64_flags, sizeof(x86_64_flags) / sizeof(x86_64_flags[0]));
	check_flags(&elfmod__arch_i386, i386_flags, sizeof(i386_flags) / sizeof(i386_flags[0]));
	check_none(&elfmod__arch_x86_64);
	check_none(&elfmod__arch_i386);
	check_unsupported(&elfmod__arch_x86_64, x86_64_unsupported,
			  sizeof(x86_64_unsupported) / sizeof(x86_64_unsupported[0]));
	check_unsupported(&elfmod__arch_i386, i386_unsupported,
			  sizeof(i386_unsupported) / sizeof(i386_unsupported[0]));
	check_i386_addends();
	check_stub_bytes();
#if RUN_STUBS
	run_stubs();
#endif
	return check_done("reloc_x86");
}
