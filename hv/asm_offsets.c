// SPDX-License-Identifier: MIT
/*
 * Structure offsets for the NASM sources. Compiled with -S only: each DEFINE becomes a
 * "->NAME value" marker in the assembly output, which the Makefile turns into
 * build/asm-offsets.inc (%define NAME value). This keeps hv/entry.asm in step with
 * struct boot_info without numbers written twice.
 */
#include <stddef.h>
#include "hv/boot_info.h"
#include "hv/layout.h"
#include "hv/smp.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(BI_RET, offsetof(struct boot_info, ret));
	DEFINE(RET_RBX, offsetof(struct boot_return_ctx, rbx));
	DEFINE(RET_RBP, offsetof(struct boot_return_ctx, rbp));
	DEFINE(RET_R12, offsetof(struct boot_return_ctx, r12));
	DEFINE(RET_R13, offsetof(struct boot_return_ctx, r13));
	DEFINE(RET_R14, offsetof(struct boot_return_ctx, r14));
	DEFINE(RET_R15, offsetof(struct boot_return_ctx, r15));
	DEFINE(RET_RSP, offsetof(struct boot_return_ctx, rsp));
	DEFINE(RET_RIP, offsetof(struct boot_return_ctx, rip));
	DEFINE(RET_RFLAGS, offsetof(struct boot_return_ctx, rflags));
	DEFINE(RET_CR0, offsetof(struct boot_return_ctx, cr0));
	DEFINE(RET_CR3, offsetof(struct boot_return_ctx, cr3));
	DEFINE(RET_CR4, offsetof(struct boot_return_ctx, cr4));
	DEFINE(RET_EFER, offsetof(struct boot_return_ctx, efer));
	DEFINE(RET_GDTR_BASE, offsetof(struct boot_return_ctx, gdtr_base));
	DEFINE(RET_IDTR_BASE, offsetof(struct boot_return_ctx, idtr_base));
	DEFINE(RET_GDTR_LIMIT, offsetof(struct boot_return_ctx, gdtr_limit));
	DEFINE(RET_IDTR_LIMIT, offsetof(struct boot_return_ctx, idtr_limit));
	DEFINE(RET_CS, offsetof(struct boot_return_ctx, cs));
	DEFINE(RET_DS, offsetof(struct boot_return_ctx, ds));
	DEFINE(RET_ES, offsetof(struct boot_return_ctx, es));
	DEFINE(RET_SS, offsetof(struct boot_return_ctx, ss));
	DEFINE(RET_FS, offsetof(struct boot_return_ctx, fs));
	DEFINE(RET_GS, offsetof(struct boot_return_ctx, gs));
	DEFINE(RET_TR, offsetof(struct boot_return_ctx, tr));
	DEFINE(RET_LDTR, offsetof(struct boot_return_ctx, ldtr));
	DEFINE(RET_FS_BASE, offsetof(struct boot_return_ctx, fs_base));
	DEFINE(RET_GS_BASE, offsetof(struct boot_return_ctx, gs_base));
	DEFINE(RET_SIZE, sizeof(struct boot_return_ctx));
	DEFINE(SMP_CPUS_MAX_V, SMP_CPUS_MAX);
	DEFINE(SMP_AP_STACK_SIZE_V, SMP_AP_STACK_SIZE);
	DEFINE(HV_IMAGE_MAGIC, HV_IMAGE_HEADER_MAGIC);
	DEFINE(HV_IMAGE_LINK_PA_V, HV_IMAGE_LINK_PA);
	DEFINE(HV_KERNEL_VBASE_V, HV_KERNEL_VBASE);
	DEFINE(HV_BOOT_STACK_SIZE_V, HV_BOOT_STACK_SIZE);
}
