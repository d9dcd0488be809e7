// SPDX-License-Identifier: MIT
/*
 * iommu/prq.c - the page request queue, VT-d §7.5 and §11.4.11, and page group
 * responses, §6.5.2.9.
 *
 * The unit is the producer (it writes descriptors at PQT and moves PQT), the driver the
 * consumer (it reads from PQH and moves PQH). Both are byte offsets of 32-byte
 * descriptors into a queue of 2^PQS 4-KiB frames; the queue is empty when PQH = PQT and
 * full when the unit's next PQT would equal PQH.
 */
#include <errno.h>
#include <string.h>

#include "iommu/prq.h"

int vtd_prq_enable(struct vtd_prq *q, struct vtd_unit *u, unsigned int order)
{
	hpa_t base;

	if (q->u)
		return -EBUSY;
	if (order > VTD_PQA_PQS_MAX)
		return -EINVAL;
	/* Page group responses are 256-bit descriptors: scalable mode, QI running. */
	if (!vtd_has_ecap(u, VTD_ECAP_PRS) || !u->scalable || !u->qi.desc || u->qi.dsize != 32)
		return -ENODEV;
	if (iommu_env_alloc_frames(1ull << order, &base))
		return -ENOMEM;
	memset(q, 0, sizeof(*q));
	q->u = u;
	q->base = base;
	q->desc = iommu_env_hpa_to_va(base);
	q->order = order;
	q->qbytes = VTD_PAGE_SIZE << order;
	/* §11.4.11: an empty queue (PQH = PQT) before the unit may write into it. */
	vtd_write64(u, VTD_REG_PQH, 0);
	vtd_write64(u, VTD_REG_PQT, 0);
	vtd_write64(u, VTD_REG_PQA, base | VTD_PQA_PQS(order));
	vtd_write32(u, VTD_REG_PRS, (uint32_t)(VTD_PRS_PPR | VTD_PRS_PRO));
	vtd_info("unit %u: page request queue at %#llx, %llu descriptors", u->id,
		 (unsigned long long)base, (unsigned long long)(q->qbytes / VTD_PRQ_DESC_LEN));
	return 0;
}

void vtd_prq_disable(struct vtd_prq *q)
{
	struct vtd_unit *u = q->u;

	if (!u)
		return;
	vtd_write32(u, VTD_REG_PECTL, (uint32_t)VTD_PECTL_IM);
	vtd_write64(u, VTD_REG_PQA, 0);
	vtd_write64(u, VTD_REG_PQH, 0);
	vtd_write64(u, VTD_REG_PQT, 0);
	iommu_env_free_frames(q->base, 1ull << q->order);
	memset(q, 0, sizeof(*q));
}

int vtd_prq_set_event(struct vtd_prq *q, uint32_t data, uint64_t addr)
{
	struct vtd_unit *u = q->u;

	if (!u)
		return -ENODEV;
	if (addr & 3)
		return -EINVAL;
	vtd_write32(u, VTD_REG_PEDATA, data);
	vtd_write32(u, VTD_REG_PEADDR, (uint32_t)addr);
	vtd_write32(u, VTD_REG_PEUADDR, (uint32_t)(addr >> 32));
	/* §11.4.11.5: IM = 0; an event held while masked (IP) is delivered now. */
	vtd_write32(u, VTD_REG_PECTL, 0);
	return 0;
}

int vtd_prq_decode(const uint64_t d[4], struct vtd_page_req *r)
{
	uint64_t q0 = d[0], q1 = d[1];

	if (VTD_PRQ_TYPE(q0) != VTD_PRQ_TYPE_PAGE_REQ)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->rid = (uint16_t)VTD_PRQ_0_RID(q0);
	r->pasid_present = q0 & VTD_PRQ_0_PP;
	if (r->pasid_present) {
		r->pasid = (uint32_t)VTD_PRQ_0_PASID(q0);
		r->exec = q0 & VTD_PRQ_0_ERE;
		r->priv = q0 & VTD_PRQ_0_PM;
	}
	r->read = q1 & VTD_PRQ_1_RD;
	r->write = q1 & VTD_PRQ_1_WR;
	r->lpig = q1 & VTD_PRQ_1_LPIG;
	r->prgi = (uint16_t)VTD_PRQ_1_PRGI(q1);
	r->addr = q1 & VTD_PRQ_1_ADDR;
	r->pdp = q0 & VTD_PRQ_0_PDP;
	if (r->pdp) {
		r->priv_data[0] = d[2];
		r->priv_data[1] = d[3];
	}
	return 0;
}

/* A PQH / PQT value the queue can hold: a descriptor boundary inside it. */
static bool offset_ok(const struct vtd_prq *q, uint64_t off)
{
	return off < q->qbytes && !(off % VTD_PRQ_DESC_LEN);
}

static int bad_offsets(struct vtd_prq *q, uint64_t head, uint64_t tail)
{
	q->errors++;
	vtd_err("unit %u: page request queue: PQH %#llx / PQT %#llx outside the %llu-byte "
		"queue or misaligned; not drained",
		q->u->id, (unsigned long long)head, (unsigned long long)tail,
		(unsigned long long)q->qbytes);
	return -EIO;
}

static void one_desc(struct vtd_prq *q, uint64_t head, vtd_prq_fn fn, void *ctx)
{
	const uint64_t *p = q->desc + head / 8;
	uint64_t d[4];
	struct vtd_page_req r;

	for (unsigned int i = 0; i < 4; i++)
		d[i] = vtd_get64(&p[i]);
	if (vtd_prq_decode(d, &r)) {
		q->malformed++;
		vtd_err("unit %u: page request queue: descriptor at %#llx has type %#llx, not a "
			"page request (%016llx %016llx); skipped",
			q->u->id, (unsigned long long)head, (unsigned long long)VTD_PRQ_TYPE(d[0]),
			(unsigned long long)d[0], (unsigned long long)d[1]);
		return;
	}
	q->requests++;
	if (fn)
		fn(ctx, q->u, &r);
}

int vtd_prq_drain(struct vtd_prq *q, vtd_prq_fn fn, void *ctx)
{
	struct vtd_unit *u = q->u;
	uint64_t head, tail, n0;

	if (!u)
		return -ENODEV;
	head = vtd_read64(u, VTD_REG_PQH);
	tail = vtd_read64(u, VTD_REG_PQT);
	if (!offset_ok(q, head) || !offset_ok(q, tail))
		return bad_offsets(q, head, tail);
	/* §7.5.1: clear PPR before reading PQT, so a request written later raises an event. */
	vtd_write32(u, VTD_REG_PRS, (uint32_t)VTD_PRS_PPR);
	tail = vtd_read64(u, VTD_REG_PQT);
	if (!offset_ok(q, tail))
		return bad_offsets(q, head, tail);
	n0 = q->requests;
	while (head != tail) {
		one_desc(q, head, fn, ctx);
		head = (head + VTD_PRQ_DESC_LEN) % q->qbytes;
	}
	vtd_write64(u, VTD_REG_PQH, tail);
	/*
	 * §7.5.1: PRO says the queue was full and requests were dropped (the unit answered
	 * those that needed a response). Clear it once the queue is empty, so the unit
	 * reports the next overflow.
	 */
	if (vtd_read32(u, VTD_REG_PRS) & VTD_PRS_PRO) {
		q->overflows++;
		vtd_warn("unit %u: page request queue overflowed (PRS.PRO): requests dropped",
			 u->id);
		if (vtd_read64(u, VTD_REG_PQH) == vtd_read64(u, VTD_REG_PQT))
			vtd_write32(u, VTD_REG_PRS, (uint32_t)VTD_PRS_PRO);
	}
	return (int)(q->requests - n0);
}

int vtd_prq_respond(struct vtd_unit *u, const struct vtd_page_resp *r)
{
	struct vtd_qi_desc d;

	if (r->code != VTD_PGRP_RESP_SUCCESS && r->code != VTD_PGRP_RESP_INVALID &&
	    r->code != VTD_PGRP_RESP_FAILURE)
		return -EINVAL;
	if (r->prgi > VTD_PRGI_MAX || (r->pasid_present && r->pasid > 0xfffff))
		return -EINVAL;
	if (!vtd_has_ecap(u, VTD_ECAP_PRS) || u->qi.dsize != 32)
		return -ENODEV;
	d = vtd_desc_pgrp_resp(r->rid, r->pasid_present ? r->pasid : VTD_NO_PASID, r->prgi, r->code,
			       r->pdp ? r->priv_data : NULL);
	return vtd_qi_submit(u, &d, 1);
}

struct vtd_page_resp vtd_page_resp_for(const struct vtd_page_req *req, uint8_t code)
{
	struct vtd_page_resp r = { .rid = req->rid,
				   .pasid_present = req->pasid_present,
				   .pasid = req->pasid,
				   .prgi = req->prgi,
				   .code = code,
				   .pdp = req->pdp };

	if (req->pdp) {
		r.priv_data[0] = req->priv_data[0];
		r.priv_data[1] = req->priv_data[1];
	}
	return r;
}
