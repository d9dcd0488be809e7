/* SPDX-License-Identifier: MIT */
/*
 * iommu_env_model.h - the VT-d driver's environment (iommu/iommu_env.h) over the VT-d
 * reference model, for the hosted tests test_iommu_*.c.
 *
 * The driver writes its tables through ordinary pointers (iommu_env_hpa_to_va()); the
 * model walks its own simulated memory. Every frame the driver allocates therefore has
 * a host mirror, copied into the model before each MMIO write and each simulated DMA,
 * and copied back after them (the model writes wait status, A/D flags). Between those
 * points both copies are equal.
 */
#ifndef TESTS_UNIT_IOMMU_ENV_MODEL_H
#define TESTS_UNIT_IOMMU_ENV_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* env_attach() - use model unit @u from now on (frees every earlier mirror, log, hooks). */
void env_attach(struct model_unit *u);
/* env_detach() - free the mirrors (before model_destroy()). */
void env_detach(void);
/* env_reg_base() - what vtd_unit_init() takes as reg_base for the attached unit. */
uintptr_t env_reg_base(void);

/* Copy every mirrored frame to the model / back from it. */
void env_sync_to_model(void);
void env_sync_from_model(void);

/* model_dma() / model_translate() with the mirrors synchronized around them. */
int env_dma(uint16_t sid, uint32_t pasid, uint64_t addr, void *buf, size_t len, bool write);
int env_translate(const struct model_req *req, struct model_xlate *x);

/* Hooks for error paths. */
extern uint32_t env_gsts_stuck_clear; /* GSTS bits that read as 0 (a unit that hangs) */
extern int env_alloc_fail_after;      /* fail the allocation after this many; -1 never */
extern unsigned int env_clflush_calls;
extern unsigned int env_frames_live; /* frames allocated and not freed */

/* Logged lines since env_attach(). */
bool env_log_contains(const char *s);
unsigned int env_log_lines(void);

#endif /* TESTS_UNIT_IOMMU_ENV_MODEL_H */
