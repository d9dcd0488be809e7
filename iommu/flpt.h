/* SPDX-License-Identifier: MIT */
/*
 * iommu/flpt.h - first-level page tables that the hypervisor builds for itself (PGTT
 * 001b; VT-d §9.7: the IA-32e paging-entry format, §3.6): IOVA -> HPA, 4 levels,
 * 4-KiB, 2-MiB and (CAP.FL1GP) 1-GiB pages. Used where a scalable unit offers first-level
 * translation only (QEMU 10 with x-flts=on has FLTS and no SLTS). A guest's own FL
 * tables (nested, vSVA) are never built here.
 */
#ifndef IOMMU_FLPT_H
#define IOMMU_FLPT_H

#include "iommu/slpt.h"
#include "iommu/vtd.h"

/* First-level entry bits, §9.7. */
#define VTD_FL_P    VTD_BIT(0)
#define VTD_FL_RW   VTD_BIT(1)
#define VTD_FL_US   VTD_BIT(2)
#define VTD_FL_A    VTD_BIT(5)
#define VTD_FL_D    VTD_BIT(6)
#define VTD_FL_PS   VTD_BIT(7)
#define VTD_FL_XD   VTD_BIT(63)
#define VTD_FL_ADDR VTD_GENMASK(51, 12)

struct vtd_flpt {
	hpa_t root;	       /* HPA of the PML4 (the PASID entry's FLPTR) */
	unsigned int levels;   /* 4 */
	uint64_t large_pages;  /* VTD_SIZE_2M | VTD_SIZE_1G */
	bool coherent;	       /* the unit snoops paging-structure walks (ECAP.SMPWC) */
	uint64_t table_frames; /* 4-KiB table frames held, root included */
};

/* vtd_flpt_init() - an empty 4-level tree for unit @u. Returns 0 or -ENOMEM. */
int vtd_flpt_init(struct vtd_flpt *pt, const struct vtd_unit *u);

/* vtd_flpt_destroy() - free every table of the tree. */
void vtd_flpt_destroy(struct vtd_flpt *pt);

/*
 * vtd_flpt_map() - map IOVAs [@iova, @iova + @size) (bytes) to HPA [@hpa, ...) with
 * @prot: VTD_SL_R (required: a present FL entry is readable) and optionally VTD_SL_W.
 * Leaves get P, U/S and R/W; large pages where aligned. Errors as vtd_slpt_map()
 * (-EINVAL also for @prot without VTD_SL_R). The caller flushes (P_IOTLB) a range that
 * was mapped before.
 */
int vtd_flpt_map(struct vtd_flpt *pt, iova_t iova, hpa_t hpa, uint64_t size, uint64_t prot);

/* vtd_flpt_unmap() - as vtd_slpt_unmap(), for a first-level tree. */
int vtd_flpt_unmap(struct vtd_flpt *pt, iova_t iova, uint64_t size, bool *tables_changed);

/* vtd_flpt_lookup() - as vtd_slpt_lookup(); *@prot in VTD_SL_R/W terms. */
int vtd_flpt_lookup(const struct vtd_flpt *pt, iova_t iova, hpa_t *hpa, uint64_t *page_size,
		    uint64_t *prot);

#endif /* IOMMU_FLPT_H */
