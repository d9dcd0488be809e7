// SPDX-License-Identifier: MIT
/*
 * VMX bring-up and the first VM entry (hv/vmx.h): IA32_FEATURE_CONTROL, CR0/CR4 fixed
 * bits, VMXON, the VMCS (controls from the capability MSRs, host state, guest state), the
 * guest map, EPT and the launch of the Multiboot2 guest (SDM Vol. 3C ch. 24-27).
 */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "vmx"
#include "guest/include/vsva_hv.h"
#include "hv/cmdline.h"
#include "hv/cpu_tables.h"
#include "hv/ept.h"
#include "hv/guest_load.h"
#include "hv/log.h"
#include "hv/main.h"
#include "hv/mm.h"
#include "hv/mtrr.h"
#include "hv/tsc.h"
#include "hv/vcpu.h"
#include "hv/vmx.h"
#include "hv/x86.h"

#define FEATURE_CONTROL_LOCKED		BIT(0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX BIT(2)
#define MSR_IA32_SYSENTER_CS		0x174
#define MSR_IA32_SYSENTER_ESP		0x175
#define MSR_IA32_SYSENTER_EIP		0x176
#define MSR_IA32_PAT			0x277
#define MSR_FS_BASE			0xc0000100
#define MSR_GS_BASE			0xc0000101
#define CR0_ET				BIT(4)
#define CR0_NE				BIT(5)
#define CR4_OSXSAVE			BIT(18)
#define HOST_STACK_FRAMES		4
#define GUEST_PAT_DEFAULT		0x0007040600070406ull /* the reset value (SDM 3A 13.12.4) */

static struct vm hv_vm;
static struct vcpu hv_vcpu[1];
static struct mtrr_state hv_mtrr;

static const char *const vm_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_instruction_error_name(uint32_t err)
{
	if (err < ARRAY_SIZE(vm_errors) && vm_errors[err])
		return vm_errors[err];
	return "unknown VM-instruction error";
}

/* vmx_check() - report a VMX instruction's failure (SDM Vol. 3C 31.2); 0 or -EIO. */
static int vmx_check(const char *what, uint64_t rflags)
{
	uint32_t err;

	if (rflags & RFLAGS_CF) {
		log_err("%s failed: VMfailInvalid (no current VMCS or bad operand)", what);
		return -EIO;
	}
	if (rflags & RFLAGS_ZF) {
		err = (uint32_t)vmcs_read(VM_INSTRUCTION_ERROR);
		log_err("%s failed: VMfailValid, VM-instruction error %u: %s", what, err,
			vmx_instruction_error_name(err));
		return -EIO;
	}
	return 0;
}

/* VMWRITE that remembers the first failure (a VMCS is set up field by field). */
static int vmcs_setup_err;

static void vmw(uint64_t field, uint64_t val)
{
	uint64_t rf = vmcs_write(field, val);

	if ((rf & (RFLAGS_CF | RFLAGS_ZF)) && !vmcs_setup_err) {
		log_err("VMWRITE of field 0x%04llx = 0x%llx:", (unsigned long long)field,
			(unsigned long long)val);
		vmcs_setup_err = vmx_check("VMWRITE", rf);
	}
}

/*
 * IA32_FEATURE_CONTROL (SDM Vol. 3C 24.7): locked with VMX-outside-SMX clear means the
 * firmware switched VMX off; unlocked, we enable VMX outside SMX and lock it.
 */
static int feature_control_enable(void)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (fc & FEATURE_CONTROL_LOCKED) {
		if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
			log_err("IA32_FEATURE_CONTROL 0x%llx is locked with VMX outside SMX off: "
				"enable VT-x in the firmware setup",
				(unsigned long long)fc);
			return -EPERM;
		}
		return 0;
	}
	wrmsr(MSR_IA32_FEATURE_CONTROL,
	      fc | FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
	log_info("IA32_FEATURE_CONTROL was unlocked: set VMX outside SMX and locked it");
	return 0;
}

/*
 * vmx_cpu_on() - enter VMX root operation on this CPU (SDM Vol. 3C 24.8): CR0/CR4 fixed
 * bits (A.7, A.8), CR4.VMXE, a VMXON region with the revision identifier (24.11.5).
 */
static int vmx_cpu_on(struct vcpu *v, const struct cpu_info *ci)
{
	const struct vmx_caps *c = &ci->vmx_caps;
	const struct vmx_cap_msrs *msr = &ci->vmx_msrs;
	uint64_t cr0, cr4;
	int ret;

	if (!ci->vmx)
		return -ENODEV; /* CPUID.1:ECX.VMX = 0: never touch CR4.VMXE */
	ret = feature_control_enable();
	if (ret)
		return ret;
	if (c->vmcs_size == 0 || c->vmcs_size > PAGE_SIZE) {
		log_err("IA32_VMX_BASIC gives a VMCS region of %u bytes", c->vmcs_size);
		return -ENODEV;
	}
	v->cr0_fixed0 = msr->cr0_fixed0;
	v->cr0_fixed1 = msr->cr0_fixed1;
	v->cr4_fixed0 = msr->cr4_fixed0;
	v->cr4_fixed1 = msr->cr4_fixed1;
	cr0 = (read_cr0() | msr->cr0_fixed0) & msr->cr0_fixed1;
	cr4 = (read_cr4() | msr->cr4_fixed0 | CR4_VMXE) & msr->cr4_fixed1;
	if (ci->xsave)
		cr4 |= CR4_OSXSAVE; /* so that the guest's XSETBV can be done for it */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");

	ret = host_frames_alloc(1, 1, &v->vmxon_region);
	if (!ret)
		ret = host_frames_alloc(1, 1, &v->vmcs);
	if (!ret)
		ret = host_frames_alloc(1, 1, &v->msr_bitmap);
	if (ret)
		return ret;
	*(uint32_t *)hpa_to_hva(v->vmxon_region) = c->revision;
	*(uint32_t *)hpa_to_hva(v->vmcs) = c->revision;
	ret = vmx_check("VMXON", vmx_on(v->vmxon_region));
	if (ret)
		return ret;
	ret = vmx_check("VMCLEAR", vmx_clear(v->vmcs));
	if (!ret)
		ret = vmx_check("VMPTRLD", vmx_ptrld(v->vmcs));
	return ret;
}

/* The MSR bitmap (SDM Vol. 3C 25.6.9): exits only for IA32_FEATURE_CONTROL and the VMX
 * capability MSRs, which the guest must not see (CPUID hides VMX). */
static void msr_bitmap_init(struct vcpu *v)
{
	uint8_t *bm = hpa_to_hva(v->msr_bitmap);
	uint32_t msrs[1 + 0x13];

	msrs[0] = MSR_IA32_FEATURE_CONTROL;
	for (uint32_t i = 0; i < 0x13; i++)
		msrs[1 + i] = MSR_IA32_VMX_BASIC + i;
	for (uint32_t i = 0; i < ARRAY_SIZE(msrs); i++) {
		bm[msrs[i] / 8] |= 1u << (msrs[i] % 8);	       /* read, low MSRs */
		bm[2048 + msrs[i] / 8] |= 1u << (msrs[i] % 8); /* write, low MSRs */
	}
}

/* Each control from its capability MSR (A.3-A.5): wanted bits, forced bits added. */
static int ctl(const char *name, const struct vmx_ctl_cap *cap, uint32_t want, uint32_t need,
	       uint32_t *out)
{
	if (!vmx_ctl_adjust(cap, want, out) && (need & ~cap->allowed1)) {
		log_err("%s controls: this CPU cannot set 0x%08x (allowed-1 0x%08x)", name,
			need & ~cap->allowed1, cap->allowed1);
		return -ENODEV;
	}
	return 0;
}

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* Host state (SDM Vol. 3C 25.5, checks 27.2.2-27.2.4): this CPU's own tables and stack. */
static void vmcs_host_state(struct vcpu *v, uint32_t exit_ctl)
{
	struct desc_ptr gdtr, idtr;
	uint16_t tr;
	uint64_t tss_lo, tss_hi, tr_base;
	extern char vmx_exit_entry[];

	__asm__ volatile("sgdt %0; sidt %1; str %2" : "=m"(gdtr), "=m"(idtr), "=r"(tr));
	tss_lo = ((uint64_t *)gdtr.base)[tr / 8];
	tss_hi = ((uint64_t *)gdtr.base)[tr / 8 + 1];
	tr_base = ((tss_lo >> 16) & 0xffffff) | (((tss_lo >> 56) & 0xff) << 24) | (tss_hi << 32);

	vmw(HOST_CR0, read_cr0());
	vmw(HOST_CR3, read_cr3());
	vmw(HOST_CR4, read_cr4());
	vmw(HOST_CS_SELECTOR, SEL_CODE64);
	vmw(HOST_SS_SELECTOR, SEL_DATA);
	vmw(HOST_DS_SELECTOR, SEL_DATA);
	vmw(HOST_ES_SELECTOR, SEL_DATA);
	vmw(HOST_FS_SELECTOR, 0);
	vmw(HOST_GS_SELECTOR, 0);
	vmw(HOST_TR_SELECTOR, tr);
	vmw(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmw(HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmw(HOST_TR_BASE, tr_base);
	vmw(HOST_GDTR_BASE, gdtr.base);
	vmw(HOST_IDTR_BASE, idtr.base);
	vmw(HOST_IA32_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmw(HOST_IA32_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmw(HOST_IA32_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	if (exit_ctl & VM_EXIT_LOAD_IA32_EFER)
		vmw(HOST_IA32_EFER, rdmsr(MSR_EFER));
	if (exit_ctl & VM_EXIT_LOAD_IA32_PAT)
		vmw(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmw(HOST_RSP, v->host_stack_top - 16);
	vmw(HOST_RIP, (uint64_t)vmx_exit_entry);
}

/*
 * Guest state at the first entry (SDM Vol. 3C 25.4, checks 27.3.1): 32-bit protected
 * mode, paging off (unrestricted guest), flat 4-GiB code and data segments, interrupts
 * off -- the state a Multiboot loader gives its kernel. EAX = VSVA_GUEST_BOOT_MAGIC,
 * EBX = GPA of struct vsva_guest_boot.
 */
static void vmcs_guest_state(struct vcpu *v, const struct guest_image *img, uint32_t entry_ctl)
{
	uint64_t cr0 = ((CR0_PE | CR0_ET) | (v->cr0_fixed0 & ~(CR0_PE | CR0_PG))) & v->cr0_fixed1;
	uint64_t cr4 = v->cr4_fixed0 & v->cr4_fixed1;
	static const uint32_t sel[] = { GUEST_ES_SELECTOR, GUEST_SS_SELECTOR, GUEST_DS_SELECTOR,
					GUEST_FS_SELECTOR, GUEST_GS_SELECTOR };
	static const uint32_t lim[] = { GUEST_ES_LIMIT, GUEST_SS_LIMIT, GUEST_DS_LIMIT,
					GUEST_FS_LIMIT, GUEST_GS_LIMIT };
	static const uint32_t ar[] = { GUEST_ES_AR_BYTES, GUEST_SS_AR_BYTES, GUEST_DS_AR_BYTES,
				       GUEST_FS_AR_BYTES, GUEST_GS_AR_BYTES };
	static const uint32_t base[] = { GUEST_ES_BASE, GUEST_SS_BASE, GUEST_DS_BASE, GUEST_FS_BASE,
					 GUEST_GS_BASE };

	/* The guest owns every CR0/CR4 bit except those VMX fixes (PE/PG are its own with
	 * unrestricted guest); reads of those come from the shadows. */
	v->cr0_mask = (v->cr0_fixed0 & ~(CR0_PE | CR0_PG)) | (~v->cr0_fixed1 & 0xffffffffull);
	v->cr4_mask = v->cr4_fixed0 | (~v->cr4_fixed1 & 0xffffffffull);
	vmw(CR0_GUEST_HOST_MASK, v->cr0_mask);
	vmw(CR4_GUEST_HOST_MASK, v->cr4_mask);
	vmw(CR0_READ_SHADOW, cr0);
	vmw(CR4_READ_SHADOW, 0);
	vmw(GUEST_CR0, cr0);
	vmw(GUEST_CR3, 0);
	vmw(GUEST_CR4, cr4);
	vmw(GUEST_DR7, 0x400);

	vmw(GUEST_CS_SELECTOR, 0x08);
	vmw(GUEST_CS_BASE, 0);
	vmw(GUEST_CS_LIMIT, 0xffffffff);
	vmw(GUEST_CS_AR_BYTES, 0xc09b); /* code exec/read accessed, S, P, D, G */
	for (unsigned int i = 0; i < ARRAY_SIZE(sel); i++) {
		vmw(sel[i], 0x10);
		vmw(base[i], 0);
		vmw(lim[i], 0xffffffff);
		vmw(ar[i], 0xc093); /* data read/write accessed, S, P, B, G */
	}
	vmw(GUEST_LDTR_SELECTOR, 0);
	vmw(GUEST_LDTR_BASE, 0);
	vmw(GUEST_LDTR_LIMIT, 0);
	vmw(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE);
	vmw(GUEST_TR_SELECTOR, 0);
	vmw(GUEST_TR_BASE, 0);
	vmw(GUEST_TR_LIMIT, 0x67);
	vmw(GUEST_TR_AR_BYTES, 0x008b); /* busy 32-bit TSS, P (27.3.1.2) */
	vmw(GUEST_GDTR_BASE, 0);
	vmw(GUEST_GDTR_LIMIT, 0xffff);
	vmw(GUEST_IDTR_BASE, 0);
	vmw(GUEST_IDTR_LIMIT, 0xffff);

	vmw(GUEST_RSP, 0);
	vmw(GUEST_RIP, img->entry);
	vmw(GUEST_RFLAGS, 0x2);
	vmw(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmw(GUEST_ACTIVITY_STATE, 0);
	vmw(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmw(GUEST_SYSENTER_CS, 0);
	vmw(GUEST_SYSENTER_ESP, 0);
	vmw(GUEST_SYSENTER_EIP, 0);
	vmw(GUEST_IA32_DEBUGCTL, 0);
	vmw(VMCS_LINK_POINTER, ~0ull);
	if (entry_ctl & VM_ENTRY_LOAD_IA32_EFER)
		vmw(GUEST_IA32_EFER, 0);
	if (entry_ctl & VM_ENTRY_LOAD_IA32_PAT)
		vmw(GUEST_IA32_PAT, GUEST_PAT_DEFAULT);

	memset(&v->launch_regs, 0, sizeof(v->launch_regs));
	v->launch_regs.rax = VSVA_GUEST_BOOT_MAGIC;
	v->launch_regs.rbx = img->boot_gpa;
}

/* Execution, exit and entry controls (SDM Vol. 3C 25.6-25.8), each adjusted to what the
 * capability MSRs allow (TRUE_* when IA32_VMX_BASIC[55]: vmx_caps_decode chose them). */
static int vmcs_controls(struct vcpu *v, const struct vmx_caps *c, uint32_t *exit_out,
			 uint32_t *entry_out)
{
	uint32_t pin, proc, proc2 = 0, exit, entry, want2;
	int ret;

	ret = ctl("pin-based", &c->pin, 0, 0, &pin);
	if (!ret)
		ret = ctl("processor-based", &c->proc,
			  CPU_BASED_HLT_EXITING | CPU_BASED_USE_MSR_BITMAPS |
				  CPU_BASED_ACTIVATE_SECONDARY,
			  CPU_BASED_HLT_EXITING | CPU_BASED_USE_MSR_BITMAPS |
				  CPU_BASED_ACTIVATE_SECONDARY,
			  &proc);
	if (ret)
		return ret;
	/* Secondary: EPT and unrestricted guest are required; VPID when there; RDTSCP,
	 * INVPCID and XSAVES so the guest's instructions behave as on the bare CPU. */
	want2 = VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED | VMX_PROC2_VPID | VMX_PROC2_RDTSCP |
		VMX_PROC2_INVPCID | VMX_PROC2_XSAVES;
	want2 &= c->proc2.allowed1;
	ret = ctl("secondary", &c->proc2, want2, VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED, &proc2);
	if (!ret)
		ret = ctl("VM-exit", &c->exit,
			  VM_EXIT_HOST_ADDR_SPACE_SIZE |
				  (c->exit.allowed1 &
				   (VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER |
				    VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT)),
			  VM_EXIT_HOST_ADDR_SPACE_SIZE, &exit);
	if (!ret)
		ret = ctl("VM-entry", &c->entry,
			  c->entry.allowed1 & (VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT), 0,
			  &entry);
	if (ret)
		return ret;
	entry &= ~VM_ENTRY_IA32E_MODE; /* the guest starts in 32-bit protected mode */
	if (c->entry.allowed0 & VM_ENTRY_IA32E_MODE)
		return -ENODEV;

	vmw(PIN_BASED_VM_EXEC_CONTROL, pin);
	vmw(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmw(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmw(VM_EXIT_CONTROLS, exit);
	vmw(VM_ENTRY_CONTROLS, entry);
	vmw(EXCEPTION_BITMAP, 0);
	vmw(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmw(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmw(CR3_TARGET_COUNT, 0);
	vmw(VM_EXIT_MSR_STORE_COUNT, 0);
	vmw(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmw(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmw(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmw(MSR_BITMAP, v->msr_bitmap);
	vmw(EPT_POINTER, v->vm->eptp);
	if (proc2 & VMX_PROC2_VPID)
		vmw(VIRTUAL_PROCESSOR_ID, v->vm->vpid);
	else
		v->vm->vpid = 0;
	v->unrestricted = true;
	log_info("controls: pin 0x%08x proc 0x%08x proc2 0x%08x exit 0x%08x entry 0x%08x%s", pin,
		 proc, proc2, exit, entry, c->true_ctls ? " (TRUE capability MSRs)" : "");
	*exit_out = exit;
	*entry_out = entry;
	return 0;
}

/* Guest map and EPT, once per VM (design.md: one map for EPT and the IOMMU). */
static int vm_memory_init(struct vm *vm, const struct boot_info *bi, const struct cpu_info *ci)
{
	const struct vmx_caps *c = &ci->vmx_caps;
	int ret;

	mtrr_read(&hv_mtrr, ci->phys_bits);
	ret = guest_map_build(bi, &hv_mtrr, &vm->map);
	if (ret) {
		log_err("guest map: too many ranges (%d)", ret);
		return ret;
	}
	guest_map_log(&vm->map);
	if (!(c->ept_vpid & VMX_EPT_WALK_4)) {
		log_err("EPT without a 4-level walk: not supported");
		return -ENODEV;
	}
	ret = ept_build(&vm->ept, &vm->map, c->ept_vpid);
	if (ret) {
		log_err("EPT build failed (%d)", ret);
		return ret;
	}
	vm->eptp = ept_pointer(&vm->ept, c->ept_vpid);
	vm->vpid = c->vpid ? 1 : 0;
	log_info("guest map: %u ranges, RAM %llu MiB, MTRRs %s (default %s); hv image and pool "
		 "absent",
		 vm->map.count, (unsigned long long)(vm->map.ram_bytes >> 20),
		 hv_mtrr.present ? (hv_mtrr.enabled ? "on" : "off") : "absent",
		 mtrr_type_name(hv_mtrr.def_type));
	log_info("EPT: EPTP 0x%llx, %llu table frames, %llu 1-GiB + %llu 2-MiB + %llu 4-KiB "
		 "pages, VPID %u",
		 (unsigned long long)vm->eptp, (unsigned long long)vm->ept.table_frames,
		 (unsigned long long)vm->ept.pages_1g, (unsigned long long)vm->ept.pages_2m,
		 (unsigned long long)vm->ept.pages_4k, vm->vpid);
	return 0;
}

/* SDM Vol. 3C 29.4.3.1: no stale translations for this EPTP or VPID (in VMX operation). */
static int vm_tlb_flush(const struct vm *vm, const struct vmx_caps *c)
{
	int ret = 0;

	if (c->ept_vpid & VMX_EPT_INVEPT_SINGLE)
		ret = vmx_check("INVEPT", invept(INVEPT_SINGLE_CONTEXT, vm->eptp));
	if (!ret && vm->vpid && (c->ept_vpid & VMX_VPID_INVVPID_SINGLE))
		ret = vmx_check("INVVPID", invvpid(INVVPID_SINGLE_CONTEXT, vm->vpid, 0));
	return ret;
}

/* The launch: VMLAUNCH returns here only on VMfail; an entry that fails on guest state
 * arrives as a VM exit with bit 31 (hv/exit.c). */
static int vcpu_launch(struct vcpu *v, uint64_t tsc_start)
{
	uint64_t rf;

	/* Bochs with clock sync=none: TSC ticks are instructions (platforms.md). */
	log_info("bench: TSC %llu at vmx_start entry, %llu before VMLAUNCH",
		 (unsigned long long)tsc_start, (unsigned long long)rdtsc());
	log_info("launching the guest at RIP 0x%llx (32-bit protected mode, paging off)",
		 (unsigned long long)vmcs_read(GUEST_RIP));
	rf = vmx_launch(&v->launch_regs);
	return vmx_check("VMLAUNCH", rf);
}

noreturn void vmx_resume_failed(struct vcpu *v, uint64_t rflags);

noreturn void vmx_resume_failed(struct vcpu *v, uint64_t rflags)
{
	vmx_check("VMRESUME", rflags);
	log_err("guest stopped");
	hv_halt(1);
}

/* Self-test: selftest=bad-guest-state makes one guest-state field wrong, so that the
 * entry-failure report is exercised (tests/bochs/test-vmx.sh). */
static void selftest_bad_guest_state(const char *cmdline)
{
	char val[32];

	if (!cmdline_get(cmdline, "selftest", val, sizeof(val)) || strcmp(val, "bad-guest-state"))
		return;
	log_warn("selftest: making GUEST_TR_AR_BYTES an available (not busy) TSS");
	vmw(GUEST_TR_AR_BYTES, 0x0089);
}

int vmx_start(const struct boot_info *bi, const struct cpu_info *ci)
{
	uint64_t tsc_start = rdtsc();
	struct vcpu *v = &hv_vcpu[0];
	struct guest_image img;
	uint32_t exit_ctl, entry_ctl;
	hpa_t stack;
	int ret;

	if (!bi->module_count) {
		log_info("no Multiboot2 module: no guest to launch; VMX stays off");
		return 0;
	}
	memset(v, 0, sizeof(*v));
	v->vm = &hv_vm;
	hv_vm.ci = ci;
	hv_vm.nr_vcpus = 1;
	ret = vm_memory_init(&hv_vm, bi, ci);
	if (ret)
		return ret;
	ret = guest_load(bi, &bi->modules[0], &hv_vm.map, &img);
	if (ret) {
		log_info("module 0 is not a guest kernel this core can load (%d): not launching",
			 ret);
		return ret;
	}
	log_info("guest kernel: image [0x%llx-0x%llx), entry 0x%llx, boot data at 0x%llx, "
		 "command line \"%s\"",
		 (unsigned long long)img.low, (unsigned long long)img.high,
		 (unsigned long long)img.entry, (unsigned long long)img.boot_gpa,
		 bi->modules[0].cmdline);

	ret = host_frames_alloc(HOST_STACK_FRAMES, 1, &stack);
	if (ret)
		return ret;
	v->host_stack_top = (uint64_t)hpa_to_hva(stack) + HOST_STACK_FRAMES * PAGE_SIZE;
	*(struct vcpu **)(v->host_stack_top - 16) = v;

	ret = vmx_cpu_on(v, ci);
	if (ret) {
		log_err("VMX could not be turned on (%d)", ret);
		return ret;
	}
	log_info("cpu %u: VMXON done (revision 0x%x, CR0 0x%llx, CR4 0x%llx), VMCS at 0x%llx",
		 v->cpu, ci->vmx_caps.revision, (unsigned long long)read_cr0(),
		 (unsigned long long)read_cr4(), (unsigned long long)v->vmcs);
	ret = vm_tlb_flush(&hv_vm, &ci->vmx_caps);
	if (ret)
		return ret;
	msr_bitmap_init(v);
	vmcs_setup_err = 0;
	ret = vmcs_controls(v, &ci->vmx_caps, &exit_ctl, &entry_ctl);
	if (ret)
		return ret;
	vmcs_host_state(v, exit_ctl);
	vmcs_guest_state(v, &img, entry_ctl);
	if (vmcs_setup_err)
		return vmcs_setup_err;
	selftest_bad_guest_state(bi->cmdline);
	return vcpu_launch(v, tsc_start);
}
