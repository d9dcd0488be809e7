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

/*
 * hypercall_guest_struct() - validate a size-prefixed guest structure at GPA @gpa: 8-byte
 * aligned guest RAM; its size field at least @known_min and at most 4096 bytes; every
 * byte guest RAM; the bytes from @known to size zero (pass @known >= 4096 to check them
 * yourself). Returns the host pointer (read it once: copy in before validating the
 * fields, another vCPU may change it) and *@size, or NULL with *@err = -VSVA_EINVAL or
 * -VSVA_EFAULT.
 */
void *hypercall_guest_struct(struct vcpu *v, gpa_t gpa, uint32_t known_min, uint32_t known,
			     uint32_t *size, int64_t *err);

/*
 * The vSVA calls (VSVA_HC_PASID_ALLOC .. VSVA_HC_TRANSLATE) and the vSVA parts of the
 * capabilities and statistics, in hv/vsva_hc.c. Hosted builds without the vSVA core
 * link tests/unit/support/vsva_hc_stub.c instead: -VSVA_ENODEV, nothing added.
 */
int64_t vsva_hypercall(struct vcpu *v, const struct hypercall_args *a);
struct vsva_capabilities_v2;
struct vsva_statistics_v2;
void vsva_hc_caps(struct vcpu *v, struct vsva_capabilities_v2 *c);
void vsva_hc_stats(struct vcpu *v, struct vsva_statistics_v2 *s);

#endif /* HV_HYPERCALL_H */
