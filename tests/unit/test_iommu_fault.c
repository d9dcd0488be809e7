// SPDX-License-Identifier: MIT
/*
 * test_iommu_fault.c - primary fault log (iommu/fault.c) read from the VT-d reference
 * model's fault recording registers: decode, F cleared, PFO overflow, rate limit.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/fault.h"
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "iommu/vtd.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/iommu_test_setup.h"

struct fx {
	struct model_unit *m;
	struct vtd_unit u;
	struct vtd_fault got[64];
	unsigned int n;
};

static struct fx fx;

static int setup_cfg(void **state, struct model_config c)
{
	memset(&fx, 0, sizeof(fx));
	fx.m = iommu_test_model_up(c);
	iommu_test_unit_up(&fx.u);
	*state = &fx;
	return 0;
}

static int setup_legacy(void **state)
{
	return setup_cfg(state, model_cfg_legacy());
}

static int setup_sm(void **state)
{
	return setup_cfg(state, model_cfg_scalable());
}

static int teardown(void **state)
{
	(void)state;
	iommu_test_unit_down(&fx.u);
	iommu_test_model_down(fx.m);
	return 0;
}

static void collect(void *ctx, const struct vtd_unit *u, const struct vtd_fault *f)
{
	struct fx *x = ctx;

	(void)u;
	if (x->n < 64)
		x->got[x->n] = *f;
	x->n++;
}

static void fault(uint16_t sid, uint32_t pasid, uint64_t addr, bool write)
{
	uint64_t v = 0;

	assert_true(env_dma(sid, pasid, addr, &v, sizeof(v), write) > 0);
}

static void every_model_fault_reason_has_a_name(void **state)
{
	static const unsigned int codes[] = { MODEL_FR_ROOT_P,
					      MODEL_FR_CTX_P,
					      MODEL_FR_CTX_INV,
					      MODEL_FR_ADDR_BEYOND_AW,
					      MODEL_FR_WRITE,
					      MODEL_FR_READ,
					      MODEL_FR_SL_ACCESS,
					      MODEL_FR_ROOT_ACCESS,
					      MODEL_FR_CTX_ACCESS,
					      MODEL_FR_ROOT_RSVD,
					      MODEL_FR_CTX_RSVD,
					      MODEL_FR_SL_RSVD,
					      MODEL_FR_TT_BLOCKED,
					      MODEL_FR_SM_RTADDR_INV,
					      MODEL_FR_SM_TTM0_PASID,
					      MODEL_FR_SM_TTM0_PRQ,
					      MODEL_FR_SM_ROOT_ACCESS,
					      MODEL_FR_SM_ROOT_P,
					      MODEL_FR_SM_ROOT_RSVD,
					      MODEL_FR_SM_CTX_ACCESS,
					      MODEL_FR_SM_CTX_P,
					      MODEL_FR_SM_CTX_RSVD,
					      MODEL_FR_SM_CTX_INV,
					      MODEL_FR_SM_CTX_DTE,
					      MODEL_FR_SM_CTX_PASIDE,
					      MODEL_FR_SM_PASID_RANGE,
					      MODEL_FR_SM_CTX_PRE,
					      MODEL_FR_SM_RID_PASID,
					      MODEL_FR_SM_PDE_ACCESS,
					      MODEL_FR_SM_PDE_P,
					      MODEL_FR_SM_PDE_RSVD,
					      MODEL_FR_SM_PE_ACCESS,
					      MODEL_FR_SM_PE_P,
					      MODEL_FR_SM_PE_RSVD,
					      MODEL_FR_SM_PE_INV,
					      MODEL_FR_SM_PE_ERE,
					      MODEL_FR_SM_PE_SRE,
					      MODEL_FR_SM_FL_ACCESS,
					      MODEL_FR_SM_FL_P,
					      MODEL_FR_SM_FL_RSVD,
					      MODEL_FR_SM_FLPTR_ACCESS,
					      MODEL_FR_SM_NEST_FL_AW,
					      MODEL_FR_SM_NEST_FLPTR_READ,
					      MODEL_FR_SM_NEST_FL_READ,
					      MODEL_FR_SM_NEST_FL_WRITE,
					      MODEL_FR_SM_SL_ACCESS,
					      MODEL_FR_SM_SL_P,
					      MODEL_FR_SM_SL_RSVD,
					      MODEL_FR_SM_SLPTR_INV,
					      MODEL_FR_SM_NONCANONICAL,
					      MODEL_FR_SM_FL_US,
					      MODEL_FR_SM_FL_XD,
					      MODEL_FR_SM_ADDR_BEYOND_AW,
					      MODEL_FR_SM_SL_OUT_AW,
					      MODEL_FR_SM_WRITE,
					      MODEL_FR_SM_READ,
					      MODEL_FR_SM_INTR_ADDR,
					      MODEL_FR_SM_FL_AD_NOSNOOP };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_string_not_equal(vtd_fault_reason_name(codes[i]), "unknown fault reason");
	assert_string_equal(vtd_fault_reason_name(0xee), "unknown fault reason");
}

static void decode_reads_every_field_of_a_record(void **state)
{
	struct vtd_fault f;
	uint64_t hi = 0x0310 | (0x86ull << 32) | MODEL_FRCD_HI_PP | (0x1234ull << 40) |
		      MODEL_FRCD_HI_PRIV | MODEL_FRCD_HI_EXE | MODEL_FRCD_HI_F;

	(void)state;
	assert_true(vtd_fault_decode(0x7654321abcull, hi, &f));
	assert_int_equal(f.addr, 0x7654321000ull);
	assert_int_equal(f.sid, 0x0310);
	assert_int_equal(f.reason, 0x86);
	assert_true(f.write); /* T = 0 */
	assert_true(f.has_pasid);
	assert_int_equal(f.pasid, 0x1234);
	assert_true(f.priv);
	assert_true(f.exec);
	assert_false(vtd_fault_decode(0, hi & ~MODEL_FRCD_HI_F, &f));
}

static void legacy_fault_is_decoded_logged_and_cleared(void **state)
{
	(void)state;
	fault(0x0018, MODEL_NO_PASID, 0x12345678, false);
	assert_true(model_read32(fx.m, MODEL_REG_FSTS) & MODEL_FSTS_PPF);
	assert_int_equal(vtd_fault_process(&fx.u, collect, &fx), 1);
	assert_int_equal(fx.n, 1);
	assert_int_equal(fx.got[0].sid, 0x0018);
	assert_int_equal(fx.got[0].reason, MODEL_FR_ROOT_P);
	assert_int_equal(fx.got[0].addr, 0x12345000);
	assert_false(fx.got[0].write);
	assert_false(fx.got[0].has_pasid);
	assert_true(env_log_contains("root entry not present"));
	assert_true(env_log_contains("00:03.0"));
	assert_int_equal(model_read32(fx.m, MODEL_REG_FSTS) & MODEL_FSTS_PPF, 0);
	assert_int_equal(vtd_fault_process(&fx.u, collect, &fx), 0);
}

static void scalable_fault_carries_pasid(void **state)
{
	struct vtd_pasid_dir d;

	(void)state;
	assert_int_equal(vtd_pasid_dir_init(&d, &fx.u), 0);
	assert_int_equal(vtd_ctx_set_scalable(&fx.u, 0x0020, 1, d.dir, d.pdts, 0, NULL), 0);
	fault(0x0020, 0x55, 0x4000, true);
	assert_int_equal(vtd_fault_process(&fx.u, collect, &fx), 1);
	assert_int_equal(fx.got[0].reason, MODEL_FR_SM_PDE_P);
	assert_true(fx.got[0].has_pasid);
	assert_int_equal(fx.got[0].pasid, 0x55);
	assert_true(fx.got[0].write);
	assert_true(env_log_contains("PASID 0x55"));
	assert_true(env_log_contains("PASID directory entry not present"));
	vtd_pasid_dir_destroy(&d);
}

static void records_are_read_in_order_from_fri_after_wrap(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++)
		fault(0x0008, MODEL_NO_PASID, 0x1000 * (i + 1), false);
	assert_int_equal(vtd_fault_process(&fx.u, NULL, NULL), 5);
	for (i = 0; i < 6; i++) /* records 5, 6, 7, 0, 1, 2 */
		fault(0x0008, MODEL_NO_PASID, 0x10000 * (i + 1), false);
	assert_int_equal(vtd_fault_process(&fx.u, collect, &fx), 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(fx.got[i].addr, 0x10000 * (i + 1));
	assert_int_equal(fx.got[0].index, 5);
}

static void overflow_is_reported_and_cleared(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 9; i++) /* NFR = 8 */
		fault(0x0008, MODEL_NO_PASID, 0x1000, false);
	assert_true(model_read32(fx.m, MODEL_REG_FSTS) & MODEL_FSTS_PFO);
	assert_int_equal(vtd_fault_process(&fx.u, NULL, NULL), 8);
	assert_int_equal(fx.u.flog.overflows, 1);
	assert_true(env_log_contains("FSTS.PFO"));
	assert_int_equal(model_read32(fx.m, MODEL_REG_FSTS) & (MODEL_FSTS_PFO | MODEL_FSTS_PPF), 0);
	/* recording works again */
	fault(0x0008, MODEL_NO_PASID, 0x1000, false);
	assert_int_equal(vtd_fault_process(&fx.u, NULL, NULL), 1);
}

static void fault_storm_logging_is_rate_limited(void **state)
{
	unsigned int r, i;

	(void)state;
	for (r = 0; r < 3; r++) {
		for (i = 0; i < 8; i++)
			fault(0x0008, MODEL_NO_PASID, 0x1000, false);
		assert_int_equal(vtd_fault_process(&fx.u, NULL, NULL), 8);
	}
	assert_int_equal(fx.u.flog.records, 24);
	assert_int_equal(fx.u.flog.logged, VTD_FAULT_LOG_PER_SEC);
	assert_int_equal(fx.u.flog.suppressed, 24 - VTD_FAULT_LOG_PER_SEC);
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_model_fault_reason_has_a_name),
		cmocka_unit_test(decode_reads_every_field_of_a_record),
		T(legacy_fault_is_decoded_logged_and_cleared, setup_legacy),
		T(scalable_fault_carries_pasid, setup_sm),
		T(records_are_read_in_order_from_fri_after_wrap, setup_legacy),
		T(overflow_is_reported_and_cleared, setup_legacy),
		T(fault_storm_logging_is_rate_limited, setup_legacy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
