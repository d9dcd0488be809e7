// SPDX-License-Identifier: MIT
/*
 * fuzz_mbi.c - boot/mb2/mbi.c: the input is the Multiboot2 information as the loader
 * left it (8-byte aligned, exactly @size readable bytes). Checks: a rejected MBI leaves
 * boot_info unchanged; an accepted one leaves a well-formed memory map, a terminated
 * command line, an RSDP inside the MBI; mbi_find_pool() picks usable memory only.
 */
#include <errno.h>
#include <string.h>

#include "boot/mb2/mbi.h"
#include "hv/memmap.h"
#include "tests/fuzz/fuzz_memmap_check.h"

#define MBI_PA	   0x10000ull
#define IMAGE_BASE 0x200000ull

static struct boot_info bi, before;

static void check_pool(uint64_t floor, uint64_t limit, uint64_t want)
{
	uint64_t got = 0, at = mbi_find_pool(&bi, floor, limit, want, &got);
	bool inside = false;

	if (!got)
		return;
	FUZZ_CHECK(got <= want);
	FUZZ_CHECK(at >= floor && at + got > at && at + got <= limit);
	for (uint32_t i = 0; i < bi.mmap_count; i++) {
		const struct boot_mem_range *m = &bi.mmap[i];

		if (m->type == BOOT_MEM_USABLE && at >= m->base &&
		    at + got - 1 <= m->base + (m->size - 1))
			inside = true;
	}
	FUZZ_CHECK(inside);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mbi_report rep;
	void *mbi;
	bool bad;
	int r;

	mbi = malloc(size ? size : 1); /* malloc: 16-byte aligned, ASan guards the end */
	memcpy(mbi, data, size);
	memset(&bi, 0, sizeof(bi));
	memmap_add(&bi, IMAGE_BASE, 0x100000, BOOT_MEM_HV_IMAGE); /* what the entry added */
	before = bi;

	r = mbi_parse(&bi, mbi, MBI_PA, size, &rep);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOSPC);
	if (r == -EINVAL) {
		FUZZ_CHECK(rep.error != NULL);
		FUZZ_CHECK(!memcmp(&bi, &before, sizeof(bi)));
	} else {
		fuzz_check_memmap(&bi);
	}
	if (r == 0) {
		FUZZ_CHECK(memchr(bi.cmdline, 0, sizeof(bi.cmdline)) != NULL);
		FUZZ_CHECK(bi.module_count <= BOOT_MODULES_MAX);
		for (uint32_t i = 0; i < bi.module_count; i++)
			FUZZ_CHECK(memchr(bi.modules[i].cmdline, 0, BOOT_CMDLINE_MAX) != NULL);
		FUZZ_CHECK(!bi.rsdp || (bi.rsdp >= MBI_PA && bi.rsdp < MBI_PA + size));
		mbi_pool_bytes(bi.cmdline, 64ull << 20, &bad);
		check_pool(0x100000, 4ull << 30, 64ull << 20);
		check_pool(0, UINT64_MAX, 1ull << 40);
	}
	free(mbi);
	return 0;
}
