// SPDX-License-Identifier: MIT
/*
 * hv/vvtd_shadow.c - the guest's scalable-mode tables (GPAs, read through the guest map)
 * made physical: a present PASID entry of PGTT 001b (first level only, VT-d §9.6) of a
 * device in the unit's scope becomes a vSVA binding (a nested physical entry: the guest's
 * FL over the hypervisor's SL, seeds/003); an entry that went away or changed is unbound
 * (and rebound). RID-local guest PASIDs (hv/pasid_space.h) are allocated in vSVA under
 * the guest's own number when first used; shared ones must come from the virtual-command
 * allocator. Entries the hardware would fault on (reserved bits, unsupported PGTT, FLPM,
 * SRE, EAFE, unreadable tables) are simply not shadowed: the device's DMA with that
 * PASID then faults on the physical unit, as it would on real hardware.
 *
 * PASID 0 is the guest's RID_PASID: its requests WITHOUT PASID (the DMA-API domain, VT-d
 * §9.4). Per device in scope, its state (enum vvtd_rid_mode, hv/vvtd.h) drives the
 * device's physical RID_PASID entry through vsva_rid_*(): translation off or PGTT PT ->
 * the platform's second level (guest-physical pass-through); a valid PGTT FL entry -> the
 * guest's FL nested over it; translation on with no valid entry -> not present, so the
 * DMA faults, as on hardware (§7.1.3) instead of reaching all of guest RAM.
 */
#include <errno.h>
#include <string.h>

#define LOG_PREFIX "vvtd"
#include "hv/log.h"
#include "hv/pasid_space.h"
#include "hv/vvtd_internal.h"

/* Reserved bits that make an entry invalid (VT-d §9.2, §9.4, §9.5, §9.6). */
#define RE_RSVD	  VTD_GENMASK(11, 1)
#define SCE0_RSVD VTD_GENMASK(8, 5)
#define SCE1_RSVD VTD_GENMASK(63, 21)
#define PDE_RSVD  VTD_GENMASK(11, 2)
/* Qword 2 bit 5 (bit 133) is NXE in VT-d 3.0 §9.6, the register set this unit reports
 * (VER 3.0): Linux 5.x-6.1 sets it in every first-level entry. Accepted and ignored --
 * the physical FL honours XD whatever it says (later revisions reserve it). */
#define PE2_RSVD    (VTD_BIT(1) | VTD_BIT(6) | VTD_GENMASK(11, 8))
#define PE0_PGTT(v) (((v) >> 6) & 7)
/* VT-d §9.4: RID_PASID (83:64) and RID_PRIV (84) are reserved without ECAP.RPS (ours). */
#define SCE1_RID_PASID VTD_GENMASK(20, 0)

struct want {
	bool on;
	uint16_t did;
	uint8_t levels;
	uint32_t flags;
	gpa_t flptr;
};

bool vvtd_translating(const struct vvtd *u)
{
	return (u->gsts & VTD_GSTS_TES) &&
	       (u->rtaddr_active & VTD_GENMASK(11, 10)) == VTD_RTADDR_TTM_SCALABLE;
}

static uint32_t vdev(const struct vvtd *u, uint16_t sid)
{
	return ((uint32_t)u->cfg.seg << 16) | sid;
}

/* The FL fields of a present PGTT 001b entry; w->on false when they are not valid. */
static void parse_fl(const struct vvtd *u, const uint64_t *pe, struct want *w)
{
	unsigned int flpm = (unsigned int)((pe[2] >> 2) & 3);

	memset(w, 0, sizeof(*w));
	if ((pe[2] & PE2_RSVD) || flpm > 1 || (flpm == 1 && !(u->cap & VTD_CAP_FL5LP)) ||
	    ((pe[2] & VTD_PE_2_SRE) && !(u->ecap & VTD_ECAP_SRS)) ||
	    ((pe[2] & VTD_PE_2_EAFE) && !(u->ecap & VTD_ECAP_EAFS)))
		return;
	w->on = true;
	w->did = (uint16_t)(pe[1] & VTD_PE_1_DID);
	w->levels = flpm ? 5 : 4;
	w->flptr = pe[2] & VTD_PE_2_FLPTR;
	w->flags = ((pe[2] & VTD_PE_2_SRE) ? VSVA_BIND_SRE : 0) |
		   ((pe[2] & VTD_PE_2_WPE) ? VSVA_BIND_WPE : 0) |
		   ((pe[2] & VTD_PE_2_EAFE) ? VSVA_BIND_EAFE : 0);
}

/* What a guest PASID entry (PASID >= 1) asks for; w->on false when not a valid FL entry. */
static void parse_pe(struct vvtd *u, const uint64_t *pe, struct want *w)
{
	memset(w, 0, sizeof(*w));
	if (!(pe[0] & VTD_PE_0_P))
		return;
	if (PE0_PGTT(pe[0]) != VTD_PGTT_FL) {
		u->cnt.unsupported_entries++; /* SL, nested, PT: not offered for PASIDs */
		return;
	}
	parse_fl(u, pe, w);
}

/* @sid's scalable-mode context entry in @ce: 0; -ENOENT when the root or context entry
 * is not present; -EINVAL when one is invalid or unreadable (hardware faults either way,
 * VT-d §7.1.3). */
static int guest_ctx(const struct vvtd *u, uint16_t sid, uint64_t *ce)
{
	uint64_t re[2];
	unsigned int devfn = sid & 0xff, half = devfn >= 128;
	gpa_t root = u->rtaddr_active & VTD_RTADDR_RTA;

	if (vvtd_gread(u, root + (uint64_t)(sid >> 8) * 16, re, sizeof(re)) ||
	    ((re[half] & VTD_RE_P) && (re[half] & RE_RSVD)))
		return -EINVAL;
	if (!(re[half] & VTD_RE_P))
		return -ENOENT;
	if (vvtd_gread(u, (re[half] & VTD_RE_CTP) + (uint64_t)(devfn & 0x7f) * 32, ce, 32))
		return -EINVAL;
	if (!(ce[0] & VTD_SCE_0_P))
		return -ENOENT;
	if ((ce[0] & SCE0_RSVD) || (ce[1] & SCE1_RSVD))
		return -EINVAL;
	return 0;
}

/* The GPA of @sid's PASID directory and its entry count; nonzero when the guest's root or
 * context entry is absent, invalid or unreadable, or PASIDs are off (hardware faults). */
static int guest_dir(const struct vvtd *u, uint16_t sid, gpa_t *dir, uint64_t *entries)
{
	uint64_t ce[4];
	int err = guest_ctx(u, sid, ce);

	if (err)
		return err;
	if (!(ce[0] & VTD_SCE_0_PASIDE))
		return -ENOENT;
	*dir = ce[0] & VTD_SCE_0_PASIDDIRPTR;
	*entries = 1ull << (((ce[0] & VTD_SCE_0_PDTS_MASK) >> VTD_SCE_0_PDTS_SHIFT) + 7);
	return 0;
}

/* The PASID table GPA of directory entry @idx; -ENOENT when absent, -EINVAL when invalid
 * or unreadable. */
static int guest_table(const struct vvtd *u, gpa_t dir, uint64_t idx, gpa_t *table)
{
	uint64_t de;

	if (vvtd_gread(u, dir + idx * 8, &de, sizeof(de)))
		return -EINVAL;
	if (!(de & VTD_PDE_P))
		return -ENOENT;
	if (de & PDE_RSVD)
		return -EINVAL;
	*table = de & VTD_PDE_SMPTBLPTR;
	return 0;
}

static void read_want(struct vvtd *u, uint16_t sid, uint32_t pasid, struct want *w)
{
	uint64_t entries, pe[8];
	gpa_t dir, table;

	memset(w, 0, sizeof(*w));
	if (guest_dir(u, sid, &dir, &entries) || (pasid >> 6) >= entries ||
	    guest_table(u, dir, pasid >> 6, &table) ||
	    vvtd_gread(u, table + (uint64_t)(pasid & 63) * 64, pe, sizeof(pe)))
		return;
	parse_pe(u, pe, w);
}

static struct vvtd_shadow *find(struct vvtd *u, uint16_t sid, uint32_t pasid)
{
	return (struct vvtd_shadow *)vvtd_find_shadow(u, sid, pasid);
}

static bool vsva_has_pasid(const struct vsva_guest *g, uint32_t gpasid)
{
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (g->pasid[i].live && g->pasid[i].gpasid == gpasid)
			return true;
	return false;
}

/* Take shadow @s down; a RID-local PASID the unit allocated is freed with its last user. */
static void unshadow(struct vvtd *u, struct vvtd_shadow *s, bool free_owned)
{
	struct vsva_guest *g = u->cfg.vsva;
	uint32_t gpasid = s->gpasid;
	bool owned = s->local_owned;

	if (vsva_unbind(g, vdev(u, s->sid), gpasid))
		u->cnt.shadow_errors++; /* torn down behind our back (hypercall, free) */
	memset(s, 0, sizeof(*s));
	u->cnt.unbinds++;
	if (!owned)
		return;
	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++) {
		if (u->sh[i].used && u->sh[i].gpasid == gpasid) {
			u->sh[i].local_owned = true; /* another device still uses it */
			return;
		}
	}
	if (free_owned)
		vsva_pasid_free(g, gpasid);
}

static void shadow(struct vvtd *u, uint16_t sid, uint32_t pasid, const struct want *w)
{
	struct vsva_guest *g = u->cfg.vsva;
	struct vvtd_shadow *s = NULL;
	struct vsva_bind b;
	bool owned = false;
	uint32_t got;
	int err;

	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS && !s; i++)
		if (!u->sh[i].used)
			s = &u->sh[i];
	if (!s)
		goto fail;
	err = vsva_attach(g, vdev(u, sid));
	if (err && err != -VSVA_EBUSY)
		goto fail;
	if (!vsva_has_pasid(g, pasid)) {
		/* The guest's own number: RID-local only (shared ones come from VCMD). */
		if (pasid > PASID_LOCAL_LAST ||
		    vsva_pasid_alloc(g, VSVA_PASID_RID_LOCAL, pasid, &got))
			goto fail;
		owned = true;
	}
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.pasid = pasid;
	b.device = vdev(u, sid);
	b.flags = w->flags;
	b.flptr = w->flptr;
	b.paging_levels = w->levels;
	if (vsva_bind(g, &b)) {
		if (owned)
			vsva_pasid_free(g, pasid);
		goto fail;
	}
	*s = (struct vvtd_shadow){ .used = true,
				   .local_owned = owned,
				   .sid = sid,
				   .gdid = w->did,
				   .gpasid = pasid,
				   .flags = w->flags,
				   .levels = w->levels,
				   .flptr = w->flptr };
	u->cnt.binds++;
	return;
fail:
	u->cnt.shadow_errors++;
}

/* Make the shadow of (@sid, @pasid) what @w says. */
static void apply(struct vvtd *u, uint16_t sid, uint32_t pasid, const struct want *w)
{
	struct vvtd_shadow *s = find(u, sid, pasid);

	if (s && w->on && s->flptr == w->flptr && s->flags == w->flags && s->levels == w->levels) {
		s->gdid = w->did;
		return;
	}
	if (s)
		unshadow(u, s, true);
	if (w->on)
		shadow(u, sid, pasid, w);
}

static void rid_sync(struct vvtd *u, uint16_t sid);

static void sync_one(struct vvtd *u, uint16_t sid, uint32_t pasid)
{
	struct want w;

	if (pasid == 0) {
		rid_sync(u, sid);
		return;
	}
	if (pasid >= (1u << vvtd_pasid_bits(u)))
		return; /* beyond ECAP.PSS: the guest cannot have such an entry */
	read_want(u, sid, pasid, &w);
	apply(u, sid, pasid, &w);
}

/* Every present entry of @sid's tables, then every shadow of @sid (gone ones drop). */
/* A shadow slot is free. */
static bool slot_free(const struct vvtd *u)
{
	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++)
		if (!u->sh[i].used)
			return true;
	return false;
}

static void sync_device(struct vvtd *u, uint16_t sid)
{
	uint64_t entries, limit = (1ull << vvtd_pasid_bits(u)) / 64;
	uint64_t *tbl = u->table; /* one guest PASID table (4 KiB) */
	gpa_t dir, table;
	bool skipped = false;

	if (!guest_dir(u, sid, &dir, &entries)) {
		for (uint64_t i = 0; i < MIN(entries, limit); i++) {
			if (guest_table(u, dir, i, &table) ||
			    vvtd_gread(u, table, tbl, sizeof(u->table)))
				continue;
			for (unsigned int j = 0; j < VTD_PASID_PER_TABLE; j++) {
				uint32_t pasid = (uint32_t)(i * 64 + j);
				bool had = pasid && find(u, sid, pasid);
				struct want w;

				if (pasid == 0 || (!(tbl[j * 8] & VTD_PE_0_P) && !had))
					continue; /* RID_PASID: rid_sync() below */
				/* Every slot taken: a new entry cannot be shadowed, so do not try
				 * (a guest's directory full of entries must not cost a bind
				 * attempt each on every broad invalidation: one VM exit). */
				if (!had && !slot_free(u)) {
					skipped = true;
					continue;
				}
				parse_pe(u, &tbl[j * 8], &w);
				apply(u, sid, pasid, &w);
			}
		}
	}
	if (skipped)
		u->cnt.shadow_errors++; /* once per scan: entries left unshadowed */
	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++)
		if (u->sh[i].used && u->sh[i].sid == sid)
			sync_one(u, sid, u->sh[i].gpasid);
	rid_sync(u, sid);
}

static bool sid_match(uint16_t a, uint16_t b, unsigned int fm)
{
	/* VT-d §6.5.2.1 FM: 1 masks function bit 2, 2 bits 2:1, 3 bits 2:0. */
	uint16_t mask = (uint16_t)(((1u << fm) - 1) << (3 - fm));

	return (a & ~mask) == (b & ~mask);
}

void vvtd_shadow_sync(struct vvtd *u, int sid, unsigned int fm, uint32_t pasid)
{
	if (!vvtd_translating(u))
		return;
	for (unsigned int i = 0; i < u->cfg.nr_sids; i++) {
		uint16_t s = u->cfg.sid[i];

		if (sid >= 0 && !sid_match(s, (uint16_t)sid, fm & 3))
			continue;
		if (pasid == VVTD_ALL_PASIDS)
			sync_device(u, s);
		else
			sync_one(u, s, pasid);
	}
}

static void rid_apply(struct vvtd *u, unsigned int i, const struct vvtd_rid *w);

void vvtd_shadow_drop_all(struct vvtd *u)
{
	const struct vvtd_rid off = { .mode = VVTD_RID_OFF };

	vvtd_inv_flush(u);
	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++)
		if (u->sh[i].used)
			unshadow(u, &u->sh[i], true);
	/* VT-d §11.4.4 (GCMD.TE): TE clear remaps nothing: the platform SL again. */
	for (unsigned int i = 0; i < u->cfg.nr_sids; i++)
		rid_apply(u, i, &off);
}

void vvtd_shadow_drop_pasid(struct vvtd *u, uint32_t gpasid)
{
	vvtd_inv_flush(u);
	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++)
		if (u->sh[i].used && u->sh[i].gpasid == gpasid)
			unshadow(u, &u->sh[i], false);
}

void vvtd_inv_add(struct vvtd *u, uint16_t type, uint16_t sid, uint32_t gpasid, uint64_t addr,
		  uint64_t pages, bool ih)
{
	if (u->nbatch == VSVA_INV_BATCH_MAX)
		vvtd_inv_flush(u);
	u->batch[u->nbatch++] = (struct vsva_inv_req){
		.type = type,
		.flags = ih && type == VSVA_INV_IOTLB ? VSVA_INV_IH : 0,
		.pasid = gpasid,
		.device = vdev(u, sid),
		.addr = pages ? addr : 0,
		.pages = pages,
	};
}

void vvtd_inv_flush(struct vvtd *u)
{
	if (!u->nbatch)
		return;
	if (vsva_invalidate(u->cfg.vsva, u->batch, u->nbatch))
		u->cnt.shadow_errors++;
	u->cnt.inv_batches++;
	u->cnt.inv_requests += u->nbatch;
	u->nbatch = 0;
}

/* ---- RID_PASID: the guest's requests without PASID (VT-d §9.4) ------------------------ */

static int sid_index(const struct vvtd *u, uint16_t sid)
{
	for (unsigned int i = 0; i < u->cfg.nr_sids; i++)
		if (u->cfg.sid[i] == sid)
			return (int)i;
	return -1;
}

/* A present guest RID_PASID entry @pe: PT, a valid FL entry, or INVALID. */
static void rid_parse(const struct vvtd *u, const uint64_t *pe, struct vvtd_rid *w)
{
	uint16_t did = (uint16_t)(pe[1] & VTD_PE_1_DID);
	unsigned int did_bits = 4 + 2 * (unsigned int)VTD_CAP_ND(u->cap);
	struct want fl;

	w->mode = VVTD_RID_INVALID;
	if (PE0_PGTT(pe[0]) == VTD_PGTT_PT) {
		w->mode = VVTD_RID_PT;
		return;
	}
	if (PE0_PGTT(pe[0]) != VTD_PGTT_FL)
		return; /* SL, nested (no ECAP.SLTS, NEST) or reserved PGTT */
	parse_fl(u, pe, &fl);
	/* The DID tags the guest's invalidations; 0 is reserved with CAP.CM (§11.4.2). */
	if (!fl.on || did == 0 || (did_bits < 16 && did >> did_bits))
		return;
	*w = (struct vvtd_rid){ .mode = VVTD_RID_FL,
				.levels = fl.levels,
				.gdid = did,
				.flags = fl.flags,
				.flptr = fl.flptr };
}

/* What the guest's tables say for @sid's requests without PASID (struct vvtd_rid). */
static void rid_read(struct vvtd *u, uint16_t sid, struct vvtd_rid *w)
{
	uint64_t ce[4], pe[8];
	gpa_t table = 0;
	int err;

	memset(w, 0, sizeof(*w));
	if (!vvtd_translating(u))
		return; /* VVTD_RID_OFF */
	/* No PASIDE needed: it enables requests WITH PASID only (§9.4). */
	err = guest_ctx(u, sid, ce);
	if (!err && (ce[1] & SCE1_RID_PASID))
		err = -EINVAL;
	if (!err)
		err = guest_table(u, ce[0] & VTD_SCE_0_PASIDDIRPTR, 0, &table);
	if (!err && vvtd_gread(u, table, pe, sizeof(pe)))
		err = -EINVAL;
	if (!err && !(pe[0] & VTD_PE_0_P))
		err = -ENOENT;
	if (err)
		w->mode = err == -ENOENT ? VVTD_RID_BLOCKED : VVTD_RID_INVALID;
	else
		rid_parse(u, pe, w);
}

static bool rid_same(const struct vvtd_rid *a, const struct vvtd_rid *b)
{
	return a->mode == b->mode &&
	       (a->mode != VVTD_RID_FL ||
		(a->flptr == b->flptr && a->levels == b->levels && a->flags == b->flags));
}

/* @dev attached in vSVA (the vIOMMU's devices are attached when first used). */
static int rid_attach(struct vsva_guest *g, uint32_t dev)
{
	int err = vsva_attach(g, dev);

	return err == -VSVA_EBUSY ? 0 : err;
}

/* Make device @i's physical RID_PASID entry what @w asks for (VVTD_RID_* above). */
static void rid_apply(struct vvtd *u, unsigned int i, const struct vvtd_rid *w)
{
	struct vsva_guest *g = u->cfg.vsva;
	uint32_t dev = vdev(u, u->cfg.sid[i]);
	struct vvtd_rid now = *w;
	struct vsva_bind b;
	int err = 0;

	if (rid_same(&u->rid[i], w)) {
		u->rid[i].gdid = w->gdid;
		return;
	}
	if (w->mode == VVTD_RID_OFF || w->mode == VVTD_RID_PT) {
		/* The platform's second level is guest-physical pass-through already. */
		err = vsva_rid_unbind(g, dev);
		if (err == -VSVA_ENOENT)
			err = 0; /* never attached: the platform entry is there */
	} else if (w->mode == VVTD_RID_FL) {
		memset(&b, 0, sizeof(b));
		b.size = sizeof(b);
		b.pasid = VSVA_RID_PASID;
		b.device = dev;
		b.flags = w->flags;
		b.flptr = w->flptr;
		b.paging_levels = w->levels;
		err = rid_attach(g, dev);
		if (err) {
			/* Not the guest's in vSVA: nothing bound, nothing to invalidate. */
			now = (struct vvtd_rid){ .mode = VVTD_RID_INVALID };
		} else if (vsva_rid_bind(g, &b)) {
			/* Refused (FLPTR not guest RAM ...): the guest's entry is unusable. */
			now = (struct vvtd_rid){ .mode = VVTD_RID_INVALID };
			err = vsva_rid_block(g, dev);
		} else if (!err) {
			u->cnt.binds++;
		}
	} else {
		err = rid_attach(g, dev);
		if (!err)
			err = vsva_rid_block(g, dev);
	}
	if (u->rid[i].mode == VVTD_RID_FL) /* replaced or gone */
		u->cnt.unbinds++;
	if (now.mode == VVTD_RID_INVALID)
		u->cnt.unsupported_entries++;
	if (err)
		u->cnt.shadow_errors++; /* the device is not the guest's in vSVA */
	u->rid[i] = now;
}

static void rid_sync(struct vvtd *u, uint16_t sid)
{
	int i = sid_index(u, sid);
	struct vvtd_rid w;

	if (i < 0)
		return;
	rid_read(u, sid, &w);
	rid_apply(u, (unsigned int)i, &w);
}

void vvtd_rid_inv(struct vvtd *u, uint16_t type, bool match_did, uint16_t did, int sid,
		  uint64_t addr, uint64_t pages, bool ih)
{
	for (unsigned int i = 0; i < u->cfg.nr_sids; i++) {
		const struct vvtd_rid *r = &u->rid[i];

		if (r->mode != VVTD_RID_FL || (match_did && r->gdid != did) ||
		    (sid >= 0 && u->cfg.sid[i] != sid))
			continue;
		vvtd_inv_add(u, type, u->cfg.sid[i], VSVA_RID_PASID, addr, pages, ih);
	}
}

int vvtd_rid_state(const struct vvtd *u, uint16_t sid, struct vvtd_rid *out)
{
	int i = sid_index(u, sid);

	if (i < 0)
		return -ENODEV;
	*out = u->rid[i];
	return 0;
}
