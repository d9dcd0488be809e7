// SPDX-License-Identifier: MIT
/* hv/vmx_caps.c: decoding the VMX capability MSRs (SDM Vol. 3D Appendix A). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "hv/vmx_caps.h"

/* Shaped like a Tiger Lake's (and Bochs's tigerlake model): revision 4, 1-KiB region,
 * WB, TRUE controls; secondary with EPT, VPID, unrestricted guest. */
static const struct vmx_cap_msrs tigerlake = {
	.basic = 0x00da040000000004ull,
	.pinbased = 0x0000007f00000016ull,
	.true_pinbased = 0x0000007f00000016ull,
	.procbased = 0xfff9fffe0401e172ull,
	.true_procbased = 0xfff9fffe04006172ull,
	.exit = 0x01ffffff00036dffull,
	.true_exit = 0x01ffffff00036dfbull,
	.entry = 0x0003ffff000011ffull,
	.true_entry = 0x0003ffff000011fbull,
	.procbased2 = 0x005fffbf00000000ull,
	.ept_vpid = 0x00000f0106734141ull,
};

static void revision_and_region_size_come_from_basic(void **state)
{
	struct vmx_caps c;

	vmx_caps_decode(&tigerlake, &c);
	assert_int_equal(c.revision, 4);
	assert_int_equal(c.vmcs_size, 1024);
	assert_int_equal(c.memtype, 6);
	assert_true(c.true_ctls);
}

static void true_msrs_give_allowed0_when_basic_bit55(void **state)
{
	struct vmx_caps c;

	vmx_caps_decode(&tigerlake, &c);
	assert_int_equal(c.proc.allowed0, 0x04006172);
}

static void legacy_msrs_are_used_without_bit55(void **state)
{
	struct vmx_cap_msrs m = tigerlake;
	struct vmx_caps c;

	m.basic &= ~VMX_BASIC_TRUE_CTLS;
	vmx_caps_decode(&m, &c);
	assert_false(c.true_ctls);
	assert_int_equal(c.proc.allowed0, 0x0401e172);
}

static void secondary_features_are_decoded(void **state)
{
	struct vmx_caps c;

	vmx_caps_decode(&tigerlake, &c);
	assert_true(c.secondary);
	assert_true(c.ept);
	assert_true(c.vpid);
	assert_true(c.unrestricted);
	assert_false(c.pasid_translation);
}

static void no_secondary_controls_means_no_ept(void **state)
{
	struct vmx_cap_msrs m = tigerlake;
	struct vmx_caps c;

	m.true_procbased &= ~((uint64_t)VMX_PROC_ACTIVATE_SECONDARY << 32);
	vmx_caps_decode(&m, &c);
	assert_false(c.secondary);
	assert_false(c.ept);
	assert_int_equal(c.ept_vpid, 0);
}

static void pasid_translation_is_bit_21_of_secondary(void **state)
{
	struct vmx_cap_msrs m = tigerlake;
	struct vmx_caps c;

	m.procbased2 |= (uint64_t)VMX_PROC2_PASID_TRANSLATION << 32;
	vmx_caps_decode(&m, &c);
	assert_true(c.pasid_translation);
}

static void adjust_sets_required_and_reports_missing(void **state)
{
	struct vmx_ctl_cap cap = { .allowed0 = 0x16, .allowed1 = 0x7f };
	uint32_t out;

	assert_true(vmx_ctl_adjust(&cap, 0x1, &out));
	assert_int_equal(out, 0x17);
	assert_false(vmx_ctl_adjust(&cap, 0x80, &out));
	assert_int_equal(out, 0x16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(revision_and_region_size_come_from_basic),
		cmocka_unit_test(true_msrs_give_allowed0_when_basic_bit55),
		cmocka_unit_test(legacy_msrs_are_used_without_bit55),
		cmocka_unit_test(secondary_features_are_decoded),
		cmocka_unit_test(no_secondary_controls_means_no_ept),
		cmocka_unit_test(pasid_translation_is_bit_21_of_secondary),
		cmocka_unit_test(adjust_sets_required_and_reports_missing),
	};

	return cmocka_run_group_tests_name("vmx_caps", tests, NULL, NULL);
}
