// SPDX-License-Identifier: MIT
/*
 * iommu/flpt.c - first-level page tables built by the hypervisor itself (PGTT 001b,
 * VT-d §9.7 entry format = IA-32e paging, §3.6 walk): IOVA -> HPA, 4-level.
 *
 * The same shape as iommu/slpt.c. Non-leaf entries grant R/W and U/S (QEMU 10 checks
 * U/S at every level for requests without PASID, platforms.md); A and D are left for
 * the unit to set.
 */
#include <errno.h>
#include <string.h>

#include "iommu/flpt.h"

#define ENTRIES	 512
#define PRESENT	 VTD_FL_P
#define TABLE_RW (VTD_FL_P | VTD_FL_RW | VTD_FL_US)

static unsigned int level_shift(unsigned int level)
{
	return VTD_PAGE_SHIFT + 9 * (level - 1);
}

static uint64_t level_size(unsigned int level)
{
	return 1ull << level_shift(level);
}

static unsigned int index_of(iova_t iova, unsigned int level)
{
	return (unsigned int)((iova >> level_shift(level)) & (ENTRIES - 1));
}

static uint64_t *table_va(hpa_t t)
{
	return iommu_env_hpa_to_va(t);
}

static uint64_t leaf_flags(uint64_t prot)
{
	return VTD_FL_P | VTD_FL_US | ((prot & VTD_SL_W) ? VTD_FL_RW : 0);
}

static bool is_leaf(uint64_t e, unsigned int level)
{
	return level == 1 || (e & VTD_FL_PS);
}

static void set_entry(struct vtd_flpt *pt, uint64_t *p, uint64_t v)
{
	vtd_set64(p, v);
	if (!pt->coherent)
		iommu_env_clflush(p, sizeof(*p));
}

static int alloc_table(struct vtd_flpt *pt, hpa_t *t)
{
	if (iommu_env_alloc_frames(1, t))
		return -ENOMEM;
	pt->table_frames++;
	return 0;
}

int vtd_flpt_init(struct vtd_flpt *pt, const struct vtd_unit *u)
{
	memset(pt, 0, sizeof(*pt));
	pt->levels = 4;
	pt->coherent = u->pt_coherent;
	pt->large_pages = VTD_SIZE_2M; /* IA-32e paging always has 2-MiB pages */
	if (vtd_has_cap(u, VTD_CAP_FL1GP))
		pt->large_pages |= VTD_SIZE_1G;
	if (alloc_table(pt, &pt->root))
		return -ENOMEM;
	if (!pt->coherent)
		iommu_env_clflush(table_va(pt->root), VTD_PAGE_SIZE);
	return 0;
}

static void free_tree(struct vtd_flpt *pt, hpa_t t, unsigned int level)
{
	uint64_t *e = table_va(t);
	unsigned int i;

	if (level > 1)
		for (i = 0; i < ENTRIES; i++)
			if ((e[i] & PRESENT) && !is_leaf(e[i], level))
				free_tree(pt, e[i] & VTD_FL_ADDR, level - 1);
	iommu_env_free_frames(t, 1);
	pt->table_frames--;
}

void vtd_flpt_destroy(struct vtd_flpt *pt)
{
	if (pt->root)
		free_tree(pt, pt->root, pt->levels);
	pt->root = 0;
}

static bool range_ok(const struct vtd_flpt *pt, iova_t iova, uint64_t size)
{
	uint64_t limit = 1ull << level_shift(pt->levels + 1);

	if (!size || (iova | size) & (VTD_PAGE_SIZE - 1))
		return false;
	return iova + size > iova && iova + size <= limit;
}

/* Install one leaf of level @target: 4 KiB (1), 2 MiB (2) or 1 GiB (3). */
static int map_one(struct vtd_flpt *pt, iova_t iova, hpa_t hpa, unsigned int target, uint64_t prot)
{
	hpa_t t = pt->root;
	unsigned int level;

	for (level = pt->levels; level > target; level--) {
		uint64_t *p = &table_va(t)[index_of(iova, level)];
		uint64_t e = vtd_get64(p);

		if (!(e & PRESENT)) {
			hpa_t n;

			if (alloc_table(pt, &n))
				return -ENOMEM;
			if (!pt->coherent)
				iommu_env_clflush(table_va(n), VTD_PAGE_SIZE);
			e = n | TABLE_RW;
			set_entry(pt, p, e);
		} else if (is_leaf(e, level)) {
			return -EEXIST;
		}
		t = e & VTD_FL_ADDR;
	}
	{
		uint64_t *p = &table_va(t)[index_of(iova, target)];

		if (vtd_get64(p) & PRESENT)
			return -EEXIST;
		set_entry(pt, p,
			  (hpa & VTD_FL_ADDR) | leaf_flags(prot) | (target > 1 ? VTD_FL_PS : 0));
	}
	return 0;
}

static unsigned int pick_level(const struct vtd_flpt *pt, iova_t iova, hpa_t hpa, uint64_t left)
{
	if ((pt->large_pages & VTD_SIZE_1G) && pt->levels >= 3 && left >= VTD_SIZE_1G &&
	    !((iova | hpa) & (VTD_SIZE_1G - 1)))
		return 3;
	if ((pt->large_pages & VTD_SIZE_2M) && left >= VTD_SIZE_2M &&
	    !((iova | hpa) & (VTD_SIZE_2M - 1)))
		return 2;
	return 1;
}

int vtd_flpt_map(struct vtd_flpt *pt, iova_t iova, hpa_t hpa, uint64_t size, uint64_t prot)
{
	uint64_t done = 0;
	int ret;

	if (!range_ok(pt, iova, size) || (hpa & (VTD_PAGE_SIZE - 1)) ||
	    ((hpa + size - 1) & ~VTD_GENMASK(51, 0)) || !(prot & VTD_SL_R) ||
	    (prot & ~(VTD_SL_R | VTD_SL_W)))
		return -EINVAL;
	while (done < size) {
		unsigned int level = pick_level(pt, iova + done, hpa + done, size - done);

		ret = map_one(pt, iova + done, hpa + done, level, prot);
		if (ret) {
			if (done)
				vtd_flpt_unmap(pt, iova, done, NULL);
			return ret;
		}
		done += level_size(level);
	}
	return 0;
}

/*
 * Replace the large page in *p (level @level > 1) by a table of 512 pages of the level
 * below with the same output and permissions. The table is complete in memory before
 * the entry points to it, so a walk never sees a half-built table.
 */
static int split(struct vtd_flpt *pt, uint64_t *p, unsigned int level)
{
	uint64_t e = vtd_get64(p), sub = level_size(level - 1);
	uint64_t flags = e & (VTD_FL_P | VTD_FL_RW | VTD_FL_US | VTD_FL_XD);
	hpa_t out = e & VTD_FL_ADDR & ~(level_size(level) - 1), n;
	uint64_t *t;
	unsigned int i;

	if (alloc_table(pt, &n))
		return -ENOMEM;
	t = table_va(n);
	for (i = 0; i < ENTRIES; i++)
		t[i] = (out + i * sub) | flags | (level - 1 > 1 ? VTD_FL_PS : 0);
	if (!pt->coherent)
		iommu_env_clflush(t, VTD_PAGE_SIZE);
	set_entry(pt, p, n | TABLE_RW);
	return 0;
}

static int unmap_level(struct vtd_flpt *pt, hpa_t t, unsigned int level, iova_t start, iova_t end,
		       bool *changed)
{
	uint64_t size = level_size(level);
	iova_t a = start;
	int ret;

	while (a < end) {
		iova_t base = a & ~(size - 1), next = base + size;
		uint64_t *p = &table_va(t)[index_of(a, level)];
		uint64_t e = vtd_get64(p);
		iova_t stop = next < end ? next : end;

		if (e & PRESENT) {
			if (is_leaf(e, level) && a == base && stop == next) {
				set_entry(pt, p, 0);
			} else {
				if (is_leaf(e, level)) {
					ret = split(pt, p, level);
					if (ret)
						return ret;
					*changed = true;
					e = vtd_get64(p);
				}
				ret = unmap_level(pt, e & VTD_FL_ADDR, level - 1, a, stop, changed);
				if (ret)
					return ret;
			}
		}
		if (next == 0)
			break; /* top of the address space */
		a = next;
	}
	return 0;
}

int vtd_flpt_unmap(struct vtd_flpt *pt, iova_t iova, uint64_t size, bool *tables_changed)
{
	bool changed = false;
	int ret;

	if (!range_ok(pt, iova, size))
		return -EINVAL;
	ret = unmap_level(pt, pt->root, pt->levels, iova, iova + size, &changed);
	if (tables_changed)
		*tables_changed = changed;
	return ret;
}

int vtd_flpt_lookup(const struct vtd_flpt *pt, iova_t iova, hpa_t *hpa, uint64_t *page_size,
		    uint64_t *prot)
{
	hpa_t t = pt->root;
	unsigned int level;

	for (level = pt->levels; level >= 1; level--) {
		uint64_t e = vtd_get64(&table_va(t)[index_of(iova, level)]);

		if (!(e & PRESENT))
			return -ENOENT;
		if (is_leaf(e, level)) {
			uint64_t sz = level_size(level);

			if (hpa)
				*hpa = (e & VTD_FL_ADDR & ~(sz - 1)) | (iova & (sz - 1));
			if (page_size)
				*page_size = sz;
			if (prot)
				*prot = VTD_SL_R | ((e & VTD_FL_RW) ? VTD_SL_W : 0);
			return 0;
		}
		t = e & VTD_FL_ADDR;
	}
	return -ENOENT;
}
