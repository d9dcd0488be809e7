// SPDX-License-Identifier: MIT
/* The MADT's processor list (hv/smp.h), portable: compiled into the core and hosted. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "hv/smp.h"

#define MADT_HEADER_LEN 44u /* ACPI header (36) + local APIC address + flags */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned int add_id(uint32_t *ids, unsigned int n, unsigned int max, uint32_t id)
{
	for (unsigned int i = 0; i < n; i++)
		if (ids[i] == id)
			return n;
	if (n < max)
		ids[n++] = id;
	return n;
}

int smp_madt_apic_ids(const void *madt, uint64_t len, uint32_t *ids, unsigned int max)
{
	const uint8_t *t = madt;
	unsigned int n = 0;
	uint64_t off;

	if (!t || len < MADT_HEADER_LEN || memcmp(t, "APIC", 4) || le32(t + 4) != len)
		return -EINVAL;
	for (off = MADT_HEADER_LEN; off < len;) {
		uint8_t type, slen;

		if (len - off < 2)
			return -EINVAL;
		type = t[off];
		slen = t[off + 1];
		if (slen < 2 || slen > len - off)
			return -EINVAL;
		if (type == MADT_TYPE_LOCAL_APIC && slen >= 8) {
			if (le32(t + off + 4) & MADT_LAPIC_ENABLED)
				n = add_id(ids, n, max, t[off + 3]);
		} else if (type == MADT_TYPE_LOCAL_X2APIC && slen >= 16) {
			if (le32(t + off + 8) & MADT_LAPIC_ENABLED)
				n = add_id(ids, n, max, le32(t + off + 4));
		}
		off += slen;
	}
	return (int)n;
}
