// SPDX-License-Identifier: MIT
/*
 * test_vinject.c - the portable part of hv/vinject.c: x86 MSI decoding (SDM Vol. 3A
 * 11.11), posting to the destination CPU, and the injection decision (SDM Vol. 3C
 * 26.3.1.5, 27.6): inject now, request an interrupt window, or wait.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* The portable source, compiled here: it is not (yet) in UNIT_CORE_SRCS (unit.mk). */
#include "hv/vinject.c"

#define ADDR(dest) (VINJECT_MSI_ADDR_BASE | ((uint32_t)(dest) << VINJECT_MSI_DEST_SHIFT))
#define IF	   VINJECT_RFLAGS_IF

static struct vinject s;
static struct vinject_msi m;

static int setup(void **state)
{
	(void)state;
	memset(&s, 0, sizeof(s));
	memset(&m, 0, sizeof(m));
	vinject_cpu_add(&s, 0, 0);
	vinject_cpu_add(&s, 1, 2);
	return 0;
}

static void post(uint8_t dest, uint8_t vector)
{
	struct vinject_msi x = { .vector = vector, .dest = dest };

	vinject_post(&s, &x, 0);
}

/* ---- decode ---- */

static void decode_takes_the_vector_from_data_bits_7_0(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(0), 0x4041, &m), 0);
	assert_int_equal(m.vector, 0x41);
}

static void decode_takes_the_destination_from_address_bits_19_12(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(0x5a), 0x41, &m), 0);
	assert_int_equal(m.dest, 0x5a);
}

static void decode_accepts_lowest_priority(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(0), 0x141, &m), 0);
}

static void decode_rejects_an_address_outside_fee(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(0xfed00000u, 0x41, &m), -EINVAL);
}

static void decode_rejects_a_zero_address(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(0, 0x41, &m), -EINVAL);
}

static void decode_rejects_vectors_below_16(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(0), 0x0f, &m), -EINVAL);
}

static void decode_rejects_logical_destination(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(1) | VINJECT_MSI_ADDR_DM, 0x41, &m), -EOPNOTSUPP);
}

static void decode_rejects_nmi_delivery(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(0), 0x441, &m), -EOPNOTSUPP);
}

static void decode_rejects_extint_delivery(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(0), 0x741, &m), -EOPNOTSUPP);
}

static void decode_rejects_level_trigger(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(0), 0xc041, &m), -EOPNOTSUPP);
}

static void decode_ignores_the_level_bit_for_edge(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(0), VINJECT_MSI_DATA_LEVEL | 0x41, &m), 0);
}

static void decode_accepts_redirection_hint(void **state)
{
	(void)state;
	assert_int_equal(vinject_msi_decode(ADDR(0) | VINJECT_MSI_ADDR_RH, 0x41, &m), 0);
}

static void decode_of_every_data_value_never_yields_a_low_vector(void **state)
{
	(void)state;
	for (uint32_t d = 0; d <= 0xffff; d++)
		if (!vinject_msi_decode(ADDR(0), d, &m) && m.vector < 16)
			fail_msg("data 0x%x", d);
}

/* ---- post ---- */

static void post_returns_the_cpu_with_the_apic_id(void **state)
{
	struct vinject_msi x = { .vector = 0x41, .dest = 2 };

	(void)state;
	assert_int_equal(vinject_post(&s, &x, 0), 1);
}

static void post_marks_the_vector_pending_on_the_destination(void **state)
{
	(void)state;
	post(2, 0x41);
	assert_true(s.cpu[1].pending[1] & (1ull << 1));
}

static void post_leaves_other_cpus_alone(void **state)
{
	(void)state;
	post(2, 0x41);
	assert_int_equal(s.cpu[0].pending[1], 0);
}

static void post_to_an_unknown_apic_id_is_enodev(void **state)
{
	struct vinject_msi x = { .vector = 0x41, .dest = 7 };

	(void)state;
	assert_int_equal(vinject_post(&s, &x, 0), -ENODEV);
}

static void post_to_an_unknown_apic_id_is_counted(void **state)
{
	(void)state;
	post(7, 0x41);
	assert_int_equal(s.no_target, 1);
}

static void broadcast_goes_to_the_sender(void **state)
{
	struct vinject_msi x = { .vector = 0x41, .dest = VINJECT_BROADCAST };

	(void)state;
	assert_int_equal(vinject_post(&s, &x, 1), 1);
}

static void a_pending_edge_is_coalesced(void **state)
{
	(void)state;
	post(0, 0x41);
	post(0, 0x41);
	assert_int_equal(s.cpu[0].coalesced, 1);
}

static void cpu_add_rejects_a_bad_index(void **state)
{
	(void)state;
	assert_int_equal(vinject_cpu_add(&s, VINJECT_MAX_CPUS, 0), -EINVAL);
}

/* ---- decide ---- */

static void nothing_pending_is_none(void **state)
{
	uint8_t v;

	(void)state;
	assert_int_equal(vinject_decide(&s.cpu[0], IF, 0, 0, 0, &v), VINJECT_NONE);
}

static void interruptible_guest_gets_it_now(void **state)
{
	uint8_t v = 0;

	(void)state;
	post(0, 0x41);
	assert_int_equal(vinject_decide(&s.cpu[0], IF, 0, 0, 0, &v), VINJECT_NOW);
}

static void now_returns_the_vector(void **state)
{
	uint8_t v = 0;

	(void)state;
	post(0, 0x41);
	vinject_decide(&s.cpu[0], IF, 0, 0, 0, &v);
	assert_int_equal(v, 0x41);
}

static void the_highest_vector_goes_first(void **state)
{
	uint8_t v = 0;

	(void)state;
	post(0, 0x41);
	post(0, 0xe1);
	vinject_decide(&s.cpu[0], IF, 0, 0, 0, &v);
	assert_int_equal(v, 0xe1);
}

static void if_clear_requests_a_window(void **state)
{
	uint8_t v;

	(void)state;
	post(0, 0x41);
	assert_int_equal(vinject_decide(&s.cpu[0], 0, 0, 0, 0, &v), VINJECT_WINDOW);
}

static void sti_blocking_requests_a_window(void **state)
{
	uint8_t v;

	(void)state;
	post(0, 0x41);
	assert_int_equal(vinject_decide(&s.cpu[0], IF, VINJECT_BLOCK_STI, 0, 0, &v),
			 VINJECT_WINDOW);
}

static void movss_blocking_requests_a_window(void **state)
{
	uint8_t v;

	(void)state;
	post(0, 0x41);
	assert_int_equal(vinject_decide(&s.cpu[0], IF, VINJECT_BLOCK_MOVSS, 0, 0, &v),
			 VINJECT_WINDOW);
}

static void an_injected_exception_goes_first(void **state)
{
	uint8_t v;

	(void)state;
	post(0, 0x41);
	assert_int_equal(vinject_decide(&s.cpu[0], IF, 0, 0, VINJECT_INFO_VALID | 0x30d, &v),
			 VINJECT_WINDOW);
}

static void hlt_guest_gets_it_now(void **state)
{
	uint8_t v;

	(void)state;
	post(0, 0x41);
	assert_int_equal(vinject_decide(&s.cpu[0], IF, 0, VINJECT_ACT_HLT, 0, &v), VINJECT_NOW);
}

static void wait_for_sipi_keeps_it(void **state)
{
	uint8_t v;

	(void)state;
	post(0, 0x41);
	assert_int_equal(vinject_decide(&s.cpu[0], IF, 0, 3, 0, &v), VINJECT_WAIT);
}

static void taken_clears_pending(void **state)
{
	uint8_t v;

	(void)state;
	post(0, 0x41);
	vinject_taken(&s.cpu[0], 0x41);
	assert_int_equal(vinject_decide(&s.cpu[0], IF, 0, 0, 0, &v), VINJECT_NONE);
}

static void taken_leaves_the_next_vector(void **state)
{
	uint8_t v = 0;

	(void)state;
	post(0, 0x41);
	post(0, 0xe1);
	vinject_taken(&s.cpu[0], 0xe1);
	vinject_decide(&s.cpu[0], IF, 0, 0, 0, &v);
	assert_int_equal(v, 0x41);
}

static void entry_info_is_valid_external_interrupt(void **state)
{
	(void)state;
	assert_int_equal(vinject_entry_info(0x41), 0x80000041u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(decode_takes_the_vector_from_data_bits_7_0),
		T(decode_takes_the_destination_from_address_bits_19_12),
		T(decode_accepts_lowest_priority),
		T(decode_rejects_an_address_outside_fee),
		T(decode_rejects_a_zero_address),
		T(decode_rejects_vectors_below_16),
		T(decode_rejects_logical_destination),
		T(decode_rejects_nmi_delivery),
		T(decode_rejects_extint_delivery),
		T(decode_rejects_level_trigger),
		T(decode_ignores_the_level_bit_for_edge),
		T(decode_accepts_redirection_hint),
		T(decode_of_every_data_value_never_yields_a_low_vector),
		T(post_returns_the_cpu_with_the_apic_id),
		T(post_marks_the_vector_pending_on_the_destination),
		T(post_leaves_other_cpus_alone),
		T(post_to_an_unknown_apic_id_is_enodev),
		T(post_to_an_unknown_apic_id_is_counted),
		T(broadcast_goes_to_the_sender),
		T(a_pending_edge_is_coalesced),
		T(cpu_add_rejects_a_bad_index),
		T(nothing_pending_is_none),
		T(interruptible_guest_gets_it_now),
		T(now_returns_the_vector),
		T(the_highest_vector_goes_first),
		T(if_clear_requests_a_window),
		T(sti_blocking_requests_a_window),
		T(movss_blocking_requests_a_window),
		T(an_injected_exception_goes_first),
		T(hlt_guest_gets_it_now),
		T(wait_for_sipi_keeps_it),
		T(taken_clears_pending),
		T(taken_leaves_the_next_vector),
		T(entry_info_is_valid_external_interrupt),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
