/* SPDX-License-Identifier: MIT */
/*
 * The hypercall dispatcher (guest/include/vsva_hv.h, docs/hypercall-abi.md): VMCALL with
 * RAX = number, RBX, RCX, RDX, RSI = arguments; the result in RAX. Portable: guest
 * memory is reached through the guest map and hpa_to_hva(), so unit tests drive it.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "hv/vcpu.h"

struct hypercall_args {
	uint64_t nr;		 /* RAX */
	uint64_t a0, a1, a2, a3; /* RBX, RCX, RDX, RSI */
};

/*
 * hypercall_dispatch() - run one hypercall for @v. Every argument is validated before
 * anything changes; guest pointers are GPAs checked against @v->vm->map (RAM only),
 * never trusted. Returns the value for the guest's RAX: >= 0 on success, -VSVA_ENOSYS
 * for an unknown number, -VSVA_EINVAL for a malformed argument, -VSVA_EFAULT for a GPA
 * that is not guest RAM. Counts the call (and its error) in @v's statistics.
 */
int64_t hypercall_dispatch(struct vcpu *v, const struct hypercall_args *a);

#endif /* HV_HYPERCALL_H */
