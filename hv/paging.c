// SPDX-License-Identifier: MIT
/*
 * Host page tables (hv/paging.h). 4-level paging, SDM Vol. 3A §4.5: PML4 -> PDPT ->
 * PD -> PT; a PDPTE or PDE with PS maps a 1-GiB or 2-MiB page. Memory types come from
 * the firmware's MTRRs with PAT entry 0 (WB): MMIO stays UC through its MTRR.
 */
#include <errno.h>
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/paging.h"
#include "hv/x86.h"

#define PTE_P	 BIT(0)
#define PTE_RW	 BIT(1)
#define PTE_PS	 BIT(7)
#define PTE_NX	 BIT(63)
#define PTE_ADDR 0x000ffffffffff000ull

#define SIZE_4K PAGE_SIZE

/* Linker symbols (linker.ld): the image's sections in the HV_IMAGE_VBASE window. */
extern char hv_text_start[], hv_rodata_start[], hv_data_start[], hv_image_end[];

struct pt_builder {
	hpa_t pml4;
	uint64_t frames;
	bool gbpages;
	uint64_t nx; /* PTE_NX or 0 */
};

static int pt_alloc_table(struct pt_builder *b, hpa_t *out)
{
	int ret = host_frames_alloc(1, 1, out);

	if (!ret)
		b->frames++;
	return ret;
}

/* Index of @va in the table of @level (4 = PML4 ... 1 = PT). */
static unsigned int pt_index(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 0x1ff;
}

/*
 * Map one page of @size (4K, 2M, 1G) at @va to @pa. A page already mapped by a larger
 * or equal leaf is left alone when it maps the same address (1:1 ranges overlap once
 * rounded to large pages); anything else is a bug in the caller: -EEXIST.
 */
static int pt_map_page(struct pt_builder *b, uint64_t va, hpa_t pa, uint64_t size, uint64_t flags)
{
	int leaf_level = size == SIZE_1G ? 3 : size == SIZE_2M ? 2 : 1;
	hpa_t table = b->pml4;

	for (int level = 4; level > leaf_level; level--) {
		uint64_t *e = (uint64_t *)hpa_to_hva(table) + pt_index(va, level);

		if (!(*e & PTE_P)) {
			hpa_t next;
			int ret = pt_alloc_table(b, &next);

			if (ret)
				return ret;
			*e = next | PTE_P | PTE_RW;
		} else if (*e & PTE_PS) {
			uint64_t big = 1ull << (PAGE_SHIFT + 9 * (level - 1));

			return (*e & PTE_ADDR) + (va & (big - 1)) == pa ? 0 : -EEXIST;
		}
		table = *e & PTE_ADDR;
	}
	uint64_t *e = (uint64_t *)hpa_to_hva(table) + pt_index(va, leaf_level);

	if (*e & PTE_P)
		return (*e & PTE_ADDR) == pa ? 0 : -EEXIST;
	*e = pa | flags | PTE_P | (leaf_level > 1 ? PTE_PS : 0);
	return 0;
}

/* Map [base, end) 1:1, read-write, non-executable, with the largest pages that fit. */
static int pt_map_identity(struct pt_builder *b, uint64_t base, uint64_t end)
{
	base = ALIGN_DOWN(base, SIZE_2M);
	end = ALIGN_UP(end, SIZE_2M);
	while (base < end) {
		uint64_t size = SIZE_2M;
		int ret;

		if (b->gbpages && IS_ALIGNED(base, SIZE_1G) && end - base >= SIZE_1G)
			size = SIZE_1G;
		if (base == 0) {
			/* The first 2 MiB in 4-KiB pages, frame 0 absent: NULL faults. */
			size = SIZE_2M;
			for (uint64_t pa = SIZE_4K; pa < SIZE_2M; pa += SIZE_4K) {
				ret = pt_map_page(b, pa, pa, SIZE_4K, PTE_RW | b->nx);
				if (ret)
					return ret;
			}
		} else {
			ret = pt_map_page(b, base, base, size, PTE_RW | b->nx);
			if (ret)
				return ret;
		}
		base += size;
	}
	return 0;
}

/* Map the image window with per-section permissions. */
static int pt_map_image(struct pt_builder *b, const struct boot_info *bi)
{
	uint64_t start = HV_IMAGE_VBASE, end = (uint64_t)hv_image_end;

	for (uint64_t va = start; va < end; va += SIZE_4K) {
		uint64_t flags;

		if (va < (uint64_t)hv_text_start)
			flags = PTE_RW | b->nx; /* .boot: Multiboot2 header and 32-bit code */
		else if (va < (uint64_t)hv_rodata_start)
			flags = 0; /* .text: read, execute */
		else if (va < (uint64_t)hv_data_start)
			flags = b->nx; /* .rodata */
		else
			flags = PTE_RW | b->nx; /* .data, .bss */
		int ret = pt_map_page(b, va, bi->hv_image_base + (va - start), SIZE_4K, flags);

		if (ret)
			return ret;
	}
	return 0;
}

/* The memory map the 1:1 part was built from (the core's own copy of boot_info). */
static const struct boot_info *paging_bi;

bool host_hpa_mapped(hpa_t hpa, uint64_t len)
{
	uint64_t end = hpa + len;

	if (end < hpa || hpa < PAGE_SIZE)
		return false; /* wraps, or touches frame 0 */
	if (end <= 4 * SIZE_1G)
		return true;
	for (uint32_t i = 0; paging_bi && i < paging_bi->mmap_count; i++) {
		const struct boot_mem_range *r = &paging_bi->mmap[i];

		if (hpa >= ALIGN_DOWN(r->base, SIZE_2M) &&
		    end <= ALIGN_UP(r->base + r->size, SIZE_2M))
			return true;
	}
	return false;
}

int paging_init(const struct boot_info *bi, struct host_paging_info *info)
{
	struct pt_builder b = { 0 };
	uint64_t top = 0;
	int ret;

	b.gbpages = cpuid(0x80000000, 0).eax >= 0x80000001 && (cpuid(0x80000001, 0).edx & BIT(26));
	/* NX only where the loader already runs with it: EFER belongs to the guest. */
	b.nx = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;

	ret = pt_alloc_table(&b, &b.pml4);
	if (ret)
		return ret;
	ret = pt_map_identity(&b, 0, 4 * SIZE_1G);
	for (uint32_t i = 0; !ret && i < bi->mmap_count; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];

		ret = pt_map_identity(&b, r->base, r->base + r->size);
		top = MAX(top, r->base + r->size);
	}
	if (!ret)
		ret = pt_map_image(&b, bi);
	if (ret) {
		log_err("paging: building the host page tables failed (%d)", ret);
		return ret;
	}
	write_cr3(b.pml4);
	paging_bi = bi;

	info->pml4 = b.pml4;
	info->table_frames = b.frames;
	info->identity_bytes = ALIGN_UP(MAX(top, 4 * SIZE_1G), SIZE_2M);
	info->gbpages = b.gbpages;
	info->nx = b.nx != 0;
	return 0;
}
