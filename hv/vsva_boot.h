/* SPDX-License-Identifier: MIT */
/*
 * hv/vsva_boot.h - vSVA wiring at boot (design.md "vSVA bind"), in both core images:
 * the host PASID space, one vSVA state for the VM vmx_start() creates, its hypercalls
 * (hv/vsva_hc.h), and the VMCS PASID-translation fields of each vCPU. The VT-d platform
 * it runs over comes from vsva_boot_platform(): hv.elf takes iommu_boot_platform() (the
 * physical units; none on Bochs; hv/vsva_platform.c), build/hv-model.elf the
 * model-backed platform (hv/model/model_platform.c, linked in that file's place).
 */
#ifndef HV_VSVA_BOOT_H
#define HV_VSVA_BOOT_H

#include "hv/cpu.h"
#include "hv/iommu_boot.h"
#include "hv/vcpu.h"

struct vsva_guest;
struct vsva_prq;

/*
 * VMX secondary processor-based control "PASID translation" (Intel ISE / SDM Vol. 3C,
 * "PASID Translation"); hv/pasid_xlate.h documents the structures it uses.
 */
#define VSVA_BOOT_PROC2_PASID_TRANSLATION BIT(21)

/*
 * vsva_boot_platform() - the VT-d platform whose scalable units serve @vm's vSVA, or
 * NULL (no VT-d: vSVA off). hv.elf: iommu_boot_platform(). The model image builds its
 * platform over @vm->map (GPA = HPA) on first call.
 */
struct iommu_platform *vsva_boot_platform(const struct vm *vm);

/*
 * vsva_boot_confirm() - at the guest's end: let the platform confirm the tables vSVA
 * left (the model image walks them with the VT-d model and logs "model: confirm: ...").
 * hv.elf: nothing to confirm. Returns the number of failed checks.
 */
unsigned int vsva_boot_confirm(struct vsva_guest *g, struct iommu_platform *p);

/*
 * vsva_boot_confirm_rid() - when device @sid's (bus:dev.fn) requests without PASID
 * changed (its RID_PASID state, hv/vsva.h vsva_rid_*()): let the platform confirm the
 * physical entry does what vSVA recorded (the model image walks it: "model: confirm:
 * ..."). hv.elf: nothing. Returns the number of failed checks.
 */
unsigned int vsva_boot_confirm_rid(struct vsva_guest *g, struct iommu_platform *p, uint16_t sid);

/*
 * vsva_boot_vm() - wire vSVA for @vm (its guest map built, before any vCPU's VMCS):
 * pasid_space_init() with the smallest PASID width of the platform's units,
 * vsva_guest_init() over the first scalable unit with ECAP.NEST, vsva_hc_register().
 * CPU PASID translation is used only when IA32_VMX_PROCBASED_CTLS2 allows bit 21 in
 * @ci (Bochs does not: capabilities then report VSVA_CAP_PASID_XLT clear).
 * Logs one "vsva: ..." line either way. Returns 0; -ENODEV (no scalable unit: the VM's
 * vSVA calls return -VSVA_ENODEV); -ENOMEM; or vsva_guest_init()'s error.
 */
int vsva_boot_vm(struct vm *vm, const struct cpu_info *ci);

/*
 * vsva_boot_vmcs() - on the current VMCS of a vCPU of @vm: when vsva_boot_vm() chose
 * CPU PASID translation, write the low/high PASID-directory addresses (VMCS 0x2038 /
 * 0x203A, HPAs) and set secondary control bit 21; else nothing. Returns 0 or -EIO
 * (a VMWRITE failed; logged).
 */
int vsva_boot_vmcs(const struct vm *vm);

/*
 * vsva_boot_guest_reset() - the core has stopped or reset @vm's guest (triple fault,
 * exit reason 2, SDM Vol. 3C 28.2): release all its vSVA state as a guest reset must
 * (design.md "vSVA bind"): vsva_guest_reset() tears every binding down (PASID entries
 * cleared; PASID cache, P_IOTLB and device-TLB flushed), frees every PASID (shared host
 * PASIDs defunct, VMCS PASID-translation entries cleared) and detaches every device.
 * Logs one line. Returns 0; -ENODEV when @vm has no vSVA (nothing to release).
 */
int vsva_boot_guest_reset(const struct vm *vm);

/*
 * vsva_boot_router() - the page request router of @vm's guest (hv/vsva_prq.h,
 * design.md "Faults and page requests"): one struct vsva_prq, set up by vsva_boot_vm(),
 * for the physical units' queues (struct iommu_platform.prq). NULL when @vm has no vSVA,
 * no physical unit has a page request queue enabled, or the unit vSVA reports lacks
 * ECAP.PRS (vsva_prq_supported()): then no virtual unit offers page requests.
 */
struct vsva_prq *vsva_boot_router(const struct vm *vm);

/*
 * vsva_boot_platform_test() - VSVA_HC_PLATFORM_TEST (docs/hypercall-abi.md) for @v:
 * @ops = RBX (VSVA_TEST_* operation and flags), @dev = RCX (VSVA_DEVICE()), @gpasid =
 * RDX (a guest PASID bound on @dev, or VSVA_TEST_NO_PASID), @addr = RSI (GVA with a
 * PASID, else GPA). The guest PASID becomes its host PASID (the binding's) and the
 * platform's test operation (struct iommu_platform.test) runs. Returns what the guest
 * gets in RAX: 0, a VT-d fault reason > 0 (§7.1.3), -VSVA_EINVAL, -VSVA_ENODEV,
 * -VSVA_ENOENT, -VSVA_ENOSPC, -VSVA_EIO, or -VSVA_ENOSYS when the platform has no test
 * devices (every image but build/hv-model.elf). Logged, rate-limited.
 */
int64_t vsva_boot_platform_test(struct vcpu *v, uint64_t ops, uint64_t dev, uint64_t gpasid,
				uint64_t addr);

/*
 * vsva_boot_guest_end() - the guest has finished (hv_halt()): once, log the vSVA
 * invariants (vsva_check()) and the counters, then vsva_boot_confirm(). Safe to call
 * from any stop path: does nothing without vSVA or when called again.
 */
void vsva_boot_guest_end(void);

#endif /* HV_VSVA_BOOT_H */
