/* SPDX-License-Identifier: MIT */
/*
 * iommu/pasid.h - scalable-mode PASID directory and PASID tables (VT-d §9.5, §9.6):
 * one accessor per PASID-entry field, and install/teardown of first-level (FL),
 * second-level (SL), nested and pass-through (PT) entries.
 */
#ifndef IOMMU_PASID_H
#define IOMMU_PASID_H

#include "iommu/qi.h"
#include "iommu/root.h"
#include "iommu/slpt.h"
#include "iommu/vtd.h"

/* The 512-bit scalable-mode PASID-table entry, §9.6. */
struct vtd_pasid_entry {
	uint64_t val[8];
};

static inline void vtd_pe_set_bits(uint64_t *q, uint64_t mask, uint64_t v)
{
	*q = (*q & ~mask) | (v & mask);
}

/* ---- one accessor per field (§9.6); values are in the field's units, not shifted ---- */
static inline void vtd_pe_set_p(struct vtd_pasid_entry *pe, bool on)
{
	vtd_pe_set_bits(&pe->val[0], VTD_PE_0_P, on ? VTD_PE_0_P : 0);
}
static inline void vtd_pe_set_fpd(struct vtd_pasid_entry *pe, bool on)
{
	vtd_pe_set_bits(&pe->val[0], VTD_PE_0_FPD, on ? VTD_PE_0_FPD : 0);
}
/* AW: 1 = 39-bit (3-level), 2 = 48-bit (4-level), 3 = 57-bit (5-level) SL or FL tables */
static inline void vtd_pe_set_aw(struct vtd_pasid_entry *pe, unsigned int aw)
{
	vtd_pe_set_bits(&pe->val[0], VTD_PE_0_AW, (uint64_t)aw << 2);
}
static inline void vtd_pe_set_pgtt(struct vtd_pasid_entry *pe, unsigned int pgtt)
{
	vtd_pe_set_bits(&pe->val[0], VTD_PE_0_PGTT, (uint64_t)pgtt << 6);
}
static inline void vtd_pe_set_slade(struct vtd_pasid_entry *pe, bool on)
{
	vtd_pe_set_bits(&pe->val[0], VTD_PE_0_SLADE, on ? VTD_PE_0_SLADE : 0);
}
/* SLPTPTR: HPA of the SL root table */
static inline void vtd_pe_set_slptptr(struct vtd_pasid_entry *pe, hpa_t t)
{
	vtd_pe_set_bits(&pe->val[0], VTD_PE_0_SLPTPTR, t);
}
static inline void vtd_pe_set_did(struct vtd_pasid_entry *pe, uint16_t did)
{
	vtd_pe_set_bits(&pe->val[1], VTD_PE_1_DID, did);
}
static inline void vtd_pe_set_pwsnp(struct vtd_pasid_entry *pe, bool on)
{
	vtd_pe_set_bits(&pe->val[1], VTD_PE_1_PWSNP, on ? VTD_PE_1_PWSNP : 0);
}
static inline void vtd_pe_set_pgsnp(struct vtd_pasid_entry *pe, bool on)
{
	vtd_pe_set_bits(&pe->val[1], VTD_PE_1_PGSNP, on ? VTD_PE_1_PGSNP : 0);
}
static inline void vtd_pe_set_sre(struct vtd_pasid_entry *pe, bool on)
{
	vtd_pe_set_bits(&pe->val[2], VTD_PE_2_SRE, on ? VTD_PE_2_SRE : 0);
}
/* FLPM: 0 = 4-level, 1 = 5-level FL paging */
static inline void vtd_pe_set_flpm(struct vtd_pasid_entry *pe, unsigned int flpm)
{
	vtd_pe_set_bits(&pe->val[2], VTD_PE_2_FLPM, (uint64_t)flpm << 2);
}
static inline void vtd_pe_set_wpe(struct vtd_pasid_entry *pe, bool on)
{
	vtd_pe_set_bits(&pe->val[2], VTD_PE_2_WPE, on ? VTD_PE_2_WPE : 0);
}
static inline void vtd_pe_set_eafe(struct vtd_pasid_entry *pe, bool on)
{
	vtd_pe_set_bits(&pe->val[2], VTD_PE_2_EAFE, on ? VTD_PE_2_EAFE : 0);
}
/* FLPTR: HPA (FL only) or GPA (nested) of the FL root table */
static inline void vtd_pe_set_flptr(struct vtd_pasid_entry *pe, uint64_t t)
{
	vtd_pe_set_bits(&pe->val[2], VTD_PE_2_FLPTR, t);
}
static inline bool vtd_pe_present(const struct vtd_pasid_entry *pe)
{
	return pe->val[0] & VTD_PE_0_P;
}
static inline unsigned int vtd_pe_pgtt(const struct vtd_pasid_entry *pe)
{
	return (unsigned int)VTD_FIELD(pe->val[0], 8, 6);
}
static inline uint16_t vtd_pe_did(const struct vtd_pasid_entry *pe)
{
	return (uint16_t)VTD_FIELD(pe->val[1], 15, 0);
}

/* One device's (or one PASID space's) PASID directory. */
struct vtd_pasid_dir {
	hpa_t dir;	      /* HPA of the directory */
	uint64_t dir_frames;  /* its size in 4-KiB frames */
	unsigned int entries; /* directory entries: 2^(pdts + 7) */
	unsigned int pdts;    /* the context entry's PDTS */
	unsigned int pasid_bits;
	uint64_t table_frames; /* PASID tables allocated (one 4-KiB frame, 64 PASIDs) */
};

/* Options of an entry (vtd_pasid_set_*): */
#define VTD_PASID_SRE	VTD_BIT(0) /* supervisor requests (ECAP.SRS) */
#define VTD_PASID_WPE	VTD_BIT(1) /* write protect for supervisor requests */
#define VTD_PASID_EAFE	VTD_BIT(2) /* extended-accessed flag (ECAP.EAFS) */
#define VTD_PASID_SLADE VTD_BIT(3) /* SL accessed/dirty flags (ECAP.SLADS) */
#define VTD_PASID_PGSNP VTD_BIT(4) /* page snoop */
#define VTD_PASID_PWSNP VTD_BIT(5) /* page-walk snoop */
#define VTD_PASID_FPD	VTD_BIT(6) /* fault processing disable */

/*
 * vtd_pasid_dir_init() - an empty PASID directory sized for the unit's PASID width
 * (ECAP.PSS + 1 bits; 2^(bits - 6) 8-byte entries, at least 128), in contiguous 4-KiB
 * frames. PASID tables are allocated when a PASID in their range is first set.
 * Returns 0; -EOPNOTSUPP on a legacy unit or without ECAP.PASID; -ENOMEM.
 */
int vtd_pasid_dir_init(struct vtd_pasid_dir *d, const struct vtd_unit *u);

/* vtd_pasid_dir_destroy() - free the PASID tables and the directory. */
void vtd_pasid_dir_destroy(struct vtd_pasid_dir *d);

/*
 * vtd_pasid_set_sl() - PASID @pasid of @d translates through SL tables @pt (IOVA/GPA ->
 * HPA) in domain @did (PGTT 010b, §9.6). @opts: VTD_PASID_SLADE, PGSNP, PWSNP, FPD.
 * Returns 0; -EINVAL (PASID beyond the width, DID beyond CAP.ND, bad option);
 * -EOPNOTSUPP (no ECAP.SLTS, or an option the unit lacks); -EBUSY if the entry is
 * present (clear it first); -ENOMEM; the PASID-cache flush's error.
 */
int vtd_pasid_set_sl(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t did,
		     const struct vtd_slpt *pt, uint32_t opts);

/*
 * vtd_pasid_set_fl() - @pasid translates through FL (x86 paging) tables at HPA @flptr,
 * @fl_levels 4 or 5 (5 needs CAP.FL5LP), tagged with @did (PGTT 001b, §9.6). AW is set
 * from the paging mode: 2 (48-bit) for 4-level, 3 (57-bit) for 5-level, as Linux does;
 * QEMU takes the FL input-address width from it. @opts: SRE, WPE, EAFE, PGSNP, PWSNP,
 * FPD. Errors as vtd_pasid_set_sl() (ECAP.FLTS).
 */
int vtd_pasid_set_fl(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t did,
		     hpa_t flptr, unsigned int fl_levels, uint32_t opts);

/*
 * vtd_pasid_set_nested() - @pasid translates GVA -> GPA through FL tables at GPA
 * @flptr (@fl_levels 4 or 5), then GPA -> HPA through @pt (PGTT 011b, §3.8), in @did.
 * AW is @pt's (the SL width, §9.6), as Linux sets it for nested entries.
 * Errors as vtd_pasid_set_sl() (ECAP.NEST).
 */
int vtd_pasid_set_nested(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t did,
			 gpa_t flptr, unsigned int fl_levels, const struct vtd_slpt *pt,
			 uint32_t opts);

/*
 * vtd_pasid_set_pt() - @pasid is pass-through (input address = HPA, PGTT 100b) in @did.
 * Errors as vtd_pasid_set_sl() (ECAP.PT).
 */
int vtd_pasid_set_pt(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t did,
		     uint32_t opts);

/*
 * vtd_pasid_clear() - tear @pasid's entry down: P cleared first, then the flushes its
 * PGTT needs in order (PASID cache -> IOTLB for SL/nested/PT, P_IOTLB for FL/nested/PT
 * -> PASID-based device-TLB of @sid when @ats), then the rest of the entry zeroed.
 * Returns 0; -ENOENT if not present; -EINVAL for a PASID beyond the width; the flush's
 * error (the entry is down either way).
 */
int vtd_pasid_clear(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t sid,
		    const struct vtd_ats *ats);

/* vtd_pasid_entry_get() - a copy of @pasid's entry (zero if its table is absent). */
int vtd_pasid_entry_get(const struct vtd_pasid_dir *d, uint32_t pasid, struct vtd_pasid_entry *out);

#endif /* IOMMU_PASID_H */
