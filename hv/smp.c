// SPDX-License-Identifier: MIT
/*
 * AP start-up on the Multiboot2 path (hv/smp.h): the trampoline page, INIT-SIPI-SIPI per
 * AP (SDM Vol. 3A 9.4.4.1: INIT, 10 ms, SIPI, 200 us, SIPI), then the AP's own GDT, TSS
 * and IDT and the caller's per-AP main. One AP at a time: the frame pool and the log
 * have no locks, and while an AP sets itself up the BSP only waits.
 */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "smp"
#include "hv/cpu_tables.h"
#include "hv/lapic.h"
#include "hv/log.h"
#include "hv/main.h"
#include "hv/mm.h"
#include "hv/smp.h"
#include "hv/tsc.h"
#include "hv/x86.h"

#define MSR_EFER	   0xc0000080
#define CR4_PCIDE	   BIT(17)
#define AP_WAIT_MS	   500
#define SMP_TRAMP_MAX_SIZE PAGE_SIZE
#define PTE_PRESENT	   BIT(0)
#define PTE_PS		   BIT(7)
#define PTE_NX		   BIT(63)
#define PTE_ADDR_MASK	   0x000ffffffffff000ull
#define TRAMP_PT_LEVELS	   4

/* hv/smp_tramp.asm */
extern const char smp_tramp_start[], smp_tramp_end[], smp_tramp_params[];

struct smp_tramp_params {
	uint64_t cr0, cr3, cr4, efer;
	uint64_t stack; /* RSP at the call of smp_ap_entry, 16-byte aligned */
	uint64_t entry; /* smp_ap_entry */
	uint64_t cpu;	/* logical CPU index */
};

static volatile uint32_t smp_ap_state[SMP_CPUS_MAX];
static smp_ap_main_t smp_ap_main;
static uint64_t smp_ap_stack_top[SMP_CPUS_MAX];
static uint8_t smp_tramp_saved[SMP_TRAMP_MAX_SIZE];
static uint64_t smp_host_cr3;
static hpa_t smp_tramp_pt[TRAMP_PT_LEVELS];
static unsigned int smp_tramp_pt_count;

/*
 * The host's page tables map the 1:1 range non-executable (W^X, hv/paging.c), so the AP
 * cannot run the trampoline on them once it turns paging on. Its CR3 is a copy of the
 * host's tables along the path to SMP_TRAMP_HPA with NX cleared there; the AP switches
 * to the host's own CR3 as its first act in C (smp_ap_entry()).
 */
static int tramp_page_tables(uint64_t host_cr3, uint64_t *cr3_out)
{
	uint64_t *parent_entry = NULL, *table = hpa_to_hva(host_cr3 & PTE_ADDR_MASK);
	int shift = 39;

	smp_tramp_pt_count = 0;
	for (int level = 0; level < TRAMP_PT_LEVELS; level++, shift -= 9) {
		unsigned int idx = (unsigned int)(((uint64_t)SMP_TRAMP_HPA >> shift) & 511);
		uint64_t *copy;
		hpa_t frame;
		int ret = host_frames_alloc(1, 1, &frame);

		if (ret)
			return ret;
		smp_tramp_pt[smp_tramp_pt_count++] = frame;
		copy = hpa_to_hva(frame);
		memcpy(copy, table, PAGE_SIZE);
		if (parent_entry)
			*parent_entry = (*parent_entry & ~PTE_ADDR_MASK) | frame;
		else
			*cr3_out = frame | (host_cr3 & ~PTE_ADDR_MASK);
		if (!(copy[idx] & PTE_PRESENT))
			return -EFAULT;
		copy[idx] &= ~PTE_NX;
		if (level == TRAMP_PT_LEVELS - 1 || (level > 0 && (copy[idx] & PTE_PS)))
			return 0;
		parent_entry = &copy[idx];
		table = hpa_to_hva(copy[idx] & PTE_ADDR_MASK);
	}
	return 0;
}

static void tramp_page_tables_free(void)
{
	while (smp_tramp_pt_count)
		host_frames_free(smp_tramp_pt[--smp_tramp_pt_count], 1);
}

void smp_ap_report(unsigned int cpu, enum smp_ap_state state)
{
	if (cpu < SMP_CPUS_MAX) {
		__atomic_store_n(&smp_ap_state[cpu], (uint32_t)state, __ATOMIC_RELEASE);
	}
}

noreturn void smp_ap_entry(unsigned int cpu);

/* The AP's first C code: on its stack, still on the trampoline's GDT. */
noreturn void smp_ap_entry(unsigned int cpu)
{
	write_cr3(smp_host_cr3); /* off the trampoline's tables (still 1:1 + image) */
	if (cpu >= SMP_CPUS_MAX || cpu_tables_init(cpu)) {
		smp_ap_report(cpu, SMP_AP_FAILED);
	} else {
		smp_ap_report(cpu, SMP_AP_ALIVE);
		smp_ap_main(cpu, smp_ap_stack_top[cpu]); /* returns only on failure */
		smp_ap_report(cpu, SMP_AP_FAILED);
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}

static enum smp_ap_state smp_wait(unsigned int cpu, uint64_t ms)
{
	uint64_t end = rdtsc() + ms * tsc_khz();
	uint32_t s;

	for (;;) {
		s = __atomic_load_n(&smp_ap_state[cpu], __ATOMIC_ACQUIRE);
		if (s == SMP_AP_READY || s == SMP_AP_FAILED || rdtsc() > end)
			return (enum smp_ap_state)s;
		cpu_relax();
	}
}

/* SDM Vol. 3A 9.4.4.1: INIT, wait 10 ms, SIPI, wait 200 us, a second SIPI if the AP has
 * not said it is alive. */
static int smp_start_one(unsigned int cpu, uint32_t apic_id)
{
	const uint8_t vector = SMP_TRAMP_HPA >> 12;
	int ret;

	ret = lapic_send_init(apic_id);
	if (ret)
		return ret;
	lapic_delay_us(10000);
	ret = lapic_send_sipi(apic_id, vector);
	if (ret)
		return ret;
	lapic_delay_us(200);
	if (__atomic_load_n(&smp_ap_state[cpu], __ATOMIC_ACQUIRE) == SMP_AP_OFF)
		ret = lapic_send_sipi(apic_id, vector);
	return ret;
}

unsigned int smp_start_aps(const uint32_t *apic_ids, unsigned int count, uint32_t bsp_apic_id,
			   smp_ap_main_t ap_main)
{
	size_t tramp_len = (size_t)(smp_tramp_end - smp_tramp_start);
	struct smp_tramp_params *p;
	unsigned int cpu = 1, ready = 0;
	uint8_t *page = hpa_to_hva(SMP_TRAMP_HPA);
	uint64_t cr3 = 0;
	int ret;

	smp_host_cr3 = read_cr3();
	ret = tramp_page_tables(smp_host_cr3, &cr3);
	if (ret || tramp_len > SMP_TRAMP_MAX_SIZE || cr3 >= (1ull << 32)) {
		log_err("cannot start APs: trampoline %zu bytes, its CR3 0x%llx (must be below "
			"4 GiB), page tables %d",
			tramp_len, (unsigned long long)cr3, ret);
		tramp_page_tables_free();
		return 0;
	}
	memcpy(smp_tramp_saved, page, tramp_len);
	memcpy(page, smp_tramp_start, tramp_len);
	p = (struct smp_tramp_params *)(page + (smp_tramp_params - smp_tramp_start));
	p->cr0 = read_cr0();
	p->cr3 = cr3;
	p->cr4 = read_cr4() & ~(CR4_VMXE | CR4_PCIDE);
	p->efer = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE);
	p->entry = (uint64_t)smp_ap_entry;
	smp_ap_main = ap_main;

	for (unsigned int i = 0; i < count; i++) {
		enum smp_ap_state s;
		hpa_t stack;

		if (apic_ids[i] == bsp_apic_id)
			continue;
		if (cpu >= SMP_CPUS_MAX) {
			log_warn("APIC ID %u: more than %u CPUs, left halted", apic_ids[i],
				 SMP_CPUS_MAX);
			continue;
		}
		ret = host_frames_alloc(SMP_AP_STACK_SIZE / PAGE_SIZE, 1, &stack);
		if (ret) {
			log_err("cpu %u: no stack (%d)", cpu, ret);
			break;
		}
		smp_ap_stack_top[cpu] = (uint64_t)hpa_to_hva(stack) + SMP_AP_STACK_SIZE;
		p->stack = smp_ap_stack_top[cpu] - 32; /* top - 16 is the VM-exit vcpu slot */
		p->cpu = cpu;
		smp_ap_state[cpu] = SMP_AP_OFF;
		ret = smp_start_one(cpu, apic_ids[i]);
		s = ret ? SMP_AP_OFF : smp_wait(cpu, AP_WAIT_MS);
		if (s == SMP_AP_READY) {
			log_info(
				"cpu %u (APIC ID %u): started with INIT-SIPI-SIPI (vector 0x%02x), "
				"ready",
				cpu, apic_ids[i], SMP_TRAMP_HPA >> 12);
			ready++;
			cpu++;
			continue;
		}
		log_err("cpu %u (APIC ID %u): %s", cpu, apic_ids[i],
			ret		  ? "the local APIC did not send the IPIs" :
			s == SMP_AP_OFF	  ? "did not start within 500 ms" :
			s == SMP_AP_ALIVE ? "started, but not ready within 500 ms" :
					    "failed to set itself up");
		break; /* a late AP finds no trampoline: it does not run the core */
	}
	memcpy(page, smp_tramp_saved, tramp_len);
	tramp_page_tables_free();
	return ready;
}
