// SPDX-License-Identifier: MIT
/*
 * The normalized memory map (hv/memmap.h). Portable: no hardware access, no allocation;
 * the UEFI loader, the Multiboot2 entry, the core and the unit tests all use it.
 *
 * Invariant kept by memmap_add(): bi->mmap[0 .. mmap_count) is sorted by base, its
 * ranges do not overlap, are 4-KiB aligned, non-empty, and no two touching ranges
 * have the same type.
 */
#include <errno.h>
#include <string.h>
#include "hv/memmap.h"
#include "hv/types.h"

/* Rank of each type when ranges overlap: the higher rank wins. */
static int memmap_rank(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE:
		return 1;
	case BOOT_MEM_BOOT_DATA:
		return 2;
	case BOOT_MEM_ACPI_RECLAIM:
		return 3;
	case BOOT_MEM_ACPI_NVS:
		return 4;
	case BOOT_MEM_FIRMWARE:
		return 5;
	case BOOT_MEM_MMIO:
		return 6;
	case BOOT_MEM_RESERVED:
		return 7;
	case BOOT_MEM_UNUSABLE:
		return 8;
	case BOOT_MEM_HV_POOL:
		return 9;
	case BOOT_MEM_HV_IMAGE:
		return 10;
	default:
		return 7; /* unknown types are treated as reserved */
	}
}

const char *memmap_type_name(uint32_t type)
{
	static const char *const names[] = {
		[BOOT_MEM_USABLE] = "usable",
		[BOOT_MEM_RESERVED] = "reserved",
		[BOOT_MEM_ACPI_RECLAIM] = "acpi-reclaim",
		[BOOT_MEM_ACPI_NVS] = "acpi-nvs",
		[BOOT_MEM_UNUSABLE] = "unusable",
		[BOOT_MEM_FIRMWARE] = "firmware",
		[BOOT_MEM_MMIO] = "mmio",
		[BOOT_MEM_HV_IMAGE] = "hv-image",
		[BOOT_MEM_HV_POOL] = "hv-pool",
		[BOOT_MEM_BOOT_DATA] = "boot-data",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "unknown";
}

bool memmap_is_ram(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE:
	case BOOT_MEM_ACPI_RECLAIM:
	case BOOT_MEM_ACPI_NVS:
	case BOOT_MEM_FIRMWARE:
	case BOOT_MEM_HV_IMAGE:
	case BOOT_MEM_HV_POOL:
	case BOOT_MEM_BOOT_DATA:
		return true;
	default:
		return false;
	}
}

uint64_t memmap_total(const struct boot_info *bi, uint32_t type)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type == type)
			total += bi->mmap[i].size;
	return total;
}

static uint64_t range_end(const struct boot_mem_range *r)
{
	return r->base + r->size;
}

/* Insert @r at index @at, shifting the tail up. The caller checked the capacity. */
static void memmap_insert(struct boot_info *bi, uint32_t at, struct boot_mem_range r)
{
	memmove(&bi->mmap[at + 1], &bi->mmap[at], (bi->mmap_count - at) * sizeof(r));
	bi->mmap[at] = r;
	bi->mmap_count++;
}

/* Split the range that strictly contains @addr (if any) into two at @addr. */
static void memmap_split_at(struct boot_info *bi, uint64_t addr)
{
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		struct boot_mem_range *r = &bi->mmap[i];

		if (r->base < addr && addr < range_end(r)) {
			struct boot_mem_range tail = *r;

			tail.base = addr;
			tail.size = range_end(r) - addr;
			r->size = addr - r->base;
			memmap_insert(bi, i + 1, tail);
			return;
		}
	}
}

/* Entries memmap_add() would need beyond the current count for [base, end). */
static uint32_t memmap_extra_entries(const struct boot_info *bi, uint64_t base, uint64_t end)
{
	uint32_t extra = 0;
	uint64_t cursor = base;

	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];

		if (r->base < base && base < range_end(r))
			extra++; /* split at base */
		if (r->base < end && end < range_end(r))
			extra++; /* split at end */
		if (range_end(r) <= cursor || r->base >= end)
			continue;
		if (r->base > cursor)
			extra++; /* a gap before r gets a new entry */
		cursor = range_end(r);
	}
	if (cursor < end)
		extra++;
	return extra;
}

static void memmap_merge(struct boot_info *bi)
{
	uint32_t out = 0;

	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		if (out > 0 && bi->mmap[out - 1].type == bi->mmap[i].type &&
		    range_end(&bi->mmap[out - 1]) == bi->mmap[i].base) {
			bi->mmap[out - 1].size += bi->mmap[i].size;
			continue;
		}
		bi->mmap[out++] = bi->mmap[i];
	}
	bi->mmap_count = out;
}

int memmap_add(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type)
{
	uint64_t last, end;

	/* A range may end exactly at 2^64: work with its last byte, which always fits. */
	if (size == 0 || base + (size - 1) < base)
		return -EINVAL;
	last = base + (size - 1);
	/* The top frame is outside the map: a half-open end above it would not fit. */
	if (last >= PAGE_MASK)
		last = PAGE_MASK - 1;
	if (base > last)
		return 0;
	end = last + 1; /* <= PAGE_MASK: rounding it up below cannot wrap */
	if (type == BOOT_MEM_USABLE) {
		base = ALIGN_UP(base, PAGE_SIZE);
		end = ALIGN_DOWN(end, PAGE_SIZE);
	} else {
		base = ALIGN_DOWN(base, PAGE_SIZE);
		end = ALIGN_UP(end, PAGE_SIZE);
	}
	if (end <= base)
		return 0;
	if (bi->mmap_count + memmap_extra_entries(bi, base, end) > BOOT_MMAP_MAX)
		return -ENOSPC;

	memmap_split_at(bi, base);
	memmap_split_at(bi, end);

	/* Existing ranges now lie wholly inside or outside [base, end). */
	uint64_t cursor = base;
	uint32_t i = 0;

	while (cursor < end) {
		while (i < bi->mmap_count && range_end(&bi->mmap[i]) <= cursor)
			i++;
		if (i == bi->mmap_count || bi->mmap[i].base >= end) {
			memmap_insert(bi, i,
				      (struct boot_mem_range){ cursor, end - cursor, type, 0 });
			break;
		}
		struct boot_mem_range *r = &bi->mmap[i];

		if (r->base > cursor) {
			memmap_insert(bi, i,
				      (struct boot_mem_range){ cursor, r->base - cursor, type, 0 });
			i++;
			r = &bi->mmap[i];
		}
		if (memmap_rank(type) > memmap_rank(r->type))
			r->type = type;
		cursor = range_end(r);
		i++;
	}
	memmap_merge(bi);
	return 0;
}
