/* SPDX-License-Identifier: MIT */
/*
 * hv/vvtd_internal.h - what the virtual VT-d unit's files share (hv/vvtd*.c only).
 */
#ifndef HV_VVTD_INTERNAL_H
#define HV_VVTD_INTERNAL_H

#include "hv/vvtd.h"
#include "iommu/vtd_regs.h"

/* Whole-PASID-space marker for the shadow walks. */
#define VVTD_ALL_PASIDS 0xffffffffu

/* The guest PASIDs this unit accepts: [0, 2^pasid_bits). */
unsigned int vvtd_pasid_bits(const struct vvtd *u);

/*
 * vvtd_gread() / vvtd_gwrite() - copy @len bytes from / to guest RAM at GPA @gpa (GPA =
 * HPA for RAM, hv/guest_map.h). Returns 0, or -EFAULT when any byte is not guest RAM or
 * not mapped by the host (nothing copied).
 */
int vvtd_gread(const struct vvtd *u, gpa_t gpa, void *buf, uint64_t len);
int vvtd_gwrite(const struct vvtd *u, gpa_t gpa, const void *buf, uint64_t len);

/* vvtd_fault_pending() - any FSTS condition that raises a fault event (PFO, PPF, IQE,
 * ICE, ITE: VT-d §7.3.1) is set. */
bool vvtd_fault_pending(const struct vvtd *u);
/* vvtd_fault_event() - VT-d §7.3.1: a fault event through FECTL (IM -> IP). The caller
 * raises it only when no condition was pending before (vvtd_fault_pending()). */
void vvtd_fault_event(struct vvtd *u);
/* vvtd_inv_event() - VT-d §7.3.2: an invalidation completion event through IECTL. */
void vvtd_inv_event(struct vvtd *u);

/* ---- hv/vvtd_prq.c: page requests (VT-d §7.5) ---- */
/* The unit reports page requests (ECAP.PRS): their registers and descriptor exist. */
bool vvtd_has_prs(const struct vvtd *u);
/* VT-d §7.3.3 (page request event): through PECTL (IM -> IP), else VVTD_EV_PRQ. */
void vvtd_prq_event(struct vvtd *u);
/* A guest write of PRS clearing @clr (RW1C PPR, PRO); clearing PPR clears PECTL.IP. */
void vvtd_prs_clear(struct vvtd *u, uint32_t clr);
/*
 * vvtd_prq_response() - a page group response descriptor @d (4 qwords) from the guest's
 * invalidation queue (§6.5.2.9): checked, then forwarded through vsva_prq_respond()
 * (a group the guest does not hold is refused and counted: the descriptor still
 * completes). Returns 0, or -EINVAL for an invalid descriptor (IQE).
 */
int vvtd_prq_response(struct vvtd *u, const uint64_t *d);

/* vvtd_qi_run() - hv/vvtd_qi.c: run the queue from IQH to IQT (VT-d §6.5.2). */
void vvtd_qi_run(struct vvtd *u);

/* ---- hv/vvtd_shadow.c: guest tables -> vSVA ---- */
/* Translation through the guest's tables is on: TE set and a scalable root latched. */
bool vvtd_translating(const struct vvtd *u);
/* Re-read (@sid, @pasid) (VVTD_ALL_PASIDS: every PASID) of every device in scope whose
 * SID matches @sid under function mask @fm (-1: all devices) and make the shadows match. */
void vvtd_shadow_sync(struct vvtd *u, int sid, unsigned int fm, uint32_t pasid);
/* Remove every shadow (TE cleared, reset). */
void vvtd_shadow_drop_all(struct vvtd *u);
/* Remove every shadow of guest PASID @gpasid (before the PASID is freed). */
void vvtd_shadow_drop_pasid(struct vvtd *u, uint32_t gpasid);
/* Queue one vSVA invalidation request; the batch goes out when full or on flush. */
void vvtd_inv_add(struct vvtd *u, uint16_t type, uint16_t sid, uint32_t gpasid, uint64_t addr,
		  uint64_t pages, bool ih);
/* Forward the pending requests as ONE vsva_invalidate() batch. */
void vvtd_inv_flush(struct vvtd *u);
/*
 * vvtd_rid_inv() - queue invalidation @type (VSVA_INV_*) of the RID_PASID bindings (guest
 * FL on PASID 0) it covers: guest DID @did when @match_did, device @sid unless -1; the
 * range @addr/@pages (0 pages: all). Called by hv/vvtd_qi.c for IOTLB, P_IOTLB of PASID 0
 * or all PASIDs, and device-TLB invalidations.
 */
void vvtd_rid_inv(struct vvtd *u, uint16_t type, bool match_did, uint16_t did, int sid,
		  uint64_t addr, uint64_t pages, bool ih);

#endif /* HV_VVTD_INTERNAL_H */
