/* SPDX-License-Identifier: MIT */
/*
 * hv/vsva_prq.h - page requests of guests' devices (design.md "Faults and page
 * requests"): the physical units' page requests (iommu/prq.h, VT-d §7.5), carrying host
 * PASIDs, are routed to the guest that owns the device, under the guest's PASID; the
 * guest's page group responses (§6.5.2.9) come back, are checked against the groups it
 * was sent, and go to the physical unit under the host PASID.
 *
 * A guest receives page requests through a sink: its virtual VT-d unit (hv/vvtd.h,
 * vvtd_page_request()), registered with vsva_prq_add_sink(). The router answers itself,
 * on the physical unit, every group that no guest can answer:
 *   - no PASID, or a device or host PASID no registered guest owns: Invalid Request;
 *   - the guest's page request queue is full (its PRS.PRO is set): Success, as VT-d
 *     hardware answers a request it had to drop (§7.5.1), so the device retries;
 *   - the guest's queue cannot take it (no queue, a PQA outside guest RAM): Invalid;
 *   - too many groups outstanding (VSVA_PRQ_MAX_GROUPS): Success, the device retries.
 * A group (a request with LPIG, or with private data on VT-d 3.x) is remembered as
 * (unit, device, host PASID, PRGI) and the guest PASID it was shown under; a guest's
 * response is forwarded only for a group it holds, once.
 *
 * Portable (hosted tests). Not thread-safe: the caller serializes calls per router.
 * Errors are negative errno values: the router is not guest ABI.
 */
#ifndef HV_VSVA_PRQ_H
#define HV_VSVA_PRQ_H

#include "hv/vsva.h"
#include "iommu/prq.h"

#define VSVA_PRQ_MAX_SINKS  8u	/* virtual units (or other sinks) of all guests */
#define VSVA_PRQ_MAX_GROUPS 64u /* page request groups waiting for a guest's response */

/*
 * deliver() - show page request @r to the guest: @r->pasid is the GUEST PASID, the
 * other fields are the device's. Returns 0 (queued: the guest will answer a group);
 * -ENOSPC (the guest's queue is full: the router answers Success); -ENODEV (the device
 * is not in this sink's scope: the router tries the guest's next sink); another
 * negative errno (the guest cannot take it: the router answers Invalid Request).
 */
typedef int (*vsva_prq_deliver_fn)(void *ctx, const struct vtd_page_req *r);

struct vsva_prq_sink {
	struct vsva_guest *g; /* NULL: free slot */
	vsva_prq_deliver_fn deliver;
	void *ctx;
};

/* One group the guest was shown and has not answered yet. */
struct vsva_prq_group {
	bool used;
	struct vtd_unit *unit; /* where the request came from: the response goes there */
	struct vsva_guest *g;
	struct vtd_page_req req; /* as the unit reported it: host PASID */
	uint32_t gpasid;	 /* the PASID the guest saw */
};

struct vsva_prq_counters {
	uint64_t requests;	/* page requests routed */
	uint64_t delivered;	/* shown to a guest */
	uint64_t unowned;	/* no PASID / no guest owns the device or PASID: Invalid */
	uint64_t guest_full;	/* the guest's queue was full: Success (retry) */
	uint64_t undeliverable; /* the guest's queue refused it: Invalid */
	uint64_t groups_full;	/* no group slot left: Success (retry) */
	uint64_t responses;	/* guests' responses forwarded */
	uint64_t refused;	/* guests' responses for groups they do not hold */
	uint64_t own_responses; /* responses the router sent itself */
	uint64_t errors;	/* responses the physical unit's queue refused */
};

struct vsva_prq {
	struct vsva_prq_sink sink[VSVA_PRQ_MAX_SINKS];
	struct vsva_prq_group grp[VSVA_PRQ_MAX_GROUPS];
	struct vsva_prq_counters cnt;
};

/* vsva_prq_init() - an empty router: no sink, no group. */
void vsva_prq_init(struct vsva_prq *r);

/*
 * vsva_prq_supported() - the physical unit that @g's capabilities describe
 * (vsva_guest_config.unit) reports page requests (ECAP.PRS) in scalable mode: a
 * virtual unit may then offer them to the guest.
 */
bool vsva_prq_supported(const struct vsva_guest *g);

/*
 * vsva_prq_add_sink() - page requests of @g's devices go to @deliver(@ctx, ...).
 * Returns 0; -EINVAL (a NULL argument); -EBUSY (@g, @ctx registered already); -ENOSPC
 * (VSVA_PRQ_MAX_SINKS in use).
 */
int vsva_prq_add_sink(struct vsva_prq *r, struct vsva_guest *g, vsva_prq_deliver_fn deliver,
		      void *ctx);

/*
 * vsva_prq_remove_sink() - stop delivering to (@g, @ctx); when it was @g's last sink,
 * @g's outstanding groups are answered as vsva_prq_cancel() does. Unknown: nothing.
 */
void vsva_prq_remove_sink(struct vsva_prq *r, struct vsva_guest *g, void *ctx);

/*
 * vsva_prq_cancel() - guest reset: every group @g holds is answered Invalid Request on
 * its physical unit and forgotten (the device must not wait for a guest that forgot
 * it). Returns the number of groups answered.
 */
unsigned int vsva_prq_cancel(struct vsva_prq *r, struct vsva_guest *g);

/*
 * vsva_prq_route() - one page request @req from physical unit @u (a vtd_prq_fn: pass it
 * with the router as ctx to vtd_prq_drain()). Finds the registered guest that has the
 * device (@req->rid on @u) attached and the guest PASID of @req->pasid
 * (vsva_fault_owner()), remembers a group, and delivers; every case the guest cannot
 * answer is answered here (see the top of this file). Never fails: outcomes are counted.
 */
void vsva_prq_route(void *router, struct vtd_unit *u, const struct vtd_page_req *req);

/*
 * vsva_prq_respond() - guest @g's page group response @gr (@gr->pasid: the GUEST PASID;
 * rid, pasid_present, prgi, code as in its descriptor). Forwarded to the physical unit
 * the group came from, with the host PASID and the request's own private data, when @g
 * holds that group; the group is then forgotten.
 * Returns 0; -EINVAL (response code not Success/Invalid/Failure); -ENOENT (no such group
 * of @g: refused, nothing sent); vtd_prq_respond()'s errors (the group is kept).
 */
int vsva_prq_respond(struct vsva_prq *r, struct vsva_guest *g, const struct vtd_page_resp *gr);

/* vsva_prq_outstanding() - the groups @g holds (NULL: all guests). */
unsigned int vsva_prq_outstanding(const struct vsva_prq *r, const struct vsva_guest *g);

#endif /* HV_VSVA_PRQ_H */
