// SPDX-License-Identifier: MIT
/*
 * hv/vvtd_poll.c - physical fault records routed to the guest's virtual unit
 * (hv/vvtd_poll.h; VT-d §7.1.3, §7.2.1).
 */
#include <string.h>

#define LOG_PREFIX "vvtd"
#include "hv/log.h"
#include "hv/vvtd_poll.h"

#define SID_FMT	    "%02x:%02x.%u"
#define SID_ARGS(s) (s) >> 8, ((s) >> 3) & 0x1f, (s)&7

void vvtd_poll_init(struct vvtd_poll *p, struct vvtd *u)
{
	memset(p, 0, sizeof(*p));
	p->unit = u;
}

static bool in_scope(const struct vvtd *u, uint16_t sid)
{
	for (unsigned int i = 0; i < u->cfg.nr_sids; i++)
		if (u->cfg.sid[i] == sid)
			return true;
	return false;
}

/* A fault the guest does not get: one line for each of the first VVTD_POLL_LOG_MAX
 * (devices can fault in storms; the guest can make them fault). */
static void not_delivered(struct vvtd_poll *p, uint64_t *counter, const struct vtd_fault *f,
			  const char *why)
{
	(*counter)++;
	if (p->cnt.foreign + p->cnt.unowned + p->cnt.untranslated > VVTD_POLL_LOG_MAX)
		return;
	log_info("physical fault of " SID_FMT " %s%#x at %#llx (reason %#x) not delivered: %s",
		 SID_ARGS(f->sid), f->has_pasid ? "host PASID " : "no PASID ",
		 f->has_pasid ? f->pasid : 0, (unsigned long long)f->addr, f->reason, why);
}

void vvtd_poll_fault(void *ctx, const struct vtd_unit *pu, const struct vtd_fault *f)
{
	struct vvtd_poll *p = ctx;
	struct vvtd *u = p->unit;
	uint32_t gpasid = VVTD_NO_PASID;
	int ret;

	(void)pu; /* one virtual unit: every physical unit's faults come to it */
	p->cnt.faults++;
	if (!u || !u->cfg.vsva || !in_scope(u, f->sid)) {
		not_delivered(p, &p->cnt.unowned, f, "device not in the guest's unit's scope");
		return;
	}
	if (f->has_pasid) {
		ret = vsva_fault_owner(u->cfg.vsva, f->sid, f->pasid);
		if (ret < 0) {
			not_delivered(p, &p->cnt.foreign, f, "not a live PASID of the guest");
			return;
		}
		gpasid = (uint32_t)ret;
	} else if (!(u->gsts & VTD_GSTS_TES)) {
		/* VT-d §10.4.4: with TE clear the guest's unit does not remap, so it records
		 * no fault; only the hypervisor's second level refused the request. */
		not_delivered(p, &p->cnt.untranslated, f, "the guest's translation is off");
		return;
	}
	ret = vvtd_report_fault(u, f->sid, gpasid, f->addr, f->reason, f->write);
	if (ret)
		p->cnt.overflow++; /* FSTS.PFO: as a full hardware log drops it (§7.2.1) */
	else
		p->cnt.delivered++;
}
