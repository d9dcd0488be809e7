/* SPDX-License-Identifier: MIT */
/*
 * hv/dma_cases.h - the differential test's DMA cases (issue 3): the same table setups
 * and requests, replayed by the core's "selftest=diff" against QEMU's intel-iommu with
 * the edu device (hv/dma_selftest.c) and by the hosted tests/unit/diff_model.c against
 * the VT-d model, both through the same driver code (iommu/) and platform domain
 * (hv/iommu_boot.c). Each prints "diff: NAME outcome=ok|fault:0xNN";
 * tests/qemu/test-diff.sh compares the two. Plain data: no core or hosted dependency.
 *
 * dma_cases[] run on the platform domain as built (legacy SL, scalable SL or FL);
 * dma_pt_cases[] ("selftest=diff-pt", diff_model legacy-pt|sl-pt) run with the edu
 * device switched to pass-through (iommu/pt.h: legacy context TT = 10b, scalable
 * RID_PASID entry PGTT = 100b) and then back to the domain.
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

/*
 * Pass-through cases: the address a case uses is an HPA. Both sides run the unit with a
 * 39-bit MGAW (QEMU aw-bits=39) so that DMA_PT_ADDR_BEYOND_AW lies beyond the address
 * width yet inside edu's 48-bit DMA mask. Neither RAM page is mapped by the platform
 * domain on QEMU: both are hypervisor pool frames, so reaching them shows that
 * pass-through bypasses the domain.
 */
#define DMA_PT_ADDR_NO_RAM    DMA_CASE_IOVA   /* no RAM on QEMU; unmapped in the domain */
#define DMA_PT_ADDR_BEYOND_AW 0x8000000000ull /* 2^39: beyond MGAW 39, below 2^48 */

enum dma_pt_target {
	DMA_PT_RAM_SRC = 0,   /* RAM page (a pattern), read by the device */
	DMA_PT_RAM_DST = 1,   /* RAM page the device writes (checked against the pattern) */
	DMA_PT_NO_RAM = 2,    /* DMA_PT_ADDR_NO_RAM */
	DMA_PT_BEYOND_AW = 3, /* DMA_PT_ADDR_BEYOND_AW */
	DMA_PT_RESTORED = 4,  /* back on the domain first, then DMA_PT_ADDR_NO_RAM */
};

struct dma_pt_case {
	const char *name;
	uint8_t target; /* enum dma_pt_target */
	bool write;	/* the device writes (edu buffer -> RAM), else reads */
	uint32_t len;	/* bytes, <= 4096 */
};

/* In this order: the read loads the edu buffer that the writes store; restore last. */
static const struct dma_pt_case dma_pt_cases[] = {
	{ "pt-ram-read", DMA_PT_RAM_SRC, false, 4096 },
	{ "pt-ram-write", DMA_PT_RAM_DST, true, 4096 },
	{ "pt-ram-write-short", DMA_PT_RAM_DST, true, 64 },
	{ "pt-unmapped-iova-write", DMA_PT_NO_RAM, true, 4096 },
	{ "pt-unmapped-iova-read", DMA_PT_NO_RAM, false, 4096 },
	{ "pt-beyond-aw-write", DMA_PT_BEYOND_AW, true, 4096 },
	{ "pt-beyond-aw-read", DMA_PT_BEYOND_AW, false, 4096 },
	{ "restored-unmapped-write", DMA_PT_RESTORED, true, 4096 },
};

#define DMA_PT_CASES_N (sizeof(dma_pt_cases) / sizeof(dma_pt_cases[0]))

#endif /* HV_DMA_CASES_H */
