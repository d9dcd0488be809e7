// SPDX-License-Identifier: MIT
/*
 * dma.c - the device side: translation of one request through the caches
 * (with the stale check against a fresh walk), the device-TLB of ATS
 * devices, fault recording, and DMA that moves data page by page.
 */
#include <errno.h>
#include <string.h>

#include "model_internal.h"

static void fill_xlate(const struct model_walk_out *w, const struct model_req *req,
		       struct model_xlate *x)
{
	struct model_req rd = *req, wr = *req;
	bool priv = req->priv;

	memset(x, 0, sizeof(*x));
	x->fault = w->fault;
	x->did = w->did;
	x->src = w->src;
	x->cached = w->cached;
	if (w->fault)
		return;
	x->page_size = w->map.size;
	x->hpa = w->map.out_base | (req->addr & (w->map.size - 1));
	rd.write = false;
	rd.exec = false;
	wr.write = true;
	wr.exec = false;
	x->r = !model_check_access(&w->map, &rd, priv);
	x->w = !model_check_access(&w->map, &wr, priv);
	x->x = x->r && !(w->map.fl && w->map.fl_xd);
}

static bool differs(const struct model_xlate *a, const struct model_xlate *b)
{
	if (a->fault != b->fault)
		return true;
	if (a->fault)
		return false;
	return a->hpa != b->hpa || a->r != b->r || a->w != b->w;
}

int model_walk(struct model_unit *u, const struct model_req *req, struct model_xlate *out)
{
	static const struct model_walk_ctl fresh = { 0 };
	struct model_walk_out w;

	if (!u || !req || !out)
		return -EINVAL;
	model_walk_request(u, req, &fresh, &w);
	fill_xlate(&w, req, out);
	out->fresh_fault = out->fault;
	out->fresh_hpa = out->hpa;
	return out->fault;
}

/* VT-d §4.2: an ATS device looks in its device-TLB first. */
static bool devtlb_hit(struct model_unit *u, const struct model_req *req, struct model_xlate *out)
{
	struct model_devtlb_entry *e = model_devtlb_lookup(u, req->sid, req->pasid, req->addr);

	u->stats.hits[MODEL_CACHE_DEVTLB] += e != NULL;
	u->stats.misses[MODEL_CACHE_DEVTLB] += e == NULL;
	if (!e)
		return false;
	memset(out, 0, sizeof(*out));
	out->src = MODEL_SRC_DEVTLB;
	out->cached = true;
	out->page_size = e->size;
	out->hpa = e->out_base | (req->addr & (e->size - 1));
	out->r = e->r;
	out->w = e->w;
	out->x = e->x;
	/* The device does not issue a request the translation denies. */
	if (req->write ? !e->w : !e->r)
		out->fault = model_scalable(u) ?
				     (req->write ? MODEL_FR_SM_WRITE : MODEL_FR_SM_READ) :
				     (req->write ? MODEL_FR_WRITE : MODEL_FR_READ);
	return true;
}

int model_translate(struct model_unit *u, const struct model_req *req, struct model_xlate *out)
{
	static const struct model_walk_ctl hw = {
		.use_cache = true,
		.fill_cache = true,
		.side_effects = true,
	};
	struct model_walk_out w;
	struct model_xlate fresh;
	bool recorded_fpd = false;

	if (!u || !req || !out)
		return -EINVAL;
	if (!(req->ats && model_te(u) && devtlb_hit(u, req, out))) {
		model_walk_request(u, req, &hw, &w);
		fill_xlate(&w, req, out);
		recorded_fpd = w.fpd;
		if (req->ats && !out->fault && out->src != MODEL_SRC_NONE) {
			struct model_devtlb_entry e = {
				.sid = req->sid,
				.pasid = req->pasid,
				.in_base = w.map.in_base,
				.size = w.map.size,
				.out_base = w.map.out_base,
				.r = out->r,
				.w = out->w && (!w.map.fl || w.map.fl_dirty),
				.x = out->x,
			};
			model_devtlb_fill(u, &e);
		}
	}
	model_walk(u, req, &fresh);
	out->fresh_fault = fresh.fault;
	out->fresh_hpa = fresh.hpa;
	out->stale = out->cached && differs(out, &fresh);
	if (out->stale)
		u->stats.stale_uses++;
	if (out->fault) {
		u->stats.faults++;
		/* VT-d §7.1.2: FPD in a context/PASID entry suppresses logging. */
		if (!recorded_fpd && out->src != MODEL_SRC_DEVTLB)
			model_fault_record(u, req, out->fault);
	}
	return out->fault;
}

int model_dma_req(struct model_unit *u, const struct model_req *req, void *buf, size_t len,
		  struct model_xlate *last)
{
	struct model_req r;
	struct model_xlate x = { 0 };
	uint8_t *p = buf;
	bool stale = false;
	size_t done = 0;

	if (!u || !req || (len && !buf))
		return -EINVAL;
	r = *req;
	while (done < len) {
		uint64_t in_page, n;
		int ret;

		r.addr = req->addr + done;
		ret = model_translate(u, &r, &x);
		stale = stale || x.stale;
		if (ret) {
			x.stale = stale;
			if (last)
				*last = x;
			return ret;
		}
		in_page = MODEL_PAGE_SIZE - (r.addr & (MODEL_PAGE_SIZE - 1));
		n = len - done < in_page ? len - done : in_page;
		if (req->write)
			ret = model_mem_write(u, x.hpa, p + done, n);
		else
			ret = model_mem_read(u, x.hpa, p + done, n);
		if (ret)
			return -EFAULT;
		done += n;
	}
	x.stale = stale;
	if (last)
		*last = x;
	return 0;
}

int model_dma(struct model_unit *u, uint16_t sid, uint32_t pasid, uint64_t addr, void *buf,
	      size_t len, bool write)
{
	struct model_req r = { .sid = sid, .pasid = pasid, .addr = addr, .write = write };

	return model_dma_req(u, &r, buf, len, NULL);
}
