// SPDX-License-Identifier: MIT
/*
 * hv/ept.c: identity EPT from the guest map (SDM Vol. 3C 29.3): large pages where the
 * CPU allows them, hv memory unmapped, memory types in the leaves, the EPTP format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include "hv/ept.h"
#include "hv/guest_map.h"
#include "hv/mm.h"
#include "hv/mtrr.h"
#include "hv/vmx_caps.h"
#include "tests/unit/support/hosted.h"

#define GIB	    (1ull << 30)
#define FAKE_BASE   0x7000000000ull /* HPA of the fake frame pool */
#define FAKE_FRAMES 512u
#define CAP_ALL	    (VMX_EPT_2M | VMX_EPT_1G | VMX_EPT_WB | VMX_EPT_WALK_4)

static uint8_t *pool;
static uint64_t pool_used, pool_limit;

int host_frames_alloc(uint64_t frames, uint64_t align_frames, hpa_t *out)
{
	if (pool_used + frames > pool_limit)
		return -ENOMEM;
	*out = FAKE_BASE + pool_used * PAGE_SIZE;
	memset(pool + pool_used * PAGE_SIZE, 0, frames * PAGE_SIZE);
	pool_used += frames;
	return 0;
}

static struct boot_info bi;
static struct mtrr_state mtrr;
static struct guest_map map;

static void add(uint64_t base, uint64_t size, uint32_t type)
{
	bi.mmap[bi.mmap_count++] = (struct boot_mem_range){ base, size, type, 0 };
}

static int setup(void **state)
{
	if (!pool)
		pool = aligned_alloc(PAGE_SIZE, FAKE_FRAMES * PAGE_SIZE);
	hosted_mem_reset();
	hosted_mem_add(FAKE_BASE, pool, FAKE_FRAMES * PAGE_SIZE);
	pool_used = 0;
	pool_limit = FAKE_FRAMES;
	memset(&bi, 0, sizeof(bi));
	add(0, 0x9f000, BOOT_MEM_USABLE);
	add(0x100000, 0xf00000, BOOT_MEM_USABLE);
	add(0x1000000, 0x44000, BOOT_MEM_HV_IMAGE);
	add(0x1044000, 0x1bc000, BOOT_MEM_USABLE);
	add(0x1200000, 0x4000000, BOOT_MEM_HV_POOL);
	add(0x5200000, 0x1ae00000, BOOT_MEM_USABLE);
	add(4 * GIB, 2 * GIB, BOOT_MEM_USABLE);
	memset(&mtrr, 0, sizeof(mtrr)); /* no MTRRs: WB RAM, UC MMIO */
	return guest_map_build(&bi, &mtrr, &map);
}

static void one_gib_pages_where_allowed(void **state)
{
	struct ept e;
	uint64_t size, pte;

	assert_int_equal(ept_build(&e, &map, CAP_ALL), 0);
	pte = ept_lookup(&e, 5 * GIB + 12345, &size);
	assert_int_equal(size, GIB);
	assert_int_equal(pte & EPT_ADDR_MASK, 5 * GIB);
	assert_true(pte & EPT_LARGE);
	assert_int_equal(e.pages_1g, 2 + 3); /* [4, 6) GiB RAM, [1, 4) GiB MMIO hole */
	pte = ept_lookup(&e, 3 * GIB + 0x1000, &size);
	assert_int_equal(size, GIB); /* [3, 4) GiB is MMIO, one 1-GiB page */
}

static void two_mib_pages_without_1g_support(void **state)
{
	struct ept e;
	uint64_t size;

	assert_int_equal(ept_build(&e, &map, CAP_ALL & ~VMX_EPT_1G), 0);
	assert_int_equal(e.pages_1g, 0);
	ept_lookup(&e, 5 * GIB, &size);
	assert_int_equal(size, 2ull << 20);
	ept_lookup(&e, 0x6000000, &size);
	assert_int_equal(size, 2ull << 20);
}

static void hv_memory_is_not_mapped(void **state)
{
	struct ept e;
	uint64_t size;

	assert_int_equal(ept_build(&e, &map, CAP_ALL), 0);
	assert_int_equal(ept_lookup(&e, 0x1000000, NULL), 0);
	assert_int_equal(ept_lookup(&e, 0x1043000, NULL), 0);
	assert_int_equal(ept_lookup(&e, 0x1200000, NULL), 0);
	assert_int_equal(ept_lookup(&e, 0x51ff000, NULL), 0);
	assert_int_equal(ept_lookup(&e, 7 * GIB, NULL), 0);
	/* Right after the image: 4-KiB pages up to the next 2-MiB boundary. */
	assert_int_not_equal(ept_lookup(&e, 0x1044000, &size), 0);
	assert_int_equal(size, PAGE_SIZE);
}

static void leaves_carry_rwx_and_the_memory_type(void **state)
{
	struct ept e;
	uint64_t ram = 0, mmio = 0;

	assert_int_equal(ept_build(&e, &map, CAP_ALL), 0);
	ram = ept_lookup(&e, 0x400000, NULL);
	mmio = ept_lookup(&e, 0xfee00000, NULL);
	assert_int_equal(ram & EPT_RWX, EPT_RWX);
	assert_int_equal((ram & EPT_MEMTYPE_MASK) >> EPT_MEMTYPE_SHIFT, MEMTYPE_WB);
	assert_int_equal((mmio & EPT_MEMTYPE_MASK) >> EPT_MEMTYPE_SHIFT, MEMTYPE_UC);
	assert_int_equal(ram & EPT_ADDR_MASK & ~((2ull << 20) - 1), 0x400000);
}

static void eptp_has_walk_length_and_type(void **state)
{
	struct ept e;

	assert_int_equal(ept_build(&e, &map, CAP_ALL), 0);
	assert_int_equal(ept_pointer(&e, CAP_ALL), e.pml4 | (3 << 3) | 6);
	assert_int_equal(ept_pointer(&e, CAP_ALL & ~VMX_EPT_WB), e.pml4 | (3 << 3) | 0);
}

static void pool_exhaustion_gives_enomem(void **state)
{
	struct ept e;

	pool_limit = 3;
	assert_int_equal(ept_build(&e, &map, CAP_ALL), -ENOMEM);
}

static void misaligned_range_gives_einval(void **state)
{
	struct ept e;
	struct guest_map m = map;

	m.r[0].size = 0x1234;
	assert_int_equal(ept_build(&e, &m, CAP_ALL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(one_gib_pages_where_allowed, setup),
		cmocka_unit_test_setup(two_mib_pages_without_1g_support, setup),
		cmocka_unit_test_setup(hv_memory_is_not_mapped, setup),
		cmocka_unit_test_setup(leaves_carry_rwx_and_the_memory_type, setup),
		cmocka_unit_test_setup(eptp_has_walk_length_and_type, setup),
		cmocka_unit_test_setup(pool_exhaustion_gives_enomem, setup),
		cmocka_unit_test_setup(misaligned_range_gives_einval, setup),
	};
	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	free(pool);
	return ret;
}
