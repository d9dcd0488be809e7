/* SPDX-License-Identifier: MIT */
/*
 * iommu/slpt.h - second-level page tables (VT-d §9.8, §3.7): IOVA/GPA -> HPA.
 */
#ifndef IOMMU_SLPT_H
#define IOMMU_SLPT_H

#include "iommu/vtd.h"

#define VTD_SIZE_2M (1ull << 21)
#define VTD_SIZE_1G (1ull << 30)

struct vtd_slpt {
	hpa_t root;	       /* HPA of the top-level table */
	unsigned int levels;   /* 3, 4 or 5 */
	uint64_t large_pages;  /* VTD_SIZE_2M | VTD_SIZE_1G the tables may use */
	bool coherent;	       /* the walking units snoop: no cache-line flushes */
	uint64_t table_frames; /* 4-KiB table frames held, root included */
};

/*
 * vtd_slpt_init() - an empty SL table tree for unit @u: depth u->sl_levels, large pages
 * where CAP.SLLPS allows them, cache-line flushes where the unit does not snoop (ECAP.C
 * legacy, ECAP.SMPWC scalable; §9.8). Returns 0 or -ENOMEM.
 */
int vtd_slpt_init(struct vtd_slpt *pt, const struct vtd_unit *u);

/* vtd_slpt_destroy() - free every table of the tree (mapped memory is not touched). */
void vtd_slpt_destroy(struct vtd_slpt *pt);

/*
 * vtd_slpt_map() - map input addresses [@iova, @iova + @size) (IOVA or GPA, bytes) to
 * HPA [@hpa, @hpa + @size) with @prot (VTD_SL_R and/or VTD_SL_W), using 1-GiB and 2-MiB
 * pages where both addresses are aligned and the tree allows them.
 * Returns 0; -EINVAL for a size or address not 4-KiB aligned, an empty range, a range
 * beyond the tree's address width, or bad @prot; -EEXIST if part of the range is mapped;
 * -ENOMEM. On error nothing is mapped (tables allocated on the way may stay, empty).
 * The caller flushes the IOTLB for a range that was mapped before (never here).
 */
int vtd_slpt_map(struct vtd_slpt *pt, iova_t iova, hpa_t hpa, uint64_t size, uint64_t prot);

/*
 * vtd_slpt_unmap() - unmap input addresses [@iova, @iova + @size) (bytes, 4-KiB aligned);
 * holes are skipped. A large page only partly inside the range is split into a table of
 * smaller pages first (§3.7: the rest stays mapped). *@tables_changed (may be NULL) is
 * set when a non-leaf entry changed, so the IOTLB flush must not use IH (§6.5.2.3).
 * Returns 0; -EINVAL as for map; -ENOMEM if a split could not get a table (the pages
 * before it are unmapped).
 */
int vtd_slpt_unmap(struct vtd_slpt *pt, iova_t iova, uint64_t size, bool *tables_changed);

/*
 * vtd_slpt_lookup() - software walk: the HPA that @iova maps to, the size of the page
 * (bytes) and its R/W bits. Returns 0 or -ENOENT when not mapped.
 */
int vtd_slpt_lookup(const struct vtd_slpt *pt, iova_t iova, hpa_t *hpa, uint64_t *page_size,
		    uint64_t *prot);

#endif /* IOMMU_SLPT_H */
