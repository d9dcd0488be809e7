// SPDX-License-Identifier: MIT
/*
 * test_model_legacy.c - the reference model in legacy mode (RTADDR.TTM=00):
 * root/context/SL walks, page sizes, permissions, fault reasons 0x1-0xD
 * (VT-d §7.1.3) and their recording. Vectors are computed by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"

#define SID  0x0108 /* 01:01.0 */
#define DID  5
#define IOVA 0x12345000ULL

struct fx {
	struct model_unit *u;
	uint64_t root, sl, data;
};

static void ctx(struct fx *f, uint16_t sid, uint64_t lo, uint64_t hi)
{
	uint64_t ce[2] = { lo, hi };

	assert_int_equal(model_tb_legacy_ctx(f->u, f->root, sid, ce), 0);
}

static int setup_cfg(void **state, const struct model_config *c, unsigned int aw)
{
	static struct fx f;

	memset(&f, 0, sizeof(f));
	f.u = model_create(c);
	assert_non_null(f.u);
	assert_int_equal(model_tb_root(f.u, false, &f.root), 0);
	f.sl = model_mem_alloc(f.u, 1);
	f.data = model_mem_alloc(f.u, 1);
	ctx(&f, SID, MODEL_CE_P | f.sl, ((uint64_t)DID << 8) | aw);
	model_tb_enable(f.u);
	*state = &f;
	return 0;
}

static int setup(void **state)
{
	struct model_config c = model_cfg_legacy();

	return setup_cfg(state, &c, 2); /* 4-level */
}

static int teardown(void **state)
{
	struct fx *f = *state;

	model_destroy(f->u);
	return 0;
}

static int map(struct fx *f, int levels, uint64_t in, uint64_t out, uint64_t size, uint64_t perm)
{
	return model_tb_map(f->u, f->sl, levels, false, in, out, size, perm,
			    MODEL_SL_R | MODEL_SL_W, 0, NULL);
}

static int dma_rd(struct fx *f, uint64_t iova, uint32_t *val)
{
	return model_dma(f->u, SID, MODEL_NO_PASID, iova, val, sizeof(*val), false);
}

static int dma_wr(struct fx *f, uint64_t iova, uint32_t val)
{
	return model_dma(f->u, SID, MODEL_NO_PASID, iova, &val, sizeof(val), true);
}

static uint64_t frcd_hi(struct fx *f, unsigned int i)
{
	uint32_t fro = (uint32_t)MODEL_CAP_FRO(model_read64(f->u, MODEL_REG_CAP));

	return model_read64(f->u, fro + 16 * i + 8);
}

/* ---- translation ---- */

static void sl4_read_4k_returns_memory_at_hpa(void **state)
{
	struct fx *f = *state;
	uint32_t v = 0xCAFEF00D, got = 0;

	assert_int_equal(map(f, 4, IOVA, f->data, 4096, MODEL_SL_R | MODEL_SL_W), 0);
	model_mem_write(f->u, f->data + 0x10, &v, sizeof(v));
	assert_int_equal(dma_rd(f, IOVA + 0x10, &got), 0);
	assert_int_equal(got, 0xCAFEF00D);
}

static void sl4_write_4k_lands_at_hpa(void **state)
{
	struct fx *f = *state;
	uint32_t got = 0;

	map(f, 4, IOVA, f->data, 4096, MODEL_SL_R | MODEL_SL_W);
	assert_int_equal(dma_wr(f, IOVA + 0x20, 0x11223344), 0);
	model_mem_read(f->u, f->data + 0x20, &got, sizeof(got));
	assert_int_equal(got, 0x11223344);
}

static void sl4_translate_reports_hpa_and_permissions(void **state)
{
	struct fx *f = *state;
	struct model_req r = { .sid = SID, .pasid = MODEL_NO_PASID, .addr = IOVA + 0x123 };
	struct model_xlate x;

	map(f, 4, IOVA, f->data, 4096, MODEL_SL_R);
	assert_int_equal(model_translate(f->u, &r, &x), 0);
	assert_int_equal(x.hpa, f->data + 0x123);
	assert_int_equal(x.page_size, 4096);
	assert_true(x.r);
	assert_false(x.w);
	assert_int_equal(x.did, DID);
}

static void sl3_walk_translates_39bit_iova(void **state)
{
	struct fx *f = *state;
	uint64_t sl3 = model_mem_alloc(f->u, 1);
	struct model_xlate x;
	struct model_req r = { .sid = 0x0110, .pasid = MODEL_NO_PASID, .addr = 0x7FFFFFF000ULL };

	ctx(f, 0x0110, MODEL_CE_P | sl3, ((uint64_t)DID << 8) | 1);
	model_tb_map(f->u, sl3, 3, false, 0x7FFFFFF000ULL, f->data, 4096, MODEL_SL_R,
		     MODEL_SL_R | MODEL_SL_W, 0, NULL);
	assert_int_equal(model_translate(f->u, &r, &x), 0);
	assert_int_equal(x.hpa, f->data);
}

static void sl3_iova_above_39_bits_faults_0x4(void **state)
{
	struct fx *f = *state;
	uint64_t sl3 = model_mem_alloc(f->u, 1);
	uint32_t v;

	ctx(f, 0x0110, MODEL_CE_P | sl3, ((uint64_t)DID << 8) | 1);
	assert_int_equal(model_dma(f->u, 0x0110, MODEL_NO_PASID, 1ULL << 39, &v, 4, false),
			 MODEL_FR_ADDR_BEYOND_AW);
}

static void sl5_walk_translates_57bit_iova(void **state)
{
	struct model_config c = model_cfg_legacy();
	struct fx *f;
	struct model_xlate x;
	uint64_t iova = 0x01F0000000001000ULL;
	struct model_req r = { .sid = SID, .pasid = MODEL_NO_PASID, .addr = iova };

	teardown(state);
	c.cap = (c.cap & ~MODEL_CAP_MGAW_SET(64)) | MODEL_CAP_SAGAW_57 | MODEL_CAP_MGAW_SET(57);
	setup_cfg(state, &c, 3);
	f = *state;
	map(f, 5, iova, f->data, 4096, MODEL_SL_R | MODEL_SL_W);
	assert_int_equal(model_translate(f->u, &r, &x), 0);
	assert_int_equal(x.hpa, f->data);
}

static void aw_not_in_sagaw_faults_0x3(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	ctx(f, SID, MODEL_CE_P | f->sl, ((uint64_t)DID << 8) | 3); /* 5-level: not in SAGAW */
	assert_int_equal(dma_rd(f, IOVA, &v), MODEL_FR_CTX_INV);
}

static void sl_2m_page_translates_offset(void **state)
{
	struct fx *f = *state;
	struct model_req r = { .sid = SID,
			       .pasid = MODEL_NO_PASID,
			       .addr = 0x40000000ULL + 0x12345 };
	struct model_xlate x;

	model_mem_map(f->u, 0x80000000ULL, 1 << 21);
	map(f, 4, 0x40000000ULL, 0x80000000ULL, 1 << 21, MODEL_SL_R | MODEL_SL_W);
	assert_int_equal(model_translate(f->u, &r, &x), 0);
	assert_int_equal(x.hpa, 0x80012345ULL);
	assert_int_equal(x.page_size, 1 << 21);
}

static void sl_1g_page_translates_offset(void **state)
{
	struct fx *f = *state;
	struct model_req r = { .sid = SID,
			       .pasid = MODEL_NO_PASID,
			       .addr = 0x80000000ULL + 0x2345678 };
	struct model_xlate x;

	map(f, 4, 0x80000000ULL, 0x100000000ULL, 1 << 30, MODEL_SL_R | MODEL_SL_W);
	assert_int_equal(model_translate(f->u, &r, &x), 0);
	assert_int_equal(x.hpa, 0x102345678ULL);
	assert_int_equal(x.page_size, 1 << 30);
}

static void sl_2m_page_without_sllps_faults_0xc(void **state)
{
	struct model_config c = model_cfg_legacy();
	struct fx *f;
	uint32_t v;

	teardown(state);
	c.cap &= ~(MODEL_CAP_SLLPS_2M | MODEL_CAP_SLLPS_1G);
	setup_cfg(state, &c, 2);
	f = *state;
	map(f, 4, 0x40000000ULL, 0x80000000ULL, 1 << 21, MODEL_SL_R | MODEL_SL_W);
	assert_int_equal(dma_rd(f, 0x40000000ULL, &v), MODEL_FR_SL_RSVD);
}

static void sl_ps_at_level4_faults_0xc(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	/* PML4 entry with PS: reserved (VT-d §9.8). */
	model_mem_write64(f->u, f->sl, MODEL_SL_R | MODEL_SL_PS);
	assert_int_equal(dma_rd(f, 0, &v), MODEL_FR_SL_RSVD);
}

/* ---- permissions ---- */

static void sl_write_to_readonly_faults_0x5(void **state)
{
	struct fx *f = *state;

	map(f, 4, IOVA, f->data, 4096, MODEL_SL_R);
	assert_int_equal(dma_wr(f, IOVA, 1), MODEL_FR_WRITE);
}

static void sl_read_of_writeonly_faults_0x6(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	map(f, 4, IOVA, f->data, 4096, MODEL_SL_W);
	assert_int_equal(dma_rd(f, IOVA, &v), MODEL_FR_READ);
}

static void sl_readonly_nonleaf_denies_write_0x5(void **state)
{
	struct fx *f = *state;

	assert_int_equal(model_tb_map(f->u, f->sl, 4, false, IOVA, f->data, 4096,
				      MODEL_SL_R | MODEL_SL_W, MODEL_SL_R, 0, NULL),
			 0);
	assert_int_equal(dma_wr(f, IOVA, 1), MODEL_FR_WRITE);
}

static void sl_not_present_read_faults_0x6(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	assert_int_equal(dma_rd(f, IOVA, &v), MODEL_FR_READ);
}

static void sl_not_present_write_faults_0x5(void **state)
{
	struct fx *f = *state;

	assert_int_equal(dma_wr(f, IOVA, 1), MODEL_FR_WRITE);
}

/* ---- structure faults ---- */

static void root_not_present_faults_0x1(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	assert_int_equal(model_dma(f->u, 0x0208, MODEL_NO_PASID, IOVA, &v, 4, false),
			 MODEL_FR_ROOT_P);
}

static void context_not_present_faults_0x2(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	assert_int_equal(model_dma(f->u, 0x0109, MODEL_NO_PASID, IOVA, &v, 4, false),
			 MODEL_FR_CTX_P);
}

static void context_tt_reserved_faults_0x3(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	ctx(f, SID, MODEL_CE_P | (3 << 2) | f->sl, ((uint64_t)DID << 8) | 2);
	assert_int_equal(dma_rd(f, IOVA, &v), MODEL_FR_CTX_INV);
}

static void iova_above_48_bits_faults_0x4(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	assert_int_equal(dma_rd(f, 1ULL << 48, &v), MODEL_FR_ADDR_BEYOND_AW);
}

static void sl_table_pointer_unbacked_faults_0x7(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	/* PML4 entry points at memory that does not exist. */
	model_mem_write64(f->u, f->sl, 0x7000000000ULL | MODEL_SL_R | MODEL_SL_W);
	assert_int_equal(dma_rd(f, 0, &v), MODEL_FR_SL_ACCESS);
}

static void root_table_unbacked_faults_0x8(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	model_write64(f->u, MODEL_REG_RTADDR, 0x7000000000ULL);
	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_TE | MODEL_GCMD_SRTP);
	assert_int_equal(dma_rd(f, IOVA, &v), MODEL_FR_ROOT_ACCESS);
}

static void context_table_unbacked_faults_0x9(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	model_mem_write64(f->u, f->root + 3 * 16, 0x7000000000ULL | MODEL_RE_P);
	assert_int_equal(model_dma(f->u, 0x0300, MODEL_NO_PASID, IOVA, &v, 4, false),
			 MODEL_FR_CTX_ACCESS);
}

static void root_reserved_bit_faults_0xa(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	model_mem_write64(f->u, f->root + 16 + 8, 1); /* upper qword reserved */
	assert_int_equal(dma_rd(f, IOVA, &v), MODEL_FR_ROOT_RSVD);
}

static void context_reserved_bit_faults_0xb(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	ctx(f, SID, MODEL_CE_P | f->sl | MODEL_BIT(4), ((uint64_t)DID << 8) | 2);
	assert_int_equal(dma_rd(f, IOVA, &v), MODEL_FR_CTX_RSVD);
}

static void translation_request_with_tt00_faults_0xd(void **state)
{
	struct fx *f = *state;
	struct model_req r = { .sid = SID, .pasid = MODEL_NO_PASID, .addr = IOVA, .ats = true };
	struct model_xlate x;

	assert_int_equal(model_translate(f->u, &r, &x), MODEL_FR_TT_BLOCKED);
}

static void request_with_pasid_in_legacy_mode_faults_0x31(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	map(f, 4, IOVA, f->data, 4096, MODEL_SL_R);
	assert_int_equal(model_dma(f->u, SID, 1, IOVA, &v, 4, false), MODEL_FR_SM_TTM0_PASID);
}

static void passthrough_context_maps_iova_to_same_hpa(void **state)
{
	struct fx *f = *state;
	struct model_req r = { .sid = SID, .pasid = MODEL_NO_PASID, .addr = 0xABCDE123ULL };
	struct model_xlate x;

	ctx(f, SID, MODEL_CE_P | (MODEL_CE_TT_PT << 2), ((uint64_t)DID << 8) | 2);
	assert_int_equal(model_translate(f->u, &r, &x), 0);
	assert_int_equal(x.hpa, 0xABCDE123ULL);
}

static void translation_disabled_dma_is_untranslated(void **state)
{
	struct fx *f = *state;
	struct model_req r = { .sid = SID, .pasid = MODEL_NO_PASID, .addr = 0x5000 };
	struct model_xlate x;

	model_write32(f->u, MODEL_REG_GCMD, 0);
	assert_int_equal(model_translate(f->u, &r, &x), 0);
	assert_int_equal(x.hpa, 0x5000);
	assert_int_equal(x.src, MODEL_SRC_NONE);
}

static void dma_to_unbacked_hpa_returns_efault(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	map(f, 4, IOVA, 0x7000000000ULL, 4096, MODEL_SL_R);
	assert_int_equal(dma_rd(f, IOVA, &v), -14);
}

static void dma_crossing_pages_faults_on_second_page(void **state)
{
	struct fx *f = *state;
	uint8_t buf[32];

	map(f, 4, IOVA, f->data, 4096, MODEL_SL_R);
	assert_int_equal(model_dma(f->u, SID, MODEL_NO_PASID, IOVA + 4096 - 16, buf, 32, false),
			 MODEL_FR_READ);
}

/* ---- fault recording, VT-d §7.2.1 ---- */

static void fault_is_recorded_with_sid_reason_and_type(void **state)
{
	struct fx *f = *state;
	uint64_t hi;

	map(f, 4, IOVA, f->data, 4096, MODEL_SL_R);
	dma_wr(f, IOVA + 0x40, 1);
	hi = frcd_hi(f, 0);
	assert_true(hi & MODEL_FRCD_HI_F);
	assert_int_equal(MODEL_FRCD_HI_SID(hi), SID);
	assert_int_equal(MODEL_FRCD_HI_FR(hi), MODEL_FR_WRITE);
	assert_false(hi & MODEL_FRCD_HI_T); /* write */
}

static void fault_record_holds_page_address(void **state)
{
	struct fx *f = *state;
	uint32_t fro = (uint32_t)MODEL_CAP_FRO(model_read64(f->u, MODEL_REG_CAP));
	uint32_t v;

	dma_rd(f, IOVA + 0x44, &v);
	assert_int_equal(model_read64(f->u, fro), IOVA);
}

static void fault_sets_ppf_and_fri(void **state)
{
	struct fx *f = *state;
	uint32_t v, fsts;

	dma_rd(f, IOVA, &v);
	fsts = model_read32(f->u, MODEL_REG_FSTS);
	assert_true(fsts & MODEL_FSTS_PPF);
	assert_int_equal(MODEL_FSTS_FRI(fsts), 0);
}

static void clearing_f_clears_ppf(void **state)
{
	struct fx *f = *state;
	uint32_t fro = (uint32_t)MODEL_CAP_FRO(model_read64(f->u, MODEL_REG_CAP));
	uint32_t v;

	dma_rd(f, IOVA, &v);
	model_write32(f->u, fro + 12, (uint32_t)(MODEL_FRCD_HI_F >> 32));
	assert_false(model_read32(f->u, MODEL_REG_FSTS) & MODEL_FSTS_PPF);
}

static void second_fault_uses_next_record(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	dma_rd(f, IOVA, &v);
	model_dma(f->u, 0x0109, MODEL_NO_PASID, IOVA, &v, 4, false);
	assert_int_equal(MODEL_FRCD_HI_FR(frcd_hi(f, 1)), MODEL_FR_CTX_P);
}

static void full_records_set_pfo_and_drop_fault(void **state)
{
	struct fx *f = *state;
	unsigned int i, nfr = (unsigned int)MODEL_CAP_NFR(model_read64(f->u, MODEL_REG_CAP));
	uint32_t v;

	for (i = 0; i < nfr; i++)
		dma_rd(f, IOVA, &v);
	assert_false(model_read32(f->u, MODEL_REG_FSTS) & MODEL_FSTS_PFO);
	dma_rd(f, IOVA, &v);
	assert_true(model_read32(f->u, MODEL_REG_FSTS) & MODEL_FSTS_PFO);
	assert_int_equal(model_get_stats(f->u)->faults_recorded, nfr);
}

static void pfo_is_write_one_to_clear(void **state)
{
	struct fx *f = *state;
	unsigned int i, nfr = (unsigned int)MODEL_CAP_NFR(model_read64(f->u, MODEL_REG_CAP));
	uint32_t v;

	for (i = 0; i <= nfr; i++)
		dma_rd(f, IOVA, &v);
	model_write32(f->u, MODEL_REG_FSTS, MODEL_FSTS_PFO);
	assert_false(model_read32(f->u, MODEL_REG_FSTS) & MODEL_FSTS_PFO);
}

static void fpd_in_context_suppresses_recording(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	ctx(f, SID, MODEL_CE_P | MODEL_CE_FPD | f->sl, ((uint64_t)DID << 8) | 2);
	assert_int_equal(dma_rd(f, IOVA, &v), MODEL_FR_READ);
	assert_false(model_read32(f->u, MODEL_REG_FSTS) & MODEL_FSTS_PPF);
}

static void unmasked_fault_raises_event(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	model_write32(f->u, MODEL_REG_FECTL, 0);
	dma_rd(f, IOVA, &v);
	assert_int_equal(model_get_stats(f->u)->fault_events, 1);
}

static void masked_fault_sets_ip(void **state)
{
	struct fx *f = *state;
	uint32_t v;

	dma_rd(f, IOVA, &v);
	assert_true(model_read32(f->u, MODEL_REG_FECTL) & MODEL_FECTL_IP);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(sl4_read_4k_returns_memory_at_hpa),
		T(sl4_write_4k_lands_at_hpa),
		T(sl4_translate_reports_hpa_and_permissions),
		T(sl3_walk_translates_39bit_iova),
		T(sl3_iova_above_39_bits_faults_0x4),
		T(sl5_walk_translates_57bit_iova),
		T(aw_not_in_sagaw_faults_0x3),
		T(sl_2m_page_translates_offset),
		T(sl_1g_page_translates_offset),
		T(sl_2m_page_without_sllps_faults_0xc),
		T(sl_ps_at_level4_faults_0xc),
		T(sl_write_to_readonly_faults_0x5),
		T(sl_read_of_writeonly_faults_0x6),
		T(sl_readonly_nonleaf_denies_write_0x5),
		T(sl_not_present_read_faults_0x6),
		T(sl_not_present_write_faults_0x5),
		T(root_not_present_faults_0x1),
		T(context_not_present_faults_0x2),
		T(context_tt_reserved_faults_0x3),
		T(iova_above_48_bits_faults_0x4),
		T(sl_table_pointer_unbacked_faults_0x7),
		T(root_table_unbacked_faults_0x8),
		T(context_table_unbacked_faults_0x9),
		T(root_reserved_bit_faults_0xa),
		T(context_reserved_bit_faults_0xb),
		T(translation_request_with_tt00_faults_0xd),
		T(request_with_pasid_in_legacy_mode_faults_0x31),
		T(passthrough_context_maps_iova_to_same_hpa),
		T(translation_disabled_dma_is_untranslated),
		T(dma_to_unbacked_hpa_returns_efault),
		T(dma_crossing_pages_faults_on_second_page),
		T(fault_is_recorded_with_sid_reason_and_type),
		T(fault_record_holds_page_address),
		T(fault_sets_ppf_and_fri),
		T(clearing_f_clears_ppf),
		T(second_fault_uses_next_record),
		T(full_records_set_pfo_and_drop_fault),
		T(pfo_is_write_one_to_clear),
		T(fpd_in_context_suppresses_recording),
		T(unmasked_fault_raises_event),
		T(masked_fault_sets_ip),
	};

	return cmocka_run_group_tests_name("model_legacy", tests, NULL, NULL);
}
