/* SPDX-License-Identifier: MIT */
/*
 * model.h - public interface of the VT-d reference model.
 *
 * One struct model_unit is one DMA-remapping hardware unit (a DRHD) plus
 * the host-physical memory it walks. Tests program it through the same
 * MMIO registers a driver uses (model_read32() ...), build tables in the
 * simulated memory (model_mem_*()), and issue device requests
 * (model_dma(), model_translate(), model_page_request()).
 *
 * Address kinds: HPA = host-physical address in the model's memory;
 * IOVA / GVA / GPA = the input address of a DMA request (what it means
 * depends on the PASID entry's PGTT). All sizes are in bytes.
 *
 * Return conventions: functions returning int give 0 on success and a
 * negative errno on misuse (-EINVAL, -ENOMEM, -EFAULT, ...). Translation
 * functions return a positive VT-d fault reason (enum model_fault_reason,
 * model_spec.h) when the hardware would have blocked the request.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model_spec.h"

#define MODEL_NO_PASID 0xFFFFFFFFu

struct model_unit;

/* Capabilities presented to the driver; see model_cfg_*() for presets. */
struct model_config {
	uint32_t ver;  /* VER_REG; 0 selects 0x40 (4.0) */
	uint64_t cap;  /* CAP_REG; FRO=0 selects MODEL_DEFAULT_FRO */
	uint64_t ecap; /* ECAP_REG; IRO=0 selects MODEL_DEFAULT_IRO */
};

/* Preset: legacy-mode unit, 3/4-level SL, 2M/1G, QI, DT, PT, 8 fault records. */
struct model_config model_cfg_legacy(void);
/* Preset: scalable mode with FL (4/5-level), SL, nested, PT, PASID (20 bits), PRS. */
struct model_config model_cfg_scalable(void);

/*
 * model_create - create a unit with the given capabilities and an empty
 * memory. Returns NULL on allocation failure or if cfg is NULL.
 */
struct model_unit *model_create(const struct model_config *cfg);
void model_destroy(struct model_unit *u);

/* ---- MMIO register file (offsets in bytes from the unit's base) --------
 * Accesses must be naturally aligned and inside MODEL_REG_SIZE; others
 * read as 0 / are dropped. A write takes effect before the call returns
 * (e.g. GSTS reflects a GCMD write at once; an IQT write runs the queue).
 */
uint32_t model_read32(struct model_unit *u, uint32_t off);
uint64_t model_read64(struct model_unit *u, uint32_t off);
void model_write32(struct model_unit *u, uint32_t off, uint32_t val);
void model_write64(struct model_unit *u, uint32_t off, uint64_t val);

/* ---- Simulated host-physical memory ------------------------------------
 * Sparse, in 4-KiB frames. HPA 0 is never allocated. Reads and writes of
 * frames that were never allocated or mapped fail with -EFAULT (a table
 * pointer into such memory is a remapping fault, never a host crash).
 */
/* Allocate npages zeroed, contiguous frames; returns their HPA or 0. */
uint64_t model_mem_alloc(struct model_unit *u, size_t npages);
/* Back [hpa, hpa + len) with zeroed frames (page-rounded). 0 or -ENOMEM. */
int model_mem_map(struct model_unit *u, uint64_t hpa, uint64_t len);
/* Remove the frames covering [hpa, hpa + len); later accesses fault. */
void model_mem_unmap(struct model_unit *u, uint64_t hpa, uint64_t len);
int model_mem_read(struct model_unit *u, uint64_t hpa, void *buf, size_t len);
int model_mem_write(struct model_unit *u, uint64_t hpa, const void *buf, size_t len);
/* 64-bit helpers; model_mem_read64() returns 0 for unbacked memory. */
uint64_t model_mem_read64(struct model_unit *u, uint64_t hpa);
int model_mem_write64(struct model_unit *u, uint64_t hpa, uint64_t val);

/* ---- Requests ----------------------------------------------------------- */
struct model_req {
	uint16_t sid;	/* requester id: bus << 8 | dev << 3 | fn */
	uint32_t pasid; /* MODEL_NO_PASID for requests without PASID */
	uint64_t addr;	/* input address (IOVA / GVA / GPA) */
	bool write;	/* write (else read) */
	bool exec;	/* execute requested (with PASID) */
	bool priv;	/* privileged (supervisor) request (with PASID) */
	bool ats;	/* device uses its device-TLB (ATS) */
};

/* Which cache produced a translation. */
enum model_src {
	MODEL_SRC_WALK = 0, /* fresh walk of memory */
	MODEL_SRC_IOTLB,
	MODEL_SRC_DEVTLB,
	MODEL_SRC_NONE, /* translation disabled: HPA = input */
};

struct model_xlate {
	uint8_t fault;	    /* 0 or enum model_fault_reason */
	uint64_t hpa;	    /* HPA of req->addr when fault == 0 */
	uint64_t page_size; /* 4K, 2M or 1G: size of the mapping used */
	bool r, w, x;	    /* permissions the mapping grants this request */
	uint16_t did;	    /* domain id that tagged the translation */
	enum model_src src;
	bool cached; /* any cache (context/PASID/IOTLB/devTLB) used */
	/*
	 * stale: a cache entry was used and the result (fault, HPA or
	 * permissions) differs from what a fresh walk of memory gives now,
	 * i.e. software changed a table and did not invalidate.
	 */
	bool stale;
	uint8_t fresh_fault; /* result of the fresh walk, for diagnosis */
	uint64_t fresh_hpa;
};

/*
 * model_translate - translate one request as the hardware does: through
 * the context, PASID and IOTLB caches (and the device-TLB for req->ats),
 * filling them on a miss, setting FL/SL A/D flags, and recording a fault
 * in the fault recording registers unless FPD suppresses it.
 * Returns 0 or the fault reason (also in out->fault); -EINVAL for NULL args.
 */
int model_translate(struct model_unit *u, const struct model_req *req, struct model_xlate *out);

/*
 * model_walk - translate by a fresh walk of memory only: no cache is read
 * or filled, no A/D flag is written, no fault is recorded.
 * Returns 0 or the fault reason.
 */
int model_walk(struct model_unit *u, const struct model_req *req, struct model_xlate *out);

/*
 * model_dma - a device DMA of len bytes at input address addr: translated
 * page by page (model_translate()), data copied from/to buf. Stops at the
 * first fault. Returns 0, the fault reason (> 0), or -EFAULT if a
 * translated HPA is not backed by model memory, -EINVAL for bad args.
 */
int model_dma(struct model_unit *u, uint16_t sid, uint32_t pasid, uint64_t addr, void *buf,
	      size_t len, bool write);
/* As model_dma() with full request attributes; last (may be NULL) gets the
 * translation of the last page touched (its stale flag ORed over pages). */
int model_dma_req(struct model_unit *u, const struct model_req *req, void *buf, size_t len,
		  struct model_xlate *last);

/* ---- Page requests (PRS), VT-d §7.5 ------------------------------------- */
struct model_prq {
	uint16_t sid;
	uint32_t pasid; /* MODEL_NO_PASID: no PASID */
	uint64_t addr;	/* page address of the request */
	bool read, write, exec, priv;
	bool lpig;     /* last page in group */
	uint16_t prgi; /* page request group index, 9 bits */
	uint64_t priv_data[2];
};
/*
 * model_page_request - a device page request: writes a 32-byte page
 * request descriptor at PQT, advances PQT, sets PRS.PPR. Returns 0;
 * -ENOSPC if the queue is full (PRS.PRO set, request dropped); -ENODEV if
 * ECAP.PRS is 0 or PQA is not programmed.
 */
int model_page_request(struct model_unit *u, const struct model_prq *req);

/* The last page group response descriptor processed by the queue. */
struct model_pgrp_resp {
	bool valid;
	uint16_t rid;
	bool pasid_present;
	uint32_t pasid;
	uint8_t code; /* response code */
	uint16_t prgi;
	uint32_t count; /* page group responses processed so far */
};
void model_last_page_response(struct model_unit *u, struct model_pgrp_resp *out);

/* ---- Error injection ----------------------------------------------------- */
enum model_inject {
	/* the next device-TLB invalidation times out: FSTS.ITE, queue stops */
	MODEL_INJECT_ITE,
	/* the next device-TLB invalidation completes with an error: FSTS.ICE */
	MODEL_INJECT_ICE,
};
void model_inject(struct model_unit *u, enum model_inject what);

/* ---- Counters -------------------------------------------------------------- */
enum model_cache {
	MODEL_CACHE_CONTEXT,
	MODEL_CACHE_PASID,
	MODEL_CACHE_IOTLB,
	MODEL_CACHE_PSC, /* paging-structure caches */
	MODEL_CACHE_DEVTLB,
	MODEL_CACHE_NR,
};

struct model_stats {
	uint64_t hits[MODEL_CACHE_NR];
	uint64_t misses[MODEL_CACHE_NR];
	uint64_t flushes[MODEL_CACHE_NR]; /* invalidation requests handled */
	uint64_t flushed[MODEL_CACHE_NR]; /* entries dropped by them */
	uint64_t stale_uses;		  /* translations marked stale */
	uint64_t faults;		  /* faults detected */
	uint64_t faults_recorded;	  /* written to a fault record */
	uint64_t fault_events;		  /* fault interrupts (FECTL.IM=0) */
	uint64_t inv_events;		  /* invalidation-complete interrupts */
	uint64_t prq_events;		  /* page request interrupts */
	uint64_t descriptors;		  /* descriptors completed */
	uint64_t wait_writes_dropped;	  /* wait status to unbacked memory */
};
const struct model_stats *model_get_stats(struct model_unit *u);
/* Number of valid entries currently held by a cache. */
unsigned int model_cache_count(struct model_unit *u, enum model_cache which);

/* ---- Table builders for tests (build.c) -----------------------------------
 * They write memory only (no cache is touched) and allocate missing
 * tables with model_mem_alloc(). All return 0, -ENOMEM or -EFAULT.
 */
/* Allocate a root table, program RTADDR (TTM legacy / scalable) and SRTP. */
int model_tb_root(struct model_unit *u, bool scalable, uint64_t *root_hpa);
/* Set GCMD.TE, keeping the other persistent enables. */
void model_tb_enable(struct model_unit *u);
/* Write a 128-bit legacy context entry for sid (root entry made present). */
int model_tb_legacy_ctx(struct model_unit *u, uint64_t root, uint16_t sid, const uint64_t ce[2]);
/* Write a 256-bit scalable context entry (lower/upper root half by devfn). */
int model_tb_sm_ctx(struct model_unit *u, uint64_t root, uint16_t sid, const uint64_t ce[4]);
/* Write the PASID entry of pasid under PASID directory dir (HPA). */
int model_tb_pasid_entry(struct model_unit *u, uint64_t dir, uint32_t pasid, const uint64_t pe[8]);
/*
 * Map input [in, in + size) to out in the FL (first_level) or SL tables
 * rooted at HPA root with the given number of levels; size is 4K, 2M or 1G
 * (PS set for the latter). Missing tables are allocated and linked with
 * table_flags; pointers written are HPA + delta (delta != 0 for FL tables
 * that a nested walk reaches by GPA). *leaf_ea (optional) gets the HPA of
 * the leaf entry.
 */
int model_tb_map(struct model_unit *u, uint64_t root, int levels, bool first_level, uint64_t in,
		 uint64_t out, uint64_t size, uint64_t leaf_flags, uint64_t table_flags,
		 uint64_t delta, uint64_t *leaf_ea);

#endif /* MODEL_H */
