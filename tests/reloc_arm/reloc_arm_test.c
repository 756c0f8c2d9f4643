/*
 * The 32-bit ARM relocation engine (src/arch/arm.c), called through its descriptor as
 * src/module.c calls it: info, then addend (ARM objects use REL: the addend is read back
 * from the instruction or data word), then apply. The engine is built three times with
 * fixed core choices (arm_v7.c, arm_v5.c, arm_v6m.c) so that every expectation holds on
 * any host; the library's own descriptor is checked against the ARMv7 one where the
 * host is not ARM (there it is built for ARMv7 too).
 *
 * Every expected value was worked out by hand from AAELF's formulas and the ARM ARM's
 * encodings (several also appear in GNU ld's output in tests/oracle/arm). Fields are
 * written at an odd address (buf + 1), so a wide or aligned access would show under
 * UBSan, between guard bytes; a refused relocation must leave the bytes alone.
 */
#include "arch/arch.h"
#include "check.h"
#include "reloc_test.h"

#include <stdint.h>
#include <string.h>

extern const struct arch_desc elfmod__arch_arm_v7, elfmod__arch_arm_v5, elfmod__arch_arm_v6m;

/* Type numbers (AAELF). */
#define NONE 0
#define PC24 1
#define ABS32 2
#define REL32 3
#define THM_CALL 10
#define GOTOFF32 24
#define BASE_PREL 25
#define GOT_BREL 26
#define CALL 28
#define JUMP24 29
#define THM_JUMP24 30
#define TARGET1 38
#define V4BX 40
#define TARGET2 41
#define PREL31 42
#define MOVW_ABS_NC 43
#define MOVT_ABS 44
#define MOVW_PREL_NC 45
#define MOVT_PREL 46
#define THM_MOVW_ABS_NC 47
#define THM_MOVT_ABS 48
#define THM_MOVW_PREL_NC 49
#define THM_MOVT_PREL 50
#define THM_JUMP19 51
#define GOT_PREL 96
#define THM_JUMP11 102
#define THM_JUMP8 103

#define ERANGE_ ELFMOD_ERANGE

/* How the field is laid out, as the test writes it (independently of elfmod__put*). */
enum layout { WORD, ARM32, THM32, THM16 };

static enum layout layout_of(uint32_t type)
{
	switch (type) {
	case CALL: case JUMP24: case PC24: case MOVW_ABS_NC: case MOVT_ABS: case MOVW_PREL_NC:
	case MOVT_PREL: case V4BX:
		return ARM32;
	case THM_CALL: case THM_JUMP24: case THM_JUMP19: case THM_MOVW_ABS_NC: case THM_MOVT_ABS:
	case THM_MOVW_PREL_NC: case THM_MOVT_PREL:
		return THM32;
	case THM_JUMP11: case THM_JUMP8:
		return THM16;
	default:
		return WORD;
	}
}

/*
 * in/want: the field before and after. A32 instructions and data are one word; a 32-bit
 * Thumb instruction is written hi << 16 | lo (first halfword high, as objdump shows
 * "f7ff fffe"); a 16-bit one is the halfword.
 */
struct tc {
	uint32_t type;
	uint32_t in;
	uint64_t S, P, GOT, G, L;
	uint8_t weak; /* undefined weak symbol (S == 0) */
	uint8_t be;   /* big-endian object */
	int rc;
	uint32_t want;
	int line;
};

#define T(...) { __VA_ARGS__, .line = __LINE__ }

/* Instructions with the assembler's placeholder addend: the PC bias. */
#define BL_ 0xebfffffe    /* bl .      (A = -8) */
#define B_ 0xeafffffe     /* b .       */
#define BNE_ 0x1afffffe   /* bne .     */
#define BLEQ_ 0x0bfffffe  /* bleq .    */
#define BLX_ 0xfafffffe   /* blx .     (H = 0) */
#define TBL_ 0xf7fffffe   /* bl .      (A = -4) */
#define TBLX_ 0xf7ffeffe  /* blx .     */
#define TBW_ 0xf7ffbffe   /* b.w .     */
#define TBEQW_ 0xf43faffe /* beq.w .   */
#define TBNEW_ 0xf47faffe /* bne.w .   */
#define TB_ 0xe7fe        /* b.n .     */
#define TBEQ_ 0xd0fe      /* beq.n .   */
#define MOVW_ 0xe3000000  /* movw r0, #0 */
#define MOVT_ 0xe3400000  /* movt r0, #0 */
#define TMOVW_ 0xf2400000 /* movw r0, #0 */
#define TMOVT_ 0xf2c00000 /* movt r0, #0 */

static const struct tc v7_cases[] = {
	/* ---- A32 BL (CALL): S + A - P, +-32 MiB, words. */
	T(.type = CALL, .in = BL_, .S = 0x2000, .P = 0x1000, .want = 0xeb0003fe),
	T(.type = CALL, .in = BL_, .S = 0x0ff8, .P = 0x1000, .want = 0xebfffffc),
	T(.type = CALL, .in = BL_, .S = 0x2001004, .P = 0x1000, .want = 0xeb7fffff),
	T(.type = CALL, .in = BL_, .S = 0x2001008, .P = 0x1000, .rc = ERANGE_),
	T(.type = CALL, .in = BL_, .S = 0x1008, .P = 0x2001000, .want = 0xeb800000),
	T(.type = CALL, .in = BL_, .S = 0x1004, .P = 0x2001000, .rc = ERANGE_),
	/* An ARM target must be a word: bit 1 cannot be encoded in BL. */
	T(.type = CALL, .in = BL_, .S = 0x2002, .P = 0x1000, .rc = ERANGE_),
	/* Addend -0x1008 (bl . - 0x1000). */
	T(.type = CALL, .in = 0xebfffbfe, .S = 0x2000, .P = 0x1000, .want = 0xebfffffe),
	/* ... to Thumb code (bit 0 of S): BLX, H = bit 1 of the offset. */
	T(.type = CALL, .in = BL_, .S = 0x2001, .P = 0x1000, .want = 0xfa0003fe),
	T(.type = CALL, .in = BL_, .S = 0x2003, .P = 0x1000, .want = 0xfb0003fe),
	T(.type = CALL, .in = BL_, .S = 0x2001007, .P = 0x1000, .want = 0xfb7fffff),
	T(.type = CALL, .in = BL_, .S = 0x2001009, .P = 0x1000, .rc = ERANGE_),
	T(.type = CALL, .in = BL_, .S = 0x1009, .P = 0x2001000, .want = 0xfa800000),
	T(.type = CALL, .in = BL_, .S = 0x1007, .P = 0x2001000, .rc = ERANGE_),
	/* BLX stays BLX to Thumb code, becomes BL to ARM code. */
	T(.type = CALL, .in = BLX_, .S = 0x2003, .P = 0x1000, .want = 0xfb0003fe),
	T(.type = CALL, .in = BLX_, .S = 0x2000, .P = 0x1000, .want = 0xeb0003fe),
	/* Out of reach: the stub's ARM entry (L + 12), as BL whatever the target's state. */
	T(.type = CALL, .in = BL_, .S = 0x10000000, .P = 0x1000, .L = 0x3000, .want = 0xeb000801),
	T(.type = CALL, .in = BL_, .S = 0x10000001, .P = 0x1000, .L = 0x3000, .want = 0xeb000801),
	T(.type = CALL, .in = BLX_, .S = 0x10000001, .P = 0x1000, .L = 0x3000, .want = 0xeb000801),
	/* ... preferring the target itself when it is in reach, like ld. */
	T(.type = CALL, .in = BL_, .S = 0x2000, .P = 0x1000, .L = 0x3000, .want = 0xeb0003fe),
	T(.type = CALL, .in = BL_, .S = 0x10000000, .P = 0x1000, .L = 0x2001000 + 12, .rc = ERANGE_),
	T(.type = CALL, .in = BL_, .S = 0x10000000, .P = 0x1000, .L = 0x2001000 - 8, .want = 0xeb7fffff),
	/* Undefined weak: NOP (ld 2.40 for ARMv6K and later), stub or not. */
	T(.type = CALL, .in = BL_, .weak = 1, .P = 0x1000, .want = 0xe320f000),
	T(.type = CALL, .in = BL_, .weak = 1, .P = 0x10000000, .L = 0x3000, .want = 0xe320f000),
	T(.type = CALL, .in = BLX_, .weak = 1, .P = 0x1000, .want = 0xe320f000),

	/* ---- A32 B<c>, BL<c> (JUMP24): no state change in place. */
	T(.type = JUMP24, .in = B_, .S = 0x2000, .P = 0x1000, .want = 0xea0003fe),
	T(.type = JUMP24, .in = BNE_, .S = 0x2000, .P = 0x1000, .want = 0x1a0003fe),
	T(.type = JUMP24, .in = BLEQ_, .S = 0x0ff8, .P = 0x1000, .want = 0x0bfffffc),
	T(.type = JUMP24, .in = B_, .S = 0x2001004, .P = 0x1000, .want = 0xea7fffff),
	T(.type = JUMP24, .in = B_, .S = 0x2001008, .P = 0x1000, .rc = ERANGE_),
	T(.type = JUMP24, .in = BNE_, .S = 0x1008, .P = 0x2001000, .want = 0x1a800000),
	T(.type = JUMP24, .in = BNE_, .S = 0x1004, .P = 0x2001000, .rc = ERANGE_),
	/* To Thumb code: only through a stub (made for imports only), else refused. */
	T(.type = JUMP24, .in = B_, .S = 0x2001, .P = 0x1000, .rc = ERANGE_),
	T(.type = JUMP24, .in = BLEQ_, .S = 0x2001, .P = 0x1000, .rc = ERANGE_),
	T(.type = JUMP24, .in = B_, .S = 0x2001, .P = 0x1000, .L = 0x3000, .want = 0xea000801),
	T(.type = JUMP24, .in = BNE_, .S = 0x2001, .P = 0x1000, .L = 0x3000, .want = 0x1a000801),
	T(.type = JUMP24, .in = BLEQ_, .S = 0x2001, .P = 0x1000, .L = 0x3000, .want = 0x0b000801),
	T(.type = JUMP24, .in = B_, .S = 0x10000000, .P = 0x1000, .L = 0x3000, .want = 0xea000801),
	/* Undefined weak: NOP with the same condition. */
	T(.type = JUMP24, .in = B_, .weak = 1, .P = 0x1000, .want = 0xe320f000),
	T(.type = JUMP24, .in = BNE_, .weak = 1, .P = 0x1000, .want = 0x1320f000),
	T(.type = JUMP24, .in = BLEQ_, .weak = 1, .P = 0x1000, .want = 0x0320f000),

	/* ---- PC24 (deprecated): as CALL for BL, as JUMP24 for B. */
	T(.type = PC24, .in = BL_, .S = 0x2000, .P = 0x1000, .want = 0xeb0003fe),
	T(.type = PC24, .in = BL_, .S = 0x2001, .P = 0x1000, .want = 0xfa0003fe),
	T(.type = PC24, .in = BNE_, .S = 0x2001, .P = 0x1000, .rc = ERANGE_),
	T(.type = PC24, .in = B_, .weak = 1, .P = 0x1000, .want = 0xe320f000),

	/* ---- Thumb BL (THM_CALL): +-16 MiB, halfwords. */
	T(.type = THM_CALL, .in = TBL_, .S = 0x2001, .P = 0x1000, .want = 0xf000fffe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x0f01, .P = 0x1000, .want = 0xf7ffff7e),
	T(.type = THM_CALL, .in = TBL_, .S = 0x1001003, .P = 0x1000, .want = 0xf3ffd7ff),
	T(.type = THM_CALL, .in = TBL_, .S = 0x1001005, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_CALL, .in = TBL_, .S = 0x5, .P = 0x1000000, .want = 0xf400d000),
	T(.type = THM_CALL, .in = TBL_, .S = 0x3, .P = 0x1000000, .rc = ERANGE_),
	/* J1/J2 with S = 0 and I1 != I2. */
	T(.type = THM_CALL, .in = TBL_, .S = 0x801001, .P = 0x1000, .want = 0xf3fff7fe),
	/* Addend -0x1004 (bl . - 0x1000). */
	T(.type = THM_CALL, .in = 0xf7fefffe, .S = 0x2001, .P = 0x1000, .want = 0xf7fffffe),
	/* BLX to Thumb code becomes BL. */
	T(.type = THM_CALL, .in = TBLX_, .S = 0x2001, .P = 0x1000, .want = 0xf000fffe),
	/* BL to ARM code becomes BLX, counting from P rounded down to a word. */
	T(.type = THM_CALL, .in = TBL_, .S = 0x2000, .P = 0x1000, .want = 0xf000effe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x2000, .P = 0x1002, .want = 0xf000effe),
	T(.type = THM_CALL, .in = TBLX_, .S = 0x2000, .P = 0x1002, .want = 0xf000effe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x1001000, .P = 0x1000, .want = 0xf3ffc7fe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x1001004, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_CALL, .in = TBL_, .S = 0x1000004, .P = 0x2000002, .want = 0xf400c000),
	T(.type = THM_CALL, .in = TBL_, .S = 0x1000000, .P = 0x2000002, .rc = ERANGE_),
	/* ... an ARM target must be a word. */
	T(.type = THM_CALL, .in = TBL_, .S = 0x2002, .P = 0x1000, .rc = ERANGE_),
	/* Out of reach: the stub's Thumb entry, as BL whatever the target's state. */
	T(.type = THM_CALL, .in = TBL_, .S = 0x10000001, .P = 0x1000, .L = 0x3000, .want = 0xf001fffe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x10000000, .P = 0x1000, .L = 0x3000, .want = 0xf001fffe),
	T(.type = THM_CALL, .in = TBLX_, .S = 0x10000000, .P = 0x1000, .L = 0x3000, .want = 0xf001fffe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x2001, .P = 0x1000, .L = 0x3000, .want = 0xf000fffe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x10000001, .P = 0x1000, .L = 0x1001006, .rc = ERANGE_),
	/* Undefined weak: NOP.W. */
	T(.type = THM_CALL, .in = TBL_, .weak = 1, .P = 0x1000, .want = 0xf3af8000),
	T(.type = THM_CALL, .in = TBLX_, .weak = 1, .P = 0x10000000, .L = 0x3000, .want = 0xf3af8000),

	/* ---- Thumb B.W (THM_JUMP24). */
	T(.type = THM_JUMP24, .in = TBW_, .S = 0x2001, .P = 0x1000, .want = 0xf000bffe),
	T(.type = THM_JUMP24, .in = TBW_, .S = 0x1001003, .P = 0x1000, .want = 0xf3ff97ff),
	T(.type = THM_JUMP24, .in = TBW_, .S = 0x1001005, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_JUMP24, .in = TBW_, .S = 0x5, .P = 0x1000000, .want = 0xf4009000),
	T(.type = THM_JUMP24, .in = TBW_, .S = 0x3, .P = 0x1000000, .rc = ERANGE_),
	/* To ARM code: only through a stub. */
	T(.type = THM_JUMP24, .in = TBW_, .S = 0x2000, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_JUMP24, .in = TBW_, .S = 0x2000, .P = 0x1000, .L = 0x3000, .want = 0xf001bffe),
	T(.type = THM_JUMP24, .in = TBW_, .S = 0x10000001, .P = 0x1000, .L = 0x3000, .want = 0xf001bffe),
	T(.type = THM_JUMP24, .in = TBW_, .weak = 1, .P = 0x1000, .want = 0xf3af8000),

	/* ---- Thumb B<c>.W (THM_JUMP19): +-1 MiB. */
	T(.type = THM_JUMP19, .in = TBEQW_, .S = 0x2001, .P = 0x1000, .want = 0xf00087fe),
	T(.type = THM_JUMP19, .in = TBEQW_, .S = 0x101003, .P = 0x1000, .want = 0xf03fafff),
	T(.type = THM_JUMP19, .in = TBEQW_, .S = 0x101005, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_JUMP19, .in = TBNEW_, .S = 0x5, .P = 0x100000, .want = 0xf4408000),
	T(.type = THM_JUMP19, .in = TBNEW_, .S = 0x3, .P = 0x100000, .rc = ERANGE_),
	/* Addend -0x104 (bne.w . - 0x100): S:J2:J1:imm6:imm11 = 1:1:1:0x3f:0x77e. */
	T(.type = THM_JUMP19, .in = 0xf47faf7e, .S = 0x1101, .P = 0x1000, .want = 0xf47faffe),
	T(.type = THM_JUMP19, .in = TBEQW_, .S = 0x2000, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_JUMP19, .in = TBEQW_, .S = 0x2000, .P = 0x1000, .L = 0x3000, .want = 0xf00187fe),
	/* Undefined weak: branched to (0), as ld does, when in reach. */
	T(.type = THM_JUMP19, .in = TBEQW_, .weak = 1, .P = 0x1000, .want = 0xf43eaffe),
	T(.type = THM_JUMP19, .in = TBEQW_, .weak = 1, .P = 0x200000, .rc = ERANGE_),

	/* ---- Thumb B (THM_JUMP11) +-2 KiB and B<c> (THM_JUMP8) +-256. */
	T(.type = THM_JUMP11, .in = TB_, .S = 0x1101, .P = 0x1000, .want = 0xe07e),
	T(.type = THM_JUMP11, .in = TB_, .S = 0x1803, .P = 0x1000, .want = 0xe3ff),
	T(.type = THM_JUMP11, .in = TB_, .S = 0x1805, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_JUMP11, .in = TB_, .S = 0x0805, .P = 0x1000, .want = 0xe400),
	T(.type = THM_JUMP11, .in = TB_, .S = 0x0803, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_JUMP11, .in = TB_, .S = 0x1100, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_JUMP11, .in = 0xe77e, .S = 0x1101, .P = 0x1000, .want = 0xe7fe),
	T(.type = THM_JUMP8, .in = TBEQ_, .S = 0x1011, .P = 0x1000, .want = 0xd006),
	T(.type = THM_JUMP8, .in = TBEQ_, .S = 0x1103, .P = 0x1000, .want = 0xd07f),
	T(.type = THM_JUMP8, .in = TBEQ_, .S = 0x1105, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_JUMP8, .in = 0xd1fe, .S = 0x0f05, .P = 0x1000, .want = 0xd180),
	T(.type = THM_JUMP8, .in = 0xd1fe, .S = 0x0f03, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_JUMP8, .in = 0xd1f6, .S = 0x1021, .P = 0x1000, .want = 0xd106),

	/* ---- A32 MOVW/MOVT: imm4:imm12, the addend a signed 16-bit immediate. */
	T(.type = MOVW_ABS_NC, .in = MOVW_, .S = 0x12345679, .want = 0xe3050679),
	T(.type = MOVW_ABS_NC, .in = 0xe30f0ffc, .S = 0x20001, .want = 0xe30f0ffd),
	T(.type = MOVT_ABS, .in = MOVT_, .S = 0x12345679, .want = 0xe3410234),
	T(.type = MOVT_ABS, .in = 0xe34f0ffc, .S = 0x20001, .want = 0xe3400001),
	T(.type = MOVT_ABS, .in = 0xe3470fff, .S = 0x28001, .want = 0xe3400003),
	T(.type = MOVT_ABS, .in = 0xe3480000, .S = 0x20001, .want = 0xe3400001),
	T(.type = MOVT_ABS, .in = MOVT_ | 0x1000, .S = 0xfffff001, .want = 0xe34f1fff), /* Rd kept */
	T(.type = MOVW_PREL_NC, .in = MOVW_, .S = 0x2000, .P = 0x1000, .want = 0xe3010000),
	T(.type = MOVW_PREL_NC, .in = 0xe30f0ff8, .S = 0x1000, .P = 0x1000, .want = 0xe30f0ff8),
	T(.type = MOVT_PREL, .in = MOVT_, .S = 0x1000, .P = 0x2000, .want = 0xe34f0fff),
	T(.type = MOVT_PREL, .in = MOVT_, .S = 0x12345678, .P = 0x10, .want = 0xe3410234),

	/* ---- Thumb MOVW/MOVT: imm4:i:imm3:imm8. */
	T(.type = THM_MOVW_ABS_NC, .in = TMOVW_, .S = 0x12345679, .want = 0xf2456079),
	T(.type = THM_MOVW_ABS_NC, .in = TMOVW_, .S = 0x1fffd, .want = 0xf64f70fd),
	T(.type = THM_MOVW_ABS_NC, .in = 0xf248000d, .S = 0x20001, .want = 0xf248000e),
	T(.type = THM_MOVT_ABS, .in = TMOVT_, .S = 0x89ab0000, .want = 0xf6c810ab),
	T(.type = THM_MOVT_ABS, .in = 0xf2c80000, .S = 0x20001, .want = 0xf2c00001),
	T(.type = THM_MOVT_ABS, .in = 0xf6cf70fc, .S = 0x20001, .want = 0xf2c00001),
	T(.type = THM_MOVW_PREL_NC, .in = TMOVW_, .S = 0x2001, .P = 0x1000, .want = 0xf2410001),
	T(.type = THM_MOVT_PREL, .in = TMOVT_, .S = 0x1000, .P = 0x2000, .want = 0xf6cf70ff),
	T(.type = THM_MOVT_PREL, .in = 0xf2c00004, .S = 0x3fffc, .P = 0x0, .want = 0xf2c00004),

	/* ---- Data. AAELF's (S + A) | T: S already carries T. */
	T(.type = ABS32, .in = 0x10, .S = 0x1000, .want = 0x1010),
	T(.type = ABS32, .in = 0xfffffff0, .S = 0x1000, .want = 0xff0),
	T(.type = ABS32, .in = 0, .S = 0x2001, .want = 0x2001),
	T(.type = ABS32, .in = 4, .S = 0x2001, .want = 0x2005),
	T(.type = ABS32, .in = 0x20, .S = 0xfffffff0, .want = 0x10),
	T(.type = ABS32, .in = 1, .S = 0x3003, .want = 0x3004), /* data at an odd address */
	T(.type = TARGET1, .in = 0xfffffffc, .S = 0x2001, .want = 0x1ffd),
	T(.type = REL32, .in = 0, .S = 0x1000, .P = 0x2000, .want = 0xfffff000),
	T(.type = REL32, .in = 0x10, .S = 0x2001, .P = 0x1000, .want = 0x1011),
	T(.type = REL32, .in = 0, .S = 0xf0000000, .P = 0x1000, .want = 0xeffff000),
	T(.type = REL32, .in = 0, .weak = 1, .P = 0x1000, .want = 0xfffff000),
	/* TARGET2 as GOT_PREL here. */
	T(.type = TARGET2, .in = 0, .S = 0x1234, .G = 0x5000, .P = 0x1000, .want = 0x4000),
	T(.type = TARGET2, .in = 0xfffffff8, .S = 0x1234, .G = 0x5000, .P = 0x6000, .want = 0xffffeff8),
	/* PREL31: 31 bits, signed; bit 31 kept. */
	T(.type = PREL31, .in = 0x80000000, .S = 0x2000, .P = 0x1000, .want = 0x80001000),
	T(.type = PREL31, .in = 0x7ffffff0, .S = 0x1000, .P = 0x2000, .want = 0x7fffeff0),
	T(.type = PREL31, .in = 0x00000004, .S = 0x2001, .P = 0x1000, .want = 0x00001005),
	T(.type = PREL31, .in = 0, .S = 0x40000fff, .P = 0x1000, .want = 0x3fffffff),
	T(.type = PREL31, .in = 0x80000000, .S = 0x40001000, .P = 0x1000, .rc = ERANGE_),
	T(.type = PREL31, .in = 0, .S = 0x1000, .P = 0x40001000, .want = 0x40000000),
	T(.type = PREL31, .in = 0, .S = 0xfff, .P = 0x40001000, .rc = ERANGE_),
	/* ... an import out of reach: its stub, by the Thumb entry; never for a weak one. */
	T(.type = PREL31, .in = 0x80000000, .S = 0x90000000, .P = 0x1000, .L = 0x3000, .want = 0x80002001),
	T(.type = PREL31, .in = 0, .weak = 1, .P = 0x60000000, .L = 0x60001000, .rc = ERANGE_),
	T(.type = PREL31, .in = 0, .weak = 1, .P = 0x1000, .L = 0x2000, .want = 0x7ffff000),
	/* GOT relative. */
	T(.type = BASE_PREL, .in = 4, .S = 0x999, .GOT = 0x8000, .P = 0x1000, .want = 0x7004),
	T(.type = BASE_PREL, .in = 0, .GOT = 0x1000, .P = 0x8000, .want = 0xffff9000),
	T(.type = GOT_BREL, .in = 0, .S = 0x999, .GOT = 0x8000, .G = 0x8010, .want = 0x10),
	T(.type = GOT_BREL, .in = 0xfffffffc, .GOT = 0x8000, .G = 0x8010, .want = 0xc),
	T(.type = GOT_PREL, .in = 0xfffffff8, .G = 0x8010, .P = 0x1000, .want = 0x7008),
	T(.type = GOTOFF32, .in = 4, .S = 0x1000, .GOT = 0x8000, .want = 0xffff9004),

	/* ---- Big-endian objects (BE8: data big-endian, instructions little-endian). */
	T(.type = CALL, .in = BL_, .be = 1, .S = 0x2000, .P = 0x1000, .want = 0xeb0003fe),
	T(.type = CALL, .in = BL_, .be = 1, .S = 0x2003, .P = 0x1000, .want = 0xfb0003fe),
	T(.type = THM_CALL, .in = TBL_, .be = 1, .S = 0x2000, .P = 0x1002, .want = 0xf000effe),
	T(.type = THM_JUMP11, .in = TB_, .be = 1, .S = 0x1803, .P = 0x1000, .want = 0xe3ff),
	T(.type = THM_MOVW_ABS_NC, .in = TMOVW_, .be = 1, .S = 0x12345679, .want = 0xf2456079),
	T(.type = ABS32, .in = 0xfffffff0, .be = 1, .S = 0x1000, .want = 0xff0),
	T(.type = PREL31, .in = 0x80000000, .be = 1, .S = 0x2000, .P = 0x1000, .want = 0x80001000),
};

/* Where the classic core and ARMv6-M differ from ARMv7. */
static const struct tc v5_cases[] = {
	/* Thumb BL: +-4 MiB (the J1 = J2 = 1 pair of halfwords). */
	T(.type = THM_CALL, .in = TBL_, .S = 0x401003, .P = 0x1000, .want = 0xf3ffffff),
	T(.type = THM_CALL, .in = TBL_, .S = 0x401005, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_CALL, .in = TBL_, .S = 0x5, .P = 0x400000, .want = 0xf400f800),
	T(.type = THM_CALL, .in = TBL_, .S = 0x3, .P = 0x400000, .rc = ERANGE_),
	T(.type = THM_CALL, .in = TBL_, .S = 0x401000, .P = 0x1000, .want = 0xf3ffeffe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x401004, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_CALL, .in = TBL_, .S = 0x10000001, .P = 0x1000, .L = 0x3000, .want = 0xf001fffe),
	/* Undefined weak: ld's Thumb-1 sequence (b.n over a nop) and MOV r0, r0. */
	T(.type = THM_CALL, .in = TBL_, .weak = 1, .P = 0x1000, .want = 0xe000bf00),
	T(.type = THM_JUMP24, .in = TBW_, .weak = 1, .P = 0x1000, .want = 0xe000bf00),
	T(.type = CALL, .in = BL_, .weak = 1, .P = 0x1000, .want = 0xe1a00000),
	T(.type = JUMP24, .in = BNE_, .weak = 1, .P = 0x1000, .want = 0x11a00000),
	/* The rest as ARMv7. */
	T(.type = CALL, .in = BL_, .S = 0x2001, .P = 0x1000, .want = 0xfa0003fe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x2000, .P = 0x1002, .want = 0xf000effe),
	T(.type = THM_JUMP11, .in = TB_, .S = 0x1100, .P = 0x1000, .rc = ERANGE_),
	/* TARGET2 as REL32. */
	T(.type = TARGET2, .in = 0, .S = 0x1000, .G = 0x5000, .P = 0x2000, .want = 0xfffff000),
};

static const struct tc v6m_cases[] = {
	/* No ARM state: every target is Thumb code, BL is never made BLX. */
	T(.type = THM_CALL, .in = TBL_, .S = 0x2000, .P = 0x1000, .want = 0xf000fffe),
	T(.type = THM_CALL, .in = TBL_, .S = 0x2001, .P = 0x1002, .want = 0xf000fffd),
	T(.type = THM_CALL, .in = TBL_, .S = 0x1001002, .P = 0x1000, .want = 0xf3ffd7ff),
	T(.type = THM_CALL, .in = TBL_, .S = 0x1001004, .P = 0x1000, .rc = ERANGE_),
	T(.type = THM_CALL, .in = TBL_, .S = 0x4, .P = 0x1000000, .want = 0xf400d000),
	T(.type = THM_JUMP24, .in = TBW_, .S = 0x2000, .P = 0x1000, .want = 0xf000bffe),
	T(.type = THM_JUMP19, .in = TBEQW_, .S = 0x2000, .P = 0x1000, .want = 0xf00087fe),
	T(.type = THM_JUMP11, .in = TB_, .S = 0x1100, .P = 0x1000, .want = 0xe07e),
	T(.type = THM_JUMP8, .in = TBEQ_, .S = 0x1010, .P = 0x1000, .want = 0xd006),
	T(.type = THM_CALL, .in = TBL_, .S = 0x10000000, .P = 0x1000, .L = 0x3000, .want = 0xf001fffe),
	/* Undefined weak: the Thumb-1 sequence (no NOP.W on ARMv6-M). */
	T(.type = THM_CALL, .in = TBL_, .weak = 1, .P = 0x1000, .want = 0xe000bf00),
	/* TARGET2 as REL32. */
	T(.type = TARGET2, .in = 4, .S = 0x2001, .G = 0x5000, .P = 0x1000, .want = 0x1005),
};

/* The addend as read back from each instruction format, negative ones included. */
struct ac {
	uint32_t type;
	uint32_t in;
	int64_t A;
	int line;
};

#define AC(t, i, a) { t, i, a, __LINE__ }

static const struct ac addends[] = {
	AC(ABS32, 0x7fffffff, 0x7fffffff), AC(ABS32, 0x80000000, -0x80000000LL),
	AC(ABS32, 0xfffffffc, -4), AC(REL32, 0x12345678, 0x12345678), AC(TARGET1, 0xffffffff, -1),
	AC(TARGET2, 0xfffffff0, -16), AC(BASE_PREL, 4, 4), AC(GOT_BREL, 0xfffffffc, -4),
	AC(GOT_PREL, 8, 8), AC(GOTOFF32, 0x80000001, -0x7fffffffLL),
	/* PREL31: bit 31 is not part of it. */
	AC(PREL31, 0x80000000, 0), AC(PREL31, 0x3fffffff, 0x3fffffff), AC(PREL31, 0x40000000, -0x40000000LL),
	AC(PREL31, 0xfffffff0, -16), AC(PREL31, 0x7ffffff0, -16),
	/* A32 B/BL/BLX: imm24 * 4 (+ H * 2 for BLX), the condition ignored. */
	AC(CALL, 0xebfffffe, -8), AC(CALL, 0xeb7fffff, 0x1fffffc), AC(CALL, 0xeb800000, -0x2000000),
	AC(CALL, 0xeb000000, 0), AC(CALL, 0xfafffffe, -8), AC(CALL, 0xfbfffffe, -6),
	AC(CALL, 0xfb7fffff, 0x1fffffe), AC(JUMP24, 0x1afffbfe, -0x1008), AC(JUMP24, 0x0a000010, 0x40),
	AC(PC24, 0xeafffffe, -8),
	/* A32 MOVW/MOVT: signed 16 bits. */
	AC(MOVW_ABS_NC, 0xe3050678, 0x5678), AC(MOVW_ABS_NC, 0xe30f0ffc, -4),
	AC(MOVT_ABS, 0xe3470fff, 0x7fff), AC(MOVT_ABS, 0xe3480000, -0x8000),
	AC(MOVW_PREL_NC, 0xe30f0ff8, -8), AC(MOVT_PREL, 0xe34f0ff4, -12), AC(MOVT_PREL, 0xe3400000, 0),
	/* Thumb BL/BLX/B.W: S:I1:I2:imm10:imm11 * 2, I = NOT(J XOR S). */
	AC(THM_CALL, 0xf7fffffe, -4), AC(THM_CALL, 0xf3ffd7ff, 0xfffffe), AC(THM_CALL, 0xf400d000, -0x1000000),
	AC(THM_CALL, 0xf000f800, 0), AC(THM_CALL, 0xf000d000, 0xc00000), AC(THM_CALL, 0xf7ffeffe, -4),
	AC(THM_CALL, 0xf7fefffe, -0x1004), AC(THM_CALL, 0xf3fffffe, 0x3ffffc),
	AC(THM_JUMP24, 0xf7ffbffe, -4), AC(THM_JUMP24, 0xf0009000, 0xc00000),
	/* Thumb B<c>.W: S:J2:J1:imm6:imm11 * 2. */
	AC(THM_JUMP19, 0xf43faffe, -4), AC(THM_JUMP19, 0xf03fafff, 0xffffe), AC(THM_JUMP19, 0xf4408000, -0x100000),
	AC(THM_JUMP19, 0xf0008800, 0x80000), AC(THM_JUMP19, 0xf000a000, 0x40000),
	AC(THM_JUMP19, 0xf47faf7e, -0x104),
	/* Thumb MOVW/MOVT: imm4:i:imm3:imm8, signed 16 bits. */
	AC(THM_MOVW_ABS_NC, 0xf2456079, 0x5679), AC(THM_MOVW_ABS_NC, 0xf64f70fc, -4),
	AC(THM_MOVT_ABS, 0xf2c80000, -0x8000), AC(THM_MOVT_ABS, 0xf6c77fff, 0x7fff),
	AC(THM_MOVW_PREL_NC, 0xf2404000, 0x400), AC(THM_MOVT_PREL, 0xf6cf70f0, -16),
	/* Thumb B and B<c> (16-bit). */
	AC(THM_JUMP11, 0xe7fe, -4), AC(THM_JUMP11, 0xe3ff, 0x7fe), AC(THM_JUMP11, 0xe400, -0x800),
	AC(THM_JUMP8, 0xd0fe, -4), AC(THM_JUMP8, 0xd07f, 0xfe), AC(THM_JUMP8, 0xd180, -0x100),
};

static char ctx[160];

/* The field's bytes as the test lays them out (independently of elfmod__get/put). */
/* Instructions are laid out little-endian whatever `be` says: big-endian ARM is BE8, and
 * by the time a relocation is applied the loader has swapped the object's instructions. */
static unsigned lay(uint8_t *p, uint32_t type, uint32_t v, int be)
{
	switch (layout_of(type)) {
	case ARM32:
		return lay(p, ABS32, v, 0);
	case THM16:
		be = 0;
		p[be ? 0 : 1] = (uint8_t)(v >> 8);
		p[be ? 1 : 0] = (uint8_t)v;
		return 2;
	case THM32:
		lay(p, THM_JUMP11, v >> 16, be);
		lay(p + 2, THM_JUMP11, v & 0xffff, be);
		return 4;
	default:
		for (int i = 0; i < 4; i++)
			p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
		return 4;
	}
}

static const char *nm(uint32_t type)
{
	const char *n = elfmod_reloc_name(ELFMOD_EM_ARM, type);

	return n ? n : "?";
}

/* One case through info, addend and apply, on the field at buf + 1. */
static void run(const struct arch_desc *arch, const char *cfg, const struct tc *c)
{
	uint8_t buf[16], before[4], want[4];
	struct reloc_info ri;
	struct reloc_args a;
	unsigned n;

	snprintf(ctx, sizeof(ctx), "%s %s line %d", cfg, nm(c->type), c->line);
	check_ctx = ctx;
	memset(&ri, 0, sizeof(ri));
	CHECK_RC(arch->info(c->type, &ri), 0);
	memset(buf, GUARD, sizeof(buf));
	n = lay(buf + 1, c->type, c->in, c->be);
	CHECK_EQ(ri.size, n);
	memcpy(before, buf + 1, n);

	memset(&a, 0, sizeof(a));
	a.type = c->type;
	a.big_endian = c->be;
	a.weak_undef = c->weak;
	a.loc = buf + 1;
	a.S = c->S;
	a.P = c->P;
	a.GOT = c->GOT;
	a.G = c->G;
	a.L = c->L;
	a.A = 0x5a5a5a5a;
	CHECK_RC(arch->addend(c->type, buf + 1, c->be, &a.A), 0);
	CHECK_RC(arch->apply(&a), c->rc);
	if (c->rc == 0) {
		lay(want, c->type, c->want, c->be);
		CHECK(memcmp(buf + 1, want, n) == 0);
		if (memcmp(buf + 1, want, n)) {
			fprintf(stderr, "  wrote");
			for (unsigned i = 0; i < n; i++)
				fprintf(stderr, " %02x", buf[1 + i]);
			fprintf(stderr, ", want 0x%08lx\n", (unsigned long)c->want);
		}
	} else {
		CHECK(memcmp(buf + 1, before, n) == 0);
	}
	CHECK(guards_ok(buf, sizeof(buf), 1, 1 + n));
}

static void run_all(const struct arch_desc *arch, const char *cfg, const struct tc *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run(arch, cfg, &c[i]);
}

static void check_addends(const struct arch_desc *arch)
{
	for (size_t i = 0; i < sizeof(addends) / sizeof(addends[0]); i++) {
		const struct ac *c = &addends[i];
		uint8_t buf[8];
		int64_t A = 0x5a5a5a5a;

		for (int be = 0; be <= 1; be++) {
			snprintf(ctx, sizeof(ctx), "addend %s line %d%s", nm(c->type), c->line, be ? " BE" : "");
			check_ctx = ctx;
			memset(buf, GUARD, sizeof(buf));
			lay(buf + 1, c->type, c->in, be);
			CHECK_RC(arch->addend(c->type, buf + 1, be, &A), 0);
			CHECK_EQ(A, c->A);
		}
	}
}

/* What each type asks of the generic code, and its field size. */
struct fc {
	uint32_t type;
	uint16_t flags;
	uint8_t size;
};

static const struct fc v7_flags[] = {
	{ NONE, RF_NONE, 0 }, { PC24, RF_CALL, 4 }, { ABS32, 0, 4 }, { REL32, 0, 4 },
	{ THM_CALL, RF_CALL, 4 }, { GOTOFF32, RF_GOTBASE, 4 }, { BASE_PREL, RF_GOTBASE, 4 },
	{ GOT_BREL, RF_GOT | RF_GOTBASE, 4 }, { CALL, RF_CALL, 4 }, { JUMP24, RF_CALL, 4 },
	{ THM_JUMP24, RF_CALL, 4 }, { TARGET1, 0, 4 }, { V4BX, RF_NONE, 0 }, { TARGET2, RF_GOT, 4 },
	{ PREL31, RF_CALL, 4 }, { MOVW_ABS_NC, 0, 4 }, { MOVT_ABS, RF_HIGH, 4 }, { MOVW_PREL_NC, 0, 4 },
	{ MOVT_PREL, RF_HIGH, 4 }, { THM_MOVW_ABS_NC, 0, 4 }, { THM_MOVT_ABS, RF_HIGH, 4 },
	{ THM_MOVW_PREL_NC, 0, 4 }, { THM_MOVT_PREL, RF_HIGH, 4 }, { THM_JUMP19, RF_CALL, 4 },
	{ GOT_PREL, RF_GOT, 4 }, { THM_JUMP11, 0, 2 }, { THM_JUMP8, 0, 2 },
};

static void check_info(const struct arch_desc *arch, const char *cfg, int t2got)
{
	struct reloc_info ri;

	for (size_t i = 0; i < sizeof(v7_flags) / sizeof(v7_flags[0]); i++) {
		const struct fc *f = &v7_flags[i];
		uint16_t want = f->flags;

		/* Where TARGET2 is REL32 it needs no GOT slot. */
		if (f->type == TARGET2 && !t2got)
			want = 0;
		snprintf(ctx, sizeof(ctx), "%s info %s", cfg, nm(f->type));
		check_ctx = ctx;
		CHECK_RC(arch->info(f->type, &ri), 0);
		CHECK_EQ(ri.flags, want);
		CHECK_EQ(ri.size, f->size);
	}
	/* Everything else is refused by every entry point, before anything is read. */
	snprintf(ctx, sizeof(ctx), "%s unsupported", cfg);
	check_ctx = ctx;
	for (uint32_t t = 0; t < 300; t++) {
		int known = 0;
		struct reloc_args a;
		int64_t A;

		for (size_t i = 0; i < sizeof(v7_flags) / sizeof(v7_flags[0]); i++)
			known |= v7_flags[i].type == t;
		if (known)
			continue;
		CHECK_RC(arch->info(t, &ri), ELFMOD_ERELTYPE);
		CHECK_RC(arch->addend(t, NULL, 0, &A), ELFMOD_ERELTYPE);
		memset(&a, 0, sizeof(a));
		a.type = t;
		CHECK_RC(arch->apply(&a), ELFMOD_ERELTYPE);
	}
	CHECK_RC(arch->info(0xffffffffu, &ri), ELFMOD_ERELTYPE);
	CHECK_RC(arch->info(1u << 8 | CALL, &ri), ELFMOD_ERELTYPE);
	CHECK_EQ(arch->classes, 1);
	CHECK_EQ(arch->machine, ELFMOD_EM_ARM);
}

/* NONE and V4BX: nothing written, nothing read (loc may point nowhere). */
static void check_noops(const struct arch_desc *arch)
{
	static const uint32_t types[] = { NONE, V4BX };

	for (size_t i = 0; i < 2; i++) {
		uint8_t buf[8];
		struct reloc_args a;
		int64_t A = 7;

		snprintf(ctx, sizeof(ctx), "%s", nm(types[i]));
		check_ctx = ctx;
		memset(buf, GUARD, sizeof(buf));
		CHECK_RC(arch->addend(types[i], NULL, 0, &A), 0);
		CHECK_EQ(A, 0);
		memset(&a, 0, sizeof(a));
		a.type = types[i];
		a.loc = buf + 1;
		a.S = 0x1234;
		CHECK_RC(arch->apply(&a), 0);
		CHECK(guards_ok(buf, sizeof(buf), 0, 0));
	}
}

/* The stub: decoded byte for byte, little- and big-endian. */
static void check_stub(const struct arch_desc *arch, const char *cfg, uint32_t target, uint32_t word)
{
	static const uint8_t le_code[16] = { 0x03, 0xb4, 0x01, 0x48, 0x01, 0x90, 0x01, 0xbd,
					     0, 0, 0, 0, 0x0c, 0xf0, 0x1f, 0xe5 };
	/* BE8: the instructions stay little-endian; only the target word is big-endian. */
	static const uint8_t be_code[16] = { 0x03, 0xb4, 0x01, 0x48, 0x01, 0x90, 0x01, 0xbd,
					     0, 0, 0, 0, 0x0c, 0xf0, 0x1f, 0xe5 };
	uint8_t buf[20], want[16];

	snprintf(ctx, sizeof(ctx), "%s stub", cfg);
	check_ctx = ctx;
	CHECK_EQ(arch->stub_size, 16);
	CHECK_EQ(arch->stub_align, 4);
	for (int be = 0; be <= 1; be++) {
		memset(buf, GUARD, sizeof(buf));
		arch->stub(buf + 2, 0x20000000, target, be);
		memcpy(want, be ? be_code : le_code, 16);
		lay(want + 8, ABS32, word, be);
		CHECK(memcmp(buf + 2, want, 16) == 0);
		CHECK(guards_ok(buf, sizeof(buf), 2, 18));
	}
}

static void check_flags_ok(void)
{
	static const struct {
		uint32_t flags;
		uint8_t v7, v5, v6m;
	} f[] = {
		{ 0x05000000, 1, 1, 1 },  /* EABI 5, no float ABI stated */
		{ 0x05000400, 1, 1, 0 },  /* hard-float */
		{ 0x05000200, 1, 0, 1 },  /* soft-float */
		{ 0x05000600, 0, 0, 0 },  /* both: malformed */
		{ 0x05800000, 0, 0, 0 },  /* BE8 */
		{ 0x05800400, 0, 0, 0 },
		{ 0x04000000, 0, 0, 0 },  /* EABI 4 */
		{ 0x00000000, 0, 0, 0 },  /* GNU (pre-EABI) */
		{ 0x06000000, 0, 0, 0 },
		{ 0x05000002, 1, 1, 1 },  /* other bits do not matter */
	};

	check_ctx = "flags_ok";
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		CHECK_EQ(elfmod__arch_arm_v7.flags_ok(f[i].flags), f[i].v7);
		CHECK_EQ(elfmod__arch_arm_v5.flags_ok(f[i].flags), f[i].v5);
		CHECK_EQ(elfmod__arch_arm_v6m.flags_ok(f[i].flags), f[i].v6m);
	}
}

int main(void)
{
	check_info(&elfmod__arch_arm_v7, "v7", 1);
	check_info(&elfmod__arch_arm_v5, "v5", 0);
	check_info(&elfmod__arch_arm_v6m, "v6m", 0);
	check_addends(&elfmod__arch_arm_v7);
	check_noops(&elfmod__arch_arm_v7);
	run_all(&elfmod__arch_arm_v7, "v7", v7_cases, sizeof(v7_cases) / sizeof(v7_cases[0]));
	run_all(&elfmod__arch_arm_v5, "v5", v5_cases, sizeof(v5_cases) / sizeof(v5_cases[0]));
	run_all(&elfmod__arch_arm_v6m, "v6m", v6m_cases, sizeof(v6m_cases) / sizeof(v6m_cases[0]));
	check_stub(&elfmod__arch_arm_v7, "v7", 0x12345679, 0x12345679);
	check_stub(&elfmod__arch_arm_v7, "v7", 0x12345678, 0x12345678);
	/* On M profile the target is always Thumb code. */
	check_stub(&elfmod__arch_arm_v6m, "v6m", 0x12345678, 0x12345679);
	check_flags_ok();
#if !defined(__arm__)
	/* The library's engine, built for this non-ARM host, is the ARMv7 one. */
	check_ctx = "library descriptor";
	CHECK(elfmod__arch_find(ELFMOD_EM_ARM) == &elfmod__arch_arm);
	CHECK(elfmod__arch_arm.stub_size == 16 && elfmod__arch_arm.classes == 1);
	run_all(&elfmod__arch_arm, "lib", v7_cases, sizeof(v7_cases) / sizeof(v7_cases[0]));
	check_stub(&elfmod__arch_arm, "lib", 0x12345678, 0x12345678);
	check_info(&elfmod__arch_arm, "lib", 1);
#endif
	return check_done("reloc_arm");
}
