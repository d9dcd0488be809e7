/* SPDX-License-Identifier: MIT */
/*
 * VMX operation: the VMX instructions (SDM Vol. 3C ch. 31, Vol. 2 "VMX instruction
 * reference"), their failure reporting (31.2 VMfailInvalid / VMfailValid, 31.4 error
 * numbers), and the core's entry point that turns VMX on and launches the guest.
 */
#ifndef HV_VMX_H
#define HV_VMX_H

#include "hv/boot_info.h"
#include "hv/cpu.h"
#include "hv/types.h"
#include "hv/vmcs_fields.h"

/* RFLAGS after a VMX instruction (SDM Vol. 3C 31.2) */
#define RFLAGS_CF BIT(0)
#define RFLAGS_ZF BIT(6)

/*
 * vmx_start() - the VMX core's entry from hv_main on the BSP: VMX on (VMXON), the guest
 * memory map and EPT, a VMCS, and the launch of Multiboot2 module 0 as the guest.
 * @acpi (NULL when there are no ACPI tables) gives the MADT: on Multiboot2 the core starts
 * every AP into VMX with its guest CPU in the wait-for-SIPI state (hv/smp.h).
 * Returns only when there is nothing to launch or something failed (negative errno, a
 * log line says why); once the guest runs, the CPU belongs to exits and hv_halt.
 */
struct acpi_info;
int vmx_start(const struct boot_info *bi, const struct cpu_info *ci, const struct acpi_info *acpi);

/*
 * vmx_ap_bluepill() - on UEFI AP @cpu (1 .. SMP_CPUS_MAX - 1), on its host tables and
 * the core stack whose top is @stack_top (host VA): VMX on, a VMCS like the BSP's, and
 * the AP's firmware context @ctx (saved by hv_ap_entry) resumed as its guest with CR3
 * @firmware_cr3 (HPA, 0 = ctx->cr3), checked against SDM Vol. 3C 27.3.1 first. @ci: this
 * AP's own CPUID/VMX report. Does not return once launched. Returns -ENODEV without
 * VMX on this CPU (CR4 untouched) or when the BSP did not launch its blue pill; -EINVAL
 * for a bad @cpu or guest state; another negative errno when VMX set-up or VMLAUNCH
 * failed (then VMX is off again on this CPU). A log line says why.
 */
int vmx_ap_bluepill(unsigned int cpu, uint64_t stack_top, const struct boot_return_ctx *ctx,
		    uint64_t firmware_cr3, const struct cpu_info *ci);

/*
 * vmx_preemption_timer_rearm() - on the current VMCS, after a VMX-preemption timer exit
 * (basic exit reason 52, SDM Vol. 3C 25.5.1, 28.2): start the next period. The timer
 * runs only while the virtual VT-d unit polls (vvtd_boot_poll_period_us()); the period
 * in timer ticks comes from the TSC rate and IA32_VMX_MISC bits 4:0. Nothing when the
 * timer is off.
 */
void vmx_preemption_timer_rearm(void);

/* vmx_preemption_timer_on() - the guest's vCPUs run with the VMX-preemption timer (the
 * unit's periodic poll): false before launch or when the CPU lacks pin-based bit 6. */
bool vmx_preemption_timer_on(void);

/* vmx_instruction_error_name() - SDM Vol. 3C 31.4 text for VM-instruction error @err. */
const char *vmx_instruction_error_name(uint32_t err);

/* vmx_exit_reason_name() - Appendix C name of basic exit reason @reason. */
const char *vmx_exit_reason_name(uint32_t reason);

#ifdef HV_CORE
/* Each returns the RFLAGS the instruction left: CF = VMfailInvalid, ZF = VMfailValid. */
static inline uint64_t vmx_on(hpa_t region)
{
	uint64_t rflags;

	__asm__ volatile("vmxon %1; pushfq; popq %0" : "=r"(rflags) : "m"(region) : "cc", "memory");
	return rflags;
}

static inline uint64_t vmx_clear(hpa_t vmcs)
{
	uint64_t rflags;

	__asm__ volatile("vmclear %1; pushfq; popq %0" : "=r"(rflags) : "m"(vmcs) : "cc", "memory");
	return rflags;
}

static inline uint64_t vmx_ptrld(hpa_t vmcs)
{
	uint64_t rflags;

	__asm__ volatile("vmptrld %1; pushfq; popq %0" : "=r"(rflags) : "m"(vmcs) : "cc", "memory");
	return rflags;
}

static inline uint64_t vmcs_read(uint64_t field)
{
	uint64_t val;

	__asm__ volatile("vmread %1, %0" : "=rm"(val) : "r"(field) : "cc");
	return val;
}

/* vmcs_write() - VMWRITE; returns RFLAGS (CF/ZF set on failure). */
static inline uint64_t vmcs_write(uint64_t field, uint64_t val)
{
	uint64_t rflags;

	__asm__ volatile("vmwrite %2, %1; pushfq; popq %0"
			 : "=r"(rflags)
			 : "r"(field), "rm"(val)
			 : "cc");
	return rflags;
}

/* INVEPT / INVVPID descriptors and types (SDM Vol. 3C 31.3, 29.4.3) */
#define INVEPT_SINGLE_CONTEXT  1
#define INVEPT_ALL_CONTEXT     2
#define INVVPID_SINGLE_CONTEXT 1
#define INVVPID_ALL_CONTEXT    2

/* invept() - invalidate EPT-derived translations of @eptp (type 1) or all (type 2). */
static inline uint64_t invept(uint64_t type, uint64_t eptp)
{
	struct {
		uint64_t eptp, reserved;
	} desc = { eptp, 0 };
	uint64_t rflags;

	__asm__ volatile("invept %1, %2; pushfq; popq %0"
			 : "=r"(rflags)
			 : "m"(desc), "r"(type)
			 : "cc", "memory");
	return rflags;
}

/* invvpid() - invalidate linear translations tagged @vpid (type 1) or all (type 2). */
static inline uint64_t invvpid(uint64_t type, uint16_t vpid, gva_t gva)
{
	struct {
		uint64_t vpid, gva;
	} desc = { vpid, gva };
	uint64_t rflags;

	__asm__ volatile("invvpid %1, %2; pushfq; popq %0"
			 : "=r"(rflags)
			 : "m"(desc), "r"(type)
			 : "cc", "memory");
	return rflags;
}
#endif

#endif /* HV_VMX_H */
