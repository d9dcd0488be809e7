/* SPDX-License-Identifier: MIT */
/*
 * hv/vsva_selftest.h - selftest=vsva: software nesting (hv/vsva_shadow.h) proven with
 * QEMU's edu device on a unit with first-level translation and no nesting (QEMU 10,
 * x-scalable-mode=on,x-flts=on,aw-bits=48,x-pasid-mode=on). There is no VMX under TCG,
 * so the test calls the same vSVA functions the hypercall handler calls (hv/vsva.h) for
 * a fake guest whose memory is host-pool frames (its own guest map, GPA = HPA, and its
 * own GPA -> HPA first-level table). edu sends no PASID, so the guest's table is bound
 * to its requests without PASID (vsva_rid_bind(): the RID_PASID entry); edu's platform
 * entry is restored after.
 *
 * Prints one line per check, "vsva: ok - ..." or "vsva: FAIL - ...", then
 * "vsva: N passed, M failed".
 */
#ifndef HV_VSVA_SELFTEST_H
#define HV_VSVA_SELFTEST_H

#include "hv/iommu_boot.h"

/*
 * vsva_selftest_run() - run the checks on platform @p (after iommu_platform_init()).
 * Takes frames from the host pool and gives them back; edu's RID_PASID entry is the
 * platform's again at the end (VT-d §9.6, AW 48-bit). Cannot fail: failures are lines.
 */
void vsva_selftest_run(struct iommu_platform *p);

#endif /* HV_VSVA_SELFTEST_H */
