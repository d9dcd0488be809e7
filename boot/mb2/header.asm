; SPDX-License-Identifier: MIT
;
; The Multiboot2 header (Multiboot2 Specification version 2.0, section 3.1). GRUB looks
; for it 8-byte aligned within the first 32 KiB of hv.elf; linker.ld puts .mb2_header
; first in the image, at the file offset of the first PT_LOAD segment.
;
; GRUB loads hv.elf's segments at their p_paddr (ELF path, no address tag) and jumps to
; the entry address tag's mb2_entry32 (boot/mb2/entry32.asm) in 32-bit protected mode.

MB2_HEADER_MAGIC equ 0xe85250d6
MB2_ARCH_I386    equ 0			; 32-bit protected mode i386 (spec 3.1.1)

; Header tag types (spec 3.1.3 - 3.1.14).
MB2_HTAG_END          equ 0
MB2_HTAG_INFO_REQUEST equ 1
MB2_HTAG_ENTRY        equ 3
MB2_HTAG_MODULE_ALIGN equ 6

; Boot information tag types we ask for (spec 3.6).
MB2_TAG_CMDLINE  equ 1
MB2_TAG_MODULE   equ 3
MB2_TAG_MMAP     equ 6
MB2_TAG_ACPI_OLD equ 14
MB2_TAG_ACPI_NEW equ 15

extern mb2_entry32

section .mb2_header progbits alloc noexec nowrite align=8
align 8, db 0
mb2_header:
	dd MB2_HEADER_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	; spec 3.1.2: magic + architecture + header_length + checksum == 0 (mod 2^32).
	dd -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header)) & 0xffffffff

	; Information request (spec 3.1.4). flags = 0 (not optional): GRUB refuses to boot
	; if it cannot provide one of them, which is what we want for the memory map. GRUB
	; gives the ACPI tags whenever the firmware has the corresponding RSDP.
align 8, db 0
.info_request:
	dw MB2_HTAG_INFO_REQUEST, 0
	dd .info_request_end - .info_request
	dd MB2_TAG_MMAP
	dd MB2_TAG_ACPI_OLD
	dd MB2_TAG_ACPI_NEW
	dd MB2_TAG_CMDLINE
	dd MB2_TAG_MODULE
.info_request_end:

	; Entry address (spec 3.1.6): the physical address GRUB jumps to. Same as the ELF
	; e_entry; stated so that the 32-bit entry does not depend on GRUB's ELF handling.
align 8, db 0
.entry:
	dw MB2_HTAG_ENTRY, 0
	dd 12
	dd mb2_entry32

	; Module alignment (spec 3.1.11): modules page aligned, so that they can be mapped
	; into a guest without copying and marked BOOT_DATA without rounding into others.
align 8, db 0
.module_align:
	dw MB2_HTAG_MODULE_ALIGN, 0
	dd 8

	; End tag (spec 3.1.3).
align 8, db 0
.end:
	dw MB2_HTAG_END, 0
	dd 8
mb2_header_end:
