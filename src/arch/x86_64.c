/*
 * elfmod: the x86-64 part.
 *
 * Everything elfmod knows about x86-64 relocations lives in this file, so
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
	[0] = "R_X86_64_NONE",
	[1] = "R_X86_64_64",
	[2] = "R_X86_64_PC32",
	[3] = "R_X86_64_GOT32",
	[4] = "R_X86_64_PLT32",
	[5] = "R_X86_64_COPY",
	[6] = "R_X86_64_GLOB_DAT",
	[7] = "R_X86_64_JUMP_SLOT",
	[8] = "R_X86_64_RELATIVE",
	[9] = "R_X86_64_GOTPCREL",
	[10] = "R_X86_64_32",
	[11] = "R_X86_64_32S",
	[12] = "R_X86_64_16",
	[13] = "R_X86_64_PC16",
	[14] = "R_X86_64_8",
	[15] = "R_X86_64_PC8",
	[16] = "R_X86_64_DTPMOD64",
	[17] = "R_X86_64_DTPOFF64",
	[18] = "R_X86_64_TPOFF64",
	[19] = "R_X86_64_TLSGD",
	[20] = "R_X86_64_TLSLD",
	[21] = "R_X86_64_DTPOFF32",
	[22] = "R_X86_64_GOTTPOFF",
	[23] = "R_X86_64_TPOFF32",
	[24] = "R_X86_64_PC64",
	[25] = "R_X86_64_GOTOFF64",
	[26] = "R_X86_64_GOTPC32",
	[27] = "R_X86_64_GOT64",
	[28] = "R_X86_64_GOTPCREL64",
	[29] = "R_X86_64_GOTPC64",
	[30] = "R_X86_64_GOTPLT64",
	[31] = "R_X86_64_PLTOFF64",
	[32] = "R_X86_64_SIZE32",
	[33] = "R_X86_64_SIZE64",
	[34] = "R_X86_64_GOTPC32_TLSDESC",
	[35] = "R_X86_64_TLSDESC_CALL",
	[36] = "R_X86_64_TLSDESC",
	[37] = "R_X86_64_IRELATIVE",
	[38] = "R_X86_64_RELATIVE64",
	[39] = "R_X86_64_PC32_BND",
	[40] = "R_X86_64_PLT32_BND",
	[41] = "R_X86_64_GOTPCRELX",
	[42] = "R_X86_64_REX_GOTPCRELX",
	[250] = "R_X86_64_GNU_VTINHERIT",
	[251] = "R_X86_64_GNU_VTENTRY",
};
#endif

enum {
	R_NONE = 0,
	R_64 = 1,
	R_PC32 = 2,
	R_GOT32 = 3,
	R_PLT32 = 4,
	R_GOTPCREL = 9,
	R_32 = 10,
	R_32S = 11,
	R_16 = 12,
	R_PC16 = 13,
	R_8 = 14,
	R_PC8 = 15,
	R_PC64 = 24,
	R_GOTOFF64 = 25,
	R_GOTPC32 = 26,
	R_GOT64 = 27,
	R_GOTPCREL64 = 28,
	R_GOTPC64 = 29,
	R_GOTPLT64 = 30,
	R_PLTOFF64 = 31,
	R_SIZE32 = 32,
	R_SIZE64 = 33,
	R_GOTPCRELX = 41,
	R_REX_GOTPCRELX = 42,
	R_LAST = R_REX_GOTPCRELX,
};

/*
 * How a field is range-checked. 0 means "type not supported", so the table below
 * needs no separate marker. The 8- and 16-bit absolute fields accept anything that
 * fits as signed or as unsigned: the producer cannot tell us which was meant. (GNU ld
 * also takes -2^n .. -2^(n-1)-1 there, and treats PC16 the same way: an address wrap
 * that only makes sense in a 16-bit address space, so it is refused here.)
 */
enum field {
	F_NONE = 1, /* no field at all */
	F_B8,       /* -0x80 .. 0xff */
	F_S8,
	F_B16,      /* -0x8000 .. 0xffff */
	F_S16,
	F_U32,
	F_S32,
	F_64,       /* any value: 64-bit arithmetic wraps exactly as the field does */
};

static const uint8_t field_size[] = {
	[F_NONE] = 0, [F_B8] = 1, [F_S8] = 1, [F_B16] = 2, [F_S16] = 2,
	[F_U32] = 4, [F_S32] = 4, [F_64] = 8,
};

struct kind {
	uint8_t flags; /* RF_* */
	uint8_t field; /* enum field; 0: unsupported */
};

/*
 * PC32 is not RF_CALL: undefined symbols carry no type in a relocatable object, so a
 * stub made for PC32 alone could become the target of a data reference (-fPIE code
 * reads imported data with PC32). As RF_PCREL only, it gets the module placed near
 * the import instead. When the symbol is also called (PLT32), it is a function, its
 * stub exists, and an out-of-reach PC32 may use it.
 * TLS, dynamic-only (COPY, GLOB_DAT, JUMP_SLOT, RELATIVE, IRELATIVE) and the
 * withdrawn MPX (_BND) types are left out.
 */
static const struct kind kinds[R_LAST + 1] = {
	[R_NONE] = { RF_NONE, F_NONE },
	[R_64] = { 0, F_64 },
	[R_PC32] = { RF_PCREL, F_S32 },
	[R_GOT32] = { RF_GOT | RF_GOTBASE, F_S32 },
	[R_PLT32] = { RF_CALL, F_S32 },
	[R_GOTPCREL] = { RF_GOT, F_S32 },
	[R_32] = { 0, F_U32 },
	[R_32S] = { 0, F_S32 },
	[R_16] = { 0, F_B16 },
	[R_PC16] = { RF_PCREL, F_S16 },
	[R_8] = { 0, F_B8 },
	[R_PC8] = { RF_PCREL, F_S8 },
	[R_PC64] = { RF_PCREL, F_64 },
	[R_GOTOFF64] = { RF_GOTBASE, F_64 },
	[R_GOTPC32] = { RF_GOTBASE, F_S32 },
	[R_GOT64] = { RF_GOT | RF_GOTBASE, F_64 },
	[R_GOTPCREL64] = { RF_GOT, F_64 },
	[R_GOTPC64] = { RF_GOTBASE, F_64 },
	[R_GOTPLT64] = { RF_GOT | RF_GOTBASE, F_64 },
	[R_PLTOFF64] = { RF_CALL | RF_GOTBASE, F_64 },
	[R_SIZE32] = { RF_SIZE, F_U32 },
	[R_SIZE64] = { RF_SIZE, F_64 },
	[R_GOTPCRELX] = { RF_GOT, F_S32 },
	[R_REX_GOTPCRELX] = { RF_GOT, F_S32 },
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

/* Range checks by adding the bias that maps the allowed range onto 0..max. */
static int fits(enum field f, uint64_t v)
{
	switch (f) {
	case F_B8:
		return v + 0x80 <= 0x17f;
	case F_S8:
		return v + 0x80 <= 0xff;
	case F_B16:
		return v + 0x8000 <= 0x17fff;
	case F_S16:
		return v + 0x8000 <= 0xffff;
	case F_U32:
		return v <= 0xffffffffu;
	case F_S32:
		return v + 0x80000000u <= 0xffffffffu;
	default:
		return 1;
	}
}

static int apply(const struct reloc_args *r)
{
	const struct kind *k = kind_of(r->type);
	uint64_t A = (uint64_t)r->A, v;

	if (!k)
		return ELFMOD_ERELTYPE;
	switch (r->type) {
	case R_NONE:
		return 0;
	case R_64:
	case R_32:
	case R_32S:
	case R_16:
	case R_8:
		v = r->S + A;
		break;
	case R_PC32:
	case R_PLT32:
		/* Like a static link: straight to the target when it is in reach. */
		v = r->S + A - r->P;
		/*
		 * Otherwise through the stub. Never for a data reference to an undefined
		 * weak symbol: the stub's address would make `&sym != NULL` true.
		 */
		if (!fits(F_S32, v) && r->L && (r->type == R_PLT32 || !r->weak_undef))
			v = r->L + A - r->P;
		break;
	case R_PC64:
	case R_PC16:
	case R_PC8:
		v = r->S + A - r->P;
		break;
	case R_GOT32:
	case R_GOT64:
	case R_GOTPLT64:
		/* The psABI's G is the slot's offset in the GOT; we are given its address. */
		v = r->G - r->GOT + A;
		break;
	case R_GOTPCREL:
	case R_GOTPCRELX:
	case R_REX_GOTPCRELX:
	case R_GOTPCREL64:
		/* No mov-to-lea relaxation: the slot holds S, and the code keeps loading it. */
		v = r->G + A - r->P;
		break;
	case R_GOTPC32:
	case R_GOTPC64:
		v = r->GOT + A - r->P;
		break;
	case R_GOTOFF64:
		v = r->S + A - r->GOT;
		break;
	case R_PLTOFF64:
		v = (r->L ? r->L : r->S) + A - r->GOT;
		break;
	case R_SIZE32:
	case R_SIZE64:
		v = r->Z + A;
		break;
	default:
		return ELFMOD_ERELTYPE;
	}
	if (!fits((enum field)k->field, v))
		return ELFMOD_ERANGE;
	/* x86-64 is little-endian whatever the host; loc may be unaligned. */
	switch (field_size[k->field]) {
	case 1:
		r->loc[0] = (uint8_t)v;
		break;
	case 2:
		elfmod__put16(r->loc, (uint16_t)v, 0);
		break;
	case 4:
		elfmod__put32(r->loc, (uint32_t)v, 0);
		break;
	default:
		elfmod__put64(r->loc, v, 0);
		break;
	}
	return 0;
}

/*
 * movabs $target, %r11; jmp *%r11; int3 padding. r11 is the psABI's scratch
 * register that PLT code may clobber; rax is not (it carries the vector register
 * count into variadic functions).
 */
#define STUB_SIZE 16

static void stub(uint8_t *wr, uint64_t at, uint64_t target, int big_endian)
{
	(void)at, (void)big_endian;
	wr[0] = 0x49;
	wr[1] = 0xbb;
	elfmod__put64(wr + 2, target, 0);
	wr[10] = 0x41;
	wr[11] = 0xff;
	wr[12] = 0xe3;
	for (int i = 13; i < STUB_SIZE; i++)
		wr[i] = 0xcc;
}

/* Dynamic relocations of shared objects and PIEs (psABI numbers). */
static uint8_t dyn_kind(uint32_t type, uint8_t cls)
{
	(void)cls;
	switch (type) {
	case 0: return DYN_NONE;         /* R_X86_64_NONE */
	case 1: return DYN_ABS;          /* R_X86_64_64 */
	case 5: return DYN_COPY;         /* R_X86_64_COPY */
	case 6: return DYN_GLOB;         /* R_X86_64_GLOB_DAT */
	case 7: return DYN_GLOB;         /* R_X86_64_JUMP_SLOT */
	case 8: return DYN_RELATIVE;     /* R_X86_64_RELATIVE */
	case 16: case 17: case 18: case 36:
		return DYN_TLS;          /* DTPMOD64, DTPOFF64, TPOFF64, TLSDESC */
	case 37: return DYN_IRELATIVE;   /* R_X86_64_IRELATIVE */
	default: return DYN_UNSUPPORTED;
	}
}

const struct arch_desc elfmod__arch_x86_64 = {
	.machine = ELFMOD_EM_X86_64,
	.name = "x86-64",
#if ELFMOD_CFG_RELOC_NAMES
	.reloc_names = names,
	.nreloc_names = sizeof(names) / sizeof(names[0]),
#else
	.reloc_names = NULL,
	.nreloc_names = 0,
#endif
	.classes = 2,
	.stub_size = STUB_SIZE,
	.stub_align = 16,
	.info = info,
	.addend = NULL, /* the psABI uses RELA only */
	.apply = apply,
	.stub = stub,
	.flags_ok = NULL, /* no e_flags of consequence */
	.far_hint = "PC-relative reference to a far import (rebuild the module with -fPIC)",
	.dyn_kind = dyn_kind,
};
