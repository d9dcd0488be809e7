// SPDX-License-Identifier: MIT
/*
 * DMA self-tests (hv/dma_selftest.h): QEMU's edu device copies between its 4-KiB buffer
 * (bus address 0x40000) and RAM at an IOVA, through the platform domain's tables; the
 * checks look at memory and at the unit's fault recording registers (VT-d §7.2.1).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#define LOG_PREFIX "dma"
#include "hv/dma_cases.h"
#include "hv/dma_selftest.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/pci.h"
#include "hv/selftest.h"
#include "hv/tsc.h"
#include "hv/vsva_selftest.h"
#include "hv/x86.h"
#include "iommu/pt.h"

#define EDU_VENDOR     0x1234
#define EDU_DEVICE     0x11e8
#define EDU_DMA_SRC    0x80
#define EDU_DMA_DST    0x88
#define EDU_DMA_CNT    0x90
#define EDU_DMA_CMD    0x98
#define EDU_CMD_RUN    0x1 /* start; reads 1 while busy */
#define EDU_CMD_TO_RAM 0x2 /* direction: 0 = RAM -> edu buffer, 1 = edu buffer -> RAM */
#define EDU_BUF	       0x40000ull
#define EDU_TIMEOUT_US 3000000ull /* 100 ms of virtual time per DMA, with margin */

/* Test IOVAs: above any guest map of the test machines, below 2^39 (3-level SL). */
#define IOVA_BASE     0x4000000000ull
#define IOVA_MAPPED   (IOVA_BASE + 0x0000)
#define IOVA_DST      (IOVA_BASE + 0x1000)
#define IOVA_UNMAPPED (IOVA_BASE + 0x2000)
#define IOVA_RO	      (IOVA_BASE + 0x3000)
#define IOVA_STALE    (IOVA_BASE + 0x4000)

struct edu {
	uint16_t sid;
	uintptr_t mmio;
	unsigned int unit;
};

struct fault_seen {
	unsigned int n;
	struct vtd_fault last;
};

enum mode {
	MODE_LEGACY,
	MODE_SL,
	MODE_FL
};

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

static void edu_w64(const struct edu *e, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(e->mmio + off) = v;
}

static uint32_t edu_r32(const struct edu *e, uint32_t off)
{
	return *(volatile uint32_t *)(e->mmio + off);
}

/* One edu DMA of @len bytes: RAM (@iova) -> buffer, or buffer -> RAM when @to_ram. */
static int edu_dma(const struct edu *e, iova_t iova, uint32_t len, bool to_ram)
{
	uint64_t start;

	edu_w64(e, EDU_DMA_SRC, to_ram ? EDU_BUF : iova);
	edu_w64(e, EDU_DMA_DST, to_ram ? iova : EDU_BUF);
	edu_w64(e, EDU_DMA_CNT, len);
	edu_w64(e, EDU_DMA_CMD, EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0));
	start = tsc_now_us();
	while (edu_r32(e, EDU_DMA_CMD) & EDU_CMD_RUN) {
		if (tsc_now_us() - start > EDU_TIMEOUT_US) {
			log_err("edu: timeout waiting for the DMA command register (0x98) "
				"busy bit to clear");
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	return 0;
}

static int edu_open(struct iommu_platform *p, struct edu *e)
{
	struct iommu_device *d;
	uint64_t bar;

	if (pci_find(EDU_VENDOR, EDU_DEVICE, &e->sid))
		return -ENODEV;
	if (pci_bar_mem(e->sid, 0, &bar) || !bar || !host_hpa_mapped(bar, 0x100))
		return -ENXIO;
	d = iommu_platform_device(p, e->sid);
	if (!d)
		return -ENOENT;
	e->unit = d->unit;
	e->mmio = (uintptr_t)hpa_to_hva(bar);
	pci_write16(e->sid, PCI_COMMAND,
		    pci_read16(e->sid, PCI_COMMAND) | PCI_CMD_MEM | PCI_CMD_BUS_MASTER);
	return 0;
}

static void on_fault(void *ctx, const struct vtd_unit *u, const struct vtd_fault *f)
{
	struct fault_seen *s = ctx;

	(void)u;
	s->n++;
	s->last = *f;
}

static struct fault_seen faults_after(struct iommu_platform *p)
{
	struct fault_seen s = { 0 };

	iommu_platform_poll_faults(p, on_fault, &s);
	return s;
}

static bool page_is(const void *page, uint8_t v)
{
	const volatile uint8_t *b = page;

	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (b[i] != v)
			return false;
	return true;
}

static bool page_eq(const void *a, const void *b)
{
	const volatile uint8_t *x = a, *y = b;

	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/* Expected reasons: the spec's (§7.1.3) and the one QEMU 10 reports where it differs. */
struct reason_pair {
	uint8_t spec, qemu;
};

static struct reason_pair reason_not_present(enum mode m, bool write)
{
	if (m == MODE_FL)
		return (struct reason_pair){ 0x71, 0x71 };
	if (m == MODE_SL) /* QEMU reports the legacy codes for SL faults in scalable mode */
		return (struct reason_pair){ 0x79, write ? 0x05 : 0x06 };
	return (struct reason_pair){ write ? 0x05 : 0x06, write ? 0x05 : 0x06 };
}

static struct reason_pair reason_ro_write(enum mode m)
{
	if (m == MODE_LEGACY)
		return (struct reason_pair){ 0x05, 0x05 };
	if (m == MODE_SL)
		return (struct reason_pair){ 0x85, 0x05 };
	return (struct reason_pair){ 0x85, 0x85 };
}

/* One blocked DMA: exactly one fault from edu at @iova, direction and reason as expected. */
static void check_blocked(const char *what, const struct fault_seen *s, const struct edu *e,
			  iova_t iova, bool write, struct reason_pair r, bool memory_ok)
{
	const struct vtd_fault *f = &s->last;
	bool rec = s->n == 1 && f->sid == e->sid && f->addr == (iova & VTD_PAGE_MASK) &&
		   f->write == write;
	bool spec = rec && f->reason == r.spec, qemu = rec && f->reason == r.qemu;

	if (!memory_ok) {
		check(false, "%s: the DMA reached memory", what);
		return;
	}
	if (!rec) {
		check(false,
		      "%s: expected 1 %s fault from %02x:%02x.%u at %#llx, got %u (last: "
		      "%02x:%02x.%u %s at %#llx reason %#04x)",
		      what, write ? "write" : "read", e->sid >> 8, (e->sid >> 3) & 0x1f, e->sid & 7,
		      (unsigned long long)iova, s->n, f->sid >> 8, (f->sid >> 3) & 0x1f, f->sid & 7,
		      f->write ? "write" : "read", (unsigned long long)f->addr, f->reason);
		return;
	}
	if (spec || qemu)
		check(true, "%s: blocked, fault reason %#04x (%s)%s", what, f->reason,
		      vtd_fault_reason_name(f->reason),
		      spec ? "" : " [QEMU deviation: the spec's reason differs]");
	else
		check(false, "%s: fault reason %#04x (%s), expected %#04x", what, f->reason,
		      vtd_fault_reason_name(f->reason), r.spec);
}

static int map_flush(struct iommu_platform *p, unsigned int unit, iova_t iova, hpa_t hpa,
		     uint64_t prot)
{
	int ret = iommu_domain_map(p, unit, iova, hpa, PAGE_SIZE, prot);

	if (!ret)
		ret = iommu_domain_flush(p, unit, iova, 1);
	return ret;
}

static void dma_checks(struct iommu_platform *p)
{
	enum {
		A,
		B,
		C,
		D,
		E,
		H,
		NPAGES
	};
	hpa_t pg[NPAGES];
	uint8_t *va[NPAGES];
	struct fault_seen s;
	struct edu e;
	enum mode m;
	int ret;

	ret = edu_open(p, &e);
	if (ret) {
		check(false, "edu device (1234:11e8) found and attached to the domain (%d)", ret);
		goto out;
	}
	m = !p->unit[e.unit].scalable	    ? MODE_LEGACY :
	    p->kind[e.unit] == IOMMU_DOM_FL ? MODE_FL :
					      MODE_SL;
	log_info("edu at %02x:%02x.%u, unit %u, %s translation", e.sid >> 8, (e.sid >> 3) & 0x1f,
		 e.sid & 7, e.unit,
		 m == MODE_LEGACY ? "legacy SL" :
		 m == MODE_SL	  ? "scalable SL" :
				    "scalable FL");
	for (unsigned int i = 0; i < NPAGES; i++) {
		if (host_frames_alloc(1, 1, &pg[i])) {
			check(false, "frames for the test pages");
			goto out;
		}
		va[i] = hpa_to_hva(pg[i]);
	}
	faults_after(p); /* start from an empty fault log */

	/* 1. A mapped IOVA lands at the right HPA: RAM (A) -> edu -> RAM (B). */
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		va[A][i] = (uint8_t)(0xa5 ^ i ^ (i >> 8));
	if (map_flush(p, e.unit, IOVA_MAPPED, pg[A], VTD_SL_R) ||
	    map_flush(p, e.unit, IOVA_DST, pg[B], VTD_SL_R | VTD_SL_W)) {
		check(false, "mapping the test IOVAs");
		goto out;
	}
	ret = edu_dma(&e, IOVA_MAPPED, PAGE_SIZE, false);
	if (!ret)
		ret = edu_dma(&e, IOVA_DST, PAGE_SIZE, true);
	s = faults_after(p);
	check(!ret && s.n == 0 && page_eq(va[A], va[B]),
	      "mapped IOVA lands at the right HPA: IOVA %#llx -> HPA %#llx read, IOVA %#llx -> "
	      "HPA %#llx written (%u faults)",
	      (unsigned long long)IOVA_MAPPED, (unsigned long long)pg[A],
	      (unsigned long long)IOVA_DST, (unsigned long long)pg[B], s.n);

	/* 2. Unmapped IOVA: a write and a read are blocked, the reason decoded. */
	ret = edu_dma(&e, IOVA_UNMAPPED, PAGE_SIZE, true);
	s = faults_after(p);
	check_blocked("unmapped IOVA write", &s, &e, IOVA_UNMAPPED, true,
		      reason_not_present(m, true), !ret);
	ret = edu_dma(&e, IOVA_UNMAPPED, PAGE_SIZE, false);
	s = faults_after(p);
	check_blocked("unmapped IOVA read", &s, &e, IOVA_UNMAPPED, false,
		      reason_not_present(m, false), !ret);

	/* 3. A read-only mapping blocks a write. */
	if (map_flush(p, e.unit, IOVA_RO, pg[C], VTD_SL_R)) {
		check(false, "mapping the read-only IOVA");
		goto out;
	}
	ret = edu_dma(&e, IOVA_RO, PAGE_SIZE, true);
	s = faults_after(p);
	check_blocked("read-only mapping, write", &s, &e, IOVA_RO, true, reason_ro_write(m),
		      !ret && page_is(va[C], 0));

	/* 4. The hypervisor's own memory (a pool frame, identity IOVA) is not reachable. */
	ret = edu_dma(&e, pg[H], PAGE_SIZE, true);
	s = faults_after(p);
	check_blocked("DMA into hypervisor memory (hv pool frame, IOVA = HPA)", &s, &e, pg[H], true,
		      reason_not_present(m, true), !ret && page_is(va[H], 0));

	/* 5. Remap without invalidation: the stale IOTLB entry is used; after the flush not. */
	/* A faulted read leaves the edu buffer undefined: load it from A again. */
	ret = map_flush(p, e.unit, IOVA_STALE, pg[D], VTD_SL_R | VTD_SL_W);
	if (!ret)
		ret = edu_dma(&e, IOVA_MAPPED, PAGE_SIZE, false);
	if (!ret)
		ret = edu_dma(&e, IOVA_STALE, PAGE_SIZE, true); /* fills the IOTLB */
	if (ret || !page_eq(va[D], va[A])) {
		check(false, "DMA through IOVA %#llx before the remap (%d)",
		      (unsigned long long)IOVA_STALE, ret);
		goto out;
	}
	memset(va[D], 0, PAGE_SIZE);
	ret = iommu_domain_unmap(p, e.unit, IOVA_STALE, PAGE_SIZE);
	if (!ret)
		ret = iommu_domain_map(p, e.unit, IOVA_STALE, pg[E], PAGE_SIZE,
				       VTD_SL_R | VTD_SL_W);
	if (!ret)
		ret = edu_dma(&e, IOVA_STALE, PAGE_SIZE, true);
	s = faults_after(p);
	check(!ret && page_eq(va[D], va[A]) && page_is(va[E], 0),
	      "remap without invalidation: the stale translation (old HPA %#llx) is still used "
	      "(the IOTLB caches it)",
	      (unsigned long long)pg[D]);
	memset(va[D], 0, PAGE_SIZE);
	ret = iommu_domain_flush(p, e.unit, IOVA_STALE, 1);
	if (!ret)
		ret = edu_dma(&e, IOVA_STALE, PAGE_SIZE, true);
	s = faults_after(p);
	check(!ret && page_eq(va[E], va[A]) && page_is(va[D], 0) && s.n == 0,
	      "after the driver's invalidation the new translation (HPA %#llx) is used",
	      (unsigned long long)pg[E]);

	/* Leave the domain as it was. */
	for (iova_t iova = IOVA_BASE; iova <= IOVA_STALE; iova += PAGE_SIZE)
		iommu_domain_unmap(p, e.unit, iova, PAGE_SIZE);
	iommu_domain_flush(p, e.unit, IOVA_BASE, 8);
	for (unsigned int i = 0; i < NPAGES; i++)
		host_frames_free(pg[i], 1);
out:
	log_info("%u passed, %u failed", passed, failed);
}

/* One outcome line, the form tests/unit/diff_model.c prints. */
static void diff_report(const char *name, int ret, const struct fault_seen *s)
{
	if (ret)
		log_printf(LOG_INFO, "diff", "%s outcome=timeout", name);
	else if (s->n)
		log_printf(LOG_INFO, "diff", "%s outcome=fault:%#04x", name, s->last.reason);
	else
		log_printf(LOG_INFO, "diff", "%s outcome=ok", name);
}

/*
 * selftest=diff: every case of hv/dma_cases.h, one line each, in the same form as
 * tests/unit/diff_model.c prints for the VT-d model.
 */
static void dma_diff(struct iommu_platform *p)
{
	struct fault_seen s;
	struct edu e;
	hpa_t page;
	int ret;

	ret = edu_open(p, &e);
	if (ret || host_frames_alloc(1, 1, &page)) {
		log_err("diff: no edu device attached or no frame (%d)", ret);
		return;
	}
	faults_after(p);
	for (unsigned int i = 0; i < DMA_CASES_N; i++) {
		const struct dma_case *c = &dma_cases[i];
		iova_t iova = DMA_CASE_IOVA + (uint64_t)i * PAGE_SIZE;

		if (c->map != DMA_CASE_UNMAPPED &&
		    map_flush(p, e.unit, iova, page,
			      c->map == DMA_CASE_RW ? VTD_SL_R | VTD_SL_W : VTD_SL_R)) {
			log_printf(LOG_INFO, "diff", "%s outcome=setup-failed", c->name);
			continue;
		}
		ret = edu_dma(&e, iova, c->len, c->write);
		s = faults_after(p);
		diff_report(c->name, ret, &s);
		if (c->map != DMA_CASE_UNMAPPED) {
			iommu_domain_unmap(p, e.unit, iova, PAGE_SIZE);
			iommu_domain_flush(p, e.unit, iova, 1);
		}
	}
	host_frames_free(page, 1);
	log_printf(LOG_INFO, "diff", "done: %u cases", (unsigned int)DMA_CASES_N);
}

/*
 * selftest=diff-pt: the pass-through cases of hv/dma_cases.h. edu's requests without
 * PASID are switched to pass-through (iommu/pt.h), each case's HPA is reached directly,
 * then edu goes back to the platform domain for DMA_PT_RESTORED (and stays there). The
 * two RAM pages are hypervisor pool frames, absent from the domain. A write to RAM that
 * completes without a fault but leaves the page without the data prints "lost".
 */
static void dma_diff_pt(struct iommu_platform *p)
{
	struct iommu_device *d;
	struct fault_seen s;
	bool on_domain = false;
	uint8_t *src, *dst;
	hpa_t pg[2];
	struct edu e;
	int ret;

	ret = edu_open(p, &e);
	d = ret ? NULL : iommu_platform_device(p, e.sid);
	if (!d || host_frames_alloc(1, 1, &pg[0]) || host_frames_alloc(1, 1, &pg[1])) {
		log_err("diff: no edu device attached or no frame (%d)", ret);
		return;
	}
	if (p->kind[e.unit] != IOMMU_DOM_SL) {
		log_err("diff: pass-through cases need an SL domain (legacy or scalable SL)");
		return;
	}
	src = hpa_to_hva(pg[0]);
	dst = hpa_to_hva(pg[1]);
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		src[i] = (uint8_t)(0x5a ^ i ^ (i >> 8));
	faults_after(p);
	ret = vtd_rid_set_pt(&p->unit[e.unit], e.sid, p->did, &d->dir, IOMMU_RID_PASID);
	if (ret) {
		log_err("diff: pass-through setup failed (%d)", ret);
		return;
	}
	log_info("edu at %02x:%02x.%u: pass-through (%s)", e.sid >> 8, (e.sid >> 3) & 0x1f,
		 e.sid & 7,
		 p->unit[e.unit].scalable ? "RID_PASID entry PGTT 100b" : "context entry TT 10b");
	for (unsigned int i = 0; i < DMA_PT_CASES_N; i++) {
		const struct dma_pt_case *c = &dma_pt_cases[i];
		uint64_t addr = c->target == DMA_PT_RAM_SRC   ? pg[0] :
				c->target == DMA_PT_RAM_DST   ? pg[1] :
				c->target == DMA_PT_BEYOND_AW ? DMA_PT_ADDR_BEYOND_AW :
								DMA_PT_ADDR_NO_RAM;

		if (c->target == DMA_PT_RESTORED && !on_domain) {
			ret = vtd_rid_set_sl(&p->unit[e.unit], e.sid, p->did, &d->dir,
					     IOMMU_RID_PASID, &p->sl[e.unit]);
			if (ret) {
				log_printf(LOG_INFO, "diff", "%s outcome=setup-failed", c->name);
				continue;
			}
			on_domain = true;
		}
		if (c->target == DMA_PT_RAM_DST)
			memset(dst, 0, PAGE_SIZE);
		ret = edu_dma(&e, addr, c->len, c->write);
		s = faults_after(p);
		if (!ret && !s.n && c->target == DMA_PT_RAM_DST && memcmp(dst, src, c->len))
			log_printf(LOG_INFO, "diff", "%s outcome=lost", c->name);
		else
			diff_report(c->name, ret, &s);
	}
	if (!on_domain)
		vtd_rid_set_sl(&p->unit[e.unit], e.sid, p->did, &d->dir, IOMMU_RID_PASID,
			       &p->sl[e.unit]);
	host_frames_free(pg[0], 1);
	host_frames_free(pg[1], 1);
	log_printf(LOG_INFO, "diff", "done: %u cases", (unsigned int)DMA_PT_CASES_N);
}

void dma_selftest_run(struct iommu_platform *p, const char *cmdline)
{
	if (selftest_chosen(cmdline, "dma"))
		dma_checks(p);
	else if (selftest_chosen(cmdline, "diff"))
		dma_diff(p);
	else if (selftest_chosen(cmdline, "diff-pt"))
		dma_diff_pt(p);
	else if (selftest_chosen(cmdline, "vsva"))
		vsva_selftest_run(p); /* hv/vsva_selftest.h: software nesting with edu */
}
