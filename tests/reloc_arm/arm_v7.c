/*
 * src/arch/arm.c built for ARMv7-A/R and ARMv7-M, what a build for a non-ARM host
 * relocates for: ARM state, Thumb-2, NOP hints, TARGET2 as GOT_PREL (Linux), any float
 * ABI. Fixed here so that the expectations hold on every host.
 */
#define ELFMOD_CFG_ARM_STATE 1
#define ELFMOD_CFG_ARM_THUMB2 1
#define ELFMOD_CFG_ARM_HINT_NOP 1
#define ELFMOD_CFG_ARM_FLOAT 0
#define ELFMOD_CFG_ARM_TARGET2_GOT 1
#define elfmod__arch_arm elfmod__arch_arm_v7
#include "arch/arm.c"
