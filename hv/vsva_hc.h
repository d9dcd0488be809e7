/* SPDX-License-Identifier: MIT */
/*
 * hv/vsva_hc.h - which vSVA state (hv/vsva.h) serves which VM's hypercalls
 * (hv/vsva_hc.c). The boot integration registers each VM's state once.
 */
#ifndef HV_VSVA_HC_H
#define HV_VSVA_HC_H

#include "hv/vcpu.h"
#include "hv/vsva.h"

/*
 * vsva_hc_register() - the vSVA calls of @vm go to @g from now on (@g NULL: the VM
 * has no vSVA; its calls return -VSVA_ENODEV). Returns 0 or -VSVA_ENOSPC (8 VMs).
 */
int vsva_hc_register(const struct vm *vm, struct vsva_guest *g);

/* vsva_hc_guest() - the vSVA state of @vm, or NULL. */
struct vsva_guest *vsva_hc_guest(const struct vm *vm);

#endif /* HV_VSVA_HC_H */
