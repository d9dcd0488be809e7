// SPDX-License-Identifier: MIT
/*
 * The VT-d driver's environment (iommu/iommu_env.h) in the core: frames from the host
 * pool, TSC time, clflush, the log with prefix "vtd". Register access is apart, in
 * hv/iommu_env_mmio.c (volatile MMIO on the 1:1 map), so that build/hv-model.elf can
 * swap in the VT-d model's registers (hv/model/iommu_env_model.c) and nothing else.
 */
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/tsc.h"
#include "hv/x86.h"
#include "iommu/iommu_env.h"

_Static_assert(VTD_LOG_ERR == LOG_ERR && VTD_LOG_DEBUG == LOG_DEBUG, "log levels differ");

#define CACHE_LINE 64u

int iommu_env_alloc_frames(uint64_t frames, hpa_t *out)
{
	return host_frames_alloc(frames, 1, out);
}

void iommu_env_free_frames(hpa_t hpa, uint64_t frames)
{
	int ret = host_frames_free(hpa, frames);

	if (ret)
		log_printf(LOG_ERR, "vtd", "freeing %llu frames at 0x%llx failed (%d): leaked",
			   (unsigned long long)frames, (unsigned long long)hpa, ret);
}

void *iommu_env_hpa_to_va(hpa_t hpa)
{
	return hpa_to_hva(hpa);
}

uint64_t iommu_env_now_us(void)
{
	return tsc_now_us();
}

void iommu_env_relax(void)
{
	cpu_relax();
}

void iommu_env_clflush(void *p, size_t len)
{
	uintptr_t line = (uintptr_t)p & ~(uintptr_t)(CACHE_LINE - 1);

	for (; line < (uintptr_t)p + len; line += CACHE_LINE)
		__asm__ volatile("clflush (%0)" : : "r"(line) : "memory");
	__asm__ volatile("mfence" ::: "memory");
}

void iommu_env_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, "vtd", fmt, ap);
	va_end(ap);
}
