// SPDX-License-Identifier: MIT
/*
 * test_model_scalable.c - the reference model in scalable mode
 * (RTADDR.TTM=01): scalable root/context, PASID directory and table, each
 * PGTT (FL, SL, nested, pass-through), 3/4/5-level SL, 4/5-level FL, page
 * sizes, x86 first-level permissions, A/D flags and the scalable fault
 * reasons of VT-d §7.1.3. Vectors are computed by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"

#define SID	  0x0210 /* 02:02.0 */
#define DID	  9
#define PASID	  0x45 /* directory index 1, table index 5 */
#define VA	  0x00007F1234567000ULL
#define GPA_DELTA 0x40000000ULL /* nested: GPA = HPA + 1 GiB */

#define FL_TBL	(MODEL_FL_P | MODEL_FL_RW | MODEL_FL_US)
#define FL_RW_U (MODEL_FL_P | MODEL_FL_RW | MODEL_FL_US)
#define SL_RW	(MODEL_SL_R | MODEL_SL_W)

struct fx {
	struct model_unit *u;
	uint64_t root, dir, sl, fl, data;
	uint64_t ce[4];
};

static void set_ctx(struct fx *f)
{
	assert_int_equal(model_tb_sm_ctx(f->u, f->root, SID, f->ce), 0);
}

static void set_pe(struct fx *f, uint32_t pasid, uint64_t v0, uint64_t v1, uint64_t v2)
{
	uint64_t pe[8] = { v0, v1, v2 };

	assert_int_equal(model_tb_pasid_entry(f->u, f->dir, pasid, pe), 0);
}

static uint64_t pe0(unsigned int pgtt, unsigned int aw, uint64_t slptr)
{
	return MODEL_PE_P | ((uint64_t)aw << 2) | ((uint64_t)pgtt << 6) | slptr;
}

static int setup_cfg(void **state, const struct model_config *c)
{
	static struct fx f;

	memset(&f, 0, sizeof(f));
	f.u = model_create(c);
	assert_non_null(f.u);
	assert_int_equal(model_tb_root(f.u, true, &f.root), 0);
	f.dir = model_mem_alloc(f.u, 1);
	f.sl = model_mem_alloc(f.u, 1);
	f.fl = model_mem_alloc(f.u, 1);
	f.data = model_mem_alloc(f.u, 1);
	/* PDTS=0: 128 directory entries; RID_PASID = 0. */
	f.ce[0] = MODEL_SCE_P | MODEL_SCE_PASIDE | MODEL_SCE_DTE | f.dir;
	set_ctx(&f);
	model_tb_enable(f.u);
	*state = &f;
	return 0;
}

static int setup(void **state)
{
	struct model_config c = model_cfg_scalable();

	return setup_cfg(state, &c);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	model_destroy(f->u);
	return 0;
}

static int xl(struct fx *f, uint32_t pasid, uint64_t addr, bool write, bool priv, bool exec,
	      struct model_xlate *x)
{
	struct model_req r = {
		.sid = SID,
		.pasid = pasid,
		.addr = addr,
		.write = write,
		.priv = priv,
		.exec = exec,
	};

	return model_translate(f->u, &r, x);
}

static int rd(struct fx *f, uint32_t pasid, uint64_t addr)
{
	struct model_xlate x;

	return xl(f, pasid, addr, false, false, false, &x);
}

static int wr(struct fx *f, uint32_t pasid, uint64_t addr)
{
	struct model_xlate x;

	return xl(f, pasid, addr, true, false, false, &x);
}

/* FL-only PASID entry with 4-level tables at f->fl. */
static void fl_entry(struct fx *f, uint64_t v2_flags)
{
	set_pe(f, PASID, pe0(MODEL_PGTT_FL, 0, 0), DID, f->fl | v2_flags);
}

static void fl_map(struct fx *f, int levels, uint64_t va, uint64_t pa, uint64_t size, uint64_t leaf)
{
	assert_int_equal(
		model_tb_map(f->u, f->fl, levels, true, va, pa, size, leaf, FL_TBL, 0, NULL), 0);
}

/* ---- PGTT = 100 pass-through, 010 second level ---- */

static void pgtt_pt_maps_address_to_itself(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	set_pe(f, 0, pe0(MODEL_PGTT_PT, 0, 0), DID, 0);
	assert_int_equal(xl(f, MODEL_NO_PASID, 0x123456789ULL, false, false, false, &x), 0);
	assert_int_equal(x.hpa, 0x123456789ULL);
}

static void pgtt_sl_4level_translates_request_without_pasid(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	set_pe(f, 0, pe0(MODEL_PGTT_SL, 2, f->sl), DID, 0);
	model_tb_map(f->u, f->sl, 4, false, 0x1000, f->data, 4096, SL_RW, SL_RW, 0, NULL);
	assert_int_equal(xl(f, MODEL_NO_PASID, 0x1234, false, false, false, &x), 0);
	assert_int_equal(x.hpa, f->data + 0x234);
	assert_int_equal(x.did, DID);
}

static void request_without_pasid_uses_rid_pasid_entry(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	f->ce[1] = 7; /* RID_PASID = 7 */
	set_ctx(f);
	set_pe(f, 7, pe0(MODEL_PGTT_PT, 0, 0), DID + 1, 0);
	assert_int_equal(xl(f, MODEL_NO_PASID, 0x5000, false, false, false, &x), 0);
	assert_int_equal(x.did, DID + 1);
}

static void pgtt_sl_3level_translates(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 1, f->sl), DID, 0);
	model_tb_map(f->u, f->sl, 3, false, 0x7FC0000000ULL, f->data, 4096, SL_RW, SL_RW, 0, NULL);
	assert_int_equal(xl(f, PASID, 0x7FC0000000ULL, false, false, false, &x), 0);
	assert_int_equal(x.hpa, f->data);
}

static void pgtt_sl_5level_translates(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;
	uint64_t iova = 0x0100000000000000ULL;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 3, f->sl), DID, 0);
	model_tb_map(f->u, f->sl, 5, false, iova, f->data, 4096, SL_RW, SL_RW, 0, NULL);
	assert_int_equal(xl(f, PASID, iova, false, false, false, &x), 0);
	assert_int_equal(x.hpa, f->data);
}

static void pgtt_sl_iova_beyond_aw_faults_0x83(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 1, f->sl), DID, 0);
	assert_int_equal(rd(f, PASID, 1ULL << 39), MODEL_FR_SM_ADDR_BEYOND_AW);
}

static void pgtt_sl_write_to_readonly_faults_0x85(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 2, f->sl), DID, 0);
	model_tb_map(f->u, f->sl, 4, false, 0x1000, f->data, 4096, MODEL_SL_R, SL_RW, 0, NULL);
	assert_int_equal(wr(f, PASID, 0x1000), MODEL_FR_SM_WRITE);
}

static void pgtt_sl_read_of_writeonly_faults_0x86(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 2, f->sl), DID, 0);
	model_tb_map(f->u, f->sl, 4, false, 0x1000, f->data, 4096, MODEL_SL_W, SL_RW, 0, NULL);
	assert_int_equal(rd(f, PASID, 0x1000), MODEL_FR_SM_READ);
}

static void pgtt_sl_not_present_faults_0x79(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 2, f->sl), DID, 0);
	assert_int_equal(rd(f, PASID, 0x1000), MODEL_FR_SM_SL_P);
}

static void pgtt_sl_reserved_bit_faults_0x7a(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 2, f->sl), DID, 0);
	model_mem_write64(f->u, f->sl, SL_RW | MODEL_SL_PS); /* PS in PML4E */
	assert_int_equal(rd(f, PASID, 0x1000), MODEL_FR_SM_SL_RSVD);
}

static void pgtt_sl_unbacked_root_faults_0x7b(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 2, 0x7000000000ULL), DID, 0);
	assert_int_equal(rd(f, PASID, 0x1000), MODEL_FR_SM_SLPTR_INV);
}

static void pgtt_sl_with_slade_sets_accessed_and_dirty(void **state)
{
	struct fx *f = *state;
	uint64_t leaf;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 2, f->sl) | MODEL_PE_SLADE, DID, 0);
	model_tb_map(f->u, f->sl, 4, false, 0x1000, f->data, 4096, SL_RW, SL_RW, 0, &leaf);
	assert_int_equal(wr(f, PASID, 0x1000), 0);
	assert_true(model_mem_read64(f->u, leaf) & MODEL_SL_A);
	assert_true(model_mem_read64(f->u, leaf) & MODEL_SL_D);
}

/* ---- PGTT = 001 first level ---- */

static void pgtt_fl_4level_translates(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	fl_entry(f, 0);
	fl_map(f, 4, VA, f->data, 4096, FL_RW_U);
	assert_int_equal(xl(f, PASID, VA + 0x88, false, false, false, &x), 0);
	assert_int_equal(x.hpa, f->data + 0x88);
}

static void pgtt_fl_5level_translates_57bit_address(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;
	uint64_t va = 0x00FF000000001000ULL;

	fl_entry(f, 1ULL << 2); /* FLPM = 5-level */
	fl_map(f, 5, va, f->data, 4096, FL_RW_U);
	assert_int_equal(xl(f, PASID, va, false, false, false, &x), 0);
	assert_int_equal(x.hpa, f->data);
}

static void pgtt_fl_5level_without_fl5lp_faults_0x5b(void **state)
{
	struct model_config c = model_cfg_scalable();
	struct fx *f;

	teardown(state);
	c.cap &= ~MODEL_CAP_FL5LP;
	setup_cfg(state, &c);
	f = *state;
	fl_entry(f, 1ULL << 2);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PE_INV);
}

static void fl_noncanonical_address_faults_0x80(void **state)
{
	struct fx *f = *state;

	fl_entry(f, 0);
	assert_int_equal(rd(f, PASID, 0x0000800000000000ULL), MODEL_FR_SM_NONCANONICAL);
}

static void fl_not_present_faults_0x71(void **state)
{
	struct fx *f = *state;

	fl_entry(f, 0);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_FL_P);
}

static void fl_ps_in_pml4e_faults_0x72(void **state)
{
	struct fx *f = *state;

	fl_entry(f, 0);
	model_mem_write64(f->u, f->fl + ((VA >> 39) & 0x1FF) * 8, FL_TBL | MODEL_FL_PS);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_FL_RSVD);
}

static void fl_1g_page_without_fl1gp_faults_0x72(void **state)
{
	struct model_config c = model_cfg_scalable();
	struct fx *f;

	teardown(state);
	c.cap &= ~MODEL_CAP_FL1GP;
	setup_cfg(state, &c);
	f = *state;
	fl_entry(f, 0);
	fl_map(f, 4, 0x40000000ULL, 0x80000000ULL, 1 << 30, FL_RW_U);
	assert_int_equal(rd(f, PASID, 0x40000000ULL), MODEL_FR_SM_FL_RSVD);
}

static void fl_unbacked_root_table_faults_0x73(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, pe0(MODEL_PGTT_FL, 0, 0), DID, 0x7000000000ULL);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_FLPTR_ACCESS);
}

static void fl_unbacked_lower_table_faults_0x70(void **state)
{
	struct fx *f = *state;

	fl_entry(f, 0);
	model_mem_write64(f->u, f->fl + ((VA >> 39) & 0x1FF) * 8, 0x7000000000ULL | FL_TBL);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_FL_ACCESS);
}

static void fl_2m_page_translates_offset(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	model_mem_map(f->u, 0x80000000ULL, 1 << 21);
	fl_entry(f, 0);
	fl_map(f, 4, 0x40000000ULL, 0x80000000ULL, 1 << 21, FL_RW_U);
	assert_int_equal(xl(f, PASID, 0x40012345ULL, false, false, false, &x), 0);
	assert_int_equal(x.hpa, 0x80012345ULL);
	assert_int_equal(x.page_size, 1 << 21);
}

static void fl_1g_page_translates_offset(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	fl_entry(f, 0);
	fl_map(f, 4, 0x40000000ULL, 0x80000000ULL, 1 << 30, FL_RW_U);
	assert_int_equal(xl(f, PASID, 0x41234567ULL, false, false, false, &x), 0);
	assert_int_equal(x.hpa, 0x81234567ULL);
	assert_int_equal(x.page_size, 1 << 30);
}

static void fl_user_write_to_readonly_faults_0x85(void **state)
{
	struct fx *f = *state;

	fl_entry(f, 0);
	fl_map(f, 4, VA, f->data, 4096, MODEL_FL_P | MODEL_FL_US);
	assert_int_equal(wr(f, PASID, VA), MODEL_FR_SM_WRITE);
}

static void fl_supervisor_write_to_readonly_without_wpe_succeeds(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	fl_entry(f, MODEL_PE_SRE);
	fl_map(f, 4, VA, f->data, 4096, MODEL_FL_P);
	assert_int_equal(xl(f, PASID, VA, true, true, false, &x), 0);
}

static void fl_supervisor_write_to_readonly_with_wpe_faults_0x85(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	fl_entry(f, MODEL_PE_SRE | MODEL_PE_WPE);
	fl_map(f, 4, VA, f->data, 4096, MODEL_FL_P);
	assert_int_equal(xl(f, PASID, VA, true, true, false, &x), MODEL_FR_SM_WRITE);
}

static void fl_user_access_to_supervisor_page_faults_0x81(void **state)
{
	struct fx *f = *state;

	fl_entry(f, 0);
	fl_map(f, 4, VA, f->data, 4096, MODEL_FL_P | MODEL_FL_RW);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_FL_US);
}

static void fl_execute_of_xd_page_faults_0x82(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	fl_entry(f, 0);
	fl_map(f, 4, VA, f->data, 4096, FL_RW_U | MODEL_FL_XD);
	assert_int_equal(xl(f, PASID, VA, false, false, true, &x), MODEL_FR_SM_FL_XD);
}

static void fl_privileged_request_without_sre_faults_0x5d(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	fl_entry(f, 0);
	fl_map(f, 4, VA, f->data, 4096, FL_RW_U);
	assert_int_equal(xl(f, PASID, VA, false, true, false, &x), MODEL_FR_SM_PE_SRE);
}

static void fl_read_sets_accessed_not_dirty(void **state)
{
	struct fx *f = *state;
	uint64_t leaf;

	fl_entry(f, 0);
	model_tb_map(f->u, f->fl, 4, true, VA, f->data, 4096, FL_RW_U, FL_TBL, 0, &leaf);
	rd(f, PASID, VA);
	assert_true(model_mem_read64(f->u, leaf) & MODEL_FL_A);
	assert_false(model_mem_read64(f->u, leaf) & MODEL_FL_D);
}

static void fl_read_sets_accessed_in_pml4e(void **state)
{
	struct fx *f = *state;

	fl_entry(f, 0);
	fl_map(f, 4, VA, f->data, 4096, FL_RW_U);
	rd(f, PASID, VA);
	assert_true(model_mem_read64(f->u, f->fl + ((VA >> 39) & 0x1FF) * 8) & MODEL_FL_A);
}

static void fl_write_sets_dirty(void **state)
{
	struct fx *f = *state;
	uint64_t leaf;

	fl_entry(f, 0);
	model_tb_map(f->u, f->fl, 4, true, VA, f->data, 4096, FL_RW_U, FL_TBL, 0, &leaf);
	wr(f, PASID, VA);
	assert_true(model_mem_read64(f->u, leaf) & MODEL_FL_D);
}

static void fl_write_after_cached_read_still_sets_dirty(void **state)
{
	struct fx *f = *state;
	uint64_t leaf;

	fl_entry(f, 0);
	model_tb_map(f->u, f->fl, 4, true, VA, f->data, 4096, FL_RW_U, FL_TBL, 0, &leaf);
	rd(f, PASID, VA);
	wr(f, PASID, VA);
	assert_true(model_mem_read64(f->u, leaf) & MODEL_FL_D);
}

static void fl_eafe_sets_extended_accessed(void **state)
{
	struct fx *f = *state;
	uint64_t leaf;

	fl_entry(f, MODEL_PE_EAFE);
	model_tb_map(f->u, f->fl, 4, true, VA, f->data, 4096, FL_RW_U, FL_TBL, 0, &leaf);
	rd(f, PASID, VA);
	assert_true(model_mem_read64(f->u, leaf) & MODEL_FL_EA);
}

/* ---- PGTT = 011 nested ---- */

/*
 * SL maps GPA [1 GiB, 2 GiB) to HPA [0, 1 GiB) with one 1-GiB page, so
 * every model frame is reachable at GPA = HPA + 1 GiB; FL tables hold GPAs.
 */
static void nested_setup(struct fx *f, uint64_t sl_perm)
{
	set_pe(f, PASID, pe0(MODEL_PGTT_NESTED, 2, f->sl), DID, f->fl + GPA_DELTA);
	assert_int_equal(model_tb_map(f->u, f->sl, 4, false, GPA_DELTA, 0, 1 << 30, sl_perm, SL_RW,
				      0, NULL),
			 0);
}

static void nested_fl_map(struct fx *f, uint64_t va, uint64_t gpa, uint64_t leaf)
{
	assert_int_equal(model_tb_map(f->u, f->fl, 4, true, va, gpa, 4096, leaf, FL_TBL, GPA_DELTA,
				      NULL),
			 0);
}

static void nested_translates_gva_through_fl_then_sl(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	nested_setup(f, SL_RW);
	nested_fl_map(f, VA, f->data + GPA_DELTA, FL_RW_U);
	assert_int_equal(xl(f, PASID, VA + 0x10, true, false, false, &x), 0);
	assert_int_equal(x.hpa, f->data + 0x10);
}

static void nested_final_gpa_on_sl_readonly_write_faults_0x85(void **state)
{
	struct fx *f = *state;
	uint64_t gpa2 = 0x80000000ULL; /* second SL page, read-only */

	nested_setup(f, SL_RW);
	model_tb_map(f->u, f->sl, 4, false, gpa2, f->data, 4096, MODEL_SL_R, SL_RW, 0, NULL);
	nested_fl_map(f, VA, gpa2, FL_RW_U);
	assert_int_equal(wr(f, PASID, VA), MODEL_FR_SM_WRITE);
}

static void nested_final_gpa_unmapped_in_sl_faults_0x79(void **state)
{
	struct fx *f = *state;

	nested_setup(f, SL_RW);
	nested_fl_map(f, VA, 0x90000000ULL, FL_RW_U);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_SL_P);
}

static void nested_fl_root_not_readable_in_sl_faults_0x75(void **state)
{
	struct fx *f = *state;

	nested_setup(f, MODEL_SL_W);
	nested_fl_map(f, VA, f->data + GPA_DELTA, FL_RW_U);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_NEST_FLPTR_READ);
}

static void nested_fl_lower_table_not_readable_in_sl_faults_0x76(void **state)
{
	struct fx *f = *state;
	uint64_t gpa_tbl = 0x80000000ULL; /* SL: write-only page */
	uint64_t pdpt = model_mem_alloc(f->u, 1);

	nested_setup(f, SL_RW);
	model_tb_map(f->u, f->sl, 4, false, gpa_tbl, pdpt, 4096, MODEL_SL_W, SL_RW, 0, NULL);
	model_mem_write64(f->u, f->fl + ((VA >> 39) & 0x1FF) * 8, gpa_tbl | FL_TBL);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_NEST_FL_READ);
}

static void nested_fl_table_gpa_beyond_sl_aw_faults_0x74(void **state)
{
	struct fx *f = *state;

	nested_setup(f, SL_RW);
	model_mem_write64(f->u, f->fl + ((VA >> 39) & 0x1FF) * 8, (1ULL << 49) | FL_TBL);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_NEST_FL_AW);
}

static void nested_accessed_update_on_sl_readonly_table_faults_0x77(void **state)
{
	struct fx *f = *state;

	nested_setup(f, MODEL_SL_R);
	nested_fl_map(f, VA, f->data + GPA_DELTA, FL_RW_U);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_NEST_FL_WRITE);
}

static void nested_without_ecap_nest_faults_0x5b(void **state)
{
	struct model_config c = model_cfg_scalable();
	struct fx *f;

	teardown(state);
	c.ecap &= ~MODEL_ECAP_NEST;
	setup_cfg(state, &c);
	f = *state;
	nested_setup(f, SL_RW);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PE_INV);
}

/* ---- PASID entry, PASID directory, context and root ---- */

static void pgtt_zero_faults_0x5b(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, MODEL_PE_P, DID, 0);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PE_INV);
}

static void pgtt_sl_with_unsupported_aw_faults_0x5b(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, pe0(MODEL_PGTT_SL, 4, f->sl), DID, 0);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PE_INV);
}

static void pasid_entry_not_present_faults_0x59(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, 0, 0, 0);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PE_P);
}

static void pasid_entry_reserved_bit_faults_0x5a(void **state)
{
	struct fx *f = *state;
	uint64_t pe[8] = { pe0(MODEL_PGTT_PT, 0, 0), DID, 0, 0, 1 };

	model_tb_pasid_entry(f->u, f->dir, PASID, pe);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PE_RSVD);
}

static void pasid_dir_entry_not_present_faults_0x51(void **state)
{
	struct fx *f = *state;

	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PDE_P);
}

static void pasid_dir_entry_reserved_bit_faults_0x52(void **state)
{
	struct fx *f = *state;

	model_mem_write64(f->u, f->dir + 8, f->data | MODEL_PDE_P | MODEL_BIT(5));
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PDE_RSVD);
}

static void pasid_dir_unbacked_faults_0x50(void **state)
{
	struct fx *f = *state;

	f->ce[0] = MODEL_SCE_P | MODEL_SCE_PASIDE | 0x7000000000ULL;
	set_ctx(f);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PDE_ACCESS);
}

static void pasid_table_unbacked_faults_0x58(void **state)
{
	struct fx *f = *state;

	model_mem_write64(f->u, f->dir + 8, 0x7000000000ULL | MODEL_PDE_P);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_PE_ACCESS);
}

static void pasid_beyond_pdts_faults_0x46(void **state)
{
	struct fx *f = *state;

	/* PDTS = 0: 128 directory entries cover PASIDs 0 .. 8191. */
	assert_int_equal(rd(f, 8192, VA), MODEL_FR_SM_PASID_RANGE);
}

static void request_with_pasid_and_paside_clear_faults_0x45(void **state)
{
	struct fx *f = *state;

	f->ce[0] &= ~MODEL_SCE_PASIDE;
	set_ctx(f);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_CTX_PASIDE);
}

static void translation_request_with_dte_clear_faults_0x44(void **state)
{
	struct fx *f = *state;
	struct model_req r = { .sid = SID, .pasid = PASID, .addr = VA, .ats = true };
	struct model_xlate x;

	f->ce[0] &= ~MODEL_SCE_DTE;
	set_ctx(f);
	assert_int_equal(model_translate(f->u, &r, &x), MODEL_FR_SM_CTX_DTE);
}

static void context_reserved_bit_faults_0x42(void **state)
{
	struct fx *f = *state;

	f->ce[2] = 1;
	set_ctx(f);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_CTX_RSVD);
}

static void context_not_present_faults_0x41(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;
	struct model_req r = { .sid = SID + 1, .pasid = PASID, .addr = VA };

	assert_int_equal(model_translate(f->u, &r, &x), MODEL_FR_SM_CTX_P);
}

static void context_table_unbacked_faults_0x40(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;
	struct model_req r = { .sid = 0x0500, .pasid = PASID, .addr = VA };

	model_mem_write64(f->u, f->root + 5 * 16, 0x7000000000ULL | MODEL_RE_P);
	assert_int_equal(model_translate(f->u, &r, &x), MODEL_FR_SM_CTX_ACCESS);
}

static void devfn_0x80_uses_upper_root_half_faults_0x39(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;
	struct model_req r = { .sid = 0x0280, .pasid = PASID, .addr = VA };

	/* Bus 2 has only its lower half (devfn < 0x80) present. */
	assert_int_equal(model_translate(f->u, &r, &x), MODEL_FR_SM_ROOT_P);
}

static void root_reserved_bit_faults_0x3a(void **state)
{
	struct fx *f = *state;

	model_mem_write64(f->u, f->root + 2 * 16, model_mem_read64(f->u, f->root + 32) | 0x10);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_ROOT_RSVD);
}

static void root_table_unbacked_faults_0x38(void **state)
{
	struct fx *f = *state;

	model_write64(f->u, MODEL_REG_RTADDR, 0x7000000000ULL | (1 << 10));
	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_TE | MODEL_GCMD_SRTP);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_ROOT_ACCESS);
}

static void reserved_ttm_faults_0x30(void **state)
{
	struct fx *f = *state;

	model_write64(f->u, MODEL_REG_RTADDR, f->root | (3 << 10));
	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_TE | MODEL_GCMD_SRTP);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_RTADDR_INV);
}

static void output_in_interrupt_range_faults_0x87(void **state)
{
	struct fx *f = *state;

	fl_entry(f, 0);
	fl_map(f, 4, VA, 0xFEE00000ULL, 4096, FL_RW_U);
	assert_int_equal(wr(f, PASID, VA), MODEL_FR_SM_INTR_ADDR);
}

static void fault_record_carries_pasid(void **state)
{
	struct fx *f = *state;
	uint32_t fro = (uint32_t)MODEL_CAP_FRO(model_read64(f->u, MODEL_REG_CAP));
	uint64_t hi;

	rd(f, PASID, VA);
	hi = model_read64(f->u, fro + 8);
	assert_true(hi & MODEL_FRCD_HI_PP);
	assert_int_equal(MODEL_FRCD_HI_PV(hi), PASID);
	assert_int_equal(MODEL_FRCD_HI_FR(hi), MODEL_FR_SM_PDE_P);
}

static void fpd_in_pasid_entry_suppresses_recording(void **state)
{
	struct fx *f = *state;

	set_pe(f, PASID, pe0(MODEL_PGTT_FL, 0, 0) | MODEL_PE_FPD, DID, f->fl);
	assert_int_equal(rd(f, PASID, VA), MODEL_FR_SM_FL_P);
	assert_false(model_read32(f->u, MODEL_REG_FSTS) & MODEL_FSTS_PPF);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(pgtt_pt_maps_address_to_itself),
		T(pgtt_sl_4level_translates_request_without_pasid),
		T(request_without_pasid_uses_rid_pasid_entry),
		T(pgtt_sl_3level_translates),
		T(pgtt_sl_5level_translates),
		T(pgtt_sl_iova_beyond_aw_faults_0x83),
		T(pgtt_sl_write_to_readonly_faults_0x85),
		T(pgtt_sl_read_of_writeonly_faults_0x86),
		T(pgtt_sl_not_present_faults_0x79),
		T(pgtt_sl_reserved_bit_faults_0x7a),
		T(pgtt_sl_unbacked_root_faults_0x7b),
		T(pgtt_sl_with_slade_sets_accessed_and_dirty),
		T(pgtt_fl_4level_translates),
		T(pgtt_fl_5level_translates_57bit_address),
		T(pgtt_fl_5level_without_fl5lp_faults_0x5b),
		T(fl_noncanonical_address_faults_0x80),
		T(fl_not_present_faults_0x71),
		T(fl_ps_in_pml4e_faults_0x72),
		T(fl_1g_page_without_fl1gp_faults_0x72),
		T(fl_unbacked_root_table_faults_0x73),
		T(fl_unbacked_lower_table_faults_0x70),
		T(fl_2m_page_translates_offset),
		T(fl_1g_page_translates_offset),
		T(fl_user_write_to_readonly_faults_0x85),
		T(fl_supervisor_write_to_readonly_without_wpe_succeeds),
		T(fl_supervisor_write_to_readonly_with_wpe_faults_0x85),
		T(fl_user_access_to_supervisor_page_faults_0x81),
		T(fl_execute_of_xd_page_faults_0x82),
		T(fl_privileged_request_without_sre_faults_0x5d),
		T(fl_read_sets_accessed_not_dirty),
		T(fl_read_sets_accessed_in_pml4e),
		T(fl_write_sets_dirty),
		T(fl_write_after_cached_read_still_sets_dirty),
		T(fl_eafe_sets_extended_accessed),
		T(nested_translates_gva_through_fl_then_sl),
		T(nested_final_gpa_on_sl_readonly_write_faults_0x85),
		T(nested_final_gpa_unmapped_in_sl_faults_0x79),
		T(nested_fl_root_not_readable_in_sl_faults_0x75),
		T(nested_fl_lower_table_not_readable_in_sl_faults_0x76),
		T(nested_fl_table_gpa_beyond_sl_aw_faults_0x74),
		T(nested_accessed_update_on_sl_readonly_table_faults_0x77),
		T(nested_without_ecap_nest_faults_0x5b),
		T(pgtt_zero_faults_0x5b),
		T(pgtt_sl_with_unsupported_aw_faults_0x5b),
		T(pasid_entry_not_present_faults_0x59),
		T(pasid_entry_reserved_bit_faults_0x5a),
		T(pasid_dir_entry_not_present_faults_0x51),
		T(pasid_dir_entry_reserved_bit_faults_0x52),
		T(pasid_dir_unbacked_faults_0x50),
		T(pasid_table_unbacked_faults_0x58),
		T(pasid_beyond_pdts_faults_0x46),
		T(request_with_pasid_and_paside_clear_faults_0x45),
		T(translation_request_with_dte_clear_faults_0x44),
		T(context_reserved_bit_faults_0x42),
		T(context_not_present_faults_0x41),
		T(context_table_unbacked_faults_0x40),
		T(devfn_0x80_uses_upper_root_half_faults_0x39),
		T(root_reserved_bit_faults_0x3a),
		T(root_table_unbacked_faults_0x38),
		T(reserved_ttm_faults_0x30),
		T(output_in_interrupt_range_faults_0x87),
		T(fault_record_carries_pasid),
		T(fpd_in_pasid_entry_suppresses_recording),
	};

	return cmocka_run_group_tests_name("model_scalable", tests, NULL, NULL);
}
