// SPDX-License-Identifier: MIT
/*
 * fault.c - primary fault logging, VT-d §7.2.1 (fault recording
 * registers) and §11.4.9 (FSTS, FECTL), §11.4.14 (FRCD).
 *
 * Hardware writes records in a circular order starting at record 0. A
 * fault is recorded only if FSTS.PFO is clear and the next record is free
 * (F = 0); otherwise FSTS.PFO is set and the fault is dropped. PPF is the
 * OR of all F bits; FRI names the record of the first pending fault.
 */
#include "model_internal.h"

static bool any_pending(struct model_unit *u, uint32_t *first)
{
	uint32_t i, idx;

	/* Search from the oldest record, i.e. the one after the last written. */
	for (i = 0; i < u->nfr; i++) {
		idx = (u->fr_next + i) % u->nfr;
		if (u->frcd[idx][1] & MODEL_FRCD_HI_F) {
			*first = idx;
			return true;
		}
	}
	return false;
}

uint32_t model_fsts_read(struct model_unit *u)
{
	uint32_t v = u->fsts & (uint32_t)MODEL_FSTS_RW1C;
	uint32_t first = 0;

	if (any_pending(u, &first))
		v |= (uint32_t)MODEL_FSTS_PPF | (first << 8);
	return v;
}

/* VT-d §7.3: a fault event interrupt, or IP if masked. */
static void fault_event(struct model_unit *u)
{
	if (u->fectl & MODEL_FECTL_IM)
		u->fectl |= MODEL_FECTL_IP;
	else
		u->stats.fault_events++;
}

void model_fault_record(struct model_unit *u, const struct model_req *req, uint8_t reason)
{
	uint64_t hi;
	uint32_t idx = u->fr_next;
	bool had_pending;
	uint32_t dummy;

	if (u->fsts & MODEL_FSTS_PFO)
		return; /* VT-d §7.2.1: overflow stays until software clears it */
	if (u->frcd[idx][1] & MODEL_FRCD_HI_F) {
		u->fsts |= MODEL_FSTS_PFO;
		fault_event(u);
		return;
	}
	had_pending = any_pending(u, &dummy);
	hi = (uint64_t)req->sid | ((uint64_t)reason << 32) | MODEL_FRCD_HI_F;
	if (!req->write)
		hi |= MODEL_FRCD_HI_T;
	if (req->pasid != MODEL_NO_PASID) {
		hi |= MODEL_FRCD_HI_PP | ((uint64_t)(req->pasid & 0xFFFFF) << 40);
		if (req->priv)
			hi |= MODEL_FRCD_HI_PRIV;
		if (req->exec)
			hi |= MODEL_FRCD_HI_EXE;
	}
	u->frcd[idx][0] = req->addr & MODEL_FRCD_LO_FI;
	u->frcd[idx][1] = hi;
	u->fr_next = (idx + 1) % u->nfr;
	u->stats.faults_recorded++;
	/* An event is raised when PPF goes from 0 to 1. */
	if (!had_pending)
		fault_event(u);
}

void model_fault_write_hi(struct model_unit *u, uint32_t idx, uint64_t val)
{
	if (idx < u->nfr && (val & MODEL_FRCD_HI_F))
		u->frcd[idx][1] &= ~MODEL_FRCD_HI_F;
}
