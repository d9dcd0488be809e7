/* SPDX-License-Identifier: MIT */
/*
 * iommu/types.h - the address kinds and helpers the VT-d driver uses.
 *
 * The driver never includes hv/ headers. The typedefs below are identical to those of
 * hv/types.h (a repeated identical typedef is legal C11), so a file that includes both
 * sees one type per address kind.
 */
#ifndef IOMMU_TYPES_H
#define IOMMU_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t hpa_t;	 /* host-physical address */
typedef uint64_t gpa_t;	 /* guest-physical address */
typedef uint64_t iova_t; /* I/O virtual address: the input address of a DMA request */

#define VTD_PAGE_SHIFT 12
#define VTD_PAGE_SIZE  (1ull << VTD_PAGE_SHIFT) /* 4 KiB */
#define VTD_PAGE_MASK  (~(VTD_PAGE_SIZE - 1))

#define VTD_BIT(n)	   (1ull << (n))
#define VTD_GENMASK(h, l)  ((~0ull >> (63 - (h))) & ~((1ull << (l)) - 1))
#define VTD_FIELD(v, h, l) (((uint64_t)(v)&VTD_GENMASK(h, l)) >> (l))

#endif /* IOMMU_TYPES_H */
