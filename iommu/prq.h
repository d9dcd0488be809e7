/* SPDX-License-Identifier: MIT */
/*
 * iommu/prq.h - the page request queue of one physical unit (VT-d §7.5, registers
 * §11.4.11: PQH, PQT, PQA, PRS, and the page request event PECTL/PEDATA/PEADDR/PEUADDR)
 * and page group responses (§6.5.2.9) through the invalidation queue.
 *
 * A device with PRI that faults on a page (ATS translation without a present mapping)
 * sends a page request; the unit writes a 256-bit page request descriptor at PQT, moves
 * PQT, sets PRS.PPR and raises a page request event. Software reads the descriptors from
 * PQH to PQT, moves PQH, and answers each page request GROUP (the request with LPIG = 1,
 * or, on VT-d 3.x, one with private data) with one page group response descriptor.
 *
 * The driver knows nothing of guests: what a request means is the embedder's business
 * (hv/vsva_prq.c routes it to the guest that owns the device). Typical use:
 *   vtd_prq_enable(&q, unit, 0);                  at bring-up, after vtd_unit_enable()
 *   vtd_prq_set_event(&q, msi_data, msi_addr);    if the embedder takes the interrupt
 *   vtd_prq_drain(&q, fn, ctx);                   on the interrupt, or polled
 *   vtd_prq_respond(unit, &resp);                 when a group has been handled
 * Not thread-safe: the caller serializes calls per unit.
 */
#ifndef IOMMU_PRQ_H
#define IOMMU_PRQ_H

#include "iommu/qi.h"
#include "iommu/vtd.h"

/* One decoded page request descriptor (§7.5.1). */
struct vtd_page_req {
	uint16_t rid;	       /* requester ID (bus:dev.fn) */
	bool pasid_present;    /* PP */
	uint32_t pasid;	       /* host PASID (0 unless pasid_present) */
	bool exec;	       /* ERE: execute access requested (with a PASID) */
	bool priv;	       /* PM: privileged-mode access requested (with a PASID) */
	bool read, write;      /* RD / WR */
	bool lpig;	       /* last page in group: the group needs a response */
	uint16_t prgi;	       /* page request group index, 9 bits */
	uint64_t addr;	       /* page address (4-KiB aligned) in the request's space: IOVA,
			      * or with a PASID the address its first level translates (GVA) */
	bool pdp;	       /* private data present (VT-d 3.x; always 0 on 4.x units) */
	uint64_t priv_data[2]; /* descriptor qwords 2-3, meaningful with pdp */
};

/* One page group response (§6.5.2.9). */
struct vtd_page_resp {
	uint16_t rid;
	bool pasid_present;
	uint32_t pasid;
	uint16_t prgi;
	uint8_t code; /* VTD_PGRP_RESP_SUCCESS, _INVALID or _FAILURE */
	bool pdp;     /* echo the request's private data (VT-d 3.x) */
	uint64_t priv_data[2];
};

/* vtd_page_req_needs_response() - §7.5.1 / 3.x §7.7: LPIG or private data. */
static inline bool vtd_page_req_needs_response(const struct vtd_page_req *r)
{
	return r->lpig || r->pdp;
}

/* The page request queue of a unit. */
struct vtd_prq {
	struct vtd_unit *u;   /* NULL while disabled */
	hpa_t base;	      /* HPA of the queue, 2^order 4-KiB frames */
	const uint64_t *desc; /* its CPU pointer */
	unsigned int order;   /* PQA.PQS */
	uint64_t qbytes;      /* queue size in bytes */
	/* counters, for tests and the log */
	uint64_t requests;  /* descriptors handed to the callback */
	uint64_t malformed; /* descriptors skipped: wrong type */
	uint64_t overflows; /* PRS.PRO seen */
	uint64_t errors;    /* drains refused: PQH/PQT out of range */
};

/*
 * vtd_prq_enable() - allocate a queue of 2^@order 4-KiB frames (2^(@order + 7) page
 * request descriptors, @order <= VTD_PQA_PQS_MAX) and program it (§11.4.11): PQH = PQT =
 * 0, PQA = base | PQS, PRS.PPR and PRS.PRO cleared. The page request event stays as it is
 * (masked after reset); see vtd_prq_set_event(). @u must be a scalable-mode unit with
 * queued invalidation running (responses go through it).
 * Returns 0; -EINVAL (@order too large); -ENODEV (no ECAP.PRS, not scalable, QI off);
 * -EBUSY (@q already enabled); -ENOMEM. On error nothing is programmed.
 */
int vtd_prq_enable(struct vtd_prq *q, struct vtd_unit *u, unsigned int order);

/*
 * vtd_prq_disable() - mask the page request event, clear PQA, PQH and PQT, and free the
 * queue. Requests still in it are dropped (their devices are being torn down).
 */
void vtd_prq_disable(struct vtd_prq *q);

/*
 * vtd_prq_set_event() - program the page request event's MSI (§11.4.11.5-8: PEDATA =
 * @data, PEADDR/PEUADDR = @addr, a 4-byte aligned message address) and unmask it
 * (PECTL.IM = 0). Returns 0; -EINVAL (@addr misaligned); -ENODEV (not enabled).
 */
int vtd_prq_set_event(struct vtd_prq *q, uint32_t data, uint64_t addr);

/*
 * vtd_prq_decode() - decode one page request descriptor @d (4 qwords as read from the
 * queue) into @r. Returns 0; -EINVAL when it is not a page request descriptor (type
 * other than 1, §7.5.1): @r is then left unchanged.
 */
int vtd_prq_decode(const uint64_t d[4], struct vtd_page_req *r);

/* Called by vtd_prq_drain() for every page request, in queue order. */
typedef void (*vtd_prq_fn)(void *ctx, struct vtd_unit *u, const struct vtd_page_req *r);

/*
 * vtd_prq_drain() - the page request event handler (§7.5.1): clear PRS.PPR first (a
 * request written after it raises a new event), then read the descriptors from PQH to
 * PQT, hand each page request to @fn, and write PQH = PQT. A descriptor of the wrong
 * type is logged, counted and skipped (no response: nothing in it can be trusted). When
 * PRS.PRO is set (requests were dropped, §7.5.1: the unit answered those itself) it is
 * logged, counted and cleared once the queue is empty.
 * @fn may send responses (vtd_prq_respond()) while the drain runs.
 * Returns the number of page requests handed to @fn (>= 0); -ENODEV (not enabled);
 * -EIO when PQH or PQT read back outside the queue or not 32-byte aligned (logged, PQH
 * not written: nothing changed).
 */
int vtd_prq_drain(struct vtd_prq *q, vtd_prq_fn fn, void *ctx);

/*
 * vtd_prq_respond() - send one page group response descriptor (§6.5.2.9) to the device
 * @r->rid through @u's invalidation queue, and wait for it (one batch, one wait).
 * Returns 0; -EINVAL (response code not Success/Invalid/Failure, PRGI beyond 9 bits,
 * PASID beyond 20 bits); -ENODEV (no ECAP.PRS or no 256-bit queue); vtd_qi_submit()'s
 * errors (-EIO, -ETIMEDOUT).
 */
int vtd_prq_respond(struct vtd_unit *u, const struct vtd_page_resp *r);

/*
 * vtd_page_resp_for() - the response to request @req with response code @code: its
 * RID, PASID, PRGI and private data.
 */
struct vtd_page_resp vtd_page_resp_for(const struct vtd_page_req *req, uint8_t code);

#endif /* IOMMU_PRQ_H */
