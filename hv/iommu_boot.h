/* SPDX-License-Identifier: MIT */
/*
 * hv/iommu_boot.h - the VT-d boot integration (design.md "Data that flows"): DMAR ->
 * units -> one DMA domain for the platform guest, whose tables map the guest memory map
 * (hv/guest_map.h) identity GPA = HPA, the hypervisor's image and pool absent -> every
 * device in every unit's scope attached to it -> translation on.
 *
 * The platform part (iommu_platform_*) is portable: it reaches units and memory only
 * through the driver (iommu/) and PCI only through struct iommu_pci_ops, so the hosted
 * tests run it over the VT-d model. iommu_boot() is the core's stage.
 */
#ifndef HV_IOMMU_BOOT_H
#define HV_IOMMU_BOOT_H

#include "hv/acpi.h"
#include "hv/boot_info.h"
#include "hv/guest_map.h"
#include "hv/pci.h"
#include "iommu/dmar.h"
#include "iommu/fault.h"
#include "iommu/flpt.h"
#include "iommu/pasid.h"
#include "iommu/prq.h"
#include "iommu/slpt.h"
#include "iommu/vtd.h"

#define IOMMU_MAX_DEVICES  256u
#define IOMMU_PLATFORM_DID 1u /* the platform guest's domain (DID 0 is reserved with CM) */
#define IOMMU_RID_PASID	   0u /* the PASID of requests without PASID (scalable mode) */

/* One device attached to the platform domain. */
struct iommu_device {
	uint16_t sid;		  /* bus:dev.fn */
	uint8_t unit;		  /* index into iommu_platform.unit[] */
	struct vtd_pasid_dir dir; /* scalable: its PASID directory (RID_PASID entry) */
};

/*
 * A test-only device operation (VSVA_HC_PLATFORM_TEST, docs/hypercall-abi.md): what a
 * platform whose devices are simulated (build/hv-model.elf: the VT-d reference model)
 * makes device @sid do. Real platforms have none (struct iommu_platform.test NULL).
 */
enum iommu_test_op {
	IOMMU_TEST_DMA_READ = 1,  /* an 8-byte DMA read at @addr */
	IOMMU_TEST_DMA_WRITE = 2, /* an 8-byte DMA write at @addr */
	IOMMU_TEST_PAGE_REQ = 3,  /* a page request (VT-d §7.5.1) for the page of @addr */
};

struct iommu_test_req {
	uint8_t op; /* enum iommu_test_op */
	uint16_t sid;
	bool pasid_present;
	uint32_t pasid; /* HOST PASID (the caller translated the guest's) */
	uint64_t addr;	/* input address: GVA with a PASID, else IOVA (= GPA) */
	bool write;	/* page request: write access requested (else read) */
	bool lpig;	/* page request: last page in group */
	uint16_t prgi;	/* page request: group index, 9 bits */
};

struct iommu_platform;
/*
 * Returns 0 (DMA translated and done; page request queued), a VT-d fault reason > 0
 * (the DMA faulted: §7.1.3, recorded by the unit unless FPD), or a negative errno
 * (-ENOSPC: the page request queue is full; -ENODEV: no such device or no queue).
 */
typedef int (*iommu_test_fn)(struct iommu_platform *p, const struct iommu_test_req *r);

/* What kind of tables a unit's copy of the platform domain uses. */
enum iommu_domain_kind {
	IOMMU_DOM_SL = 0, /* second level: legacy, or scalable PGTT 010b */
	IOMMU_DOM_FL = 1, /* first level (scalable PGTT 001b): units with FLTS and no SLTS */
};

struct iommu_platform {
	unsigned int nunits;
	struct vtd_unit unit[VTD_DMAR_MAX_DRHD];
	uint8_t kind[VTD_DMAR_MAX_DRHD]; /* enum iommu_domain_kind per unit */
	struct vtd_slpt sl[VTD_DMAR_MAX_DRHD];
	struct vtd_flpt fl[VTD_DMAR_MAX_DRHD];
	uint16_t did;
	unsigned int ndev;
	struct iommu_device dev[IOMMU_MAX_DEVICES];
	unsigned int dropped;	 /* devices beyond IOMMU_MAX_DEVICES or failed to attach */
	unsigned int rmrr_pages; /* RMRR pages mapped that the guest map lacked */
	uint64_t faults;	 /* fault records processed by iommu_platform_poll_faults() */
	/* Page request queues (VT-d §7.5) of the units with ECAP.PRS, by unit index; .u NULL
	 * while none (iommu_platform_enable_prq()). */
	struct vtd_prq prq[VTD_DMAR_MAX_DRHD];
	uint64_t page_requests; /* handed on by iommu_platform_poll_prq() */
	iommu_test_fn test;	/* test-only device operations, NULL on hardware */
};

/* What the platform code needs from its embedder (the core: hv/pci.c, boot_info). */
struct iommu_platform_ops {
	/* every function present on segment 0; returns how many */
	unsigned int (*enumerate)(pci_visit_fn fn, void *ctx);
	vtd_pci_read8_fn read8; /* bridges' secondary/subordinate bus numbers */
	/* true when HPA page @hpa is the hypervisor's (an RMRR there is refused) */
	bool (*hv_owns)(hpa_t hpa);
};

/*
 * iommu_platform_init() - bring up every DRHD of @dmar (register page reached through
 * @reg_base[i], what iommu_env_mmio_*() take; 0 skips the unit), build the platform
 * domain (DID IOMMU_PLATFORM_DID) from @m: every RAM and MMIO range of the guest map
 * mapped identity (GPA = IOVA = HPA) read-write, the units' own register pages unmapped,
 * each RMRR identity-mapped where the map lacks it (VT-d §8.4; never over a page
 * @ops->hv_owns); attach every device of
 * every unit's scope (endpoints, the buses under a bridge scope, and under
 * INCLUDE_PCI_ALL every function @ops enumerates that no other unit claims): legacy
 * context entries (§9.3), or scalable context entries with the RID_PASID entry (§9.4,
 * §9.6: PGTT SL, or FL on FL-only units); then set GCMD.TE.
 * A unit that fails to come up is logged and left out; a device that fails to attach is
 * logged and counted in p->dropped.
 * Returns 0 when at least one unit translates; -ENODEV when none came up; -ENOMEM.
 */
int iommu_platform_init(struct iommu_platform *p, const struct vtd_dmar_info *dmar,
			const uintptr_t *reg_base, const struct guest_map *m,
			const struct iommu_platform_ops *ops);

/* iommu_platform_device() - the attached device @sid, or NULL. */
struct iommu_device *iommu_platform_device(struct iommu_platform *p, uint16_t sid);

/* iommu_platform_table_frames() - 4-KiB frames of the domain's page tables, all units. */
uint64_t iommu_platform_table_frames(const struct iommu_platform *p);

/*
 * iommu_domain_map() / iommu_domain_unmap() - change the platform domain's mapping of
 * IOVAs [@iova, @iova + @size) (bytes, 4-KiB aligned) on unit @unit to HPA @hpa with
 * @prot (VTD_SL_R/W). Tables only: no invalidation (see iommu_domain_flush()).
 * Returns the table code's result (-EINVAL, -EEXIST, -ENOMEM).
 */
int iommu_domain_map(struct iommu_platform *p, unsigned int unit, iova_t iova, hpa_t hpa,
		     uint64_t size, uint64_t prot);
int iommu_domain_unmap(struct iommu_platform *p, unsigned int unit, iova_t iova, uint64_t size);

/*
 * iommu_domain_flush() - invalidate the platform domain's cached translations of
 * [@iova, @iova + @pages * 4 KiB) on unit @unit: page-selective IOTLB for SL (§6.5.2.3),
 * P_IOTLB of RID_PASID for FL (§6.5.2.4). Returns vtd_flush_after_change()'s result.
 */
int iommu_domain_flush(struct iommu_platform *p, unsigned int unit, iova_t iova, uint64_t pages);

/*
 * iommu_platform_poll_faults() - drain every unit's primary fault log (no interrupts:
 * polled, VT-d §7.2.1), each record logged decoded by iommu/fault.c and passed to @fn
 * (may be NULL). Returns the number of records.
 */
int iommu_platform_poll_faults(struct iommu_platform *p, vtd_fault_fn fn, void *ctx);

/*
 * iommu_platform_enable_prq() - a page request queue of 2^@order 4-KiB frames
 * (vtd_prq_enable()) on every unit that reports ECAP.PRS in scalable mode. Its page
 * request event stays masked (VT-d §11.4.11.5 PECTL.IM): the hypervisor polls
 * (iommu_platform_poll_prq()), as it does the fault log. A unit whose queue cannot be
 * enabled is logged and left without (its devices' page requests are then answered by
 * the unit as if dropped, §7.5.1). Returns the number of units with a queue (>= 0).
 */
int iommu_platform_enable_prq(struct iommu_platform *p, unsigned int order);

/*
 * iommu_platform_poll_prq() - drain every enabled page request queue (vtd_prq_drain(),
 * §7.5.1), each page request passed to @fn with @ctx (e.g. vsva_prq_route() and its
 * router). Returns the number of page requests handed on (>= 0); queues that read back
 * out of range (-EIO) are skipped (vtd_prq_drain() logged it).
 */
int iommu_platform_poll_prq(struct iommu_platform *p, vtd_prq_fn fn, void *ctx);

#ifndef HV_HOSTED
/*
 * iommu_boot() - the core's iommu stage: find the DMAR in @acpi, parse it (PCI paths
 * through hv/pci.c), build the guest map from @bi, iommu_platform_init(), log
 *   "hv: stage iommu: N units (scalable|legacy), M devices, domain DID d, SL tables T frames"
 * run the DMA self-tests the command line asks for (selftest=dma, selftest=diff), and
 * poll the fault registers, and enable the page request queues
 * (iommu_platform_enable_prq()). Without a DMAR (Bochs) it says so and does nothing.
 * Returns 0, or the error that left VT-d off (logged).
 */
int iommu_boot(const struct acpi_info *acpi, const struct boot_info *bi);

/* iommu_boot_platform() - the platform state after iommu_boot(), or NULL. */
struct iommu_platform *iommu_boot_platform(void);
#endif

#endif /* HV_IOMMU_BOOT_H */
