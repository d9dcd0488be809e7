/* SPDX-License-Identifier: MIT */
/* The test guest's virtual VT-d unit checks through real MMIO (guest/test/vvtd.c). */
#ifndef GUEST_TEST_VVTD_H
#define GUEST_TEST_VVTD_H

#include "guest/include/vsva_hv.h"

/*
 * guest_vvtd_checks() - find the DMAR through @boot->rsdp_gpa, drive the unit it names as
 * Linux's intel-iommu does (VER/CAP/ECAP, queued invalidation, scalable-mode root table,
 * global invalidations with a wait descriptor, TE, a PASID entry with this guest's own
 * first-level table on device 00:04.0 and its PASID-cache invalidation, a malformed
 * descriptor -> FSTS.IQE), its invalidation completion interrupt; then, with the platform's
 * test device 00:03.0 (VSVA_HC_PLATFORM_TEST, build/hv-model.elf) bound to guest PASID
 * 0x2a5 through the unit, a DMA fault on an unmapped GVA (fault event MSI, FRCD with the
 * guest's PASID, cleared) and a page request with LPIG (page request event MSI, the
 * descriptor at PQA, a page group response in the queue), printing TAP lines "ok N - guest: vvtd: ..." that continue
 * the numbering (guest/test/lib.h), and "# guest: bench: vvtd ..." figures (Bochs TSC ticks).
 * Without an RSDP (the hypervisor was not started with vvtd=on) it prints one comment
 * line and returns. Leaves the PASID entry installed for the model's confirmation.
 */
void guest_vvtd_checks(const struct vsva_guest_boot *boot);

#endif /* GUEST_TEST_VVTD_H */
