/* SPDX-License-Identifier: MIT */
/*
 * iommu/dmar.h - the ACPI DMA Remapping Reporting table (DMAR, VT-d §8): DRHD, RMRR,
 * ATSR, RHSA and SATC structures and their device scopes.
 */
#ifndef IOMMU_DMAR_H
#define IOMMU_DMAR_H

#include "iommu/types.h"

#define VTD_DMAR_MAX_DRHD  16
#define VTD_DMAR_MAX_RMRR  16
#define VTD_DMAR_MAX_ATSR  8
#define VTD_DMAR_MAX_SATC  8
#define VTD_DMAR_MAX_RHSA  16
#define VTD_DMAR_MAX_SCOPE 32 /* device scopes kept per structure */

/* Remapping structure types, §8.2 */
#define VTD_DMAR_TYPE_DRHD 0
#define VTD_DMAR_TYPE_RMRR 1
#define VTD_DMAR_TYPE_ATSR 2
#define VTD_DMAR_TYPE_RHSA 3
#define VTD_DMAR_TYPE_ANDD 4
#define VTD_DMAR_TYPE_SATC 5

/* Device scope types, §8.3.1 */
#define VTD_SCOPE_PCI_ENDPOINT 1
#define VTD_SCOPE_PCI_SUBHIER  2
#define VTD_SCOPE_IOAPIC       3
#define VTD_SCOPE_HPET	       4
#define VTD_SCOPE_ACPI_NS      5

#define VTD_DRHD_INCLUDE_PCI_ALL VTD_BIT(0)
#define VTD_ATSR_ALL_PORTS	 VTD_BIT(0)
#define VTD_SATC_ATC_REQUIRED	 VTD_BIT(0)
#define VTD_DMAR_INTR_REMAP	 VTD_BIT(0)
#define VTD_DMAR_X2APIC_OPT_OUT	 VTD_BIT(1)
#define VTD_DMAR_DMA_CTRL_OPT_IN VTD_BIT(2)

/* One device scope, its PCI path resolved to the device's source-id. */
struct vtd_dmar_dev {
	uint8_t type;	 /* VTD_SCOPE_* */
	uint8_t enum_id; /* IOAPIC / HPET / ACPI enumeration id */
	uint16_t sid;	 /* bus:dev.fn at the end of the path */
};

struct vtd_dmar_scopes {
	unsigned int n;
	struct vtd_dmar_dev dev[VTD_DMAR_MAX_SCOPE];
};

struct vtd_dmar_drhd {
	hpa_t reg_base;	   /* HPA of the register set */
	uint64_t reg_size; /* bytes: 2^SIZE 4-KiB pages */
	uint16_t segment;
	bool include_all; /* INCLUDE_PCI_ALL: every device of the segment not elsewhere */
	struct vtd_dmar_scopes scope;
};

struct vtd_dmar_rmrr {
	uint16_t segment;
	hpa_t base;  /* first byte (4-KiB aligned) */
	hpa_t limit; /* last byte (inclusive) */
	struct vtd_dmar_scopes scope;
};

struct vtd_dmar_atsr {
	uint16_t segment;
	bool all_ports;
	struct vtd_dmar_scopes scope;
};

struct vtd_dmar_satc {
	uint16_t segment;
	bool atc_required;
	struct vtd_dmar_scopes scope;
};

struct vtd_dmar_rhsa {
	hpa_t reg_base;
	uint32_t proximity_domain;
};

struct vtd_dmar_info {
	unsigned int haw; /* host address width, bits (HAW field + 1) */
	uint8_t flags;	  /* VTD_DMAR_INTR_REMAP ... */
	unsigned int ndrhd, nrmrr, natsr, nsatc, nrhsa;
	struct vtd_dmar_drhd drhd[VTD_DMAR_MAX_DRHD];
	struct vtd_dmar_rmrr rmrr[VTD_DMAR_MAX_RMRR];
	struct vtd_dmar_atsr atsr[VTD_DMAR_MAX_ATSR];
	struct vtd_dmar_satc satc[VTD_DMAR_MAX_SATC];
	struct vtd_dmar_rhsa rhsa[VTD_DMAR_MAX_RHSA];
	unsigned int skipped; /* malformed or unresolvable structures and scopes dropped */
};

/*
 * Reads one byte of PCI configuration space of segment @seg, @bus:@dev.@fn at offset
 * @off; returns 0xff where no device answers (as hardware does).
 */
typedef uint8_t (*vtd_pci_read8_fn)(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
				    uint16_t off);

/*
 * vtd_dmar_parse() - parse the DMAR table at @table, @len bytes (what the firmware
 * handed over; never read beyond it), into @out. Every length and offset is checked
 * before use: a structure or device scope that is too short, runs past its container,
 * or has a PCI path that does not resolve is logged, counted in out->skipped and
 * skipped; a structure whose length would run past the table (or is below 4 bytes)
 * ends the walk. PCI paths with bridges are followed through the bridges' secondary
 * bus numbers (config offset 0x19) read by @read8 (NULL: such paths are skipped).
 * The checksum is verified; a bad one is logged only (firmware gets it wrong).
 * Returns 0; -EINVAL if @len is below the 48-byte header, the signature is not
 * "DMAR", or the header's length is below 48 or above @len.
 */
int vtd_dmar_parse(const void *table, size_t len, vtd_pci_read8_fn read8, void *ctx,
		   struct vtd_dmar_info *out);

#endif /* IOMMU_DMAR_H */
