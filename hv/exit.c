// SPDX-License-Identifier: MIT
/*
 * VM-exit dispatch (hv/vcpu.h): one handler per basic exit reason (SDM Vol. 3C ch. 26
 * "Instructions that cause VM exits", 28 "VM exits"), entry failures (27.8) with a
 * guest-state diagnosis (27.3.1). Guest input never panics the hypervisor: a guest that
 * does what is not allowed gets an exception injected or is stopped with a report.
 */
#include <string.h>
#define LOG_PREFIX "vmx"
#include "guest/include/vsva_hv.h"
#include "hv/cpuid_guest.h"
#include "hv/hypercall.h"
#include "hv/log.h"
#include "hv/main.h"
#include "hv/vcpu.h"
#include "hv/vmx.h"
#include "hv/vinject.h"
#include "hv/vsva_boot.h"
#include "hv/vvtd_boot.h"
#include "hv/x86.h"

#define VEC_UD		     6
#define VEC_GP		     13
#define CR0_NE		     BIT(5)
#define MSR_IA32_VMX_LAST    0x492
#define EFER_LMA	     BIT(10)
#define ACTIVITY_HLT	     1	    /* SDM Vol. 3C 25.4.2 */
#define GUEST_INTR_BLOCK_SMI BIT(2) /* interruptibility state, Table 25-3 */

typedef void (*exit_handler_t)(struct guest_regs *r, struct vcpu *v);

static void skip_instruction(void)
{
	vmcs_write(GUEST_RIP, vmcs_read(GUEST_RIP) + vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

void vmx_inject_exception(unsigned int vector, bool has_code, uint32_t error_code)
{
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_HARD_EXCEPTION | vector |
						     (has_code ? INTR_INFO_DELIVER_CODE : 0));
	if (has_code)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, error_code);
}

static uint64_t *gpr(struct guest_regs *r, unsigned int n)
{
	return &((uint64_t *)r)[n]; /* SDM register numbering = struct guest_regs order */
}

static noreturn void guest_stop(int code)
{
	log_err("guest stopped");
	hv_halt(code);
}

/* CPUID (SDM Vol. 3C 26.1.2): the CPU's leaves filtered (hv/cpuid_guest.h), leaves
 * 0x4000000x added. */
static void exit_cpuid(struct guest_regs *r, struct vcpu *v)
{
	uint32_t leaf = (uint32_t)r->rax, sub = (uint32_t)r->rcx;
	struct cpuid_regs c = { 0, 0, 0, 0 };

	if (leaf == VSVA_CPUID_LEAF_BASE) {
		c.eax = VSVA_CPUID_LEAF_MAX;
		c.ebx = VSVA_CPUID_SIGNATURE_EBX;
		c.ecx = VSVA_CPUID_SIGNATURE_ECX;
		c.edx = VSVA_CPUID_SIGNATURE_EDX;
	} else if (leaf == VSVA_CPUID_LEAF_BASE + 1) {
		c.eax = VSVA_ABI_VERSION;
	} else if ((leaf & 0xf0000000) != 0x40000000) {
		c = cpuid(leaf, sub);
		cpuid_guest_filter(leaf, sub, vmcs_read(GUEST_CR4), &c);
	}
	r->rax = c.eax;
	r->rbx = c.ebx;
	r->rcx = c.ecx;
	r->rdx = c.edx;
	skip_instruction();
}

static bool msr_intercepted(uint32_t msr)
{
	return msr == MSR_IA32_FEATURE_CONTROL ||
	       (msr >= MSR_IA32_VMX_BASIC && msr <= MSR_IA32_VMX_LAST);
}

/* RDMSR (26.1.3, MSR bitmap 25.6.9): IA32_FEATURE_CONTROL reads as locked with VMX off;
 * the VMX capability MSRs do not exist for a guest without VMX: #GP. */
static void exit_rdmsr(struct guest_regs *r, struct vcpu *v)
{
	uint32_t msr = (uint32_t)r->rcx;

	if (msr != MSR_IA32_FEATURE_CONTROL) {
		vmx_inject_exception(VEC_GP, true, 0);
		return;
	}
	r->rax = 1; /* locked, VMX in and outside SMX off */
	r->rdx = 0;
	skip_instruction();
}

static void exit_wrmsr(struct guest_regs *r, struct vcpu *v)
{
	/* Only intercepted MSRs exit, and all of them are read-only to the guest. */
	if (msr_intercepted((uint32_t)r->rcx))
		vmx_inject_exception(VEC_GP, true, 0);
	else
		skip_instruction();
}

/* XSETBV (26.1.2): checked as the CPU would, then executed for the guest. */
static void exit_xsetbv(struct guest_regs *r, struct vcpu *v)
{
	uint64_t val = (r->rdx << 32) | (uint32_t)r->rax, supported;
	struct cpuid_regs c;

	if (!v->vm->ci->xsave || (uint32_t)r->rcx != 0) {
		vmx_inject_exception(VEC_GP, true, 0);
		return;
	}
	c = cpuid(0xd, 0);
	supported = ((uint64_t)c.edx << 32) | c.eax;
	if (!(val & 1) || (val & ~supported) || ((val & 4) && !(val & 2))) {
		vmx_inject_exception(VEC_GP, true, 0);
		return;
	}
	__asm__ volatile("xsetbv" : : "a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(0));
	skip_instruction();
}

static void exit_invd(struct guest_regs *r, struct vcpu *v)
{
	/* INVD would drop the hypervisor's dirty lines too: write back instead. */
	__asm__ volatile("wbinvd" ::: "memory");
	skip_instruction();
}

/*
 * MOV to CR0 that exits (it changes a bit the host owns) may also toggle PG, which the CPU
 * does not do for us then: with EFER.LME set, turning paging on activates IA-32e mode
 * (EFER.LMA = 1, and the "IA-32e mode guest" entry control must follow, SDM Vol. 3C
 * 25.8.1, 27.3.1.1), turning it off leaves it (SDM Vol. 3A 10.8.5). PG without PE, and
 * IA-32e activation without CR4.PAE, are #GP as on the bare CPU (Vol. 3A 2.5, 10.8.5).
 * Returns 1 when an exception was injected instead.
 */
static int cr0_write(struct vcpu *v, uint64_t val)
{
	uint64_t fixed0 = v->cr0_fixed0 & ~(v->unrestricted ? (CR0_PE | CR0_PG) : 0);
	uint64_t old = vmcs_read(GUEST_CR0), entry, efer;

	if ((val & CR0_PG) && !(val & CR0_PE)) {
		vmx_inject_exception(VEC_GP, true, 0);
		return 1;
	}
	entry = vmcs_read(VM_ENTRY_CONTROLS);
	if (((old ^ val) & CR0_PG) && (entry & VM_ENTRY_LOAD_IA32_EFER)) {
		efer = vmcs_read(GUEST_IA32_EFER);
		if (efer & EFER_LME) {
			if ((val & CR0_PG) && !(vmcs_read(GUEST_CR4) & CR4_PAE)) {
				vmx_inject_exception(VEC_GP, true, 0);
				return 1;
			}
			if (val & CR0_PG) {
				efer |= EFER_LMA;
				entry |= VM_ENTRY_IA32E_MODE;
			} else {
				efer &= ~EFER_LMA;
				entry &= ~(uint64_t)VM_ENTRY_IA32E_MODE;
			}
			vmcs_write(GUEST_IA32_EFER, efer);
			vmcs_write(VM_ENTRY_CONTROLS, entry);
		}
	}
	vmcs_write(CR0_READ_SHADOW, val);
	vmcs_write(GUEST_CR0, ((val | fixed0) & v->cr0_fixed1) | CR0_NE);
	return 0;
}

/* MOV to CR0/CR4 of a bit the guest does not own (25.6.6, 26.1.3): check the value
 * against the fixed bits, keep the guest's view in the read shadow. */
static void cr_write(struct vcpu *v, unsigned int cr, uint64_t val)
{
	if (cr == 0) {
		if (cr0_write(v, val))
			return;
	} else if (cr == 4) {
		if (val & CR4_VMXE) { /* CPUID says no VMX */
			vmx_inject_exception(VEC_GP, true, 0);
			return;
		}
		vmcs_write(CR4_READ_SHADOW, val);
		vmcs_write(GUEST_CR4, (val | v->cr4_fixed0) & v->cr4_fixed1);
	} else if (cr == 3) {
		vmcs_write(GUEST_CR3, val);
	}
	skip_instruction();
}

static void exit_cr_access(struct guest_regs *r, struct vcpu *v)
{
	uint64_t q = vmcs_read(EXIT_QUALIFICATION);
	unsigned int cr = CR_QUAL_CR(q);

	switch (CR_QUAL_TYPE(q)) {
	case 0: /* MOV to CR */
		if (CR_QUAL_GPR(q) == 4) {
			cr_write(v, cr, vmcs_read(GUEST_RSP));
			return;
		}
		cr_write(v, cr, *gpr(r, CR_QUAL_GPR(q)));
		return;
	case 1: /* MOV from CR3 (only with CR3-store exiting) */
		if (CR_QUAL_GPR(q) == 4)
			vmcs_write(GUEST_RSP, vmcs_read(GUEST_CR3));
		else
			*gpr(r, CR_QUAL_GPR(q)) = vmcs_read(GUEST_CR3);
		skip_instruction();
		return;
	case 2: /* CLTS */
		cr_write(v, 0, vmcs_read(CR0_READ_SHADOW) & ~BIT(3));
		return;
	default: /* LMSW: bits 3:0 of the source, PE cannot be cleared */
		cr_write(v, 0,
			 (vmcs_read(CR0_READ_SHADOW) & ~0xeull) | ((q >> 16) & 0xf) |
				 (vmcs_read(CR0_READ_SHADOW) & CR0_PE));
		return;
	}
}

static void exit_vmcall(struct guest_regs *r, struct vcpu *v)
{
	struct hypercall_args a = { r->rax, r->rbx, r->rcx, r->rdx, r->rsi };

	r->rax = (uint64_t)hypercall_dispatch(v, &a);
	skip_instruction();
}

/* VMX instructions in the guest: it has no VMX (CPUID), so they are undefined. */
static void exit_vmx_insn(struct guest_regs *r, struct vcpu *v)
{
	vmx_inject_exception(VEC_UD, false, 0);
}

/* Exit reason 7 (SDM Vol. 3C 28.2): the guest can take the interrupt that waited. */
static void exit_interrupt_window(struct guest_regs *r, struct vcpu *v)
{
	vinject_window_exit(v);
}

/*
 * Exit reason 52 (SDM Vol. 3C 25.5.1, 28.2): the VMX-preemption timer counted down. It
 * runs only while the virtual VT-d unit is on, to poll the physical units' faults and
 * page requests for it; the guest state is untouched (no instruction to skip).
 */
static void exit_preemption_timer(struct guest_regs *r, struct vcpu *v)
{
	vvtd_boot_timer_exit(v);
}

static void exit_hlt(struct guest_regs *r, struct vcpu *v)
{
	if (v->cpu != 0) {
		/* An AP's HLT: the CPU halts in the guest (HLT activity state, SDM Vol. 3C
		 * 25.4.2) until an interrupt, NMI, INIT or SMI wakes it. */
		skip_instruction();
		vmcs_write(GUEST_ACTIVITY_STATE, ACTIVITY_HLT);
		return;
	}
	log_info("guest executed HLT at RIP 0x%llx: the guest has finished; %llu exits, %llu "
		 "hypercalls",
		 (unsigned long long)vmcs_read(GUEST_RIP), (unsigned long long)v->exits_total,
		 (unsigned long long)v->hypercalls);
	hv_halt(0);
}

static void exit_triple_fault(struct guest_regs *r, struct vcpu *v)
{
	log_err("guest triple fault at RIP 0x%llx (CR0 0x%llx CR3 0x%llx CR4 0x%llx)",
		(unsigned long long)vmcs_read(GUEST_RIP), (unsigned long long)vmcs_read(GUEST_CR0),
		(unsigned long long)vmcs_read(GUEST_CR3), (unsigned long long)vmcs_read(GUEST_CR4));
	vsva_boot_guest_reset(v->vm); /* the guest is gone: release its PASIDs and bindings */
	guest_stop(1);
}

/* EPT violation (28.2.1 Table 28-7): an access to memory the guest does not own. */
static void exit_ept_violation(struct guest_regs *r, struct vcpu *v)
{
	uint64_t q = vmcs_read(EXIT_QUALIFICATION);
	gpa_t gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
	int kind;

	if (vvtd_boot_ept_violation(r, v, gpa, q)) /* the virtual VT-d unit's registers */
		return;
	kind = guest_map_kind(&v->vm->map, gpa, 1); /* only for the report */
	log_err("EPT violation: GPA 0x%llx, GVA %s0x%llx, qualification 0x%llx (%s%s%s), RIP "
		"0x%llx: %s",
		(unsigned long long)gpa, (q & EPT_VIOLATION_GVA_VALID) ? "" : "(invalid) ",
		(unsigned long long)((q & EPT_VIOLATION_GVA_VALID) ?
					     vmcs_read(GUEST_LINEAR_ADDRESS) :
					     0),
		(unsigned long long)q, (q & EPT_VIOLATION_READ) ? "read" : "",
		(q & EPT_VIOLATION_WRITE) ? " write" : "",
		(q & EPT_VIOLATION_FETCH) ? " fetch" : "", (unsigned long long)vmcs_read(GUEST_RIP),
		kind == GUEST_MEM_ABSENT ? "not guest memory (hypervisor or unmapped)" :
					   "mapped in the guest map: EPT out of step");
	guest_stop(2);
}

static void exit_unhandled(struct guest_regs *r, struct vcpu *v)
{
	uint32_t reason = (uint32_t)vmcs_read(VM_EXIT_REASON) & 0xffff;

	log_err("unhandled VM exit %u (%s) at RIP 0x%llx, qualification 0x%llx", reason,
		vmx_exit_reason_name(reason), (unsigned long long)vmcs_read(GUEST_RIP),
		(unsigned long long)vmcs_read(EXIT_QUALIFICATION));
	guest_stop(3);
}

/*
 * INIT (SDM Vol. 3C 26.2 "INIT signals" cause VM exits, exit reason 3): an AP goes to the
 * state after INIT and waits for a SIPI, as the bare CPU would. The BSP ignores INIT: it
 * has no wait-for-SIPI state to go to and the guest would be lost.
 */
static void exit_init_signal(struct guest_regs *r, struct vcpu *v)
{
	if (v->cpu == 0)
		return;
	/* The INIT of the guest's INIT-SIPI-SIPI reaches a CPU in the wait-for-SIPI state,
	 * where INIT is blocked, not dropped (SDM Vol. 3C 26.2): it stays pending and
	 * exits right after the entry that follows the SIPI exit, before the first guest
	 * instruction (Bochs delivers it twice). Those are served: the SIPI came after them.
 * Once the AP has run an instruction, an INIT resets it again. */
	if (v->sipi_init_pending && vmcs_read(GUEST_RIP) == 0 &&
	    vmcs_read(GUEST_CS_SELECTOR) == v->sipi_cs) {
		/* Bochs saves "blocking by SMI" from its wait-for-SIPI masking; outside SMM
		 * the next entry would fail on it (27.3.1.5). Nothing is blocked here. */
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
		return;
	}
	v->sipi_init_pending = false;
	vmx_guest_init_state(v, r);
}

/* SIPI (exit reason 4, only in the wait-for-SIPI state; qualification bits 7:0 = the
 * vector, SDM Vol. 3C 28.2.1 Table 28-1): real mode at vector << 8 : 0. */
static void exit_sipi_signal(struct guest_regs *r, struct vcpu *v)
{
	uint8_t vector = (uint8_t)vmcs_read(EXIT_QUALIFICATION);

	vmx_guest_sipi(v, vector);
	v->sipi_init_pending = true;
	v->sipi_cs = (uint16_t)(vector << 8);
	log_info("cpu %u: SIPI vector 0x%02x: guest CPU starts in real mode at %04x:0000", v->cpu,
		 vector, (unsigned int)vector << 8);
}

static const exit_handler_t exit_handlers[EXIT_REASON_MAX] = {
	[EXIT_REASON_TRIPLE_FAULT] = exit_triple_fault,
	[EXIT_REASON_INIT_SIGNAL] = exit_init_signal,
	[EXIT_REASON_SIPI_SIGNAL] = exit_sipi_signal,
	[EXIT_REASON_CPUID] = exit_cpuid,
	[EXIT_REASON_INTERRUPT_WINDOW] = exit_interrupt_window,
	[EXIT_REASON_HLT] = exit_hlt,
	[EXIT_REASON_INVD] = exit_invd,
	[EXIT_REASON_VMCALL] = exit_vmcall,
	[EXIT_REASON_VMCLEAR] = exit_vmx_insn,
	[EXIT_REASON_VMLAUNCH] = exit_vmx_insn,
	[EXIT_REASON_VMPTRLD] = exit_vmx_insn,
	[EXIT_REASON_VMPTRST] = exit_vmx_insn,
	[EXIT_REASON_VMREAD] = exit_vmx_insn,
	[EXIT_REASON_VMRESUME] = exit_vmx_insn,
	[EXIT_REASON_VMWRITE] = exit_vmx_insn,
	[EXIT_REASON_VMOFF] = exit_vmx_insn,
	[EXIT_REASON_VMON] = exit_vmx_insn,
	[EXIT_REASON_INVEPT] = exit_vmx_insn,
	[EXIT_REASON_INVVPID] = exit_vmx_insn,
	[EXIT_REASON_VMFUNC] = exit_vmx_insn,
	[EXIT_REASON_GETSEC] = exit_vmx_insn,
	[EXIT_REASON_CR_ACCESS] = exit_cr_access,
	[EXIT_REASON_MSR_READ] = exit_rdmsr,
	[EXIT_REASON_MSR_WRITE] = exit_wrmsr,
	[EXIT_REASON_EPT_VIOLATION] = exit_ept_violation,
	[EXIT_REASON_WBINVD] = exit_invd,
	[EXIT_REASON_XSETBV] = exit_xsetbv,
	[EXIT_REASON_PREEMPTION_TIMER] = exit_preemption_timer,
};

/*
 * Bochs 2.7 leaves SMI (and INIT, NMI) masked after a SIPI VM exit (its deliver_SIPI()
 * exits before it unmasks them) and so saves "blocking by SMI" on every later exit of
 * that CPU; outside SMM the next entry fails on it (SDM Vol. 3C 27.3.1.5). The core never
 * uses the dual-monitor treatment of SMM, so the bit is always 0 for a guest: clear it.
 * APs only, so the BSP's exit path pays nothing.
 */
static void ap_no_smi_blocking(void)
{
	uint64_t ii = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	if (ii & GUEST_INTR_BLOCK_SMI)
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO, ii & ~(uint64_t)GUEST_INTR_BLOCK_SMI);
}

void vmx_exit_handler(struct guest_regs *r, struct vcpu *v)
{
	uint32_t reason = (uint32_t)vmcs_read(VM_EXIT_REASON);
	uint32_t basic = reason & 0xffff;

	if (reason & VMX_EXIT_REASON_ENTRY_FAIL) {
		vmx_report_entry_failure(reason);
		guest_stop(4);
	}
	v->exits_total++;
	if (basic < EXIT_REASON_MAX) {
		v->exits[basic]++;
		if (exit_handlers[basic]) {
			exit_handlers[basic](r, v);
			if (v->cpu != 0)
				ap_no_smi_blocking();
			return;
		}
	}
	exit_unhandled(r, v);
}
