// SPDX-License-Identifier: MIT
/*
 * selftest=vsva (hv/vsva_selftest.h): a fake guest's GVA -> GPA table, bound to edu's
 * requests without PASID (vsva_rid_bind(): its RID_PASID entry) through software
 * nesting; edu DMA to GVAs, before and after the guest changes its table and
 * invalidates, at a GVA the guest maps to hypervisor memory, and after unbind. Outcomes are read from memory and from the fault recording registers
 * (VT-d §7.2.1).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#define LOG_PREFIX "vsva"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/mtrr.h"
#include "hv/pci.h"
#include "hv/tsc.h"
#include "hv/vsva.h"
#include "hv/vsva_selftest.h"
#include "hv/x86.h"
#include "iommu/rid_pasid.h"

#define EDU_VENDOR     0x1234
#define EDU_DEVICE     0x11e8
#define EDU_DMA_SRC    0x80
#define EDU_DMA_DST    0x88
#define EDU_DMA_CNT    0x90
#define EDU_DMA_CMD    0x98
#define EDU_CMD_RUN    0x1
#define EDU_CMD_TO_RAM 0x2
#define EDU_BUF	       0x40000ull
#define EDU_TIMEOUT_US 3000000ull

/* The fake guest's RAM: host-pool frames, GPA = HPA. Page roles: */
enum {
	PG_PML4,
	PG_PDPT,
	PG_PD,
	PG_PT,
	PG_SRC,
	PG_DST1,
	PG_DST2,
	NPG
};

#define GVA_SRC 0x10000000ull /* -> PG_SRC */
#define GVA_DST 0x10001000ull /* -> PG_DST1, then PG_DST2 */
#define GVA_HV	0x10002000ull /* -> the hypervisor's image: never shadowed */
#define FLF	(VTD_FL_P | VTD_FL_RW | VTD_FL_US)

struct st {
	struct iommu_platform *p;
	struct iommu_device *dev;
	struct vtd_unit *u;
	uint16_t sid;
	uintptr_t mmio;
	hpa_t base; /* the fake guest's RAM */
	struct vtd_flpt gfl;
	unsigned int faults;
	uint8_t last_reason;
};

static struct guest_map fake_map;
static struct vsva_guest fake_guest;
static struct st st;
static unsigned int passed, failed;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(bool ok, const char *fmt, ...)
{
	char line[240];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_info("%s - %s", ok ? "ok" : "FAIL", line);
	if (ok)
		passed++;
	else
		failed++;
}

static uint8_t *page(unsigned int i)
{
	return hpa_to_hva(st.base + (hpa_t)i * PAGE_SIZE);
}

static gpa_t gpa(unsigned int i)
{
	return st.base + (gpa_t)i * PAGE_SIZE;
}

static void edu_w64(uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(st.mmio + off) = v;
}

/* One edu DMA of a page: RAM (@addr) -> buffer, or buffer -> RAM when @to_ram. */
static int edu_dma(uint64_t addr, bool to_ram)
{
	uint64_t start;

	edu_w64(EDU_DMA_SRC, to_ram ? EDU_BUF : addr);
	edu_w64(EDU_DMA_DST, to_ram ? addr : EDU_BUF);
	edu_w64(EDU_DMA_CNT, PAGE_SIZE);
	edu_w64(EDU_DMA_CMD, EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0));
	start = tsc_now_us();
	while (*(volatile uint32_t *)(st.mmio + EDU_DMA_CMD) & EDU_CMD_RUN) {
		if (tsc_now_us() - start > EDU_TIMEOUT_US)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return 0;
}

static void on_fault(void *ctx, const struct vtd_unit *u, const struct vtd_fault *f)
{
	(void)ctx, (void)u;
	st.faults++;
	st.last_reason = f->reason;
}

/* Faults recorded since the last call. */
static unsigned int faults(void)
{
	st.faults = 0;
	st.last_reason = 0;
	iommu_platform_poll_faults(st.p, on_fault, NULL);
	return st.faults;
}

static bool page_is(const uint8_t *a, uint8_t v)
{
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (((volatile const uint8_t *)a)[i] != v)
			return false;
	return true;
}

static bool page_eq(const uint8_t *a, const uint8_t *b)
{
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (((volatile const uint8_t *)a)[i] != ((volatile const uint8_t *)b)[i])
			return false;
	return true;
}

static int dev_info(void *ctx, uint16_t seg, uint16_t sid, struct vsva_dev_info *info)
{
	(void)ctx;
	if (seg || sid != st.sid)
		return -VSVA_ENODEV;
	info->unit = st.u;
	info->dir = &st.dev->dir;
	info->sl = NULL;
	info->fl = &st.gfl; /* the fake guest's GPA -> HPA */
	info->did = st.p->did;
	info->sid = sid;
	return 0;
}

/* The guest's PT entry for @gva (all four GVAs share one PT). */
static void guest_map_gva(uint64_t gva, uint64_t out)
{
	uint64_t *pt = (uint64_t *)page(PG_PT);

	pt[(gva >> 12) & 511] = out | FLF;
}

/* The guest's P_IOTLB invalidation of @gva on @dev's RID_PASID binding (guest PASID 0). */
static int invalidate_page(uint32_t dev, uint64_t gva)
{
	struct vsva_inv_req r = { .type = VSVA_INV_IOTLB,
				  .pasid = VSVA_RID_PASID,
				  .device = dev,
				  .addr = gva,
				  .pages = 1 };

	return vsva_invalidate(&fake_guest, &r, 1);
}

static bool invariants(void)
{
	char why[160] = "";

	if (!vsva_check(&fake_guest, why, sizeof(why)))
		return true;
	log_err("invariant: %s", why);
	return false;
}

static int setup(struct iommu_platform *p)
{
	uint64_t bar;

	memset(&st, 0, sizeof(st));
	st.p = p;
	if (pci_find(EDU_VENDOR, EDU_DEVICE, &st.sid))
		return -ENODEV;
	if (pci_bar_mem(st.sid, 0, &bar) || !bar || !host_hpa_mapped(bar, 0x100))
		return -ENXIO;
	st.dev = iommu_platform_device(p, st.sid);
	if (!st.dev)
		return -ENOENT;
	st.u = &p->unit[st.dev->unit];
	st.mmio = (uintptr_t)hpa_to_hva(bar);
	pci_write16(st.sid, PCI_COMMAND,
		    pci_read16(st.sid, PCI_COMMAND) | PCI_CMD_MEM | PCI_CMD_BUS_MASTER);
	if (host_frames_alloc(NPG, 1, &st.base))
		return -ENOMEM;
	memset(&fake_map, 0, sizeof(fake_map));
	fake_map.count = 1;
	fake_map.r[0] = (struct guest_mem_range){ st.base, NPG * PAGE_SIZE, GUEST_MEM_RAM,
						  MEMTYPE_WB };
	fake_map.ram_bytes = NPG * PAGE_SIZE;
	fake_map.top = st.base + NPG * PAGE_SIZE;
	if (vtd_flpt_init(&st.gfl, st.u))
		return -ENOMEM;
	return vtd_flpt_map(&st.gfl, st.base, st.base, NPG * PAGE_SIZE, VTD_SL_R | VTD_SL_W);
}

static void run(struct iommu_platform *p)
{
	struct vsva_guest_config gc = { .map = &fake_map, .device = dev_info };
	struct vsva_capabilities_v2 caps;
	struct vtd_pasid_entry pe;
	struct vsva_bind b;
	uint32_t dev;
	unsigned int n;
	int ret;

	ret = setup(p);
	if (ret) {
		check(false, "edu found, attached, fake guest memory (%d)", ret);
		return;
	}
	dev = VSVA_DEVICE(0, st.sid >> 8, st.sid & 0xff);
	log_info("edu at %02x:%02x.%u, unit %u (%s), fake guest RAM %#llx-%#llx", st.sid >> 8,
		 (st.sid >> 3) & 0x1f, st.sid & 7, st.dev->unit,
		 p->kind[st.dev->unit] == IOMMU_DOM_FL ? "FL" : "SL", (unsigned long long)st.base,
		 (unsigned long long)(st.base + NPG * PAGE_SIZE - 1));
	gc.unit = st.u;
	if (vsva_guest_init(&fake_guest, &gc)) {
		check(false, "vSVA state for the fake guest");
		return;
	}
	memset(&caps, 0, sizeof(caps));
	vsva_caps(&fake_guest, &caps);
	/* vSVA needs 16-bit guest PASIDs (hv/vsva.c); QEMU 10 reports fewer (ECAP.PSS). */
	if (st.u->pasid_bits >= 16)
		check((caps.v1.flags & VSVA_CAP_VSVA) && (caps.v1.flags & VSVA_CAP_NEST_SW) &&
			      !(caps.v1.flags & VSVA_CAP_NEST_HW),
		      "capabilities report software nesting (flags %#llx)",
		      (unsigned long long)caps.v1.flags);
	else
		check(!(caps.v1.flags & (VSVA_CAP_VSVA | VSVA_CAP_NEST_HW | VSVA_CAP_NEST_SW)),
		      "capabilities report no vSVA: the unit has %u PASID bits, the ABI needs 16 "
		      "(flags %#llx)",
		      st.u->pasid_bits, (unsigned long long)caps.v1.flags);

	/* The fake guest's process: a 4-level GVA -> GPA table in its own RAM. */
	((uint64_t *)page(PG_PML4))[(GVA_SRC >> 39) & 511] = gpa(PG_PDPT) | FLF;
	((uint64_t *)page(PG_PDPT))[(GVA_SRC >> 30) & 511] = gpa(PG_PD) | FLF;
	((uint64_t *)page(PG_PD))[(GVA_SRC >> 21) & 511] = gpa(PG_PT) | FLF;
	guest_map_gva(GVA_SRC, gpa(PG_SRC));
	guest_map_gva(GVA_DST, gpa(PG_DST1));
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		page(PG_SRC)[i] = (uint8_t)(0x5a ^ i ^ (i >> 8));
	faults();

	/* Bind: edu sends no PASID, so the guest's table goes on its RID_PASID entry. */
	ret = vsva_attach(&fake_guest, dev);
	if (!ret) {
		memset(&b, 0, sizeof(b));
		b.size = sizeof(b);
		b.device = dev;
		b.pasid = VSVA_RID_PASID;
		b.flptr = gpa(PG_PML4);
		b.paging_levels = 4;
		ret = vsva_rid_bind(&fake_guest, &b);
	}
	vtd_pasid_entry_get(&st.dev->dir, IOMMU_RID_PASID, &pe);
	check(!ret && vtd_pe_present(&pe) && vtd_pe_pgtt(&pe) == VTD_PGTT_FL &&
		      (pe.val[2] & VTD_PE_2_FLPTR) != gpa(PG_PML4) && vtd_pe_did(&pe) != p->did &&
		      invariants(),
	      "bind GVA table GPA %#llx to RID_PASID with software nesting: entry PGTT %u, "
	      "FLPTR %#llx (the shadow), DID %u (%d)",
	      (unsigned long long)gpa(PG_PML4), vtd_pe_pgtt(&pe),
	      (unsigned long long)(pe.val[2] & VTD_PE_2_FLPTR), vtd_pe_did(&pe), ret);
	if (ret)
		goto out;

	/* 1. GVA DMA lands at the right host address: SRC -> edu -> DST1. */
	ret = edu_dma(GVA_SRC, false);
	if (!ret)
		ret = edu_dma(GVA_DST, true);
	n = faults();
	check(!ret && !n && page_eq(page(PG_SRC), page(PG_DST1)),
	      "GVA DMA lands at the right HPA: GVA %#llx -> HPA %#llx read, GVA %#llx -> HPA "
	      "%#llx written (%u faults)",
	      (unsigned long long)GVA_SRC, (unsigned long long)gpa(PG_SRC),
	      (unsigned long long)GVA_DST, (unsigned long long)gpa(PG_DST1), n);

	/* 2. The guest remaps GVA_DST, no invalidation yet: the old mapping is used. */
	guest_map_gva(GVA_DST, gpa(PG_DST2));
	memset(page(PG_DST1), 0, PAGE_SIZE);
	ret = edu_dma(GVA_DST, true);
	n = faults();
	check(!ret && !n && page_eq(page(PG_SRC), page(PG_DST1)) && page_is(page(PG_DST2), 0),
	      "guest table changed, not invalidated: DMA to GVA %#llx still lands at HPA %#llx "
	      "(stale, %u faults)",
	      (unsigned long long)GVA_DST, (unsigned long long)gpa(PG_DST1), n);

	/* 3. After the guest's P_IOTLB invalidation the new mapping is followed. */
	ret = invalidate_page(dev, GVA_DST);
	memset(page(PG_DST1), 0, PAGE_SIZE);
	if (!ret)
		ret = edu_dma(GVA_DST, true);
	n = faults();
	check(!ret && !n && page_eq(page(PG_SRC), page(PG_DST2)) && page_is(page(PG_DST1), 0) &&
		      invariants(),
	      "after the guest's invalidation DMA to GVA %#llx lands at HPA %#llx (%u faults)",
	      (unsigned long long)GVA_DST, (unsigned long long)gpa(PG_DST2), n);

	/* 4. A guest PTE naming hypervisor memory is not shadowed: the read faults. */
	guest_map_gva(GVA_HV, host_image_hpa);
	ret = invalidate_page(dev, GVA_HV);
	if (!ret)
		ret = edu_dma(GVA_HV, false);
	n = faults();
	check(!ret && n > 0 && invariants(),
	      "guest PTE at hypervisor memory (HPA %#llx) not shadowed: DMA read of GVA %#llx "
	      "faults (%u faults, reason %#x)",
	      (unsigned long long)host_image_hpa, (unsigned long long)GVA_HV, n, st.last_reason);

	/*
	 * 5. Unbind: RID_PASID is the entry vsva_dev_info describes again, here the fake
	 * guest's GPA map (st.gfl): the GVA is no GPA of it, so DMA to it faults.
	 */
	ret = vsva_rid_unbind(&fake_guest, dev);
	memset(page(PG_DST2), 0, PAGE_SIZE);
	if (!ret)
		ret = edu_dma(GVA_DST, true);
	n = faults();
	vtd_pasid_entry_get(&st.dev->dir, IOMMU_RID_PASID, &pe);
	check(!ret && n > 0 && page_is(page(PG_DST2), 0) && vtd_pe_pgtt(&pe) == VTD_PGTT_FL &&
		      (pe.val[2] & VTD_PE_2_FLPTR) == st.gfl.root && invariants(),
	      "after unbind RID_PASID is the GPA map again (FLPTR %#llx): DMA to GVA %#llx "
	      "faults (%u faults, reason %#x)",
	      (unsigned long long)(pe.val[2] & VTD_PE_2_FLPTR), (unsigned long long)GVA_DST, n,
	      st.last_reason);
out:
	vsva_guest_destroy(&fake_guest);
	/* edu's platform entry back, as iommu_boot attached it (AW: QEMU's FL width). */
	vtd_pasid_entry_get(&st.dev->dir, IOMMU_RID_PASID, &pe);
	ret = vtd_pe_present(&pe) ?
		      vtd_pasid_clear(st.u, &st.dev->dir, IOMMU_RID_PASID, st.sid, NULL) :
		      0;
	if (!ret && p->kind[st.dev->unit] == IOMMU_DOM_FL)
		ret = vtd_pasid_set_fl(st.u, &st.dev->dir, IOMMU_RID_PASID, p->did,
				       p->fl[st.dev->unit].root, 4, 0);
	else if (!ret)
		ret = vtd_pasid_set_sl(st.u, &st.dev->dir, IOMMU_RID_PASID, p->did,
				       &p->sl[st.dev->unit], 0);
	check(!ret, "edu's RID_PASID entry restored to the platform domain (%d)", ret);
}

void vsva_selftest_run(struct iommu_platform *p)
{
	passed = failed = 0;
	run(p);
	if (st.gfl.root)
		vtd_flpt_destroy(&st.gfl);
	if (st.base)
		host_frames_free(st.base, NPG);
	faults();
	log_info("%u passed, %u failed", passed, failed);
}
