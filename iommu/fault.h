/* SPDX-License-Identifier: MIT */
/*
 * iommu/fault.h - primary fault logging (VT-d §7.1, §7.2.1, §11.4.14).
 */
#ifndef IOMMU_FAULT_H
#define IOMMU_FAULT_H

#include "iommu/vtd.h"

/* One decoded fault record. */
struct vtd_fault {
	uint16_t sid;	 /* requester (bus:dev.fn) */
	uint64_t addr;	 /* page address of the request (IOVA/GVA/GPA, 4-KiB aligned) */
	uint8_t reason;	 /* fault reason, §7.1.3 */
	bool write;	 /* write request (else read) */
	bool exec, priv; /* execute / privileged request (with PASID) */
	bool has_pasid;
	uint32_t pasid;
	unsigned int index; /* fault recording register it came from */
};

/* At most this many fault lines per second are logged; the rest are counted. */
#define VTD_FAULT_LOG_PER_SEC 10

/*
 * vtd_fault_reason_name() - the name of fault reason @reason (legacy 0x1-0xD, scalable
 * 0x30-0x90, §7.1.3), "unknown fault reason" for others. Never NULL.
 */
const char *vtd_fault_reason_name(unsigned int reason);

/*
 * vtd_fault_decode() - decode one 128-bit fault recording register (@lo: bits 63:0,
 * @hi: bits 127:64) into @f. Returns true when its F bit says it holds a fault.
 */
bool vtd_fault_decode(uint64_t lo, uint64_t hi, struct vtd_fault *f);

typedef void (*vtd_fault_fn)(void *ctx, const struct vtd_unit *u, const struct vtd_fault *f);

/*
 * vtd_fault_process() - drain the primary fault log (§7.2.1): starting at FSTS.FRI,
 * read each fault recording register (CAP.NFR of them at CAP.FRO) whose F bit is set,
 * decode it, log it (rate-limited), hand it to @fn (may be NULL) and clear F (RW1C);
 * then clear FSTS.PFO if the log overflowed (faults were lost; logged and counted).
 * Returns the number of records processed (>= 0).
 */
int vtd_fault_process(struct vtd_unit *u, vtd_fault_fn fn, void *ctx);

#endif /* IOMMU_FAULT_H */
