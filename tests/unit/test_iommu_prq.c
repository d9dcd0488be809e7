// SPDX-License-Identifier: MIT
/*
 * test_iommu_prq.c - the physical page request queue (iommu/prq.c) over the VT-d
 * reference model: queue set-up (PQA, PQH, PQT, PRS), the descriptor layout (§7.5.1),
 * drain (PPR cleared, PQH moved, every field decoded), overflow (PRO), the page request
 * event registers, page group responses (§6.5.2.9) reaching the model, and every
 * malformed input: a descriptor of the wrong type, PQH/PQT outside the queue, a bad
 * response code, PRGI or PASID, a unit without PRS.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/prq.h"
#include "iommu/qi.h"
#include "iommu/vtd.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/iommu_test_setup.h"

#define SID 0x0310 /* 03:02.0 */

static struct fx {
	struct model_unit *m;
	struct vtd_unit u;
	struct vtd_prq q;
	struct vtd_page_req got[256];
	unsigned int n;
	unsigned int live_before; /* frames before the queue */
} fx;

static int setup_cfg(struct model_config c)
{
	memset(&fx, 0, sizeof(fx));
	fx.m = iommu_test_model_up(c);
	iommu_test_unit_up(&fx.u);
	fx.live_before = env_frames_live;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	setup_cfg(model_cfg_scalable());
	assert_int_equal(vtd_prq_enable(&fx.q, &fx.u, 0), 0);
	return 0;
}

static int setup_bare(void **state)
{
	(void)state;
	return setup_cfg(model_cfg_scalable());
}

static int teardown(void **state)
{
	(void)state;
	vtd_prq_disable(&fx.q);
	assert_int_equal(env_frames_live, fx.live_before); /* the queue was freed */
	iommu_test_unit_down(&fx.u);
	iommu_test_model_down(fx.m);
	return 0;
}

static void collect(void *ctx, struct vtd_unit *u, const struct vtd_page_req *r)
{
	(void)ctx;
	assert_ptr_equal(u, &fx.u);
	if (fx.n < 256)
		fx.got[fx.n] = *r;
	fx.n++;
}

/* A device's page request: the model writes the descriptor into its memory; the host
 * mirror of the queue sees it afterwards, as the driver's memory would. */
static int request(struct model_prq r)
{
	int ret;

	env_sync_to_model();
	ret = model_page_request(fx.m, &r);
	env_sync_from_model();
	return ret;
}

static struct model_prq simple(uint32_t pasid, uint16_t prgi, bool lpig)
{
	return (struct model_prq){ .sid = SID,
				   .pasid = pasid,
				   .addr = 0x7f0000001000ull,
				   .read = true,
				   .prgi = prgi,
				   .lpig = lpig };
}

static uint32_t prs(void)
{
	return model_read32(fx.m, VTD_REG_PRS);
}

/* ---- set-up ---------------------------------------------------------------------- */

static void enable_programs_pqa_with_an_empty_queue(void **state)
{
	uint64_t pqa = model_read64(fx.m, VTD_REG_PQA);

	(void)state;
	assert_int_equal(pqa & VTD_PQA_PQA, fx.q.base);
	assert_int_equal(pqa & 7, 0);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQH), 0);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQT), 0);
	assert_int_equal(fx.q.qbytes, 4096);
	assert_int_equal(prs(), 0);
}

static void enable_takes_the_size_order(void **state)
{
	(void)state;
	assert_int_equal(vtd_prq_enable(&fx.q, &fx.u, 2), 0);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQA) & 7, 2);
	assert_int_equal(fx.q.qbytes, 4 * 4096);
	assert_int_equal(env_frames_live, fx.live_before + 4);
}

static void enable_twice_is_busy(void **state)
{
	(void)state;
	assert_int_equal(vtd_prq_enable(&fx.q, &fx.u, 0), -EBUSY);
}

static void enable_rejects_an_order_beyond_pqs(void **state)
{
	(void)state;
	assert_int_equal(vtd_prq_enable(&fx.q, &fx.u, 8), -EINVAL);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQA), 0);
	assert_null(fx.q.u);
}

static void enable_out_of_memory_programs_nothing(void **state)
{
	(void)state;
	env_alloc_fail_after = 0;
	assert_int_equal(vtd_prq_enable(&fx.q, &fx.u, 0), -ENOMEM);
	env_alloc_fail_after = -1;
	assert_int_equal(model_read64(fx.m, VTD_REG_PQA), 0);
	assert_null(fx.q.u);
}

static void enable_without_prs_is_refused(void **state)
{
	struct model_config c = model_cfg_scalable();

	(void)state;
	iommu_test_unit_down(&fx.u);
	iommu_test_model_down(fx.m);
	c.ecap &= ~MODEL_ECAP_PRS;
	setup_cfg(c);
	assert_int_equal(vtd_prq_enable(&fx.q, &fx.u, 0), -ENODEV);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQA), 0);
}

static void enable_on_a_legacy_unit_is_refused(void **state)
{
	struct model_config c = model_cfg_legacy();

	(void)state;
	iommu_test_unit_down(&fx.u);
	iommu_test_model_down(fx.m);
	c.ecap |= MODEL_ECAP_PRS;
	setup_cfg(c);
	assert_int_equal(vtd_prq_enable(&fx.q, &fx.u, 0), -ENODEV);
}

static void disable_clears_pqa_and_masks_the_event(void **state)
{
	(void)state;
	assert_int_equal(vtd_prq_set_event(&fx.q, 0x41, 0xfee00000), 0);
	vtd_prq_disable(&fx.q);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQA), 0);
	assert_true(model_read32(fx.m, VTD_REG_PECTL) & VTD_PECTL_IM);
	assert_int_equal(env_frames_live, fx.live_before);
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), -ENODEV);
}

/* ---- descriptors ------------------------------------------------------------------ */

static void decode_reads_every_field(void **state)
{
	/* Bits as §7.5.1 numbers them, written out by hand. */
	uint64_t d[4] = { 1 | 1ull << 8 | 1ull << 9 | 0x0310ull << 16 | 0x12345ull << 32 |
				  1ull << 52 | 1ull << 53,
			  1 | 2 | 4 | 0x1abull << 3 | 0xdead000ull, 0x1111, 0x2222 };
	struct vtd_page_req r;

	(void)state;
	assert_int_equal(vtd_prq_decode(d, &r), 0);
	assert_int_equal(r.rid, 0x0310);
	assert_true(r.pasid_present);
	assert_int_equal(r.pasid, 0x12345);
	assert_true(r.exec);
	assert_true(r.priv);
	assert_true(r.read);
	assert_true(r.write);
	assert_true(r.lpig);
	assert_int_equal(r.prgi, 0x1ab);
	assert_int_equal(r.addr, 0xdead000ull);
	assert_true(r.pdp);
	assert_int_equal(r.priv_data[0], 0x1111);
	assert_int_equal(r.priv_data[1], 0x2222);
}

static void decode_without_pasid_ignores_the_pasid_fields(void **state)
{
	uint64_t d[4] = { 1 | 0x0310ull << 16 | 0x12345ull << 32 | 1ull << 52, 0x5000, 7, 7 };
	struct vtd_page_req r;

	(void)state;
	assert_int_equal(vtd_prq_decode(d, &r), 0);
	assert_false(r.pasid_present);
	assert_int_equal(r.pasid, 0);
	assert_false(r.exec);
	assert_false(r.pdp);
	assert_int_equal(r.priv_data[0], 0); /* private data only with PDP */
	assert_false(vtd_page_req_needs_response(&r));
}

static void decode_rejects_another_type_and_leaves_the_request(void **state)
{
	uint64_t d[4] = { 2 | 0x0310ull << 16, 0x5000 | 4, 0, 0 };
	struct vtd_page_req r;

	(void)state;
	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(vtd_prq_decode(d, &r), -EINVAL);
	assert_int_equal(r.rid, 0xa5a5);
}

static void response_descriptor_layout(void **state)
{
	const uint64_t pd[2] = { 0x77, 0x88 };
	struct vtd_qi_desc d = vtd_desc_pgrp_resp(0x0310, 0x12345, 0x1ab, 0xf, pd);
	struct vtd_qi_desc n = vtd_desc_pgrp_resp(0x0310, VTD_NO_PASID, 3, 1, NULL);

	(void)state;
	/* §6.5.2.9: type 9, PP 4, PDP 5, code 15:12, RID 31:16, PASID 51:32, PRGI 11:3. */
	assert_int_equal(d.qw[0], 9 | 1ull << 4 | 1ull << 5 | 0xfull << 12 | 0x0310ull << 16 |
					  0x12345ull << 32);
	assert_int_equal(d.qw[1], 0x1abull << 3);
	assert_int_equal(d.qw[2], 0x77);
	assert_int_equal(d.qw[3], 0x88);
	assert_int_equal(n.qw[0], 9 | 1ull << 12 | 0x0310ull << 16);
	assert_int_equal(n.qw[1], 3ull << 3);
	assert_int_equal(n.qw[2] | n.qw[3], 0);
}

/* ---- drain ------------------------------------------------------------------------ */

static void drain_hands_each_request_over_in_order(void **state)
{
	struct model_prq a = simple(0x42, 5, false), b = simple(0x42, 5, true);

	(void)state;
	b.addr = 0x7f0000002000ull;
	b.write = true;
	b.exec = true;
	assert_int_equal(request(a), 0);
	assert_int_equal(request(b), 0);
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), 2);
	assert_int_equal(fx.n, 2);
	assert_int_equal(fx.got[0].rid, SID);
	assert_int_equal(fx.got[0].pasid, 0x42);
	assert_true(fx.got[0].pasid_present);
	assert_false(fx.got[0].lpig);
	assert_int_equal(fx.got[0].addr, 0x7f0000001000ull);
	assert_true(fx.got[1].lpig);
	assert_true(fx.got[1].write);
	assert_true(fx.got[1].exec);
	assert_int_equal(fx.got[1].prgi, 5);
	assert_int_equal(fx.got[1].addr, 0x7f0000002000ull);
	assert_int_equal(fx.q.requests, 2);
}

static void drain_moves_pqh_to_pqt_and_clears_ppr(void **state)
{
	(void)state;
	assert_int_equal(request(simple(1, 0, true)), 0);
	assert_true(prs() & VTD_PRS_PPR);
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), 1);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQH), 32);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQT), 32);
	assert_false(prs() & VTD_PRS_PPR);
}

static void drain_of_an_empty_queue_hands_nothing(void **state)
{
	(void)state;
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), 0);
	assert_int_equal(fx.n, 0);
}

static void drain_wraps_around_the_queue_end(void **state)
{
	(void)state;
	for (unsigned int round = 0; round < 3; round++) {
		for (unsigned int i = 0; i < 100; i++)
			assert_int_equal(request(simple(7, (uint16_t)i, false)), 0);
		fx.n = 0;
		assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), 100);
		assert_int_equal(fx.got[99].prgi, 99);
	}
	assert_int_equal(model_read64(fx.m, VTD_REG_PQH), (300 * 32) % 4096);
}

static void drain_skips_a_descriptor_of_the_wrong_type(void **state)
{
	uint64_t *q = iommu_env_hpa_to_va(fx.q.base);

	(void)state;
	assert_int_equal(request(simple(1, 1, true)), 0);
	assert_int_equal(request(simple(2, 2, true)), 0);
	q[0] = (q[0] & ~0xffull) | 0x2; /* the first one is not a page request */
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), 1);
	assert_int_equal(fx.n, 1);
	assert_int_equal(fx.got[0].pasid, 2);
	assert_int_equal(fx.q.malformed, 1);
	assert_true(env_log_contains("not a page request"));
	assert_int_equal(model_read64(fx.m, VTD_REG_PQH), 64); /* the queue moves on */
}

static void drain_refuses_a_head_outside_the_queue(void **state)
{
	(void)state;
	assert_int_equal(request(simple(1, 1, true)), 0);
	model_write64(fx.m, VTD_REG_PQH, 0x2000); /* the unit reports a PQH beyond 4 KiB */
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), -EIO);
	assert_int_equal(fx.n, 0);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQH), 0x2000); /* not written */
	assert_true(prs() & VTD_PRS_PPR);			   /* not cleared */
	assert_int_equal(fx.q.errors, 1);
	assert_true(env_log_contains("outside"));
}

static void drain_refuses_a_tail_outside_the_queue(void **state)
{
	(void)state;
	/* The unit takes a queue twice the size the driver gave it (PQS 1). */
	model_write64(fx.m, VTD_REG_PQA, fx.q.base | 1);
	model_mem_map(fx.m, fx.q.base + 4096, 4096);
	for (unsigned int i = 0; i < 130; i++)
		assert_int_equal(request(simple(1, 1, false)), 0);
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), -EIO);
	assert_int_equal(fx.n, 0);
	assert_int_equal(model_read64(fx.m, VTD_REG_PQH), 0);
	assert_true(prs() & VTD_PRS_PPR);
	model_write64(fx.m, VTD_REG_PQA, fx.q.base); /* give it back before the teardown */
}

static void overflow_is_counted_and_pro_cleared_once_empty(void **state)
{
	unsigned int i;

	(void)state;
	/* 4 KiB holds 128 descriptors; full at 127 (one more would make PQT = PQH). */
	for (i = 0; i < 127; i++)
		assert_int_equal(request(simple(1, (uint16_t)i, false)), 0);
	assert_int_equal(request(simple(1, 200, true)), -ENOSPC);
	assert_true(prs() & VTD_PRS_PRO);
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), 127);
	assert_int_equal(fx.q.overflows, 1);
	assert_false(prs() & VTD_PRS_PRO);
	assert_true(env_log_contains("overflowed"));
	/* Room again: the next request is queued. */
	assert_int_equal(request(simple(1, 201, true)), 0);
	fx.n = 0;
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), 1);
	assert_int_equal(fx.got[0].prgi, 201);
}

/* ---- the event -------------------------------------------------------------------- */

static void set_event_programs_the_msi_and_unmasks(void **state)
{
	(void)state;
	assert_int_equal(vtd_prq_set_event(&fx.q, 0x4041, 0x1fee01000ull), 0);
	assert_int_equal(model_read32(fx.m, VTD_REG_PEDATA), 0x4041);
	assert_int_equal(model_read32(fx.m, VTD_REG_PEADDR), 0xfee01000);
	assert_int_equal(model_read32(fx.m, VTD_REG_PEUADDR), 1);
	assert_false(model_read32(fx.m, VTD_REG_PECTL) & VTD_PECTL_IM);
	assert_int_equal(request(simple(1, 1, true)), 0);
	assert_int_equal(model_get_stats(fx.m)->prq_events, 1);
}

static void set_event_delivers_an_event_held_while_masked(void **state)
{
	(void)state;
	assert_int_equal(request(simple(1, 1, true)), 0); /* masked at reset: IP */
	assert_true(model_read32(fx.m, VTD_REG_PECTL) & VTD_PECTL_IP);
	assert_int_equal(model_get_stats(fx.m)->prq_events, 0);
	assert_int_equal(vtd_prq_set_event(&fx.q, 0x41, 0xfee00000), 0);
	assert_int_equal(model_get_stats(fx.m)->prq_events, 1);
}

static void set_event_rejects_a_misaligned_address(void **state)
{
	(void)state;
	assert_int_equal(vtd_prq_set_event(&fx.q, 0x41, 0xfee00002), -EINVAL);
	assert_true(model_read32(fx.m, VTD_REG_PECTL) & VTD_PECTL_IM);
}

static void a_new_request_after_the_drain_raises_a_new_event(void **state)
{
	(void)state;
	assert_int_equal(vtd_prq_set_event(&fx.q, 0x41, 0xfee00000), 0);
	assert_int_equal(request(simple(1, 1, false)), 0);
	assert_int_equal(request(simple(1, 2, false)), 0); /* PPR still set: no event */
	assert_int_equal(model_get_stats(fx.m)->prq_events, 1);
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), 2);
	assert_int_equal(request(simple(1, 3, true)), 0);
	assert_int_equal(model_get_stats(fx.m)->prq_events, 2);
}

/* ---- responses -------------------------------------------------------------------- */

static void response_reaches_the_model(void **state)
{
	struct model_pgrp_resp got;
	struct vtd_page_resp r;

	(void)state;
	assert_int_equal(request(simple(0x42, 0x1ab, true)), 0);
	assert_int_equal(vtd_prq_drain(&fx.q, collect, NULL), 1);
	r = vtd_page_resp_for(&fx.got[0], VTD_PGRP_RESP_SUCCESS);
	assert_int_equal(vtd_prq_respond(&fx.u, &r), 0);
	model_last_page_response(fx.m, &got);
	assert_true(got.valid);
	assert_int_equal(got.count, 1);
	assert_int_equal(got.rid, SID);
	assert_true(got.pasid_present);
	assert_int_equal(got.pasid, 0x42);
	assert_int_equal(got.prgi, 0x1ab);
	assert_int_equal(got.code, VTD_PGRP_RESP_SUCCESS);
}

static void response_without_pasid_and_with_invalid_code(void **state)
{
	struct model_pgrp_resp got;
	struct vtd_page_resp r = { .rid = SID, .prgi = 9, .code = VTD_PGRP_RESP_INVALID };

	(void)state;
	assert_int_equal(vtd_prq_respond(&fx.u, &r), 0);
	model_last_page_response(fx.m, &got);
	assert_false(got.pasid_present);
	assert_int_equal(got.code, VTD_PGRP_RESP_INVALID);
	assert_int_equal(got.prgi, 9);
}

static void response_with_private_data_is_accepted(void **state)
{
	struct model_pgrp_resp got;
	struct vtd_page_resp r = { .rid = SID,
				   .pasid_present = true,
				   .pasid = 3,
				   .prgi = 1,
				   .code = VTD_PGRP_RESP_FAILURE,
				   .pdp = true,
				   .priv_data = { 1, 2 } };

	(void)state;
	assert_int_equal(vtd_prq_respond(&fx.u, &r), 0);
	model_last_page_response(fx.m, &got);
	assert_int_equal(got.code, VTD_PGRP_RESP_FAILURE);
	assert_int_equal(fx.u.qi.errors, 0);
}

static void response_rejects_bad_fields_and_sends_nothing(void **state)
{
	struct model_pgrp_resp got;
	struct vtd_page_resp r = { .rid = SID, .prgi = 1, .code = 2 };
	uint64_t subs = fx.u.qi.submissions;

	(void)state;
	assert_int_equal(vtd_prq_respond(&fx.u, &r), -EINVAL); /* reserved response code */
	r.code = VTD_PGRP_RESP_SUCCESS;
	r.prgi = 0x200;
	assert_int_equal(vtd_prq_respond(&fx.u, &r), -EINVAL); /* PRGI is 9 bits */
	r.prgi = 1;
	r.pasid_present = true;
	r.pasid = 1u << 20;
	assert_int_equal(vtd_prq_respond(&fx.u, &r), -EINVAL); /* PASID is 20 bits */
	model_last_page_response(fx.m, &got);
	assert_int_equal(got.count, 0);
	assert_int_equal(fx.u.qi.submissions, subs);
}

static void response_on_a_unit_without_prs_is_refused(void **state)
{
	struct model_config c = model_cfg_scalable();
	struct vtd_page_resp r = { .rid = SID, .prgi = 1 };

	(void)state;
	iommu_test_unit_down(&fx.u);
	iommu_test_model_down(fx.m);
	c.ecap &= ~MODEL_ECAP_PRS;
	setup_cfg(c);
	assert_int_equal(vtd_prq_respond(&fx.u, &r), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(enable_programs_pqa_with_an_empty_queue, setup,
						teardown),
		cmocka_unit_test_setup_teardown(enable_takes_the_size_order, setup_bare, teardown),
		cmocka_unit_test_setup_teardown(enable_twice_is_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(enable_rejects_an_order_beyond_pqs, setup_bare,
						teardown),
		cmocka_unit_test_setup_teardown(enable_out_of_memory_programs_nothing, setup_bare,
						teardown),
		cmocka_unit_test_setup_teardown(enable_without_prs_is_refused, setup_bare,
						teardown),
		cmocka_unit_test_setup_teardown(enable_on_a_legacy_unit_is_refused, setup_bare,
						teardown),
		cmocka_unit_test_setup_teardown(disable_clears_pqa_and_masks_the_event, setup,
						teardown),
		cmocka_unit_test(decode_reads_every_field),
		cmocka_unit_test(decode_without_pasid_ignores_the_pasid_fields),
		cmocka_unit_test(decode_rejects_another_type_and_leaves_the_request),
		cmocka_unit_test(response_descriptor_layout),
		cmocka_unit_test_setup_teardown(drain_hands_each_request_over_in_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(drain_moves_pqh_to_pqt_and_clears_ppr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(drain_of_an_empty_queue_hands_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(drain_wraps_around_the_queue_end, setup, teardown),
		cmocka_unit_test_setup_teardown(drain_skips_a_descriptor_of_the_wrong_type, setup,
						teardown),
		cmocka_unit_test_setup_teardown(drain_refuses_a_head_outside_the_queue, setup,
						teardown),
		cmocka_unit_test_setup_teardown(drain_refuses_a_tail_outside_the_queue, setup,
						teardown),
		cmocka_unit_test_setup_teardown(overflow_is_counted_and_pro_cleared_once_empty,
						setup, teardown),
		cmocka_unit_test_setup_teardown(set_event_programs_the_msi_and_unmasks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(set_event_delivers_an_event_held_while_masked,
						setup, teardown),
		cmocka_unit_test_setup_teardown(set_event_rejects_a_misaligned_address, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_new_request_after_the_drain_raises_a_new_event,
						setup, teardown),
		cmocka_unit_test_setup_teardown(response_reaches_the_model, setup, teardown),
		cmocka_unit_test_setup_teardown(response_without_pasid_and_with_invalid_code, setup,
						teardown),
		cmocka_unit_test_setup_teardown(response_with_private_data_is_accepted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(response_rejects_bad_fields_and_sends_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(response_on_a_unit_without_prs_is_refused,
						setup_bare, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
