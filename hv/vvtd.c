// SPDX-License-Identifier: MIT
/*
 * hv/vvtd.c - the virtual VT-d unit's life (hv/vvtd.h): what it reports (VER, CAP, ECAP,
 * VCCAP), reset, guest-memory access, events and fault recording. Registers are in
 * hv/vvtd_regs.c, the queue in hv/vvtd_qi.c, shadowing in hv/vvtd_shadow.c, page
 * requests in hv/vvtd_prq.c.
 */
#include <errno.h>
#include <string.h>

#define LOG_PREFIX "vvtd"
#include "hv/guest_map.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/pasid_space.h"
#include "hv/vvtd_internal.h"

/* VT-d §11.4.1: we implement the 3.x register set (scalable mode, virtual commands). */
#define VVTD_VER 0x30u

unsigned int vvtd_pasid_bits(const struct vvtd *u)
{
	return (unsigned int)VTD_ECAP_PSS(u->ecap) + 1;
}

int vvtd_gread(const struct vvtd *u, gpa_t gpa, void *buf, uint64_t len)
{
	const struct guest_map *m = u->cfg.vsva->cfg.map;

	if (guest_map_kind(m, gpa, len) != GUEST_MEM_RAM || !host_hpa_mapped(gpa, len))
		return -EFAULT;
	memcpy(buf, hpa_to_hva(gpa), len); /* guest RAM: GPA = HPA */
	return 0;
}

int vvtd_gwrite(const struct vvtd *u, gpa_t gpa, const void *buf, uint64_t len)
{
	const struct guest_map *m = u->cfg.vsva->cfg.map;

	if (guest_map_kind(m, gpa, len) != GUEST_MEM_RAM || !host_hpa_mapped(gpa, len))
		return -EFAULT;
	memcpy(hpa_to_hva(gpa), buf, len);
	return 0;
}

void vvtd_fault_event(struct vvtd *u)
{
	if (u->fectl & VTD_FECTL_IM) {
		u->fectl |= VTD_FECTL_IP;
		return;
	}
	u->cnt.fault_events++;
	if (u->cfg.event)
		u->cfg.event(u->cfg.ctx, VVTD_EV_FAULT);
}

void vvtd_inv_event(struct vvtd *u)
{
	if (u->iectl & VTD_FECTL_IM) {
		u->iectl |= VTD_FECTL_IP;
		return;
	}
	u->cnt.inv_events++;
	if (u->cfg.event)
		u->cfg.event(u->cfg.ctx, VVTD_EV_INV);
}

/* CAP (VT-d §11.4.2): CM = 1 so every not-present -> present change is invalidated. */
static uint64_t make_cap(const struct vsva_capabilities_v2 *pc)
{
	uint64_t c = 0;

	c |= 2;				      /* ND: 8-bit domain IDs */
	c |= VTD_CAP_CM;		      /* caching mode */
	c |= (uint64_t)VTD_CAP_SAGAW48 << 8;  /* for pre-5.15 Linux, which insists on one */
	c |= (uint64_t)(48 - 1) << 16;	      /* MGAW */
	c |= (uint64_t)(VVTD_FRO / 16) << 24; /* FRO */
	c |= VTD_CAP_PSI;
	c |= (uint64_t)(VVTD_NFR - 1) << 40; /* NFR */
	c |= (uint64_t)18 << 48;	     /* MAMV: 1 GiB */
	if (pc->fl_page_sizes & SIZE_1G)
		c |= VTD_CAP_FL1GP;
	if (pc->v1.fl_levels & BIT(5))
		c |= VTD_CAP_FL5LP;
	return c;
}

/* ECAP (VT-d §11.4.3): scalable mode, first level only, no nesting, QI required. */
static uint64_t make_ecap(const struct vvtd_config *cfg, const struct vsva_capabilities_v2 *pc,
			  unsigned int pasid_bits)
{
	const struct vtd_unit *pu = cfg->vsva->cfg.unit;
	uint64_t e = 0;

	e |= VTD_ECAP_C | VTD_ECAP_QI | VTD_ECAP_PT | VTD_ECAP_SMPWC;
	if (vtd_has_ecap(pu, VTD_ECAP_DT))
		e |= VTD_ECAP_DT;
	e |= (uint64_t)(VVTD_IRO / 16) << 8; /* IRO */
	if (pc->v1.flags & VSVA_CAP_SRE)
		e |= VTD_ECAP_SRS;
	if (pc->v1.flags & VSVA_CAP_EAFE)
		e |= VTD_ECAP_EAFS;
	e |= (uint64_t)(pasid_bits - 1) << 35; /* PSS */
	e |= VTD_ECAP_PASID | VTD_ECAP_SMTS | VTD_ECAP_FLTS;
	if (cfg->vcmd)
		e |= VTD_ECAP_VCS;
	/* Page requests only where the physical unit has them and someone routes them. */
	if (cfg->prq && vsva_prq_supported(cfg->vsva))
		e |= VTD_ECAP_PRS;
	return e;
}

static void regs_reset(struct vvtd *u)
{
	u->gsts = 0;
	u->rtaddr = u->rtaddr_active = 0;
	u->fsts = 0;
	u->fectl = VTD_FECTL_IM; /* VT-d §11.4.9.2: masked at reset */
	u->fedata = u->feaddr = u->feuaddr = 0;
	u->iqh = u->iqt = u->iqa = 0;
	u->ics = 0;
	u->iectl = VTD_FECTL_IM;
	u->iedata = u->ieaddr = u->ieuaddr = 0;
	u->ccmd = u->iva = u->iotlb = 0;
	memset(u->frcd, 0, sizeof(u->frcd));
	u->fri = 0;
	u->vcmd = u->vcrsp = 0;
	u->pqh = u->pqt = u->pqa = 0;
	u->prs = 0;
	u->pectl = VTD_PECTL_IM; /* VT-d §11.4.11.5: masked at reset */
	u->pedata = u->peaddr = u->peuaddr = 0;
	u->nbatch = 0;
}

int vvtd_init(struct vvtd *u, const struct vvtd_config *cfg)
{
	struct vsva_capabilities_v2 pc;
	unsigned int bits;

	if (!cfg || !cfg->vsva || cfg->nr_sids > VVTD_MAX_DEVICES)
		return -EINVAL;
	memset(&pc, 0, sizeof(pc));
	vsva_caps(cfg->vsva, &pc);
	if (!(pc.v1.flags & VSVA_CAP_NEST_HW))
		return -ENODEV;
	memset(u, 0, sizeof(*u));
	u->cfg = *cfg;
	bits = (cfg->vcmd && pasid_space_shared_ok()) ? 16 : 15;
	u->ver = VVTD_VER;
	u->cap = make_cap(&pc);
	u->ecap = make_ecap(cfg, &pc, bits);
	u->vccap = cfg->vcmd ? VVTD_VCCAP_PAS : 0;
	regs_reset(u);
	if (vvtd_has_prs(u)) {
		int ret = vsva_prq_add_sink(cfg->prq, cfg->vsva, vvtd_prq_deliver, u);

		if (ret) {
			memset(u, 0, sizeof(*u));
			return ret;
		}
	}
	return 0;
}

void vvtd_reset(struct vvtd *u)
{
	vvtd_shadow_drop_all(u);
	/* hv/vvtd.h: every PASID the unit allocated is freed, the allocator's too. */
	for (unsigned int i = 0; i < u->nvc; i++)
		vsva_pasid_free(u->cfg.vsva, u->vc_pasid[i]);
	u->nvc = 0;
	/* The guest forgets the page requests it was shown: answer them for it. */
	if (vvtd_has_prs(u))
		vsva_prq_cancel(u->cfg.prq, u->cfg.vsva);
	regs_reset(u);
}

void vvtd_destroy(struct vvtd *u)
{
	vvtd_reset(u);
	if (vvtd_has_prs(u))
		vsva_prq_remove_sink(u->cfg.prq, u->cfg.vsva, u);
}

int vvtd_report_fault(struct vvtd *u, uint16_t sid, uint32_t gpasid, uint64_t addr, uint8_t reason,
		      bool write)
{
	uint64_t *r = u->frcd[u->fri];
	bool was = vvtd_fault_pending(u);
	uint64_t hi;

	/* VT-d §7.2.1: the register at FRI still holds a fault: overflow, drop. */
	if (r[1] & VTD_FRCD_HI_F) {
		u->fsts |= VTD_FSTS_PFO;
		u->cnt.faults_dropped++;
		return -ENOSPC;
	}
	hi = sid | ((uint64_t)reason << 32) | VTD_FRCD_HI_F;
	if (gpasid != VVTD_NO_PASID)
		hi |= VTD_FRCD_HI_PP | ((uint64_t)(gpasid & 0xfffff) << 40);
	if (!write)
		hi |= VTD_FRCD_HI_T;
	r[0] = addr & VTD_FRCD_LO_FI;
	r[1] = hi;
	u->fri = (u->fri + 1) % VVTD_NFR;
	u->cnt.faults_recorded++;
	if (!was) /* VT-d §7.3.1: one event until software services the status */
		vvtd_fault_event(u);
	return 0;
}

const struct vvtd_shadow *vvtd_find_shadow(const struct vvtd *u, uint16_t sid, uint32_t gpasid)
{
	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++)
		if (u->sh[i].used && u->sh[i].sid == sid && u->sh[i].gpasid == gpasid)
			return &u->sh[i];
	return NULL;
}
