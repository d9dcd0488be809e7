// SPDX-License-Identifier: MIT
/*
 * hv/vvtd_prq.c - the virtual unit's page requests (VT-d §7.5): the guest's page request
 * queue (PQH, PQT, PQA, PRS, §11.4.11), the page request event (PECTL, §7.3.3), and the
 * page group responses the guest writes into its invalidation queue (§6.5.2.9).
 *
 * The unit plays the hardware's part: it is the queue's producer. Every guest value it
 * uses is checked first: PQA must point at guest RAM (each 32-byte write goes through
 * vvtd_gwrite()), PQH and PQT must lie inside the queue PQS says, and a response the
 * guest writes reaches the physical unit only for a group the guest was shown
 * (hv/vsva_prq.c).
 */
#include <errno.h>
#include <string.h>

#define LOG_PREFIX "vvtd"
#include "hv/log.h"
#include "hv/vvtd_internal.h"

/* Page group response descriptor (§6.5.2.9): reserved bits, qword 0 and 1. Bit 2 of
 * qword 1 (LPIG in VT-d 3.0's drawing, written by Linux 5.x) is accepted and ignored. */
#define PGRP_RSVD0   (VTD_GENMASK(8, 6) | VTD_GENMASK(11, 9) | VTD_GENMASK(63, 52))
#define PGRP_RSVD1   (VTD_GENMASK(1, 0) | VTD_GENMASK(63, 12))
#define PGRP_CODE(q) ((uint8_t)VTD_FIELD(q, 15, 12))
#define PGRP_RID(q)  ((uint16_t)VTD_FIELD(q, 31, 16))

bool vvtd_has_prs(const struct vvtd *u)
{
	return u->ecap & VTD_ECAP_PRS;
}

void vvtd_prq_event(struct vvtd *u)
{
	if (u->pectl & VTD_PECTL_IM) {
		u->pectl |= VTD_PECTL_IP;
		return;
	}
	u->cnt.prq_events++;
	if (u->cfg.event)
		u->cfg.event(u->cfg.ctx, VVTD_EV_PRQ);
}

void vvtd_prs_clear(struct vvtd *u, uint32_t clr)
{
	u->prs &= ~(clr & (uint32_t)(VTD_PRS_PPR | VTD_PRS_PRO));
	/* §11.4.11.5 (PECTL.IP): cleared once software has serviced PPR. */
	if (!(u->prs & VTD_PRS_PPR))
		u->pectl &= ~(uint32_t)VTD_PECTL_IP;
}

static bool in_scope(const struct vvtd *u, uint16_t sid)
{
	for (unsigned int i = 0; i < u->cfg.nr_sids; i++)
		if (u->cfg.sid[i] == sid)
			return true;
	return false;
}

/* §7.5.1: the 256-bit page request descriptor as the guest reads it. */
static void encode(const struct vtd_page_req *r, uint64_t d[4])
{
	d[0] = VTD_PRQ_TYPE_PAGE_REQ | ((uint64_t)r->rid << 16);
	if (r->pasid_present) {
		d[0] |= VTD_PRQ_0_PP | ((uint64_t)(r->pasid & 0xfffff) << 32);
		d[0] |= (r->exec ? VTD_PRQ_0_ERE : 0) | (r->priv ? VTD_PRQ_0_PM : 0);
	}
	d[1] = (r->addr & VTD_PRQ_1_ADDR) | ((uint64_t)(r->prgi & VTD_PRGI_MAX) << 3);
	d[1] |= (r->read ? VTD_PRQ_1_RD : 0) | (r->write ? VTD_PRQ_1_WR : 0) |
		(r->lpig ? VTD_PRQ_1_LPIG : 0);
	d[2] = d[3] = 0;
	if (r->pdp) {
		d[0] |= VTD_PRQ_0_PDP;
		d[2] = r->priv_data[0];
		d[3] = r->priv_data[1];
	}
}

int vvtd_page_request(struct vvtd *u, const struct vtd_page_req *r)
{
	uint64_t qbytes = PAGE_SIZE << VTD_FIELD(u->pqa, 2, 0);
	gpa_t base = u->pqa & VTD_PQA_PQA;
	uint64_t d[4];

	if (!vvtd_has_prs(u) || !in_scope(u, r->rid))
		return -ENODEV;
	if (!base) {
		u->cnt.prq_refused++;
		return -ENXIO;
	}
	/* A guest that shrank the queue under its PQH / PQT: nothing valid to write. */
	if (u->pqh >= qbytes || u->pqt >= qbytes) {
		u->cnt.prq_refused++;
		return -EINVAL;
	}
	/* §7.5.1: full when the next PQT would equal PQH; the request is dropped. */
	if ((u->pqt + VTD_PRQ_DESC_LEN) % qbytes == u->pqh) {
		u->prs |= VTD_PRS_PRO;
		u->cnt.prq_overflows++;
		return -ENOSPC;
	}
	encode(r, d);
	if (vvtd_gwrite(u, base + u->pqt, d, sizeof(d))) {
		u->cnt.prq_refused++;
		return -EFAULT;
	}
	u->pqt = (u->pqt + VTD_PRQ_DESC_LEN) % qbytes;
	u->cnt.prq_requests++;
	/* §7.3.3: one event until the guest clears PPR. */
	if (!(u->prs & VTD_PRS_PPR)) {
		u->prs |= VTD_PRS_PPR;
		vvtd_prq_event(u);
	}
	return 0;
}

int vvtd_prq_deliver(void *ctx, const struct vtd_page_req *r)
{
	return vvtd_page_request(ctx, r);
}

static bool code_ok(uint8_t code)
{
	return code == VTD_PGRP_RESP_SUCCESS || code == VTD_PGRP_RESP_INVALID ||
	       code == VTD_PGRP_RESP_FAILURE;
}

int vvtd_prq_response(struct vvtd *u, const uint64_t *d)
{
	struct vtd_page_resp gr;
	bool pp = d[0] & VTD_QI_PGRP_PP, pdp = d[0] & VTD_QI_PGRP_PDP;

	/* Valid only where page requests are reported; reserved bits and response codes
	 * (PCIe: 0 Success, 1 Invalid Request, 0xf Response Failure), a PASID without PP
	 * and private data without PDP are invalid descriptors (IQE, §6.5.2.10). */
	if (!vvtd_has_prs(u) || (d[0] & PGRP_RSVD0) || (d[1] & PGRP_RSVD1) ||
	    !code_ok(PGRP_CODE(d[0])) || (!pp && VTD_PRQ_0_PASID(d[0])) || (!pdp && (d[2] || d[3])))
		return -EINVAL;
	memset(&gr, 0, sizeof(gr));
	gr.rid = PGRP_RID(d[0]);
	gr.pasid_present = pp;
	gr.pasid = (uint32_t)VTD_PRQ_0_PASID(d[0]);
	gr.prgi = (uint16_t)VTD_PRQ_1_PRGI(d[1]);
	gr.code = PGRP_CODE(d[0]);
	/* Invalidations the guest queued before the response reach the device first. */
	vvtd_inv_flush(u);
	if (vsva_prq_respond(u->cfg.prq, u->cfg.vsva, &gr))
		u->cnt.prq_responses_refused++;
	else
		u->cnt.prq_responses++;
	return 0;
}
