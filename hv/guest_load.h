/* SPDX-License-Identifier: MIT */
/*
 * Loading the Multiboot2 guest kernel (module 0): an ELF64 executable (x86-64) whose
 * PT_LOAD segments are copied to their physical addresses (p_paddr, GPA = HPA), which
 * must lie in usable RAM below 4 GiB, outside every module and the hypervisor. After the
 * image the loader writes struct vsva_guest_boot and the module's command line
 * (guest/include/vsva_hv.h); the guest starts in 32-bit protected mode at e_entry.
 */
#ifndef HV_GUEST_LOAD_H
#define HV_GUEST_LOAD_H

#include "hv/boot_info.h"
#include "hv/guest_map.h"

struct guest_image {
	gpa_t entry;	 /* e_entry, GPA */
	gpa_t boot_gpa;	 /* GPA of struct vsva_guest_boot */
	gpa_t low, high; /* [low, high): the loaded image, boot struct and command line */
	/* A Linux bzImage (hv/linux_boot.h), 0 for an ELF guest: GPA of boot_params (ESI at
	 * entry) and of the boot GDT (__BOOT_CS 0x10, __BOOT_DS 0x18). */
	gpa_t linux_params, linux_gdt;
};

/*
 * guest_load() - check module @mod of @bi and load it. Returns 0; -ENOEXEC when it is not
 * an x86-64 ELF executable (a log line says what is wrong); -EFAULT when a segment or the
 * boot data would land outside usable RAM below 4 GiB or on a module.
 * A bzImage module goes to linux_boot_load() (module 1 = its initrd) and returns its errors.
 */
int guest_load(const struct boot_info *bi, const struct boot_module *mod, const struct guest_map *m,
	       struct guest_image *img);

#endif /* HV_GUEST_LOAD_H */
