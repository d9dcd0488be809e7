; SPDX-License-Identifier: MIT
;
; The test guest's entry. The hypervisor starts it in 32-bit protected mode, paging off,
; flat CS/DS (docs/hypercall-abi.md "Guest entry state"): EAX = VSVA_GUEST_BOOT_MAGIC,
; EBX = GPA of struct vsva_guest_boot. We build 1:1 page tables for 4 GiB with 2-MiB
; pages, enter long mode and call guest_main(boot, magic).

bits 32
section .text.entry
global _start
global guest_entry_tsc
extern guest_main

_start:
	mov esi, eax			; magic
	mov edi, ebx			; boot data GPA
	rdtsc				; benchmark: instructions to get here (Bochs)
	mov [guest_entry_tsc], eax
	mov [guest_entry_tsc + 4], edx
	; PML4[0] -> PDPT, PDPT[0..3] -> 4 page directories of 2-MiB pages (4 GiB)
	mov dword [pml4], pdpt + 3
	mov ecx, 0
.pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, pd + 3
	mov [pdpt + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .pdpt
	xor ecx, ecx
.pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83			; present, writable, 2-MiB page
	mov edx, ecx
	shr edx, 11			; bits 32+ of the physical address
	mov [pd + ecx * 8], eax
	mov [pd + ecx * 8 + 4], edx
	inc ecx
	cmp ecx, 2048
	jb .pd

	mov eax, cr4
	or eax, 1 << 5			; PAE
	mov cr4, eax
	mov eax, pml4
	mov cr3, eax
	mov ecx, 0xc0000080		; IA32_EFER
	rdmsr
	or eax, 1 << 8			; LME
	wrmsr
	mov eax, cr0
	or eax, 1 << 31			; PG: long mode becomes active
	and eax, ~(1 << 5)		; NE clear: VMX owns NE, so this write exits and the
	mov cr0, eax			; hypervisor must activate IA-32e mode itself (main.c checks)
	lgdt [gdt_ptr]
	jmp 0x08:long_mode

bits 64
long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	lea rsp, [stack_top]
	mov edi, edi
	mov esi, esi
	call guest_main
.halt:
	hlt				; the hypervisor treats HLT as the guest's end
	jmp .halt

section .rodata
align 8
gdt:
	dq 0
	dq 0x00af9a000000ffff		; 64-bit code
	dq 0x00cf92000000ffff		; data
gdt_ptr:
	dw gdt_ptr - gdt - 1
	dq gdt

section .data
align 8
guest_entry_tsc: dq 0

section .bss
align 4096
pml4:	resb 4096
pdpt:	resb 4096
pd:	resb 4 * 4096
stack:	resb 16384
stack_top:
