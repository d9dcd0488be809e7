// SPDX-License-Identifier: MIT
/*
 * build.c - table builders for tests: they write root, context, PASID
 * and paging entries into model memory the way software does, so a test
 * states a mapping in one line. They never touch the caches: changing a
 * table after the hardware used it needs the invalidation software would
 * issue.
 */
#include <errno.h>

#include "model_internal.h"

int model_tb_root(struct model_unit *u, bool scalable, uint64_t *root_hpa)
{
	uint64_t rt;

	if (!u || !root_hpa)
		return -EINVAL;
	rt = model_mem_alloc(u, 1);
	if (!rt)
		return -ENOMEM;
	model_write64(u, MODEL_REG_RTADDR,
		      rt | ((uint64_t)(scalable ? MODEL_TTM_SCALABLE : MODEL_TTM_LEGACY) << 10));
	model_write32(u, MODEL_REG_GCMD,
		      (model_read32(u, MODEL_REG_GSTS) & ~MODEL_GSTS_RTPS) |
			      (uint32_t)MODEL_GCMD_SRTP);
	*root_hpa = rt;
	return 0;
}

void model_tb_enable(struct model_unit *u)
{
	uint32_t sts = model_read32(u, MODEL_REG_GSTS);

	/* VT-d §11.4.4: write the persistent status bits back with the command. */
	sts &= (uint32_t)(MODEL_GSTS_TES | MODEL_GSTS_QIES | MODEL_GSTS_IRES | MODEL_GSTS_CFIS);
	model_write32(u, MODEL_REG_GCMD, sts | (uint32_t)MODEL_GCMD_TE);
}

/* Entry qword at HPA ea: its table (allocating one if not present). */
static int next_table(struct model_unit *u, uint64_t ea, uint64_t present_mask, uint64_t flags,
		      uint64_t delta, uint64_t *table)
{
	uint64_t e = model_mem_read64(u, ea), t;

	if (e & present_mask) {
		*table = (e & MODEL_GENMASK(51, 12)) - delta;
		return 0;
	}
	t = model_mem_alloc(u, 1);
	if (!t)
		return -ENOMEM;
	if (model_mem_write64(u, ea, (t + delta) | flags))
		return -EFAULT;
	*table = t;
	return 0;
}

static int ctx_table(struct model_unit *u, uint64_t root, uint16_t sid, bool upper, uint64_t *ct)
{
	return next_table(u, root + (sid >> 8) * 16 + (upper ? 8 : 0), MODEL_RE_P, MODEL_RE_P, 0,
			  ct);
}

int model_tb_legacy_ctx(struct model_unit *u, uint64_t root, uint16_t sid, const uint64_t ce[2])
{
	uint64_t ct;
	int ret = ctx_table(u, root, sid, false, &ct);

	if (ret)
		return ret;
	return model_mem_write(u, ct + (sid & 0xFF) * 16, ce, 16);
}

int model_tb_sm_ctx(struct model_unit *u, uint64_t root, uint16_t sid, const uint64_t ce[4])
{
	uint64_t ct;
	int ret = ctx_table(u, root, sid, (sid & 0xFF) >= 0x80, &ct);

	if (ret)
		return ret;
	return model_mem_write(u, ct + (sid & 0x7F) * 32, ce, 32);
}

int model_tb_pasid_entry(struct model_unit *u, uint64_t dir, uint32_t pasid, const uint64_t pe[8])
{
	uint64_t pt;
	int ret = next_table(u, dir + (pasid >> 6) * 8, MODEL_PDE_P, MODEL_PDE_P, 0, &pt);

	if (ret)
		return ret;
	return model_mem_write(u, pt + (pasid & 0x3F) * 64, pe, 64);
}

int model_tb_map(struct model_unit *u, uint64_t root, int levels, bool first_level, uint64_t in,
		 uint64_t out, uint64_t size, uint64_t leaf_flags, uint64_t table_flags,
		 uint64_t delta, uint64_t *leaf_ea)
{
	uint64_t present = first_level ? MODEL_FL_P : (MODEL_SL_R | MODEL_SL_W);
	uint64_t table = root;
	int lvl, leaf_lvl;

	if (!u || levels < 2 || levels > 5)
		return -EINVAL;
	if (size == MODEL_PAGE_SIZE)
		leaf_lvl = 1;
	else if (size == (1ULL << 21))
		leaf_lvl = 2;
	else if (size == (1ULL << 30))
		leaf_lvl = 3;
	else
		return -EINVAL;
	for (lvl = levels; lvl > leaf_lvl; lvl--) {
		uint64_t ea = table + ((in >> (12 + 9 * (lvl - 1))) & 0x1FF) * 8;
		int ret = next_table(u, ea, present, table_flags, delta, &table);

		if (ret)
			return ret;
	}
	table += ((in >> (12 + 9 * (leaf_lvl - 1))) & 0x1FF) * 8;
	if (leaf_ea)
		*leaf_ea = table;
	if (leaf_lvl > 1)
		leaf_flags |= first_level ? MODEL_FL_PS : MODEL_SL_PS;
	return model_mem_write64(u, table, (out & ~(size - 1)) | leaf_flags);
}
