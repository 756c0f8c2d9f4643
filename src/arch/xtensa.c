/*
 * elfmod: the Xtensa part.
 *
 * Everything elfmod knows about Xtensa relocations lives in this file, so
 * generic code never has to look at e_machine.
 */
#include "arch.h"
#include "elfmod.h"
#include "internal.h"

#if ELFMOD_CFG_RELOC_NAMES
/*
 * Spelled exactly as GNU readelf (binutils 2.40) prints them, so that
 * output can be compared with readelf's by name.
 */
static const char *const names[] = {
	[0] = "R_XTENSA_NONE",
	[1] = "R_XTENSA_32",
	[2] = "R_XTENSA_RTLD",
	[3] = "R_XTENSA_GLOB_DAT",
	[4] = "R_XTENSA_JMP_SLOT",
	[5] = "R_XTENSA_RELATIVE",
	[6] = "R_XTENSA_PLT",
	[8] = "R_XTENSA_OP0",
	[9] = "R_XTENSA_OP1",
	[10] = "R_XTENSA_OP2",
	[11] = "R_XTENSA_ASM_EXPAND",
	[12] = "R_XTENSA_ASM_SIMPLIFY",
	[14] = "R_XTENSA_32_PCREL",
	[15] = "R_XTENSA_GNU_VTINHERIT",
	[16] = "R_XTENSA_GNU_VTENTRY",
	[17] = "R_XTENSA_DIFF8",
	[18] = "R_XTENSA_DIFF16",
	[19] = "R_XTENSA_DIFF32",
	[20] = "R_XTENSA_SLOT0_OP",
	[21] = "R_XTENSA_SLOT1_OP",
	[22] = "R_XTENSA_SLOT2_OP",
	[23] = "R_XTENSA_SLOT3_OP",
	[24] = "R_XTENSA_SLOT4_OP",
	[25] = "R_XTENSA_SLOT5_OP",
	[26] = "R_XTENSA_SLOT6_OP",
	[27] = "R_XTENSA_SLOT7_OP",
	[28] = "R_XTENSA_SLOT8_OP",
	[29] = "R_XTENSA_SLOT9_OP",
	[30] = "R_XTENSA_SLOT10_OP",
	[31] = "R_XTENSA_SLOT11_OP",
	[32] = "R_XTENSA_SLOT12_OP",
	[33] = "R_XTENSA_SLOT13_OP",
	[34] = "R_XTENSA_SLOT14_OP",
	[35] = "R_XTENSA_SLOT0_ALT",
	[36] = "R_XTENSA_SLOT1_ALT",
	[37] = "R_XTENSA_SLOT2_ALT",
	[38] = "R_XTENSA_SLOT3_ALT",
	[39] = "R_XTENSA_SLOT4_ALT",
	[40] = "R_XTENSA_SLOT5_ALT",
	[41] = "R_XTENSA_SLOT6_ALT",
	[42] = "R_XTENSA_SLOT7_ALT",
	[43] = "R_XTENSA_SLOT8_ALT",
	[44] = "R_XTENSA_SLOT9_ALT",
	[45] = "R_XTENSA_SLOT10_ALT",
	[46] = "R_XTENSA_SLOT11_ALT",
	[47] = "R_XTENSA_SLOT12_ALT",
	[48] = "R_XTENSA_SLOT13_ALT",
	[49] = "R_XTENSA_SLOT14_ALT",
	[50] = "R_XTENSA_TLSDESC_FN",
	[51] = "R_XTENSA_TLSDESC_ARG",
	[52] = "R_XTENSA_TLS_DTPOFF",
	[53] = "R_XTENSA_TLS_TPOFF",
	[54] = "R_XTENSA_TLS_FUNC",
	[55] = "R_XTENSA_TLS_ARG",
	[56] = "R_XTENSA_TLS_CALL",
	[57] = "R_XTENSA_PDIFF8",
	[58] = "R_XTENSA_PDIFF16",
	[59] = "R_XTENSA_PDIFF32",
	[60] = "R_XTENSA_NDIFF8",
	[61] = "R_XTENSA_NDIFF16",
	[62] = "R_XTENSA_NDIFF32",
};
#endif


/*
 * The engine. Only what a static link with `ld --no-relax` produces for the
 * little-endian lx106 core (ESP8266): data words, and SLOT0_OP on the instruction at
 * the place, whose opcode says which operand is PC-relative and how it is encoded.
 * Instructions are 24-bit (16-bit with the density option) and little-endian: op0 is
 * the low nibble of the first byte, so the format is known before the length.
 *
 * Every SLOT0_OP target T = S + A is encoded as binutils' operand functions do (an
 * offset from a per-format base, then checked by decoding it back), so a misaligned
 * L32R or CALL target is refused rather than silently rounded.
 *
 * R_XTENSA_32 adds S + A to the word already in place, as GNU ld does (its howto is
 * partial_inplace); the assembler leaves 0 there. 32_PCREL overwrites.
 * The DIFF/PDIFF/NDIFF types only tell a relaxing linker which stored differences to
 * fix when it shrinks code; the assembler has already stored the difference and
 * nothing moves here, so they are hints, as are ASM_EXPAND/ASM_SIMPLIFY and the
 * C++ vtable GC markers.
 *
 * SLOT0_OP is flagged RF_PCREL rather than RF_CALL: there is no stub (a call stub
 * would need a literal below it and a scratch register CALL0 does not leave), so the
 * useful thing is the allocator's "near" hint, which L32R and CALL0 both want.
 * Left out: the other slots and ALT operands (FLIX, CONST16), the old OP0-OP2 types,
 * TLS, and the dynamic-only types.
 */
enum {
	R_NONE = 0,
	R_32 = 1,
	R_ASM_EXPAND = 11,
	R_ASM_SIMPLIFY = 12,
	R_32_PCREL = 14,
	R_GNU_VTINHERIT = 15,
	R_GNU_VTENTRY = 16,
	R_DIFF8 = 17,
	R_DIFF16 = 18,
	R_DIFF32 = 19,
	R_SLOT0_OP = 20,
	R_PDIFF8 = 57,
	R_PDIFF16 = 58,
	R_PDIFF32 = 59,
	R_NDIFF8 = 60,
	R_NDIFF16 = 61,
	R_NDIFF32 = 62,
};

static int info(uint32_t type, struct reloc_info *out)
{
	switch (type) {
	case R_NONE:
	case R_ASM_EXPAND:
	case R_ASM_SIMPLIFY:
	case R_GNU_VTINHERIT:
	case R_GNU_VTENTRY:
		out->flags = RF_NONE;
		out->size = 0;
		return 0;
	case R_DIFF8:
	case R_PDIFF8:
	case R_NDIFF8:
		out->flags = RF_NONE;
		out->size = 1;
		return 0;
	case R_DIFF16:
	case R_PDIFF16:
	case R_NDIFF16:
		out->flags = RF_NONE;
		out->size = 2;
		return 0;
	case R_DIFF32:
	case R_PDIFF32:
	case R_NDIFF32:
		out->flags = RF_NONE;
		out->size = 4;
		return 0;
	case R_32:
		out->flags = 0;
		out->size = 4;
		return 0;
	case R_32_PCREL:
		out->flags = RF_PCREL;
		out->size = 4;
		return 0;
	case R_SLOT0_OP:
		/* A narrow branch is 2 bytes, but the opcode is only known in apply():
		 * claim 3, so a 16-bit branch ending its section exactly is refused. */
		out->flags = RF_PCREL;
		out->size = 3;
		return 0;
	default:
		return ELFMOD_ERELTYPE;
	}
}

/* The ISA's 3-byte NOP (RRR format, always present, unlike NOP.N). */
#define NOP 0x0020f0u

static void put24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
}

/* Distance in the target's 32-bit address arithmetic, as a signed value. */
static int64_t dist(uint64_t to, uint64_t from)
{
	return (int32_t)(uint32_t)(to - from);
}

static int fits(int64_t v, int64_t lo, int64_t hi)
{
	return v >= lo && v <= hi;
}

/* An 8- or 12-bit signed branch offset from P + 4, in bits [shift, shift + bits). */
static int branch(const struct reloc_args *r, uint32_t insn, uint64_t T, unsigned bits,
		  unsigned shift)
{
	int64_t v = dist(T, r->P + 4);
	uint32_t mask = ((1u << bits) - 1) << shift;

	if (!fits(v, -(1ll << (bits - 1)), (1ll << (bits - 1)) - 1))
		return ELFMOD_ERANGE;
	put24(r->loc, (insn & ~mask) | (((uint32_t)v << shift) & mask));
	return 0;
}

static int slot0(const struct reloc_args *r)
{
	uint8_t *loc = r->loc;
	uint32_t insn = loc[0] | (uint32_t)loc[1] << 8 | (uint32_t)loc[2] << 16;
	uint64_t T = r->S + (uint64_t)r->A;
	unsigned op0 = insn & 0xf, n = (insn >> 4) & 3, m = (insn >> 6) & 3;
	unsigned rr = (insn >> 12) & 0xf;
	int64_t v;

	switch (op0) {
	case 1:
		/* L32R: a negative word offset from the word after the instruction. */
		v = dist(T, (r->P + 3) & ~3ull);
		if ((v & 3) || !fits(v, -(1ll << 18), -4))
			return ELFMOD_ERANGE;
		put24(loc, (insn & 0xffu) | ((uint32_t)(v >> 2) & 0xffffu) << 8);
		return 0;
	case 5:
		/* CALL0/4/8/12: the word offset from the call's word + 4. A call to an
		 * undefined weak function becomes a NOP, as elsewhere. */
		if (r->weak_undef) {
			put24(loc, NOP);
			return 0;
		}
		v = dist(T, (r->P & ~3ull) + 4);
		if ((v & 3) || !fits(v, -(1ll << 19), (1ll << 19) - 4))
			return ELFMOD_ERANGE;
		put24(loc, (insn & 0x3fu) | ((uint32_t)(v >> 2) & 0x3ffffu) << 6);
		return 0;
	case 6:
		if (n == 0) {
			/* J: an 18-bit byte offset from P + 4. */
			v = dist(T, r->P + 4);
			if (!fits(v, -(1ll << 17), (1ll << 17) - 1))
				return ELFMOD_ERANGE;
			put24(loc, (insn & 0x3fu) | ((uint32_t)v & 0x3ffffu) << 6);
			return 0;
		}
		if (n == 1) /* BEQZ/BNEZ/BLTZ/BGEZ */
			return branch(r, insn, T, 12, 12);
		if (n == 2) /* BEQI/BNEI/BLTI/BGEI */
			return branch(r, insn, T, 8, 16);
		if (m >= 2) /* BLTUI/BGEUI */
			return branch(r, insn, T, 8, 16);
		if (m == 1 && rr <= 1) /* BF/BT */
			return branch(r, insn, T, 8, 16);
		if (m == 1 && rr >= 8 && rr <= 10) {
			/* LOOP/LOOPNEZ/LOOPGTZ: the loop end, unsigned from P + 4. */
			v = dist(T, r->P + 4);
			if (!fits(v, 0, 255))
				return ELFMOD_ERANGE;
			put24(loc, (insn & 0x00ffffu) | (uint32_t)v << 16);
			return 0;
		}
		return ELFMOD_ERELTYPE; /* ENTRY and friends have no PC-relative operand */
	case 7:
		/* The RRI8 compare-and-branch group (BEQ, BNE, BBCI, BALL, ...). */
		return branch(r, insn, T, 8, 16);
	case 0xc:
		/* BEQZ.N/BNEZ.N (t = 1zii): unsigned 6-bit offset from P + 4, split as
		 * imm6[5:4] in bits 5:4 and imm6[3:0] in bits 15:12. Two bytes only. */
		if (!(insn & 0x80))
			return ELFMOD_ERELTYPE; /* MOVI.N */
		v = dist(T, r->P + 4);
		if (!fits(v, 0, 63))
			return ELFMOD_ERANGE;
		insn = (insn & 0x0fcfu) | ((uint32_t)v & 0x30u) | ((uint32_t)v & 0xfu) << 12;
		loc[0] = (uint8_t)insn;
		loc[1] = (uint8_t)(insn >> 8);
		return 0;
	default:
		return ELFMOD_ERELTYPE;
	}
}

static int apply(const struct reloc_args *r)
{
	uint64_t sa = r->S + (uint64_t)r->A;

	switch (r->type) {
	case R_32:
		elfmod__put32(r->loc, elfmod__get32(r->loc, r->big_endian) + (uint32_t)sa,
			      r->big_endian);
		return 0;
	case R_32_PCREL:
		elfmod__put32(r->loc, (uint32_t)(sa - r->P), r->big_endian);
		return 0;
	case R_SLOT0_OP:
		/* The lx106 toolchain is little-endian only; a big-endian Xtensa core
		 * lays instruction fields out differently. */
		if (r->big_endian)
			return ELFMOD_ERELTYPE;
		return slot0(r);
	default:
		/* RF_NONE types never get here; anything else info() refused. */
		return ELFMOD_ERELTYPE;
	}
}

static int starts(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix)
		s++, prefix++;
	return *prefix == 0;
}

/* Literal pools (.literal, .literal.FN with -ffunction-sections, and ld -r's
 * .gnu.linkonce.literal.*) start the text region: L32R only reaches backwards, up to
 * 256 KiB, so all of them lie below every load of theirs in any module whose code fits
 * in 256 KiB, which is more than the instruction RAM of any ESP8266/ESP32 part.
 * -mtext-section-literals pools are inside .text, where the assembler put them. */
static int text_first(const char *name)
{
	return (starts(name, ".literal") && (name[8] == 0 || name[8] == '.')) ||
	       starts(name, ".gnu.linkonce.literal.");
}

static const char *range_hint(uint32_t type)
{
	return type == R_SLOT0_OP ? "R_XTENSA_SLOT0_OP out of reach (CALL0 reaches +-512 KiB: "
				    "build with -mlongcalls; L32R reaches literals 256 KiB below)"
				  : NULL;
}

/* Dynamic relocations of shared objects (binutils' numbers). */
static uint8_t dyn_kind(uint32_t type, uint8_t cls)
{
	(void)cls;
	switch (type) {
	case 0: return DYN_NONE;         /* R_XTENSA_NONE */
	case 1: return DYN_ABS;          /* R_XTENSA_32 */
	case 3: return DYN_GLOB;         /* R_XTENSA_GLOB_DAT */
	case 4: return DYN_GLOB;         /* R_XTENSA_JMP_SLOT */
	case 5: return DYN_RELATIVE;     /* R_XTENSA_RELATIVE */
	case 50: case 51: case 52: case 53: case 54: case 55: case 56:
		return DYN_TLS;          /* the TLS types */
	default: return DYN_UNSUPPORTED;
	}
}

const struct arch_desc elfmod__arch_xtensa = {
	.machine = ELFMOD_EM_XTENSA,
	.name = "Xtensa",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
	.classes = 1, /* ELFCLASS32 only */
	.stub_size = 0, /* no call stubs: see above */
	.stub_align = 0,
	.info = info,
	.addend = NULL, /* RELA only */
	.apply = apply,
	.far_hint = "call or literal load cannot reach a far import (rebuild the module with -mlongcalls)",
	.text_first = text_first,
	.range_hint = range_hint,
	.dyn_kind = dyn_kind,
};
