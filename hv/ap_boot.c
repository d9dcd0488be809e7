// SPDX-License-Identifier: MIT
/* The core on the UEFI path's APs (hv/ap_boot.h). */
#include <errno.h>
#define LOG_PREFIX "hv"
#include "hv/ap_boot.h"
#include "hv/cpu.h"
#include "hv/cpu_tables.h"
#include "hv/log.h"
#include "hv/vmx.h"
#include "hv/x86.h"

struct boot_return_ctx ap_boot_ret[SMP_CPUS_MAX];
uint8_t ap_boot_stacks[SMP_CPUS_MAX][SMP_AP_STACK_SIZE] __attribute__((aligned(4096)));

static uint64_t ap_host_cr3;		    /* 0 until the core is resident */
static uint32_t ap_entered[SMP_CPUS_MAX];   /* 1 once the index came in */
static struct cpu_info ap_ci[SMP_CPUS_MAX]; /* each AP's own CPUID/VMX report */

void ap_boot_core_resident(void)
{
	__atomic_store_n(&ap_host_cr3, read_cr3(), __ATOMIC_RELEASE);
}

/* The initial local APIC ID: CPUID.0BH:EDX when leaf 0BH exists, else CPUID.1:EBX[31:24]
 * (SDM Vol. 2A CPUID). */
static uint32_t this_apic_id(void)
{
	if (cpuid(0, 0).eax >= 0xb) {
		struct cpuid_regs r = cpuid(0xb, 0);

		if (r.ebx)
			return r.edx;
	}
	return cpuid(1, 0).ebx >> 24;
}

long ap_boot_main(const struct boot_info *bi, uint32_t cpu, uint64_t firmware_cr3,
		  uint64_t stack_top)
{
	uint64_t cr3 = __atomic_load_n(&ap_host_cr3, __ATOMIC_ACQUIRE);
	struct cpu_info *ci;
	uint32_t id;
	int ret;

	if (!cr3)
		return -EAGAIN; /* nothing to log with: the core may not even be set up */
	if (cpu == 0 || cpu >= SMP_CPUS_MAX || !bi || bi->magic != BOOT_INFO_MAGIC)
		return -EINVAL;
	if (__atomic_exchange_n(&ap_entered[cpu], 1, __ATOMIC_ACQ_REL))
		return -EBUSY;

	write_cr3(cr3); /* the core's own tables: the image W^X, the 1:1 range NX */
	id = this_apic_id();
	ret = cpu_tables_init(cpu);
	if (ret) {
		log_err("ap %u (APIC ID %u): host GDT/TSS/IDT failed (%d), back to the firmware",
			cpu, id, ret);
		return ret;
	}
	ci = &ap_ci[cpu];
	cpu_info_read(ci); /* CPUID only, VMX MSRs only when CPUID.1:ECX.VMX = 1 */
	log_info("ap %u (APIC ID %u): in the core: host GDT/TSS/IDT loaded, stack 0x%llx, "
		 "firmware RIP 0x%llx RSP 0x%llx CR3 0x%llx",
		 cpu, id, (unsigned long long)stack_top, (unsigned long long)ap_boot_ret[cpu].rip,
		 (unsigned long long)ap_boot_ret[cpu].rsp, (unsigned long long)firmware_cr3);
	if (!ci->vmx) {
		log_info("ap %u (APIC ID %u): no VMX, back to the firmware", cpu, id);
		return -ENODEV;
	}
	ret = vmx_ap_bluepill(cpu, stack_top, &ap_boot_ret[cpu], firmware_cr3, ci);
	log_warn("ap %u (APIC ID %u): not resumed in VMX (%d), back to the firmware", cpu, id, ret);
	return ret;
}
