// SPDX-License-Identifier: MIT
/*
 * The hand-off to the core: switch to the core's page tables with interrupts off, call
 * hv_entry(bi), switch back.
 *
 * Nothing in here calls the firmware or libefi. While the core runs, the CPU state is
 * the core's; libefi uses SSE registers, which the hypervisor treats as guest state, so
 * Print() and friends wait until the loader has its CR3 and interrupt flag back.
 */
#include "boot/efi/loader.h"

#define X86_RFLAGS_IF (1ull << 9)
#define X86_CR4_LA57  (1ull << 12)

/* hv_entry (hv/entry.asm) is System V; gnu-efi code may be built ms_abi. */
typedef int __attribute__((sysv_abi)) (*hv_entry_fn)(struct boot_info *bi);
typedef int __attribute__((sysv_abi)) (*hv_ap_entry_fn)(struct boot_info *bi, uint32_t cpu,
							uint64_t firmware_cr3);

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* Save RFLAGS and clear IF, as one step from the compiler's point of view. */
static inline uint64_t irq_save(void)
{
	uint64_t flags;

	__asm__ volatile("pushfq; pop %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void irq_restore(uint64_t flags)
{
	if (flags & X86_RFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

uint64_t handoff_read_cr3(void)
{
	return read_cr3();
}

bool handoff_cr4_la57(void)
{
	return (read_cr4() & X86_CR4_LA57) != 0;
}

int handoff_call_core(uint64_t entry_va, uint64_t cr3, struct boot_info *bi)
{
	hv_entry_fn entry = (hv_entry_fn)(uintptr_t)entry_va;
	uint64_t flags, loader_cr3;
	int status;

	/*
	 * Interrupts off before CR3 changes: the firmware's timer handler lives in memory
	 * that the core's tables map 1:1 too, but the core replaces the IDT at once, and
	 * the contract (hv/boot_info.h) says IF = 0 at hv_entry.
	 */
	flags = irq_save();
	loader_cr3 = read_cr3();
	bi->firmware_cr3 = loader_cr3; /* what a blue-pilled BSP resumes with */
	write_cr3(cr3);
	status = entry(bi);
	/* hv_entry gave back GDT, IDT, segments and CR4; CR3 is ours to restore. */
	write_cr3(loader_cr3);
	irq_restore(flags);
	return status;
}

int handoff_call_ap(uint64_t entry_va, uint64_t cr3, struct boot_info *bi, uint32_t cpu)
{
	hv_ap_entry_fn entry = (hv_ap_entry_fn)(uintptr_t)entry_va;
	uint64_t flags, fw_cr3;
	int status;

	/* As on the BSP: IF = 0 across the switch, the core's contract. */
	flags = irq_save();
	fw_cr3 = read_cr3();
	write_cr3(cr3);
	status = entry(bi, cpu, fw_cr3);
	write_cr3(fw_cr3);
	irq_restore(flags);
	return status;
}
