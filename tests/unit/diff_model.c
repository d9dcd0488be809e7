// SPDX-License-Identifier: MIT
/*
 * diff_model.c - the hosted half of the differential test (issue 3): replays the cases
 * of hv/dma_cases.h against the VT-d model, through the same driver (iommu/) and the same
 * platform domain code (hv/iommu_boot.c) the core runs under QEMU with "selftest=diff",
 * and prints the same lines: "diff: NAME outcome=ok|fault:0xNN".
 *
 * Usage: diff_model legacy|sl|fl
 *   legacy  legacy-mode unit (QEMU's intel-iommu default)
 *   sl      scalable mode, second level only (x-scalable-mode=on: SLTS, no FLTS)
 *   fl      scalable mode, first level only (x-flts=on: FLTS, no SLTS)
 * The model presents the same choice of translation types as QEMU does; everything else
 * is the model's (the spec's) behaviour, deviations included.
 */
#include <stdio.h>
#include <string.h>

#include "hv/dma_cases.h"
#include "hv/iommu_boot.h"
#include "tests/unit/support/iommu_env_model.h"

#define EDU_SID	  0x0008 /* 00:01.0, where QEMU puts edu in tests/qemu/run-qemu.sh */
#define TEST_PAGE 0x300000ull

static const struct iommu_platform_ops ops;

int main(int argc, char **argv)
{
	static struct iommu_platform p;
	static struct vtd_dmar_info dmar;
	static struct guest_map map;
	static struct boot_info bi;
	static struct mtrr_state mtrr;
	struct model_config c;
	struct model_unit *m;
	uintptr_t reg_base[1];
	static uint8_t buf[4096];
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s legacy|sl|fl\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "legacy")) {
		c = model_cfg_legacy();
	} else if (!strcmp(argv[1], "sl")) {
		c = model_cfg_scalable();
		c.ecap &= ~(MODEL_ECAP_FLTS | MODEL_ECAP_NEST);
	} else if (!strcmp(argv[1], "fl")) {
		c = model_cfg_scalable();
		c.ecap &= ~(MODEL_ECAP_SLTS | MODEL_ECAP_NEST);
	} else {
		fprintf(stderr, "diff_model: unknown mode %s\n", argv[1]);
		return 2;
	}
	m = model_create(&c);
	if (!m)
		return 1;
	env_attach(m);
	reg_base[0] = env_reg_base();
	bi.mmap[0] = (struct boot_mem_range){ .base = 0x1000,
					      .size = 0x3fff000,
					      .type = BOOT_MEM_USABLE };
	bi.mmap_count = 1;
	if (guest_map_build(&bi, &mtrr, &map))
		return 1;
	dmar.haw = 48;
	dmar.ndrhd = 1;
	dmar.drhd[0].reg_base = 0xfed90000;
	dmar.drhd[0].reg_size = 0x1000;
	dmar.drhd[0].scope.n = 1;
	dmar.drhd[0].scope.dev[0] = (struct vtd_dmar_dev){ VTD_SCOPE_PCI_ENDPOINT, 0, EDU_SID };
	ret = iommu_platform_init(&p, &dmar, reg_base, &map, &ops);
	if (ret) {
		fprintf(stderr, "diff_model: iommu_platform_init: %d\n", ret);
		return 1;
	}
	model_mem_map(m, TEST_PAGE, 4096);
	for (unsigned int i = 0; i < DMA_CASES_N; i++) {
		const struct dma_case *dc = &dma_cases[i];
		iova_t iova = DMA_CASE_IOVA + (uint64_t)i * 4096;

		if (dc->map != DMA_CASE_UNMAPPED &&
		    (iommu_domain_map(&p, 0, iova, TEST_PAGE, 4096,
				      dc->map == DMA_CASE_RW ? VTD_SL_R | VTD_SL_W : VTD_SL_R) ||
		     iommu_domain_flush(&p, 0, iova, 1))) {
			printf("diff: %s outcome=setup-failed\n", dc->name);
			continue;
		}
		ret = env_dma(EDU_SID, MODEL_NO_PASID, iova, buf, dc->len, dc->write);
		if (ret > 0)
			printf("diff: %s outcome=fault:%#04x\n", dc->name, ret);
		else if (ret == 0)
			printf("diff: %s outcome=ok\n", dc->name);
		else
			printf("diff: %s outcome=error:%d\n", dc->name, ret);
		iommu_platform_poll_faults(&p, NULL, NULL);
		if (dc->map != DMA_CASE_UNMAPPED) {
			iommu_domain_unmap(&p, 0, iova, 4096);
			iommu_domain_flush(&p, 0, iova, 1);
		}
	}
	printf("diff: done: %u cases\n", (unsigned int)DMA_CASES_N);
	env_detach();
	model_destroy(m);
	return 0;
}
