/* SPDX-License-Identifier: MIT */
/*
 * model_internal.h - state of one modelled remapping unit, shared by the
 * model's source files only. Tests use model.h.
 */
#ifndef MODEL_INTERNAL_H
#define MODEL_INTERNAL_H

#include "model.h"

/* ---- memory (mem.c) ---- */
#define MODEL_MEM_BUCKETS 1024

struct model_frame {
	uint64_t pfn;
	struct model_frame *next;
	uint8_t data[MODEL_PAGE_SIZE];
};

struct model_mem {
	struct model_frame *bucket[MODEL_MEM_BUCKETS];
	uint64_t next_alloc; /* HPA the next model_mem_alloc() tries */
};

void model_mem_init(struct model_mem *m);
void model_mem_fini(struct model_mem *m);

/* ---- caches (cache.c) ---- */
#define MODEL_CC_SIZE	  64
#define MODEL_PC_SIZE	  64
#define MODEL_IOTLB_SIZE  256
#define MODEL_PSC_SIZE	  128
#define MODEL_DEVTLB_SIZE 128

/* What kind of translation an IOTLB entry holds (for invalidation scope). */
enum model_kind {
	MODEL_KIND_SL,	   /* legacy SL or PGTT=010 */
	MODEL_KIND_FL,	   /* PGTT=001 */
	MODEL_KIND_NESTED, /* PGTT=011 */
	MODEL_KIND_PT,	   /* pass-through */
};

/* Context-cache entry: a validated copy of a context entry, VT-d §6.2.1. */
struct model_cc_entry {
	bool valid;
	bool scalable;
	uint16_t sid;
	uint16_t did;	 /* legacy: from the entry; scalable: 0 */
	uint64_t val[4]; /* legacy uses val[0..1] */
};

/* PASID-cache entry, VT-d §6.2.2: tagged by DID and PASID (and source). */
struct model_pc_entry {
	bool valid;
	uint16_t sid;
	uint32_t pasid;
	uint16_t did;
	bool fpd; /* FPD seen in the PASID directory entry */
	uint64_t val[8];
};

/* The result of a walk: a mapping and the permissions along its path. */
struct model_map {
	enum model_kind kind;
	uint64_t in_base;  /* input page base */
	uint64_t out_base; /* HPA page base */
	uint64_t size;	   /* page size */
	/* SL permissions (ANDed over levels); true when no SL stage */
	bool sl_r, sl_w, sl_x;
	/* FL permissions; FL stage present only for FL / nested */
	bool fl;
	bool fl_rw, fl_us, fl_xd;
	bool fl_dirty; /* leaf D flag already set */
	bool wpe;
	bool scalable;
};

/* IOTLB entry, VT-d §6.2.3: tagged by DID and PASID. */
struct model_iotlb_entry {
	bool valid;
	uint16_t did;
	uint32_t pasid; /* MODEL_NO_PASID in legacy mode */
	struct model_map map;
};

/* Paging-structure cache entry: a non-leaf entry, VT-d §6.2.4. */
struct model_psc_entry {
	bool valid;
	uint16_t did;
	uint32_t pasid;
	enum model_kind kind; /* SL, FL or NESTED(first stage) */
	bool first_stage;
	int level;	    /* level of the table this entry points to */
	uint64_t in_prefix; /* input bits above that table's range */
	uint64_t table;	    /* HPA of the next table */
	/* permissions accumulated down to this point */
	bool r, w, x, us, xd;
};

struct model_devtlb_entry {
	bool valid;
	uint16_t sid;
	uint32_t pasid;
	uint64_t in_base;
	uint64_t size;
	uint64_t out_base;
	bool r, w, x;
};

/* ---- the unit ---- */
struct model_unit {
	uint32_t ver;
	uint64_t cap, ecap;
	uint32_t fro, iro, nfr;

	/* register state */
	uint32_t gsts;
	uint64_t rtaddr;	 /* as written */
	uint64_t rtaddr_latched; /* latched by SRTP */
	uint64_t ccmd;
	uint32_t fsts; /* RW1C bits and FRI; PPF is computed */
	uint32_t fectl, fedata, feaddr, feuaddr;
	uint64_t iqh, iqt, iqa;
	uint32_t ics, iectl, iedata, ieaddr, ieuaddr;
	uint64_t irta;
	uint64_t pqh, pqt, pqa;
	uint32_t prs, pectl, pedata, peaddr, peuaddr;
	uint64_t iva, iotlb_reg;
	uint64_t (*frcd)[2]; /* nfr records of 128 bits */
	uint32_t fr_next;    /* next record hardware writes */
	bool ite_skip_waits; /* waits queued before an ITE are discarded */
	uint64_t ite_tail;   /* ... up to this IQT offset */
	bool inject_ite, inject_ice;

	struct model_mem mem;

	struct model_cc_entry cc[MODEL_CC_SIZE];
	struct model_pc_entry pc[MODEL_PC_SIZE];
	struct model_iotlb_entry iotlb[MODEL_IOTLB_SIZE];
	struct model_psc_entry psc[MODEL_PSC_SIZE];
	struct model_devtlb_entry devtlb[MODEL_DEVTLB_SIZE];
	unsigned int cc_next, pc_next, iotlb_next, psc_next, devtlb_next;

	struct model_pgrp_resp pgrp;
	struct model_stats stats;
};

/* regs.c */
bool model_scalable(struct model_unit *u);
bool model_te(struct model_unit *u);

/* walk.c */
struct model_walk_ctl {
	bool use_cache;	   /* read context/PASID/IOTLB/PSC caches */
	bool fill_cache;   /* fill them on a miss */
	bool side_effects; /* set A/D flags */
};

struct model_walk_out {
	uint8_t fault;
	bool fpd;    /* fault processing disabled for this request */
	bool cached; /* a cache entry was used */
	enum model_src src;
	uint16_t did;
	uint32_t pasid; /* effective PASID (RID_PASID for none) */
	struct model_map map;
};

void model_walk_request(struct model_unit *u, const struct model_req *req,
			const struct model_walk_ctl *ctl, struct model_walk_out *out);
uint8_t model_check_access(const struct model_map *m, const struct model_req *req, bool priv);

/* cache.c */
struct model_cc_entry *model_cc_lookup(struct model_unit *u, uint16_t sid, bool scalable);
void model_cc_fill(struct model_unit *u, uint16_t sid, bool scalable, uint16_t did,
		   const uint64_t *val);
struct model_pc_entry *model_pc_lookup(struct model_unit *u, uint16_t sid, uint32_t pasid);
void model_pc_fill(struct model_unit *u, uint16_t sid, uint32_t pasid, bool fpd,
		   const uint64_t *val);
struct model_iotlb_entry *model_iotlb_lookup(struct model_unit *u, uint16_t did, uint32_t pasid,
					     uint64_t addr);
void model_iotlb_fill(struct model_unit *u, uint16_t did, uint32_t pasid,
		      const struct model_map *m);
struct model_psc_entry *model_psc_lookup(struct model_unit *u, uint16_t did, uint32_t pasid,
					 bool first_stage, uint64_t addr, int top_level);
void model_psc_fill(struct model_unit *u, const struct model_psc_entry *e);
struct model_devtlb_entry *model_devtlb_lookup(struct model_unit *u, uint16_t sid, uint32_t pasid,
					       uint64_t addr);
void model_devtlb_fill(struct model_unit *u, const struct model_devtlb_entry *e);

/* Invalidation operations, shared by the queue and the register interface. */
#define MODEL_ANY_DID 0xFFFFFFFFu
void model_inv_context(struct model_unit *u, int gran, uint16_t did, uint16_t sid, uint8_t fm);
void model_inv_pasid_cache(struct model_unit *u, int gran, uint16_t did, uint32_t pasid);
void model_inv_iotlb(struct model_unit *u, int gran, uint16_t did, uint64_t addr, unsigned int am,
		     bool ih);
void model_inv_piotlb(struct model_unit *u, int gran, uint16_t did, uint32_t pasid, uint64_t addr,
		      unsigned int am, bool ih);
void model_inv_devtlb(struct model_unit *u, uint16_t sid, uint32_t pasid, bool all_pasids,
		      uint64_t addr, bool s, bool global);

/* fault.c */
void model_fault_record(struct model_unit *u, const struct model_req *req, uint8_t reason);
void model_fault_write_hi(struct model_unit *u, uint32_t idx, uint64_t val);
uint32_t model_fsts_read(struct model_unit *u);

/* qi.c */
void model_qi_run(struct model_unit *u);

#endif /* MODEL_INTERNAL_H */
