// SPDX-License-Identifier: MIT
/*
 * diff_model.c - the hosted half of the differential test (issue 3): replays the cases
 * of hv/dma_cases.h against the VT-d model, through the same driver (iommu/) and the same
 * platform domain code (hv/iommu_boot.c) the core runs under QEMU with "selftest=diff",
 * and prints the same lines: "diff: NAME outcome=ok|fault:0xNN".
 *
 * Usage: diff_model legacy|sl|fl|legacy-pt|sl-pt
 *   legacy     legacy-mode unit (QEMU's intel-iommu default)
 *   sl         scalable mode, second level only (x-scalable-mode=on: SLTS, no FLTS)
 *   fl         scalable mode, first level only (x-flts=on: FLTS, no SLTS)
 *   legacy-pt  as legacy with a 39-bit MGAW (QEMU pt=on,aw-bits=39): the pass-through
 *              cases (dma_pt_cases[], context entry TT = 10b), "selftest=diff-pt"
 *   sl-pt      as sl with a 39-bit MGAW (x-scalable-mode=on,pt=on,aw-bits=39): the
 *              pass-through cases through the RID_PASID entry's PGTT = 100b
 * The model presents the same choice of translation types and address widths as QEMU
 * does; everything else is the model's (the spec's) behaviour, deviations included. The
 * model's memory holds RAM wherever a case's address points (QEMU has none at
 * DMA_PT_ADDR_NO_RAM and DMA_PT_ADDR_BEYOND_AW; edu's DMA there completes unseen).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hv/dma_cases.h"
#include "hv/iommu_boot.h"
#include "iommu/pt.h"
#include "tests/unit/support/iommu_env_model.h"

#define EDU_SID	  0x0008 /* 00:01.0, where QEMU puts edu in tests/qemu/run-qemu.sh */
#define TEST_PAGE 0x300000ull
#define PT_SRC	  0x301000ull /* pass-through cases: the pattern page */
#define PT_DST	  0x302000ull /* pass-through cases: the page the device writes */

static const struct iommu_platform_ops ops;

/* One line per outcome, as hv/dma_selftest.c prints it. */
static void report(const char *name, int ret)
{
	if (ret > 0)
		printf("diff: %s outcome=fault:%#04x\n", name, ret);
	else if (ret == 0)
		printf("diff: %s outcome=ok\n", name);
	else
		printf("diff: %s outcome=error:%d\n", name, ret);
}

static void run_cases(struct iommu_platform *p, uint8_t *buf)
{
	int ret;

	for (unsigned int i = 0; i < DMA_CASES_N; i++) {
		const struct dma_case *dc = &dma_cases[i];
		iova_t iova = DMA_CASE_IOVA + (uint64_t)i * 4096;

		if (dc->map != DMA_CASE_UNMAPPED &&
		    (iommu_domain_map(p, 0, iova, TEST_PAGE, 4096,
				      dc->map == DMA_CASE_RW ? VTD_SL_R | VTD_SL_W : VTD_SL_R) ||
		     iommu_domain_flush(p, 0, iova, 1))) {
			printf("diff: %s outcome=setup-failed\n", dc->name);
			continue;
		}
		ret = env_dma(EDU_SID, MODEL_NO_PASID, iova, buf, dc->len, dc->write);
		report(dc->name, ret);
		iommu_platform_poll_faults(p, NULL, NULL);
		if (dc->map != DMA_CASE_UNMAPPED) {
			iommu_domain_unmap(p, 0, iova, 4096);
			iommu_domain_flush(p, 0, iova, 1);
		}
	}
	printf("diff: done: %u cases\n", (unsigned int)DMA_CASES_N);
}

/*
 * The pass-through cases: edu switched to pass-through (iommu/pt.h), each case's HPA
 * reached directly, then back on the platform domain for DMA_PT_RESTORED. A write to RAM
 * that completes without a fault but leaves the page without the data is "lost".
 */
static void run_pt_cases(struct model_unit *m, struct iommu_platform *p, uint8_t *buf)
{
	struct iommu_device *d = iommu_platform_device(p, EDU_SID);
	static uint8_t pattern[4096], page[4096];
	bool on_domain = false;
	int ret;

	for (unsigned int i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(0x5a ^ i ^ (i >> 8));
	model_mem_map(m, PT_SRC, 4096);
	model_mem_map(m, PT_DST, 4096);
	model_mem_map(m, DMA_PT_ADDR_NO_RAM, 4096);
	model_mem_map(m, DMA_PT_ADDR_BEYOND_AW, 4096);
	model_mem_write(m, PT_SRC, pattern, sizeof(pattern));
	ret = d ? vtd_rid_set_pt(&p->unit[d->unit], EDU_SID, p->did, &d->dir, IOMMU_RID_PASID) :
		  -ENOENT;
	if (ret) {
		printf("diff: pass-through setup failed (%d)\n", ret);
		return;
	}
	for (unsigned int i = 0; i < DMA_PT_CASES_N; i++) {
		const struct dma_pt_case *c = &dma_pt_cases[i];
		uint64_t addr = c->target == DMA_PT_RAM_SRC   ? PT_SRC :
				c->target == DMA_PT_RAM_DST   ? PT_DST :
				c->target == DMA_PT_BEYOND_AW ? DMA_PT_ADDR_BEYOND_AW :
								DMA_PT_ADDR_NO_RAM;

		if (c->target == DMA_PT_RESTORED && !on_domain) {
			ret = vtd_rid_set_sl(&p->unit[d->unit], EDU_SID, p->did, &d->dir,
					     IOMMU_RID_PASID, &p->sl[d->unit]);
			if (ret) {
				printf("diff: %s outcome=setup-failed\n", c->name);
				continue;
			}
			on_domain = true;
		}
		if (c->target == DMA_PT_RAM_DST) {
			memset(page, 0, sizeof(page));
			model_mem_write(m, PT_DST, page, sizeof(page));
		}
		ret = env_dma(EDU_SID, MODEL_NO_PASID, addr, buf, c->len, c->write);
		if (!ret && c->target == DMA_PT_RAM_DST) {
			model_mem_read(m, PT_DST, page, sizeof(page));
			if (memcmp(page, pattern, c->len)) {
				printf("diff: %s outcome=lost\n", c->name);
				continue;
			}
		}
		report(c->name, ret);
		iommu_platform_poll_faults(p, NULL, NULL);
	}
	printf("diff: done: %u cases\n", (unsigned int)DMA_PT_CASES_N);
}

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
	bool pt = false;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s legacy|sl|fl|legacy-pt|sl-pt\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "legacy-pt") || !strcmp(argv[1], "sl-pt")) {
		pt = true;
		c = argv[1][0] == 'l' ? model_cfg_legacy() : model_cfg_scalable();
		c.ecap &= ~(MODEL_ECAP_FLTS | MODEL_ECAP_NEST);
		/* QEMU aw-bits=39: MGAW 39, 3-level SL tables only. */
		c.cap &= ~(MODEL_CAP_MGAW_SET(64) | MODEL_CAP_SAGAW_48 | MODEL_CAP_SAGAW_57);
		c.cap |= MODEL_CAP_MGAW_SET(39) | MODEL_CAP_SAGAW_39;
	} else if (!strcmp(argv[1], "legacy")) {
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
	if (pt)
		run_pt_cases(m, &p, buf);
	else
		run_cases(&p, buf);
	env_detach();
	model_destroy(m);
	return 0;
}
