/* SPDX-License-Identifier: MIT */
/* The VM and its virtual CPUs: what the exit handlers work on. */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include "hv/cpu.h"
#include "hv/ept.h"
#include "hv/guest_map.h"
#include "hv/vmcs_fields.h"

/* The guest's general-purpose registers, in the order hv/vmx_entry.asm pushes them. */
struct guest_regs {
	uint64_t rax, rcx, rdx, rbx, rsp_unused, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

struct vm {
	struct guest_map map; /* GPA map: RAM, MMIO; hv memory absent */
	struct ept ept;
	uint64_t eptp;
	uint16_t vpid; /* 0 when VPID is not used */
	const struct cpu_info *ci;
	uint32_t nr_vcpus;
};

struct vcpu {
	unsigned int cpu; /* logical CPU index, 0 = BSP */
	struct vm *vm;
	hpa_t vmxon_region, vmcs, msr_bitmap;
	uint64_t host_stack_top;     /* HVA, 16-byte aligned; the vcpu pointer sits at top - 16 */
	uint64_t cr0_mask, cr4_mask; /* guest/host masks: bits the guest may not own */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	bool unrestricted;
	bool vmxon;		/* this CPU is in VMX operation (VMXON succeeded) */
	bool sipi_init_pending; /* an INIT sent before the SIPI may still be pending */
	uint16_t sipi_cs;	/* CS selector the last SIPI gave */
	/* Statistics (reported by VSVA_HC_STATISTICS) */
	uint64_t exits_total, exits[EXIT_REASON_MAX];
	uint64_t hypercalls, hypercall_errors;
	struct guest_regs launch_regs; /* GPRs at the first VM entry */
};

/*
 * vmx_exit_handler() - C side of every VM exit (hv/exit.c), called by hv/vmx_entry.asm
 * on the host stack with the guest's GPRs saved in @regs. Returning resumes the guest
 * (VMRESUME); a handler that ends the guest calls hv_halt().
 */
void vmx_exit_handler(struct guest_regs *regs, struct vcpu *v);

/* vmx_inject_exception() - deliver hardware exception @vector (with @error_code when
 * @has_code) at the next VM entry (SDM Vol. 3C 27.6 "Event injection"). */
void vmx_inject_exception(unsigned int vector, bool has_code, uint32_t error_code);

/*
 * vmx_guest_init_state() - put the current VMCS's guest in the state after INIT (SDM Vol.
 * 3A 9.1.1) and the wait-for-SIPI activity state (SDM Vol. 3C 25.4.2); @r (the GPRs of
 * the next entry) zeroed but EDX = the processor signature. For APs only.
 */
void vmx_guest_init_state(struct vcpu *v, struct guest_regs *r);

/*
 * vmx_guest_sipi() - the SIPI's effect (SDM Vol. 3A 9.4.4, 3C 28.2.1 exit reason 4): real
 * mode at CS:IP = (@vector << 8):0 (CS base = @vector << 12, a GPA), activity active.
 */
void vmx_guest_sipi(struct vcpu *v, uint8_t vector);

/* vmx_report_entry_failure() - say why a VM entry failed: exit reason with bit 31 and
 * qualification, and the first guest-state field found wrong (SDM Vol. 3C 27.3, 27.8). */
void vmx_report_entry_failure(uint32_t reason);

/* vmx_launch() - hv/vmx_entry.asm: load @regs and VMLAUNCH. Returns only on VMfail,
 * with the RFLAGS VMLAUNCH left (CF: VMfailInvalid, ZF: VMfailValid). */
uint64_t vmx_launch(const struct guest_regs *regs);

#endif /* HV_VCPU_H */
