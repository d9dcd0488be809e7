// SPDX-License-Identifier: MIT
/*
 * test_iommu_pasid.c - scalable-mode context entries and PASID directory/tables
 * (iommu/pasid.c): SL, FL, nested and pass-through entries proven by DMA through the
 * VT-d reference model, their teardown and the PASID-cache/IOTLB flushes after it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/pasid.h"
#include "iommu/qi.h"
#include "iommu/root.h"
#include "iommu/slpt.h"
#include "iommu/vtd.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/iommu_test_setup.h"

#define SID   VTD_SID(0, 3, 0)
#define SID_U VTD_SID(2, 0x11, 0) /* devfn 0x88: the root entry's upper half */
#define DID   7
#define PASID 0x1234
#define FL_F  (MODEL_FL_P | MODEL_FL_RW | MODEL_FL_US)

struct fx {
	struct model_unit *m;
	struct vtd_unit u;
	struct vtd_slpt pt;
	struct vtd_pasid_dir d;
	hpa_t buf;
};

static struct fx fx;

static int setup_cfg(void **state, struct model_config c)
{
	memset(&fx, 0, sizeof(fx));
	fx.m = iommu_test_model_up(c);
	iommu_test_unit_up(&fx.u);
	assert_int_equal(vtd_slpt_init(&fx.pt, &fx.u), 0);
	assert_int_equal(vtd_pasid_dir_init(&fx.d, &fx.u), 0);
	fx.buf = 0x40000000;
	assert_int_equal(model_mem_map(fx.m, fx.buf, 4ull << 20), 0);
	assert_int_equal(vtd_ctx_set_scalable(&fx.u, SID, DID, fx.d.dir, fx.d.pdts, 0, NULL), 0);
	*state = &fx;
	return 0;
}

static int setup_sm(void **state)
{
	return setup_cfg(state, model_cfg_scalable());
}

static int setup_sm_no_fl(void **state)
{
	struct model_config c = model_cfg_scalable();

	c.ecap &= ~(MODEL_ECAP_FLTS | MODEL_ECAP_NEST);
	c.cap &= ~MODEL_CAP_FL5LP;
	return setup_cfg(state, c);
}

static int teardown(void **state)
{
	(void)state;
	vtd_pasid_dir_destroy(&fx.d);
	vtd_slpt_destroy(&fx.pt);
	iommu_test_unit_down(&fx.u);
	assert_int_equal(env_frames_live, 0);
	iommu_test_model_down(fx.m);
	return 0;
}

static int dma_read(uint16_t sid, uint32_t pasid, uint64_t addr, uint64_t *v)
{
	return env_dma(sid, pasid, addr, v, sizeof(*v), false);
}

static struct model_xlate xlate(uint16_t sid, uint32_t pasid, uint64_t addr)
{
	struct model_req r = { .sid = sid, .pasid = pasid, .addr = addr };
	struct model_xlate x;

	memset(&x, 0, sizeof(x));
	env_translate(&r, &x);
	return x;
}

/* FL tables in model memory: @in -> @out, 4 KiB, 4 levels; returns the FL root HPA. */
static hpa_t fl_tables(uint64_t in, uint64_t out, uint64_t delta)
{
	hpa_t root = model_mem_alloc(fx.m, 1);

	assert_int_equal(model_tb_map(fx.m, root, 4, true, in, out, 4096, FL_F, FL_F, delta, NULL),
			 0);
	return root;
}

static void field_accessors_put_each_field_where_the_spec_has_it(void **state)
{
	struct vtd_pasid_entry pe;

	(void)state;
	memset(&pe, 0, sizeof(pe));
	vtd_pe_set_p(&pe, true);
	vtd_pe_set_fpd(&pe, true);
	vtd_pe_set_aw(&pe, 2);
	vtd_pe_set_pgtt(&pe, VTD_PGTT_NESTED);
	vtd_pe_set_slade(&pe, true);
	vtd_pe_set_slptptr(&pe, 0x123456000);
	vtd_pe_set_did(&pe, 0xbeef);
	vtd_pe_set_pwsnp(&pe, true);
	vtd_pe_set_pgsnp(&pe, true);
	vtd_pe_set_sre(&pe, true);
	vtd_pe_set_flpm(&pe, 1);
	vtd_pe_set_wpe(&pe, true);
	vtd_pe_set_eafe(&pe, true);
	vtd_pe_set_flptr(&pe, 0xabcdef000);
	assert_true(pe.val[0] & MODEL_PE_P);
	assert_true(pe.val[0] & MODEL_PE_FPD);
	assert_int_equal(MODEL_PE_AW(pe.val[0]), 2);
	assert_int_equal(MODEL_PE_PGTT(pe.val[0]), MODEL_PGTT_NESTED);
	assert_true(pe.val[0] & MODEL_PE_SLADE);
	assert_int_equal(pe.val[0] & MODEL_PE_SLPTPTR, 0x123456000);
	assert_int_equal(pe.val[0] & MODEL_PE_RSVD0, 0);
	assert_int_equal(MODEL_PE_DID(pe.val[1]), 0xbeef);
	assert_true(pe.val[1] & MODEL_PE_PWSNP);
	assert_true(pe.val[1] & MODEL_PE_PGSNP);
	assert_true(pe.val[2] & MODEL_PE_SRE);
	assert_int_equal(MODEL_PE_FLPM(pe.val[2]), 1);
	assert_true(pe.val[2] & MODEL_PE_WPE);
	assert_true(pe.val[2] & MODEL_PE_EAFE);
	assert_int_equal(pe.val[2] & MODEL_PE_FLPTR, 0xabcdef000);
	assert_int_equal(pe.val[2] & MODEL_PE_RSVD2, 0);
	vtd_pe_set_pgtt(&pe, VTD_PGTT_SL);
	assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_SL);
	assert_int_equal(vtd_pe_did(&pe), 0xbeef);
}

static void directory_is_sized_from_pss_and_tables_come_on_demand(void **state)
{
	(void)state;
	assert_int_equal(fx.d.pasid_bits, 20);
	assert_int_equal(fx.d.entries, 1u << 14);
	assert_int_equal(fx.d.pdts, 7);
	assert_int_equal(fx.d.dir_frames, 32);
	assert_int_equal(fx.d.table_frames, 0);
	assert_int_equal(vtd_pasid_set_pt(&fx.u, &fx.d, 1, DID, 0), 0);
	assert_int_equal(vtd_pasid_set_pt(&fx.u, &fx.d, 63, DID, 0), 0);
	assert_int_equal(fx.d.table_frames, 1);
	assert_int_equal(vtd_pasid_set_pt(&fx.u, &fx.d, 64, DID, 0), 0);
	assert_int_equal(fx.d.table_frames, 2);
}

static void sl_entry_as_rid_pasid_translates_requests_without_pasid(void **state)
{
	uint64_t v = 0x5a5a, got = 0;

	(void)state;
	model_mem_write64(fx.m, fx.buf + 0x18, v);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x8000, fx.buf, 0x1000, VTD_SL_R | VTD_SL_W), 0);
	assert_int_equal(vtd_pasid_set_sl(&fx.u, &fx.d, 0, DID, &fx.pt, 0), 0);
	assert_int_equal(dma_read(SID, MODEL_NO_PASID, 0x8018, &got), 0);
	assert_int_equal(got, v);
}

static void sl_entry_translates_requests_with_pasid(void **state)
{
	uint64_t v = 0x77, got = 0;

	(void)state;
	model_mem_write64(fx.m, fx.buf + 0x2000, v);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x200000, fx.buf, 0x200000, VTD_SL_R), 0);
	assert_int_equal(vtd_pasid_set_sl(&fx.u, &fx.d, PASID, DID, &fx.pt, 0), 0);
	assert_int_equal(dma_read(SID, PASID, 0x202000, &got), 0);
	assert_int_equal(got, v);
	assert_int_equal(dma_read(SID, PASID + 1, 0x202000, &got), MODEL_FR_SM_PE_P);
}

static void upper_half_devfn_uses_upper_root_entry(void **state)
{
	uint64_t got;

	(void)state;
	assert_int_equal(vtd_ctx_set_scalable(&fx.u, SID_U, DID, fx.d.dir, fx.d.pdts, 0, NULL), 0);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x8000, fx.buf, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vtd_pasid_set_sl(&fx.u, &fx.d, 0, DID, &fx.pt, 0), 0);
	assert_int_equal(dma_read(SID_U, MODEL_NO_PASID, 0x8000, &got), 0);
	assert_int_equal(dma_read(VTD_SID(2, 0x10, 0), MODEL_NO_PASID, 0x8000, &got),
			 MODEL_FR_SM_CTX_P);
}

static void fl_entry_translates_through_first_level_tables(void **state)
{
	uint64_t v = 0xf1f1, got = 0;
	hpa_t fl = fl_tables(0x7000, fx.buf + 0x3000, 0);

	(void)state;
	model_mem_write64(fx.m, fx.buf + 0x3008, v);
	assert_int_equal(vtd_pasid_set_fl(&fx.u, &fx.d, PASID, DID, fl, 4, 0), 0);
	assert_int_equal(dma_read(SID, PASID, 0x7008, &got), 0);
	assert_int_equal(got, v);
}

static void fl_entry_carries_aw_of_its_paging_mode(void **state)
{
	struct vtd_pasid_entry pe;

	(void)state;
	/* §9.6 AW: 2 = 48-bit for 4-level, 3 = 57-bit for 5-level FL paging (QEMU's FL width) */
	assert_int_equal(vtd_pasid_set_fl(&fx.u, &fx.d, PASID, DID, 0x1000, 4, 0), 0);
	assert_int_equal(vtd_pasid_entry_get(&fx.d, PASID, &pe), 0);
	assert_int_equal(MODEL_PE_AW(pe.val[0]), 2);
	assert_int_equal(vtd_pasid_set_fl(&fx.u, &fx.d, PASID + 1, DID, 0x1000, 5, 0), 0);
	assert_int_equal(vtd_pasid_entry_get(&fx.d, PASID + 1, &pe), 0);
	assert_int_equal(MODEL_PE_AW(pe.val[0]), 3);
}

static void nested_entry_carries_aw_of_its_sl_tables(void **state)
{
	struct vtd_pasid_entry pe;

	(void)state;
	assert_int_equal(vtd_pasid_set_nested(&fx.u, &fx.d, PASID, DID, 0x1000, 5, &fx.pt, 0), 0);
	assert_int_equal(vtd_pasid_entry_get(&fx.d, PASID, &pe), 0);
	assert_int_equal(MODEL_PE_AW(pe.val[0]), fx.pt.levels - 2);
}

static void nested_entry_walks_fl_by_gpa_then_sl(void **state)
{
	uint64_t v = 0x4e57, got = 0;
	const uint64_t delta = 0x100000000ull; /* GPA = HPA + 4 GiB for FL tables */
	hpa_t fl_root;

	(void)state;
	/* FL: GVA 0x7000 -> GPA 0x80000000; its tables are reached by GPA (HPA + delta) */
	fl_root = model_mem_alloc(fx.m, 1);
	assert_int_equal(model_tb_map(fx.m, fl_root, 4, true, 0x7000, 0x80000000, 4096, FL_F, FL_F,
				      delta, NULL),
			 0);
	/* SL: GPA of model memory (tables) -> HPA, and GPA 0x80000000 -> buf */
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x100000 + delta, 0x100000, 64ull << 20,
				      VTD_SL_R | VTD_SL_W),
			 0);
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x80000000, fx.buf, 0x1000, VTD_SL_R | VTD_SL_W), 0);
	model_mem_write64(fx.m, fx.buf + 0x10, v);
	assert_int_equal(
		vtd_pasid_set_nested(&fx.u, &fx.d, PASID, DID, fl_root + delta, 4, &fx.pt, 0), 0);
	assert_int_equal(dma_read(SID, PASID, 0x7010, &got), 0);
	assert_int_equal(got, v);
}

static void pt_entry_passes_hpa_through(void **state)
{
	uint64_t got = 0;

	(void)state;
	model_mem_write64(fx.m, fx.buf + 0x40, 99);
	assert_int_equal(vtd_pasid_set_pt(&fx.u, &fx.d, PASID, DID, 0), 0);
	assert_int_equal(dma_read(SID, PASID, fx.buf + 0x40, &got), 0);
	assert_int_equal(got, 99);
}

static void set_on_present_entry_is_busy(void **state)
{
	(void)state;
	assert_int_equal(vtd_pasid_set_pt(&fx.u, &fx.d, PASID, DID, 0), 0);
	assert_int_equal(vtd_pasid_set_sl(&fx.u, &fx.d, PASID, DID, &fx.pt, 0), -EBUSY);
}

static void set_rejects_pasid_beyond_width_and_bad_options(void **state)
{
	(void)state;
	assert_int_equal(vtd_pasid_set_pt(&fx.u, &fx.d, 1u << 20, DID, 0), -EINVAL);
	assert_int_equal(vtd_pasid_set_sl(&fx.u, &fx.d, 1, DID, &fx.pt, VTD_PASID_SRE), -EINVAL);
	assert_int_equal(vtd_pasid_set_fl(&fx.u, &fx.d, 1, DID, 0x1000, 3, 0), -EINVAL);
	assert_int_equal(vtd_pasid_set_fl(&fx.u, &fx.d, 1, DID, 0x1001, 4, 0), -EINVAL);
}

static void fl_and_nested_refused_without_flts_and_nest(void **state)
{
	(void)state;
	assert_int_equal(vtd_pasid_set_fl(&fx.u, &fx.d, 1, DID, 0x1000, 4, 0), -EOPNOTSUPP);
	assert_int_equal(vtd_pasid_set_fl(&fx.u, &fx.d, 1, DID, 0x1000, 5, 0), -EOPNOTSUPP);
	assert_int_equal(vtd_pasid_set_nested(&fx.u, &fx.d, 1, DID, 0x1000, 4, &fx.pt, 0),
			 -EOPNOTSUPP);
}

static void clear_sl_entry_flushes_pasid_cache_and_iotlb(void **state)
{
	uint64_t got;
	struct model_xlate x;

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x8000, fx.buf, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vtd_pasid_set_sl(&fx.u, &fx.d, PASID, DID, &fx.pt, 0), 0);
	assert_int_equal(dma_read(SID, PASID, 0x8000, &got), 0);
	assert_int_equal(vtd_pasid_clear(&fx.u, &fx.d, PASID, SID, NULL), 0);
	x = xlate(SID, PASID, 0x8000);
	assert_false(x.stale);
	assert_int_equal(x.fault, MODEL_FR_SM_PE_P);
	assert_int_equal(vtd_pasid_clear(&fx.u, &fx.d, PASID, SID, NULL), -ENOENT);
}

static void clear_fl_entry_flushes_p_iotlb(void **state)
{
	uint64_t got;
	struct model_xlate x;
	hpa_t fl = fl_tables(0x7000, fx.buf, 0);

	(void)state;
	assert_int_equal(vtd_pasid_set_fl(&fx.u, &fx.d, PASID, DID, fl, 4, 0), 0);
	assert_int_equal(dma_read(SID, PASID, 0x7000, &got), 0);
	assert_int_equal(vtd_pasid_clear(&fx.u, &fx.d, PASID, SID, NULL), 0);
	x = xlate(SID, PASID, 0x7000);
	assert_false(x.stale);
	assert_int_equal(x.fault, MODEL_FR_SM_PE_P);
}

static void entry_changed_without_flush_is_stale_in_model(void **state)
{
	uint64_t got;
	struct vtd_pasid_entry pe;
	struct model_xlate x;

	(void)state;
	/* The negative control: the model sees a PASID-entry change nobody flushed. */
	assert_int_equal(vtd_pasid_set_pt(&fx.u, &fx.d, PASID, DID, 0), 0);
	assert_int_equal(dma_read(SID, PASID, fx.buf, &got), 0);
	vtd_pasid_entry_get(&fx.d, PASID, &pe);
	assert_true(vtd_pe_present(&pe));
	{
		/* flip P behind the driver's back */
		struct vtd_pasid_entry *live;
		uint64_t *dir = iommu_env_hpa_to_va(fx.d.dir);

		live = (struct vtd_pasid_entry *)iommu_env_hpa_to_va(dir[PASID >> 6] & ~0xfffull) +
		       (PASID & 63);
		live->val[0] &= ~VTD_PE_0_P;
	}
	x = xlate(SID, PASID, fx.buf);
	assert_true(x.stale);
}

static void replacing_sl_with_fl_gives_fresh_translation(void **state)
{
	uint64_t got;
	struct model_xlate x;
	hpa_t fl = fl_tables(0x8000, fx.buf + 0x5000, 0);

	(void)state;
	assert_int_equal(vtd_slpt_map(&fx.pt, 0x8000, fx.buf, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vtd_pasid_set_sl(&fx.u, &fx.d, PASID, DID, &fx.pt, 0), 0);
	assert_int_equal(dma_read(SID, PASID, 0x8000, &got), 0);
	assert_int_equal(vtd_pasid_clear(&fx.u, &fx.d, PASID, SID, NULL), 0);
	assert_int_equal(vtd_pasid_set_fl(&fx.u, &fx.d, PASID, DID + 1, fl, 4, 0), 0);
	x = xlate(SID, PASID, 0x8000);
	assert_false(x.stale);
	assert_int_equal(x.fault, 0);
	assert_int_equal(x.hpa, fx.buf + 0x5000);
}

static void context_replace_flushes_old_pasid_directory(void **state)
{
	struct vtd_pasid_dir d2;
	uint64_t got;
	struct model_xlate x;

	(void)state;
	assert_int_equal(vtd_pasid_set_pt(&fx.u, &fx.d, PASID, DID, 0), 0);
	assert_int_equal(dma_read(SID, PASID, fx.buf, &got), 0);
	assert_int_equal(vtd_pasid_dir_init(&d2, &fx.u), 0);
	assert_int_equal(vtd_ctx_set_scalable(&fx.u, SID, DID, d2.dir, d2.pdts, 0, NULL), 0);
	x = xlate(SID, PASID, fx.buf);
	assert_false(x.stale);
	assert_int_equal(x.fault, MODEL_FR_SM_PDE_P);
	assert_int_equal(vtd_ctx_set_scalable(&fx.u, SID, DID, fx.d.dir, fx.d.pdts, 0, NULL), 0);
	vtd_pasid_dir_destroy(&d2);
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(field_accessors_put_each_field_where_the_spec_has_it),
		T(directory_is_sized_from_pss_and_tables_come_on_demand, setup_sm),
		T(sl_entry_as_rid_pasid_translates_requests_without_pasid, setup_sm),
		T(sl_entry_translates_requests_with_pasid, setup_sm),
		T(upper_half_devfn_uses_upper_root_entry, setup_sm),
		T(fl_entry_translates_through_first_level_tables, setup_sm),
		T(fl_entry_carries_aw_of_its_paging_mode, setup_sm),
		T(nested_entry_carries_aw_of_its_sl_tables, setup_sm),
		T(nested_entry_walks_fl_by_gpa_then_sl, setup_sm),
		T(pt_entry_passes_hpa_through, setup_sm),
		T(set_on_present_entry_is_busy, setup_sm),
		T(set_rejects_pasid_beyond_width_and_bad_options, setup_sm_no_fl),
		T(fl_and_nested_refused_without_flts_and_nest, setup_sm_no_fl),
		T(clear_sl_entry_flushes_pasid_cache_and_iotlb, setup_sm),
		T(clear_fl_entry_flushes_p_iotlb, setup_sm),
		T(entry_changed_without_flush_is_stale_in_model, setup_sm),
		T(replacing_sl_with_fl_gives_fresh_translation, setup_sm),
		T(context_replace_flushes_old_pasid_directory, setup_sm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
