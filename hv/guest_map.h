/* SPDX-License-Identifier: MIT */
/*
 * The guest-physical memory map: one map, built once from boot_info, from which both
 * the EPT (hv/ept.c) and the IOMMU second-level tables are made (design.md "Data that
 * flows"). Identity: GPA = HPA. The hypervisor's image and frame pool are absent, so
 * neither the guest's CPU nor its devices can reach them.
 * Portable: unit tests build maps from hand-made boot_info and MTRR states.
 */
#ifndef HV_GUEST_MAP_H
#define HV_GUEST_MAP_H

#include "hv/boot_info.h"
#include "hv/mtrr.h"
#include "hv/types.h"

#define GUEST_MAP_MAX 256u

enum guest_mem_kind {
	GUEST_MEM_ABSENT = 0, /* not mapped: an access is an EPT violation */
	GUEST_MEM_RAM = 1,    /* RAM the guest owns (usable, ACPI, firmware, boot data) */
	GUEST_MEM_MMIO = 2,   /* device memory: reserved ranges and holes below 4 GiB */
};

struct guest_mem_range {
	gpa_t base;	 /* GPA (= HPA), 4-KiB aligned */
	uint64_t size;	 /* bytes, multiple of 4 KiB */
	uint8_t kind;	 /* enum guest_mem_kind, never GUEST_MEM_ABSENT */
	uint8_t memtype; /* MEMTYPE_*: the MTRRs' type for RAM, UC for MMIO */
};

struct guest_map {
	uint32_t count;	    /* ranges, sorted by base, disjoint, neighbours differ */
	uint64_t ram_bytes; /* sum of the RAM ranges */
	uint64_t top;	    /* one past the highest mapped GPA */
	struct guest_mem_range r[GUEST_MAP_MAX];
};

/*
 * guest_map_build() - the guest's map from @bi's memory map and the MTRRs @mtrr:
 * usable, ACPI, firmware and boot-data ranges are RAM; reserved and MMIO ranges, and the
 * holes below 4 GiB, are MMIO (UC); the hv image, hv pool and unusable ranges are
 * absent, as is everything above 4 GiB that the memory map does not list.
 * RAM ranges are split where the MTRR type changes. Returns 0, or -ENOSPC when more than
 * GUEST_MAP_MAX ranges would be needed (@m then holds no usable map).
 */
int guest_map_build(const struct boot_info *bi, const struct mtrr_state *mtrr, struct guest_map *m);

/*
 * guest_map_kind() - the kind of every byte of [gpa, gpa + len) (GPA, bytes), or
 * GUEST_MEM_ABSENT when any byte is absent, the kinds differ, len is 0 or the range
 * wraps. Use it to validate a guest pointer before the hypervisor touches it.
 */
enum guest_mem_kind guest_map_kind(const struct guest_map *m, gpa_t gpa, uint64_t len);

/* guest_map_log() - one debug line per range, prefix "gmap". */
void guest_map_log(const struct guest_map *m);

#endif /* HV_GUEST_MAP_H */
