/* SPDX-License-Identifier: MIT */
/*
 * Extended page tables (SDM Vol. 3C 29.3 "The Extended Page Table Mechanism"), built
 * from the guest map (hv/guest_map.h): identity GPA = HPA, the largest page each range
 * allows (1 GiB and 2 MiB where IA32_VMX_EPT_VPID_CAP says so), RWX, the range's memory
 * type. Portable: the tables come from host_frames_alloc() and are reached through
 * hpa_to_hva(), which the unit tests provide.
 */
#ifndef HV_EPT_H
#define HV_EPT_H

#include "hv/guest_map.h"
#include "hv/types.h"

/* EPT paging-structure entries (SDM Vol. 3C Tables 29-1..29-6) */
#define EPT_READ	  BIT(0)
#define EPT_WRITE	  BIT(1)
#define EPT_EXEC	  BIT(2)
#define EPT_RWX		  (EPT_READ | EPT_WRITE | EPT_EXEC)
#define EPT_MEMTYPE_SHIFT 3
#define EPT_MEMTYPE_MASK  (7ull << EPT_MEMTYPE_SHIFT)
#define EPT_IGNORE_PAT	  BIT(6)
#define EPT_LARGE	  BIT(7)
#define EPT_ADDR_MASK	  0x000ffffffffff000ull

/* EPTP (SDM Vol. 3C 25.6.11) */
#define EPTP_MEMTYPE_UC 0ull
#define EPTP_MEMTYPE_WB 6ull
#define EPTP_WALK_4	(3ull << 3)
#define EPTP_AD_ENABLE	BIT(6)

struct ept {
	hpa_t pml4;			       /* HPA of the EPT PML4 table */
	uint64_t table_frames;		       /* 4-KiB frames used by the tables */
	uint64_t pages_1g, pages_2m, pages_4k; /* leaves written */
	bool use_1g, use_2m;		       /* large pages the CPU allows */
};

/*
 * ept_build() - build identity EPT tables for every range of @m. @ept_vpid_cap is
 * IA32_VMX_EPT_VPID_CAP (SDM Vol. 3D A.10): bit 17 allows 1-GiB, bit 16 2-MiB leaves.
 * Returns 0; -ENOMEM when the host pool runs out (tables built so far are not freed:
 * the caller gives up on VMX); -EINVAL when a range is not 4-KiB aligned or lies above
 * the 48-bit guest-physical space of a 4-level walk.
 */
int ept_build(struct ept *e, const struct guest_map *m, uint64_t ept_vpid_cap);

/*
 * ept_pointer() - the EPTP for @e: 4-level walk, paging-structure memory type WB when
 * the CPU allows it (IA32_VMX_EPT_VPID_CAP bit 14), else UC; A/D flags off.
 */
uint64_t ept_pointer(const struct ept *e, uint64_t ept_vpid_cap);

/*
 * ept_lookup() - walk @e for GPA @gpa; returns the leaf entry (0 when not present) and
 * the leaf's size in bytes in @page_size (may be NULL).
 */
uint64_t ept_lookup(const struct ept *e, gpa_t gpa, uint64_t *page_size);

#endif /* HV_EPT_H */
