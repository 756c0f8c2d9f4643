/*
 * elfmod: the MIPS part.
 *
 * Everything elfmod knows about MIPS relocations lives in this file, so
 * generic code never has to look at e_machine.
 */
#include "arch.h"
#include "internal.h"

#if ELFMOD_CFG_RELOC_NAMES
/*
 * Spelled exactly as GNU readelf (binutils 2.40) prints them, so that
 * output can be compared with readelf's by name.
 *
 * MIPS16 and microMIPS numbers are included because they appear in
 * ordinary 32-bit MIPS objects.
 */
static const char *const names[] = {
	[0] = "R_MIPS_NONE",
	[1] = "R_MIPS_16",
	[2] = "R_MIPS_32",
	[3] = "R_MIPS_REL32",
	[4] = "R_MIPS_26",
	[5] = "R_MIPS_HI16",
	[6] = "R_MIPS_LO16",
	[7] = "R_MIPS_GPREL16",
	[8] = "R_MIPS_LITERAL",
	[9] = "R_MIPS_GOT16",
	[10] = "R_MIPS_PC16",
	[11] = "R_MIPS_CALL16",
	[12] = "R_MIPS_GPREL32",
	[13] = "R_MIPS_UNUSED1",
	[14] = "R_MIPS_UNUSED2",
	[15] = "R_MIPS_UNUSED3",
	[16] = "R_MIPS_SHIFT5",
	[17] = "R_MIPS_SHIFT6",
	[18] = "R_MIPS_64",
	[19] = "R_MIPS_GOT_DISP",
	[20] = "R_MIPS_GOT_PAGE",
	[21] = "R_MIPS_GOT_OFST",
	[22] = "R_MIPS_GOT_HI16",
	[23] = "R_MIPS_GOT_LO16",
	[24] = "R_MIPS_SUB",
	[25] = "R_MIPS_INSERT_A",
	[26] = "R_MIPS_INSERT_B",
	[27] = "R_MIPS_DELETE",
	[28] = "R_MIPS_HIGHER",
	[29] = "R_MIPS_HIGHEST",
	[30] = "R_MIPS_CALL_HI16",
	[31] = "R_MIPS_CALL_LO16",
	[32] = "R_MIPS_SCN_DISP",
	[33] = "R_MIPS_REL16",
	[34] = "R_MIPS_ADD_IMMEDIATE",
	[35] = "R_MIPS_PJUMP",
	[36] = "R_MIPS_RELGOT",
	[37] = "R_MIPS_JALR",
	[38] = "R_MIPS_TLS_DTPMOD32",
	[39] = "R_MIPS_TLS_DTPREL32",
	[40] = "R_MIPS_TLS_DTPMOD64",
	[41] = "R_MIPS_TLS_DTPREL64",
	[42] = "R_MIPS_TLS_GD",
	[43] = "R_MIPS_TLS_LDM",
	[44] = "R_MIPS_TLS_DTPREL_HI16",
	[45] = "R_MIPS_TLS_DTPREL_LO16",
	[46] = "R_MIPS_TLS_GOTTPREL",
	[47] = "R_MIPS_TLS_TPREL32",
	[48] = "R_MIPS_TLS_TPREL64",
	[49] = "R_MIPS_TLS_TPREL_HI16",
	[50] = "R_MIPS_TLS_TPREL_LO16",
	[51] = "R_MIPS_GLOB_DAT",
	[60] = "R_MIPS_PC21_S2",
	[61] = "R_MIPS_PC26_S2",
	[62] = "R_MIPS_PC18_S3",
	[63] = "R_MIPS_PC19_S2",
	[64] = "R_MIPS_PCHI16",
	[65] = "R_MIPS_PCLO16",
	[100] = "R_MIPS16_26",
	[101] = "R_MIPS16_GPREL",
	[102] = "R_MIPS16_GOT16",
	[103] = "R_MIPS16_CALL16",
	[104] = "R_MIPS16_HI16",
	[105] = "R_MIPS16_LO16",
	[106] = "R_MIPS16_TLS_GD",
	[107] = "R_MIPS16_TLS_LDM",
	[108] = "R_MIPS16_TLS_DTPREL_HI16",
	[109] = "R_MIPS16_TLS_DTPREL_LO16",
	[110] = "R_MIPS16_TLS_GOTTPREL",
	[111] = "R_MIPS16_TLS_TPREL_HI16",
	[112] = "R_MIPS16_TLS_TPREL_LO16",
	[113] = "R_MIPS16_PC16_S1",
	[126] = "R_MIPS_COPY",
	[127] = "R_MIPS_JUMP_SLOT",
	[133] = "R_MICROMIPS_26_S1",
	[134] = "R_MICROMIPS_HI16",
	[135] = "R_MICROMIPS_LO16",
	[136] = "R_MICROMIPS_GPREL16",
	[137] = "R_MICROMIPS_LITERAL",
	[138] = "R_MICROMIPS_GOT16",
	[139] = "R_MICROMIPS_PC7_S1",
	[140] = "R_MICROMIPS_PC10_S1",
	[141] = "R_MICROMIPS_PC16_S1",
	[142] = "R_MICROMIPS_CALL16",
	[145] = "R_MICROMIPS_GOT_DISP",
	[146] = "R_MICROMIPS_GOT_PAGE",
	[147] = "R_MICROMIPS_GOT_OFST",
	[148] = "R_MICROMIPS_GOT_HI16",
	[149] = "R_MICROMIPS_GOT_LO16",
	[150] = "R_MICROMIPS_SUB",
	[151] = "R_MICROMIPS_HIGHER",
	[152] = "R_MICROMIPS_HIGHEST",
	[153] = "R_MICROMIPS_CALL_HI16",
	[154] = "R_MICROMIPS_CALL_LO16",
	[155] = "R_MICROMIPS_SCN_DISP",
	[156] = "R_MICROMIPS_JALR",
	[157] = "R_MICROMIPS_HI0_LO16",
	[162] = "R_MICROMIPS_TLS_GD",
	[163] = "R_MICROMIPS_TLS_LDM",
	[164] = "R_MICROMIPS_TLS_DTPREL_HI16",
	[165] = "R_MICROMIPS_TLS_DTPREL_LO16",
	[166] = "R_MICROMIPS_TLS_GOTTPREL",
	[169] = "R_MICROMIPS_TLS_TPREL_HI16",
	[170] = "R_MICROMIPS_TLS_TPREL_LO16",
	[172] = "R_MICROMIPS_GPREL7_S2",
	[173] = "R_MICROMIPS_PC23_S2",
	[248] = "R_MIPS_PC32",
	[249] = "R_MIPS_EH",
	[250] = "R_MIPS_GNU_REL16_S2",
	[253] = "R_MIPS_GNU_VTINHERIT",
	[254] = "R_MIPS_GNU_VTENTRY",
};
#endif


/*
 * MIPS32 o32 relocations (REL: every addend is read back from the field). Formulas from
 * the SYSV ABI MIPS supplement, with GNU ld's choices where the ABI leaves room:
 *
 *   32, PC32      S + A, S + A - P                 data word, not checked
 *   16            S + A                            signed 16 bits, the low half of a data
 *                                                  word (as GNU ld has it; `as` makes none)
 *   26            (S + A) >> 2                     J/JAL: the target must lie in the
 *                                                  256 MiB segment of P + 4
 *   HI16          ((AHL + S) + 0x8000) >> 16       lui: the carry-adjusted high half
 *   LO16          (AHL + S) & 0xffff               not checked
 *   PC16          (S + A - P) >> 2                 branches, signed 18 bits
 *   GPREL16       S + A - _gp (+ gp0 if local)     signed 16 bits
 *   GPREL32       S + A - _gp (+ gp0 if local)     data word
 *   GOT16, CALL16 G - _gp                          the symbol's GOT slot, signed 16 bits
 *   JALR, NONE    nothing                          JALR is an optimisation hint
 *
 * AHL, the addend of a HI16/LO16 pair, is (AHI << 16) + (int16_t)ALO: a HI16 takes ALO
 * from the next LO16 against the same symbol (RF_PAIR_NEXT, r->pair); a LO16 needs only
 * its own low half, which is all it writes.
 *
 * _gp: the generic code lays out one GOT and knows nothing of small data. MIPS code
 * addresses the GOT from $gp = _gp with signed 16-bit offsets, and the ABI puts _gp
 * 0x7ff0 past the start of the GOT so that 64 KiB of it are in reach: _gp = GOT + 0x7ff0
 * here (RF_GOTBASE). GP-relative data (GPREL16/32) is measured from the same _gp, so it
 * must lie within 32 KiB of it, which only modules built for it (-G) arrange; GCC with -G0
 * makes none, but PIC switch tables are GPREL32 words (.gpword) all the same.
 *
 * gp0: a module made by `ld -r` is not what `as` wrote. ld gives the relocatable output a
 * gp of its own, gp0, records it in .reginfo (ri_gp_value), and rewrites the addend of
 * every GP-relative relocation against a local symbol to A - gp0, so that a final link
 * must add gp0 back (the ABI's A + S + GP0 - GP). Without a small-data section ld's gp0
 * is 0x7fef, not 0: every switch table of such a module (Debian's libz.a linked with
 * `ld -r --whole-archive`) would jump 0x7fef bytes short. `as` writes gp0 = 0, and ld
 * leaves the addends against global symbols alone, so those take no gp0. (GNU ld's own
 * final link adds gp0 to every GPREL32; only a GPREL32 against a global symbol, which
 * neither GCC nor `as` writes, would tell the two apart.)
 */
enum {
	R_NONE = 0,
	R_16 = 1,
	R_32 = 2,
	R_26 = 4,
	R_HI16 = 5,
	R_LO16 = 6,
	R_GPREL16 = 7,
	R_GOT16 = 9,
	R_PC16 = 10,
	R_CALL16 = 11,
	R_GPREL32 = 12,
	R_JALR = 37,
	R_PC32 = 248,
};

#define GP_OFFSET 0x7ff0u

/* The MIPS NOP (sll $0, $0, 0), written for a JAL to an undefined weak symbol. */
#define NOP 0x00000000u
#define OP_JAL 3u

static int info(uint32_t type, struct reloc_info *out)
{
	uint16_t flags = 0;
	uint8_t size = 4;

	switch (type) {
	case R_NONE:
	case R_JALR:
		flags = RF_NONE;
		size = 0;
		break;
	case R_16:
	case R_32:
	case R_LO16:
	case R_PC32:
		break;
	case R_26:
		/* A call to an import out of reach goes through its stub. */
		flags = RF_CALL | RF_NOTPC;
		break;
	case R_PC16:
		flags = RF_CALL;
		break;
	case R_HI16:
		flags = RF_PAIR_NEXT;
		break;
	case R_GPREL16:
	case R_GPREL32:
		flags = RF_GOTBASE;
		break;
	case R_GOT16:
		/* Against a local symbol (the LO16 partner follows): a page entry. */
		flags = RF_GOT | RF_GOTBASE | RF_PAIR_NEXT | RF_GOT_PAGE;
		break;
	case R_CALL16:
		flags = RF_GOT | RF_GOTBASE;
		break;
	default:
		return ELFMOD_ERELTYPE;
	}
	out->flags = flags;
	out->size = size;
	return 0;
}

static uint32_t pair_type(uint32_t type)
{
	(void)type; /* HI16 and GOT16 both pair with LO16 */
	return R_LO16;
}

/* Sign-extends v from the bit `sign` (a power of two), without signed conversions. */
static uint32_t sext(uint32_t v, uint32_t sign)
{
	v &= (sign << 1) - 1;
	return (v ^ sign) - sign;
}

/* The 32-bit value v as a signed 64-bit number, without an implementation-defined
 * conversion. */
static int64_t s32(uint32_t v)
{
	return (int64_t)(v & 0x7fffffffu) - (int64_t)(v & 0x80000000u);
}

static int addend(uint32_t type, const uint8_t *loc, int be, int64_t *A)
{
	uint32_t v;

	switch (type) {
	case R_NONE:
	case R_JALR:
		v = 0; /* no field: loc may point nowhere */
		break;
	case R_32:
	case R_GPREL32:
	case R_PC32:
		v = elfmod__get32(loc, be);
		break;
	case R_26:
		/* Sign-extended as ld does for a symbol: `jal ext - 8` holds 0x3fffffe. A
		 * section symbol's offset would be taken unsigned by ld, which differs only
		 * past 128 MiB into a section. */
		v = sext((elfmod__get32(loc, be) & 0x3ffffffu) << 2, 1u << 27);
		break;
	case R_HI16:
	case R_GOT16:
		/* AHI << 16: the pair's low half is added in apply(). */
		v = (elfmod__get32(loc, be) & 0xffffu) << 16;
		break;
	case R_16:
	case R_LO16:
	case R_GPREL16:
	case R_CALL16:
		v = sext(elfmod__get32(loc, be), 0x8000);
		break;
	case R_PC16:
		/* The offset counts from the delay slot: `b ext` holds -1, A = -4. */
		v = sext((elfmod__get32(loc, be) & 0xffffu) << 2, 1u << 17);
		break;
	default:
		return ELFMOD_ERELTYPE;
	}
	*A = s32(v);
	return 0;
}

/* Does the signed value v fit in `bits` bits? */
static int fits(int64_t v, unsigned bits)
{
	int64_t half = (int64_t)1 << (bits - 1);

	return v >= -half && v < half;
}

/* Puts the low 16 bits of v into the instruction's immediate. */
static void put_imm16(const struct reloc_args *r, uint32_t v)
{
	uint32_t insn = elfmod__get32(r->loc, r->big_endian);

	elfmod__put32(r->loc, (insn & 0xffff0000u) | (v & 0xffffu), r->big_endian);
}

/*
 * J/JAL: the target replaces the low 28 bits of the address of the delay slot, so it
 * must lie in that 256 MiB segment and be a word. An import out of it is reached through
 * its stub, which only works for the symbol itself (the stub jumps to S, not S + A); so
 * is every import of a module loaded to run on its host (see below).
 * A JAL to an undefined weak symbol becomes a NOP, as a call to nothing should; a J to
 * one is written as ld writes it (to the segment's start), unchecked.
 */
static int jump26(const struct reloc_args *r)
{
	int be = r->big_endian;
	uint32_t insn = elfmod__get32(r->loc, be), seg = ((uint32_t)r->P + 4) >> 28;
	int64_t t64 = (int64_t)r->S + r->A;
	uint32_t t = (uint32_t)t64;

	if (r->weak_undef) {
		if (insn >> 26 == OP_JAL)
			insn = NOP;
		else
			insn = (insn & 0xfc000000u) | (t >> 2 & 0x3ffffffu);
		elfmod__put32(r->loc, insn, be);
		return 0;
	}
	/* Host code is PIC o32, whose functions find their GOT from t9: a call into it from
	 * a module has to set t9, which the stub does and a bare JAL does not. */
	if ((t & 3) || t >> 28 != seg || t64 < 0 || t64 > 0xffffffff || (r->native && r->L && !r->A)) {
		t = (uint32_t)r->L;
		if (!r->L || r->A || t >> 28 != seg)
			return ELFMOD_ERANGE;
	}
	elfmod__put32(r->loc, (insn & 0xfc000000u) | (t >> 2 & 0x3ffffffu), be);
	return 0;
}

/*
 * Branches: S + A - P, A holding the -4 for the delay slot, in words, signed 18 bits.
 * An import out of reach is taken through its stub when the branch is to the symbol
 * itself (A = -4).
 */
static int branch16(const struct reloc_args *r)
{
	int64_t x = (int64_t)r->S + r->A - (int64_t)r->P;

	if ((x & 3) || !fits(x, 18)) {
		if (!r->L || r->A != -4)
			return ELFMOD_ERANGE;
		x = (int64_t)r->L + r->A - (int64_t)r->P;
		if ((x & 3) || !fits(x, 18))
			return ELFMOD_ERANGE;
	}
	put_imm16(r, (uint32_t)(x >> 2));
	return 0;
}

static int apply(const struct reloc_args *r)
{
	uint32_t S = (uint32_t)r->S, A = (uint32_t)r->A, P = (uint32_t)r->P, ahl;
	int64_t gp = (int64_t)r->GOT + GP_OFFSET, x;
	int be = r->big_endian;

	switch (r->type) {
	case R_NONE:
	case R_JALR:
		return 0;
	case R_32:
		elfmod__put32(r->loc, S + A, be);
		return 0;
	case R_PC32:
		elfmod__put32(r->loc, S + A - P, be);
		return 0;
	case R_16:
		x = (int64_t)r->S + r->A;
		if (!fits(x, 16))
			return ELFMOD_ERANGE;
		put_imm16(r, (uint32_t)x);
		return 0;
	case R_26:
		return jump26(r);
	case R_PC16:
		return branch16(r);
	case R_HI16:
		/* A lone HI16 (GCC may drop the LO16 of dead code) takes ALO as 0. */
		ahl = A + (r->has_pair ? sext((uint32_t)r->pair, 0x8000) : 0);
		/* _gp_disp is _gp - P, P being the HI16's place (the function's start). */
		if (r->sym_prel)
			S -= P;
		put_imm16(r, (S + ahl + 0x8000u) >> 16);
		return 0;
	case R_LO16:
		/* ... and the LO16 sits one instruction later: _gp - (P - 4). */
		if (r->sym_prel)
			S = S - P + 4;
		put_imm16(r, S + A);
		return 0;
	case R_GPREL16:
		x = (int64_t)r->S + r->A - gp + (r->sym_local ? s32((uint32_t)r->obj) : 0);
		if (!fits(x, 16))
			return ELFMOD_ERANGE;
		put_imm16(r, (uint32_t)x);
		return 0;
	case R_GPREL32:
		x = (int64_t)r->S + r->A - gp + (r->sym_local ? s32((uint32_t)r->obj) : 0);
		elfmod__put32(r->loc, (uint32_t)x, be);
		return 0;
	case R_GOT16:
		/*
		 * With a LO16 partner it is the local form: the GOT entry must hold the
		 * 64 KiB page of S + AHL, a value per relocation rather than per symbol,
		 * which a symbol's slot (holding S) cannot give.
		 */
		if (r->has_pair) {
			/* The slot holds the page (page_value); the LO16 adds the rest. */
			x = (int64_t)r->G - gp;
			if (!r->G || !fits(x, 16))
				return ELFMOD_ERANGE;
			put_imm16(r, (uint32_t)x);
			return 0;
		}
		/* fall through */
	case R_CALL16:
		/* The slot holds S and nothing else: an addend cannot be honoured. */
		if (r->A)
			return ELFMOD_ERANGE;
		x = (int64_t)r->G - gp;
		if (!r->G || !fits(x, 16))
			return ELFMOD_ERANGE;
		put_imm16(r, (uint32_t)x);
		return 0;
	default:
		return ELFMOD_ERELTYPE;
	}
}

/* GOT16 against a local symbol: the 64 KiB page of S + AHL, rounded as HI16 is. */
static uint64_t page_value(const struct reloc_args *r)
{
	uint32_t ahl = (uint32_t)r->A + (r->has_pair ? sext((uint32_t)r->pair, 0x8000) : 0);

	return ((uint32_t)r->S + ahl + 0x8000u) & 0xffff0000u;
}

/* .reginfo (SHT_MIPS_REGINFO, an Elf32_RegInfo): ri_gp_value, the gp0 of the header
 * comment, is its last word. */
#define SHT_MIPS_REGINFO 0x70000006u
#define REGINFO_SIZE 24
#define REGINFO_GP 20

static uint64_t gp0(const uint8_t *reginfo, int be)
{
	return elfmod__get32(reginfo + REGINFO_GP, be);
}

/* _gp is the GOT + 0x7ff0; _gp_disp is _gp taken from the place (the HI16/LO16 pair
 * at a PIC function's start); __gnu_local_gp is _gp for -mno-shared abicalls code. */
static int builtin(const char *name, uint64_t *got_off, uint8_t *prel)
{
	static const char *const gp_names[] = { "_gp", "__gnu_local_gp", "_gp_disp" };

	for (unsigned i = 0; i < 3; i++) {
		const char *a = name, *b = gp_names[i];
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b) {
			*got_off = GP_OFFSET;
			*prel = i == 2;
			return 1;
		}
	}
	return 0;
}

/*
 * The call stub, 16 bytes, in the object's byte order:
 *   lui   $t9, %hi(target)
 *   addiu $t9, $t9, %lo(target)
 *   jalr  $zero, $t9          (jr $t9; this encoding is valid before and after R6)
 *   nop                       (delay slot)
 * $t9 is the one register o32 lets a call stub change, and PIC callees expect their own
 * address in it, so they can be called through the stub too.
 */
#define STUB_SIZE 16

static void stub(uint8_t *wr, uint64_t at, uint64_t target, int be)
{
	uint32_t t = (uint32_t)target;

	(void)at; /* absolute */
	elfmod__put32(wr + 0, 0x3c190000u | ((t + 0x8000u) >> 16 & 0xffffu), be);
	elfmod__put32(wr + 4, 0x27390000u | (t & 0xffffu), be);
	elfmod__put32(wr + 8, 0x03200009u, be);
	elfmod__put32(wr + 12, NOP, be);
}

#define EF_MIPS_ABI2 0x00000020u       /* n32: RELA, another ABI */
#define EF_MIPS_FP64 0x00000200u
#define EF_MIPS_NAN2008 0x00000400u
#define EF_MIPS_ABI 0x0000f000u
#define EF_MIPS_ABI_O32 0x00001000u
#define EF_MIPS_ARCH 0xf0000000u
#define EF_MIPS_ARCH_32R6 0x90000000u
#define EF_MIPS_ARCH_64R6 0xa0000000u

#if defined(__mips__)
#if defined(__mips_nan2008)
#define HOST_NAN2008 1
#else
#define HOST_NAN2008 0
#endif
#if defined(__mips_fpr) && __mips_fpr == 64
#define HOST_FP64 1
#else
#define HOST_FP64 0
#endif
#if defined(__mips_isa_rev) && __mips_isa_rev >= 6
#define HOST_R6 1
#else
#define HOST_R6 0
#endif
#else
#define HOST_NAN2008 0
#define HOST_FP64 0
#define HOST_R6 0
#endif

/*
 * o32 objects only (the ABI field is O32, or 0 as old tools leave it); n32 is another
 * calling convention with RELA relocations. The NaN encoding, the FPU register model and
 * R6 (which reassigned opcodes) must be the host's.
 */
static int flags_ok(uint32_t f)
{
	uint32_t abi = f & EF_MIPS_ABI, arch = f & EF_MIPS_ARCH;
	int r6 = arch == EF_MIPS_ARCH_32R6 || arch == EF_MIPS_ARCH_64R6;

	if ((f & EF_MIPS_ABI2) || (abi != 0 && abi != EF_MIPS_ABI_O32))
		return 0;
	if (!!(f & EF_MIPS_NAN2008) != HOST_NAN2008 || r6 != HOST_R6)
		return 0;
	if ((f & EF_MIPS_FP64) && !HOST_FP64)
		return 0;
	return 1;
}

/* J/JAL keep the low 28 bits of the target; the segment is that of the delay slot. */
static uint64_t notpc_target(uint32_t type, int64_t A, uint64_t P)
{
	(void)type;
	return ((P + 4) & 0xf0000000u) | ((uint32_t)A & 0x0ffffffcu);
}

/* Dynamic relocations of shared objects and PIEs (o32). REL32 adds S (B for symbol 0)
 * to the word in place. */
static uint8_t dyn_kind(uint32_t type, uint8_t cls)
{
	(void)cls;
	switch (type) {
	case R_NONE: return DYN_NONE;
	case 2: return DYN_ABS;          /* R_MIPS_32 */
	case 3: return DYN_ABS;          /* R_MIPS_REL32 */
	case 126: return DYN_COPY;       /* R_MIPS_COPY */
	case 127: return DYN_GLOB;       /* R_MIPS_JUMP_SLOT */
	case 38: case 39: case 40: case 41: case 47: case 48:
		return DYN_TLS;          /* TLS_DTPMOD32/DTPREL32/..., TLS_TPREL32/64 */
	default: return DYN_UNSUPPORTED;
	}
}

#define DT_PLTGOT 3
#define DT_MIPS_LOCAL_GOTNO 0x7000000a
#define DT_MIPS_SYMTABNO 0x70000011
#define DT_MIPS_GOTSYM 0x70000013

/*
 * The GOT of a MIPS shared object is relocated without entries (the ABI's "implicit"
 * relocation): DT_PLTGOT's first DT_MIPS_LOCAL_GOTNO words hold link addresses of local
 * data and get the bias added, after entry 0 (lazy resolver) and, when its top bit is
 * set, entry 1 (the GNU module pointer), which are left 0; the entries after them hold
 * the addresses of dynamic symbols DT_MIPS_GOTSYM .. DT_MIPS_SYMTABNO - 1, in order.
 */
static int dyn_implicit(const struct dyn_view *v)
{
	uint64_t got, local, gotsym, symtabno;
	uint8_t *w;
	uint32_t first = 1;
	int rc;

	if (v->tag(v->ctx, DT_PLTGOT, &got) || v->tag(v->ctx, DT_MIPS_LOCAL_GOTNO, &local))
		return 0;
	if (v->tag(v->ctx, DT_MIPS_GOTSYM, &gotsym))
		gotsym = 0;
	if (v->tag(v->ctx, DT_MIPS_SYMTABNO, &symtabno) || symtabno < gotsym)
		symtabno = gotsym;
	if (local > 0x10000000u || symtabno - gotsym > 0x10000000u)
		return ELFMOD_ELIMIT;
	if (local && (rc = v->at(v->ctx, got, 4, &w)) == 0) {
		elfmod__put32(w, 0, v->big_endian);
		if (local > 1 && (rc = v->at(v->ctx, got + 4, 4, &w)) == 0 &&
		    (elfmod__get32(w, v->big_endian) & 0x80000000u)) {
			elfmod__put32(w, 0, v->big_endian);
			first = 2;
		}
	}
	for (uint32_t i = first; i < local; i++) {
		if ((rc = v->at(v->ctx, got + ((uint64_t)i << 2), 4, &w)))
			return rc;
		elfmod__put32(w, elfmod__get32(w, v->big_endian) + (uint32_t)v->bias, v->big_endian);
	}
	for (uint32_t j = (uint32_t)gotsym; j < symtabno; j++) {
		uint64_t S;
		if ((rc = v->at(v->ctx, got + ((local + j - gotsym) << 2), 4, &w)) ||
		    (rc = v->sym(v->ctx, j, &S)))
			return rc;
		elfmod__put32(w, (uint32_t)S, v->big_endian);
	}
	return 0;
}

const struct arch_desc elfmod__arch_mips = {
	.machine = ELFMOD_EM_MIPS,
	.name = "MIPS",
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
	.pair_type = pair_type,
	.flags_ok = flags_ok,
	.page_value = page_value,
	.builtin = builtin,
	.obj_value = gp0,
	.obj_sh_type = SHT_MIPS_REGINFO,
	.obj_size = REGINFO_SIZE,
	.dyn_kind = dyn_kind,
	.dyn_implicit = dyn_implicit,
	.notpc_target = notpc_target,
};
