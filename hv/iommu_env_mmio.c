// SPDX-License-Identifier: MIT
/*
 * The VT-d driver's register access (iommu/iommu_env.h) in the core: volatile loads
 * and stores on the unit's register page, which the host page tables map 1:1 (UC by
 * the firmware's MTRRs). @reg_base is the page's address. build/hv-model.elf replaces
 * this file with hv/model/iommu_env_model.c.
 */
#include "iommu/iommu_env.h"

uint32_t iommu_env_mmio_read32(uintptr_t reg_base, uint32_t off)
{
	return *(volatile uint32_t *)(reg_base + off);
}

uint64_t iommu_env_mmio_read64(uintptr_t reg_base, uint32_t off)
{
	return *(volatile uint64_t *)(reg_base + off);
}

void iommu_env_mmio_write32(uintptr_t reg_base, uint32_t off, uint32_t val)
{
	*(volatile uint32_t *)(reg_base + off) = val;
}

void iommu_env_mmio_write64(uintptr_t reg_base, uint32_t off, uint64_t val)
{
	*(volatile uint64_t *)(reg_base + off) = val;
}
