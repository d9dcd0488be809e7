// SPDX-License-Identifier: MIT
/*
 * hv/model/iommu_env_model.c - the VT-d driver's environment (iommu/iommu_env.h) in
 * build/hv-model.elf: as hv/iommu_env.c (frames from the host pool, TSC time, clflush,
 * the "vtd" log), but register accesses go to the VT-d reference model: @reg_base is a
 * struct model_unit pointer (hv/model/model_platform.c), not an MMIO address. The
 * model reads the tables from real RAM (hv/model/model_mem_ram.c), so no copies.
 */
#include "hv/log.h"
#include "hv/model/model_platform.h"
#include "hv/mm.h"
#include "hv/tsc.h"
#include "hv/x86.h"
#include "iommu/iommu_env.h"
#include "tests/model/model.h"

#define CACHE_LINE 64u

/* TSC ticks spent inside the model's register writes (where it does the hardware's
 * work: root-table latch, queue processing) and their number: model_platform_time(). */
static uint64_t model_env_ticks, model_env_writes;

void model_platform_time(uint64_t *ticks, uint64_t *writes)
{
	*ticks = model_env_ticks;
	*writes = model_env_writes;
}

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

uint32_t iommu_env_mmio_read32(uintptr_t reg_base, uint32_t off)
{
	return model_read32((struct model_unit *)reg_base, off);
}

uint64_t iommu_env_mmio_read64(uintptr_t reg_base, uint32_t off)
{
	return model_read64((struct model_unit *)reg_base, off);
}

void iommu_env_mmio_write32(uintptr_t reg_base, uint32_t off, uint32_t val)
{
	uint64_t t0 = rdtsc();

	model_write32((struct model_unit *)reg_base, off, val);
	model_env_ticks += rdtsc() - t0;
	model_env_writes++;
}

void iommu_env_mmio_write64(uintptr_t reg_base, uint32_t off, uint64_t val)
{
	uint64_t t0 = rdtsc();

	model_write64((struct model_unit *)reg_base, off, val);
	model_env_ticks += rdtsc() - t0;
	model_env_writes++;
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
