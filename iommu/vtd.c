// SPDX-License-Identifier: MIT
/*
 * iommu/vtd.c - bring-up of one DMA-remapping unit: capabilities, mode, root table,
 * queued invalidation and translation enable (VT-d §10.4, §11.4).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "iommu/qi.h"
#include "iommu/vtd.h"

int vtd_wait_reg32(struct vtd_unit *u, uint32_t off, uint32_t mask, uint32_t want, const char *reg,
		   const char *bit)
{
	uint64_t start = iommu_env_now_us();
	uint32_t v;

	for (;;) {
		v = vtd_read32(u, off);
		if ((v & mask) == want)
			return 0;
		if (iommu_env_now_us() - start > VTD_TIMEOUT_US)
			break;
		iommu_env_relax();
	}
	vtd_err("unit %u: timeout waiting for %s.%s to become %u (%s = %#x)", u->id, reg, bit,
		want ? 1 : 0, reg, v);
	return -ETIMEDOUT;
}

int vtd_gcmd_update(struct vtd_unit *u, uint32_t cmd_bit, uint32_t sts_bit, bool on,
		    const char *name)
{
	/* §11.4.4: read GSTS, keep only the persistent enables, change one command. */
	uint32_t cmd = vtd_read32(u, VTD_REG_GSTS) & (uint32_t)VTD_GSTS_PERSIST;

	if (on)
		cmd |= cmd_bit;
	else
		cmd &= ~cmd_bit;
	vtd_write32(u, VTD_REG_GCMD, cmd);
	return vtd_wait_reg32(u, VTD_REG_GSTS, sts_bit, on ? sts_bit : 0, "GSTS", name);
}

/* The deepest SL table depth SAGAW offers that MGAW does not make pointless (§3.6). */
static unsigned int pick_sl_levels(uint64_t cap)
{
	unsigned int sagaw = (unsigned int)VTD_CAP_SAGAW(cap);
	unsigned int mgaw = (unsigned int)VTD_CAP_MGAW(cap);

	/* Prefer 4 levels (48 bits): it covers any MGAW up to 48, the common case. */
	if ((sagaw & VTD_CAP_SAGAW48) && mgaw <= 48)
		return 4;
	if ((sagaw & VTD_CAP_SAGAW57) && mgaw > 48)
		return 5;
	if ((sagaw & VTD_CAP_SAGAW39) && mgaw <= 39)
		return 3;
	if (sagaw & VTD_CAP_SAGAW48)
		return 4;
	if (sagaw & VTD_CAP_SAGAW39)
		return 3;
	if (sagaw & VTD_CAP_SAGAW57)
		return 5;
	return 0;
}

size_t vtd_unit_summary(const struct vtd_unit *u, char *buf, size_t len)
{
	int n;

	if (!len)
		return 0;
	n = snprintf(buf, len,
		     "unit %u: VT-d %u.%u, %s mode, SL %u-level (AGAW %u, MGAW %u, SAGAW %#x), "
		     "%u-bit DID, %s%s%s%s%s%s%s%s%s%u fault records at %#x, PASID %u bits",
		     u->id, (unsigned int)VTD_VER_MAJOR(u->ver),
		     (unsigned int)VTD_VER_MINOR(u->ver), u->scalable ? "scalable" : "legacy",
		     u->sl_levels, u->agaw, u->mgaw, (unsigned int)VTD_CAP_SAGAW(u->cap),
		     u->did_bits, (VTD_CAP_SLLPS(u->cap) & VTD_CAP_SLLPS2M) ? "2M " : "",
		     (VTD_CAP_SLLPS(u->cap) & VTD_CAP_SLLPS1G) ? "1G " : "",
		     vtd_has_ecap(u, VTD_ECAP_QI) ? "QI " : "",
		     vtd_has_ecap(u, VTD_ECAP_DT) ? "DT " : "",
		     vtd_has_ecap(u, VTD_ECAP_PT) ? "PT " : "",
		     vtd_has_ecap(u, VTD_ECAP_FLTS) ? "FLTS " : "",
		     vtd_has_ecap(u, VTD_ECAP_SLTS) ? "SLTS " : "",
		     vtd_has_ecap(u, VTD_ECAP_NEST) ? "NEST " : "",
		     u->ctx_coherent ? "coherent, " : "non-coherent, ",
		     (unsigned int)VTD_CAP_NFR(u->cap), (unsigned int)VTD_CAP_FRO(u->cap),
		     u->pasid_bits);
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

int vtd_unit_init(struct vtd_unit *u, unsigned int id, uintptr_t reg_base)
{
	char line[320];

	memset(u, 0, sizeof(*u));
	u->id = id;
	u->reg_base = reg_base;
	u->ver = vtd_read32(u, VTD_REG_VER);
	u->cap = vtd_read64(u, VTD_REG_CAP);
	u->ecap = vtd_read64(u, VTD_REG_ECAP);

	if (u->cap == ~0ull || u->ecap == ~0ull) {
		vtd_err("unit %u: registers read all-ones: no unit there", id);
		return -ENODEV;
	}
	/* The driver only invalidates through the queue (§6.5.2): refuse units without it. */
	if (!vtd_has_ecap(u, VTD_ECAP_QI)) {
		vtd_err("unit %u: no queued invalidation (ECAP.QI = 0): unit not supported", id);
		return -ENODEV;
	}
	u->sl_levels = pick_sl_levels(u->cap);
	if (!u->sl_levels) {
		vtd_err("unit %u: CAP.SAGAW %#x offers no 3/4/5-level SL tables", id,
			(unsigned int)VTD_CAP_SAGAW(u->cap));
		return -ENODEV;
	}
	u->agaw = 12 + 9 * u->sl_levels;
	u->mgaw = (unsigned int)VTD_CAP_MGAW(u->cap);
	u->did_bits = 4 + 2 * (unsigned int)VTD_CAP_ND(u->cap);
	u->scalable = vtd_has_ecap(u, VTD_ECAP_SMTS);
	u->pasid_bits = vtd_has_ecap(u, VTD_ECAP_PASID) ? (unsigned int)VTD_ECAP_PSS(u->ecap) + 1 :
							  0;
	u->ctx_coherent = vtd_has_ecap(u, VTD_ECAP_C);
	u->pt_coherent = u->scalable ? vtd_has_ecap(u, VTD_ECAP_SMPWC) : u->ctx_coherent;
	vtd_unit_summary(u, line, sizeof(line));
	vtd_info("%s", line);
	return 0;
}

int vtd_unit_start(struct vtd_unit *u)
{
	hpa_t root;
	int ret;

	if (iommu_env_alloc_frames(1, &root))
		return -ENOMEM;
	/* Translation off while the root table changes (§10.4.4 GCMD.TE). */
	if (vtd_read32(u, VTD_REG_GSTS) & VTD_GSTS_TES) {
		ret = vtd_gcmd_update(u, VTD_GCMD_TE, VTD_GSTS_TES, false, "TES");
		if (ret)
			goto err_root;
	}
	ret = vtd_qi_enable(u);
	if (ret)
		goto err_root;
	/* The empty root table must be in memory before the unit latches it. */
	vtd_flush_ctx_entry(u, iommu_env_hpa_to_va(root), VTD_PAGE_SIZE);
	vtd_write64(u, VTD_REG_RTADDR,
		    root | (u->scalable ? VTD_RTADDR_TTM_SCALABLE : VTD_RTADDR_TTM_LEGACY));
	/* SRTP is one-shot: GSTS.RTPS reports the latch (§11.4.5). */
	ret = vtd_gcmd_update(u, VTD_GCMD_SRTP, VTD_GSTS_RTPS, true, "RTPS");
	if (ret)
		goto err_qi;
	u->root = root;
	/* §6.5: after SRTP, invalidate everything cached from the previous tables. */
	ret = vtd_flush_global(u);
	if (ret)
		goto err_qi;
	return 0;

err_qi:
	u->root = 0;
	vtd_qi_disable(u);
err_root:
	iommu_env_free_frames(root, 1);
	return ret;
}

int vtd_unit_translate(struct vtd_unit *u)
{
	int ret;

	if (!u->root)
		return -EINVAL;
	/*
	 * Every entry installed since vtd_unit_start() was flushed when it was written
	 * (vtd_flush_after_change()), and with TE = 0 nothing is translated, so nothing
	 * is cached: no flush before TE (§10.4.4).
	 */
	ret = vtd_gcmd_update(u, VTD_GCMD_TE, VTD_GSTS_TES, true, "TES");
	if (ret)
		return ret;
	u->enabled = true;
	vtd_info("unit %u: translation enabled, root table at %#llx", u->id,
		 (unsigned long long)u->root);
	return 0;
}

int vtd_unit_enable(struct vtd_unit *u)
{
	int ret = vtd_unit_start(u);

	if (ret)
		return ret;
	ret = vtd_unit_translate(u);
	if (ret)
		vtd_unit_disable(u); /* frees the root table and the queue */
	return ret;
}

void vtd_unit_disable(struct vtd_unit *u)
{
	if (vtd_read32(u, VTD_REG_GSTS) & VTD_GSTS_TES)
		vtd_gcmd_update(u, VTD_GCMD_TE, VTD_GSTS_TES, false, "TES");
	u->enabled = false;
	vtd_qi_disable(u);
	if (u->root) {
		iommu_env_free_frames(u->root, 1);
		u->root = 0;
	}
}
