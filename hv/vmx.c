// SPDX-License-Identifier: MIT
/*
 * VMX bring-up and the first VM entry (hv/vmx.h): IA32_FEATURE_CONTROL, CR0/CR4 fixed
 * bits, VMXON, the VMCS (controls from the capability MSRs, host state, guest state), the
 * guest map, EPT and the launch of the Multiboot2 guest (SDM Vol. 3C ch. 24-27).
 */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "vmx"
#include "guest/include/vsva_hv.h"
#include "hv/acpi.h"
#include "hv/ap_boot.h"
#include "hv/cpu_tables.h"
#include "hv/ept.h"
#include "hv/guest_load.h"
#include "hv/log.h"
#include "hv/main.h"
#include "hv/mm.h"
#include "hv/mtrr.h"
#include "hv/selftest.h"
#include "hv/smp.h"
#include "hv/tsc.h"
#include "hv/vcpu.h"
#include "hv/vmx.h"
#include "hv/vmx_guest_state.h"
#include "hv/vsva_boot.h"
#include "hv/vvtd_boot.h"
#include "hv/x86.h"

#define FEATURE_CONTROL_LOCKED		BIT(0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX BIT(2)
#define MSR_IA32_SYSENTER_CS		0x174
#define MSR_IA32_SYSENTER_ESP		0x175
#define MSR_IA32_SYSENTER_EIP		0x176
#define MSR_IA32_PAT			0x277
#define MSR_FS_BASE			0xc0000100
#define MSR_GS_BASE			0xc0000101
#define CR0_ET				BIT(4)
#define CR0_NE				BIT(5)
#define CR4_OSXSAVE			BIT(18)
#define HOST_STACK_FRAMES		4
#define VMX_MISC_WAIT_FOR_SIPI		BIT(8)			 /* IA32_VMX_MISC (A.6) */
#define VMX_MISC_TIMER_RATE(m)		((unsigned int)(m)&0x1f) /* A.6: TSC bit that ticks it */
#define ACTIVITY_WAIT_FOR_SIPI		3
#define GUEST_PAT_DEFAULT		0x0007040600070406ull /* the reset value (SDM 3A 13.12.4) */

static struct vm hv_vm;
static struct vcpu hv_vcpu[SMP_CPUS_MAX];
static struct mtrr_state hv_mtrr;
/* The VMX-preemption timer (SDM Vol. 3C 25.5.1), the same on every vCPU: the value a
 * period loads (timer ticks; 0: the timer is off) and whether exits save the count. */
static uint32_t hv_timer_value;
static bool hv_timer_saved;

static const char *const vm_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_instruction_error_name(uint32_t err)
{
	if (err < ARRAY_SIZE(vm_errors) && vm_errors[err])
		return vm_errors[err];
	return "unknown VM-instruction error";
}

/* vmx_check() - report a VMX instruction's failure (SDM Vol. 3C 31.2); 0 or -EIO. */
static int vmx_check(const char *what, uint64_t rflags)
{
	uint32_t err;

	if (rflags & RFLAGS_CF) {
		log_err("%s failed: VMfailInvalid (no current VMCS or bad operand)", what);
		return -EIO;
	}
	if (rflags & RFLAGS_ZF) {
		err = (uint32_t)vmcs_read(VM_INSTRUCTION_ERROR);
		log_err("%s failed: VMfailValid, VM-instruction error %u: %s", what, err,
			vmx_instruction_error_name(err));
		return -EIO;
	}
	return 0;
}

/* VMWRITE that remembers the first failure (a VMCS is set up field by field). */
static int vmcs_setup_err;

static void vmw(uint64_t field, uint64_t val)
{
	uint64_t rf = vmcs_write(field, val);

	if ((rf & (RFLAGS_CF | RFLAGS_ZF)) && !vmcs_setup_err) {
		log_err("VMWRITE of field 0x%04llx = 0x%llx:", (unsigned long long)field,
			(unsigned long long)val);
		vmcs_setup_err = vmx_check("VMWRITE", rf);
	}
}

/*
 * IA32_FEATURE_CONTROL (SDM Vol. 3C 24.7): locked with VMX-outside-SMX clear means the
 * firmware switched VMX off; unlocked, we enable VMX outside SMX and lock it.
 */
static int feature_control_enable(void)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (fc & FEATURE_CONTROL_LOCKED) {
		if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
			log_err("IA32_FEATURE_CONTROL 0x%llx is locked with VMX outside SMX off: "
				"enable VT-x in the firmware setup",
				(unsigned long long)fc);
			return -EPERM;
		}
		return 0;
	}
	wrmsr(MSR_IA32_FEATURE_CONTROL,
	      fc | FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
	log_info("IA32_FEATURE_CONTROL was unlocked: set VMX outside SMX and locked it");
	return 0;
}

/*
 * vmx_cpu_on() - enter VMX root operation on this CPU (SDM Vol. 3C 24.8): CR0/CR4 fixed
 * bits (A.7, A.8), CR4.VMXE, a VMXON region with the revision identifier (24.11.5).
 */
static int vmx_cpu_on(struct vcpu *v, const struct cpu_info *ci)
{
	const struct vmx_caps *c = &ci->vmx_caps;
	const struct vmx_cap_msrs *msr = &ci->vmx_msrs;
	uint64_t cr0, cr4;
	int ret;

	if (!ci->vmx)
		return -ENODEV; /* CPUID.1:ECX.VMX = 0: never touch CR4.VMXE */
	ret = feature_control_enable();
	if (ret)
		return ret;
	if (c->vmcs_size == 0 || c->vmcs_size > PAGE_SIZE) {
		log_err("IA32_VMX_BASIC gives a VMCS region of %u bytes", c->vmcs_size);
		return -ENODEV;
	}
	v->cr0_fixed0 = msr->cr0_fixed0;
	v->cr0_fixed1 = msr->cr0_fixed1;
	v->cr4_fixed0 = msr->cr4_fixed0;
	v->cr4_fixed1 = msr->cr4_fixed1;
	cr0 = (read_cr0() | msr->cr0_fixed0) & msr->cr0_fixed1;
	cr4 = (read_cr4() | msr->cr4_fixed0 | CR4_VMXE) & msr->cr4_fixed1;
	if (ci->xsave)
		cr4 |= CR4_OSXSAVE; /* so that the guest's XSETBV can be done for it */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");

	ret = host_frames_alloc(1, 1, &v->vmxon_region);
	if (!ret)
		ret = host_frames_alloc(1, 1, &v->vmcs);
	if (!ret)
		ret = host_frames_alloc(1, 1, &v->msr_bitmap);
	if (ret)
		return ret;
	*(uint32_t *)hpa_to_hva(v->vmxon_region) = c->revision;
	*(uint32_t *)hpa_to_hva(v->vmcs) = c->revision;
	ret = vmx_check("VMXON", vmx_on(v->vmxon_region));
	if (ret)
		return ret;
	v->vmxon = true;
	ret = vmx_check("VMCLEAR", vmx_clear(v->vmcs));
	if (!ret)
		ret = vmx_check("VMPTRLD", vmx_ptrld(v->vmcs));
	return ret;
}

/* The MSR bitmap (SDM Vol. 3C 25.6.9): exits only for IA32_FEATURE_CONTROL and the VMX
 * capability MSRs, which the guest must not see (CPUID hides VMX). */
static void msr_bitmap_init(struct vcpu *v)
{
	uint8_t *bm = hpa_to_hva(v->msr_bitmap);
	uint32_t msrs[1 + 0x13];

	msrs[0] = MSR_IA32_FEATURE_CONTROL;
	for (uint32_t i = 0; i < 0x13; i++)
		msrs[1 + i] = MSR_IA32_VMX_BASIC + i;
	for (uint32_t i = 0; i < ARRAY_SIZE(msrs); i++) {
		bm[msrs[i] / 8] |= 1u << (msrs[i] % 8);	       /* read, low MSRs */
		bm[2048 + msrs[i] / 8] |= 1u << (msrs[i] % 8); /* write, low MSRs */
	}
}

/* Each control from its capability MSR (A.3-A.5): wanted bits, forced bits added. */
static int ctl(const char *name, const struct vmx_ctl_cap *cap, uint32_t want, uint32_t need,
	       uint32_t *out)
{
	if (!vmx_ctl_adjust(cap, want, out) && (need & ~cap->allowed1)) {
		log_err("%s controls: this CPU cannot set 0x%08x (allowed-1 0x%08x)", name,
			need & ~cap->allowed1, cap->allowed1);
		return -ENODEV;
	}
	return 0;
}

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* Host state (SDM Vol. 3C 25.5, checks 27.2.2-27.2.4): this CPU's own tables and stack. */
static void vmcs_host_state(struct vcpu *v, uint32_t exit_ctl)
{
	struct desc_ptr gdtr, idtr;
	uint16_t tr;
	uint64_t tss_lo, tss_hi, tr_base;
	extern char vmx_exit_entry[];

	__asm__ volatile("sgdt %0; sidt %1; str %2" : "=m"(gdtr), "=m"(idtr), "=r"(tr));
	tss_lo = ((uint64_t *)gdtr.base)[tr / 8];
	tss_hi = ((uint64_t *)gdtr.base)[tr / 8 + 1];
	tr_base = ((tss_lo >> 16) & 0xffffff) | (((tss_lo >> 56) & 0xff) << 24) | (tss_hi << 32);

	vmw(HOST_CR0, read_cr0());
	vmw(HOST_CR3, read_cr3());
	vmw(HOST_CR4, read_cr4());
	vmw(HOST_CS_SELECTOR, SEL_CODE64);
	vmw(HOST_SS_SELECTOR, SEL_DATA);
	vmw(HOST_DS_SELECTOR, SEL_DATA);
	vmw(HOST_ES_SELECTOR, SEL_DATA);
	vmw(HOST_FS_SELECTOR, 0);
	vmw(HOST_GS_SELECTOR, 0);
	vmw(HOST_TR_SELECTOR, tr);
	vmw(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmw(HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmw(HOST_TR_BASE, tr_base);
	vmw(HOST_GDTR_BASE, gdtr.base);
	vmw(HOST_IDTR_BASE, idtr.base);
	vmw(HOST_IA32_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmw(HOST_IA32_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmw(HOST_IA32_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	if (exit_ctl & VM_EXIT_LOAD_IA32_EFER)
		vmw(HOST_IA32_EFER, rdmsr(MSR_EFER));
	if (exit_ctl & VM_EXIT_LOAD_IA32_PAT)
		vmw(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmw(HOST_RSP, v->host_stack_top - 16);
	vmw(HOST_RIP, (uint64_t)vmx_exit_entry);
}

/*
 * Guest state at the first entry (SDM Vol. 3C 25.4, checks 27.3.1): 32-bit protected
 * mode, paging off (unrestricted guest), flat 4-GiB code and data segments, interrupts
 * off -- the state a Multiboot loader gives its kernel. EAX = VSVA_GUEST_BOOT_MAGIC,
 * EBX = GPA of struct vsva_guest_boot.
 */
static void vmcs_guest_state(struct vcpu *v, const struct guest_image *img, uint32_t entry_ctl)
{
	uint64_t cr0 = ((CR0_PE | CR0_ET) | (v->cr0_fixed0 & ~(CR0_PE | CR0_PG))) & v->cr0_fixed1;
	uint64_t cr4 = v->cr4_fixed0 & v->cr4_fixed1;
	static const uint32_t sel[] = { GUEST_ES_SELECTOR, GUEST_SS_SELECTOR, GUEST_DS_SELECTOR,
					GUEST_FS_SELECTOR, GUEST_GS_SELECTOR };
	static const uint32_t lim[] = { GUEST_ES_LIMIT, GUEST_SS_LIMIT, GUEST_DS_LIMIT,
					GUEST_FS_LIMIT, GUEST_GS_LIMIT };
	static const uint32_t ar[] = { GUEST_ES_AR_BYTES, GUEST_SS_AR_BYTES, GUEST_DS_AR_BYTES,
				       GUEST_FS_AR_BYTES, GUEST_GS_AR_BYTES };
	static const uint32_t base[] = { GUEST_ES_BASE, GUEST_SS_BASE, GUEST_DS_BASE, GUEST_FS_BASE,
					 GUEST_GS_BASE };

	/* The guest owns every CR0/CR4 bit except those VMX fixes (PE/PG are its own with
	 * unrestricted guest); reads of those come from the shadows. */
	v->cr0_mask = (v->cr0_fixed0 & ~(CR0_PE | CR0_PG)) | (~v->cr0_fixed1 & 0xffffffffull);
	v->cr4_mask = v->cr4_fixed0 | (~v->cr4_fixed1 & 0xffffffffull);
	vmw(CR0_GUEST_HOST_MASK, v->cr0_mask);
	vmw(CR4_GUEST_HOST_MASK, v->cr4_mask);
	vmw(CR0_READ_SHADOW, cr0);
	vmw(CR4_READ_SHADOW, 0);
	vmw(GUEST_CR0, cr0);
	vmw(GUEST_CR3, 0);
	vmw(GUEST_CR4, cr4);
	vmw(GUEST_DR7, 0x400);

	vmw(GUEST_CS_SELECTOR, 0x08);
	vmw(GUEST_CS_BASE, 0);
	vmw(GUEST_CS_LIMIT, 0xffffffff);
	vmw(GUEST_CS_AR_BYTES, 0xc09b); /* code exec/read accessed, S, P, D, G */
	for (unsigned int i = 0; i < ARRAY_SIZE(sel); i++) {
		vmw(sel[i], 0x10);
		vmw(base[i], 0);
		vmw(lim[i], 0xffffffff);
		vmw(ar[i], 0xc093); /* data read/write accessed, S, P, B, G */
	}
	vmw(GUEST_LDTR_SELECTOR, 0);
	vmw(GUEST_LDTR_BASE, 0);
	vmw(GUEST_LDTR_LIMIT, 0);
	vmw(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE);
	vmw(GUEST_TR_SELECTOR, 0);
	vmw(GUEST_TR_BASE, 0);
	vmw(GUEST_TR_LIMIT, 0x67);
	vmw(GUEST_TR_AR_BYTES, 0x008b); /* busy 32-bit TSS, P (27.3.1.2) */
	vmw(GUEST_GDTR_BASE, 0);
	vmw(GUEST_GDTR_LIMIT, 0xffff);
	vmw(GUEST_IDTR_BASE, 0);
	vmw(GUEST_IDTR_LIMIT, 0xffff);

	vmw(GUEST_RSP, 0);
	vmw(GUEST_RIP, img->entry);
	vmw(GUEST_RFLAGS, 0x2);
	vmw(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmw(GUEST_ACTIVITY_STATE, 0);
	vmw(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmw(GUEST_SYSENTER_CS, 0);
	vmw(GUEST_SYSENTER_ESP, 0);
	vmw(GUEST_SYSENTER_EIP, 0);
	vmw(GUEST_IA32_DEBUGCTL, 0);
	vmw(VMCS_LINK_POINTER, ~0ull);
	if (entry_ctl & VM_ENTRY_LOAD_IA32_EFER)
		vmw(GUEST_IA32_EFER, 0);
	if (entry_ctl & VM_ENTRY_LOAD_IA32_PAT)
		vmw(GUEST_IA32_PAT, GUEST_PAT_DEFAULT);

	memset(&v->launch_regs, 0, sizeof(v->launch_regs));
	v->launch_regs.rax = VSVA_GUEST_BOOT_MAGIC;
	v->launch_regs.rbx = img->boot_gpa;
}

/*
 * Linux 32-bit boot protocol (Documentation/arch/x86/boot.rst, hv/linux_boot.h): the
 * same flat protected mode, but CS = __BOOT_CS 0x10 and DS/ES/SS/FS/GS = __BOOT_DS 0x18
 * from the GDT the loader wrote at img->linux_gdt (GPA), ESI = boot_params (GPA),
 * EAX/EBX/EBP/EDI = 0.
 */
static void vmcs_guest_linux(struct vcpu *v, const struct guest_image *img)
{
	static const uint32_t sel[] = { GUEST_ES_SELECTOR, GUEST_SS_SELECTOR, GUEST_DS_SELECTOR,
					GUEST_FS_SELECTOR, GUEST_GS_SELECTOR };

	vmw(GUEST_CS_SELECTOR, 0x10);
	for (unsigned int i = 0; i < ARRAY_SIZE(sel); i++)
		vmw(sel[i], 0x18);
	vmw(GUEST_GDTR_BASE, img->linux_gdt);
	vmw(GUEST_GDTR_LIMIT, 0x1f);
	memset(&v->launch_regs, 0, sizeof(v->launch_regs));
	v->launch_regs.rsi = img->linux_params;
}

/*
 * vmx_guest_init_state() - the guest state after INIT (SDM Vol. 3A 9.1.1 Table 9-1) with
 * the wait-for-SIPI activity state (SDM Vol. 3C 25.4.2, 26.6.? "wait-for-SIPI"): real
 * mode (unrestricted guest), CS F000:FFF0 with base FFFF0000, flat 64-KiB data segments.
 * The SIPI exit then sets CS:IP from the vector (vmx_guest_sipi()).
 */
void vmx_guest_init_state(struct vcpu *v, struct guest_regs *r)
{
	uint64_t cr0_init = 0x60000010ull; /* CD, NW, ET */
	uint64_t cr0 = (cr0_init | (v->cr0_fixed0 & ~(CR0_PE | CR0_PG))) & v->cr0_fixed1;
	static const uint32_t sel[] = { GUEST_ES_SELECTOR, GUEST_SS_SELECTOR, GUEST_DS_SELECTOR,
					GUEST_FS_SELECTOR, GUEST_GS_SELECTOR };

	vmcs_write(CR0_READ_SHADOW, cr0_init);
	vmcs_write(CR4_READ_SHADOW, 0);
	vmcs_write(GUEST_CR0, cr0);
	vmcs_write(GUEST_CR3, 0);
	vmcs_write(GUEST_CR4, v->cr4_fixed0 & v->cr4_fixed1);
	vmcs_write(GUEST_DR7, 0x400);
	vmcs_write(GUEST_CS_SELECTOR, 0xf000);
	vmcs_write(GUEST_CS_BASE, 0xffff0000);
	vmcs_write(GUEST_CS_LIMIT, 0xffff);
	vmcs_write(GUEST_CS_AR_BYTES, 0x009b); /* code exec/read accessed, S, P; 16-bit */
	for (unsigned int i = 0; i < ARRAY_SIZE(sel); i++) {
		vmcs_write(sel[i], 0);
		vmcs_write(sel[i] + (GUEST_ES_BASE - GUEST_ES_SELECTOR), 0);
		vmcs_write(sel[i] + (GUEST_ES_LIMIT - GUEST_ES_SELECTOR), 0xffff);
		vmcs_write(sel[i] + (GUEST_ES_AR_BYTES - GUEST_ES_SELECTOR), 0x0093);
	}
	vmcs_write(GUEST_LDTR_SELECTOR, 0);
	vmcs_write(GUEST_LDTR_BASE, 0);
	vmcs_write(GUEST_LDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_LDTR_AR_BYTES, 0x0082);
	vmcs_write(GUEST_TR_SELECTOR, 0);
	vmcs_write(GUEST_TR_BASE, 0);
	vmcs_write(GUEST_TR_LIMIT, 0xffff);
	vmcs_write(GUEST_TR_AR_BYTES, 0x008b);
	vmcs_write(GUEST_GDTR_BASE, 0);
	vmcs_write(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_IDTR_BASE, 0);
	vmcs_write(GUEST_IDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_RSP, 0);
	vmcs_write(GUEST_RIP, 0xfff0);
	vmcs_write(GUEST_RFLAGS, 0x2);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write(VM_ENTRY_CONTROLS, vmcs_read(VM_ENTRY_CONTROLS) & ~VM_ENTRY_IA32E_MODE);
	if (vmcs_read(VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_IA32_EFER)
		vmcs_write(GUEST_IA32_EFER, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, ACTIVITY_WAIT_FOR_SIPI);
	memset(r, 0, sizeof(*r));
	r->rdx = cpuid(1, 0).eax; /* the processor signature, as after a hardware INIT */
}

void vmx_guest_sipi(struct vcpu *v, uint8_t vector)
{
	vmcs_write(GUEST_CS_SELECTOR, (uint64_t)vector << 8);
	vmcs_write(GUEST_CS_BASE, (uint64_t)vector << 12);
	vmcs_write(GUEST_CS_LIMIT, 0xffff);
	vmcs_write(GUEST_CS_AR_BYTES, 0x009b);
	vmcs_write(GUEST_RIP, 0);
	/* Nothing is blocked after a SIPI; what the CPU saved for the wait-for-SIPI state
	 * (e.g. blocking by SMI, which 27.3.1.5 forbids outside SMM) must not come back. */
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, 0);
}

/*
 * The VMX-preemption timer's period for this CPU (SDM Vol. 3C 25.5.1): when a periodic
 * poll is wanted (vvtd_boot_poll_period_us(): the virtual VT-d unit is on) and
 * IA32_VMX_PINBASED_CTLS allows pin-based control bit 6, the period in timer ticks: TSC
 * ticks (tsc_khz()) shifted right by IA32_VMX_MISC bits 4:0 (Appendix A.6), at least 1.
 * 0: no timer.
 */
static uint32_t preemption_timer_value(const struct cpu_info *ci)
{
	uint64_t us = vvtd_boot_poll_period_us(), ticks;

	if (!us || !(ci->vmx_caps.pin.allowed1 & PIN_BASED_VMX_PREEMPTION_TIMER))
		return 0;
	ticks = (tsc_khz() * us / 1000) >> VMX_MISC_TIMER_RATE(ci->vmx_msrs.misc);
	return ticks ? (uint32_t)MIN(ticks, (uint64_t)UINT32_MAX) : 1;
}

bool vmx_preemption_timer_on(void)
{
	return hv_timer_value != 0;
}

void vmx_preemption_timer_rearm(void)
{
	/* With "save VMX-preemption timer value" the exit left 0 in the field; without it
	 * every entry reloads the field, which still holds the period. */
	if (hv_timer_value && hv_timer_saved)
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, hv_timer_value);
}

/* Execution, exit and entry controls (SDM Vol. 3C 25.6-25.8), each adjusted to what the
 * capability MSRs allow (TRUE_* when IA32_VMX_BASIC[55]: vmx_caps_decode chose them).
 * @timer: the VMX-preemption timer's period in timer ticks, 0 for none. */
static int vmcs_controls(struct vcpu *v, const struct vmx_caps *c, uint32_t timer,
			 uint32_t *exit_out, uint32_t *entry_out)
{
	uint32_t pin, proc, proc2 = 0, exit, entry, want2;
	uint32_t save_timer = timer ? c->exit.allowed1 & VM_EXIT_SAVE_PREEMPTION_TIMER : 0;
	int ret;

	ret = ctl("pin-based", &c->pin, timer ? PIN_BASED_VMX_PREEMPTION_TIMER : 0,
		  timer ? PIN_BASED_VMX_PREEMPTION_TIMER : 0, &pin);
	if (!ret)
		ret = ctl("processor-based", &c->proc,
			  CPU_BASED_HLT_EXITING | CPU_BASED_USE_MSR_BITMAPS |
				  CPU_BASED_ACTIVATE_SECONDARY,
			  CPU_BASED_HLT_EXITING | CPU_BASED_USE_MSR_BITMAPS |
				  CPU_BASED_ACTIVATE_SECONDARY,
			  &proc);
	if (ret)
		return ret;
	/* Secondary: EPT and unrestricted guest are required; VPID when there; RDTSCP,
	 * INVPCID and XSAVES so the guest's instructions behave as on the bare CPU. */
	want2 = VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED | VMX_PROC2_VPID | VMX_PROC2_RDTSCP |
		VMX_PROC2_INVPCID | VMX_PROC2_XSAVES;
	want2 &= c->proc2.allowed1;
	ret = ctl("secondary", &c->proc2, want2, VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED, &proc2);
	if (!ret)
		ret = ctl("VM-exit", &c->exit,
			  VM_EXIT_HOST_ADDR_SPACE_SIZE |
				  (c->exit.allowed1 &
				   (VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER |
				    VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT)) |
				  save_timer,
			  VM_EXIT_HOST_ADDR_SPACE_SIZE, &exit);
	if (!ret)
		ret = ctl("VM-entry", &c->entry,
			  c->entry.allowed1 & (VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT), 0,
			  &entry);
	if (ret)
		return ret;
	entry &= ~VM_ENTRY_IA32E_MODE; /* the guest starts in 32-bit protected mode */
	if (c->entry.allowed0 & VM_ENTRY_IA32E_MODE)
		return -ENODEV;

	vmw(PIN_BASED_VM_EXEC_CONTROL, pin);
	vmw(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmw(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmw(VM_EXIT_CONTROLS, exit);
	vmw(VM_ENTRY_CONTROLS, entry);
	vmw(EXCEPTION_BITMAP, 0);
	vmw(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmw(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmw(CR3_TARGET_COUNT, 0);
	vmw(VM_EXIT_MSR_STORE_COUNT, 0);
	vmw(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmw(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmw(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmw(MSR_BITMAP, v->msr_bitmap);
	vmw(EPT_POINTER, v->vm->eptp);
	if (proc2 & VMX_PROC2_VPID)
		vmw(VIRTUAL_PROCESSOR_ID, v->vm->vpid);
	else
		v->vm->vpid = 0;
	if (timer) {
		vmw(VMX_PREEMPTION_TIMER_VALUE, timer);
		hv_timer_value = timer;
		hv_timer_saved = (exit & VM_EXIT_SAVE_PREEMPTION_TIMER) != 0;
	}
	v->unrestricted = true;
	log_info("controls: pin 0x%08x proc 0x%08x proc2 0x%08x exit 0x%08x entry 0x%08x%s", pin,
		 proc, proc2, exit, entry, c->true_ctls ? " (TRUE capability MSRs)" : "");
	if (timer && v->cpu == 0)
		log_info("VMX-preemption timer: %u ticks (TSC >> %u) = %llu us between polls, %s",
			 timer, VMX_MISC_TIMER_RATE(v->vm->ci->vmx_msrs.misc),
			 (unsigned long long)vvtd_boot_poll_period_us(),
			 hv_timer_saved ? "count saved across exits" : "reloaded at every entry");
	*exit_out = exit;
	*entry_out = entry;
	return 0;
}

/* Guest map and EPT, once per VM (design.md: one map for EPT and the IOMMU). */
static int vm_memory_init(struct vm *vm, const struct boot_info *bi, const struct cpu_info *ci)
{
	const struct vmx_caps *c = &ci->vmx_caps;
	int ret;

	mtrr_read(&hv_mtrr, ci->phys_bits);
	ret = guest_map_build(bi, &hv_mtrr, &vm->map);
	if (ret) {
		log_err("guest map: too many ranges (%d)", ret);
		return ret;
	}
	vvtd_boot_reserve(&vm->map, bi->cmdline); /* before EPT: the vIOMMU page stays unmapped */
	guest_map_log(&vm->map);
	if (!(c->ept_vpid & VMX_EPT_WALK_4)) {
		log_err("EPT without a 4-level walk: not supported");
		return -ENODEV;
	}
	ret = ept_build(&vm->ept, &vm->map, c->ept_vpid);
	if (ret) {
		log_err("EPT build failed (%d)", ret);
		return ret;
	}
	vm->eptp = ept_pointer(&vm->ept, c->ept_vpid);
	vm->vpid = c->vpid ? 1 : 0;
	log_info("guest map: %u ranges, RAM %llu MiB, MTRRs %s (default %s); hv image and pool "
		 "absent",
		 vm->map.count, (unsigned long long)(vm->map.ram_bytes >> 20),
		 hv_mtrr.present ? (hv_mtrr.enabled ? "on" : "off") : "absent",
		 mtrr_type_name(hv_mtrr.def_type));
	log_info("EPT: EPTP 0x%llx, %llu table frames, %llu 1-GiB + %llu 2-MiB + %llu 4-KiB "
		 "pages, VPID %u",
		 (unsigned long long)vm->eptp, (unsigned long long)vm->ept.table_frames,
		 (unsigned long long)vm->ept.pages_1g, (unsigned long long)vm->ept.pages_2m,
		 (unsigned long long)vm->ept.pages_4k, vm->vpid);
	return 0;
}

/* SDM Vol. 3C 29.4.3.1: no stale translations for this EPTP or VPID (in VMX operation). */
static int vm_tlb_flush(const struct vm *vm, const struct vmx_caps *c)
{
	int ret = 0;

	if (c->ept_vpid & VMX_EPT_INVEPT_SINGLE)
		ret = vmx_check("INVEPT", invept(INVEPT_SINGLE_CONTEXT, vm->eptp));
	if (!ret && vm->vpid && (c->ept_vpid & VMX_VPID_INVVPID_SINGLE))
		ret = vmx_check("INVVPID", invvpid(INVVPID_SINGLE_CONTEXT, vm->vpid, 0));
	return ret;
}

/* The launch: VMLAUNCH returns here only on VMfail; an entry that fails on guest state
 * arrives as a VM exit with bit 31 (hv/exit.c). */
static int vcpu_launch(struct vcpu *v, uint64_t tsc_start)
{
	uint64_t rf;

	/* Bochs with clock sync=none: TSC ticks are instructions (platforms.md). */
	log_info("bench: TSC %llu at vmx_start entry, %llu before VMLAUNCH",
		 (unsigned long long)tsc_start, (unsigned long long)rdtsc());
	log_info("launching the guest at RIP 0x%llx (32-bit protected mode, paging off)",
		 (unsigned long long)vmcs_read(GUEST_RIP));
	rf = vmx_launch(&v->launch_regs);
	return vmx_check("VMLAUNCH", rf);
}

noreturn void vmx_resume_failed(struct vcpu *v, uint64_t rflags);

noreturn void vmx_resume_failed(struct vcpu *v, uint64_t rflags)
{
	vmx_check("VMRESUME", rflags);
	log_err("guest stopped");
	hv_halt(1);
}

/* Self-test: selftest=bad-guest-state makes one guest-state field wrong, so that the
 * entry-failure report is exercised (tests/bochs/test-vmx.sh). */
static void selftest_bad_guest_state(const char *cmdline)
{
	if (!selftest_chosen(cmdline, "bad-guest-state"))
		return;
	log_warn("selftest: making GUEST_TR_AR_BYTES an available (not busy) TSS");
	vmw(GUEST_TR_AR_BYTES, 0x0089);
}

/*
 * vcpu_vmx_setup() - VMXON on this CPU and a VMCS for @v: controls, host state on this
 * CPU's own tables and @v's host stack (SDM Vol. 3C 24-25). The guest state is the
 * caller's. Returns 0, or a negative errno after a log line.
 */
static int vcpu_vmx_setup(struct vcpu *v, const struct cpu_info *ci, uint32_t *exit_ctl,
			  uint32_t *entry_ctl)
{
	int ret;

	*(struct vcpu **)(v->host_stack_top - 16) = v;
	ret = vmx_cpu_on(v, ci);
	if (ret) {
		log_err("cpu %u: VMX could not be turned on (%d)", v->cpu, ret);
		return ret;
	}
	log_info("cpu %u: VMXON done (revision 0x%x, CR0 0x%llx, CR4 0x%llx), VMCS at 0x%llx",
		 v->cpu, ci->vmx_caps.revision, (unsigned long long)read_cr0(),
		 (unsigned long long)read_cr4(), (unsigned long long)v->vmcs);
	ret = vm_tlb_flush(v->vm, &ci->vmx_caps);
	if (ret)
		return ret;
	msr_bitmap_init(v);
	vmcs_setup_err = 0;
	ret = vmcs_controls(v, &ci->vmx_caps, preemption_timer_value(ci), exit_ctl, entry_ctl);
	if (ret)
		return ret;
	vmcs_host_state(v, *exit_ctl);
	return vmcs_setup_err;
}

/*
 * vmx_ap_main() - an AP's part (hv/smp.c calls it on the AP, in long mode on its own
 * stack and tables): VMXON, a VMCS like the BSP's with the guest in the INIT state and
 * the wait-for-SIPI activity state (SDM Vol. 3C 25.4.2), then VMLAUNCH. The guest's
 * INIT-SIPI-SIPI later starts it (hv/exit.c). Returns only on failure.
 */
static void vmx_ap_main(unsigned int cpu, uint64_t stack_top)
{
	const struct cpu_info *ci = hv_vm.ci;
	struct vcpu *v = &hv_vcpu[cpu];
	uint32_t exit_ctl, entry_ctl;
	uint64_t rf;

	memset(v, 0, sizeof(*v));
	v->cpu = cpu;
	v->vm = &hv_vm;
	v->host_stack_top = stack_top;
	if (!(ci->vmx_msrs.misc & VMX_MISC_WAIT_FOR_SIPI)) {
		log_err("cpu %u: IA32_VMX_MISC 0x%llx: no wait-for-SIPI activity state", cpu,
			(unsigned long long)ci->vmx_msrs.misc);
		return;
	}
	if (vcpu_vmx_setup(v, ci, &exit_ctl, &entry_ctl))
		return;
	if (vsva_boot_vmcs(v->vm))
		return;
	vmcs_guest_state(v, &(struct guest_image){ 0 }, entry_ctl);
	vmx_guest_init_state(v, &v->launch_regs);
	if (vmcs_setup_err)
		return;
	log_info("cpu %u: guest CPU in the wait-for-SIPI state, launching", cpu);
	smp_ap_report(cpu, SMP_AP_READY);
	rf = vmx_launch(&v->launch_regs);
	vmx_check("VMLAUNCH", rf);
	log_err("cpu %u: guest CPU not launched", cpu);
}

/* The CPUs to run: the loader's list (UEFI), else the MADT's (Multiboot2). */
static unsigned int vm_cpu_list(const struct boot_info *bi, const struct acpi_info *acpi,
				uint32_t *ids)
{
	const struct acpi_table_header *madt;
	int n;

	if (bi->cpu_count) {
		n = (int)(bi->cpu_count < BOOT_CPUS_MAX ? bi->cpu_count : BOOT_CPUS_MAX);
		memcpy(ids, bi->apic_id, (size_t)n * sizeof(*ids));
		return (unsigned int)n;
	}
	madt = acpi ? acpi_find(acpi, "APIC", 0) : NULL;
	if (!madt)
		return 0;
	n = smp_madt_apic_ids(madt, madt->length, ids, BOOT_CPUS_MAX);
	if (n < 0)
		log_warn("MADT at 0x%llx is malformed (%d): running the BSP only",
			 (unsigned long long)hva_to_hpa(madt), n);
	return n < 0 ? 0 : (unsigned int)n;
}

/* APs on Multiboot2: the core starts each into VMX, guest CPU in wait-for-SIPI. */
static void vm_start_aps(const struct boot_info *bi, const struct acpi_info *acpi)
{
	uint32_t ids[BOOT_CPUS_MAX];
	unsigned int n = vm_cpu_list(bi, acpi, ids), ready;

	if (n <= 1) {
		log_info("smp: %u CPU listed (%s): the guest gets the BSP only", n ? n : 1,
			 bi->cpu_count ? "loader" : "MADT");
		return;
	}
	if (bi->source != BOOT_SOURCE_MB2) {
		log_info("smp: %u CPUs; on UEFI the loader brings each AP into the core "
			 "afterwards (MP services StartupAllAPs -> hv_ap_entry)",
			 n);
		return;
	}
	ready = smp_start_aps(ids, n, bi->bsp_apic_id, vmx_ap_main);
	hv_vm.nr_vcpus += ready;
	log_info("smp: %u CPUs listed, %u APs in VMX waiting for the guest's SIPI, %u vCPUs", n,
		 ready, hv_vm.nr_vcpus);
}

/* The guest-register state @gs into the current VMCS (SDM Vol. 3C 25.4); the segment
 * fields are laid out ES, CS, SS, DS, FS, GS, LDTR, TR, 2 apart in each group. */
static void vmcs_write_guest_state(const struct vmx_guest_state *gs, uint32_t entry_ctl)
{
	for (unsigned int i = 0; i < VSEG_COUNT; i++) {
		vmw(GUEST_ES_SELECTOR + 2 * i, gs->seg[i].sel);
		vmw(GUEST_ES_BASE + 2 * i, gs->seg[i].base);
		vmw(GUEST_ES_LIMIT + 2 * i, gs->seg[i].limit);
		vmw(GUEST_ES_AR_BYTES + 2 * i, gs->seg[i].ar);
	}
	vmw(CR0_READ_SHADOW, gs->cr0_shadow);
	vmw(CR4_READ_SHADOW, gs->cr4_shadow);
	vmw(GUEST_CR0, gs->cr0);
	vmw(GUEST_CR3, gs->cr3);
	vmw(GUEST_CR4, gs->cr4);
	vmw(GUEST_DR7, gs->dr7);
	vmw(GUEST_GDTR_BASE, gs->gdtr_base);
	vmw(GUEST_GDTR_LIMIT, gs->gdtr_limit);
	vmw(GUEST_IDTR_BASE, gs->idtr_base);
	vmw(GUEST_IDTR_LIMIT, gs->idtr_limit);
	vmw(GUEST_RSP, gs->rsp);
	vmw(GUEST_RIP, gs->rip);
	vmw(GUEST_RFLAGS, gs->rflags);
	vmw(GUEST_INTERRUPTIBILITY_INFO, gs->interruptibility);
	vmw(GUEST_ACTIVITY_STATE, gs->activity);
	vmw(VMCS_LINK_POINTER, gs->link_pointer);
	if (entry_ctl & VM_ENTRY_LOAD_IA32_EFER)
		vmw(GUEST_IA32_EFER, gs->efer);
	vmw(VM_ENTRY_CONTROLS,
	    gs->ia32e_mode ? entry_ctl | VM_ENTRY_IA32E_MODE : entry_ctl & ~VM_ENTRY_IA32E_MODE);
}

/*
 * vmx_bluepill() - UEFI: turn VMX on under the running firmware and resume it as the
 * guest where it called hv_entry (boot_info.ret), so that it sees hv_entry return 0 and
 * goes on (boots the OS) on top of the hypervisor. Guest state from the loader's context
 * and the firmware's GDT, checked against SDM 27.3.1 before VMLAUNCH; EPT from the guest
 * map (hv memory absent). HLT is not intercepted: firmware idles with HLT. Returns only
 * when it cannot launch (negative errno, a log line says why): the core then returns to
 * the firmware directly, as without VMX.
 */
/* Leave VMX operation (SDM Vol. 3C 24.8: VMXOFF, then CR4.VMXE may be cleared), so that
 * the core can give the CPU back to the firmware as it found it. */
static void vmx_cpu_off(struct vcpu *v)
{
	if (v->vmxon) {
		__asm__ volatile("vmxoff" ::: "cc", "memory");
		v->vmxon = false;
	}
	__asm__ volatile("mov %0, %%cr4" : : "r"(read_cr4() & ~CR4_VMXE) : "memory");
}

static int vmx_bluepill_launch(const struct boot_info *bi, const struct cpu_info *ci,
			       const struct acpi_info *acpi);
static bool hv_bluepill_up; /* the BSP runs as the guest: APs may follow */

static int vmx_bluepill(const struct boot_info *bi, const struct cpu_info *ci,
			const struct acpi_info *acpi)
{
	int ret = vmx_bluepill_launch(bi, ci, acpi);

	vmx_cpu_off(&hv_vcpu[0]); /* only reached when the launch did not happen */
	log_warn("blue pill: not launched (%d): VMX off, returning to the firmware directly", ret);
	return ret;
}

/*
 * bluepill_resume() - VMX on this CPU for @v and the firmware context @ctx resumed as
 * its guest (SDM Vol. 3C 24-27): the guest state from @ctx and the firmware's GDT
 * (vmx_guest_state_from_firmware(), CR3 = @firmware_cr3 when known), checked against
 * 27.3.1 before VMLAUNCH; HLT not intercepted (firmware idles with HLT). @bsp: the BSP,
 * whose launch makes the core resident for the APs. Returns only when the launch did
 * not happen (negative errno, a log line says why); the caller leaves VMX then.
 */
static int bluepill_resume(struct vcpu *v, const struct cpu_info *ci,
			   const struct boot_return_ctx *ctx, uint64_t firmware_cr3, bool bsp)
{
	const struct vmx_cap_msrs *m = &ci->vmx_msrs;
	struct vmx_guest_state gs;
	struct vmx_check_env env;
	uint32_t exit_ctl, entry_ctl;
	const char *bad;
	char why[160];
	int ret;

	if (!host_hpa_mapped(ctx->gdtr_base, (uint64_t)ctx->gdtr_limit + 1)) {
		log_err("cpu %u: blue pill: the firmware's GDT at 0x%llx is not mapped", v->cpu,
			(unsigned long long)ctx->gdtr_base);
		return -EFAULT;
	}
	ret = vcpu_vmx_setup(v, ci, &exit_ctl, &entry_ctl);
	if (ret)
		return ret;
	vmcs_guest_state(v, &(struct guest_image){ 0 }, entry_ctl); /* masks, MSRs, defaults */
	if (!(ci->vmx_caps.proc.allowed0 & CPU_BASED_HLT_EXITING))
		vmw(CPU_BASED_VM_EXEC_CONTROL,
		    vmcs_read(CPU_BASED_VM_EXEC_CONTROL) & ~CPU_BASED_HLT_EXITING);
	env = (struct vmx_check_env){
		.cr0_fixed0 = m->cr0_fixed0,
		.cr0_fixed1 = m->cr0_fixed1,
		.cr4_fixed0 = m->cr4_fixed0,
		.cr4_fixed1 = m->cr4_fixed1,
		.unrestricted = true,
		.load_efer = (entry_ctl & VM_ENTRY_LOAD_IA32_EFER) != 0,
		.phys_bits = ci->phys_bits,
	};
	ret = vmx_guest_state_from_firmware(ctx, firmware_cr3, hpa_to_hva(ctx->gdtr_base), &env,
					    &gs);
	if (ret) {
		log_err("cpu %u: blue pill: a firmware selector names no usable GDT descriptor",
			v->cpu);
		return ret;
	}
	bad = vmx_guest_state_check(&gs, &env, why, sizeof(why));
	if (bad) {
		log_err("cpu %u: blue pill: guest state from the firmware fails SDM 27.3.1: %s %s",
			v->cpu, bad, why);
		return -EINVAL;
	}
	vmcs_write_guest_state(&gs, entry_ctl);
	if (vmcs_setup_err)
		return vmcs_setup_err;
	memset(&v->launch_regs, 0, sizeof(v->launch_regs));
	v->launch_regs.rbx = gs.rbx;
	v->launch_regs.rbp = gs.rbp;
	v->launch_regs.r12 = gs.r12;
	v->launch_regs.r13 = gs.r13;
	v->launch_regs.r14 = gs.r14;
	v->launch_regs.r15 = gs.r15;
	log_info("cpu %u: blue pill: resuming the firmware as the guest at RIP 0x%llx RSP 0x%llx "
		 "(CS 0x%x, CR3 0x%llx, %s), %s returns 0 to it",
		 v->cpu, (unsigned long long)gs.rip, (unsigned long long)gs.rsp,
		 gs.seg[VSEG_CS].sel, (unsigned long long)gs.cr3,
		 gs.ia32e_mode ? "IA-32e mode" : "32-bit", bsp ? "hv_entry" : "hv_ap_entry");
	/* A successful VMLAUNCH does not come back: what it needs is set before. */
	if (bsp) {
		hv_bluepill_up = true;
		ap_boot_core_resident();
	} else {
		hv_vm.nr_vcpus++;
	}
	ret = vmx_check("VMLAUNCH", vmx_launch(&v->launch_regs));
	if (bsp)
		hv_bluepill_up = false;
	else
		hv_vm.nr_vcpus--;
	return ret;
}

static int vmx_bluepill_launch(const struct boot_info *bi, const struct cpu_info *ci,
			       const struct acpi_info *acpi)
{
	struct vcpu *v = &hv_vcpu[0];
	hpa_t stack;
	int ret;

	memset(v, 0, sizeof(*v));
	v->vm = &hv_vm;
	hv_vm.ci = ci;
	hv_vm.nr_vcpus = 1;
	ret = vm_memory_init(&hv_vm, bi, ci);
	if (!ret)
		ret = host_frames_alloc(HOST_STACK_FRAMES, 1, &stack);
	if (ret)
		return ret;
	v->host_stack_top = (uint64_t)hpa_to_hva(stack) + HOST_STACK_FRAMES * PAGE_SIZE;
	vm_start_aps(bi, acpi); /* on UEFI only a log line: the loader brings the APs */
	return bluepill_resume(v, ci, &bi->ret, bi->firmware_cr3, true);
}

int vmx_ap_bluepill(unsigned int cpu, uint64_t stack_top, const struct boot_return_ctx *ctx,
		    uint64_t firmware_cr3, const struct cpu_info *ci)
{
	struct vcpu *v;
	int ret;

	if (cpu == 0 || cpu >= SMP_CPUS_MAX)
		return -EINVAL;
	if (!ci->vmx)
		return -ENODEV; /* never touch CR4.VMXE without CPUID.1:ECX.VMX */
	if (!hv_bluepill_up) {
		log_info("cpu %u: the BSP is not in VMX: this AP stays native too", cpu);
		return -ENODEV;
	}
	v = &hv_vcpu[cpu];
	memset(v, 0, sizeof(*v));
	v->cpu = cpu;
	v->vm = &hv_vm;
	v->host_stack_top = stack_top;
	ret = bluepill_resume(v, ci, ctx, firmware_cr3, false);
	vmx_cpu_off(v); /* only reached when the launch did not happen */
	return ret;
}

int vmx_start(const struct boot_info *bi, const struct cpu_info *ci, const struct acpi_info *acpi)
{
	uint64_t tsc_start = rdtsc();
	struct vcpu *v = &hv_vcpu[0];
	struct guest_image img;
	uint32_t exit_ctl, entry_ctl;
	hpa_t stack;
	int ret;

	if (!bi->module_count && bi->source == BOOT_SOURCE_EFI)
		return vmx_bluepill(bi, ci, acpi);
	if (!bi->module_count) {
		log_info("no Multiboot2 module: no guest to launch; VMX stays off");
		return 0;
	}
	memset(v, 0, sizeof(*v));
	v->vm = &hv_vm;
	hv_vm.ci = ci;
	hv_vm.nr_vcpus = 1;
	ret = vm_memory_init(&hv_vm, bi, ci);
	if (ret)
		return ret;
	vsva_boot_vm(&hv_vm, ci); /* logs; without VT-d the VM's vSVA calls give -ENODEV */
	ret = guest_load(bi, &bi->modules[0], &hv_vm.map, &img);
	if (ret) {
		log_info("module 0 is not a guest kernel this core can load (%d): not launching",
			 ret);
		return ret;
	}
	log_info("guest kernel: image [0x%llx-0x%llx), entry 0x%llx, boot data at 0x%llx, "
		 "command line \"%s\"",
		 (unsigned long long)img.low, (unsigned long long)img.high,
		 (unsigned long long)img.entry, (unsigned long long)img.boot_gpa,
		 bi->modules[0].cmdline);
	vvtd_boot_vm(&hv_vm, bi, acpi, &img); /* vvtd=on: the virtual VT-d unit, guest DMAR */

	ret = host_frames_alloc(HOST_STACK_FRAMES, 1, &stack);
	if (ret)
		return ret;
	v->host_stack_top = (uint64_t)hpa_to_hva(stack) + HOST_STACK_FRAMES * PAGE_SIZE;
	vm_start_aps(bi, acpi);

	ret = vcpu_vmx_setup(v, ci, &exit_ctl, &entry_ctl);
	if (ret)
		return ret;
	ret = vsva_boot_vmcs(v->vm);
	if (ret)
		return ret;
	vmcs_guest_state(v, &img, entry_ctl);
	if (img.linux_params)
		vmcs_guest_linux(v, &img);
	if (vmcs_setup_err)
		return vmcs_setup_err;
	selftest_bad_guest_state(bi->cmdline);
	return vcpu_launch(v, tsc_start);
}
