// SPDX-License-Identifier: MIT
/* VMCS PASID-translation structures (hv/pasid_xlate.h; SDM Vol. 3C "PASID Translation"). */
#include <string.h>

#include "guest/include/vsva_hv.h"
#include "hv/pasid_xlate.h"
#include "iommu/iommu_env.h"

static unsigned int dir_of(uint32_t gpasid)
{
	return (gpasid >> 19) & 1; /* bit 19: low or high directory */
}

static unsigned int dir_index(uint32_t gpasid)
{
	return (gpasid >> 10) & (PASID_XLATE_DIR_ENTRIES - 1); /* bits 18:10 */
}

static unsigned int table_index(uint32_t gpasid)
{
	return gpasid & (PASID_XLATE_TABLE_ENTRIES - 1); /* bits 9:0 */
}

int pasid_xlate_init(struct pasid_xlate *x)
{
	memset(x, 0, sizeof(*x));
	if (iommu_env_alloc_frames(1, &x->dir[0]))
		return -VSVA_ENOMEM;
	if (iommu_env_alloc_frames(1, &x->dir[1])) {
		iommu_env_free_frames(x->dir[0], 1);
		x->dir[0] = 0;
		return -VSVA_ENOMEM;
	}
	return 0;
}

void pasid_xlate_destroy(struct pasid_xlate *x)
{
	for (unsigned int d = 0; d < 2; d++) {
		uint64_t *dir;

		if (!x->dir[d])
			continue;
		dir = iommu_env_hpa_to_va(x->dir[d]);
		for (unsigned int i = 0; i < PASID_XLATE_DIR_ENTRIES; i++)
			if (dir[i] & PASID_XLATE_DIR_P)
				iommu_env_free_frames(dir[i] & PASID_XLATE_DIR_ADDR, 1);
		iommu_env_free_frames(x->dir[d], 1);
	}
	memset(x, 0, sizeof(*x));
}

/* The 4-byte entry of @gpasid, allocating its table when @alloc; NULL if absent. */
static uint32_t *slot(struct pasid_xlate *x, uint32_t gpasid, bool alloc, int *err)
{
	uint64_t *de = (uint64_t *)iommu_env_hpa_to_va(x->dir[dir_of(gpasid)]) + dir_index(gpasid);
	hpa_t t;

	*err = 0;
	if (!(*de & PASID_XLATE_DIR_P)) {
		if (!alloc)
			return NULL;
		if (iommu_env_alloc_frames(1, &t)) {
			*err = -VSVA_ENOMEM;
			return NULL;
		}
		x->table_pages++;
		*(volatile uint64_t *)de = t | PASID_XLATE_DIR_P; /* the table is zeroed first */
	}
	t = *de & PASID_XLATE_DIR_ADDR;
	return (uint32_t *)iommu_env_hpa_to_va(t) + table_index(gpasid);
}

int pasid_xlate_set(struct pasid_xlate *x, uint32_t gpasid, uint32_t hpasid)
{
	uint32_t *e;
	int err;

	if (!x->dir[0] || gpasid > PASID_XLATE_PASID_MAX || hpasid > PASID_XLATE_PASID_MAX)
		return -VSVA_EINVAL;
	e = slot(x, gpasid, true, &err);
	if (!e)
		return err;
	if (!(*e & PASID_XLATE_VALID))
		x->entries++;
	*(volatile uint32_t *)e = PASID_XLATE_VALID | hpasid;
	return 0;
}

void pasid_xlate_clear(struct pasid_xlate *x, uint32_t gpasid)
{
	uint32_t *e;
	int err;

	if (!x->dir[0] || gpasid > PASID_XLATE_PASID_MAX)
		return;
	e = slot(x, gpasid, false, &err);
	if (!e || !(*e & PASID_XLATE_VALID))
		return;
	*(volatile uint32_t *)e = 0;
	x->entries--;
}

int pasid_xlate_lookup(const struct pasid_xlate *x, uint32_t gpasid, uint32_t *hpasid)
{
	const uint64_t *dir;
	const uint32_t *t;
	uint64_t de;

	if (!x->dir[0] || gpasid > PASID_XLATE_PASID_MAX)
		return -VSVA_ENOENT;
	dir = iommu_env_hpa_to_va(x->dir[dir_of(gpasid)]);
	de = dir[dir_index(gpasid)];
	if (!(de & PASID_XLATE_DIR_P))
		return -VSVA_ENOENT;
	t = iommu_env_hpa_to_va(de & PASID_XLATE_DIR_ADDR);
	if (!(t[table_index(gpasid)] & PASID_XLATE_VALID))
		return -VSVA_ENOENT;
	*hpasid = t[table_index(gpasid)] & PASID_XLATE_HPASID;
	return 0;
}
