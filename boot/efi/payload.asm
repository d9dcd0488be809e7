; SPDX-License-Identifier: MIT
;
; The core, embedded: hv.efi carries hv.elf (stripped of debug data) so that a user
; deploys one file. The build passes the file's path as HV_ELF_PATH (nasm -D).
; The symbols are hidden so that C reaches them PC-relative: a GOT entry would need a
; relocation that gnu-efi's self-relocator does not apply.

bits 64

global hv_elf_start:data hidden
global hv_elf_end:data hidden

; Page-aligned: the ELF headers are read in place through 8-byte fields.
section .rodata.hv_elf align=4096
hv_elf_start:
	incbin HV_ELF_PATH
hv_elf_end:

section .note.GNU-stack noalloc noexec nowrite progbits
