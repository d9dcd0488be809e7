// SPDX-License-Identifier: MIT
/* Host exception reports (hv/exception.h). */
#include "hv/exception.h"
#include "hv/log.h"
#include "hv/main.h"
#include "hv/types.h"
#include "hv/x86.h"

const char *exception_name(uint64_t vector)
{
	static const char *const names[32] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
		"#NP", "#SS", "#GP", "#PF", NULL,  "#MF", "#AC", "#MC", "#XM", "#VE",  "#CP",
		NULL,  NULL,  NULL,  NULL,  NULL,  NULL,  "#HV", "#VC", "#SX", NULL,
	};

	if (vector < ARRAY_SIZE(names) && names[vector])
		return names[vector];
	return "#??";
}

void exception_dispatch(struct exception_frame *f)
{
	static volatile int reporting;

	if (reporting)
		hv_halt(3); /* a fault inside the report: nothing more can be said */
	reporting = 1;

	log_err("EXCEPTION %s (vector %llu) error code 0x%llx", exception_name(f->vector),
		(unsigned long long)f->vector, (unsigned long long)f->error_code);
	log_err("EXCEPTION RIP 0x%016llx CS 0x%04llx RFLAGS 0x%08llx", (unsigned long long)f->rip,
		(unsigned long long)f->cs, (unsigned long long)f->rflags);
	log_err("EXCEPTION RSP 0x%016llx SS 0x%04llx", (unsigned long long)f->rsp,
		(unsigned long long)f->ss);
	log_err("EXCEPTION CR0 0x%016llx CR2 0x%016llx", (unsigned long long)read_cr0(),
		(unsigned long long)read_cr2());
	log_err("EXCEPTION CR3 0x%016llx CR4 0x%016llx", (unsigned long long)read_cr3(),
		(unsigned long long)read_cr4());
	log_err("EXCEPTION RAX 0x%016llx RBX 0x%016llx RCX 0x%016llx", (unsigned long long)f->rax,
		(unsigned long long)f->rbx, (unsigned long long)f->rcx);
	log_err("EXCEPTION RDX 0x%016llx RSI 0x%016llx RDI 0x%016llx", (unsigned long long)f->rdx,
		(unsigned long long)f->rsi, (unsigned long long)f->rdi);
	log_err("EXCEPTION RBP 0x%016llx R8  0x%016llx R9  0x%016llx", (unsigned long long)f->rbp,
		(unsigned long long)f->r8, (unsigned long long)f->r9);
	log_err("EXCEPTION R10 0x%016llx R11 0x%016llx R12 0x%016llx", (unsigned long long)f->r10,
		(unsigned long long)f->r11, (unsigned long long)f->r12);
	log_err("EXCEPTION R13 0x%016llx R14 0x%016llx R15 0x%016llx", (unsigned long long)f->r13,
		(unsigned long long)f->r14, (unsigned long long)f->r15);
	log_err("EXCEPTION fatal in the hypervisor: CPU stopped");
	hv_halt(2);
}
