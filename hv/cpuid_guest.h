/* SPDX-License-Identifier: MIT */
/* What the guest's CPUID returns (SDM Vol. 3C 26.1.2: CPUID always exits): the CPU's
 * leaves with a few bits changed. Portable, so the unit tests check it. */
#ifndef HV_CPUID_GUEST_H
#define HV_CPUID_GUEST_H

#include "hv/types.h"
#include "hv/x86.h"

#define CPUID_1_ECX_VMX	       BIT(5)  /* SDM Vol. 2A CPUID, Table 3-10 */
#define CPUID_1_ECX_OSXSAVE    BIT(27) /* the OS set CR4.OSXSAVE: XGETBV/XSETBV usable */
#define CPUID_1_ECX_HYPERVISOR BIT(31) /* reserved for hypervisor use: set under one */
#define CPUID_7_EBX_ERMS       BIT(9)  /* Enhanced REP MOVSB/STOSB */
#define CPUID_7_EDX_FSRM       BIT(4)  /* Fast Short REP MOV */
#define CPUID_CR4_OSXSAVE      BIT(18) /* SDM Vol. 3A 2.5 */

/*
 * cpuid_guest_filter() - @c, the CPU's CPUID.(EAX=@leaf, ECX=@sub) executed by the
 * hypervisor, as the guest with CR4 @guest_cr4 sees it:
 * - leaf 1: VMX hidden (the guest gets no nested VMX), the hypervisor bit set, OSXSAVE
 *   the guest's CR4.OSXSAVE, not the hypervisor's (which is set so that it can execute
 *   the guest's XSETBV): a guest that turned CR4.OSXSAVE off (Linux "noxsave", or its
 *   XSAVE consistency check failing) would otherwise see XGETBV as usable, and its
 *   user space (glibc's CPU feature probe) dies of the #UD;
 * - leaf 7, subleaf 0: FSRM hidden. It is a performance hint only, and a guest that finds
 *   fast strings off (IA32_MISC_ENABLE[0] = 0, SDM Vol. 4 Table 2-2; Bochs 2.7 reads the
 *   MSR as 0) drops ERMS but keeps FSRM: Linux 6.1's memmove() then has neither its
 *   length check nor REP MOVSB, and its first forward copy under 32 bytes runs away.
 */
static inline void cpuid_guest_filter(uint32_t leaf, uint32_t sub, uint64_t guest_cr4,
				      struct cpuid_regs *c)
{
	if (leaf == 1) {
		c->ecx &= ~(uint32_t)(CPUID_1_ECX_VMX | CPUID_1_ECX_OSXSAVE);
		c->ecx |= (uint32_t)CPUID_1_ECX_HYPERVISOR;
		if (guest_cr4 & CPUID_CR4_OSXSAVE)
			c->ecx |= (uint32_t)CPUID_1_ECX_OSXSAVE;
	} else if (leaf == 7 && sub == 0) {
		c->edx &= ~(uint32_t)CPUID_7_EDX_FSRM;
	}
}

#endif /* HV_CPUID_GUEST_H */
