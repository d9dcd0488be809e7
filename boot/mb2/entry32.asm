; SPDX-License-Identifier: MIT
;
; mb2_entry32: where GRUB starts the core on the Multiboot2 path.
;
; Machine state at entry (Multiboot2 Specification version 2.0, 3.3 "I386 machine state"):
; EAX = 0x36d76289, EBX = physical address of the boot information (MBI), 32-bit
; protected mode with paging off, CS/DS/ES/FS/GS/SS flat 4 GiB, A20 on, EFLAGS.IF = 0,
; and nothing else: ESP, GDTR and IDTR are undefined.
;
; What this file does, all of it in .boot32 (linked at its physical address, VMA = LMA):
; 1. a stack, COM1 for messages, the magic and CPUID checks (long mode, NX);
; 2. bootstrap page tables in .boot32.bss: [0, 4 GiB) identity mapped with 2 MiB pages
;    (the core reads GRUB's data and firmware tables through it: hv/boot_info.h wants
;    VA = HPA), and VA HV_KERNEL_VBASE + x -> PA x for x in [0, 1 GiB) (PML4[511] ->
;    PDPT[510] -> one PD), which holds the image at HV_IMAGE_VBASE;
; 3. long mode (SDM Vol. 3A 10.8.5 "Initializing IA-32e Mode"): CR4.PAE, CR3, EFER.LME
;    (+ NXE), CR0.PG (+ WP), then a far jump through a 64-bit GDT;
; 4. an absolute jump to mb2_enter64 in .text (the higher half), which moves to the
;    core's boot stack and calls mb2_main(magic, mbi_pa) (boot/mb2/mb2.c).
; The core builds its own page tables later; these stay in the image (HV_IMAGE) and are
; reported as boot_info.boot_pt_base/size.

MB2_BOOTLOADER_MAGIC equ 0x36d76289	; spec 3.3: EAX at entry

COM1          equ 0x3f8
UART_THR      equ 0			; transmit holding register (DLAB = 0)
UART_DLL      equ 0			; divisor latch low (DLAB = 1)
UART_IER      equ 1
UART_DLM      equ 1
UART_FCR      equ 2
UART_LCR      equ 3
UART_MCR      equ 4
UART_LSR      equ 5
UART_LSR_THRE equ 0x20
UART_LSR_TEMT equ 0x40

CR0_PE   equ 1 << 0
CR0_WP   equ 1 << 16
CR0_PG   equ 1 << 31
CR4_PAE  equ 1 << 5
MSR_EFER equ 0xc0000080
EFER_LME equ 1 << 8
EFER_NXE equ 1 << 11

CPUID_EXT_MAX      equ 0x80000000
CPUID_EXT_FEATURES equ 0x80000001
CPUID_EXT_EDX_NX   equ 1 << 20		; SDM Vol. 2A CPUID: 80000001h EDX[20] Execute Disable
CPUID_EXT_EDX_LM   equ 1 << 29		; 80000001h EDX[29] Intel 64 architecture
EFLAGS_ID          equ 1 << 21

; Paging-structure entry bits (SDM Vol. 3A 5.5, tables 5-15..5-18).
PTE_P  equ 1 << 0
PTE_RW equ 1 << 1
PTE_PS equ 1 << 7			; in a PDE: maps a 2 MiB page
PTE_TABLE equ PTE_P | PTE_RW
PTE_2M    equ PTE_P | PTE_RW | PTE_PS

PAGE_SIZE   equ 4096
SIZE_2M     equ 0x200000
LOW_PDS     equ 4			; 4 PDs x 512 x 2 MiB = [0, 4 GiB)
PML4_KERNEL equ 511			; HV_KERNEL_VBASE = 0xffffffff80000000: PML4[511],
PDPT_KERNEL equ 510			;   PDPT[510], PD[0]

GDT_CODE64 equ 0x08
GDT_DATA   equ 0x10

BOOT32_STACK_SIZE equ 4096		; only until mb2_enter64 moves to hv_boot_stack

extern hv_boot_stack_top
extern mb2_main
global mb2_entry32
global mb2_boot_pt
global mb2_boot_pt_end

section .boot32 progbits alloc exec nowrite align=16
bits 32
mb2_entry32:
	cld
	mov esp, boot32_stack_top
	mov edi, eax			; the magic and the MBI, kept in EDI/ESI to the end
	mov esi, ebx

	call uart_init32
	cmp edi, MB2_BOOTLOADER_MAGIC
	jne .bad_magic

	; CPUID exists when EFLAGS.ID can be toggled (SDM Vol. 1 3.4.3.3).
	pushfd
	pop eax
	mov ecx, eax
	xor eax, EFLAGS_ID
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	cmp eax, ecx
	je .no_long_mode

	mov eax, CPUID_EXT_MAX
	cpuid
	cmp eax, CPUID_EXT_FEATURES
	jb .no_long_mode
	mov eax, CPUID_EXT_FEATURES
	cpuid
	test edx, CPUID_EXT_EDX_LM
	jz .no_long_mode
	; EFER.NXE is reserved (WRMSR #GP) without XD support; the core's tables use NX.
	test edx, CPUID_EXT_EDX_NX
	jz .no_nx

	call build_page_tables

	; SDM Vol. 3A 10.8.5: PAE on, CR3 = PML4, EFER.LME = 1, then CR0.PG = 1 activates
	; IA-32e mode (compatibility mode until a 64-bit CS is loaded).
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME | EFER_NXE
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_WP | CR0_PE
	mov cr0, eax

	lgdt [boot_gdt_ptr]
	jmp GDT_CODE64:long_mode_entry

.bad_magic:
	mov ebx, msg_bad_magic
	jmp fatal32
.no_long_mode:
	mov ebx, msg_no_long_mode
	jmp fatal32
.no_nx:
	mov ebx, msg_no_nx
	jmp fatal32

; fatal32: print the NUL-terminated string at EBX on COM1 and stop. Signals Bochs
; (magic breakpoint, xchg bx, bx; a no-op elsewhere) so that an emulator run ends.
fatal32:
	mov edx, COM1 + UART_LSR
.next:
	mov al, [ebx]
	test al, al
	jz .drain
.wait_thre:
	in al, dx
	test al, UART_LSR_THRE
	jz .wait_thre
	mov al, [ebx]
	mov dx, COM1 + UART_THR
	out dx, al
	mov dx, COM1 + UART_LSR
	inc ebx
	jmp .next
.drain:
	; Bounded wait for LSR.TEMT (platforms.md: Bochs loses the last line otherwise).
	mov ecx, 1000000
.wait_temt:
	in al, dx
	test al, UART_LSR_TEMT
	jnz .stop
	loop .wait_temt
.stop:
	xchg bx, bx
.halt:
	cli
	hlt
	jmp .halt

; uart_init32: COM1 at 115200 8N1, FIFOs on, interrupts off. Clobbers EAX, EDX.
uart_init32:
	mov dx, COM1 + UART_IER
	xor al, al
	out dx, al
	mov dx, COM1 + UART_LCR
	mov al, 0x80			; DLAB = 1
	out dx, al
	mov dx, COM1 + UART_DLL
	mov al, 1			; 115200 / 115200
	out dx, al
	mov dx, COM1 + UART_DLM
	xor al, al
	out dx, al
	mov dx, COM1 + UART_LCR
	mov al, 0x03			; 8 data bits, no parity, 1 stop bit, DLAB = 0
	out dx, al
	mov dx, COM1 + UART_FCR
	mov al, 0xc7			; FIFOs on and cleared, 14-byte trigger
	out dx, al
	mov dx, COM1 + UART_MCR
	mov al, 0x03			; DTR, RTS; OUT2 off: no interrupts
	out dx, al
	ret

; build_page_tables: fill the tables in .boot32.bss. GRUB zero-fills the bss part of a
; segment (p_memsz > p_filesz), but a loader that does not (or a second boot through
; kexec) would leave stale entries, so the tables are cleared here first.
; Clobbers EAX, EBX, ECX, EDX.
build_page_tables:
	push edi
	mov edi, mb2_boot_pt
	mov ecx, (mb2_boot_pt_end - mb2_boot_pt) / 4
	xor eax, eax
	rep stosd

	; PML4[0] -> the low PDPT, PDPT[i] -> low PD i.
	mov dword [boot_pml4], boot_pdpt_low + PTE_TABLE
	xor ecx, ecx
.low_pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, boot_pd_low + PTE_TABLE
	mov [boot_pdpt_low + ecx * 8], eax
	inc ecx
	cmp ecx, LOW_PDS
	jb .low_pdpt

	; 2048 PDEs, contiguous across the four low PDs: entry n maps PA n * 2 MiB. The
	; upper half of each entry stays 0 (PA < 4 GiB).
	xor ecx, ecx
.low_pd:
	mov eax, ecx
	shl eax, 21
	or eax, PTE_2M
	mov [boot_pd_low + ecx * 8], eax
	inc ecx
	cmp ecx, LOW_PDS * 512
	jb .low_pd

	; PML4[511] -> high PDPT, PDPT[510] -> high PD: VA HV_KERNEL_VBASE + n * 2 MiB ->
	; PA n * 2 MiB, n < 512 (1 GiB).
	mov dword [boot_pml4 + PML4_KERNEL * 8], boot_pdpt_high + PTE_TABLE
	mov dword [boot_pdpt_high + PDPT_KERNEL * 8], boot_pd_high + PTE_TABLE
	xor ecx, ecx
.high_pd:
	mov eax, ecx
	shl eax, 21
	or eax, PTE_2M
	mov [boot_pd_high + ecx * 8], eax
	inc ecx
	cmp ecx, 512
	jb .high_pd
	pop edi
	ret

bits 64
; Still identity mapped here (this code runs at its physical address) in 64-bit mode.
long_mode_entry:
	mov ax, GDT_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rax, mb2_enter64		; absolute: the higher-half VA
	jmp rax

section .boot32.data progbits alloc noexec write align=16
; SDM Vol. 3A 3.4.5: a 64-bit code segment has L = 1, D = 0; base and limit are
; ignored in 64-bit mode. The data segment is for SS/DS/ES only.
align 16
boot_gdt:
	dq 0				; null descriptor
	dq 0x00af9a000000ffff		; 0x08: code, DPL 0, present, L = 1, G = 1
	dq 0x00cf92000000ffff		; 0x10: data, DPL 0, present, writable, G = 1
boot_gdt_end:
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dd boot_gdt

msg_bad_magic:
	db "mb2: not started by a Multiboot2 loader (EAX != 0x36d76289); halting", 13, 10, 0
msg_no_long_mode:
	db "mb2: this CPU has no long mode (CPUID 80000001h:EDX[29]); halting", 13, 10, 0
msg_no_nx:
	db "mb2: this CPU has no execute-disable (CPUID 80000001h:EDX[20]); halting", 13, 10, 0

section .boot32.bss nobits alloc noexec write align=4096
alignb 4096
mb2_boot_pt:
boot_pml4:
	resb PAGE_SIZE
boot_pdpt_low:
	resb PAGE_SIZE
boot_pd_low:
	resb LOW_PDS * PAGE_SIZE
boot_pdpt_high:
	resb PAGE_SIZE
boot_pd_high:
	resb PAGE_SIZE
mb2_boot_pt_end:
alignb 16
boot32_stack:
	resb BOOT32_STACK_SIZE
boot32_stack_top:

section .text
bits 64
default rel
; mb2_enter64: first code in the higher half. Moves to the core's boot stack (in .bss,
; HV_BOOT_STACK_SIZE bytes, hv/entry.asm) and calls
;     void mb2_main(uint32_t magic, uint32_t mbi_pa)
; which never returns. The upper halves of RDI/RSI are undefined after the switch from
; 32-bit mode (SDM Vol. 1 3.4.1.1), so the 32-bit moves zero-extend them.
mb2_enter64:
	lea rsp, [hv_boot_stack_top]	; 16-byte aligned
	xor ebp, ebp			; ends frame-pointer backtraces here
	mov edi, edi
	mov esi, esi
	call mb2_main
.hang:
	cli
	hlt
	jmp .hang
