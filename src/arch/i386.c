/*
 * elfmod: the i386 part.
 *
 * Everything elfmod knows about i386 relocations lives in this file, so
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
	[0] = "R_386_NONE",
	[1] = "R_386_32",
	[2] = "R_386_PC32",
	[3] = "R_386_GOT32",
	[4] = "R_386_PLT32",
	[5] = "R_386_COPY",
	[6] = "R_386_GLOB_DAT",
	[7] = "R_386_JUMP_SLOT",
	[8] = "R_386_RELATIVE",
	[9] = "R_386_GOTOFF",
	[10] = "R_386_GOTPC",
	[11] = "R_386_32PLT",
	[14] = "R_386_TLS_TPOFF",
	[15] = "R_386_TLS_IE",
	[16] = "R_386_TLS_GOTIE",
	[17] = "R_386_TLS_LE",
	[18] = "R_386_TLS_GD",
	[19] = "R_386_TLS_LDM",
	[20] = "R_386_16",
	[21] = "R_386_PC16",
	[22] = "R_386_8",
	[23] = "R_386_PC8",
	[24] = "R_386_TLS_GD_32",
	[25] = "R_386_TLS_GD_PUSH",
	[26] = "R_386_TLS_GD_CALL",
	[27] = "R_386_TLS_GD_POP",
	[28] = "R_386_TLS_LDM_32",
	[29] = "R_386_TLS_LDM_PUSH",
	[30] = "R_386_TLS_LDM_CALL",
	[31] = "R_386_TLS_LDM_POP",
	[32] = "R_386_TLS_LDO_32",
	[33] = "R_386_TLS_IE_32",
	[34] = "R_386_TLS_LE_32",
	[35] = "R_386_TLS_DTPMOD32",
	[36] = "R_386_TLS_DTPOFF32",
	[37] = "R_386_TLS_TPOFF32",
	[38] = "R_386_SIZE32",
	[39] = "R_386_TLS_GOTDESC",
	[40] = "R_386_TLS_DESC_CALL",
	[41] = "R_386_TLS_DESC",
	[42] = "R_386_IRELATIVE",
	[43] = "R_386_GOT32X",
	[200] = "R_386_USED_BY_INTEL_200",
	[250] = "R_386_GNU_VTINHERIT",
	[251] = "R_386_GNU_VTENTRY",
};
#endif

enum {
	R_NONE = 0,
	R_32 = 1,
	R_PC32 = 2,
	R_GOT32 = 3,
	R_PLT32 = 4,
	R_GOTOFF = 9,
	R_GOTPC = 10,
	R_16 = 20,
	R_PC16 = 21,
	R_8 = 22,
	R_PC8 = 23,
	R_SIZE32 = 38,
	R_GOT32X = 43,
	R_LAST = R_GOT32X,
};

/*
 * How a field is range-checked; 0 means "type not supported". 32-bit fields need no
 * check: the address space is 32 bits wide, so arithmetic modulo 2^32 always lands
 * where it should. The 8- and 16-bit absolute fields accept anything that fits as
 * signed or as unsigned, the PC-relative ones signed values only (GNU ld is wider:
 * -2^n .. 2^n-1 for all but PC8).
 */
enum field {
	F_NONE = 1,
	F_B8,  /* -0x80 .. 0xff */
	F_S8,
	F_B16, /* -0x8000 .. 0xffff */
	F_S16,
	F_32,
};

static const uint8_t field_size[] = {
	[F_NONE] = 0, [F_B8] = 1, [F_S8] = 1, [F_B16] = 2, [F_S16] = 2, [F_32] = 4,
};

struct kind {
	uint8_t flags; /* RF_* */
	uint8_t field; /* enum field; 0: unsupported */
};

/* TLS and the dynamic-only types (COPY, GLOB_DAT, JUMP_SLOT, RELATIVE, IRELATIVE) are left out. */
static const struct kind kinds[R_LAST + 1] = {
	[R_NONE] = { RF_NONE, F_NONE },
	[R_32] = { 0, F_32 },
	[R_PC32] = { RF_PCREL | RF_CALL, F_32 },
	[R_GOT32] = { RF_GOT | RF_GOTBASE, F_32 },
	[R_PLT32] = { RF_CALL, F_32 },
	[R_GOTOFF] = { RF_GOTBASE, F_32 },
	[R_GOTPC] = { RF_GOTBASE, F_32 },
	[R_16] = { 0, F_B16 },
	[R_PC16] = { RF_PCREL, F_S16 },
	[R_8] = { 0, F_B8 },
	[R_PC8] = { RF_PCREL, F_S8 },
	[R_SIZE32] = { RF_SIZE, F_32 },
	[R_GOT32X] = { RF_GOT | RF_GOTBASE, F_32 },
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
static uint64_t sext(uint64_t v, uint64_t sign)
{
	v &= (sign << 1) - 1;
	return (v ^ sign) - sign;
}

/* REL: the addend is the field's own contents, signed. */
static int addend(uint32_t type, const uint8_t *loc, int big_endian, int64_t *A)
{
	const struct kind *k = kind_of(type);
	uint64_t v;

	(void)big_endian; /* i386 is little-endian whatever the host */
	if (!k)
		return ELFMOD_ERELTYPE;
	switch (field_size[k->field]) {
	case 0:
		v = 0; /* no field: loc may point nowhere */
		break;
	case 1:
		v = sext(loc[0], 0x80);
		break;
	case 2:
		v = sext(elfmod__get16(loc, 0), 0x8000);
		break;
	default:
		v = sext(elfmod__get32(loc, 0), 0x80000000u);
		break;
	}
	memcpy(A, &v, sizeof(*A)); /* the same bits, without an implementation-defined conversion */
	return 0;
}

static int apply(const struct reloc_args *r)
{
	const struct kind *k = kind_of(r->type);
	uint32_t A = (uint32_t)r->A, S = (uint32_t)r->S, P = (uint32_t)r->P;
	uint32_t v;
	uint64_t sv;

	if (!k)
		return ELFMOD_ERELTYPE;
	switch (r->type) {
	case R_NONE:
		return 0;
	case R_32:
	case R_16:
	case R_8:
		v = S + A;
		break;
	case R_PC32:
	case R_PLT32:
		/*
		 * Every target is in reach of a 32-bit displacement, so a stub exists only
		 * when the load asked for one per import (ELFMOD_LOAD_PRELINK): the call
		 * then goes through it, and the import's address is a word of the image.
		 * PC32 counts as a call: i386 code reaches data absolutely or through the
		 * GOT, PC32 only in calls without -fPIC.
		 */
		v = (r->L && (r->type == R_PLT32 || !r->weak_undef) ? (uint32_t)r->L : S) + A - P;
		break;
	case R_PC16:
	case R_PC8:
		v = S + A - P;
		break;
	case R_GOT32:
	case R_GOT32X:
		/*
		 * Offset of the slot from the GOT base, for the base-register form PIC
		 * code uses. Not relaxed: the slot holds S and the code keeps loading it.
		 * (Non-PIC `movl foo@GOT, %eax` without a base register wants the slot's
		 * address; telling the forms apart takes the ModRM byte before the field,
		 * which is outside what we are given.)
		 */
		v = (uint32_t)r->G - (uint32_t)r->GOT + A;
		break;
	case R_GOTOFF:
		v = S + A - (uint32_t)r->GOT;
		break;
	case R_GOTPC:
		v = (uint32_t)r->GOT + A - P;
		break;
	case R_SIZE32:
		v = (uint32_t)r->Z + A;
		break;
	default:
		return ELFMOD_ERELTYPE;
	}
	sv = sext(v, 0x80000000u);
	switch (k->field) {
	case F_B8:
		if (sv + 0x80 > 0x17f)
			return ELFMOD_ERANGE;
		r->loc[0] = (uint8_t)v;
		break;
	case F_S8:
		if (sv + 0x80 > 0xff)
			return ELFMOD_ERANGE;
		r->loc[0] = (uint8_t)v;
		break;
	case F_B16:
		if (sv + 0x8000 > 0x17fff)
			return ELFMOD_ERANGE;
		elfmod__put16(r->loc, (uint16_t)v, 0);
		break;
	case F_S16:
		if (sv + 0x8000 > 0xffff)
			return ELFMOD_ERANGE;
		elfmod__put16(r->loc, (uint16_t)v, 0);
		break;
	default:
		elfmod__put32(r->loc, v, 0);
		break;
	}
	return 0;
}

/* Dynamic relocations of shared objects and PIEs (psABI numbers); PC32 only appears
 * as a text relocation. */
static uint8_t dyn_kind(uint32_t type, uint8_t cls)
{
	(void)cls;
	switch (type) {
	case 0: return DYN_NONE;         /* R_386_NONE */
	case 1: return DYN_ABS;          /* R_386_32 */
	case 2: return DYN_PC;           /* R_386_PC32 */
	case 5: return DYN_COPY;         /* R_386_COPY */
	case 6: return DYN_GLOB;         /* R_386_GLOB_DAT */
	case 7: return DYN_GLOB;         /* R_386_JMP_SLOT */
	case 8: return DYN_RELATIVE;     /* R_386_RELATIVE */
	case 14: case 35: case 36: case 37: case 41:
		return DYN_TLS;          /* TLS_TPOFF, DTPMOD32, DTPOFF32, TPOFF32, TLS_DESC */
	case 42: return DYN_IRELATIVE;   /* R_386_IRELATIVE */
	default: return DYN_UNSUPPORTED;
	}
}

/* push target; ret - 6 bytes that clobber no register (regparm code passes arguments
 * in eax, edx and ecx), the target a plain word at offset 1. */
#define STUB_SIZE 8

static void stub(uint8_t *wr, uint64_t at, uint64_t target, int big_endian)
{
	(void)at, (void)big_endian;
	wr[0] = 0x68;
	elfmod__put32(wr + 1, (uint32_t)target, 0);
	wr[5] = 0xc3;
	wr[6] = wr[7] = 0xcc;
}

static int reaches_all(uint32_t type, uint8_t cls)
{
	(void)type, (void)cls;
	return 1;
}

const struct arch_desc elfmod__arch_i386 = {
	.machine = ELFMOD_EM_386,
	.name = "i386",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
	.classes = 1,
	.stub_size = STUB_SIZE, /* made only for ELFMOD_LOAD_PRELINK: every call reaches */
	.stub_align = 8,
	.info = info,
	.addend = addend,
	.apply = apply,
	.stub = stub,
	.flags_ok = NULL, /* no e_flags of consequence */
	.reaches_all = reaches_all,
	.dyn_kind = dyn_kind,
};
