/* SPDX-License-Identifier: MIT */
/*
 * vsva_hv.h - the hypercall ABI of the vSVA hypervisor, as guests see it.
 *
 * Guests include this header; the hypervisor's hv/hypercall.c compiles against the same
 * file, so both sides share one definition (design.md). docs/hypercall-abi.md explains
 * it; keep the two in step.
 *
 * Calling convention: VMCALL with RAX = call number, arguments in RBX, RCX, RDX, RSI.
 * The result comes back in RAX: 0 (or a non-negative value where a call says so) or a
 * negative errno (VSVA_E*). Every other general-purpose register is preserved.
 * Larger arguments are structures in guest memory passed by guest-physical address
 * (GPA); each starts with a 32-bit size field that the caller fills. Bytes past what the
 * hypervisor knows must be zero (so the ABI can grow), else the call fails -EINVAL.
 * Discovery: CPUID leaf 0x40000000 returns EAX = highest hypervisor leaf and
 * EBX:ECX:EDX = VSVA_CPUID_SIGNATURE ("VsvaVsvaVsva").
 */
#ifndef VSVA_HV_H
#define VSVA_HV_H

#include <stdint.h>

#define VSVA_CPUID_LEAF_BASE 0x40000000u
#define VSVA_CPUID_LEAF_MAX  0x40000001u
/* "VsvaVsvaVsva" in EBX, ECX, EDX, little-endian */
#define VSVA_CPUID_SIGNATURE_EBX 0x61767356u
#define VSVA_CPUID_SIGNATURE_ECX 0x61767356u
#define VSVA_CPUID_SIGNATURE_EDX 0x61767356u
/* Leaf 0x40000001: EAX = ABI version (VSVA_ABI_VERSION) */

/* ABI version: major in bits 31:16, minor in 15:0. A minor bump only adds. */
#define VSVA_ABI_MAJOR	 1u
#define VSVA_ABI_MINOR	 0u
#define VSVA_ABI_VERSION ((VSVA_ABI_MAJOR << 16) | VSVA_ABI_MINOR)

/* Call numbers (RAX) */
enum vsva_hcall {
	VSVA_HC_NULL = 0,	  /* no arguments; returns 0. For round-trip timing. */
	VSVA_HC_VERSION = 1,	  /* returns VSVA_ABI_VERSION (non-negative) */
	VSVA_HC_CAPABILITIES = 2, /* RBX = GPA of struct vsva_capabilities */
	VSVA_HC_STATISTICS = 3,	  /* RBX = GPA of struct vsva_statistics */
	VSVA_HC_GPA_PROBE = 4,	  /* RBX = GPA; returns 1 guest RAM, 2 MMIO, 0 absent */
	VSVA_HC_COUNT = 5,	  /* first unassigned number */
};

/* Errors (negated in RAX), Linux's numbers */
#define VSVA_EFAULT 14 /* a GPA outside the guest's memory, or misaligned */
#define VSVA_EINVAL 22 /* a malformed argument: bad size, nonzero reserved bytes */
#define VSVA_ENOSYS 38 /* unknown call number */

/* Capability flags (vsva_capabilities.flags) */
#define VSVA_CAP_EPT	   (1ull << 0) /* guest memory is translated by EPT */
#define VSVA_CAP_VPID	   (1ull << 1)
#define VSVA_CAP_EPT_1G	   (1ull << 2) /* the hypervisor maps with 1-GiB pages */
#define VSVA_CAP_IOMMU	   (1ull << 3) /* DMA goes through the hypervisor's VT-d tables */
#define VSVA_CAP_VSVA	   (1ull << 4) /* PASID bind calls exist (later versions) */
#define VSVA_CAP_PASID_XLT (1ull << 5) /* VMCS PASID translation */

/*
 * VSVA_HC_CAPABILITIES: the caller sets size = the bytes it provides (at least
 * VSVA_CAPABILITIES_SIZE_V1, at most 4096, the structure within one 4-KiB page of guest
 * RAM, 8-byte aligned) and zeroes the rest; the hypervisor fills the fields it knows and
 * writes back size = the bytes it filled.
 */
struct vsva_capabilities {
	uint32_t size;		  /* in: bytes provided; out: bytes filled */
	uint32_t abi_version;	  /* VSVA_ABI_VERSION */
	uint64_t flags;		  /* VSVA_CAP_* */
	uint32_t pasid_bits;	  /* PASID width the guest may use, 0 = none */
	uint32_t fl_levels;	  /* bitmap: bit 4 = 4-level, bit 5 = 5-level first-level tables */
	uint64_t page_sizes;	  /* bitmap of supported page sizes (bit n = 2^n bytes) */
	uint64_t guest_ram_bytes; /* RAM the guest owns */
	uint32_t nr_vcpus;
	uint32_t reserved;
};
#define VSVA_CAPABILITIES_SIZE_V1 48u

/*
 * VSVA_HC_STATISTICS: same size rules as capabilities. Counters since the guest started.
 * exits[n] counts VM exits of basic reason n (SDM Vol. 3D Appendix C).
 */
#define VSVA_STAT_EXIT_REASONS 66u
struct vsva_statistics {
	uint32_t size;
	uint32_t nr_exit_reasons; /* out: VSVA_STAT_EXIT_REASONS */
	uint64_t hypercalls;	  /* VMCALLs handled, this one included */
	uint64_t hypercall_errors;
	uint64_t exits_total;
	uint64_t exits[VSVA_STAT_EXIT_REASONS];
};
#define VSVA_STATISTICS_SIZE_V1 (32u + 8u * VSVA_STAT_EXIT_REASONS)

/* Guest entry (Multiboot2 path): see docs/hypercall-abi.md "Guest entry state". */
#define VSVA_GUEST_BOOT_MAGIC 0x56535641u /* "VSVA" in EAX at entry */
struct vsva_guest_boot {
	uint32_t size;	      /* sizeof(struct vsva_guest_boot) */
	uint32_t cmdline_len; /* bytes before the NUL */
	uint64_t cmdline_gpa; /* GPA of the NUL-terminated command line */
	uint64_t ram_bytes;   /* RAM the guest owns */
	uint64_t free_gpa;    /* first page after the image, cmdline and this struct */
};

#endif /* VSVA_HV_H */
