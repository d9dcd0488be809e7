// SPDX-License-Identifier: MIT
/*
 * hv/mmio_decode.c: the MOV forms a driver uses for MMIO (SDM Vol. 2B "MOV": 8B, 89, C7
 * with REX and ModR/M/SIB/displacement forms), every rejected form, and the guest page
 * walk that fetches the instruction (SDM Vol. 3A ch. 4) over a fake guest RAM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include "hv/guest_map.h"
#include "hv/mmio_decode.h"
#include "tests/unit/support/hosted.h"

#define RAM_GPA	 0x100000ull
#define RAM_SIZE 0x40000ull

static const struct mmio_cpu_mode m64 = { .long64 = true };
static const struct mmio_cpu_mode m32 = { .cs_db = true };
static struct mmio_insn in;

static int dec64(const uint8_t *b, unsigned int n)
{
	return mmio_decode(b, n, &m64, &in);
}

static void test_load_r32(void **s)
{
	static const uint8_t b[] = { 0x8b, 0x47, 0x1c }; /* mov eax, [rdi+0x1c] */

	assert_int_equal(dec64(b, sizeof(b)), 0);
	assert_int_equal(in.len, 3);
	assert_int_equal(in.size, 4);
	assert_false(in.write);
	assert_int_equal(in.reg, 0);
}

static void test_load_r64_rex(void **s)
{
	static const uint8_t b[] = { 0x4c, 0x8b, 0x0e }; /* mov r9, [rsi] */

	assert_int_equal(dec64(b, sizeof(b)), 0);
	assert_int_equal(in.len, 3);
	assert_int_equal(in.size, 8);
	assert_int_equal(in.reg, 9);
}

static void test_store_sib_disp32(void **s)
{
	/* mov [rax+rcx*8+0x12345678], edx */
	static const uint8_t b[] = { 0x89, 0x94, 0xc8, 0x78, 0x56, 0x34, 0x12 };

	assert_int_equal(dec64(b, sizeof(b)), 0);
	assert_int_equal(in.len, 7);
	assert_true(in.write);
	assert_int_equal(in.reg, 2);
}

static void test_store_rip_relative(void **s)
{
	static const uint8_t b[] = { 0x48, 0x89, 0x05, 0, 0, 0, 0 }; /* mov [rip+0], rax */

	assert_int_equal(dec64(b, sizeof(b)), 0);
	assert_int_equal(in.len, 7);
	assert_int_equal(in.size, 8);
}

static void test_sib_no_base(void **s)
{
	static const uint8_t b[] = { 0x8b, 0x04, 0x25, 0, 0, 0xd9, 0xfe }; /* mov eax,[0xfed90000] */

	assert_int_equal(dec64(b, sizeof(b)), 0);
	assert_int_equal(in.len, 7);
}

static void test_store_imm32(void **s)
{
	static const uint8_t b[] = { 0xc7, 0x40, 0x08, 0x01, 0x00, 0x00, 0x80 };

	assert_int_equal(dec64(b, sizeof(b)), 0);
	assert_int_equal(in.len, 7);
	assert_true(in.has_imm);
	assert_int_equal(in.imm, 0x80000001ull);
}

static void test_store_imm32_rexw_sign_extends(void **s)
{
	static const uint8_t b[] = { 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff };

	assert_int_equal(dec64(b, sizeof(b)), 0);
	assert_int_equal(in.imm, ~0ull);
}

static void test_segment_prefix_skipped(void **s)
{
	static const uint8_t b[] = { 0x65, 0x8b, 0x00 }; /* mov eax, gs:[rax] */

	assert_int_equal(dec64(b, sizeof(b)), 0);
	assert_int_equal(in.len, 3);
}

static void test_rex_before_prefix_ignored(void **s)
{
	static const uint8_t b[] = { 0x48, 0x65, 0x8b, 0x00 }; /* REX.W not next to opcode */

	assert_int_equal(dec64(b, sizeof(b)), 0);
	assert_int_equal(in.size, 4);
}

static void test_32bit_mode_rex_is_not_rex(void **s)
{
	static const uint8_t b[] = { 0x48, 0x8b, 0x00 }; /* dec eax in 32-bit mode */

	assert_int_equal(mmio_decode(b, sizeof(b), &m32, &in), -EINVAL);
}

static void test_32bit_mode_load(void **s)
{
	static const uint8_t b[] = { 0x8b, 0x1d, 0x00, 0x00, 0xd9, 0xfe }; /* mov ebx,[abs] */

	assert_int_equal(mmio_decode(b, sizeof(b), &m32, &in), 0);
	assert_int_equal(in.len, 6);
}

static void test_reject_16bit_operand(void **s)
{
	static const uint8_t b[] = { 0x66, 0x8b, 0x00 };

	assert_int_equal(dec64(b, sizeof(b)), -EINVAL);
}

static void test_reject_lock(void **s)
{
	static const uint8_t b[] = { 0xf0, 0x89, 0x00 };

	assert_int_equal(dec64(b, sizeof(b)), -EINVAL);
}

static void test_reject_byte_mov(void **s)
{
	static const uint8_t b[] = { 0x8a, 0x00 };

	assert_int_equal(dec64(b, sizeof(b)), -EINVAL);
}

static void test_reject_register_operand(void **s)
{
	static const uint8_t b[] = { 0x8b, 0xc1 };

	assert_int_equal(dec64(b, sizeof(b)), -EINVAL);
}

static void test_reject_c7_reg_nonzero(void **s)
{
	static const uint8_t b[] = { 0xc7, 0x08, 1, 0, 0, 0 };

	assert_int_equal(dec64(b, sizeof(b)), -EINVAL);
}

static void test_reject_16bit_code(void **s)
{
	static const struct mmio_cpu_mode m16 = { 0 };
	static const uint8_t b[] = { 0x8b, 0x00 };

	assert_int_equal(mmio_decode(b, sizeof(b), &m16, &in), -EINVAL);
}

static void test_reject_reason_given(void **s)
{
	static const uint8_t b[] = { 0x0f, 0x0b };

	dec64(b, sizeof(b));
	assert_non_null(in.why);
}

static void test_truncated_is_efault(void **s)
{
	static const uint8_t b[] = { 0x89, 0x80, 0x00 }; /* disp32 cut short */

	assert_int_equal(dec64(b, sizeof(b)), -EFAULT);
}

static void test_truncated_imm_is_efault(void **s)
{
	static const uint8_t b[] = { 0xc7, 0x00, 0x01 };

	assert_int_equal(dec64(b, sizeof(b)), -EFAULT);
}

/* ---- page walk and fetch --------------------------------------------------------- */

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct guest_map map;

static uint64_t *tbl(uint64_t gpa)
{
	return (uint64_t *)(ram + (gpa - RAM_GPA));
}

/* 4-level tables: PML4 at +0, PDPT at +0x1000, PD at +0x2000, PT at +0x3000; GVA
 * 0x40201000 -> GPA RAM+0x10000 (4 KiB), GVA 0x40400000 -> 2-MiB page at 0 (absent). */
static int setup_walk(void **s)
{
	struct boot_info bi;
	struct mtrr_state mtrr;

	memset(ram, 0, sizeof(ram));
	memset(&bi, 0, sizeof(bi));
	memset(&mtrr, 0, sizeof(mtrr));
	bi.mmap[0] = (struct boot_mem_range){ RAM_GPA, RAM_SIZE, BOOT_MEM_USABLE, 0 };
	bi.mmap_count = 1;
	assert_int_equal(guest_map_build(&bi, &mtrr, &map), 0);
	hosted_mem_reset();
	hosted_mem_add(RAM_GPA, ram, RAM_SIZE);
	tbl(RAM_GPA)[0] = (RAM_GPA + 0x1000) | 3;
	tbl(RAM_GPA + 0x1000)[1] = (RAM_GPA + 0x2000) | 3;
	tbl(RAM_GPA + 0x2000)[1] = (RAM_GPA + 0x3000) | 3;
	tbl(RAM_GPA + 0x2000)[2] = 0x200000ull | 0x83;
	tbl(RAM_GPA + 0x3000)[1] = (RAM_GPA + 0x10000) | 3;
	tbl(RAM_GPA + 0x3000)[2] = (RAM_GPA + 0x11000) | 3;
	return 0;
}

static const struct mmio_cpu_mode mode4 = {
	.long64 = true, .cr0 = 1ull << 31, .cr3 = RAM_GPA, .cr4 = 1ull << 5, .efer = 1ull << 10
};

static void test_walk_4k(void **s)
{
	gpa_t gpa = 0;

	assert_int_equal(mmio_gva_to_gpa(&map, &mode4, 0x40201234, &gpa), 0);
	assert_int_equal(gpa, RAM_GPA + 0x10234);
}

static void test_walk_2m(void **s)
{
	gpa_t gpa = 0;

	assert_int_equal(mmio_gva_to_gpa(&map, &mode4, 0x40412345, &gpa), 0);
	assert_int_equal(gpa, 0x212345);
}

static void test_walk_not_present(void **s)
{
	gpa_t gpa;

	assert_int_equal(mmio_gva_to_gpa(&map, &mode4, 0x80000000, &gpa), -EFAULT);
}

static void test_walk_table_outside_ram(void **s)
{
	struct mmio_cpu_mode m = mode4;
	gpa_t gpa;

	m.cr3 = 0x1000000; /* not guest RAM: never read */
	assert_int_equal(mmio_gva_to_gpa(&map, &m, 0x40201000, &gpa), -EFAULT);
}

static void test_walk_paging_off(void **s)
{
	gpa_t gpa = 0;

	assert_int_equal(mmio_gva_to_gpa(&map, &m32, 0xfed90010, &gpa), 0);
	assert_int_equal(gpa, 0xfed90010);
}

static void test_fetch_across_pages(void **s)
{
	uint8_t b[MMIO_INSN_MAX];

	ram[0x10ffe] = 0x48;
	ram[0x10fff] = 0x8b;
	ram[0x11000] = 0x07;
	assert_int_equal(mmio_fetch(&map, &mode4, 0x40201ffe, b, 3), 3);
	assert_int_equal(b[2], 0x07);
}

static void test_fetch_stops_at_unmapped_page(void **s)
{
	uint8_t b[MMIO_INSN_MAX];

	tbl(RAM_GPA + 0x3000)[2] = 0;
	assert_int_equal(mmio_fetch(&map, &mode4, 0x40201ffe, b, MMIO_INSN_MAX), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_r32),
		cmocka_unit_test(test_load_r64_rex),
		cmocka_unit_test(test_store_sib_disp32),
		cmocka_unit_test(test_store_rip_relative),
		cmocka_unit_test(test_sib_no_base),
		cmocka_unit_test(test_store_imm32),
		cmocka_unit_test(test_store_imm32_rexw_sign_extends),
		cmocka_unit_test(test_segment_prefix_skipped),
		cmocka_unit_test(test_rex_before_prefix_ignored),
		cmocka_unit_test(test_32bit_mode_rex_is_not_rex),
		cmocka_unit_test(test_32bit_mode_load),
		cmocka_unit_test(test_reject_16bit_operand),
		cmocka_unit_test(test_reject_lock),
		cmocka_unit_test(test_reject_byte_mov),
		cmocka_unit_test(test_reject_register_operand),
		cmocka_unit_test(test_reject_c7_reg_nonzero),
		cmocka_unit_test(test_reject_16bit_code),
		cmocka_unit_test(test_reject_reason_given),
		cmocka_unit_test(test_truncated_is_efault),
		cmocka_unit_test(test_truncated_imm_is_efault),
		cmocka_unit_test_setup(test_walk_4k, setup_walk),
		cmocka_unit_test_setup(test_walk_2m, setup_walk),
		cmocka_unit_test_setup(test_walk_not_present, setup_walk),
		cmocka_unit_test_setup(test_walk_table_outside_ram, setup_walk),
		cmocka_unit_test_setup(test_walk_paging_off, setup_walk),
		cmocka_unit_test_setup(test_fetch_across_pages, setup_walk),
		cmocka_unit_test_setup(test_fetch_stops_at_unmapped_page, setup_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
