// SPDX-License-Identifier: MIT
/* boot/mb2/mbi.c: Multiboot2 boot information -> boot_info, against malformed input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "boot/mb2/mbi.h"
#include "hv/memmap.h"

#define MBI_PA 0x10000ull /* where the test pretends the MBI lies */

static struct boot_info bi;
static struct mbi_report rep;
static _Alignas(8) uint8_t mbi[4096];
static uint32_t mbi_len; /* bytes written so far */

static int setup(void **state)
{
	memset(&bi, 0, sizeof(bi));
	memset(&rep, 0, sizeof(rep));
	memset(mbi, 0xa5, sizeof(mbi)); /* garbage past the end must never be read as tags */
	mbi_len = 8;
	return 0;
}

/* put_tag() - append a tag (header + @body of @len bytes), padded to 8; returns its offset. */
static uint32_t put_tag(uint32_t type, const void *body, uint32_t len)
{
	uint32_t off = mbi_len;
	struct mb2_tag t = { .type = type, .size = 8 + len };

	memcpy(mbi + off, &t, sizeof(t));
	if (len)
		memcpy(mbi + off + 8, body, len);
	mbi_len = (off + 8 + len + 7) & ~7u;
	return off;
}

static void put_mmap(const struct mb2_mmap_entry *e, uint32_t n)
{
	uint8_t body[8 + 16 * sizeof(*e)];
	uint32_t hdr[2] = { sizeof(*e), 0 };

	memcpy(body, hdr, 8);
	memcpy(body + 8, e, n * sizeof(*e));
	put_tag(MB2_TAG_MMAP, body, 8 + n * (uint32_t)sizeof(*e));
}

static void put_default_mmap(void)
{
	const struct mb2_mmap_entry e[] = {
		{ 0x0, 0x9fc00, MB2_MMAP_AVAILABLE, 0 },
		{ 0x9fc00, 0x400, 2, 0 },
		{ 0x100000, 0x1fef0000, MB2_MMAP_AVAILABLE, 0 },
		{ 0x1fff0000, 0x10000, MB2_MMAP_ACPI_RECLAIM, 0 },
		{ 0xfffc0000, 0x40000, 2, 0 },
	};

	put_mmap(e, 5);
}

static void put_module(uint32_t start, uint32_t end, const char *cmdline)
{
	uint8_t body[64];
	uint32_t se[2] = { start, end };
	size_t n = strlen(cmdline) + 1;

	memcpy(body, se, 8);
	memcpy(body + 8, cmdline, n);
	put_tag(MB2_TAG_MODULE, body, 8 + (uint32_t)n);
}

/* finish() - end tag and total_size. */
static void finish(void)
{
	uint32_t total;

	put_tag(MB2_TAG_END, NULL, 0);
	total = mbi_len;
	memcpy(mbi, &total, 4);
	memset(mbi + 4, 0, 4);
}

static int parse(void)
{
	return mbi_parse(&bi, mbi, MBI_PA, sizeof(mbi), &rep);
}

static uint32_t type_at(uint64_t hpa)
{
	for (uint32_t i = 0; i < bi.mmap_count; i++)
		if (hpa >= bi.mmap[i].base && hpa - bi.mmap[i].base < bi.mmap[i].size)
			return bi.mmap[i].type;
	return 0;
}

static void parse_reads_cmdline_modules_and_mmap(void **state)
{
	const char cmd[] = "pool=32M loglevel=3";

	put_tag(MB2_TAG_CMDLINE, cmd, sizeof(cmd));
	put_default_mmap();
	put_module(0x200000, 0x201234, "guest console=ttyS0");
	finish();
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, cmd);
	assert_int_equal(bi.module_count, 1);
	assert_int_equal(bi.modules[0].base, 0x200000);
	assert_int_equal(bi.modules[0].size, 0x1234);
	assert_string_equal(bi.modules[0].cmdline, "guest console=ttyS0");
	assert_int_equal(type_at(0x0), BOOT_MEM_USABLE);
	assert_int_equal(type_at(0x9f000), BOOT_MEM_RESERVED); /* grown outward */
	assert_int_equal(type_at(0x1fff0000), BOOT_MEM_ACPI_RECLAIM);
	assert_int_equal(type_at(0xfffff000), BOOT_MEM_RESERVED);
	assert_int_equal(type_at(0x201000), BOOT_MEM_BOOT_DATA); /* the module, grown */
	assert_int_equal(type_at(0x202000), BOOT_MEM_USABLE);
	assert_int_equal(rep.mmap_entries, 5);
}

static void parse_marks_mbi_as_boot_data(void **state)
{
	put_default_mmap();
	finish();
	assert_int_equal(parse(), 0);
	assert_int_equal(type_at(MBI_PA), BOOT_MEM_BOOT_DATA);
	assert_int_equal(type_at(MBI_PA + 0x1000), BOOT_MEM_USABLE);
}

static void parse_prefers_new_rsdp(void **state)
{
	uint8_t rsdp[36] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ' };
	uint32_t old_off, new_off;

	put_default_mmap();
	old_off = put_tag(MB2_TAG_ACPI_OLD, rsdp, 20);
	new_off = put_tag(MB2_TAG_ACPI_NEW, rsdp, 36);
	finish();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp, MBI_PA + new_off + 8);
	(void)old_off;
}

static void parse_takes_old_rsdp_alone(void **state)
{
	uint8_t rsdp[20] = { 0 };
	uint32_t off;

	put_default_mmap();
	off = put_tag(MB2_TAG_ACPI_OLD, rsdp, 20);
	finish();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp, MBI_PA + off + 8);
}

static void parse_ignores_short_rsdp_tag(void **state)
{
	uint8_t rsdp[12] = { 0 };

	put_default_mmap();
	put_tag(MB2_TAG_ACPI_OLD, rsdp, sizeof(rsdp));
	finish();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp, 0);
}

static void parse_skips_unknown_tags(void **state)
{
	uint8_t junk[13] = { 1, 2, 3 };

	put_tag(21, junk, sizeof(junk)); /* load base address: not read */
	put_tag(0x7777, junk, 5);
	put_default_mmap();
	finish();
	assert_int_equal(parse(), 0);
}

static void parse_cuts_unterminated_cmdline_at_tag_end(void **state)
{
	char cmd[5] = { 'a', 'b', 'c', 'd', 'e' }; /* no NUL: the padding is 0xa5 */

	put_tag(MB2_TAG_CMDLINE, cmd, sizeof(cmd));
	put_default_mmap();
	finish();
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "abcde");
	assert_false(rep.cmdline_cut);
}

static void parse_cuts_long_cmdline(void **state)
{
	char cmd[BOOT_CMDLINE_MAX + 40];

	memset(cmd, 'x', sizeof(cmd) - 1);
	cmd[sizeof(cmd) - 1] = '\0';
	put_tag(MB2_TAG_CMDLINE, cmd, sizeof(cmd));
	put_default_mmap();
	finish();
	assert_int_equal(parse(), 0);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_true(rep.cmdline_cut);
}

static void parse_drops_modules_beyond_max(void **state)
{
	put_default_mmap();
	for (uint32_t i = 0; i < BOOT_MODULES_MAX + 2; i++)
		put_module(0x400000 + i * 0x1000, 0x400000 + i * 0x1000 + 0x800, "m");
	finish();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.module_count, BOOT_MODULES_MAX);
	assert_int_equal(rep.modules_dropped, 2);
}

static void parse_rejects_tag_past_total_size(void **state)
{
	uint32_t off;
	struct mb2_tag big = { .type = MB2_TAG_CMDLINE, .size = 4000 };

	put_default_mmap();
	off = put_tag(MB2_TAG_CMDLINE, "x", 2);
	finish();
	memcpy(mbi + off, &big, sizeof(big));
	assert_int_equal(parse(), -EINVAL);
	assert_non_null(rep.error);
	assert_int_equal(bi.mmap_count, 0); /* nothing changed */
	assert_int_equal(bi.cmdline[0], '\0');
}

static void parse_rejects_tag_smaller_than_header(void **state)
{
	uint32_t off;
	struct mb2_tag tiny = { .type = 1234, .size = 4 };

	put_default_mmap();
	off = put_tag(1234, NULL, 0);
	finish();
	memcpy(mbi + off, &tiny, sizeof(tiny));
	assert_int_equal(parse(), -EINVAL);
}

static void parse_rejects_missing_end_tag(void **state)
{
	uint32_t total;

	put_default_mmap();
	total = mbi_len; /* total_size stops before any end tag */
	memcpy(mbi, &total, 4);
	assert_int_equal(parse(), -EINVAL);
	assert_int_equal(bi.mmap_count, 0);
}

static void parse_rejects_total_size_beyond_readable(void **state)
{
	uint32_t total = sizeof(mbi) + 8;

	put_default_mmap();
	finish();
	memcpy(mbi, &total, 4);
	assert_int_equal(parse(), -EINVAL);
}

static void parse_rejects_tiny_total_size(void **state)
{
	uint32_t total = 8;

	memcpy(mbi, &total, 4);
	assert_int_equal(parse(), -EINVAL);
}

static void parse_rejects_unaligned_mbi(void **state)
{
	put_default_mmap();
	finish();
	assert_int_equal(mbi_parse(&bi, mbi, MBI_PA + 4, sizeof(mbi), &rep), -EINVAL);
}

static void parse_rejects_missing_mmap(void **state)
{
	put_tag(MB2_TAG_CMDLINE, "a", 2);
	finish();
	assert_int_equal(parse(), -EINVAL);
	assert_int_equal(bi.cmdline[0], '\0');
}

static void parse_rejects_bad_mmap_entry_size(void **state)
{
	uint32_t body[2 + 6] = { 20, 0 }; /* 20: not a multiple of 8, below 24 */

	put_tag(MB2_TAG_MMAP, body, sizeof(body));
	finish();
	assert_int_equal(parse(), -EINVAL);
}

static void parse_rejects_module_ending_before_start(void **state)
{
	put_default_mmap();
	put_module(0x300000, 0x2ff000, "");
	finish();
	assert_int_equal(parse(), -EINVAL);
	assert_int_equal(bi.module_count, 0);
}

static void parse_reads_larger_mmap_entries(void **state)
{
	/* Spec 3.6.8: entry_size may grow; only the first 24 bytes are ours. */
	uint64_t body[1 + 2 * 4] = { 32 };

	body[1] = 0x100000; /* base */
	body[2] = 0x100000; /* length */
	body[3] = MB2_MMAP_AVAILABLE;
	body[5] = 0x300000;
	body[6] = 0x1000;
	body[7] = MB2_MMAP_BADRAM;
	put_tag(MB2_TAG_MMAP, body, sizeof(body));
	finish();
	assert_int_equal(parse(), 0);
	assert_int_equal(type_at(0x100000), BOOT_MEM_USABLE);
	assert_int_equal(type_at(0x300000), BOOT_MEM_UNUSABLE);
}

static void parse_skips_empty_and_wrapping_entries(void **state)
{
	const struct mb2_mmap_entry e[] = {
		{ 0x100000, 0, MB2_MMAP_AVAILABLE, 0 },
		{ 0xfffffffffffff000ull, 0x2000, 2, 0 },
		{ 0x200000, 0x1000, MB2_MMAP_AVAILABLE, 0 },
	};

	put_mmap(e, 3);
	finish();
	assert_int_equal(parse(), 0);
	assert_int_equal(type_at(0x100000), 0);
	assert_int_equal(type_at(0x200000), BOOT_MEM_USABLE);
}

static void pool_bytes_reads_mib_and_gib(void **state)
{
	bool bad;

	assert_int_equal(mbi_pool_bytes("", 64 << 20, &bad), 64 << 20);
	assert_false(bad);
	assert_int_equal(mbi_pool_bytes("pool=32M", 64 << 20, &bad), 32 << 20);
	assert_int_equal(mbi_pool_bytes("a pool=128 b", 64 << 20, &bad), 128 << 20);
	assert_int_equal(mbi_pool_bytes("pool=1G", 64 << 20, &bad), 1ull << 30);
	assert_false(bad);
}

static void pool_bytes_rejects_nonsense(void **state)
{
	bool bad;

	assert_int_equal(mbi_pool_bytes("pool=", 64 << 20, &bad), 64 << 20);
	assert_true(bad);
	assert_int_equal(mbi_pool_bytes("pool=0", 64 << 20, &bad), 64 << 20);
	assert_true(bad);
	assert_int_equal(mbi_pool_bytes("pool=12K", 64 << 20, &bad), 64 << 20);
	assert_true(bad);
	assert_int_equal(mbi_pool_bytes("pool=4G", 64 << 20, &bad), 64 << 20);
	assert_true(bad);
	assert_int_equal(mbi_pool_bytes("pool=99999999999999999999", 64 << 20, &bad), 64 << 20);
	assert_true(bad);
}

static void find_pool_takes_first_2m_aligned_fit_above_floor(void **state)
{
	uint64_t got, base;

	assert_int_equal(memmap_add(&bi, 0x100000, 0x1ff00000, BOOT_MEM_USABLE), 0);
	assert_int_equal(memmap_add(&bi, 0x1000000, 0x3c000, BOOT_MEM_HV_IMAGE), 0);
	base = mbi_find_pool(&bi, 0x103c000, 1ull << 32, 64 << 20, &got);
	assert_int_equal(base, 0x1200000);
	assert_int_equal(got, 64 << 20);
}

static void find_pool_skips_boot_data(void **state)
{
	uint64_t got, base;

	assert_int_equal(memmap_add(&bi, 0x1000000, 0x3000000, BOOT_MEM_USABLE), 0);
	assert_int_equal(memmap_add(&bi, 0x1000000, 0x1000000, BOOT_MEM_BOOT_DATA), 0);
	base = mbi_find_pool(&bi, 0x1000000, 1ull << 32, 16 << 20, &got);
	assert_int_equal(base, 0x2000000);
	assert_int_equal(got, 16 << 20);
}

static void find_pool_gives_largest_part_when_short(void **state)
{
	uint64_t got, base;

	assert_int_equal(memmap_add(&bi, 0x1000000, 0x100000, BOOT_MEM_USABLE), 0);
	assert_int_equal(memmap_add(&bi, 0x2000000, 0x400000, BOOT_MEM_USABLE), 0);
	base = mbi_find_pool(&bi, 0, 1ull << 32, 64 << 20, &got);
	assert_int_equal(base, 0x2000000);
	assert_int_equal(got, 0x400000);
}

static void find_pool_stays_below_limit(void **state)
{
	uint64_t got;

	assert_int_equal(memmap_add(&bi, 0x100000000ull, 1ull << 30, BOOT_MEM_USABLE), 0);
	mbi_find_pool(&bi, 0, 1ull << 32, 64 << 20, &got);
	assert_int_equal(got, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(parse_reads_cmdline_modules_and_mmap, setup),
		cmocka_unit_test_setup(parse_marks_mbi_as_boot_data, setup),
		cmocka_unit_test_setup(parse_prefers_new_rsdp, setup),
		cmocka_unit_test_setup(parse_takes_old_rsdp_alone, setup),
		cmocka_unit_test_setup(parse_ignores_short_rsdp_tag, setup),
		cmocka_unit_test_setup(parse_skips_unknown_tags, setup),
		cmocka_unit_test_setup(parse_cuts_unterminated_cmdline_at_tag_end, setup),
		cmocka_unit_test_setup(parse_cuts_long_cmdline, setup),
		cmocka_unit_test_setup(parse_drops_modules_beyond_max, setup),
		cmocka_unit_test_setup(parse_rejects_tag_past_total_size, setup),
		cmocka_unit_test_setup(parse_rejects_tag_smaller_than_header, setup),
		cmocka_unit_test_setup(parse_rejects_missing_end_tag, setup),
		cmocka_unit_test_setup(parse_rejects_total_size_beyond_readable, setup),
		cmocka_unit_test_setup(parse_rejects_tiny_total_size, setup),
		cmocka_unit_test_setup(parse_rejects_unaligned_mbi, setup),
		cmocka_unit_test_setup(parse_rejects_missing_mmap, setup),
		cmocka_unit_test_setup(parse_rejects_bad_mmap_entry_size, setup),
		cmocka_unit_test_setup(parse_rejects_module_ending_before_start, setup),
		cmocka_unit_test_setup(parse_reads_larger_mmap_entries, setup),
		cmocka_unit_test_setup(parse_skips_empty_and_wrapping_entries, setup),
		cmocka_unit_test_setup(pool_bytes_reads_mib_and_gib, setup),
		cmocka_unit_test_setup(pool_bytes_rejects_nonsense, setup),
		cmocka_unit_test_setup(find_pool_takes_first_2m_aligned_fit_above_floor, setup),
		cmocka_unit_test_setup(find_pool_skips_boot_data, setup),
		cmocka_unit_test_setup(find_pool_gives_largest_part_when_short, setup),
		cmocka_unit_test_setup(find_pool_stays_below_limit, setup),
	};

	return cmocka_run_group_tests_name("mbi", tests, NULL, NULL);
}
