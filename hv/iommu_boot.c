// SPDX-License-Identifier: MIT
/*
 * The VT-d boot integration (hv/iommu_boot.h): one DMA domain for the platform guest,
 * built from the guest memory map, every scoped device attached, translation on.
 */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "hv"
#include "hv/iommu_boot.h"
#include "hv/log.h"
#include "iommu/rid_pasid.h"
#include "iommu/root.h"

/* ---- the domain's tables, SL or FL per unit ----------------------------------------- */
int iommu_domain_map(struct iommu_platform *p, unsigned int unit, iova_t iova, hpa_t hpa,
		     uint64_t size, uint64_t prot)
{
	if (unit >= p->nunits)
		return -EINVAL;
	if (p->kind[unit] == IOMMU_DOM_FL)
		return vtd_flpt_map(&p->fl[unit], iova, hpa, size, prot);
	return vtd_slpt_map(&p->sl[unit], iova, hpa, size, prot);
}

int iommu_domain_unmap(struct iommu_platform *p, unsigned int unit, iova_t iova, uint64_t size)
{
	if (unit >= p->nunits)
		return -EINVAL;
	if (p->kind[unit] == IOMMU_DOM_FL)
		return vtd_flpt_unmap(&p->fl[unit], iova, size, NULL);
	return vtd_slpt_unmap(&p->sl[unit], iova, size, NULL);
}

static bool domain_mapped(struct iommu_platform *p, unsigned int unit, iova_t iova)
{
	if (p->kind[unit] == IOMMU_DOM_FL)
		return !vtd_flpt_lookup(&p->fl[unit], iova, NULL, NULL, NULL);
	return !vtd_slpt_lookup(&p->sl[unit], iova, NULL, NULL, NULL);
}

int iommu_domain_flush(struct iommu_platform *p, unsigned int unit, iova_t iova, uint64_t pages)
{
	struct vtd_flush f = { .did = p->did, .pasid = VTD_NO_PASID, .addr = iova, .pages = pages };

	if (unit >= p->nunits)
		return -EINVAL;
	if (p->kind[unit] == IOMMU_DOM_FL) {
		f.what = VTD_FLUSH_FL;
		f.pasid = IOMMU_RID_PASID;
	} else {
		f.what = VTD_FLUSH_SL;
	}
	return vtd_flush_after_change(&p->unit[unit], &f);
}

uint64_t iommu_platform_table_frames(const struct iommu_platform *p)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < p->nunits; i++)
		n += p->kind[i] == IOMMU_DOM_FL ? p->fl[i].table_frames : p->sl[i].table_frames;
	return n;
}

/* The guest map, identity, minus the units' registers, plus the RMRRs (VT-d §8.4). */
static int domain_build(struct iommu_platform *p, unsigned int ui, const struct guest_map *m,
			const struct vtd_dmar_info *dmar, const struct iommu_platform_ops *ops)
{
	struct vtd_unit *u = &p->unit[ui];
	int ret;

	if (u->scalable && !vtd_has_ecap(u, VTD_ECAP_SLTS)) {
		if (!vtd_has_ecap(u, VTD_ECAP_FLTS)) {
			log_err("iommu: unit %u: scalable mode without SLTS or FLTS", ui);
			return -ENODEV;
		}
		p->kind[ui] = IOMMU_DOM_FL;
		ret = vtd_flpt_init(&p->fl[ui], u);
	} else {
		p->kind[ui] = IOMMU_DOM_SL;
		ret = vtd_slpt_init(&p->sl[ui], u);
	}
	if (ret)
		return ret;
	for (uint32_t i = 0; i < m->count; i++) {
		ret = iommu_domain_map(p, ui, m->r[i].base, m->r[i].base, m->r[i].size,
				       VTD_SL_R | VTD_SL_W);
		if (ret) {
			log_err("iommu: unit %u: mapping [%#llx, +%#llx) failed (%d)", ui,
				(unsigned long long)m->r[i].base, (unsigned long long)m->r[i].size,
				ret);
			return ret;
		}
	}
	/* No device may reach a remapping unit's registers (peer-to-peer). */
	for (unsigned int i = 0; i < dmar->ndrhd; i++) {
		ret = iommu_domain_unmap(p, ui, dmar->drhd[i].reg_base,
					 ALIGN_UP(dmar->drhd[i].reg_size, VTD_PAGE_SIZE));
		if (ret && ret != -EINVAL)
			return ret;
	}
	for (unsigned int i = 0; i < dmar->nrmrr; i++) {
		const struct vtd_dmar_rmrr *r = &dmar->rmrr[i];

		for (hpa_t a = r->base & VTD_PAGE_MASK; a <= r->limit; a += VTD_PAGE_SIZE) {
			if (domain_mapped(p, ui, a))
				continue;
			if (ops->hv_owns && ops->hv_owns(a)) {
				log_warn("iommu: RMRR %u [%#llx-%#llx] overlaps hypervisor memory "
					 "at %#llx: that part left unmapped",
					 i, (unsigned long long)r->base,
					 (unsigned long long)r->limit, (unsigned long long)a);
				continue;
			}
			ret = iommu_domain_map(p, ui, a, a, VTD_PAGE_SIZE, VTD_SL_R | VTD_SL_W);
			if (ret)
				return ret;
			p->rmrr_pages++;
		}
	}
	return 0;
}

/* ---- devices ---------------------------------------------------------------------- */
struct iommu_device *iommu_platform_device(struct iommu_platform *p, uint16_t sid)
{
	for (unsigned int i = 0; i < p->ndev; i++)
		if (p->dev[i].sid == sid)
			return &p->dev[i];
	return NULL;
}

static void add_device(struct iommu_platform *p, unsigned int ui, uint16_t sid)
{
	if (iommu_platform_device(p, sid))
		return; /* the first unit that claims it wins (INCLUDE_PCI_ALL comes last) */
	if (p->ndev == IOMMU_MAX_DEVICES) {
		p->dropped++;
		return;
	}
	p->dev[p->ndev].sid = sid;
	p->dev[p->ndev].unit = (uint8_t)ui;
	p->ndev++;
}

struct visit {
	struct iommu_platform *p;
	unsigned int ui;
	unsigned int bus_lo, bus_hi;
};

static void visit_add(void *ctx, uint16_t bdf)
{
	struct visit *v = ctx;
	unsigned int bus = bdf >> 8;

	if (bus >= v->bus_lo && bus <= v->bus_hi)
		add_device(v->p, v->ui, bdf);
}

static void collect_scope(struct iommu_platform *p, unsigned int ui, const struct vtd_dmar_drhd *d,
			  const struct iommu_platform_ops *ops)
{
	for (unsigned int i = 0; i < d->scope.n; i++) {
		const struct vtd_dmar_dev *s = &d->scope.dev[i];
		struct visit v = { p, ui, 0, 0 };

		if (s->type == VTD_SCOPE_PCI_ENDPOINT) {
			add_device(p, ui, s->sid);
		} else if (s->type == VTD_SCOPE_PCI_SUBHIER) {
			/* §8.3.1: the bridge and every device below it. */
			add_device(p, ui, s->sid);
			if (!ops->enumerate || !ops->read8)
				continue;
			v.bus_lo = ops->read8(NULL, d->segment, (uint8_t)(s->sid >> 8),
					      (uint8_t)((s->sid >> 3) & 0x1f),
					      (uint8_t)(s->sid & 7), 0x19);
			v.bus_hi = ops->read8(NULL, d->segment, (uint8_t)(s->sid >> 8),
					      (uint8_t)((s->sid >> 3) & 0x1f),
					      (uint8_t)(s->sid & 7), 0x1a);
			if (v.bus_lo && v.bus_lo != 0xff && v.bus_hi >= v.bus_lo)
				ops->enumerate(visit_add, &v);
		}
		/* IOAPIC, HPET, ACPI namespace scopes: interrupt remapping, not DMA. */
	}
}

static int attach(struct iommu_platform *p, struct iommu_device *dev)
{
	unsigned int ui = dev->unit;
	struct vtd_unit *u = &p->unit[ui];
	int ret;

	if (!u->scalable)
		return vtd_ctx_set_legacy(u, dev->sid, p->did, &p->sl[ui], NULL);
	ret = vtd_pasid_dir_init_rid(&dev->dir, u);
	if (ret)
		return ret;
	if (p->kind[ui] == IOMMU_DOM_FL)
		ret = vtd_pasid_set_fl(u, &dev->dir, IOMMU_RID_PASID, p->did, p->fl[ui].root, 4, 0);
	else
		ret = vtd_pasid_set_sl(u, &dev->dir, IOMMU_RID_PASID, p->did, &p->sl[ui], 0);
	if (!ret)
		ret = vtd_ctx_set_scalable(u, dev->sid, p->did, dev->dir.dir, dev->dir.pdts,
					   IOMMU_RID_PASID, NULL);
	if (ret)
		vtd_pasid_dir_destroy(&dev->dir);
	return ret;
}

int iommu_platform_init(struct iommu_platform *p, const struct vtd_dmar_info *dmar,
			const uintptr_t *reg_base, const struct guest_map *m,
			const struct iommu_platform_ops *ops)
{
	unsigned int unit_of[VTD_DMAR_MAX_DRHD];
	unsigned int i, n = 0;
	int ret;

	memset(p, 0, sizeof(*p));
	p->did = IOMMU_PLATFORM_DID;
	for (i = 0; i < dmar->ndrhd && i < VTD_DMAR_MAX_DRHD; i++) {
		unit_of[i] = ~0u;
		if (!reg_base[i])
			continue;
		ret = vtd_unit_init(&p->unit[n], n, reg_base[i]);
		if (!ret)
			ret = vtd_unit_start(&p->unit[n]);
		if (!ret) {
			p->nunits = n + 1;
			ret = domain_build(p, n, m, dmar, ops);
			if (ret)
				vtd_unit_disable(&p->unit[n]);
		}
		if (ret) {
			log_err("iommu: DRHD %u at %#llx left out (%d)", i,
				(unsigned long long)dmar->drhd[i].reg_base, ret);
			p->nunits = n;
			if (ret == -ENOMEM)
				return ret;
			continue;
		}
		unit_of[i] = n++;
	}
	if (!p->nunits)
		return -ENODEV;
	/* Explicit scopes first, INCLUDE_PCI_ALL units last (§8.3: one per segment). */
	for (i = 0; i < dmar->ndrhd; i++)
		if (unit_of[i] != ~0u && !dmar->drhd[i].include_all)
			collect_scope(p, unit_of[i], &dmar->drhd[i], ops);
	for (i = 0; i < dmar->ndrhd; i++) {
		struct visit v = { p, unit_of[i], 0, 255 };

		if (unit_of[i] == ~0u || !dmar->drhd[i].include_all)
			continue;
		collect_scope(p, unit_of[i], &dmar->drhd[i], ops);
		if (ops->enumerate)
			ops->enumerate(visit_add, &v);
	}
	for (i = 0; i < p->ndev; i++) {
		ret = attach(p, &p->dev[i]);
		if (ret) {
			log_err("iommu: device %02x:%02x.%u not attached (%d): its DMA is blocked",
				p->dev[i].sid >> 8, (p->dev[i].sid >> 3) & 0x1f, p->dev[i].sid & 7,
				ret);
			p->dropped++;
			memmove(&p->dev[i], &p->dev[i + 1], (p->ndev - i - 1) * sizeof(p->dev[0]));
			p->ndev--;
			i--;
			if (ret == -ENOMEM)
				return ret;
		}
	}
	for (i = 0; i < p->nunits; i++) {
		ret = vtd_unit_translate(&p->unit[i]);
		if (ret)
			return ret;
	}
	return 0;
}

int iommu_platform_poll_faults(struct iommu_platform *p, vtd_fault_fn fn, void *ctx)
{
	int n = 0;

	for (unsigned int i = 0; i < p->nunits; i++)
		n += vtd_fault_process(&p->unit[i], fn, ctx);
	p->faults += (uint64_t)n;
	return n;
}

int iommu_platform_enable_prq(struct iommu_platform *p, unsigned int order)
{
	int n = 0, ret;

	for (unsigned int i = 0; i < p->nunits; i++) {
		struct vtd_unit *u = &p->unit[i];

		if (p->prq[i].u || !u->scalable || !vtd_has_ecap(u, VTD_ECAP_PRS))
			continue;
		ret = vtd_prq_enable(&p->prq[i], u, order);
		if (ret) {
			log_err("iommu: unit %u: page request queue not enabled (%d)", i, ret);
			continue;
		}
		n++;
	}
	return n;
}

int iommu_platform_poll_prq(struct iommu_platform *p, vtd_prq_fn fn, void *ctx)
{
	int n = 0, ret;

	for (unsigned int i = 0; i < p->nunits; i++) {
		if (!p->prq[i].u)
			continue;
		ret = vtd_prq_drain(&p->prq[i], fn, ctx);
		if (ret > 0)
			n += ret;
	}
	p->page_requests += (uint64_t)n;
	return n;
}

/* ---- the core's stage ----------------------------------------------------------- */
#ifndef HV_HOSTED
#include "hv/cmdline.h"
#include "hv/dma_selftest.h"
#include "hv/mm.h"
#include "hv/mtrr.h"
#include "hv/x86.h"

static struct vtd_dmar_info hv_dmar;
static struct guest_map hv_iommu_map;
static struct mtrr_state hv_iommu_mtrr;
static struct iommu_platform hv_iommu;
static bool hv_iommu_up;
static const struct boot_info *hv_iommu_bi;

struct iommu_platform *iommu_boot_platform(void)
{
	return hv_iommu_up ? &hv_iommu : NULL;
}

static bool boot_hv_owns(hpa_t hpa)
{
	for (uint32_t i = 0; i < hv_iommu_bi->mmap_count; i++) {
		const struct boot_mem_range *r = &hv_iommu_bi->mmap[i];

		if ((r->type == BOOT_MEM_HV_IMAGE || r->type == BOOT_MEM_HV_POOL) &&
		    hpa + VTD_PAGE_SIZE > r->base && hpa < r->base + r->size)
			return true;
	}
	return false;
}

static uint8_t boot_phys_bits(void)
{
	if (cpuid(0x80000000, 0).eax >= 0x80000008)
		return (uint8_t)(cpuid(0x80000008, 0).eax & 0xff);
	return 36;
}

int iommu_boot(const struct acpi_info *acpi, const struct boot_info *bi)
{
	static const struct iommu_platform_ops ops = {
		.enumerate = pci_enumerate,
		.read8 = pci_dmar_read8,
		.hv_owns = boot_hv_owns,
	};
	uintptr_t reg_base[VTD_DMAR_MAX_DRHD] = { 0 };
	const struct acpi_table_header *h = acpi ? acpi_find(acpi, "DMAR", 0) : NULL;
	bool all_scalable = true;
	int ret;

	hv_iommu_bi = bi;
	if (!h) {
		log_info("stage iommu: no DMAR table in ACPI: no VT-d unit to own (skipped)");
		return 0;
	}
	ret = vtd_dmar_parse(h, h->length, pci_dmar_read8, NULL, &hv_dmar);
	if (ret) {
		log_err("stage iommu: DMAR rejected (%d): VT-d left off", ret);
		return ret;
	}
	for (unsigned int i = 0; i < hv_dmar.ndrhd; i++) {
		/* Below 4 GiB the register page is mapped 1:1 (UC through the MTRRs). */
		if (host_hpa_mapped(hv_dmar.drhd[i].reg_base, VTD_PAGE_SIZE))
			reg_base[i] = (uintptr_t)hpa_to_hva(hv_dmar.drhd[i].reg_base);
		else
			log_err("stage iommu: DRHD %u registers at %#llx are not mapped", i,
				(unsigned long long)hv_dmar.drhd[i].reg_base);
	}
	mtrr_read(&hv_iommu_mtrr, boot_phys_bits());
	ret = guest_map_build(bi, &hv_iommu_mtrr, &hv_iommu_map);
	if (ret) {
		log_err("stage iommu: guest memory map failed (%d): VT-d left off", ret);
		return ret;
	}
	ret = iommu_platform_init(&hv_iommu, &hv_dmar, reg_base, &hv_iommu_map, &ops);
	if (ret) {
		log_err("stage iommu: no unit translates (%d): DMA is not remapped", ret);
		return ret;
	}
	hv_iommu_up = true;
	for (unsigned int i = 0; i < hv_iommu.nunits; i++)
		all_scalable &= hv_iommu.unit[i].scalable;
	log_info("stage iommu: %u units (%s), %u devices, domain DID %u, %s tables %llu frames",
		 hv_iommu.nunits, all_scalable ? "scalable" : "legacy", hv_iommu.ndev, hv_iommu.did,
		 hv_iommu.kind[0] == IOMMU_DOM_FL ? "FL" : "SL",
		 (unsigned long long)iommu_platform_table_frames(&hv_iommu));
	for (unsigned int i = 0; i < hv_iommu.ndev; i++)
		log_debug("iommu: device %02x:%02x.%u on unit %u", hv_iommu.dev[i].sid >> 8,
			  (hv_iommu.dev[i].sid >> 3) & 0x1f, hv_iommu.dev[i].sid & 7,
			  hv_iommu.dev[i].unit);
	dma_selftest_run(&hv_iommu, bi->cmdline);
	ret = iommu_platform_poll_faults(&hv_iommu, NULL, NULL);
	log_info("iommu: %d fault records pending at the end of the stage", ret);
	ret = iommu_platform_enable_prq(&hv_iommu, 0);
	if (ret)
		log_info("iommu: page request queues on %d units (ECAP.PRS), polled", ret);
	return 0;
}
#endif
