/* SPDX-License-Identifier: MIT */
/*
 * The normalized memory map in struct boot_info: sorted, non-overlapping, 4-KiB
 * granular. Portable C (no hardware access), shared by the core, the boot paths
 * (including the UEFI loader, which compiles this file itself) and the unit tests.
 */
#ifndef HV_MEMMAP_H
#define HV_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/boot_info.h"

/*
 * memmap_add() - put [base, base + size) of @type into bi->mmap.
 * @base, @size: HPA and bytes; any alignment; the range may end exactly at 2^64. A
 *               usable range is shrunk inward to whole 4-KiB frames (a partial frame is
 *               not RAM anyone may use), every other type is grown outward.
 * The map describes [0, 2^64 - 4 KiB): the top 4-KiB frame is never part of it (a
 * half-open end above it would not fit in 64 bits; no platform has memory there), so
 * the part of a range inside that frame is dropped.
 * Where ranges overlap, the more restrictive type wins, in this order (weakest first):
 * USABLE < BOOT_DATA < ACPI_RECLAIM < ACPI_NVS < FIRMWARE < MMIO < RESERVED < UNUSABLE
 * < HV_POOL < HV_IMAGE. Adjacent ranges of one type are merged.
 * Returns 0; -EINVAL for size 0 or a range that ends beyond 2^64; -ENOSPC when the
 * result would need more than BOOT_MMAP_MAX entries (the map is then unchanged).
 */
int memmap_add(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type);

/* memmap_type_name() - "usable", "reserved", ...; "unknown" for anything else. */
const char *memmap_type_name(uint32_t type);

/* memmap_total() - bytes of @type in bi->mmap. */
uint64_t memmap_total(const struct boot_info *bi, uint32_t type);

/* memmap_is_ram() - true for the types that are DRAM (usable, ACPI, firmware, hv, boot data). */
bool memmap_is_ram(uint32_t type);

#endif /* HV_MEMMAP_H */
