// SPDX-License-Identifier: MIT
/* hv/smp_madt.c: the MADT's processor list (ACPI 6.5 5.2.12.2, 5.2.12.12). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include "hv/smp.h"
/* The portable source, compiled here: it is not (yet) in UNIT_CORE_SRCS (unit.mk). */
#include "hv/smp.h"

struct madt_builder {
	uint8_t t[512];
	uint32_t len;
};

static void madt_init(struct madt_builder *b)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->t, "APIC", 4);
	b->len = 44;
}

static void madt_put(struct madt_builder *b, const uint8_t *s, uint8_t len)
{
	memcpy(b->t + b->len, s, len);
	b->len += len;
	memcpy(b->t + 4, &b->len, 4);
}

static void madt_lapic(struct madt_builder *b, uint8_t uid, uint8_t id, uint32_t flags)
{
	uint8_t s[8] = { MADT_TYPE_LOCAL_APIC, 8, uid, id };

	memcpy(s + 4, &flags, 4);
	madt_put(b, s, sizeof(s));
}

static void madt_x2apic(struct madt_builder *b, uint32_t id, uint32_t flags)
{
	uint8_t s[16] = { MADT_TYPE_LOCAL_X2APIC, 16 };

	memcpy(s + 4, &id, 4);
	memcpy(s + 8, &flags, 4);
	madt_put(b, s, sizeof(s));
}

static void lists_enabled_processors_in_table_order(void **state)
{
	struct madt_builder b;
	uint32_t ids[8];
	uint8_t ioapic[12] = { 1, 12, 0 };

	madt_init(&b);
	madt_lapic(&b, 0, 0, 1);
	madt_put(&b, ioapic, sizeof(ioapic));
	madt_lapic(&b, 1, 2, 1);
	madt_x2apic(&b, 300, 1);
	assert_int_equal(smp_madt_apic_ids(b.t, b.len, ids, 8), 3);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 2);
	assert_int_equal(ids[2], 300);
}

static void skips_disabled_and_duplicate_processors(void **state)
{
	struct madt_builder b;
	uint32_t ids[8];

	madt_init(&b);
	madt_lapic(&b, 0, 0, 1);
	madt_lapic(&b, 1, 1, 0); /* disabled */
	madt_lapic(&b, 2, 2, 2); /* online capable, not enabled */
	madt_x2apic(&b, 0, 1);	 /* the same CPU again */
	assert_int_equal(smp_madt_apic_ids(b.t, b.len, ids, 8), 1);
	assert_int_equal(ids[0], 0);
}

static void stops_at_max(void **state)
{
	struct madt_builder b;
	uint32_t ids[2];

	madt_init(&b);
	for (uint8_t i = 0; i < 5; i++)
		madt_lapic(&b, i, i, 1);
	assert_int_equal(smp_madt_apic_ids(b.t, b.len, ids, 2), 2);
	assert_int_equal(ids[1], 1);
}

static void rejects_a_structure_past_the_end(void **state)
{
	struct madt_builder b;
	uint32_t ids[8];

	madt_init(&b);
	madt_lapic(&b, 0, 0, 1);
	b.t[44 + 1] = 200; /* length runs past the table */
	assert_int_equal(smp_madt_apic_ids(b.t, b.len, ids, 8), -EINVAL);
	b.t[44 + 1] = 0; /* zero length would never advance */
	assert_int_equal(smp_madt_apic_ids(b.t, b.len, ids, 8), -EINVAL);
}

static void rejects_a_bad_header(void **state)
{
	struct madt_builder b;
	uint32_t ids[8];

	madt_init(&b);
	madt_lapic(&b, 0, 0, 1);
	assert_int_equal(smp_madt_apic_ids(b.t, 40, ids, 8), -EINVAL);	      /* too short */
	assert_int_equal(smp_madt_apic_ids(b.t, b.len - 1, ids, 8), -EINVAL); /* length */
	b.t[0] = 'X';
	assert_int_equal(smp_madt_apic_ids(b.t, b.len, ids, 8), -EINVAL);
	assert_int_equal(smp_madt_apic_ids(NULL, 100, ids, 8), -EINVAL);
}

static void a_table_with_one_byte_left_over_is_rejected(void **state)
{
	struct madt_builder b;
	uint32_t ids[8];
	uint8_t one = 0;

	madt_init(&b);
	madt_lapic(&b, 0, 0, 1);
	madt_put(&b, &one, 1);
	assert_int_equal(smp_madt_apic_ids(b.t, b.len, ids, 8), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists_enabled_processors_in_table_order),
		cmocka_unit_test(skips_disabled_and_duplicate_processors),
		cmocka_unit_test(stops_at_max),
		cmocka_unit_test(rejects_a_structure_past_the_end),
		cmocka_unit_test(rejects_a_bad_header),
		cmocka_unit_test(a_table_with_one_byte_left_over_is_rejected),
	};

	return cmocka_run_group_tests_name("smp_madt", tests, NULL, NULL);
}
