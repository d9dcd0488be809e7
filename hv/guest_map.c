// SPDX-License-Identifier: MIT
/* The guest-physical memory map (hv/guest_map.h). */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "gmap"
#include "hv/guest_map.h"
#include "hv/log.h"

#define FOUR_GIB (1ull << 32)

static int kind_of(uint32_t boot_type)
{
	switch (boot_type) {
	case BOOT_MEM_USABLE:
	case BOOT_MEM_ACPI_RECLAIM:
	case BOOT_MEM_ACPI_NVS:
	case BOOT_MEM_FIRMWARE:
	case BOOT_MEM_BOOT_DATA:
		return GUEST_MEM_RAM;
	case BOOT_MEM_RESERVED:
	case BOOT_MEM_MMIO:
		return GUEST_MEM_MMIO;
	default: /* hv image, hv pool, unusable, unknown: the guest never sees them */
		return GUEST_MEM_ABSENT;
	}
}

/* Append [base, base + size) with @kind and @memtype, merging with the last range. */
static int map_append(struct guest_map *m, gpa_t base, uint64_t size, int kind, uint8_t memtype)
{
	struct guest_mem_range *last = m->count ? &m->r[m->count - 1] : NULL;

	if (kind == GUEST_MEM_RAM)
		m->ram_bytes += size;
	m->top = base + size;
	if (last && last->base + last->size == base && last->kind == kind &&
	    last->memtype == memtype) {
		last->size += size;
		return 0;
	}
	if (m->count == GUEST_MAP_MAX)
		return -ENOSPC;
	m->r[m->count++] = (struct guest_mem_range){ base, size, (uint8_t)kind, memtype };
	return 0;
}

/* Add one piece of the address space, split into pieces of uniform MTRR type. */
static int map_add(struct guest_map *m, const struct mtrr_state *mtrr, gpa_t base, uint64_t end,
		   int kind)
{
	while (base < end) {
		uint64_t next;
		uint8_t type = mtrr_type(mtrr, base, &next);
		int ret;

		next = next >= end ? end : ALIGN_UP(MAX(next, base + 1), PAGE_SIZE);
		next = MIN(next, end);
		ret = map_append(m, base, next - base, kind,
				 kind == GUEST_MEM_MMIO ? MEMTYPE_UC : type);
		if (ret)
			return ret;
		base = next;
	}
	return 0;
}

int guest_map_build(const struct boot_info *bi, const struct mtrr_state *mtrr, struct guest_map *m)
{
	gpa_t cur = 0;
	int ret;

	memset(m, 0, sizeof(*m));
	for (uint32_t i = 0; i < bi->mmap_count && i < BOOT_MMAP_MAX; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];
		gpa_t base = ALIGN_DOWN(r->base, PAGE_SIZE);
		uint64_t end = ALIGN_UP(r->base + r->size, PAGE_SIZE);
		int kind = kind_of(r->type);

		if (end <= cur)
			continue; /* overlaps what is already placed: the first range wins */
		base = MAX(base, cur);
		/* A hole below 4 GiB is device space (VGA, option ROMs, the PCI hole). */
		if (base > cur && cur < FOUR_GIB) {
			ret = map_add(m, mtrr, cur, MIN(base, FOUR_GIB), GUEST_MEM_MMIO);
			if (ret)
				return ret;
		}
		if (kind != GUEST_MEM_ABSENT) {
			ret = map_add(m, mtrr, base, end, kind);
			if (ret)
				return ret;
		}
		cur = end;
	}
	if (cur < FOUR_GIB)
		return map_add(m, mtrr, cur, FOUR_GIB, GUEST_MEM_MMIO);
	return 0;
}

enum guest_mem_kind guest_map_kind(const struct guest_map *m, gpa_t gpa, uint64_t len)
{
	int kind = GUEST_MEM_ABSENT;
	gpa_t end = gpa + len;

	if (!len || end < gpa)
		return GUEST_MEM_ABSENT;
	for (uint32_t i = 0; i < m->count && gpa < end; i++) {
		const struct guest_mem_range *r = &m->r[i];

		if (gpa < r->base)
			return GUEST_MEM_ABSENT; /* a hole before this range */
		if (gpa - r->base >= r->size)
			continue;
		if (kind != GUEST_MEM_ABSENT && kind != r->kind)
			return GUEST_MEM_ABSENT;
		kind = r->kind;
		gpa = r->base + r->size;
	}
	return gpa >= end ? kind : GUEST_MEM_ABSENT;
}

void guest_map_log(const struct guest_map *m)
{
	for (uint32_t i = 0; i < m->count; i++)
		log_debug("  [0x%012llx-0x%012llx) %s %s", (unsigned long long)m->r[i].base,
			  (unsigned long long)(m->r[i].base + m->r[i].size),
			  m->r[i].kind == GUEST_MEM_RAM ? "ram " : "mmio",
			  mtrr_type_name(m->r[i].memtype));
}
