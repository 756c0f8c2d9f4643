/*
 * src/arch/arm.c built for ARMv6-M (Cortex-M0): no ARM state, Thumb-1 with the J1/J2 BL
 * (+-16 MiB), no NOP.W; TARGET2 as REL32 (bare metal); soft-float modules only.
 */
#define ELFMOD_CFG_ARM_STATE 0
#define ELFMOD_CFG_ARM_THUMB2 0
#define ELFMOD_CFG_ARM_HINT_NOP 0
#define ELFMOD_CFG_ARM_FLOAT 1
#define ELFMOD_CFG_ARM_TARGET2_GOT 0
#define elfmod__arch_arm elfmod__arch_arm_v6m
#include "arch/arm.c"
