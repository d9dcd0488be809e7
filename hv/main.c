// SPDX-License-Identifier: MIT
/*
 * hv_main: the boot stages, in order, one log line each (design.md "Data that flows"):
 * console -> memory -> paging -> cpu-tables -> acpi -> cpu -> vmx decision.
 */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "hv"
#include "hv/acpi.h"
#include "hv/cmdline.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/cpu_tables.h"
#include "hv/iommu_boot.h"
#include "hv/log.h"
#include "hv/main.h"
#include "hv/memmap.h"
#include "hv/mm.h"
#include "hv/paging.h"
#include "hv/selftest.h"
#include "hv/vmx.h"
#include "hv/vsva_boot.h"
#include "hv/vvtd_boot.h"
#include "hv/x86.h"

/* The core's own copy: the loader's boot_info need not outlive hv_main. */
static struct boot_info hv_boot;
static struct cpu_info hv_bsp_info;
static struct acpi_info hv_acpi;
static struct host_paging_info hv_paging;

struct frame_pool host_frame_pool;
hpa_t host_image_hpa;

int host_frames_alloc(uint64_t frames, uint64_t align_frames, hpa_t *out)
{
	int ret = frame_alloc(&host_frame_pool, frames, align_frames, out);

	if (!ret)
		memset(hpa_to_hva(*out), 0, frames << PAGE_SHIFT);
	return ret;
}

int host_frames_free(hpa_t base, uint64_t frames)
{
	return frame_free(&host_frame_pool, base, frames);
}

static const char *boot_source_name(uint32_t source)
{
	switch (source) {
	case BOOT_SOURCE_EFI:
		return "UEFI loader (hv.efi)";
	case BOOT_SOURCE_MB2:
		return "Multiboot2 (GRUB)";
	default:
		return "unknown";
	}
}

static void stage_memory_log(const struct boot_info *bi)
{
	log_info("stage memory: %u ranges; usable %llu MiB, hv pool %llu MiB (%llu free "
		 "frames), image %llu KiB at 0x%llx",
		 bi->mmap_count, (unsigned long long)(memmap_total(bi, BOOT_MEM_USABLE) >> 20),
		 (unsigned long long)(memmap_total(bi, BOOT_MEM_HV_POOL) >> 20),
		 (unsigned long long)host_frame_pool.free_frames,
		 (unsigned long long)(bi->hv_image_size >> 10),
		 (unsigned long long)bi->hv_image_base);
	for (uint32_t i = 0; i < bi->mmap_count; i++)
		log_debug("  mem [0x%012llx-0x%012llx) %s", (unsigned long long)bi->mmap[i].base,
			  (unsigned long long)(bi->mmap[i].base + bi->mmap[i].size),
			  memmap_type_name(bi->mmap[i].type));
}

static void stage_acpi_log(const struct acpi_info *acpi)
{
	char sigs[ACPI_TABLES_MAX * 5 + 1];
	size_t n = 0;

	for (uint32_t i = 0; i < acpi->count; i++) {
		const struct acpi_table_header *h = hpa_to_hva(acpi->tables[i]);

		memcpy(sigs + n, h->signature, 4);
		sigs[n + 4] = ' ';
		n += 5;
	}
	sigs[n ? n - 1 : 0] = '\0';
	log_info("stage acpi: RSDP rev %u at 0x%llx, %s at 0x%llx: %u tables (%s), %u rejected",
		 acpi->revision, (unsigned long long)acpi->rsdp, acpi->xsdt ? "XSDT" : "RSDT",
		 (unsigned long long)acpi->root, acpi->count, sigs, acpi->rejected);
}

int hv_main(struct boot_info *bi)
{
	int ret;

	if (bi->magic != BOOT_INFO_MAGIC || bi->version != BOOT_INFO_VERSION)
		return -EINVAL; /* nothing to print with: the console is not set up yet */
	memcpy(&hv_boot, bi, sizeof(hv_boot));
	bi = &hv_boot;
	bi->cmdline[BOOT_CMDLINE_MAX - 1] = '\0';
	host_image_hpa = bi->hv_image_base;

	log_set_level((int)cmdline_u64(bi->cmdline, "loglevel", LOG_INFO));
	ret = console_init(CONSOLE_COM1_PORT, CONSOLE_BAUD);
	log_info("boot: entered from %s, command line \"%s\"", boot_source_name(bi->source),
		 bi->cmdline);
	log_info("stage console: COM1 16550 at 0x%x, %u 8N1%s", CONSOLE_COM1_PORT, CONSOLE_BAUD,
		 ret ? " (no UART found)" : "");

	ret = frame_pool_init(&host_frame_pool, bi);
	if (ret == -ENOMEM) {
		log_err("stage memory: the boot path gave no hv-pool memory: cannot go on");
		return ret;
	}
	stage_memory_log(bi);

	ret = paging_init(bi, &hv_paging);
	if (ret)
		return ret;
	log_info("stage paging: host CR3 0x%llx, %llu GiB 1:1 with %s pages, image at 0x%llx "
		 "(W^X %s), %llu table frames",
		 (unsigned long long)hv_paging.pml4,
		 (unsigned long long)(hv_paging.identity_bytes >> 30),
		 hv_paging.gbpages ? "1-GiB" : "2-MiB", (unsigned long long)HV_IMAGE_VBASE,
		 hv_paging.nx ? "on" : "without NX: EFER.NXE off",
		 (unsigned long long)hv_paging.table_frames);

	ret = cpu_tables_init(0);
	if (ret) {
		log_err("stage cpu-tables: failed (%d)", ret);
		return ret;
	}
	log_info("stage cpu-tables: GDT, TSS (IST for #DF, NMI, #MC), IDT with 32 exception "
		 "handlers loaded");
	selftest_after_idt(bi->cmdline);

	ret = acpi_init(bi->rsdp, &hv_acpi);
	if (ret)
		log_warn("stage acpi: no usable ACPI tables (%d): no DMAR, no MADT", ret);
	else
		stage_acpi_log(&hv_acpi);
	iommu_boot(&hv_acpi, bi);

	cpu_info_read(&hv_bsp_info);
	log_info("stage cpu: %s, VMX %s", hv_bsp_info.vendor,
		 hv_bsp_info.vmx ? (hv_bsp_info.vmx_usable ? "present" : "locked off by firmware") :
				   "absent");
	cpu_info_log(&hv_bsp_info);

	if (!hv_bsp_info.vmx) {
		log_info("vmx: not available: CPUID.1:ECX[5] is 0 (QEMU TCG has no VMX); the "
			 "hypervisor does not virtualize this CPU and never sets CR4.VMXE");
		log_info("vmx: without VMX it still brings up console, memory, paging, ACPI and "
			 "the CPU report, then gives control back");
	} else if (!hv_bsp_info.vmx_usable) {
		log_warn("vmx: present but disabled by IA32_FEATURE_CONTROL (locked): enable "
			 "VT-x in the firmware setup");
	} else {
		ret = vmx_start(bi, &hv_bsp_info, hv_acpi.count ? &hv_acpi : NULL);
		if (ret)
			log_warn("vmx: no guest launched (%d)", ret);
	}
	log_info("boot complete: %s", bi->source == BOOT_SOURCE_EFI ? "returning to the firmware" :
								      "nothing to return to");
	return 0;
}

noreturn void hv_halt(int code)
{
	uint64_t port = cmdline_u64(hv_boot.cmdline, "debugexit", 0);

	vvtd_boot_guest_end(); /* once: what the guest's IOMMU driver left in the vIOMMU */
	vsva_boot_guest_end(); /* once: vSVA invariants and the platform's confirmation */
	console_drain();
	/* Bochs: magic breakpoint (xchg bx, bx) ends a test run; a no-op elsewhere. */
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
	if (port && port <= 0xffff)
		outl((uint16_t)port, (uint32_t)code); /* QEMU isa-debug-exit */
	for (;;)
		__asm__ volatile("cli; hlt");
}
