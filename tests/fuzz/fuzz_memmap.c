// SPDX-License-Identifier: MIT
/*
 * fuzz_memmap.c - hv/memmap.c: a sequence of memmap_add() calls. After each: the map's
 * invariant (sorted, disjoint, 4-KiB aligned, touching ranges of one type merged); the
 * added range is covered by ranges of its rank or higher (usable: shrunk inward; other
 * types: grown outward); a failed call leaves the map unchanged and fails exactly for
 * size 0 or a range whose end (base + size) is 2^64 or more (or -ENOSPC).
 *
 * Input: records of 17 bytes: type (bit 7: small addresses, bits 0-6 % 12), base, size.
 */
#include <errno.h>
#include <string.h>

#include "hv/memmap.h"
#include "tests/fuzz/fuzz_memmap_check.h"

#define REC 17

static struct boot_info bi, before;

/* hv/memmap.h's order, weakest first; unknown types as reserved (hv/memmap.c). */
static int rank(uint32_t t)
{
	static const int r[] = {
		[BOOT_MEM_USABLE] = 1,	  [BOOT_MEM_BOOT_DATA] = 2, [BOOT_MEM_ACPI_RECLAIM] = 3,
		[BOOT_MEM_ACPI_NVS] = 4,  [BOOT_MEM_FIRMWARE] = 5,  [BOOT_MEM_MMIO] = 6,
		[BOOT_MEM_RESERVED] = 7,  [BOOT_MEM_UNUSABLE] = 8,  [BOOT_MEM_HV_POOL] = 9,
		[BOOT_MEM_HV_IMAGE] = 10,
	};

	return t < sizeof(r) / sizeof(r[0]) && r[t] ? r[t] : 7;
}

/* Every byte of [first, last] lies in ranges of rank >= @min. */
static void check_covered(uint64_t first, uint64_t last, int min)
{
	uint64_t at = first;

	for (uint32_t i = 0; i < bi.mmap_count; i++) {
		const struct boot_mem_range *m = &bi.mmap[i];
		uint64_t m_last = m->base + (m->size - 1);

		if (m_last < at)
			continue;
		FUZZ_CHECK(m->base <= at); /* no hole */
		FUZZ_CHECK(rank(m->type) >= min);
		if (m_last >= last)
			return;
		at = m_last + 1;
	}
	FUZZ_CHECK(!"range not covered");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	memset(&bi, 0, sizeof(bi));
	for (size_t off = 0; off + REC <= size; off += REC) {
		uint8_t t = data[off];
		uint32_t type = (t & 0x7f) % 12;
		uint64_t base = fuzz_le64(data + off + 1), len = fuzz_le64(data + off + 9);
		bool wraps;
		int r;

		if (t & 0x80) {
			base &= 0xffffff;
			len &= 0xfffff;
		}
		/* Beyond 2^64 is an error; ending exactly at 2^64 (base + len == 0) is not. */
		wraps = len && base + len < base && base + len != 0;
		before = bi;
		r = memmap_add(&bi, base, len, type);
		if (r) {
			FUZZ_CHECK(r == -EINVAL || r == -ENOSPC);
			FUZZ_CHECK((r == -EINVAL) == (len == 0 || wraps));
			FUZZ_CHECK(!memcmp(&bi, &before, sizeof(bi)));
			continue;
		}
		FUZZ_CHECK(len && !wraps);
		fuzz_check_memmap(&bi);
		if (type == BOOT_MEM_USABLE) {
			unsigned __int128 end = (unsigned __int128)base + len;
			unsigned __int128 first = ((unsigned __int128)base + 0xfff) &
						  ~(unsigned __int128)0xfff;
			unsigned __int128 stop = end & ~(unsigned __int128)0xfff;

			/* The top frame [2^64 - 4 KiB, 2^64) is outside the map (hv/memmap.h). */
			if (stop > 0xfffffffffffff000ull)
				stop = 0xfffffffffffff000ull;

			if (first < stop)
				check_covered((uint64_t)first, (uint64_t)(stop - 1), 1);
		} else if ((base & ~0xfffull) != 0xfffffffffffff000ull) {
			/* Grown outward, except into the top frame, outside the map (hv/memmap.h). */
			uint64_t hi = (base + (len - 1)) | 0xfff;

			if (hi == UINT64_MAX)
				hi = 0xffffffffffffefffull;
			check_covered(base & ~0xfffull, hi, rank(type));
		}
	}
	return 0;
}
