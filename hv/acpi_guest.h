/* SPDX-License-Identifier: MIT */
/*
 * hv/acpi_guest.h - the guest's own ACPI root (issue 7): a copy of the platform's RSDP
 * and root table (XSDT, and an RSDT when every entry fits 32 bits) in guest memory the
 * hypervisor chooses, with the platform's DMAR (if any) replaced by one that describes
 * the virtual VT-d unit (hv/vvtd.h): one DRHD at the unit's register-page GPA whose
 * device scope lists the PCI endpoints the guest owns (VT-d spec ch. 8 "BIOS
 * Considerations": 8.1 DMAR, 8.3 DRHD, 8.3.1 device scope). The platform's own tables
 * are not changed (the hypervisor keeps its view); every other table is shared by
 * pointer. Layout from @gpa: RSDP (36 bytes, ACPI 6.5 §5.2.5.3, revision 2), XSDT
 * (§5.2.8), RSDT (§5.2.7), DMAR, each 16-byte aligned, every checksum right.
 * Portable: memory through hpa_to_hva() after guest-map checks (GPA = HPA).
 */
#ifndef HV_ACPI_GUEST_H
#define HV_ACPI_GUEST_H

#include "hv/acpi.h"
#include "hv/guest_map.h"
#include "hv/types.h"

#define ACPI_GUEST_MAX_SIDS 16u
#define ACPI_GUEST_SPACE    4096u /* bytes acpi_guest_build() may use at most */

struct acpi_guest_unit {
	gpa_t reg_base;	    /* GPA of the virtual unit's 4-KiB register page */
	uint16_t seg;	    /* PCI segment */
	uint8_t haw;	    /* host address width the guest sees, bits (DMAR HAW + 1) */
	unsigned int nsids; /* endpoints in @sid */
	uint16_t sid[ACPI_GUEST_MAX_SIDS]; /* bus:dev.fn of each endpoint (bus 8 bits) */
};

/*
 * acpi_guest_build() - write the guest's RSDP, XSDT, RSDT and DMAR at @gpa (GPA, 16-byte
 * aligned, ACPI_GUEST_SPACE bytes of guest RAM the caller reserves in the guest's view).
 * @host: the platform's tables as acpi_init() found them (NULL: none, the guest gets an
 * XSDT with the DMAR alone); its root's entries are copied in order, raw, except those
 * naming a valid "DMAR" table, which the new DMAR replaces (appended last). Returns 0 with
 * the RSDP's GPA in @rsdp and the bytes used in @used; -EINVAL (@u malformed: no SIDs, too
 * many, unaligned base or @gpa); -EFAULT (@gpa's space is not guest RAM); -ENOSPC (the
 * platform's root has too many entries for ACPI_GUEST_SPACE).
 */
int acpi_guest_build(const struct acpi_info *host, const struct guest_map *m, gpa_t gpa,
		     const struct acpi_guest_unit *u, gpa_t *rsdp, uint64_t *used);

#endif /* HV_ACPI_GUEST_H */
