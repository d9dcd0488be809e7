/* SPDX-License-Identifier: MIT */
/*
 * hv.efi: the GNU-EFI loader of the hypervisor core. Internal interface between its
 * files, one job per file:
 *   main.c       efi_main: the steps in order, and every failure reported once
 *   cmdline.c    the command line (LoadOptions or hv.cmdline) and its options
 *   acpi.c       the ACPI RSDP from the configuration table
 *   cpus.c       the CPU list from EFI_MP_SERVICES_PROTOCOL
 *   elf.c        validating the embedded hv.elf and loading its PT_LOAD segments
 *   mmap.c       the UEFI memory map and its normalization into struct boot_info
 *   pagetables.c the core's boot page tables (identity map + the image window)
 *   handoff.c    the CR3 switch and the call into the core
 *   payload.asm  hv.elf itself, embedded
 *
 * The loader runs under the firmware's identity map, so a physical address (HPA) and
 * a pointer are the same number here; the casts between them say where that is used.
 * Errors are EFI_STATUS values; every failing function has printed an "efi: ..." line
 * before it returns one.
 */
#ifndef BOOT_EFI_LOADER_H
#define BOOT_EFI_LOADER_H

#include <efi.h>
#include <efilib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hv/boot_info.h"

#define EFI_PAGE_BYTES 4096ull

/* Pages of 4 KiB needed for @bytes. */
static inline UINTN efi_pages(uint64_t bytes)
{
	return (UINTN)((bytes + EFI_PAGE_BYTES - 1) / EFI_PAGE_BYTES);
}

/* The embedded core (payload.asm). Hidden: referenced PC-relative, no relocation. */
extern const uint8_t hv_elf_start[] __attribute__((visibility("hidden")));
extern const uint8_t hv_elf_end[] __attribute__((visibility("hidden")));

/* ---- cmdline.c ---- */

/* Options the loader itself reads from the command line. */
struct loader_opts {
	uint64_t pool_bytes; /* pool=NNM: the core's frame-allocator pool, bytes */
	bool poweroff;	     /* poweroff: shut the machine down after the core returns */
};

#define LOADER_POOL_DEFAULT (64ull << 20) /* bytes */
#define LOADER_POOL_MIN	    (4ull << 20)  /* bytes */
#define LOADER_POOL_MAX	    (64ull << 30) /* bytes */

/*
 * cmdline_get() - the core's command line into @buf (@size bytes, NUL-terminated):
 * the boot entry's LoadOptions when they are text (argv[0] "*.efi" dropped, as the UEFI
 * shell passes it), else the file hv.cmdline in hv.efi's directory, else "".
 * @from: set to a short description of the source, for the log.
 * Returns EFI_SUCCESS (an unreadable or absent file is not an error);
 * EFI_BUFFER_TOO_SMALL when the command line does not fit.
 */
EFI_STATUS cmdline_get(EFI_HANDLE image, char *buf, size_t size, const CHAR16 **from);

/*
 * cmdline_parse() - read the loader's options (see struct loader_opts) from @cmdline.
 * Returns EFI_SUCCESS; EFI_INVALID_PARAMETER for a malformed or out-of-range pool=.
 */
EFI_STATUS cmdline_parse(const char *cmdline, struct loader_opts *opts);

/* cmdline_has_word() - true when @word is one of the space-separated words of @cmdline. */
bool cmdline_has_word(const char *cmdline, const char *word);

/* ---- acpi.c ---- */

/*
 * acpi_find_rsdp() - HPA of the ACPI RSDP in the system configuration table: the ACPI
 * 2.0 entry (XSDT) when present, else the ACPI 1.0 one. @revision: set to the RSDP's
 * revision byte. Returns 0 when the firmware lists none.
 */
uint64_t acpi_find_rsdp(uint8_t *revision);

/* ---- cpus.c ---- */

/*
 * cpus_fill() - bi->bsp_apic_id from CPUID, and bi->cpu_count/apic_id[] from
 * EFI_MP_SERVICES_PROTOCOL (enabled processors only, at most BOOT_CPUS_MAX). Without
 * the protocol cpu_count stays 0 (the core then reads the MADT). Never fails.
 */
void cpus_fill(struct boot_info *bi);

/*
 * cpus_mp_services() - EFI_MP_SERVICES_PROTOCOL, or NULL (with nothing printed) when the
 * firmware has none.
 */
struct efi_mp_services *cpus_mp_services(void);

/* cpus_apic_id() - the initial local APIC ID of the calling CPU, from CPUID (any CPU). */
uint32_t cpus_apic_id(void);

/* ---- aps.c ---- */

/*
 * aps_start() - after hv_entry returned 0 on the BSP: run the core's AP entry
 * (@ap_entry_va, System V, see hv_ap_entry in hv/boot_info.h) on every enabled AP
 * through EFI_MP_SERVICES_PROTOCOL.StartupAllAPs (UEFI PI Vol. 2 13.4), blocking and
 * one AP at a time (the core's frame pool and log have no locks), each on the core's
 * tables at @cr3 (HPA of the PML4). Then prints one "efi: ap N (APIC ID x): ..." line
 * per AP with what the core returned. @bi: the boot_info passed to hv_entry (its
 * apic_id[] gives each AP its logical index). Never fails: an AP that the core did not
 * take stays with the firmware, as without this step.
 */
void aps_start(struct boot_info *bi, uint64_t ap_entry_va, uint64_t cr3);

/* ---- elf.c ---- */

/* What elf_inspect() found: the numbers the allocation needs. */
struct elf_image {
	const uint8_t *file;  /* the ELF file (loader memory) */
	uint64_t file_size;   /* bytes */
	uint64_t link_pa;     /* hv_image_header.link_pa: p_paddr of image offset 0 */
	uint64_t size;	      /* bytes: end_va - HV_IMAGE_VBASE, 4-KiB multiple */
	uint64_t entry_va;    /* hv_entry, in the HV_IMAGE_VBASE window */
	uint64_t ap_entry_va; /* hv_ap_entry, in the same window; 0 = the core has none */
	uint64_t header_off;  /* offset of struct hv_image_header in the image */
};

#define ELF_IMAGE_MAX (256ull << 20) /* bytes: bigger is a corrupt header */

/*
 * elf_inspect() - validate the ELF64 file @file (@size bytes) as a core image: header
 * fields, every program header and every PT_LOAD's offset/size within the file, and the
 * image header (struct hv_image_header) in the first HV_IMAGE_HEADER_SEARCH bytes of
 * the image. Fills @img. Returns EFI_SUCCESS or EFI_LOAD_ERROR (with the reason printed).
 */
EFI_STATUS elf_inspect(const uint8_t *file, uint64_t size, struct elf_image *img);

/*
 * elf_load() - copy each PT_LOAD of @img to @dest + (p_paddr - link_pa) and zero the
 * rest of the @img->size bytes at @dest (bss, gaps). Then check that the loaded image
 * holds the image header at the offset elf_inspect() found.
 * @dest: loader pointer (= HPA) of @img->size bytes, 4-KiB aligned.
 * Returns EFI_SUCCESS or EFI_LOAD_ERROR.
 */
EFI_STATUS elf_load(const struct elf_image *img, uint8_t *dest);

/* ---- mmap.c ---- */

/* A snapshot of the UEFI memory map, in a buffer that mmap_get() owns. */
struct efi_mmap {
	EFI_MEMORY_DESCRIPTOR *buf;
	UINTN buf_size;	 /* bytes allocated */
	UINTN size;	 /* bytes used */
	UINTN desc_size; /* bytes per descriptor: use it, not sizeof(EFI_MEMORY_DESCRIPTOR) */
	UINTN key;
	UINT32 desc_version;
};

/*
 * mmap_get() - take the current UEFI memory map into @map, (re)allocating its buffer
 * when it is too small. The buffer is allocated with slack so that a later call after
 * a few allocations need not allocate again. Returns EFI_SUCCESS or the firmware's error.
 */
EFI_STATUS mmap_get(struct efi_mmap *map);

/* mmap_free() - give the buffer back. */
void mmap_free(struct efi_mmap *map);

/* mmap_efi_type_to_boot() - enum boot_mem_type for a UEFI EFI_MEMORY_TYPE value. */
uint32_t mmap_efi_type_to_boot(UINT32 efi_type);

/*
 * mmap_normalize() - set bi->mmap to the normalized form of @map (bi->mmap_count is
 * reset first). Returns EFI_SUCCESS; EFI_BUFFER_TOO_SMALL when the map needs more than
 * BOOT_MMAP_MAX ranges; EFI_INVALID_PARAMETER for a malformed descriptor.
 */
EFI_STATUS mmap_normalize(const struct efi_mmap *map, struct boot_info *bi);

/*
 * mmap_add() - memmap_add() with its error printed (@what names the range).
 * @base: HPA; @size: bytes. Returns EFI_SUCCESS or EFI_BUFFER_TOO_SMALL/EFI_INVALID_PARAMETER.
 */
EFI_STATUS mmap_add(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type,
		    const char *what);

/* ---- pagetables.c ---- */

/*
 * pt_pages_needed() - 4-KiB pages pt_build() needs to identity-map [0, 4 GiB) and every
 * range of @bi->mmap, and to map an image of @image_size bytes at HV_IMAGE_VBASE.
 * @gib_pages: use 1-GiB pages for the identity map (else 2 MiB).
 */
UINTN pt_pages_needed(const struct boot_info *bi, uint64_t image_size, bool gib_pages);

/*
 * pt_build() - build the core's page tables in the @pages zeroed 4-KiB pages at HPA
 * @pt_base. Identity map (VA = HPA, writable, executable, supervisor) as counted by
 * pt_pages_needed(); the image at HV_IMAGE_VBASE + off -> @image_base + off in 4-KiB
 * pages. Returns the HPA of the PML4 (to load into CR3), 0 when @pages is too few or
 * a range lies above the 4-level limit (256 TiB ... printed).
 */
uint64_t pt_build(const struct boot_info *bi, uint64_t pt_base, UINTN pages, uint64_t image_base,
		  uint64_t image_size, bool gib_pages);

/* pt_cpu_has_gib_pages() - CPUID.80000001H:EDX[26] (Page1GB). */
bool pt_cpu_has_gib_pages(void);

/* ---- handoff.c ---- */

/*
 * handoff_call_core() - with interrupts off and CR3 = @cr3, call the core's hv_entry
 * at @entry_va (System V ABI) with @bi; then restore the loader's CR3 and interrupt
 * flag. Returns hv_entry's status: 0 or a negative errno.
 * No firmware service (Print included: libefi uses SSE) may be used in between, so
 * this function calls none.
 */
int handoff_call_core(uint64_t entry_va, uint64_t cr3, struct boot_info *bi);

/*
 * handoff_call_ap() - on an AP (from the MP services procedure): like
 * handoff_call_core(), but calls the core's hv_ap_entry at @entry_va with @bi, @cpu
 * (the AP's logical index, 1 ..) and the AP's own CR3 before the switch. Returns
 * hv_ap_entry's status (hv/boot_info.h). Calls no firmware service and no libefi code.
 */
int handoff_call_ap(uint64_t entry_va, uint64_t cr3, struct boot_info *bi, uint32_t cpu);

/* handoff_read_cr3() - this CPU's CR3 (HPA of its PML4 plus flags). */
uint64_t handoff_read_cr3(void);

/* handoff_cr4_la57() - true when the firmware runs with 5-level paging (CR4.LA57). */
bool handoff_cr4_la57(void);

#endif /* BOOT_EFI_LOADER_H */
