// SPDX-License-Identifier: MIT
/*
 * regs.c - the unit's register file (VT-d §11.4) and its lifetime.
 *
 * Registers are decoded per naturally aligned qword; a 32-bit access
 * touches one half. Side effects happen when the half that carries the
 * command is written: GCMD (0x18), the high dword of CCMD and IOTLB_REG
 * (ICC / IVT live in bit 63), the low dword of IQT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

#define LO32 0x00000000FFFFFFFFULL
#define HI32 0xFFFFFFFF00000000ULL

struct model_config model_cfg_legacy(void)
{
	struct model_config c = {
		.ver = 0x40,
		.cap = 6 /* ND: 16-bit DIDs */ | MODEL_CAP_SAGAW_39 | MODEL_CAP_SAGAW_48 |
		       MODEL_CAP_MGAW_SET(48) | MODEL_CAP_SLLPS_2M | MODEL_CAP_SLLPS_1G |
		       MODEL_CAP_PSI | MODEL_CAP_NFR_SET(8) | MODEL_CAP_MAMV_SET(18) |
		       MODEL_CAP_FRO_SET(MODEL_DEFAULT_FRO),
		.ecap = MODEL_ECAP_C | MODEL_ECAP_QI | MODEL_ECAP_DT | MODEL_ECAP_IR |
			MODEL_ECAP_PT | MODEL_ECAP_IRO_SET(MODEL_DEFAULT_IRO),
	};
	return c;
}

struct model_config model_cfg_scalable(void)
{
	struct model_config c = model_cfg_legacy();

	c.cap &= ~MODEL_CAP_MGAW_SET(64);
	c.cap |= MODEL_CAP_SAGAW_57 | MODEL_CAP_MGAW_SET(57) | MODEL_CAP_FL1GP | MODEL_CAP_FL5LP;
	c.ecap |= MODEL_ECAP_NEST | MODEL_ECAP_PRS | MODEL_ECAP_SRS | MODEL_ECAP_EAFS |
		  MODEL_ECAP_PSS_SET(19) | MODEL_ECAP_PASID | MODEL_ECAP_SMTS | MODEL_ECAP_SLADS |
		  MODEL_ECAP_SLTS | MODEL_ECAP_FLTS | MODEL_ECAP_SMPWC | MODEL_ECAP_RPS;
	return c;
}

struct model_unit *model_create(const struct model_config *cfg)
{
	struct model_unit *u;

	if (!cfg)
		return NULL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->ver = cfg->ver ? cfg->ver : 0x40;
	u->cap = cfg->cap;
	u->ecap = cfg->ecap;
	if (MODEL_CAP_FRO(u->cap) == 0)
		u->cap |= MODEL_CAP_FRO_SET(MODEL_DEFAULT_FRO);
	if (MODEL_ECAP_IRO(u->ecap) == 0)
		u->ecap |= MODEL_ECAP_IRO_SET(MODEL_DEFAULT_IRO);
	u->fro = MODEL_CAP_FRO(u->cap);
	u->iro = MODEL_ECAP_IRO(u->ecap);
	u->nfr = MODEL_CAP_NFR(u->cap);
	if (u->fro + 16 * u->nfr > MODEL_REG_SIZE || u->iro + 16 > MODEL_REG_SIZE) {
		free(u);
		return NULL;
	}
	u->frcd = calloc(u->nfr, sizeof(*u->frcd));
	if (!u->frcd) {
		free(u);
		return NULL;
	}
	model_mem_init(&u->mem);
	/* VT-d §11.4.9: interrupt mask set at reset. */
	u->fectl = MODEL_FECTL_IM;
	u->iectl = MODEL_IECTL_IM;
	u->pectl = MODEL_PECTL_IM;
	return u;
}

void model_destroy(struct model_unit *u)
{
	if (!u)
		return;
	model_mem_fini(&u->mem);
	free(u->frcd);
	free(u);
}

bool model_scalable(struct model_unit *u)
{
	return MODEL_RTADDR_TTM(u->rtaddr_latched) == MODEL_TTM_SCALABLE;
}

bool model_te(struct model_unit *u)
{
	return u->gsts & MODEL_GSTS_TES;
}

void model_inject(struct model_unit *u, enum model_inject what)
{
	if (!u)
		return;
	if (what == MODEL_INJECT_ITE)
		u->inject_ite = true;
	else if (what == MODEL_INJECT_ICE)
		u->inject_ice = true;
}

const struct model_stats *model_get_stats(struct model_unit *u)
{
	return &u->stats;
}

/* VT-d §11.4.4: GCMD; GSTS reflects the command when the write returns. */
static void gcmd_write(struct model_unit *u, uint32_t cmd)
{
	uint32_t old = u->gsts;

	if (cmd & MODEL_GCMD_SRTP) {
		u->rtaddr_latched = u->rtaddr;
		u->gsts |= MODEL_GSTS_RTPS;
	}
	if (cmd & MODEL_GCMD_SIRTP)
		u->gsts |= MODEL_GSTS_IRTPS;
	if (cmd & MODEL_GCMD_TE)
		u->gsts |= MODEL_GSTS_TES;
	else
		u->gsts &= ~MODEL_GSTS_TES;
	if ((cmd & MODEL_GCMD_IRE) && (u->ecap & MODEL_ECAP_IR))
		u->gsts |= MODEL_GSTS_IRES;
	else
		u->gsts &= ~MODEL_GSTS_IRES;
	if (cmd & MODEL_GCMD_CFI)
		u->gsts |= MODEL_GSTS_CFIS;
	else
		u->gsts &= ~MODEL_GSTS_CFIS;
	if ((cmd & MODEL_GCMD_QIE) && (u->ecap & MODEL_ECAP_QI)) {
		u->gsts |= MODEL_GSTS_QIES;
		if (!(old & MODEL_GSTS_QIES)) {
			/* VT-d §6.5.2: the queue starts empty at IQH = 0. */
			u->iqh = 0;
			model_qi_run(u);
		}
	} else {
		/* VT-d §11.4.10.1: disabling QI clears IQH. */
		u->gsts &= ~MODEL_GSTS_QIES;
		u->iqh = 0;
	}
}

/* VT-d §11.4.7: register-based context-cache invalidation. */
static void ccmd_write(struct model_unit *u, uint64_t v)
{
	int g = (int)MODEL_CCMD_CIRG(v);

	u->ccmd = v;
	if (!(v & MODEL_CCMD_ICC))
		return;
	/* Not allowed while the invalidation queue is enabled: ignored. */
	if (!(u->gsts & MODEL_GSTS_QIES) && g)
		model_inv_context(u, g, (uint16_t)MODEL_CCMD_DID(v), (uint16_t)MODEL_CCMD_SID(v),
				  (uint8_t)MODEL_CCMD_FM(v));
	u->ccmd &= ~(MODEL_CCMD_ICC | (3ULL << MODEL_CCMD_CAIG_SHIFT));
	u->ccmd |= (uint64_t)g << MODEL_CCMD_CAIG_SHIFT;
}

/* VT-d §11.4.8: register-based IOTLB invalidation (IVA_REG at IRO). */
static void iotlb_write(struct model_unit *u, uint64_t v)
{
	int g = (int)MODEL_IOTLB_IIRG(v);

	u->iotlb_reg = v;
	if (!(v & MODEL_IOTLB_IVT))
		return;
	if (!(u->gsts & MODEL_GSTS_QIES) && g)
		model_inv_iotlb(u, g, (uint16_t)MODEL_IOTLB_DID(v), u->iva & MODEL_PAGE_MASK,
				(unsigned int)MODEL_IVA_AM(u->iva), u->iva & MODEL_IVA_IH);
	u->iotlb_reg &= ~(MODEL_IOTLB_IVT | (3ULL << MODEL_IOTLB_IAIG_SHIFT));
	u->iotlb_reg |= (uint64_t)g << MODEL_IOTLB_IAIG_SHIFT;
}

static uint64_t pair(uint32_t lo, uint32_t hi)
{
	return (uint64_t)lo | ((uint64_t)hi << 32);
}

/* The qword at naturally aligned offset off8, as software reads it. */
static uint64_t reg_get(struct model_unit *u, uint32_t off8)
{
	if (off8 >= u->fro && off8 < u->fro + 16 * u->nfr) {
		uint32_t i = (off8 - u->fro) / 16;

		return u->frcd[i][(off8 - u->fro) / 8 % 2];
	}
	if (off8 == u->iro)
		return u->iva;
	if (off8 == u->iro + 8)
		return u->iotlb_reg;

	switch (off8) {
	case MODEL_REG_VER:
		return u->ver;
	case MODEL_REG_CAP:
		return u->cap;
	case MODEL_REG_ECAP:
		return u->ecap;
	case MODEL_REG_GCMD: /* GCMD reads as 0, GSTS in the high half */
		return pair(0, u->gsts);
	case MODEL_REG_RTADDR:
		return u->rtaddr;
	case MODEL_REG_CCMD:
		return u->ccmd;
	case 0x30:
		return pair(0, model_fsts_read(u));
	case MODEL_REG_FECTL:
		return pair(u->fectl, u->fedata);
	case MODEL_REG_FEADDR:
		return pair(u->feaddr, u->feuaddr);
	case MODEL_REG_IQH:
		return u->iqh;
	case MODEL_REG_IQT:
		return u->iqt;
	case MODEL_REG_IQA:
		return u->iqa;
	case 0x98:
		return pair(0, u->ics);
	case MODEL_REG_IECTL:
		return pair(u->iectl, u->iedata);
	case MODEL_REG_IEADDR:
		return pair(u->ieaddr, u->ieuaddr);
	case MODEL_REG_IRTA:
		return u->irta;
	case MODEL_REG_PQH:
		return u->pqh;
	case MODEL_REG_PQT:
		return u->pqt;
	case MODEL_REG_PQA:
		return u->pqa;
	case 0xD8:
		return pair(0, u->prs);
	case MODEL_REG_PECTL:
		return pair(u->pectl, u->pedata);
	case MODEL_REG_PEADDR:
		return pair(u->peaddr, u->peuaddr);
	default:
		return 0;
	}
}

static void set32(uint32_t *r, uint64_t v, uint64_t m, bool hi)
{
	if (m & (hi ? HI32 : LO32))
		*r = (uint32_t)(hi ? v >> 32 : v);
}

static uint64_t merge(uint64_t old, uint64_t v, uint64_t m)
{
	return (old & ~m) | (v & m);
}

/* FECTL / IECTL / PECTL: only IM is writable; clearing IM delivers IP. */
static void ctl_write(uint32_t *ctl, uint32_t v, uint64_t *events)
{
	*ctl = (*ctl & ~(uint32_t)MODEL_FECTL_IM) | (v & (uint32_t)MODEL_FECTL_IM);
	if (!(*ctl & MODEL_FECTL_IM) && (*ctl & MODEL_FECTL_IP)) {
		*ctl &= ~(uint32_t)MODEL_FECTL_IP;
		(*events)++;
	}
}

/* A write of the bytes in mask m of the qword at off8. */
static void reg_put(struct model_unit *u, uint32_t off8, uint64_t v, uint64_t m)
{
	if (off8 >= u->fro && off8 < u->fro + 16 * u->nfr) {
		uint32_t i = (off8 - u->fro) / 16;

		/* Only F (bit 127) is writable, RW1C. */
		if ((off8 - u->fro) % 16 == 8 && (m & HI32))
			model_fault_write_hi(u, i, v);
		return;
	}
	if (off8 == u->iro) {
		u->iva = merge(u->iva, v, m);
		return;
	}
	if (off8 == u->iro + 8) {
		uint64_t nv = merge(u->iotlb_reg, v, m);

		if (m & HI32)
			iotlb_write(u, nv);
		else
			u->iotlb_reg = nv;
		return;
	}

	switch (off8) {
	case MODEL_REG_GCMD:
		if (m & LO32)
			gcmd_write(u, (uint32_t)v);
		break;
	case MODEL_REG_RTADDR:
		/* TTM 11b is reserved; bits 9:0 reserved, written as 0. */
		u->rtaddr = merge(u->rtaddr, v, m) & (MODEL_RTADDR_RTA | MODEL_GENMASK(11, 10));
		break;
	case MODEL_REG_CCMD: {
		uint64_t nv = merge(u->ccmd, v, m);

		if (m & HI32)
			ccmd_write(u, nv);
		else
			u->ccmd = nv;
		break;
	}
	case 0x30:
		if (m & HI32) {
			uint32_t clr = (uint32_t)(v >> 32) & (uint32_t)MODEL_FSTS_RW1C;
			bool resume = (u->fsts & clr & (MODEL_FSTS_IQE | MODEL_FSTS_ITE));

			u->fsts &= ~clr;
			if (resume)
				model_qi_run(u);
		}
		break;
	case MODEL_REG_FECTL:
		if (m & LO32)
			ctl_write(&u->fectl, (uint32_t)v, &u->stats.fault_events);
		set32(&u->fedata, v, m, true);
		break;
	case MODEL_REG_FEADDR:
		set32(&u->feaddr, v, m, false);
		set32(&u->feuaddr, v, m, true);
		break;
	case MODEL_REG_IQT:
		u->iqt = merge(u->iqt, v, m) & MODEL_IQ_QH_MASK;
		if (m & LO32)
			model_qi_run(u);
		break;
	case MODEL_REG_IQA:
		u->iqa = merge(u->iqa, v, m) & (MODEL_IQA_IQA | MODEL_IQA_DW | MODEL_GENMASK(2, 0));
		break;
	case 0x98:
		if (m & HI32)
			u->ics &= ~((uint32_t)(v >> 32) & (uint32_t)MODEL_ICS_IWC);
		break;
	case MODEL_REG_IECTL:
		if (m & LO32)
			ctl_write(&u->iectl, (uint32_t)v, &u->stats.inv_events);
		set32(&u->iedata, v, m, true);
		break;
	case MODEL_REG_IEADDR:
		set32(&u->ieaddr, v, m, false);
		set32(&u->ieuaddr, v, m, true);
		break;
	case MODEL_REG_IRTA:
		u->irta = merge(u->irta, v, m);
		break;
	case MODEL_REG_PQH:
		u->pqh = merge(u->pqh, v, m) & MODEL_PQ_MASK;
		break;
	case MODEL_REG_PQA:
		u->pqa = merge(u->pqa, v, m) & (MODEL_PQA_PQA | MODEL_GENMASK(2, 0));
		break;
	case 0xD8:
		if (m & HI32)
			u->prs &= ~((uint32_t)(v >> 32) &
				    (uint32_t)(MODEL_PRS_PPR | MODEL_PRS_PRO));
		break;
	case MODEL_REG_PECTL:
		if (m & LO32)
			ctl_write(&u->pectl, (uint32_t)v, &u->stats.prq_events);
		set32(&u->pedata, v, m, true);
		break;
	case MODEL_REG_PEADDR:
		set32(&u->peaddr, v, m, false);
		set32(&u->peuaddr, v, m, true);
		break;
	default:
		break; /* read-only or reserved: dropped */
	}
}

uint32_t model_read32(struct model_unit *u, uint32_t off)
{
	if (!u || (off & 3) || off >= MODEL_REG_SIZE)
		return 0;
	return (uint32_t)(reg_get(u, off & ~7u) >> ((off & 4) * 8));
}

uint64_t model_read64(struct model_unit *u, uint32_t off)
{
	if (!u || (off & 7) || off >= MODEL_REG_SIZE)
		return 0;
	return reg_get(u, off);
}

void model_write32(struct model_unit *u, uint32_t off, uint32_t val)
{
	unsigned int sh = (off & 4) * 8;

	if (!u || (off & 3) || off >= MODEL_REG_SIZE)
		return;
	reg_put(u, off & ~7u, (uint64_t)val << sh, LO32 << sh);
}

void model_write64(struct model_unit *u, uint32_t off, uint64_t val)
{
	if (!u || (off & 7) || off >= MODEL_REG_SIZE)
		return;
	reg_put(u, off, val, ~0ULL);
}
