// SPDX-License-Identifier: MIT
/*
 * Guest-register state as data (hv/vmx_guest_state.h): the UEFI blue pill's state from the
 * loader's context, and the VM-entry checks on guest state (SDM Vol. 3C 27.3.1). Portable:
 * no VMX instruction here, so the unit tests check every field hosted.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hv/types.h"
#include "hv/vmcs_fields.h"
#include "hv/vmx_guest_state.h"

#define CR0_PE_BIT    BIT(0)
#define CR0_NE_BIT    BIT(5)
#define CR0_PG_BIT    BIT(31)
#define CR4_PAE_BIT   BIT(5)
#define CR4_VMXE_BIT  BIT(13)
#define CR4_PCIDE_BIT BIT(17)
#define EFER_LME_BIT  BIT(8)
#define EFER_LMA_BIT  BIT(10)
#define EFER_ALLOWED  (BIT(0) | BIT(8) | BIT(10) | BIT(11)) /* SCE, LME, LMA, NXE */
#define RFLAGS_IF_BIT BIT(9)
#define RFLAGS_VM_BIT BIT(17)
#define RFLAGS_RSVD0  (0xffffffffffc00000ull | BIT(15) | BIT(5) | BIT(3))
#define AR_RESERVED   (0xf00u | 0xfffe0000u)
#define SEL_TI	      0x4u
#define SEL_RPL(s)    ((s)&3u)

static const char *const seg_name[VSEG_COUNT][2] = {
	[VSEG_ES] = { "GUEST_ES_AR_BYTES", "ES" },	 [VSEG_CS] = { "GUEST_CS_AR_BYTES", "CS" },
	[VSEG_SS] = { "GUEST_SS_AR_BYTES", "SS" },	 [VSEG_DS] = { "GUEST_DS_AR_BYTES", "DS" },
	[VSEG_FS] = { "GUEST_FS_AR_BYTES", "FS" },	 [VSEG_GS] = { "GUEST_GS_AR_BYTES", "GS" },
	[VSEG_LDTR] = { "GUEST_LDTR_AR_BYTES", "LDTR" }, [VSEG_TR] = { "GUEST_TR_AR_BYTES", "TR" },
};

static bool canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va; /* 48-bit linear addresses */
}

int vmx_seg_from_gdt(const void *gdt, uint16_t gdt_limit, uint16_t sel, bool system,
		     struct vmx_seg *out)
{
	const uint8_t *g = gdt;
	unsigned int idx = sel & ~7u;
	uint64_t lo, hi = 0;

	memset(out, 0, sizeof(*out));
	out->sel = sel;
	if (idx == 0) {
		out->ar = VMX_AR_UNUSABLE;
		return 0;
	}
	if ((sel & SEL_TI) || idx + 7u > gdt_limit || (system && idx + 15u > gdt_limit))
		return -EINVAL;
	memcpy(&lo, g + idx, 8);
	if (system)
		memcpy(&hi, g + idx + 8, 8);
	out->ar = (uint32_t)(((lo >> 40) & 0xff) | (((lo >> 52) & 0xf) << 12));
	if (!(out->ar & VMX_AR_P))
		return -EINVAL;
	out->limit = (uint32_t)((lo & 0xffff) | ((lo >> 32) & 0xf0000));
	if (out->ar & VMX_AR_G)
		out->limit = (out->limit << 12) | 0xfff;
	out->base = ((lo >> 16) & 0xffffff) | (((lo >> 56) & 0xff) << 24);
	if (system)
		out->base |= (hi & 0xffffffffull) << 32;
	return 0;
}

int vmx_guest_state_from_boot(const struct boot_return_ctx *ret, const void *gdt,
			      const struct vmx_check_env *env, struct vmx_guest_state *gs)
{
	const uint16_t sels[VSEG_COUNT] = { ret->es, ret->cs, ret->ss,	 ret->ds,
					    ret->fs, ret->gs, ret->ldtr, ret->tr };
	uint64_t f0 = env->cr0_fixed0;

	memset(gs, 0, sizeof(*gs));
	for (int i = 0; i < VSEG_COUNT; i++) {
		bool system = i == VSEG_LDTR || i == VSEG_TR;

		if (vmx_seg_from_gdt(gdt, ret->gdtr_limit, sels[i], system, &gs->seg[i]))
			return -EINVAL;
	}
	/* A null SS in 64-bit mode is unusable, and VM entry wants its DPL = CS.RPL (the
	 * CPL): keep the DPL in the unusable descriptor (27.3.1.2, SS.DPL). */
	if (gs->seg[VSEG_SS].ar & VMX_AR_UNUSABLE)
		gs->seg[VSEG_SS].ar |= (uint32_t)SEL_RPL(ret->cs) << 5;
	gs->seg[VSEG_FS].base = ret->fs_base; /* 64-bit bases live in the MSRs */
	gs->seg[VSEG_GS].base = ret->gs_base;
	if (gs->seg[VSEG_TR].ar & VMX_AR_UNUSABLE) {
		gs->seg[VSEG_TR] =
			(struct vmx_seg){ .sel = 0, .base = 0, .limit = 0x67, .ar = VMX_AR_P | 11 };
	}
	if (env->unrestricted)
		f0 &= ~(CR0_PE_BIT | CR0_PG_BIT);
	gs->cr0_shadow = ret->cr0;
	gs->cr4_shadow = ret->cr4;
	gs->cr0 = (ret->cr0 | f0) & env->cr0_fixed1;
	gs->cr4 = (ret->cr4 | env->cr4_fixed0) & env->cr4_fixed1;
	gs->cr3 = ret->cr3;
	gs->dr7 = 0x400;
	gs->efer = ret->efer;
	gs->ia32e_mode = (ret->efer & EFER_LMA_BIT) != 0;
	gs->rsp = ret->rsp;
	gs->rip = ret->rip;
	gs->rflags = ret->rflags;
	gs->gdtr_base = ret->gdtr_base;
	gs->gdtr_limit = ret->gdtr_limit;
	gs->idtr_base = ret->idtr_base;
	gs->idtr_limit = ret->idtr_limit;
	gs->link_pointer = ~0ull;
	gs->rax = 0; /* hv_entry returns 0 */
	gs->rbx = ret->rbx;
	gs->rbp = ret->rbp;
	gs->r12 = ret->r12;
	gs->r13 = ret->r13;
	gs->r14 = ret->r14;
	gs->r15 = ret->r15;
	return 0;
}

#define FAIL(field, ...)                         \
	do {                                     \
		snprintf(why, len, __VA_ARGS__); \
		return field;                    \
	} while (0)

/* Limit and granularity agree (27.3.1.2): limit[11:0] not all 1 -> G = 0; limit[31:20]
 * not all 0 -> G = 1. */
static bool limit_g_ok(const struct vmx_seg *s)
{
	if ((s->limit & 0xfff) != 0xfff && (s->ar & VMX_AR_G))
		return false;
	if ((s->limit & 0xfff00000) && !(s->ar & VMX_AR_G))
		return false;
	return true;
}

static const char *check_segments(const struct vmx_guest_state *gs, const struct vmx_check_env *env,
				  char *why, size_t len)
{
	const struct vmx_seg *cs = &gs->seg[VSEG_CS], *ss = &gs->seg[VSEG_SS];
	const struct vmx_seg *tr = &gs->seg[VSEG_TR], *ldtr = &gs->seg[VSEG_LDTR];
	unsigned int cs_type = VMX_AR_TYPE(cs->ar);
	bool real = env->unrestricted && !(gs->cr0 & CR0_PE_BIT);

	if (tr->sel & SEL_TI)
		FAIL("GUEST_TR_SELECTOR", "0x%x: TI must be 0", tr->sel);
	if ((tr->ar & VMX_AR_UNUSABLE) || (tr->ar & VMX_AR_S) || !(tr->ar & VMX_AR_P) ||
	    (VMX_AR_TYPE(tr->ar) != 11 && (gs->ia32e_mode || VMX_AR_TYPE(tr->ar) != 3)) ||
	    (tr->ar & AR_RESERVED) || !limit_g_ok(tr))
		FAIL(seg_name[VSEG_TR][0],
		     "0x%x: TR type %u, must be 11 (busy TSS; 3 outside IA-32e mode), S=0, P=1, "
		     "usable, limit and G consistent (27.3.1.2)",
		     tr->ar, VMX_AR_TYPE(tr->ar));
	if (!canonical(tr->base))
		FAIL("GUEST_TR_BASE", "0x%llx is not canonical", (unsigned long long)tr->base);
	if (!(ldtr->ar & VMX_AR_UNUSABLE)) {
		if ((ldtr->sel & SEL_TI) || VMX_AR_TYPE(ldtr->ar) != 2 || (ldtr->ar & VMX_AR_S) ||
		    !(ldtr->ar & VMX_AR_P) || (ldtr->ar & AR_RESERVED) || !limit_g_ok(ldtr))
			FAIL(seg_name[VSEG_LDTR][0],
			     "0x%x: a usable LDTR is an LDT (type 2), S=0, P=1", ldtr->ar);
		if (!canonical(ldtr->base))
			FAIL("GUEST_LDTR_BASE", "0x%llx is not canonical",
			     (unsigned long long)ldtr->base);
	}
	if ((cs->ar & VMX_AR_UNUSABLE) || !(cs->ar & VMX_AR_S) || !(cs->ar & VMX_AR_P) ||
	    !((cs_type & 9) == 9 || (env->unrestricted && cs_type == 3)) ||
	    (cs->ar & AR_RESERVED) || !limit_g_ok(cs))
		FAIL(seg_name[VSEG_CS][0],
		     "0x%x: CS must be a present accessed code segment (type 3 too with "
		     "unrestricted guest) (27.3.1.2)",
		     cs->ar);
	if (cs_type == 3 && VMX_AR_DPL(cs->ar) != 0)
		FAIL(seg_name[VSEG_CS][0], "0x%x: CS type 3 needs DPL 0", cs->ar);
	if ((cs_type == 9 || cs_type == 11) && VMX_AR_DPL(cs->ar) != VMX_AR_DPL(ss->ar))
		FAIL(seg_name[VSEG_CS][0], "0x%x: non-conforming CS DPL must equal SS DPL %u",
		     cs->ar, VMX_AR_DPL(ss->ar));
	if ((cs_type == 13 || cs_type == 15) && VMX_AR_DPL(cs->ar) > VMX_AR_DPL(ss->ar))
		FAIL(seg_name[VSEG_CS][0], "0x%x: conforming CS DPL above SS DPL", cs->ar);
	if (gs->ia32e_mode && (cs->ar & VMX_AR_L) && (cs->ar & VMX_AR_DB))
		FAIL(seg_name[VSEG_CS][0], "0x%x: CS.L and CS.D both set in IA-32e mode", cs->ar);
	if (cs->base >> 32)
		FAIL("GUEST_CS_BASE", "0x%llx: bits 63:32 must be 0", (unsigned long long)cs->base);
	if (!env->unrestricted && SEL_RPL(ss->sel) != SEL_RPL(cs->sel))
		FAIL("GUEST_SS_SELECTOR", "0x%x: RPL must equal CS.RPL", ss->sel);
	if ((real || cs_type == 3) && VMX_AR_DPL(ss->ar) != 0)
		FAIL(seg_name[VSEG_SS][0], "0x%x: SS DPL must be 0 (real mode or CS type 3)",
		     ss->ar);
	for (int i = VSEG_ES; i <= VSEG_GS; i++) {
		const struct vmx_seg *s = &gs->seg[i];
		unsigned int type = VMX_AR_TYPE(s->ar);

		if (s->ar & VMX_AR_UNUSABLE)
			continue;
		if (i == VSEG_CS)
			continue;
		if (i == VSEG_SS && type != 3 && type != 7)
			FAIL(seg_name[i][0], "0x%x: a usable SS is a writable data segment", s->ar);
		if (!(type & 1) || ((type & 8) && !(type & 2)) || !(s->ar & VMX_AR_S) ||
		    !(s->ar & VMX_AR_P) || (s->ar & AR_RESERVED) || !limit_g_ok(s))
			FAIL(seg_name[i][0],
			     "0x%x: %s must be accessed, readable, S=1, P=1, reserved bits 0, "
			     "limit and G consistent (27.3.1.2)",
			     s->ar, seg_name[i][1]);
		if (!env->unrestricted && i != VSEG_SS && type <= 11 &&
		    VMX_AR_DPL(s->ar) < SEL_RPL(s->sel))
			FAIL(seg_name[i][0], "0x%x: %s DPL below its RPL", s->ar, seg_name[i][1]);
		if ((i == VSEG_FS || i == VSEG_GS) ? !canonical(s->base) : (s->base >> 32) != 0)
			FAIL(i == VSEG_FS ? "GUEST_FS_BASE" :
			     i == VSEG_GS ? "GUEST_GS_BASE" :
					    "GUEST_ES/SS/DS_BASE",
			     "0x%llx: base out of range for %s", (unsigned long long)s->base,
			     seg_name[i][1]);
	}
	return NULL;
}

const char *vmx_guest_state_check(const struct vmx_guest_state *gs, const struct vmx_check_env *env,
				  char *why, size_t len)
{
	uint64_t f0 = env->cr0_fixed0;
	const char *field;

	/* 27.3.1.1 control registers, DR7, EFER */
	if (env->unrestricted)
		f0 &= ~(CR0_PE_BIT | CR0_PG_BIT);
	if ((gs->cr0 & f0) != f0 || (gs->cr0 & ~env->cr0_fixed1))
		FAIL("GUEST_CR0", "0x%llx breaks IA32_VMX_CR0_FIXED0/1 (27.3.1.1)",
		     (unsigned long long)gs->cr0);
	if ((gs->cr0 & CR0_PG_BIT) && !(gs->cr0 & CR0_PE_BIT))
		FAIL("GUEST_CR0", "0x%llx: PG without PE", (unsigned long long)gs->cr0);
	if ((gs->cr4 & env->cr4_fixed0) != env->cr4_fixed0 || (gs->cr4 & ~env->cr4_fixed1))
		FAIL("GUEST_CR4", "0x%llx breaks IA32_VMX_CR4_FIXED0/1 (27.3.1.1)",
		     (unsigned long long)gs->cr4);
	if (gs->ia32e_mode && (!(gs->cr0 & CR0_PG_BIT) || !(gs->cr4 & CR4_PAE_BIT)))
		FAIL("GUEST_CR4", "IA-32e mode guest needs CR0.PG and CR4.PAE (27.3.1.1)");
	if (!gs->ia32e_mode && (gs->cr4 & CR4_PCIDE_BIT))
		FAIL("GUEST_CR4", "CR4.PCIDE outside IA-32e mode (27.3.1.1)");
	if (env->phys_bits < 64 && (gs->cr3 >> env->phys_bits))
		FAIL("GUEST_CR3", "0x%llx: bits above MAXPHYADDR %u", (unsigned long long)gs->cr3,
		     env->phys_bits);
	if (gs->dr7 >> 32)
		FAIL("GUEST_DR7", "0x%llx: bits 63:32 must be 0", (unsigned long long)gs->dr7);
	if (env->load_efer) {
		if (gs->efer & ~EFER_ALLOWED)
			FAIL("GUEST_IA32_EFER", "0x%llx: reserved bits",
			     (unsigned long long)gs->efer);
		if (!!(gs->efer & EFER_LMA_BIT) != gs->ia32e_mode)
			FAIL("GUEST_IA32_EFER", "0x%llx: LMA must equal the IA-32e mode control",
			     (unsigned long long)gs->efer);
		if ((gs->cr0 & CR0_PG_BIT) &&
		    !!(gs->efer & EFER_LMA_BIT) != !!(gs->efer & EFER_LME_BIT))
			FAIL("GUEST_IA32_EFER", "0x%llx: LMA must equal LME with paging on",
			     (unsigned long long)gs->efer);
	}
	/* 27.3.1.4 RIP and RFLAGS (before the segments: v8086 is not supported) */
	if ((gs->rflags & RFLAGS_RSVD0) || !(gs->rflags & BIT(1)))
		FAIL("GUEST_RFLAGS", "0x%llx: bit 1 must be 1, reserved bits 0 (27.3.1.4)",
		     (unsigned long long)gs->rflags);
	if ((gs->rflags & RFLAGS_VM_BIT) && (gs->ia32e_mode || !(gs->cr0 & CR0_PE_BIT)))
		FAIL("GUEST_RFLAGS", "VM set in IA-32e mode or real mode (27.3.1.4)");
	if (gs->rflags & RFLAGS_VM_BIT)
		FAIL("GUEST_RFLAGS", "virtual-8086 guests are not supported by this core");
	if (gs->ia32e_mode && (gs->seg[VSEG_CS].ar & VMX_AR_L) ? !canonical(gs->rip) :
								 (gs->rip >> 32) != 0)
		FAIL("GUEST_RIP",
		     "0x%llx: not canonical in 64-bit mode, or bits 63:32 set "
		     "outside it (27.3.1.4)",
		     (unsigned long long)gs->rip);
	/* 27.3.1.2 segment registers */
	field = check_segments(gs, env, why, len);
	if (field)
		return field;
	/* 27.3.1.3 descriptor-table registers */
	if (!canonical(gs->gdtr_base) || gs->gdtr_limit > 0xffff)
		FAIL("GUEST_GDTR_BASE", "0x%llx limit 0x%x: canonical base, 16-bit limit",
		     (unsigned long long)gs->gdtr_base, gs->gdtr_limit);
	if (!canonical(gs->idtr_base) || gs->idtr_limit > 0xffff)
		FAIL("GUEST_IDTR_BASE", "0x%llx limit 0x%x: canonical base, 16-bit limit",
		     (unsigned long long)gs->idtr_base, gs->idtr_limit);
	/* 27.3.1.5 non-register state (the event-independent part) */
	if (gs->activity > 3)
		FAIL("GUEST_ACTIVITY_STATE", "%u: not an activity state", gs->activity);
	if (gs->activity == 1 && VMX_AR_DPL(gs->seg[VSEG_SS].ar) != 0)
		FAIL("GUEST_ACTIVITY_STATE", "HLT with SS.DPL %u", VMX_AR_DPL(gs->seg[VSEG_SS].ar));
	if ((gs->interruptibility & ~0x1full) || (gs->interruptibility & 3) == 3 ||
	    (!(gs->rflags & RFLAGS_IF_BIT) && (gs->interruptibility & 1)) ||
	    (gs->activity && (gs->interruptibility & 3)) || (gs->interruptibility & BIT(2)))
		FAIL("GUEST_INTERRUPTIBILITY_INFO",
		     "0x%x: reserved, STI with IF=0, blocking in a "
		     "non-active state, or SMI blocking outside SMM (27.3.1.5)",
		     gs->interruptibility);
	if (gs->link_pointer != ~0ull)
		FAIL("VMCS_LINK_POINTER", "must be 0xffffffffffffffff without VMCS shadowing "
					  "(27.3.1.5)");
	return NULL;
}

int vmx_guest_state_from_firmware(const struct boot_return_ctx *ret, uint64_t firmware_cr3,
				  const void *gdt, const struct vmx_check_env *env,
				  struct vmx_guest_state *gs)
{
	int err = vmx_guest_state_from_boot(ret, gdt, env, gs);

	if (!err && firmware_cr3)
		gs->cr3 = firmware_cr3;
	return err;
}
