// SPDX-License-Identifier: MIT
/*
 * The test guest starts its second CPU as an OS does (SDM Vol. 3A 9.4.4.1): the AP's
 * real-mode code below 1 MiB, then INIT, SIPI, SIPI through the local APIC's ICR
 * (xAPIC MMIO at IA32_APIC_BASE, or the x2APIC MSR). Under the hypervisor the AP waits
 * in the wait-for-SIPI state of its VMCS; the SIPI exit starts it at our vector.
 */
#include <stddef.h>
#include "guest/test/smp.h"

#define MSR_APIC_BASE	  0x1b
#define APIC_BASE_EXTD	  (1u << 10)
#define MSR_X2APIC_ICR	  0x830
#define XAPIC_ICR_LOW	  0x300
#define XAPIC_ICR_HIGH	  0x310
#define ICR_INIT	  0x00000500u
#define ICR_STARTUP	  0x00000600u
#define ICR_PENDING	  0x00001000u
#define ICR_ASSERT	  0x00004000u
#define ICR_LEVEL	  0x00008000u
#define DELAY_10MS_TICKS  100000u /* Bochs: TSC ticks are instructions */
#define DELAY_200US_TICKS 2000u
#define ICR_TIMEOUT_TICKS 1000000u

extern const char guest_ap_tramp_start[], guest_ap_tramp_end[];
extern const char guest_ap_tramp_result[], guest_ap_tramp_done[];

static uint64_t rdtsc_(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t rdmsr_(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void delay(uint64_t ticks)
{
	uint64_t end = rdtsc_() + ticks;

	while (rdtsc_() < end)
		__asm__ volatile("pause");
}

static int icr_send(uint32_t apic_id, uint32_t low)
{
	uint64_t base = rdmsr_(MSR_APIC_BASE);
	volatile uint32_t *apic;
	uint64_t end;

	if (base & APIC_BASE_EXTD) {
		uint64_t v = ((uint64_t)apic_id << 32) | low;

		__asm__ volatile("wrmsr"
				 :
				 : "c"(MSR_X2APIC_ICR), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
		return 0;
	}
	apic = (volatile uint32_t *)(uintptr_t)(base & 0xffffff000ull);
	apic[XAPIC_ICR_HIGH / 4] = apic_id << 24;
	apic[XAPIC_ICR_LOW / 4] = low;
	end = rdtsc_() + ICR_TIMEOUT_TICKS;
	while (apic[XAPIC_ICR_LOW / 4] & ICR_PENDING)
		if (rdtsc_() > end)
			return -1;
	return 0;
}

int guest_smp_start_ap(uint32_t apic_id, bool send_init, uint64_t timeout_ticks, int64_t *hc_result)
{
	volatile uint8_t *dst = (volatile uint8_t *)(uintptr_t)GUEST_AP_TRAMP_GPA;
	size_t len = (size_t)(guest_ap_tramp_end - guest_ap_tramp_start);
	volatile uint32_t *done, *result;
	const uint8_t vector = GUEST_AP_TRAMP_GPA >> 12;
	uint64_t end;

	for (size_t i = 0; i < len; i++)
		dst[i] = (uint8_t)guest_ap_tramp_start[i];
	done = (volatile uint32_t *)(dst + (guest_ap_tramp_done - guest_ap_tramp_start));
	result = (volatile uint32_t *)(dst + (guest_ap_tramp_result - guest_ap_tramp_start));

	if (send_init) {
		if (icr_send(apic_id, ICR_INIT | ICR_ASSERT | ICR_LEVEL))
			return -1;
		delay(DELAY_200US_TICKS);
		if (!(rdmsr_(MSR_APIC_BASE) & APIC_BASE_EXTD) &&
		    icr_send(apic_id, ICR_INIT | ICR_LEVEL))
			return -1;
		delay(DELAY_10MS_TICKS);
	}
	for (int sipi = 0; sipi < 2; sipi++) {
		if (icr_send(apic_id, ICR_STARTUP | vector))
			return -1;
		delay(DELAY_200US_TICKS);
	}
	end = rdtsc_() + timeout_ticks;
	while (!*done)
		if (rdtsc_() > end)
			return -2;
	*hc_result = (int32_t)*result;
	return 0;
}
