; SPDX-License-Identifier: MIT
;
; hv_entry: the core's 64-bit entry from a loader that can take control back (UEFI).
; The contract is in hv/boot_info.h. hv_entry saves the loader's context in
; boot_info.ret (so that the core can later resume it, directly or as a VM's guest
; state), moves to the core's boot stack and calls hv_main(bi). When hv_main returns,
; hv_return_to_loader() puts the loader's descriptor tables, segments and callee-saved
; registers back and returns hv_main's status to the loader. CR3 too: the loader called
; hv_entry on its page tables for the core, and the core's own tables (hv/paging.c) map
; the 1:1 range non-executable, so the loader's code cannot run on them.
;
; Also here: the image header (struct hv_image_header) the UEFI loader looks for.

bits 64
default rel

%include "asm-offsets.inc"

MSR_EFER      equ 0xc0000080
MSR_FS_BASE   equ 0xc0000100
MSR_GS_BASE   equ 0xc0000101

extern hv_main
extern hv_image_end
extern ap_boot_main
extern ap_boot_core_resident
extern ap_boot_ret
extern ap_boot_stacks
global hv_entry
global hv_ap_entry
global hv_return_to_loader
global hv_return_to_ctx
global hv_boot_stack_top

section .hv_header
align 8
hv_image_header:
	dq HV_IMAGE_MAGIC
	dq hv_entry
	dq HV_IMAGE_LINK_PA_V
	dq hv_image_end
	dq hv_ap_entry

; SAVE_CTX: the caller's context into the struct boot_return_ctx at R8, as the CPU has it
; at the entry of a function (return address at [RSP]). Clobbers RAX, RCX, RDX only.
%macro SAVE_CTX 0
	mov [r8 + RET_RBX], rbx
	mov [r8 + RET_RBP], rbp
	mov [r8 + RET_R12], r12
	mov [r8 + RET_R13], r13
	mov [r8 + RET_R14], r14
	mov [r8 + RET_R15], r15
	mov rax, [rsp]
	mov [r8 + RET_RIP], rax
	lea rax, [rsp + 8]
	mov [r8 + RET_RSP], rax
	pushfq
	pop rax
	mov [r8 + RET_RFLAGS], rax
	mov rax, cr0
	mov [r8 + RET_CR0], rax
	mov rax, cr3
	mov [r8 + RET_CR3], rax
	mov rax, cr4
	mov [r8 + RET_CR4], rax
	mov ecx, MSR_EFER
	rdmsr
	mov [r8 + RET_EFER], eax
	mov [r8 + RET_EFER + 4], edx
	mov ecx, MSR_FS_BASE
	rdmsr
	mov [r8 + RET_FS_BASE], eax
	mov [r8 + RET_FS_BASE + 4], edx
	mov ecx, MSR_GS_BASE
	rdmsr
	mov [r8 + RET_GS_BASE], eax
	mov [r8 + RET_GS_BASE + 4], edx

	sub rsp, 16
	sgdt [rsp]
	movzx eax, word [rsp]
	mov [r8 + RET_GDTR_LIMIT], ax
	mov rax, [rsp + 2]
	mov [r8 + RET_GDTR_BASE], rax
	sidt [rsp]
	movzx eax, word [rsp]
	mov [r8 + RET_IDTR_LIMIT], ax
	mov rax, [rsp + 2]
	mov [r8 + RET_IDTR_BASE], rax
	add rsp, 16

	mov ax, cs
	mov [r8 + RET_CS], ax
	mov ax, ds
	mov [r8 + RET_DS], ax
	mov ax, es
	mov [r8 + RET_ES], ax
	mov ax, ss
	mov [r8 + RET_SS], ax
	mov ax, fs
	mov [r8 + RET_FS], ax
	mov ax, gs
	mov [r8 + RET_GS], ax
	str ax
	mov [r8 + RET_TR], ax
	sldt ax
	mov [r8 + RET_LDTR], ax

%endmacro

section .text.entry
; int hv_entry(struct boot_info *bi)   (System V: RDI = bi, an identity-mapped HPA)
hv_entry:
	lea r8, [rdi + BI_RET]
	SAVE_CTX

	lea rsp, [hv_boot_stack_top]
	xor ebp, ebp
	push rdi			; keep bi; also aligns RSP to 16 at the call
	call hv_main
	pop rdi
	test rax, rax
	jnz .not_resident
	push rdi
	push rax			; RSP 16-byte aligned at the call
	call ap_boot_core_resident	; still on the core's CR3: the APs may come
	pop rax
	pop rdi
.not_resident:
	mov rsi, rax
	; fall through

; noreturn void hv_return_to_loader(struct boot_info *bi, long status)
; Puts the loader's CR3, GDT, IDT, segments, TR (when it had one), RFLAGS and
; callee-saved registers back, and returns `status` from the loader's call to hv_entry.
; Callable from any stack: this code is mapped at the same address in both CR3s.
hv_return_to_loader:
	lea rdi, [rdi + BI_RET]
	; fall through

; noreturn void hv_return_to_ctx(const struct boot_return_ctx *ctx, long status)
; The same for any saved context: the BSP's (boot_info.ret) or an AP's (ap_boot_ret[]).
hv_return_to_ctx:
	cli
	mov r8, rdi
	mov r9, rsi

	sub rsp, 16
	mov ax, [r8 + RET_GDTR_LIMIT]
	mov [rsp], ax
	mov rax, [r8 + RET_GDTR_BASE]
	mov [rsp + 2], rax
	lgdt [rsp]
	mov ax, [r8 + RET_IDTR_LIMIT]
	mov [rsp], ax
	mov rax, [r8 + RET_IDTR_BASE]
	mov [rsp + 2], rax
	lidt [rsp]
	add rsp, 16

	; CS through a far return, then the data segments.
	movzx eax, word [r8 + RET_CS]
	push rax
	lea rax, [.cs_loaded]
	push rax
	o64 retf
.cs_loaded:
	mov ax, [r8 + RET_SS]
	mov ss, ax
	mov ax, [r8 + RET_DS]
	mov ds, ax
	mov ax, [r8 + RET_ES]
	mov es, ax
	mov ax, [r8 + RET_FS]
	mov fs, ax
	mov ax, [r8 + RET_GS]
	mov gs, ax
	; Loading FS/GS cleared their 64-bit bases: put the loader's back.
	mov ecx, MSR_FS_BASE
	mov eax, [r8 + RET_FS_BASE]
	mov edx, [r8 + RET_FS_BASE + 4]
	wrmsr
	mov ecx, MSR_GS_BASE
	mov eax, [r8 + RET_GS_BASE]
	mov edx, [r8 + RET_GS_BASE + 4]
	wrmsr
	movzx eax, word [r8 + RET_LDTR]
	lldt ax

	; TR: a loader without a task register (UEFI firmware has none) keeps the core's,
	; which stays valid: the core's image is never given back. A loader with one gets
	; it back: its descriptor is marked busy, so clear the busy bit first (SDM 3A 7.2.2).
	movzx eax, word [r8 + RET_TR]
	and eax, ~7
	jz .tr_done
	mov rdx, [r8 + RET_GDTR_BASE]
	and byte [rdx + rax + 5], ~0x02
	ltr ax
.tr_done:
	mov rax, [r8 + RET_CR4]
	mov cr4, rax
	mov rax, [r8 + RET_CR3]
	mov cr3, rax

	mov rsp, [r8 + RET_RSP]
	sub rsp, 8			; the return address is still there
	mov rbx, [r8 + RET_RBX]
	mov rbp, [r8 + RET_RBP]
	mov r12, [r8 + RET_R12]
	mov r13, [r8 + RET_R13]
	mov r14, [r8 + RET_R14]
	mov r15, [r8 + RET_R15]
	push qword [r8 + RET_RFLAGS]
	popfq
	mov rax, r9
	ret

; int hv_ap_entry(struct boot_info *bi, uint32_t cpu, uint64_t firmware_cr3)
; (System V: RDI = bi, ESI = cpu, RDX = firmware_cr3). The contract is in hv/boot_info.h.
; Saves the AP's context in ap_boot_ret[cpu], moves to ap_boot_stacks[cpu] and calls
; ap_boot_main(bi, cpu, firmware_cr3, stack_top); when that returns (no VM entry), gives
; the context back with its status. A bad cpu is refused before anything is written.
hv_ap_entry:
	cmp esi, SMP_CPUS_MAX_V
	jae .bad_cpu
	test esi, esi
	jz .bad_cpu
	mov r9, rdx			; SAVE_CTX clobbers RDX
	mov eax, esi
	imul rax, rax, RET_SIZE
	lea r8, [ap_boot_ret]
	add r8, rax
	SAVE_CTX

	mov eax, esi
	inc rax
	imul rax, rax, SMP_AP_STACK_SIZE_V
	lea rcx, [ap_boot_stacks]
	add rcx, rax			; stack top; top - 16 is the VM-exit vcpu slot
	lea rsp, [rcx - 32]
	xor ebp, ebp
	push r8
	push r8				; RSP 16-byte aligned at the call
	mov rdx, r9
	call ap_boot_main		; (bi, cpu, firmware_cr3, stack_top in RCX)
	pop rdi
	pop rdi
	mov rsi, rax
	jmp hv_return_to_ctx
.bad_cpu:
	mov rax, -22			; -EINVAL: nothing saved, nothing changed
	ret

section .bss
align 16
hv_boot_stack:
	resb HV_BOOT_STACK_SIZE_V
hv_boot_stack_top:
