/* SPDX-License-Identifier: MIT */
/* fuzz_memmap_check.h - the invariant of hv/memmap.h, checked by the fuzz targets. */
#ifndef TESTS_FUZZ_MEMMAP_CHECK_H
#define TESTS_FUZZ_MEMMAP_CHECK_H

#include "hv/boot_info.h"
#include "tests/fuzz/fuzz_env.h"

/* Sorted, non-overlapping, 4-KiB aligned, non-empty, touching ranges of one type merged. */
static inline void fuzz_check_memmap(const struct boot_info *bi)
{
	FUZZ_CHECK(bi->mmap_count <= BOOT_MMAP_MAX);
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mem_range *m = &bi->mmap[i];

		FUZZ_CHECK(m->size != 0);
		FUZZ_CHECK(!(m->base & 0xfff) && !(m->size & 0xfff));
		FUZZ_CHECK(m->base + (m->size - 1) >= m->base); /* no wrap past 2^64 */
		if (i) {
			const struct boot_mem_range *p = &bi->mmap[i - 1];
			uint64_t p_last = p->base + (p->size - 1);

			FUZZ_CHECK(p_last < m->base); /* sorted and disjoint */
			FUZZ_CHECK(!(p_last + 1 == m->base && p->type == m->type)); /* merged */
		}
	}
}

#endif /* TESTS_FUZZ_MEMMAP_CHECK_H */
