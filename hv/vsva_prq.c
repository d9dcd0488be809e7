// SPDX-License-Identifier: MIT
/*
 * hv/vsva_prq.c - routing page requests to the guests that own the devices, and their
 * page group responses back (hv/vsva_prq.h; VT-d §7.5, §6.5.2.9).
 */
#include <errno.h>
#include <string.h>

#define LOG_PREFIX "vsva"
#include "hv/log.h"
#include "hv/vsva_prq.h"

void vsva_prq_init(struct vsva_prq *r)
{
	memset(r, 0, sizeof(*r));
}

bool vsva_prq_supported(const struct vsva_guest *g)
{
	const struct vtd_unit *u = g->cfg.unit;

	return u && u->scalable && vtd_has_ecap(u, VTD_ECAP_PRS);
}

int vsva_prq_add_sink(struct vsva_prq *r, struct vsva_guest *g, vsva_prq_deliver_fn deliver,
		      void *ctx)
{
	struct vsva_prq_sink *free = NULL;

	if (!r || !g || !deliver)
		return -EINVAL;
	for (unsigned int i = 0; i < VSVA_PRQ_MAX_SINKS; i++) {
		struct vsva_prq_sink *s = &r->sink[i];

		if (s->g == g && s->ctx == ctx)
			return -EBUSY;
		if (!s->g && !free)
			free = s;
	}
	if (!free)
		return -ENOSPC;
	*free = (struct vsva_prq_sink){ .g = g, .deliver = deliver, .ctx = ctx };
	return 0;
}

static bool has_sink(const struct vsva_prq *r, const struct vsva_guest *g)
{
	for (unsigned int i = 0; i < VSVA_PRQ_MAX_SINKS; i++)
		if (r->sink[i].g == g)
			return true;
	return false;
}

void vsva_prq_remove_sink(struct vsva_prq *r, struct vsva_guest *g, void *ctx)
{
	for (unsigned int i = 0; i < VSVA_PRQ_MAX_SINKS; i++) {
		struct vsva_prq_sink *s = &r->sink[i];

		if (s->g == g && s->ctx == ctx) {
			memset(s, 0, sizeof(*s));
			if (!has_sink(r, g))
				vsva_prq_cancel(r, g);
			return;
		}
	}
}

/* Answer @req on @u ourselves (§6.5.2.9) when the device waits for a response. */
static void answer(struct vsva_prq *r, struct vtd_unit *u, const struct vtd_page_req *req,
		   uint8_t code)
{
	struct vtd_page_resp resp;
	int ret;

	if (!vtd_page_req_needs_response(req))
		return; /* not the last of its group: the group's response covers it */
	resp = vtd_page_resp_for(req, code);
	ret = vtd_prq_respond(u, &resp);
	if (ret) {
		r->cnt.errors++;
		log_warn("page request of %02x:%02x.%u group %u: response %u not sent (%d)",
			 req->rid >> 8, (req->rid >> 3) & 0x1f, req->rid & 7, req->prgi, code, ret);
		return;
	}
	r->cnt.own_responses++;
}

unsigned int vsva_prq_cancel(struct vsva_prq *r, struct vsva_guest *g)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < VSVA_PRQ_MAX_GROUPS; i++) {
		struct vsva_prq_group *p = &r->grp[i];

		if (!p->used || p->g != g)
			continue;
		answer(r, p->unit, &p->req, VTD_PGRP_RESP_INVALID);
		memset(p, 0, sizeof(*p));
		n++;
	}
	return n;
}

/* @g has the device @rid behind unit @u attached for PASID use. */
static bool owns_device(const struct vsva_guest *g, const struct vtd_unit *u, uint16_t rid)
{
	for (unsigned int s = 0; s < VSVA_MAX_DEVICES; s++) {
		const struct vsva_device *d = &g->dev[s];

		if (d->attached && d->info.sid == rid && d->info.unit == u)
			return true;
	}
	return false;
}

/* The first sink whose guest owns the device; NULL when none. */
static struct vsva_prq_sink *owner_sink(struct vsva_prq *r, const struct vtd_unit *u, uint16_t rid)
{
	for (unsigned int i = 0; i < VSVA_PRQ_MAX_SINKS; i++)
		if (r->sink[i].g && owns_device(r->sink[i].g, u, rid))
			return &r->sink[i];
	return NULL;
}

static bool same_group(const struct vsva_prq_group *p, const struct vtd_unit *u,
		       const struct vtd_page_req *req)
{
	return p->used && p->unit == u && p->req.rid == req->rid &&
	       p->req.pasid_present == req->pasid_present && p->req.pasid == req->pasid &&
	       p->req.prgi == req->prgi;
}

/*
 * The group record for @req: the one already held (a device repeating a group's last
 * request) or a new one. NULL when the table is full.
 */
static struct vsva_prq_group *group_for(struct vsva_prq *r, struct vtd_unit *u,
					const struct vtd_page_req *req, bool *fresh)
{
	struct vsva_prq_group *free = NULL;

	*fresh = false;
	for (unsigned int i = 0; i < VSVA_PRQ_MAX_GROUPS; i++) {
		if (same_group(&r->grp[i], u, req))
			return &r->grp[i];
		if (!r->grp[i].used && !free)
			free = &r->grp[i];
	}
	*fresh = free != NULL;
	return free;
}

/* Offer @gr to @g's sinks in turn until one has the device in its scope. */
static int deliver(struct vsva_prq *r, struct vsva_prq_sink *first, const struct vtd_page_req *gr)
{
	int ret = -ENODEV;

	for (struct vsva_prq_sink *s = first; s < r->sink + VSVA_PRQ_MAX_SINKS; s++) {
		if (s->g != first->g)
			continue;
		ret = s->deliver(s->ctx, gr);
		if (ret != -ENODEV)
			break;
	}
	return ret;
}

void vsva_prq_route(void *router, struct vtd_unit *u, const struct vtd_page_req *req)
{
	struct vsva_prq *r = router;
	struct vsva_prq_group *p = NULL;
	struct vsva_prq_sink *s;
	struct vtd_page_req gr;
	bool fresh = false;
	int gpasid, ret;

	r->cnt.requests++;
	/*
	 * Requests without PASID are translated by the hypervisor's own second level
	 * (GPA -> HPA, all guest RAM present): nothing a guest could fault in.
	 */
	s = req->pasid_present ? owner_sink(r, u, req->rid) : NULL;
	gpasid = s ? vsva_fault_owner(s->g, req->rid, req->pasid) : -1;
	if (gpasid < 0) {
		r->cnt.unowned++;
		answer(r, u, req, VTD_PGRP_RESP_INVALID);
		return;
	}
	if (vtd_page_req_needs_response(req)) {
		p = group_for(r, u, req, &fresh);
		if (!p) {
			r->cnt.groups_full++;
			answer(r, u, req, VTD_PGRP_RESP_SUCCESS);
			return;
		}
	}
	gr = *req;
	gr.pasid = (uint32_t)gpasid;
	ret = deliver(r, s, &gr);
	if (!ret) {
		r->cnt.delivered++;
		if (fresh)
			*p = (struct vsva_prq_group){ .used = true,
						      .unit = u,
						      .g = s->g,
						      .req = *req,
						      .gpasid = (uint32_t)gpasid };
		return;
	}
	if (ret == -ENOSPC) {
		/* §7.5.1: a request the queue cannot take is answered Success: retry. */
		r->cnt.guest_full++;
		answer(r, u, req, VTD_PGRP_RESP_SUCCESS);
	} else {
		r->cnt.undeliverable++;
		answer(r, u, req, VTD_PGRP_RESP_INVALID);
	}
	if (p && !fresh)
		memset(p, 0, sizeof(*p)); /* the group is answered: the old record too */
}

static bool code_ok(uint8_t code)
{
	return code == VTD_PGRP_RESP_SUCCESS || code == VTD_PGRP_RESP_INVALID ||
	       code == VTD_PGRP_RESP_FAILURE;
}

int vsva_prq_respond(struct vsva_prq *r, struct vsva_guest *g, const struct vtd_page_resp *gr)
{
	if (!code_ok(gr->code))
		return -EINVAL;
	for (unsigned int i = 0; i < VSVA_PRQ_MAX_GROUPS; i++) {
		struct vsva_prq_group *p = &r->grp[i];
		struct vtd_page_resp resp;
		int ret;

		if (!p->used || p->g != g || p->req.rid != gr->rid ||
		    p->req.pasid_present != gr->pasid_present || p->req.prgi != gr->prgi ||
		    (gr->pasid_present && p->gpasid != gr->pasid))
			continue;
		/* The device's own PASID and private data, not what the guest wrote. */
		resp = vtd_page_resp_for(&p->req, gr->code);
		ret = vtd_prq_respond(p->unit, &resp);
		if (ret) {
			r->cnt.errors++;
			return ret;
		}
		memset(p, 0, sizeof(*p));
		r->cnt.responses++;
		return 0;
	}
	r->cnt.refused++;
	return -ENOENT;
}

unsigned int vsva_prq_outstanding(const struct vsva_prq *r, const struct vsva_guest *g)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < VSVA_PRQ_MAX_GROUPS; i++)
		n += r->grp[i].used && (!g || r->grp[i].g == g);
	return n;
}
