/* SPDX-License-Identifier: MIT */
/*
 * hv/model/model_platform.h - the model-backed VT-d platform of build/hv-model.elf
 * (tests/bochs/hv-model.mk). Bochs has no VT-d, so this image binds iommu/ to the VT-d
 * reference model (tests/model, compiled freestanding with the core's flags): one
 * scalable-mode unit with ECAP.NEST (model_cfg_scalable(): PSS 20 bits, FLTS, SLTS),
 * register accesses through hv/model/iommu_env_model.c, memory = the machine's real
 * RAM (hv/model/model_mem_ram.c). A synthetic DMAR describes it: one DRHD whose
 * "register base" MODEL_PLATFORM_REG_HPA is only a name (nothing is mapped there; the
 * platform domain unmaps that page as for real units) with the fake PCI endpoints
 * MODEL_PLATFORM_DEV_A/B (no such functions exist on the Bochs PCI bus: their DMA is
 * simulated by the model). iommu_platform_init() (hv/iommu_boot.h) then builds the
 * platform domain over the VM's guest map, exactly as iommu_boot() does over MMIO.
 *
 * It provides vsva_boot_platform() and vsva_boot_confirm() of hv/vsva_boot.h in place
 * of hv/vsva_platform.c (hv.elf's).
 */
#ifndef HV_MODEL_MODEL_PLATFORM_H
#define HV_MODEL_MODEL_PLATFORM_H

#include "hv/iommu_boot.h"

#define MODEL_PLATFORM_REG_HPA 0xfed90000ull	/* the DRHD's nominal register page */
#define MODEL_PLATFORM_DEV_A   VTD_SID(0, 3, 0) /* 00:03.0 */
#define MODEL_PLATFORM_DEV_B   VTD_SID(0, 4, 0) /* 00:04.0 */
#define MODEL_PLATFORM_PROBE   64u		/* host PASIDs probed per range */

/*
 * model_platform_time() - TSC ticks (Bochs: instructions) spent inside the model's
 * register writes since boot, and how many writes: the emulated hardware's share of
 * the vSVA calls' cost (hv/model/iommu_env_model.c).
 */
void model_platform_time(uint64_t *ticks, uint64_t *writes);

#endif /* HV_MODEL_MODEL_PLATFORM_H */
