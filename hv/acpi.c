// SPDX-License-Identifier: MIT
/* ACPI table lookup (hv/acpi.h). Nothing is read before its bounds are checked. */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "acpi"
#include "hv/acpi.h"
#include "hv/log.h"
#include "hv/mm.h"

#define ACPI_RSDP_V1_LEN   20u
#define ACPI_RSDP_V2_LEN   36u
#define ACPI_TABLE_MAX_LEN (16u << 20) /* bytes: larger is taken as corrupt */

bool acpi_checksum_ok(const void *p, uint64_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (uint64_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/* A table at @hpa whose header and whole length are mapped, sane and summing to 0. */
static const struct acpi_table_header *acpi_check_table(hpa_t hpa, const char *why)
{
	const struct acpi_table_header *h;

	if (!hpa || !host_hpa_mapped(hpa, sizeof(*h))) {
		log_warn("%s at 0x%llx: not in mapped memory, skipped", why,
			 (unsigned long long)hpa);
		return NULL;
	}
	h = hpa_to_hva(hpa);
	if (h->length < sizeof(*h) || h->length > ACPI_TABLE_MAX_LEN ||
	    !host_hpa_mapped(hpa, h->length)) {
		log_warn("%s %.4s at 0x%llx: bad length %u, skipped", why, h->signature,
			 (unsigned long long)hpa, h->length);
		return NULL;
	}
	if (!acpi_checksum_ok(h, h->length)) {
		log_warn("%s %.4s at 0x%llx: bad checksum, skipped", why, h->signature,
			 (unsigned long long)hpa);
		return NULL;
	}
	return h;
}

static int acpi_check_rsdp(hpa_t hpa, const struct acpi_rsdp **out)
{
	const struct acpi_rsdp *r;

	if (!host_hpa_mapped(hpa, ACPI_RSDP_V1_LEN))
		return -EFAULT;
	r = hpa_to_hva(hpa);
	if (memcmp(r->signature, "RSD PTR ", 8) || !acpi_checksum_ok(r, ACPI_RSDP_V1_LEN)) {
		log_err("RSDP at 0x%llx: bad signature or checksum", (unsigned long long)hpa);
		return -EINVAL;
	}
	if (r->revision >= 2) {
		if (!host_hpa_mapped(hpa, ACPI_RSDP_V2_LEN))
			return -EFAULT;
		if (r->length < ACPI_RSDP_V2_LEN || r->length > 4096 ||
		    !host_hpa_mapped(hpa, r->length) || !acpi_checksum_ok(r, r->length)) {
			log_err("RSDP at 0x%llx: bad length %u or extended checksum",
				(unsigned long long)hpa, r->length);
			return -EINVAL;
		}
	}
	*out = r;
	return 0;
}

int acpi_init(hpa_t rsdp_hpa, struct acpi_info *acpi)
{
	const struct acpi_rsdp *rsdp;
	const struct acpi_table_header *root = NULL;
	uint32_t entry_size;
	int ret;

	memset(acpi, 0, sizeof(*acpi));
	if (!rsdp_hpa)
		return -ENOENT;
	ret = acpi_check_rsdp(rsdp_hpa, &rsdp);
	if (ret)
		return ret;
	acpi->rsdp = rsdp_hpa;
	acpi->revision = rsdp->revision;

	if (rsdp->revision >= 2 && rsdp->xsdt_address) {
		root = acpi_check_table(rsdp->xsdt_address, "XSDT");
		if (root && memcmp(root->signature, "XSDT", 4))
			root = NULL;
		if (root) {
			acpi->xsdt = true;
			acpi->root = rsdp->xsdt_address;
		} else {
			log_warn("XSDT unusable, falling back to the RSDT");
		}
	}
	if (!root) {
		root = acpi_check_table(rsdp->rsdt_address, "RSDT");
		if (!root || memcmp(root->signature, "RSDT", 4)) {
			log_err("no valid XSDT or RSDT");
			return -EINVAL;
		}
		acpi->root = rsdp->rsdt_address;
	}

	entry_size = acpi->xsdt ? 8 : 4;
	uint32_t entries = (root->length - sizeof(*root)) / entry_size;
	const uint8_t *p = (const uint8_t *)(root + 1);

	for (uint32_t i = 0; i < entries; i++) {
		uint64_t addr = 0;

		memcpy(&addr, p + (uint64_t)i * entry_size, entry_size);
		if (!acpi_check_table(addr, "table")) {
			acpi->rejected++;
			continue;
		}
		if (acpi->count == ACPI_TABLES_MAX) {
			log_warn("more than %u tables, the rest ignored", ACPI_TABLES_MAX);
			break;
		}
		acpi->tables[acpi->count++] = addr;
	}
	return 0;
}

const struct acpi_table_header *acpi_find(const struct acpi_info *acpi, const char *sig,
					  unsigned int instance)
{
	for (uint32_t i = 0; i < acpi->count; i++) {
		const struct acpi_table_header *h = hpa_to_hva(acpi->tables[i]);

		if (!memcmp(h->signature, sig, 4) && instance-- == 0)
			return h;
	}
	return NULL;
}
