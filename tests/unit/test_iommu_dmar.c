// SPDX-License-Identifier: MIT
/*
 * test_iommu_dmar.c - ACPI DMAR parsing (iommu/dmar.c): well-formed tables as QEMU and
 * real firmware write them, and malformed ones that must be logged and skipped without
 * a read past the table (run under AddressSanitizer).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/dmar.h"
#include "tests/unit/support/iommu_env_model.h"

static uint8_t tb[4096];
static size_t tl;
static struct vtd_dmar_info info;

static void put8(uint8_t v)
{
	tb[tl++] = v;
}

static void put16(uint16_t v)
{
	put8((uint8_t)v);
	put8((uint8_t)(v >> 8));
}

static void put32(uint32_t v)
{
	put16((uint16_t)v);
	put16((uint16_t)(v >> 16));
}

static void put64(uint64_t v)
{
	put32((uint32_t)v);
	put32((uint32_t)(v >> 32));
}

/* Fix the header's length and checksum. */
static void finish(void)
{
	uint8_t sum = 0;
	size_t i;

	tb[4] = (uint8_t)tl;
	tb[5] = (uint8_t)(tl >> 8);
	tb[6] = tb[7] = 0;
	tb[9] = 0;
	for (i = 0; i < tl; i++)
		sum = (uint8_t)(sum + tb[i]);
	tb[9] = (uint8_t)-sum;
}

static void header(void)
{
	memset(tb, 0, sizeof(tb));
	tl = 0;
	memcpy(tb, "DMAR", 4);
	tb[8] = 1; /* revision */
	memcpy(tb + 10, "TESTID", 6);
	tl = 36;
	put8(47); /* HAW - 1 */
	put8(VTD_DMAR_INTR_REMAP);
	tl = 48;
}

static void set16(size_t at, uint16_t v)
{
	tb[at] = (uint8_t)v;
	tb[at + 1] = (uint8_t)(v >> 8);
}

/* A device scope with a path of @hops (dev, fn) pairs. */
static void scope(uint8_t type, uint8_t enum_id, uint8_t bus, const uint8_t *path,
		  unsigned int hops)
{
	unsigned int i;

	put8(type);
	put8((uint8_t)(6 + 2 * hops));
	put16(0);
	put8(enum_id);
	put8(bus);
	for (i = 0; i < hops; i++) {
		put8(path[2 * i]);
		put8(path[2 * i + 1]);
	}
}

static size_t drhd_begin(uint8_t flags, uint64_t base)
{
	size_t at = tl;

	put16(VTD_DMAR_TYPE_DRHD);
	put16(0);
	put8(flags);
	put8(0);
	put16(0);
	put64(base);
	return at;
}

static void end(size_t at)
{
	set16(at + 2, (uint16_t)(tl - at));
}

static uint8_t cfg_read8(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
			 uint16_t off)
{
	(void)ctx;
	(void)seg;
	/* one bridge: 00:1c.0 with secondary bus 3 */
	if (bus == 0 && dev == 0x1c && fn == 0 && off == 0x19)
		return 3;
	return 0xff;
}

static int setup(void **state)
{
	(void)state;
	env_attach(NULL);
	header();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	env_detach();
	return 0;
}

static const uint8_t ep_3_0[] = { 3, 0 };

static void qemu_style_drhd_with_explicit_scopes_is_parsed(void **state)
{
	static const uint8_t ep_2_0[] = { 2, 0 };
	size_t at;

	(void)state;
	at = drhd_begin(0, 0xfed90000);
	scope(VTD_SCOPE_PCI_ENDPOINT, 0, 0, ep_3_0, 1);
	scope(VTD_SCOPE_PCI_ENDPOINT, 0, 0, ep_2_0, 1);
	end(at);
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.haw, 48);
	assert_true(info.flags & VTD_DMAR_INTR_REMAP);
	assert_int_equal(info.ndrhd, 1);
	assert_int_equal(info.drhd[0].reg_base, 0xfed90000);
	assert_int_equal(info.drhd[0].reg_size, 4096);
	assert_false(info.drhd[0].include_all);
	assert_int_equal(info.drhd[0].scope.n, 2);
	assert_int_equal(info.drhd[0].scope.dev[0].sid, 0x0018);
	assert_int_equal(info.drhd[0].scope.dev[1].sid, 0x0010);
	assert_int_equal(info.skipped, 0);
}

static void every_structure_type_is_parsed(void **state)
{
	static const uint8_t ioapic[] = { 0x1e, 7 };
	size_t at;

	(void)state;
	at = drhd_begin(VTD_DRHD_INCLUDE_PCI_ALL, 0xfed91000);
	scope(VTD_SCOPE_IOAPIC, 2, 0xf0, ioapic, 1);
	end(at);
	/* RMRR 0xe0000-0xfffff for 00:03.0 */
	at = tl;
	put16(VTD_DMAR_TYPE_RMRR);
	put16(0);
	put16(0);
	put16(0);
	put64(0xe0000);
	put64(0xfffff);
	scope(VTD_SCOPE_PCI_ENDPOINT, 0, 0, ep_3_0, 1);
	end(at);
	/* ATSR all ports */
	at = tl;
	put16(VTD_DMAR_TYPE_ATSR);
	put16(0);
	put8(VTD_ATSR_ALL_PORTS);
	put8(0);
	put16(0);
	end(at);
	/* RHSA */
	at = tl;
	put16(VTD_DMAR_TYPE_RHSA);
	put16(0);
	put32(0);
	put64(0xfed91000);
	put32(1);
	end(at);
	/* SATC for 00:03.0 */
	at = tl;
	put16(VTD_DMAR_TYPE_SATC);
	put16(0);
	put8(VTD_SATC_ATC_REQUIRED);
	put8(0);
	put16(0);
	scope(VTD_SCOPE_PCI_ENDPOINT, 0, 0, ep_3_0, 1);
	end(at);
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.ndrhd, 1);
	assert_true(info.drhd[0].include_all);
	assert_int_equal(info.drhd[0].scope.dev[0].type, VTD_SCOPE_IOAPIC);
	assert_int_equal(info.drhd[0].scope.dev[0].enum_id, 2);
	assert_int_equal(info.drhd[0].scope.dev[0].sid, 0xf0f7);
	assert_int_equal(info.nrmrr, 1);
	assert_int_equal(info.rmrr[0].base, 0xe0000);
	assert_int_equal(info.rmrr[0].limit, 0xfffff);
	assert_int_equal(info.rmrr[0].scope.dev[0].sid, 0x0018);
	assert_int_equal(info.natsr, 1);
	assert_true(info.atsr[0].all_ports);
	assert_int_equal(info.nrhsa, 1);
	assert_int_equal(info.rhsa[0].proximity_domain, 1);
	assert_int_equal(info.nsatc, 1);
	assert_true(info.satc[0].atc_required);
	assert_int_equal(info.skipped, 0);
}

static void pci_path_through_bridge_resolves_to_secondary_bus(void **state)
{
	static const uint8_t path[] = { 0x1c, 0, 0, 0 };
	size_t at;

	(void)state;
	at = drhd_begin(0, 0xfed90000);
	scope(VTD_SCOPE_PCI_ENDPOINT, 0, 0, path, 2);
	end(at);
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, cfg_read8, NULL, &info), 0);
	assert_int_equal(info.drhd[0].scope.n, 1);
	assert_int_equal(info.drhd[0].scope.dev[0].sid, 0x0300);
	/* without config-space access the path cannot be followed: scope skipped */
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.drhd[0].scope.n, 0);
	assert_int_equal(info.skipped, 1);
}

static void path_through_absent_bridge_is_skipped(void **state)
{
	static const uint8_t path[] = { 0x1d, 0, 0, 0 };
	size_t at;

	(void)state;
	at = drhd_begin(0, 0xfed90000);
	scope(VTD_SCOPE_PCI_ENDPOINT, 0, 0, path, 2);
	end(at);
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, cfg_read8, NULL, &info), 0);
	assert_int_equal(info.ndrhd, 1);
	assert_int_equal(info.drhd[0].scope.n, 0);
	assert_int_equal(info.skipped, 1);
	assert_true(env_log_contains("unresolvable PCI path"));
}

static void bad_signature_or_short_buffer_is_rejected(void **state)
{
	(void)state;
	finish();
	assert_int_equal(vtd_dmar_parse(tb, 47, NULL, NULL, &info), -EINVAL);
	assert_int_equal(vtd_dmar_parse(NULL, 100, NULL, NULL, &info), -EINVAL);
	tb[0] = 'X';
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), -EINVAL);
}

static void header_length_beyond_buffer_is_rejected(void **state)
{
	size_t at;

	(void)state;
	at = drhd_begin(0, 0xfed90000);
	end(at);
	finish();
	/* truncated: the caller has fewer bytes than the header claims */
	assert_int_equal(vtd_dmar_parse(tb, tl - 1, NULL, NULL, &info), -EINVAL);
	assert_true(env_log_contains("does not fit"));
}

static void structure_length_past_the_end_stops_the_walk(void **state)
{
	size_t at;

	(void)state;
	at = drhd_begin(0, 0xfed90000);
	end(at);
	at = drhd_begin(0, 0xfed91000);
	end(at);
	set16(at + 2, 200); /* claims more than the table holds */
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.ndrhd, 1);
	assert_int_equal(info.skipped, 1);
	assert_true(env_log_contains("table walk ends"));
}

static void zero_length_structure_does_not_loop(void **state)
{
	size_t at;

	(void)state;
	at = drhd_begin(0, 0xfed90000);
	set16(at + 2, 0);
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.ndrhd, 0);
	assert_int_equal(info.skipped, 1);
}

static void too_short_structure_is_skipped_and_next_parsed(void **state)
{
	size_t at;

	(void)state;
	at = tl; /* an RMRR of 12 bytes: below its 24 */
	put16(VTD_DMAR_TYPE_RMRR);
	put16(12);
	put64(0);
	at = drhd_begin(0, 0xfed90000);
	end(at);
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.nrmrr, 0);
	assert_int_equal(info.ndrhd, 1);
	assert_int_equal(info.skipped, 1);
	assert_true(env_log_contains("below its 24"));
}

static void scope_past_structure_end_skips_the_structure(void **state)
{
	size_t at, sc;

	(void)state;
	at = drhd_begin(0, 0xfed90000);
	sc = tl;
	scope(VTD_SCOPE_PCI_ENDPOINT, 0, 0, ep_3_0, 1);
	tb[sc + 1] = 20; /* scope claims 20 bytes, the structure holds 8 */
	end(at);
	at = drhd_begin(0, 0xfed91000);
	end(at);
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.ndrhd, 1);
	assert_int_equal(info.drhd[0].reg_base, 0xfed91000);
	assert_int_equal(info.skipped, 1);
	assert_true(env_log_contains("bad length"));
}

static void scope_with_odd_or_empty_path_is_malformed(void **state)
{
	size_t at, sc;

	(void)state;
	at = drhd_begin(0, 0xfed90000);
	sc = tl;
	scope(VTD_SCOPE_PCI_ENDPOINT, 0, 0, ep_3_0, 1);
	put8(0);
	tb[sc + 1] = 9; /* odd path */
	end(at);
	at = drhd_begin(0, 0xfed91000);
	scope(VTD_SCOPE_PCI_ENDPOINT, 0, 0, NULL, 0); /* no path at all */
	end(at);
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.ndrhd, 0);
	assert_int_equal(info.skipped, 2);
}

static void rmrr_with_inverted_range_is_skipped(void **state)
{
	size_t at;

	(void)state;
	at = tl;
	put16(VTD_DMAR_TYPE_RMRR);
	put16(0);
	put16(0);
	put16(0);
	put64(0x200000);
	put64(0x100fff);
	end(at);
	finish();
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.nrmrr, 0);
	assert_int_equal(info.skipped, 1);
}

static void bad_checksum_is_only_logged(void **state)
{
	size_t at;

	(void)state;
	at = drhd_begin(0, 0xfed90000);
	end(at);
	finish();
	tb[9]++;
	assert_int_equal(vtd_dmar_parse(tb, tl, NULL, NULL, &info), 0);
	assert_int_equal(info.ndrhd, 1);
	assert_true(env_log_contains("bad checksum"));
}

static void random_tables_never_read_past_the_end(void **state)
{
	unsigned int seed = 12345, i, k;

	(void)state;
	for (i = 0; i < 20000; i++) {
		size_t len = 48 + (size_t)(rand_r(&seed) % 200);
		uint8_t *t = malloc(len); /* exact size: ASan catches any overread */

		assert_non_null(t);
		for (k = 0; k < len; k++)
			t[k] = (uint8_t)rand_r(&seed);
		/* mostly small, plausible structure lengths and types */
		for (k = 48; k + 4 <= len; k += 4) {
			if (rand_r(&seed) % 3 == 0) {
				t[k] = (uint8_t)(rand_r(&seed) % 7);
				t[k + 1] = 0;
				t[k + 3] = 0;
			}
		}
		memcpy(t, "DMAR", 4);
		t[4] = (uint8_t)len;
		t[5] = (uint8_t)(len >> 8);
		t[6] = t[7] = 0;
		vtd_dmar_parse(t, len, cfg_read8, NULL, &info);
		free(t);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(qemu_style_drhd_with_explicit_scopes_is_parsed),
		T(every_structure_type_is_parsed),
		T(pci_path_through_bridge_resolves_to_secondary_bus),
		T(path_through_absent_bridge_is_skipped),
		T(bad_signature_or_short_buffer_is_rejected),
		T(header_length_beyond_buffer_is_rejected),
		T(structure_length_past_the_end_stops_the_walk),
		T(zero_length_structure_does_not_loop),
		T(too_short_structure_is_skipped_and_next_parsed),
		T(scope_past_structure_end_skips_the_structure),
		T(scope_with_odd_or_empty_path_is_malformed),
		T(rmrr_with_inverted_range_is_skipped),
		T(bad_checksum_is_only_logged),
		T(random_tables_never_read_past_the_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
