// SPDX-License-Identifier: MIT
/* hv/frame.c: the physical frame allocator. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "hv/frame.h"
#include "hv/memmap.h"

static struct boot_info bi;
static struct frame_pool pool;

/* Pool: [1 MiB, 1 MiB + 16 frames) and [8 MiB, 8 MiB + 1024 frames). */
static int setup(void **state)
{
	memset(&bi, 0, sizeof(bi));
	memmap_add(&bi, 0x0, 0x10000000, BOOT_MEM_USABLE);
	memmap_add(&bi, 0x100000, 16 * PAGE_SIZE, BOOT_MEM_HV_POOL);
	memmap_add(&bi, 0x800000, 1024 * PAGE_SIZE, BOOT_MEM_HV_POOL);
	return frame_pool_init(&pool, &bi);
}

static void pool_takes_only_hv_pool_ranges(void **state)
{
	assert_int_equal(pool.count, 2);
	assert_int_equal(pool.total_frames, 16 + 1024);
	assert_int_equal(pool.free_frames, 16 + 1024);
}

static void pool_without_pool_ranges_is_enomem(void **state)
{
	struct boot_info empty = { 0 };

	memmap_add(&empty, 0, 0x100000, BOOT_MEM_USABLE);
	assert_int_equal(frame_pool_init(&pool, &empty), -ENOMEM);
}

static void alloc_is_first_fit(void **state)
{
	hpa_t a;

	assert_int_equal(frame_alloc(&pool, 1, 1, &a), 0);
	assert_int_equal(a, 0x100000);
	assert_int_equal(pool.free_frames, 16 + 1024 - 1);
}

static void alloc_skips_extents_too_small(void **state)
{
	hpa_t a;

	assert_int_equal(frame_alloc(&pool, 17, 1, &a), 0);
	assert_int_equal(a, 0x800000);
}

static void alloc_honours_alignment(void **state)
{
	hpa_t a;

	/* 2-MiB aligned: the first extent has none, the second starts at 8 MiB. */
	assert_int_equal(frame_alloc(&pool, 1, 1, &a), 0);
	assert_int_equal(frame_alloc(&pool, 512, 512, &a), 0);
	assert_int_equal(a, 0x800000);
	assert_int_equal(frame_alloc(&pool, 1, 512, &a), 0);
	assert_int_equal(a, 0xa00000);
}

static void alloc_from_middle_leaves_two_extents(void **state)
{
	hpa_t a;

	assert_int_equal(frame_alloc(&pool, 16, 1, &a), 0); /* empties extent 1 */
	assert_int_equal(frame_alloc(&pool, 1, 1, &a), 0);  /* 8 MiB */
	assert_int_equal(frame_alloc(&pool, 1, 4, &a), 0);  /* 8 MiB + 16 KiB */
	assert_int_equal(a, 0x804000);
	assert_int_equal(pool.count, 2); /* [8M+4K, 8M+16K) and [8M+20K, ...) */
}

static void alloc_too_big_is_enomem_and_changes_nothing(void **state)
{
	struct frame_pool before = pool;
	hpa_t a;

	assert_int_equal(frame_alloc(&pool, 2000, 1, &a), -ENOMEM);
	assert_memory_equal(&before, &pool, sizeof(pool));
}

static void alloc_bad_arguments_are_einval(void **state)
{
	hpa_t a;

	assert_int_equal(frame_alloc(&pool, 0, 1, &a), -EINVAL);
	assert_int_equal(frame_alloc(&pool, 1, 3, &a), -EINVAL);
	assert_int_equal(frame_alloc(&pool, 1, 0, &a), -EINVAL);
}

static void free_merges_with_both_neighbours(void **state)
{
	hpa_t a, b, c;

	frame_alloc(&pool, 4, 1, &a);
	frame_alloc(&pool, 4, 1, &b);
	frame_alloc(&pool, 4, 1, &c);
	assert_int_equal(frame_free(&pool, a, 4), 0);
	assert_int_equal(frame_free(&pool, c, 4), 0);
	assert_int_equal(frame_free(&pool, b, 4), 0);
	assert_int_equal(pool.count, 2);
	assert_int_equal(pool.free_frames, 16 + 1024);
	assert_int_equal(pool.free[0].frames, 16);
}

static void double_free_is_rejected(void **state)
{
	hpa_t a;

	frame_alloc(&pool, 2, 1, &a);
	assert_int_equal(frame_free(&pool, a, 2), 0);
	struct frame_pool before = pool;

	assert_int_equal(frame_free(&pool, a, 1), -EINVAL);
	assert_memory_equal(&before, &pool, sizeof(pool));
}

static void free_of_unaligned_address_is_rejected(void **state)
{
	assert_int_equal(frame_free(&pool, 0x100001, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(pool_takes_only_hv_pool_ranges, setup),
		cmocka_unit_test_setup(pool_without_pool_ranges_is_enomem, setup),
		cmocka_unit_test_setup(alloc_is_first_fit, setup),
		cmocka_unit_test_setup(alloc_skips_extents_too_small, setup),
		cmocka_unit_test_setup(alloc_honours_alignment, setup),
		cmocka_unit_test_setup(alloc_from_middle_leaves_two_extents, setup),
		cmocka_unit_test_setup(alloc_too_big_is_enomem_and_changes_nothing, setup),
		cmocka_unit_test_setup(alloc_bad_arguments_are_einval, setup),
		cmocka_unit_test_setup(free_merges_with_both_neighbours, setup),
		cmocka_unit_test_setup(double_free_is_rejected, setup),
		cmocka_unit_test_setup(free_of_unaligned_address_is_rejected, setup),
	};

	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
