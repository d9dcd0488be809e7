// SPDX-License-Identifier: MIT
/*
 * The vSVA hypercall entry points (hv/vsva_hc.h) for the hosted builds that test
 * hv/hypercall.c without the vSVA core (the core-only unit tests, the hypercall
 * fuzzer): a guest without vSVA, as the hypervisor answers when no VT-d unit is up.
 * In an archive, so builds that link hv/vsva_hc.c never pull it in.
 */
#include "guest/include/vsva_hv.h"
#include "hv/hypercall.h"

int64_t vsva_hypercall(struct vcpu *v, const struct hypercall_args *a)
{
	(void)v;
	(void)a;
	return -VSVA_ENODEV;
}

void vsva_hc_caps(struct vcpu *v, struct vsva_capabilities_v2 *c)
{
	(void)v;
	(void)c;
}

void vsva_hc_stats(struct vcpu *v, struct vsva_statistics_v2 *s)
{
	(void)v;
	(void)s;
}
