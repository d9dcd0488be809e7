; SPDX-License-Identifier: MIT
;
; The AP start-up trampoline (SDM Vol. 3A 9.4.4.1 and 10.8.5 "Initializing IA-32e mode").
; hv/smp.c copies smp_tramp_start..smp_tramp_end to SMP_TRAMP_HPA (below 1 MiB, 4-KiB
; aligned), fills the parameter block at its end and sends INIT-SIPI-SIPI with vector
; SMP_TRAMP_HPA >> 12. The AP starts in real mode at CS:IP = (vector << 8):0, goes through
; 32-bit protected mode to long mode on the host's page tables (CR3 below 4 GiB), and
; calls smp_ap_entry(cpu) on its own stack at the core's link address. The code refers
; to itself through absolute addresses SMP_TRAMP_HPA + offset: it runs only there.

bits 16
default abs

%define TRAMP_HPA 0x8000	; hv/smp.h SMP_TRAMP_HPA
%define A(x) (TRAMP_HPA + (x) - smp_tramp_start)

global smp_tramp_start
global smp_tramp_end
global smp_tramp_params

section .rodata
align 16
smp_tramp_start:
	cli
	cld
	xor ax, ax
	mov ds, ax
	o32 lgdt [A(tramp_gdt_ptr)]
	mov eax, cr0
	or eax, 1			; PE
	mov cr0, eax
	jmp dword 0x08:A(tramp_pm32)

bits 32
tramp_pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, [A(p_cr4)]		; PAE (and the host's other CR4 bits, VMXE/PCIDE off)
	mov cr4, eax
	mov eax, [A(p_cr3)]
	mov cr3, eax
	mov ecx, 0xc0000080		; IA32_EFER: LME, NXE as on the BSP
	mov eax, [A(p_efer)]
	mov edx, [A(p_efer) + 4]
	wrmsr
	mov eax, [A(p_cr0)]		; PG|PE...: IA-32e mode becomes active
	mov cr0, eax
	jmp 0x18:A(tramp_lm64)

bits 64
tramp_lm64:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov rsp, [A(p_stack)]
	mov rdi, [A(p_cpu)]
	mov rax, [A(p_entry)]
	call rax			; noreturn
.halt:
	cli
	hlt
	jmp .halt

align 8
tramp_gdt:
	dq 0
	dq 0x00cf9a000000ffff		; 0x08: 32-bit code
	dq 0x00cf92000000ffff		; 0x10: data
	dq 0x00af9a000000ffff		; 0x18: 64-bit code
tramp_gdt_ptr:
	dw 4 * 8 - 1
	dd A(tramp_gdt)

align 8
; struct smp_tramp_params (hv/smp.c): filled before each SIPI.
smp_tramp_params:
p_cr0:	 dq 0
p_cr3:	 dq 0
p_cr4:	 dq 0
p_efer:	 dq 0
p_stack: dq 0			; RSP at the call (16-byte aligned)
p_entry: dq 0			; smp_ap_entry (core virtual address)
p_cpu:	 dq 0			; logical CPU index
smp_tramp_end:
