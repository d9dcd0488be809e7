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
