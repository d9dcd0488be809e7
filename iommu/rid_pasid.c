// SPDX-License-Identifier: MIT
/* A PASID directory for requests without PASID (iommu/rid_pasid.h). */
#include <errno.h>
#include <string.h>

#include "iommu/rid_pasid.h"

int vtd_pasid_dir_init_rid(struct vtd_pasid_dir *d, const struct vtd_unit *u)
{
	if (!u->scalable)
		return -EOPNOTSUPP;
	if (u->pasid_bits)
		return vtd_pasid_dir_init(d, u);
	memset(d, 0, sizeof(*d));
	/* §9.4: PDTS 0 = 2^7 directory entries (1 KiB); one frame holds them. */
	d->pdts = 0;
	d->entries = 128;
	d->dir_frames = 1;
	d->pasid_bits = 6; /* only the first PASID table (PASIDs 0-63) is used */
	if (iommu_env_alloc_frames(1, &d->dir))
		return -ENOMEM;
	vtd_flush_ctx_entry(u, iommu_env_hpa_to_va(d->dir), VTD_PAGE_SIZE);
	return 0;
}

int vtd_pasid_fl_set_aw(struct vtd_unit *u, struct vtd_pasid_dir *d, uint32_t pasid,
			unsigned int aw)
{
	struct vtd_flush f = { .what = VTD_FLUSH_PASID | VTD_FLUSH_FL, .pasid = pasid };
	struct vtd_pasid_entry *pe;
	uint64_t de;

	if (aw < 1 || aw > 3 || !d->dir || pasid >= (uint32_t)d->entries * VTD_PASID_PER_TABLE)
		return -EINVAL;
	de = vtd_get64((uint64_t *)iommu_env_hpa_to_va(d->dir) + (pasid >> 6));
	if (!(de & VTD_PDE_P))
		return -ENOENT;
	pe = (struct vtd_pasid_entry *)iommu_env_hpa_to_va(de & VTD_PDE_SMPTBLPTR) + (pasid & 0x3f);
	if (!vtd_pe_present(pe) || vtd_pe_pgtt(pe) != VTD_PGTT_FL)
		return -ENOENT;
	vtd_set64(&pe->val[0], (pe->val[0] & ~VTD_PE_0_AW) | ((uint64_t)aw << 2));
	vtd_flush_ctx_entry(u, pe, sizeof(*pe));
	f.did = vtd_pe_did(pe);
	return vtd_flush_after_change(u, &f);
}
