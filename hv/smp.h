/* SPDX-License-Identifier: MIT */
/*
 * Application processors on the Multiboot2 path: the CPU list from the ACPI MADT and the
 * start of each AP by the core itself with INIT-SIPI-SIPI (SDM Vol. 3A 9.4.4.1) through
 * a real-mode trampoline below 1 MiB (hv/smp_tramp.asm) into long mode, on the AP's own
 * stack. The VMX core (hv/vmx.c) then gives every AP a VMCS in the wait-for-SIPI state,
 * so that the guest's own INIT-SIPI-SIPI starts it as a guest CPU.
 */
#ifndef HV_SMP_H
#define HV_SMP_H

#include <stdbool.h>
#include <stdint.h>

#define SMP_TRAMP_HPA	  0x8000u /* hv/smp_tramp.asm TRAMP_HPA; SIPI vector 0x08 */
#define SMP_CPUS_MAX	  8u	  /* logical CPUs the core runs (BSP included) */
#define SMP_AP_STACK_SIZE 0x4000u /* bytes: each AP's bring-up and VM-exit stack */

/* MADT (ACPI 6.5 5.2.12) interrupt controller structure types the core reads. */
#define MADT_TYPE_LOCAL_APIC   0
#define MADT_TYPE_LOCAL_X2APIC 9
#define MADT_LAPIC_ENABLED     0x1u

/*
 * smp_madt_apic_ids() - the local APIC IDs of the enabled processors in the MADT at
 * @madt (a host pointer to the whole table, @len bytes as its header says), in table
 * order, without duplicates, at most @max into @ids. Every structure's length is checked
 * against the table before it is read. Portable (unit-tested hosted).
 * Returns the number of IDs (0 .. @max); -EINVAL for a table too short to be a MADT or a
 * structure that runs past its end (then nothing in @ids is to be used).
 */
int smp_madt_apic_ids(const void *madt, uint64_t len, uint32_t *ids, unsigned int max);

/* The AP side: what an AP runs once it is in long mode with its own GDT/TSS/IDT. */
typedef void (*smp_ap_main_t)(unsigned int cpu, uint64_t stack_top);

/* What an AP reports to the BSP that waits for it (smp_ap_report()). */
enum smp_ap_state {
	SMP_AP_OFF = 0,
	SMP_AP_ALIVE = 1,  /* in long mode on its stack, its own tables loaded */
	SMP_AP_READY = 2,  /* set up (VMX: VMCS launched into wait-for-SIPI) */
	SMP_AP_FAILED = 3, /* gave up; a log line says why */
};

/*
 * smp_start_aps() - BSP only, on the Multiboot2 path, before any guest runs: start each
 * CPU of @apic_ids[0 .. @count) except @bsp_apic_id, one at a time, as logical CPU 1, 2, ...
 * Each AP runs @ap_main(cpu, stack_top) and reports SMP_AP_READY or SMP_AP_FAILED; the BSP
 * waits at most 500 ms for each. The trampoline page (SMP_TRAMP_HPA, usable RAM that the
 * guest owns later) is saved and restored. Returns the number of APs that reported ready
 * (0 .. SMP_CPUS_MAX - 1); CPUs beyond SMP_CPUS_MAX are left alone with a log line.
 */
unsigned int smp_start_aps(const uint32_t *apic_ids, unsigned int count, uint32_t bsp_apic_id,
			   smp_ap_main_t ap_main);

/* smp_ap_report() - called on AP @cpu: tell the waiting BSP @state (enum smp_ap_state). */
void smp_ap_report(unsigned int cpu, enum smp_ap_state state);

#endif /* HV_SMP_H */
