; SPDX-License-Identifier: MIT
;
; VM exit entry and first VM entry (SDM Vol. 3C 28.5 "Loading host state", 27 "VM
; entries"). On a VM exit the CPU loads HOST_RIP = vmx_exit_entry and HOST_RSP = the
; vcpu's host stack top - 16, where struct vcpu * is stored; every guest GPR except RSP
; (which the VMCS holds) is still live and is saved here as struct guest_regs
; (hv/vcpu.h: rax, rcx, rdx, rbx, rsp slot, rbp, rsi, rdi, r8..r15).

bits 64
default rel

extern vmx_exit_handler
extern vmx_resume_failed
global vmx_exit_entry
global vmx_launch

section .text

vmx_exit_entry:
	push r15
	push r14
	push r13
	push r12
	push r11
	push r10
	push r9
	push r8
	push rdi
	push rsi
	push rbp
	push 0			; RSP slot: the guest's RSP is GUEST_RSP in the VMCS
	push rbx
	push rdx
	push rcx
	push rax
	mov rdi, rsp		; struct guest_regs *
	mov rsi, [rsp + 128]	; struct vcpu * (stored at host stack top - 16)
	call vmx_exit_handler	; RSP is 16-byte aligned here (top - 16 - 128)
	pop rax
	pop rcx
	pop rdx
	pop rbx
	add rsp, 8
	pop rbp
	pop rsi
	pop rdi
	pop r8
	pop r9
	pop r10
	pop r11
	pop r12
	pop r13
	pop r14
	pop r15
	vmresume
	; VMRESUME returned: VMfailInvalid (CF) or VMfailValid (ZF).
	pushfq
	pop rsi
	mov rdi, [rsp]		; struct vcpu *
	and rsp, -16
	call vmx_resume_failed	; noreturn
	ud2

; uint64_t vmx_launch(const struct guest_regs *regs)
; Loads the guest GPRs and executes VMLAUNCH. Returns only when VMLAUNCH fails, with the
; RFLAGS it left (CF = VMfailInvalid, ZF = VMfailValid).
vmx_launch:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov rax, [rdi + 0]
	mov rcx, [rdi + 8]
	mov rdx, [rdi + 16]
	mov rbx, [rdi + 24]
	mov rbp, [rdi + 40]
	mov rsi, [rdi + 48]
	mov r8, [rdi + 64]
	mov r9, [rdi + 72]
	mov r10, [rdi + 80]
	mov r11, [rdi + 88]
	mov r12, [rdi + 96]
	mov r13, [rdi + 104]
	mov r14, [rdi + 112]
	mov r15, [rdi + 120]
	mov rdi, [rdi + 56]
	vmlaunch
	pushfq
	pop rax
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret
