// SPDX-License-Identifier: MIT
/*
 * The UEFI memory map (UEFI 2.10 §7.2.3 GetMemoryMap) and its translation into the
 * normalized struct boot_info map (hv/memmap.h).
 */
#include <errno.h>
#include "boot/efi/loader.h"
#include "hv/memmap.h"

/* EFI_MEMORY_TYPE values GNU-EFI 3.0.15 does not name (UEFI 2.5+, 2.9+). */
#define EFI_PERSISTENT_MEMORY 14
#define EFI_UNACCEPTED_MEMORY 15

/* Room for this many more descriptors than the firmware asked for, since allocating
 * the buffer (and what the loader allocates next) splits ranges. */
#define MMAP_SLACK_DESCS 32

uint32_t mmap_efi_type_to_boot(UINT32 efi_type)
{
	switch (efi_type) {
	/* Boot-services and loader memory is the OS's once the firmware boots it. */
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiConventionalMemory:
		return BOOT_MEM_USABLE;
	/* The OS keeps runtime services mapped and never reuses them. */
	case EfiRuntimeServicesCode:
	case EfiRuntimeServicesData:
		return BOOT_MEM_FIRMWARE;
	case EfiACPIReclaimMemory:
		return BOOT_MEM_ACPI_RECLAIM;
	case EfiACPIMemoryNVS:
		return BOOT_MEM_ACPI_NVS;
	case EfiMemoryMappedIO:
	case EfiMemoryMappedIOPortSpace:
		return BOOT_MEM_MMIO;
	case EfiUnusableMemory:
	case EFI_UNACCEPTED_MEMORY: /* the guest must accept it first: not ours to hand out */
		return BOOT_MEM_UNUSABLE;
	/* PalCode (Itanium), persistent memory (the OS's storage, not RAM to allocate),
	 * EfiReservedMemoryType, OEM and OS-loader types: keep away. */
	case EfiReservedMemoryType:
	case EfiPalCode:
	case EFI_PERSISTENT_MEMORY:
	default:
		return BOOT_MEM_RESERVED;
	}
}

EFI_STATUS mmap_get(struct efi_mmap *map)
{
	EFI_STATUS st;

	for (int tries = 0; tries < 4; tries++) {
		UINTN size = map->buf_size;

		st = BS->GetMemoryMap(&size, map->buf, &map->key, &map->desc_size,
				      &map->desc_version);
		if (st == EFI_SUCCESS) {
			map->size = size;
			return EFI_SUCCESS;
		}
		if (st != EFI_BUFFER_TOO_SMALL)
			break;
		/* Too small: size now says what is needed; add slack for the pool
		 * allocation below, which can itself add descriptors. */
		mmap_free(map);
		size += MMAP_SLACK_DESCS * (map->desc_size ? map->desc_size : 64);
		st = BS->AllocatePool(EfiLoaderData, size, (void **)&map->buf);
		if (EFI_ERROR(st)) {
			map->buf = NULL;
			break;
		}
		map->buf_size = size;
	}
	Print(L"efi: mmap: GetMemoryMap: %r\n", st);
	return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
}

void mmap_free(struct efi_mmap *map)
{
	if (map->buf)
		BS->FreePool(map->buf);
	map->buf = NULL;
	map->buf_size = 0;
	map->size = 0;
}

static const char *memmap_errstr(int err)
{
	return err == -ENOSPC ? "map full" : "bad range";
}

EFI_STATUS mmap_add(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type,
		    const char *what)
{
	int err = memmap_add(bi, base, size, type);

	if (err == 0)
		return EFI_SUCCESS;
	Print(L"efi: mmap: %a [0x%lx, +0x%lx) as %a: %a (%d ranges)\n", what, base, size,
	      memmap_type_name(type), memmap_errstr(err), bi->mmap_count);
	return err == -ENOSPC ? EFI_BUFFER_TOO_SMALL : EFI_INVALID_PARAMETER;
}

EFI_STATUS mmap_normalize(const struct efi_mmap *map, struct boot_info *bi)
{
	const uint8_t *p = (const uint8_t *)map->buf;
	EFI_STATUS st;

	if (map->desc_size < sizeof(EFI_MEMORY_DESCRIPTOR)) {
		Print(L"efi: mmap: descriptor size %lu too small\n", map->desc_size);
		return EFI_INVALID_PARAMETER;
	}
	bi->mmap_count = 0;
	for (UINTN off = 0; off + map->desc_size <= map->size; off += map->desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const EFI_MEMORY_DESCRIPTOR *)(p + off);

		if (d->NumberOfPages == 0)
			continue;
		/* UEFI pages are 4 KiB whatever the CPU's page size. */
		if (d->NumberOfPages > (UINT64_MAX - d->PhysicalStart) / EFI_PAGE_BYTES) {
			Print(L"efi: mmap: descriptor at 0x%lx wraps\n", d->PhysicalStart);
			return EFI_INVALID_PARAMETER;
		}
		st = mmap_add(bi, d->PhysicalStart, d->NumberOfPages * EFI_PAGE_BYTES,
			      mmap_efi_type_to_boot(d->Type), "firmware range");
		if (EFI_ERROR(st))
			return st;
	}
	return EFI_SUCCESS;
}
