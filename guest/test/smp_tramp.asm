; SPDX-License-Identifier: MIT
;
; The test guest's AP trampoline: guest/test/smp.c copies guest_ap_tramp_start ..
; guest_ap_tramp_end to GPA 0x7000 and starts CPU 1 with INIT-SIPI-SIPI, vector 0x07.
; The AP runs it in real mode at CS:IP = 0700:0000 (position-independent: DS = CS, data
; by offset from the start): it prints one line on COM1, makes a null hypercall (VMCALL,
; EAX = VSVA_HC_NULL = 0), stores the result and then a done flag for the BSP, and halts.

bits 16

global guest_ap_tramp_start
global guest_ap_tramp_end
global guest_ap_tramp_result
global guest_ap_tramp_done

%define OFF(x) ((x) - guest_ap_tramp_start)

section .rodata
align 16
guest_ap_tramp_start:
	cli
	mov ax, cs
	mov ds, ax
	mov si, OFF(msg)
.next:
	mov bl, [si]
	test bl, bl
	jz .printed
	mov dx, 0x3fd			; COM1 LSR: wait for THRE
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov dx, 0x3f8
	mov al, bl
	out dx, al
	inc si
	jmp .next
.printed:
	mov eax, 0			; VSVA_HC_NULL
	vmcall
	mov [OFF(guest_ap_tramp_result)], eax
	mov dword [OFF(guest_ap_tramp_done)], 1
.halt:
	hlt				; the hypervisor keeps an AP's HLT in the guest
	jmp .halt

msg:	db "# guest: smp: CPU 1 running in real mode at 0700:0000 after its SIPI", 13, 10, 0
align 4
guest_ap_tramp_result:	dd 0xffffffff
guest_ap_tramp_done:	dd 0
guest_ap_tramp_end:
