// SPDX-License-Identifier: MIT
/*
 * qi.c - queued invalidation, VT-d §6.5.2.
 *
 * A write of IQT runs the queue synchronously: descriptors from IQH to
 * IQT are fetched from memory and executed, IQH advancing past each. A
 * malformed descriptor sets FSTS.IQE and stops the queue with IQH at that
 * descriptor until software clears IQE (§6.5.2.10). An (injected)
 * device-TLB invalidation time-out sets FSTS.ITE, stops the queue after
 * that descriptor, and discards the wait descriptors that were already
 * submitted at that time (their status is never written).
 */
#include <string.h>

#include "model_internal.h"

enum qi_result {
	QI_OK,
	QI_IQE, /* invalid descriptor: stop at it */
	QI_ITE, /* device-TLB invalidation time-out: stop after it */
};

/* VT-d §7.3: an event for FSTS (IQE/ICE/ITE) goes through FECTL. */
static void qi_fault_event(struct model_unit *u)
{
	if (u->fectl & MODEL_FECTL_IM)
		u->fectl |= MODEL_FECTL_IP;
	else
		u->stats.fault_events++;
}

/* VT-d §6.5.2.8: invalidation wait descriptor. */
static enum qi_result qi_wait(struct model_unit *u, const uint64_t *d, bool discard)
{
	if ((d[0] & MODEL_QI_WAIT_RSVD0) || (d[1] & MODEL_QI_WAIT_RSVD1))
		return QI_IQE;
	if (discard)
		return QI_OK;
	if (d[0] & MODEL_QI_WAIT_SW) {
		uint32_t data = (uint32_t)MODEL_QI_WAIT_DATA(d[0]);

		if (model_mem_write(u, d[1] & MODEL_QI_WAIT_ADDR, &data, sizeof(data)))
			u->stats.wait_writes_dropped++;
	}
	if (d[0] & MODEL_QI_WAIT_IF) {
		/* ICS.IWC set; an interrupt when IWC goes 0 -> 1 (IECTL). */
		if (!(u->ics & MODEL_ICS_IWC)) {
			if (u->iectl & MODEL_IECTL_IM)
				u->iectl |= MODEL_IECTL_IP;
			else
				u->stats.inv_events++;
		}
		u->ics |= MODEL_ICS_IWC;
	}
	return QI_OK;
}

static enum qi_result qi_devtlb_completion(struct model_unit *u)
{
	if (u->inject_ice) {
		u->inject_ice = false;
		u->fsts |= MODEL_FSTS_ICE;
		qi_fault_event(u);
	}
	if (u->inject_ite) {
		u->inject_ite = false;
		u->fsts |= MODEL_FSTS_ITE;
		qi_fault_event(u);
		return QI_ITE;
	}
	return QI_OK;
}

static enum qi_result qi_exec(struct model_unit *u, const uint64_t *d, bool dw, bool discard_waits)
{
	unsigned int type = (unsigned int)MODEL_QI_TYPE(d[0]);
	int g = (int)MODEL_QI_G(d[0]);

	/* VT-d §6.5.2: scalable mode needs 256-bit descriptors. */
	if (model_scalable(u) && !dw)
		return QI_IQE;
	/* The upper 128 bits are reserved except for page group responses. */
	if (dw && type != MODEL_QI_PGRP_RESP && (d[2] || d[3]))
		return QI_IQE;
	/* PASID-granular descriptors exist only in the 256-bit format. */
	if (!dw && type >= MODEL_QI_PIOTLB)
		return QI_IQE;

	switch (type) {
	case MODEL_QI_CC:
		if ((d[0] & MODEL_QI_CC_RSVD0) || d[1] || !g)
			return QI_IQE;
		model_inv_context(u, g, (uint16_t)MODEL_QI_DID(d[0]),
				  (uint16_t)MODEL_QI_CC_SID(d[0]), (uint8_t)MODEL_QI_CC_FM(d[0]));
		return QI_OK;
	case MODEL_QI_IOTLB: {
		unsigned int am = (unsigned int)MODEL_QI_AM(d[1]);

		if ((d[0] & MODEL_QI_IOTLB_RSVD0) || (d[1] & MODEL_QI_IOTLB_RSVD1) || !g)
			return QI_IQE;
		/* Without PSI, or beyond MAMV, hardware widens to the domain. */
		if (g == 3 && (!(u->cap & MODEL_CAP_PSI) || am > MODEL_CAP_MAMV(u->cap)))
			g = 2;
		model_inv_iotlb(u, g, (uint16_t)MODEL_QI_DID(d[0]), d[1] & MODEL_QI_ADDR, am,
				d[1] & MODEL_QI_IH);
		return QI_OK;
	}
	case MODEL_QI_DEVTLB:
		if (!(u->ecap & MODEL_ECAP_DT) || (d[0] & MODEL_QI_DEVTLB_RSVD0) ||
		    (d[1] & MODEL_QI_DEVTLB_RSVD1))
			return QI_IQE;
		model_inv_devtlb(u, (uint16_t)MODEL_QI_DEVTLB_SID(d[0]), MODEL_NO_PASID, false,
				 d[1] & MODEL_QI_ADDR, d[1] & MODEL_QI_DEVTLB_S, false);
		return qi_devtlb_completion(u);
	case MODEL_QI_IEC:
		/* Interrupt remapping is not modelled: accepted, no effect. */
		return QI_OK;
	case MODEL_QI_WAIT:
		return qi_wait(u, d, discard_waits);
	case MODEL_QI_PIOTLB:
		if ((d[0] & MODEL_QI_PIOTLB_RSVD0) || (d[1] & MODEL_QI_PIOTLB_RSVD1) || g < 2)
			return QI_IQE;
		model_inv_piotlb(u, g, (uint16_t)MODEL_QI_DID(d[0]), (uint32_t)MODEL_QI_PASID(d[0]),
				 d[1] & MODEL_QI_ADDR, (unsigned int)MODEL_QI_AM(d[1]),
				 d[1] & MODEL_QI_IH);
		return QI_OK;
	case MODEL_QI_PC:
		if ((d[0] & MODEL_QI_PC_RSVD0) || d[1] || g == 2)
			return QI_IQE;
		model_inv_pasid_cache(u, g, (uint16_t)MODEL_QI_DID(d[0]),
				      (uint32_t)MODEL_QI_PASID(d[0]));
		return QI_OK;
	case MODEL_QI_PDEVTLB:
		if (!(u->ecap & MODEL_ECAP_DT) || (d[1] & MODEL_QI_PDEVTLB_RSVD1))
			return QI_IQE;
		model_inv_devtlb(u, (uint16_t)MODEL_QI_PDEVTLB_SID(d[0]),
				 (uint32_t)MODEL_QI_PASID(d[0]), d[1] & MODEL_QI_PDEVTLB_G,
				 d[1] & MODEL_QI_ADDR, d[1] & MODEL_QI_PDEVTLB_S, false);
		return qi_devtlb_completion(u);
	case MODEL_QI_PGRP_RESP:
		if (!(u->ecap & MODEL_ECAP_PRS))
			return QI_IQE;
		u->pgrp.valid = true;
		u->pgrp.rid = (uint16_t)MODEL_QI_PGRP_RID(d[0]);
		u->pgrp.pasid_present = d[0] & MODEL_QI_PGRP_PP;
		u->pgrp.pasid = (uint32_t)MODEL_QI_PASID(d[0]);
		u->pgrp.code = (uint8_t)MODEL_QI_PGRP_CODE(d[0]);
		u->pgrp.prgi = (uint16_t)MODEL_QI_PGRP_PRGI(d[1]);
		u->pgrp.count++;
		return QI_OK;
	default:
		return QI_IQE;
	}
}

void model_qi_run(struct model_unit *u)
{
	bool dw = u->iqa & MODEL_IQA_DW;
	uint64_t size = dw ? 32 : 16;
	uint64_t qbytes = MODEL_PAGE_SIZE << MODEL_IQA_QS(u->iqa);
	uint64_t base = u->iqa & MODEL_IQA_IQA;

	if (!(u->gsts & MODEL_GSTS_QIES) || (u->fsts & (MODEL_FSTS_IQE | MODEL_FSTS_ITE)))
		return;
	/* VT-d §11.4.10: with DW=1, IQT bit 4 is reserved; DW=1 needs SMTS. */
	if ((dw && (u->iqt & MODEL_BIT(4))) || u->iqt >= qbytes ||
	    (dw && !(u->ecap & MODEL_ECAP_SMTS))) {
		u->fsts |= MODEL_FSTS_IQE;
		qi_fault_event(u);
		return;
	}
	while (u->iqh != u->iqt) {
		uint64_t d[4] = { 0 };
		enum qi_result r;
		bool discard = u->ite_skip_waits;

		if (model_mem_read(u, base + u->iqh, d, size))
			r = QI_IQE;
		else
			r = qi_exec(u, d, dw, discard);
		if (r == QI_IQE) {
			u->fsts |= MODEL_FSTS_IQE;
			qi_fault_event(u);
			return;
		}
		u->iqh = (u->iqh + size) % qbytes;
		u->stats.descriptors++;
		if (u->ite_skip_waits && u->iqh == u->ite_tail)
			u->ite_skip_waits = false;
		if (r == QI_ITE) {
			/* Wait descriptors already queued behind it are discarded. */
			u->ite_tail = u->iqt;
			u->ite_skip_waits = u->iqh != u->iqt;
			return;
		}
	}
	u->ite_skip_waits = false;
}
