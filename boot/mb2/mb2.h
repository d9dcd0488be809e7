/* SPDX-License-Identifier: MIT */
/*
 * The Multiboot2 boot path: GRUB -> mb2_entry32 (boot/mb2/entry32.asm, 32-bit, builds
 * bootstrap page tables, enters long mode) -> mb2_main() -> hv_main().
 */
#ifndef BOOT_MB2_MB2_H
#define BOOT_MB2_MB2_H

#include <stdint.h>
#include <stdnoreturn.h>

/* Multiboot2 spec 3.3: EAX when a Multiboot2 loader starts the image. */
#define MB2_BOOTLOADER_MAGIC 0x36d76289u

/* The HV pool carved from usable RAM when the command line has no `pool=NNM`. */
#define MB2_POOL_DEFAULT_MIB 64u

/*
 * mb2_main() - turn the Multiboot2 boot information into a struct boot_info and run the
 * core. Called once, on the BSP, by mb2_enter64 on the core's boot stack, with [0, 4 GiB)
 * identity mapped and interrupts off.
 * @magic:  EAX at entry; must be MB2_BOOTLOADER_MAGIC.
 * @mbi_pa: EBX at entry: HPA of the boot information (8-byte aligned, below 4 GiB).
 *
 * Never returns: ends in hv_halt(0) when hv_main() returned 0, hv_halt(1) when it
 * failed or when the boot information is malformed (a message on COM1 says why).
 */
noreturn void mb2_main(uint32_t magic, uint32_t mbi_pa);

#endif /* BOOT_MB2_MB2_H */
