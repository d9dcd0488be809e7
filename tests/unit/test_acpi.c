// SPDX-License-Identifier: MIT
/* hv/acpi.c: RSDP -> XSDT/RSDT -> tables, with malformed firmware tables. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "hv/acpi.h"
#include "tests/unit/support/hosted.h"

/* Fake firmware memory at HPA 0xe0000: RSDP, XSDT, RSDT, then tables. */
#define MEM_HPA	   0xe0000ull
#define MEM_SIZE   0x4000
#define RSDP_OFF   0x0
#define XSDT_OFF   0x100
#define RSDT_OFF   0x200
#define TAB_OFF(i) (0x1000 + (i)*0x100)

static uint8_t mem[MEM_SIZE];
static struct acpi_info acpi;

static void *at(uint32_t off)
{
	return mem + off;
}

static void fix_checksum(void *p, uint32_t len, uint8_t *field)
{
	uint8_t sum = 0;

	*field = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += ((uint8_t *)p)[i];
	*field = (uint8_t)-sum;
}

static void make_table(uint32_t off, const char *sig, uint32_t len)
{
	struct acpi_table_header *h = at(off);

	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = 1;
	memcpy(h->oem_id, "TESTID", 6);
	fix_checksum(h, len, &h->checksum);
}

/* XSDT (and RSDT) listing @n tables at TAB_OFF(0..n-1). */
static void make_roots(int n)
{
	struct acpi_table_header *x = at(XSDT_OFF), *r = at(RSDT_OFF);

	for (int i = 0; i < n; i++) {
		uint64_t a64 = MEM_HPA + TAB_OFF(i);
		uint32_t a32 = (uint32_t)a64;

		memcpy((uint8_t *)(x + 1) + 8 * i, &a64, 8);
		memcpy((uint8_t *)(r + 1) + 4 * i, &a32, 4);
	}
	memcpy(x->signature, "XSDT", 4);
	x->length = sizeof(*x) + 8 * n;
	fix_checksum(x, x->length, &x->checksum);
	memcpy(r->signature, "RSDT", 4);
	r->length = sizeof(*r) + 4 * n;
	fix_checksum(r, r->length, &r->checksum);
}

static void make_rsdp(uint8_t revision)
{
	struct acpi_rsdp *p = at(RSDP_OFF);

	memcpy(p->signature, "RSD PTR ", 8);
	memcpy(p->oem_id, "TESTID", 6);
	p->revision = revision;
	p->rsdt_address = (uint32_t)(MEM_HPA + RSDT_OFF);
	p->length = 36;
	p->xsdt_address = MEM_HPA + XSDT_OFF;
	fix_checksum(p, 20, &p->checksum);
	fix_checksum(p, 36, &p->extended_checksum);
}

static int setup(void **state)
{
	memset(mem, 0, sizeof(mem));
	hosted_mem_reset();
	hosted_mem_add(MEM_HPA, mem, sizeof(mem));
	make_table(TAB_OFF(0), "FACP", 0x80);
	make_table(TAB_OFF(1), "DMAR", 0x60);
	make_table(TAB_OFF(2), "SSDT", 0x40);
	make_table(TAB_OFF(3), "SSDT", 0x40);
	make_roots(4);
	make_rsdp(2);
	return 0;
}

static void xsdt_is_preferred_for_revision_2(void **state)
{
	assert_int_equal(acpi_init(MEM_HPA, &acpi), 0);
	assert_true(acpi.xsdt);
	assert_int_equal(acpi.root, MEM_HPA + XSDT_OFF);
	assert_int_equal(acpi.count, 4);
	assert_int_equal(acpi.rejected, 0);
}

static void rsdt_is_used_for_revision_0(void **state)
{
	make_rsdp(0);
	assert_int_equal(acpi_init(MEM_HPA, &acpi), 0);
	assert_false(acpi.xsdt);
	assert_int_equal(acpi.root, MEM_HPA + RSDT_OFF);
	assert_int_equal(acpi.count, 4);
}

static void find_returns_each_instance(void **state)
{
	acpi_init(MEM_HPA, &acpi);
	assert_ptr_equal(acpi_find(&acpi, "DMAR", 0), at(TAB_OFF(1)));
	assert_ptr_equal(acpi_find(&acpi, "SSDT", 1), at(TAB_OFF(3)));
	assert_null(acpi_find(&acpi, "SSDT", 2));
	assert_null(acpi_find(&acpi, "MCFG", 0));
}

static void missing_rsdp_is_enoent(void **state)
{
	assert_int_equal(acpi_init(0, &acpi), -ENOENT);
}

static void unmapped_rsdp_is_efault(void **state)
{
	assert_int_equal(acpi_init(0x10000000, &acpi), -EFAULT);
}

static void rsdp_with_bad_checksum_is_einval(void **state)
{
	((struct acpi_rsdp *)at(RSDP_OFF))->checksum ^= 1;
	assert_int_equal(acpi_init(MEM_HPA, &acpi), -EINVAL);
}

static void rsdp_with_bad_extended_checksum_is_einval(void **state)
{
	((struct acpi_rsdp *)at(RSDP_OFF))->extended_checksum ^= 1;
	assert_int_equal(acpi_init(MEM_HPA, &acpi), -EINVAL);
}

static void bad_xsdt_falls_back_to_rsdt(void **state)
{
	((struct acpi_table_header *)at(XSDT_OFF))->checksum ^= 1;
	assert_int_equal(acpi_init(MEM_HPA, &acpi), 0);
	assert_false(acpi.xsdt);
	assert_int_equal(acpi.count, 4);
	assert_true(hosted_log_contains("XSDT unusable"));
}

static void no_valid_root_is_einval(void **state)
{
	((struct acpi_table_header *)at(XSDT_OFF))->checksum ^= 1;
	((struct acpi_table_header *)at(RSDT_OFF))->checksum ^= 1;
	assert_int_equal(acpi_init(MEM_HPA, &acpi), -EINVAL);
}

static void table_with_bad_checksum_is_skipped(void **state)
{
	((struct acpi_table_header *)at(TAB_OFF(1)))->checksum ^= 1;
	assert_int_equal(acpi_init(MEM_HPA, &acpi), 0);
	assert_int_equal(acpi.count, 3);
	assert_int_equal(acpi.rejected, 1);
	assert_null(acpi_find(&acpi, "DMAR", 0));
}

static void table_longer_than_mapped_memory_is_skipped(void **state)
{
	/* Claims to run past the end of the fake memory: never read, never trusted. */
	struct acpi_table_header *h = at(TAB_OFF(3));

	h->length = MEM_SIZE;
	assert_int_equal(acpi_init(MEM_HPA, &acpi), 0);
	assert_int_equal(acpi.count, 3);
	assert_int_equal(acpi.rejected, 1);
}

static void table_shorter_than_its_header_is_skipped(void **state)
{
	make_table(TAB_OFF(2), "SSDT", 8);
	assert_int_equal(acpi_init(MEM_HPA, &acpi), 0);
	assert_int_equal(acpi.rejected, 1);
}

static void root_entry_pointing_outside_memory_is_skipped(void **state)
{
	struct acpi_table_header *x = at(XSDT_OFF);
	uint64_t bad = 0x7fff0000;

	memcpy((uint8_t *)(x + 1) + 8, &bad, 8);
	fix_checksum(x, x->length, &x->checksum);
	assert_int_equal(acpi_init(MEM_HPA, &acpi), 0);
	assert_int_equal(acpi.count, 3);
	assert_int_equal(acpi.rejected, 1);
}

static void checksum_of_zero_sum_is_ok(void **state)
{
	uint8_t b[3] = { 1, 2, 253 };

	assert_true(acpi_checksum_ok(b, 3));
	b[2] = 0;
	assert_false(acpi_checksum_ok(b, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(xsdt_is_preferred_for_revision_2, setup),
		cmocka_unit_test_setup(rsdt_is_used_for_revision_0, setup),
		cmocka_unit_test_setup(find_returns_each_instance, setup),
		cmocka_unit_test_setup(missing_rsdp_is_enoent, setup),
		cmocka_unit_test_setup(unmapped_rsdp_is_efault, setup),
		cmocka_unit_test_setup(rsdp_with_bad_checksum_is_einval, setup),
		cmocka_unit_test_setup(rsdp_with_bad_extended_checksum_is_einval, setup),
		cmocka_unit_test_setup(bad_xsdt_falls_back_to_rsdt, setup),
		cmocka_unit_test_setup(no_valid_root_is_einval, setup),
		cmocka_unit_test_setup(table_with_bad_checksum_is_skipped, setup),
		cmocka_unit_test_setup(table_longer_than_mapped_memory_is_skipped, setup),
		cmocka_unit_test_setup(table_shorter_than_its_header_is_skipped, setup),
		cmocka_unit_test_setup(root_entry_pointing_outside_memory_is_skipped, setup),
		cmocka_unit_test_setup(checksum_of_zero_sum_is_ok, setup),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
