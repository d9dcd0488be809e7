/* SPDX-License-Identifier: MIT */
/*
 * Booting a Linux bzImage as the Multiboot2 guest (issue 7): the Linux x86 boot protocol
 * (Documentation/arch/x86/boot.rst), 32-bit entry.
 *
 * Module 0 is the bzImage, its Multiboot2 command line is the kernel's; module 1, when
 * present, is the initrd. The loader checks the setup header (boot.rst "The real-mode
 * kernel header", offset 0x1f1, magic "HdrS" at 0x202, protocol >= 2.10), copies the
 * protected-mode kernel to pref_address or the next kernel_alignment-aligned free RAM
 * above it (relocatable kernels), and builds in low guest RAM (below 1 MiB, which Linux
 * keeps reserved): the zero page (struct boot_params, boot.rst "The zero page"), the
 * command line and a GDT with __BOOT_CS = 0x10 and __BOOT_DS = 0x18 (flat 4 GiB).
 * The e820 table is the boot memory map seen through the guest map: RAM the guest owns
 * is usable (ACPI kinds keep theirs), device ranges are reserved, hypervisor memory is
 * left out (not RAM to the guest).
 *
 * Guest entry (boot.rst "32-bit Boot Protocol"): protected mode, paging off, interrupts
 * off, CS = 0x10, DS = ES = SS = 0x18 (flat 4 GiB), ESI = GPA of boot_params,
 * EBP = EDI = EBX = 0, EIP = code32_start (the load address).
 * Identity map: GPA = HPA; every GPA written lies in usable RAM that is guest RAM.
 * Portable: the unit tests run it over a fake physical memory (HV_HOSTED).
 */
#ifndef HV_LINUX_BOOT_H
#define HV_LINUX_BOOT_H

#include "hv/boot_info.h"
#include "hv/guest_map.h"
#include "hv/types.h"

#define LINUX_HDR_MAGIC	      0x53726448u /* "HdrS" at file offset 0x202 */
#define LINUX_PROTO_MIN	      0x020au	  /* 2.10: kernel_alignment, pref_address, init_size */
#define LINUX_PROTO_RSDP      0x020eu	  /* 2.14: acpi_rsdp_addr */
#define LINUX_BOOT_CS	      0x10u	  /* __BOOT_CS */
#define LINUX_BOOT_DS	      0x18u	  /* __BOOT_DS */
#define LINUX_LOADER_UNDEF    0xffu	  /* type_of_loader: a loader with no assigned ID */
#define LINUX_E820_MAX	      128u	  /* E820_MAX_ENTRIES_ZEROPAGE */
#define LINUX_E820_RAM	      1u
#define LINUX_E820_RESERVED   2u
#define LINUX_E820_ACPI	      3u
#define LINUX_E820_NVS	      4u
#define LINUX_E820_UNUSABLE   5u
#define LINUX_LOW_LIMIT	      0x100000ull /* the boot data lies below 1 MiB */
#define LINUX_BOOT_DATA_BYTES (2 * PAGE_SIZE)

/* boot_params (zero page) offsets, boot.rst "The zero page" / arch/x86 bootparam.h. */
#define BP_ACPI_RSDP_ADDR 0x070u /* u64 */
#define BP_E820_ENTRIES	  0x1e8u /* u8 */
#define BP_HDR		  0x1f1u /* the setup header, as in the file */
#define BP_E820_TABLE	  0x2d0u /* struct e820 { u64 addr, size; u32 type; } [128] */
#define BP_SIZE		  0x1000u

/* Setup header fields: offsets in the file and in boot_params alike. */
#define HDR_SETUP_SECTS	     0x1f1u /* u8, 0 means 4 */
#define HDR_BOOT_FLAG	     0x1feu /* u16, 0xaa55 */
#define HDR_JUMP	     0x200u /* u16; the byte at 0x201 + 0x202 = end of the header */
#define HDR_HEADER	     0x202u /* u32, LINUX_HDR_MAGIC */
#define HDR_VERSION	     0x206u /* u16 */
#define HDR_TYPE_OF_LOADER   0x210u /* u8 */
#define HDR_LOADFLAGS	     0x211u /* u8 */
#define HDR_CODE32_START     0x214u /* u32 */
#define HDR_RAMDISK_IMAGE    0x218u /* u32 */
#define HDR_RAMDISK_SIZE     0x21cu /* u32 */
#define HDR_HEAP_END_PTR     0x224u /* u16 */
#define HDR_CMD_LINE_PTR     0x228u /* u32 */
#define HDR_INITRD_ADDR_MAX  0x22cu /* u32, highest byte address of the initrd */
#define HDR_KERNEL_ALIGNMENT 0x230u /* u32 */
#define HDR_RELOCATABLE	     0x234u /* u8 */
#define HDR_CMDLINE_SIZE     0x238u /* u32, bytes without the NUL */
#define HDR_PREF_ADDRESS     0x258u /* u64 */
#define HDR_INIT_SIZE	     0x260u /* u32 */
#define HDR_END_MAX	     0x280u /* the header ends before this (2.15 ends at 0x26c) */

#define LOADFLAGS_LOADED_HIGH  BIT(0)
#define LOADFLAGS_CAN_USE_HEAP BIT(7)

/* What linux_boot_load() decided: every address a GPA (= HPA). */
struct linux_image {
	gpa_t kernel;	     /* load address of the protected-mode kernel = code32_start */
	uint64_t kernel_len; /* bytes reserved there: max(file part, init_size) */
	gpa_t params;	     /* struct boot_params (the zero page), ESI at entry */
	gpa_t cmdline;	     /* NUL-terminated command line */
	gpa_t gdt;	     /* 4 descriptors: null, null, __BOOT_CS, __BOOT_DS */
	gpa_t initrd;	     /* 0 = none */
	uint64_t initrd_len; /* bytes */
	uint16_t version;    /* boot protocol, 0x020f = 2.15 */
	uint32_t e820_count;
};

/*
 * linux_boot_probe() - true when the @len bytes at @file (a module, host memory) start
 * like a bzImage: boot_flag 0xaa55 and "HdrS". Reads nothing beyond @len.
 */
bool linux_boot_probe(const void *file, uint64_t len);

/*
 * linux_boot_load() - load the bzImage module @kmod with its command line and the initrd
 * module @initrd (NULL = none) into guest RAM described by @bi and @m, and fill @img.
 * Every header field is checked before anything is written. Returns 0, or:
 *   -ENOEXEC  not a bzImage, protocol below 2.10, a field out of range (size, alignment,
 *             setup_sects, header length), or a non-relocatable kernel whose address is
 *             taken;
 *   -E2BIG    the command line is longer than the kernel's cmdline_size;
 *   -ENOMEM   no free guest RAM for the kernel (init_size), the initrd below
 *             initrd_addr_max, or the boot data below 1 MiB;
 *   -ENOSPC   more than LINUX_E820_MAX e820 entries.
 * A log line names the reason.
 */
int linux_boot_load(const struct boot_info *bi, const struct boot_module *kmod,
		    const struct boot_module *initrd, const struct guest_map *m,
		    struct linux_image *img);

/*
 * linux_boot_e820() - the e820 table for the guest (boot.rst, struct boot_e820_entry:
 * GPA, bytes, LINUX_E820_*) from @bi's memory map seen through @m: at most @max entries
 * written to @out as 20-byte packed records, sorted, neighbours of one type merged.
 * Returns the number of entries, or -ENOSPC when @max is too small.
 */
int linux_boot_e820(const struct boot_info *bi, const struct guest_map *m, uint8_t *out,
		    unsigned int max);

/*
 * linux_boot_acpi_space() - @len bytes (rounded up to pages) of guest RAM for the guest's
 * own ACPI tables (hv/acpi_guest.h) after linux_boot_load() wrote the zero page at GPA
 * @params: the highest page-aligned GPA in a RAM entry of that zero page's e820 table,
 * between 1 MiB and 4 GiB, usable in @bi's map, guest RAM in @m, on no module and not on
 * the kernel (code32_start + init_size), the initrd or the boot data. Returns the GPA, or
 * 0 when there is none (or @params is not a mapped zero page).
 */
gpa_t linux_boot_acpi_space(const struct boot_info *bi, const struct guest_map *m, gpa_t params,
			    uint64_t len);

/*
 * linux_boot_set_acpi() - give the kernel whose zero page is at GPA @params the guest's
 * ACPI: boot_params.acpi_rsdp_addr = @rsdp (GPA; boot.rst "acpi_rsdp_addr", protocol
 * 2.14) and the RAM e820 entry holding [@base, @base + @len) (GPA, bytes, rounded up to
 * pages) split so that range is E820_TYPE_RESERVED (the kernel never allocates it, and
 * maps it for ACPI). Returns 0; -EINVAL (bad arguments, zero page not mapped); -EOPNOTSUPP
 * (protocol below 2.14: no acpi_rsdp_addr field; nothing changed); -ENOENT (the range is
 * not inside one RAM entry); -ENOSPC (the table would exceed LINUX_E820_MAX entries).
 */
int linux_boot_set_acpi(gpa_t params, gpa_t rsdp, gpa_t base, uint64_t len);

#endif /* HV_LINUX_BOOT_H */
