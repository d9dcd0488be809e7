/* SPDX-License-Identifier: MIT */
/*
 * struct boot_info: the one thing every boot path hands the core.
 *
 * boot/efi (the GNU-EFI loader, hv.efi) and boot/mb2 (the Multiboot2 entry in hv.elf)
 * each fill one of these and call the core's 64-bit entry, hv_entry() (hv/entry.asm).
 * Every address in it is a host-physical address (HPA): the loader and the core run
 * in different address spaces, so the structure holds no pointers. It is plain data
 * of fixed-width fields so that both the PE loader and the ELF core compile it alike.
 *
 * The contract at hv_entry(struct boot_info *bi):
 * - 64-bit long mode, CPL 0, interrupts disabled (RFLAGS.IF = 0), SSE untouched;
 * - CR3 maps physical memory 1:1 (VA = HPA) at least for every range of the memory
 *   map, and maps the core's image at HV_IMAGE_VBASE (hv/layout.h);
 * - bi is identity-mapped and stays valid until hv_entry returns.
 * hv_entry returns (with 0 or a negative errno in RAX) only to a loader that can take
 * control back (UEFI); on the Multiboot2 path the core never returns.
 */
#ifndef HV_BOOT_INFO_H
#define HV_BOOT_INFO_H

#include <stdint.h>

#define BOOT_INFO_MAGIC	  0x4f464e49544f4f42ull /* "BOOTINFO", little-endian */
#define BOOT_INFO_VERSION 1u

#define BOOT_MMAP_MAX	 512u /* memory-map ranges */
#define BOOT_MODULES_MAX 8u   /* Multiboot2 modules */
#define BOOT_CMDLINE_MAX 256u /* bytes, NUL included */
#define BOOT_CPUS_MAX	 64u  /* logical CPUs */

/* Who called the core. */
enum boot_source {
	BOOT_SOURCE_EFI = 1, /* boot/efi: hv.efi under UEFI firmware */
	BOOT_SOURCE_MB2 = 2, /* boot/mb2: Multiboot2 (GRUB) */
};

/*
 * Memory-map range types, normalized from the UEFI memory map or the Multiboot2 mmap
 * tag. Ranges are sorted by base, do not overlap, and are 4-KiB aligned (a usable
 * range is shrunk inward to whole 4-KiB frames, a reserved one grown outward).
 */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,	   /* RAM the guest (firmware/OS) owns */
	BOOT_MEM_RESERVED = 2,	   /* firmware-reserved, not RAM to anyone */
	BOOT_MEM_ACPI_RECLAIM = 3, /* ACPI tables, the OS may reclaim after parsing */
	BOOT_MEM_ACPI_NVS = 4,	   /* ACPI NVS, firmware's across sleep */
	BOOT_MEM_UNUSABLE = 5,	   /* bad or unaccepted memory */
	BOOT_MEM_FIRMWARE = 6,	   /* UEFI runtime services code/data: guest keeps it mapped */
	BOOT_MEM_MMIO = 7,	   /* memory-mapped I/O the firmware listed */
	BOOT_MEM_HV_IMAGE = 8,	   /* the core's image (text, data, bss, boot stacks) */
	BOOT_MEM_HV_POOL = 9,	   /* RAM given to the core's frame allocator */
	BOOT_MEM_BOOT_DATA = 10,   /* loader data the core reads at boot (this struct, modules) */
};

struct boot_mem_range {
	uint64_t base; /* HPA, 4-KiB aligned */
	uint64_t size; /* bytes, multiple of 4 KiB, never 0 */
	uint32_t type; /* enum boot_mem_type */
	uint32_t reserved;
};

struct boot_module {
	uint64_t base; /* HPA of the first byte */
	uint64_t size; /* bytes */
	char cmdline[BOOT_CMDLINE_MAX];
};

/*
 * The loader's CPU context at the call to hv_entry, saved by hv_entry itself
 * (callee-saved registers, stack, descriptor tables, segments, control registers).
 * On UEFI this is where the firmware resumes: directly when the core returns, or as
 * the guest state of the first VM entry (the "blue pill": the guest sees hv_entry
 * return 0).
 */
struct boot_return_ctx {
	uint64_t rbx, rbp, r12, r13, r14, r15;
	uint64_t rsp; /* loader RSP after the call pushed the return address */
	uint64_t rip; /* return address */
	uint64_t rflags;
	uint64_t cr0, cr3, cr4, efer;
	uint64_t gdtr_base, idtr_base;
	uint16_t gdtr_limit, idtr_limit;
	uint16_t cs, ds, es, ss, fs, gs, tr, ldtr;
	uint64_t fs_base, gs_base;
};

struct boot_info {
	uint64_t magic;	  /* BOOT_INFO_MAGIC */
	uint32_t version; /* BOOT_INFO_VERSION */
	uint32_t source;  /* enum boot_source */

	uint64_t rsdp;		   /* HPA of the ACPI RSDP, 0 if the firmware gave none */
	uint64_t efi_system_table; /* HPA of EFI_SYSTEM_TABLE, 0 on Multiboot2 */

	uint64_t hv_image_base; /* HPA where the core's image starts (4-KiB aligned) */
	uint64_t hv_image_size; /* bytes, from the image start to the end of .bss */
	uint64_t boot_pt_base;	/* HPA of the loader's page tables for the core, 0 = none */
	uint64_t boot_pt_size;	/* bytes */

	char cmdline[BOOT_CMDLINE_MAX]; /* the core's command line, NUL-terminated */

	uint32_t mmap_count; /* entries used in mmap[] */
	uint32_t module_count;
	struct boot_mem_range mmap[BOOT_MMAP_MAX];
	struct boot_module modules[BOOT_MODULES_MAX];

	uint32_t cpu_count;		 /* 0 = unknown, the core reads the ACPI MADT */
	uint32_t bsp_apic_id;		 /* local APIC ID of the CPU that called hv_entry */
	uint32_t apic_id[BOOT_CPUS_MAX]; /* local APIC IDs of the enabled CPUs */

	struct boot_return_ctx ret; /* filled by hv_entry, not by the loader */

	/*
	 * The firmware's own CR3 before the loader switched to boot_pt for the call (UEFI),
	 * 0 = unknown. ret.cr3 is the loader's tables for the core, which live in
	 * BOOT_MEM_HV_IMAGE memory that the guest map leaves out: a CPU resumed as the
	 * guest (blue pill) gets this CR3 instead. Filled by the loader.
	 */
	uint64_t firmware_cr3;
};

/*
 * The image header: found by the UEFI loader in the first HV_IMAGE_HEADER_SEARCH bytes
 * of the loaded image, 8-byte aligned (hv/entry.asm emits it right after the Multiboot2
 * header). It says where to call the core.
 */
#define HV_IMAGE_HEADER_MAGIC  0x31305245524f4356ull /* "VCORER01" */
#define HV_IMAGE_HEADER_SEARCH 32768u		     /* bytes */

struct hv_image_header {
	uint64_t magic;	      /* HV_IMAGE_HEADER_MAGIC */
	uint64_t entry_va;    /* virtual address of hv_entry (in the HV_IMAGE_VBASE window) */
	uint64_t link_pa;     /* HV_IMAGE_LINK_PA: p_paddr of image offset 0 */
	uint64_t end_va;      /* virtual address one past the end of .bss, 4-KiB aligned */
	uint64_t ap_entry_va; /* virtual address of hv_ap_entry (below), 0 = the core has none */
};

/*
 * int hv_ap_entry(struct boot_info *bi, uint32_t cpu, uint64_t firmware_cr3)
 * (System V) - the core's entry on an application processor (UEFI: the loader calls it
 * on each AP through EFI_MP_SERVICES_PROTOCOL.StartupAllAPs, after hv_entry returned 0
 * on the BSP). Same contract as hv_entry (64-bit, CPL 0, IF = 0, CR3 = the loader's
 * boot_pt tables, @bi identity-mapped), one AP at a time. @cpu: the AP's logical index,
 * 1 .. (the BSP is 0), its position in bi->apic_id[] with the BSP left out.
 * @firmware_cr3: the AP's CR3 before the loader switched (HPA of its PML4, 0 = unknown).
 * hv_ap_entry saves the AP's context in the core's own per-AP struct boot_return_ctx,
 * moves to the AP's core stack and host tables, and either resumes that context as a
 * VMX guest (the AP sees 0 returned) or returns to it directly with:
 *   -ENODEV  no VMX on this CPU (CPUID.1:ECX.VMX = 0), or the BSP is not in VMX: the AP
 *            runs natively as before, CR4.VMXE never touched;
 *   -EINVAL  @cpu out of range or bi not a boot_info; -EBUSY @cpu entered already;
 *   -EAGAIN  the core is not resident (hv_entry did not return 0 / launch);
 *   other negative errno: the AP's set-up or VM entry failed (logged by the core).
 */

#endif /* HV_BOOT_INFO_H */
