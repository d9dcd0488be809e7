/* SPDX-License-Identifier: MIT */
/*
 * hv/dma_selftest.h - DMA self-tests of the VT-d integration with QEMU's edu device
 * (1234:11e8, platforms.md), selected on the command line:
 *   selftest=dma   one line per check, "dma: ok - ..." or "dma: FAIL - ...", then
 *                  "dma: N passed, M failed"
 *   selftest=diff  the cases of hv/dma_cases.h, "diff: NAME outcome=ok|fault:0xNN" each
 *   selftest=diff-pt  its pass-through cases (edu switched to pass-through, iommu/pt.h,
 *                  then back to the domain), the same line form plus "outcome=lost"
 */
#ifndef HV_DMA_SELFTEST_H
#define HV_DMA_SELFTEST_H

#include "hv/iommu_boot.h"

/*
 * dma_selftest_run() - run the self-test @cmdline names on the platform domain @p
 * (after iommu_platform_init()). Changes the domain only at IOVAs outside the guest
 * map and restores them; frames it takes from the host pool are given back.
 * Does nothing without a selftest= option it knows.
 */
void dma_selftest_run(struct iommu_platform *p, const char *cmdline);

#endif /* HV_DMA_SELFTEST_H */
