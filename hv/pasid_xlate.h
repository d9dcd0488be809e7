/* SPDX-License-Identifier: MIT */
/*
 * hv/pasid_xlate.h - the VMCS PASID-translation structures of one guest (Intel SDM
 * Vol. 3C, "PASID Translation", the secondary processor-based control "PASID
 * translation", bit 21: VMX_PROC2_PASID_TRANSLATION): when the guest executes ENQCMD,
 * the CPU translates the guest PASID in IA32_PASID into a host PASID through them, so a
 * shared (non-RID-local) PASID keeps its guest number.
 *
 * Format (SDM Vol. 3C; VMCS fields in Vol. 3D Appendix B, Table B-4):
 * - two PASID directories, each one 4-KiB page of 512 8-byte entries: the "low PASID
 *   directory address" (VMCS 0x2038) serves guest PASIDs 0-0x7FFFF, the "high PASID
 *   directory address" (0x203A) guest PASIDs 0x80000-0xFFFFF (guest PASID bit 19);
 * - directory entry: bit 0 present, bits 51:12 the HPA of a PASID table; others 0;
 *   indexed by guest PASID bits 18:10;
 * - PASID table: one 4-KiB page of 1024 4-byte entries, indexed by guest PASID bits
 *   9:0; entry: bit 31 valid, bits 19:0 the host PASID; others 0.
 * A guest PASID with no valid entry makes ENQCMD exit (or fault) instead of translating.
 *
 * NOT CONFIRMED: the VMCS encodings (0x2038/0x203A), control bit 21 and exit reasons
 * 72/73 are confirmed by public VMCS tables; the directory/table entry layout above is
 * not (no public source found, the SDM is not among this project's references). No CPU
 * this project runs on has the control, so the structure is kept but never given to a
 * CPU here: check it against the current SDM Vol. 3C before enabling bit 21 on hardware.
 *
 * Portable: frames come from iommu_env_alloc_frames(), so the hosted tests read the
 * structure as the CPU would.
 */
#ifndef HV_PASID_XLATE_H
#define HV_PASID_XLATE_H

#include "hv/types.h"

#define PASID_XLATE_DIR_ENTRIES	  512u
#define PASID_XLATE_TABLE_ENTRIES 1024u
#define PASID_XLATE_DIR_P	  BIT(0)
#define PASID_XLATE_DIR_ADDR	  0x000ffffffffff000ull /* bits 51:12 */
#define PASID_XLATE_VALID	  (1u << 31)
#define PASID_XLATE_HPASID	  0x000fffffu /* bits 19:0 */
#define PASID_XLATE_PASID_MAX	  0xfffffu

/* VMCS encodings of the two directory pointers (64-bit control fields, full). */
#define VMCS_LOW_PASID_DIR_ADDR	 0x2038u
#define VMCS_HIGH_PASID_DIR_ADDR 0x203au

struct pasid_xlate {
	hpa_t dir[2];	      /* HPA of the low (0) and high (1) directory; 0 before init */
	uint32_t entries;     /* valid translations */
	uint32_t table_pages; /* PASID tables allocated */
};

/*
 * pasid_xlate_init() - two empty directories (two zeroed 4-KiB frames).
 * Returns 0 or -VSVA_ENOMEM.
 */
int pasid_xlate_init(struct pasid_xlate *x);

/* pasid_xlate_destroy() - free the tables and directories; @x reads as empty after. */
void pasid_xlate_destroy(struct pasid_xlate *x);

/*
 * pasid_xlate_set() - guest PASID @gpasid translates to host PASID @hpasid (both
 * 20-bit). Allocates the PASID table on first use. An existing entry is replaced.
 * Returns 0; -VSVA_EINVAL (a PASID beyond 20 bits, or no directories); -VSVA_ENOMEM.
 */
int pasid_xlate_set(struct pasid_xlate *x, uint32_t gpasid, uint32_t hpasid);

/*
 * pasid_xlate_clear() - @gpasid no longer translates. The PASID table stays (freed by
 * destroy). Unknown PASIDs are ignored. The caller clears an entry only for a PASID
 * the guest has freed, so a translation a CPU may still hold names a host PASID whose
 * PASID-table entries are already gone (its DMA faults and is dropped as defunct).
 */
void pasid_xlate_clear(struct pasid_xlate *x, uint32_t gpasid);

/*
 * pasid_xlate_lookup() - the walk the CPU does for ENQCMD: host PASID of @gpasid.
 * Returns 0 and *@hpasid; -VSVA_ENOENT when no valid entry.
 */
int pasid_xlate_lookup(const struct pasid_xlate *x, uint32_t gpasid, uint32_t *hpasid);

#endif /* HV_PASID_XLATE_H */
