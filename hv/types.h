/* SPDX-License-Identifier: MIT */
/*
 * Address kinds. Every address carries its kind in its type or name (conventions.md):
 * a host-physical address is never used where a guest-physical one is meant without a
 * translation function in between.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t hpa_t;	 /* host-physical address */
typedef uint64_t gpa_t;	 /* guest-physical address */
typedef uint64_t gva_t;	 /* guest-virtual address */
typedef uint64_t iova_t; /* I/O virtual address (what a device puts on the bus) */

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ull << PAGE_SHIFT) /* 4 KiB */
#define PAGE_MASK  (~(PAGE_SIZE - 1))
#define SIZE_2M	   (1ull << 21)
#define SIZE_1G	   (1ull << 30)

#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define BIT(n)		 (1ull << (n))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))

#endif /* HV_TYPES_H */
