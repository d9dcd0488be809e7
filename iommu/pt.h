/* SPDX-License-Identifier: MIT */
/*
 * iommu/pt.h - switch a device's requests without PASID between pass-through and a
 * second-level domain, in either mode: legacy context entry TT = 10b (VT-d §9.3, needs
 * ECAP.PT) or the scalable-mode RID_PASID entry's PGTT = 100b (§9.4, §9.6). Built only
 * from root.c and pasid.c; used by the differential test (hv/dma_cases.h).
 */
#ifndef IOMMU_PT_H
#define IOMMU_PT_H

#include "iommu/pasid.h"
#include "iommu/root.h"

/*
 * vtd_rid_set_pt() - make requests without PASID from device @sid pass-through (input
 * address = HPA, no address-width check, VT-d §3.9) in domain @did. Legacy unit: the
 * context entry becomes TT = 10b (@d and @rid_pasid unused, may be NULL / 0). Scalable
 * unit: @sid's context entry must already point at directory @d with RID_PASID
 * @rid_pasid; that PASID's entry is torn down (vtd_pasid_clear()) and installed again
 * with PGTT = 100b. Every change is followed by the flushes the spec asks for (§6.5.2).
 * Returns 0; -EOPNOTSUPP without ECAP.PT; -EINVAL (bad DID or PASID, no @d on a
 * scalable unit); -ENOMEM; the flush's error.
 */
int vtd_rid_set_pt(struct vtd_unit *u, uint16_t sid, uint16_t did, struct vtd_pasid_dir *d,
		   uint32_t rid_pasid);

/*
 * vtd_rid_set_sl() - the reverse: requests without PASID from @sid translate through
 * SL tables @pt (IOVA -> HPA) in @did again: legacy TT = 00b (§9.3), scalable PGTT =
 * 010b in @d's entry @rid_pasid (§9.6; the old entry is cleared first when present).
 * Returns 0; -EINVAL (NULL @pt, bad DID or PASID, no @d on a scalable unit);
 * -EOPNOTSUPP (scalable unit without ECAP.SLTS); -ENOMEM; the flush's error.
 */
int vtd_rid_set_sl(struct vtd_unit *u, uint16_t sid, uint16_t did, struct vtd_pasid_dir *d,
		   uint32_t rid_pasid, const struct vtd_slpt *pt);

#endif /* IOMMU_PT_H */
