/* SPDX-License-Identifier: MIT */
/* Host exception handling: every exception in the core is reported, then fatal. */
#ifndef HV_EXCEPTION_H
#define HV_EXCEPTION_H

#include <stdint.h>

/* What hv/isr.asm leaves on the stack, lowest address first. */
struct exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/*
 * exception_dispatch() - called by the stubs with interrupts off. Prints the vector's
 * mnemonic and number, the error code, RIP, CS, RFLAGS, RSP, SS, CR0, CR2, CR3, CR4 and
 * every general-purpose register, then stops the CPU (hv_halt). An exception raised
 * while reporting one stops the CPU at once.
 */
void exception_dispatch(struct exception_frame *f);

/* exception_name() - "#PF" for 14 and so on; "#??" outside 0..31 or for reserved ones. */
const char *exception_name(uint64_t vector);

#endif /* HV_EXCEPTION_H */
