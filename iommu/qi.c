// SPDX-License-Identifier: MIT
/*
 * iommu/qi.c - queued invalidation, VT-d §6.5.2.
 *
 * Every submission is synchronous: descriptors, then one invalidation wait descriptor
 * with a status write, then a poll of the status word. The queue is therefore empty
 * whenever no submission is in flight, and IQH at an error points into the batch.
 */
#include <errno.h>
#include <string.h>

#include "iommu/qi.h"

/* ---- descriptor encoders --------------------------------------------------------- */

static struct vtd_qi_desc desc(uint64_t qw0, uint64_t qw1)
{
	struct vtd_qi_desc d = { { qw0, qw1, 0, 0 } };

	return d;
}

struct vtd_qi_desc vtd_desc_cc_global(void)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_CC) | VTD_QI_GRAN(VTD_QI_CC_GLOBAL), 0);
}

struct vtd_qi_desc vtd_desc_cc_device(uint16_t did, uint16_t sid, unsigned int fm)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_CC) | VTD_QI_GRAN(VTD_QI_CC_DEVICE) | VTD_QI_DID(did) |
			    VTD_QI_CC_SID(sid) | VTD_QI_CC_FM(fm),
		    0);
}

struct vtd_qi_desc vtd_desc_pc_domain(uint16_t did)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_PC) | VTD_QI_GRAN(VTD_QI_PC_DOMAIN) | VTD_QI_DID(did),
		    0);
}

struct vtd_qi_desc vtd_desc_pc_pasid(uint16_t did, uint32_t pasid)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_PC) | VTD_QI_GRAN(VTD_QI_PC_PASID) | VTD_QI_DID(did) |
			    VTD_QI_PASID(pasid),
		    0);
}

struct vtd_qi_desc vtd_desc_pc_global(void)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_PC) | VTD_QI_GRAN(VTD_QI_PC_GLOBAL), 0);
}

/* §6.5.2.3: drain pending reads / writes before the invalidation completes, if able. */
static uint64_t iotlb_drain(const struct vtd_unit *u)
{
	return (vtd_has_cap(u, VTD_CAP_DRD) ? VTD_QI_IOTLB_DR : 0) |
	       (vtd_has_cap(u, VTD_CAP_DWD) ? VTD_QI_IOTLB_DW : 0);
}

struct vtd_qi_desc vtd_desc_iotlb_global(const struct vtd_unit *u)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_IOTLB) | VTD_QI_GRAN(VTD_QI_IOTLB_GLOBAL) |
			    iotlb_drain(u),
		    0);
}

struct vtd_qi_desc vtd_desc_iotlb_domain(const struct vtd_unit *u, uint16_t did)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_IOTLB) | VTD_QI_GRAN(VTD_QI_IOTLB_DOMAIN) |
			    VTD_QI_DID(did) | iotlb_drain(u),
		    0);
}

struct vtd_qi_desc vtd_desc_iotlb_page(const struct vtd_unit *u, uint16_t did, iova_t addr,
				       unsigned int am, bool ih)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_IOTLB) | VTD_QI_GRAN(VTD_QI_IOTLB_PAGE) |
			    VTD_QI_DID(did) | iotlb_drain(u),
		    (addr & VTD_QI_ADDR) | (ih ? VTD_QI_IH : 0) | VTD_QI_AM(am));
}

struct vtd_qi_desc vtd_desc_piotlb_pasid(uint16_t did, uint32_t pasid)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_PIOTLB) | VTD_QI_GRAN(VTD_QI_PIOTLB_PASID) |
			    VTD_QI_DID(did) | VTD_QI_PASID(pasid),
		    0);
}

struct vtd_qi_desc vtd_desc_piotlb_page(uint16_t did, uint32_t pasid, uint64_t addr,
					unsigned int am, bool ih)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_PIOTLB) | VTD_QI_GRAN(VTD_QI_PIOTLB_PAGE) |
			    VTD_QI_DID(did) | VTD_QI_PASID(pasid),
		    (addr & VTD_QI_ADDR) | (ih ? VTD_QI_IH : 0) | VTD_QI_AM(am));
}

/*
 * PCIe ATS §10.3.1 size encoding (S = 1): the lowest clear address bit at or above 12
 * gives the size; every bit below it is set. 2^am pages at addr.
 */
static uint64_t ats_addr(uint64_t addr, unsigned int am)
{
	if (am >= 52)
		return VTD_GENMASK(62, 12);
	if (am == 0)
		return addr & VTD_QI_ADDR;
	return (addr | ((1ull << (VTD_PAGE_SHIFT + am - 1)) - 1)) & VTD_QI_ADDR;
}

struct vtd_qi_desc vtd_desc_devtlb(uint16_t sid, uint16_t pfsid, unsigned int qdep, iova_t addr,
				   unsigned int am)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_DEVTLB) | VTD_QI_DEVTLB_SID(sid) |
			    VTD_QI_DEVTLB_QDEP(qdep) | VTD_QI_DEVTLB_PFSID(pfsid),
		    ats_addr(addr, am) | (am ? VTD_QI_DEVTLB_S : 0));
}

struct vtd_qi_desc vtd_desc_pdevtlb(uint16_t sid, uint16_t pfsid, unsigned int qdep, uint32_t pasid,
				    bool all_pasids, uint64_t addr, unsigned int am)
{
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_PDEVTLB) | VTD_QI_PDEVTLB_SID(sid) |
			    VTD_QI_PDEVTLB_QDEP(qdep) | VTD_QI_PDEVTLB_PFSID(pfsid) |
			    VTD_QI_PASID(pasid),
		    ats_addr(addr, am) | (am ? VTD_QI_PDEVTLB_S : 0) |
			    (all_pasids ? VTD_QI_PDEVTLB_G : 0));
}

struct vtd_qi_desc vtd_desc_wait(hpa_t status, uint32_t data)
{
	/* SW only: IF together with SW makes QEMU abort (platforms.md). */
	return desc(VTD_QI_TYPE(VTD_QI_TYPE_WAIT) | VTD_QI_WAIT_SW | VTD_QI_WAIT_DATA(data),
		    status & VTD_QI_WAIT_ADDR);
}

struct vtd_qi_desc vtd_desc_pgrp_resp(uint16_t rid, uint32_t pasid, uint16_t prgi,
				      unsigned int code, const uint64_t *priv_data)
{
	struct vtd_qi_desc d = desc(VTD_QI_TYPE(VTD_QI_TYPE_PGRP_RESP) | VTD_QI_PGRP_RID(rid) |
					    VTD_QI_PGRP_CODE(code),
				    VTD_QI_PGRP_PRGI(prgi));

	if (pasid != VTD_NO_PASID)
		d.qw[0] |= VTD_QI_PGRP_PP | VTD_QI_PASID(pasid);
	if (priv_data) {
		d.qw[0] |= VTD_QI_PGRP_PDP;
		d.qw[2] = priv_data[0];
		d.qw[3] = priv_data[1];
	}
	return d;
}

/* ---- the queue ------------------------------------------------------------------- */

int vtd_qi_enable(struct vtd_unit *u)
{
	struct vtd_qi *q = &u->qi;
	hpa_t base, status;
	int ret;

	if (!vtd_has_ecap(u, VTD_ECAP_QI))
		return -ENODEV;
	/* Firmware may have left QI on: turn it off so IQH restarts at 0 (§6.5.2). */
	if (vtd_read32(u, VTD_REG_GSTS) & VTD_GSTS_QIES) {
		ret = vtd_gcmd_update(u, VTD_GCMD_QIE, VTD_GSTS_QIES, false, "QIES");
		if (ret)
			return ret;
	}
	if (iommu_env_alloc_frames(1, &base))
		return -ENOMEM;
	if (iommu_env_alloc_frames(1, &status)) {
		iommu_env_free_frames(base, 1);
		return -ENOMEM;
	}
	memset(q, 0, sizeof(*q));
	q->base = base;
	q->desc = iommu_env_hpa_to_va(base);
	q->status = status;
	q->status_va = iommu_env_hpa_to_va(status);
	/* §6.5.2: scalable mode needs 256-bit descriptors (IQA.DW = 1). */
	q->dsize = u->scalable ? 32 : 16;
	q->nents = (unsigned int)(VTD_PAGE_SIZE / q->dsize);

	vtd_write64(u, VTD_REG_IQT, 0);
	vtd_write64(u, VTD_REG_IQA, base | (u->scalable ? VTD_IQA_DW : 0) | VTD_IQA_QS(0));
	ret = vtd_gcmd_update(u, VTD_GCMD_QIE, VTD_GSTS_QIES, true, "QIES");
	if (ret) {
		iommu_env_free_frames(status, 1);
		iommu_env_free_frames(base, 1);
		memset(q, 0, sizeof(*q));
	}
	return ret;
}

void vtd_qi_disable(struct vtd_unit *u)
{
	struct vtd_qi *q = &u->qi;

	if (!q->desc)
		return;
	vtd_gcmd_update(u, VTD_GCMD_QIE, VTD_GSTS_QIES, false, "QIES");
	iommu_env_free_frames(q->status, 1);
	iommu_env_free_frames(q->base, 1);
	memset(q, 0, sizeof(*q));
}

static uint64_t *slot(struct vtd_qi *q, unsigned int idx)
{
	return q->desc + (size_t)idx * (q->dsize / 8);
}

static void put_desc(struct vtd_qi *q, const struct vtd_qi_desc *d)
{
	uint64_t *p = slot(q, q->tail);
	unsigned int i;

	for (i = 0; i < q->dsize / 8; i++)
		vtd_set64(&p[i], d->qw[i]);
	q->tail = (q->tail + 1) % q->nents;
}

static uint32_t next_seq(struct vtd_qi *q)
{
	if (++q->seq == 0)
		q->seq = 1;
	return q->seq;
}

/* Hand the descriptors up to q->tail to the hardware (§6.5.2: IQT is a byte offset). */
static void ring(struct vtd_unit *u)
{
	vtd_write64(u, VTD_REG_IQT, (uint64_t)u->qi.tail * u->qi.dsize);
}

/*
 * §6.5.2.10 IQE: the hardware stopped at the descriptor IQH points to. Report it,
 * replace it by a wait descriptor that writes a scratch word (valid on every
 * implementation, unlike a wait with neither SW nor IF), and clear IQE: the queue
 * resumes at IQH with the rest of the batch.
 */
static void recover_iqe(struct vtd_unit *u, unsigned int wait_idx)
{
	struct vtd_qi *q = &u->qi;
	unsigned int head = (unsigned int)((vtd_read64(u, VTD_REG_IQH) & VTD_IQ_OFF_MASK) /
					   q->dsize);
	uint64_t *p = slot(q, head % q->nents);
	struct vtd_qi_desc nop = vtd_desc_wait(q->status + 4, 0);
	unsigned int i;

	vtd_err("unit %u: invalidation queue error (FSTS.IQE) at descriptor %u (IQH): "
		"%016llx %016llx%s",
		u->id, head, (unsigned long long)vtd_get64(&p[0]),
		(unsigned long long)vtd_get64(&p[1]),
		head == wait_idx ? " (the batch's wait descriptor)" : "; skipped");
	if (head == wait_idx)
		nop = vtd_desc_wait(q->status, q->seq);
	for (i = 0; i < q->dsize / 8; i++)
		vtd_set64(&p[i], nop.qw[i]);
	vtd_write32(u, VTD_REG_FSTS, (uint32_t)VTD_FSTS_IQE);
	/*
	 * Hardware resumes fetching when IQE is cleared (§6.5.2.10); an implementation that
	 * fetches only on an IQT write (QEMU) is kicked by writing the same tail again.
	 */
	ring(u);
}

int vtd_qi_submit(struct vtd_unit *u, const struct vtd_qi_desc *d, unsigned int n)
{
	struct vtd_qi *q = &u->qi;
	struct vtd_qi_desc w;
	unsigned int i, wait_idx, iqe_left;
	uint64_t start;
	uint32_t seq;
	int ret = 0;

	if (!q->desc)
		return -ENODEV;
	if (n > VTD_QI_MAX_BATCH || n + 1 >= q->nents)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (q->dsize == 16 && (d[i].qw[2] || d[i].qw[3]))
			return -EINVAL;

	for (i = 0; i < n; i++)
		put_desc(q, &d[i]);
	seq = next_seq(q);
	wait_idx = q->tail;
	w = vtd_desc_wait(q->status, seq);
	put_desc(q, &w);
	q->submissions++;
	q->descriptors += n + 1;
	q->last_batch = n + 1;
	ring(u);

	iqe_left = n + 1; /* at most one IQE per descriptor of the batch */
	start = iommu_env_now_us();
	for (;;) {
		uint32_t fsts = vtd_read32(u, VTD_REG_FSTS);

		if (fsts & VTD_FSTS_IQE) {
			if (!iqe_left--) {
				vtd_err("unit %u: invalidation queue keeps failing (FSTS.IQE)",
					u->id);
				return -EIO;
			}
			recover_iqe(u, wait_idx);
			ret = -EIO;
			continue;
		}
		if (fsts & VTD_FSTS_ITE) {
			/*
			 * §6.5.2.10 ITE: a device-TLB invalidation timed out; the hardware
			 * drops the wait descriptors queued behind it once ITE is cleared.
			 * Close the batch with a fresh wait.
			 */
			vtd_err("unit %u: device-TLB invalidation timed out (FSTS.ITE), IQH %#llx",
				u->id, (unsigned long long)vtd_read64(u, VTD_REG_IQH));
			vtd_write32(u, VTD_REG_FSTS, (uint32_t)VTD_FSTS_ITE);
			seq = next_seq(q);
			wait_idx = q->tail;
			w = vtd_desc_wait(q->status, seq);
			put_desc(q, &w);
			q->descriptors++;
			ring(u);
			ret = -EIO;
			continue;
		}
		if (fsts & VTD_FSTS_ICE) {
			vtd_err("unit %u: device-TLB invalidation completion error (FSTS.ICE)",
				u->id);
			vtd_write32(u, VTD_REG_FSTS, (uint32_t)VTD_FSTS_ICE);
			ret = -EIO;
			continue;
		}
		if (*q->status_va == seq)
			break;
		if (iommu_env_now_us() - start > VTD_TIMEOUT_US) {
			vtd_err("unit %u: timeout waiting for invalidation wait status "
				"(IQH %#llx, IQT %#llx, FSTS %#x)",
				u->id, (unsigned long long)vtd_read64(u, VTD_REG_IQH),
				(unsigned long long)vtd_read64(u, VTD_REG_IQT), fsts);
			return -ETIMEDOUT;
		}
		iommu_env_relax();
	}
	if (ret)
		q->errors++;
	return ret;
}

/* ---- ordering after a change ----------------------------------------------------- */

int vtd_qi_addr_mask_order(uint64_t addr, uint64_t pages, uint64_t *base)
{
	uint64_t last = addr + pages * VTD_PAGE_SIZE - 1;
	unsigned int am;

	/* The first AM at which the first and last page share their block number. */
	for (am = 0; am + VTD_PAGE_SHIFT < 64; am++) {
		unsigned int s = am + VTD_PAGE_SHIFT;

		if ((addr >> s) == (last >> s)) {
			*base = (addr >> s) << s;
			return (int)am;
		}
	}
	return -ERANGE;
}

int vtd_flush_after_change(struct vtd_unit *u, const struct vtd_flush *f)
{
	struct vtd_qi_desc d[8];
	bool has_pasid = f->pasid != VTD_NO_PASID;
	bool ih = f->what & VTD_FLUSH_LEAF;
	unsigned int n = 0;
	iova_t base = 0;
	int am = -1;

	if (f->pages)
		am = vtd_qi_addr_mask_order(f->addr & VTD_PAGE_MASK, f->pages, &base);
	if ((f->what & VTD_FLUSH_FL) && !has_pasid)
		return -EINVAL;

	/* 1. Context cache: the device's entry (§6.5.2.1). */
	if (f->what & VTD_FLUSH_CONTEXT)
		d[n++] = vtd_desc_cc_device(f->did, f->sid, 0);
	/* 2. PASID cache (§6.5.2.2): after the context cache, before the IOTLB. */
	if (u->scalable && (f->what & (VTD_FLUSH_CONTEXT | VTD_FLUSH_PASID))) {
		if ((f->what & VTD_FLUSH_PASID) && has_pasid)
			d[n++] = vtd_desc_pc_pasid(f->did, f->pasid);
		else
			d[n++] = vtd_desc_pc_domain(f->did);
	}
	/* 3. IOTLB and paging-structure caches (§6.5.2.3, §6.5.2.4). */
	if (f->what & (VTD_FLUSH_SL | VTD_FLUSH_CONTEXT)) {
		if (am >= 0 && !(f->what & VTD_FLUSH_CONTEXT) && vtd_has_cap(u, VTD_CAP_PSI) &&
		    (uint64_t)am <= VTD_CAP_MAMV(u->cap))
			d[n++] = vtd_desc_iotlb_page(u, f->did, base, (unsigned int)am, ih);
		else
			d[n++] = vtd_desc_iotlb_domain(u, f->did);
	}
	if (f->what & VTD_FLUSH_FL) {
		if (am >= 0 && am <= 52)
			d[n++] = vtd_desc_piotlb_page(f->did, f->pasid, base, (unsigned int)am, ih);
		else
			d[n++] = vtd_desc_piotlb_pasid(f->did, f->pasid);
	}
	/* 4. Device-TLB, after the IOTLB so the device cannot refill from stale entries. */
	if (f->what & VTD_FLUSH_DEVTLB) {
		unsigned int dam = am >= 0 ? (unsigned int)am : 52;
		iova_t daddr = am >= 0 ? base : 0;

		if (has_pasid)
			d[n++] = vtd_desc_pdevtlb(f->sid, f->pfsid, f->qdep, f->pasid, false, daddr,
						  dam);
		else
			d[n++] = vtd_desc_devtlb(f->sid, f->pfsid, f->qdep, daddr, dam);
	}
	return vtd_qi_submit(u, d, n);
}

int vtd_flush_global(struct vtd_unit *u)
{
	struct vtd_qi_desc d[3];
	unsigned int n = 0;

	d[n++] = vtd_desc_cc_global();
	if (u->scalable)
		d[n++] = vtd_desc_pc_global();
	d[n++] = vtd_desc_iotlb_global(u);
	return vtd_qi_submit(u, d, n);
}
