; SPDX-License-Identifier: MIT
;
; Exception entry stubs, vectors 0..31. Each pushes a dummy error code where the CPU
; pushes none (SDM Vol. 3A Table 6-1), then its vector, saves every general-purpose
; register and calls exception_dispatch(struct exception_frame *) (hv/exception.h).

bits 64
default rel

extern exception_dispatch
global isr_stub_table

; Vectors whose exception pushes an error code: #DF #TS #NP #SS #GP #PF #AC #CP.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

section .text
%assign v 0
%rep 32
isr_stub_%+v:
%if !HAS_ERROR(v)
	push qword 0
%endif
	push qword v
	jmp isr_common
%assign v v + 1
%endrep

isr_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	mov rbx, rsp
	and rsp, -16
	cld
	call exception_dispatch
	mov rsp, rbx
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16			; vector and error code
	iretq

section .rodata
align 8
isr_stub_table:
%assign v 0
%rep 32
	dq isr_stub_%+v
%assign v v + 1
%endrep
