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

/*
 * vtd_pasid_fl_set_aw() - write the AW field (§9.6 bits 4:2; 1/2/3 = 39/48/57 bits) of
 * @pasid's present first-level entry in @d, then flush the PASID cache and P_IOTLB of
 * that PASID (§6.5.2.2). Linux sets AW on first-level entries too
 * (intel_pasid_setup_first_level); QEMU 10 needs it: it takes the input-address width
 * of a first-level walk from AW, and with AW = 0 (30 bits) reports every IOVA above
 * 1 GiB as non-canonical (fault 0x80). To be folded into vtd_pasid_set_fl().
 * Returns 0; -ENOENT if the entry is absent or not first-level; -EINVAL for a bad @aw;
 * the flush's error.
 */
int vtd_pasid_fl_set_aw(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid,
			unsigned int aw);

#endif /* IOMMU_RID_PASID_H */
