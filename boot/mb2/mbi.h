/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 boot information (MBI) -> struct boot_info. Portable C: no hardware access,
 * no console, so that the hosted unit tests can feed it malformed tag lists.
 * Section numbers are those of the Multiboot2 Specification version 2.0, section 3.6
 * "Boot information format".
 */
#ifndef BOOT_MB2_MBI_H
#define BOOT_MB2_MBI_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/boot_info.h"

/* Spec 3.6.1 / 3.6.2: the fixed part of the MBI, and the header of every tag. */
struct mb2_info {
	uint32_t total_size; /* bytes, this header and the end tag included */
	uint32_t reserved;
};

struct mb2_tag {
	uint32_t type;
	uint32_t size; /* bytes, this header included, padding excluded */
};

#define MB2_TAG_ALIGN 8u /* every tag starts 8-byte aligned */

/* Tag types (spec 3.6.3 - 3.6.16) that the boot path reads. */
#define MB2_TAG_END	 0
#define MB2_TAG_CMDLINE	 1
#define MB2_TAG_MODULE	 3
#define MB2_TAG_MMAP	 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

/* Spec 3.6.6: a module; mod_end is the first byte after it (GRUB: start + size). */
struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start; /* HPA */
	uint32_t mod_end;   /* HPA, exclusive */
	char cmdline[];	    /* NUL-terminated */
};

/* Spec 3.6.8: the memory map, entry_size bytes per entry (a multiple of 8). */
struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size;
	uint32_t entry_version; /* 0 */
};

struct mb2_mmap_entry {
	uint64_t base_addr; /* HPA */
	uint64_t length;    /* bytes */
	uint32_t type;	    /* MB2_MMAP_* */
	uint32_t reserved;
};

/* Spec 3.6.8: memory-map entry types (the BIOS e820 types); others are reserved. */
#define MB2_MMAP_AVAILABLE    1
#define MB2_MMAP_ACPI_RECLAIM 3
#define MB2_MMAP_ACPI_NVS     4
#define MB2_MMAP_BADRAM	      5

/* What mbi_parse() saw besides boot_info, for the boot path's messages. */
struct mbi_report {
	uint32_t total_size;	  /* the MBI's bytes */
	uint32_t mmap_entries;	  /* memory-map entries read (empty ones included) */
	uint32_t modules_dropped; /* modules beyond BOOT_MODULES_MAX, not recorded */
	bool cmdline_cut;	  /* the core's command line was cut to BOOT_CMDLINE_MAX */
	const char *error;	  /* on failure: what was wrong, a static string */
	uint64_t error_value;	  /* on failure: the offending value or offset */
};

/*
 * mbi_parse() - add what the MBI says to @bi: the command line, the modules (base, size,
 * command line), the ACPI RSDP (the new-RSDP tag preferred over the old one: HPA of the
 * copy inside the MBI), and the memory map through memmap_add(): mmap entries (1 usable,
 * 3 ACPI reclaim, 4 ACPI NVS, 5 unusable, anything else reserved), then the MBI itself and
 * every module as BOOT_MEM_BOOT_DATA.
 * @mbi:      the MBI's bytes, 8-byte aligned (on the boot path: its identity-mapped HPA).
 * @mbi_pa:   the MBI's HPA, from which the RSDP and BOOT_DATA addresses are computed.
 * @readable: bytes that may be read at @mbi; total_size beyond it is an error.
 * @rep:      filled in on success and failure.
 *
 * The tag list is validated in full before @bi is changed: every tag's size must lie
 * within total_size (nothing past it is ever read), the list must end with an end tag,
 * and there must be a memory-map tag with a sane entry size.
 * Returns 0; -EINVAL for a malformed MBI (@bi unchanged, rep->error says why); -ENOSPC
 * when the memory map needs more than BOOT_MMAP_MAX ranges (@bi's map then holds
 * what fitted: the caller must not boot with it).
 */
int mbi_parse(struct boot_info *bi, const void *mbi, uint64_t mbi_pa, uint64_t readable,
	      struct mbi_report *rep);

/*
 * mbi_pool_bytes() - the HV pool size asked for on @cmdline: `pool=N` or `pool=NM` (MiB),
 * `pool=NG` (GiB), below 4 GiB. Returns bytes: @def_bytes when absent; also when the
 * value cannot be read, with *@bad set to true (else false).
 */
uint64_t mbi_pool_bytes(const char *cmdline, uint64_t def_bytes, bool *bad);

/*
 * mbi_find_pool() - where to carve @want bytes of pool from the usable ranges of @bi's map
 * (the image, the MBI and the modules must be in the map already, as they outrank usable),
 * within [@floor, @limit) (HPAs). First fit by address, 2-MiB aligned when that still fits
 * (large-page mappings), else 4-KiB aligned; with no range large enough, the largest part.
 * Returns the HPA and sets *@got to the bytes found (<= @want); *@got = 0 when none.
 * Does not change the map: the caller adds the range as BOOT_MEM_HV_POOL.
 */
uint64_t mbi_find_pool(const struct boot_info *bi, uint64_t floor, uint64_t limit, uint64_t want,
		       uint64_t *got);

#endif /* BOOT_MB2_MBI_H */
