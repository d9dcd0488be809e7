// SPDX-License-Identifier: MIT
/*
 * iommu/dmar.c - ACPI DMAR parsing, VT-d §8.
 *
 * The table is untrusted input: it is read through bounded little-endian loads only,
 * each after the check that the bytes exist inside the structure that contains them.
 */
#include <errno.h>
#include <string.h>

#include "iommu/dmar.h"
#include "iommu/iommu_env.h"

#define DMAR_HDR_LEN	  48 /* ACPI header (36) + HAW, flags, 10 reserved */
#define SCOPE_HDR_LEN	  6
#define PCI_SECONDARY_BUS 0x19

static uint8_t ld8(const uint8_t *p)
{
	return p[0];
}

static uint16_t ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)ld16(p) | (uint32_t)ld16(p + 2) << 16;
}

static uint64_t ld64(const uint8_t *p)
{
	return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

struct parser {
	const uint8_t *base;
	struct vtd_dmar_info *out;
	vtd_pci_read8_fn read8;
	void *ctx;
};

static const char *type_name(unsigned int t)
{
	static const char *const n[] = { "DRHD", "RMRR", "ATSR", "RHSA", "ANDD", "SATC", "SIDP" };

	return t < sizeof(n) / sizeof(n[0]) ? n[t] : "unknown";
}

/*
 * §8.3.1: follow a device scope's path from its start bus; every hop but the last is a
 * PCI-PCI bridge whose secondary bus holds the next hop. Returns 0 or -ENOENT.
 */
static int resolve_path(struct parser *p, uint16_t seg, uint8_t bus, const uint8_t *path,
			unsigned int hops, uint16_t *sid)
{
	unsigned int i;

	for (i = 0; i < hops; i++) {
		uint8_t dev = ld8(path + 2 * i), fn = ld8(path + 2 * i + 1);

		if (dev > 31 || fn > 7)
			return -ENOENT;
		if (i + 1 == hops) {
			*sid = (uint16_t)(bus << 8 | dev << 3 | fn);
			return 0;
		}
		if (!p->read8)
			return -ENOENT;
		{
			uint8_t sec = p->read8(p->ctx, seg, bus, dev, fn, PCI_SECONDARY_BUS);

			/* 0xff: nothing there; a secondary bus at or below ours: not a bridge */
			if (sec == 0xff || sec <= bus)
				return -ENOENT;
			bus = sec;
		}
	}
	return -ENOENT;
}

/*
 * Parse the device scopes in [s, s + len) of the structure at table offset @off.
 * Returns 0, or -EINVAL when a scope's length is malformed (the structure is skipped).
 */
static int parse_scopes(struct parser *p, size_t off, const uint8_t *s, size_t len, uint16_t seg,
			struct vtd_dmar_scopes *sc)
{
	size_t pos = 0;

	sc->n = 0;
	while (pos < len) {
		const uint8_t *d = s + pos;
		size_t slen;
		uint16_t sid = 0;

		if (len - pos < SCOPE_HDR_LEN) {
			vtd_warn(
				"DMAR: %zu stray bytes after the device scopes of the structure at "
				"offset %#zx",
				len - pos, off);
			return -EINVAL;
		}
		slen = ld8(d + 1);
		if (slen < SCOPE_HDR_LEN + 2 || (slen - SCOPE_HDR_LEN) % 2 || slen > len - pos) {
			vtd_warn("DMAR: device scope at offset %#zx has bad length %zu "
				 "(%zu bytes left in its structure)",
				 off + (size_t)(d - s) + 0, slen, len - pos);
			return -EINVAL;
		}
		if (resolve_path(p, seg, ld8(d + 5), d + SCOPE_HDR_LEN,
				 (unsigned int)(slen - SCOPE_HDR_LEN) / 2, &sid)) {
			vtd_warn("DMAR: device scope (type %u) with an unresolvable PCI path from "
				 "bus %#x: skipped",
				 ld8(d), ld8(d + 5));
			p->out->skipped++;
		} else if (sc->n == VTD_DMAR_MAX_SCOPE) {
			vtd_warn("DMAR: more than %u device scopes in one structure: rest skipped",
				 VTD_DMAR_MAX_SCOPE);
			p->out->skipped++;
		} else {
			sc->dev[sc->n].type = ld8(d);
			sc->dev[sc->n].enum_id = ld8(d + 4);
			sc->dev[sc->n].sid = sid;
			sc->n++;
		}
		pos += slen;
	}
	return 0;
}

/* Minimum length of each structure type, its fixed part (§8.3-8.8). */
static size_t min_len(unsigned int type)
{
	switch (type) {
	case VTD_DMAR_TYPE_DRHD:
		return 16;
	case VTD_DMAR_TYPE_RMRR:
		return 24;
	case VTD_DMAR_TYPE_ATSR:
	case VTD_DMAR_TYPE_SATC:
		return 8;
	case VTD_DMAR_TYPE_RHSA:
		return 20;
	default:
		return 4;
	}
}

static bool full(struct parser *p, unsigned int n, unsigned int max, unsigned int type)
{
	if (n < max)
		return false;
	vtd_warn("DMAR: more than %u %s structures: rest skipped", max, type_name(type));
	p->out->skipped++;
	return true;
}

static void parse_one(struct parser *p, size_t off, const uint8_t *s, size_t len)
{
	struct vtd_dmar_info *o = p->out;
	unsigned int type = ld16(s);
	uint16_t seg;

	if (len < min_len(type)) {
		vtd_warn("DMAR: %s at offset %#zx is %zu bytes, below its %zu: skipped",
			 type_name(type), off, len, min_len(type));
		o->skipped++;
		return;
	}
	switch (type) {
	case VTD_DMAR_TYPE_DRHD: {
		struct vtd_dmar_drhd *d = &o->drhd[o->ndrhd];
		uint8_t size = ld8(s + 5) & 0xf;

		if (full(p, o->ndrhd, VTD_DMAR_MAX_DRHD, type))
			return;
		memset(d, 0, sizeof(*d));
		seg = ld16(s + 6);
		d->include_all = ld8(s + 4) & VTD_DRHD_INCLUDE_PCI_ALL;
		d->segment = seg;
		d->reg_base = ld64(s + 8);
		d->reg_size = VTD_PAGE_SIZE << size;
		if (!d->reg_base || (d->reg_base & (VTD_PAGE_SIZE - 1))) {
			vtd_warn("DMAR: DRHD at offset %#zx has register base %#llx: skipped", off,
				 (unsigned long long)d->reg_base);
			o->skipped++;
			return;
		}
		if (parse_scopes(p, off, s + 16, len - 16, seg, &d->scope))
			break;
		o->ndrhd++;
		return;
	}
	case VTD_DMAR_TYPE_RMRR: {
		struct vtd_dmar_rmrr *r = &o->rmrr[o->nrmrr];

		if (full(p, o->nrmrr, VTD_DMAR_MAX_RMRR, type))
			return;
		memset(r, 0, sizeof(*r));
		seg = ld16(s + 6);
		r->segment = seg;
		r->base = ld64(s + 8);
		r->limit = ld64(s + 16);
		/* §8.4: base 4-KiB aligned, limit + 1 4-KiB aligned, base <= limit */
		if ((r->base & (VTD_PAGE_SIZE - 1)) || ((r->limit + 1) & (VTD_PAGE_SIZE - 1)) ||
		    r->limit < r->base) {
			vtd_warn("DMAR: RMRR at offset %#zx has bad range %#llx-%#llx: skipped",
				 off, (unsigned long long)r->base, (unsigned long long)r->limit);
			o->skipped++;
			return;
		}
		if (parse_scopes(p, off, s + 24, len - 24, seg, &r->scope))
			break;
		o->nrmrr++;
		return;
	}
	case VTD_DMAR_TYPE_ATSR: {
		struct vtd_dmar_atsr *a = &o->atsr[o->natsr];

		if (full(p, o->natsr, VTD_DMAR_MAX_ATSR, type))
			return;
		memset(a, 0, sizeof(*a));
		seg = ld16(s + 6);
		a->segment = seg;
		a->all_ports = ld8(s + 4) & VTD_ATSR_ALL_PORTS;
		if (parse_scopes(p, off, s + 8, len - 8, seg, &a->scope))
			break;
		o->natsr++;
		return;
	}
	case VTD_DMAR_TYPE_SATC: {
		struct vtd_dmar_satc *a = &o->satc[o->nsatc];

		if (full(p, o->nsatc, VTD_DMAR_MAX_SATC, type))
			return;
		memset(a, 0, sizeof(*a));
		seg = ld16(s + 6);
		a->segment = seg;
		a->atc_required = ld8(s + 4) & VTD_SATC_ATC_REQUIRED;
		if (parse_scopes(p, off, s + 8, len - 8, seg, &a->scope))
			break;
		o->nsatc++;
		return;
	}
	case VTD_DMAR_TYPE_RHSA:
		if (full(p, o->nrhsa, VTD_DMAR_MAX_RHSA, type))
			return;
		o->rhsa[o->nrhsa].reg_base = ld64(s + 8);
		o->rhsa[o->nrhsa].proximity_domain = ld32(s + 16);
		o->nrhsa++;
		return;
	default:
		/* ANDD, SIDP and future types: not needed here. */
		return;
	}
	vtd_warn("DMAR: %s at offset %#zx has malformed device scopes: skipped", type_name(type),
		 off);
	o->skipped++;
}

int vtd_dmar_parse(const void *table, size_t len, vtd_pci_read8_fn read8, void *ctx,
		   struct vtd_dmar_info *out)
{
	const uint8_t *t = table;
	struct parser p = { .base = t, .out = out, .read8 = read8, .ctx = ctx };
	uint32_t tlen;
	uint8_t sum = 0;
	size_t off, i;

	memset(out, 0, sizeof(*out));
	if (!t || len < DMAR_HDR_LEN || memcmp(t, "DMAR", 4)) {
		vtd_err("DMAR: no DMAR table (%zu bytes)", len);
		return -EINVAL;
	}
	tlen = ld32(t + 4);
	if (tlen < DMAR_HDR_LEN || tlen > len) {
		vtd_err("DMAR: header length %u does not fit the %zu bytes given", tlen, len);
		return -EINVAL;
	}
	for (i = 0; i < tlen; i++)
		sum = (uint8_t)(sum + t[i]);
	if (sum)
		vtd_warn("DMAR: bad checksum (sum %#x); parsing anyway", sum);
	out->haw = (unsigned int)ld8(t + 36) + 1;
	out->flags = ld8(t + 37);

	for (off = DMAR_HDR_LEN; off < tlen;) {
		size_t slen;

		if (tlen - off < 4) {
			vtd_warn("DMAR: %zu stray bytes at the end of the table", tlen - off);
			out->skipped++;
			break;
		}
		slen = ld16(t + off + 2);
		if (slen < 4 || slen > tlen - off) {
			vtd_warn("DMAR: %s at offset %#zx has length %zu, %zu bytes left: "
				 "table walk ends",
				 type_name(ld16(t + off)), off, slen, (size_t)(tlen - off));
			out->skipped++;
			break;
		}
		parse_one(&p, off, t + off, slen);
		off += slen;
	}
	vtd_info("DMAR: HAW %u, %u DRHD, %u RMRR, %u ATSR, %u SATC, %u RHSA, %u skipped", out->haw,
		 out->ndrhd, out->nrmrr, out->natsr, out->nsatc, out->nrhsa, out->skipped);
	return 0;
}
