// SPDX-License-Identifier: MIT
/*
 * hv/vsva_hc.c - the vSVA hypercalls (guest/include/vsva_hv.h, docs/hypercall-abi.md):
 * register decoding, guest structures validated through the guest map and copied in
 * before any field is looked at (another vCPU may change guest memory meanwhile), then
 * hv/vsva.c; results copied out only on success.
 */
#include <string.h>

#include "hv/hypercall.h"
#include "hv/vsva.h"
#include "hv/vsva_hc.h"

#define VSVA_HC_VMS 8u

/* Which vSVA state serves which VM (set up once at boot). */
static struct {
	const struct vm *vm;
	struct vsva_guest *g;
} vsva_hc_vms[VSVA_HC_VMS];

int vsva_hc_register(const struct vm *vm, struct vsva_guest *g)
{
	unsigned int i, free = VSVA_HC_VMS;

	for (i = 0; i < VSVA_HC_VMS; i++) {
		if (vsva_hc_vms[i].vm == vm)
			break;
		if (!vsva_hc_vms[i].vm && free == VSVA_HC_VMS)
			free = i;
	}
	if (i == VSVA_HC_VMS)
		i = free;
	if (i == VSVA_HC_VMS)
		return g ? -VSVA_ENOSPC : 0;
	vsva_hc_vms[i].vm = g ? vm : NULL;
	vsva_hc_vms[i].g = g;
	return 0;
}

struct vsva_guest *vsva_hc_guest(const struct vm *vm)
{
	for (unsigned int i = 0; i < VSVA_HC_VMS; i++)
		if (vsva_hc_vms[i].vm == vm)
			return vsva_hc_vms[i].g;
	return NULL;
}

void vsva_hc_caps(struct vcpu *v, struct vsva_capabilities_v2 *c)
{
	struct vsva_guest *g = vsva_hc_guest(v->vm);

	if (g)
		vsva_caps(g, c);
}

void vsva_hc_stats(struct vcpu *v, struct vsva_statistics_v2 *s)
{
	struct vsva_guest *g = vsva_hc_guest(v->vm);

	if (g)
		vsva_stats(g, s);
}

/* A register holding a device (VSVA_DEVICE()) or a PASID: nothing above bit 31. */
static bool reg32(uint64_t r)
{
	return (r >> 32) == 0;
}

/* Copy a size-prefixed structure in: *@p the guest's copy, @buf ours (@len bytes). */
static int64_t copy_in(struct vcpu *v, gpa_t gpa, uint32_t v1, void *buf, size_t len, void **p)
{
	uint32_t size;
	int64_t err;
	void *g = hypercall_guest_struct(v, gpa, v1, (uint32_t)len, &size, &err);

	if (!g)
		return err;
	memset(buf, 0, len);
	memcpy(buf, g, MIN((size_t)size, len));
	*p = g;
	return 0;
}

static int64_t hc_bind(struct vcpu *v, struct vsva_guest *g, gpa_t gpa)
{
	struct vsva_bind b;
	void *p = NULL;
	int64_t err = copy_in(v, gpa, VSVA_BIND_SIZE_V1, &b, sizeof(b), &p);

	if (err)
		return err;
	return vsva_bind(g, &b);
}

static int64_t hc_translate(struct vcpu *v, struct vsva_guest *g, gpa_t gpa)
{
	struct vsva_translate t;
	void *p = NULL;
	int64_t err = copy_in(v, gpa, VSVA_TRANSLATE_SIZE_V1, &t, sizeof(t), &p);

	if (err)
		return err;
	err = vsva_translate(g, &t);
	if (err)
		return err;
	t.size = sizeof(t);
	memcpy(p, &t, sizeof(t));
	return 0;
}

static int64_t hc_invalidate(struct vcpu *v, struct vsva_guest *g, gpa_t gpa)
{
	static struct vsva_inv_req
		req[VSVA_INV_BATCH_MAX]; /* hv stack is small; one vCPU at a time */
	const uint8_t *p;
	uint32_t size, count;
	int64_t err;

	p = hypercall_guest_struct(v, gpa, VSVA_INVALIDATE_SIZE(1), UINT32_MAX, &size, &err);
	if (!p)
		return err;
	memcpy(&count, p + 4, sizeof(count));
	if (count == 0 || count > VSVA_INV_BATCH_MAX || size < VSVA_INVALIDATE_SIZE(count))
		return -VSVA_EINVAL;
	for (uint32_t i = 8; i < 16; i++) /* reserved */
		if (p[i])
			return -VSVA_EINVAL;
	for (uint32_t i = VSVA_INVALIDATE_SIZE(count); i < size; i++)
		if (p[i])
			return -VSVA_EINVAL;
	memcpy(req, p + 16, count * sizeof(req[0]));
	return vsva_invalidate(g, req, count);
}

int64_t vsva_hypercall(struct vcpu *v, const struct hypercall_args *a)
{
	struct vsva_guest *g = vsva_hc_guest(v->vm);
	uint32_t gpasid;
	int64_t ret;

	if (!g)
		return -VSVA_ENODEV;
	switch (a->nr) {
	case VSVA_HC_PASID_ALLOC:
		if (!reg32(a->a0) || !reg32(a->a1))
			return -VSVA_EINVAL;
		ret = vsva_pasid_alloc(g, (uint32_t)a->a0, (uint32_t)a->a1, &gpasid);
		return ret ? ret : (int64_t)gpasid;
	case VSVA_HC_PASID_FREE:
		return reg32(a->a0) ? vsva_pasid_free(g, (uint32_t)a->a0) : -VSVA_EINVAL;
	case VSVA_HC_DEVICE_ATTACH:
		if (!reg32(a->a0) || a->a1)
			return -VSVA_EINVAL;
		return vsva_attach(g, (uint32_t)a->a0);
	case VSVA_HC_DEVICE_DETACH:
		return reg32(a->a0) ? vsva_detach(g, (uint32_t)a->a0) : -VSVA_EINVAL;
	case VSVA_HC_BIND:
		return hc_bind(v, g, a->a0);
	case VSVA_HC_UNBIND:
		if (!reg32(a->a0) || !reg32(a->a1))
			return -VSVA_EINVAL;
		return vsva_unbind(g, (uint32_t)a->a0, (uint32_t)a->a1);
	case VSVA_HC_INVALIDATE:
		return hc_invalidate(v, g, a->a0);
	case VSVA_HC_TRANSLATE:
		return hc_translate(v, g, a->a0);
	default:
		return -VSVA_ENOSYS;
	}
}
