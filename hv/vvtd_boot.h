/* SPDX-License-Identifier: MIT */
/*
 * hv/vvtd_boot.h - the VM's virtual VT-d unit (hv/vvtd.h) made reachable by real MMIO
 * (issue 7): its 4-KiB register page at VVTD_BOOT_REG_GPA is left out of the guest map
 * (so of EPT and of the IOMMU second level), every guest access there is an EPT violation
 * (SDM Vol. 3C 28.2.1) that vvtd_boot_ept_violation() decodes (hv/mmio_decode.h) and
 * emulates; the guest finds the unit through its own ACPI DMAR (hv/acpi_guest.h), whose
 * RSDP GPA the Multiboot2 test guest gets in struct vsva_guest_boot.rsdp_gpa.
 * On with core command line "vvtd=on" and vSVA up (build/hv-model.elf on Bochs: the
 * model platform's devices are the unit's scope). Events (fault, invalidation
 * completion, page request) reach the guest as the MSI it programmed (hv/vinject.h):
 * injected on the vCPU after the exit that raised them, or pending until the guest can
 * take them.
 *
 * The physical units' fault records and page requests reach the unit by polling
 * (vvtd_boot_poll(): hv/vvtd_poll.h, hv/vsva_prq.h): because a guest that does no MMIO
 * may not exit for a long time, on a VMX-preemption timer exit every VVTD_BOOT_POLL_US
 * of TSC time (SDM Vol. 3C 25.5.1; hv/vmx.c arms it only while the unit is on); on a
 * CPU without the timer, on every vIOMMU exit instead (the register path does not pay
 * for it otherwise).
 */
#ifndef HV_VVTD_BOOT_H
#define HV_VVTD_BOOT_H

#include "hv/boot_info.h"
#include "hv/guest_load.h"
#include "hv/acpi.h"
#include "hv/vcpu.h"

#define VVTD_BOOT_REG_GPA 0xfed90000ull /* GPA of the virtual unit's register page */

/*
 * vvtd_boot_reserve() - with "vvtd=on" in @cmdline, take the register page out of @m
 * (between guest_map_build() and ept_build(): the page must never be mapped). Returns 0
 * (also when off); -EEXIST when the page is guest RAM (then vvtd stays off); -ENOSPC when
 * the map is full.
 */
int vvtd_boot_reserve(struct guest_map *m, const char *cmdline);

/*
 * vvtd_boot_vm() - after vsva_boot_vm() and guest_load(): create @vm's virtual unit over
 * its vSVA state (scope: the VT-d platform's devices), build the guest's ACPI root with
 * the DMAR at boot->free_gpa (one page, then excluded from the guest's free memory by
 * raising boot->free_gpa) and store its GPA in boot->rsdp_gpa. Logs one "vvtd: ..." line.
 * Returns 0, also when off; a negative errno when it could not be set up (the guest then
 * runs without it: rsdp_gpa stays 0).
 */
int vvtd_boot_vm(struct vm *vm, const struct boot_info *bi, const struct acpi_info *acpi,
		 const struct guest_image *img);

/*
 * vvtd_boot_ept_violation() - an EPT violation at GPA @gpa with qualification @qual on
 * the current VMCS: when @gpa is in the unit's register page, decode the instruction at
 * the guest's RIP, perform the 4- or 8-byte access through vvtd_mmio() (a load writes the
 * destination register, zero-extended from 32 bits), advance RIP and return true; an
 * instruction that is not a plain MOV to/from memory, or one the guest's paging does not
 * let us fetch, gets #GP(0) injected (logged) and returns true. After the access the
 * physical units are polled (faults, page requests: see the top of this file). An event
 * the access or the poll raised is injected on @v (vinject_vmx_sync()) once RIP is past
 * the instruction. False: not the unit's page (the caller goes on).
 */
bool vvtd_boot_ept_violation(struct guest_regs *r, struct vcpu *v, gpa_t gpa, uint64_t qual);

/*
 * vvtd_boot_poll_period_us() - microseconds of TSC time between two polls on each vCPU
 * (the VMX-preemption timer's period, hv/vmx.c), or 0 when the unit is off (no timer).
 */
uint64_t vvtd_boot_poll_period_us(void);

/*
 * vvtd_boot_timer_exit() - the VMX-preemption timer exit (basic reason 52, SDM Vol. 3C
 * 25.5.1) of vCPU @v: poll the physical units (faults -> the unit's fault recording
 * registers under the guest's PASID; page requests -> its page request queue), re-arm
 * the timer, inject an event the poll raised (vinject_vmx_sync()) and resume. When
 * another vCPU holds the unit's lock this CPU's poll is skipped (that one polls).
 */
void vvtd_boot_timer_exit(struct vcpu *v);

/*
 * vvtd_boot_guest_end() - the guest has finished (hv_halt()): once, log the unit's state
 * as the guest's driver left it (GSTS, the latched root table and its translation mode,
 * the queue) and its counters (register accesses, IQT writes = VM exits, descriptors,
 * IQE, shadows, forwarded invalidation batches, events, polls: timer exits per second
 * of TSC time, faults and page requests routed). Nothing when the unit is off.
 */
void vvtd_boot_guest_end(void);

#endif /* HV_VVTD_BOOT_H */
