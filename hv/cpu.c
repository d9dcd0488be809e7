// SPDX-License-Identifier: MIT
/* CPU identification and the VMX capability report (hv/cpu.h). */
#include <string.h>
#define LOG_PREFIX "cpu"
#include "hv/cpu.h"
#include "hv/log.h"
#include "hv/types.h"
#include "hv/x86.h"

#define FEATURE_CONTROL_LOCKED		BIT(0)
#define FEATURE_CONTROL_VMX_IN_SMX	BIT(1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX BIT(2)

static void cpu_read_vmx_msrs(struct cpu_info *ci)
{
	struct vmx_cap_msrs *m = &ci->vmx_msrs;
	uint32_t proc_allowed1, proc2_allowed1;

	m->basic = rdmsr(MSR_IA32_VMX_BASIC);
	m->pinbased = rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
	m->procbased = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
	m->exit = rdmsr(MSR_IA32_VMX_EXIT_CTLS);
	m->entry = rdmsr(MSR_IA32_VMX_ENTRY_CTLS);
	m->misc = rdmsr(MSR_IA32_VMX_MISC);
	m->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	m->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	m->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	m->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	if (m->basic & VMX_BASIC_TRUE_CTLS) {
		m->true_pinbased = rdmsr(MSR_IA32_VMX_TRUE_PINBASED_CTLS);
		m->true_procbased = rdmsr(MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
		m->true_exit = rdmsr(MSR_IA32_VMX_TRUE_EXIT_CTLS);
		m->true_entry = rdmsr(MSR_IA32_VMX_TRUE_ENTRY_CTLS);
	}
	/* The optional MSRs exist only when the controls that need them may be 1 (A.3). */
	proc_allowed1 = m->procbased >> 32;
	if (proc_allowed1 & VMX_PROC_ACTIVATE_TERTIARY)
		m->procbased3 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS3);
	if (!(proc_allowed1 & VMX_PROC_ACTIVATE_SECONDARY))
		return;
	m->procbased2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
	proc2_allowed1 = m->procbased2 >> 32;
	if (proc2_allowed1 & (VMX_PROC2_EPT | VMX_PROC2_VPID))
		m->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (proc2_allowed1 & VMX_PROC2_VMFUNC)
		m->vmfunc = rdmsr(MSR_IA32_VMX_VMFUNC);
}

void cpu_info_read(struct cpu_info *ci)
{
	struct cpuid_regs r;
	uint32_t max_ext;

	memset(ci, 0, sizeof(*ci));
	r = cpuid(0, 0);
	memcpy(ci->vendor + 0, &r.ebx, 4);
	memcpy(ci->vendor + 4, &r.edx, 4);
	memcpy(ci->vendor + 8, &r.ecx, 4);

	r = cpuid(1, 0);
	ci->stepping = r.eax & 0xf;
	ci->model = (r.eax >> 4) & 0xf;
	ci->family = (r.eax >> 8) & 0xf;
	if (ci->family == 0xf)
		ci->family += (r.eax >> 20) & 0xff;
	if (ci->family >= 6)
		ci->model |= ((r.eax >> 16) & 0xf) << 4;
	ci->vmx = (r.ecx & BIT(5)) != 0;
	ci->x2apic = (r.ecx & BIT(21)) != 0;
	ci->xsave = (r.ecx & BIT(26)) != 0;
	ci->pcid = (r.ecx & BIT(17)) != 0;
	ci->hypervisor = (r.ecx & BIT(31)) != 0;

	max_ext = cpuid(0x80000000, 0).eax;
	if (max_ext >= 0x80000001) {
		r = cpuid(0x80000001, 0);
		ci->nx = (r.edx & BIT(20)) != 0;
		ci->gbpages = (r.edx & BIT(26)) != 0;
	}
	if (max_ext >= 0x80000004) {
		for (uint32_t i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			memcpy(ci->brand + 16 * i, &r, 16);
		}
	}
	if (max_ext >= 0x80000008) {
		r = cpuid(0x80000008, 0);
		ci->phys_bits = r.eax & 0xff;
		ci->virt_bits = (r.eax >> 8) & 0xff;
	} else {
		ci->phys_bits = 36;
		ci->virt_bits = 48;
	}

	if (!ci->vmx)
		return;
	ci->feature_control = rdmsr(MSR_IA32_FEATURE_CONTROL);
	/* Locked with VMX-outside-SMX clear: firmware has switched VMX off (SDM 3C 24.7). */
	ci->vmx_usable = !(ci->feature_control & FEATURE_CONTROL_LOCKED) ||
			 (ci->feature_control & FEATURE_CONTROL_VMX_OUTSIDE_SMX);
	cpu_read_vmx_msrs(ci);
	vmx_caps_decode(&ci->vmx_msrs, &ci->vmx_caps);
}

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

void cpu_info_log(const struct cpu_info *ci)
{
	const struct vmx_caps *c = &ci->vmx_caps;
	const char *brand = ci->brand;

	while (*brand == ' ')
		brand++;
	log_info("%s family 0x%x model 0x%x stepping %u \"%s\"", ci->vendor, ci->family, ci->model,
		 ci->stepping, brand);
	log_info("address bits: physical %u, linear %u; 1G pages %s, NX %s, x2APIC %s, "
		 "PCID %s, XSAVE %s; under a hypervisor: %s",
		 ci->phys_bits, ci->virt_bits, yes(ci->gbpages), yes(ci->nx), yes(ci->x2apic),
		 yes(ci->pcid), yes(ci->xsave), yes(ci->hypervisor));
	if (!ci->vmx)
		return;
	log_info("vmx: CPUID.1:ECX.VMX=1, IA32_FEATURE_CONTROL 0x%llx (%s, VMX outside SMX %s)",
		 (unsigned long long)ci->feature_control,
		 ci->feature_control & FEATURE_CONTROL_LOCKED ? "locked" : "unlocked",
		 ci->feature_control & FEATURE_CONTROL_VMX_OUTSIDE_SMX ? "on" : "off");
	log_info("vmx: VMCS revision 0x%x, region %u bytes, memory type %u, TRUE controls %s",
		 c->revision, c->vmcs_size, c->memtype, yes(c->true_ctls));
	log_info("vmx: allowed 0/1: pin 0x%08x/0x%08x proc 0x%08x/0x%08x proc2 0x%08x/0x%08x",
		 c->pin.allowed0, c->pin.allowed1, c->proc.allowed0, c->proc.allowed1,
		 c->proc2.allowed0, c->proc2.allowed1);
	log_info("vmx: allowed 0/1: exit 0x%08x/0x%08x entry 0x%08x/0x%08x", c->exit.allowed0,
		 c->exit.allowed1, c->entry.allowed0, c->entry.allowed1);
	log_info("vmx: secondary controls %s: EPT %s, VPID %s, unrestricted guest %s, "
		 "VMCS shadowing %s, PML %s, VMFUNC %s, PASID translation %s; tertiary %s",
		 yes(c->secondary), yes(c->ept), yes(c->vpid), yes(c->unrestricted),
		 yes(c->vmcs_shadowing), yes(c->pml), yes(c->vmfunc), yes(c->pasid_translation),
		 yes(c->tertiary));
	if (c->ept)
		log_info("vmx: EPT: walk %s%s, 2M %s, 1G %s, A/D %s, WB %s, UC %s, INVEPT %s "
			 "(single %s, all %s)",
			 c->ept_vpid & VMX_EPT_WALK_4 ? "4-level" : "",
			 c->ept_vpid & VMX_EPT_WALK_5 ? " 5-level" : "",
			 yes(c->ept_vpid & VMX_EPT_2M), yes(c->ept_vpid & VMX_EPT_1G),
			 yes(c->ept_vpid & VMX_EPT_AD), yes(c->ept_vpid & VMX_EPT_WB),
			 yes(c->ept_vpid & VMX_EPT_UC), yes(c->ept_vpid & VMX_EPT_INVEPT),
			 yes(c->ept_vpid & VMX_EPT_INVEPT_SINGLE),
			 yes(c->ept_vpid & VMX_EPT_INVEPT_ALL));
	if (c->vpid)
		log_info("vmx: VPID: INVVPID %s (address %s, single %s, all %s)",
			 yes(c->ept_vpid & VMX_VPID_INVVPID),
			 yes(c->ept_vpid & VMX_VPID_INVVPID_ADDR),
			 yes(c->ept_vpid & VMX_VPID_INVVPID_SINGLE),
			 yes(c->ept_vpid & VMX_VPID_INVVPID_ALL));
}
