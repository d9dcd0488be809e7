// SPDX-License-Identifier: MIT
/* MTRR state and lookup (hv/mtrr.h), SDM Vol. 3A 12.11. */
#include <string.h>
#include "hv/mtrr.h"
#ifdef HV_CORE
#include "hv/x86.h"
#endif

/* Fixed ranges (12.11.2.2): 8 x 64 KiB from 0, 16 x 16 KiB from 512 KiB, 64 x 4 KiB
 * from 768 KiB. */
static unsigned int fixed_index(uint64_t pa, uint64_t *end)
{
	if (pa < 0x80000) {
		*end = ALIGN_DOWN(pa, 0x10000) + 0x10000;
		return pa >> 16;
	}
	if (pa < 0xc0000) {
		*end = ALIGN_DOWN(pa, 0x4000) + 0x4000;
		return 8 + ((pa - 0x80000) >> 14);
	}
	*end = ALIGN_DOWN(pa, 0x1000) + 0x1000;
	return 24 + ((pa - 0xc0000) >> 12);
}

static uint8_t combine(uint8_t cur, uint8_t t, bool first)
{
	if (first || cur == t)
		return t;
	if (cur == MEMTYPE_UC || t == MEMTYPE_UC)
		return MEMTYPE_UC;
	if ((cur == MEMTYPE_WT && t == MEMTYPE_WB) || (cur == MEMTYPE_WB && t == MEMTYPE_WT))
		return MEMTYPE_WT;
	return MEMTYPE_UC; /* undefined combination: the safe type */
}

uint8_t mtrr_type(const struct mtrr_state *s, uint64_t pa, uint64_t *next)
{
	uint64_t phys_mask, nx = UINT64_MAX, end;
	uint8_t type = s->def_type;
	bool matched = false;

	if (!s->present || !s->enabled) {
		if (next)
			*next = UINT64_MAX;
		return s->present ? MEMTYPE_UC : MEMTYPE_WB;
	}
	if (s->fixed_enabled && pa < 0x100000) {
		unsigned int i = fixed_index(pa, &end);

		if (next)
			*next = end;
		return s->fixed[i];
	}
	phys_mask = (s->phys_bits >= 64 ? UINT64_MAX : (1ull << s->phys_bits) - 1) & PAGE_MASK;
	for (uint32_t i = 0; i < s->var_count && i < MTRR_VAR_MAX; i++) {
		uint64_t mask = s->var[i].mask & phys_mask, base = s->var[i].base & mask;
		uint64_t size = (~mask & phys_mask) + PAGE_SIZE;

		if (!(s->var[i].mask & MTRR_PHYSMASK_V))
			continue;
		if ((pa & mask) == base) {
			type = combine(type, s->var[i].base & 0xff, !matched);
			matched = true;
		}
		if (size & (size - 1)) {
			/* A non-contiguous mask: the type may change at every page. */
			nx = MIN(nx, ALIGN_DOWN(pa, PAGE_SIZE) + PAGE_SIZE);
		} else if (pa < base) {
			nx = MIN(nx, base);
		} else if (pa - base < size) {
			nx = MIN(nx, base + size);
		}
	}
	if (next)
		*next = nx;
	return type;
}

const char *mtrr_type_name(uint8_t type)
{
	switch (type) {
	case MEMTYPE_UC:
		return "UC";
	case MEMTYPE_WC:
		return "WC";
	case MEMTYPE_WT:
		return "WT";
	case MEMTYPE_WP:
		return "WP";
	case MEMTYPE_WB:
		return "WB";
	default:
		return "??";
	}
}

#ifdef HV_CORE
void mtrr_read(struct mtrr_state *s, uint8_t phys_bits)
{
	static const uint32_t fixed_msrs[11] = {
		MSR_IA32_MTRR_FIX64K_00000,    MSR_IA32_MTRR_FIX16K_80000,
		MSR_IA32_MTRR_FIX16K_A0000,    MSR_IA32_MTRR_FIX4K_C0000,
		MSR_IA32_MTRR_FIX4K_C0000 + 1, MSR_IA32_MTRR_FIX4K_C0000 + 2,
		MSR_IA32_MTRR_FIX4K_C0000 + 3, MSR_IA32_MTRR_FIX4K_C0000 + 4,
		MSR_IA32_MTRR_FIX4K_C0000 + 5, MSR_IA32_MTRR_FIX4K_C0000 + 6,
		MSR_IA32_MTRR_FIX4K_C0000 + 7,
	};
	uint64_t cap, def;

	memset(s, 0, sizeof(*s));
	s->phys_bits = phys_bits;
	if (!(cpuid(1, 0).edx & BIT(12)))
		return;
	s->present = true;
	cap = rdmsr(MSR_IA32_MTRRCAP);
	def = rdmsr(MSR_IA32_MTRR_DEF_TYPE);
	s->enabled = (def & MTRR_DEF_TYPE_E) != 0;
	s->fixed_enabled = (cap & MTRRCAP_FIX) && (def & MTRR_DEF_TYPE_FE);
	s->def_type = def & 0xff;
	s->var_count = MIN(cap & MTRRCAP_VCNT_MASK, MTRR_VAR_MAX);
	if (s->fixed_enabled) {
		for (unsigned int i = 0; i < 11; i++) {
			uint64_t v = rdmsr(fixed_msrs[i]);

			for (unsigned int b = 0; b < 8; b++)
				s->fixed[i * 8 + b] = (v >> (8 * b)) & 0xff;
		}
	}
	for (uint32_t i = 0; i < s->var_count; i++) {
		s->var[i].base = rdmsr(MSR_IA32_MTRR_PHYSBASE0 + 2 * i);
		s->var[i].mask = rdmsr(MSR_IA32_MTRR_PHYSBASE0 + 2 * i + 1);
	}
}
#endif
