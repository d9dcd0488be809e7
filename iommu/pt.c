// SPDX-License-Identifier: MIT
/* Pass-through for requests without PASID, legacy and scalable (iommu/pt.h). */
#include <errno.h>

#include "iommu/pt.h"

/* Scalable: take @rid_pasid's entry down if present (P first, flushed, §6.5.2.2). */
static int rid_clear(struct vtd_unit *u, uint16_t sid, struct vtd_pasid_dir *d, uint32_t rid_pasid)
{
	int err = vtd_pasid_clear(u, d, rid_pasid, sid, NULL);

	return err == -ENOENT ? 0 : err;
}

int vtd_rid_set_pt(struct vtd_unit *u, uint16_t sid, uint16_t did, struct vtd_pasid_dir *d,
		   uint32_t rid_pasid)
{
	int err;

	if (!vtd_has_ecap(u, VTD_ECAP_PT))
		return -EOPNOTSUPP;
	if (!u->scalable)
		return vtd_ctx_set_legacy(u, sid, did, NULL, NULL);
	if (!d)
		return -EINVAL;
	err = rid_clear(u, sid, d, rid_pasid);
	if (err)
		return err;
	return vtd_pasid_set_pt(u, d, rid_pasid, did, 0);
}

int vtd_rid_set_sl(struct vtd_unit *u, uint16_t sid, uint16_t did, struct vtd_pasid_dir *d,
		   uint32_t rid_pasid, const struct vtd_slpt *pt)
{
	int err;

	if (!pt)
		return -EINVAL;
	if (!u->scalable)
		return vtd_ctx_set_legacy(u, sid, did, pt, NULL);
	if (!d)
		return -EINVAL;
	err = rid_clear(u, sid, d, rid_pasid);
	if (err)
		return err;
	return vtd_pasid_set_sl(u, d, rid_pasid, did, pt, 0);
}
