/* SPDX-License-Identifier: MIT */
/*
 * hv/pasid_space.h - how the 20-bit host PASID space is divided (seeds/002: RID-local
 * and shared PASIDs), and the global allocator of host PASIDs for shared PASIDs.
 *
 * Guest PASID numbers (per guest):
 *   [PASID_LOCAL_FIRST, PASID_LOCAL_LAST]   RID-local: host PASID = guest PASID, in the
 *                                            PASID table of each device (per RID), so
 *                                            guests never collide;
 *   [PASID_SHARED_GFIRST, PASID_SHARED_GLAST] shared: the guest's number is translated
 *                                            to a host PASID (VMCS PASID translation
 *                                            for ENQCMD, the hypervisor for the IOMMU).
 * Host PASIDs of shared PASIDs come from [PASID_SHARED_HFIRST, 2^bits), a range no
 * RID-local PASID uses, and are unique across guests. PASID 0 is RID_PASID (requests
 * without PASID) and never handed out.
 *
 * A freed host PASID is *defunct*: not handed out again while others are free, so a
 * late fault or page request that names it is not taken for the next owner's.
 */
#ifndef HV_PASID_SPACE_H
#define HV_PASID_SPACE_H

#include "hv/types.h"

#define PASID_LOCAL_FIRST   1u
#define PASID_LOCAL_LAST    0x7fffu
#define PASID_SHARED_GFIRST 0x8000u
#define PASID_SHARED_GLAST  0xffffu
#define PASID_SHARED_HFIRST 0x10000u
#define PASID_HOST_MAX	    0xfffffu /* 20-bit PASIDs */

/*
 * pasid_space_init() - the shared host range is [PASID_SHARED_HFIRST, 2^@pasid_bits)
 * (VT-d ECAP.PSS + 1 of the units, the smallest of them); empty when @pasid_bits < 17.
 * Forgets every allocation (boot, and tests).
 */
void pasid_space_init(unsigned int pasid_bits);

/* pasid_space_shared_ok() - true when shared host PASIDs exist at all. */
bool pasid_space_shared_ok(void);

/*
 * pasid_space_alloc() - a free host PASID for a shared PASID: never-used and freed
 * ones first, defunct ones only when no other is left (they are reclaimed then).
 * Returns 0 and *@hpasid; -VSVA_ENOSPC when the range is full.
 */
int pasid_space_alloc(uint32_t *hpasid);

/* pasid_space_free() - @hpasid (from alloc) becomes defunct. Others are ignored. */
void pasid_space_free(uint32_t hpasid);

/* pasid_space_cancel() - undo an alloc that was never used: @hpasid is free again. */
void pasid_space_cancel(uint32_t hpasid);

/* pasid_space_is_defunct() - @hpasid was freed and not handed out since. */
bool pasid_space_is_defunct(uint32_t hpasid);

/* pasid_space_in_use() - @hpasid is allocated. */
bool pasid_space_in_use(uint32_t hpasid);

#endif /* HV_PASID_SPACE_H */
