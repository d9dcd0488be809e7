/* SPDX-License-Identifier: MIT */
/*
 * hv/dma_cases.h - the differential test's DMA cases (issue 3): the same table setups
 * and requests, replayed by the core's "selftest=diff" against QEMU's intel-iommu with
 * the edu device (hv/dma_selftest.c) and by the hosted tests/unit/diff_model.c against
 * the VT-d model, both through the same driver code (iommu/) and platform domain
 * (hv/iommu_boot.c). Each prints "diff: NAME outcome=ok|fault:0xNN";
 * tests/qemu/test-diff.sh compares the two. Plain data: no core or hosted dependency.
 */
#ifndef HV_DMA_CASES_H
#define HV_DMA_CASES_H

#include <stdbool.h>
#include <stdint.h>

/* The cases' IOVAs: DMA_CASE_IOVA + index * 4 KiB, outside every guest map used. */
#define DMA_CASE_IOVA 0x4100000000ull

enum dma_case_map {
	DMA_CASE_UNMAPPED = 0, /* no mapping at the IOVA */
	DMA_CASE_RO = 1,       /* mapped read-only to a test page */
	DMA_CASE_RW = 2,       /* mapped read-write to a test page */
};

struct dma_case {
	const char *name;
	uint8_t map;  /* enum dma_case_map */
	bool write;   /* the device writes (edu buffer -> RAM), else reads */
	uint32_t len; /* bytes, <= 4096 */
};

static const struct dma_case dma_cases[] = {
	{ "rw-write", DMA_CASE_RW, true, 4096 },
	{ "rw-read", DMA_CASE_RW, false, 4096 },
	{ "ro-read", DMA_CASE_RO, false, 4096 },
	{ "ro-write", DMA_CASE_RO, true, 4096 },
	{ "unmapped-write", DMA_CASE_UNMAPPED, true, 4096 },
	{ "unmapped-read", DMA_CASE_UNMAPPED, false, 4096 },
	{ "rw-write-short", DMA_CASE_RW, true, 64 },
	{ "ro-write-short", DMA_CASE_RO, true, 64 },
};

#define DMA_CASES_N (sizeof(dma_cases) / sizeof(dma_cases[0]))

#endif /* HV_DMA_CASES_H */
