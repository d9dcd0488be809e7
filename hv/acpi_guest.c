// SPDX-License-Identifier: MIT
/* The guest's ACPI root with a DMAR for the virtual VT-d unit (hv/acpi_guest.h). */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "acpi"
#include "hv/acpi_guest.h"
#include "hv/log.h"
#include "hv/mm.h"

#define ROOT_MAX_ENTRIES 128u
#define HDR_LEN		 36u
#define DMAR_HDR_LEN	 48u /* header, HAW, flags, 10 reserved (VT-d 8.1) */
#define DRHD_LEN	 16u /* type, length, flags, size, segment, base (VT-d 8.3) */
#define SCOPE_LEN	 8u  /* one endpoint with a one-hop path (VT-d 8.3.1) */
#define DMAR_TYPE_DRHD	 0
#define SCOPE_ENDPOINT	 1

static uint8_t sum8(const void *p, uint64_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	for (uint64_t i = 0; i < len; i++)
		s += b[i];
	return s;
}

static void header(struct acpi_table_header *h, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, "VSVAHV", 6);
	memcpy(h->oem_table_id, "VVTD    ", 8);
	h->oem_revision = 1;
	memcpy(&h->creator_id, "VSVA", 4);
	h->creator_revision = 1;
	h->checksum = 0;
}

/* The platform's root entries, DMARs left out; returns the count or -ENOSPC. */
static int host_entries(const struct acpi_info *host, uint64_t *e)
{
	const struct acpi_table_header *root;
	unsigned int esz, n, out = 0;

	if (!host || !host->root)
		return 0;
	if (!host_hpa_mapped(host->root, HDR_LEN))
		return 0;
	root = hpa_to_hva(host->root);
	if (root->length < HDR_LEN || !host_hpa_mapped(host->root, root->length))
		return 0;
	esz = host->xsdt ? 8 : 4;
	n = (root->length - HDR_LEN) / esz;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t a = 0;
		bool dmar = false;

		memcpy(&a, (const uint8_t *)root + HDR_LEN + (uint64_t)i * esz, esz);
		for (uint32_t k = 0; k < host->count; k++)
			if (host->tables[k] == a &&
			    !memcmp(((const struct acpi_table_header *)hpa_to_hva(a))->signature,
				    "DMAR", 4))
				dmar = true;
		if (dmar) {
			log_info("guest ACPI: the platform's DMAR at 0x%llx is replaced by the "
				 "virtual unit's",
				 (unsigned long long)a);
			continue;
		}
		if (out == ROOT_MAX_ENTRIES)
			return -ENOSPC;
		e[out++] = a;
	}
	return (int)out;
}

static uint32_t dmar_write(uint8_t *p, const struct acpi_guest_unit *u)
{
	uint32_t len = DMAR_HDR_LEN + DRHD_LEN + SCOPE_LEN * u->nsids;
	uint8_t *d = p + DMAR_HDR_LEN, *s = d + DRHD_LEN;
	uint16_t drhd_len = (uint16_t)(DRHD_LEN + SCOPE_LEN * u->nsids);

	memset(p, 0, len);
	header((struct acpi_table_header *)p, "DMAR", len, 1);
	p[36] = (uint8_t)(u->haw - 1); /* HAW: width - 1 */
	p[37] = 0;		       /* no interrupt remapping, no x2APIC opt-out */
	d[0] = DMAR_TYPE_DRHD;
	memcpy(d + 2, &drhd_len, 2);
	d[4] = 0; /* flags: INCLUDE_PCI_ALL clear, the scope lists the devices */
	d[5] = 0; /* size: 2^0 4-KiB pages */
	memcpy(d + 6, &u->seg, 2);
	memcpy(d + 8, &u->reg_base, 8);
	for (unsigned int i = 0; i < u->nsids; i++, s += SCOPE_LEN) {
		s[0] = SCOPE_ENDPOINT;
		s[1] = SCOPE_LEN;
		s[4] = 0;				   /* enumeration ID */
		s[5] = (uint8_t)(u->sid[i] >> 8);	   /* start bus */
		s[6] = (uint8_t)((u->sid[i] >> 3) & 0x1f); /* device */
		s[7] = (uint8_t)(u->sid[i] & 7);	   /* function */
	}
	p[9] = (uint8_t)(0 - sum8(p, len));
	return len;
}

int acpi_guest_build(const struct acpi_info *host, const struct guest_map *m, gpa_t gpa,
		     const struct acpi_guest_unit *u, gpa_t *rsdp_gpa, uint64_t *used)
{
	static uint64_t ent[ROOT_MAX_ENTRIES];
	struct acpi_rsdp *rsdp;
	struct acpi_table_header *x, *r;
	uint64_t off_x = 48, off_r, off_d, end, dmar_gpa;
	bool rsdt = true;
	uint8_t *base;
	int n;

	if (!u || !u->nsids || u->nsids > ACPI_GUEST_MAX_SIDS || (u->reg_base & 0xfff) ||
	    (gpa & 15) || u->haw < 32 || u->haw > 64)
		return -EINVAL;
	if (guest_map_kind(m, gpa, ACPI_GUEST_SPACE) != GUEST_MEM_RAM ||
	    !host_hpa_mapped(gpa, ACPI_GUEST_SPACE))
		return -EFAULT;
	n = host_entries(host, ent);
	if (n < 0)
		return n;
	off_r = ALIGN_UP(off_x + HDR_LEN + 8ull * (n + 1), 16);
	off_d = ALIGN_UP(off_r + HDR_LEN + 4ull * (n + 1), 16);
	end = off_d + DMAR_HDR_LEN + DRHD_LEN + SCOPE_LEN * u->nsids;
	if (end > ACPI_GUEST_SPACE)
		return -ENOSPC;
	base = hpa_to_hva(gpa);
	memset(base, 0, end);
	dmar_gpa = gpa + off_d;
	dmar_write(base + off_d, u);

	x = (struct acpi_table_header *)(base + off_x);
	header(x, "XSDT", HDR_LEN + 8 * (n + 1), 1);
	for (int i = 0; i < n; i++)
		memcpy((uint8_t *)x + HDR_LEN + 8 * i, &ent[i], 8);
	memcpy((uint8_t *)x + HDR_LEN + 8 * n, &dmar_gpa, 8);
	x->checksum = (uint8_t)(0 - sum8(x, x->length));

	for (int i = 0; i < n; i++)
		rsdt = rsdt && ent[i] <= 0xffffffffull;
	rsdt = rsdt && dmar_gpa + 64 <= 0xffffffffull;
	r = (struct acpi_table_header *)(base + off_r);
	if (rsdt) {
		header(r, "RSDT", HDR_LEN + 4 * (n + 1), 1);
		for (int i = 0; i < n; i++)
			memcpy((uint8_t *)r + HDR_LEN + 4 * i, &ent[i], 4);
		memcpy((uint8_t *)r + HDR_LEN + 4 * n, &dmar_gpa, 4);
		r->checksum = (uint8_t)(0 - sum8(r, r->length));
	}

	rsdp = (struct acpi_rsdp *)base;
	memcpy(rsdp->signature, "RSD PTR ", 8);
	memcpy(rsdp->oem_id, "VSVAHV", 6);
	rsdp->revision = 2;
	rsdp->rsdt_address = rsdt ? (uint32_t)(gpa + off_r) : 0;
	rsdp->length = sizeof(*rsdp);
	rsdp->xsdt_address = gpa + off_x;
	rsdp->checksum = (uint8_t)(0 - sum8(rsdp, 20));
	rsdp->extended_checksum = (uint8_t)(0 - sum8(rsdp, sizeof(*rsdp)));
	*rsdp_gpa = gpa;
	*used = end;
	log_info("guest ACPI: RSDP 0x%llx, XSDT 0x%llx (%d platform tables + DMAR), RSDT %s, "
		 "DMAR 0x%llx: DRHD 0x%llx, %u endpoints",
		 (unsigned long long)gpa, (unsigned long long)(gpa + off_x), n,
		 rsdt ? "too" : "none (an entry above 4 GiB)", (unsigned long long)dmar_gpa,
		 (unsigned long long)u->reg_base, u->nsids);
	return 0;
}
