// SPDX-License-Identifier: MIT
/*
 * iommu/flpt.c - first-level page tables built by the hypervisor itself (PGTT 001b,
 * VT-d §9.7 entry format = IA-32e paging, §3.6 walk): IOVA -> HPA, 4-level.
 *
 * The tree code is iommu/slpt.c's (iommu/pgtable.h); only the entry format is ours.
 * Non-leaf entries grant R/W and U/S (QEMU 10 checks U/S at every level for requests
 * without PASID, platforms.md); A and D are left for the unit to set.
 */
#include <errno.h>
#include <string.h>

#include "iommu/flpt.h"
#include "iommu/pgtable.h"

static const struct vtd_pgtable_fmt fl_fmt = {
	.present = VTD_FL_P,
	.table = VTD_FL_P | VTD_FL_RW | VTD_FL_US,
	.ps = VTD_FL_PS,
	.addr = VTD_FL_ADDR,
	.split_keep = VTD_FL_P | VTD_FL_RW | VTD_FL_US | VTD_FL_XD,
	.leaf_r = VTD_FL_P | VTD_FL_US, /* a present FL entry is readable */
	.leaf_w = VTD_FL_RW,
};

static struct vtd_pgtable tree(struct vtd_flpt *pt)
{
	return (struct vtd_pgtable){ .fmt = &fl_fmt,
				     .root = pt->root,
				     .levels = pt->levels,
				     .large_pages = pt->large_pages,
				     .coherent = pt->coherent,
				     .table_frames = &pt->table_frames };
}

int vtd_flpt_init(struct vtd_flpt *pt, const struct vtd_unit *u)
{
	struct vtd_pgtable t;

	memset(pt, 0, sizeof(*pt));
	pt->levels = 4;
	pt->coherent = u->pt_coherent;
	pt->large_pages = VTD_SIZE_2M; /* IA-32e paging always has 2-MiB pages */
	if (vtd_has_cap(u, VTD_CAP_FL1GP))
		pt->large_pages |= VTD_SIZE_1G;
	t = tree(pt);
	return vtd_pgtable_new_table(&t, &pt->root);
}

void vtd_flpt_destroy(struct vtd_flpt *pt)
{
	struct vtd_pgtable t = tree(pt);

	vtd_pgtable_free(&t);
	pt->root = 0;
}

int vtd_flpt_map(struct vtd_flpt *pt, iova_t iova, hpa_t hpa, uint64_t size, uint64_t prot)
{
	struct vtd_pgtable t = tree(pt);

	if (!(prot & VTD_SL_R) || (prot & ~(VTD_SL_R | VTD_SL_W)))
		return -EINVAL;
	return vtd_pgtable_map(&t, iova, hpa, size, prot);
}

int vtd_flpt_unmap(struct vtd_flpt *pt, iova_t iova, uint64_t size, bool *tables_changed)
{
	struct vtd_pgtable t = tree(pt);

	return vtd_pgtable_unmap(&t, iova, size, tables_changed);
}

int vtd_flpt_lookup(const struct vtd_flpt *pt, iova_t iova, hpa_t *hpa, uint64_t *page_size,
		    uint64_t *prot)
{
	struct vtd_pgtable t = { .fmt = &fl_fmt, .root = pt->root, .levels = pt->levels };

	return vtd_pgtable_lookup(&t, iova, hpa, page_size, prot);
}
