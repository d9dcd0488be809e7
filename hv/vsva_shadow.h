/* SPDX-License-Identifier: MIT */
/*
 * hv/vsva_shadow.h - software nesting for vSVA (seeds/001 §5.3): where a unit has
 * first-level translation (ECAP.FLTS) but no nesting (ECAP.NEST), a guest's bind gets a
 * SHADOW first-level table, built by the hypervisor, that composes
 *   the guest's table  GVA -> GPA  (walked in guest memory, every pointer validated
 *                                   through the guest map), with
 *   the hypervisor's   GPA -> HPA  (the guest's second level, or its first-level copy
 *                                   on FL-only units),
 * installed as a first-level PASID entry (PGTT 001b, VT-d §9.6) whose FLPTR is the HPA
 * of the shadow root.
 *
 * Policy: EAGER at bind, then INCREMENTAL per guest invalidation. A device cannot
 * fault and retry (no page requests on the platforms we run, ECAP.PRS = 0 on QEMU), so
 * shadowing lazily on fault is impossible, and a bind must work without an invalidation
 * (a guest binds a populated process table). Each P_IOTLB request of the guest rebuilds
 * exactly its range (page-selective) or the whole shadow (PASID-selective): until then
 * the device sees the old mapping, as on hardware with a cached IOTLB entry.
 *
 * What is shadowed: present 4-level guest leaves (4 KiB, 2 MiB, 1 GiB where the unit
 * walks them) whose every byte is guest RAM (guest_map_kind() == GUEST_MEM_RAM) and is
 * mapped readable by the GPA -> HPA map; the output HPA must again be guest RAM (GPA =
 * HPA for RAM, hv/guest_map.h): hypervisor memory, MMIO and absent ranges are never
 * mapped. Permissions of both levels are composed: R/W = AND of the guest's R/W at every
 * level and the second level's W; U/S = AND of the guest's U/S at every level (the
 * shadow's non-leaf entries grant U/S, as QEMU requires); XD = OR over the guest's
 * levels. Guest entries with reserved bits set (VT-d §9.7) are not shadowed (a walk by
 * the hardware would fault on them too). Guest accessed/dirty flags are not updated.
 *
 * Portable: reaches memory only through hpa_to_hva()/host_hpa_mapped() (guest tables)
 * and iommu/ (the shadow's frames). Errors are negative errno values.
 */
#ifndef HV_VSVA_SHADOW_H
#define HV_VSVA_SHADOW_H

#include "hv/guest_map.h"
#include "hv/types.h"
#include "iommu/flpt.h"
#include "iommu/slpt.h"

/* Shadow table frames one binding may hold (16 MiB); beyond, ranges stay unmapped. */
#define VSVA_SHADOW_MAX_FRAMES 4096u

/* The GPA -> HPA map of a guest on one unit: exactly one of @sl and @fl is used. */
struct vsva_gpa_map {
	const struct guest_map *map; /* the guest's memory map: GPA kinds */
	const struct vtd_slpt *sl;   /* second-level tables, or NULL */
	const struct vtd_flpt *fl;   /* first-level copy (FL-only units), used when !sl */
};

struct vsva_shadow {
	bool live;
	gpa_t groot;	    /* GPA of the guest's 4-level FL root (PML4) */
	struct vtd_flpt pt; /* the shadow: GVA -> HPA; pt.root is the PASID entry's FLPTR */
	struct vsva_gpa_map gm;
	uint64_t leaves;   /* shadow leaves written (cumulative) */
	uint64_t pages;	   /* 4-KiB pages they cover (cumulative) */
	uint64_t refused;  /* guest 4-KiB pages, entries or tables not shadowed: not
			      * guest RAM, not readable, reserved bits (cumulative) */
	uint64_t dropped;  /* 4-KiB pages left unmapped for lack of frames (cumulative) */
	uint64_t rebuilds; /* syncs run: bind, range and whole-PASID invalidations */
};

/*
 * vsva_gpa_lookup() - translate GPA @gpa through @gm: its second level (vtd_slpt_lookup)
 * or, without one, its first-level copy (vtd_flpt_lookup). *@hpa: HPA of @gpa;
 * *@page_size: bytes of the leaf that maps it; *@prot: VTD_SL_R/W.
 * Returns 0; -ENOENT when not mapped or neither table is given.
 */
int vsva_gpa_lookup(const struct vsva_gpa_map *gm, gpa_t gpa, hpa_t *hpa, uint64_t *page_size,
		    uint64_t *prot);

/*
 * vsva_shadow_init() - an empty shadow (root table allocated) for unit @u over @gm,
 * for the guest's 4-level table at GPA @groot (the caller validated it: 4-KiB aligned,
 * guest RAM). Nothing is shadowed yet (vsva_shadow_sync()).
 * Returns 0; -EINVAL (no map, or neither table); -ENOMEM.
 */
int vsva_shadow_init(struct vsva_shadow *s, const struct vtd_unit *u, const struct vsva_gpa_map *gm,
		     gpa_t groot);

/*
 * vsva_shadow_sync() - make the shadow of GVAs [@gva, @gva + @pages * 4 KiB) what the
 * guest's table says now: the shadow's range is unmapped, then the guest's table is
 * walked over the range and every admissible leaf mapped again (see the header). @pages
 * 0: the whole address space (the shadow's tables are freed first). @gva is canonical
 * (bits 63:47 equal) and 4-KiB aligned; the range is clipped to its canonical half.
 * Cannot fail: a guest table that is not guest RAM, or a shadow that runs out of frames,
 * leaves the affected range unmapped (counted in refused / dropped), so the device
 * faults there. The caller then flushes the unit's P_IOTLB of the range (VT-d
 * §6.5.2.4) with IH = 0: shadow paging structures may have changed.
 */
void vsva_shadow_sync(struct vsva_shadow *s, uint64_t gva, uint64_t pages);

/*
 * vsva_shadow_destroy() - free every shadow table (root included). The caller has
 * cleared the PASID entry and flushed first (vtd_pasid_clear()). Idempotent.
 */
void vsva_shadow_destroy(struct vsva_shadow *s);

/*
 * vsva_shadow_check() - the shadow's invariants: every non-leaf entry is present with
 * R/W and U/S, every leaf maps an HPA range that is guest RAM in the guest map (never
 * hypervisor memory), table frames within VSVA_SHADOW_MAX_FRAMES. Returns 0, or -1 with
 * the first violation in @why (@len bytes).
 */
int vsva_shadow_check(const struct vsva_shadow *s, char *why, size_t len);

#endif /* HV_VSVA_SHADOW_H */
