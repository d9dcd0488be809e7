/* SPDX-License-Identifier: MIT */
/* What this CPU is and can do (CPUID, VMX capability MSRs), read once at boot. */
#ifndef HV_CPU_H
#define HV_CPU_H

#include "hv/vmx_caps.h"

struct cpu_info {
	char vendor[13];
	char brand[49];
	uint32_t family, model, stepping;
	uint8_t phys_bits, virt_bits; /* MAXPHYADDR, linear address width */
	bool vmx;		      /* CPUID.1:ECX[5] */
	bool hypervisor;	      /* CPUID.1:ECX[31]: we run under another hypervisor */
	bool gbpages, nx, x2apic, pcid, xsave;
	uint64_t feature_control;     /* IA32_FEATURE_CONTROL, 0 when not read */
	bool vmx_usable;	      /* VMX present and not locked off by firmware */
	struct vmx_cap_msrs vmx_msrs; /* raw, valid when vmx */
	struct vmx_caps vmx_caps;     /* decoded, valid when vmx */
};

/*
 * cpu_info_read() - fill @ci from CPUID, and when CPUID reports VMX, from the VMX
 * capability MSRs, reading only the MSRs the CPU says exist. Never writes CR4: VMXE is
 * not touched here, and never where CPUID.1:ECX[5] is 0 (platforms.md: QEMU 7.2 hangs).
 */
void cpu_info_read(struct cpu_info *ci);

/* cpu_info_log() - the CPU report, one line per topic, prefix "cpu". */
void cpu_info_log(const struct cpu_info *ci);

#endif /* HV_CPU_H */
