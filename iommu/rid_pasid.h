/* SPDX-License-Identifier: MIT */
/*
 * iommu/rid_pasid.h - a PASID directory for a device's requests without PASID only
 * (VT-d §9.4, §9.5): in scalable mode every request without PASID is translated through
 * the PASID-table entry that the context entry's RID_PASID names, so a scalable unit
 * without ECAP.PASID (QEMU without x-pasid-mode) still needs a directory.
 */
#ifndef IOMMU_RID_PASID_H
#define IOMMU_RID_PASID_H

#include "iommu/pasid.h"

/*
 * vtd_pasid_dir_init_rid() - an empty PASID directory for @u: the full one of
 * vtd_pasid_dir_init() where the unit has ECAP.PASID, else the smallest one the
 * context entry can describe (PDTS = 0: 128 entries in one 4-KiB frame) for PASIDs
 * 0-63 only, enough for RID_PASID 0. Free it with vtd_pasid_dir_destroy().
 * Returns 0; -EOPNOTSUPP on a legacy-mode unit; -ENOMEM.
 */
int vtd_pasid_dir_init_rid(struct vtd_pasid_dir *d, const struct vtd_unit *u);

#endif /* IOMMU_RID_PASID_H */
