/* SPDX-License-Identifier: MIT */
/*
 * The host's per-CPU descriptor tables: GDT (64-bit code and data, TSS), TSS with IST
 * stacks for #DF, NMI and #MC, and the shared IDT (SDM Vol. 3A §3.5, §6.14, §8.7).
 */
#ifndef HV_CPU_TABLES_H
#define HV_CPU_TABLES_H

#include <stdint.h>

#define HV_CPUS_MAX 64u

#define SEL_CODE64 0x08
#define SEL_DATA   0x10
#define SEL_TSS	   0x18

#define IST_DOUBLE_FAULT  1
#define IST_NMI		  2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE	  0x2000 /* bytes per IST stack */

/*
 * cpu_tables_init() - build and load the GDT, TSS and IDT of logical CPU @cpu
 * (0 .. HV_CPUS_MAX - 1), reload every segment register and TR. IST stacks come from
 * the host frame pool. Returns 0; -EINVAL for a bad @cpu; -ENOMEM.
 */
int cpu_tables_init(unsigned int cpu);

#endif /* HV_CPU_TABLES_H */
