// SPDX-License-Identifier: MIT
/*
 * Why a VM entry failed (SDM Vol. 3C 27.8 "VM-entry failures during or after loading
 * guest state"): the exit reason with bit 31, the qualification, and a check of the
 * guest-state fields in the order of 27.3.1 that names the first one found wrong.
 */
#include <stdio.h>
#define LOG_PREFIX "vmx"
#include "hv/log.h"
#include "hv/vcpu.h"
#include "hv/vmx.h"
#include "hv/x86.h"

static const char *const exit_names[EXIT_REASON_MAX] = {
	[EXIT_REASON_EXCEPTION_NMI] = "exception or NMI",
	[EXIT_REASON_EXTERNAL_INTERRUPT] = "external interrupt",
	[EXIT_REASON_TRIPLE_FAULT] = "triple fault",
	[EXIT_REASON_INIT_SIGNAL] = "INIT signal",
	[EXIT_REASON_SIPI_SIGNAL] = "SIPI",
	[EXIT_REASON_TASK_SWITCH] = "task switch",
	[EXIT_REASON_CPUID] = "CPUID",
	[EXIT_REASON_GETSEC] = "GETSEC",
	[EXIT_REASON_HLT] = "HLT",
	[EXIT_REASON_INVD] = "INVD",
	[EXIT_REASON_INVLPG] = "INVLPG",
	[EXIT_REASON_RDPMC] = "RDPMC",
	[EXIT_REASON_RDTSC] = "RDTSC",
	[EXIT_REASON_VMCALL] = "VMCALL",
	[EXIT_REASON_CR_ACCESS] = "control-register access",
	[EXIT_REASON_DR_ACCESS] = "MOV DR",
	[EXIT_REASON_IO_INSTRUCTION] = "I/O instruction",
	[EXIT_REASON_MSR_READ] = "RDMSR",
	[EXIT_REASON_MSR_WRITE] = "WRMSR",
	[EXIT_REASON_INVALID_STATE] = "VM-entry failure due to invalid guest state",
	[EXIT_REASON_MSR_LOAD_FAIL] = "VM-entry failure due to MSR loading",
	[EXIT_REASON_MCE_DURING_VMENTRY] = "VM-entry failure due to machine-check event",
	[EXIT_REASON_EPT_VIOLATION] = "EPT violation",
	[EXIT_REASON_EPT_MISCONFIG] = "EPT misconfiguration",
	[EXIT_REASON_WBINVD] = "WBINVD",
	[EXIT_REASON_XSETBV] = "XSETBV",
};

const char *vmx_exit_reason_name(uint32_t reason)
{
	if (reason < EXIT_REASON_MAX && exit_names[reason])
		return exit_names[reason];
	if (reason >= EXIT_REASON_VMCLEAR && reason <= EXIT_REASON_VMON)
		return "VMX instruction";
	return "other";
}

/* The first wrong guest-state field, or NULL (SDM Vol. 3C 27.3.1, a useful subset). */
static const char *diagnose_guest_state(char *why, size_t len)
{
	uint64_t cr0 = vmcs_read(GUEST_CR0), cr4 = vmcs_read(GUEST_CR4);
	uint64_t f0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0), f1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	uint32_t proc2 = (uint32_t)vmcs_read(SECONDARY_VM_EXEC_CONTROL);
	uint32_t entry = (uint32_t)vmcs_read(VM_ENTRY_CONTROLS);
	uint32_t tr_ar = (uint32_t)vmcs_read(GUEST_TR_AR_BYTES);
	uint32_t cs_ar = (uint32_t)vmcs_read(GUEST_CS_AR_BYTES);
	uint32_t ldtr_ar = (uint32_t)vmcs_read(GUEST_LDTR_AR_BYTES);
	uint64_t rflags = vmcs_read(GUEST_RFLAGS);

	if (proc2 & VMX_PROC2_UNRESTRICTED)
		f0 &= ~(CR0_PE | CR0_PG);
	if ((cr0 & f0) != f0 || (cr0 & ~f1)) {
		snprintf(why, len, "0x%llx breaks IA32_VMX_CR0_FIXED0/1 (27.3.1.1)",
			 (unsigned long long)cr0);
		return "GUEST_CR0";
	}
	f0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	f1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	if ((cr4 & f0) != f0 || (cr4 & ~f1)) {
		snprintf(why, len, "0x%llx breaks IA32_VMX_CR4_FIXED0/1 (27.3.1.1)",
			 (unsigned long long)cr4);
		return "GUEST_CR4";
	}
	if (vmcs_read(VMCS_LINK_POINTER) != ~0ull) {
		snprintf(why, len, "must be 0xffffffffffffffff without VMCS shadowing (27.3.1.5)");
		return "VMCS_LINK_POINTER";
	}
	if (!(rflags & BIT(1)) || (rflags & 0xffffffffffc08028ull)) {
		snprintf(why, len, "0x%llx: bit 1 must be 1, reserved bits 0 (27.3.1.4)",
			 (unsigned long long)rflags);
		return "GUEST_RFLAGS";
	}
	if (!(cs_ar & VMX_AR_P) || !(cs_ar & VMX_AR_S) ||
	    !((VMX_AR_TYPE(cs_ar) & 9) == 9 ||
	      ((proc2 & VMX_PROC2_UNRESTRICTED) && VMX_AR_TYPE(cs_ar) == 3))) {
		snprintf(why, len,
			 "0x%x: CS must be a present accessed code segment (type 3 too with "
			 "unrestricted guest) (27.3.1.2)",
			 cs_ar);
		return "GUEST_CS_AR_BYTES";
	}
	if ((tr_ar & VMX_AR_UNUSABLE) || (tr_ar & VMX_AR_S) || !(tr_ar & VMX_AR_P) ||
	    (VMX_AR_TYPE(tr_ar) != 11 &&
	     !(VMX_AR_TYPE(tr_ar) == 3 && !(entry & VM_ENTRY_IA32E_MODE)))) {
		snprintf(why, len,
			 "0x%x: TR type %u, must be 11 (busy TSS; 3 outside IA-32e mode), S=0, "
			 "P=1, usable (27.3.1.2)",
			 tr_ar, VMX_AR_TYPE(tr_ar));
		return "GUEST_TR_AR_BYTES";
	}
	if (!(ldtr_ar & VMX_AR_UNUSABLE) && (VMX_AR_TYPE(ldtr_ar) != 2 || !(ldtr_ar & VMX_AR_P))) {
		snprintf(why, len, "0x%x: a usable LDTR must be a present LDT (type 2)", ldtr_ar);
		return "GUEST_LDTR_AR_BYTES";
	}
	if (vmcs_read(GUEST_ACTIVITY_STATE) > 3) {
		snprintf(why, len, "must be 0..3 (27.3.1.5)");
		return "GUEST_ACTIVITY_STATE";
	}
	if (entry & VM_ENTRY_LOAD_IA32_EFER) {
		uint64_t efer = vmcs_read(GUEST_IA32_EFER);
		bool ia32e = (entry & VM_ENTRY_IA32E_MODE) != 0;

		if (((efer >> 10) & 1) != ia32e || (((efer >> 8) & 1) != ia32e && (cr0 & CR0_PG))) {
			snprintf(why, len,
				 "0x%llx: LMA/LME must match the IA-32e mode guest control",
				 (unsigned long long)efer);
			return "GUEST_IA32_EFER";
		}
	}
	return NULL;
}

void vmx_report_entry_failure(uint32_t reason)
{
	char why[160];
	const char *field;

	log_err("VM entry failed: exit reason 0x%08x (%s), qualification 0x%llx, guest RIP 0x%llx",
		reason, vmx_exit_reason_name(reason & 0xffff),
		(unsigned long long)vmcs_read(EXIT_QUALIFICATION),
		(unsigned long long)vmcs_read(GUEST_RIP));
	field = diagnose_guest_state(why, sizeof(why));
	if (field)
		log_err("VM entry failed: guest-state field %s %s", field, why);
	else
		log_err("VM entry failed: no wrong guest-state field found by the core's checks "
			"(see the CPU's own report, e.g. Bochs \"VMENTER FAIL\")");
}
