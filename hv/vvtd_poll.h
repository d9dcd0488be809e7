/* SPDX-License-Identifier: MIT */
/*
 * hv/vvtd_poll.h - the physical units' primary fault records routed to the guest's
 * virtual VT-d unit (design.md "Faults and page requests"): a fault of a device in the
 * unit's scope is recorded in the guest's fault recording registers (VT-d §7.2.1) under
 * the GUEST PASID that vSVA maps its host PASID to (vsva_fault_owner()), with the fault
 * reason (§7.1.3) and the page address (GVA/IOVA) the physical unit recorded; the guest
 * then sees FSTS.PPF and a fault event. A fault the guest does not own is counted and
 * logged (rate-limited), never delivered:
 *   - the device is not in the unit's scope (another guest's, or the hypervisor's);
 *   - the host PASID is no live PASID of the guest on that device (a freed, defunct
 *     PASID, or another guest's);
 *   - a request without PASID while the guest's translation is off (GSTS.TES 0): then
 *     only the hypervisor's second level translated it, and the guest expects no fault.
 * Page requests take the other path: vtd_prq_drain() -> vsva_prq_route() ->
 * vvtd_page_request() (hv/vsva_prq.h); the embedder drains both (hv/vvtd_boot.c, on the
 * VMX-preemption timer, or on every vIOMMU exit on a CPU without it).
 *
 * Portable (hosted tests): pass vvtd_poll_fault() with its struct vvtd_poll as the
 * callback of vtd_fault_process() or iommu_platform_poll_faults(). Not thread-safe:
 * the caller holds the virtual unit's lock.
 */
#ifndef HV_VVTD_POLL_H
#define HV_VVTD_POLL_H

#include "hv/vvtd.h"
#include "iommu/fault.h"

#define VVTD_POLL_LOG_MAX 8u /* undelivered faults logged one by one; the rest counted */

struct vvtd_poll_counters {
	uint64_t faults;       /* physical fault records seen */
	uint64_t delivered;    /* recorded in the guest's fault recording registers */
	uint64_t overflow;     /* the guest's registers were full: FSTS.PFO set, dropped */
	uint64_t foreign;      /* host PASID not the guest's (defunct or another guest's) */
	uint64_t unowned;      /* device outside the unit's scope */
	uint64_t untranslated; /* without PASID while the guest's translation is off */
};

struct vvtd_poll {
	struct vvtd *unit; /* the guest's virtual unit */
	struct vvtd_poll_counters cnt;
};

/* vvtd_poll_init() - route to virtual unit @u (initialized with vvtd_init()). */
void vvtd_poll_init(struct vvtd_poll *p, struct vvtd *u);

/*
 * vvtd_poll_fault() - a vtd_fault_fn (@ctx: struct vvtd_poll): route physical fault
 * record @f of unit @pu as described at the top of this file. @f->addr is the page
 * address the unit recorded (GVA with a PASID, else IOVA = GPA), @f->pasid the HOST
 * PASID. Never fails: every outcome is counted in the struct vvtd_poll.
 */
void vvtd_poll_fault(void *ctx, const struct vtd_unit *pu, const struct vtd_fault *f);

#endif /* HV_VVTD_POLL_H */
