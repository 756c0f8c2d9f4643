/*
 * elfmod: the ARM part.
 *
 * Everything elfmod knows about ARM relocations lives in this file, so
 * generic code never has to look at e_machine.
 */
#include "arch.h"
#include "internal.h"

#if ELFMOD_CFG_RELOC_NAMES
/*
 * Spelled exactly as GNU readelf (binutils 2.40) prints them, so that
 * output can be compared with readelf's by name.
 */
static const char *const names[] = {
	[0] = "R_ARM_NONE",
	[1] = "R_ARM_PC24",
	[2] = "R_ARM_ABS32",
	[3] = "R_ARM_REL32",
	[4] = "R_ARM_LDR_PC_G0",
	[5] = "R_ARM_ABS16",
	[6] = "R_ARM_ABS12",
	[7] = "R_ARM_THM_ABS5",
	[8] = "R_ARM_ABS8",
	[9] = "R_ARM_SBREL32",
	[10] = "R_ARM_THM_CALL",
	[11] = "R_ARM_THM_PC8",
	[12] = "R_ARM_BREL_ADJ",
	[13] = "R_ARM_TLS_DESC",
	[14] = "R_ARM_THM_SWI8",
	[15] = "R_ARM_XPC25",
	[16] = "R_ARM_THM_XPC22",
	[17] = "R_ARM_TLS_DTPMOD32",
	[18] = "R_ARM_TLS_DTPOFF32",
	[19] = "R_ARM_TLS_TPOFF32",
	[20] = "R_ARM_COPY",
	[21] = "R_ARM_GLOB_DAT",
	[22] = "R_ARM_JUMP_SLOT",
	[23] = "R_ARM_RELATIVE",
	[24] = "R_ARM_GOTOFF32",
	[25] = "R_ARM_BASE_PREL",
	[26] = "R_ARM_GOT_BREL",
	[27] = "R_ARM_PLT32",
	[28] = "R_ARM_CALL",
	[29] = "R_ARM_JUMP24",
	[30] = "R_ARM_THM_JUMP24",
	[31] = "R_ARM_BASE_ABS",
	[32] = "R_ARM_ALU_PCREL7_0",
	[33] = "R_ARM_ALU_PCREL15_8",
	[34] = "R_ARM_ALU_PCREL23_15",
	[35] = "R_ARM_LDR_SBREL_11_0",
	[36] = "R_ARM_ALU_SBREL_19_12",
	[37] = "R_ARM_ALU_SBREL_27_20",
	[38] = "R_ARM_TARGET1",
	[39] = "R_ARM_SBREL31",
	[40] = "R_ARM_V4BX",
	[41] = "R_ARM_TARGET2",
	[42] = "R_ARM_PREL31",
	[43] = "R_ARM_MOVW_ABS_NC",
	[44] = "R_ARM_MOVT_ABS",
	[45] = "R_ARM_MOVW_PREL_NC",
	[46] = "R_ARM_MOVT_PREL",
	[47] = "R_ARM_THM_MOVW_ABS_NC",
	[48] = "R_ARM_THM_MOVT_ABS",
	[49] = "R_ARM_THM_MOVW_PREL_NC",
	[50] = "R_ARM_THM_MOVT_PREL",
	[51] = "R_ARM_THM_JUMP19",
	[52] = "R_ARM_THM_JUMP6",
	[53] = "R_ARM_THM_ALU_PREL_11_0",
	[54] = "R_ARM_THM_PC12",
	[55] = "R_ARM_ABS32_NOI",
	[56] = "R_ARM_REL32_NOI",
	[57] = "R_ARM_ALU_PC_G0_NC",
	[58] = "R_ARM_ALU_PC_G0",
	[59] = "R_ARM_ALU_PC_G1_NC",
	[60] = "R_ARM_ALU_PC_G1",
	[61] = "R_ARM_ALU_PC_G2",
	[62] = "R_ARM_LDR_PC_G1",
	[63] = "R_ARM_LDR_PC_G2",
	[64] = "R_ARM_LDRS_PC_G0",
	[65] = "R_ARM_LDRS_PC_G1",
	[66] = "R_ARM_LDRS_PC_G2",
	[67] = "R_ARM_LDC_PC_G0",
	[68] = "R_ARM_LDC_PC_G1",
	[69] = "R_ARM_LDC_PC_G2",
	[70] = "R_ARM_ALU_SB_G0_NC",
	[71] = "R_ARM_ALU_SB_G0",
	[72] = "R_ARM_ALU_SB_G1_NC",
	[73] = "R_ARM_ALU_SB_G1",
	[74] = "R_ARM_ALU_SB_G2",
	[75] = "R_ARM_LDR_SB_G0",
	[76] = "R_ARM_LDR_SB_G1",
	[77] = "R_ARM_LDR_SB_G2",
	[78] = "R_ARM_LDRS_SB_G0",
	[79] = "R_ARM_LDRS_SB_G1",
	[80] = "R_ARM_LDRS_SB_G2",
	[81] = "R_ARM_LDC_SB_G0",
	[82] = "R_ARM_LDC_SB_G1",
	[83] = "R_ARM_LDC_SB_G2",
	[84] = "R_ARM_MOVW_BREL_NC",
	[85] = "R_ARM_MOVT_BREL",
	[86] = "R_ARM_MOVW_BREL",
	[87] = "R_ARM_THM_MOVW_BREL_NC",
	[88] = "R_ARM_THM_MOVT_BREL",
	[89] = "R_ARM_THM_MOVW_BREL",
	[90] = "R_ARM_TLS_GOTDESC",
	[91] = "R_ARM_TLS_CALL",
	[92] = "R_ARM_TLS_DESCSEQ",
	[93] = "R_ARM_THM_TLS_CALL",
	[94] = "R_ARM_PLT32_ABS",
	[95] = "R_ARM_GOT_ABS",
	[96] = "R_ARM_GOT_PREL",
	[97] = "R_ARM_GOT_BREL12",
	[98] = "R_ARM_GOTOFF12",
	[99] = "R_ARM_GOTRELAX",
	[100] = "R_ARM_GNU_VTENTRY",
	[101] = "R_ARM_GNU_VTINHERIT",
	[102] = "R_ARM_THM_JUMP11",
	[103] = "R_ARM_THM_JUMP8",
	[104] = "R_ARM_TLS_GD32",
	[105] = "R_ARM_TLS_LDM32",
	[106] = "R_ARM_TLS_LDO32",
	[107] = "R_ARM_TLS_IE32",
	[108] = "R_ARM_TLS_LE32",
	[109] = "R_ARM_TLS_LDO12",
	[110] = "R_ARM_TLS_LE12",
	[111] = "R_ARM_TLS_IE12GP",
	[128] = "R_ARM_ME_TOO",
	[129] = "R_ARM_THM_TLS_DESCSEQ",
	[132] = "R_ARM_THM_ALU_ABS_G0_NC",
	[133] = "R_ARM_THM_ALU_ABS_G1_NC",
	[134] = "R_ARM_THM_ALU_ABS_G2_NC",
	[135] = "R_ARM_THM_ALU_ABS_G3_NC",
	[136] = "R_ARM_THM_BF16",
	[137] = "R_ARM_THM_BF12",
	[138] = "R_ARM_THM_BF18",
	[160] = "R_ARM_IRELATIVE",
	[161] = "R_ARM_GOTFUNCDESC",
	[162] = "R_ARM_GOTOFFFUNCDESC",
	[163] = "R_ARM_FUNCDESC",
	[164] = "R_ARM_FUNCDESC_VALUE",
	[165] = "R_ARM_TLS_GD32_FDPIC",
	[166] = "R_ARM_TLS_LDM32_FDPIC",
	[167] = "R_ARM_TLS_IE32_FDPIC",
	[249] = "R_ARM_RXPC25",
	[250] = "R_ARM_RSBREL32",
	[251] = "R_ARM_THM_RPC22",
	[252] = "R_ARM_RREL32",
	[253] = "R_ARM_RABS32",
	[254] = "R_ARM_RPC24",
	[255] = "R_ARM_RBASE",
};
#endif

/*
 * The core the relocated code runs on. GNU ld takes these choices from the build
 * attributes of what it links; a loader takes them from the host it is built for. A
 * build for another machine (`elfmod link` on a PC) relocates for ARMv7-A/R and ARMv7-M,
 * what Debian's armhf and most firmware run, making the choices ld makes for those.
 * Each can be set with -D to relocate for another core:
 *   ELFMOD_CFG_ARM_STATE   the core has ARM state (0 on M profile: every branch target
 *                          is Thumb code, whatever bit 0 of its address says)
 *   ELFMOD_CFG_ARM_THUMB2  Thumb-2: NOP.W exists (ARMv6T2 and later, ARMv7-M)
 *   ELFMOD_CFG_ARM_HINT_NOP  the ARM NOP hint exists (ARMv6K, ARMv6T2 and later)
 *   ELFMOD_CFG_ARM_FLOAT   the float ABI modules must use: 0 any, 1 soft, 2 hard
 *   ELFMOD_CFG_ARM_TARGET2_GOT  R_ARM_TARGET2 is GOT_PREL (Linux, NetBSD: libgcc's
 *                          unwinder reads C++ exception tables' type references through
 *                          the GOT there; ld's --target2=got-rel) rather than REL32
 *                          (bare metal, ld's --target2=rel)
 */
#if defined(__arm__)
#if defined(__ARM_ARCH_ISA_ARM)
#define HOST_ARM_STATE 1
#else
#define HOST_ARM_STATE 0
#endif
#if defined(__ARM_ARCH_ISA_THUMB) && __ARM_ARCH_ISA_THUMB >= 2
#define HOST_THUMB2 1
#else
#define HOST_THUMB2 0
#endif
#if defined(__ARM_ARCH) && (__ARM_ARCH >= 7 || defined(__ARM_ARCH_6K__) || \
			    defined(__ARM_ARCH_6KZ__) || defined(__ARM_ARCH_6ZK__) || \
			    defined(__ARM_ARCH_6T2__))
#define HOST_HINT_NOP 1
#else
#define HOST_HINT_NOP 0
#endif
#if defined(__ARM_PCS_VFP)
#define HOST_FLOAT 2
#else
#define HOST_FLOAT 1
#endif
/* Big-endian ARMv6 and later run BE8: data big-endian, instructions little-endian. */
#if defined(__ARM_BIG_ENDIAN) && defined(__ARM_ARCH) && __ARM_ARCH >= 6
#define HOST_BE8 1
#else
#define HOST_BE8 0
#endif
#if defined(__linux__) || defined(__NetBSD__)
#define HOST_TARGET2_GOT 1
#else
#define HOST_TARGET2_GOT 0
#endif
#else
#define HOST_ARM_STATE 1
#define HOST_THUMB2 1
#define HOST_HINT_NOP 1
#define HOST_FLOAT 0
#define HOST_BE8 0
#define HOST_TARGET2_GOT 1 /* as arm-linux-gnueabihf-ld */
#endif

#ifndef ELFMOD_CFG_ARM_STATE
#define ELFMOD_CFG_ARM_STATE HOST_ARM_STATE
#endif
#ifndef ELFMOD_CFG_ARM_THUMB2
#define ELFMOD_CFG_ARM_THUMB2 HOST_THUMB2
#endif
#ifndef ELFMOD_CFG_ARM_HINT_NOP
#define ELFMOD_CFG_ARM_HINT_NOP HOST_HINT_NOP
#endif
#ifndef ELFMOD_CFG_ARM_FLOAT
#define ELFMOD_CFG_ARM_FLOAT HOST_FLOAT
#endif
#ifndef ELFMOD_CFG_ARM_TARGET2_GOT
#define ELFMOD_CFG_ARM_TARGET2_GOT HOST_TARGET2_GOT
#endif

/*
 * Reach of Thumb BL/BLX/B.W: the J1/J2 encoding (Thumb-2 and every M profile core)
 * reaches +-16 MiB; the classic Thumb-1 pair of halfwords +-4 MiB. Writing the J1/J2
 * encoding is right for both: within +-4 MiB it is the classic one.
 */
#if ELFMOD_CFG_ARM_THUMB2 || !ELFMOD_CFG_ARM_STATE
#define THM_BL_REACH (1u << 24)
#else
#define THM_BL_REACH (1u << 22)
#endif

enum {
	R_NONE = 0,
	R_PC24 = 1,
	R_ABS32 = 2,
	R_REL32 = 3,
	R_THM_CALL = 10,
	R_GOTOFF32 = 24,
	R_BASE_PREL = 25,
	R_GOT_BREL = 26,
	R_CALL = 28,
	R_JUMP24 = 29,
	R_THM_JUMP24 = 30,
	R_TARGET1 = 38,
	R_V4BX = 40,
	R_TARGET2 = 41,
	R_PREL31 = 42,
	R_MOVW_ABS_NC = 43,
	R_MOVT_ABS = 44,
	R_MOVW_PREL_NC = 45,
	R_MOVT_PREL = 46,
	R_THM_MOVW_ABS_NC = 47,
	R_THM_MOVT_ABS = 48,
	R_THM_MOVW_PREL_NC = 49,
	R_THM_MOVT_PREL = 50,
	R_THM_JUMP19 = 51,
	R_GOT_PREL = 96,
	R_THM_JUMP11 = 102,
	R_THM_JUMP8 = 103,
	R_LAST = R_THM_JUMP8,
};

/* The field a type writes; 0 means "type not supported". */
enum field {
	F_NONE = 1, /* nothing is written */
	F_WORD,     /* 32-bit data word */
	F_PREL31,   /* low 31 bits of a data word; bit 31 is kept */
	F_ARM_B,    /* A32 B, BL, BLX: imm24, times 4 */
	F_ARM_MOV,  /* A32 MOVW, MOVT: imm4:imm12 */
	F_THM_BL,   /* Thumb BL, BLX, B.W: S:J1:J2:imm10:imm11, times 2 */
	F_THM_B19,  /* Thumb B<c>.W: S:J2:J1:imm6:imm11, times 2 */
	F_THM_MOV,  /* Thumb MOVW, MOVT: imm4:i:imm3:imm8 */
	F_THM_B11,  /* Thumb B (16-bit): imm11, times 2 */
	F_THM_B8,   /* Thumb B<c> (16-bit): imm8, times 2 */
};

static const uint8_t field_size[] = {
	[F_NONE] = 0, [F_WORD] = 4, [F_PREL31] = 4, [F_ARM_B] = 4, [F_ARM_MOV] = 4,
	[F_THM_BL] = 4, [F_THM_B19] = 4, [F_THM_MOV] = 4, [F_THM_B11] = 2, [F_THM_B8] = 2,
};

struct kind {
	uint16_t flags; /* RF_* */
	uint8_t field; /* enum field; 0: unsupported */
};

/*
 * TARGET1 is ABS32 (ld's default everywhere); TARGET2 is GOT_PREL or REL32 as the
 * platform's unwinder expects (ELFMOD_CFG_ARM_TARGET2_GOT above). The 32-bit
 * PC-relative types reach the whole address space, so they need no "near" hint. PREL31
 * (exception tables) refers to code only, personality routines among it: RF_CALL lets
 * an out-of-reach import go through its stub. V4BX marks a BX for ARMv4 linkers to
 * rewrite; it is left alone. TLS, the dynamic-only types, the group relocations and the
 * ARMv4-era types are not supported.
 */
static const struct kind kinds[R_LAST + 1] = {
	[R_NONE] = { RF_NONE, F_NONE },
	[R_PC24] = { RF_CALL, F_ARM_B },
	[R_ABS32] = { 0, F_WORD },
	[R_REL32] = { 0, F_WORD },
	[R_THM_CALL] = { RF_CALL, F_THM_BL },
	[R_GOTOFF32] = { RF_GOTBASE, F_WORD },
	[R_BASE_PREL] = { RF_GOTBASE, F_WORD },
	[R_GOT_BREL] = { RF_GOT | RF_GOTBASE, F_WORD },
	[R_CALL] = { RF_CALL, F_ARM_B },
	[R_JUMP24] = { RF_CALL, F_ARM_B },
	[R_THM_JUMP24] = { RF_CALL, F_THM_BL },
	[R_TARGET1] = { 0, F_WORD },
	[R_V4BX] = { RF_NONE, F_NONE },
#if ELFMOD_CFG_ARM_TARGET2_GOT
	[R_TARGET2] = { RF_GOT, F_WORD },
#else
	[R_TARGET2] = { 0, F_WORD },
#endif
	[R_PREL31] = { RF_CALL, F_PREL31 },
	[R_MOVW_ABS_NC] = { 0, F_ARM_MOV },
	[R_MOVT_ABS] = { RF_HIGH, F_ARM_MOV },
	[R_MOVW_PREL_NC] = { 0, F_ARM_MOV },
	[R_MOVT_PREL] = { RF_HIGH, F_ARM_MOV },
	[R_THM_MOVW_ABS_NC] = { 0, F_THM_MOV },
	[R_THM_MOVT_ABS] = { RF_HIGH, F_THM_MOV },
	[R_THM_MOVW_PREL_NC] = { 0, F_THM_MOV },
	[R_THM_MOVT_PREL] = { RF_HIGH, F_THM_MOV },
	[R_THM_JUMP19] = { RF_CALL, F_THM_B19 },
	[R_GOT_PREL] = { RF_GOT, F_WORD },
	[R_THM_JUMP11] = { 0, F_THM_B11 },
	[R_THM_JUMP8] = { 0, F_THM_B8 },
};

static const struct kind *kind_of(uint32_t type)
{
	if (type > R_LAST || !kinds[type].field)
		return NULL;
	return &kinds[type];
}

static int info(uint32_t type, struct reloc_info *out)
{
	const struct kind *k = kind_of(type);

	if (!k)
		return ELFMOD_ERELTYPE;
	out->flags = k->flags;
	out->size = field_size[k->field];
	return 0;
}

/* Sign-extends v from the bit `sign` (a power of two), without signed conversions. */
static uint32_t sext(uint32_t v, uint32_t sign)
{
	v &= (sign << 1) - 1;
	return (v ^ sign) - sign;
}

/* Does v, taken as signed, lie in -reach .. reach - 1? */
static int fits(uint32_t v, uint32_t reach)
{
	return v + reach < reach * 2;
}

/*
 * Big-endian ARM is BE8 (ARMv6 and later, every M profile core): data big-endian,
 * instructions little-endian. A big-endian relocatable object still holds its
 * instructions big-endian; fix_code() swaps them while the loader copies the code runs
 * its mapping symbols mark, as `ld --be8` does, so by the time a relocation is applied
 * every instruction is little-endian whatever the object's byte order. `be` is kept in
 * the signatures for the data fields. Thumb-2 32-bit instructions are two halfwords,
 * the first one at the lower address.
 */
static uint32_t get_arm(const uint8_t *loc, int be)
{
	(void)be;
	return elfmod__get32(loc, 0);
}

static void put_arm(uint8_t *loc, uint32_t insn, int be)
{
	(void)be;
	elfmod__put32(loc, insn, 0);
}

static void get_thm(const uint8_t *loc, int be, uint32_t *hi, uint32_t *lo)
{
	(void)be;
	*hi = elfmod__get16(loc, 0);
	*lo = elfmod__get16(loc + 2, 0);
}

static void put_thm(uint8_t *loc, int be, uint32_t hi, uint32_t lo)
{
	(void)be;
	elfmod__put16(loc, (uint16_t)hi, 0);
	elfmod__put16(loc + 2, (uint16_t)lo, 0);
}

/* The BE8 swap of one code run: $a runs hold words, $t runs halfwords (a 32-bit Thumb
 * instruction is two halfwords, each swapped on its own). */
static void fix_code(uint8_t *wr, uint64_t len, char kind, int big_endian)
{
	unsigned unit = kind == 'a' ? 4 : kind == 't' ? 2 : 0;

	if (!big_endian || !unit)
		return;
	for (uint64_t off = 0; off + unit <= len; off += unit)
		for (unsigned i = 0; i < unit / 2; i++) {
			uint8_t t = wr[off + i];
			wr[off + i] = wr[off + unit - 1 - i];
			wr[off + unit - 1 - i] = t;
		}
}

/*
 * B (JUMP24) and B.W (THM_JUMP24) have no form that changes instruction set: to a
 * definition in the other state they always go through a stub, whose ARM entry (for
 * B) or Thumb entry (for B.W) switches on the way out. BL becomes BLX instead.
 */
static int local_stub(uint32_t type, uint64_t value)
{
	if (!ELFMOD_CFG_ARM_STATE)
		return 0;
	switch (type) {
	case R_JUMP24:
	case R_PC24:
		return (value & 1) != 0;
	case R_THM_JUMP24:
		return (value & 1) == 0;
	default:
		return 0;
	}
}

/* ---- the fields: decode (the REL addend) and encode ---- */

/* A32 B/BL/BLX: BLX (cond 0b1111) also has H, the offset's bit 1, in bit 24. */
static uint32_t arm_b_get(uint32_t insn)
{
	uint32_t off = sext((insn & 0xffffffu) << 2, 1u << 25);

	if (insn >> 28 == 0xf)
		off |= (insn >> 23) & 2;
	return off;
}

static uint32_t arm_mov_get(uint32_t insn)
{
	return sext((insn >> 4 & 0xf000) | (insn & 0xfff), 0x8000);
}

static uint32_t arm_mov_set(uint32_t insn, uint32_t v)
{
	return (insn & 0xfff0f000u) | (v & 0xf000) << 4 | (v & 0xfff);
}

/* I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S): the classic Thumb-1 BL has J1 = J2 = 1. */
static uint32_t thm_bl_get(uint32_t hi, uint32_t lo)
{
	uint32_t s = hi >> 10 & 1, i1 = (lo >> 13 & 1) ^ s ^ 1, i2 = (lo >> 11 & 1) ^ s ^ 1;

	return sext(s << 24 | i1 << 23 | i2 << 22 | (hi & 0x3ff) << 12 | (lo & 0x7ff) << 1, 1u << 24);
}

/* op: the second halfword's opcode bits (15, 14, 12): BL 0xd000, BLX 0xc000, B.W 0x9000. */
static void thm_bl_put(uint8_t *loc, int be, uint32_t op, uint32_t x)
{
	uint32_t s = x >> 24 & 1, j1 = (x >> 23 & 1) ^ s ^ 1, j2 = (x >> 22 & 1) ^ s ^ 1;

	put_thm(loc, be, 0xf000 | s << 10 | (x >> 12 & 0x3ff),
		op | j1 << 13 | j2 << 11 | (x >> 1 & 0x7ff));
}

static uint32_t thm_b19_get(uint32_t hi, uint32_t lo)
{
	uint32_t s = hi >> 10 & 1, j1 = lo >> 13 & 1, j2 = lo >> 11 & 1;

	return sext(s << 20 | j2 << 19 | j1 << 18 | (hi & 0x3f) << 12 | (lo & 0x7ff) << 1, 1u << 20);
}

static void thm_b19_put(uint8_t *loc, int be, uint32_t hi, uint32_t lo, uint32_t x)
{
	hi = (hi & 0xfbc0) | (x >> 20 & 1) << 10 | (x >> 12 & 0x3f);
	lo = (lo & 0xd000) | (x >> 18 & 1) << 13 | (x >> 19 & 1) << 11 | (x >> 1 & 0x7ff);
	put_thm(loc, be, hi, lo);
}

static uint32_t thm_mov_get(uint32_t hi, uint32_t lo)
{
	return sext((hi & 0xf) << 12 | (hi >> 10 & 1) << 11 | (lo >> 12 & 7) << 8 | (lo & 0xff), 0x8000);
}

static void thm_mov_put(uint8_t *loc, int be, uint32_t hi, uint32_t lo, uint32_t v)
{
	hi = (hi & 0xfbf0) | (v >> 12 & 0xf) | (v >> 11 & 1) << 10;
	lo = (lo & 0x8f00) | (v >> 8 & 7) << 12 | (v & 0xff);
	put_thm(loc, be, hi, lo);
}

/* REL: the addend is what the field holds, decoded as the instruction encodes it. */
static int addend(uint32_t type, const uint8_t *loc, int be, int64_t *A)
{
	const struct kind *k = kind_of(type);
	uint32_t v, hi, lo;
	int64_t a;

	if (!k)
		return ELFMOD_ERELTYPE;
	switch (k->field) {
	case F_NONE:
		v = 0; /* no field: loc may point nowhere */
		break;
	case F_WORD:
		v = elfmod__get32(loc, be);
		break;
	case F_PREL31:
		v = sext(elfmod__get32(loc, be), 1u << 30);
		break;
	case F_ARM_B:
		v = arm_b_get(get_arm(loc, be));
		break;
	case F_ARM_MOV:
		v = arm_mov_get(get_arm(loc, be));
		break;
	case F_THM_B11:
		v = sext((uint32_t)(elfmod__get16(loc, 0) & 0x7ff) << 1, 1u << 11);
		break;
	case F_THM_B8:
		v = sext((uint32_t)(elfmod__get16(loc, 0) & 0xff) << 1, 1u << 8);
		break;
	default:
		get_thm(loc, be, &hi, &lo);
		if (k->field == F_THM_BL)
			v = thm_bl_get(hi, lo);
		else if (k->field == F_THM_B19)
			v = thm_b19_get(hi, lo);
		else
			v = thm_mov_get(hi, lo);
		break;
	}
	/* Sign-extend to 64 bits without an implementation-defined conversion. */
	a = (int64_t)(v & 0x7fffffffu) - (int64_t)(v & 0x80000000u);
	*A = a;
	return 0;
}

/* ---- branches ---- */

/* The A32 NOP ld writes for a branch to an undefined weak symbol, condition aside. */
#if ELFMOD_CFG_ARM_HINT_NOP
#define ARM_NOP 0x0320f000u /* NOP */
#else
#define ARM_NOP 0x01a00000u /* MOV r0, r0 */
#endif

/* Offset of the stub's ARM-state entry (see stub()). */
#define STUB_ARM 12

/*
 * The Thumb bit: bit 0 of S is set for a Thumb function (generic code passes st_value
 * and host addresses through unchanged). A core without ARM state runs Thumb code
 * only, so there every target is Thumb: a symbol given without the bit (from a linker
 * script, say) is still reached by BL, never by a BLX that would fault. An undefined
 * weak symbol is 0 and has no state.
 */
static int is_thumb(const struct reloc_args *r)
{
	return !ELFMOD_CFG_ARM_STATE || r->weak_undef || (r->S & 1);
}

/*
 * A32 B<c>, BL<c>, BLX(imm). An unconditional BL to Thumb code becomes BLX and a BLX to
 * ARM code becomes BL, as GNU ld does. B and conditional BL cannot change state: a stub
 * (its ARM entry, which changes state) takes them when there is one, i.e. for an import.
 */
static int arm_branch(const struct reloc_args *r)
{
	int be = r->big_endian;
	uint32_t insn = get_arm(r->loc, be), A = (uint32_t)r->A, P = (uint32_t)r->P, x;
	int blx = insn >> 28 == 0xf;
	int call = blx || (insn >> 24) == 0xeb; /* may change state */
	/* What the instruction becomes when it stays in ARM state. */
	uint32_t op = blx ? 0xeb000000u : insn & 0xff000000u;

	if (r->weak_undef) {
		/* GNU ld 2.40 turns it into a NOP, keeping the condition (a BLX's "never"
		 * condition bits would make it another instruction: AL instead). */
		put_arm(r->loc, (blx ? 0xe0000000u : insn & 0xf0000000u) | ARM_NOP, be);
		return 0;
	}
	x = ((uint32_t)r->S & ~1u) + A - P;
	if (!(r->S & 1)) {
		if (!(x & 3) && fits(x, 1u << 25)) {
			put_arm(r->loc, op | (x >> 2 & 0xffffff), be);
			return 0;
		}
	} else if (call) {
		if (!(x & 1) && fits(x, 1u << 25)) {
			put_arm(r->loc, 0xfa000000u | (x & 2) << 23 | (x >> 2 & 0xffffff), be);
			return 0;
		}
	}
	if (r->L) {
		x = (uint32_t)r->L + STUB_ARM + A - P;
		if (!(x & 3) && fits(x, 1u << 25)) {
			put_arm(r->loc, op | (x >> 2 & 0xffffff), be);
			return 0;
		}
	}
	return ELFMOD_ERANGE;
}

/*
 * Thumb BL, BLX(imm) (THM_CALL) and B.W (THM_JUMP24). BL to ARM code becomes BLX, whose
 * offset counts from the instruction's address rounded down to a word; BLX to Thumb code
 * becomes BL. B.W cannot change state: the stub (Thumb, which changes state on its way
 * out) takes it when there is one.
 */
static int thm_branch(const struct reloc_args *r)
{
	int be = r->big_endian;
	uint32_t A = (uint32_t)r->A, P = (uint32_t)r->P, dest = (uint32_t)r->S & ~1u;
	uint32_t hi, lo, x, op;
	int call;

	get_thm(r->loc, be, &hi, &lo);
	call = (lo & 0x4000) != 0; /* BL or BLX: the link bit */
	op = call ? 0xd000 : (lo & 0xd000);
	if (r->weak_undef) {
		/* GNU ld 2.40: NOP.W where Thumb-2 has it, else a branch over a NOP. */
		if (ELFMOD_CFG_ARM_THUMB2)
			put_thm(r->loc, be, 0xf3af, 0x8000);
		else
			put_thm(r->loc, be, 0xe000, 0xbf00);
		return 0;
	}
	if (is_thumb(r)) {
		x = dest + A - P;
		if (!(x & 1) && fits(x, THM_BL_REACH)) {
			thm_bl_put(r->loc, be, op, x);
			return 0;
		}
	} else if (call) {
		x = dest + A - (P & ~3u);
		if (!(x & 3) && fits(x, THM_BL_REACH)) {
			thm_bl_put(r->loc, be, 0xc000, x);
			return 0;
		}
	}
	if (r->L) {
		x = (uint32_t)r->L + A - P;
		if (!(x & 1) && fits(x, THM_BL_REACH)) {
			thm_bl_put(r->loc, be, op, x);
			return 0;
		}
	}
	return ELFMOD_ERANGE;
}

/*
 * The short Thumb branches: no state change, no link. An undefined weak target is
 * branched to (address 0) as GNU ld does, when it is in reach.
 */
static int thm_short(const struct reloc_args *r, const struct kind *k)
{
	int be = r->big_endian;
	uint32_t A = (uint32_t)r->A, P = (uint32_t)r->P, x, hi, lo;

	x = ((uint32_t)r->S & ~1u) + A - P;
	if (k->field == F_THM_B19) {
		get_thm(r->loc, be, &hi, &lo);
		if (is_thumb(r) && !(x & 1) && fits(x, 1u << 20)) {
			thm_b19_put(r->loc, be, hi, lo, x);
			return 0;
		}
		/* B<c>.W is a call only as a conditional tail call; its stub is Thumb. */
		x = (uint32_t)r->L + A - P;
		if (r->L && !(x & 1) && fits(x, 1u << 20)) {
			thm_b19_put(r->loc, be, hi, lo, x);
			return 0;
		}
		return ELFMOD_ERANGE;
	}
	if (!is_thumb(r) || (x & 1))
		return ELFMOD_ERANGE;
	hi = elfmod__get16(r->loc, 0);
	if (k->field == F_THM_B11) {
		if (!fits(x, 1u << 11))
			return ELFMOD_ERANGE;
		elfmod__put16(r->loc, (uint16_t)((hi & 0xf800) | (x >> 1 & 0x7ff)), 0);
	} else {
		if (!fits(x, 1u << 8))
			return ELFMOD_ERANGE;
		elfmod__put16(r->loc, (uint16_t)((hi & 0xff00) | (x >> 1 & 0xff)), 0);
	}
	return 0;
}

/* ---- apply ---- */

static int apply(const struct reloc_args *r)
{
	const struct kind *k = kind_of(r->type);
	uint32_t A = (uint32_t)r->A, S = (uint32_t)r->S, P = (uint32_t)r->P;
	uint32_t v, insn, hi, lo;
	int be = r->big_endian;

	if (!k)
		return ELFMOD_ERELTYPE;
	/*
	 * S carries the Thumb bit T, so AAELF's (S + A) | T is S + A here: the same for a
	 * Thumb function and an even addend, and right for data at an odd address.
	 */
	switch (r->type) {
	case R_NONE:
	case R_V4BX:
		return 0;
	case R_PC24:
	case R_CALL:
	case R_JUMP24:
		return arm_branch(r);
	case R_THM_CALL:
	case R_THM_JUMP24:
		return thm_branch(r);
	case R_THM_JUMP19:
	case R_THM_JUMP11:
	case R_THM_JUMP8:
		return thm_short(r, k);
	case R_ABS32:
	case R_TARGET1:
	case R_MOVW_ABS_NC:
	case R_THM_MOVW_ABS_NC:
		v = S + A;
		break;
	case R_MOVT_ABS:
	case R_THM_MOVT_ABS:
		v = (S + A) >> 16;
		break;
	case R_TARGET2:
		v = (ELFMOD_CFG_ARM_TARGET2_GOT ? (uint32_t)r->G : S) + A - P;
		break;
	case R_REL32:
	case R_MOVW_PREL_NC:
	case R_THM_MOVW_PREL_NC:
		v = S + A - P;
		break;
	case R_MOVT_PREL:
	case R_THM_MOVT_PREL:
		v = (S + A - P) >> 16;
		break;
	case R_PREL31:
		v = S + A - P;
		/* A far import's stub, by its Thumb address; never for an undefined weak. */
		if (!fits(v, 1u << 30) && r->L && !r->weak_undef)
			v = ((uint32_t)r->L | 1) + A - P;
		if (!fits(v, 1u << 30))
			return ELFMOD_ERANGE;
		v = (elfmod__get32(r->loc, be) & 0x80000000u) | (v & 0x7fffffffu);
		break;
	case R_GOTOFF32:
		v = S + A - (uint32_t)r->GOT;
		break;
	case R_BASE_PREL:
		/* B(S) is the GOT base for every symbol here (it is _GLOBAL_OFFSET_TABLE_). */
		v = (uint32_t)r->GOT + A - P;
		break;
	case R_GOT_BREL:
		v = (uint32_t)r->G - (uint32_t)r->GOT + A;
		break;
	case R_GOT_PREL:
		v = (uint32_t)r->G + A - P;
		break;
	default:
		return ELFMOD_ERELTYPE;
	}
	switch (k->field) {
	case F_ARM_MOV:
		insn = get_arm(r->loc, be);
		put_arm(r->loc, arm_mov_set(insn, v), be);
		break;
	case F_THM_MOV:
		get_thm(r->loc, be, &hi, &lo);
		thm_mov_put(r->loc, be, hi, lo, v);
		break;
	default:
		elfmod__put32(r->loc, v, be);
		break;
	}
	return 0;
}

/*
 * The call stub, 16 bytes, two entries:
 *   +0   Thumb:  push {r0, r1}; ldr r0, [pc, #4]; str r0, [sp, #4]; pop {r0, pc}
 *   +8   the target address, Thumb bit included
 *   +12  ARM:    ldr pc, [pc, #-12]
 * The Thumb entry is Thumb-1 only, so it runs on every core with Thumb, ARMv6-M
 * included (which has neither ldr.w nor ARM state); POP and LDR into the PC change
 * state by the target's bit 0 (ARMv5T and later). It changes no register: r0 and r1 are
 * put back, r12 is untouched. Thumb branches reach it at L (L | 1 as an address), A32
 * branches at L + 12, so neither needs to change state to get there: B and B.W work too.
 */
#define STUB_SIZE 16

static void stub(uint8_t *wr, uint64_t at, uint64_t target, int be)
{
	uint32_t t = (uint32_t)target;

	(void)at; /* position-independent */
	if (!ELFMOD_CFG_ARM_STATE)
		t |= 1; /* POP into the PC with bit 0 clear faults on M profile */
	/* Instructions little-endian (BE8), the target word in the data byte order. */
	elfmod__put16(wr + 0, 0xb403, 0);
	elfmod__put16(wr + 2, 0x4801, 0);
	elfmod__put16(wr + 4, 0x9001, 0);
	elfmod__put16(wr + 6, 0xbd01, 0);
	elfmod__put32(wr + 8, t, be);
	elfmod__put32(wr + STUB_ARM, 0xe51ff00cu, 0);
}

#define EF_ARM_EABIMASK 0xff000000u
#define EF_ARM_EABI_VER5 0x05000000u
#define EF_ARM_BE8 0x00800000u
#define EF_ARM_ABI_FLOAT_SOFT 0x00000200u
#define EF_ARM_ABI_FLOAT_HARD 0x00000400u

/*
 * EABI version 5 objects only. A float ABI flag must match the host's calling
 * convention; an object with neither flag passes no floating-point values (GCC leaves
 * them out then, and so does `as` without -mfloat-abi). An object already marked BE8
 * holds little-endian instructions that fix_code() would swap again: refused. Loading
 * onto a big-endian ARM host is refused too: nothing here has run on one.
 */
static int flags_ok(uint32_t f)
{
	uint32_t fl = f & (EF_ARM_ABI_FLOAT_SOFT | EF_ARM_ABI_FLOAT_HARD);

	if ((f & EF_ARM_EABIMASK) != EF_ARM_EABI_VER5 || (f & EF_ARM_BE8) || HOST_BE8)
		return 0;
	if (fl == (EF_ARM_ABI_FLOAT_SOFT | EF_ARM_ABI_FLOAT_HARD))
		return 0;
	if (ELFMOD_CFG_ARM_FLOAT == 1 && fl == EF_ARM_ABI_FLOAT_HARD)
		return 0;
	if (ELFMOD_CFG_ARM_FLOAT == 2 && fl == EF_ARM_ABI_FLOAT_SOFT)
		return 0;
	return 1;
}

/* Dynamic relocations of shared objects and PIEs (AAELF numbers). */
static uint8_t dyn_kind(uint32_t type, uint8_t cls)
{
	(void)cls;
	switch (type) {
	case 0: return DYN_NONE;         /* R_ARM_NONE */
	case 2: return DYN_ABS;          /* R_ARM_ABS32 */
	case 3: return DYN_PC;           /* R_ARM_REL32 */
	case 20: return DYN_COPY;        /* R_ARM_COPY */
	case 21: return DYN_GLOB;        /* R_ARM_GLOB_DAT */
	case 22: return DYN_GLOB;        /* R_ARM_JUMP_SLOT */
	case 23: return DYN_RELATIVE;    /* R_ARM_RELATIVE */
	case 13: case 17: case 18: case 19:
		return DYN_TLS;          /* TLS_DESC, TLS_DTPMOD32, TLS_DTPOFF32, TLS_TPOFF32 */
	case 160: return DYN_IRELATIVE;  /* R_ARM_IRELATIVE */
	default: return DYN_UNSUPPORTED;
	}
}

const struct arch_desc elfmod__arch_arm = {
	.machine = ELFMOD_EM_ARM,
	.name = "ARM",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
	.classes = 1,
	.stub_size = STUB_SIZE,
	.stub_align = 4,
	.info = info,
	.addend = addend,
	.apply = apply,
	.stub = stub,
	.local_stub = local_stub,
	.fix_code = fix_code,
	.flags_ok = flags_ok,
	.dyn_kind = dyn_kind,
};
