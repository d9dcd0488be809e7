/* SPDX-License-Identifier: MIT */
/*
 * iommu/pgtable.h - the tree code that second-level (iommu/slpt.c, VT-d §9.8, §3.7) and
 * first-level tables (iommu/flpt.c, §9.7 = IA-32e paging, §3.6) share: both are radix
 * trees of 512 8-byte entries per 4-KiB table, level 1 holding 4-KiB leaves, level 2
 * 2-MiB, level 3 1-GiB, and differ only in the bits of an entry (struct
 * vtd_pgtable_fmt). Implemented in iommu/slpt.c; callers are slpt.c and flpt.c only.
 */
#ifndef IOMMU_PGTABLE_H
#define IOMMU_PGTABLE_H

#include "iommu/vtd.h"

/* The entry format of one kind of table. */
struct vtd_pgtable_fmt {
	uint64_t present;    /* any of these bits set: the entry is present */
	uint64_t table;	     /* bits of a non-leaf entry besides its address */
	uint64_t ps;	     /* page size: a leaf above level 1 */
	uint64_t addr;	     /* the address field */
	uint64_t split_keep; /* bits a split large page hands to its smaller pages */
	uint64_t leaf_r;     /* leaf bits for VTD_SL_R (readable) */
	uint64_t leaf_w;     /* leaf bits for VTD_SL_W (writable) */
};

/* A tree as the shared code sees it: the fields of a struct vtd_slpt or vtd_flpt. */
struct vtd_pgtable {
	const struct vtd_pgtable_fmt *fmt;
	hpa_t root;		/* HPA of the top-level table */
	unsigned int levels;	/* 3, 4 or 5 */
	uint64_t large_pages;	/* VTD_SIZE_2M | VTD_SIZE_1G the tree may use */
	bool coherent;		/* no cache-line flushes after a write */
	uint64_t *table_frames; /* the owner's count of table frames held */
};

/*
 * vtd_pgtable_new_table() - a fresh 4-KiB table from iommu_env_alloc_frames() (its HPA in
 * *@t), counted in *table_frames and flushed to memory unless coherent. 0 or -ENOMEM.
 */
int vtd_pgtable_new_table(struct vtd_pgtable *pt, hpa_t *t);

/* vtd_pgtable_free() - free every table of the tree, root included (not the mapped memory). */
void vtd_pgtable_free(struct vtd_pgtable *pt);

/*
 * vtd_pgtable_map() - map input addresses [@iova, @iova + @size) (bytes) to HPA [@hpa,
 * @hpa + @size) with @prot (VTD_SL_R/W, checked by the caller), large pages where both
 * addresses are aligned and the tree allows them. Returns 0; -EINVAL for an unaligned,
 * empty or too wide range or an HPA beyond 52 bits; -EEXIST; -ENOMEM (nothing stays
 * mapped on error).
 */
int vtd_pgtable_map(struct vtd_pgtable *pt, iova_t iova, hpa_t hpa, uint64_t size, uint64_t prot);

/*
 * vtd_pgtable_unmap() - unmap [@iova, @iova + @size) (bytes), splitting large pages
 * partly inside; *@tables_changed (may be NULL) when a non-leaf entry changed.
 * Returns 0; -EINVAL as for map; -ENOMEM from a split.
 */
int vtd_pgtable_unmap(struct vtd_pgtable *pt, iova_t iova, uint64_t size, bool *tables_changed);

/*
 * vtd_pgtable_lookup() - software walk of @iova: its HPA, page size (bytes) and
 * VTD_SL_R/W; each output may be NULL. Returns 0 or -ENOENT.
 */
int vtd_pgtable_lookup(const struct vtd_pgtable *pt, iova_t iova, hpa_t *hpa, uint64_t *page_size,
		       uint64_t *prot);

#endif /* IOMMU_PGTABLE_H */
