// SPDX-License-Identifier: MIT
/* hv/cmdline.c: command-line options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "hv/cmdline.h"

static void value_of_key_is_returned(void **state)
{
	char v[16];

	assert_true(cmdline_get("a=1 selftest=exception b", "selftest", v, sizeof(v)));
	assert_string_equal(v, "exception");
}

static void bare_key_has_empty_value(void **state)
{
	char v[16] = "x";

	assert_true(cmdline_get("poweroff loglevel=3", "poweroff", v, sizeof(v)));
	assert_string_equal(v, "");
}

static void key_prefix_does_not_match_longer_word(void **state)
{
	assert_false(cmdline_has("poweroffnow", "poweroff"));
	assert_false(cmdline_has("xpoweroff", "poweroff"));
}

static void long_value_is_cut_to_buffer(void **state)
{
	char v[4];

	assert_true(cmdline_get("k=abcdef", "k", v, sizeof(v)));
	assert_string_equal(v, "abc");
}

static void numbers_parse_decimal_and_hex(void **state)
{
	assert_int_equal(cmdline_u64("pool=128", "pool", 64), 128);
	assert_int_equal(cmdline_u64("debugexit=0xf4", "debugexit", 0), 0xf4);
}

static void bad_number_gives_default(void **state)
{
	assert_int_equal(cmdline_u64("pool=12x", "pool", 64), 64);
	assert_int_equal(cmdline_u64("pool=", "pool", 64), 64);
	assert_int_equal(cmdline_u64("pool=-1", "pool", 64), 64);
	assert_int_equal(cmdline_u64("", "pool", 64), 64);
	assert_int_equal(cmdline_u64(NULL, "pool", 64), 64);
}

static void extra_spaces_are_ignored(void **state)
{
	assert_int_equal(cmdline_u64("   loglevel=3   ", "loglevel", 2), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_of_key_is_returned),
		cmocka_unit_test(bare_key_has_empty_value),
		cmocka_unit_test(key_prefix_does_not_match_longer_word),
		cmocka_unit_test(long_value_is_cut_to_buffer),
		cmocka_unit_test(numbers_parse_decimal_and_hex),
		cmocka_unit_test(bad_number_gives_default),
		cmocka_unit_test(extra_spaces_are_ignored),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
