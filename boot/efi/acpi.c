// SPDX-License-Identifier: MIT
/* The ACPI RSDP, from the UEFI system configuration table (UEFI 2.10 §4.6). */
#include "boot/efi/loader.h"

/* ACPI 6.5 §5.2.5.3: the RSDP; revision is byte 15, 0 for ACPI 1.0, 2 for 2.0+. */
#define ACPI_RSDP_REVISION_OFF 15

static bool guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	return CompareMem(a, b, sizeof(*a)) == 0;
}

static uint64_t find_table(const EFI_GUID *guid)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (guid_eq(&t->VendorGuid, guid))
			return (uint64_t)(uintptr_t)t->VendorTable;
	}
	return 0;
}

uint64_t acpi_find_rsdp(uint8_t *revision)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	EFI_GUID acpi10 = ACPI_TABLE_GUID;
	uint64_t rsdp;

	/* The 2.0 entry points to an RSDP with the XSDT (64-bit table addresses). */
	rsdp = find_table(&acpi20);
	if (!rsdp)
		rsdp = find_table(&acpi10);
	*revision = rsdp ? ((const uint8_t *)(uintptr_t)rsdp)[ACPI_RSDP_REVISION_OFF] : 0;
	return rsdp;
}
