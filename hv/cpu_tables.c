// SPDX-License-Identifier: MIT
/* Host GDT, TSS and IDT (hv/cpu_tables.h). */
#include <errno.h>
#include <string.h>
#include "hv/cpu_tables.h"
#include "hv/mm.h"

/* 64-bit TSS, SDM Vol. 3A Figure 8-11. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* 64-bit interrupt gate, SDM Vol. 3A Figure 6-8. */
struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define GDT_ENTRIES 5 /* null, code64, data, TSS (two slots) */

/* Descriptor bits: present, DPL 0, type; L for 64-bit code; G and D/B for data. */
#define GDT_CODE64	   0x00af9a000000ffffull
#define GDT_DATA	   0x00cf92000000ffffull
#define GDT_TSS_AVAILABLE  0x89ull
#define IDT_INTERRUPT_GATE 0x8e /* present, DPL 0, 64-bit interrupt gate */

struct cpu_tables {
	uint64_t gdt[GDT_ENTRIES];
	struct tss64 tss;
} __attribute__((aligned(64)));

static struct cpu_tables host_cpu_tables[HV_CPUS_MAX];
static struct idt_gate host_idt[256] __attribute__((aligned(4096)));

/* hv/isr.asm: one stub per exception vector 0..31. */
extern const uint64_t isr_stub_table[32];

static void gdt_set_tss(uint64_t *gdt, const struct tss64 *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

	gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (GDT_TSS_AVAILABLE << 40) | (((limit >> 16) & 0xf) << 48) |
			   (((base >> 24) & 0xff) << 56);
	gdt[SEL_TSS / 8 + 1] = base >> 32;
}

static void idt_init_once(void)
{
	static int done;

	if (done)
		return;
	for (unsigned int v = 0; v < 32; v++) {
		uint64_t off = isr_stub_table[v];
		struct idt_gate *g = &host_idt[v];

		g->offset_lo = off & 0xffff;
		g->selector = SEL_CODE64;
		g->ist = v == 8	 ? IST_DOUBLE_FAULT :
			 v == 2	 ? IST_NMI :
			 v == 18 ? IST_MACHINE_CHECK :
				   0;
		g->type_attr = IDT_INTERRUPT_GATE;
		g->offset_mid = (off >> 16) & 0xffff;
		g->offset_hi = off >> 32;
	}
	done = 1;
}

int cpu_tables_init(unsigned int cpu)
{
	struct cpu_tables *t;
	struct desc_ptr gdtr, idtr;

	if (cpu >= HV_CPUS_MAX)
		return -EINVAL;
	t = &host_cpu_tables[cpu];
	memset(t, 0, sizeof(*t));
	for (int i = IST_DOUBLE_FAULT; i <= IST_MACHINE_CHECK; i++) {
		hpa_t stack;
		int ret = host_frames_alloc(IST_STACK_SIZE / PAGE_SIZE, 1, &stack);

		if (ret)
			return ret;
		t->tss.ist[i - 1] = (uint64_t)hpa_to_hva(stack) + IST_STACK_SIZE;
	}
	t->tss.iomap_base = sizeof(t->tss); /* no I/O permission bitmap */
	t->gdt[SEL_CODE64 / 8] = GDT_CODE64;
	t->gdt[SEL_DATA / 8] = GDT_DATA;
	gdt_set_tss(t->gdt, &t->tss);
	idt_init_once();

	gdtr = (struct desc_ptr){ sizeof(t->gdt) - 1, (uint64_t)t->gdt };
	idtr = (struct desc_ptr){ sizeof(host_idt) - 1, (uint64_t)host_idt };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs\n\t"
			 "movw %w3, %%ax\n\t"
			 "ltr %%ax\n\t"
			 "lidt %4"
			 :
			 : "m"(gdtr), "i"(SEL_CODE64), "i"(SEL_DATA), "i"(SEL_TSS), "m"(idtr)
			 : "rax", "memory");
	return 0;
}
