/* SPDX-License-Identifier: MIT */
/* The test guest's vSVA checks through VMCALL (guest/test/vsva.c). */
#ifndef GUEST_TEST_VSVA_H
#define GUEST_TEST_VSVA_H

/*
 * guest_vsva_checks() - run the vSVA flow through hypercalls, printing TAP lines
 * "ok N - guest: vsva: ..." that continue the numbering (guest/test/lib.h), and "# guest: bench: vsva ..." figures (Bochs TSC ticks).
 * Without vSVA (capabilities lack VSVA_CAP_VSVA: hv.elf on Bochs) it checks that the
 * calls say -ENODEV and stops. Leaves one shared PASID bound on device 00:03.0 so that
 * the hypervisor's model can confirm a live nested entry at the guest's end.
 */
void guest_vsva_checks(void);

#endif /* GUEST_TEST_VSVA_H */
