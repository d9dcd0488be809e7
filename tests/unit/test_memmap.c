// SPDX-License-Identifier: MIT
/* hv/memmap.c: the normalized memory map. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "hv/memmap.h"

static struct boot_info bi;

static int setup(void **state)
{
	memset(&bi, 0, sizeof(bi));
	return 0;
}

static void expect_range(uint32_t i, uint64_t base, uint64_t size, uint32_t type)
{
	assert_true(i < bi.mmap_count);
	assert_int_equal(bi.mmap[i].base, base);
	assert_int_equal(bi.mmap[i].size, size);
	assert_int_equal(bi.mmap[i].type, type);
}

static void add_keeps_ranges_sorted(void **state)
{
	assert_int_equal(memmap_add(&bi, 0x200000, 0x100000, BOOT_MEM_USABLE), 0);
	assert_int_equal(memmap_add(&bi, 0x0, 0x9f000, BOOT_MEM_USABLE), 0);
	assert_int_equal(memmap_add(&bi, 0x100000, 0x1000, BOOT_MEM_RESERVED), 0);
	assert_int_equal(bi.mmap_count, 3);
	expect_range(0, 0x0, 0x9f000, BOOT_MEM_USABLE);
	expect_range(1, 0x100000, 0x1000, BOOT_MEM_RESERVED);
	expect_range(2, 0x200000, 0x100000, BOOT_MEM_USABLE);
}

static void usable_range_shrinks_to_whole_frames(void **state)
{
	assert_int_equal(memmap_add(&bi, 0x1234, 0x3000, BOOT_MEM_USABLE), 0);
	expect_range(0, 0x2000, 0x2000, BOOT_MEM_USABLE);
}

static void reserved_range_grows_to_whole_frames(void **state)
{
	assert_int_equal(memmap_add(&bi, 0x1234, 0x10, BOOT_MEM_RESERVED), 0);
	expect_range(0, 0x1000, 0x1000, BOOT_MEM_RESERVED);
}

static void usable_range_below_one_frame_is_dropped(void **state)
{
	assert_int_equal(memmap_add(&bi, 0x1001, 0xffe, BOOT_MEM_USABLE), 0);
	assert_int_equal(bi.mmap_count, 0);
}

static void adjacent_ranges_of_one_type_merge(void **state)
{
	memmap_add(&bi, 0x0, 0x1000, BOOT_MEM_USABLE);
	memmap_add(&bi, 0x1000, 0x1000, BOOT_MEM_USABLE);
	assert_int_equal(bi.mmap_count, 1);
	expect_range(0, 0x0, 0x2000, BOOT_MEM_USABLE);
}

static void pool_carved_from_usable_splits_it_in_three(void **state)
{
	memmap_add(&bi, 0x100000, 0x1000000, BOOT_MEM_USABLE);
	assert_int_equal(memmap_add(&bi, 0x400000, 0x200000, BOOT_MEM_HV_POOL), 0);
	assert_int_equal(bi.mmap_count, 3);
	expect_range(0, 0x100000, 0x300000, BOOT_MEM_USABLE);
	expect_range(1, 0x400000, 0x200000, BOOT_MEM_HV_POOL);
	expect_range(2, 0x600000, 0xb00000, BOOT_MEM_USABLE);
}

static void weaker_type_does_not_override_stronger(void **state)
{
	memmap_add(&bi, 0x100000, 0x100000, BOOT_MEM_HV_IMAGE);
	memmap_add(&bi, 0x0, 0x400000, BOOT_MEM_USABLE);
	assert_int_equal(bi.mmap_count, 3);
	expect_range(0, 0x0, 0x100000, BOOT_MEM_USABLE);
	expect_range(1, 0x100000, 0x100000, BOOT_MEM_HV_IMAGE);
	expect_range(2, 0x200000, 0x200000, BOOT_MEM_USABLE);
}

static void overlap_spanning_several_ranges_fills_the_gaps(void **state)
{
	memmap_add(&bi, 0x1000, 0x1000, BOOT_MEM_ACPI_NVS);
	memmap_add(&bi, 0x3000, 0x1000, BOOT_MEM_UNUSABLE);
	memmap_add(&bi, 0x0, 0x5000, BOOT_MEM_FIRMWARE);
	/* Firmware outranks NVS, so the first three frames become one range. */
	assert_int_equal(bi.mmap_count, 3);
	expect_range(0, 0x0, 0x3000, BOOT_MEM_FIRMWARE);
	expect_range(1, 0x3000, 0x1000, BOOT_MEM_UNUSABLE);
	expect_range(2, 0x4000, 0x1000, BOOT_MEM_FIRMWARE);
}

static void zero_size_is_rejected(void **state)
{
	assert_int_equal(memmap_add(&bi, 0x1000, 0, BOOT_MEM_USABLE), -EINVAL);
}

static void wrapping_range_is_rejected(void **state)
{
	assert_int_equal(memmap_add(&bi, UINT64_MAX - 0xfff, 0x2000, BOOT_MEM_RESERVED), -EINVAL);
	assert_int_equal(bi.mmap_count, 0);
}

static void range_ending_at_2_64_stops_below_the_top_frame(void **state)
{
	assert_int_equal(memmap_add(&bi, 0xffffffffff000000ull, 0x1000000, BOOT_MEM_ACPI_NVS), 0);
	expect_range(0, 0xffffffffff000000ull, 0xfff000, BOOT_MEM_ACPI_NVS);
}

static void range_inside_the_top_frame_adds_nothing(void **state)
{
	assert_int_equal(memmap_add(&bi, 0xfffffffffffff800ull, 0x800, BOOT_MEM_RESERVED), 0);
	assert_int_equal(bi.mmap_count, 0);
}

static void full_map_rejects_and_stays_unchanged(void **state)
{
	for (uint32_t i = 0; i < BOOT_MMAP_MAX; i++)
		assert_int_equal(memmap_add(&bi, (uint64_t)i * 0x2000, 0x1000,
					    i % 2 ? BOOT_MEM_USABLE : BOOT_MEM_RESERVED),
				 0);
	assert_int_equal(bi.mmap_count, BOOT_MMAP_MAX);
	/* A range inside the last one needs two more entries. */
	uint64_t last = (uint64_t)(BOOT_MMAP_MAX - 1) * 0x2000;

	memmap_add(&bi, last, 0x1000, BOOT_MEM_RESERVED);
	struct boot_info copy = bi;

	assert_int_equal(memmap_add(&bi, 0x10000000, 0x1000, BOOT_MEM_MMIO), -ENOSPC);
	assert_memory_equal(&copy, &bi, sizeof(bi));
}

static void totals_count_bytes_per_type(void **state)
{
	memmap_add(&bi, 0x0, 0x3000, BOOT_MEM_USABLE);
	memmap_add(&bi, 0x10000, 0x2000, BOOT_MEM_USABLE);
	memmap_add(&bi, 0x20000, 0x1000, BOOT_MEM_HV_POOL);
	assert_int_equal(memmap_total(&bi, BOOT_MEM_USABLE), 0x5000);
	assert_int_equal(memmap_total(&bi, BOOT_MEM_HV_POOL), 0x1000);
}

static void type_names_are_stable(void **state)
{
	assert_string_equal(memmap_type_name(BOOT_MEM_HV_POOL), "hv-pool");
	assert_string_equal(memmap_type_name(99), "unknown");
	assert_true(memmap_is_ram(BOOT_MEM_ACPI_NVS));
	assert_false(memmap_is_ram(BOOT_MEM_MMIO));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(add_keeps_ranges_sorted, setup),
		cmocka_unit_test_setup(usable_range_shrinks_to_whole_frames, setup),
		cmocka_unit_test_setup(reserved_range_grows_to_whole_frames, setup),
		cmocka_unit_test_setup(usable_range_below_one_frame_is_dropped, setup),
		cmocka_unit_test_setup(adjacent_ranges_of_one_type_merge, setup),
		cmocka_unit_test_setup(pool_carved_from_usable_splits_it_in_three, setup),
		cmocka_unit_test_setup(weaker_type_does_not_override_stronger, setup),
		cmocka_unit_test_setup(overlap_spanning_several_ranges_fills_the_gaps, setup),
		cmocka_unit_test_setup(zero_size_is_rejected, setup),
		cmocka_unit_test_setup(wrapping_range_is_rejected, setup),
		cmocka_unit_test_setup(range_ending_at_2_64_stops_below_the_top_frame, setup),
		cmocka_unit_test_setup(range_inside_the_top_frame_adds_nothing, setup),
		cmocka_unit_test_setup(full_map_rejects_and_stays_unchanged, setup),
		cmocka_unit_test_setup(totals_count_bytes_per_type, setup),
		cmocka_unit_test_setup(type_names_are_stable, setup),
	};

	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
