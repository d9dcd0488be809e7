// SPDX-License-Identifier: MIT
/*
 * The Multiboot2 boot path in C: struct boot_info from GRUB's boot information (parsed
 * and checked by boot/mb2/mbi.c), then hv_main().
 *
 * On this path the core owns the machine from the start, so besides translating the
 * memory map this file takes the core's frame pool (BOOT_MEM_HV_POOL) out of usable RAM:
 * on UEFI the loader allocates it from the firmware instead.
 *
 * Runs before hv_main() has set up the console, the log or the heap: messages go
 * straight to COM1 through console_write(), with a small hex printer instead of
 * printf (newlib's printf may need sbrk, which the core provides only later).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "boot/mb2/mb2.h"
#include "hv/boot_info.h"
#include "boot/mb2/mbi.h"
#include "hv/console.h"
#include "hv/layout.h"
#include "hv/main.h"
#include "hv/memmap.h"
#include "hv/types.h"
#include "hv/x86.h"

#define SIZE_4G (1ull << 32)
#define SIZE_1M (1ull << 20)

/* The linker's end of the image (linker.ld) and the bootstrap tables (entry32.asm). */
extern char hv_image_end[];
extern char mb2_boot_pt[];
extern char mb2_boot_pt_end[];

/*
 * The one boot_info of this boot. In the image (.bss), so it needs no memory-map entry
 * of its own; handed to the core through its identity-mapped alias (see mb2_main()).
 */
static struct boot_info mb2_boot_info;

/* --- early console ---------------------------------------------------------------- */

static void mb2_puts(const char *s)
{
	console_write(s, strlen(s));
}

/* mb2_put_hex() - @v as 0x-prefixed hex, no leading zeros. */
static void mb2_put_hex(uint64_t v)
{
	char buf[19];
	int i = sizeof(buf);

	do {
		buf[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	console_write(buf + i, sizeof(buf) - i);
}

static void mb2_put_dec(uint64_t v)
{
	char buf[20];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	console_write(buf + i, sizeof(buf) - i);
}

/* mb2_fail() - say why the boot cannot go on ("mb2: @what: @why (@value)"), and stop. */
static noreturn void mb2_fail(const char *what, const char *why, uint64_t value)
{
	mb2_puts("mb2: ");
	mb2_puts(what);
	mb2_puts(": ");
	mb2_puts(why);
	mb2_puts(" (");
	mb2_put_hex(value);
	mb2_puts("); halting\n");
	hv_halt(1);
}

/* BSP's local APIC ID: CPUID.0BH:EDX (x2APIC ID) when there, else CPUID.01H:EBX[31:24]. */
static uint32_t mb2_bsp_apic_id(void)
{
	if (cpuid(0, 0).eax >= 0xb && cpuid(0xb, 0).ebx != 0)
		return cpuid(0xb, 0).edx;
	return cpuid(1, 0).ebx >> 24;
}

/* --- entry ------------------------------------------------------------------------- */

noreturn void mb2_main(uint32_t magic, uint32_t mbi_pa)
{
	/* hv/boot_info.h: bi is identity mapped (VA = HPA); .bss is at HV_KERNEL_VBASE + PA. */
	struct boot_info *bi = (struct boot_info *)((uintptr_t)&mb2_boot_info -
						    (uintptr_t)HV_KERNEL_VBASE);
	uint64_t image_size = (uintptr_t)hv_image_end - (uintptr_t)HV_IMAGE_VBASE;
	uint64_t pool_want, pool_got = 0, pool_base;
	struct mbi_report rep;
	bool pool_bad;
	int ret;

	/* Already set up by entry32.asm; again here so the console state is the core's. */
	console_init(CONSOLE_COM1_PORT, CONSOLE_BAUD);

	if (magic != MB2_BOOTLOADER_MAGIC)
		mb2_fail("not started by a Multiboot2 loader", "EAX", magic);
	if (mbi_pa == 0)
		mb2_fail("no Multiboot2 boot information", "EBX", mbi_pa);

	memset(bi, 0, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->source = BOOT_SOURCE_MB2;
	bi->hv_image_base = HV_IMAGE_LINK_PA;
	bi->hv_image_size = image_size;
	bi->boot_pt_base = (uintptr_t)mb2_boot_pt;
	bi->boot_pt_size = (uintptr_t)mb2_boot_pt_end - (uintptr_t)mb2_boot_pt;
	bi->cpu_count = 0; /* the core reads the MADT */
	bi->bsp_apic_id = mb2_bsp_apic_id();

	/* The MBI is read through the identity map, which ends at 4 GiB (entry32.asm). */
	ret = mbi_parse(bi, (const void *)(uintptr_t)mbi_pa, mbi_pa, SIZE_4G - mbi_pa, &rep);
	if (ret == -EINVAL)
		mb2_fail("bad Multiboot2 boot information", rep.error, rep.error_value);
	/*
	 * The image outranks every other type in memmap_add(), and the MBI and the modules
	 * outrank usable RAM: none of them can end up in the pool.
	 */
	if (ret || memmap_add(bi, HV_IMAGE_LINK_PA, image_size, BOOT_MEM_HV_IMAGE))
		mb2_fail("memory map", "more ranges than BOOT_MMAP_MAX", BOOT_MMAP_MAX);

	pool_want = mbi_pool_bytes(bi->cmdline, (uint64_t)MB2_POOL_DEFAULT_MIB * SIZE_1M,
				   &pool_bad);
	pool_base = mbi_find_pool(bi, HV_IMAGE_LINK_PA + ALIGN_UP(image_size, PAGE_SIZE), SIZE_4G,
				  pool_want, &pool_got);
	if (pool_got && memmap_add(bi, pool_base, pool_got, BOOT_MEM_HV_POOL))
		mb2_fail("memory map", "more ranges than BOOT_MMAP_MAX", BOOT_MMAP_MAX);

	if (pool_bad)
		mb2_puts("mb2: warning: pool= wants MiB (pool=64, pool=64M); default used\n");
	if (rep.modules_dropped) {
		mb2_puts("mb2: warning: ");
		mb2_put_dec(rep.modules_dropped);
		mb2_puts(" modules beyond BOOT_MODULES_MAX ignored\n");
	}
	if (rep.cmdline_cut)
		mb2_puts("mb2: warning: command line cut to BOOT_CMDLINE_MAX bytes\n");
	if (pool_got < pool_want) {
		mb2_puts("mb2: warning: HV pool ");
		mb2_put_dec(pool_got >> 20);
		mb2_puts(" MiB of ");
		mb2_put_dec(pool_want >> 20);
		mb2_puts(" MiB asked for\n");
	}
	mb2_puts("mb2: boot information at ");
	mb2_put_hex(mbi_pa);
	mb2_puts(" (");
	mb2_put_dec(rep.total_size);
	mb2_puts(" bytes): ");
	mb2_put_dec(bi->mmap_count);
	mb2_puts(" memory ranges, ");
	mb2_put_dec(bi->module_count);
	mb2_puts(" modules, RSDP ");
	mb2_put_hex(bi->rsdp);
	mb2_puts(", HV pool ");
	mb2_put_hex(pool_base);
	mb2_puts("+");
	mb2_put_dec(pool_got >> 20);
	mb2_puts(" MiB\n");

	ret = hv_main(bi);
	hv_halt(ret == 0 ? 0 : 1);
}
