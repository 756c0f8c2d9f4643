/*
 * src/arch/arm.c built for a classic ARM core (ARMv5TE, ARMv6): ARM state, Thumb-1
 * without J1/J2 (BL reaches +-4 MiB), no NOP hints; TARGET2 as REL32 (bare metal);
 * hard-float modules only.
 */
#define ELFMOD_CFG_ARM_STATE 1
#define ELFMOD_CFG_ARM_THUMB2 0
#define ELFMOD_CFG_ARM_HINT_NOP 0
#define ELFMOD_CFG_ARM_FLOAT 2
#define ELFMOD_CFG_ARM_TARGET2_GOT 0
#define elfmod__arch_arm elfmod__arch_arm_v5
#include "arch/arm.c"
