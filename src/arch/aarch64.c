/*
 * elfmod: the AArch64 part.
 *
 * Everything elfmod knows about AArch64 relocations lives in this file, so
 * generic code never has to look at e_machine.
 */
#include "arch.h"
#include "internal.h"

#if ELFMOD_CFG_RELOC_NAMES
/*
 * Spelled exactly as GNU readelf (binutils 2.40) prints them, so that
 * output can be compared with readelf's by name.
 *
 * The ILP32 (R_AARCH64_P32_*) numbers are left out: elfmod handles only
 * LP64 objects, and in an ELFCLASS64 file those numbers mean nothing.
 */
static const char *const names[] = {
	[0] = "R_AARCH64_NONE",
	[256] = "R_AARCH64_NULL",
	[257] = "R_AARCH64_ABS64",
	[258] = "R_AARCH64_ABS32",
	[259] = "R_AARCH64_ABS16",
	[260] = "R_AARCH64_PREL64",
	[261] = "R_AARCH64_PREL32",
	[262] = "R_AARCH64_PREL16",
	[263] = "R_AARCH64_MOVW_UABS_G0",
	[264] = "R_AARCH64_MOVW_UABS_G0_NC",
	[265] = "R_AARCH64_MOVW_UABS_G1",
	[266] = "R_AARCH64_MOVW_UABS_G1_NC",
	[267] = "R_AARCH64_MOVW_UABS_G2",
	[268] = "R_AARCH64_MOVW_UABS_G2_NC",
	[269] = "R_AARCH64_MOVW_UABS_G3",
	[270] = "R_AARCH64_MOVW_SABS_G0",
	[271] = "R_AARCH64_MOVW_SABS_G1",
	[272] = "R_AARCH64_MOVW_SABS_G2",
	[273] = "R_AARCH64_LD_PREL_LO19",
	[274] = "R_AARCH64_ADR_PREL_LO21",
	[275] = "R_AARCH64_ADR_PREL_PG_HI21",
	[276] = "R_AARCH64_ADR_PREL_PG_HI21_NC",
	[277] = "R_AARCH64_ADD_ABS_LO12_NC",
	[278] = "R_AARCH64_LDST8_ABS_LO12_NC",
	[279] = "R_AARCH64_TSTBR14",
	[280] = "R_AARCH64_CONDBR19",
	[282] = "R_AARCH64_JUMP26",
	[283] = "R_AARCH64_CALL26",
	[284] = "R_AARCH64_LDST16_ABS_LO12_NC",
	[285] = "R_AARCH64_LDST32_ABS_LO12_NC",
	[286] = "R_AARCH64_LDST64_ABS_LO12_NC",
	[287] = "R_AARCH64_MOVW_PREL_G0",
	[288] = "R_AARCH64_MOVW_PREL_G0_NC",
	[289] = "R_AARCH64_MOVW_PREL_G1",
	[290] = "R_AARCH64_MOVW_PREL_G1_NC",
	[291] = "R_AARCH64_MOVW_PREL_G2",
	[292] = "R_AARCH64_MOVW_PREL_G2_NC",
	[293] = "R_AARCH64_MOVW_PREL_G3",
	[299] = "R_AARCH64_LDST128_ABS_LO12_NC",
	[300] = "R_AARCH64_MOVW_GOTOFF_G0",
	[301] = "R_AARCH64_MOVW_GOTOFF_G0_NC",
	[302] = "R_AARCH64_MOVW_GOTOFF_G1",
	[303] = "R_AARCH64_MOVW_GOTOFF_G1_NC",
	[304] = "R_AARCH64_MOVW_GOTOFF_G2",
	[305] = "R_AARCH64_MOVW_GOTOFF_G2_NC",
	[306] = "R_AARCH64_MOVW_GOTOFF_G3",
	[307] = "R_AARCH64_GOTREL64",
	[308] = "R_AARCH64_GOTREL32",
	[309] = "R_AARCH64_GOT_LD_PREL19",
	[310] = "R_AARCH64_LD64_GOTOFF_LO15",
	[311] = "R_AARCH64_ADR_GOT_PAGE",
	[312] = "R_AARCH64_LD64_GOT_LO12_NC",
	[313] = "R_AARCH64_LD64_GOTPAGE_LO15",
	[512] = "R_AARCH64_TLSGD_ADR_PREL21",
	[513] = "R_AARCH64_TLSGD_ADR_PAGE21",
	[514] = "R_AARCH64_TLSGD_ADD_LO12_NC",
	[515] = "R_AARCH64_TLSGD_MOVW_G1",
	[516] = "R_AARCH64_TLSGD_MOVW_G0_NC",
	[517] = "R_AARCH64_TLSLD_ADR_PREL21",
	[518] = "R_AARCH64_TLSLD_ADR_PAGE21",
	[519] = "R_AARCH64_TLSLD_ADD_LO12_NC",
	[520] = "R_AARCH64_TLSLD_MOVW_G1",
	[521] = "R_AARCH64_TLSLD_MOVW_G0_NC",
	[522] = "R_AARCH64_TLSLD_LD_PREL19",
	[523] = "R_AARCH64_TLSLD_MOVW_DTPREL_G2",
	[524] = "R_AARCH64_TLSLD_MOVW_DTPREL_G1",
	[525] = "R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC",
	[526] = "R_AARCH64_TLSLD_MOVW_DTPREL_G0",
	[527] = "R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC",
	[528] = "R_AARCH64_TLSLD_ADD_DTPREL_HI12",
	[529] = "R_AARCH64_TLSLD_ADD_DTPREL_LO12",
	[530] = "R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC",
	[531] = "R_AARCH64_TLSLD_LDST8_DTPREL_LO12",
	[532] = "R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC",
	[533] = "R_AARCH64_TLSLD_LDST16_DTPREL_LO12",
	[534] = "R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC",
	[535] = "R_AARCH64_TLSLD_LDST32_DTPREL_LO12",
	[536] = "R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC",
	[537] = "R_AARCH64_TLSLD_LDST64_DTPREL_LO12",
	[538] = "R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC",
	[539] = "R_AARCH64_TLSIE_MOVW_GOTTPREL_G1",
	[540] = "R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC",
	[541] = "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21",
	[542] = "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC",
	[543] = "R_AARCH64_TLSIE_LD_GOTTPREL_PREL19",
	[544] = "R_AARCH64_TLSLE_MOVW_TPREL_G2",
	[545] = "R_AARCH64_TLSLE_MOVW_TPREL_G1",
	[546] = "R_AARCH64_TLSLE_MOVW_TPREL_G1_NC",
	[547] = "R_AARCH64_TLSLE_MOVW_TPREL_G0",
	[548] = "R_AARCH64_TLSLE_MOVW_TPREL_G0_NC",
	[549] = "R_AARCH64_TLSLE_ADD_TPREL_HI12",
	[550] = "R_AARCH64_TLSLE_ADD_TPREL_LO12",
	[551] = "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC",
	[552] = "R_AARCH64_TLSLE_LDST8_TPREL_LO12",
	[553] = "R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC",
	[554] = "R_AARCH64_TLSLE_LDST16_TPREL_LO12",
	[555] = "R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC",
	[556] = "R_AARCH64_TLSLE_LDST32_TPREL_LO12",
	[557] = "R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC",
	[558] = "R_AARCH64_TLSLE_LDST64_TPREL_LO12",
	[559] = "R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC",
	[560] = "R_AARCH64_TLSDESC_LD_PREL19",
	[561] = "R_AARCH64_TLSDESC_ADR_PREL21",
	[562] = "R_AARCH64_TLSDESC_ADR_PAGE21",
	[563] = "R_AARCH64_TLSDESC_LD64_LO12",
	[564] = "R_AARCH64_TLSDESC_ADD_LO12",
	[565] = "R_AARCH64_TLSDESC_OFF_G1",
	[566] = "R_AARCH64_TLSDESC_OFF_G0_NC",
	[567] = "R_AARCH64_TLSDESC_LDR",
	[568] = "R_AARCH64_TLSDESC_ADD",
	[569] = "R_AARCH64_TLSDESC_CALL",
	[570] = "R_AARCH64_TLSLE_LDST128_TPREL_LO12",
	[571] = "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC",
	[572] = "R_AARCH64_TLSLD_LDST128_DTPREL_LO12",
	[573] = "R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC",
	[1024] = "R_AARCH64_COPY",
	[1025] = "R_AARCH64_GLOB_DAT",
	[1026] = "R_AARCH64_JUMP_SLOT",
	[1027] = "R_AARCH64_RELATIVE",
	[1028] = "R_AARCH64_TLS_DTPMOD64",
	[1029] = "R_AARCH64_TLS_DTPREL64",
	[1030] = "R_AARCH64_TLS_TPREL64",
	[1031] = "R_AARCH64_TLSDESC",
	[1032] = "R_AARCH64_IRELATIVE",
};
#endif

enum {
	R_NONE = 0,
	R_NULL = 256, /* withdrawn; the ABI has it treated as NONE */
	R_ABS64 = 257,
	R_ABS32 = 258,
	R_ABS16 = 259,
	R_PREL64 = 260,
	R_PREL32 = 261,
	R_PREL16 = 262,
	R_MOVW_UABS_G0 = 263,
	R_MOVW_UABS_G0_NC = 264,
	R_MOVW_UABS_G1 = 265,
	R_MOVW_UABS_G1_NC = 266,
	R_MOVW_UABS_G2 = 267,
	R_MOVW_UABS_G2_NC = 268,
	R_MOVW_UABS_G3 = 269,
	R_MOVW_SABS_G0 = 270,
	R_MOVW_SABS_G1 = 271,
	R_MOVW_SABS_G2 = 272,
	R_LD_PREL_LO19 = 273,
	R_ADR_PREL_LO21 = 274,
	R_ADR_PREL_PG_HI21 = 275,
	R_ADR_PREL_PG_HI21_NC = 276,
	R_ADD_ABS_LO12_NC = 277,
	R_LDST8_ABS_LO12_NC = 278,
	R_TSTBR14 = 279,
	R_CONDBR19 = 280,
	R_JUMP26 = 282,
	R_CALL26 = 283,
	R_LDST16_ABS_LO12_NC = 284,
	R_LDST32_ABS_LO12_NC = 285,
	R_LDST64_ABS_LO12_NC = 286,
	R_MOVW_PREL_G0 = 287,
	R_MOVW_PREL_G0_NC = 288,
	R_MOVW_PREL_G1 = 289,
	R_MOVW_PREL_G1_NC = 290,
	R_MOVW_PREL_G2 = 291,
	R_MOVW_PREL_G2_NC = 292,
	R_MOVW_PREL_G3 = 293,
	R_LDST128_ABS_LO12_NC = 299,
	R_ADR_GOT_PAGE = 311,
	R_LD64_GOT_LO12_NC = 312,
	R_LD64_GOTPAGE_LO15 = 313,
	R_FIRST = R_NULL,
	R_LAST = R_LD64_GOTPAGE_LO15,
};

struct kind {
	uint8_t flags; /* RF_* */
	uint8_t size;  /* field bytes */
};

/*
 * Indexed by type - R_FIRST; an all-zero entry is an unsupported type.
 *
 * RF_PCREL marks the PC-relative types whose checked reach is 4 GiB or less: an
 * import they name makes the allocator place the module near it. PREL64 reaches
 * everywhere and the _NC MOVW groups are pieces of sequences that do too. The
 * _PG_HI21_NC form does not check, which is all the more reason to keep it near.
 * Only B and BL may go through a stub: a veneer is the ABI's answer for those
 * two alone, and x16/x17, which it clobbers, are free only across a call.
 * Left out: TLS and dynamic-only types; the GOT-offset forms (MOVW_GOTOFF_*,
 * GOTREL64/32, LD64_GOTOFF_LO15), which no GCC code model emits; GOT_LD_PREL19
 * (-mcmodel=tiny), whose 1 MiB reach from code to the GOT the loader's separate
 * regions cannot promise.
 */
#define K(type) [(type) - R_FIRST]
static const struct kind kinds[R_LAST - R_FIRST + 1] = {
	K(R_NULL) = { RF_NONE, 0 },
	K(R_ABS64) = { 0, 8 },
	K(R_ABS32) = { 0, 4 },
	K(R_ABS16) = { 0, 2 },
	K(R_PREL64) = { 0, 8 },
	K(R_PREL32) = { RF_PCREL, 4 },
	K(R_PREL16) = { RF_PCREL, 2 },
	K(R_MOVW_UABS_G0) = { 0, 4 },
	K(R_MOVW_UABS_G0_NC) = { 0, 4 },
	K(R_MOVW_UABS_G1) = { 0, 4 },
	K(R_MOVW_UABS_G1_NC) = { 0, 4 },
	K(R_MOVW_UABS_G2) = { 0, 4 },
	K(R_MOVW_UABS_G2_NC) = { 0, 4 },
	K(R_MOVW_UABS_G3) = { 0, 4 },
	K(R_MOVW_SABS_G0) = { 0, 4 },
	K(R_MOVW_SABS_G1) = { 0, 4 },
	K(R_MOVW_SABS_G2) = { 0, 4 },
	K(R_LD_PREL_LO19) = { RF_PCREL, 4 },
	K(R_ADR_PREL_LO21) = { RF_PCREL, 4 },
	K(R_ADR_PREL_PG_HI21) = { RF_PCREL, 4 },
	K(R_ADR_PREL_PG_HI21_NC) = { RF_PCREL, 4 },
	K(R_ADD_ABS_LO12_NC) = { 0, 4 },
	K(R_LDST8_ABS_LO12_NC) = { 0, 4 },
	K(R_TSTBR14) = { RF_PCREL, 4 },
	K(R_CONDBR19) = { RF_PCREL, 4 },
	K(R_JUMP26) = { RF_CALL, 4 },
	K(R_CALL26) = { RF_CALL, 4 },
	K(R_LDST16_ABS_LO12_NC) = { 0, 4 },
	K(R_LDST32_ABS_LO12_NC) = { 0, 4 },
	K(R_LDST64_ABS_LO12_NC) = { 0, 4 },
	K(R_MOVW_PREL_G0) = { RF_PCREL, 4 },
	K(R_MOVW_PREL_G0_NC) = { 0, 4 },
	K(R_MOVW_PREL_G1) = { RF_PCREL, 4 },
	K(R_MOVW_PREL_G1_NC) = { 0, 4 },
	K(R_MOVW_PREL_G2) = { 0, 4 },
	K(R_MOVW_PREL_G2_NC) = { 0, 4 },
	K(R_MOVW_PREL_G3) = { 0, 4 },
	K(R_LDST128_ABS_LO12_NC) = { 0, 4 },
	K(R_ADR_GOT_PAGE) = { RF_GOT, 4 },
	K(R_LD64_GOT_LO12_NC) = { RF_GOT, 4 },
	K(R_LD64_GOTPAGE_LO15) = { RF_GOT | RF_GOTBASE, 4 },
};
#undef K

static const struct kind none_kind = { RF_NONE, 0 };

static const struct kind *kind_of(uint32_t type)
{
	const struct kind *k;

	if (type == R_NONE)
		return &none_kind;
	if (type < R_FIRST || type > R_LAST)
		return NULL;
	k = &kinds[type - R_FIRST];
	return k->flags || k->size ? k : NULL;
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
 * Range checks on 64-bit values that wrap like the ABI's unbounded integers do
 * for every distance a 64-bit address space has. The bit counts are constants
 * at each use, so no shift here is a library call on a 32-bit target.
 */
#define SIGNED_OK(x, bits) ((x) + (1ull << ((bits) - 1)) < (1ull << (bits)))        /* -2^(b-1) .. 2^(b-1)-1 */
#define EITHER_OK(x, bits) ((x) + (1ull << ((bits) - 1)) < (3ull << ((bits) - 1)))  /* -2^(b-1) .. 2^b-1 */
#define UNSIGNED_OK(x, bits) ((x) < (1ull << (bits)))

#define PAGE(x) ((x) & ~(uint64_t)0xfff)

/* Instruction fields. */
#define IMM26 0x03ffffffu          /* B, BL: bits [25:0] */
#define IMM19 0x00ffffe0u          /* B.cond, CBZ, LDR (literal): bits [23:5] */
#define IMM14 0x0007ffe0u          /* TBZ, TBNZ: bits [18:5] */
#define IMM21 0x60ffffe0u          /* ADR, ADRP: immlo [30:29], immhi [23:5] */
#define IMM12 0x003ffc00u          /* ADD, LDR/STR (unsigned offset): bits [21:10] */
#define IMM16 0x001fffe0u          /* MOVZ, MOVN, MOVK: bits [20:5] */
#define MOV_OPC 0x60000000u        /* MOVN 00, MOVZ 10, MOVK 11 */
#define MOV_Z 0x40000000u
#define NOP 0xd503201fu

/* Instructions are little-endian even on aarch64_be: only data follows EI_DATA. */
static void put_insn(uint8_t *loc, uint32_t mask, uint32_t bits)
{
	elfmod__put32(loc, (elfmod__get32(loc, 0) & ~mask) | (bits & mask), 0);
}

static uint32_t adr_bits(uint64_t imm)
{
	return ((uint32_t)imm & 3) << 29 | ((uint32_t)(imm >> 2) & 0x7ffff) << 5;
}

/* Bits [16g+15:16g] of v, with constant shifts only. */
static uint32_t group16(uint64_t v, unsigned g)
{
	switch (g) {
	case 0:
		return (uint32_t)v & 0xffff;
	case 1:
		return (uint32_t)(v >> 16) & 0xffff;
	case 2:
		return (uint32_t)(v >> 32) & 0xffff;
	default:
		return (uint32_t)(v >> 48) & 0xffff;
	}
}

/* MOVZ with X, or MOVN with ~X when X is negative, as the ABI has the signed groups do. */
static void put_movnz(uint8_t *loc, uint64_t x, unsigned g)
{
	uint32_t opc = MOV_Z;

	if (x >> 63) {
		x = ~x;
		opc = 0;
	}
	put_insn(loc, MOV_OPC | IMM16, opc | group16(x, g) << 5);
}

/* The size of the access of an LDST*_LO12 type, as a shift. */
static unsigned ldst_shift(uint32_t type)
{
	switch (type) {
	case R_LDST16_ABS_LO12_NC:
		return 1;
	case R_LDST32_ABS_LO12_NC:
		return 2;
	case R_LDST64_ABS_LO12_NC:
		return 3;
	case R_LDST128_ABS_LO12_NC:
		return 4;
	default:
		return 0;
	}
}

static int put_data(const struct reloc_args *r, uint64_t v, unsigned size)
{
	if (size == 8)
		elfmod__put64(r->loc, v, r->big_endian);
	else if (size == 4)
		elfmod__put32(r->loc, (uint32_t)v, r->big_endian);
	else
		elfmod__put16(r->loc, (uint16_t)v, r->big_endian);
	return 0;
}

/* B and BL: straight to the target when it is in reach, else through the stub. */
static int branch26(const struct reloc_args *r)
{
	uint64_t x = r->S + (uint64_t)r->A - r->P;

	/* What GNU ld does with a call to an undefined weak function in a static link. */
	if (r->weak_undef) {
		elfmod__put32(r->loc, NOP, 0);
		return 0;
	}
	/*
	 * A target that is not a multiple of 4 cannot be encoded (GNU ld drops the low
	 * bits), nor reached through the stub. The stub goes to S itself, so it
	 * stands in for S + A only when A is 0.
	 */
	if (x & 3)
		return ELFMOD_ERANGE;
	if (!SIGNED_OK(x, 28) && r->L && r->A == 0)
		x = r->L - r->P;
	if (!SIGNED_OK(x, 28) || (x & 3))
		return ELFMOD_ERANGE;
	put_insn(r->loc, IMM26, (uint32_t)(x >> 2));
	return 0;
}

static int apply(const struct reloc_args *r)
{
	const struct kind *k = kind_of(r->type);
	uint64_t A = (uint64_t)r->A, sa = r->S + A, pc = sa - r->P, x;
	unsigned shift;

	if (!k)
		return ELFMOD_ERELTYPE;
	switch (r->type) {
	case R_NONE:
	case R_NULL:
		return 0;

	/* Data: in the object's byte order. */
	case R_ABS64:
		return put_data(r, sa, 8);
	case R_PREL64:
		return put_data(r, pc, 8);
	/*
	 * 32 and 16 bits: anything that fits as signed or as unsigned, as the ABI says.
	 * (GNU ld 2.40 is narrower: ABS unsigned only, PREL signed only.)
	 */
	case R_ABS32:
		return EITHER_OK(sa, 32) ? put_data(r, sa, 4) : ELFMOD_ERANGE;
	case R_ABS16:
		return EITHER_OK(sa, 16) ? put_data(r, sa, 2) : ELFMOD_ERANGE;
	case R_PREL32:
		return EITHER_OK(pc, 32) ? put_data(r, pc, 4) : ELFMOD_ERANGE;
	case R_PREL16:
		return EITHER_OK(pc, 16) ? put_data(r, pc, 2) : ELFMOD_ERANGE;

	/* Branches. */
	case R_CALL26:
	case R_JUMP26:
		return branch26(r);
	case R_CONDBR19:
		if (!SIGNED_OK(pc, 21) || (pc & 3))
			return ELFMOD_ERANGE;
		put_insn(r->loc, IMM19, (uint32_t)(pc >> 2) << 5);
		return 0;
	case R_TSTBR14:
		if (!SIGNED_OK(pc, 16) || (pc & 3))
			return ELFMOD_ERANGE;
		put_insn(r->loc, IMM14, (uint32_t)(pc >> 2) << 5);
		return 0;

	/* PC-relative addresses. */
	case R_LD_PREL_LO19:
		if (!SIGNED_OK(pc, 21) || (pc & 3))
			return ELFMOD_ERANGE;
		put_insn(r->loc, IMM19, (uint32_t)(pc >> 2) << 5);
		return 0;
	case R_ADR_PREL_LO21:
		if (!SIGNED_OK(pc, 21))
			return ELFMOD_ERANGE;
		put_insn(r->loc, IMM21, adr_bits(pc));
		return 0;
	case R_ADR_PREL_PG_HI21:
	case R_ADR_PREL_PG_HI21_NC:
		x = PAGE(sa) - PAGE(r->P);
		if (r->type == R_ADR_PREL_PG_HI21 && !SIGNED_OK(x, 33))
			return ELFMOD_ERANGE;
		put_insn(r->loc, IMM21, adr_bits(x >> 12));
		return 0;

	/* The low 12 bits, scaled by the access size; GNU ld refuses them misaligned. */
	case R_ADD_ABS_LO12_NC:
	case R_LDST8_ABS_LO12_NC:
	case R_LDST16_ABS_LO12_NC:
	case R_LDST32_ABS_LO12_NC:
	case R_LDST64_ABS_LO12_NC:
	case R_LDST128_ABS_LO12_NC:
		shift = ldst_shift(r->type);
		if ((uint32_t)sa & ((1u << shift) - 1))
			return ELFMOD_ERANGE;
		put_insn(r->loc, IMM12, ((uint32_t)sa & 0xfff) >> shift << 10);
		return 0;

	/* MOVZ/MOVK groups of S + A. */
	case R_MOVW_UABS_G0:
		if (!UNSIGNED_OK(sa, 16))
			return ELFMOD_ERANGE;
		/* fall through */
	case R_MOVW_UABS_G0_NC:
		put_insn(r->loc, IMM16, group16(sa, 0) << 5);
		return 0;
	case R_MOVW_UABS_G1:
		if (!UNSIGNED_OK(sa, 32))
			return ELFMOD_ERANGE;
		/* fall through */
	case R_MOVW_UABS_G1_NC:
		put_insn(r->loc, IMM16, group16(sa, 1) << 5);
		return 0;
	case R_MOVW_UABS_G2:
		if (!UNSIGNED_OK(sa, 48))
			return ELFMOD_ERANGE;
		/* fall through */
	case R_MOVW_UABS_G2_NC:
		put_insn(r->loc, IMM16, group16(sa, 2) << 5);
		return 0;
	case R_MOVW_UABS_G3:
		put_insn(r->loc, IMM16, group16(sa, 3) << 5);
		return 0;

	/* Signed groups: MOVN or MOVZ by the sign. */
	case R_MOVW_SABS_G0:
	case R_MOVW_PREL_G0:
		x = r->type == R_MOVW_SABS_G0 ? sa : pc;
		if (!SIGNED_OK(x, 17))
			return ELFMOD_ERANGE;
		put_movnz(r->loc, x, 0);
		return 0;
	case R_MOVW_SABS_G1:
	case R_MOVW_PREL_G1:
		x = r->type == R_MOVW_SABS_G1 ? sa : pc;
		if (!SIGNED_OK(x, 33))
			return ELFMOD_ERANGE;
		put_movnz(r->loc, x, 1);
		return 0;
	case R_MOVW_SABS_G2:
	case R_MOVW_PREL_G2:
		x = r->type == R_MOVW_SABS_G2 ? sa : pc;
		if (!SIGNED_OK(x, 49))
			return ELFMOD_ERANGE;
		put_movnz(r->loc, x, 2);
		return 0;
	case R_MOVW_PREL_G3:
		put_movnz(r->loc, pc, 3);
		return 0;
	/* The MOVK pieces keep the instruction and take the plain bits. */
	case R_MOVW_PREL_G0_NC:
		put_insn(r->loc, IMM16, group16(pc, 0) << 5);
		return 0;
	case R_MOVW_PREL_G1_NC:
		put_insn(r->loc, IMM16, group16(pc, 1) << 5);
		return 0;
	case R_MOVW_PREL_G2_NC:
		put_insn(r->loc, IMM16, group16(pc, 2) << 5);
		return 0;

	/*
	 * GOT: the slot holds S, not S + A. The ABI's GDAT(S+A) would need a slot per
	 * addend (GNU ld drops A, lld adds it to the slot's address), so only A = 0,
	 * which is all compilers emit, is taken.
	 */
	case R_ADR_GOT_PAGE:
		if (r->A)
			return ELFMOD_EUNSUPPORTED;
		x = PAGE(r->G) - PAGE(r->P);
		if (!SIGNED_OK(x, 33))
			return ELFMOD_ERANGE;
		put_insn(r->loc, IMM21, adr_bits(x >> 12));
		return 0;
	case R_LD64_GOT_LO12_NC:
		if (r->A)
			return ELFMOD_EUNSUPPORTED;
		if (r->G & 7)
			return ELFMOD_ERANGE;
		put_insn(r->loc, IMM12, ((uint32_t)r->G & 0xff8) << 7);
		return 0;
	case R_LD64_GOTPAGE_LO15:
		if (r->A)
			return ELFMOD_EUNSUPPORTED;
		x = r->G - PAGE(r->GOT);
		if (!UNSIGNED_OK(x, 15) || (x & 7))
			return ELFMOD_ERANGE;
		put_insn(r->loc, IMM12, (uint32_t)x << 7);
		return 0;
	default:
		return ELFMOD_ERELTYPE;
	}
}

/*
 * ldr x16, .+8; br x16; .quad target. x16 (IP0) is the ABI's intra-procedure-call
 * scratch register that veneers may clobber, and a BR through x16 is also accepted
 * by a BTI "c" landing pad. The literal is data, so it follows the object's byte
 * order; the two instructions are little-endian always.
 */
#define STUB_SIZE 16

static void stub(uint8_t *wr, uint64_t at, uint64_t target, int big_endian)
{
	(void)at;
	elfmod__put32(wr, 0x58000050u, 0);
	elfmod__put32(wr + 4, 0xd61f0200u, 0);
	elfmod__put64(wr + 8, target, big_endian);
}

/* Dynamic relocations of shared objects and PIEs (AArch64 ELF numbers). */
static uint8_t dyn_kind(uint32_t type, uint8_t cls)
{
	(void)cls;
	switch (type) {
	case 0: case 256: return DYN_NONE; /* R_AARCH64_NONE (and the old number) */
	case 257: return DYN_ABS;        /* R_AARCH64_ABS64 */
	case 1024: return DYN_COPY;      /* R_AARCH64_COPY */
	case 1025: return DYN_GLOB;      /* R_AARCH64_GLOB_DAT */
	case 1026: return DYN_GLOB;      /* R_AARCH64_JUMP_SLOT */
	case 1027: return DYN_RELATIVE;  /* R_AARCH64_RELATIVE */
	case 1028: case 1029: case 1030: case 1031:
		return DYN_TLS;          /* TLS_DTPMOD, TLS_DTPREL, TLS_TPREL, TLSDESC */
	case 1032: return DYN_IRELATIVE; /* R_AARCH64_IRELATIVE */
	default: return DYN_UNSUPPORTED;
	}
}

const struct arch_desc elfmod__arch_aarch64 = {
	.machine = ELFMOD_EM_AARCH64,
	.name = "AArch64",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
	.classes = 2, /* LP64 only: ILP32 objects are ELFCLASS32 with other type numbers */
	.stub_size = STUB_SIZE,
	.stub_align = 8,
	.info = info,
	.addend = NULL, /* the ABI uses RELA only */
	.apply = apply,
	.stub = stub,
	.flags_ok = NULL, /* no e_flags of consequence */
	.dyn_kind = dyn_kind,
};
