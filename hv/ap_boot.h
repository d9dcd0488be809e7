/* SPDX-License-Identifier: MIT */
/*
 * The core on the APs of the UEFI path: the loader runs hv_ap_entry (hv/entry.asm,
 * contract in hv/boot_info.h) on each AP through MP services once hv_entry returned 0 on
 * the BSP. The AP's firmware context is saved in ap_boot_ret[cpu] (like boot_info.ret
 * for the BSP), the AP runs on ap_boot_stacks[cpu] and its own host GDT/TSS/IDT, and
 * with VMX it resumes that context as a guest (hv/vmx.c vmx_ap_bluepill()); without
 * VMX it goes back to the firmware with -ENODEV, CR4.VMXE never touched.
 */
#ifndef HV_AP_BOOT_H
#define HV_AP_BOOT_H

#include <stdint.h>
#include "hv/boot_info.h"
#include "hv/smp.h"

/* Per-AP firmware context and core stack (index 0, the BSP, unused). */
extern struct boot_return_ctx ap_boot_ret[SMP_CPUS_MAX];
extern uint8_t ap_boot_stacks[SMP_CPUS_MAX][SMP_AP_STACK_SIZE];

/*
 * ap_boot_core_resident() - on the BSP, on the core's own page tables, at the point the
 * core stays resident (hv_entry returns 0, or the blue pill launches): remember this
 * CR3 (HPA of the host PML4) for the APs. Until then hv_ap_entry refuses with -EAGAIN.
 */
void ap_boot_core_resident(void);

/*
 * ap_boot_main() - hv_ap_entry's C part, on AP @cpu (1 .. SMP_CPUS_MAX - 1, checked by
 * the caller), on ap_boot_stacks[cpu] whose top is @stack_top (host VA; top - 16 is the
 * VM-exit vcpu slot), still on the loader's boot tables. @bi: the loader's boot_info
 * (HPA = VA, only its magic is read). @firmware_cr3: the AP's CR3 before the loader's
 * switch (HPA, 0 = unknown), the guest's CR3 when the AP is resumed in VMX.
 * Switches to the core's CR3, loads the AP's host tables (cpu_tables_init()), reads the
 * AP's CPUID/VMX capabilities and, with VMX, enters VMX and resumes ap_boot_ret[cpu] as
 * the guest (SDM Vol. 3C 24.8, 27.3.1): then it does not return. Returns the status
 * hv_ap_entry gives the loader: -ENODEV (no VMX here or on the BSP), -EAGAIN (core not
 * resident), -EINVAL (bad @bi), -EBUSY (@cpu entered before), or the set-up's errno.
 */
long ap_boot_main(const struct boot_info *bi, uint32_t cpu, uint64_t firmware_cr3,
		  uint64_t stack_top);

#endif /* HV_AP_BOOT_H */
