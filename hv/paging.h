/* SPDX-License-Identifier: MIT */
/* The host's page tables: the core's own address space (SDM Vol. 3A, 4.5 4-level paging). */
#ifndef HV_PAGING_H
#define HV_PAGING_H

#include "hv/boot_info.h"
#include "hv/types.h"

struct host_paging_info {
	hpa_t pml4;		 /* HPA of the PML4: the host CR3 */
	uint64_t table_frames;	 /* 4-KiB frames used by the tables */
	uint64_t identity_bytes; /* bytes of physical memory mapped 1:1 */
	bool gbpages;		 /* 1-GiB pages used (CPUID.80000001H:EDX[26]) */
	bool nx;		 /* execute-disable used (EFER.NXE already set) */
};

/*
 * paging_init() - build the host page tables and switch CR3 to them.
 * Maps [0, 4 GiB) and every range of @bi's memory map 1:1 (largest pages that fit;
 * frame 0 left out so that a NULL dereference faults), and the core's image at
 * HV_IMAGE_VBASE with 4-KiB pages: .text read-execute, .rodata read-only, data and
 * .bss read-write and (when EFER.NXE is on) non-executable.
 * Tables come from the host frame pool. Returns 0, or -ENOMEM (CR3 unchanged).
 */
int paging_init(const struct boot_info *bi, struct host_paging_info *info);

#endif /* HV_PAGING_H */
