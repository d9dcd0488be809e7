// SPDX-License-Identifier: MIT
/*
 * test_model_qi.c - the register file (VT-d §11.4), the invalidation
 * queue's error handling and wait descriptor (§6.5.2), injected ITE/ICE,
 * page group responses, and the page request queue (§7.5).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"

#define SID 0x0400

struct fx {
	struct model_unit *u;
	bool dw;
	uint64_t iq, status, root;
};

static void qi_enable(struct fx *f, bool dw)
{
	f->dw = dw;
	f->iq = model_mem_alloc(f->u, 1);
	model_write64(f->u, MODEL_REG_IQA, f->iq | (dw ? MODEL_IQA_DW : 0));
	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_QIE);
}

static int setup_mode(void **state, bool scalable)
{
	static struct fx f;
	struct model_config c = scalable ? model_cfg_scalable() : model_cfg_legacy();

	memset(&f, 0, sizeof(f));
	f.u = model_create(&c);
	assert_non_null(f.u);
	model_tb_root(f.u, scalable, &f.root);
	f.status = model_mem_alloc(f.u, 1);
	qi_enable(&f, scalable);
	*state = &f;
	return 0;
}

static int setup_sm(void **state)
{
	return setup_mode(state, true);
}

static int setup_legacy(void **state)
{
	return setup_mode(state, false);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	model_destroy(f->u);
	return 0;
}

/* Write a descriptor at IQT without moving IQT; returns its offset. */
static uint64_t put(struct fx *f, uint64_t off, const uint64_t *d)
{
	model_mem_write(f->u, f->iq + off, d, f->dw ? 32 : 16);
	return off + (f->dw ? 32 : 16);
}

static void submit(struct fx *f, uint64_t q0, uint64_t q1)
{
	uint64_t d[4] = { q0, q1, 0, 0 };
	uint64_t tail = model_read64(f->u, MODEL_REG_IQT);

	model_write64(f->u, MODEL_REG_IQT, put(f, tail, d) % 4096);
}

static uint64_t wait_sw(struct fx *f, uint32_t data)
{
	(void)f;
	return MODEL_QI_WAIT | MODEL_QI_WAIT_SW | ((uint64_t)data << 32);
}

static uint32_t status(struct fx *f)
{
	uint32_t v = 0;

	model_mem_read(f->u, f->status, &v, sizeof(v));
	return v;
}

static bool fsts(struct fx *f, uint64_t bit)
{
	return model_read32(f->u, MODEL_REG_FSTS) & bit;
}

/* ---- registers ---- */

static void cap_and_ecap_read_back_configuration(void **state)
{
	struct fx *f = *state;
	struct model_config c = model_cfg_scalable();

	assert_int_equal(model_read64(f->u, MODEL_REG_CAP), c.cap);
	assert_int_equal(model_read64(f->u, MODEL_REG_ECAP), c.ecap);
}

static void cap_halves_read_as_32bit(void **state)
{
	struct fx *f = *state;
	uint64_t cap = model_read64(f->u, MODEL_REG_CAP);

	assert_int_equal(model_read32(f->u, MODEL_REG_CAP + 4), (uint32_t)(cap >> 32));
}

static void ver_reads_configured_version(void **state)
{
	struct fx *f = *state;

	assert_int_equal(model_read32(f->u, MODEL_REG_VER), 0x40);
}

static void gcmd_te_sets_gsts_tes(void **state)
{
	struct fx *f = *state;

	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_TE | MODEL_GCMD_QIE);
	assert_true(model_read32(f->u, MODEL_REG_GSTS) & MODEL_GSTS_TES);
}

static void gcmd_without_te_clears_gsts_tes(void **state)
{
	struct fx *f = *state;

	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_TE | MODEL_GCMD_QIE);
	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_QIE);
	assert_false(model_read32(f->u, MODEL_REG_GSTS) & MODEL_GSTS_TES);
}

static void gcmd_reads_as_zero(void **state)
{
	struct fx *f = *state;

	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_TE | MODEL_GCMD_QIE);
	assert_int_equal(model_read32(f->u, MODEL_REG_GCMD), 0);
}

static void srtp_sets_rtps(void **state)
{
	struct fx *f = *state;

	assert_true(model_read32(f->u, MODEL_REG_GSTS) & MODEL_GSTS_RTPS);
}

static void rtaddr_change_without_srtp_is_not_used(void **state)
{
	struct fx *f = *state;
	struct model_req r = { .sid = SID, .pasid = MODEL_NO_PASID, .addr = 0 };
	struct model_xlate x;

	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_TE | MODEL_GCMD_QIE);
	model_write64(f->u, MODEL_REG_RTADDR, 0x7000000000ULL | (1 << 10));
	/* The latched (allocated, empty) root table is still used: 0x39. */
	assert_int_equal(model_translate(f->u, &r, &x), MODEL_FR_SM_ROOT_P);
}

static void qie_sets_qies(void **state)
{
	struct fx *f = *state;

	assert_true(model_read32(f->u, MODEL_REG_GSTS) & MODEL_GSTS_QIES);
}

/* ---- wait descriptor ---- */

static void wait_descriptor_writes_status_data(void **state)
{
	struct fx *f = *state;

	submit(f, wait_sw(f, 0xA5A5), f->status);
	assert_int_equal(status(f), 0xA5A5);
}

static void iqh_follows_iqt_after_processing(void **state)
{
	struct fx *f = *state;

	submit(f, wait_sw(f, 1), f->status);
	assert_int_equal(model_read64(f->u, MODEL_REG_IQH), 32);
}

static void wait_with_if_sets_ics_iwc(void **state)
{
	struct fx *f = *state;

	submit(f, MODEL_QI_WAIT | MODEL_QI_WAIT_IF, 0);
	assert_true(model_read32(f->u, MODEL_REG_ICS) & MODEL_ICS_IWC);
}

static void ics_iwc_is_write_one_to_clear(void **state)
{
	struct fx *f = *state;

	submit(f, MODEL_QI_WAIT | MODEL_QI_WAIT_IF, 0);
	model_write32(f->u, MODEL_REG_ICS, MODEL_ICS_IWC);
	assert_false(model_read32(f->u, MODEL_REG_ICS) & MODEL_ICS_IWC);
}

static void wait_with_if_unmasked_raises_event(void **state)
{
	struct fx *f = *state;

	model_write32(f->u, MODEL_REG_IECTL, 0);
	submit(f, MODEL_QI_WAIT | MODEL_QI_WAIT_IF, 0);
	assert_int_equal(model_get_stats(f->u)->inv_events, 1);
}

static void wait_status_to_unbacked_memory_is_dropped(void **state)
{
	struct fx *f = *state;

	submit(f, wait_sw(f, 1), 0x7000000000ULL);
	assert_int_equal(model_get_stats(f->u)->wait_writes_dropped, 1);
}

static void queue_wraps_at_its_end(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	for (i = 0; i < 4096 / 32; i++)
		submit(f, wait_sw(f, i), f->status);
	assert_int_equal(model_read64(f->u, MODEL_REG_IQH), 0);
}

/* ---- invalid descriptors: IQE ---- */

static void unknown_type_sets_iqe(void **state)
{
	struct fx *f = *state;

	submit(f, 0xF, 0);
	assert_true(fsts(f, MODEL_FSTS_IQE));
}

static void iqe_leaves_iqh_at_bad_descriptor(void **state)
{
	struct fx *f = *state;

	submit(f, wait_sw(f, 1), f->status);
	submit(f, 0xF, 0);
	assert_int_equal(model_read64(f->u, MODEL_REG_IQH), 32);
}

static void iqe_stops_later_descriptors(void **state)
{
	struct fx *f = *state;

	submit(f, 0xF, 0);
	submit(f, wait_sw(f, 7), f->status);
	assert_int_equal(status(f), 0);
}

static void clearing_iqe_resumes_at_fixed_descriptor(void **state)
{
	struct fx *f = *state;
	uint64_t fix[4] = { wait_sw(f, 9), f->status, 0, 0 };

	submit(f, 0xF, 0);
	put(f, 0, fix);
	model_write32(f->u, MODEL_REG_FSTS, MODEL_FSTS_IQE);
	assert_int_equal(status(f), 9);
}

static void reserved_bit_in_wait_sets_iqe(void **state)
{
	struct fx *f = *state;

	submit(f, wait_sw(f, 1) | MODEL_BIT(12), f->status);
	assert_true(fsts(f, MODEL_FSTS_IQE));
}

static void reserved_bit_in_iotlb_descriptor_sets_iqe(void **state)
{
	struct fx *f = *state;

	submit(f, MODEL_QI_IOTLB | (2 << 4) | MODEL_BIT(40), 0);
	assert_true(fsts(f, MODEL_FSTS_IQE));
}

static void upper_half_of_256bit_wait_nonzero_sets_iqe(void **state)
{
	struct fx *f = *state;
	uint64_t d[4] = { wait_sw(f, 1), f->status, 0, 1 };

	model_write64(f->u, MODEL_REG_IQT, put(f, 0, d));
	assert_true(fsts(f, MODEL_FSTS_IQE));
}

static void pasid_cache_granularity_2_sets_iqe(void **state)
{
	struct fx *f = *state;

	submit(f, MODEL_QI_PC | (2 << 4), 0);
	assert_true(fsts(f, MODEL_FSTS_IQE));
}

static void piotlb_granularity_0_sets_iqe(void **state)
{
	struct fx *f = *state;

	submit(f, MODEL_QI_PIOTLB, 0);
	assert_true(fsts(f, MODEL_FSTS_IQE));
}

static void iqt_bit4_with_256bit_descriptors_sets_iqe(void **state)
{
	struct fx *f = *state;

	model_write64(f->u, MODEL_REG_IQT, 0x10);
	assert_true(fsts(f, MODEL_FSTS_IQE));
}

static void iqe_event_is_counted_when_unmasked(void **state)
{
	struct fx *f = *state;

	model_write32(f->u, MODEL_REG_FECTL, 0);
	submit(f, 0xF, 0);
	assert_int_equal(model_get_stats(f->u)->fault_events, 1);
}

static void scalable_mode_with_128bit_queue_sets_iqe(void **state)
{
	struct fx *f = *state;

	model_write32(f->u, MODEL_REG_GCMD, 0);
	qi_enable(f, false);
	submit(f, wait_sw(f, 1), f->status);
	assert_true(fsts(f, MODEL_FSTS_IQE));
}

static void pasid_descriptor_in_128bit_queue_sets_iqe(void **state)
{
	struct fx *f = *state;

	submit(f, MODEL_QI_PC | (3 << 4), 0);
	assert_true(fsts(f, MODEL_FSTS_IQE));
}

static void legacy_128bit_wait_writes_status(void **state)
{
	struct fx *f = *state;

	submit(f, wait_sw(f, 3), f->status);
	assert_int_equal(status(f), 3);
}

static void queue_disabled_does_not_process(void **state)
{
	struct fx *f = *state;

	model_write32(f->u, MODEL_REG_GCMD, 0);
	submit(f, wait_sw(f, 1), f->status);
	assert_int_equal(status(f), 0);
}

/* ---- device-TLB invalidation errors ---- */

static void injected_timeout_sets_ite(void **state)
{
	struct fx *f = *state;

	model_inject(f->u, MODEL_INJECT_ITE);
	submit(f, MODEL_QI_DEVTLB | ((uint64_t)SID << 32), 0);
	assert_true(fsts(f, MODEL_FSTS_ITE));
}

static void ite_discards_queued_wait(void **state)
{
	struct fx *f = *state;
	uint64_t d1[4] = { MODEL_QI_DEVTLB | ((uint64_t)SID << 32), 0, 0, 0 };
	uint64_t d2[4] = { wait_sw(f, 5), f->status, 0, 0 };

	model_inject(f->u, MODEL_INJECT_ITE);
	put(f, 32, d2);
	model_write64(f->u, MODEL_REG_IQT, put(f, 0, d1) + 32);
	model_write32(f->u, MODEL_REG_FSTS, MODEL_FSTS_ITE);
	assert_int_equal(status(f), 0);
}

static void ite_stops_queue_after_devtlb_descriptor(void **state)
{
	struct fx *f = *state;

	model_inject(f->u, MODEL_INJECT_ITE);
	submit(f, MODEL_QI_DEVTLB | ((uint64_t)SID << 32), 0);
	submit(f, wait_sw(f, 5), f->status);
	assert_int_equal(model_read64(f->u, MODEL_REG_IQH), 32);
}

static void wait_submitted_after_ite_cleared_completes(void **state)
{
	struct fx *f = *state;

	model_inject(f->u, MODEL_INJECT_ITE);
	submit(f, MODEL_QI_DEVTLB | ((uint64_t)SID << 32), 0);
	model_write32(f->u, MODEL_REG_FSTS, MODEL_FSTS_ITE);
	submit(f, wait_sw(f, 6), f->status);
	assert_int_equal(status(f), 6);
}

static void injected_completion_error_sets_ice_and_continues(void **state)
{
	struct fx *f = *state;

	model_inject(f->u, MODEL_INJECT_ICE);
	submit(f, MODEL_QI_PDEVTLB | ((uint64_t)SID << 16), 0);
	submit(f, wait_sw(f, 8), f->status);
	assert_true(fsts(f, MODEL_FSTS_ICE));
	assert_int_equal(status(f), 8);
}

/* ---- page group response and page requests ---- */

static void page_group_response_is_recorded(void **state)
{
	struct fx *f = *state;
	struct model_pgrp_resp r;

	submit(f,
	       MODEL_QI_PGRP_RESP | MODEL_QI_PGRP_PP | ((uint64_t)SID << 16) |
		       ((uint64_t)0x33 << 32) | (1ULL << 12),
	       17ULL << 3);
	model_last_page_response(f->u, &r);
	assert_true(r.valid);
	assert_int_equal(r.rid, SID);
	assert_int_equal(r.pasid, 0x33);
	assert_int_equal(r.code, 1);
	assert_int_equal(r.prgi, 17);
}

static uint64_t prq_setup(struct fx *f)
{
	uint64_t pq = model_mem_alloc(f->u, 1);

	model_write64(f->u, MODEL_REG_PQA, pq); /* PQS = 0: 128 entries */
	return pq;
}

static void page_request_writes_descriptor_at_pqt(void **state)
{
	struct fx *f = *state;
	uint64_t pq = prq_setup(f), d[4];
	struct model_prq r = {
		.sid = SID,
		.pasid = 0x55,
		.addr = 0x7F0000001234ULL,
		.write = true,
		.lpig = true,
		.prgi = 9,
		.priv_data = { 0xAA, 0xBB },
	};

	assert_int_equal(model_page_request(f->u, &r), 0);
	model_mem_read(f->u, pq, d, sizeof(d));
	assert_int_equal(d[0], 1 | MODEL_PRQ_PP | ((uint64_t)SID << 16) | (0x55ULL << 32));
	assert_int_equal(d[1], 0x7F0000001000ULL | MODEL_PRQ_WR | MODEL_PRQ_LPIG | (9 << 3));
	assert_int_equal(d[2], 0xAA);
	assert_int_equal(d[3], 0xBB);
}

static void page_request_advances_pqt_and_sets_ppr(void **state)
{
	struct fx *f = *state;
	struct model_prq r = { .sid = SID, .pasid = MODEL_NO_PASID, .read = true };

	prq_setup(f);
	model_page_request(f->u, &r);
	assert_int_equal(model_read64(f->u, MODEL_REG_PQT), 32);
	assert_true(model_read32(f->u, MODEL_REG_PRS) & MODEL_PRS_PPR);
}

static void full_page_request_queue_sets_pro(void **state)
{
	struct fx *f = *state;
	struct model_prq r = { .sid = SID, .pasid = MODEL_NO_PASID, .read = true };
	unsigned int i;

	prq_setup(f);
	for (i = 0; i < 127; i++)
		assert_int_equal(model_page_request(f->u, &r), 0);
	assert_int_equal(model_page_request(f->u, &r), -ENOSPC);
	assert_true(model_read32(f->u, MODEL_REG_PRS) & MODEL_PRS_PRO);
}

static void advancing_pqh_makes_room(void **state)
{
	struct fx *f = *state;
	struct model_prq r = { .sid = SID, .pasid = MODEL_NO_PASID, .read = true };
	unsigned int i;

	prq_setup(f);
	for (i = 0; i < 127; i++)
		model_page_request(f->u, &r);
	model_write64(f->u, MODEL_REG_PQH, 32);
	assert_int_equal(model_page_request(f->u, &r), 0);
}

static void prs_bits_are_write_one_to_clear(void **state)
{
	struct fx *f = *state;
	struct model_prq r = { .sid = SID, .pasid = MODEL_NO_PASID, .read = true };

	prq_setup(f);
	model_page_request(f->u, &r);
	model_write32(f->u, MODEL_REG_PRS, MODEL_PRS_PPR);
	assert_false(model_read32(f->u, MODEL_REG_PRS) & MODEL_PRS_PPR);
}

static void page_request_without_prs_capability_fails(void **state)
{
	struct fx *f = *state;
	struct model_prq r = { .sid = SID, .pasid = MODEL_NO_PASID, .read = true };

	prq_setup(f);
	assert_int_equal(model_page_request(f->u, &r), -ENODEV);
}

#define S(fn) cmocka_unit_test_setup_teardown(fn, setup_sm, teardown)
#define L(fn) cmocka_unit_test_setup_teardown(fn, setup_legacy, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		S(cap_and_ecap_read_back_configuration),
		S(cap_halves_read_as_32bit),
		S(ver_reads_configured_version),
		S(gcmd_te_sets_gsts_tes),
		S(gcmd_without_te_clears_gsts_tes),
		S(gcmd_reads_as_zero),
		S(srtp_sets_rtps),
		S(rtaddr_change_without_srtp_is_not_used),
		S(qie_sets_qies),
		S(wait_descriptor_writes_status_data),
		S(iqh_follows_iqt_after_processing),
		S(wait_with_if_sets_ics_iwc),
		S(ics_iwc_is_write_one_to_clear),
		S(wait_with_if_unmasked_raises_event),
		S(wait_status_to_unbacked_memory_is_dropped),
		S(queue_wraps_at_its_end),
		S(unknown_type_sets_iqe),
		S(iqe_leaves_iqh_at_bad_descriptor),
		S(iqe_stops_later_descriptors),
		S(clearing_iqe_resumes_at_fixed_descriptor),
		S(reserved_bit_in_wait_sets_iqe),
		S(reserved_bit_in_iotlb_descriptor_sets_iqe),
		S(upper_half_of_256bit_wait_nonzero_sets_iqe),
		S(pasid_cache_granularity_2_sets_iqe),
		S(piotlb_granularity_0_sets_iqe),
		S(iqt_bit4_with_256bit_descriptors_sets_iqe),
		S(iqe_event_is_counted_when_unmasked),
		S(scalable_mode_with_128bit_queue_sets_iqe),
		L(pasid_descriptor_in_128bit_queue_sets_iqe),
		L(legacy_128bit_wait_writes_status),
		S(queue_disabled_does_not_process),
		S(injected_timeout_sets_ite),
		S(ite_discards_queued_wait),
		S(ite_stops_queue_after_devtlb_descriptor),
		S(wait_submitted_after_ite_cleared_completes),
		S(injected_completion_error_sets_ice_and_continues),
		S(page_group_response_is_recorded),
		S(page_request_writes_descriptor_at_pqt),
		S(page_request_advances_pqt_and_sets_ppr),
		S(full_page_request_queue_sets_pro),
		S(advancing_pqh_makes_room),
		S(prs_bits_are_write_one_to_clear),
		L(page_request_without_prs_capability_fails),
	};

	return cmocka_run_group_tests_name("model_qi", tests, NULL, NULL);
}
