// SPDX-License-Identifier: MIT
/*
 * test_vsva_xlate.c - the VMCS PASID-translation structure (hv/pasid_xlate.c) in the
 * SDM's format, read back as the CPU walks it, and the host PASID space
 * (hv/pasid_space.c): ranges, defunct PASIDs, exhaustion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guest/include/vsva_hv.h"
#include "hv/pasid_space.h"
#include "hv/pasid_xlate.h"
#include "iommu/iommu_env.h"
#include "tests/unit/support/iommu_env_model.h"

static struct model_unit *m;

static int setup(void **state)
{
	struct model_config c = model_cfg_scalable();

	(void)state;
	m = model_create(&c);
	env_attach(m);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(env_frames_live, 0);
	env_detach();
	model_destroy(m);
	return 0;
}

/* The CPU's walk, written from the SDM layout, apart from pasid_xlate_lookup(). */
static uint32_t cpu_entry(const struct pasid_xlate *x, uint32_t gpasid)
{
	const uint64_t *dir = iommu_env_hpa_to_va(x->dir[(gpasid >> 19) & 1]);
	uint64_t de = dir[(gpasid >> 10) & 0x1ff];
	const uint32_t *t;

	if (!(de & 1))
		return 0;
	t = iommu_env_hpa_to_va(de & 0x000ffffffffff000ull);
	return t[gpasid & 0x3ff];
}

static void entries_sit_where_the_sdm_puts_them(void **state)
{
	struct pasid_xlate x;
	uint32_t h;

	(void)state;
	assert_int_equal(pasid_xlate_init(&x), 0);
	assert_int_equal(pasid_xlate_set(&x, 0x8001, 0x12345), 0);  /* low directory */
	assert_int_equal(pasid_xlate_set(&x, 0x80401, 0xfffff), 0); /* high directory */
	assert_int_equal(cpu_entry(&x, 0x8001), 0x80000000u | 0x12345);
	assert_int_equal(cpu_entry(&x, 0x80401), 0x80000000u | 0xfffff);
	assert_int_equal(cpu_entry(&x, 0x8002), 0);
	assert_int_equal(cpu_entry(&x, 0x00401), 0); /* same indexes, low directory */
	assert_int_equal(x.entries, 2);
	assert_int_equal(x.table_pages, 2);
	assert_int_equal(pasid_xlate_lookup(&x, 0x80401, &h), 0);
	assert_int_equal(h, 0xfffff);
	pasid_xlate_clear(&x, 0x80401);
	assert_int_equal(cpu_entry(&x, 0x80401), 0);
	assert_int_equal(pasid_xlate_lookup(&x, 0x80401, &h), -VSVA_ENOENT);
	assert_int_equal(x.entries, 1);
	assert_int_equal(pasid_xlate_set(&x, 1u << 20, 1), -VSVA_EINVAL);
	assert_int_equal(pasid_xlate_set(&x, 1, 1u << 20), -VSVA_EINVAL);
	pasid_xlate_destroy(&x);
}

static void set_fails_cleanly_without_memory(void **state)
{
	struct pasid_xlate x;

	(void)state;
	assert_int_equal(pasid_xlate_init(&x), 0);
	env_alloc_fail_after = 0;
	assert_int_equal(pasid_xlate_set(&x, 5, 0x10000), -VSVA_ENOMEM);
	assert_int_equal(x.entries, 0);
	env_alloc_fail_after = -1;
	pasid_xlate_destroy(&x);
}

static void host_space_hands_out_shared_range_and_reuses_defunct_last(void **state)
{
	uint32_t a, b, c;

	(void)state;
	pasid_space_init(17); /* shared host PASIDs 0x10000-0x1ffff */
	assert_true(pasid_space_shared_ok());
	assert_int_equal(pasid_space_alloc(&a), 0);
	assert_int_equal(a, PASID_SHARED_HFIRST);
	pasid_space_free(a);
	assert_true(pasid_space_is_defunct(a));
	assert_int_equal(pasid_space_alloc(&b), 0);
	assert_int_not_equal(b, a); /* a defunct PASID waits */
	for (uint32_t i = 0; i < 0x10000 - 2; i++)
		assert_int_equal(pasid_space_alloc(&c), 0);
	assert_int_equal(pasid_space_alloc(&c), 0); /* only the defunct one is left */
	assert_int_equal(c, a);
	assert_false(pasid_space_is_defunct(a));
	assert_int_equal(pasid_space_alloc(&c), -VSVA_ENOSPC);
	pasid_space_cancel(b);
	assert_false(pasid_space_in_use(b));
	pasid_space_init(16);
	assert_false(pasid_space_shared_ok());
	assert_int_equal(pasid_space_alloc(&c), -VSVA_ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(entries_sit_where_the_sdm_puts_them, setup,
						teardown),
		cmocka_unit_test_setup_teardown(set_fails_cleanly_without_memory, setup, teardown),
		cmocka_unit_test(host_space_hands_out_shared_range_and_reuses_defunct_last),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
