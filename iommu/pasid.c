// SPDX-License-Identifier: MIT
/*
 * iommu/pasid.c - PASID directory and tables, VT-d §9.5-9.6, §6.5.2.2.
 *
 * The directory is indexed by PASID[19:6], each PASID table (one 4-KiB frame) by
 * PASID[5:0]. An entry is built in a local copy through the field accessors and
 * written with P last; a teardown clears P first.
 */
#include <errno.h>
#include <string.h>

#include "iommu/pasid.h"

int vtd_pasid_dir_init(struct vtd_pasid_dir *d, const struct vtd_unit *u)
{
	unsigned int dir_bits;
	uint64_t bytes;

	memset(d, 0, sizeof(*d));
	if (!u->scalable || !u->pasid_bits)
		return -EOPNOTSUPP;
	d->pasid_bits = u->pasid_bits;
	/* §9.4: the directory has 2^(PDTS + 7) entries, PDTS 0-7. */
	dir_bits = u->pasid_bits > 6 ? u->pasid_bits - 6 : 0;
	if (dir_bits < 7)
		dir_bits = 7;
	if (dir_bits > 14)
		dir_bits = 14;
	d->pdts = dir_bits - 7;
	d->entries = 1u << dir_bits;
	bytes = (uint64_t)d->entries * 8;
	d->dir_frames = (bytes + VTD_PAGE_SIZE - 1) / VTD_PAGE_SIZE;
	if (iommu_env_alloc_frames(d->dir_frames, &d->dir))
		return -ENOMEM;
	vtd_flush_ctx_entry(u, iommu_env_hpa_to_va(d->dir), d->dir_frames * VTD_PAGE_SIZE);
	return 0;
}

void vtd_pasid_dir_destroy(struct vtd_pasid_dir *d)
{
	uint64_t *dir;
	unsigned int i;

	if (!d->dir)
		return;
	dir = iommu_env_hpa_to_va(d->dir);
	for (i = 0; i < d->entries; i++)
		if (dir[i] & VTD_PDE_P)
			iommu_env_free_frames(dir[i] & VTD_PDE_SMPTBLPTR, 1);
	iommu_env_free_frames(d->dir, d->dir_frames);
	memset(d, 0, sizeof(*d));
}

/* The entry of @pasid; allocates its PASID table when @alloc. NULL: absent / -ENOMEM. */
static struct vtd_pasid_entry *entry(const struct vtd_unit *u, struct vtd_pasid_dir *d,
				     uint32_t pasid, bool alloc, int *err)
{
	uint64_t *de = (uint64_t *)iommu_env_hpa_to_va(d->dir) + (pasid >> 6);
	hpa_t t;

	*err = -ENOENT;
	if (!(vtd_get64(de) & VTD_PDE_P)) {
		if (!alloc)
			return NULL;
		if (iommu_env_alloc_frames(1, &t)) {
			*err = -ENOMEM;
			return NULL;
		}
		d->table_frames++;
		if (u)
			vtd_flush_ctx_entry(u, iommu_env_hpa_to_va(t), VTD_PAGE_SIZE);
		vtd_set64(de, t | VTD_PDE_P);
		if (u)
			vtd_flush_ctx_entry(u, de, 8);
	}
	*err = 0;
	t = vtd_get64(de) & VTD_PDE_SMPTBLPTR;
	return (struct vtd_pasid_entry *)iommu_env_hpa_to_va(t) + (pasid & 0x3f);
}

int vtd_pasid_entry_get(const struct vtd_pasid_dir *d, uint32_t pasid, struct vtd_pasid_entry *out)
{
	struct vtd_pasid_entry *pe;
	int err;

	memset(out, 0, sizeof(*out));
	if (pasid >= (uint32_t)d->entries * VTD_PASID_PER_TABLE)
		return -EINVAL;
	pe = entry(NULL, (struct vtd_pasid_dir *)d, pasid, false, &err);
	if (pe)
		memcpy(out, pe, sizeof(*out));
	return 0;
}

/* Options valid for a PGTT, and those the unit supports. */
static int check_opts(const struct vtd_unit *u, uint32_t opts, uint32_t allowed)
{
	if (opts & ~allowed)
		return -EINVAL;
	if (((opts & VTD_PASID_SRE) && !vtd_has_ecap(u, VTD_ECAP_SRS)) ||
	    ((opts & VTD_PASID_EAFE) && !vtd_has_ecap(u, VTD_ECAP_EAFS)) ||
	    ((opts & VTD_PASID_SLADE) && !vtd_has_ecap(u, VTD_ECAP_SLADS)))
		return -EOPNOTSUPP;
	return 0;
}

static void common_fields(struct vtd_pasid_entry *pe, unsigned int pgtt, uint16_t did,
			  uint32_t opts)
{
	memset(pe, 0, sizeof(*pe));
	vtd_pe_set_pgtt(pe, pgtt);
	vtd_pe_set_did(pe, did);
	vtd_pe_set_fpd(pe, opts & VTD_PASID_FPD);
	vtd_pe_set_pgsnp(pe, opts & VTD_PASID_PGSNP);
	vtd_pe_set_pwsnp(pe, opts & VTD_PASID_PWSNP);
}

static void fl_fields(struct vtd_pasid_entry *pe, uint64_t flptr, unsigned int fl_levels,
		      uint32_t opts)
{
	vtd_pe_set_flptr(pe, flptr);
	vtd_pe_set_flpm(pe, fl_levels == 5 ? 1 : 0);
	vtd_pe_set_sre(pe, opts & VTD_PASID_SRE);
	vtd_pe_set_wpe(pe, opts & VTD_PASID_WPE);
	vtd_pe_set_eafe(pe, opts & VTD_PASID_EAFE);
}

/*
 * AW of a first-level-only entry (§9.6 bits 4:2): the input-address width of the FL
 * walk, 2 (48 bits) for 4-level and 3 (57 bits) for 5-level paging. Linux sets it
 * (intel_pasid_setup_first_level) and QEMU takes the FL width from it: with AW = 0
 * (30 bits) it reports every input address above 1 GiB as non-canonical (fault 0x80).
 * A nested entry's AW is its SL tables' (sl_fields()).
 */
static unsigned int fl_aw(unsigned int fl_levels)
{
	return fl_levels - 2;
}

static void sl_fields(struct vtd_pasid_entry *pe, const struct vtd_slpt *pt, uint32_t opts)
{
	vtd_pe_set_slptptr(pe, pt->root);
	vtd_pe_set_aw(pe, pt->levels - 2);
	vtd_pe_set_slade(pe, opts & VTD_PASID_SLADE);
}

/* Which cached mappings an entry of this PGTT can leave behind (§6.5.2.3-4). */
static uint32_t mapping_kinds(unsigned int pgtt)
{
	switch (pgtt) {
	case VTD_PGTT_FL:
		return VTD_FLUSH_FL;
	case VTD_PGTT_SL:
		return VTD_FLUSH_SL;
	default: /* nested, pass-through: both descriptor kinds, as implementations differ */
		return VTD_FLUSH_SL | VTD_FLUSH_FL;
	}
}

static int install(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid,
		   struct vtd_pasid_entry *n)
{
	struct vtd_flush f = { .what = VTD_FLUSH_PASID, .did = vtd_pe_did(n), .pasid = pasid };
	struct vtd_pasid_entry *pe;
	int err, i;

	if (!u->did_bits || (u->did_bits < 16 && vtd_pe_did(n) >= (1u << u->did_bits)))
		return -EINVAL;
	pe = entry(u, d, pasid, true, &err);
	if (!pe)
		return err;
	if (vtd_pe_present(pe))
		return -EBUSY;
	for (i = 7; i >= 1; i--)
		vtd_set64(&pe->val[i], n->val[i]);
	vtd_set64(&pe->val[0], n->val[0] | VTD_PE_0_P); /* P last */
	vtd_flush_ctx_entry(u, pe, sizeof(*pe));
	/*
	 * §6.1: with CAP.CM = 0 a not-present entry is never cached, so the PASID cache is
	 * all there is to flush; with CM = 1 (a virtual unit) the IOTLB too.
	 */
	if (vtd_has_cap(u, VTD_CAP_CM))
		f.what |= mapping_kinds(vtd_pe_pgtt(n));
	return vtd_flush_after_change(u, &f);
}

static int check_pasid(const struct vtd_pasid_dir *d, uint32_t pasid)
{
	if (!d->dir || pasid >= (uint32_t)d->entries * VTD_PASID_PER_TABLE ||
	    (d->pasid_bits < 32 && pasid >> d->pasid_bits))
		return -EINVAL;
	return 0;
}

int vtd_pasid_set_sl(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t did,
		     const struct vtd_slpt *pt, uint32_t opts)
{
	struct vtd_pasid_entry n;
	int err;

	if (check_pasid(d, pasid) || !pt)
		return -EINVAL;
	err = check_opts(u, opts,
			 VTD_PASID_SLADE | VTD_PASID_PGSNP | VTD_PASID_PWSNP | VTD_PASID_FPD);
	if (err)
		return err;
	if (!vtd_has_ecap(u, VTD_ECAP_SLTS))
		return -EOPNOTSUPP;
	common_fields(&n, VTD_PGTT_SL, did, opts);
	sl_fields(&n, pt, opts);
	return install(u, d, pasid, &n);
}

static int check_fl(const struct vtd_unit *u, uint64_t flptr, unsigned int fl_levels)
{
	if ((fl_levels != 4 && fl_levels != 5) || (flptr & ~VTD_PE_2_FLPTR))
		return -EINVAL;
	if (fl_levels == 5 && !vtd_has_cap(u, VTD_CAP_FL5LP))
		return -EOPNOTSUPP;
	return 0;
}

#define FL_OPTS                                                                               \
	(VTD_PASID_SRE | VTD_PASID_WPE | VTD_PASID_EAFE | VTD_PASID_PGSNP | VTD_PASID_PWSNP | \
	 VTD_PASID_FPD)

int vtd_pasid_set_fl(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t did,
		     hpa_t flptr, unsigned int fl_levels, uint32_t opts)
{
	struct vtd_pasid_entry n;
	int err;

	if (check_pasid(d, pasid))
		return -EINVAL;
	err = check_opts(u, opts, FL_OPTS);
	if (!err)
		err = check_fl(u, flptr, fl_levels);
	if (err)
		return err;
	if (!vtd_has_ecap(u, VTD_ECAP_FLTS))
		return -EOPNOTSUPP;
	common_fields(&n, VTD_PGTT_FL, did, opts);
	fl_fields(&n, flptr, fl_levels, opts);
	vtd_pe_set_aw(&n, fl_aw(fl_levels));
	return install(u, d, pasid, &n);
}

int vtd_pasid_set_nested(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t did,
			 gpa_t flptr, unsigned int fl_levels, const struct vtd_slpt *pt,
			 uint32_t opts)
{
	struct vtd_pasid_entry n;
	int err;

	if (check_pasid(d, pasid) || !pt)
		return -EINVAL;
	err = check_opts(u, opts, FL_OPTS | VTD_PASID_SLADE);
	if (!err)
		err = check_fl(u, flptr, fl_levels);
	if (err)
		return err;
	if (!vtd_has_ecap(u, VTD_ECAP_NEST))
		return -EOPNOTSUPP;
	common_fields(&n, VTD_PGTT_NESTED, did, opts);
	fl_fields(&n, flptr, fl_levels, opts);
	sl_fields(&n, pt, opts);
	return install(u, d, pasid, &n);
}

int vtd_pasid_set_pt(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t did,
		     uint32_t opts)
{
	struct vtd_pasid_entry n;
	int err;

	if (check_pasid(d, pasid))
		return -EINVAL;
	err = check_opts(u, opts, VTD_PASID_PGSNP | VTD_PASID_PWSNP | VTD_PASID_FPD);
	if (err)
		return err;
	if (!vtd_has_ecap(u, VTD_ECAP_PT))
		return -EOPNOTSUPP;
	common_fields(&n, VTD_PGTT_PT, did, opts);
	/* §9.6: AW is checked for PT too; give the unit's SL width. */
	vtd_pe_set_aw(&n, u->sl_levels - 2);
	return install(u, d, pasid, &n);
}

int vtd_pasid_clear(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid, uint16_t sid,
		    const struct vtd_ats *ats)
{
	struct vtd_flush f = { .what = VTD_FLUSH_PASID, .sid = sid, .pasid = pasid };
	struct vtd_pasid_entry *pe;
	int err, i;

	if (check_pasid(d, pasid))
		return -EINVAL;
	pe = entry(u, d, pasid, false, &err);
	if (!pe || !vtd_pe_present(pe))
		return -ENOENT;
	f.did = vtd_pe_did(pe);
	f.what |= mapping_kinds(vtd_pe_pgtt(pe));
	if (ats) {
		f.what |= VTD_FLUSH_DEVTLB;
		f.pfsid = ats->pfsid;
		f.qdep = ats->qdep;
	}
	vtd_set64(&pe->val[0], pe->val[0] & ~VTD_PE_0_P); /* P first (§6.5.2.2 guidance) */
	vtd_flush_ctx_entry(u, pe, sizeof(*pe));
	err = vtd_flush_after_change(u, &f);
	for (i = 0; i < 8; i++)
		vtd_set64(&pe->val[i], 0);
	vtd_flush_ctx_entry(u, pe, sizeof(*pe));
	return err;
}
