/* SPDX-License-Identifier: MIT */
/*
 * Memory-type range registers: read once, looked up when the EPT is built
 * (SDM Vol. 3A 12.11 "Memory Type Range Registers"). The lookup is portable: unit tests
 * feed it a struct mtrr_state by hand.
 */
#ifndef HV_MTRR_H
#define HV_MTRR_H

#include "hv/types.h"

#define MSR_IA32_MTRR_PHYSBASE0	   0x200
#define MSR_IA32_MTRR_FIX64K_00000 0x250
#define MSR_IA32_MTRR_FIX16K_80000 0x258
#define MSR_IA32_MTRR_FIX16K_A0000 0x259
#define MSR_IA32_MTRR_FIX4K_C0000  0x268
#define MSR_IA32_MTRR_DEF_TYPE	   0x2ff

#define MTRRCAP_VCNT_MASK 0xffu
#define MTRRCAP_FIX	  BIT(8)
#define MTRR_DEF_TYPE_FE  BIT(10)
#define MTRR_DEF_TYPE_E	  BIT(11)
#define MTRR_PHYSMASK_V	  BIT(11)

/* Memory types (SDM Vol. 3A Table 12-8); the EPT uses the same numbers. */
#define MEMTYPE_UC 0
#define MEMTYPE_WC 1
#define MEMTYPE_WT 4
#define MEMTYPE_WP 5
#define MEMTYPE_WB 6

#define MTRR_VAR_MAX   16u
#define MTRR_FIXED_NUM 88u /* 11 fixed MSRs x 8 ranges */

struct mtrr_state {
	bool present;		       /* CPUID.1:EDX[12]: the MTRR MSRs exist */
	bool enabled;		       /* IA32_MTRR_DEF_TYPE.E */
	bool fixed_enabled;	       /* IA32_MTRR_DEF_TYPE.FE and IA32_MTRRCAP.FIX */
	uint8_t def_type;	       /* IA32_MTRR_DEF_TYPE[7:0] */
	uint8_t phys_bits;	       /* MAXPHYADDR: the width of the variable-range masks */
	uint32_t var_count;	       /* IA32_MTRRCAP.VCNT, at most MTRR_VAR_MAX */
	uint8_t fixed[MTRR_FIXED_NUM]; /* the fixed ranges below 1 MiB, in address order */
	struct {
		uint64_t base; /* IA32_MTRR_PHYSBASEn */
		uint64_t mask; /* IA32_MTRR_PHYSMASKn */
	} var[MTRR_VAR_MAX];
};

/*
 * mtrr_read() - fill @s from this CPU's MTRR MSRs (IA32_MTRRCAP, DEF_TYPE, the fixed and
 * the variable ranges). @phys_bits is MAXPHYADDR. Reads no MSR that CPUID says is absent.
 */
void mtrr_read(struct mtrr_state *s, uint8_t phys_bits);

/*
 * mtrr_type() - the memory type the MTRRs give physical address @pa (HPA), combining
 * overlapping variable ranges as SDM Vol. 3A 12.11.4.1 says (UC wins; WT wins over WB;
 * other conflicts give UC). MTRRs disabled: UC. No MTRRs at all: WB.
 * @next (may be NULL) gets the lowest address above @pa where the type may change
 * (UINT64_MAX when it never does), so a caller walks a range in uniform pieces.
 */
uint8_t mtrr_type(const struct mtrr_state *s, uint64_t pa, uint64_t *next);

/* mtrr_type_name() - "UC", "WC", "WT", "WP", "WB" or "??". */
const char *mtrr_type_name(uint8_t type);

#endif /* HV_MTRR_H */
