// SPDX-License-Identifier: MIT
/*
 * test_cpuid_guest.c - hv/cpuid_guest.h: the bits the guest's CPUID changes (SDM Vol. 2A
 * CPUID): leaf 1 VMX off, the hypervisor bit on and OSXSAVE from the guest's CR4 (not
 * the hypervisor's), leaf 7 subleaf 0 FSRM off (the Linux
 * 6.1 memmove() runaway when a guest keeps FSRM but drops ERMS), the rest untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hv/cpuid_guest.h"

static const struct cpuid_regs all = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };

static void test_leaf1_vmx_hidden_hypervisor_set(void **state)
{
	struct cpuid_regs c = all, z = { 0, 0, 0, 0 };

	(void)state;
	cpuid_guest_filter(1, 0, CPUID_CR4_OSXSAVE, &c);
	assert_int_equal(c.ecx, 0xffffffffu & ~(uint32_t)CPUID_1_ECX_VMX);
	assert_int_equal(c.eax, all.eax);
	assert_int_equal(c.ebx, all.ebx);
	assert_int_equal(c.edx, all.edx);
	cpuid_guest_filter(1, 0, 0, &z);
	assert_int_equal(z.ecx, CPUID_1_ECX_HYPERVISOR);
}

/* The hypervisor runs with CR4.OSXSAVE set; the guest's own CR4 decides the bit. */
static void test_leaf1_osxsave_follows_guest_cr4(void **state)
{
	struct cpuid_regs c = all, z = { 0, 0, 0, 0 };

	(void)state;
	cpuid_guest_filter(1, 0, ~(uint64_t)CPUID_CR4_OSXSAVE, &c);
	assert_false(c.ecx & CPUID_1_ECX_OSXSAVE);
	assert_true(c.ecx & CPUID_1_ECX_HYPERVISOR);
	cpuid_guest_filter(1, 0, CPUID_CR4_OSXSAVE, &z);
	assert_true(z.ecx & CPUID_1_ECX_OSXSAVE);
}

static void test_leaf7_fsrm_hidden_erms_kept(void **state)
{
	struct cpuid_regs c = all;

	(void)state;
	cpuid_guest_filter(7, 0, 0, &c);
	assert_int_equal(c.edx, 0xffffffffu & ~(uint32_t)CPUID_7_EDX_FSRM);
	assert_true(c.ebx & CPUID_7_EBX_ERMS);
	assert_int_equal(c.eax, all.eax);
	assert_int_equal(c.ebx, all.ebx);
	assert_int_equal(c.ecx, all.ecx);
}

static void test_other_leaves_untouched(void **state)
{
	static const uint32_t leaves[][2] = { { 0, 0 },	  { 7, 1 },   { 7, 2 },
					      { 0xd, 0 }, { 0xd, 1 }, { 0x80000001u, 0 } };

	(void)state;
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct cpuid_regs c = all;

		cpuid_guest_filter(leaves[i][0], leaves[i][1], 0, &c);
		assert_memory_equal(&c, &all, sizeof(c));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf1_vmx_hidden_hypervisor_set),
		cmocka_unit_test(test_leaf1_osxsave_follows_guest_cr4),
		cmocka_unit_test(test_leaf7_fsrm_hidden_erms_kept),
		cmocka_unit_test(test_other_leaves_untouched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
