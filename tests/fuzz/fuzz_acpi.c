// SPDX-License-Identifier: MIT
/*
 * fuzz_acpi.c - hv/acpi.c: RSDP -> XSDT/RSDT -> tables over a fake physical memory, and
 * the DMAR it finds fed on to iommu/dmar.c.
 *
 * Input: one flags byte, then the memory image, placed at HPA MEM_HPA with the RSDP at
 * its start. Flags bit 0: the harness first fixes the checksums of the RSDP, the root
 * table and the tables it lists, so mutations reach past the checksum checks.
 */
#include <string.h>

#include "hv/acpi.h"
#include "hv/mm.h"
#include "iommu/dmar.h"
#include "tests/fuzz/fuzz_env.h"
#include "tests/unit/support/hosted.h"

#define MEM_HPA 0x10000ull

static uint8_t *mem;
static size_t mem_len;

static void fix_sum(uint8_t *p, size_t len, size_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		s += p[i];
	p[at] = (uint8_t)-s;
}

/* The image offset of a table at HPA @hpa whose header and length fit, else -1. */
static long table_at(uint64_t hpa)
{
	uint64_t off = hpa - MEM_HPA;
	uint32_t len;

	if (hpa < MEM_HPA || off >= mem_len || mem_len - off < sizeof(struct acpi_table_header))
		return -1;
	memcpy(&len, mem + off + 4, 4);
	if (len < sizeof(struct acpi_table_header) || len > mem_len - off)
		return -1;
	return (long)off;
}

static void fix_root(uint64_t hpa, unsigned int entry)
{
	long off = table_at(hpa);
	uint32_t len;

	if (off < 0)
		return;
	memcpy(&len, mem + off + 4, 4);
	for (uint32_t e = 36; e + entry <= len; e += entry) {
		uint64_t a = 0;
		long t;

		memcpy(&a, mem + off + e, entry);
		t = table_at(a);
		if (t >= 0 && t != off) {
			uint32_t tl;

			memcpy(&tl, mem + t + 4, 4);
			fix_sum(mem + t, tl, 9);
		}
	}
	fix_sum(mem + off, len, 9);
}

static void fix_checksums(void)
{
	struct acpi_rsdp r;

	if (mem_len < 20)
		return;
	memset(&r, 0, sizeof(r));
	memcpy(&r, mem, mem_len < sizeof(r) ? mem_len : sizeof(r));
	fix_root(r.rsdt_address, 4);
	if (r.revision >= 2 && mem_len >= 36)
		fix_root(r.xsdt_address, 8);
	fix_sum(mem, 20, 8);
	if (r.revision >= 2 && mem_len >= 36 && r.length >= 36 && r.length <= mem_len)
		fix_sum(mem, r.length, 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_info acpi;
	static struct vtd_dmar_info dmar;
	const struct acpi_table_header *h;
	uint8_t salt = 0;
	int r;

	if (size < 1)
		return 0;
	mem_len = size - 1;
	mem = malloc(mem_len ? mem_len : 1); /* exactly the image: ASan guards its ends */
	memcpy(mem, data + 1, mem_len);
	if (data[0] & 1)
		fix_checksums();
	hosted_mem_reset();
	hosted_mem_add(MEM_HPA, mem, mem_len);

	r = acpi_init(MEM_HPA, &acpi);
	if (r == 0) {
		FUZZ_CHECK(acpi.count <= ACPI_TABLES_MAX);
		for (uint32_t i = 0; i < acpi.count; i++) {
			h = hpa_to_hva(acpi.tables[i]);
			FUZZ_CHECK(h && host_hpa_mapped(acpi.tables[i], sizeof(*h)));
			FUZZ_CHECK(h->length >= sizeof(*h) &&
				   host_hpa_mapped(acpi.tables[i], h->length));
			FUZZ_CHECK(acpi_checksum_ok(h, h->length));
		}
		acpi_find(&acpi, "FACP", 1);
		h = acpi_find(&acpi, "DMAR", 0);
		if (h)
			vtd_dmar_parse(h, h->length, fuzz_pci_read8, &salt, &dmar);
	}
	free(mem);
	return 0;
}
