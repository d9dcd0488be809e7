// SPDX-License-Identifier: MIT
/* TSC frequency and microseconds (hv/tsc.h). */
#include "hv/tsc.h"
#include "hv/x86.h"

#define PIT_HZ		   1193182u
#define PIT_CALIBRATE_MS   10u
#define PIT_PORT_CH2	   0x42
#define PIT_PORT_CMD	   0x43
#define PIT_PORT_GATE	   0x61
#define PIT_GATE_CH2	   0x01 /* port 0x61 bit 0: channel 2 gate */
#define PIT_SPEAKER	   0x02 /* port 0x61 bit 1: speaker data, kept off */
#define PIT_OUT_CH2	   0x20 /* port 0x61 bit 5: channel 2 output */
#define PIT_CH2_MODE0_LOHI 0xb0 /* channel 2, lobyte/hibyte, mode 0, binary */

static uint64_t tsc_khz_cached;

static uint64_t tsc_khz_from_cpuid(void)
{
	struct cpuid_regs r;

	if (cpuid(0, 0).eax < 0x15)
		return 0;
	r = cpuid(0x15, 0);
	if (r.eax && r.ebx && r.ecx)
		return (uint64_t)r.ecx * r.ebx / r.eax / 1000; /* crystal Hz x ratio */
	if (cpuid(0, 0).eax >= 0x16 && (cpuid(0x16, 0).eax & 0xffff))
		return (uint64_t)(cpuid(0x16, 0).eax & 0xffff) * 1000; /* base MHz */
	return 0;
}

/* Count TSC ticks while PIT channel 2 counts down PIT_CALIBRATE_MS in mode 0. */
static uint64_t tsc_khz_from_pit(void)
{
	uint32_t count = PIT_HZ / 1000 * PIT_CALIBRATE_MS;
	uint8_t gate = inb(PIT_PORT_GATE);
	uint64_t start, end;

	outb(PIT_PORT_GATE, (gate & ~PIT_SPEAKER) & ~PIT_GATE_CH2);
	outb(PIT_PORT_CMD, PIT_CH2_MODE0_LOHI);
	outb(PIT_PORT_CH2, count & 0xff);
	outb(PIT_PORT_CH2, count >> 8);
	outb(PIT_PORT_GATE, (gate & ~PIT_SPEAKER) | PIT_GATE_CH2);
	start = rdtsc();
	for (uint64_t spins = 0; !(inb(PIT_PORT_GATE) & PIT_OUT_CH2); spins++)
		if (spins > 100000000ull)
			break; /* no PIT: fall back below */
	end = rdtsc();
	outb(PIT_PORT_GATE, gate);
	return (end - start) / PIT_CALIBRATE_MS;
}

uint64_t tsc_khz(void)
{
	if (!tsc_khz_cached) {
		tsc_khz_cached = tsc_khz_from_cpuid();
		if (!tsc_khz_cached)
			tsc_khz_cached = tsc_khz_from_pit();
		if (!tsc_khz_cached)
			tsc_khz_cached = 1000000; /* 1 GHz: a guess beats dividing by zero */
	}
	return tsc_khz_cached;
}

uint64_t tsc_now_us(void)
{
	return rdtsc() * 1000 / tsc_khz();
}
