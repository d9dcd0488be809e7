// SPDX-License-Identifier: MIT
/*
 * test_iommu_vtd.c - unit bring-up (iommu/vtd.c) and the invalidation queue
 * (iommu/qi.c) against the VT-d reference model.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/qi.h"
#include "iommu/vtd.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/iommu_test_setup.h"

struct fx {
	struct model_unit *m;
	struct vtd_unit u;
};

static struct fx fx;

static int setup_cfg(void **state, struct model_config c)
{
	memset(&fx, 0, sizeof(fx));
	fx.m = iommu_test_model_up(c);
	*state = &fx;
	return 0;
}

static int setup_legacy(void **state)
{
	return setup_cfg(state, model_cfg_legacy());
}

static int setup_scalable(void **state)
{
	return setup_cfg(state, model_cfg_scalable());
}

static int teardown(void **state)
{
	(void)state;
	iommu_test_model_down(fx.m);
	return 0;
}

/* ---- bring-up ---------------------------------------------------------------------- */

static void init_legacy_unit_picks_legacy_mode_4_levels(void **state)
{
	(void)state;
	assert_int_equal(vtd_unit_init(&fx.u, 0, env_reg_base()), 0);
	assert_false(fx.u.scalable);
	assert_int_equal(fx.u.sl_levels, 4);
	assert_int_equal(fx.u.agaw, 48);
	assert_int_equal(fx.u.did_bits, 16);
	assert_true(env_log_contains("legacy mode"));
	assert_true(env_log_contains("SL 4-level"));
}

static void init_scalable_unit_picks_scalable_mode_5_levels(void **state)
{
	(void)state;
	assert_int_equal(vtd_unit_init(&fx.u, 0, env_reg_base()), 0);
	assert_true(fx.u.scalable);
	assert_int_equal(fx.u.sl_levels, 5); /* MGAW 57 */
	assert_int_equal(fx.u.pasid_bits, 20);
	assert_true(env_log_contains("scalable mode"));
	assert_true(env_log_contains("FLTS"));
}

static void init_refuses_unit_without_qi(void **state)
{
	struct model_config c = model_cfg_legacy();

	(void)state;
	teardown(NULL);
	c.ecap &= ~MODEL_ECAP_QI;
	setup_cfg(state, c);
	assert_int_equal(vtd_unit_init(&fx.u, 0, env_reg_base()), -ENODEV);
	assert_true(env_log_contains("no queued invalidation"));
}

static void init_refuses_unit_without_usable_sagaw(void **state)
{
	struct model_config c = model_cfg_legacy();

	(void)state;
	teardown(NULL);
	c.cap &= ~(MODEL_CAP_SAGAW_39 | MODEL_CAP_SAGAW_48);
	setup_cfg(state, c);
	assert_int_equal(vtd_unit_init(&fx.u, 0, env_reg_base()), -ENODEV);
	assert_true(env_log_contains("SAGAW"));
}

static void enable_sets_root_qi_and_translation_legacy(void **state)
{
	uint32_t gsts;

	(void)state;
	iommu_test_unit_up(&fx.u);
	gsts = model_read32(fx.m, MODEL_REG_GSTS);
	assert_true(gsts & MODEL_GSTS_TES);
	assert_true(gsts & MODEL_GSTS_QIES);
	assert_true(gsts & MODEL_GSTS_RTPS);
	assert_int_equal(model_read64(fx.m, MODEL_REG_RTADDR), fx.u.root);
	assert_int_equal(model_read64(fx.m, MODEL_REG_IQA) & MODEL_IQA_DW, 0);
	/* the global flush went through the queue */
	assert_int_equal(fx.u.qi.submissions, 1);
	assert_int_equal(model_read32(fx.m, MODEL_REG_FSTS), 0);
}

static void enable_uses_scalable_ttm_and_256_bit_queue(void **state)
{
	(void)state;
	iommu_test_unit_up(&fx.u);
	assert_int_equal(MODEL_RTADDR_TTM(model_read64(fx.m, MODEL_REG_RTADDR)),
			 MODEL_TTM_SCALABLE);
	assert_true(model_read64(fx.m, MODEL_REG_IQA) & MODEL_IQA_DW);
	assert_int_equal(fx.u.qi.dsize, 32);
	/* CC + PC + IOTLB global and the wait */
	assert_int_equal(fx.u.qi.last_batch, 4);
	assert_int_equal(model_read32(fx.m, MODEL_REG_FSTS), 0);
}

static void enable_blocks_dma_with_empty_root_table(void **state)
{
	uint8_t buf[16];

	(void)state;
	iommu_test_unit_up(&fx.u);
	assert_int_equal(env_dma(0x0010, MODEL_NO_PASID, 0x1000, buf, sizeof(buf), false),
			 MODEL_FR_ROOT_P);
}

static void enable_times_out_naming_gsts_tes(void **state)
{
	(void)state;
	assert_int_equal(vtd_unit_init(&fx.u, 0, env_reg_base()), 0);
	env_gsts_stuck_clear = MODEL_GSTS_TES;
	assert_int_equal(vtd_unit_enable(&fx.u), -ETIMEDOUT);
	assert_true(env_log_contains("GSTS.TES"));
	assert_int_equal(env_frames_live, 0); /* everything given back */
}

static void enable_times_out_naming_gsts_rtps(void **state)
{
	(void)state;
	assert_int_equal(vtd_unit_init(&fx.u, 0, env_reg_base()), 0);
	env_gsts_stuck_clear = MODEL_GSTS_RTPS;
	assert_int_equal(vtd_unit_enable(&fx.u), -ETIMEDOUT);
	assert_true(env_log_contains("GSTS.RTPS"));
}

static void enable_fails_cleanly_without_memory(void **state)
{
	(void)state;
	assert_int_equal(vtd_unit_init(&fx.u, 0, env_reg_base()), 0);
	env_alloc_fail_after = 1;
	assert_int_equal(vtd_unit_enable(&fx.u), -ENOMEM);
	assert_int_equal(env_frames_live, 0);
}

static void disable_clears_te_and_qie(void **state)
{
	(void)state;
	iommu_test_unit_up(&fx.u);
	vtd_unit_disable(&fx.u);
	assert_int_equal(model_read32(fx.m, MODEL_REG_GSTS) & (MODEL_GSTS_TES | MODEL_GSTS_QIES),
			 0);
	assert_int_equal(env_frames_live, 0);
}

/* ---- invalidation queue ------------------------------------------------------------ */

static void qi_batch_is_one_submission_with_one_wait(void **state)
{
	struct vtd_qi_desc d[3];
	uint64_t before;

	(void)state;
	iommu_test_unit_up(&fx.u);
	before = model_get_stats(fx.m)->descriptors;
	d[0] = vtd_desc_cc_global();
	d[1] = vtd_desc_iotlb_domain(&fx.u, 1);
	d[2] = vtd_desc_iotlb_page(&fx.u, 1, 0x200000, 9, false);
	assert_int_equal(vtd_qi_submit(&fx.u, d, 3), 0);
	assert_int_equal(fx.u.qi.last_batch, 4);
	assert_int_equal(model_get_stats(fx.m)->descriptors - before, 4);
	assert_int_equal(fx.u.qi.submissions, 2);
}

static void qi_wait_has_status_write_and_no_interrupt_flag(void **state)
{
	struct vtd_qi_desc w = vtd_desc_wait(0x5000, 7);

	(void)state;
	assert_true(w.qw[0] & MODEL_QI_WAIT_SW);
	assert_false(w.qw[0] & MODEL_QI_WAIT_IF);
	assert_int_equal(MODEL_QI_TYPE(w.qw[0]), MODEL_QI_WAIT);
	assert_int_equal(MODEL_QI_WAIT_DATA(w.qw[0]), 7);
	assert_int_equal(w.qw[1], 0x5000);
}

static void qi_wraps_around_the_queue(void **state)
{
	struct vtd_qi_desc d = vtd_desc_cc_global();
	unsigned int i;

	(void)state;
	iommu_test_unit_up(&fx.u);
	for (i = 0; i < 300; i++)
		assert_int_equal(vtd_qi_submit(&fx.u, &d, 1), 0);
	assert_int_equal(model_read32(fx.m, MODEL_REG_FSTS), 0);
}

static void qi_rejects_oversized_batch(void **state)
{
	static struct vtd_qi_desc d[VTD_QI_MAX_BATCH + 1];

	(void)state;
	iommu_test_unit_up(&fx.u);
	assert_int_equal(vtd_qi_submit(&fx.u, d, VTD_QI_MAX_BATCH + 1), -EINVAL);
}

static void qi_iqe_reports_skips_bad_descriptor_and_recovers(void **state)
{
	struct vtd_qi_desc d[3];
	uint64_t before;

	(void)state;
	iommu_test_unit_up(&fx.u);
	d[0] = vtd_desc_cc_global();
	d[1] = vtd_desc_cc_global();
	d[1].qw[0] |= MODEL_BIT(63); /* reserved bit: malformed */
	d[2] = vtd_desc_iotlb_global(&fx.u);
	before = model_get_stats(fx.m)->flushes[MODEL_CACHE_IOTLB];
	assert_int_equal(vtd_qi_submit(&fx.u, d, 3), -EIO);
	assert_true(env_log_contains("FSTS.IQE"));
	assert_true(env_log_contains("skipped"));
	/* the descriptor after the bad one still ran, the queue is clean */
	assert_int_equal(model_get_stats(fx.m)->flushes[MODEL_CACHE_IOTLB] - before, 1);
	assert_int_equal(model_read32(fx.m, MODEL_REG_FSTS) & MODEL_FSTS_IQE, 0);
	assert_int_equal(fx.u.qi.errors, 1);
	/* and the next submission works */
	assert_int_equal(vtd_qi_submit(&fx.u, d, 1), 0);
}

static void qi_iqe_in_scalable_queue_recovers(void **state)
{
	struct vtd_qi_desc d[2];

	(void)state;
	iommu_test_unit_up(&fx.u);
	d[0] = vtd_desc_pc_global();
	d[0].qw[2] = 1; /* upper half must be zero */
	d[1] = vtd_desc_cc_global();
	assert_int_equal(vtd_qi_submit(&fx.u, d, 2), -EIO);
	assert_true(env_log_contains("FSTS.IQE"));
	assert_int_equal(vtd_qi_submit(&fx.u, &d[1], 1), 0);
}

static void qi_rejects_256_bit_descriptor_in_128_bit_queue(void **state)
{
	struct vtd_qi_desc d = vtd_desc_cc_global();

	(void)state;
	iommu_test_unit_up(&fx.u);
	d.qw[3] = 1;
	assert_int_equal(vtd_qi_submit(&fx.u, &d, 1), -EINVAL);
}

static void qi_ite_is_reported_cleared_and_queue_usable(void **state)
{
	struct vtd_qi_desc d = vtd_desc_devtlb(0x0010, 0x0010, 0, 0, 52);

	(void)state;
	iommu_test_unit_up(&fx.u);
	model_inject(fx.m, MODEL_INJECT_ITE);
	assert_int_equal(vtd_qi_submit(&fx.u, &d, 1), -EIO);
	assert_true(env_log_contains("FSTS.ITE"));
	assert_int_equal(model_read32(fx.m, MODEL_REG_FSTS) & MODEL_FSTS_ITE, 0);
	assert_int_equal(vtd_qi_submit(&fx.u, &d, 1), 0);
}

static void qi_ice_is_reported_and_cleared(void **state)
{
	struct vtd_qi_desc d = vtd_desc_devtlb(0x0010, 0x0010, 0, 0, 52);

	(void)state;
	iommu_test_unit_up(&fx.u);
	model_inject(fx.m, MODEL_INJECT_ICE);
	assert_int_equal(vtd_qi_submit(&fx.u, &d, 1), -EIO);
	assert_true(env_log_contains("FSTS.ICE"));
	assert_int_equal(model_read32(fx.m, MODEL_REG_FSTS) & MODEL_FSTS_ICE, 0);
}

static void qi_encoders_match_spec_layout(void **state)
{
	struct vtd_qi_desc d;

	(void)state;
	d = vtd_desc_cc_device(5, 0x0102, 0);
	assert_int_equal(MODEL_QI_TYPE(d.qw[0]), MODEL_QI_CC);
	assert_int_equal(MODEL_QI_G(d.qw[0]), 3);
	assert_int_equal(MODEL_QI_DID(d.qw[0]), 5);
	assert_int_equal(MODEL_QI_CC_SID(d.qw[0]), 0x0102);
	d = vtd_desc_pc_pasid(7, 0x1234);
	assert_int_equal(MODEL_QI_TYPE(d.qw[0]), MODEL_QI_PC);
	assert_int_equal(MODEL_QI_G(d.qw[0]), 1);
	assert_int_equal(MODEL_QI_PASID(d.qw[0]), 0x1234);
	d = vtd_desc_piotlb_page(7, 0x1234, 0x400000, 9, true);
	assert_int_equal(MODEL_QI_TYPE(d.qw[0]), MODEL_QI_PIOTLB);
	assert_int_equal(MODEL_QI_G(d.qw[0]), 3);
	assert_int_equal(MODEL_QI_AM(d.qw[1]), 9);
	assert_true(d.qw[1] & MODEL_QI_IH);
	assert_int_equal(d.qw[1] & MODEL_QI_ADDR, 0x400000);
	d = vtd_desc_pdevtlb(0x0300, 0x0300, 0, 9, false, 0x200000, 1);
	assert_int_equal(MODEL_QI_TYPE(d.qw[0]), MODEL_QI_PDEVTLB);
	assert_int_equal(MODEL_QI_PDEVTLB_SID(d.qw[0]), 0x0300);
	assert_true(d.qw[1] & MODEL_QI_PDEVTLB_S);
	assert_int_equal(d.qw[1] & MODEL_QI_ADDR, 0x200000); /* 2 pages: bit 12 clear */
	d = vtd_desc_devtlb(0x0300, 0x0300, 0, 0x200000, 2);
	assert_int_equal(d.qw[1] & MODEL_QI_ADDR, 0x201000); /* 4 pages: bit 12 set, 13 clear */
}

static void qi_addr_mask_order_is_smallest_aligned_block(void **state)
{
	uint64_t base = 0xdead;

	(void)state;
	assert_int_equal(vtd_qi_addr_mask_order(0x5000, 1, &base), 0);
	assert_int_equal(base, 0x5000);
	assert_int_equal(vtd_qi_addr_mask_order(0x2000, 2, &base), 1);
	assert_int_equal(base, 0x2000);
	/* pages 3 and 4 share no block below 8 pages */
	assert_int_equal(vtd_qi_addr_mask_order(0x3000, 2, &base), 3);
	assert_int_equal(base, 0);
	assert_int_equal(vtd_qi_addr_mask_order(0, 1ull << 51, &base), 51);
	assert_int_equal(base, 0);
	/* a range across bit 63 fits no block below 2^64; base is left alone */
	base = 0xdead;
	assert_int_equal(vtd_qi_addr_mask_order(0x7ffffffffffff000ull, 2, &base), -ERANGE);
	assert_int_equal(base, 0xdead);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(init_legacy_unit_picks_legacy_mode_4_levels,
						setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(init_scalable_unit_picks_scalable_mode_5_levels,
						setup_scalable, teardown),
		cmocka_unit_test_setup_teardown(init_refuses_unit_without_qi, setup_legacy,
						teardown),
		cmocka_unit_test_setup_teardown(init_refuses_unit_without_usable_sagaw,
						setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(enable_sets_root_qi_and_translation_legacy,
						setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(enable_uses_scalable_ttm_and_256_bit_queue,
						setup_scalable, teardown),
		cmocka_unit_test_setup_teardown(enable_blocks_dma_with_empty_root_table,
						setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(enable_times_out_naming_gsts_tes, setup_legacy,
						teardown),
		cmocka_unit_test_setup_teardown(enable_times_out_naming_gsts_rtps, setup_scalable,
						teardown),
		cmocka_unit_test_setup_teardown(enable_fails_cleanly_without_memory, setup_legacy,
						teardown),
		cmocka_unit_test_setup_teardown(disable_clears_te_and_qie, setup_scalable,
						teardown),
		cmocka_unit_test_setup_teardown(qi_batch_is_one_submission_with_one_wait,
						setup_legacy, teardown),
		cmocka_unit_test(qi_wait_has_status_write_and_no_interrupt_flag),
		cmocka_unit_test_setup_teardown(qi_wraps_around_the_queue, setup_scalable,
						teardown),
		cmocka_unit_test_setup_teardown(qi_rejects_oversized_batch, setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(qi_iqe_reports_skips_bad_descriptor_and_recovers,
						setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(qi_iqe_in_scalable_queue_recovers, setup_scalable,
						teardown),
		cmocka_unit_test_setup_teardown(qi_rejects_256_bit_descriptor_in_128_bit_queue,
						setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(qi_ite_is_reported_cleared_and_queue_usable,
						setup_legacy, teardown),
		cmocka_unit_test_setup_teardown(qi_ice_is_reported_and_cleared, setup_scalable,
						teardown),
		cmocka_unit_test(qi_encoders_match_spec_layout),
		cmocka_unit_test(qi_addr_mask_order_is_smallest_aligned_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
