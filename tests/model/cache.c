// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - the translation caches of VT-d chapter 6 and their
 * invalidation (§6.5): context cache, PASID cache, IOTLB, paging-structure
 * caches, and the device-TLB of ATS devices.
 *
 * Each cache is a small fully associative array with round-robin
 * replacement. Entries stay until an invalidation that covers them (or
 * replacement): a table change without the right invalidation keeps being
 * used, which is what makes driver ordering bugs visible.
 */
#include <string.h>

#include "model_internal.h"

#define FOR_EACH(i, arr) for (i = 0; i < sizeof(arr) / sizeof((arr)[0]); i++)

/* ---- context cache, VT-d §6.2.1 ---------------------------------------- */

struct model_cc_entry *model_cc_lookup(struct model_unit *u, uint16_t sid, bool scalable)
{
	unsigned int i;

	FOR_EACH(i, u->cc)
	if (u->cc[i].valid && u->cc[i].sid == sid && u->cc[i].scalable == scalable)
		return &u->cc[i];
	return NULL;
}

void model_cc_fill(struct model_unit *u, uint16_t sid, bool scalable, uint16_t did,
		   const uint64_t *val)
{
	struct model_cc_entry *e = model_cc_lookup(u, sid, scalable);

	if (!e) {
		e = &u->cc[u->cc_next];
		u->cc_next = (u->cc_next + 1) % MODEL_CC_SIZE;
	}
	memset(e, 0, sizeof(*e));
	e->valid = true;
	e->sid = sid;
	e->scalable = scalable;
	e->did = did;
	memcpy(e->val, val, (scalable ? 4 : 2) * sizeof(uint64_t));
}

/* ---- PASID cache, VT-d §6.2.2 ------------------------------------------ */

struct model_pc_entry *model_pc_lookup(struct model_unit *u, uint16_t sid, uint32_t pasid)
{
	unsigned int i;

	FOR_EACH(i, u->pc)
	if (u->pc[i].valid && u->pc[i].sid == sid && u->pc[i].pasid == pasid)
		return &u->pc[i];
	return NULL;
}

void model_pc_fill(struct model_unit *u, uint16_t sid, uint32_t pasid, bool fpd,
		   const uint64_t *val)
{
	struct model_pc_entry *e = model_pc_lookup(u, sid, pasid);

	if (!e) {
		e = &u->pc[u->pc_next];
		u->pc_next = (u->pc_next + 1) % MODEL_PC_SIZE;
	}
	e->valid = true;
	e->sid = sid;
	e->pasid = pasid;
	e->fpd = fpd;
	e->did = (uint16_t)MODEL_PE_DID(val[1]);
	memcpy(e->val, val, 8 * sizeof(uint64_t));
}

/* ---- IOTLB, VT-d §6.2.3 ---------------------------------------------------- */

struct model_iotlb_entry *model_iotlb_lookup(struct model_unit *u, uint16_t did, uint32_t pasid,
					     uint64_t addr)
{
	unsigned int i;

	FOR_EACH(i, u->iotlb)
	{
		struct model_iotlb_entry *e = &u->iotlb[i];

		if (e->valid && e->did == did && e->pasid == pasid &&
		    (addr & ~(e->map.size - 1)) == e->map.in_base)
			return e;
	}
	return NULL;
}

void model_iotlb_fill(struct model_unit *u, uint16_t did, uint32_t pasid, const struct model_map *m)
{
	struct model_iotlb_entry *e = model_iotlb_lookup(u, did, pasid, m->in_base);

	if (!e || e->map.size != m->size) {
		e = &u->iotlb[u->iotlb_next];
		u->iotlb_next = (u->iotlb_next + 1) % MODEL_IOTLB_SIZE;
	}
	e->valid = true;
	e->did = did;
	e->pasid = pasid;
	e->map = *m;
}

/* ---- paging-structure caches, VT-d §6.2.4 (simplified) ----------------------
 * One kind of entry for all levels: "the table at level L for input
 * prefix P is at HPA T, with these permissions so far". A walk starts at
 * the deepest cached table.
 */
struct model_psc_entry *model_psc_lookup(struct model_unit *u, uint16_t did, uint32_t pasid,
					 bool first_stage, uint64_t addr, int top_level)
{
	int lvl;
	unsigned int i;

	for (lvl = 1; lvl < top_level; lvl++) {
		uint64_t prefix = addr >> (MODEL_PAGE_SHIFT + 9 * lvl);

		FOR_EACH(i, u->psc)
		{
			struct model_psc_entry *e = &u->psc[i];

			if (e->valid && e->did == did && e->pasid == pasid &&
			    e->first_stage == first_stage && e->level == lvl &&
			    e->in_prefix == prefix) {
				u->stats.hits[MODEL_CACHE_PSC]++;
				return e;
			}
		}
	}
	u->stats.misses[MODEL_CACHE_PSC]++;
	return NULL;
}

void model_psc_fill(struct model_unit *u, const struct model_psc_entry *n)
{
	unsigned int i;
	struct model_psc_entry *e = NULL;

	FOR_EACH(i, u->psc)
	{
		struct model_psc_entry *c = &u->psc[i];

		if (c->valid && c->did == n->did && c->pasid == n->pasid &&
		    c->first_stage == n->first_stage && c->level == n->level &&
		    c->in_prefix == n->in_prefix)
			e = c;
	}
	if (!e) {
		e = &u->psc[u->psc_next];
		u->psc_next = (u->psc_next + 1) % MODEL_PSC_SIZE;
	}
	*e = *n;
	e->valid = true;
}

/* ---- device-TLB (the ATS cache in the endpoint), VT-d §4 -------------------- */

struct model_devtlb_entry *model_devtlb_lookup(struct model_unit *u, uint16_t sid, uint32_t pasid,
					       uint64_t addr)
{
	unsigned int i;

	FOR_EACH(i, u->devtlb)
	{
		struct model_devtlb_entry *e = &u->devtlb[i];

		if (e->valid && e->sid == sid && e->pasid == pasid &&
		    (addr & ~(e->size - 1)) == e->in_base)
			return e;
	}
	return NULL;
}

void model_devtlb_fill(struct model_unit *u, const struct model_devtlb_entry *n)
{
	struct model_devtlb_entry *e = model_devtlb_lookup(u, n->sid, n->pasid, n->in_base);

	if (!e) {
		e = &u->devtlb[u->devtlb_next];
		u->devtlb_next = (u->devtlb_next + 1) % MODEL_DEVTLB_SIZE;
	}
	*e = *n;
	e->valid = true;
}

unsigned int model_cache_count(struct model_unit *u, enum model_cache which)
{
	unsigned int i, n = 0;

	switch (which) {
	case MODEL_CACHE_CONTEXT:
		FOR_EACH(i, u->cc)
		n += u->cc[i].valid;
		break;
	case MODEL_CACHE_PASID:
		FOR_EACH(i, u->pc)
		n += u->pc[i].valid;
		break;
	case MODEL_CACHE_IOTLB:
		FOR_EACH(i, u->iotlb)
		n += u->iotlb[i].valid;
		break;
	case MODEL_CACHE_PSC:
		FOR_EACH(i, u->psc)
		n += u->psc[i].valid;
		break;
	case MODEL_CACHE_DEVTLB:
		FOR_EACH(i, u->devtlb)
		n += u->devtlb[i].valid;
		break;
	default:
		break;
	}
	return n;
}

/* ---- invalidation ------------------------------------------------------------ */

static bool overlaps(uint64_t base, uint64_t size, uint64_t lo, uint64_t len)
{
	return base < lo + len && lo < base + size;
}

/*
 * VT-d §6.5.2.1 context-cache invalidation: gran 1 global, 2 domain
 * (did), 3 device (sid under function mask fm, and did). Scalable-mode
 * context entries carry no DID: domain and device granularity ignore it.
 */
void model_inv_context(struct model_unit *u, int gran, uint16_t did, uint16_t sid, uint8_t fm)
{
	static const uint16_t fm_mask[4] = { 0, 0x4, 0x6, 0x7 };
	unsigned int i;

	u->stats.flushes[MODEL_CACHE_CONTEXT]++;
	FOR_EACH(i, u->cc)
	{
		struct model_cc_entry *e = &u->cc[i];
		bool hit;

		if (!e->valid)
			continue;
		switch (gran) {
		case 1:
			hit = true;
			break;
		case 2:
			hit = e->scalable || e->did == did;
			break;
		case 3:
			hit = ((e->sid | fm_mask[fm & 3]) == (sid | fm_mask[fm & 3])) &&
			      (e->scalable || e->did == did);
			break;
		default:
			hit = false;
		}
		if (hit) {
			e->valid = false;
			u->stats.flushed[MODEL_CACHE_CONTEXT]++;
		}
	}
}

/*
 * VT-d §6.5.2.2 PASID-cache invalidation: gran 0 domain (did), 1 PASID
 * (did and pasid), 3 global. The DID compared is the one the cached
 * entry was tagged with when it was filled.
 */
void model_inv_pasid_cache(struct model_unit *u, int gran, uint16_t did, uint32_t pasid)
{
	unsigned int i;

	u->stats.flushes[MODEL_CACHE_PASID]++;
	FOR_EACH(i, u->pc)
	{
		struct model_pc_entry *e = &u->pc[i];
		bool hit;

		if (!e->valid)
			continue;
		hit = gran == 3 || (gran == 0 && e->did == did) ||
		      (gran == 1 && e->did == did && e->pasid == pasid);
		if (hit) {
			e->valid = false;
			u->stats.flushed[MODEL_CACHE_PASID]++;
		}
	}
}

static void psc_drop(struct model_unit *u, uint32_t did, bool match_pasid, uint32_t pasid,
		     int stage /* 0 SL, 1 FL, -1 both */)
{
	unsigned int i;

	FOR_EACH(i, u->psc)
	{
		struct model_psc_entry *e = &u->psc[i];

		if (!e->valid || (did != MODEL_ANY_DID && e->did != did) ||
		    (match_pasid && e->pasid != pasid) ||
		    (stage >= 0 && e->first_stage != (stage == 1)))
			continue;
		e->valid = false;
		u->stats.flushed[MODEL_CACHE_PSC]++;
	}
}

/*
 * VT-d §6.5.2.3 IOTLB invalidation: gran 1 global, 2 domain, 3 page
 * (2^am pages at addr, ih = keep paging-structure caches). In scalable
 * mode this covers second-level-only and pass-through mappings and, as the
 * SL stage of nested mappings, every nested mapping of the domain.
 */
void model_inv_iotlb(struct model_unit *u, int gran, uint16_t did, uint64_t addr, unsigned int am,
		     bool ih)
{
	uint64_t len = MODEL_PAGE_SIZE << am;
	unsigned int i;

	addr &= ~(len - 1);
	u->stats.flushes[MODEL_CACHE_IOTLB]++;
	FOR_EACH(i, u->iotlb)
	{
		struct model_iotlb_entry *e = &u->iotlb[i];
		bool hit;

		if (!e->valid)
			continue;
		if (gran == 1)
			hit = true;
		else if (e->did != did || e->map.kind == MODEL_KIND_FL)
			hit = false;
		else if (gran == 2 || e->map.kind == MODEL_KIND_NESTED)
			hit = true;
		else
			hit = gran == 3 && overlaps(e->map.in_base, e->map.size, addr, len);
		if (hit) {
			e->valid = false;
			u->stats.flushed[MODEL_CACHE_IOTLB]++;
		}
	}
	u->stats.flushes[MODEL_CACHE_PSC]++;
	if (gran == 1)
		psc_drop(u, MODEL_ANY_DID, false, 0, -1);
	else if (gran == 2 || !ih)
		psc_drop(u, did, false, 0, 0);
}

/*
 * VT-d §6.5.2.4 PASID-based IOTLB invalidation: gran 2 all mappings of
 * (did, pasid), 3 page-selective within them. Covers first-level and
 * nested mappings.
 */
void model_inv_piotlb(struct model_unit *u, int gran, uint16_t did, uint32_t pasid, uint64_t addr,
		      unsigned int am, bool ih)
{
	uint64_t len = MODEL_PAGE_SIZE << am;
	unsigned int i;

	addr &= ~(len - 1);
	u->stats.flushes[MODEL_CACHE_IOTLB]++;
	FOR_EACH(i, u->iotlb)
	{
		struct model_iotlb_entry *e = &u->iotlb[i];

		if (!e->valid || e->did != did || e->pasid != pasid ||
		    (e->map.kind != MODEL_KIND_FL && e->map.kind != MODEL_KIND_NESTED))
			continue;
		if (gran == 3 && !overlaps(e->map.in_base, e->map.size, addr, len))
			continue;
		e->valid = false;
		u->stats.flushed[MODEL_CACHE_IOTLB]++;
	}
	u->stats.flushes[MODEL_CACHE_PSC]++;
	if (gran == 2 || !ih)
		psc_drop(u, did, true, pasid, 1);
}

/*
 * VT-d §6.5.2.5 / §6.5.2.6 device-TLB invalidation. With s, the range is
 * encoded in addr: the lowest clear bit at or above bit 12 gives the size
 * (PCIe ATS §10.3.1). all_pasids selects every PASID (P_DEVTLB G=1);
 * otherwise only entries of pasid (MODEL_NO_PASID for type 3).
 */
void model_inv_devtlb(struct model_unit *u, uint16_t sid, uint32_t pasid, bool all_pasids,
		      uint64_t addr, bool s, bool global)
{
	uint64_t base = addr & MODEL_PAGE_MASK, len = MODEL_PAGE_SIZE;
	unsigned int i, k;

	(void)global;
	if (s) {
		for (k = MODEL_PAGE_SHIFT; k < 64 && (addr & (1ULL << k)); k++)
			;
		if (k >= 63) {
			base = 0;
			len = ~0ULL;
		} else {
			len = 1ULL << (k + 1);
			base = addr & ~(len - 1);
		}
	}
	u->stats.flushes[MODEL_CACHE_DEVTLB]++;
	FOR_EACH(i, u->devtlb)
	{
		struct model_devtlb_entry *e = &u->devtlb[i];

		if (!e->valid || e->sid != sid || (!all_pasids && e->pasid != pasid))
			continue;
		if (len != ~0ULL && !overlaps(e->in_base, e->size, base, len))
			continue;
		e->valid = false;
		u->stats.flushed[MODEL_CACHE_DEVTLB]++;
	}
}
