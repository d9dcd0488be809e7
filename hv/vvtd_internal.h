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

#endif /* HV_VVTD_INTERNAL_H */
