/* SPDX-License-Identifier: MIT */
/*
 * iommu/qi.h - queued invalidation (VT-d §6.5.2): descriptor encoders, batched
 * submission with one wait descriptor, error recovery, and the one function that orders
 * the flushes after a table change.
 */
#ifndef IOMMU_QI_H
#define IOMMU_QI_H

#include "iommu/vtd.h"

#define VTD_NO_PASID 0xffffffffu

/* One descriptor, always held as 256 bits; a 128-bit queue takes qw[0..1] (qw[2..3] 0). */
struct vtd_qi_desc {
	uint64_t qw[4];
};

/* The most descriptors one submission takes (the queue holds them and the wait). */
#define VTD_QI_MAX_BATCH 120

/*
 * vtd_qi_enable() - allocate the queue (one 4-KiB frame: 256 128-bit or 128 256-bit
 * descriptors; 256-bit in scalable mode, §6.5.2) and its status frame, program IQA with
 * IQT = 0 and set GCMD.QIE. Returns 0, -ENOMEM, -ETIMEDOUT (GSTS.QIES).
 */
int vtd_qi_enable(struct vtd_unit *u);

/* vtd_qi_disable() - clear GCMD.QIE (waits for GSTS.QIES = 0) and free the queue. */
void vtd_qi_disable(struct vtd_unit *u);

/*
 * vtd_qi_submit() - submit @n descriptors as ONE batch closed by ONE invalidation wait
 * descriptor with a status write (SW=1, IF=0: never both, QEMU aborts on that), and wait
 * until the hardware wrote the status. @n may be 0 (a bare wait: a drain).
 * Errors (§6.5.2.10): FSTS.IQE - the offending descriptor (IQH) is logged, replaced by a
 * harmless wait descriptor and IQE cleared so the rest of the batch runs; FSTS.ITE -
 * logged and cleared (the hardware dropped the waits behind the device-TLB descriptor);
 * FSTS.ICE - logged and cleared.
 * Returns 0; -EINVAL for n > VTD_QI_MAX_BATCH or a descriptor with qw[2..3] set in a
 * 128-bit queue; -EIO after an IQE/ITE/ICE (the queue is usable again); -ETIMEDOUT if
 * the status is not written within VTD_TIMEOUT_US; -ENODEV if QI is not enabled.
 */
int vtd_qi_submit(struct vtd_unit *u, const struct vtd_qi_desc *d, unsigned int n);

/* ---- descriptor encoders (§6.5.2.1-8); all take DIDs, SIDs (bus:dev.fn) and PASIDs ---- */
/* Context-cache: global (§6.5.2.1). */
struct vtd_qi_desc vtd_desc_cc_global(void);
/* Context-cache: device-selective; @fm is the function mask (0: exactly @sid). */
struct vtd_qi_desc vtd_desc_cc_device(uint16_t did, uint16_t sid, unsigned int fm);
/* PASID cache (§6.5.2.2): all PASIDs of @did. */
struct vtd_qi_desc vtd_desc_pc_domain(uint16_t did);
/* PASID cache: @pasid of @did. */
struct vtd_qi_desc vtd_desc_pc_pasid(uint16_t did, uint32_t pasid);
/* PASID cache: global. */
struct vtd_qi_desc vtd_desc_pc_global(void);
/* IOTLB (§6.5.2.3): global. Drain reads and writes (DR/DW) when the unit supports it. */
struct vtd_qi_desc vtd_desc_iotlb_global(const struct vtd_unit *u);
/* IOTLB: domain-selective. */
struct vtd_qi_desc vtd_desc_iotlb_domain(const struct vtd_unit *u, uint16_t did);
/*
 * IOTLB: page-selective, 2^@am 4-KiB pages at IOVA @addr (aligned to 2^@am pages);
 * @ih: only leaf entries changed (keep the paging-structure caches).
 */
struct vtd_qi_desc vtd_desc_iotlb_page(const struct vtd_unit *u, uint16_t did, iova_t addr,
				       unsigned int am, bool ih);
/* P_IOTLB (§6.5.2.4): every mapping of @pasid in @did. */
struct vtd_qi_desc vtd_desc_piotlb_pasid(uint16_t did, uint32_t pasid);
/* P_IOTLB: 2^@am pages at input address @addr (aligned) of @pasid in @did; @ih as above. */
struct vtd_qi_desc vtd_desc_piotlb_page(uint16_t did, uint32_t pasid, uint64_t addr,
					unsigned int am, bool ih);
/*
 * Device-TLB (§6.5.2.5) of the ATS device @sid (@pfsid: its PF, @qdep: invalidate queue
 * depth): 2^@am pages at IOVA @addr (aligned); @am >= 52 invalidates everything.
 */
struct vtd_qi_desc vtd_desc_devtlb(uint16_t sid, uint16_t pfsid, unsigned int qdep, iova_t addr,
				   unsigned int am);
/* PASID-based device-TLB (§6.5.2.6): as above for @pasid; @all_pasids sets G. */
struct vtd_qi_desc vtd_desc_pdevtlb(uint16_t sid, uint16_t pfsid, unsigned int qdep, uint32_t pasid,
				    bool all_pasids, uint64_t addr, unsigned int am);
/* Invalidation wait (§6.5.2.8) with status write of @data to HPA @status (4-byte aligned). */
struct vtd_qi_desc vtd_desc_wait(hpa_t status, uint32_t data);
/*
 * Page group response (§6.5.2.9, 256-bit queues only) to device @rid for page request
 * group @prgi (9 bits) with PCIe response code @code (VTD_PGRP_RESP_*); @pasid: the
 * request's PASID, VTD_NO_PASID when it had none (PP = 0). @priv_data: the request's two
 * qwords of private data (VT-d 3.x PDP = 1), NULL for none.
 */
struct vtd_qi_desc vtd_desc_pgrp_resp(uint16_t rid, uint32_t pasid, uint16_t prgi,
				      unsigned int code, const uint64_t *priv_data);

/*
 * vtd_qi_addr_mask_order() - the address mask (AM) of one page-selective invalidation
 * that covers the 4-KiB pages [@addr, @addr + @pages * 4 KiB): the order of the
 * smallest naturally aligned block of 2^AM pages holding the whole range (IOTLB
 * §6.5.2.3, P_IOTLB §6.5.2.4; device-TLB §6.5.2.5-6 take the same order). @addr is the
 * range's first input address (IOVA, GPA or GVA, as the descriptor's kind), 4-KiB
 * aligned; @pages >= 1, and the range must not wrap past 2^64. On success *@base gets
 * the block's first address (aligned to 2^AM pages), the descriptor's ADDR field.
 * Not checked against CAP.MAMV or the 52 of P_IOTLB: the caller widens to a domain- or
 * PASID-selective invalidation where the order is too large.
 * Returns AM, 0-51; -ERANGE if no block below 2^64 holds the range (*@base unchanged).
 */
int vtd_qi_addr_mask_order(uint64_t addr, uint64_t pages, uint64_t *base);

/* ---- the flush ordering after a structure change ------------------------------------ */
/* What changed: vtd_flush.what */
#define VTD_FLUSH_CONTEXT VTD_BIT(0) /* a context entry (root entry changes are rare) */
#define VTD_FLUSH_PASID	  VTD_BIT(1) /* a PASID-table or PASID-directory entry */
#define VTD_FLUSH_SL	  VTD_BIT(2) /* SL-tagged IOTLB entries (SL, nested, PT) */
#define VTD_FLUSH_FL	  VTD_BIT(3) /* PASID-tagged FL entries (FL, nested) */
#define VTD_FLUSH_DEVTLB  VTD_BIT(4) /* the device has ATS: its device-TLB too */
#define VTD_FLUSH_LEAF	  VTD_BIT(5) /* only leaf entries changed (IH = 1) */

struct vtd_flush {
	uint32_t what;	/* VTD_FLUSH_* */
	uint16_t did;	/* domain */
	uint16_t sid;	/* device (bus:dev.fn): CONTEXT, DEVTLB */
	uint32_t pasid; /* VTD_NO_PASID: requests without PASID / the whole domain */
	iova_t addr;	/* first input address of the changed range (4-KiB aligned) */
	uint64_t pages; /* 4-KiB pages in the range; 0: everything of the domain/PASID */
	uint16_t pfsid; /* DEVTLB: physical function's SID */
	uint8_t qdep;	/* DEVTLB: invalidate queue depth */
};

/*
 * vtd_flush_after_change() - invalidate what a table change left cached, in the order
 * VT-d §6.5.2 and §6.2 demand, as ONE queue submission (one wait): context cache
 * (device-selective) -> PASID cache (PASID- or domain-selective) -> IOTLB (page- or
 * domain-selective for SL-tagged, P_IOTLB for FL-tagged mappings) -> device-TLB (after
 * the IOTLB, §6.5.2.5). A range that no single AM (CAP.MAMV, CAP.PSI) covers widens to
 * the domain / PASID.
 * Returns vtd_qi_submit()'s result.
 */
int vtd_flush_after_change(struct vtd_unit *u, const struct vtd_flush *f);

/* vtd_flush_global() - context cache, PASID cache (scalable), IOTLB: all, one batch. */
int vtd_flush_global(struct vtd_unit *u);

#endif /* IOMMU_QI_H */
