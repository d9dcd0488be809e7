// SPDX-License-Identifier: MIT
/*
 * The core's boot page tables (4-level paging, SDM Vol. 3A §4.5), built by the loader
 * in memory it allocated for them:
 * - an identity map, VA = HPA, of [0, 4 GiB) and of every range of the memory map, in
 *   1-GiB pages when the CPU has them, else 2-MiB pages; whole gigabytes, so that MMIO
 *   and firmware ranges near RAM are reachable by the core's early code too;
 * - the core's image at HV_IMAGE_VBASE + offset -> image HPA + offset, in 4-KiB pages
 *   since the image is only 4-KiB aligned in physical memory.
 * Every entry is present, writable, supervisor, executable (no XD: EFER.NXE may be off),
 * PAT index 0 (write-back; the firmware's MTRRs make MMIO uncached).
 */
#include <cpuid.h>
#include "boot/efi/loader.h"
#include "hv/layout.h"

#define PTE_P	      (1ull << 0)
#define PTE_RW	      (1ull << 1)
#define PTE_PS	      (1ull << 7) /* 2-MiB page in a PDE, 1-GiB page in a PDPTE */
#define PTE_ADDR_MASK 0x000ffffffffff000ull

#define PT_ENTRIES 512u
#define SHIFT_4K   12
#define SHIFT_2M   21
#define SHIFT_1G   30
#define SHIFT_512G 39
#define SIZE_4G	   (4ull << SHIFT_1G)

/* Identity map limit: the lower canonical half of 4-level paging, 128 TiB (PML4 0-255). */
#define IDENT_LIMIT_GIB (1ull << (47 - SHIFT_1G))

struct pt_alloc {
	uint64_t base; /* HPA of the first page */
	UINTN pages;
	UINTN used;
};

bool pt_cpu_has_gib_pages(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (!__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx))
		return false;
	return (edx >> 26) & 1;
}

/*
 * Call @fn for each gigabyte to identity-map, in increasing order and each once:
 * gigabytes 0-3, then those the (sorted) memory map touches. Stops at the first
 * nonzero return of @fn and returns it. Returns -1 for a range above IDENT_LIMIT_GIB.
 */
static int for_each_gib(const struct boot_info *bi, int (*fn)(uint64_t gib, void *ctx), void *ctx)
{
	uint64_t next = 0; /* first gigabyte not visited yet */
	int ret;

	for (uint32_t i = 0; i <= bi->mmap_count; i++) {
		uint64_t first, last;

		if (i == 0) {
			first = 0;
			last = (SIZE_4G - 1) >> SHIFT_1G;
		} else {
			const struct boot_mem_range *r = &bi->mmap[i - 1];

			first = r->base >> SHIFT_1G;
			last = (r->base + r->size - 1) >> SHIFT_1G;
		}
		if (last >= IDENT_LIMIT_GIB) {
			Print(L"efi: pt: range up to gigabyte %lu beyond 4-level paging\n", last);
			return -1;
		}
		for (uint64_t g = first > next ? first : next; g <= last; g++) {
			ret = fn(g, ctx);
			if (ret)
				return ret;
		}
		if (last + 1 > next)
			next = last + 1;
	}
	return 0;
}

struct count_ctx {
	bool gib_pages;
	UINTN pages;
	uint64_t last_slot; /* last 512-GiB slot counted, +1 (0 = none yet) */
};

static int count_gib(uint64_t gib, void *p)
{
	struct count_ctx *c = p;
	uint64_t slot = gib >> (SHIFT_512G - SHIFT_1G);

	if (slot + 1 != c->last_slot) {
		c->pages++; /* a PDPT for this 512-GiB slot */
		c->last_slot = slot + 1;
	}
	if (!c->gib_pages)
		c->pages++; /* a PD for this gigabyte */
	return 0;
}

/* 2-MiB regions the image window [HV_IMAGE_VBASE, + size) touches: one PT each. */
static UINTN image_pts(uint64_t image_size)
{
	uint64_t first = HV_IMAGE_VBASE >> SHIFT_2M;
	uint64_t last = (HV_IMAGE_VBASE + image_size - 1) >> SHIFT_2M;

	return (UINTN)(last - first + 1);
}

UINTN pt_pages_needed(const struct boot_info *bi, uint64_t image_size, bool gib_pages)
{
	struct count_ctx c = { .gib_pages = gib_pages, .pages = 0, .last_slot = 0 };

	if (for_each_gib(bi, count_gib, &c))
		return 0;
	/* PML4, plus the image's PDPT, PD and PTs. */
	return 1 + c.pages + 2 + image_pts(image_size);
}

/* A zeroed page from the block; NULL when it is used up. */
static uint64_t *pt_page(struct pt_alloc *a)
{
	uint64_t *page;

	if (a->used >= a->pages)
		return NULL;
	page = (uint64_t *)(uintptr_t)(a->base + a->used * EFI_PAGE_BYTES);
	a->used++;
	SetMem(page, EFI_PAGE_BYTES, 0);
	return page;
}

/* The table that @entry points to, made (zeroed) when not present. NULL: block used up. */
static uint64_t *pt_next(struct pt_alloc *a, uint64_t *entry)
{
	uint64_t *next;

	if (*entry & PTE_P)
		return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR_MASK);
	next = pt_page(a);
	if (next)
		*entry = (uint64_t)(uintptr_t)next | PTE_P | PTE_RW;
	return next;
}

struct build_ctx {
	struct pt_alloc *a;
	uint64_t *pml4;
	bool gib_pages;
};

static int map_gib(uint64_t gib, void *p)
{
	struct build_ctx *c = p;
	uint64_t va = gib << SHIFT_1G;
	uint64_t *pdpt, *pd;

	pdpt = pt_next(c->a, &c->pml4[(va >> SHIFT_512G) % PT_ENTRIES]);
	if (!pdpt)
		return -1;
	if (c->gib_pages) {
		pdpt[gib % PT_ENTRIES] = va | PTE_P | PTE_RW | PTE_PS;
		return 0;
	}
	pd = pt_next(c->a, &pdpt[gib % PT_ENTRIES]);
	if (!pd)
		return -1;
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		pd[i] = (va + ((uint64_t)i << SHIFT_2M)) | PTE_P | PTE_RW | PTE_PS;
	return 0;
}

/* The image window, one 4-KiB page at a time. */
static int map_image(struct pt_alloc *a, uint64_t *pml4, uint64_t image_base, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += EFI_PAGE_BYTES) {
		uint64_t va = HV_IMAGE_VBASE + off;
		uint64_t *pdpt, *pd, *pt;

		pdpt = pt_next(a, &pml4[(va >> SHIFT_512G) % PT_ENTRIES]);
		pd = pdpt ? pt_next(a, &pdpt[(va >> SHIFT_1G) % PT_ENTRIES]) : NULL;
		pt = pd ? pt_next(a, &pd[(va >> SHIFT_2M) % PT_ENTRIES]) : NULL;
		if (!pt)
			return -1;
		pt[(va >> SHIFT_4K) % PT_ENTRIES] = (image_base + off) | PTE_P | PTE_RW;
	}
	return 0;
}

uint64_t pt_build(const struct boot_info *bi, uint64_t pt_base, UINTN pages, uint64_t image_base,
		  uint64_t image_size, bool gib_pages)
{
	struct pt_alloc a = { .base = pt_base, .pages = pages, .used = 0 };
	struct build_ctx c = { .a = &a, .gib_pages = gib_pages };

	c.pml4 = pt_page(&a);
	if (!c.pml4 || for_each_gib(bi, map_gib, &c) ||
	    map_image(&a, c.pml4, image_base, image_size)) {
		Print(L"efi: pt: %lu pages were not enough\n", pages);
		return 0;
	}
	return (uint64_t)(uintptr_t)c.pml4;
}
