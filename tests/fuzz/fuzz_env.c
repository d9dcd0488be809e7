// SPDX-License-Identifier: MIT
/*
 * fuzz_env.c - what the fuzz targets need besides tests/unit/support/hosted.c (the fake
 * physical memory and the log): the VT-d driver's log (iommu_env_log) and a fake PCI
 * configuration space for DMAR device-scope paths.
 */
#include "iommu/iommu_env.h"
#include "tests/fuzz/fuzz_env.h"

void iommu_env_log(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

uint8_t fuzz_pci_read8(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	uint8_t salt = ctx ? *(const uint8_t *)ctx : 0;

	if (dev == 0x1f || seg == 0xffff)
		return 0xff; /* no device answers */
	return (uint8_t)(bus + dev * 8u + fn + off + salt);
}
