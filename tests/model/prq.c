// SPDX-License-Identifier: MIT
/*
 * prq.c - page requests from devices, VT-d §7.5 (page request queue,
 * PQH/PQT/PQA/PRS registers §11.4.11) and the page group response
 * descriptor handled in qi.c (§6.5.2.9).
 */
#include <errno.h>

#include "model_internal.h"

/* VT-d §7.5.1: the 256-bit page request descriptor. */
static void prq_encode(const struct model_prq *r, uint64_t d[4])
{
	bool pp = r->pasid != MODEL_NO_PASID;

	d[0] = MODEL_PRQ_TYPE_PAGE_REQ | ((uint64_t)r->sid << MODEL_PRQ_RID_SHIFT);
	if (pp) {
		d[0] |= MODEL_PRQ_PP | ((uint64_t)(r->pasid & 0xFFFFF) << MODEL_PRQ_PASID_SHIFT);
		if (r->exec)
			d[0] |= MODEL_PRQ_EXE;
		if (r->priv)
			d[0] |= MODEL_PRQ_PM;
	}
	d[1] = (r->addr & MODEL_PAGE_MASK) | ((uint64_t)(r->prgi & 0x1FF) << MODEL_PRQ_PRGI_SHIFT);
	if (r->read)
		d[1] |= MODEL_PRQ_RD;
	if (r->write)
		d[1] |= MODEL_PRQ_WR;
	if (r->lpig)
		d[1] |= MODEL_PRQ_LPIG;
	d[2] = r->priv_data[0];
	d[3] = r->priv_data[1];
}

int model_page_request(struct model_unit *u, const struct model_prq *req)
{
	uint64_t base, qbytes, d[4];

	if (!u || !req)
		return -EINVAL;
	base = u->pqa & MODEL_PQA_PQA;
	if (!(u->ecap & MODEL_ECAP_PRS) || !base)
		return -ENODEV;
	qbytes = MODEL_PAGE_SIZE << MODEL_PQA_PQS(u->pqa);
	/* VT-d §7.5.1: full when advancing PQT would make it equal PQH. */
	if ((u->pqt + 32) % qbytes == u->pqh % qbytes) {
		u->prs |= MODEL_PRS_PRO;
		return -ENOSPC;
	}
	prq_encode(req, d);
	if (model_mem_write(u, base + u->pqt, d, sizeof(d)))
		return -EFAULT;
	u->pqt = (u->pqt + 32) % qbytes;
	if (!(u->prs & MODEL_PRS_PPR)) {
		u->prs |= MODEL_PRS_PPR;
		if (u->pectl & MODEL_PECTL_IM)
			u->pectl |= MODEL_PECTL_IP;
		else
			u->stats.prq_events++;
	}
	return 0;
}

void model_last_page_response(struct model_unit *u, struct model_pgrp_resp *out)
{
	if (u && out)
		*out = u->pgrp;
}
