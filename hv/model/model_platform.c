// SPDX-License-Identifier: MIT
/*
 * The model-backed VT-d platform of build/hv-model.elf (hv/model/model_platform.h): its
 * construction over the VM's guest map, and at the guest's end the model's own walk of
 * the tables vSVA left behind ("model: confirm: ..." lines, tests/bochs/test-vsva.sh).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#define LOG_PREFIX "model"
#include "guest/include/vsva_hv.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/model/model_platform.h"
#include "hv/vsva.h"
#include "hv/vsva_boot.h"
#include "tests/model/model.h"

#define FL_P	    BIT(0)
#define FL_PS	    BIT(7)
#define FL_ADDR	    0x000ffffffffff000ull /* bits 51:12 */
#define SID_FMT	    "%02x:%02x.%u"
#define SID_ARGS(s) (s) >> 8, ((s) >> 3) & 0x1f, (s)&7

static struct model_unit *model_plat_unit;
static struct iommu_platform model_plat;
static struct vtd_dmar_info model_plat_dmar;
static bool model_plat_tried, model_plat_up;
/* The last page request with LPIG the test device sent: its group's response is
 * confirmed at the guest's end. */
static struct iommu_test_req model_plat_group;
static bool model_plat_group_sent;

/*
 * struct iommu_platform.test (VSVA_HC_PLATFORM_TEST): the model's device @r->sid does a
 * DMA through the unit's translation (model_dma(): a fault is recorded in its fault
 * recording registers as hardware records it, VT-d §7.2.1) or sends a page request
 * into the unit's page request queue (model_page_request(), §7.5.1). Only the devices
 * the platform attached: the model can simulate any requester ID, the guest may not.
 */
static int model_platform_test(struct iommu_platform *p, const struct iommu_test_req *r)
{
	uint32_t pasid = r->pasid_present ? r->pasid : MODEL_NO_PASID;
	uint64_t data = VSVA_TEST_PATTERN;
	struct model_prq pr;
	int ret;

	if (!iommu_platform_device(p, r->sid))
		return -ENODEV;
	switch (r->op) {
	case IOMMU_TEST_DMA_READ:
	case IOMMU_TEST_DMA_WRITE:
		ret = model_dma(model_plat_unit, r->sid, pasid, r->addr, &data, sizeof(data),
				r->op == IOMMU_TEST_DMA_WRITE);
		return ret == -EFAULT ? -EIO : ret; /* -EFAULT: translated outside RAM */
	case IOMMU_TEST_PAGE_REQ:
		memset(&pr, 0, sizeof(pr));
		pr.sid = r->sid;
		pr.pasid = pasid;
		pr.addr = r->addr & ~0xfffull;
		pr.read = !r->write;
		pr.write = r->write;
		pr.lpig = r->lpig;
		pr.prgi = r->prgi;
		ret = model_page_request(model_plat_unit, &pr);
		if (!ret && r->lpig) {
			model_plat_group = *r;
			model_plat_group_sent = true;
		}
		return ret;
	default:
		return -EINVAL;
	}
}

static int model_platform_build(const struct vm *vm)
{
	static const struct iommu_platform_ops ops = { 0 }; /* no enumeration, no RMRR */
	struct model_config cfg = model_cfg_scalable();
	uintptr_t reg_base[VTD_DMAR_MAX_DRHD] = { 0 };
	struct vtd_dmar_drhd *d = &model_plat_dmar.drhd[0];
	int ret;

	model_plat_unit = model_create(&cfg);
	if (!model_plat_unit) {
		log_err("platform: model_create failed (heap)");
		return -ENOMEM;
	}
	memset(&model_plat_dmar, 0, sizeof(model_plat_dmar));
	model_plat_dmar.haw = 46;
	model_plat_dmar.ndrhd = 1;
	d->reg_base = MODEL_PLATFORM_REG_HPA;
	d->reg_size = 4096;
	d->scope.n = 2;
	d->scope.dev[0] = (struct vtd_dmar_dev){ VTD_SCOPE_PCI_ENDPOINT, 0, MODEL_PLATFORM_DEV_A };
	d->scope.dev[1] = (struct vtd_dmar_dev){ VTD_SCOPE_PCI_ENDPOINT, 0, MODEL_PLATFORM_DEV_B };
	reg_base[0] = (uintptr_t)model_plat_unit;
	ret = iommu_platform_init(&model_plat, &model_plat_dmar, reg_base, &vm->map, &ops);
	if (ret) {
		log_err("platform: iommu_platform_init over the model failed (%d)", ret);
		return ret;
	}
	/* model_cfg_scalable() has ECAP.PRS: a page request queue, polled like MMIO units'. */
	if (iommu_platform_enable_prq(&model_plat, 0) != 1)
		log_err("platform: no page request queue on the model (ECAP.PRS)");
	model_plat.test = model_platform_test;
	log_info(
		"platform: test devices on (VSVA_HC_PLATFORM_TEST: DMA and page requests of " SID_FMT
		" and " SID_FMT ")",
		SID_ARGS(MODEL_PLATFORM_DEV_A), SID_ARGS(MODEL_PLATFORM_DEV_B));
	log_info("platform: VT-d reference model as unit 0 (scalable, NEST, PASID %u bits, CAP "
		 "0x%llx ECAP 0x%llx), memory = real RAM, devices " SID_FMT " " SID_FMT
		 ", domain DID %u, SL tables %llu frames, page request queue %s",
		 model_plat.unit[0].pasid_bits, (unsigned long long)model_plat.unit[0].cap,
		 (unsigned long long)model_plat.unit[0].ecap, SID_ARGS(MODEL_PLATFORM_DEV_A),
		 SID_ARGS(MODEL_PLATFORM_DEV_B), model_plat.did,
		 (unsigned long long)iommu_platform_table_frames(&model_plat),
		 model_plat.prq[0].u ? "on" : "off");
	return 0;
}

/* hv/vsva_boot.h: the model image's platform, built on first use over @vm's map. */
struct iommu_platform *vsva_boot_platform(const struct vm *vm)
{
	if (!model_plat_tried) {
		model_plat_tried = true;
		model_plat_up = model_platform_build(vm) == 0;
	}
	return model_plat_up ? &model_plat : NULL;
}

/* ---- the model's confirmation at the guest's end ---------------------------------- */

static unsigned int confirm_n, confirm_failed;

static void confirm(bool ok, const char *what)
{
	confirm_n++;
	if (!ok)
		confirm_failed++;
	log_printf(ok ? LOG_INFO : LOG_ERR, "model", "confirm: %s: %s", what, ok ? "ok" : "FAILED");
}

/* A guest RAM page of @g's map at GPA @gpa, or NULL (GPA = HPA for RAM). */
static const uint64_t *guest_table(const struct vsva_guest *g, gpa_t gpa)
{
	if (guest_map_kind(g->cfg.map, gpa, 4096) != GUEST_MEM_RAM || !host_hpa_mapped(gpa, 4096))
		return NULL;
	return hpa_to_hva(gpa);
}

/*
 * The first present leaf of the FL tables at @root (@levels 4 or 5): its GVA. The
 * model is then asked about it. Returns false when no leaf is present.
 */
static bool first_leaf(const struct vsva_guest *g, gpa_t root, unsigned int levels, uint64_t *gva)
{
	uint64_t va = 0;
	gpa_t t = root;

	for (unsigned int lvl = levels; lvl >= 1; lvl--) {
		const uint64_t *e = guest_table(g, t);
		unsigned int i;

		if (!e)
			return false;
		for (i = 0; i < 512 && !(e[i] & FL_P); i++)
			;
		if (i == 512)
			return false;
		va |= (uint64_t)i << (12 + 9 * (lvl - 1));
		if (lvl == 1 || ((lvl == 2 || lvl == 3) && (e[i] & FL_PS)))
			break;
		t = e[i] & FL_ADDR;
	}
	/* canonical: sign-extend from bit 47 (4-level) or 56 (5-level) */
	if (va & BIT(levels == 5 ? 56 : 47))
		va |= ~0ull << (levels == 5 ? 57 : 48);
	*gva = va;
	return true;
}

static void confirm_binding(struct vsva_guest *g, const struct vsva_device *d, unsigned int slot,
			    const struct vsva_pasid *p)
{
	const struct vsva_binding *b = &p->bind[slot];
	struct model_req req = { .sid = d->info.sid, .pasid = p->hpasid };
	struct vsva_translate t = { .size = sizeof(t), .pasid = p->gpasid, .device = d->id };
	struct model_xlate x;
	char what[200];
	uint64_t gva;
	bool ok;

	if (!first_leaf(g, b->flptr, b->levels, &gva)) {
		log_info("confirm: device " SID_FMT " PASID %#x: no present FL leaf to walk",
			 SID_ARGS(d->info.sid), p->gpasid);
		return;
	}
	req.addr = gva;
	t.addr = gva;
	ok = vsva_translate(g, &t) == 0 && t.status == VSVA_XLATE_OK;
	ok = ok && model_translate(model_plat_unit, &req, &x) == 0 && !x.fault && !x.stale;
	ok = ok && x.hpa == t.hpa;
	snprintf(what, sizeof(what),
		 "device " SID_FMT " PASID %#x (host %#x): nested walk of GVA %#llx -> HPA %#llx "
		 "(DID %u) agrees with vSVA translate (GPA %#llx)",
		 SID_ARGS(d->info.sid), p->gpasid, p->hpasid, (unsigned long long)gva,
		 (unsigned long long)x.hpa, x.did, (unsigned long long)t.gpa);
	confirm(ok, what);
}

/* Present PASID entries the model finds among the probed host PASIDs of @sid. */
static unsigned int probe_present(uint16_t sid, unsigned int *probed)
{
	static const uint32_t first[2] = { 1, 0x10000 };
	unsigned int n = 0;

	*probed = 0;
	for (unsigned int r = 0; r < 2; r++) {
		for (uint32_t pasid = first[r]; pasid < first[r] + MODEL_PLATFORM_PROBE; pasid++) {
			struct model_req req = { .sid = sid, .pasid = pasid, .addr = 0 };
			struct model_xlate x;

			model_walk(model_plat_unit, &req, &x);
			(*probed)++;
			if (x.fault != MODEL_FR_SM_PDE_P && x.fault != MODEL_FR_SM_PE_P &&
			    x.fault != MODEL_FR_SM_PASID_RANGE)
				n++;
		}
	}
	return n;
}

static bool probed(uint32_t hpasid)
{
	return (hpasid >= 1 && hpasid < 1 + MODEL_PLATFORM_PROBE) ||
	       (hpasid >= 0x10000 && hpasid < 0x10000 + MODEL_PLATFORM_PROBE);
}

/* The vSVA device record of @sid, or NULL when no attached device has it. */
static const struct vsva_device *rid_device(const struct vsva_guest *g, uint16_t sid)
{
	for (unsigned int s = 0; s < VSVA_MAX_DEVICES; s++)
		if (g->dev[s].attached && g->dev[s].info.sid == sid)
			return &g->dev[s];
	return NULL;
}

/*
 * Requests without PASID of device @sid (its physical RID_PASID entry, VT-d §9.4) do
 * what vSVA recorded: the platform's SL (guest RAM GPA -> same HPA), blocked (the PASID
 * entry not present: fault 0x59), or nested over the guest's FL table (the first present
 * FL leaf walks to the HPA vSVA's own translate gives; with no leaf yet, the walk stops
 * in the guest's FL table: fault 0x71, first-level entry not present).
 */
static void confirm_rid(struct vsva_guest *g, uint16_t sid)
{
	const struct vsva_device *d = rid_device(g, sid);
	struct model_req req = { .sid = sid, .pasid = MODEL_NO_PASID, .addr = 0x100000 };
	struct vsva_translate t = { .size = sizeof(t), .pasid = VSVA_RID_PASID };
	struct model_xlate x;
	char what[200];
	uint64_t gva;
	bool ok;

	switch (d ? d->rid.mode : VSVA_RID_PLATFORM) {
	case VSVA_RID_PLATFORM:
		model_walk(model_plat_unit, &req, &x);
		snprintf(what, sizeof(what),
			 "device " SID_FMT ": RID_PASID maps guest RAM GPA 0x100000 -> HPA %#llx",
			 SID_ARGS(sid), (unsigned long long)x.hpa);
		confirm(!x.fault && x.hpa == 0x100000, what);
		return;
	case VSVA_RID_BLOCKED:
		model_walk(model_plat_unit, &req, &x);
		snprintf(what, sizeof(what),
			 "device " SID_FMT ": RID_PASID blocked as the guest's tables say "
			 "(reason %#x)",
			 SID_ARGS(sid), x.fault);
		confirm(x.fault == MODEL_FR_SM_PE_P, what);
		return;
	default:
		break;
	}
	if (!first_leaf(g, d->rid.bind.flptr, d->rid.bind.levels, &gva)) {
		req.addr = 0;
		model_walk(model_plat_unit, &req, &x);
		snprintf(what, sizeof(what),
			 "device " SID_FMT ": RID_PASID nested over the guest's FL table at GPA "
			 "%#llx (no leaf yet: the walk stops in it, reason %#x)",
			 SID_ARGS(sid), (unsigned long long)d->rid.bind.flptr, x.fault);
		confirm(x.fault == MODEL_FR_SM_FL_P, what);
		return;
	}
	req.addr = gva;
	t.device = d->id;
	t.addr = gva;
	ok = vsva_translate(g, &t) == 0 && t.status == VSVA_XLATE_OK;
	ok = ok && model_walk(model_plat_unit, &req, &x) == 0 && !x.fault && x.hpa == t.hpa;
	snprintf(what, sizeof(what),
		 "device " SID_FMT ": RID_PASID nested over the guest's FL table at GPA %#llx: "
		 "GVA %#llx -> HPA %#llx agrees with vSVA translate (GPA %#llx)",
		 SID_ARGS(sid), (unsigned long long)d->rid.bind.flptr, (unsigned long long)gva,
		 (unsigned long long)x.hpa, (unsigned long long)t.gpa);
	confirm(ok, what);
}

/* hv/vsva_boot.h: one device's requests without PASID, when they change. */
unsigned int vsva_boot_confirm_rid(struct vsva_guest *g, struct iommu_platform *plat, uint16_t sid)
{
	unsigned int failed = confirm_failed;

	if (!model_plat_up || plat != &model_plat)
		return 0;
	confirm_rid(g, sid);
	return confirm_failed - failed;
}

/* hv/vsva_boot.h: the model walks what vSVA left, one log line per fact. */
unsigned int vsva_boot_confirm(struct vsva_guest *g, struct iommu_platform *plat)
{
	const struct model_stats *st;
	uint64_t ticks, writes;
	struct model_req req;
	struct model_xlate x;
	char what[200];

	if (!model_plat_up || plat != &model_plat)
		return 0;
	confirm_n = confirm_failed = 0;
	for (unsigned int s = 0; s < VSVA_MAX_DEVICES; s++) {
		if (!g->dev[s].attached)
			continue;
		for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
			if (g->pasid[i].live && g->pasid[i].bind[s].bound)
				confirm_binding(g, &g->dev[s], s, &g->pasid[i]);
	}
	for (unsigned int k = 0; k < model_plat.ndev; k++) {
		uint16_t sid = model_plat.dev[k].sid;
		unsigned int want = 0, n, nprobed;

		for (unsigned int s = 0; s < VSVA_MAX_DEVICES; s++) {
			if (!g->dev[s].attached || g->dev[s].info.sid != sid)
				continue;
			for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
				want += g->pasid[i].live && g->pasid[i].bind[s].bound &&
					probed(g->pasid[i].hpasid);
		}
		n = probe_present(sid, &nprobed);
		snprintf(what, sizeof(what),
			 "device " SID_FMT ": %u of %u probed host PASIDs have a present PASID "
			 "entry, %u live bindings among them",
			 SID_ARGS(sid), n, nprobed, want);
		confirm(n == want, what);

		confirm_rid(g, sid);

		req = (struct model_req){ .sid = sid, .pasid = MODEL_NO_PASID };
		req.addr = host_image_hpa;
		model_walk(model_plat_unit, &req, &x);
		snprintf(what, sizeof(what),
			 "device " SID_FMT ": DMA to the hypervisor image at %#llx faults (reason "
			 "%#x)",
			 SID_ARGS(sid), (unsigned long long)host_image_hpa, x.fault);
		confirm(x.fault != 0, what);
	}
	if (model_plat_group_sent) {
		struct model_pgrp_resp pr;

		model_last_page_response(model_plat_unit, &pr);
		snprintf(what, sizeof(what),
			 "page group response to device " SID_FMT " PASID %#x PRGI %#x code %u "
			 "(%u responses), the test device's group was host PASID %#x PRGI %#x",
			 SID_ARGS(pr.rid), pr.pasid, pr.prgi, pr.code, pr.count,
			 model_plat_group.pasid, model_plat_group.prgi);
		confirm(pr.valid && pr.count >= 1 && pr.rid == model_plat_group.sid &&
				pr.pasid_present == model_plat_group.pasid_present &&
				pr.pasid == model_plat_group.pasid &&
				pr.prgi == model_plat_group.prgi,
			what);
	}
	st = model_get_stats(model_plat_unit);
	snprintf(what, sizeof(what),
		 "the queue completed %llu descriptors, %llu stale translations, %llu faults "
		 "recorded",
		 (unsigned long long)st->descriptors, (unsigned long long)st->stale_uses,
		 (unsigned long long)st->faults_recorded);
	confirm(st->descriptors > 0 && st->stale_uses == 0, what);
	model_platform_time(&ticks, &writes);
	log_info("time: %llu TSC ticks inside the model over %llu register writes (the "
		 "emulated hardware's work, not the hypervisor's)",
		 (unsigned long long)ticks, (unsigned long long)writes);
	log_info("confirm: %u checks, %u failed", confirm_n, confirm_failed);
	return confirm_failed;
}
