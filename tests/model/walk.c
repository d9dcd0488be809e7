// SPDX-License-Identifier: MIT
/*
 * walk.c - DMA-remapping table walks, VT-d chapter 3 (translation) and
 * chapter 9 (entry formats), with the fault conditions of §7.1.3.
 *
 * Legacy mode (RTADDR.TTM = 00): root entry -> context entry -> SL tables.
 * Scalable mode (TTM = 01): root entry (lower half for devfn < 0x80) ->
 * 256-bit context entry -> PASID directory -> 512-bit PASID entry -> by
 * PGTT: first level (001), second level (010), nested (011) or
 * pass-through (100).
 *
 * The walker can read and fill the caches (cache.c) or ignore them; the
 * second use gives the "fresh" answer that stale-detection compares with.
 */
#include <string.h>

#include "model_internal.h"

#define INTR_ADDR_FIRST 0xFEE00000ULL
#define INTR_ADDR_LAST	0xFEEFFFFFULL

struct walk {
	struct model_unit *u;
	const struct model_req *req;
	const struct model_walk_ctl *ctl;
	struct model_walk_out *out;
	bool sm; /* scalable mode: selects the fault numbering */
	uint16_t did;
	uint32_t pasid; /* tag for PSC entries */
};

static int rd(struct walk *w, uint64_t hpa, void *buf, size_t len)
{
	return model_mem_read(w->u, hpa, buf, len);
}

static unsigned int level_shift(int lvl)
{
	return MODEL_PAGE_SHIFT + 9 * (unsigned int)(lvl - 1);
}

/* SL levels for an AW field value (VT-d §9.3): 1 -> 3, 2 -> 4, 3 -> 5. */
static bool aw_supported(struct model_unit *u, unsigned int aw)
{
	return aw >= 1 && aw <= 3 && (MODEL_CAP_SAGAW(u->cap) & (1u << aw));
}

/* Input-address width a walk of this many levels accepts, capped by MGAW. */
static unsigned int input_width(struct model_unit *u, int levels)
{
	unsigned int agaw = MODEL_PAGE_SHIFT + 9 * (unsigned int)levels;
	unsigned int mgaw = (unsigned int)MODEL_CAP_MGAW(u->cap);

	return agaw < mgaw ? agaw : mgaw;
}

static bool beyond(uint64_t addr, unsigned int width)
{
	return width < 64 && (addr >> width);
}

/* Count a cache lookup as a hit or a miss; returns the entry found. */
static void *counted(struct model_unit *u, enum model_cache which, void *hit)
{
	u->stats.hits[which] += hit != NULL;
	u->stats.misses[which] += hit == NULL;
	return hit;
}

/* ---- one paging-structure level, shared by the SL and FL walks ----------
 * Both formats index a 4 KiB table with 9 input bits a level (VT-d §3.6,
 * §3.7) and may resume at, or record, a non-leaf entry in the
 * paging-structure caches (§6.2.4). The format rules stay in each walk.
 */

/* Read the entry that translates addr in the level-lvl table at HPA table. */
static int read_pte(struct walk *w, uint64_t table, uint64_t addr, int lvl, uint64_t *ea,
		    uint64_t *e)
{
	*ea = table + ((addr >> level_shift(lvl)) & 0x1FF) * 8;
	return rd(w, *ea, e, sizeof(*e));
}

/* The deepest cached table for addr, to start the walk from (or NULL). */
static struct model_psc_entry *psc_start(struct walk *w, bool first_stage, uint64_t addr,
					 int levels)
{
	struct model_psc_entry *p;

	if (!w->ctl->use_cache)
		return NULL;
	p = model_psc_lookup(w->u, w->did, w->pasid, first_stage, addr, levels);
	if (p)
		w->out->cached = true;
	return p;
}

/*
 * Cache the non-leaf entry just read at level lvl: the next table is at
 * HPA table, with the permissions in perm accumulated so far.
 */
static void psc_put(struct walk *w, struct model_psc_entry perm, bool first_stage, int lvl,
		    uint64_t addr, uint64_t table)
{
	if (!w->ctl->fill_cache)
		return;
	perm.did = w->did;
	perm.pasid = w->pasid;
	perm.first_stage = first_stage;
	perm.level = lvl - 1;
	perm.in_prefix = addr >> level_shift(lvl);
	perm.table = table;
	model_psc_fill(w->u, &perm);
}

/* ---- second level, VT-d §3.7 / §9.8 ---------------------------------- */

struct sl_res {
	uint64_t out_base, size;
	bool r, w;
};

/*
 * Walk SL tables rooted at HPA root for input address addr (GPA / IOVA).
 * write selects the not-present fault in legacy mode; set_d asks for the
 * D flag (SLADE). Returns 0 or a fault reason.
 */
static uint8_t sl_walk(struct walk *w, uint64_t root, int levels, uint64_t addr, bool write,
		       bool slade, bool use_psc, struct sl_res *res)
{
	struct model_unit *u = w->u;
	uint64_t table = root, e;
	bool r = true, wr = true;
	int lvl = levels;

	struct model_psc_entry *p = use_psc ? psc_start(w, false, addr, levels) : NULL;

	if (p) {
		table = p->table;
		lvl = p->level;
		r = p->r;
		wr = p->w;
	}
	for (; lvl >= 1; lvl--) {
		unsigned int sh = level_shift(lvl);
		uint64_t ea;
		bool leaf;

		if (read_pte(w, table, addr, lvl, &ea, &e)) {
			if (!w->sm)
				return MODEL_FR_SL_ACCESS;
			return lvl == levels ? MODEL_FR_SM_SLPTR_INV : MODEL_FR_SM_SL_ACCESS;
		}
		if (!(e & (MODEL_SL_R | MODEL_SL_W))) {
			if (w->sm)
				return MODEL_FR_SM_SL_P;
			return write ? MODEL_FR_WRITE : MODEL_FR_READ;
		}
		leaf = lvl == 1 || (e & MODEL_SL_PS);
		/* VT-d §9.8: reserved bits; PS only where CAP.SLLPS allows it. */
		if ((e & MODEL_SL_RSVD_HI) ||
		    ((e & MODEL_SL_PS) &&
		     (lvl > 3 || (lvl == 3 && !(u->cap & MODEL_CAP_SLLPS_1G)) ||
		      (lvl == 2 && !(u->cap & MODEL_CAP_SLLPS_2M)))) ||
		    (leaf && lvl > 1 && (e & MODEL_GENMASK(sh - 1, MODEL_PAGE_SHIFT))))
			return w->sm ? MODEL_FR_SM_SL_RSVD : MODEL_FR_SL_RSVD;
		r = r && (e & MODEL_SL_R);
		wr = wr && (e & MODEL_SL_W);
		if (slade && w->ctl->side_effects) {
			uint64_t ne = e | MODEL_SL_A;

			if (leaf && write && wr)
				ne |= MODEL_SL_D;
			if (ne != e)
				model_mem_write64(u, ea, ne);
		}
		if (leaf) {
			res->size = 1ULL << sh;
			res->out_base = (e & MODEL_SL_ADDR) & ~(res->size - 1);
			res->r = r;
			res->w = wr;
			return 0;
		}
		table = e & MODEL_SL_ADDR;
		if (use_psc)
			psc_put(w, (struct model_psc_entry){ .r = r, .w = wr }, false, lvl, addr,
				table);
	}
	return w->sm ? MODEL_FR_SM_SL_RSVD : MODEL_FR_SL_RSVD; /* not reached */
}

/* ---- first level, VT-d §3.6 / §9.7, nested §3.8 ----------------------- */

struct nest {
	bool on;
	uint64_t slptr;
	int sl_levels;
	bool slade;
};

struct fl_res {
	uint64_t out_base, size; /* GPA (nested) or HPA */
	bool rw, us, xd, dirty;
	uint64_t leaf_ea;  /* HPA of the leaf entry */
	bool leaf_table_w; /* SL lets hardware write the leaf table */
};

/* Nested: translate the GPA of an FL table through SL (VT-d §3.8). */
static uint8_t fl_table_hpa(struct walk *w, const struct nest *n, uint64_t gpa, bool top,
			    uint64_t *hpa, bool *sl_w)
{
	struct sl_res s = { 0 };
	uint8_t f;

	if (!n->on) {
		*hpa = gpa;
		*sl_w = true;
		return 0;
	}
	if (beyond(gpa, input_width(w->u, n->sl_levels)))
		return MODEL_FR_SM_NEST_FL_AW;
	f = sl_walk(w, n->slptr, n->sl_levels, gpa, false, n->slade, false, &s);
	if (f)
		return f;
	if (!s.r)
		return top ? MODEL_FR_SM_NEST_FLPTR_READ : MODEL_FR_SM_NEST_FL_READ;
	*hpa = s.out_base | (gpa & (s.size - 1));
	*sl_w = s.w;
	return 0;
}

static uint8_t fl_walk(struct walk *w, const uint64_t *pe, uint64_t addr, const struct nest *n,
		       struct fl_res *res)
{
	struct model_unit *u = w->u;
	int levels = MODEL_PE_FLPM(pe[2]) ? 5 : 4;
	bool eafe = pe[2] & MODEL_PE_EAFE;
	uint64_t table_gpa = pe[2] & MODEL_PE_FLPTR, table, e;
	unsigned int vbits = level_shift(levels) + 9; /* 48 or 57 */
	bool rw = true, us = true, xd = false, tw = true;
	int lvl = levels;
	bool from_psc = false;
	struct model_psc_entry *p;
	uint64_t top;

	/* VT-d §3.6: the input must be canonical for the paging mode. */
	top = (uint64_t)((int64_t)(addr << (64 - vbits)) >> (64 - vbits));
	if (top != addr)
		return MODEL_FR_SM_NONCANONICAL;

	p = psc_start(w, true, addr, levels);
	if (p) {
		table = p->table;
		lvl = p->level;
		rw = p->w;
		us = p->us;
		xd = p->xd;
		from_psc = true;
	}
	for (; lvl >= 1; lvl--) {
		unsigned int sh = level_shift(lvl);
		uint64_t ea, need;
		bool leaf;
		uint8_t f;

		if (!from_psc) {
			f = fl_table_hpa(w, n, table_gpa, lvl == levels, &table, &tw);
			if (f)
				return f;
		}
		from_psc = false;
		if (read_pte(w, table, addr, lvl, &ea, &e))
			return lvl == levels ? MODEL_FR_SM_FLPTR_ACCESS : MODEL_FR_SM_FL_ACCESS;
		if (!(e & MODEL_FL_P))
			return MODEL_FR_SM_FL_P;
		leaf = lvl == 1 || (e & MODEL_FL_PS);
		/* VT-d §9.7: PS reserved at PML5/PML4, at PDPE without FL1GP. */
		if (((e & MODEL_FL_PS) && (lvl > 3 || (lvl == 3 && !(u->cap & MODEL_CAP_FL1GP)))) ||
		    (leaf && lvl > 1 && (e & MODEL_GENMASK(sh - 1, MODEL_PAGE_SHIFT + 1))) ||
		    (e & MODEL_GENMASK(62, 52)))
			return MODEL_FR_SM_FL_RSVD;
		rw = rw && (e & MODEL_FL_RW);
		us = us && (e & MODEL_FL_US);
		xd = xd || (e & MODEL_FL_XD);
		/* VT-d §3.6.2: hardware sets A (and EA with EAFE) on every level. */
		need = MODEL_FL_A | (eafe ? MODEL_FL_EA : 0);
		if ((e & need) != need) {
			if (!tw)
				return MODEL_FR_SM_NEST_FL_WRITE;
			if (w->ctl->side_effects)
				model_mem_write64(u, ea, e | need);
		}
		if (leaf) {
			res->size = 1ULL << sh;
			res->out_base = (e & MODEL_FL_ADDR) & ~(res->size - 1);
			res->rw = rw;
			res->us = us;
			res->xd = xd;
			res->dirty = e & MODEL_FL_D;
			res->leaf_ea = ea;
			res->leaf_table_w = tw;
			return 0;
		}
		table_gpa = e & MODEL_FL_ADDR;
		/* Nested PSC entries would need the SL translation of the next
		 * table; only FL-only walks are cached here. */
		if (!n->on)
			psc_put(w,
				(struct model_psc_entry){ .r = true, .w = rw, .us = us, .xd = xd },
				true, lvl, addr, table_gpa);
	}
	return MODEL_FR_SM_FL_RSVD; /* not reached */
}

/* ---- permission check, shared by walks and cache hits -------------------- */

uint8_t model_check_access(const struct model_map *m, const struct model_req *req, bool priv)
{
	if (m->fl) {
		/* VT-d §3.6.2: x86 rules; WPE makes RO apply to supervisors. */
		if (!priv && !m->fl_us)
			return MODEL_FR_SM_FL_US;
		if (req->exec && m->fl_xd)
			return MODEL_FR_SM_FL_XD;
		if (req->write && !m->fl_rw && (!priv || m->wpe))
			return MODEL_FR_SM_WRITE;
	}
	if (req->write && !m->sl_w)
		return m->scalable ? MODEL_FR_SM_WRITE : MODEL_FR_WRITE;
	if (!req->write && !m->sl_r)
		return m->scalable ? MODEL_FR_SM_READ : MODEL_FR_READ;
	return 0;
}

static void map_identity(struct model_map *m, uint64_t addr, bool sm)
{
	memset(m, 0, sizeof(*m));
	m->kind = MODEL_KIND_PT;
	m->in_base = addr & MODEL_PAGE_MASK;
	m->out_base = m->in_base;
	m->size = MODEL_PAGE_SIZE;
	m->sl_r = m->sl_w = m->sl_x = true;
	m->scalable = sm;
}

/* The map of a second-level-only translation (legacy, or PGTT=010). */
static void map_sl(struct model_map *m, uint64_t addr, const struct sl_res *s)
{
	m->kind = MODEL_KIND_SL;
	m->size = s->size;
	m->in_base = addr & ~(s->size - 1);
	m->out_base = s->out_base;
	m->sl_r = s->r;
	m->sl_w = s->w;
	m->sl_x = true;
}

/*
 * VT-d §6.2.1: a context-cache hit stands in for the root and context
 * entries (2 quadwords in legacy mode, 4 in scalable mode).
 */
static bool cc_hit(struct walk *w, bool scalable, uint64_t *ce)
{
	struct model_cc_entry *c;

	if (!w->ctl->use_cache)
		return false;
	c = counted(w->u, MODEL_CACHE_CONTEXT, model_cc_lookup(w->u, w->req->sid, scalable));
	if (!c)
		return false;
	w->out->cached = true;
	memcpy(ce, c->val, (scalable ? 4 : 2) * sizeof(uint64_t));
	return true;
}

/* The root entry of the request's bus (VT-d §3.4.2, §3.4.3). */
static int read_root(struct walk *w, uint64_t re[2])
{
	uint64_t rta = w->u->rtaddr_latched & MODEL_RTADDR_RTA;

	return rd(w, rta + (w->req->sid >> 8) * 16, re, 2 * sizeof(uint64_t));
}

/*
 * VT-d §6.2.3: an IOTLB hit for the request, tagged (did, pasid), copied
 * to the output. A write through an FL mapping whose D flag is clear must
 * walk again so hardware can set D; legacy maps are never FL.
 */
static bool iotlb_hit(struct walk *w, uint32_t pasid, bool priv)
{
	const struct model_req *req = w->req;
	struct model_iotlb_entry *t;

	if (!w->ctl->use_cache)
		return false;
	t = model_iotlb_lookup(w->u, w->did, pasid, req->addr);
	if (t && req->write && t->map.fl && !t->map.fl_dirty &&
	    !model_check_access(&t->map, req, priv))
		t = NULL;
	if (!counted(w->u, MODEL_CACHE_IOTLB, t))
		return false;
	w->out->map = t->map;
	w->out->cached = true;
	w->out->src = MODEL_SRC_IOTLB;
	return true;
}

/* ---- legacy mode, VT-d §3.4.2 / §9.1 / §9.3 ------------------------------ */

static uint8_t legacy_context(struct walk *w, uint64_t ce[2])
{
	struct model_unit *u = w->u;
	uint16_t sid = w->req->sid;
	uint64_t re[2];

	if (cc_hit(w, false, ce))
		return 0;
	if (read_root(w, re))
		return MODEL_FR_ROOT_ACCESS;
	if (!(re[0] & MODEL_RE_P))
		return MODEL_FR_ROOT_P;
	if ((re[0] & MODEL_RE_RSVD_LO) || re[1])
		return MODEL_FR_ROOT_RSVD;
	if (rd(w, (re[0] & MODEL_RE_CTP) + (sid & 0xFF) * 16, ce, 2 * sizeof(uint64_t)))
		return MODEL_FR_CTX_ACCESS;
	if (!(ce[0] & MODEL_CE_P))
		return MODEL_FR_CTX_P;
	if ((ce[0] & MODEL_CE_RSVD_LO) || (ce[1] & MODEL_CE_RSVD_HI))
		return MODEL_FR_CTX_RSVD;
	/* VT-d §9.3: TT 11b reserved, 10b needs ECAP.PT, AW must be in SAGAW. */
	switch (MODEL_CE_TT(ce[0])) {
	case MODEL_CE_TT_PT:
		if (!(u->ecap & MODEL_ECAP_PT))
			return MODEL_FR_CTX_INV;
		break;
	case MODEL_CE_TT_ALL:
		if (!(u->ecap & MODEL_ECAP_DT))
			return MODEL_FR_CTX_INV;
		/* fallthrough */
	case MODEL_CE_TT_UNTRANSLATED:
		if (!aw_supported(u, (unsigned int)MODEL_CE_AW(ce[1])))
			return MODEL_FR_CTX_INV;
		break;
	default:
		return MODEL_FR_CTX_INV;
	}
	if (w->ctl->fill_cache)
		model_cc_fill(u, sid, false, (uint16_t)MODEL_CE_DID(ce[1]), ce);
	return 0;
}

static void legacy_request(struct walk *w)
{
	struct model_unit *u = w->u;
	const struct model_req *req = w->req;
	struct model_walk_out *out = w->out;
	uint64_t ce[2];
	struct sl_res s = { 0 };
	int levels;

	/* VT-d §7.1.3: requests with PASID are not supported in legacy mode. */
	if (req->pasid != MODEL_NO_PASID) {
		out->fault = MODEL_FR_SM_TTM0_PASID;
		return;
	}
	out->fault = legacy_context(w, ce);
	if (out->fault)
		return;
	out->fpd = ce[0] & MODEL_CE_FPD;
	out->did = w->did = (uint16_t)MODEL_CE_DID(ce[1]);
	w->pasid = MODEL_NO_PASID;
	if (req->ats && MODEL_CE_TT(ce[0]) != MODEL_CE_TT_ALL) {
		out->fault = MODEL_FR_TT_BLOCKED;
		return;
	}
	if (MODEL_CE_TT(ce[0]) == MODEL_CE_TT_PT) {
		map_identity(&out->map, req->addr, false);
		return;
	}
	levels = (int)MODEL_CE_AW(ce[1]) + 2;
	if (beyond(req->addr, input_width(u, levels))) {
		out->fault = MODEL_FR_ADDR_BEYOND_AW;
		return;
	}
	if (iotlb_hit(w, MODEL_NO_PASID, req->priv))
		return;
	out->fault = sl_walk(w, ce[0] & MODEL_CE_SLPTPTR, levels, req->addr, req->write, false,
			     true, &s);
	if (out->fault)
		return;
	memset(&out->map, 0, sizeof(out->map));
	map_sl(&out->map, req->addr, &s);
}

/* ---- scalable mode, VT-d §3.4.3 / §9.2 / §9.4 - §9.6 ----------------------- */

static uint8_t sm_context(struct walk *w, uint64_t ce[4])
{
	struct model_unit *u = w->u;
	uint16_t sid = w->req->sid;
	uint64_t re[2], ctp;
	unsigned int devfn = sid & 0xFF;
	int half = devfn >= 0x80;

	if (cc_hit(w, true, ce))
		return 0;
	if (read_root(w, re))
		return MODEL_FR_SM_ROOT_ACCESS;
	/* VT-d §9.2: lower half (LP/LCTP) for devfn 0-127, upper for 128-255. */
	if (!(re[half] & MODEL_RE_P))
		return MODEL_FR_SM_ROOT_P;
	if (re[half] & MODEL_RE_RSVD_LO)
		return MODEL_FR_SM_ROOT_RSVD;
	ctp = re[half] & MODEL_RE_CTP;
	if (rd(w, ctp + (devfn & 0x7F) * 32, ce, 4 * sizeof(uint64_t)))
		return MODEL_FR_SM_CTX_ACCESS;
	if (!(ce[0] & MODEL_SCE_P))
		return MODEL_FR_SM_CTX_P;
	if ((ce[0] & MODEL_SCE_RSVD0) || (ce[1] & MODEL_SCE_RSVD1) || ce[2] || ce[3])
		return MODEL_FR_SM_CTX_RSVD;
	if ((ce[0] & MODEL_SCE_DTE) && !(u->ecap & MODEL_ECAP_DT))
		return MODEL_FR_SM_CTX_INV;
	if ((ce[0] & MODEL_SCE_PRE) && !(u->ecap & MODEL_ECAP_PRS))
		return MODEL_FR_SM_CTX_INV;
	if (w->ctl->fill_cache)
		model_cc_fill(u, sid, true, 0, ce);
	return 0;
}

static bool pgtt_supported(struct model_unit *u, unsigned int pgtt)
{
	switch (pgtt) {
	case MODEL_PGTT_FL:
		return u->ecap & MODEL_ECAP_FLTS;
	case MODEL_PGTT_SL:
		return u->ecap & MODEL_ECAP_SLTS;
	case MODEL_PGTT_NESTED:
		return (u->ecap & MODEL_ECAP_NEST) && (u->ecap & MODEL_ECAP_FLTS) &&
		       (u->ecap & MODEL_ECAP_SLTS);
	case MODEL_PGTT_PT:
		return u->ecap & MODEL_ECAP_PT;
	default:
		return false;
	}
}

static uint8_t sm_pasid_entry(struct walk *w, const uint64_t ce[4], uint32_t pasid, uint64_t pe[8],
			      bool *fpd)
{
	struct model_unit *u = w->u;
	struct model_pc_entry *c = NULL;
	uint64_t pde, pt;
	unsigned int pgtt, i;
	bool dfpd;

	/* VT-d §6.2.2: a PASID-cache hit stands in for the PDE and PASID entry. */
	if (w->ctl->use_cache)
		c = counted(u, MODEL_CACHE_PASID, model_pc_lookup(u, w->req->sid, pasid));
	if (c) {
		w->out->cached = true;
		memcpy(pe, c->val, 8 * sizeof(uint64_t));
		*fpd = c->fpd || (pe[0] & MODEL_PE_FPD);
		return 0;
	}
	/* VT-d §3.4.3: PASID[19:6] indexes the directory, PASID[5:0] the table. */
	if (rd(w, (ce[0] & MODEL_SCE_PASIDDIRPTR) + (pasid >> 6) * 8, &pde, sizeof(pde)))
		return MODEL_FR_SM_PDE_ACCESS;
	if (!(pde & MODEL_PDE_P))
		return MODEL_FR_SM_PDE_P;
	if (pde & MODEL_PDE_RSVD & ~MODEL_PDE_FPD)
		return MODEL_FR_SM_PDE_RSVD;
	dfpd = pde & MODEL_PDE_FPD;
	*fpd = dfpd;
	pt = pde & MODEL_PDE_SMPTBLPTR;
	if (rd(w, pt + (pasid & 0x3F) * 64, pe, 8 * sizeof(uint64_t)))
		return MODEL_FR_SM_PE_ACCESS;
	if (!(pe[0] & MODEL_PE_P))
		return MODEL_FR_SM_PE_P;
	if ((pe[0] & MODEL_PE_RSVD0) || (pe[2] & MODEL_PE_RSVD2))
		return MODEL_FR_SM_PE_RSVD;
	for (i = 4; i < 8; i++)
		if (pe[i])
			return MODEL_FR_SM_PE_RSVD;
	/* VT-d §9.6: PGTT must be supported; AW and FLPM must be supported. */
	pgtt = (unsigned int)MODEL_PE_PGTT(pe[0]);
	if (!pgtt_supported(u, pgtt))
		return MODEL_FR_SM_PE_INV;
	if ((pgtt == MODEL_PGTT_SL || pgtt == MODEL_PGTT_NESTED) &&
	    !aw_supported(u, (unsigned int)MODEL_PE_AW(pe[0])))
		return MODEL_FR_SM_PE_INV;
	if (pgtt == MODEL_PGTT_FL || pgtt == MODEL_PGTT_NESTED) {
		uint64_t flpm = MODEL_PE_FLPM(pe[2]);

		if (flpm > 1 || (flpm == 1 && !(u->cap & MODEL_CAP_FL5LP)))
			return MODEL_FR_SM_PE_INV;
	}
	if ((pe[0] & MODEL_PE_SLADE) && !(u->ecap & MODEL_ECAP_SLADS))
		return MODEL_FR_SM_PE_INV;
	*fpd = dfpd || (pe[0] & MODEL_PE_FPD);
	if (w->ctl->fill_cache)
		model_pc_fill(u, w->req->sid, pasid, dfpd, pe);
	return 0;
}

/* Set the FL leaf D flag for a permitted write (VT-d §3.6.2). */
static uint8_t fl_set_dirty(struct walk *w, struct fl_res *f)
{
	uint64_t e;

	if (f->dirty)
		return 0;
	if (!f->leaf_table_w)
		return MODEL_FR_SM_NEST_FL_WRITE;
	if (w->ctl->side_effects && !rd(w, f->leaf_ea, &e, sizeof(e)))
		model_mem_write64(w->u, f->leaf_ea, e | MODEL_FL_D);
	f->dirty = true;
	return 0;
}

static uint8_t sm_translate(struct walk *w, const uint64_t pe[8], bool priv)
{
	struct model_unit *u = w->u;
	const struct model_req *req = w->req;
	struct model_map *m = &w->out->map;
	unsigned int pgtt = (unsigned int)MODEL_PE_PGTT(pe[0]);
	int sl_levels = (int)MODEL_PE_AW(pe[0]) + 2;
	bool slade = pe[0] & MODEL_PE_SLADE;
	struct nest n = { .on = false };
	struct fl_res f = { 0 };
	struct sl_res s = { 0 };
	uint64_t gpa;
	uint8_t fault;

	memset(m, 0, sizeof(*m));
	m->scalable = true;
	if (pgtt == MODEL_PGTT_PT) {
		map_identity(m, req->addr, true);
		return 0;
	}
	if (pgtt == MODEL_PGTT_SL) {
		if (beyond(req->addr, input_width(u, sl_levels)))
			return MODEL_FR_SM_ADDR_BEYOND_AW;
		fault = sl_walk(w, pe[0] & MODEL_PE_SLPTPTR, sl_levels, req->addr, req->write,
				slade, true, &s);
		if (fault)
			return fault;
		map_sl(m, req->addr, &s);
		return 0;
	}
	if (pgtt == MODEL_PGTT_NESTED) {
		n.on = true;
		n.slptr = pe[0] & MODEL_PE_SLPTPTR;
		n.sl_levels = sl_levels;
		n.slade = slade;
	}
	fault = fl_walk(w, pe, req->addr, &n, &f);
	if (fault)
		return fault;
	m->kind = n.on ? MODEL_KIND_NESTED : MODEL_KIND_FL;
	m->fl = true;
	m->fl_rw = f.rw;
	m->fl_us = f.us;
	m->fl_xd = f.xd;
	m->wpe = pe[2] & MODEL_PE_WPE;
	m->sl_r = m->sl_w = m->sl_x = true;
	m->size = f.size;
	m->out_base = f.out_base;
	if (n.on) {
		/* VT-d §3.8: the FL output (a GPA) goes through SL too. */
		gpa = f.out_base | (req->addr & (f.size - 1));
		if (beyond(gpa, input_width(u, sl_levels)))
			return MODEL_FR_SM_ADDR_BEYOND_AW;
		fault = sl_walk(w, n.slptr, sl_levels, gpa, req->write, slade, false, &s);
		if (fault)
			return fault;
		m->size = f.size < s.size ? f.size : s.size;
		m->out_base = (s.out_base | (gpa & (s.size - 1))) & ~(m->size - 1);
		m->sl_r = s.r;
		m->sl_w = s.w;
	}
	m->in_base = req->addr & ~(m->size - 1);
	fault = model_check_access(m, req, priv);
	if (fault)
		return fault;
	if (req->write) {
		fault = fl_set_dirty(w, &f);
		if (fault)
			return fault;
	}
	m->fl_dirty = f.dirty;
	return 0;
}

static void sm_request(struct walk *w)
{
	struct model_unit *u = w->u;
	const struct model_req *req = w->req;
	struct model_walk_out *out = w->out;
	uint64_t ce[4], pe[8];
	uint32_t pasid = req->pasid;
	bool priv = req->priv, fpd = false;

	out->fault = sm_context(w, ce);
	if (out->fault)
		return;
	out->fpd = ce[0] & MODEL_SCE_FPD;
	if (req->ats && !(ce[0] & MODEL_SCE_DTE)) {
		out->fault = MODEL_FR_SM_CTX_DTE;
		return;
	}
	if (pasid == MODEL_NO_PASID) {
		/* VT-d §9.4: requests without PASID use RID_PASID / RID_PRIV. */
		pasid = (uint32_t)MODEL_SCE_RID_PASID(ce[1]);
		priv = ce[1] & MODEL_SCE_RID_PRIV;
	} else if (!(ce[0] & MODEL_SCE_PASIDE) || !(u->ecap & MODEL_ECAP_PASID)) {
		out->fault = MODEL_FR_SM_CTX_PASIDE;
		return;
	}
	out->pasid = pasid;
	if ((pasid >> 6) >= (1u << (MODEL_SCE_PDTS(ce[0]) + 7)) ||
	    (pasid >> (MODEL_ECAP_PSS(u->ecap) + 1))) {
		out->fault = MODEL_FR_SM_PASID_RANGE;
		return;
	}
	out->fault = sm_pasid_entry(w, ce, pasid, pe, &fpd);
	if (out->fault)
		return;
	out->fpd = out->fpd || fpd;
	out->did = w->did = (uint16_t)MODEL_PE_DID(pe[1]);
	w->pasid = pasid;
	if (priv && !(pe[2] & MODEL_PE_SRE)) {
		out->fault = MODEL_FR_SM_PE_SRE;
		return;
	}
	if (!iotlb_hit(w, pasid, priv)) {
		out->fault = sm_translate(w, pe, priv);
		if (out->fault)
			return;
	}
	out->fault = model_check_access(&out->map, req, priv);
	if (out->fault)
		return;
	{
		uint64_t hpa = out->map.out_base | (req->addr & (out->map.size - 1));

		if (hpa >= INTR_ADDR_FIRST && hpa <= INTR_ADDR_LAST)
			out->fault = MODEL_FR_SM_INTR_ADDR;
	}
}

void model_walk_request(struct model_unit *u, const struct model_req *req,
			const struct model_walk_ctl *ctl, struct model_walk_out *out)
{
	struct walk w = { .u = u, .req = req, .ctl = ctl, .out = out };
	unsigned int ttm = (unsigned int)MODEL_RTADDR_TTM(u->rtaddr_latched);
	bool fresh_map;

	memset(out, 0, sizeof(*out));
	out->pasid = req->pasid;
	out->src = MODEL_SRC_WALK;
	if (!model_te(u)) {
		/* VT-d §3.3: with translation disabled, DMA is not remapped. */
		map_identity(&out->map, req->addr, false);
		out->src = MODEL_SRC_NONE;
		return;
	}
	if (ttm == MODEL_TTM_LEGACY) {
		legacy_request(&w);
	} else if (ttm == MODEL_TTM_SCALABLE && (u->ecap & MODEL_ECAP_SMTS)) {
		w.sm = true;
		sm_request(&w);
	} else {
		out->fault = MODEL_FR_SM_RTADDR_INV;
	}
	if (out->fault)
		return;
	if (!w.sm) {
		out->fault = model_check_access(&out->map, req, req->priv);
		if (out->fault)
			return;
	}
	fresh_map = out->src == MODEL_SRC_WALK;
	if (fresh_map && ctl->fill_cache)
		model_iotlb_fill(u, out->did, w.sm ? out->pasid : MODEL_NO_PASID, &out->map);
}
