// SPDX-License-Identifier: MIT
/*
 * hv.efi: a "blue pill" loader. Run by the firmware as a boot option (or from the UEFI
 * shell), it loads the hypervisor core that it carries, calls it with the firmware
 * still in charge (boot services stay up: no ExitBootServices), and when the core
 * returns -- on a machine with VMX, as the core's first guest -- it hands control back
 * to the firmware, which boots the next boot option (the operating system).
 *
 * The steps, each in its own file (boot/efi/loader.h): command line, ACPI RSDP,
 * validate hv.elf, allocate and load the image, the pool and the page tables, CPU
 * list, final memory map, call, report, then the APs through the core's AP entry. Any failure prints one "efi: ..." line and
 * returns an EFI error; with "poweroff" on the command line the machine is shut down
 * instead, so that a test run always ends by itself.
 */
#include "boot/efi/loader.h"
#include "hv/layout.h"

/*
 * Memory type of everything the core keeps: its image, its frame-allocator pool and its
 * page tables. EfiReservedMemoryType, because the OS neither allocates nor maps it:
 * EfiRuntimeServicesData would also survive ExitBootServices, but the OS maps runtime
 * ranges into its EFI page tables and a firmware call could then reach the hypervisor's
 * memory; loader/boot-services types become the OS's free RAM.
 */
#define HV_MEMORY_TYPE EfiReservedMemoryType

/* The core's allocations, so that a failure gives each back exactly once. */
struct hv_alloc {
	EFI_PHYSICAL_ADDRESS base;
	UINTN pages;
};

struct loader {
	EFI_HANDLE image;
	struct loader_opts opts;
	char cmdline[BOOT_CMDLINE_MAX];
	struct elf_image elf;
	struct boot_info *bi;
	struct efi_mmap map;
	struct hv_alloc core_image, pool, pt, bi_pages;
	uint64_t cr3;
};

static EFI_STATUS alloc_pages(struct hv_alloc *a, EFI_MEMORY_TYPE type, UINTN pages,
			      const char *what)
{
	EFI_STATUS st;

	a->base = 0;
	st = BS->AllocatePages(AllocateAnyPages, type, pages, &a->base);
	if (EFI_ERROR(st)) {
		Print(L"efi: cannot allocate %lu KiB for the %a: %r\n", pages * 4ull, what, st);
		a->base = 0;
		return st;
	}
	a->pages = pages;
	return EFI_SUCCESS;
}

static void free_pages(struct hv_alloc *a)
{
	if (a->base)
		BS->FreePages(a->base, a->pages);
	a->base = 0;
}

static void release(struct loader *ld)
{
	free_pages(&ld->core_image);
	free_pages(&ld->pool);
	free_pages(&ld->pt);
	free_pages(&ld->bi_pages);
	mmap_free(&ld->map);
}

static EFI_STATUS read_cmdline(struct loader *ld)
{
	const CHAR16 *from;
	EFI_STATUS st;

	st = cmdline_get(ld->image, ld->cmdline, sizeof(ld->cmdline), &from);
	if (EFI_ERROR(st))
		return st;
	Print(L"efi: cmdline (%s): \"%a\"\n", from, ld->cmdline);
	return cmdline_parse(ld->cmdline, &ld->opts);
}

/* Image, pool and page tables; the image loaded, the tables built. */
static EFI_STATUS load_core(struct loader *ld)
{
	bool gib = pt_cpu_has_gib_pages();
	UINTN pt_pages;
	EFI_STATUS st;

	st = elf_inspect(hv_elf_start, (uint64_t)(hv_elf_end - hv_elf_start), &ld->elf);
	if (EFI_ERROR(st))
		return st;

	/* The map as it is now: which gigabytes the identity map must cover. Allocations
	 * below change types inside it, not the addresses it covers. */
	st = mmap_get(&ld->map);
	if (EFI_ERROR(st))
		return st;
	st = mmap_normalize(&ld->map, ld->bi);
	if (EFI_ERROR(st))
		return st;
	pt_pages = pt_pages_needed(ld->bi, ld->elf.size, gib);
	if (pt_pages == 0)
		return EFI_UNSUPPORTED;

	st = alloc_pages(&ld->core_image, HV_MEMORY_TYPE, efi_pages(ld->elf.size), "core image");
	if (!EFI_ERROR(st))
		st = alloc_pages(&ld->pool, HV_MEMORY_TYPE, efi_pages(ld->opts.pool_bytes),
				 "core pool");
	if (!EFI_ERROR(st))
		st = alloc_pages(&ld->pt, HV_MEMORY_TYPE, pt_pages, "page tables");
	if (EFI_ERROR(st))
		return st;

	st = elf_load(&ld->elf, (uint8_t *)(uintptr_t)ld->core_image.base);
	if (EFI_ERROR(st))
		return st;
	ld->cr3 = pt_build(ld->bi, ld->pt.base, pt_pages, ld->core_image.base, ld->elf.size, gib);
	if (!ld->cr3)
		return EFI_OUT_OF_RESOURCES;

	Print(L"efi: core loaded: hv.elf %lu bytes, image %lu KiB at 0x%lx, entry 0x%lx\n",
	      ld->elf.file_size, ld->elf.size >> 10, ld->core_image.base, ld->elf.entry_va);
	Print(L"efi: pool %lu MiB at 0x%lx, page tables %lu pages at 0x%lx (%a pages)\n",
	      ld->opts.pool_bytes >> 20, ld->pool.base, pt_pages, ld->pt.base,
	      gib ? "1-GiB" : "2-MiB");
	return EFI_SUCCESS;
}

/*
 * The memory map the core gets, taken last: nothing may allocate between this and the
 * call (Print included, it allocates pool memory).
 * Types: the image and the page tables are HV_IMAGE (the core runs on these tables
 * until it builds its own, so its frame allocator must never hand them out), the pool
 * is HV_POOL, this boot_info is BOOT_DATA (loader data: the core copies what it keeps).
 */
static EFI_STATUS final_map(struct loader *ld)
{
	struct boot_info *bi = ld->bi;
	EFI_STATUS st;

	st = mmap_get(&ld->map);
	if (!EFI_ERROR(st))
		st = mmap_normalize(&ld->map, bi);
	if (!EFI_ERROR(st))
		st = mmap_add(bi, ld->core_image.base, ld->elf.size, BOOT_MEM_HV_IMAGE, "image");
	if (!EFI_ERROR(st))
		st = mmap_add(bi, ld->pt.base, ld->pt.pages * EFI_PAGE_BYTES, BOOT_MEM_HV_IMAGE,
			      "page tables");
	if (!EFI_ERROR(st))
		st = mmap_add(bi, ld->pool.base, ld->pool.pages * EFI_PAGE_BYTES, BOOT_MEM_HV_POOL,
			      "pool");
	if (!EFI_ERROR(st))
		st = mmap_add(bi, ld->bi_pages.base, ld->bi_pages.pages * EFI_PAGE_BYTES,
			      BOOT_MEM_BOOT_DATA, "boot_info");
	return st;
}

static EFI_STATUS run(struct loader *ld)
{
	struct boot_info *bi;
	uint8_t rsdp_rev;
	EFI_STATUS st;
	int status;

	st = read_cmdline(ld);
	if (EFI_ERROR(st))
		return st;
	if (handoff_cr4_la57()) {
		Print(L"efi: the firmware runs 5-level paging; the core needs 4-level\n");
		return EFI_UNSUPPORTED;
	}

	/* Loader data: the core reads it during hv_entry only (BOOT_DATA). */
	st = alloc_pages(&ld->bi_pages, EfiLoaderData, efi_pages(sizeof(*bi)), "boot_info");
	if (EFI_ERROR(st))
		return st;
	bi = ld->bi = (struct boot_info *)(uintptr_t)ld->bi_pages.base;
	SetMem(bi, sizeof(*bi), 0);
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->source = BOOT_SOURCE_EFI;
	bi->efi_system_table = (uint64_t)(uintptr_t)ST;
	CopyMem(bi->cmdline, ld->cmdline, sizeof(bi->cmdline));

	bi->rsdp = acpi_find_rsdp(&rsdp_rev);
	if (bi->rsdp)
		Print(L"efi: acpi: RSDP at 0x%lx, revision %d\n", bi->rsdp, rsdp_rev);
	else
		Print(L"efi: acpi: no RSDP in the configuration table\n");

	st = load_core(ld);
	if (EFI_ERROR(st))
		return st;
	bi->hv_image_base = ld->core_image.base;
	bi->hv_image_size = ld->elf.size;
	bi->boot_pt_base = ld->pt.base;
	bi->boot_pt_size = ld->pt.pages * EFI_PAGE_BYTES;
	cpus_fill(bi);

	Print(L"efi: calling the core, hv_entry at 0x%lx\n", ld->elf.entry_va);
	st = final_map(ld);
	if (EFI_ERROR(st))
		return st;

	status = handoff_call_core(ld->elf.entry_va, ld->cr3, bi);

	Print(L"efi: back from the core: status %d, %u memory ranges passed\n", status,
	      bi->mmap_count);
	if (status != 0) {
		/* The core is not resident after a failure: its memory is free again. */
		Print(L"efi: the core failed (%d)\n", status);
		return EFI_LOAD_ERROR;
	}
	/* The core is resident: the APs go through its AP entry (boot/efi/aps.c) on the
	 * same boot tables, which stay allocated with the core. */
	aps_start(bi, ld->elf.ap_entry_va, ld->cr3);
	/* The core's memory stays allocated: it is resident (VMX) or protects itself
	 * (VT-d); bi and the map buffer were loader data and go back. */
	ld->core_image.base = ld->pool.base = ld->pt.base = 0;
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static struct loader ld;
	EFI_STATUS st;

	InitializeLib(image, systab);
	SetMem(&ld, sizeof(ld), 0);
	ld.image = image;
	ld.opts.pool_bytes = LOADER_POOL_DEFAULT;

	Print(L"efi: hv.efi loader for the hypervisor core (firmware %s rev 0x%x, UEFI %d.%d)\n",
	      ST->FirmwareVendor, ST->FirmwareRevision, ST->Hdr.Revision >> 16,
	      (ST->Hdr.Revision & 0xffff) / 10);

	st = run(&ld);
	release(&ld);
	if (EFI_ERROR(st))
		Print(L"efi: failed: %r\n", st);
	else
		Print(L"efi: done, returning to the firmware\n");

	if (ld.opts.poweroff) {
		Print(L"efi: poweroff\n");
		RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
		Print(L"efi: ResetSystem returned\n"); /* not expected; fall back to return */
	}
	return st;
}
