// SPDX-License-Identifier: MIT
/*
 * test_vvtd_linux.c - the guest ACPI given to a Linux guest with vvtd=on (issue 7):
 * linux_boot_set_acpi() writes boot_params.acpi_rsdp_addr and carves an E820 reserved
 * entry for the tables out of the RAM entry holding them; linux_boot_acpi_space() picks
 * a page the kernel, initrd and boot data do not use.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/linux_boot.c" /* white-box: the byte accessors */
#include "tests/unit/support/hosted.h"

#define PARAMS 0x10000ull
#define MEMB   0x40000ull

static uint8_t zp[MEMB] __attribute__((aligned(4096)));
static uint8_t *bp = zp + PARAMS;

static void e820_set(unsigned int i, uint64_t base, uint64_t size, uint32_t type)
{
	uint8_t *r = bp + BP_E820_TABLE + i * E820_REC;

	wr64(r, 0, base), wr64(r, 8, size), wr32(r, 16, type);
}

static uint64_t e_base(unsigned int i)
{
	return rd64(bp + BP_E820_TABLE + i * E820_REC, 0);
}

static uint64_t e_size(unsigned int i)
{
	return rd64(bp + BP_E820_TABLE + i * E820_REC, 8);
}

static uint32_t e_type(unsigned int i)
{
	return rd32(bp + BP_E820_TABLE + i * E820_REC, 16);
}

static int setup(void **state)
{
	(void)state;
	memset(zp, 0, sizeof(zp));
	hosted_mem_reset();
	hosted_mem_add(PARAMS, bp, LINUX_BOOT_DATA_BYTES);
	wr16(bp, HDR_VERSION, 0x020f);
	e820_set(0, 0, 0x9f000, LINUX_E820_RAM);
	e820_set(1, 0x100000, 0x7f00000, LINUX_E820_RAM);
	e820_set(2, 0xfec00000, 0x1000, LINUX_E820_RESERVED);
	bp[BP_E820_ENTRIES] = 3;
	return 0;
}

static void rsdp_goes_to_boot_params(void **state)
{
	(void)state;
	assert_int_equal(linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000), 0);
	assert_int_equal(rd64(bp, BP_ACPI_RSDP_ADDR), 0x7000010);
}

static void middle_split_gives_five_entries(void **state)
{
	(void)state;
	linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000);
	assert_int_equal(bp[BP_E820_ENTRIES], 5);
}

static void tables_entry_starts_at_the_tables(void **state)
{
	(void)state;
	linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000);
	assert_int_equal(e_base(2), 0x7000000);
}

static void tables_page_is_reserved(void **state)
{
	(void)state;
	linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000);
	assert_int_equal(e_type(2), LINUX_E820_RESERVED);
}

static void reserved_length_is_page_rounded(void **state)
{
	(void)state;
	linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x300);
	assert_int_equal(e_size(2), 0x1000);
}

static void ram_below_stays_ram(void **state)
{
	(void)state;
	linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000);
	assert_int_equal(e_size(1), 0x7000000 - 0x100000);
}

static void ram_above_starts_after_the_tables(void **state)
{
	(void)state;
	linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000);
	assert_int_equal(e_base(3), 0x7001000);
}

static void ram_above_stays_ram(void **state)
{
	(void)state;
	linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000);
	assert_int_equal(e_type(3), LINUX_E820_RAM);
}

static void later_entries_move_up(void **state)
{
	(void)state;
	linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000);
	assert_int_equal(e_base(4), 0xfec00000);
}

static void range_at_the_end_of_ram_splits_in_two(void **state)
{
	(void)state;
	linux_boot_set_acpi(PARAMS, 0x7fff010, 0x7fff000, 0x1000);
	assert_int_equal(bp[BP_E820_ENTRIES], 4);
}

static void range_outside_ram_is_enoent(void **state)
{
	(void)state;
	assert_int_equal(linux_boot_set_acpi(PARAMS, 0xfec00010, 0xfec00000, 0x1000), -ENOENT);
}

static void old_protocol_is_eopnotsupp(void **state)
{
	(void)state;
	wr16(bp, HDR_VERSION, 0x020d);
	assert_int_equal(linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000), -EOPNOTSUPP);
}

static void old_protocol_changes_nothing(void **state)
{
	(void)state;
	wr16(bp, HDR_VERSION, 0x020d);
	linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000);
	assert_int_equal(bp[BP_E820_ENTRIES], 3);
}

static void full_table_is_enospc(void **state)
{
	(void)state;
	for (unsigned int i = 3; i < LINUX_E820_MAX; i++)
		e820_set(i, 0x100000000ull + i * 0x2000ull, 0x1000, LINUX_E820_RESERVED);
	bp[BP_E820_ENTRIES] = LINUX_E820_MAX;
	assert_int_equal(linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0x1000), -ENOSPC);
}

static void unmapped_zero_page_is_einval(void **state)
{
	(void)state;
	assert_int_equal(linux_boot_set_acpi(0x5000000, 0, 0x7000000, 0x1000), -EINVAL);
}

static void zero_length_is_einval(void **state)
{
	(void)state;
	assert_int_equal(linux_boot_set_acpi(PARAMS, 0x7000010, 0x7000000, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(rsdp_goes_to_boot_params),
		T(middle_split_gives_five_entries),
		T(tables_entry_starts_at_the_tables),
		T(tables_page_is_reserved),
		T(reserved_length_is_page_rounded),
		T(ram_below_stays_ram),
		T(ram_above_starts_after_the_tables),
		T(ram_above_stays_ram),
		T(later_entries_move_up),
		T(range_at_the_end_of_ram_splits_in_two),
		T(range_outside_ram_is_enoent),
		T(old_protocol_is_eopnotsupp),
		T(old_protocol_changes_nothing),
		T(full_table_is_enospc),
		T(unmapped_zero_page_is_einval),
		T(zero_length_is_einval),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
