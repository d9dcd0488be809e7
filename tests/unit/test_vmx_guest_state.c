// SPDX-License-Identifier: MIT
/*
 * hv/vmx_guest_state.c: the UEFI blue pill's guest state built from the loader's context
 * (struct boot_return_ctx) and a firmware-like GDT, and the SDM Vol. 3C 27.3.1 checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include "hv/vmcs_fields.h"
#include "hv/vmx_guest_state.h"
/* The portable source, compiled here: it is not (yet) in UNIT_CORE_SRCS (unit.mk). */
#include "hv/vmx_guest_state.h"

/* Bochs tigerlake / Tiger Lake fixed bits: PE, NE, PG; VMXE; unrestricted guest. */
static const struct vmx_check_env env = {
	.cr0_fixed0 = 0x80000021,
	.cr0_fixed1 = 0xffffffff,
	.cr4_fixed0 = 0x2000,
	.cr4_fixed1 = 0x3727ff,
	.unrestricted = true,
	.load_efer = true,
	.phys_bits = 40,
};

/* OVMF's GDT layout: 0x30 flat data, 0x38 64-bit code (its selectors at ExitBootServices
 * time), plus a 64-bit TSS at 0x40 for the descriptor-decoding tests. */
static uint64_t gdt[10];

static struct boot_return_ctx uefi_ctx(void)
{
	struct boot_return_ctx r = {
		.rbx = 0x11,
		.rbp = 0x22,
		.r12 = 0x33,
		.r13 = 0x44,
		.r14 = 0x55,
		.r15 = 0x66,
		.rsp = 0x3fe9f8b8,
		.rip = 0x3e2a1234,
		.rflags = 0x2,
		.cr0 = 0x80010033,
		.cr3 = 0x3fc01000,
		.cr4 = 0x668,
		.efer = 0xd00,
		.gdtr_base = 0x3f9ee000,
		.idtr_base = 0x3f2d3018,
		.gdtr_limit = sizeof(gdt) - 1,
		.idtr_limit = 0xfff,
		.cs = 0x38,
		.ds = 0x30,
		.es = 0x30,
		.ss = 0x30,
		.fs = 0x30,
		.gs = 0x30,
		.tr = 0,
		.ldtr = 0,
		.fs_base = 0,
		.gs_base = 0x3f000000,
	};
	return r;
}

static int setup(void **state)
{
	memset(gdt, 0, sizeof(gdt));
	gdt[6] = 0x00cf93000000ffffull; /* 0x30: data, RW accessed, G, B */
	gdt[7] = 0x00af9b000000ffffull; /* 0x38: code, 64-bit (L), accessed */
	/* 0x40: available 64-bit TSS, base 0x1234567890abcdef, limit 0x67 */
	gdt[8] = 0x67ull | (0xabcdefull << 16) | (0x89ull << 40) | (0x90ull << 56);
	gdt[9] = 0x12345678ull;
	return 0;
}

static void uefi_state_passes_every_entry_check(void **state)
{
	struct boot_return_ctx r = uefi_ctx();
	struct vmx_guest_state gs;
	char why[200] = "";

	assert_int_equal(vmx_guest_state_from_boot(&r, gdt, &env, &gs), 0);
	assert_null(vmx_guest_state_check(&gs, &env, why, sizeof(why)));
}

static void uefi_state_resumes_the_loader_with_rax_zero(void **state)
{
	struct boot_return_ctx r = uefi_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_boot(&r, gdt, &env, &gs), 0);
	assert_int_equal(gs.rip, r.rip);
	assert_int_equal(gs.rsp, r.rsp);
	assert_int_equal(gs.rflags, r.rflags);
	assert_int_equal(gs.rax, 0);
	assert_int_equal(gs.rbx, 0x11);
	assert_int_equal(gs.rbp, 0x22);
	assert_int_equal(gs.r12, 0x33);
	assert_int_equal(gs.r15, 0x66);
	assert_int_equal(gs.cr3, r.cr3);
	assert_int_equal(gs.gdtr_base, r.gdtr_base);
	assert_int_equal(gs.gdtr_limit, r.gdtr_limit);
	assert_int_equal(gs.idtr_base, r.idtr_base);
	assert_int_equal(gs.idtr_limit, 0xfff);
	assert_int_equal(gs.link_pointer, ~0ull);
	assert_int_equal(gs.activity, 0);
	assert_int_equal(gs.interruptibility, 0);
}

static void control_registers_get_vmx_bits_and_shadows_keep_the_firmwares(void **state)
{
	struct boot_return_ctx r = uefi_ctx();
	struct vmx_guest_state gs;

	r.cr0 &= ~0x20ull; /* a firmware with CR0.NE clear */
	assert_int_equal(vmx_guest_state_from_boot(&r, gdt, &env, &gs), 0);
	assert_true(gs.cr0 & 0x20);
	assert_int_equal(gs.cr0_shadow, r.cr0);
	assert_int_equal(gs.cr4, 0x668 | 0x2000);
	assert_int_equal(gs.cr4_shadow, 0x668);
	assert_int_equal(gs.efer, 0xd00);
	assert_true(gs.ia32e_mode);
}

static void segments_come_from_the_firmware_gdt(void **state)
{
	struct boot_return_ctx r = uefi_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_boot(&r, gdt, &env, &gs), 0);
	assert_int_equal(gs.seg[VSEG_CS].sel, 0x38);
	assert_int_equal(gs.seg[VSEG_CS].ar, 0xa09b);
	assert_int_equal(gs.seg[VSEG_CS].limit, 0xffffffff);
	assert_int_equal(gs.seg[VSEG_SS].ar, 0xc093);
	assert_int_equal(gs.seg[VSEG_DS].base, 0);
	assert_int_equal(gs.seg[VSEG_DS].limit, 0xffffffff);
	assert_int_equal(gs.seg[VSEG_GS].base, 0x3f000000); /* from the GS_BASE MSR */
	assert_int_equal(gs.seg[VSEG_LDTR].ar, VMX_AR_UNUSABLE);
	/* UEFI has no TR: a busy 64-bit TSS of 104 bytes stands in (27.3.1.2) */
	assert_int_equal(gs.seg[VSEG_TR].sel, 0);
	assert_int_equal(gs.seg[VSEG_TR].ar, 0x8b);
	assert_int_equal(gs.seg[VSEG_TR].limit, 0x67);
}

static void a_null_ss_is_unusable_with_the_cpl_as_dpl(void **state)
{
	struct boot_return_ctx r = uefi_ctx();
	struct vmx_guest_state gs;
	char why[200];

	r.ss = 0;
	assert_int_equal(vmx_guest_state_from_boot(&r, gdt, &env, &gs), 0);
	assert_true(gs.seg[VSEG_SS].ar & VMX_AR_UNUSABLE);
	assert_null(vmx_guest_state_check(&gs, &env, why, sizeof(why)));
}

static void a_64bit_system_descriptor_has_a_64bit_base(void **state)
{
	struct vmx_seg s;

	assert_int_equal(vmx_seg_from_gdt(gdt, sizeof(gdt) - 1, 0x40, true, &s), 0);
	assert_int_equal(s.base, 0x1234567890abcdefull);
	assert_int_equal(s.limit, 0x67);
	assert_int_equal(VMX_AR_TYPE(s.ar), 9);
}

static void bad_selectors_are_rejected(void **state)
{
	struct boot_return_ctx r = uefi_ctx();
	struct vmx_guest_state gs;
	struct vmx_seg s;

	assert_int_equal(vmx_seg_from_gdt(gdt, sizeof(gdt) - 1, 0x34, false, &s), -EINVAL);
	assert_int_equal(vmx_seg_from_gdt(gdt, sizeof(gdt) - 1, 0x50, false, &s), -EINVAL);
	assert_int_equal(vmx_seg_from_gdt(gdt, 0x3f, 0x38, true, &s), -EINVAL);
	assert_int_equal(vmx_seg_from_gdt(gdt, sizeof(gdt) - 1, 0x08, false, &s), -EINVAL);
	r.cs = 0x08; /* not present */
	assert_int_equal(vmx_guest_state_from_boot(&r, gdt, &env, &gs), -EINVAL);
}

/* Each rule of 27.3.1 that the checker implements names its field. */
static const char *check_with(void (*edit)(struct vmx_guest_state *gs))
{
	struct boot_return_ctx r = uefi_ctx();
	struct vmx_guest_state gs;
	static char why[200];

	assert_int_equal(vmx_guest_state_from_boot(&r, gdt, &env, &gs), 0);
	edit(&gs);
	return vmx_guest_state_check(&gs, &env, why, sizeof(why));
}

static void tr_available(struct vmx_guest_state *gs)
{
	gs->seg[VSEG_TR].ar = 0x89;
}
static void cs_l_and_d(struct vmx_guest_state *gs)
{
	gs->seg[VSEG_CS].ar |= VMX_AR_DB;
}
static void rip_noncanonical(struct vmx_guest_state *gs)
{
	gs->rip = 0x0000800000000000ull;
}
static void lma_without_ia32e(struct vmx_guest_state *gs)
{
	gs->ia32e_mode = false;
}
static void rflags_reserved(struct vmx_guest_state *gs)
{
	gs->rflags |= 1u << 3;
}
static void cr4_no_vmxe(struct vmx_guest_state *gs)
{
	gs->cr4 &= ~0x2000ull;
}
static void no_pae(struct vmx_guest_state *gs)
{
	gs->cr4 &= ~0x20ull;
}
static void link_zero(struct vmx_guest_state *gs)
{
	gs->link_pointer = 0;
}
static void smi_blocked(struct vmx_guest_state *gs)
{
	gs->interruptibility = 4;
}
static void cr3_too_wide(struct vmx_guest_state *gs)
{
	gs->cr3 = 1ull << 45;
}
static void ds_not_accessed(struct vmx_guest_state *gs)
{
	gs->seg[VSEG_DS].ar &= ~1u;
}
static void limit_g_mismatch(struct vmx_guest_state *gs)
{
	gs->seg[VSEG_ES].limit = 0xffff0;
}
static void fs_noncanonical(struct vmx_guest_state *gs)
{
	gs->seg[VSEG_FS].base = 1ull << 50;
}
static void gdtr_noncanonical(struct vmx_guest_state *gs)
{
	gs->gdtr_base = 1ull << 60;
}
static void ldtr_data(struct vmx_guest_state *gs)
{
	gs->seg[VSEG_LDTR].ar = 0x93;
}
static void dr7_high(struct vmx_guest_state *gs)
{
	gs->dr7 = 1ull << 40;
}

static void every_rule_names_its_field(void **state)
{
	assert_string_equal(check_with(tr_available), "GUEST_TR_AR_BYTES");
	assert_string_equal(check_with(cs_l_and_d), "GUEST_CS_AR_BYTES");
	assert_string_equal(check_with(rip_noncanonical), "GUEST_RIP");
	assert_string_equal(check_with(lma_without_ia32e), "GUEST_IA32_EFER");
	assert_string_equal(check_with(rflags_reserved), "GUEST_RFLAGS");
	assert_string_equal(check_with(cr4_no_vmxe), "GUEST_CR4");
	assert_string_equal(check_with(no_pae), "GUEST_CR4");
	assert_string_equal(check_with(link_zero), "VMCS_LINK_POINTER");
	assert_string_equal(check_with(smi_blocked), "GUEST_INTERRUPTIBILITY_INFO");
	assert_string_equal(check_with(cr3_too_wide), "GUEST_CR3");
	assert_string_equal(check_with(ds_not_accessed), "GUEST_DS_AR_BYTES");
	assert_string_equal(check_with(limit_g_mismatch), "GUEST_ES_AR_BYTES");
	assert_string_equal(check_with(fs_noncanonical), "GUEST_FS_BASE");
	assert_string_equal(check_with(gdtr_noncanonical), "GUEST_GDTR_BASE");
	assert_string_equal(check_with(ldtr_data), "GUEST_LDTR_AR_BYTES");
	assert_string_equal(check_with(dr7_high), "GUEST_DR7");
}

/* The AP's state after INIT (hv/vmx.c vmx_guest_init_state) and after its SIPI, also as
 * Bochs saves real-mode CS (type 3): valid with unrestricted guest, not without. */
static void real_mode_init_state_passes_with_unrestricted_guest(void **state)
{
	struct vmx_guest_state gs = { 0 };
	struct vmx_check_env e = env;
	char why[200];

	gs.cr0 = 0x60000030;
	gs.cr4 = 0x2000;
	gs.dr7 = 0x400;
	gs.rip = 0xfff0;
	gs.rflags = 2;
	gs.seg[VSEG_CS] = (struct vmx_seg){ 0xf000, 0xffff0000, 0xffff, 0x9b };
	for (int i = VSEG_ES; i <= VSEG_GS; i++)
		if (i != VSEG_CS)
			gs.seg[i] = (struct vmx_seg){ 0, 0, 0xffff, 0x93 };
	gs.seg[VSEG_LDTR] = (struct vmx_seg){ 0, 0, 0xffff, 0x82 };
	gs.seg[VSEG_TR] = (struct vmx_seg){ 0, 0, 0xffff, 0x8b };
	gs.gdtr_limit = gs.idtr_limit = 0xffff;
	gs.activity = 3; /* wait-for-SIPI */
	gs.link_pointer = ~0ull;
	assert_null(vmx_guest_state_check(&gs, &e, why, sizeof(why)));
	gs.seg[VSEG_CS] = (struct vmx_seg){ 0x0700, 0x7000, 0xffff, 0x93 };
	gs.activity = 0;
	assert_null(vmx_guest_state_check(&gs, &e, why, sizeof(why)));
	e.unrestricted = false;
	assert_string_equal(vmx_guest_state_check(&gs, &e, why, sizeof(why)), "GUEST_CR0");
}

/*
 * An AP's context as hv_ap_entry saves it (QEMU -smp 2 + OVMF values): the loader's AP
 * procedure in handoff_call_ap() called it with IF = 0 on the loader's boot tables, on
 * the AP stack MP services gave it, with the firmware's GDT.
 */
#define AP_FIRMWARE_CR3 0x3fc01000ull
#define AP_BOOT_PT_CR3	0x3fb36000ull

static struct boot_return_ctx ap_ctx(void)
{
	struct boot_return_ctx r = uefi_ctx();

	r.rbx = 0x1001;
	r.rbp = 0x1002;
	r.r12 = 0x1003;
	r.r15 = 0x1006;
	r.rsp = 0x3fecfee0;
	r.rip = 0x3e25e540;
	r.rflags = 0x2;
	r.cr3 = AP_BOOT_PT_CR3;
	r.gs_base = 0;
	return r;
}

static void ap_state_passes_every_entry_check(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;
	char why[200] = "";

	assert_int_equal(vmx_guest_state_from_firmware(&r, AP_FIRMWARE_CR3, gdt, &env, &gs), 0);
	assert_null(vmx_guest_state_check(&gs, &env, why, sizeof(why)));
}

static void ap_state_runs_on_the_firmwares_cr3(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_firmware(&r, AP_FIRMWARE_CR3, gdt, &env, &gs), 0);
	assert_int_equal(gs.cr3, AP_FIRMWARE_CR3);
}

static void ap_state_resumes_the_ap_procedure(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_firmware(&r, AP_FIRMWARE_CR3, gdt, &env, &gs), 0);
	assert_int_equal(gs.rip, 0x3e25e540);
}

static void ap_state_keeps_the_ap_stack(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_firmware(&r, AP_FIRMWARE_CR3, gdt, &env, &gs), 0);
	assert_int_equal(gs.rsp, 0x3fecfee0);
}

static void ap_state_returns_zero_from_hv_ap_entry(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_firmware(&r, AP_FIRMWARE_CR3, gdt, &env, &gs), 0);
	assert_int_equal(gs.rax, 0);
}

static void ap_state_keeps_callee_saved_registers(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_firmware(&r, AP_FIRMWARE_CR3, gdt, &env, &gs), 0);
	assert_int_equal(gs.rbx, 0x1001);
}

static void ap_state_keeps_interrupts_off(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_firmware(&r, AP_FIRMWARE_CR3, gdt, &env, &gs), 0);
	assert_int_equal(gs.rflags & 0x200, 0);
}

static void ap_state_is_a_64bit_guest(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_firmware(&r, AP_FIRMWARE_CR3, gdt, &env, &gs), 0);
	assert_true(gs.ia32e_mode);
}

static void unknown_firmware_cr3_keeps_the_saved_one(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;

	assert_int_equal(vmx_guest_state_from_firmware(&r, 0, gdt, &env, &gs), 0);
	assert_int_equal(gs.cr3, AP_BOOT_PT_CR3);
}

static void firmware_cr3_beyond_maxphyaddr_fails_the_check(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;
	char why[200] = "";

	assert_int_equal(vmx_guest_state_from_firmware(&r, 1ull << 45, gdt, &env, &gs), 0);
	assert_string_equal(vmx_guest_state_check(&gs, &env, why, sizeof(why)), "GUEST_CR3");
}

static void ap_with_a_bad_selector_is_rejected(void **state)
{
	struct boot_return_ctx r = ap_ctx();
	struct vmx_guest_state gs;

	r.ss = 0x48; /* beyond the GDT limit */
	assert_int_equal(vmx_guest_state_from_firmware(&r, AP_FIRMWARE_CR3, gdt, &env, &gs),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(uefi_state_passes_every_entry_check, setup),
		cmocka_unit_test_setup(uefi_state_resumes_the_loader_with_rax_zero, setup),
		cmocka_unit_test_setup(
			control_registers_get_vmx_bits_and_shadows_keep_the_firmwares, setup),
		cmocka_unit_test_setup(segments_come_from_the_firmware_gdt, setup),
		cmocka_unit_test_setup(a_null_ss_is_unusable_with_the_cpl_as_dpl, setup),
		cmocka_unit_test_setup(a_64bit_system_descriptor_has_a_64bit_base, setup),
		cmocka_unit_test_setup(bad_selectors_are_rejected, setup),
		cmocka_unit_test_setup(every_rule_names_its_field, setup),
		cmocka_unit_test_setup(real_mode_init_state_passes_with_unrestricted_guest, setup),
		cmocka_unit_test_setup(ap_state_passes_every_entry_check, setup),
		cmocka_unit_test_setup(ap_state_runs_on_the_firmwares_cr3, setup),
		cmocka_unit_test_setup(ap_state_resumes_the_ap_procedure, setup),
		cmocka_unit_test_setup(ap_state_keeps_the_ap_stack, setup),
		cmocka_unit_test_setup(ap_state_returns_zero_from_hv_ap_entry, setup),
		cmocka_unit_test_setup(ap_state_keeps_callee_saved_registers, setup),
		cmocka_unit_test_setup(ap_state_keeps_interrupts_off, setup),
		cmocka_unit_test_setup(ap_state_is_a_64bit_guest, setup),
		cmocka_unit_test_setup(unknown_firmware_cr3_keeps_the_saved_one, setup),
		cmocka_unit_test_setup(firmware_cr3_beyond_maxphyaddr_fails_the_check, setup),
		cmocka_unit_test_setup(ap_with_a_bad_selector_is_rejected, setup),
	};

	return cmocka_run_group_tests_name("vmx_guest_state", tests, NULL, NULL);
}
