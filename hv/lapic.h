/* SPDX-License-Identifier: MIT */
/*
 * The local APIC, as far as the core needs it: its ID and the interprocessor interrupts
 * that start an application processor (INIT, STARTUP) -- SDM Vol. 3A 11.4 (base MSR),
 * 11.6.1 (ICR), 11.12.9 (x2APIC ICR), 9.4.4.1 (the INIT-SIPI-SIPI sequence).
 */
#ifndef HV_LAPIC_H
#define HV_LAPIC_H

#include <stdint.h>

/* lapic_id() - this CPU's local APIC ID (x2APIC: 32 bits; xAPIC: bits 31:24 of ID). */
uint32_t lapic_id(void);

/*
 * lapic_send_init() - send an INIT IPI (level assert, then the de-assert that older
 * APICs want) to the CPU with local APIC ID @apic_id. Waits for the ICR's delivery
 * status to clear (xAPIC). Returns 0, or -ETIMEDOUT when the ICR stayed busy for 10 ms.
 */
int lapic_send_init(uint32_t apic_id);

/*
 * lapic_send_sipi() - send a STARTUP IPI with @vector (the AP starts in real mode at
 * CS:IP = vector << 8 : 0, i.e. HPA vector << 12) to @apic_id. Returns 0 or -ETIMEDOUT.
 */
int lapic_send_sipi(uint32_t apic_id, uint8_t vector);

/* lapic_delay_us() - busy-wait at least @us microseconds (TSC). */
void lapic_delay_us(uint64_t us);

#endif /* HV_LAPIC_H */
