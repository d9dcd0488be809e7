/* SPDX-License-Identifier: MIT */
/*
 * ACPI table lookup: RSDP -> XSDT (or RSDT) -> tables, every checksum and length
 * verified before use (ACPI 6.5 §5.2.5 RSDP, §5.2.6 header, §5.2.7 RSDT, §5.2.8 XSDT).
 * Firmware tables are input like any other: a bad one is logged and skipped.
 */
#ifndef HV_ACPI_H
#define HV_ACPI_H

#include "hv/types.h"

#define ACPI_TABLES_MAX 64u

struct acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	uint8_t checksum;  /* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision; /* 0: ACPI 1.0 (20 bytes), >= 2: 36 bytes with the XSDT */
	uint32_t rsdt_address;
	uint32_t length; /* revision >= 2 */
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* over `length` bytes */
	uint8_t reserved[3];
} __attribute__((packed));

struct acpi_table_header {
	char signature[4];
	uint32_t length; /* bytes, header included */
	uint8_t revision;
	uint8_t checksum; /* the whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

struct acpi_info {
	hpa_t rsdp;		       /* HPA of the RSDP */
	uint8_t revision;	       /* RSDP revision */
	bool xsdt;		       /* the root is an XSDT (else an RSDT) */
	hpa_t root;		       /* HPA of the XSDT or RSDT */
	uint32_t count;		       /* valid tables in tables[] */
	uint32_t rejected;	       /* entries skipped: unmapped, too short, bad checksum */
	hpa_t tables[ACPI_TABLES_MAX]; /* HPAs of the valid tables, root order */
};

/*
 * acpi_init() - find and check every table reachable from the RSDP at @rsdp (HPA).
 * Prefers the XSDT when the RSDP revision is >= 2 and the XSDT is valid, else the
 * RSDT. Returns 0 (tables listed in @acpi, bad entries counted in acpi->rejected);
 * -ENOENT when @rsdp is 0; -EFAULT when the RSDP or root is not in mapped memory;
 * -EINVAL for a bad RSDP signature/checksum or no valid root table.
 */
int acpi_init(hpa_t rsdp, struct acpi_info *acpi);

/*
 * acpi_find() - the @instance-th (0-based) valid table with signature @sig (4 chars),
 * already checked; NULL if there is none.
 */
const struct acpi_table_header *acpi_find(const struct acpi_info *acpi, const char *sig,
					  unsigned int instance);

/* acpi_checksum_ok() - the @len bytes at @p sum to 0 modulo 256. */
bool acpi_checksum_ok(const void *p, uint64_t len);

#endif /* HV_ACPI_H */
