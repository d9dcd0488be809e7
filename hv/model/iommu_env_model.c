// SPDX-License-Identifier: MIT
/*
 * hv/model/iommu_env_model.c - the VT-d driver's environment (iommu/iommu_env.h) in
 * build/hv-model.elf: the register accesses, in place of hv/iommu_env_mmio.c (the rest
 * of the environment is hv/iommu_env.c, shared with hv.elf). They go to the VT-d
 * reference model: @reg_base is a struct model_unit pointer (hv/model/model_platform.c),
 * not an MMIO address. The model reads the tables from real RAM
 * (hv/model/model_mem_ram.c), so no copies.
 */
#include "hv/model/model_platform.h"
#include "hv/tsc.h"
#include "hv/x86.h"
#include "iommu/iommu_env.h"
#include "tests/model/model.h"

/* TSC ticks spent inside the model's register writes (where it does the hardware's
 * work: root-table latch, queue processing) and their number: model_platform_time(). */
static uint64_t model_env_ticks, model_env_writes;

void model_platform_time(uint64_t *ticks, uint64_t *writes)
{
	*ticks = model_env_ticks;
	*writes = model_env_writes;
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
