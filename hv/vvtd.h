/* SPDX-License-Identifier: MIT */
/*
 * hv/vvtd.h - a virtual VT-d remapping unit for unmodified guests (design.md "Two guest
 * interfaces", issue 7): the hypervisor emulates the unit's 4-KiB register page on EPT
 * violations, runs the guest's invalidation queue on every IQT write, and shadows the
 * guest's scalable-mode PASID entries (first-level only, PGTT 001b) into nested physical
 * entries through vSVA (hv/vsva.h) when the guest invalidates its PASID cache; its PASID 0
 * (RID_PASID: requests without PASID) drives the device's physical RID_PASID entry
 * (enum vvtd_rid_mode below).
 *
 * What the guest sees (VT-d 3.x/4.x, chapter 11): scalable mode, first-level translation
 * only (ECAP.FLTS, no SLTS, no NEST), caching mode (CAP.CM = 1: the guest invalidates
 * not-present -> present changes too, so every new PASID entry reaches us), queued
 * invalidation (the only invalidation interface that does anything), pass-through
 * (ECAP.PT, for RID_PASID), PASIDs as wide as the guest's PASID space
 * (hv/pasid_space.h), and optionally the virtual-command PASID allocator (ECAP.VCS,
 * VCCAP.PAS) that hands out shared PASIDs backed by host PASIDs, and page requests
 * (ECAP.PRS, VT-d §7.5: the page request queue PQH/PQT/PQA, PRS, the page request event
 * PECTL/PEDATA/PEADDR, page group responses in the invalidation queue) when the physical
 * unit has them and the embedder routes them (vvtd_config.prq, hv/vsva_prq.h).
 *
 * Portable: no VMX. Every guest pointer (root, context, PASID directory and table, queue,
 * wait status) is a GPA checked against the guest map before it is read or written;
 * nothing the guest writes can make the hypervisor fault or touch its own memory.
 * Not thread-safe: the caller serializes calls per unit (one lock per virtual unit).
 */
#ifndef HV_VVTD_H
#define HV_VVTD_H

#include "hv/types.h"
#include "hv/vsva.h"
#include "hv/vsva_prq.h"

/* ---- Virtual-command registers (VT-d 3.1+ §10.4.65-67, as Linux 5.10+ uses them) ---- */
#define VVTD_REG_VCMD	   0xe00 /* 64-bit: command (7:0), operand (63:16) */
#define VVTD_REG_VCRSP	   0xe10 /* 64-bit, RO: IP (0), status code (7:1), result (63:16) */
#define VVTD_REG_VCCAP	   0xe30 /* 64-bit, RO: PAS (0) */
#define VVTD_VCCAP_PAS	   BIT(0)
#define VVTD_VCMD_ALLOC	   1u
#define VVTD_VCMD_FREE	   2u
#define VVTD_VCRSP_IP	   BIT(0)
#define VVTD_VCRSP_SC(s)   ((uint64_t)(s) << 1)
#define VVTD_VC_SC_OK	   0u
#define VVTD_VC_SC_BADCMD  1u
#define VVTD_VC_SC_NOPASID 16u /* no PASID available / invalid PASID (Linux's value) */
#define VVTD_VC_SHIFT	   16  /* operand and result field */

/* Layout of the rest of the register page (VT-d §11.4; offsets of our choice where the
 * spec lets the implementation choose: CAP.FRO, ECAP.IRO). */
#define VVTD_FRO 0x200 /* fault recording registers */
#define VVTD_NFR 8u
#define VVTD_IRO 0x100 /* IVA_REG; IOTLB_REG at +8 */

#define VVTD_MAX_DEVICES VSVA_MAX_DEVICES
#define VVTD_MAX_SHADOWS 64u /* (device, PASID) pairs shadowed at once */

/* Interrupts the unit raises (the embedder turns them into MSIs from FEDATA/FEADDR or
 * IEDATA/IEADDR). */
enum vvtd_event {
	VVTD_EV_FAULT = 1, /* fault event (FSTS: PPF, IQE, ICE, ITE) */
	VVTD_EV_INV = 2,   /* invalidation completion event (wait descriptor IF = 1) */
	VVTD_EV_PRQ = 3,   /* page request event (PRS.PPR set; MSI from PEDATA/PEADDR) */
};

struct vvtd_config {
	struct vsva_guest *vsva;	/* where shadows go; its map and devices are used */
	uint16_t seg;			/* PCI segment of the devices below this unit */
	uint16_t sid[VVTD_MAX_DEVICES]; /* bus:dev.fn of each device in the unit's scope */
	unsigned int nr_sids;
	bool vcmd; /* expose the virtual-command PASID allocator (ECAP.VCS, VCCAP.PAS) */
	/*
	 * Page requests: the router the physical units' page requests go through (NULL:
	 * none). With it, and a physical unit with ECAP.PRS (vsva_prq_supported()), the
	 * unit reports ECAP.PRS and registers itself as a sink of @vsva's requests.
	 */
	struct vsva_prq *prq;
	/* event() - raise @ev for the guest (NULL: counted only). */
	void (*event)(void *ctx, enum vvtd_event ev);
	void *ctx;
};

struct vvtd_shadow {
	bool used;
	bool local_owned; /* the vIOMMU allocated this RID-local PASID in vSVA */
	uint16_t sid;
	uint16_t gdid; /* the guest's domain ID from its PASID entry */
	uint32_t gpasid;
	uint32_t flags; /* VSVA_BIND_* */
	uint8_t levels;
	gpa_t flptr;
};

/* ---- RID_PASID: the guest's requests without PASID (hv/vvtd_shadow.c) ---- */
/*
 * What a device's guest RID_PASID entry (PASID 0 of its guest PASID table, VT-d §9.4)
 * asks for, and so what its physical RID_PASID entry is (hv/vsva.h vsva_rid_*()):
 *   OFF      guest translation off (GSTS.TES 0, or no scalable-mode root table latched):
 *            the guest remaps nothing (VT-d §11.4.4, GCMD.TE), so the physical entry is
 *            the platform's second level (guest-physical pass-through).
 *   BLOCKED  translation on, but no present root, context, PASID-directory or PASID-
 *            table entry: hardware blocks and reports the request (VT-d §7.1.3, the
 *            SCT/SPD/SPT "not present" conditions); the physical entry is not present.
 *   PT       PGTT 100b: guest-physical pass-through = the platform's second level.
 *   FL       PGTT 001b, valid: the guest's FL table nested over the second level
 *            (vsva_rid_bind()), invalidated through its guest DID.
 *   INVALID  present but unusable (reserved bits, RID_PASID field without ECAP.RPS,
 *            PGTT we do not offer, DID 0 or beyond CAP.ND, FLPTR not guest RAM, refused
 *            bind, unreadable table): hardware faults such requests (§7.1.3), so the
 *            physical entry is not present, as for BLOCKED.
 */
enum vvtd_rid_mode {
	VVTD_RID_OFF = 0,
	VVTD_RID_BLOCKED,
	VVTD_RID_PT,
	VVTD_RID_FL,
	VVTD_RID_INVALID,
};

struct vvtd_rid {
	uint8_t mode;	/* enum vvtd_rid_mode */
	uint8_t levels; /* FL: 4 or 5 */
	uint16_t gdid;	/* FL: the guest's domain ID from its PASID entry */
	uint32_t flags; /* FL: VSVA_BIND_* */
	gpa_t flptr;	/* FL: GPA of the guest's FL root */
};

struct vvtd_counters {
	uint64_t mmio_reads, mmio_writes, mmio_ignored;
	uint64_t descriptors, iqe, waits, wait_writes_dropped;
	uint64_t binds, unbinds, shadow_errors, unsupported_entries;
	uint64_t inv_batches, inv_requests;
	uint64_t fault_events, inv_events, faults_recorded, faults_dropped;
	/* page requests: written to the guest's queue, dropped with PRS.PRO (queue full),
	 * refused (no queue, bad PQA/PQH/PQT), events; guest responses forwarded, refused */
	uint64_t prq_requests, prq_overflows, prq_refused, prq_events;
	uint64_t prq_responses, prq_responses_refused;
};

struct vvtd {
	struct vvtd_config cfg;
	/* registers, as the guest sees them */
	uint32_t ver;
	uint64_t cap, ecap, vccap;
	uint32_t gsts;
	uint64_t rtaddr;	/* RTADDR as written */
	uint64_t rtaddr_active; /* latched by GCMD.SRTP */
	uint32_t fsts;		/* PFO, IQE, ICE, ITE, PRO (PPF and FRI are computed) */
	uint32_t fectl, fedata, feaddr, feuaddr;
	uint64_t iqh, iqt, iqa;
	uint32_t ics, iectl, iedata, ieaddr, ieuaddr;
	uint64_t ccmd, iva, iotlb;
	uint64_t frcd[VVTD_NFR][2];
	unsigned int fri; /* next fault recording register */
	uint64_t vcmd, vcrsp;
	uint32_t vc_pasid[VSVA_MAX_PASIDS]; /* PASIDs the virtual command allocated */
	unsigned int nvc;
	uint64_t pqh, pqt, pqa; /* page request queue (§11.4.11): byte offsets, PQA as written */
	uint32_t prs;		/* PPR, PRO */
	uint32_t pectl, pedata, peaddr, peuaddr;
	/* shadow state */
	struct vvtd_shadow sh[VVTD_MAX_SHADOWS];
	struct vvtd_rid rid[VVTD_MAX_DEVICES]; /* RID_PASID, by index into cfg.sid[] */
	struct vsva_inv_req batch[VSVA_INV_BATCH_MAX];
	unsigned int nbatch;
	uint64_t table[512]; /* scratch: one guest PASID table being scanned */
	struct vvtd_counters cnt;
};

/*
 * vvtd_init() - a virtual unit in its reset state (VT-d §11.4: GSTS 0, FECTL.IM and
 * IECTL.IM set, queue empty) with VER/CAP/ECAP derived from the physical unit that vSVA
 * reports (@cfg->vsva: FL 5-level, 1-GiB pages, SRE, EAFE) and from pasid_space (PASID
 * width: 16 bits with the allocator, else 15 so the guest's own numbers stay RID-local).
 * @cfg is copied. With @cfg->prq and a physical unit with page requests, ECAP.PRS is
 * reported and the unit is registered as a sink of the guest's page requests.
 * Returns 0; -EINVAL (no vsva, too many SIDs); -ENODEV (the physical unit cannot nest,
 * so there is nothing to shadow into); vsva_prq_add_sink()'s errors (-EBUSY, -ENOSPC).
 */
int vvtd_init(struct vvtd *u, const struct vvtd_config *cfg);

/*
 * vvtd_reset() - guest reset or unit teardown: every shadow removed (vsva_unbind),
 * every PASID the unit allocated freed, every page request group the guest still held
 * answered Invalid on the physical unit (vsva_prq_cancel()), registers back to their
 * reset values.
 */
void vvtd_reset(struct vvtd *u);

/*
 * vvtd_destroy() - unit teardown: vvtd_reset(), then the unit stops receiving page
 * requests (vsva_prq_remove_sink()). The unit may then be freed.
 */
void vvtd_destroy(struct vvtd *u);

/*
 * vvtd_mmio() - one guest access to the register page: @offset in bytes from the page's
 * base (GPA of the access minus the unit's base, from the EPT-violation exit
 * qualification), @size 4 or 8 bytes, naturally aligned; @val read into / written from.
 * Accesses of another size, misaligned ones and offsets beyond the page or undefined
 * there read as 0 and are ignored when written (VT-d §10.2: software must not make them;
 * we never crash on them). Reserved bits read 0 and are ignored. A write of IQT runs the
 * queue (VT-d §6.5.2) to the new tail before it returns. Returns 0; -EINVAL for a bad
 * size or alignment (the access was still completed as above: reads return 0), which the
 * caller may log and otherwise ignore.
 */
int vvtd_mmio(struct vvtd *u, uint64_t offset, unsigned int size, bool write, uint64_t *val);

/*
 * vvtd_report_fault() - record a translation fault of the guest's device @sid with guest
 * PASID @gpasid (VVTD_NO_PASID: none) at input address @addr (GVA/IOVA) with VT-d §7.1.3
 * reason @reason in the next fault recording register (VT-d §7.2.1), and raise a fault
 * event unless masked. A full register set sets FSTS.PFO and drops the fault.
 * Returns 0, or -ENOSPC when the fault was dropped.
 */
#define VVTD_NO_PASID 0xffffffffu
int vvtd_report_fault(struct vvtd *u, uint16_t sid, uint32_t gpasid, uint64_t addr, uint8_t reason,
		      bool write);

/*
 * vvtd_page_request() - a page request of device @r->rid for the guest (VT-d §7.5.1), as
 * the unit's hardware would report it: the 256-bit page request descriptor, carrying
 * the GUEST PASID @r->pasid and the device's address (GVA), PRGI, LPIG, R/W/X/PM and
 * private data, is written at PQT into the guest's queue (GPA from PQA, 2^PQS 4-KiB
 * pages, written through vvtd_gwrite(): guest RAM only), PQT moves, PRS.PPR is set and,
 * if PPR was clear, the page request event is raised through PECTL (masked: IP).
 * A full queue (the next PQT would equal PQH) sets PRS.PRO and takes nothing: as on
 * hardware (§7.5.1) the request is answered Success by the caller (hv/vsva_prq.c).
 * Returns 0; -ENODEV (no ECAP.PRS, or @r->rid not in the unit's scope); -ENOSPC (full,
 * PRO set); -ENXIO (PQA not programmed); -EINVAL (PQH/PQT beyond the queue size);
 * -EFAULT (the queue slot is not guest RAM). Only the 0 and -ENOSPC cases change the
 * registers. A vsva_prq_deliver_fn through vvtd_prq_deliver().
 */
int vvtd_page_request(struct vvtd *u, const struct vtd_page_req *r);

/* vvtd_prq_deliver() - vvtd_page_request() as a vsva_prq_deliver_fn (@ctx: the unit). */
int vvtd_prq_deliver(void *ctx, const struct vtd_page_req *r);

/* vvtd_find_shadow() - the shadow of (@sid, @gpasid), or NULL (tests, debugging). */
const struct vvtd_shadow *vvtd_find_shadow(const struct vvtd *u, uint16_t sid, uint32_t gpasid);

/*
 * vvtd_rid_state() - the RID_PASID state of device @sid (bus:dev.fn in the unit's scope)
 * as the last shadow sync found it (enum vvtd_rid_mode above; for VVTD_RID_FL the
 * guest's FLPTR (GPA), levels, flags and DID), copied to @out. For reports and tests.
 * Returns 0; -ENODEV (@sid not in the unit's scope).
 */
int vvtd_rid_state(const struct vvtd *u, uint16_t sid, struct vvtd_rid *out);

#endif /* HV_VVTD_H */
