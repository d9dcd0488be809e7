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
#define VSVA_ABI_MINOR	 1u
#define VSVA_ABI_VERSION ((VSVA_ABI_MAJOR << 16) | VSVA_ABI_MINOR)

/* Call numbers (RAX) */
enum vsva_hcall {
	VSVA_HC_NULL = 0,	  /* no arguments; returns 0. For round-trip timing. */
	VSVA_HC_VERSION = 1,	  /* returns VSVA_ABI_VERSION (non-negative) */
	VSVA_HC_CAPABILITIES = 2, /* RBX = GPA of struct vsva_capabilities */
	VSVA_HC_STATISTICS = 3,	  /* RBX = GPA of struct vsva_statistics */
	VSVA_HC_GPA_PROBE = 4,	  /* RBX = GPA; returns 1 guest RAM, 2 MMIO, 0 absent */
	/* vSVA (ABI 1.1). A device is named by VSVA_DEVICE(segment, bus, devfn). */
	VSVA_HC_PASID_ALLOC = 5,   /* RBX = VSVA_PASID_*, RCX = guest PASID wanted (0: any);
				    * returns the guest PASID (> 0) */
	VSVA_HC_PASID_FREE = 6,	   /* RBX = guest PASID; tears down its bindings first */
	VSVA_HC_DEVICE_ATTACH = 7, /* RBX = device, RCX = 0 (flags): authorize PASID use */
	VSVA_HC_DEVICE_DETACH = 8, /* RBX = device; tears down its bindings first */
	VSVA_HC_BIND = 9,	   /* RBX = GPA of struct vsva_bind */
	VSVA_HC_UNBIND = 10,	   /* RBX = device, RCX = guest PASID */
	VSVA_HC_INVALIDATE = 11,   /* RBX = GPA of struct vsva_invalidate */
	VSVA_HC_TRANSLATE = 12,	   /* RBX = GPA of struct vsva_translate */
	VSVA_HC_COUNT = 13,	   /* first unassigned number */
	/*
	 * Test only, outside the numbered calls: make a simulated device of the platform do
	 * a DMA or send a page request (VSVA_TEST_*). Only build/hv-model.elf (the VT-d
	 * reference model as the platform) has such devices; every other image returns
	 * -VSVA_ENOSYS, as for an unassigned number.
	 */
	VSVA_HC_PLATFORM_TEST = 0x100,
};

/*
 * VSVA_HC_PLATFORM_TEST: RBX = operation and flags, RCX = device (VSVA_DEVICE()),
 * RDX = guest PASID bound on the device (VSVA_TEST_NO_PASID: a request without PASID),
 * RSI = input address (GVA with a PASID, else GPA). The hypervisor translates the guest
 * PASID to its host PASID as vSVA does for every request. Returns 0 (DMA done / page
 * request queued on the physical unit), a VT-d fault reason > 0 (the DMA faulted; the
 * physical unit recorded it), -EINVAL (reserved bits, PASID beyond 20 bits),
 * -ENODEV (not the guest's device), -ENOENT (PASID not bound on the device), -ENOSPC
 * (the physical page request queue is full), -ENOSYS (no test devices on this image).
 */
#define VSVA_TEST_DMA_READ   1u /* an 8-byte DMA read at RSI */
#define VSVA_TEST_DMA_WRITE  2u /* an 8-byte DMA write of VSVA_TEST_PATTERN at RSI */
#define VSVA_TEST_PAGE_REQ   3u /* a page request (VT-d 7.5.1) for the page of RSI */
#define VSVA_TEST_OP_MASK    0xffu
#define VSVA_TEST_LPIG	     (1u << 8) /* page request: last page in group */
#define VSVA_TEST_WRITE	     (1u << 9) /* page request: write access (else read) */
#define VSVA_TEST_PRGI(n)    (((uint32_t)(n)&0x1ff) << 16) /* page request group index */
#define VSVA_TEST_PRGI_OF(r) (((r) >> 16) & 0x1ff)
#define VSVA_TEST_RESERVED \
	(~(uint64_t)(VSVA_TEST_OP_MASK | VSVA_TEST_LPIG | VSVA_TEST_WRITE | VSVA_TEST_PRGI(0x1ff)))
#define VSVA_TEST_NO_PASID 0xffffffffu
#define VSVA_TEST_PATTERN  0x5453455444534956ull /* "VISDTEST" */

/* A PCI function: segment in bits 31:16, bus 15:8, device 7:3, function 2:0. */
#define VSVA_DEVICE(seg, bus, devfn)                                        \
	((((uint32_t)(seg)&0xffff) << 16) | (((uint32_t)(bus)&0xff) << 8) | \
	 ((uint32_t)(devfn)&0xff))

/* PASID kinds (VSVA_HC_PASID_ALLOC RBX) */
#define VSVA_PASID_RID_LOCAL 0u /* the host uses the same number, per device */
#define VSVA_PASID_SHARED    1u /* a host PASID behind it (ENQCMD: VMCS PASID translation) */

/* Errors (negated in RAX), Linux's numbers */
#define VSVA_EPERM	1  /* the PASID or device belongs to another guest */
#define VSVA_ENOENT	2  /* no such binding / PASID not allocated / device not attached */
#define VSVA_EIO	5  /* the hardware refused (an invalidation error) */
#define VSVA_ENOMEM	12 /* the hypervisor ran out of table memory */
#define VSVA_EFAULT	14 /* a GPA outside the guest's memory, or misaligned */
#define VSVA_EBUSY	16 /* already bound / attached / allocated */
#define VSVA_ENODEV	19 /* no such device for this guest, or no vSVA on this machine */
#define VSVA_EINVAL	22 /* a malformed argument: bad size, nonzero reserved bytes */
#define VSVA_ENOSPC	28 /* no PASID or device slot left */
#define VSVA_ENOSYS	38 /* unknown call number */
#define VSVA_EOPNOTSUPP 95 /* the hardware lacks the feature (see capabilities) */

/* Capability flags (vsva_capabilities.flags) */
#define VSVA_CAP_EPT	   (1ull << 0) /* guest memory is translated by EPT */
#define VSVA_CAP_VPID	   (1ull << 1)
#define VSVA_CAP_EPT_1G	   (1ull << 2)	/* the hypervisor maps with 1-GiB pages */
#define VSVA_CAP_IOMMU	   (1ull << 3)	/* DMA goes through the hypervisor's VT-d tables */
#define VSVA_CAP_VSVA	   (1ull << 4)	/* the vSVA calls (5-12) work on this machine */
#define VSVA_CAP_PASID_XLT (1ull << 5)	/* VMCS PASID translation is active (ENQCMD) */
#define VSVA_CAP_NEST_HW   (1ull << 6)	/* bind uses hardware nesting (VT-d ECAP.NEST) */
#define VSVA_CAP_NEST_SW   (1ull << 7)	/* bind uses software nesting (shadow FL tables) */
#define VSVA_CAP_SHARED	   (1ull << 8)	/* VSVA_PASID_SHARED can be allocated */
#define VSVA_CAP_SRE	   (1ull << 9)	/* VSVA_BIND_SRE allowed (ECAP.SRS) */
#define VSVA_CAP_EAFE	   (1ull << 10) /* VSVA_BIND_EAFE allowed (ECAP.EAFS) */

/*
 * VSVA_HC_CAPABILITIES: the caller sets size = the bytes it provides (at least
 * VSVA_CAPABILITIES_SIZE_V1, at most 4096, the structure within one 4-KiB page of guest
 * RAM, 8-byte aligned) and zeroes the rest; the hypervisor fills the fields it knows and
 * writes back size = the bytes it filled (V1 or V2, see struct vsva_capabilities_v2).
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
 * ABI 1.1: the same call fills this larger structure (the V1 one, then the vSVA fields)
 * when size is at least VSVA_CAPABILITIES_SIZE_V2. The hypervisor fills the largest
 * version that fits the size given and writes that version's size back. Every byte
 * after size is output, and must be zero on input.
 */
struct vsva_capabilities_v2 {
	struct vsva_capabilities v1;
	uint32_t rid_local_first; /* guest PASIDs VSVA_PASID_RID_LOCAL allocates from */
	uint32_t rid_local_last;  /* (inclusive; first > last: none) */
	uint32_t shared_first;	  /* guest PASIDs VSVA_PASID_SHARED allocates from */
	uint32_t shared_last;
	uint32_t inv_types;	/* bit n: VSVA_INV_* type n accepted */
	uint32_t inv_batch_max; /* most requests in one VSVA_HC_INVALIDATE (>= 32) */
	uint64_t fl_page_sizes; /* first-level leaf sizes the IOMMU walks (bit n = 2^n) */
	uint32_t max_devices;	/* devices one guest may attach */
	uint32_t max_pasids;	/* PASIDs one guest may hold */
	uint32_t nr_ranges;	/* valid entries of ranges[] */
	uint32_t reserved2;
	struct {
		uint64_t first, last; /* permitted input addresses (GVA/IOVA), inclusive */
	} ranges[4];
};
#define VSVA_CAPABILITIES_SIZE_V2 160u

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

/* ABI 1.1: the V1 statistics, then the vSVA counters of the guest (rules as above). */
struct vsva_statistics_v2 {
	struct vsva_statistics v1;
	uint64_t vsva_binds;	       /* successful VSVA_HC_BIND */
	uint64_t vsva_unbinds;	       /* bindings torn down (unbind, free, detach) */
	uint64_t vsva_inv_batches;     /* VSVA_HC_INVALIDATE calls that succeeded */
	uint64_t vsva_inv_requests;    /* requests in them */
	uint64_t vsva_inv_descriptors; /* queue descriptors they became (waits excluded) */
	uint64_t vsva_faults_dropped;  /* faults of freed (defunct) PASIDs dropped */
	uint64_t vsva_pasids;	       /* PASIDs held now */
	uint64_t vsva_devices;	       /* devices attached now */
};
#define VSVA_STATISTICS_SIZE_V2 (VSVA_STATISTICS_SIZE_V1 + 64u)

/*
 * VSVA_HC_BIND: let @device's DMA with guest PASID @pasid translate through the guest's
 * first-level (x86 paging) tables rooted at GPA @flptr (GVA -> GPA), nested over the
 * hypervisor's second level (GPA -> HPA). The device must be attached and the PASID
 * the guest's. Size rules as capabilities (V1: 40 bytes).
 */
#define VSVA_BIND_SRE  (1u << 0) /* supervisor requests allowed (VSVA_CAP_SRE) */
#define VSVA_BIND_WPE  (1u << 1) /* write protect applies to supervisor requests */
#define VSVA_BIND_EAFE (1u << 2) /* set the extended-accessed flag (VSVA_CAP_EAFE) */
struct vsva_bind {
	uint32_t size;
	uint32_t pasid;		/* guest PASID */
	uint32_t device;	/* VSVA_DEVICE() */
	uint32_t flags;		/* VSVA_BIND_* */
	uint64_t flptr;		/* GPA of the first-level root table, 4-KiB aligned */
	uint32_t paging_levels; /* 4 or 5 (5 needs bit 5 of capabilities.fl_levels) */
	uint32_t addr_width;	/* 0, or 48 (4-level) / 57 (5-level): must match */
	uint64_t reserved;	/* 0 */
};
#define VSVA_BIND_SIZE_V1 40u

/*
 * VSVA_HC_INVALIDATE: a batch of 1..inv_batch_max requests, carried out as ONE
 * invalidation-queue submission. The structure is 16 + 32 * count bytes (size may be
 * larger, the rest zero). Every request names an attached device and a PASID of the
 * guest; requests for a PASID not bound on that device have nothing to flush.
 */
enum vsva_inv_type {
	VSVA_INV_PASID_CACHE = 1, /* the PASID-cache entry of (device, PASID) */
	VSVA_INV_IOTLB = 2,	  /* PASID-based IOTLB: whole PASID, or a range */
	VSVA_INV_DEVTLB = 3,	  /* the device's TLB (ATS): whole PASID, or a range */
};
#define VSVA_INV_TYPES_V1 \
	((1u << VSVA_INV_PASID_CACHE) | (1u << VSVA_INV_IOTLB) | (1u << VSVA_INV_DEVTLB))
#define VSVA_INV_IH (1u << 0) /* flags: only leaf entries changed (IOTLB) */
struct vsva_inv_req {
	uint16_t type;	   /* enum vsva_inv_type */
	uint16_t flags;	   /* VSVA_INV_IH */
	uint32_t pasid;	   /* guest PASID */
	uint32_t device;   /* VSVA_DEVICE() */
	uint32_t reserved; /* 0 */
	uint64_t addr;	   /* first GVA/IOVA of the range, 4-KiB aligned (pages != 0) */
	uint64_t pages;	   /* 4-KiB pages; 0: everything of the PASID */
};
#define VSVA_INV_BATCH_MAX 64u
struct vsva_invalidate {
	uint32_t size;
	uint32_t count;	   /* requests that follow, 1..VSVA_INV_BATCH_MAX */
	uint64_t reserved; /* 0 */
	struct vsva_inv_req req[];
};
#define VSVA_INVALIDATE_SIZE(n) (16u + 32u * (n))

/*
 * VSVA_HC_TRANSLATE: walk @addr of (device, PASID) as the IOMMU would through what is
 * bound (debugging): the guest's first level, then the hypervisor's second level.
 * In: size, pasid, device, addr. Out (on 0): status and the rest. V1: 64 bytes.
 */
enum vsva_xlate_status {
	VSVA_XLATE_OK = 0,	   /* gpa, hpa, page_size, perms valid */
	VSVA_XLATE_FL_NOT_PRESENT, /* a first-level entry at @level is not present */
	VSVA_XLATE_FL_BAD_TABLE,   /* a first-level table at @level is not guest RAM */
	VSVA_XLATE_SL_NOT_MAPPED,  /* the final GPA is not mapped by the second level */
	VSVA_XLATE_NOT_CANONICAL,  /* @addr is outside the permitted ranges */
};
#define VSVA_XLATE_R (1u << 0)
#define VSVA_XLATE_W (1u << 1)
#define VSVA_XLATE_U (1u << 2) /* user-accessible at every level */
#define VSVA_XLATE_X (1u << 3) /* executable (no XD at any level) */
struct vsva_translate {
	uint32_t size;
	uint32_t pasid;	    /* in: guest PASID */
	uint32_t device;    /* in: VSVA_DEVICE() */
	uint32_t reserved;  /* in: 0 */
	uint64_t addr;	    /* in: GVA / IOVA */
	uint64_t gpa;	    /* out */
	uint64_t hpa;	    /* out */
	uint64_t page_size; /* out: bytes of the first-level page */
	uint32_t perms;	    /* out: VSVA_XLATE_* */
	uint32_t status;    /* out: enum vsva_xlate_status */
	uint32_t level;	    /* out: where the walk stopped (4/5 = root ... 1 = PTE) */
	uint32_t reserved2;
};
#define VSVA_TRANSLATE_SIZE_V1 64u

/* Guest entry (Multiboot2 path): see docs/hypercall-abi.md "Guest entry state". */
#define VSVA_GUEST_BOOT_MAGIC 0x56535641u /* "VSVA" in EAX at entry */
struct vsva_guest_boot {
	uint32_t size;	      /* sizeof(struct vsva_guest_boot) */
	uint32_t cmdline_len; /* bytes before the NUL */
	uint64_t cmdline_gpa; /* GPA of the NUL-terminated command line */
	uint64_t ram_bytes;   /* RAM the guest owns */
	uint64_t free_gpa;    /* first page after the image, cmdline and this struct */
	uint64_t rsdp_gpa;    /* GPA of the guest's ACPI RSDP (DMAR of the virtual VT-d
			       * unit, hv/acpi_guest.h), 0 = none */
};

#endif /* VSVA_HV_H */
