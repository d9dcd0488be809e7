// SPDX-License-Identifier: MIT
/*
 * hv/guest_map.c and hv/mtrr.c: the guest-physical map built from boot_info and the
 * MTRRs (hv memory absent, holes MMIO, types from the MTRRs, SDM Vol. 3A 12.11).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include "hv/guest_map.h"
#include "hv/mm.h"
#include "hv/mtrr.h"
#include "tests/unit/support/hosted.h"

#define GIB (1ull << 30)
#define MIB (1ull << 20)

static struct boot_info bi;
static struct mtrr_state mtrr;
static struct guest_map map;

static void add(uint64_t base, uint64_t size, uint32_t type)
{
	bi.mmap[bi.mmap_count++] = (struct boot_mem_range){ base, size, type, 0 };
}

/* Shaped like a BIOS machine: low RAM, VGA hole, BIOS ROM, the core at 16 MiB with its
 * pool after it, RAM to 512 MiB, the flash below 4 GiB, 1 GiB of RAM above 4 GiB. */
static int setup(void **state)
{
	memset(&bi, 0, sizeof(bi));
	add(0, 0x9f000, BOOT_MEM_USABLE);
	add(0x9f000, 0x1000, BOOT_MEM_RESERVED);
	add(0xf0000, 0x10000, BOOT_MEM_RESERVED);
	add(0x100000, 0xf00000, BOOT_MEM_USABLE);
	add(0x1000000, 0x44000, BOOT_MEM_HV_IMAGE);
	add(0x1044000, 0x1bc000, BOOT_MEM_USABLE);
	add(0x1200000, 64 * MIB, BOOT_MEM_HV_POOL);
	add(0x5200000, 0x1ae00000, BOOT_MEM_USABLE);
	add(0x20000000, 0x10000, BOOT_MEM_ACPI_RECLAIM);
	add(0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
	add(4 * GIB, GIB, BOOT_MEM_USABLE);

	memset(&mtrr, 0, sizeof(mtrr));
	mtrr.present = mtrr.enabled = mtrr.fixed_enabled = true;
	mtrr.def_type = MEMTYPE_UC;
	mtrr.phys_bits = 40;
	for (unsigned int i = 0; i < MTRR_FIXED_NUM; i++)
		mtrr.fixed[i] = i < 16 ? MEMTYPE_WB : (i < 24 ? MEMTYPE_UC : MEMTYPE_WP);
	mtrr.var_count = 2;
	mtrr.var[0].base = 0 | MEMTYPE_WB; /* [0, 2 GiB) WB */
	mtrr.var[0].mask = (~(2 * GIB - 1) & ((1ull << 40) - 1)) | MTRR_PHYSMASK_V;
	mtrr.var[1].base = (4 * GIB) | MEMTYPE_WB; /* [4 GiB, 8 GiB) WB */
	mtrr.var[1].mask = (~(4 * GIB - 1) & ((1ull << 40) - 1)) | MTRR_PHYSMASK_V;
	*state = NULL;
	return guest_map_build(&bi, &mtrr, &map);
}

static const struct guest_mem_range *range_at(gpa_t gpa)
{
	for (uint32_t i = 0; i < map.count; i++)
		if (gpa >= map.r[i].base && gpa - map.r[i].base < map.r[i].size)
			return &map.r[i];
	return NULL;
}

static void hv_image_and_pool_are_absent(void **state)
{
	assert_int_equal(guest_map_kind(&map, 0x1000000, 1), GUEST_MEM_ABSENT);
	assert_int_equal(guest_map_kind(&map, 0x1043fff, 1), GUEST_MEM_ABSENT);
	assert_int_equal(guest_map_kind(&map, 0x1200000, 1), GUEST_MEM_ABSENT);
	assert_int_equal(guest_map_kind(&map, 0x51fffff, 1), GUEST_MEM_ABSENT);
	assert_null(range_at(0x1000000));
	assert_null(range_at(0x3000000));
}

static void usable_ram_is_ram_with_the_mtrr_type(void **state)
{
	assert_int_equal(guest_map_kind(&map, 0x100000, 0xf00000), GUEST_MEM_RAM);
	assert_int_equal(range_at(0x400000)->memtype, MEMTYPE_WB);
	assert_int_equal(guest_map_kind(&map, 0x1044000, 0x1000), GUEST_MEM_RAM);
	assert_int_equal(guest_map_kind(&map, 4 * GIB + 5, 100), GUEST_MEM_RAM);
	assert_int_equal(range_at(4 * GIB)->memtype, MEMTYPE_WB);
	assert_int_equal(guest_map_kind(&map, 0x20000000, 0x10000), GUEST_MEM_RAM); /* ACPI */
}

static void holes_and_reserved_below_4g_are_uncached_mmio(void **state)
{
	assert_int_equal(guest_map_kind(&map, 0xa0000, 0x1000), GUEST_MEM_MMIO);
	assert_int_equal(range_at(0xa0000)->memtype, MEMTYPE_UC);
	assert_int_equal(guest_map_kind(&map, 0xfee00000, 0x1000), GUEST_MEM_MMIO);
	assert_int_equal(range_at(0xfee00000)->memtype, MEMTYPE_UC);
	assert_int_equal(guest_map_kind(&map, 0xfffc0000, 0x40000), GUEST_MEM_MMIO);
}

static void nothing_above_4g_unless_listed(void **state)
{
	assert_int_equal(guest_map_kind(&map, 5 * GIB, 1), GUEST_MEM_ABSENT);
	assert_int_equal(map.top, 5 * GIB);
	assert_int_equal(map.ram_bytes, 0x9f000 + 0xf00000 + 0x1bc000 + 0x1ae00000 + 0x10000 + GIB);
}

static void kind_rejects_mixed_wrapping_and_empty_ranges(void **state)
{
	assert_int_equal(guest_map_kind(&map, 0xfff000, 0x2000), GUEST_MEM_ABSENT); /* RAM, hv */
	assert_int_equal(guest_map_kind(&map, 0x9e000, 0x2000), GUEST_MEM_ABSENT);  /* RAM, MMIO */
	assert_int_equal(guest_map_kind(&map, UINT64_MAX - 10, 100), GUEST_MEM_ABSENT);
	assert_int_equal(guest_map_kind(&map, 0x100000, 0), GUEST_MEM_ABSENT);
}

static void ranges_are_sorted_disjoint_and_merged(void **state)
{
	for (uint32_t i = 1; i < map.count; i++) {
		const struct guest_mem_range *a = &map.r[i - 1], *b = &map.r[i];

		assert_true(a->base + a->size <= b->base);
		assert_false(a->base + a->size == b->base && a->kind == b->kind &&
			     a->memtype == b->memtype);
	}
	assert_true(map.count < 20);
}

static void mtrr_fixed_ranges_split_low_memory(void **state)
{
	uint64_t next;

	assert_int_equal(mtrr_type(&mtrr, 0x0, &next), MEMTYPE_WB);
	assert_int_equal(next, 0x10000);
	assert_int_equal(mtrr_type(&mtrr, 0xa4000, &next), MEMTYPE_UC);
	assert_int_equal(next, 0xa8000);
	assert_int_equal(mtrr_type(&mtrr, 0xc0000, &next), MEMTYPE_WP);
	assert_int_equal(next, 0xc1000);
	/* Low usable RAM [0, 0x9f000) is WB throughout: one RAM range. */
	assert_int_equal(range_at(0)->size, 0x9f000);
}

static void mtrr_overlaps_follow_the_sdm(void **state)
{
	struct mtrr_state s = mtrr;
	uint64_t next;

	/* Default type outside every variable range. */
	assert_int_equal(mtrr_type(&s, 3 * GIB, &next), MEMTYPE_UC);
	assert_int_equal(next, 4 * GIB);
	/* UC wins over WB. */
	s.var_count = 3;
	s.var[2].base = (1 * GIB) | MEMTYPE_UC;
	s.var[2].mask = (~(GIB - 1) & ((1ull << 40) - 1)) | MTRR_PHYSMASK_V;
	assert_int_equal(mtrr_type(&s, GIB + 4096, NULL), MEMTYPE_UC);
	/* WT wins over WB. */
	s.var[2].base = (1 * GIB) | MEMTYPE_WT;
	assert_int_equal(mtrr_type(&s, GIB, NULL), MEMTYPE_WT);
	/* Disabled MTRRs: UC everywhere; no MTRRs: WB. */
	s.enabled = false;
	assert_int_equal(mtrr_type(&s, 0x100000, NULL), MEMTYPE_UC);
	s.present = false;
	assert_int_equal(mtrr_type(&s, 0x100000, NULL), MEMTYPE_WB);
}

static void ram_type_changes_split_ranges(void **state)
{
	struct mtrr_state s = mtrr;
	struct guest_map m;

	s.var_count = 3;
	s.var[2].base = 0x8000000 | MEMTYPE_WT; /* [128 MiB, 256 MiB) WT */
	s.var[2].mask = (~(128 * MIB - 1) & ((1ull << 40) - 1)) | MTRR_PHYSMASK_V;
	assert_int_equal(guest_map_build(&bi, &s, &m), 0);
	for (uint32_t i = 0; i < m.count; i++) {
		if (m.r[i].base <= 0x8000000 && m.r[i].base + m.r[i].size > 0x8000000) {
			assert_int_equal(m.r[i].base, 0x8000000);
			assert_int_equal(m.r[i].size, 128 * MIB);
			assert_int_equal(m.r[i].memtype, MEMTYPE_WT);
		}
	}
}

static void too_many_ranges_give_enospc(void **state)
{
	struct boot_info *b = &bi;
	struct guest_map m;

	b->mmap_count = 0;
	for (uint64_t i = 0; i < 400; i++)
		add(i * 0x2000, 0x1000, BOOT_MEM_USABLE); /* every other page: 800 pieces */
	assert_int_equal(guest_map_build(b, &mtrr, &m), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(hv_image_and_pool_are_absent, setup),
		cmocka_unit_test_setup(usable_ram_is_ram_with_the_mtrr_type, setup),
		cmocka_unit_test_setup(holes_and_reserved_below_4g_are_uncached_mmio, setup),
		cmocka_unit_test_setup(nothing_above_4g_unless_listed, setup),
		cmocka_unit_test_setup(kind_rejects_mixed_wrapping_and_empty_ranges, setup),
		cmocka_unit_test_setup(ranges_are_sorted_disjoint_and_merged, setup),
		cmocka_unit_test_setup(mtrr_fixed_ranges_split_low_memory, setup),
		cmocka_unit_test_setup(mtrr_overlaps_follow_the_sdm, setup),
		cmocka_unit_test_setup(ram_type_changes_split_ranges, setup),
		cmocka_unit_test_setup(too_many_ranges_give_enospc, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
