// SPDX-License-Identifier: MIT
/*
 * hv/linux_boot.c: the Linux x86 boot protocol loader (Documentation/arch/x86/boot.rst)
 * over a fake physical memory: setup-header checks, kernel placement (pref_address,
 * kernel_alignment, hypervisor memory avoided), the zero page (header copy,
 * type_of_loader, code32_start, cmd_line_ptr, ramdisk, RSDP), the e820 table and the
 * boot GDT. hv/linux_boot.c is compiled into this test (it is not in the hosted library).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include "hv/linux_boot.c" /* white-box: the static byte accessors and E820 helpers */
#include "tests/unit/support/hosted.h"

#define MIB	     (1ull << 20)
#define MEM_BYTES    (0x4010000ull)
#define KMOD_BASE    0x1400000ull
#define INITRD_BASE  0x1600000ull
#define INITRD_BYTES 0x3000ull
#define SETUP_BYTES  1024u /* setup_sects = 1 */
#define PM_BYTES     0x5000u
#define RSDP	     0xf6a10ull

static uint8_t *mem;
static struct boot_info bi;
static struct mtrr_state mtrr;
static struct guest_map map;
static struct linux_image img;

static void add(uint64_t base, uint64_t size, uint32_t type)
{
	bi.mmap[bi.mmap_count++] = (struct boot_mem_range){ base, size, type, 0 };
}

/* A minimal bzImage in module 0: protocol 2.15, relocatable, pref 16 MiB, 2-MiB align. */
static void make_kernel(void)
{
	uint8_t *k = mem + KMOD_BASE;

	memset(k, 0, SETUP_BYTES + PM_BYTES);
	k[HDR_SETUP_SECTS] = 1;
	wr16(k, HDR_BOOT_FLAG, 0xaa55);
	k[HDR_JUMP] = 0xeb;
	k[HDR_JUMP + 1] = 0x6a; /* header ends at 0x26c */
	wr32(k, HDR_HEADER, LINUX_HDR_MAGIC);
	wr16(k, HDR_VERSION, 0x020f);
	k[HDR_LOADFLAGS] = LOADFLAGS_LOADED_HIGH;
	wr32(k, HDR_CODE32_START, 0x100000);
	wr32(k, HDR_INITRD_ADDR_MAX, 0x7fffffff);
	wr32(k, HDR_KERNEL_ALIGNMENT, 0x200000);
	k[HDR_RELOCATABLE] = 1;
	wr32(k, HDR_CMDLINE_SIZE, 255);
	wr64(k, HDR_PREF_ADDRESS, 0x1000000);
	wr32(k, HDR_INIT_SIZE, 0x100000);
	for (unsigned int i = 0; i < PM_BYTES; i++)
		k[SETUP_BYTES + i] = (uint8_t)(i * 7 + 1);
	bi.modules[0] = (struct boot_module){ KMOD_BASE, SETUP_BYTES + PM_BYTES, "" };
	strcpy(bi.modules[0].cmdline, "console=ttyS0 nokaslr");
}

/* A BIOS-like machine: the core's image at 16 MiB (where the kernel prefers to go), the
 * modules after it, ACPI tables at 64 MiB, flash below 4 GiB. */
static int setup(void **state)
{
	hosted_mem_reset();
	mem = calloc(1, MEM_BYTES);
	assert_non_null(mem);
	hosted_mem_add(0, mem, MEM_BYTES);
	memset(&bi, 0, sizeof(bi));
	add(0, 0x9f000, BOOT_MEM_USABLE);
	add(0x9f000, 0x1000, BOOT_MEM_RESERVED);
	add(0xf0000, 0x10000, BOOT_MEM_RESERVED);
	add(0x100000, 0xf00000, BOOT_MEM_USABLE);
	add(0x1000000, 0x200000, BOOT_MEM_HV_IMAGE);
	add(0x1200000, 0x200000, BOOT_MEM_USABLE);
	add(0x1400000, 0x400000, BOOT_MEM_BOOT_DATA);
	add(0x1800000, 0x2800000, BOOT_MEM_USABLE);
	add(0x4000000, 0x10000, BOOT_MEM_ACPI_RECLAIM);
	add(0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
	bi.rsdp = RSDP;
	make_kernel();
	memset(mem + INITRD_BASE, 0x5a, INITRD_BYTES);
	bi.modules[1] = (struct boot_module){ INITRD_BASE, INITRD_BYTES, "" };
	bi.module_count = 2;
	memset(&mtrr, 0, sizeof(mtrr));
	memset(&img, 0, sizeof(img));
	*state = NULL;
	return guest_map_build(&bi, &mtrr, &map);
}

static int teardown(void **state)
{
	hosted_mem_reset();
	free(mem);
	return 0;
}

static int load(void)
{
	return linux_boot_load(&bi, &bi.modules[0], &bi.modules[1], &map, &img);
}

static void probe_wants_boot_flag_and_hdrs(void **state)
{
	uint8_t *k = mem + KMOD_BASE;

	assert_true(linux_boot_probe(k, SETUP_BYTES + PM_BYTES));
	assert_false(linux_boot_probe(k, HDR_HEADER + 3));
	assert_false(linux_boot_probe(NULL, 4096));
	k[HDR_HEADER] = 'h';
	assert_false(linux_boot_probe(k, SETUP_BYTES + PM_BYTES));
	assert_int_equal(load(), -ENOEXEC);
}

static void kernel_goes_above_hv_memory_at_its_alignment(void **state)
{
	assert_int_equal(load(), 0);
	/* pref_address 16 MiB is the core's image: the next free 2-MiB boundary. */
	assert_int_equal(img.kernel, 0x1200000);
	assert_int_equal(img.kernel_len, 0x100000);
	assert_memory_equal(mem + img.kernel, mem + KMOD_BASE + SETUP_BYTES, PM_BYTES);
	assert_int_equal(img.params, 0x10000);
	assert_true(img.params + LINUX_BOOT_DATA_BYTES <= LINUX_LOW_LIMIT);
}

static void zero_page_has_header_and_loader_fields(void **state)
{
	const uint8_t *bp;

	assert_int_equal(load(), 0);
	bp = mem + img.params;
	assert_int_equal(rd32(bp, HDR_HEADER), LINUX_HDR_MAGIC);
	assert_int_equal(rd16(bp, HDR_VERSION), 0x020f);
	assert_int_equal(bp[HDR_TYPE_OF_LOADER], 0xff);
	assert_true(bp[HDR_LOADFLAGS] & LOADFLAGS_LOADED_HIGH);
	assert_int_equal(rd32(bp, HDR_CODE32_START), img.kernel);
	assert_int_equal(rd32(bp, HDR_CMD_LINE_PTR), img.cmdline);
	assert_string_equal((const char *)mem + img.cmdline, "console=ttyS0 nokaslr");
	assert_int_equal(rd32(bp, HDR_RAMDISK_IMAGE), INITRD_BASE); /* in place */
	assert_int_equal(rd32(bp, HDR_RAMDISK_SIZE), INITRD_BYTES);
	assert_int_equal(rd64(bp, BP_ACPI_RSDP_ADDR), RSDP);
	assert_int_equal(rd32(bp, 0x26c), 0); /* nothing past the header end copied */
	/* GDT: __BOOT_CS flat 4-GiB code, __BOOT_DS flat 4-GiB data. */
	assert_int_equal(rd64(mem + img.gdt, 0), 0);
	assert_int_equal(rd64(mem + img.gdt, LINUX_BOOT_CS), 0x00cf9a000000ffffull);
	assert_int_equal(rd64(mem + img.gdt, LINUX_BOOT_DS), 0x00cf92000000ffffull);
}

static void rsdp_only_from_protocol_2_14(void **state)
{
	wr16(mem + KMOD_BASE, HDR_VERSION, 0x020d);
	assert_int_equal(load(), 0);
	assert_int_equal(rd64(mem + img.params, BP_ACPI_RSDP_ADDR), 0);
}

static void e820_leaves_hv_memory_out(void **state)
{
	const uint8_t *e;
	struct {
		uint64_t base, size;
		uint32_t type;
	} want[] = {
		{ 0, 0x9f000, LINUX_E820_RAM },
		{ 0x9f000, 0x1000, LINUX_E820_RESERVED },
		{ 0xf0000, 0x10000, LINUX_E820_RESERVED },
		{ 0x100000, 0xf00000, LINUX_E820_RAM },
		{ 0x1200000, 0x2e00000, LINUX_E820_RAM }, /* usable + modules, merged */
		{ 0x4000000, 0x10000, LINUX_E820_ACPI },
		{ 0xfffc0000, 0x40000, LINUX_E820_RESERVED },
	};

	assert_int_equal(load(), 0);
	e = mem + img.params;
	assert_int_equal(e[BP_E820_ENTRIES], ARRAY_SIZE(want));
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		const uint8_t *r = e + BP_E820_TABLE + i * E820_REC;

		assert_int_equal(rd64(r, 0), want[i].base);
		assert_int_equal(rd64(r, 8), want[i].size);
		assert_int_equal(rd32(r, 16), want[i].type);
	}
	assert_int_equal(linux_boot_e820(&bi, &map, mem + 0x20000, 3), -ENOSPC);
}

static void initrd_above_its_limit_is_moved_below(void **state)
{
	wr32(mem + KMOD_BASE, HDR_INITRD_ADDR_MAX, 0x15fffff);
	assert_int_equal(load(), 0);
	assert_true(img.initrd + INITRD_BYTES <= 0x1600000);
	assert_false(overlaps(img.initrd, INITRD_BYTES, img.kernel, img.kernel_len));
	assert_false(overlaps(img.initrd, INITRD_BYTES, 0x1000000, 0x200000));
	assert_int_equal(mem[img.initrd], 0x5a);
	assert_int_equal(mem[img.initrd + INITRD_BYTES - 1], 0x5a);
	assert_int_equal(rd32(mem + img.params, HDR_RAMDISK_IMAGE), img.initrd);
}

/* A rejected image writes nothing: the low boot-data page keeps its pattern. */
static void expect_reject(int err)
{
	memset(mem + 0x10000, 0xcc, 16);
	assert_int_equal(load(), err);
	assert_int_equal(mem[0x10000], 0xcc);
}

static void bad_header_fields_are_rejected(void **state)
{
	uint8_t *k = mem + KMOD_BASE;

	wr16(k, HDR_VERSION, 0x0209);
	expect_reject(-ENOEXEC);
	wr16(k, HDR_VERSION, 0x020f);
	wr32(k, HDR_KERNEL_ALIGNMENT, 0x300000); /* not a power of two */
	expect_reject(-ENOEXEC);
	wr32(k, HDR_KERNEL_ALIGNMENT, 0x200000);
	k[HDR_JUMP + 1] = 0xff; /* header end past anything known */
	expect_reject(-ENOEXEC);
	k[HDR_JUMP + 1] = 0x6a;
	k[HDR_SETUP_SECTS] = 200; /* setup larger than the file */
	expect_reject(-ENOEXEC);
	k[HDR_SETUP_SECTS] = 1;
	wr64(k, HDR_PREF_ADDRESS, 0x100000000ull);
	expect_reject(-ENOEXEC);
	wr64(k, HDR_PREF_ADDRESS, 0x1000000);
	wr32(k, HDR_CMDLINE_SIZE, 5);
	expect_reject(-E2BIG);
	wr32(k, HDR_CMDLINE_SIZE, 255);
	wr32(k, HDR_INIT_SIZE, 0xf0000000u); /* no free RAM that large */
	expect_reject(-ENOMEM);
	wr32(k, HDR_INIT_SIZE, 0x100000);
	k[HDR_RELOCATABLE] = 0; /* must go to pref_address, which is the core's */
	expect_reject(-ENOEXEC);
	k[HDR_RELOCATABLE] = 1;
	assert_int_equal(load(), 0);
}

static void initrd_with_no_room_is_rejected(void **state)
{
	wr32(mem + KMOD_BASE, HDR_INITRD_ADDR_MAX, 0xfff); /* below any free RAM */
	expect_reject(-ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(probe_wants_boot_flag_and_hdrs, setup, teardown),
		cmocka_unit_test_setup_teardown(kernel_goes_above_hv_memory_at_its_alignment, setup,
						teardown),
		cmocka_unit_test_setup_teardown(zero_page_has_header_and_loader_fields, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rsdp_only_from_protocol_2_14, setup, teardown),
		cmocka_unit_test_setup_teardown(e820_leaves_hv_memory_out, setup, teardown),
		cmocka_unit_test_setup_teardown(initrd_above_its_limit_is_moved_below, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_header_fields_are_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(initrd_with_no_room_is_rejected, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
