// SPDX-License-Identifier: MIT
/*
 * iommu/root.c - root and context tables, VT-d §9.1-9.4.
 *
 * Entries are written the way the spec asks software to (§6.5.3.1 / §9): every field
 * first, the present bit last; removal clears the present bit first. Each change is
 * followed by vtd_flush_after_change().
 */
#include <errno.h>
#include <string.h>

#include "iommu/root.h"

static uint64_t *va(hpa_t h)
{
	return iommu_env_hpa_to_va(h);
}

/*
 * The context entry of @sid: a pointer to its first qword (2 legacy, 4 scalable), the
 * root-entry qword that points to its table through *@rp. Allocates the table when
 * @alloc. Returns NULL (with *@err) if absent or out of memory.
 */
static uint64_t *ctx_entry(struct vtd_unit *u, uint16_t sid, bool alloc, int *err)
{
	unsigned int bus = VTD_SID_BUS(sid), devfn = VTD_SID_DEVFN(sid);
	uint64_t *root = va(u->root), *rp, re;
	hpa_t t;

	*err = -ENOENT;
	if (!u->root)
		return NULL;
	/* §9.2: scalable root entries: lower qword devfn 0-127, upper qword 128-255. */
	rp = &root[bus * 2 + (u->scalable && devfn >= 128 ? 1 : 0)];
	re = vtd_get64(rp);
	if (!(re & VTD_RE_P)) {
		if (!alloc)
			return NULL;
		if (iommu_env_alloc_frames(1, &t)) {
			*err = -ENOMEM;
			return NULL;
		}
		vtd_flush_ctx_entry(u, va(t), VTD_PAGE_SIZE);
		re = t | VTD_RE_P;
		vtd_set64(rp, re);
		vtd_flush_ctx_entry(u, rp, sizeof(*rp));
	}
	t = re & VTD_RE_CTP;
	*err = 0;
	if (u->scalable)
		return &va(t)[(devfn & 0x7f) * 4];
	return &va(t)[devfn * 2];
}

static bool did_ok(const struct vtd_unit *u, uint16_t did)
{
	return u->did_bits >= 16 || did < (1u << u->did_bits);
}

static void ats_flush(struct vtd_flush *f, const struct vtd_ats *ats)
{
	if (!ats)
		return;
	f->what |= VTD_FLUSH_DEVTLB;
	f->pfsid = ats->pfsid;
	f->qdep = ats->qdep;
}

int vtd_ctx_set_legacy(struct vtd_unit *u, uint16_t sid, uint16_t did, const struct vtd_slpt *pt,
		       const struct vtd_ats *ats)
{
	struct vtd_flush f = {
		.what = VTD_FLUSH_CONTEXT, .did = did, .sid = sid, .pasid = VTD_NO_PASID
	};
	unsigned int levels = pt ? pt->levels : u->sl_levels;
	uint64_t *ce, lo, hi;
	int err;

	if (u->scalable || !did_ok(u, did) || (!pt && !vtd_has_ecap(u, VTD_ECAP_PT)) ||
	    (ats && !vtd_has_ecap(u, VTD_ECAP_DT)))
		return -EINVAL;
	ce = ctx_entry(u, sid, true, &err);
	if (!ce)
		return err;
	/* §9.3: AW 1/2/3 = 39/48/57-bit (3/4/5-level) tables; TT 0 / 1 (ATS) / 2 (PT). */
	hi = (uint64_t)(levels - 2) | ((uint64_t)did << VTD_CE_HI_DID_SHIFT);
	lo = VTD_CE_LO_P;
	if (pt)
		lo |= (pt->root & VTD_CE_LO_SLPTPTR) |
		      ((uint64_t)(ats ? VTD_CE_TT_ALL : VTD_CE_TT_UNTRANSLATED)
		       << VTD_CE_LO_TT_SHIFT);
	else
		lo |= (uint64_t)VTD_CE_TT_PASSTHROUGH << VTD_CE_LO_TT_SHIFT;
	if (vtd_get64(&ce[0]) & VTD_CE_LO_P) {
		/*
		 * Replacing a live entry: take it down and flush under the DID it had, so
		 * no cache keeps the old domain's entries (§6.5.2.1: the context cache and
		 * the IOTLB are tagged with the old DID).
		 */
		struct vtd_flush old = f;

		old.did = (uint16_t)((vtd_get64(&ce[1]) & VTD_CE_HI_DID_MASK) >>
				     VTD_CE_HI_DID_SHIFT);
		vtd_set64(&ce[0], 0);
		vtd_flush_ctx_entry(u, ce, 16);
		ats_flush(&old, ats);
		err = vtd_flush_after_change(u, &old);
		if (err)
			return err;
	}
	vtd_set64(&ce[1], hi);
	vtd_set64(&ce[0], lo);
	vtd_flush_ctx_entry(u, ce, 16);
	ats_flush(&f, ats);
	return vtd_flush_after_change(u, &f);
}

int vtd_ctx_set_scalable(struct vtd_unit *u, uint16_t sid, uint16_t did, hpa_t pasid_dir,
			 unsigned int pdts, uint32_t rid_pasid, const struct vtd_ats *ats)
{
	struct vtd_flush f = { .what = VTD_FLUSH_CONTEXT | VTD_FLUSH_SL,
			       .did = did,
			       .sid = sid,
			       .pasid = VTD_NO_PASID };
	uint64_t *ce, v0;
	int err;

	if (!u->scalable || pdts > 7 || (pasid_dir & ~VTD_SCE_0_PASIDDIRPTR) ||
	    (rid_pasid & ~(uint32_t)VTD_SCE_1_RID_PASID) || (ats && !vtd_has_ecap(u, VTD_ECAP_DT)))
		return -EINVAL;
	ce = ctx_entry(u, sid, true, &err);
	if (!ce)
		return err;
	if (vtd_get64(&ce[0]) & VTD_SCE_0_P) {
		/* Replacing a live entry: down, flushed, then the new one (§6.5.2.1). */
		vtd_set64(&ce[0], 0);
		vtd_flush_ctx_entry(u, ce, 32);
		err = vtd_flush_after_change(u, &f);
		if (err)
			return err;
	}
	v0 = VTD_SCE_0_P | VTD_SCE_0_PASIDE | (ats ? VTD_SCE_0_DTE : 0) |
	     ((uint64_t)pdts << VTD_SCE_0_PDTS_SHIFT) | pasid_dir;
	vtd_set64(&ce[3], 0);
	vtd_set64(&ce[2], 0);
	vtd_set64(&ce[1], rid_pasid);
	vtd_set64(&ce[0], v0);
	vtd_flush_ctx_entry(u, ce, 32);
	ats_flush(&f, ats);
	return vtd_flush_after_change(u, &f);
}

int vtd_ctx_clear(struct vtd_unit *u, uint16_t sid, uint16_t did, const struct vtd_ats *ats)
{
	struct vtd_flush f = { .what = VTD_FLUSH_CONTEXT | VTD_FLUSH_SL,
			       .did = did,
			       .sid = sid,
			       .pasid = VTD_NO_PASID };
	unsigned int i, n = u->scalable ? 4 : 2;
	uint64_t *ce;
	int err;

	ce = ctx_entry(u, sid, false, &err);
	if (!ce || !(vtd_get64(&ce[0]) & VTD_CE_LO_P))
		return -ENOENT;
	vtd_set64(&ce[0], 0); /* P first */
	vtd_flush_ctx_entry(u, ce, n * 8);
	for (i = 1; i < n; i++)
		vtd_set64(&ce[i], 0);
	vtd_flush_ctx_entry(u, ce, n * 8);
	ats_flush(&f, ats);
	return vtd_flush_after_change(u, &f);
}

void vtd_ctx_free_tables(struct vtd_unit *u)
{
	uint64_t *root;
	unsigned int i;

	if (!u->root)
		return;
	root = va(u->root);
	for (i = 0; i < 512; i++) {
		uint64_t re = vtd_get64(&root[i]);

		if (!(re & VTD_RE_P))
			continue;
		/* Legacy: only even qwords are root entries; the odd ones are reserved (0). */
		iommu_env_free_frames(re & VTD_RE_CTP, 1);
		vtd_set64(&root[i], 0);
	}
}
