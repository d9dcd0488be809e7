/* SPDX-License-Identifier: MIT */
/*
 * The core's address-space layout, shared by linker.ld (through the preprocessor),
 * the NASM entry code and the loaders.
 *
 * The core is linked for the top 2 GiB of the address space (-mcmodel=kernel) so that
 * its code is independent of where a loader put it in physical memory:
 * virtual address = HV_IMAGE_VBASE + (offset in the image). The lower half is mapped
 * 1:1 (VA = HPA) by the core's host page tables, so a host-physical address is used as
 * a pointer directly once hpa_to_hva() (hv/mm.h) has said it is mapped.
 *
 * HV_IMAGE_LINK_PA is the physical address the image is linked for on the Multiboot2
 * path (GRUB loads ELF segments at their physical addresses); a UEFI loader puts the
 * image anywhere 4-KiB aligned and maps it at the same HV_IMAGE_VBASE.
 */
#ifndef HV_LAYOUT_H
#define HV_LAYOUT_H

#define HV_KERNEL_VBASE	 0xffffffff80000000 /* -2 GiB: start of the kernel code model */
#define HV_IMAGE_LINK_PA 0x01000000	    /* 16 MiB */
#define HV_IMAGE_VBASE	 (HV_KERNEL_VBASE + HV_IMAGE_LINK_PA)

#define HV_BOOT_STACK_SIZE 0x8000 /* bytes: the BSP's boot stack, in .bss */

#endif /* HV_LAYOUT_H */
