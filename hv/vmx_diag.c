// SPDX-License-Identifier: MIT
/*
 * Why a VM entry failed (SDM Vol. 3C 27.8 "VM-entry failures during or after loading
 * guest state"): the exit reason with bit 31, the qualification, and a check of the
 * guest-state fields against 27.3.1 (hv/vmx_guest_state.c) that names the first one
 * found wrong.
 */
#define LOG_PREFIX "vmx"
#include "hv/log.h"
#include "hv/vcpu.h"
#include "hv/vmx.h"
#include "hv/vmx_guest_state.h"
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

/* MAXPHYADDR: CPUID.80000008H:EAX[7:0], 36 without that leaf (SDM Vol. 3A 4.1.4). */
static unsigned int diag_phys_bits(void)
{
	if (cpuid(0x80000000u, 0).eax >= 0x80000008u)
		return cpuid(0x80000008u, 0).eax & 0xff;
	return 36;
}

/*
 * The first wrong guest-state field, or NULL: the current VMCS's guest state and entry
 * controls read back into the portable form, checked by vmx_guest_state_check(), the one
 * set of SDM Vol. 3C 27.3.1 rules that the blue pill also applies before VMLAUNCH.
 */
static const char *diagnose_guest_state(char *why, size_t len)
{
	uint32_t proc = (uint32_t)vmcs_read(CPU_BASED_VM_EXEC_CONTROL);
	uint32_t proc2 = (proc & CPU_BASED_ACTIVATE_SECONDARY) ?
				 (uint32_t)vmcs_read(SECONDARY_VM_EXEC_CONTROL) :
				 0;
	uint32_t entry = (uint32_t)vmcs_read(VM_ENTRY_CONTROLS);
	struct vmx_check_env env = {
		.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0),
		.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1),
		.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0),
		.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1),
		.unrestricted = (proc2 & VMX_PROC2_UNRESTRICTED) != 0,
		.load_efer = (entry & VM_ENTRY_LOAD_IA32_EFER) != 0,
		.phys_bits = diag_phys_bits(),
	};
	struct vmx_guest_state gs = {
		.cr0 = vmcs_read(GUEST_CR0),
		.cr3 = vmcs_read(GUEST_CR3),
		.cr4 = vmcs_read(GUEST_CR4),
		.dr7 = vmcs_read(GUEST_DR7),
		.efer = env.load_efer ? vmcs_read(GUEST_IA32_EFER) : 0,
		.rsp = vmcs_read(GUEST_RSP),
		.rip = vmcs_read(GUEST_RIP),
		.rflags = vmcs_read(GUEST_RFLAGS),
		.gdtr_base = vmcs_read(GUEST_GDTR_BASE),
		.idtr_base = vmcs_read(GUEST_IDTR_BASE),
		.gdtr_limit = (uint32_t)vmcs_read(GUEST_GDTR_LIMIT),
		.idtr_limit = (uint32_t)vmcs_read(GUEST_IDTR_LIMIT),
		.interruptibility = (uint32_t)vmcs_read(GUEST_INTERRUPTIBILITY_INFO),
		.activity = (uint32_t)vmcs_read(GUEST_ACTIVITY_STATE),
		.link_pointer = vmcs_read(VMCS_LINK_POINTER),
		.ia32e_mode = (entry & VM_ENTRY_IA32E_MODE) != 0,
	};

	/* The segment fields: ES, CS, SS, DS, FS, GS, LDTR, TR, 2 apart in each group. */
	for (unsigned int i = 0; i < VSEG_COUNT; i++) {
		gs.seg[i].sel = (uint16_t)vmcs_read(GUEST_ES_SELECTOR + 2 * i);
		gs.seg[i].base = vmcs_read(GUEST_ES_BASE + 2 * i);
		gs.seg[i].limit = (uint32_t)vmcs_read(GUEST_ES_LIMIT + 2 * i);
		gs.seg[i].ar = (uint32_t)vmcs_read(GUEST_ES_AR_BYTES + 2 * i);
	}
	return vmx_guest_state_check(&gs, &env, why, len);
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
