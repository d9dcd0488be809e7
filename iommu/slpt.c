// SPDX-License-Identifier: MIT
/*
 * iommu/slpt.c - second-level page tables, VT-d §9.8 (entry format) and §3.7 (walk),
 * and the tree code they share with first-level tables (iommu/pgtable.h, iommu/flpt.c).
 *
 * Levels are numbered as the walk sees them: level 1 holds 4-KiB leaves, level 2 2-MiB,
 * level 3 1-GiB, up to pt->levels at the root. Non-leaf entries grant R and W: the
 * permissions of a translation are those of every level ANDed.
 */
#include <errno.h>
#include <string.h>

#include "iommu/pgtable.h"
#include "iommu/slpt.h"

#define ENTRIES 512

/* ---- the shared tree code (iommu/pgtable.h) ------------------------------------- */

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

static bool is_leaf(const struct vtd_pgtable *pt, uint64_t e, unsigned int level)
{
	return level == 1 || (e & pt->fmt->ps);
}

static void set_entry(struct vtd_pgtable *pt, uint64_t *p, uint64_t v)
{
	vtd_set64(p, v);
	if (!pt->coherent)
		iommu_env_clflush(p, sizeof(*p));
}

int vtd_pgtable_new_table(struct vtd_pgtable *pt, hpa_t *t)
{
	if (iommu_env_alloc_frames(1, t))
		return -ENOMEM;
	(*pt->table_frames)++;
	if (!pt->coherent)
		iommu_env_clflush(table_va(*t), VTD_PAGE_SIZE);
	return 0;
}

static void free_tree(struct vtd_pgtable *pt, hpa_t t, unsigned int level)
{
	uint64_t *e = table_va(t);
	unsigned int i;

	if (level > 1)
		for (i = 0; i < ENTRIES; i++)
			if ((e[i] & pt->fmt->present) && !is_leaf(pt, e[i], level))
				free_tree(pt, e[i] & pt->fmt->addr, level - 1);
	iommu_env_free_frames(t, 1);
	(*pt->table_frames)--;
}

void vtd_pgtable_free(struct vtd_pgtable *pt)
{
	if (pt->root)
		free_tree(pt, pt->root, pt->levels);
}

static bool range_ok(const struct vtd_pgtable *pt, iova_t iova, uint64_t size)
{
	uint64_t limit = 1ull << level_shift(pt->levels + 1);

	if (!size || (iova | size) & (VTD_PAGE_SIZE - 1))
		return false;
	return iova + size > iova && iova + size <= limit;
}

static uint64_t leaf_bits(const struct vtd_pgtable_fmt *f, uint64_t prot)
{
	return ((prot & VTD_SL_R) ? f->leaf_r : 0) | ((prot & VTD_SL_W) ? f->leaf_w : 0);
}

/* Install one leaf of level @target: 4 KiB (1), 2 MiB (2) or 1 GiB (3). */
static int map_one(struct vtd_pgtable *pt, iova_t iova, hpa_t hpa, unsigned int target,
		   uint64_t prot)
{
	const struct vtd_pgtable_fmt *f = pt->fmt;
	hpa_t t = pt->root;
	unsigned int level;

	for (level = pt->levels; level > target; level--) {
		uint64_t *p = &table_va(t)[index_of(iova, level)];
		uint64_t e = vtd_get64(p);

		if (!(e & f->present)) {
			hpa_t n;

			if (vtd_pgtable_new_table(pt, &n))
				return -ENOMEM;
			e = n | f->table;
			set_entry(pt, p, e);
		} else if (is_leaf(pt, e, level)) {
			return -EEXIST;
		}
		t = e & f->addr;
	}
	{
		uint64_t *p = &table_va(t)[index_of(iova, target)];

		if (vtd_get64(p) & f->present)
			return -EEXIST;
		set_entry(pt, p, (hpa & f->addr) | leaf_bits(f, prot) | (target > 1 ? f->ps : 0));
	}
	return 0;
}

static unsigned int pick_level(const struct vtd_pgtable *pt, iova_t iova, hpa_t hpa, uint64_t left)
{
	if ((pt->large_pages & VTD_SIZE_1G) && pt->levels >= 3 && left >= VTD_SIZE_1G &&
	    !((iova | hpa) & (VTD_SIZE_1G - 1)))
		return 3;
	if ((pt->large_pages & VTD_SIZE_2M) && left >= VTD_SIZE_2M &&
	    !((iova | hpa) & (VTD_SIZE_2M - 1)))
		return 2;
	return 1;
}

int vtd_pgtable_map(struct vtd_pgtable *pt, iova_t iova, hpa_t hpa, uint64_t size, uint64_t prot)
{
	uint64_t done = 0;
	int ret;

	if (!range_ok(pt, iova, size) || (hpa & (VTD_PAGE_SIZE - 1)) ||
	    ((hpa + size - 1) & ~VTD_GENMASK(51, 0)))
		return -EINVAL;
	while (done < size) {
		unsigned int level = pick_level(pt, iova + done, hpa + done, size - done);

		ret = map_one(pt, iova + done, hpa + done, level, prot);
		if (ret) {
			if (done)
				vtd_pgtable_unmap(pt, iova, done, NULL);
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
static int split(struct vtd_pgtable *pt, uint64_t *p, unsigned int level)
{
	const struct vtd_pgtable_fmt *f = pt->fmt;
	uint64_t e = vtd_get64(p), sub = level_size(level - 1);
	uint64_t flags = e & f->split_keep;
	hpa_t out = e & f->addr & ~(level_size(level) - 1), n;
	uint64_t *t;
	unsigned int i;

	if (iommu_env_alloc_frames(1, &n))
		return -ENOMEM;
	(*pt->table_frames)++;
	t = table_va(n);
	for (i = 0; i < ENTRIES; i++)
		t[i] = (out + i * sub) | flags | (level - 1 > 1 ? f->ps : 0);
	if (!pt->coherent)
		iommu_env_clflush(t, VTD_PAGE_SIZE);
	set_entry(pt, p, n | f->table);
	return 0;
}

static int unmap_level(struct vtd_pgtable *pt, hpa_t t, unsigned int level, iova_t start,
		       iova_t end, bool *changed)
{
	uint64_t size = level_size(level);
	iova_t a = start;
	int ret;

	while (a < end) {
		iova_t base = a & ~(size - 1), next = base + size;
		uint64_t *p = &table_va(t)[index_of(a, level)];
		uint64_t e = vtd_get64(p);
		iova_t stop = next < end ? next : end;

		if (e & pt->fmt->present) {
			if (is_leaf(pt, e, level) && a == base && stop == next) {
				set_entry(pt, p, 0);
			} else {
				if (is_leaf(pt, e, level)) {
					ret = split(pt, p, level);
					if (ret)
						return ret;
					*changed = true;
					e = vtd_get64(p);
				}
				ret = unmap_level(pt, e & pt->fmt->addr, level - 1, a, stop,
						  changed);
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

int vtd_pgtable_unmap(struct vtd_pgtable *pt, iova_t iova, uint64_t size, bool *tables_changed)
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

int vtd_pgtable_lookup(const struct vtd_pgtable *pt, iova_t iova, hpa_t *hpa, uint64_t *page_size,
		       uint64_t *prot)
{
	const struct vtd_pgtable_fmt *f = pt->fmt;
	hpa_t t = pt->root;
	unsigned int level;

	for (level = pt->levels; level >= 1; level--) {
		uint64_t e = vtd_get64(&table_va(t)[index_of(iova, level)]);

		if (!(e & f->present))
			return -ENOENT;
		if (is_leaf(pt, e, level)) {
			uint64_t sz = level_size(level);

			if (hpa)
				*hpa = (e & f->addr & ~(sz - 1)) | (iova & (sz - 1));
			if (page_size)
				*page_size = sz;
			if (prot)
				*prot = ((e & f->leaf_r) ? VTD_SL_R : 0) |
					((e & f->leaf_w) ? VTD_SL_W : 0);
			return 0;
		}
		t = e & f->addr;
	}
	return -ENOENT;
}

/* ---- second-level tables ----------------------------------------------------------- */

static const struct vtd_pgtable_fmt sl_fmt = {
	.present = VTD_SL_R | VTD_SL_W,
	.table = VTD_SL_R | VTD_SL_W,
	.ps = VTD_SL_PS,
	.addr = VTD_SL_ADDR,
	.split_keep = VTD_SL_R | VTD_SL_W | VTD_SL_X | VTD_SL_SNP,
	.leaf_r = VTD_SL_R,
	.leaf_w = VTD_SL_W,
};

static struct vtd_pgtable tree(struct vtd_slpt *pt)
{
	return (struct vtd_pgtable){ .fmt = &sl_fmt,
				     .root = pt->root,
				     .levels = pt->levels,
				     .large_pages = pt->large_pages,
				     .coherent = pt->coherent,
				     .table_frames = &pt->table_frames };
}

int vtd_slpt_init(struct vtd_slpt *pt, const struct vtd_unit *u)
{
	uint64_t lps = VTD_CAP_SLLPS(u->cap);
	struct vtd_pgtable t;

	memset(pt, 0, sizeof(*pt));
	pt->levels = u->sl_levels;
	pt->coherent = u->pt_coherent;
	if (lps & VTD_CAP_SLLPS2M)
		pt->large_pages |= VTD_SIZE_2M;
	if ((lps & VTD_CAP_SLLPS1G) && (lps & VTD_CAP_SLLPS2M))
		pt->large_pages |= VTD_SIZE_1G;
	t = tree(pt);
	return vtd_pgtable_new_table(&t, &pt->root);
}

void vtd_slpt_destroy(struct vtd_slpt *pt)
{
	struct vtd_pgtable t = tree(pt);

	vtd_pgtable_free(&t);
	pt->root = 0;
}

int vtd_slpt_map(struct vtd_slpt *pt, iova_t iova, hpa_t hpa, uint64_t size, uint64_t prot)
{
	struct vtd_pgtable t = tree(pt);

	if (!prot || (prot & ~(VTD_SL_R | VTD_SL_W)))
		return -EINVAL;
	return vtd_pgtable_map(&t, iova, hpa, size, prot);
}

int vtd_slpt_unmap(struct vtd_slpt *pt, iova_t iova, uint64_t size, bool *tables_changed)
{
	struct vtd_pgtable t = tree(pt);

	return vtd_pgtable_unmap(&t, iova, size, tables_changed);
}

int vtd_slpt_lookup(const struct vtd_slpt *pt, iova_t iova, hpa_t *hpa, uint64_t *page_size,
		    uint64_t *prot)
{
	struct vtd_pgtable t = { .fmt = &sl_fmt, .root = pt->root, .levels = pt->levels };

	return vtd_pgtable_lookup(&t, iova, hpa, page_size, prot);
}
