/* SPDX-License-Identifier: MIT */
/*
 * VMX capability MSRs, decoded (SDM Vol. 3D Appendix A). Decoding is portable: it
 * takes MSR values, so the unit tests feed it the values of real and emulated CPUs.
 */
#ifndef HV_VMX_CAPS_H
#define HV_VMX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_IA32_VMX_PINBASED_CTLS	 0x481
#define MSR_IA32_VMX_PROCBASED_CTLS	 0x482
#define MSR_IA32_VMX_EXIT_CTLS		 0x483
#define MSR_IA32_VMX_ENTRY_CTLS		 0x484
#define MSR_IA32_VMX_MISC		 0x485
#define MSR_IA32_VMX_CR0_FIXED0		 0x486
#define MSR_IA32_VMX_CR0_FIXED1		 0x487
#define MSR_IA32_VMX_CR4_FIXED0		 0x488
#define MSR_IA32_VMX_CR4_FIXED1		 0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2	 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP	 0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	 0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	 0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	 0x490
#define MSR_IA32_VMX_VMFUNC		 0x491
#define MSR_IA32_VMX_PROCBASED_CTLS3	 0x492

/* IA32_VMX_BASIC (A.1) */
#define VMX_BASIC_REVISION_MASK	  0x7fffffffull
#define VMX_BASIC_VMCS_SIZE_SHIFT 32
#define VMX_BASIC_VMCS_SIZE_MASK  0x1fffull
#define VMX_BASIC_MEMTYPE_SHIFT	  50
#define VMX_BASIC_TRUE_CTLS	  (1ull << 55)

/* Primary processor-based controls used to gate the optional MSRs (A.3.2). */
#define VMX_PROC_ACTIVATE_TERTIARY  (1u << 17)
#define VMX_PROC_ACTIVATE_SECONDARY (1u << 31)

/* Secondary processor-based controls (SDM Vol. 3C Table 25-7). */
#define VMX_PROC2_VIRT_APIC_ACCESS  (1u << 0)
#define VMX_PROC2_EPT		    (1u << 1)
#define VMX_PROC2_RDTSCP	    (1u << 3)
#define VMX_PROC2_VPID		    (1u << 5)
#define VMX_PROC2_UNRESTRICTED	    (1u << 7)
#define VMX_PROC2_INVPCID	    (1u << 12)
#define VMX_PROC2_VMFUNC	    (1u << 13)
#define VMX_PROC2_VMCS_SHADOWING    (1u << 14)
#define VMX_PROC2_PML		    (1u << 17)
#define VMX_PROC2_XSAVES	    (1u << 20)
#define VMX_PROC2_PASID_TRANSLATION (1u << 21)

/* IA32_VMX_EPT_VPID_CAP (A.10) */
#define VMX_EPT_EXEC_ONLY	(1ull << 0)
#define VMX_EPT_WALK_4		(1ull << 6)
#define VMX_EPT_WALK_5		(1ull << 7)
#define VMX_EPT_UC		(1ull << 8)
#define VMX_EPT_WB		(1ull << 14)
#define VMX_EPT_2M		(1ull << 16)
#define VMX_EPT_1G		(1ull << 17)
#define VMX_EPT_INVEPT		(1ull << 20)
#define VMX_EPT_AD		(1ull << 21)
#define VMX_EPT_INVEPT_SINGLE	(1ull << 25)
#define VMX_EPT_INVEPT_ALL	(1ull << 26)
#define VMX_VPID_INVVPID	(1ull << 32)
#define VMX_VPID_INVVPID_ADDR	(1ull << 40)
#define VMX_VPID_INVVPID_SINGLE (1ull << 41)
#define VMX_VPID_INVVPID_ALL	(1ull << 42)

/* One control field's capability MSR: bits that must be 1, bits that may be 1. */
struct vmx_ctl_cap {
	uint32_t allowed0; /* low half: a 1 here means the control must be 1 */
	uint32_t allowed1; /* high half: a 0 here means the control must be 0 */
};

/* The raw MSRs a decode needs; absent ones are 0 (the reader knows which exist). */
struct vmx_cap_msrs {
	uint64_t basic, pinbased, procbased, exit, entry, misc;
	uint64_t true_pinbased, true_procbased, true_exit, true_entry;
	uint64_t procbased2, ept_vpid, vmfunc, procbased3;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

struct vmx_caps {
	uint32_t revision;  /* VMCS revision identifier */
	uint32_t vmcs_size; /* bytes of the VMXON/VMCS region */
	uint8_t memtype;    /* 6 = WB */
	bool true_ctls;	    /* the TRUE_* MSRs exist and were used */
	struct vmx_ctl_cap pin, proc, exit, entry, proc2;
	bool secondary; /* "activate secondary controls" may be 1 */
	bool tertiary;	/* "activate tertiary controls" may be 1 */
	uint64_t proc3_allowed1;
	uint64_t ept_vpid;
	bool ept, vpid, unrestricted, vmcs_shadowing, pml, vmfunc, pasid_translation;
};

/* vmx_caps_decode() - fill @caps from @msrs (SDM Vol. 3D A.1-A.10). */
void vmx_caps_decode(const struct vmx_cap_msrs *msrs, struct vmx_caps *caps);

/*
 * vmx_ctl_adjust() - @want with the bits the CPU forces to 1 set; returns true when
 * every bit of @want may be 1 (else @out still holds what the CPU allows and false
 * says a wanted control is missing).
 */
bool vmx_ctl_adjust(const struct vmx_ctl_cap *cap, uint32_t want, uint32_t *out);

#endif /* HV_VMX_CAPS_H */
