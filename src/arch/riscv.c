/*
 * elfmod: the RISC-V part.
 *
 * Everything elfmod knows about RISC-V relocations lives in this file, so
 * generic code never has to look at e_machine.
 */
#include "arch.h"
#include "internal.h"

#if ELFMOD_CFG_RELOC_NAMES
/*
 * Spelled exactly as GNU readelf (binutils 2.40) prints them, so that
 * output can be compared with readelf's by name.
 *
 * Numbers newer than binutils 2.40 (such as R_RISCV_SET_ULEB128) stay
 * unnamed, because readelf 2.40 prints them as unrecognized.
 */
static const char *const names[] = {
	[0] = "R_RISCV_NONE",
	[1] = "R_RISCV_32",
	[2] = "R_RISCV_64",
	[3] = "R_RISCV_RELATIVE",
	[4] = "R_RISCV_COPY",
	[5] = "R_RISCV_JUMP_SLOT",
	[6] = "R_RISCV_TLS_DTPMOD32",
	[7] = "R_RISCV_TLS_DTPMOD64",
	[8] = "R_RISCV_TLS_DTPREL32",
	[9] = "R_RISCV_TLS_DTPREL64",
	[10] = "R_RISCV_TLS_TPREL32",
	[11] = "R_RISCV_TLS_TPREL64",
	[16] = "R_RISCV_BRANCH",
	[17] = "R_RISCV_JAL",
	[18] = "R_RISCV_CALL",
	[19] = "R_RISCV_CALL_PLT",
	[20] = "R_RISCV_GOT_HI20",
	[21] = "R_RISCV_TLS_GOT_HI20",
	[22] = "R_RISCV_TLS_GD_HI20",
	[23] = "R_RISCV_PCREL_HI20",
	[24] = "R_RISCV_PCREL_LO12_I",
	[25] = "R_RISCV_PCREL_LO12_S",
	[26] = "R_RISCV_HI20",
	[27] = "R_RISCV_LO12_I",
	[28] = "R_RISCV_LO12_S",
	[29] = "R_RISCV_TPREL_HI20",
	[30] = "R_RISCV_TPREL_LO12_I",
	[31] = "R_RISCV_TPREL_LO12_S",
	[32] = "R_RISCV_TPREL_ADD",
	[33] = "R_RISCV_ADD8",
	[34] = "R_RISCV_ADD16",
	[35] = "R_RISCV_ADD32",
	[36] = "R_RISCV_ADD64",
	[37] = "R_RISCV_SUB8",
	[38] = "R_RISCV_SUB16",
	[39] = "R_RISCV_SUB32",
	[40] = "R_RISCV_SUB64",
	[43] = "R_RISCV_ALIGN",
	[44] = "R_RISCV_RVC_BRANCH",
	[45] = "R_RISCV_RVC_JUMP",
	[46] = "R_RISCV_RVC_LUI",
	[47] = "R_RISCV_GPREL_I",
	[48] = "R_RISCV_GPREL_S",
	[49] = "R_RISCV_TPREL_I",
	[50] = "R_RISCV_TPREL_S",
	[51] = "R_RISCV_RELAX",
	[52] = "R_RISCV_SUB6",
	[53] = "R_RISCV_SET6",
	[54] = "R_RISCV_SET8",
	[55] = "R_RISCV_SET16",
	[56] = "R_RISCV_SET32",
	[57] = "R_RISCV_32_PCREL",
	[58] = "R_RISCV_IRELATIVE",
};
#endif


enum {
	R_NONE = 0,
	R_32 = 1,
	R_64 = 2,
	R_BRANCH = 16,
	R_JAL = 17,
	R_CALL = 18,
	R_CALL_PLT = 19,
	R_GOT_HI20 = 20,
	R_PCREL_HI20 = 23,
	R_PCREL_LO12_I = 24,
	R_PCREL_LO12_S = 25,
	R_HI20 = 26,
	R_LO12_I = 27,
	R_LO12_S = 28,
	R_ADD8 = 33,
	R_ADD16 = 34,
	R_ADD32 = 35,
	R_ADD64 = 36,
	R_SUB8 = 37,
	R_SUB16 = 38,
	R_SUB32 = 39,
	R_SUB64 = 40,
	R_ALIGN = 43,
	R_RVC_BRANCH = 44,
	R_RVC_JUMP = 45,
	R_RELAX = 51,
	R_SUB6 = 52,
	R_SET6 = 53,
	R_SET8 = 54,
	R_SET16 = 55,
	R_SET32 = 56,
	R_32_PCREL = 57,
	R_PLT32 = 59,
	R_SET_ULEB128 = 60,
	R_SUB_ULEB128 = 61,
	R_LAST = R_SUB_ULEB128,
};

/* The longest ULEB128 a 64-bit value needs. */
#define ULEB_MAX 10

struct kind {
	uint16_t flags; /* RF_* */
	uint8_t size;   /* field bytes */
};

/*
 * Indexed by type; an all-zero entry is an unsupported type.
 *
 * RELAX only tells a relaxing linker what it may shrink: elfmod never relaxes, so the
 * code stays as the assembler laid it out. ALIGN marks A bytes of NOPs that a relaxing
 * assembler emitted for an alignment of the next power of two above A, counting on the
 * linker to delete the excess: kept whole, they leave the code after them aligned only
 * when P + A happens to be. That is checked, and a module where it is not is refused
 * (ERANGE, with a hint to build with -mno-relax, which pads exactly) rather than
 * loaded with functions or tables off their alignment.
 * JAL may go through a stub like CALL: linkers route it through PLT entries,
 * which clobber t1-t3 exactly as the stub does. A ULEB128 field is as long as the
 * assembler made it, which info() cannot see, so it claims the longest encoding;
 * a ULEB128 that starts less than ULEB_MAX bytes before the end of its section is
 * therefore refused by the generic bounds check.
 * Left out: TLS, GPREL (no gp in a module), RVC_LUI and TPREL_ADD (relaxation
 * only), and dynamic-only types.
 */
static const struct kind kinds[R_LAST + 1] = {
	[R_NONE] = { RF_NONE, 0 },
	[R_32] = { 0, 4 },
	[R_64] = { 0, 8 },
	[R_BRANCH] = { RF_PCREL, 4 },
	[R_JAL] = { RF_CALL, 4 },
	[R_CALL] = { RF_CALL, 8 },
	[R_CALL_PLT] = { RF_CALL, 8 },
	[R_GOT_HI20] = { RF_GOT | RF_PAIR_HI, 4 },
	[R_PCREL_HI20] = { RF_PCREL | RF_PAIR_HI, 4 },
	[R_PCREL_LO12_I] = { RF_PAIR_LO, 4 },
	[R_PCREL_LO12_S] = { RF_PAIR_LO, 4 },
	[R_HI20] = { 0, 4 },
	[R_LO12_I] = { 0, 4 },
	[R_LO12_S] = { 0, 4 },
	[R_ADD8] = { 0, 1 },
	[R_ADD16] = { 0, 2 },
	[R_ADD32] = { 0, 4 },
	[R_ADD64] = { 0, 8 },
	[R_SUB8] = { 0, 1 },
	[R_SUB16] = { 0, 2 },
	[R_SUB32] = { 0, 4 },
	[R_SUB64] = { 0, 8 },
	[R_ALIGN] = { 0, 0 },
	[R_RVC_BRANCH] = { RF_PCREL, 2 },
	[R_RVC_JUMP] = { RF_PCREL, 2 },
	[R_RELAX] = { RF_NONE, 0 },
	[R_SUB6] = { 0, 1 },
	[R_SET6] = { 0, 1 },
	[R_SET8] = { 0, 1 },
	[R_SET16] = { 0, 2 },
	[R_SET32] = { 0, 4 },
	[R_32_PCREL] = { RF_PCREL, 4 },
	[R_PLT32] = { RF_CALL, 4 },
	[R_SET_ULEB128] = { 0, ULEB_MAX },
	[R_SUB_ULEB128] = { 0, ULEB_MAX },
};

static const struct kind *kind_of(uint32_t type)
{
	const struct kind *k;

	if (type > R_LAST)
		return NULL;
	k = &kinds[type];
	return k->flags || k->size || type == R_ALIGN ? k : NULL; /* ALIGN has no field */
}

static int info(uint32_t type, struct reloc_info *out)
{
	const struct kind *k = kind_of(type);

	if (!k)
		return ELFMOD_ERELTYPE;
	out->flags = k->flags;
	out->size = k->size;
	return 0;
}

/*
 * Range checks on 64-bit values, with constant bit counts only. On RV32 addresses
 * and distances wrap at 2^32, so a value is checked as the sign-extended 32-bit value
 * the hardware computes (xlen()): an absolute address at 0x80000000 fits a LUI there,
 * as it does not on RV64.
 */
static uint64_t xlen(const struct reloc_args *r, uint64_t v)
{
	return r->cls == 32 ? (uint64_t)(int64_t)(int32_t)(uint32_t)v : v;
}


#define SIGNED_OK(x, bits) ((x) + (1ull << ((bits) - 1)) < (1ull << (bits)))
#define EITHER_OK(x, bits) ((x) + (1ull << ((bits) - 1)) < (3ull << ((bits) - 1)))

/* Whether an upper-20/lower-12 pair (LUI or AUIPC with ADDI, JALR, loads, stores)
 * reaches x: on RV32 every 32-bit value does, arithmetic being modulo 2^32. */
static int u_reach(const struct reloc_args *r, uint64_t x)
{
	return r->cls == 32 || SIGNED_OK(x + 0x800, 32);
}

/* Instruction fields. Instructions are little-endian whatever the data's order. */
#define U_IMM 0xfffff000u           /* LUI, AUIPC: [31:12] */
#define I_IMM 0xfff00000u           /* I-type: [31:20] */
#define S_IMM 0xfe000f80u           /* S-type: [31:25] and [11:7] */
#define B_IMM 0xfe000f80u           /* B-type: the same bits as S */
#define J_IMM 0xfffff000u           /* J-type: [31:12] */
#define RS1 0x000f8000u             /* rs1 of an I-type instruction */
#define CB_IMM 0x1c7cu              /* C.BEQZ, C.BNEZ: [12:10] and [6:2] */
#define CJ_IMM 0x1ffcu              /* C.J, C.JAL: [12:2] */

static uint32_t get_insn(const uint8_t *loc)
{
	return elfmod__get32(loc, 0);
}

static void put_insn(uint8_t *loc, uint32_t mask, uint32_t bits)
{
	elfmod__put32(loc, (get_insn(loc) & ~mask) | (bits & mask), 0);
}

static void put_cinsn(uint8_t *loc, uint16_t mask, uint32_t bits)
{
	elfmod__put16(loc, (uint16_t)((elfmod__get16(loc, 0) & ~mask) | (bits & mask)), 0);
}

/* The upper 20 bits, rounded so that adding the sign-extended low 12 gives x back. */
static uint32_t hi20(uint64_t x)
{
	return (uint32_t)(x + 0x800) & U_IMM;
}

static uint32_t i_imm(uint64_t x)
{
	return (uint32_t)x << 20;
}

static uint32_t s_imm(uint64_t x)
{
	uint32_t v = (uint32_t)x;

	return (v & 0xfe0) << 20 | (v & 0x1f) << 7;
}

static uint32_t b_imm(uint64_t x)
{
	uint32_t v = (uint32_t)x;

	return (v >> 12 & 1) << 31 | (v >> 5 & 0x3f) << 25 | (v >> 1 & 0xf) << 8 | (v >> 11 & 1) << 7;
}

static uint32_t j_imm(uint64_t x)
{
	uint32_t v = (uint32_t)x;

	return (v >> 20 & 1) << 31 | (v >> 1 & 0x3ff) << 21 | (v >> 11 & 1) << 20 | (v >> 12 & 0xff) << 12;
}

static uint32_t cb_imm(uint64_t x)
{
	uint32_t v = (uint32_t)x;

	return (v >> 8 & 1) << 12 | (v >> 3 & 3) << 10 | (v >> 6 & 3) << 5 | (v >> 1 & 3) << 3 |
	       (v >> 5 & 1) << 2;
}

static uint32_t cj_imm(uint64_t x)
{
	uint32_t v = (uint32_t)x;

	return (v >> 11 & 1) << 12 | (v >> 4 & 1) << 11 | (v >> 8 & 3) << 9 | (v >> 10 & 1) << 8 |
	       (v >> 6 & 1) << 7 | (v >> 7 & 1) << 6 | (v >> 1 & 7) << 3 | (v >> 5 & 1) << 2;
}

static uint64_t get_data(const struct reloc_args *r, unsigned size)
{
	switch (size) {
	case 8:
		return elfmod__get64(r->loc, r->big_endian);
	case 4:
		return elfmod__get32(r->loc, r->big_endian);
	case 2:
		return elfmod__get16(r->loc, r->big_endian);
	default:
		return r->loc[0];
	}
}

static int put_data(const struct reloc_args *r, uint64_t v, unsigned size)
{
	switch (size) {
	case 8:
		elfmod__put64(r->loc, v, r->big_endian);
		break;
	case 4:
		elfmod__put32(r->loc, (uint32_t)v, r->big_endian);
		break;
	case 2:
		elfmod__put16(r->loc, (uint16_t)v, r->big_endian);
		break;
	default:
		r->loc[0] = (uint8_t)v;
		break;
	}
	return 0;
}

/*
 * A ULEB128 is rewritten in the bytes the assembler gave it, keeping their count
 * (later bytes of the section depend on it): the value is taken modulo 2^(7n).
 * That modulus is what makes the SET_ULEB128 + SUB_ULEB128 pair work, since SET's
 * S + A alone is an address far too big for the field and only the difference
 * SUB leaves behind is meant to fit; with no relaxation that difference is the
 * one the assembler measured and sized the field for. A field with no last
 * byte within ULEB_MAX bytes is malformed.
 */
static int uleb_len(const uint8_t *loc, unsigned *n, uint64_t *v)
{
	uint64_t x = 0;

	for (unsigned i = 0; i < ULEB_MAX; i++) {
		x |= (uint64_t)(loc[i] & 0x7f) << (7 * i);
		if (!(loc[i] & 0x80)) {
			*n = i + 1;
			*v = x;
			return 0;
		}
	}
	return ELFMOD_ERANGE;
}

static void uleb_put(uint8_t *loc, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++, v >>= 7)
		loc[i] = (uint8_t)((v & 0x7f) | (i + 1 < n ? 0x80 : 0));
}

static int uleb(const struct reloc_args *r, uint64_t sa)
{
	unsigned n;
	uint64_t v;
	int rc = uleb_len(r->loc, &n, &v);

	if (rc)
		return rc;
	uleb_put(r->loc, n, r->type == R_SET_ULEB128 ? sa : v - sa);
	return 0;
}

/* AUIPC + JALR: straight to the target when it is in reach, else through the stub. */
static int call(const struct reloc_args *r)
{
	uint64_t x = xlen(r, r->S + (uint64_t)r->A - r->P);
	uint32_t jalr;

	/*
	 * What GNU ld writes for a call to an undefined weak function in a static
	 * link: AUIPC rd, 0 and a JALR from x0 with offset 0, a call to address 0
	 * from anywhere.
	 */
	if (r->weak_undef) {
		put_insn(r->loc, U_IMM, 0);
		jalr = get_insn(r->loc + 4) & ~(I_IMM | RS1);
		elfmod__put32(r->loc + 4, jalr, 0);
		return 0;
	}
	/* The stub goes to S itself, so it stands in for S + A only when A is 0. */
	if (!u_reach(r, x) && r->L && r->A == 0)
		x = xlen(r, r->L - r->P);
	if (!u_reach(r, x))
		return ELFMOD_ERANGE;
	put_insn(r->loc, U_IMM, hi20(x));
	put_insn(r->loc + 4, I_IMM, i_imm(x));
	return 0;
}

static int apply(const struct reloc_args *r)
{
	const struct kind *k = kind_of(r->type);
	uint64_t A = (uint64_t)r->A, sa = xlen(r, r->S + A), pc = xlen(r, sa - r->P), x;

	if (!k)
		return ELFMOD_ERELTYPE;
	switch (r->type) {
	case R_NONE:
	case R_RELAX:
		return 0;
	case R_ALIGN: {
		uint64_t al = 1;
		while (al <= A && al < (1ull << 32))
			al <<= 1;
		return A == 0 || ((r->P + A) & (al - 1)) == 0 ? 0 : ELFMOD_ERANGE;
	}

	/* Data, in the object's byte order. */
	case R_32:
		return EITHER_OK(sa, 32) ? put_data(r, sa, 4) : ELFMOD_ERANGE;
	case R_64:
		return put_data(r, sa, 8);
	case R_32_PCREL:
		return SIGNED_OK(pc, 32) ? put_data(r, pc, 4) : ELFMOD_ERANGE;
	case R_PLT32:
		if (r->weak_undef)
			return SIGNED_OK(pc, 32) ? put_data(r, pc, 4) : ELFMOD_ERANGE;
		if (!SIGNED_OK(pc, 32) && r->L && r->A == 0)
			pc = xlen(r, r->L - r->P);
		return SIGNED_OK(pc, 32) ? put_data(r, pc, 4) : ELFMOD_ERANGE;

	/*
	 * Label differences: modular arithmetic on what is there, unchecked as in
	 * GNU ld, since a SET or ADD is only half of a difference and its value
	 * alone need not fit.
	 */
	case R_ADD8:
	case R_ADD16:
	case R_ADD32:
	case R_ADD64:
		return put_data(r, get_data(r, k->size) + sa, k->size);
	case R_SUB8:
	case R_SUB16:
	case R_SUB32:
	case R_SUB64:
		return put_data(r, get_data(r, k->size) - sa, k->size);
	case R_SET8:
	case R_SET16:
	case R_SET32:
		return put_data(r, sa, k->size);
	case R_SUB6:
		r->loc[0] = (uint8_t)((r->loc[0] & 0xc0) | ((r->loc[0] - sa) & 0x3f));
		return 0;
	case R_SET6:
		r->loc[0] = (uint8_t)((r->loc[0] & 0xc0) | (sa & 0x3f));
		return 0;
	case R_SET_ULEB128:
	case R_SUB_ULEB128:
		return uleb(r, sa);

	/* Branches: the offset's bit 0 is not encoded, so an odd one cannot be reached. */
	case R_BRANCH:
		if (!SIGNED_OK(pc, 13) || (pc & 1))
			return ELFMOD_ERANGE;
		put_insn(r->loc, B_IMM, b_imm(pc));
		return 0;
	case R_JAL:
		if (!SIGNED_OK(pc, 21) && r->L && r->A == 0 && !r->weak_undef)
			pc = xlen(r, r->L - r->P);
		if (!SIGNED_OK(pc, 21) || (pc & 1))
			return ELFMOD_ERANGE;
		put_insn(r->loc, J_IMM, j_imm(pc));
		return 0;
	case R_RVC_BRANCH:
		if (!SIGNED_OK(pc, 9) || (pc & 1))
			return ELFMOD_ERANGE;
		put_cinsn(r->loc, CB_IMM, cb_imm(pc));
		return 0;
	case R_RVC_JUMP:
		if (!SIGNED_OK(pc, 12) || (pc & 1))
			return ELFMOD_ERANGE;
		put_cinsn(r->loc, CJ_IMM, cj_imm(pc));
		return 0;
	case R_CALL:
	case R_CALL_PLT:
		return call(r);

	/* Absolute: LUI takes the rounded upper part, the low 12 bits are signed. */
	case R_HI20:
		if (!u_reach(r, sa))
			return ELFMOD_ERANGE;
		put_insn(r->loc, U_IMM, hi20(sa));
		return 0;
	case R_LO12_I:
		put_insn(r->loc, I_IMM, i_imm(sa));
		return 0;
	case R_LO12_S:
		put_insn(r->loc, S_IMM, s_imm(sa));
		return 0;

	/*
	 * PC-relative pairs: AUIPC gets the upper part; the PCREL_LO12 relocation
	 * names the AUIPC's label, and its low 12 bits are those of the AUIPC's own
	 * value, which the generic code hands over as r->pair.
	 */
	case R_PCREL_HI20:
		if (!u_reach(r, pc))
			return ELFMOD_ERANGE;
		put_insn(r->loc, U_IMM, hi20(pc));
		return 0;
	case R_GOT_HI20:
		/* The slot holds S, so only A == 0 (all compilers emit) means GOT(S + A). */
		if (r->A)
			return ELFMOD_EUNSUPPORTED;
		x = xlen(r, r->G - r->P);
		if (!u_reach(r, x))
			return ELFMOD_ERANGE;
		put_insn(r->loc, U_IMM, hi20(x));
		return 0;
	case R_PCREL_LO12_I:
	case R_PCREL_LO12_S:
		/* Without its AUIPC the value is unknown: guessing would be silent garbage. */
		if (!r->has_pair)
			return ELFMOD_ERANGE;
		if (r->type == R_PCREL_LO12_I)
			put_insn(r->loc, I_IMM, i_imm(r->pair));
		else
			put_insn(r->loc, S_IMM, s_imm(r->pair));
		return 0;
	default:
		return ELFMOD_ERELTYPE;
	}
}

static uint64_t pair_value(const struct reloc_args *r)
{
	if (r->type == R_GOT_HI20)
		return xlen(r, r->G + (uint64_t)r->A - r->P);
	return xlen(r, r->S + (uint64_t)r->A - r->P);
}

/*
 * The stub writer is not told XLEN, so the stub must run on RV32 and RV64 alike:
 *
 *	auipc	t1, 0
 *	lw	t2, 28(t1)	# target's low word (sign-extended on RV64)
 *	lw	t1, 32(t1)	# high word, plus 1 when the low word's bit 31 is set
 *	slli	t1, t1, 16
 *	slli	t1, t1, 16	# RV64: high << 32; RV32: 0 (two legal 16-bit shifts)
 *	add	t1, t1, t2
 *	jr	t1
 *	.word	low, high
 *
 * The +1 in the high word undoes the sign extension of LW on RV64. t1 and t2 are
 * what PLT entries may clobber too. The words are data, in the object's order.
 */
#define STUB_SIZE 36

static void stub(uint8_t *wr, uint64_t at, uint64_t target, int big_endian)
{
	static const uint32_t code[7] = {
		0x00000317u, /* auipc t1, 0 */
		0x01c32383u, /* lw t2, 28(t1) */
		0x02032303u, /* lw t1, 32(t1) */
		0x01031313u, /* slli t1, t1, 16 */
		0x01031313u, /* slli t1, t1, 16 */
		0x00730333u, /* add t1, t1, t2 */
		0x00030067u, /* jr t1 */
	};

	(void)at;
	for (unsigned i = 0; i < 7; i++)
		elfmod__put32(wr + 4 * i, code[i], 0);
	elfmod__put32(wr + 28, (uint32_t)target, big_endian);
	elfmod__put32(wr + 32, (uint32_t)(target >> 32) + ((uint32_t)target >> 31), big_endian);
}

/* AUIPC+JALR spans +-2 GiB, which on RV32 wraps around the whole address space. */
static int reaches_all(uint32_t type, uint8_t cls)
{
	return cls == 32 && (type == R_CALL || type == R_CALL_PLT);
}

static const char *range_hint(uint32_t type)
{
	return type == R_ALIGN ? "R_RISCV_ALIGN: the assembler's alignment padding does not align "
				 "the code here (elfmod does not relax: build with -mno-relax)"
			       : NULL;
}

/* Dynamic relocations of shared objects and PIEs (psABI numbers): GOT entries are
 * plain R_RISCV_32/64, the one of the object's word size (a 4-byte R_RISCV_32 in an
 * RV64 object, which linkers do not emit dynamically, is refused). */
static uint8_t dyn_kind(uint32_t type, uint8_t cls)
{
	switch (type) {
	case 0: return DYN_NONE;         /* R_RISCV_NONE */
	case 1: return cls == 32 ? DYN_ABS : DYN_UNSUPPORTED; /* R_RISCV_32 */
	case 2: return cls == 64 ? DYN_ABS : DYN_UNSUPPORTED; /* R_RISCV_64 */
	case 3: return DYN_RELATIVE;     /* R_RISCV_RELATIVE */
	case 4: return DYN_COPY;         /* R_RISCV_COPY */
	case 5: return DYN_GLOB;         /* R_RISCV_JUMP_SLOT */
	case 6: case 7: case 8: case 9: case 10: case 11:
		return DYN_TLS;          /* TLS_DTPMOD/DTPREL/TPREL 32 and 64 */
	case 58: return DYN_IRELATIVE;   /* R_RISCV_IRELATIVE */
	default: return DYN_UNSUPPORTED;
	}
}

const struct arch_desc elfmod__arch_riscv = {
	.machine = ELFMOD_EM_RISCV,
	.name = "RISC-V",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
	.classes = 3, /* RV32 and RV64 use the same type numbers */
	.stub_size = STUB_SIZE,
	.stub_align = 4,
	.info = info,
	.addend = NULL, /* the psABI uses RELA only */
	.apply = apply,
	.stub = stub,
	.pair_value = pair_value,
	.reaches_all = reaches_all,
	.range_hint = range_hint,
	.dyn_kind = dyn_kind,
};
