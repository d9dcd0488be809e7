/* SPDX-License-Identifier: MIT */
/* Time from the TSC, for timeouts of hardware waits (not for anything a guest sees). */
#ifndef HV_TSC_H
#define HV_TSC_H

#include <stdint.h>

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * tsc_khz() - TSC ticks per millisecond: from CPUID.15H (crystal ratio) or CPUID.16H
 * (base MHz) when the CPU reports them, else measured once against 10 ms of the PIT
 * (channel 2, ports 0x42/0x43/0x61). Never 0.
 */
uint64_t tsc_khz(void);

/* tsc_now_us() - microseconds since TSC reset, monotonic on one CPU. */
uint64_t tsc_now_us(void);

#endif /* HV_TSC_H */
