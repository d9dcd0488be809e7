/* SPDX-License-Identifier: MIT */
/* The test guest's second CPU (guest/test/smp.c). */
#ifndef GUEST_TEST_SMP_H
#define GUEST_TEST_SMP_H

#include <stdbool.h>
#include <stdint.h>

#define GUEST_AP_TRAMP_GPA 0x7000u /* below 1 MiB: SIPI vector 0x07 */

/*
 * guest_smp_start_ap() - start the CPU with local APIC ID @apic_id through the local APIC
 * (INIT when @send_init, then SIPI, SIPI; SDM Vol. 3A 9.4.4.1) at GUEST_AP_TRAMP_GPA, and
 * wait at most @timeout_ticks TSC ticks for it to report. Under the hypervisor every AP
 * already waits for a SIPI (as after INIT), so the INIT may be left out: Bochs 2.7 keeps
 * an INIT pending after the VM exit it caused (fixed in Bochs after 2.7, commit
 * 88f881c6d), which makes every later VM entry of that CPU exit again.
 * Returns 0 with the AP's null-hypercall result in *@hc_result, -1 when the ICR stayed
 * busy, -2 on timeout.
 */
int guest_smp_start_ap(uint32_t apic_id, bool send_init, uint64_t timeout_ticks,
		       int64_t *hc_result);

#endif /* GUEST_TEST_SMP_H */
