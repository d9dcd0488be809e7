// SPDX-License-Identifier: MIT
/*
 * hv/vvtd_qi.c - the virtual unit's invalidation queue (VT-d §6.5.2).
 *
 * A write of IQT runs the queue synchronously: descriptors from IQH to IQT are read from
 * guest RAM (GPA from IQA, checked against the guest map) and carried out, IQH moving
 * past each. A malformed descriptor, or one that cannot be read, sets FSTS.IQE and stops
 * the queue with IQH at it until the guest clears IQE (§6.5.2.10), exactly as hardware
 * does; nothing of that descriptor is carried out. PASID-cache and context-cache
 * invalidations re-read the guest's tables (hv/vvtd_shadow.c); IOTLB, P_IOTLB and
 * device-TLB invalidations of shadowed PASIDs are collected and forwarded as ONE
 * vsva_invalidate() batch, sent before any wait descriptor completes and at the end.
 * Page group responses (with ECAP.PRS) go to the physical unit through hv/vvtd_prq.c.
 */
#include <errno.h>
#include <string.h>

#define LOG_PREFIX "vvtd"
#include "hv/log.h"
#include "hv/vvtd_internal.h"

/* Descriptor type: bits 3:0 and, since VT-d 3.0, 11:9 as its high bits (§6.5.2). */
#define DESC_TYPE(q0)  (((q0)&0xf) | ((((q0) >> 9) & 7) << 4))
#define DESC_G(q0)     (((q0) >> 4) & 3)
#define DESC_DID(q0)   ((uint16_t)((q0) >> 16))
#define DESC_PASID(q0) ((uint32_t)(((q0) >> 32) & 0xfffff))

/* Reserved bits per descriptor (§6.5.2.1-8), qword 0 and 1. */
#define CC_RSVD0      (VTD_GENMASK(8, 6) | VTD_GENMASK(15, 12) | VTD_GENMASK(63, 50))
#define IOTLB_RSVD0   (VTD_BIT(8) | VTD_GENMASK(15, 12) | VTD_GENMASK(63, 32))
#define IOTLB_RSVD1   VTD_GENMASK(11, 7)
#define DEVTLB_RSVD0  (VTD_GENMASK(8, 4) | VTD_GENMASK(31, 21) | VTD_GENMASK(51, 48))
#define DEVTLB_RSVD1  VTD_GENMASK(11, 1)
#define WAIT_RSVD0    (VTD_BIT(8) | VTD_GENMASK(31, 12))
#define WAIT_RSVD1    VTD_GENMASK(1, 0)
#define WAIT_IF	      VTD_BIT(4)
#define WAIT_SW	      VTD_BIT(5)
#define PIOTLB_RSVD0  (VTD_GENMASK(8, 6) | VTD_GENMASK(15, 12) | VTD_GENMASK(63, 52))
#define PIOTLB_RSVD1  VTD_GENMASK(11, 7)
#define PC_RSVD0      (VTD_GENMASK(8, 6) | VTD_GENMASK(15, 12) | VTD_GENMASK(63, 52))
#define PDEVTLB_RSVD1 VTD_GENMASK(10, 1)
#define PDEVTLB_G     VTD_BIT(0)

#define PC_DOMAIN    0
#define PC_PASID     1
#define PC_GLOBAL    3
#define PIOTLB_PASID 2
#define PIOTLB_PAGE  3

static bool scalable_active(const struct vvtd *u)
{
	return (u->rtaddr_active & VTD_GENMASK(11, 10)) == VTD_RTADDR_TTM_SCALABLE;
}

/* Every shadow that an invalidation of (@did if @match_did, @pasid unless ALL) covers. */
static void inv_shadows(struct vvtd *u, uint16_t type, bool match_did, uint16_t did, uint32_t pasid,
			int sid, uint64_t addr, uint64_t pages, bool ih)
{
	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++) {
		const struct vvtd_shadow *s = &u->sh[i];

		if (!s->used || (match_did && s->gdid != did) ||
		    (pasid != VVTD_ALL_PASIDS && s->gpasid != pasid) || (sid >= 0 && s->sid != sid))
			continue;
		vvtd_inv_add(u, type, s->sid, s->gpasid, addr, pages, ih);
	}
	/* PASID 0 is RID_PASID: its FL bindings (hv/vvtd_shadow.c vvtd_rid_inv()). */
	if (pasid == VVTD_ALL_PASIDS || pasid == 0)
		vvtd_rid_inv(u, type, match_did, did, sid, addr, pages, ih);
}

/* VT-d §6.5.2.8: the wait descriptor completes after everything before it. */
static void do_wait(struct vvtd *u, const uint64_t *d)
{
	vvtd_inv_flush(u);
	u->cnt.waits++;
	if (d[0] & WAIT_SW) {
		uint32_t data = (uint32_t)(d[0] >> 32);

		/* Only guest RAM: a status address in MMIO or hypervisor memory is dropped. */
		if (vvtd_gwrite(u, d[1] & VTD_GENMASK(63, 2), &data, sizeof(data)))
			u->cnt.wait_writes_dropped++;
	}
	if (d[0] & WAIT_IF) {
		if (!(u->ics & VTD_ICS_IWC))
			vvtd_inv_event(u);
		u->ics |= VTD_ICS_IWC;
	}
}

/* One descriptor: 0, or -EINVAL for an invalid one (IQE). */
static int desc_exec(struct vvtd *u, const uint64_t *d, bool dw)
{
	unsigned int type = (unsigned int)DESC_TYPE(d[0]);
	unsigned int g = (unsigned int)DESC_G(d[0]);
	bool dt = u->ecap & VTD_ECAP_DT;

	/* §6.5.2: scalable mode takes 256-bit descriptors only; their upper half is
	 * reserved for every type we accept but the page group response (private data,
	 * checked there); PASID-granular types are 256-bit only. */
	if ((scalable_active(u) && !dw) ||
	    (dw && type != VTD_QI_TYPE_PGRP_RESP && (d[2] || d[3])) ||
	    (!dw && type >= VTD_QI_TYPE_PIOTLB))
		return -EINVAL;
	switch (type) {
	case VTD_QI_TYPE_CC: /* §6.5.2.1 */
		if ((d[0] & CC_RSVD0) || d[1] || !g)
			return -EINVAL;
		vvtd_inv_flush(u);
		if (!vvtd_translating(u)) {
			/* §10.4.5: after SRTP of a root that does not translate (legacy mode)
			 * and this flush, nothing of the old scalable tables stays in use. */
			vvtd_shadow_drop_all(u);
			return 0;
		}
		if (g == VTD_QI_CC_DEVICE)
			vvtd_shadow_sync(u, (uint16_t)(d[0] >> 32), (unsigned int)(d[0] >> 48) & 3,
					 VVTD_ALL_PASIDS);
		else /* global, or domain: scalable context entries carry no DID */
			vvtd_shadow_sync(u, -1, 0, VVTD_ALL_PASIDS);
		return 0;
	case VTD_QI_TYPE_IOTLB: /* §6.5.2.3: over-invalidate the shadows PASID-wide */
		if ((d[0] & IOTLB_RSVD0) || (d[1] & IOTLB_RSVD1) || !g)
			return -EINVAL;
		inv_shadows(u, VSVA_INV_IOTLB, g != VTD_QI_IOTLB_GLOBAL, DESC_DID(d[0]),
			    VVTD_ALL_PASIDS, -1, 0, 0, false);
		return 0;
	case VTD_QI_TYPE_DEVTLB: /* §6.5.2.5: requests without PASID: RID_PASID */
		if (!dt || (d[0] & DEVTLB_RSVD0) || (d[1] & DEVTLB_RSVD1))
			return -EINVAL;
		vvtd_rid_inv(u, VSVA_INV_DEVTLB, false, 0, (uint16_t)(d[0] >> 32), 0, 0, false);
		return 0;
	case VTD_QI_TYPE_IEC: /* no interrupt remapping: nothing cached */
		return 0;
	case VTD_QI_TYPE_WAIT:
		if ((d[0] & WAIT_RSVD0) || (d[1] & WAIT_RSVD1))
			return -EINVAL;
		do_wait(u, d);
		return 0;
	case VTD_QI_TYPE_PIOTLB: { /* §6.5.2.4 */
		unsigned int am = (unsigned int)(d[1] & 0x3f);
		uint64_t pages = 0, addr = 0;

		if ((d[0] & PIOTLB_RSVD0) || (d[1] & PIOTLB_RSVD1) || g < PIOTLB_PASID)
			return -EINVAL;
		if (g == PIOTLB_PAGE && am <= 52) {
			pages = 1ull << am;
			addr = (d[1] & VTD_QI_ADDR) & ~((pages << PAGE_SHIFT) - 1);
		}
		inv_shadows(u, VSVA_INV_IOTLB, false, 0, DESC_PASID(d[0]), -1, addr, pages,
			    d[1] & VTD_QI_IH);
		return 0;
	}
	case VTD_QI_TYPE_PC: /* §6.5.2.2 */
		if ((d[0] & PC_RSVD0) || d[1] || g == 2)
			return -EINVAL;
		vvtd_inv_flush(u); /* keep the guest's order */
		if (vvtd_translating(u))
			vvtd_shadow_sync(u, -1, 0,
					 g == PC_PASID ? DESC_PASID(d[0]) : VVTD_ALL_PASIDS);
		return 0;
	case VTD_QI_TYPE_PDEVTLB: /* §6.5.2.6: the whole PASID (or all of the device's) */
		if (!dt || (d[1] & PDEVTLB_RSVD1))
			return -EINVAL;
		inv_shadows(u, VSVA_INV_DEVTLB, false, 0,
			    (d[1] & PDEVTLB_G) ? VVTD_ALL_PASIDS : DESC_PASID(d[0]),
			    (uint16_t)(d[0] >> 16), 0, 0, false);
		return 0;
	case VTD_QI_TYPE_PGRP_RESP: /* §6.5.2.9: only with ECAP.PRS (checked there) */
		return vvtd_prq_response(u, d);
	default: /* unknown types */
		return -EINVAL;
	}
}

static void iqe(struct vvtd *u)
{
	bool was = vvtd_fault_pending(u);

	u->fsts |= VTD_FSTS_IQE;
	u->cnt.iqe++;
	if (!was) /* VT-d §7.3.1: no new event while a condition is pending */
		vvtd_fault_event(u);
}

void vvtd_qi_run(struct vvtd *u)
{
	bool dw = u->iqa & VTD_IQA_DW;
	uint64_t size = dw ? 32 : 16;
	uint64_t qbytes = PAGE_SIZE << (u->iqa & 7);
	gpa_t base = u->iqa & VTD_IQA_IQA;

	if (!(u->gsts & VTD_GSTS_QIES) || (u->fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE)))
		return;
	/* §11.4.10: with DW = 1, IQT bit 4 is reserved; a tail beyond the queue is invalid (a
	 * head left there by a guest that shrank the queue or changed DW is, too). */
	if ((dw && ((u->iqt | u->iqh) & BIT(4))) || u->iqt >= qbytes || u->iqh >= qbytes) {
		iqe(u);
		return;
	}
	while (u->iqh != u->iqt) {
		uint64_t d[4] = { 0 };

		if (vvtd_gread(u, base + u->iqh, d, size) || desc_exec(u, d, dw)) {
			vvtd_inv_flush(u); /* what came before the bad one completes */
			iqe(u);
			return;
		}
		u->iqh = (u->iqh + size) % qbytes;
		u->cnt.descriptors++;
	}
	vvtd_inv_flush(u);
}
