/* SPDX-License-Identifier: MIT */
/*
 * iommu/root.h - root and context tables (VT-d §3.4, §3.4.3, §9.1-9.4): legacy 128-bit
 * and scalable-mode 256-bit context entries, one context table per bus (legacy) or per
 * half bus (scalable: devfn 0-127 through the root entry's lower half, 128-255 upper).
 */
#ifndef IOMMU_ROOT_H
#define IOMMU_ROOT_H

#include "iommu/qi.h"
#include "iommu/slpt.h"
#include "iommu/vtd.h"

/* bus:dev.fn as a 16-bit source-id. */
#define VTD_SID(bus, dev, fn) ((uint16_t)(((bus) << 8) | ((dev) << 3) | (fn)))
#define VTD_SID_BUS(sid)      ((unsigned int)(sid) >> 8)
#define VTD_SID_DEVFN(sid)    ((unsigned int)(sid)&0xff)

/* A device's ATS parameters, for device-TLB invalidations (NULL: no ATS). */
struct vtd_ats {
	uint16_t pfsid; /* SID of the physical function */
	uint8_t qdep;	/* invalidate queue depth, 0: 32 */
};

/*
 * vtd_ctx_set_legacy() - point device @sid at SL tables @pt in domain @did (legacy mode,
 * §9.3): TT = untranslated (or ALL when @ats), AW from the tree's depth. With @pt NULL
 * the entry is pass-through (TT = 2, needs ECAP.PT). Allocates the bus's context table
 * on first use. A live entry is first taken down and flushed under its old DID; the new
 * one is flushed under @did (context cache, IOTLB, device-TLB).
 * Returns 0; -EINVAL (scalable unit, DID beyond CAP.ND, pass-through without ECAP.PT);
 * -ENOMEM; the flush's error.
 */
int vtd_ctx_set_legacy(struct vtd_unit *u, uint16_t sid, uint16_t did, const struct vtd_slpt *pt,
		       const struct vtd_ats *ats);

/*
 * vtd_ctx_set_scalable() - point device @sid at PASID directory @pasid_dir (HPA) with
 * 2^(@pdts + 7) entries (§9.4): PASIDE (requests with PASID allowed), DTE when @ats,
 * RID_PASID = @rid_pasid (the PASID used for requests without one). @did is the domain
 * the device's requests without PASID used so far (scalable context entries carry no
 * DID), for the flushes that follow; a live entry is taken down and flushed first.
 * Returns 0; -EINVAL (legacy unit, pdts > 7); -ENOMEM; the flush's error.
 */
int vtd_ctx_set_scalable(struct vtd_unit *u, uint16_t sid, uint16_t did, hpa_t pasid_dir,
			 unsigned int pdts, uint32_t rid_pasid, const struct vtd_ats *ats);

/*
 * vtd_ctx_clear() - make @sid's context entry not present (P first, then the rest) and
 * flush (context cache, PASID cache, IOTLB of @did, device-TLB when @ats).
 * Returns 0; -ENOENT if it was not present; the flush's error.
 */
int vtd_ctx_clear(struct vtd_unit *u, uint16_t sid, uint16_t did, const struct vtd_ats *ats);

/* vtd_ctx_free_tables() - free every context table (after translation is off). */
void vtd_ctx_free_tables(struct vtd_unit *u);

#endif /* IOMMU_ROOT_H */
