/* SPDX-License-Identifier: MIT */
/*
 * iommu/vtd.h - one DMA-remapping hardware unit (a DRHD): its state, register access and
 * bring-up (iommu/vtd.c).
 */
#ifndef IOMMU_VTD_H
#define IOMMU_VTD_H

#include "iommu/iommu_env.h"
#include "iommu/types.h"
#include "iommu/vtd_regs.h"

/* How long any hardware wait may take before it is reported (microseconds). */
#define VTD_TIMEOUT_US 1000000ull

/* The invalidation queue of a unit (iommu/qi.c). */
struct vtd_qi {
	hpa_t base;	    /* HPA of the queue: one 4-KiB frame (IQA.QS = 0) */
	uint64_t *desc;	    /* its CPU pointer */
	unsigned int dsize; /* descriptor size in bytes: 16 or 32 (IQA.DW) */
	unsigned int nents; /* descriptors the queue holds */
	unsigned int tail;  /* next free slot (index) */
	hpa_t status;	    /* HPA of the wait status words: [0] real, [1] scratch */
	volatile uint32_t *status_va;
	uint32_t seq; /* status data of the last wait descriptor */
	/* counters, for tests and benchmarks */
	uint64_t submissions;	 /* batches submitted (one wait each) */
	uint64_t descriptors;	 /* descriptors submitted, waits included */
	unsigned int last_batch; /* descriptors in the last submission, wait included */
	uint64_t errors;	 /* submissions that ended in IQE/ITE/ICE */
};

/* Fault-log state (iommu/fault.c). */
struct vtd_fault_log {
	uint64_t records;      /* fault records read and cleared */
	uint64_t overflows;    /* FSTS.PFO seen */
	uint64_t logged;       /* lines printed */
	uint64_t suppressed;   /* lines dropped by the rate limit */
	uint64_t window_start; /* µs */
	unsigned int window_lines;
};

struct vtd_unit {
	unsigned int id;    /* index, for messages */
	uintptr_t reg_base; /* what iommu_env_mmio_*() take */
	uint32_t ver;
	uint64_t cap, ecap;
	bool scalable;		 /* scalable mode (ECAP.SMTS) */
	bool ctx_coherent;	 /* root/context/PASID table walks snoop (ECAP.C) */
	bool pt_coherent;	 /* paging-structure walks snoop (C legacy, SMPWC scalable) */
	unsigned int sl_levels;	 /* SL table levels used: 3, 4 or 5 */
	unsigned int agaw;	 /* address width of those tables: 39, 48 or 57 bits */
	unsigned int mgaw;	 /* CAP.MGAW, bits */
	unsigned int did_bits;	 /* 4 + 2 * CAP.ND */
	unsigned int pasid_bits; /* ECAP.PSS + 1 (0 without ECAP.PASID) */
	hpa_t root;		 /* HPA of the root table, 0 before vtd_unit_enable() */
	bool enabled;
	struct vtd_qi qi;
	struct vtd_fault_log flog;
};

/* ---- register access: the only way the driver touches a unit ----------------------- */
static inline uint32_t vtd_read32(struct vtd_unit *u, uint32_t off)
{
	return iommu_env_mmio_read32(u->reg_base, off);
}

static inline uint64_t vtd_read64(struct vtd_unit *u, uint32_t off)
{
	return iommu_env_mmio_read64(u->reg_base, off);
}

static inline void vtd_write32(struct vtd_unit *u, uint32_t off, uint32_t val)
{
	iommu_env_mmio_write32(u->reg_base, off, val);
}

static inline void vtd_write64(struct vtd_unit *u, uint32_t off, uint64_t val)
{
	iommu_env_mmio_write64(u->reg_base, off, val);
}

/* Feature checks that read as sentences. */
static inline bool vtd_has_cap(const struct vtd_unit *u, uint64_t bit)
{
	return (u->cap & bit) != 0;
}

static inline bool vtd_has_ecap(const struct vtd_unit *u, uint64_t bit)
{
	return (u->ecap & bit) != 0;
}

/* Write back a table entry the unit will walk when its table walks do not snoop. */
static inline void vtd_flush_ctx_entry(const struct vtd_unit *u, void *p, size_t len)
{
	if (!u->ctx_coherent)
		iommu_env_clflush(p, len);
}

static inline void vtd_flush_pt_entry(const struct vtd_unit *u, void *p, size_t len)
{
	if (!u->pt_coherent)
		iommu_env_clflush(p, len);
}

/* A 64-bit store the compiler neither splits nor reorders with other entry stores. */
static inline void vtd_set64(uint64_t *p, uint64_t v)
{
	*(volatile uint64_t *)p = v;
}

static inline uint64_t vtd_get64(const uint64_t *p)
{
	return *(const volatile uint64_t *)p;
}

/*
 * vtd_unit_init() - probe the unit whose registers iommu_env_mmio_*() reach by @reg_base:
 * read VER/CAP/ECAP (VT-d §11.4.1-3), choose scalable mode when ECAP.SMTS, else legacy,
 * choose the SL table depth from CAP.SAGAW and CAP.MGAW, and log a one-line summary.
 * Changes no hardware state and allocates nothing.
 * Returns 0; -ENODEV if the unit lacks queued invalidation (ECAP.QI) or supports no
 * SL table depth (SAGAW without 39/48/57 bits), or if its registers read all-ones.
 */
int vtd_unit_init(struct vtd_unit *u, unsigned int id, uintptr_t reg_base);

/*
 * vtd_unit_summary() - the decoded one-line summary of CAP/ECAP into @buf (@len bytes,
 * always NUL-terminated). Returns the number of characters written.
 */
size_t vtd_unit_summary(const struct vtd_unit *u, char *buf, size_t len);

/*
 * vtd_unit_enable() - bring the unit up (VT-d §10.4.4-7): allocate an empty root table
 * (one 4-KiB frame), enable queued invalidation (GCMD.QIE, §6.5.2), program RTADDR with
 * the mode's TTM and latch it (GCMD.SRTP), invalidate the context cache, the PASID cache
 * (scalable) and the IOTLB globally, and enable translation (GCMD.TE). With an empty
 * root table, every DMA is blocked.
 * Returns 0; -ENOMEM; -ETIMEDOUT if a GSTS bit does not follow its command (the message
 * names the register and bit); -EIO if the global invalidation fails. On error the unit
 * is left disabled and what was allocated is freed.
 */
int vtd_unit_enable(struct vtd_unit *u);

/*
 * vtd_unit_start() - the first half of vtd_unit_enable(): root table, queued
 * invalidation, SRTP and the global invalidation, translation left as it is (off, or
 * turned off if the firmware left it on). Context entries can then be installed
 * (iommu/root.c) before any DMA is translated; vtd_unit_translate() turns it on.
 * Returns and cleans up as vtd_unit_enable().
 */
int vtd_unit_start(struct vtd_unit *u);

/*
 * vtd_unit_translate() - set GCMD.TE on a started unit and wait for GSTS.TES (§10.4.4).
 * Returns 0; -EINVAL if the unit was not started; -ETIMEDOUT (GSTS.TES).
 */
int vtd_unit_translate(struct vtd_unit *u);

/*
 * vtd_unit_disable() - clear GCMD.TE and GCMD.QIE and free the root table and queue.
 * The context/PASID/SL tables the caller installed are the caller's to free.
 */
void vtd_unit_disable(struct vtd_unit *u);

/*
 * vtd_gcmd_update() - set (@on) or clear one persistent enable (TE, QIE, IRE, CFI) or
 * issue one one-shot command (SRTP, SIRTP, WBF) through GCMD, writing the other
 * persistent enables back as they are (§11.4.4), and wait until @sts_bit in GSTS
 * follows. @name names the bit in the timeout message ("TES").
 * Returns 0 or -ETIMEDOUT after VTD_TIMEOUT_US.
 */
int vtd_gcmd_update(struct vtd_unit *u, uint32_t cmd_bit, uint32_t sts_bit, bool on,
		    const char *name);

/*
 * vtd_wait_reg32() - poll the 32-bit register at @off until (value & @mask) == @want.
 * @reg and @bit name them in the timeout message. Returns 0 or -ETIMEDOUT.
 */
int vtd_wait_reg32(struct vtd_unit *u, uint32_t off, uint32_t mask, uint32_t want, const char *reg,
		   const char *bit);

#endif /* IOMMU_VTD_H */
