/* SPDX-License-Identifier: MIT */
/*
 * hv/vsva.h - shared virtual addressing for guests (design.md "vSVA bind"): per-guest
 * PASIDs (RID-local and shared, hv/pasid_space.h), device authorization, binding a
 * guest's first-level tables (GPA) as nested PASID-table entries over the hypervisor's
 * second level, batched invalidation, a debug walk, and the lifecycle (free before
 * unbind, detach, guest reset).
 *
 * Portable: no VMX, no MMIO. Tables go through iommu/ (VT-d §9.6 PASID entries, §6.5.2
 * queued invalidation); guest pointers are checked against the guest map; the
 * hypercall layer (hv/vsva_hc.c) copies structures in and out. Every function validates
 * all its arguments before it changes anything: an error return means no state changed.
 * Errors are negative VSVA_E* numbers (guest/include/vsva_hv.h), what the guest sees.
 */
#ifndef HV_VSVA_H
#define HV_VSVA_H

#include "guest/include/vsva_hv.h"
#include "hv/guest_map.h"
#include "hv/pasid_xlate.h"
#include "hv/types.h"
#include "hv/vsva_shadow.h"
#include "iommu/pasid.h"

#define VSVA_MAX_DEVICES 16u /* devices one guest may attach */
#define VSVA_MAX_PASIDS	 64u /* PASIDs one guest may hold */

/*
 * What the embedder (the VT-d boot integration) knows of one device of the guest. The
 * device's context entry already points at @dir with RID_PASID (PASID 0) set up as
 * the guest's second level (the "platform entry": PGTT 010b over @sl, or PGTT 001b over
 * @fl on first-level-only units, tagged @did, as iommu_platform_init() installs it).
 * vSVA adds and removes entries for PASIDs >= 1, and replaces the platform entry only
 * through vsva_rid_bind() / vsva_rid_block(); vsva_rid_unbind() installs it again.
 */
struct vsva_dev_info {
	struct vtd_unit *unit;	   /* the unit whose scope holds the device */
	struct vtd_pasid_dir *dir; /* the device's PASID directory */
	const struct vtd_slpt *sl; /* the guest's second level on that unit: GPA -> HPA */
	/*
	 * On units with first-level translation only (no SLTS: QEMU with x-flts=on) the
	 * guest's GPA -> HPA map is a first-level table; set @fl and leave @sl NULL. Used
	 * in software (software nesting reads it), and installed by vSVA only as the
	 * platform RID_PASID entry that vsva_rid_unbind() restores.
	 */
	const struct vtd_flpt *fl;
	uint16_t did; /* the guest's domain on that unit */
	uint16_t sid; /* bus:dev.fn */
	bool ats;     /* ATS enabled: device-TLB invalidations needed */
	struct vtd_ats ats_info;
};

struct vsva_guest_config {
	const struct guest_map *map; /* GPA map; GPA = HPA for RAM */
	/*
	 * device() - fill @info for PCI function @seg:@sid when the guest owns it.
	 * Returns 0, or -VSVA_ENODEV (not the guest's, or not behind a scalable unit).
	 */
	int (*device)(void *ctx, uint16_t seg, uint16_t sid, struct vsva_dev_info *info);
	void *ctx;
	/* The unit whose features the capabilities report (the least capable one). */
	const struct vtd_unit *unit;
	bool pasid_translation; /* VMX "PASID translation" (secondary control bit 21) used */
};

struct vsva_binding {
	bool bound;
	uint8_t levels; /* 4 or 5 */
	uint32_t flags; /* VSVA_BIND_* */
	gpa_t flptr;	/* GPA of the guest's FL root */
	/* Software nesting (no ECAP.NEST): the shadow FL table the PASID entry points at. */
	struct vsva_shadow shadow;
};

struct vsva_pasid {
	bool live;
	uint8_t kind;				    /* VSVA_PASID_* */
	uint32_t gpasid;			    /* the guest's number */
	uint32_t hpasid;			    /* the number in the PASID tables */
	struct vsva_binding bind[VSVA_MAX_DEVICES]; /* by device slot */
};

/* ---- RID_PASID: what a device's requests without PASID use (vsva_rid_*()) ---- */
enum vsva_rid_mode {
	VSVA_RID_PLATFORM = 0, /* the embedder's entry: the guest's SL (GPA -> HPA) */
	VSVA_RID_NESTED,       /* a guest FL table over the guest's SL (or its shadow) */
	VSVA_RID_BLOCKED,      /* no entry: requests without PASID fault */
};

struct vsva_rid {
	uint8_t mode;		  /* enum vsva_rid_mode */
	uint16_t did;		  /* VSVA_RID_NESTED: the host DID tagging the entry */
	struct vsva_binding bind; /* VSVA_RID_NESTED: the guest's FL table */
};

struct vsva_device {
	bool attached;
	uint32_t id; /* VSVA_DEVICE() */
	struct vsva_dev_info info;
	struct vsva_rid rid; /* host PASID 0 (RID_PASID) */
};

struct vsva_counters {
	uint64_t binds, unbinds, inv_batches, inv_requests, inv_descriptors, faults_dropped;
	uint64_t inv_errors;   /* submissions the hardware refused (logged; the call succeeds) */
	uint64_t shadow_syncs; /* software nesting: shadow rebuilds (bind, invalidations) */
};

struct vsva_guest {
	struct vsva_guest_config cfg;
	struct pasid_xlate xlate; /* guest -> host PASID for shared PASIDs (VMCS) */
	struct vsva_device dev[VSVA_MAX_DEVICES];
	struct vsva_pasid pasid[VSVA_MAX_PASIDS];
	struct vsva_counters cnt;
};

/*
 * vsva_guest_init() - an empty vSVA state for one guest (@cfg is copied) and its VMCS
 * PASID-translation directories. Returns 0; -VSVA_EINVAL (no map, device() or unit);
 * -VSVA_ENOMEM.
 */
int vsva_guest_init(struct vsva_guest *g, const struct vsva_guest_config *cfg);

/*
 * vsva_guest_reset() - guest reset: every binding torn down (PASID entries cleared,
 * PASID cache, P_IOTLB and device-TLB flushed), every PASID freed (shared ones
 * defunct), every device detached. Cannot fail.
 */
void vsva_guest_reset(struct vsva_guest *g);

/* vsva_guest_destroy() - reset, then free the PASID-translation structure. */
void vsva_guest_destroy(struct vsva_guest *g);

/* vsva_caps() - fill the vSVA fields of @c (flags ORed in; ABI 1.1 fields). */
void vsva_caps(const struct vsva_guest *g, struct vsva_capabilities_v2 *c);

/* vsva_stats() - fill the vSVA fields of @s (ABI 1.1). */
void vsva_stats(const struct vsva_guest *g, struct vsva_statistics_v2 *s);

/*
 * vsva_pasid_alloc() - a guest PASID of @kind (VSVA_PASID_*); @want 0 for any, else
 * that number (it must lie in the kind's range). A shared PASID gets a host PASID
 * (pasid_space_alloc()) and a VMCS translation entry. *@gpasid: the guest PASID.
 * Returns 0; -VSVA_EINVAL (kind, range); -VSVA_EBUSY (@want held); -VSVA_ENOSPC (no
 * slot, no host PASID); -VSVA_EOPNOTSUPP (shared without a shared host range);
 * -VSVA_ENOMEM.
 */
int vsva_pasid_alloc(struct vsva_guest *g, uint32_t kind, uint32_t want, uint32_t *gpasid);

/*
 * vsva_pasid_free() - free guest PASID @gpasid, tearing down its bindings on every
 * device first (free before unbind, seeds/003); a shared host PASID becomes defunct.
 * Returns 0; -VSVA_ENOENT (not allocated by this guest).
 */
int vsva_pasid_free(struct vsva_guest *g, uint32_t gpasid);

/*
 * vsva_attach() - authorize device @dev (VSVA_DEVICE()) for PASID use. Authorization
 * is kept apart from the memory map (seeds/001): no binding is made.
 * Returns 0; -VSVA_ENODEV (not the guest's); -VSVA_EBUSY (attached); -VSVA_ENOSPC.
 */
int vsva_attach(struct vsva_guest *g, uint32_t dev);

/*
 * vsva_detach() - take @dev's authorization back, tearing down its bindings.
 * Returns 0; -VSVA_ENOENT (not attached).
 */
int vsva_detach(struct vsva_guest *g, uint32_t dev);

/*
 * vsva_bind() - install (device, guest PASID) as a nested PASID-table entry (VT-d §9.6,
 * PGTT 011b): FLPTR = @b->flptr (GPA), SLPTPTR and DID = the guest's second level on
 * the device's unit. Without ECAP.NEST but with ECAP.FLTS: software nesting
 * (hv/vsva_shadow.h, seeds/001 §5.3): a shadow FL table GVA -> HPA is built at once from
 * the guest's table and the GPA -> HPA map and installed as a first-level entry (PGTT
 * 001b, AW 48-bit); 4-level only, no SRE or EAFE (capabilities say VSVA_CAP_NEST_SW).
 * Neither: -VSVA_EOPNOTSUPP.
 * Returns 0; -VSVA_EINVAL (flags, reserved, levels, width, FLPTR alignment);
 * -VSVA_EFAULT (FLPTR not guest RAM); -VSVA_ENOENT (device not attached, PASID not
 * allocated); -VSVA_EBUSY (bound already); -VSVA_EOPNOTSUPP; -VSVA_ENOMEM; -VSVA_EIO.
 */
int vsva_bind(struct vsva_guest *g, const struct vsva_bind *b);

/*
 * vsva_unbind() - remove the binding of (@dev, @gpasid): entry cleared, then PASID
 * cache, P_IOTLB and device-TLB flushed in that order (vtd_pasid_clear()).
 * Returns 0; -VSVA_ENOENT (no such binding). Cannot fail once the binding exists.
 */
int vsva_unbind(struct vsva_guest *g, uint32_t dev, uint32_t gpasid);

/*
 * vsva_invalidate() - carry out @n requests (1..VSVA_INV_BATCH_MAX) as one queue
 * submission per unit (one unit: one submission, one wait): PASID cache (§6.5.2.2),
 * P_IOTLB by PASID or page range (§6.5.2.4), PASID-based device-TLB (§6.5.2.6).
 * Under software nesting a P_IOTLB request first rebuilds the shadow of its range (a
 * PASID-wide one: all of it) from the guest's table, and is sent with IH = 0.
 * Guest PASID VSVA_RID_PASID (0) names the device's RID_PASID binding (vsva_rid_bind()):
 * PASID cache and P_IOTLB of host PASID 0 in the binding's host DID, and the device-TLB
 * WITHOUT PASID (§6.5.2.5); nothing when the device has no such binding.
 * Returns 0; -VSVA_EINVAL (type, flags, reserved, alignment, count); -VSVA_ENOENT
 * (device not attached, PASID not the guest's). Cannot fail once they are valid.
 */
int vsva_invalidate(struct vsva_guest *g, const struct vsva_inv_req *r, unsigned int n);

/*
 * vsva_translate() - walk @t->addr (GVA/IOVA) of (@t->device, @t->pasid) through the
 * bound FL tables (GPAs, each reached through the second level, as PGTT 011b does,
 * VT-d §3.8) and the second level; fills the out fields of @t. @t->pasid
 * VSVA_RID_PASID walks the device's RID_PASID binding (vsva_rid_bind()).
 * Returns 0 (see t->status); -VSVA_EINVAL (reserved); -VSVA_ENOENT (no binding).
 */
int vsva_translate(const struct vsva_guest *g, struct vsva_translate *t);

/*
 * vsva_fault_owner() - the fault path: a fault or page request of device @sid with host
 * PASID @hpasid. Returns the guest PASID to report it under, or -VSVA_ENOENT when no
 * live PASID of this guest has that host PASID on that device (a freed, defunct one):
 * then the fault is dropped and counted.
 */
int vsva_fault_owner(struct vsva_guest *g, uint16_t sid, uint32_t hpasid);

/*
 * vsva_check() - the invariants (tests call it after every call): every present PASID
 * entry of an attached device except RID_PASID belongs to a live binding and carries
 * the guest's DID and second level (PGTT nested, FLPTR as bound); every binding is
 * present; no second-level leaf maps an HPA outside the guest map (hypervisor memory);
 * software nesting: the entry is first-level with FLPTR = the shadow root, and every
 * shadow leaf maps guest RAM (vsva_shadow_check()); a RID_PASID binding is such an entry
 * at host PASID 0 in its own host DID (not the device's), a blocked RID_PASID is absent;
 * the VMCS translation structure holds exactly the shared PASIDs. Returns 0 or -1
 * with the first violation described in @why (@len bytes).
 */
int vsva_check(const struct vsva_guest *g, char *why, size_t len);

/* ---- RID_PASID bindings: a device's requests WITHOUT PASID (VT-d §9.4) ----------------
 *
 * In scalable mode every request without PASID is translated through the PASID-table
 * entry that the context entry's RID_PASID names (host PASID 0 here, as the platform
 * sets it up). These calls let an embedder (the virtual VT-d unit, hv/vvtd_shadow.c; the
 * QEMU self-test) put a guest's DMA-API domain there: a guest first-level table nested
 * over the guest's second level, exactly as vsva_bind() does for a PASID. They are not
 * reachable by hypercall. A device has one RID_PASID state (struct vsva_rid): the
 * platform entry, a nested binding, or blocked; each call replaces the previous one.
 *
 * Each switch tears the old entry down first, in the order VT-d §6.5.3.3 (guidance for
 * invalidations) and Linux's intel_pasid_tear_down_entry() use: P cleared -> PASID
 * cache (PASID-selective, old DID) -> IOTLB (domain-selective for SL / PT, P_IOTLB for
 * FL / nested) -> device-TLB WITHOUT PASID (§6.5.2.5: requests without PASID are cached
 * untagged; not the PASID-based form) when the device has ATS; then it writes the new
 * entry with P last and flushes the PASID cache (and, with CAP.CM, the IOTLB).
 *
 * Each guest FL table on RID_PASID gets its own host DID from the top of the unit's DID
 * space (never the platform's DIDs): PASID-cache and IOTLB entries are tagged by DID and
 * PASID, not by requester (§6.2.1-6.2.2), so two devices whose PASID-0 entries point at
 * different tables must not share a DID.
 */
#define VSVA_RID_PASID 0u /* guest PASID naming the RID_PASID binding (invalidate, translate) */

/*
 * vsva_rid_bind() - requests without PASID of @b->device translate through the guest's
 * FL table at GPA @b->flptr (GVA/IOVA -> GPA), then the guest's SL (GPA -> HPA): the
 * device's physical RID_PASID entry becomes nested (PGTT 011b, §9.6, FLPTR a GPA) or,
 * without ECAP.NEST, a software-nested shadow (PGTT 001b, hv/vsva_shadow.h), tagged with
 * a host DID of its own. @b->pasid must be VSVA_RID_PASID; the other fields are checked
 * as vsva_bind() checks them (flags, reserved, levels, width, FLPTR alignment, FLPTR in
 * guest RAM, unit support). Replaces the platform entry, a blocked state or an earlier
 * RID_PASID binding (same table, levels and flags: nothing to do).
 * Returns 0; -VSVA_EINVAL; -VSVA_EFAULT (FLPTR not guest RAM); -VSVA_ENOENT (device not
 * attached); -VSVA_EOPNOTSUPP; -VSVA_ENOSPC (no host DID left) - all with nothing
 * changed. -VSVA_ENOMEM / -VSVA_EIO when installing failed after the old entry was torn
 * down: the device is then left blocked (its DMA faults; never untranslated).
 */
int vsva_rid_bind(struct vsva_guest *g, const struct vsva_bind *b);

/*
 * vsva_rid_block() - @dev's physical RID_PASID entry becomes not present: its requests
 * without PASID fault (VT-d §7.1.3, scalable-mode PASID-table entry not present) as they
 * would on hardware whose translation is on and that has no valid entry for them.
 * Returns 0 (also when blocked already); -VSVA_ENOENT (not attached).
 */
int vsva_rid_block(struct vsva_guest *g, uint32_t dev);

/*
 * vsva_rid_unbind() - @dev's requests without PASID use the platform entry again (its
 * second level, GPA -> HPA: pass-through of guest physical): a RID_PASID binding or
 * block is torn down and the entry described by struct vsva_dev_info reinstalled.
 * Returns 0 (also when the platform entry is there already); -VSVA_ENOENT (not
 * attached). Cannot fail otherwise (a flush error is logged).
 */
int vsva_rid_unbind(struct vsva_guest *g, uint32_t dev);

/* vsva_rid_mode() - @dev's enum vsva_rid_mode, or -VSVA_ENOENT (not attached). */
int vsva_rid_mode(const struct vsva_guest *g, uint32_t dev);

#endif /* HV_VSVA_H */
