// SPDX-License-Identifier: MIT
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
#include <stddef.h>
#include <string.h>

#include "model_internal.h"

/* ---- one cache array, whatever its entry kind ----------------------------
 * Every entry struct begins with "bool valid". struct table describes one
 * cache so that search, replacement, counting and invalidation are written
 * once; what is specific to a cache (its tag, VT-d §6.2, and which entries
 * an invalidation covers, §6.5.2) is a predicate next to its functions.
 */
struct table {
	void *ent;
	size_t size; /* bytes per entry */
	unsigned int n;
	unsigned int *next; /* round-robin victim */
};

#define TABLE(u, arr)                                                                           \
	((struct table){ (u)->arr, sizeof((u)->arr[0]), sizeof((u)->arr) / sizeof((u)->arr[0]), \
			 &(u)->arr##_next })

_Static_assert(offsetof(struct model_cc_entry, valid) == 0, "valid first");
_Static_assert(offsetof(struct model_pc_entry, valid) == 0, "valid first");
_Static_assert(offsetof(struct model_iotlb_entry, valid) == 0, "valid first");
_Static_assert(offsetof(struct model_psc_entry, valid) == 0, "valid first");
_Static_assert(offsetof(struct model_devtlb_entry, valid) == 0, "valid first");

/* Does entry e match arg (a key entry, or the operands of an invalidation)? */
typedef bool (*match_fn)(const void *e, const void *arg);

static bool *entry(const struct table *t, unsigned int i)
{
	return (bool *)((char *)t->ent + (size_t)i * t->size);
}

/* The first valid entry that match() accepts, or NULL. */
static void *find(const struct table *t, match_fn match, const void *arg)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (*entry(t, i) && match(entry(t, i), arg))
			return entry(t, i);
	return NULL;
}

/* Where a fill writes: the entry already holding the tag, else the victim. */
static void *slot(const struct table *t, void *hit)
{
	if (hit)
		return hit;
	hit = entry(t, *t->next);
	*t->next = (*t->next + 1) % t->n;
	return hit;
}

static struct table table_of(struct model_unit *u, enum model_cache which)
{
	switch (which) {
	case MODEL_CACHE_CONTEXT:
		return TABLE(u, cc);
	case MODEL_CACHE_PASID:
		return TABLE(u, pc);
	case MODEL_CACHE_IOTLB:
		return TABLE(u, iotlb);
	case MODEL_CACHE_PSC:
		return TABLE(u, psc);
	case MODEL_CACHE_DEVTLB:
		return TABLE(u, devtlb);
	default:
		return (struct table){ NULL, 0, 0, NULL };
	}
}

/* Invalidate the valid entries of cache which that hit() selects. */
static void drop(struct model_unit *u, enum model_cache which, match_fn hit, const void *arg)
{
	struct table t = table_of(u, which);
	unsigned int i;

	for (i = 0; i < t.n; i++) {
		bool *valid = entry(&t, i);

		if (*valid && hit(valid, arg)) {
			*valid = false;
			u->stats.flushed[which]++;
		}
	}
}

unsigned int model_cache_count(struct model_unit *u, enum model_cache which)
{
	struct table t = table_of(u, which);
	unsigned int i, n = 0;

	for (i = 0; i < t.n; i++)
		n += *entry(&t, i);
	return n;
}

/* Is addr inside the naturally aligned page [base, base + size)? */
static bool in_page(uint64_t addr, uint64_t base, uint64_t size)
{
	return (addr & ~(size - 1)) == base;
}

/* ---- context cache, VT-d §6.2.1: tagged by source-id and mode ------------ */

static bool cc_match(const void *p, const void *arg)
{
	const struct model_cc_entry *e = p, *k = arg;

	return e->sid == k->sid && e->scalable == k->scalable;
}

struct model_cc_entry *model_cc_lookup(struct model_unit *u, uint16_t sid, bool scalable)
{
	struct table t = TABLE(u, cc);
	struct model_cc_entry k = { .sid = sid, .scalable = scalable };

	return find(&t, cc_match, &k);
}

void model_cc_fill(struct model_unit *u, uint16_t sid, bool scalable, uint16_t did,
		   const uint64_t *val)
{
	struct table t = TABLE(u, cc);
	struct model_cc_entry *e = slot(&t, model_cc_lookup(u, sid, scalable));

	memset(e, 0, sizeof(*e));
	e->valid = true;
	e->sid = sid;
	e->scalable = scalable;
	e->did = did;
	memcpy(e->val, val, (scalable ? 4 : 2) * sizeof(uint64_t));
}

/* ---- PASID cache, VT-d §6.2.2: tagged by source-id and PASID ------------- */

static bool pc_match(const void *p, const void *arg)
{
	const struct model_pc_entry *e = p, *k = arg;

	return e->sid == k->sid && e->pasid == k->pasid;
}

struct model_pc_entry *model_pc_lookup(struct model_unit *u, uint16_t sid, uint32_t pasid)
{
	struct table t = TABLE(u, pc);
	struct model_pc_entry k = { .sid = sid, .pasid = pasid };

	return find(&t, pc_match, &k);
}

void model_pc_fill(struct model_unit *u, uint16_t sid, uint32_t pasid, bool fpd,
		   const uint64_t *val)
{
	struct table t = TABLE(u, pc);
	struct model_pc_entry *e = slot(&t, model_pc_lookup(u, sid, pasid));

	e->valid = true;
	e->sid = sid;
	e->pasid = pasid;
	e->fpd = fpd;
	e->did = (uint16_t)MODEL_PE_DID(val[1]);
	memcpy(e->val, val, 8 * sizeof(uint64_t));
}

/* ---- IOTLB, VT-d §6.2.3: tagged by DID and PASID, one page each ---------- */

static bool iotlb_match(const void *p, const void *arg)
{
	const struct model_iotlb_entry *e = p, *k = arg;

	return e->did == k->did && e->pasid == k->pasid &&
	       in_page(k->map.in_base, e->map.in_base, e->map.size);
}

struct model_iotlb_entry *model_iotlb_lookup(struct model_unit *u, uint16_t did, uint32_t pasid,
					     uint64_t addr)
{
	struct table t = TABLE(u, iotlb);
	struct model_iotlb_entry k = { .did = did, .pasid = pasid, .map.in_base = addr };

	return find(&t, iotlb_match, &k);
}

void model_iotlb_fill(struct model_unit *u, uint16_t did, uint32_t pasid, const struct model_map *m)
{
	struct table t = TABLE(u, iotlb);
	struct model_iotlb_entry *e = model_iotlb_lookup(u, did, pasid, m->in_base);

	/* A page of another size covering the address is a different entry. */
	if (e && e->map.size != m->size)
		e = NULL;
	e = slot(&t, e);
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
static bool psc_match(const void *p, const void *arg)
{
	const struct model_psc_entry *e = p, *k = arg;

	return e->did == k->did && e->pasid == k->pasid && e->first_stage == k->first_stage &&
	       e->level == k->level && e->in_prefix == k->in_prefix;
}

struct model_psc_entry *model_psc_lookup(struct model_unit *u, uint16_t did, uint32_t pasid,
					 bool first_stage, uint64_t addr, int top_level)
{
	struct table t = TABLE(u, psc);
	struct model_psc_entry k = { .did = did, .pasid = pasid, .first_stage = first_stage };
	struct model_psc_entry *e;

	for (k.level = 1; k.level < top_level; k.level++) {
		k.in_prefix = addr >> (MODEL_PAGE_SHIFT + 9 * k.level);
		e = find(&t, psc_match, &k);
		if (e) {
			u->stats.hits[MODEL_CACHE_PSC]++;
			return e;
		}
	}
	u->stats.misses[MODEL_CACHE_PSC]++;
	return NULL;
}

void model_psc_fill(struct model_unit *u, const struct model_psc_entry *n)
{
	struct table t = TABLE(u, psc);
	struct model_psc_entry *e = slot(&t, find(&t, psc_match, n));

	*e = *n;
	e->valid = true;
}

/* ---- device-TLB (the ATS cache in the endpoint), VT-d §4 -------------------- */

static bool devtlb_match(const void *p, const void *arg)
{
	const struct model_devtlb_entry *e = p, *k = arg;

	return e->sid == k->sid && e->pasid == k->pasid && in_page(k->in_base, e->in_base, e->size);
}

struct model_devtlb_entry *model_devtlb_lookup(struct model_unit *u, uint16_t sid, uint32_t pasid,
					       uint64_t addr)
{
	struct table t = TABLE(u, devtlb);
	struct model_devtlb_entry k = { .sid = sid, .pasid = pasid, .in_base = addr };

	return find(&t, devtlb_match, &k);
}

void model_devtlb_fill(struct model_unit *u, const struct model_devtlb_entry *n)
{
	struct table t = TABLE(u, devtlb);
	struct model_devtlb_entry *e = slot(&t,
					    model_devtlb_lookup(u, n->sid, n->pasid, n->in_base));

	*e = *n;
	e->valid = true;
}

/* ---- invalidation, VT-d §6.5.2 ---------------------------------------------- */

/* The operands of one invalidation request, as the hit predicates see them. */
struct inv {
	int gran;
	uint32_t did;		/* MODEL_ANY_DID: every domain (PSC only) */
	uint16_t sid, sid_mask; /* sid_mask: source-id bits ignored (FM) */
	bool match_pasid;
	uint32_t pasid;
	int stage;	    /* PSC: 0 SL, 1 FL, -1 both */
	uint64_t addr, len; /* page-selective range; len ~0: everything */
};

static bool overlaps(uint64_t base, uint64_t size, uint64_t lo, uint64_t len)
{
	return base < lo + len && lo < base + size;
}

/* Page-selective operands: 2^am pages, naturally aligned, at addr. */
static void page_range(struct inv *v, uint64_t addr, unsigned int am)
{
	v->len = MODEL_PAGE_SIZE << am;
	v->addr = addr & ~(v->len - 1);
}

/*
 * VT-d §6.5.2.1 context-cache invalidation: gran 1 global, 2 domain
 * (did), 3 device (sid under function mask fm, and did). Scalable-mode
 * context entries carry no DID: domain and device granularity ignore it.
 */
static bool cc_inv_hit(const void *p, const void *arg)
{
	const struct model_cc_entry *e = p;
	const struct inv *v = arg;

	switch (v->gran) {
	case 1:
		return true;
	case 2:
		return e->scalable || e->did == v->did;
	case 3:
		return (e->sid | v->sid_mask) == (v->sid | v->sid_mask) &&
		       (e->scalable || e->did == v->did);
	default:
		return false;
	}
}

void model_inv_context(struct model_unit *u, int gran, uint16_t did, uint16_t sid, uint8_t fm)
{
	static const uint16_t fm_mask[4] = { 0, 0x4, 0x6, 0x7 };
	struct inv v = { .gran = gran, .did = did, .sid = sid, .sid_mask = fm_mask[fm & 3] };

	u->stats.flushes[MODEL_CACHE_CONTEXT]++;
	drop(u, MODEL_CACHE_CONTEXT, cc_inv_hit, &v);
}

/*
 * VT-d §6.5.2.2 PASID-cache invalidation: gran 0 domain (did), 1 PASID
 * (did and pasid), 3 global. The DID compared is the one the cached
 * entry was tagged with when it was filled.
 */
static bool pc_inv_hit(const void *p, const void *arg)
{
	const struct model_pc_entry *e = p;
	const struct inv *v = arg;

	return v->gran == 3 || (v->gran == 0 && e->did == v->did) ||
	       (v->gran == 1 && e->did == v->did && e->pasid == v->pasid);
}

void model_inv_pasid_cache(struct model_unit *u, int gran, uint16_t did, uint32_t pasid)
{
	struct inv v = { .gran = gran, .did = did, .pasid = pasid };

	u->stats.flushes[MODEL_CACHE_PASID]++;
	drop(u, MODEL_CACHE_PASID, pc_inv_hit, &v);
}

/* Paging-structure caches go with the IOTLB invalidations (VT-d §6.5.2.3/4). */
static bool psc_inv_hit(const void *p, const void *arg)
{
	const struct model_psc_entry *e = p;
	const struct inv *v = arg;

	return (v->did == MODEL_ANY_DID || e->did == v->did) &&
	       (!v->match_pasid || e->pasid == v->pasid) &&
	       (v->stage < 0 || e->first_stage == (v->stage == 1));
}

static void psc_drop(struct model_unit *u, uint32_t did, bool match_pasid, uint32_t pasid,
		     int stage /* 0 SL, 1 FL, -1 both */)
{
	struct inv v = { .did = did, .match_pasid = match_pasid, .pasid = pasid, .stage = stage };

	drop(u, MODEL_CACHE_PSC, psc_inv_hit, &v);
}

/*
 * VT-d §6.5.2.3 IOTLB invalidation: gran 1 global, 2 domain, 3 page
 * (2^am pages at addr, ih = keep paging-structure caches). In scalable
 * mode this covers second-level-only and pass-through mappings and, as the
 * SL stage of nested mappings, every nested mapping of the domain.
 */
static bool iotlb_inv_hit(const void *p, const void *arg)
{
	const struct model_iotlb_entry *e = p;
	const struct inv *v = arg;

	if (v->gran == 1)
		return true;
	if (e->did != v->did || e->map.kind == MODEL_KIND_FL)
		return false;
	if (v->gran == 2 || e->map.kind == MODEL_KIND_NESTED)
		return true;
	return v->gran == 3 && overlaps(e->map.in_base, e->map.size, v->addr, v->len);
}

void model_inv_iotlb(struct model_unit *u, int gran, uint16_t did, uint64_t addr, unsigned int am,
		     bool ih)
{
	struct inv v = { .gran = gran, .did = did };

	page_range(&v, addr, am);
	u->stats.flushes[MODEL_CACHE_IOTLB]++;
	drop(u, MODEL_CACHE_IOTLB, iotlb_inv_hit, &v);
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
static bool piotlb_inv_hit(const void *p, const void *arg)
{
	const struct model_iotlb_entry *e = p;
	const struct inv *v = arg;

	if (e->did != v->did || e->pasid != v->pasid ||
	    (e->map.kind != MODEL_KIND_FL && e->map.kind != MODEL_KIND_NESTED))
		return false;
	return v->gran != 3 || overlaps(e->map.in_base, e->map.size, v->addr, v->len);
}

void model_inv_piotlb(struct model_unit *u, int gran, uint16_t did, uint32_t pasid, uint64_t addr,
		      unsigned int am, bool ih)
{
	struct inv v = { .gran = gran, .did = did, .pasid = pasid };

	page_range(&v, addr, am);
	u->stats.flushes[MODEL_CACHE_IOTLB]++;
	drop(u, MODEL_CACHE_IOTLB, piotlb_inv_hit, &v);
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
static bool devtlb_inv_hit(const void *p, const void *arg)
{
	const struct model_devtlb_entry *e = p;
	const struct inv *v = arg;

	if (e->sid != v->sid || (v->match_pasid && e->pasid != v->pasid))
		return false;
	return v->len == ~0ULL || overlaps(e->in_base, e->size, v->addr, v->len);
}

void model_inv_devtlb(struct model_unit *u, uint16_t sid, uint32_t pasid, bool all_pasids,
		      uint64_t addr, bool s, bool global)
{
	struct inv v = { .sid = sid, .match_pasid = !all_pasids, .pasid = pasid };
	unsigned int k;

	(void)global;
	v.addr = addr & MODEL_PAGE_MASK;
	v.len = MODEL_PAGE_SIZE;
	if (s) {
		for (k = MODEL_PAGE_SHIFT; k < 64 && (addr & (1ULL << k)); k++)
			;
		if (k >= 63) {
			v.addr = 0;
			v.len = ~0ULL;
		} else {
			v.len = 1ULL << (k + 1);
			v.addr = addr & ~(v.len - 1);
		}
	}
	u->stats.flushes[MODEL_CACHE_DEVTLB]++;
	drop(u, MODEL_CACHE_DEVTLB, devtlb_inv_hit, &v);
}
