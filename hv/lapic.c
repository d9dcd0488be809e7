// SPDX-License-Identifier: MIT
/*
 * Local APIC IPIs for AP start-up (hv/lapic.h). xAPIC through its MMIO page (the host
 * maps the low 4 GiB 1:1, hv/paging.c), x2APIC through MSR 0x830 when IA32_APIC_BASE.EXTD
 * says the firmware switched to it.
 */
#include <errno.h>
#include "hv/lapic.h"
#include "hv/tsc.h"
#include "hv/types.h"
#include "hv/x86.h"

#define MSR_IA32_APIC_BASE   0x1b
#define APIC_BASE_EXTD	     BIT(10) /* x2APIC mode */
#define APIC_BASE_ADDR_MASK  0xffffff000ull
#define MSR_X2APIC_ID	     0x802
#define MSR_X2APIC_ICR	     0x830
#define XAPIC_ID	     0x20
#define XAPIC_ICR_LOW	     0x300
#define XAPIC_ICR_HIGH	     0x310
#define ICR_DELIVERY_INIT    (5u << 8)
#define ICR_DELIVERY_STARTUP (6u << 8)
#define ICR_DELIVERY_PENDING BIT(12)
#define ICR_LEVEL_ASSERT     BIT(14)
#define ICR_TRIGGER_LEVEL    BIT(15)
#define ICR_BUSY_TIMEOUT_US  10000

static bool x2apic_on(void)
{
	return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EXTD;
}

static volatile uint32_t *xapic_reg(uint32_t off)
{
	return (volatile uint32_t *)(uintptr_t)((rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDR_MASK) +
						off);
}

uint32_t lapic_id(void)
{
	if (x2apic_on())
		return (uint32_t)rdmsr(MSR_X2APIC_ID);
	return *xapic_reg(XAPIC_ID) >> 24;
}

void lapic_delay_us(uint64_t us)
{
	uint64_t end = rdtsc() + us * tsc_khz() / 1000;

	while (rdtsc() < end)
		cpu_relax();
}

/* SDM Vol. 3A 11.6.1: write ICR high (destination) then low (which sends); wait for the
 * delivery status to clear. x2APIC has one 64-bit ICR and no delivery status (11.12.9). */
static int icr_send(uint32_t apic_id, uint32_t low)
{
	uint64_t end;

	if (x2apic_on()) {
		wrmsr(MSR_X2APIC_ICR, ((uint64_t)apic_id << 32) | low);
		return 0;
	}
	*xapic_reg(XAPIC_ICR_HIGH) = apic_id << 24;
	*xapic_reg(XAPIC_ICR_LOW) = low;
	end = rdtsc() + ICR_BUSY_TIMEOUT_US * tsc_khz() / 1000;
	while (*xapic_reg(XAPIC_ICR_LOW) & ICR_DELIVERY_PENDING) {
		if (rdtsc() > end)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return 0;
}

int lapic_send_init(uint32_t apic_id)
{
	int ret = icr_send(apic_id, ICR_DELIVERY_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);

	if (ret || x2apic_on()) /* x2APIC has no INIT level de-assert (11.12.9) */
		return ret;
	lapic_delay_us(200);
	return icr_send(apic_id, ICR_DELIVERY_INIT | ICR_TRIGGER_LEVEL); /* de-assert */
}

int lapic_send_sipi(uint32_t apic_id, uint8_t vector)
{
	return icr_send(apic_id, ICR_DELIVERY_STARTUP | vector);
}
