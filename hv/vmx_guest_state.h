/* SPDX-License-Identifier: MIT */
/*
 * The guest-register state of a VM entry as plain data (SDM Vol. 3C 25.4.1), built
 * without VMX instructions so that it can be tested hosted:
 * - from the UEFI loader's context saved by hv_entry (struct boot_return_ctx): the
 *   "blue pill" that resumes the firmware as the guest, which sees hv_entry return 0;
 * - checked against the VM-entry checks on guest state (SDM Vol. 3C 27.3.1), so that a
 *   wrong field is named before VMLAUNCH rather than after a failed entry.
 */
#ifndef HV_VMX_GUEST_STATE_H
#define HV_VMX_GUEST_STATE_H

#include <stddef.h>
#include <stdint.h>
#include "hv/boot_info.h"

enum vmx_seg_index {
	VSEG_ES,
	VSEG_CS,
	VSEG_SS,
	VSEG_DS,
	VSEG_FS,
	VSEG_GS,
	VSEG_LDTR,
	VSEG_TR,
	VSEG_COUNT
};

/* One segment register as the VMCS holds it (25.4.1, access rights Table 25-2). */
struct vmx_seg {
	uint16_t sel;
	uint64_t base;
	uint32_t limit; /* bytes - 1, already scaled by G */
	uint32_t ar;	/* VMX_AR_* (hv/vmcs_fields.h); VMX_AR_UNUSABLE for a null selector */
};

struct vmx_guest_state {
	uint64_t cr0, cr3, cr4, dr7, efer;
	uint64_t cr0_shadow, cr4_shadow; /* what the guest reads */
	uint64_t rsp, rip, rflags;
	struct vmx_seg seg[VSEG_COUNT];
	uint64_t gdtr_base, idtr_base;
	uint32_t gdtr_limit, idtr_limit;
	uint32_t interruptibility, activity;
	uint64_t link_pointer;
	bool ia32e_mode;			    /* the IA-32e mode guest entry control */
	uint64_t rax, rbx, rbp, r12, r13, r14, r15; /* GPRs at the entry (rest 0) */
};

/* What the checks depend on: the CPU's fixed bits and the entry's controls. */
struct vmx_check_env {
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1; /* IA32_VMX_CR0/4_FIXED0/1 */
	bool unrestricted;	/* secondary control "unrestricted guest" */
	bool load_efer;		/* VM-entry control "load IA32_EFER" */
	unsigned int phys_bits; /* MAXPHYADDR */
};

/*
 * vmx_seg_from_gdt() - segment register @sel as a CPU loads it from the descriptor table
 * @gdt (host pointer to the GDT, @gdt_limit as in GDTR), in the VMCS's terms: base, limit
 * scaled by G, access rights (SDM Vol. 3A 3.4.5; 64-bit system descriptors are 16 bytes).
 * A null selector is unusable. @system: the selector names a system descriptor (TR, LDTR).
 * Returns 0; -EINVAL for a selector with TI = 1 (no LDT support) or beyond the limit, or
 * a descriptor that is not present.
 */
int vmx_seg_from_gdt(const void *gdt, uint16_t gdt_limit, uint16_t sel, bool system,
		     struct vmx_seg *out);

/*
 * vmx_guest_state_from_boot() - the firmware's own state, resumed as the guest (UEFI blue
 * pill): control registers, EFER, descriptor tables and segment selectors from @ret (the
 * context hv_entry saved), segment attributes from the firmware's GDT at @gdt (host
 * pointer to ret->gdtr_base's bytes), RSP/RIP/RFLAGS so that the guest returns from
 * hv_entry with RAX = 0, callee-saved registers as they were. CR0/CR4 get the bits that
 * VMX forces (@env), the shadows keep the firmware's values. A firmware without a task
 * register (TR = 0, as UEFI) gets a usable busy 64-bit TSS descriptor of 104 bytes at 0,
 * as VM entry requires (27.3.1.2); it is never used: no privilege change happens.
 * Returns 0, or -EINVAL when a selector does not name a usable descriptor.
 */
int vmx_guest_state_from_boot(const struct boot_return_ctx *ret, const void *gdt,
			      const struct vmx_check_env *env, struct vmx_guest_state *gs);

/*
 * vmx_guest_state_from_firmware() - vmx_guest_state_from_boot() for a CPU the firmware
 * handed to the core through the UEFI loader (BSP: boot_info.ret; AP: the context
 * hv_ap_entry saved): the same state, but with CR3 = @firmware_cr3 (HPA of the
 * firmware's own PML4 plus its PCD/PWT or PCID bits) when it is not 0. @ret->cr3 is the
 * loader's tables for the core, which lie in hv memory the guest map leaves out.
 * Returns 0, or -EINVAL as vmx_guest_state_from_boot().
 */
int vmx_guest_state_from_firmware(const struct boot_return_ctx *ret, uint64_t firmware_cr3,
				  const void *gdt, const struct vmx_check_env *env,
				  struct vmx_guest_state *gs);

/*
 * vmx_guest_state_check() - the checks of SDM Vol. 3C 27.3.1.1 (control registers, DR7,
 * EFER), 27.3.1.2 (segment registers), 27.3.1.3 (GDTR, IDTR), 27.3.1.4 (RIP, RFLAGS) and
 * the part of 27.3.1.5 that does not depend on events (activity, interruptibility, VMCS
 * link pointer), for @gs under @env. Returns NULL when every check passes, else the name
 * of the first VMCS field found wrong (e.g. "GUEST_TR_AR_BYTES") with the rule in @why.
 */
const char *vmx_guest_state_check(const struct vmx_guest_state *gs, const struct vmx_check_env *env,
				  char *why, size_t len);

#endif /* HV_VMX_GUEST_STATE_H */
