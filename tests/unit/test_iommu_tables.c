// SPDX-License-Identifier: MIT
/*
 * test_iommu_tables.c - root/context tables (iommu/root.c), SL tables (iommu/slpt.c)
 * and the flushes after their changes, proven by DMA through the VT-d reference model.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/qi.h"
#include "iommu/root.h"
#include "iommu/slpt.h"
#include "iommu/vtd.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/iommu_test_setup.h"

#define SID  VTD_SID(0, 3, 0)
#define SID2 VTD_SID(1, 0x12, 1) /* devfn >= 128: upper half of a scalable root entry */
#define DID  5

struct fx {
	struct model_unit *m;
	struct vtd_unit u;
	struct vtd_slpt pt;
	hpa_t buf; /* 4 MiB of model memory, 2-MiB aligned, the DMA target */
};

static struct fx fx;

static int setup_cfg(void **state, struct model_config c)
{
	memset(&fx, 0, sizeof(fx));
	fx.m = iommu_test_model_up(c);
	iommu_test_unit_up(&fx.u);
	assert_int_equal(vtd_slpt_init(&fx.pt, &fx.u), 0);
	fx.buf = 0x40000000; /* 1 GiB: aligned for every page size */
	assert_int_equal(model_mem_map(fx.m, fx.buf, 4ull << 20), 0);
	*state = &fx;
	return 0;
}

static int setup_legacy(void **state)
{
	return setup_cfg(state, model_cfg_legacy());
}

static int setup_legacy_noncoherent(void **state)
{
	struct model_config c = model_cfg_legacy();

	c.ecap &= ~MODEL_ECAP_C;
	return setup_cfg(state, c);
}

static int setup_legacy_no_large_pages(void **state)
{
	struct model_config c = model_cfg_legacy();

	c.cap &= ~(MODEL_CAP_SLLPS_2M | MODEL_CAP_SLLPS_1G);
	return setup_cfg(state, c);
}

static int teardown(void **state)
{
	(void)state;
	vtd_slpt_destroy(&fx.pt);
	assert_int_equal(fx.pt.table_frames, 0);
	iommu_test_unit_down(&fx.u);
	assert_int_equal(env_frames_live, 0); /* no table leaked */
	iommu_test_model_down(fx.m);
	return 0;
}

/* Read 8 bytes by DMA at @iova; returns the model's result (0 or a fault reason). */
static int dma_read(uint16_t sid, uint64_t iova, uint64_t *val)
{
	return env_dma(sid, MODEL_NO_PASID, iova, val, sizeof(*val), false);
}

static struct model_xlate xlate(uint16_t sid, uint64_t iova, bool write)
{
	struct model_req r = { .sid = sid, .pasid = MODEL_NO_PASID, .addr = iova, .write = write };
	struct model_xlate x;

	memset(&x, 0, sizeof(x));
	env_translate(&r, &x);
	return x;
}

static void flush_range(uint64_t iova, uint64_t size, bool tables_changed)
{
	struct vtd_flush f = { .what = VTD_FLUSH_SL | (tables_changed ? 0 : VTD_FLUSH_LEAF),
			       .did = DID,
			       .pasid = VTD_NO_PASID,
			       .addr = iova,
			       .pages = size >> 12 };

	assert_int_equal(vtd_flush_after_change(&fx.u, &f), 0);
}

/* ---- legacy context + SL ----------------------------------------------------------- */

static void legacy_context_translates_dma_through_sl_tables(void **state)
{
	uint64_t v = 0x1122334455667788ull, got = 0;

	(void)state;
	model_mem_write64(fx.m, fx.buf + 0x3008, v);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10000, fx.buf, 0x10000, VTD_SL_R | VTD_SL_W), 0);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, &fx.pt, NULL), 0);
	assert_int_equal(dma_read(SID, 0x13008, &got), 0);
	assert_int_equal(got, v);
	/* another device on the bus has no context entry */
	assert_int_equal(dma_read(VTD_SID(0, 4, 0), 0x13008, &got), MODEL_FR_CTX_P);
	/* outside the mapping */
	assert_int_equal(dma_read(SID, 0x20000, &got), MODEL_FR_READ);
}

static void legacy_read_only_mapping_faults_on_write(void **state)
{
	uint64_t v = 1;

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10000, fx.buf, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, &fx.pt, NULL), 0);
	assert_int_equal(env_dma(SID, MODEL_NO_PASID, 0x10000, &v, 8, true), MODEL_FR_WRITE);
	assert_int_equal(dma_read(SID, 0x10000, &v), 0);
}

static void legacy_pass_through_context_uses_hpa(void **state)
{
	uint64_t got = 0;

	(void)state;
	model_mem_write64(fx.m, fx.buf + 0x10, 42);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, NULL, NULL), 0);
	assert_int_equal(dma_read(SID, fx.buf + 0x10, &got), 0);
	assert_int_equal(got, 42);
}

static void legacy_context_clear_blocks_dma_at_once(void **state)
{
	uint64_t got;
	struct model_xlate x;

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10000, fx.buf, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, &fx.pt, NULL), 0);
	assert_int_equal(dma_read(SID, 0x10000, &got), 0); /* fills context cache, IOTLB */
	assert_int_equal(vtd_ctx_clear(&fx.u, SID, DID, NULL), 0);
	x = xlate(SID, 0x10000, false);
	assert_false(x.stale);
	assert_int_equal(x.fault, MODEL_FR_CTX_P);
	assert_int_equal(vtd_ctx_clear(&fx.u, SID, DID, NULL), -ENOENT);
}

static void legacy_context_rejects_did_beyond_nd(void **state)
{
	struct model_config c = model_cfg_legacy();

	(void)state;
	teardown(NULL);
	c.cap = (c.cap & ~7ull) | 0; /* ND 0: 4-bit DIDs */
	setup_cfg(state, c);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, 16, &fx.pt, NULL), -EINVAL);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, 15, &fx.pt, NULL), 0);
}

/* ---- SL map / unmap ---------------------------------------------------------------- */

static void map_uses_2m_and_1g_pages_when_aligned(void **state)
{
	uint64_t ps = 0;
	hpa_t h = 0;

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x40000000, 0x80000000, 1ull << 30, VTD_SL_R), 0);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x40001000, &h, &ps, NULL), 0);
	assert_int_equal(ps, 1ull << 30);
	assert_int_equal(h, 0x80001000);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x200000, fx.buf, 0x201000, VTD_SL_R), 0);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x200000, &h, &ps, NULL), 0);
	assert_int_equal(ps, 2ull << 20);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x400000, &h, &ps, NULL), 0);
	assert_int_equal(ps, 4096);
}

static void map_uses_only_4k_pages_without_sllps(void **state)
{
	uint64_t ps = 0;

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x200000, fx.buf, 0x200000, VTD_SL_R), 0);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x200000, NULL, &ps, NULL), 0);
	assert_int_equal(ps, 4096);
}

static void map_rejects_overlap_unaligned_and_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10000, fx.buf, 0x2000, VTD_SL_R), 0);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x11000, fx.buf, 0x1000, VTD_SL_R), -EEXIST);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x8000, fx.buf, 0x10000, VTD_SL_R), -EEXIST);
	/* the failed map left nothing behind */
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x8000, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10800, fx.buf, 0x1000, VTD_SL_R), -EINVAL);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x30000, fx.buf, 0, VTD_SL_R), -EINVAL);
	assert_int_equal(vtd_slpt_map(&fx.pt, 1ull << 48, fx.buf, 0x1000, VTD_SL_R), -EINVAL);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x30000, fx.buf, 0x1000, 0), -EINVAL);
}

static void unmap_4k_then_flush_makes_dma_fault_without_stale(void **state)
{
	uint64_t got;
	struct model_xlate x;

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10000, fx.buf, 0x4000, VTD_SL_R), 0);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, &fx.pt, NULL), 0);
	assert_int_equal(dma_read(SID, 0x11000, &got), 0);
	assert_int_equal(vtd_slpt_unmap(&fx.pt, 0x11000, 0x1000, NULL), 0);
	/* before the flush the IOTLB still translates: stale */
	x = xlate(SID, 0x11000, false);
	assert_true(x.stale);
	flush_range(0x11000, 0x1000, false);
	x = xlate(SID, 0x11000, false);
	assert_false(x.stale);
	assert_int_equal(x.fault, MODEL_FR_READ);
	assert_int_equal(dma_read(SID, 0x12000, &got), 0);
}

static void unmap_inside_2m_page_splits_and_keeps_the_rest(void **state)
{
	uint64_t got, v = 0xabcdef;
	uint64_t ps = 0;
	bool changed = false;
	struct model_xlate x;

	(void)state;
	model_mem_write64(fx.m, fx.buf + 0x1ff000, v);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x200000, fx.buf, 0x200000, VTD_SL_R | VTD_SL_W), 0);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, &fx.pt, NULL), 0);
	x = xlate(SID, 0x200000, false);
	assert_int_equal(x.page_size, 2ull << 20);
	assert_int_equal(vtd_slpt_unmap(&fx.pt, 0x200000, 0x1000, &changed), 0);
	assert_true(changed);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x201000, NULL, &ps, NULL), 0);
	assert_int_equal(ps, 4096);
	/* the cached 2-MiB translation is stale until flushed */
	assert_true(xlate(SID, 0x200000, false).stale);
	flush_range(0x200000, 0x1000, changed);
	x = xlate(SID, 0x200000, false);
	assert_false(x.stale);
	assert_int_equal(x.fault, MODEL_FR_READ);
	assert_int_equal(dma_read(SID, 0x3ff000, &got), 0);
	assert_int_equal(got, v);
}

static void unmap_inside_1g_page_splits_twice(void **state)
{
	uint64_t ps = 0;
	hpa_t h;

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x40000000, 0x80000000, 1ull << 30, VTD_SL_R), 0);
	assert_int_equal(vtd_slpt_unmap(&fx.pt, 0x40203000, 0x1000, NULL), 0);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x40203000, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x40204000, &h, &ps, NULL), 0);
	assert_int_equal(ps, 4096);
	assert_int_equal(h, 0x80204000);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x40400000, &h, &ps, NULL), 0);
	assert_int_equal(ps, 2ull << 20);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x7fe00000, &h, &ps, NULL), 0);
	assert_int_equal(h, 0xbfe00000);
}

static void unmap_whole_2m_page_needs_no_split(void **state)
{
	bool changed = true;

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x200000, fx.buf, 0x400000, VTD_SL_R), 0);
	assert_int_equal(vtd_slpt_unmap(&fx.pt, 0x200000, 0x200000, &changed), 0);
	assert_false(changed);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x3ff000, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(vtd_slpt_lookup(&fx.pt, 0x400000, NULL, NULL, NULL), 0);
}

static void noncoherent_unit_gets_cache_line_flushes(void **state)
{
	unsigned int before = env_clflush_calls;
	uint64_t got;

	(void)state;
	assert_false(fx.u.pt_coherent);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10000, fx.buf, 0x1000, VTD_SL_R), 0);
	assert_true(env_clflush_calls > before);
	before = env_clflush_calls;
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, &fx.pt, NULL), 0);
	assert_true(env_clflush_calls > before);
	assert_int_equal(dma_read(SID, 0x10000, &got), 0);
}

static void coherent_unit_gets_no_cache_line_flushes(void **state)
{
	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10000, fx.buf, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, &fx.pt, NULL), 0);
	assert_int_equal(env_clflush_calls, 0);
}

/* ---- flush ordering -------------------------------------------------------------- */

static void context_change_without_flush_would_be_stale(void **state)
{
	struct vtd_slpt pt2;
	uint64_t got;
	struct model_xlate x;

	(void)state;
	/* Two trees map the same IOVA to different HPAs; switching the device between them
	 * through vtd_ctx_set_legacy() must never leave the old translation in use. */
	assert_int_equal(vtd_slpt_init(&pt2, &fx.u), 0);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10000, fx.buf, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vtd_slpt_map(&pt2, 0x10000, fx.buf + 0x1000, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, &fx.pt, NULL), 0);
	assert_int_equal(dma_read(SID, 0x10000, &got), 0);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID + 1, &pt2, NULL), 0);
	/* the entry cached under the old DID was flushed: the new HPA is used */
	x = xlate(SID, 0x10000, false);
	assert_false(x.stale);
	assert_int_equal(x.hpa, fx.buf + 0x1000);
	vtd_ctx_clear(&fx.u, SID, DID + 1, NULL);
	vtd_slpt_destroy(&pt2);
}

static void page_flush_beyond_mamv_widens_to_domain(void **state)
{
	struct vtd_flush f = { .what = VTD_FLUSH_SL,
			       .did = DID,
			       .pasid = VTD_NO_PASID,
			       .addr = 0,
			       .pages = 1ull << 20 };
	uint64_t before;

	(void)state;
	before = model_get_stats(fx.m)->flushes[MODEL_CACHE_IOTLB];
	assert_int_equal(vtd_flush_after_change(&fx.u, &f), 0); /* AM 20 > MAMV 18 */
	assert_int_equal(model_get_stats(fx.m)->flushes[MODEL_CACHE_IOTLB] - before, 1);
	assert_int_equal(fx.u.qi.last_batch, 2);
}

static void ats_device_gets_devtlb_flush_after_iotlb(void **state)
{
	struct vtd_ats ats = { .pfsid = SID, .qdep = 0 };
	uint64_t got = 0;
	struct model_req r = { .sid = SID, .pasid = MODEL_NO_PASID, .addr = 0x10000, .ats = true };
	struct model_xlate x;
	struct vtd_flush f = { .what = VTD_FLUSH_SL | VTD_FLUSH_DEVTLB | VTD_FLUSH_LEAF,
			       .did = DID,
			       .sid = SID,
			       .pasid = VTD_NO_PASID,
			       .addr = 0x10000,
			       .pages = 1,
			       .pfsid = SID };

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x10000, fx.buf, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vtd_ctx_set_legacy(&fx.u, SID, DID, &fx.pt, &ats), 0);
	env_sync_to_model();
	assert_int_equal(model_dma_req(fx.m, &r, &got, 8, &x), 0);
	assert_int_equal(vtd_slpt_unmap(&fx.pt, 0x10000, 0x1000, NULL), 0);
	/* IOTLB only: the device-TLB still holds it */
	f.what &= ~VTD_FLUSH_DEVTLB;
	assert_int_equal(vtd_flush_after_change(&fx.u, &f), 0);
	env_sync_to_model();
	model_translate(fx.m, &r, &x);
	assert_true(x.stale);
	assert_int_equal(x.src, MODEL_SRC_DEVTLB);
	f.what |= VTD_FLUSH_DEVTLB;
	assert_int_equal(vtd_flush_after_change(&fx.u, &f), 0);
	model_translate(fx.m, &r, &x);
	assert_false(x.stale);
	assert_int_equal(x.fault, MODEL_FR_READ);
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(legacy_context_translates_dma_through_sl_tables, setup_legacy),
		T(legacy_read_only_mapping_faults_on_write, setup_legacy),
		T(legacy_pass_through_context_uses_hpa, setup_legacy),
		T(legacy_context_clear_blocks_dma_at_once, setup_legacy),
		T(legacy_context_rejects_did_beyond_nd, setup_legacy),
		T(map_uses_2m_and_1g_pages_when_aligned, setup_legacy),
		T(map_uses_only_4k_pages_without_sllps, setup_legacy_no_large_pages),
		T(map_rejects_overlap_unaligned_and_out_of_range, setup_legacy),
		T(unmap_4k_then_flush_makes_dma_fault_without_stale, setup_legacy),
		T(unmap_inside_2m_page_splits_and_keeps_the_rest, setup_legacy),
		T(unmap_inside_1g_page_splits_twice, setup_legacy),
		T(unmap_whole_2m_page_needs_no_split, setup_legacy),
		T(noncoherent_unit_gets_cache_line_flushes, setup_legacy_noncoherent),
		T(coherent_unit_gets_no_cache_line_flushes, setup_legacy),
		T(context_change_without_flush_would_be_stale, setup_legacy),
		T(page_flush_beyond_mamv_widens_to_domain, setup_legacy),
		T(ats_device_gets_devtlb_flush_after_iotlb, setup_legacy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
