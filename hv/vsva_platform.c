// SPDX-License-Identifier: MIT
/*
 * The VT-d platform vSVA runs over in hv.elf (hv/vsva_boot.h): the physical units the
 * iommu stage took. build/hv-model.elf links hv/model/model_platform.c in place of this
 * file (tests/bochs/hv-model.mk), as it does hv/model/iommu_env_model.c for
 * hv/iommu_env_mmio.c.
 */
#include "hv/vsva_boot.h"

struct iommu_platform *vsva_boot_platform(const struct vm *vm)
{
	(void)vm;
	return iommu_boot_platform();
}

unsigned int vsva_boot_confirm(struct vsva_guest *g, struct iommu_platform *p)
{
	(void)g;
	(void)p;
	return 0; /* physical units: nothing to confirm against */
}

unsigned int vsva_boot_confirm_rid(struct vsva_guest *g, struct iommu_platform *p, uint16_t sid)
{
	(void)g;
	(void)p;
	(void)sid;
	return 0;
}
