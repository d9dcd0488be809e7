// SPDX-License-Identifier: MIT
/*
 * hv/vsva.c - vSVA core (hv/vsva.h). Each call first validates, then changes state;
 * the only steps that can fail after a change are hardware ones, and those are undone
 * (bind) or cannot leave state behind (teardown clears the entry either way).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_PREFIX "vsva"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/pasid_space.h"
#include "hv/vsva.h"
#include "iommu/qi.h"
#include "iommu/rid_pasid.h"

#define FL_P	 BIT(0)
#define FL_RW	 BIT(1)
#define FL_US	 BIT(2)
#define FL_PS	 BIT(7)
#define FL_XD	 BIT(63)
#define FL_ADDR	 0x000ffffffffff000ull /* bits 51:12 */
#define FLPTR_OK 0x000ffffffffff000ull /* what FLPTR may hold (VT-d §9.6, HAW <= 52) */

/* The driver's errno (Linux or newlib numbers) as the ABI's. */
static int abi_err(int e)
{
	switch (e) {
	case 0:
		return 0;
	case -ENOMEM:
		return -VSVA_ENOMEM;
	case -EBUSY:
		return -VSVA_EBUSY;
	case -EOPNOTSUPP:
		return -VSVA_EOPNOTSUPP;
	case -EINVAL:
		return -VSVA_EINVAL;
	default:
		return -VSVA_EIO;
	}
}

static uint16_t dev_seg(uint32_t dev)
{
	return (uint16_t)(dev >> 16);
}

static uint16_t dev_sid(uint32_t dev)
{
	return (uint16_t)dev;
}

static struct vsva_device *find_dev(struct vsva_guest *g, uint32_t id)
{
	for (unsigned int i = 0; i < VSVA_MAX_DEVICES; i++)
		if (g->dev[i].attached && g->dev[i].id == id)
			return &g->dev[i];
	return NULL;
}

static struct vsva_pasid *find_pasid(struct vsva_guest *g, uint32_t gpasid)
{
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (g->pasid[i].live && g->pasid[i].gpasid == gpasid)
			return &g->pasid[i];
	return NULL;
}

static unsigned int slot_of(const struct vsva_guest *g, const struct vsva_device *d)
{
	return (unsigned int)(d - g->dev);
}

int vsva_guest_init(struct vsva_guest *g, const struct vsva_guest_config *cfg)
{
	memset(g, 0, sizeof(*g));
	if (!cfg || !cfg->map || !cfg->device || !cfg->unit)
		return -VSVA_EINVAL;
	g->cfg = *cfg;
	return pasid_xlate_init(&g->xlate);
}

/*
 * Take (@d, @hpasid)'s entry down: P first, then PASID cache -> IOTLB / P_IOTLB ->
 * device-TLB (vtd_pasid_clear()). Host PASID 0 is RID_PASID, reached by requests
 * without PASID, whose device-TLB entries carry no PASID: they take the device-TLB
 * descriptor without PASID (VT-d §6.5.2.5), after the IOTLB, as Linux's
 * devtlb_invalidation_with_pasid() does. Returns 0, -ENOENT (not present: nothing
 * flushed) or the first flush error (the entry is down either way).
 */
static int entry_clear(struct vsva_device *d, uint32_t hpasid)
{
	const struct vtd_ats *ats = d->info.ats ? &d->info.ats_info : NULL;
	struct vtd_qi_desc q;
	int err;

	if (hpasid != 0)
		return vtd_pasid_clear(d->info.unit, d->info.dir, hpasid, d->info.sid, ats);
	err = vtd_pasid_clear(d->info.unit, d->info.dir, 0, d->info.sid, NULL);
	if (err || !ats)
		return err;
	q = vtd_desc_devtlb(d->info.sid, ats->pfsid, ats->qdep, 0, 52);
	return vtd_qi_submit(d->info.unit, &q, 1);
}

/* An entry written by a failed install (a flush failed after P was set): down again. */
static void undo_entry(struct vsva_device *d, uint32_t hpasid)
{
	struct vtd_pasid_entry pe;

	if (!vtd_pasid_entry_get(d->info.dir, hpasid, &pe) && vtd_pe_present(&pe))
		entry_clear(d, hpasid);
}

static void rid_restore(struct vsva_guest *g, struct vsva_device *d);

/* Tear one binding down: entry not present first, then the ordered flushes. */
static void teardown(struct vsva_guest *g, struct vsva_pasid *p, unsigned int slot)
{
	struct vsva_device *d = &g->dev[slot];
	int err;

	if (!p->bind[slot].bound)
		return;
	err = entry_clear(d, p->hpasid);
	if (err)
		log_warn("teardown of PASID %#x on %04x: flush error %d (entry cleared)", p->hpasid,
			 d->info.sid, err);
	/* The entry is down and flushed: the unit no longer walks the shadow. */
	vsva_shadow_destroy(&p->bind[slot].shadow);
	memset(&p->bind[slot], 0, sizeof(p->bind[slot]));
	g->cnt.unbinds++;
}

static void release_pasid(struct vsva_guest *g, struct vsva_pasid *p)
{
	for (unsigned int s = 0; s < VSVA_MAX_DEVICES; s++)
		teardown(g, p, s);
	if (p->kind == VSVA_PASID_SHARED) {
		pasid_xlate_clear(&g->xlate, p->gpasid);
		pasid_space_free(p->hpasid); /* defunct: its late faults are dropped */
	}
	memset(p, 0, sizeof(*p));
}

void vsva_guest_reset(struct vsva_guest *g)
{
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (g->pasid[i].live)
			release_pasid(g, &g->pasid[i]);
	for (unsigned int s = 0; s < VSVA_MAX_DEVICES; s++)
		if (g->dev[s].attached)
			rid_restore(g, &g->dev[s]);
	memset(g->dev, 0, sizeof(g->dev));
}

void vsva_guest_destroy(struct vsva_guest *g)
{
	vsva_guest_reset(g);
	pasid_xlate_destroy(&g->xlate);
}

static bool nest_hw(const struct vtd_unit *u)
{
	return u->scalable && vtd_has_ecap(u, VTD_ECAP_NEST) && vtd_has_ecap(u, VTD_ECAP_FLTS) &&
	       vtd_has_ecap(u, VTD_ECAP_SLTS);
}

/*
 * Software nesting (seeds/001 §5.3): first-level translation without nesting; the
 * hypervisor composes the two levels into a shadow FL table (hv/vsva_shadow.h).
 */
static bool nest_sw(const struct vtd_unit *u)
{
	return u->scalable && !nest_hw(u) && vtd_has_ecap(u, VTD_ECAP_FLTS);
}

void vsva_caps(const struct vsva_guest *g, struct vsva_capabilities_v2 *c)
{
	const struct vtd_unit *u = g->cfg.unit;
	bool hw = nest_hw(u);

	if ((!hw && !nest_sw(u)) || u->pasid_bits < 16)
		return; /* no vSVA here: VSVA_CAP_VSVA stays clear, the fields 0 */
	if (hw)
		c->v1.flags |= VSVA_CAP_VSVA | VSVA_CAP_NEST_HW |
			       (vtd_has_ecap(u, VTD_ECAP_SRS) ? VSVA_CAP_SRE : 0) |
			       (vtd_has_ecap(u, VTD_ECAP_EAFS) ? VSVA_CAP_EAFE : 0);
	else
		c->v1.flags |= VSVA_CAP_VSVA | VSVA_CAP_NEST_SW; /* no SRE, no EAFE */
	c->v1.flags |= pasid_space_shared_ok() ? VSVA_CAP_SHARED : 0;
	if (g->cfg.pasid_translation && pasid_space_shared_ok())
		c->v1.flags |= VSVA_CAP_PASID_XLT;
	c->v1.pasid_bits = 16; /* the guest's numbers: [1, 0xffff] */
	/* The shadow is a 4-level table (iommu/flpt.c). */
	c->v1.fl_levels = BIT(4) | (hw && vtd_has_cap(u, VTD_CAP_FL5LP) ? BIT(5) : 0);
	c->rid_local_first = PASID_LOCAL_FIRST;
	c->rid_local_last = PASID_LOCAL_LAST;
	c->shared_first = pasid_space_shared_ok() ? PASID_SHARED_GFIRST : 1;
	c->shared_last = pasid_space_shared_ok() ? PASID_SHARED_GLAST : 0;
	c->inv_types = VSVA_INV_TYPES_V1;
	c->inv_batch_max = VSVA_INV_BATCH_MAX;
	c->fl_page_sizes = BIT(12) | BIT(21) | (vtd_has_cap(u, VTD_CAP_FL1GP) ? BIT(30) : 0);
	c->max_devices = VSVA_MAX_DEVICES;
	c->max_pasids = VSVA_MAX_PASIDS;
	/* Canonical halves of the widest FL paging mode; the upper one needs SRE. */
	c->nr_ranges = 2;
	if (c->v1.fl_levels & BIT(5)) {
		c->ranges[0].first = 0, c->ranges[0].last = (1ull << 56) - 1;
		c->ranges[1].first = ~((1ull << 56) - 1), c->ranges[1].last = ~0ull;
	} else {
		c->ranges[0].first = 0, c->ranges[0].last = (1ull << 47) - 1;
		c->ranges[1].first = ~((1ull << 47) - 1), c->ranges[1].last = ~0ull;
	}
}

void vsva_stats(const struct vsva_guest *g, struct vsva_statistics_v2 *s)
{
	s->vsva_binds = g->cnt.binds;
	s->vsva_unbinds = g->cnt.unbinds;
	s->vsva_inv_batches = g->cnt.inv_batches;
	s->vsva_inv_requests = g->cnt.inv_requests;
	s->vsva_inv_descriptors = g->cnt.inv_descriptors;
	s->vsva_faults_dropped = g->cnt.faults_dropped;
	s->vsva_pasids = 0;
	s->vsva_devices = 0;
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		s->vsva_pasids += g->pasid[i].live;
	for (unsigned int i = 0; i < VSVA_MAX_DEVICES; i++)
		s->vsva_devices += g->dev[i].attached;
}

/* ---- PASIDs --------------------------------------------------------------------- */

int vsva_pasid_alloc(struct vsva_guest *g, uint32_t kind, uint32_t want, uint32_t *gpasid)
{
	uint32_t first, last, n, hpasid = 0;
	struct vsva_pasid *slot = NULL;
	int err;

	if (kind == VSVA_PASID_RID_LOCAL)
		first = PASID_LOCAL_FIRST, last = PASID_LOCAL_LAST;
	else if (kind == VSVA_PASID_SHARED)
		first = PASID_SHARED_GFIRST, last = PASID_SHARED_GLAST;
	else
		return -VSVA_EINVAL;
	if (want && (want < first || want > last))
		return -VSVA_EINVAL;
	if (kind == VSVA_PASID_SHARED && !pasid_space_shared_ok())
		return -VSVA_EOPNOTSUPP;
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS && !slot; i++)
		if (!g->pasid[i].live)
			slot = &g->pasid[i];
	if (!slot)
		return -VSVA_ENOSPC;
	if (want) {
		if (find_pasid(g, want))
			return -VSVA_EBUSY;
		n = want;
	} else {
		for (n = first; n <= last && find_pasid(g, n); n++)
			;
		if (n > last)
			return -VSVA_ENOSPC;
	}
	if (kind == VSVA_PASID_SHARED) {
		err = pasid_space_alloc(&hpasid);
		if (err)
			return err;
		err = pasid_xlate_set(&g->xlate, n, hpasid);
		if (err) {
			pasid_space_cancel(hpasid);
			return err;
		}
	} else {
		hpasid = n; /* RID-local: the same number in each device's PASID table */
	}
	memset(slot, 0, sizeof(*slot));
	slot->live = true;
	slot->kind = (uint8_t)kind;
	slot->gpasid = n;
	slot->hpasid = hpasid;
	*gpasid = n;
	return 0;
}

int vsva_pasid_free(struct vsva_guest *g, uint32_t gpasid)
{
	struct vsva_pasid *p = find_pasid(g, gpasid);

	if (!p)
		return -VSVA_ENOENT;
	release_pasid(g, p);
	return 0;
}

/* ---- devices -------------------------------------------------------------------- */

int vsva_attach(struct vsva_guest *g, uint32_t dev)
{
	struct vsva_dev_info info;
	struct vsva_device *slot = NULL;

	if (find_dev(g, dev))
		return -VSVA_EBUSY;
	for (unsigned int i = 0; i < VSVA_MAX_DEVICES && !slot; i++)
		if (!g->dev[i].attached)
			slot = &g->dev[i];
	if (!slot)
		return -VSVA_ENOSPC;
	memset(&info, 0, sizeof(info));
	if (g->cfg.device(g->cfg.ctx, dev_seg(dev), dev_sid(dev), &info) || !info.unit ||
	    !info.dir || (!info.sl && !info.fl) || !info.unit->scalable || info.sid != dev_sid(dev))
		return -VSVA_ENODEV;
	slot->attached = true;
	slot->id = dev;
	slot->info = info;
	return 0;
}

int vsva_detach(struct vsva_guest *g, uint32_t dev)
{
	struct vsva_device *d = find_dev(g, dev);
	unsigned int s;

	if (!d)
		return -VSVA_ENOENT;
	s = slot_of(g, d);
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (g->pasid[i].live)
			teardown(g, &g->pasid[i], s);
	rid_restore(g, d);
	memset(d, 0, sizeof(*d));
	return 0;
}

/* ---- bind / unbind -------------------------------------------------------------- */

static const struct vsva_gpa_map *gpa_map(const struct vsva_guest *g, const struct vsva_device *d,
					  struct vsva_gpa_map *gm)
{
	gm->map = g->cfg.map;
	gm->sl = d->info.sl;
	gm->fl = d->info.fl;
	return gm;
}

/* What @b says without its device: flags, reserved, levels, width, FLPTR (guest RAM). */
static int check_bind_args(const struct vsva_guest *g, const struct vsva_bind *b)
{
	if (b->reserved || (b->flags & ~(VSVA_BIND_SRE | VSVA_BIND_WPE | VSVA_BIND_EAFE)) ||
	    (b->paging_levels != 4 && b->paging_levels != 5) ||
	    (b->addr_width && b->addr_width != (b->paging_levels == 4 ? 48u : 57u)) ||
	    (b->flptr & ~FLPTR_OK))
		return -VSVA_EINVAL;
	if (guest_map_kind(g->cfg.map, b->flptr, PAGE_SIZE) != GUEST_MEM_RAM)
		return -VSVA_EFAULT;
	return 0;
}

/* @d's bindings are software-nested: no hardware nesting, or no SL to nest over. */
static bool uses_shadow(const struct vsva_device *d)
{
	return !nest_hw(d->info.unit) || !d->info.sl;
}

/* What @d's unit can do of @b: 0 or -VSVA_EOPNOTSUPP. */
static int check_bind_unit(const struct vsva_device *d, const struct vsva_bind *b)
{
	const struct vtd_unit *u = d->info.unit;

	if (uses_shadow(d))
		return !nest_sw(u) || b->paging_levels != 4 ||
				       (b->flags & (VSVA_BIND_SRE | VSVA_BIND_EAFE)) ?
			       -VSVA_EOPNOTSUPP :
			       0;
	if ((b->paging_levels == 5 && !vtd_has_cap(u, VTD_CAP_FL5LP)) ||
	    ((b->flags & VSVA_BIND_SRE) && !vtd_has_ecap(u, VTD_ECAP_SRS)) ||
	    ((b->flags & VSVA_BIND_EAFE) && !vtd_has_ecap(u, VTD_ECAP_EAFS)))
		return -VSVA_EOPNOTSUPP;
	return 0;
}

/*
 * Software nesting: a shadow FL table built now (eager: a bind must work before any
 * invalidation, and a device cannot fault and retry), installed as a first-level entry
 * (PGTT 001b, VT-d §9.6) with AW = 2 (48-bit; QEMU takes the FL input width from it).
 */
static int install_shadow(struct vsva_guest *g, const struct vsva_bind *b, struct vsva_device *d,
			  uint32_t hpasid, uint16_t did, struct vsva_binding *bd)
{
	struct vsva_gpa_map gm;
	int err;

	err = vsva_shadow_init(&bd->shadow, d->info.unit, gpa_map(g, d, &gm), b->flptr);
	if (err)
		return abi_err(err);
	vsva_shadow_sync(&bd->shadow, 0, 0);
	g->cnt.shadow_syncs++;
	err = vtd_pasid_set_fl(d->info.unit, d->info.dir, hpasid, did, bd->shadow.pt.root, 4,
			       (b->flags & VSVA_BIND_WPE) ? VTD_PASID_WPE : 0);
	if (err) {
		undo_entry(d, hpasid);
		vsva_shadow_destroy(&bd->shadow);
		memset(bd, 0, sizeof(*bd));
	}
	return abi_err(err);
}

/* Install @b at (@d, @hpasid), whose entry is not present, tagged @did; fills @bd. */
static int install_bind(struct vsva_guest *g, const struct vsva_bind *b, struct vsva_device *d,
			uint32_t hpasid, uint16_t did, struct vsva_binding *bd)
{
	uint32_t opts = 0;
	int err;

	if (uses_shadow(d)) {
		err = install_shadow(g, b, d, hpasid, did, bd);
	} else {
		opts |= (b->flags & VSVA_BIND_SRE) ? VTD_PASID_SRE : 0;
		opts |= (b->flags & VSVA_BIND_WPE) ? VTD_PASID_WPE : 0;
		opts |= (b->flags & VSVA_BIND_EAFE) ? VTD_PASID_EAFE : 0;
		err = abi_err(vtd_pasid_set_nested(d->info.unit, d->info.dir, hpasid, did, b->flptr,
						   b->paging_levels, d->info.sl, opts));
		if (err)
			undo_entry(d, hpasid);
	}
	if (err)
		return err;
	bd->bound = true;
	bd->levels = (uint8_t)b->paging_levels;
	bd->flags = b->flags;
	bd->flptr = b->flptr;
	g->cnt.binds++;
	return 0;
}

int vsva_bind(struct vsva_guest *g, const struct vsva_bind *b)
{
	struct vsva_device *d;
	struct vsva_pasid *p;
	struct vtd_pasid_entry pe;
	int err;

	err = check_bind_args(g, b);
	if (err)
		return err;
	d = find_dev(g, b->device);
	p = find_pasid(g, b->pasid);
	if (!d || !p)
		return -VSVA_ENOENT;
	if (p->bind[slot_of(g, d)].bound)
		return -VSVA_EBUSY;
	err = check_bind_unit(d, b);
	if (err)
		return err;
	/* An entry nobody bound (another owner of the table) is not ours to replace. */
	if (vtd_pasid_entry_get(d->info.dir, p->hpasid, &pe) || vtd_pe_present(&pe))
		return -VSVA_EBUSY;
	return install_bind(g, b, d, p->hpasid, d->info.did, &p->bind[slot_of(g, d)]);
}

int vsva_unbind(struct vsva_guest *g, uint32_t dev, uint32_t gpasid)
{
	struct vsva_device *d = find_dev(g, dev);
	struct vsva_pasid *p = find_pasid(g, gpasid);

	if (!d || !p || !p->bind[slot_of(g, d)].bound)
		return -VSVA_ENOENT;
	teardown(g, p, slot_of(g, d));
	return 0;
}

/* ---- RID_PASID (requests without PASID, VT-d §9.4) ------------------------------- */

/* Host DID @did is taken on @u: some device's platform DID, or another RID_PASID binding. */
static bool rid_did_used(const struct vsva_guest *g, const struct vtd_unit *u,
			 const struct vsva_device *self, uint32_t did)
{
	for (unsigned int i = 0; i < VSVA_MAX_DEVICES; i++) {
		const struct vsva_device *e = &g->dev[i];

		if (!e->attached || e->info.unit != u)
			continue;
		if (e->info.did == did ||
		    (e != self && e->rid.mode == VSVA_RID_NESTED && e->rid.did == did))
			return true;
	}
	return false;
}

/*
 * The host DID of @d's RID_PASID binding: the one it has, else the highest free one of
 * the unit's DID space (CAP.ND), within 2 * VSVA_MAX_DEVICES of the top; never 0 (with
 * CAP.CM the unit tags not-present entries with it, VT-d §11.4.2).
 */
static int rid_did(const struct vsva_guest *g, const struct vsva_device *d, uint16_t *did)
{
	const struct vtd_unit *u = d->info.unit;
	uint32_t top = (u->did_bits >= 16 ? 0x10000u : 1u << u->did_bits) - 1;

	if (d->rid.mode == VSVA_RID_NESTED) {
		*did = d->rid.did;
		return 0;
	}
	for (uint32_t k = 0; k < 2 * VSVA_MAX_DEVICES && k < top; k++) {
		if (!rid_did_used(g, u, d, top - k)) {
			*did = (uint16_t)(top - k);
			return 0;
		}
	}
	return -VSVA_ENOSPC;
}

/* @d's RID_PASID entry down, whatever it held, and a binding's shadow freed. */
static void rid_release(struct vsva_guest *g, struct vsva_device *d)
{
	int err = entry_clear(d, VSVA_RID_PASID);

	if (err && err != -ENOENT)
		log_warn("RID_PASID of %04x: flush error %d (entry cleared)", d->info.sid, err);
	if (d->rid.mode == VSVA_RID_NESTED) {
		/* The entry is down and flushed: the unit no longer walks the shadow. */
		vsva_shadow_destroy(&d->rid.bind.shadow);
		g->cnt.unbinds++;
	}
	memset(&d->rid, 0, sizeof(d->rid));
}

/* The platform entry (struct vsva_dev_info) back at @d's RID_PASID. Cannot fail. */
static void rid_restore(struct vsva_guest *g, struct vsva_device *d)
{
	struct vtd_pasid_entry pe;
	int err;

	if (d->rid.mode == VSVA_RID_PLATFORM)
		return;
	rid_release(g, d);
	if (d->info.sl)
		err = vtd_pasid_set_sl(d->info.unit, d->info.dir, VSVA_RID_PASID, d->info.did,
				       d->info.sl, 0);
	else
		err = vtd_pasid_set_fl(d->info.unit, d->info.dir, VSVA_RID_PASID, d->info.did,
				       d->info.fl->root, 4, 0);
	if (!err)
		return;
	log_warn("RID_PASID of %04x: platform entry reinstalled with error %d", d->info.sid, err);
	if (vtd_pasid_entry_get(d->info.dir, VSVA_RID_PASID, &pe) || !vtd_pe_present(&pe))
		d->rid.mode = VSVA_RID_BLOCKED; /* say what is there: no entry */
}

int vsva_rid_bind(struct vsva_guest *g, const struct vsva_bind *b)
{
	struct vsva_device *d;
	uint16_t did = 0;
	int err;

	if (b->pasid != VSVA_RID_PASID)
		return -VSVA_EINVAL;
	err = check_bind_args(g, b);
	if (err)
		return err;
	d = find_dev(g, b->device);
	if (!d)
		return -VSVA_ENOENT;
	err = check_bind_unit(d, b);
	if (!err)
		err = rid_did(g, d, &did);
	if (err)
		return err;
	if (d->rid.mode == VSVA_RID_NESTED && d->rid.bind.flptr == b->flptr &&
	    d->rid.bind.levels == b->paging_levels && d->rid.bind.flags == b->flags)
		return 0;
	/* VT-d §6.5.3.3: a present entry is torn down and flushed before it is rewritten. */
	rid_release(g, d);
	d->rid.mode = VSVA_RID_BLOCKED;
	err = install_bind(g, b, d, VSVA_RID_PASID, did, &d->rid.bind);
	if (err) {
		log_warn("RID_PASID of %04x: bind error %d: blocked", d->info.sid, err);
		return err;
	}
	d->rid.mode = VSVA_RID_NESTED;
	d->rid.did = did;
	return 0;
}

int vsva_rid_block(struct vsva_guest *g, uint32_t dev)
{
	struct vsva_device *d = find_dev(g, dev);

	if (!d)
		return -VSVA_ENOENT;
	if (d->rid.mode != VSVA_RID_BLOCKED) {
		rid_release(g, d);
		d->rid.mode = VSVA_RID_BLOCKED;
	}
	return 0;
}

int vsva_rid_unbind(struct vsva_guest *g, uint32_t dev)
{
	struct vsva_device *d = find_dev(g, dev);

	if (!d)
		return -VSVA_ENOENT;
	rid_restore(g, d);
	return 0;
}

int vsva_rid_mode(const struct vsva_guest *g, uint32_t dev)
{
	const struct vsva_device *d = find_dev((struct vsva_guest *)g, dev);

	return d ? d->rid.mode : -VSVA_ENOENT;
}

/* ---- invalidation --------------------------------------------------------------- */

_Static_assert(VSVA_MAX_DEVICES <= 256 && VSVA_MAX_PASIDS < 255, "check_req() slots are uint8_t");
#define RID_SLOT 0xffu /* check_req(): the request names the device's RID_PASID binding */

/* Checks request @r; the slots of its device and PASID in @dev and @pasid (found once, for
 * req_desc(); slot numbers, not pointers, to keep the exit-path stack small). */
static int check_req(struct vsva_guest *g, const struct vsva_inv_req *r, uint8_t *dev,
		     uint8_t *pasid)
{
	struct vsva_device *d;
	struct vsva_pasid *p;

	if (r->reserved || r->type < VSVA_INV_PASID_CACHE || r->type > VSVA_INV_DEVTLB)
		return -VSVA_EINVAL;
	if (r->flags & ~(r->type == VSVA_INV_IOTLB ? VSVA_INV_IH : 0u))
		return -VSVA_EINVAL;
	if (r->type == VSVA_INV_PASID_CACHE && (r->addr || r->pages))
		return -VSVA_EINVAL;
	if (r->pages && ((r->addr & (PAGE_SIZE - 1)) || r->pages > (1ull << 52) ||
			 r->addr + (r->pages << PAGE_SHIFT) - 1 < r->addr))
		return -VSVA_EINVAL;
	if (!r->pages && r->addr)
		return -VSVA_EINVAL;
	d = find_dev(g, r->device);
	p = r->pasid == VSVA_RID_PASID ? NULL : find_pasid(g, r->pasid);
	if (!d || (!p && r->pasid != VSVA_RID_PASID))
		return -VSVA_ENOENT;
	*dev = (uint8_t)slot_of(g, d);
	*pasid = p ? (uint8_t)(p - g->pasid) : RID_SLOT;
	return 0;
}

/* The descriptor one request (device slot @ds, PASID slot @ps) becomes; false when there
 * is nothing to flush. */
static bool req_desc(struct vsva_guest *g, const struct vsva_inv_req *r, unsigned int ds,
		     unsigned int ps, struct vtd_qi_desc *out, struct vtd_unit **unit)
{
	struct vsva_device *d = &g->dev[ds];
	const struct vsva_dev_info *in = &d->info;
	bool rid = ps == RID_SLOT;
	struct vsva_binding *bd = rid ? &d->rid.bind : &g->pasid[ps].bind[ds];
	uint32_t hpasid = rid ? VSVA_RID_PASID : g->pasid[ps].hpasid;
	uint16_t did = rid ? d->rid.did : in->did;
	bool ih = r->flags & VSVA_INV_IH;
	uint64_t base = 0;
	int am = -1;

	if (!bd->bound)
		return false; /* not bound here: nothing of it is cached (unbind flushed) */
	*unit = in->unit;
	if (r->pages)
		am = vtd_qi_addr_mask_order(r->addr, r->pages, &base);
	if (r->type == VSVA_INV_IOTLB && bd->shadow.live) {
		/* Software nesting: the shadow follows the guest's table now; its paging
		 * structures may have changed, so no invalidation hint. */
		vsva_shadow_sync(&bd->shadow, r->addr, r->pages);
		g->cnt.shadow_syncs++;
		ih = false;
	}
	switch (r->type) {
	case VSVA_INV_PASID_CACHE:
		*out = vtd_desc_pc_pasid(did, hpasid);
		return true;
	case VSVA_INV_IOTLB:
		if (am >= 0)
			*out = vtd_desc_piotlb_page(did, hpasid, base, (unsigned int)am, ih);
		else
			*out = vtd_desc_piotlb_pasid(did, hpasid);
		return true;
	default: /* VSVA_INV_DEVTLB */
		if (!in->ats)
			return false;
		if (rid) /* VT-d §6.5.2.5: requests without PASID are cached without one */
			*out = vtd_desc_devtlb(in->sid, in->ats_info.pfsid, in->ats_info.qdep, base,
					       am >= 0 ? (unsigned int)am : 52);
		else
			*out = vtd_desc_pdevtlb(in->sid, in->ats_info.pfsid, in->ats_info.qdep,
						hpasid, false, base,
						am >= 0 ? (unsigned int)am : 52);
		return true;
	}
}

int vsva_invalidate(struct vsva_guest *g, const struct vsva_inv_req *r, unsigned int n)
{
	struct vtd_qi_desc d[VSVA_INV_BATCH_MAX];
	struct vtd_unit *unit[VSVA_INV_BATCH_MAX];
	uint8_t dev[VSVA_INV_BATCH_MAX], pasid[VSVA_INV_BATCH_MAX];
	unsigned int nd = 0;
	int err;

	if (n == 0 || n > VSVA_INV_BATCH_MAX)
		return -VSVA_EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		err = check_req(g, &r[i], &dev[i], &pasid[i]);
		if (err)
			return err;
	}
	for (unsigned int i = 0; i < n; i++)
		if (req_desc(g, &r[i], dev[i], pasid[i], &d[nd], &unit[nd]))
			nd++;
	/* One submission (one wait descriptor) per unit, in the guest's order. */
	for (unsigned int i = 0; i < nd; i++) {
		struct vtd_qi_desc batch[VSVA_INV_BATCH_MAX];
		struct vtd_unit *u = unit[i];
		unsigned int nb = 0;

		if (!u)
			continue;
		for (unsigned int j = i; j < nd; j++) {
			if (unit[j] == u) {
				batch[nb++] = d[j];
				unit[j] = NULL;
			}
		}
		err = vtd_qi_submit(u, batch, nb);
		if (err) {
			g->cnt.inv_errors++;
			log_warn("invalidation batch of %u descriptors: error %d", nb, err);
		}
	}
	g->cnt.inv_batches++;
	g->cnt.inv_requests += n;
	g->cnt.inv_descriptors += nd;
	return 0;
}

/* ---- debug walk ----------------------------------------------------------------- */

/* Read the 8-byte FL entry at GPA @gpa, reached through the GPA -> HPA map @gm. */
static bool read_fl(const struct vsva_guest *g, const struct vsva_gpa_map *gm, gpa_t gpa,
		    uint64_t *val)
{
	uint64_t size, prot;
	hpa_t hpa;

	if (guest_map_kind(g->cfg.map, gpa, 8) != GUEST_MEM_RAM ||
	    vsva_gpa_lookup(gm, gpa, &hpa, &size, &prot) || !(prot & VTD_SL_R) ||
	    !host_hpa_mapped(hpa, 8))
		return false;
	memcpy(val, hpa_to_hva(hpa), 8);
	return true;
}

int vsva_translate(const struct vsva_guest *g, struct vsva_translate *t)
{
	struct vsva_guest *mg = (struct vsva_guest *)g;
	const struct vsva_binding *b;
	struct vsva_gpa_map gm;
	struct vsva_device *d;
	struct vsva_pasid *p;
	unsigned int lvl, vbits;
	uint64_t e, size, prot, page = 0;
	uint32_t perms = VSVA_XLATE_R | VSVA_XLATE_W | VSVA_XLATE_U | VSVA_XLATE_X;
	gpa_t table, gpa = 0;
	hpa_t hpa;

	if (t->reserved || t->reserved2)
		return -VSVA_EINVAL;
	d = find_dev(mg, t->device);
	p = t->pasid == VSVA_RID_PASID ? NULL : find_pasid(mg, t->pasid);
	if (!d || (!p && t->pasid != VSVA_RID_PASID))
		return -VSVA_ENOENT;
	b = p ? &p->bind[slot_of(g, d)] : &d->rid.bind;
	if (!b->bound)
		return -VSVA_ENOENT;
	t->gpa = t->hpa = t->page_size = 0;
	t->perms = 0;
	vbits = b->levels == 5 ? 57 : 48;
	/* Canonical: bits 63:vbits-1 all equal (VT-d §3.6: non-canonical requests fault). */
	if (((int64_t)(t->addr << (64 - vbits)) >> (64 - vbits)) != (int64_t)t->addr) {
		t->status = VSVA_XLATE_NOT_CANONICAL;
		t->level = b->levels;
		return 0;
	}
	table = b->flptr;
	for (lvl = b->levels; lvl >= 1; lvl--) {
		unsigned int shift = PAGE_SHIFT + 9 * (lvl - 1);

		t->level = lvl;
		if (!read_fl(g, gpa_map(g, d, &gm), table + ((t->addr >> shift) & 511) * 8, &e)) {
			t->status = VSVA_XLATE_FL_BAD_TABLE;
			return 0;
		}
		if (!(e & FL_P)) {
			t->status = VSVA_XLATE_FL_NOT_PRESENT;
			return 0;
		}
		if (!(e & FL_RW))
			perms &= ~VSVA_XLATE_W;
		if (!(e & FL_US))
			perms &= ~VSVA_XLATE_U;
		if (e & FL_XD)
			perms &= ~VSVA_XLATE_X;
		if (lvl == 1 || ((lvl == 2 || lvl == 3) && (e & FL_PS))) {
			page = 1ull << shift;
			gpa = (e & FL_ADDR & ~(page - 1)) | (t->addr & (page - 1));
			break;
		}
		table = e & FL_ADDR;
	}
	t->gpa = gpa;
	t->page_size = page;
	if (vsva_gpa_lookup(gpa_map(g, d, &gm), gpa, &hpa, &size, &prot) || !(prot & VTD_SL_R)) {
		t->status = VSVA_XLATE_SL_NOT_MAPPED;
		return 0;
	}
	if (!(prot & VTD_SL_W))
		perms &= ~VSVA_XLATE_W;
	t->hpa = hpa;
	t->perms = perms;
	t->status = VSVA_XLATE_OK;
	return 0;
}

/* ---- faults --------------------------------------------------------------------- */

int vsva_fault_owner(struct vsva_guest *g, uint16_t sid, uint32_t hpasid)
{
	for (unsigned int s = 0; s < VSVA_MAX_DEVICES; s++) {
		if (!g->dev[s].attached || g->dev[s].info.sid != sid)
			continue;
		for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
			if (g->pasid[i].live && g->pasid[i].hpasid == hpasid)
				return (int)g->pasid[i].gpasid;
	}
	g->cnt.faults_dropped++;
	return -VSVA_ENOENT;
}

/* ---- invariants ----------------------------------------------------------------- */

/* [base, base + size) lies in ranges of the guest map (any kind: never hv memory). */
static bool covered(const struct guest_map *m, uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < m->count && size; i++) {
		const struct guest_mem_range *r = &m->r[i];

		if (base < r->base)
			return false;
		if (base - r->base >= r->size)
			continue;
		uint64_t n = MIN(size, r->size - (base - r->base));

		base += n, size -= n;
	}
	return size == 0;
}

/* Every leaf under SL table @t (level @lvl) maps into the guest map. */
static bool sl_safe(const struct guest_map *m, hpa_t t, unsigned int lvl, uint64_t *bad)
{
	const uint64_t *e = iommu_env_hpa_to_va(t);

	if (!e)
		return false;
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t v = e[i];
		uint64_t sz = 1ull << (PAGE_SHIFT + 9 * (lvl - 1));

		if (!(v & (VTD_SL_R | VTD_SL_W | VTD_SL_X)))
			continue;
		if (lvl == 1 || (v & VTD_SL_PS)) {
			if (!covered(m, v & VTD_SL_ADDR & ~(sz - 1), sz)) {
				*bad = v & VTD_SL_ADDR;
				return false;
			}
		} else if (!sl_safe(m, v & VTD_SL_ADDR, lvl - 1, bad)) {
			return false;
		}
	}
	return true;
}

/* Device slot @s's RID_PASID entry is what its struct vsva_rid says (the platform entry
 * is the embedder's: not checked). */
static int rid_check(const struct vsva_guest *g, unsigned int s, char *why, size_t len)
{
	const struct vsva_device *d = &g->dev[s];
	const struct vsva_rid *r = &d->rid;
	struct vtd_pasid_entry pe;

	if (r->mode == VSVA_RID_PLATFORM)
		return 0;
	vtd_pasid_entry_get(d->info.dir, VSVA_RID_PASID, &pe);
	if (r->mode == VSVA_RID_BLOCKED) {
		if (!vtd_pe_present(&pe))
			return 0;
		snprintf(why, len, "dev %04x: RID_PASID blocked, entry present", d->info.sid);
		return -1;
	}
	for (unsigned int i = 0; i < s; i++) {
		const struct vsva_device *e = &g->dev[i];

		if (e->attached && e->info.unit == d->info.unit && e->rid.mode == VSVA_RID_NESTED &&
		    e->rid.did == r->did) {
			snprintf(why, len, "dev %04x: RID_PASID DID %u shared with %04x",
				 d->info.sid, r->did, e->info.sid);
			return -1;
		}
	}
	if (!r->bind.bound || !vtd_pe_present(&pe) || vtd_pe_did(&pe) != r->did ||
	    r->did == d->info.did) {
		snprintf(why, len, "dev %04x: RID_PASID binding without its entry or DID",
			 d->info.sid);
		return -1;
	}
	if (r->bind.shadow.live) {
		if (vtd_pe_pgtt(&pe) != VTD_PGTT_FL ||
		    (pe.val[2] & VTD_PE_2_FLPTR) != r->bind.shadow.pt.root) {
			snprintf(why, len, "dev %04x: RID_PASID: not the shadow FL entry",
				 d->info.sid);
			return -1;
		}
		return vsva_shadow_check(&r->bind.shadow, why, len) ? -1 : 0;
	}
	if (vtd_pe_pgtt(&pe) != VTD_PGTT_NESTED ||
	    (pe.val[0] & VTD_PE_0_SLPTPTR) != d->info.sl->root ||
	    (pe.val[2] & VTD_PE_2_FLPTR) != r->bind.flptr) {
		snprintf(why, len, "dev %04x: RID_PASID: PGTT/SL/FL not the binding's",
			 d->info.sid);
		return -1;
	}
	return 0;
}

int vsva_check(const struct vsva_guest *g, char *why, size_t len)
{
	struct vsva_guest *mg = (struct vsva_guest *)g;
	uint32_t shared = 0, h;

	for (unsigned int s = 0; s < VSVA_MAX_DEVICES; s++) {
		const struct vsva_device *d = &g->dev[s];
		const struct vtd_pasid_dir *dir = d->info.dir;
		const uint64_t *de;
		uint64_t bad = 0;

		if (!d->attached)
			continue;
		if (d->info.sl &&
		    !sl_safe(g->cfg.map, d->info.sl->root, d->info.sl->levels, &bad)) {
			snprintf(why, len, "dev %04x: SL maps HPA %#llx outside the guest map",
				 d->info.sid, (unsigned long long)bad);
			return -1;
		}
		if (rid_check(g, s, why, len))
			return -1;
		de = iommu_env_hpa_to_va(dir->dir);
		for (uint32_t i = 0; i < dir->entries; i++) {
			if (!(de[i] & VTD_PDE_P))
				continue;
			for (uint32_t k = 0; k < 64; k++) {
				uint32_t hp = i * 64 + k;
				struct vtd_pasid_entry pe;
				const struct vsva_pasid *p = NULL;

				vtd_pasid_entry_get(dir, hp, &pe);
				if (hp == 0 || !vtd_pe_present(&pe))
					continue;
				for (unsigned int j = 0; j < VSVA_MAX_PASIDS && !p; j++)
					if (g->pasid[j].live && g->pasid[j].hpasid == hp &&
					    g->pasid[j].bind[s].bound)
						p = &g->pasid[j];
				if (!p) {
					snprintf(why, len, "dev %04x: PASID %#x present, not bound",
						 d->info.sid, hp);
					return -1;
				}
				if (p->bind[s].shadow.live) {
					if (vtd_pe_did(&pe) != d->info.did ||
					    vtd_pe_pgtt(&pe) != VTD_PGTT_FL ||
					    (pe.val[2] & VTD_PE_2_FLPTR) !=
						    p->bind[s].shadow.pt.root) {
						snprintf(
							why, len,
							"dev %04x: PASID %#x: not the shadow FL entry",
							d->info.sid, hp);
						return -1;
					}
					if (vsva_shadow_check(&p->bind[s].shadow, why, len))
						return -1;
				} else if (vtd_pe_did(&pe) != d->info.did ||
					   vtd_pe_pgtt(&pe) != VTD_PGTT_NESTED ||
					   (pe.val[0] & VTD_PE_0_SLPTPTR) != d->info.sl->root ||
					   (pe.val[2] & VTD_PE_2_FLPTR) != p->bind[s].flptr) {
					snprintf(
						why, len,
						"dev %04x: PASID %#x: DID/PGTT/SL/FL not the guest's",
						d->info.sid, hp);
					return -1;
				}
			}
		}
	}
	for (unsigned int j = 0; j < VSVA_MAX_PASIDS; j++) {
		const struct vsva_pasid *p = &g->pasid[j];
		struct vtd_pasid_entry pe;

		if (!p->live)
			continue;
		for (unsigned int s = 0; s < VSVA_MAX_DEVICES; s++) {
			if (!p->bind[s].bound)
				continue;
			if (!g->dev[s].attached ||
			    vtd_pasid_entry_get(g->dev[s].info.dir, p->hpasid, &pe) ||
			    !vtd_pe_present(&pe)) {
				snprintf(why, len, "PASID %#x: binding %u without an entry",
					 p->gpasid, s);
				return -1;
			}
		}
		if (p->kind == VSVA_PASID_SHARED) {
			shared++;
			if (pasid_xlate_lookup(&mg->xlate, p->gpasid, &h) || h != p->hpasid ||
			    !pasid_space_in_use(p->hpasid)) {
				snprintf(why, len, "PASID %#x: VMCS translation disagrees",
					 p->gpasid);
				return -1;
			}
		} else if (!pasid_xlate_lookup(&mg->xlate, p->gpasid, &h)) {
			snprintf(why, len, "RID-local PASID %#x has a VMCS translation", p->gpasid);
			return -1;
		}
	}
	if (g->xlate.entries != shared) {
		snprintf(why, len, "VMCS translation holds %u entries, %u shared PASIDs",
			 g->xlate.entries, shared);
		return -1;
	}
	return 0;
}
