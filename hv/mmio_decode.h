/* SPDX-License-Identifier: MIT */
/*
 * hv/mmio_decode.h - decoding the guest instruction that caused an EPT violation on an
 * emulated MMIO page (issue 7: the virtual VT-d unit's register page). EPT violations do
 * not report the instruction length or operands (SDM Vol. 3C 28.2.1 Table 28-7, 28.2.5:
 * the VM-exit instruction length is defined only for the exits listed there), so the
 * hypervisor fetches the bytes at the guest's RIP through the guest's own paging and
 * decodes them.
 *
 * Only the forms a driver uses for 32- and 64-bit MMIO registers are accepted (SDM Vol. 2B
 * "MOV"): 8B /r (load r32/r64 from m32/m64), 89 /r (store r32/r64), C7 /0 id (store an
 * imm32, sign-extended to 64 bits with REX.W); optional REX (64-bit mode only) and
 * segment-override prefixes. Anything else (16-bit or 8-bit operands, LOCK/REP, register
 * operands, other opcodes, 16-bit addressing) is rejected: the caller injects #GP or stops
 * the guest. Portable: no VMX; guest memory only through the guest map (GPA = HPA).
 */
#ifndef HV_MMIO_DECODE_H
#define HV_MMIO_DECODE_H

#include "hv/guest_map.h"
#include "hv/types.h"

#define MMIO_INSN_MAX 15u /* bytes: the architectural maximum (SDM Vol. 2A 2.3.11) */

/* The guest's execution mode, from the VMCS guest-state area. */
struct mmio_cpu_mode {
	bool long64;	  /* IA-32e mode and CS.L = 1: 64-bit mode */
	bool cs_db;	  /* CS.D/B: default operand/address size 32 (outside 64-bit mode) */
	uint64_t cs_base; /* CS base (ignored in 64-bit mode) */
	uint64_t cr0, cr3, cr4, efer;
};

/* One decoded access. */
struct mmio_insn {
	uint8_t len;	 /* instruction bytes: RIP advance */
	uint8_t size;	 /* operand bytes: 4 or 8 */
	bool write;	 /* a store to memory (89, C7) */
	bool has_imm;	 /* C7: the stored value is @imm */
	uint8_t reg;	 /* 89/8B: GPR number, SDM order (0 RAX .. 15 R15) */
	uint64_t imm;	 /* C7: imm32 sign-extended to @size bytes */
	const char *why; /* on rejection: what was found (static string) */
};

/*
 * mmio_decode() - decode @n bytes at @b (fetched from the guest's RIP; fewer than 15 when
 * the fetch stopped at an unmapped page) under mode @mode. Returns 0 with @out filled;
 * -EINVAL for an instruction outside the accepted forms (@out->why says which);
 * -EFAULT when the instruction runs past the @n bytes available.
 */
int mmio_decode(const uint8_t *b, unsigned int n, const struct mmio_cpu_mode *mode,
		struct mmio_insn *out);

/*
 * mmio_gva_to_gpa() - translate linear address @gva (GVA) through the guest's paging as
 * @mode describes it (SDM Vol. 3A 4.1: paging off, 32-bit, PAE, 4-level, 5-level with
 * CR4.LA57), reading every paging-structure entry through @m (RAM only: an entry in
 * MMIO or absent memory is a failure, never a host access). Access rights are not
 * checked (the CPU already fetched the instruction). Returns 0 with the GPA in @gpa;
 * -EFAULT when an entry is not present, reserved-bit checks aside, or a table is not
 * guest RAM.
 */
int mmio_gva_to_gpa(const struct guest_map *m, const struct mmio_cpu_mode *mode, uint64_t gva,
		    gpa_t *gpa);

/*
 * mmio_fetch() - copy up to @len (<= MMIO_INSN_MAX) bytes of the guest's code at @rip
 * (offset in CS; linear = CS base + @rip outside 64-bit mode) into @buf, page by page
 * through mmio_gva_to_gpa(). Returns the number of bytes fetched (0 when the first
 * byte is not reachable): the fetch stops at the first page it cannot read.
 */
unsigned int mmio_fetch(const struct guest_map *m, const struct mmio_cpu_mode *mode, uint64_t rip,
			uint8_t *buf, unsigned int len);

#endif /* HV_MMIO_DECODE_H */
