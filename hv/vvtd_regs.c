// SPDX-License-Identifier: MIT
/*
 * hv/vvtd_regs.c - the virtual unit's register page (VT-d chapter 11): vvtd_mmio().
 *
 * The page is handled as naturally aligned qwords; a 4-byte access is the low or high
 * half of one (VT-d §10.2: 64-bit registers may be accessed as two 32-bit halves).
 * Undefined offsets, reserved bits and registers of features we do not report
 * (interrupt remapping, PMRs, performance monitoring; page requests without ECAP.PRS)
 * read 0 and ignore writes.
 */
#include <errno.h>
#include <string.h>

#define LOG_PREFIX "vvtd"
#include "hv/log.h"
#include "hv/pasid_space.h"
#include "hv/vvtd_internal.h"

#define LO32 0x00000000ffffffffull
#define HI32 0xffffffff00000000ull

#define FSTS_RW1C (VTD_FSTS_PFO | VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE | VTD_FSTS_PRO)
#define CCMD_ICC  BIT(63)
#define IOTLB_IVT BIT(63)
#define FEDATA_OK 0xffffu     /* IMD; EIMD (31:16) is reserved without ECAP.EIM */
#define FEADDR_OK 0xfffffffcu /* 1:0 reserved */

static uint64_t pair(uint32_t lo, uint32_t hi)
{
	return (uint64_t)lo | ((uint64_t)hi << 32);
}

static uint64_t merge(uint64_t old, uint64_t v, uint64_t m)
{
	return (old & ~m) | (v & m);
}

static bool has_vcs(const struct vvtd *u)
{
	return u->ecap & VTD_ECAP_VCS;
}

/* VT-d §11.4.9.1: FSTS with PPF (any recorded fault) and FRI computed. */
static uint32_t fsts_read(const struct vvtd *u)
{
	uint32_t v = u->fsts;
	unsigned int fri = u->fri;

	/* VT-d §11.4.9.1: FRI is the first pending record, the oldest one: records are
	 * written round-robin from u->fri, so the first with F set from there on. Linux's
	 * dmar_fault() reads from FRI and stops at a record with F clear. */
	for (unsigned int k = 0; k < VVTD_NFR; k++) {
		unsigned int i = (u->fri + k) % VVTD_NFR;

		if (u->frcd[i][1] & VTD_FRCD_HI_F) {
			v |= VTD_FSTS_PPF;
			fri = i;
			break;
		}
	}
	return v | (uint32_t)(fri << 8);
}

bool vvtd_fault_pending(const struct vvtd *u)
{
	return fsts_read(u) &
	       (VTD_FSTS_PFO | VTD_FSTS_PPF | VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE);
}

/* VT-d §11.4.9.2 (FECTL.IP): hardware clears IP once software has serviced every
 * condition in FSTS (PFO, PPF, IQE, ICE, ITE): the held event is never sent. */
static void fault_serviced(struct vvtd *u)
{
	if (!vvtd_fault_pending(u))
		u->fectl &= ~(uint32_t)VTD_FECTL_IP;
}

/* The qword at naturally aligned @off8, as the guest reads it. */
static uint64_t reg_get(const struct vvtd *u, uint64_t off8)
{
	if (off8 >= VVTD_FRO && off8 < VVTD_FRO + 16 * VVTD_NFR)
		return u->frcd[(off8 - VVTD_FRO) / 16][(off8 / 8) % 2];
	switch (off8) {
	case VTD_REG_VER:
		return u->ver;
	case VTD_REG_CAP:
		return u->cap;
	case VTD_REG_ECAP:
		return u->ecap;
	case VTD_REG_GCMD: /* GCMD reads 0; GSTS is the high half */
		return pair(0, u->gsts);
	case VTD_REG_RTADDR:
		return u->rtaddr;
	case VTD_REG_CCMD:
		return u->ccmd;
	case 0x30: /* FSTS at 0x34 */
		return pair(0, fsts_read(u));
	case VTD_REG_FECTL:
		return pair(u->fectl, u->fedata);
	case VTD_REG_FEADDR:
		return pair(u->feaddr, u->feuaddr);
	case VTD_REG_IQH:
		return u->iqh;
	case VTD_REG_IQT:
		return u->iqt;
	case VTD_REG_IQA:
		return u->iqa;
	case 0x98: /* ICS at 0x9c */
		return pair(0, u->ics);
	case VTD_REG_IECTL:
		return pair(u->iectl, u->iedata);
	case 0xa8:
		return pair(u->ieaddr, u->ieuaddr);
	case VVTD_IRO:
		return u->iva;
	case VVTD_IRO + 8:
		return u->iotlb;
	case VTD_REG_PQH:
		return vvtd_has_prs(u) ? u->pqh : 0;
	case VTD_REG_PQT:
		return vvtd_has_prs(u) ? u->pqt : 0;
	case VTD_REG_PQA:
		return vvtd_has_prs(u) ? u->pqa : 0;
	case 0xd8: /* PRS at 0xdc */
		return vvtd_has_prs(u) ? pair(0, u->prs) : 0;
	case VTD_REG_PECTL:
		return vvtd_has_prs(u) ? pair(u->pectl, u->pedata) : 0;
	case VTD_REG_PEADDR:
		return vvtd_has_prs(u) ? pair(u->peaddr, u->peuaddr) : 0;
	case VVTD_REG_VCMD:
		return has_vcs(u) ? u->vcmd : 0;
	case VVTD_REG_VCRSP:
		return has_vcs(u) ? u->vcrsp : 0;
	case VVTD_REG_VCCAP:
		return has_vcs(u) ? u->vccap : 0;
	default:
		return 0;
	}
}

/* VT-d §11.4.4: one GCMD write; GSTS reflects it before the write completes. */
static void gcmd_write(struct vvtd *u, uint32_t cmd)
{
	if (cmd & VTD_GCMD_SRTP) {
		u->rtaddr_active = u->rtaddr;
		u->gsts |= VTD_GSTS_RTPS;
	}
	if ((cmd & VTD_GCMD_QIE) && !(u->gsts & VTD_GSTS_QIES)) {
		/* VT-d §6.5.2: the queue starts at IQH = 0. */
		u->gsts |= VTD_GSTS_QIES;
		u->iqh = 0;
		vvtd_qi_run(u);
	} else if (!(cmd & VTD_GCMD_QIE) && (u->gsts & VTD_GSTS_QIES)) {
		u->gsts &= ~VTD_GSTS_QIES;
		u->iqh = 0;
	}
	if ((cmd & VTD_GCMD_TE) && !(u->gsts & VTD_GSTS_TES)) {
		u->gsts |= VTD_GSTS_TES;
		/* Entries the guest wrote before enabling are used from now on. */
		if (vvtd_translating(u))
			vvtd_shadow_sync(u, -1, 0, VVTD_ALL_PASIDS);
	} else if (!(cmd & VTD_GCMD_TE) && (u->gsts & VTD_GSTS_TES)) {
		u->gsts &= ~VTD_GSTS_TES;
		vvtd_shadow_drop_all(u);
	}
	/* WBF (no CAP.RWBF), SFL/EAFL (no CAP.AFL), IRE/SIRTP/CFI (no ECAP.IR): ignored. */
}

/* VCMD (VT-d 3.x §10.4.66): allocate or free a PASID; completes before the write does. */
static void vcmd_exec(struct vvtd *u)
{
	struct vsva_guest *g = u->cfg.vsva;
	uint32_t op = (uint32_t)((u->vcmd >> VVTD_VC_SHIFT) & 0xfffff);
	uint32_t kind = pasid_space_shared_ok() ? VSVA_PASID_SHARED : VSVA_PASID_RID_LOCAL;
	uint32_t p = 0;

	switch (u->vcmd & 0xff) {
	case VVTD_VCMD_ALLOC:
		if (u->nvc == VSVA_MAX_PASIDS || vsva_pasid_alloc(g, kind, 0, &p)) {
			u->vcrsp = VVTD_VCRSP_SC(VVTD_VC_SC_NOPASID);
		} else if (p >= (1u << vvtd_pasid_bits(u))) {
			vsva_pasid_free(g, p); /* not one the guest can name: not kept */
			u->vcrsp = VVTD_VCRSP_SC(VVTD_VC_SC_NOPASID);
		} else {
			u->vc_pasid[u->nvc++] = p; /* freed by vvtd_reset() if not before */
			u->vcrsp = ((uint64_t)p << VVTD_VC_SHIFT) | VVTD_VCRSP_SC(VVTD_VC_SC_OK);
		}
		break;
	case VVTD_VCMD_FREE:
		for (unsigned int i = 0; i < u->nvc; i++)
			if (u->vc_pasid[i] == op)
				u->vc_pasid[i] = u->vc_pasid[--u->nvc];
		vvtd_shadow_drop_pasid(u, op);
		if (op == 0 || vsva_pasid_free(g, op))
			u->vcrsp = VVTD_VCRSP_SC(VVTD_VC_SC_NOPASID);
		else
			u->vcrsp = VVTD_VCRSP_SC(VVTD_VC_SC_OK);
		break;
	default:
		u->vcrsp = VVTD_VCRSP_SC(VVTD_VC_SC_BADCMD);
		break;
	}
}

/* FECTL / IECTL / PECTL: only IM is writable; unmasking delivers a pending event
 * (§7.3) through @raise. */
static void ctl_write(struct vvtd *u, uint32_t *ctl, uint32_t v, void (*raise)(struct vvtd *))
{
	*ctl = (*ctl & ~(uint32_t)VTD_FECTL_IM) | (v & (uint32_t)VTD_FECTL_IM);
	if (!(*ctl & VTD_FECTL_IM) && (*ctl & VTD_FECTL_IP)) {
		*ctl &= ~(uint32_t)VTD_FECTL_IP;
		raise(u);
	}
}

/* The page request registers (§11.4.11), with ECAP.PRS; false when nothing is there. */
static bool prq_reg_put(struct vvtd *u, uint64_t off8, uint64_t v, uint64_t m)
{
	if (!vvtd_has_prs(u))
		return false;
	switch (off8) {
	case VTD_REG_PQH:
		/* PQH in 18:5 (32-byte descriptors); the rest reserved. */
		u->pqh = merge(u->pqh, v, m) & VTD_PQ_OFF_MASK;
		return true;
	case VTD_REG_PQT:
		/* Written by software only to start empty (Linux writes 0): checked when used. */
		u->pqt = merge(u->pqt, v, m) & VTD_PQ_OFF_MASK;
		return true;
	case VTD_REG_PQA:
		u->pqa = merge(u->pqa, v, m) & (VTD_PQA_PQA | VTD_GENMASK(2, 0));
		return true;
	case 0xd8:
		if (m & HI32)
			vvtd_prs_clear(u, (uint32_t)(v >> 32));
		return !!(m & HI32);
	case VTD_REG_PECTL:
		if (m & LO32)
			ctl_write(u, &u->pectl, (uint32_t)v, vvtd_prq_event);
		if (m & HI32)
			u->pedata = (uint32_t)(v >> 32) & FEDATA_OK;
		return true;
	case VTD_REG_PEADDR:
		if (m & LO32)
			u->peaddr = (uint32_t)v & FEADDR_OK;
		return true; /* PEUADDR: reserved without ECAP.EIM */
	default:
		return false;
	}
}

/* A write of the bytes in @m of the qword at @off8; false when nothing is there. */
static bool reg_put(struct vvtd *u, uint64_t off8, uint64_t v, uint64_t m)
{
	if (off8 >= VVTD_FRO && off8 < VVTD_FRO + 16 * VVTD_NFR) {
		uint64_t *r = u->frcd[(off8 - VVTD_FRO) / 16];

		/* VT-d §11.4.14: only F (bit 127) is writable, RW1C. */
		if ((off8 / 8) % 2 && (m & HI32) && (v & VTD_FRCD_HI_F)) {
			r[1] &= ~VTD_FRCD_HI_F;
			fault_serviced(u);
		}
		return true;
	}
	switch (off8) {
	case VTD_REG_GCMD:
		if (!(m & LO32))
			return false; /* GSTS is read-only */
		gcmd_write(u, (uint32_t)v);
		return true;
	case VTD_REG_RTADDR:
		/* Bits 9:0 reserved; TTM (11:10) kept, checked when used. */
		u->rtaddr = merge(u->rtaddr, v, m) & (VTD_RTADDR_RTA | VTD_GENMASK(11, 10));
		return true;
	case VTD_REG_CCMD:
		/* Register-based invalidation does nothing here (QI is required, and scalable
		 * mode has none): it completes at once with the requested granularity. */
		u->ccmd = merge(u->ccmd, v, m) & ~VTD_GENMASK(58, 34);
		if (u->ccmd & CCMD_ICC) {
			uint64_t g = (u->ccmd >> 61) & 3;

			u->ccmd &= ~(CCMD_ICC | VTD_GENMASK(60, 59));
			u->ccmd |= g << 59;
		}
		return true;
	case 0x30:
		if (m & HI32) {
			uint32_t clr = (uint32_t)(v >> 32) & FSTS_RW1C;
			bool resume = u->fsts & clr & (VTD_FSTS_IQE | VTD_FSTS_ITE);

			u->fsts &= ~clr;
			fault_serviced(u);
			if (resume) /* VT-d §6.5.2.10: fetching resumes at IQH */
				vvtd_qi_run(u);
		}
		return !!(m & HI32);
	case VTD_REG_FECTL:
		if (m & LO32)
			ctl_write(u, &u->fectl, (uint32_t)v, vvtd_fault_event);
		if (m & HI32)
			u->fedata = (uint32_t)(v >> 32) & FEDATA_OK;
		return true;
	case VTD_REG_FEADDR:
		if (m & LO32)
			u->feaddr = (uint32_t)v & FEADDR_OK;
		return true; /* FEUADDR: reserved without ECAP.EIM */
	case VTD_REG_IQT:
		/* VT-d §11.4.10.2: QT in 18:4; the rest reserved. */
		u->iqt = merge(u->iqt, v, m) & VTD_IQ_OFF_MASK;
		if (m & LO32)
			vvtd_qi_run(u);
		return true;
	case VTD_REG_IQA:
		u->iqa = merge(u->iqa, v, m) & (VTD_IQA_IQA | VTD_IQA_DW | VTD_GENMASK(2, 0));
		return true;
	case 0x98:
		if (m & HI32) {
			u->ics &= ~((uint32_t)(v >> 32) & (uint32_t)VTD_ICS_IWC);
			/* VT-d §11.4.10.6 (IECTL.IP): cleared when software clears IWC. */
			if (!(u->ics & VTD_ICS_IWC))
				u->iectl &= ~(uint32_t)VTD_FECTL_IP;
		}
		return !!(m & HI32);
	case VTD_REG_IECTL:
		if (m & LO32)
			ctl_write(u, &u->iectl, (uint32_t)v, vvtd_inv_event);
		if (m & HI32)
			u->iedata = (uint32_t)(v >> 32) & FEDATA_OK;
		return true;
	case 0xa8:
		if (m & LO32)
			u->ieaddr = (uint32_t)v & FEADDR_OK;
		return true;
	case VVTD_IRO:
		u->iva = merge(u->iva, v, m) & (VTD_GENMASK(63, 12) | VTD_GENMASK(6, 0));
		return true;
	case VVTD_IRO + 8:
		/* As CCMD: completes at once, IAIG = IIRG, nothing invalidated. */
		u->iotlb = merge(u->iotlb, v, m) & (IOTLB_IVT | VTD_GENMASK(61, 57) |
						    VTD_GENMASK(49, 48) | VTD_GENMASK(47, 32));
		if (u->iotlb & IOTLB_IVT) {
			uint64_t g = (u->iotlb >> 60) & 3;

			u->iotlb &= ~(IOTLB_IVT | VTD_GENMASK(58, 57));
			u->iotlb |= g << 57;
		}
		return true;
	case VVTD_REG_VCMD:
		if (!has_vcs(u))
			return false;
		u->vcmd = merge(u->vcmd, v, m) & (VTD_GENMASK(7, 0) | VTD_GENMASK(35, 16));
		if (m & LO32)
			vcmd_exec(u);
		return true;
	default:
		/* page requests, or read-only / undefined: ignored */
		return prq_reg_put(u, off8, v, m);
	}
}

int vvtd_mmio(struct vvtd *u, uint64_t offset, unsigned int size, bool write, uint64_t *val)
{
	uint64_t off8 = offset & ~7ull, m, shift;

	if ((size != 4 && size != 8) || (offset & (size - 1)) || offset >= VTD_REG_SIZE) {
		u->cnt.mmio_ignored++;
		if (!write)
			*val = 0;
		return -EINVAL;
	}
	shift = (offset & 4) * 8;
	m = size == 8 ? ~0ull : LO32 << shift;
	if (!write) {
		u->cnt.mmio_reads++;
		*val = (reg_get(u, off8) & m) >> shift;
		return 0;
	}
	u->cnt.mmio_writes++;
	if (!reg_put(u, off8, *val << shift, m))
		u->cnt.mmio_ignored++;
	return 0;
}
