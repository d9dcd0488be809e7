// SPDX-License-Identifier: MIT
/* Hypercalls (hv/hypercall.h). */
#include <string.h>
#include "guest/include/vsva_hv.h"
#include "hv/hypercall.h"
#include "hv/mm.h"
#include "hv/vmx_caps.h"

#define HC_STRUCT_MAX 4096u /* bytes: the largest structure a caller may pass */

/*
 * Map a size-prefixed guest structure: @gpa must be 8-byte aligned RAM; its size field
 * at least @known_min and at most HC_STRUCT_MAX; every byte of it guest RAM; bytes from
 * @known to size zero. Returns the host pointer and the size, or NULL with *err set.
 */
static void *guest_struct(struct vcpu *v, gpa_t gpa, uint32_t known_min, uint32_t known,
			  uint32_t *size, int64_t *err)
{
	const struct guest_map *m = &v->vm->map;
	const uint8_t *p;
	uint32_t sz;

	if (gpa & 7) {
		*err = -VSVA_EINVAL;
		return NULL;
	}
	if (guest_map_kind(m, gpa, sizeof(uint32_t)) != GUEST_MEM_RAM ||
	    !host_hpa_mapped(gpa, sizeof(uint32_t))) {
		*err = -VSVA_EFAULT;
		return NULL;
	}
	memcpy(&sz, hpa_to_hva(gpa), sizeof(sz));
	if (sz < known_min || sz > HC_STRUCT_MAX) {
		*err = -VSVA_EINVAL;
		return NULL;
	}
	if (guest_map_kind(m, gpa, sz) != GUEST_MEM_RAM || !host_hpa_mapped(gpa, sz)) {
		*err = -VSVA_EFAULT;
		return NULL;
	}
	p = hpa_to_hva(gpa);
	for (uint32_t i = known; i < sz; i++) {
		if (p[i]) {
			*err = -VSVA_EINVAL; /* a field this ABI version does not know */
			return NULL;
		}
	}
	*size = sz;
	return (void *)p;
}

static int64_t hc_capabilities(struct vcpu *v, gpa_t gpa)
{
	struct vsva_capabilities caps;
	const struct vmx_caps *c = &v->vm->ci->vmx_caps;
	uint32_t size;
	int64_t err;
	void *p = guest_struct(v, gpa, VSVA_CAPABILITIES_SIZE_V1, sizeof(caps), &size, &err);

	if (!p)
		return err;
	memset(&caps, 0, sizeof(caps));
	caps.size = sizeof(caps);
	caps.abi_version = VSVA_ABI_VERSION;
	caps.flags = VSVA_CAP_EPT | (v->vm->vpid ? VSVA_CAP_VPID : 0) |
		     (v->vm->ept.pages_1g ? VSVA_CAP_EPT_1G : 0) |
		     (c->pasid_translation ? VSVA_CAP_PASID_XLT : 0);
	caps.page_sizes = BIT(12) | (v->vm->ept.use_2m ? BIT(21) : 0) |
			  (v->vm->ept.use_1g ? BIT(30) : 0);
	caps.guest_ram_bytes = v->vm->map.ram_bytes;
	caps.nr_vcpus = v->vm->nr_vcpus;
	memcpy(p, &caps, MIN(size, (uint32_t)sizeof(caps)));
	return 0;
}

static int64_t hc_statistics(struct vcpu *v, gpa_t gpa)
{
	struct vsva_statistics st;
	uint32_t size;
	int64_t err;
	void *p = guest_struct(v, gpa, VSVA_STATISTICS_SIZE_V1, sizeof(st), &size, &err);

	if (!p)
		return err;
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.nr_exit_reasons = VSVA_STAT_EXIT_REASONS;
	st.hypercalls = v->hypercalls;
	st.hypercall_errors = v->hypercall_errors;
	st.exits_total = v->exits_total;
	for (uint32_t i = 0; i < EXIT_REASON_MAX && i < VSVA_STAT_EXIT_REASONS; i++)
		st.exits[i] = v->exits[i];
	memcpy(p, &st, MIN(size, (uint32_t)sizeof(st)));
	return 0;
}

int64_t hypercall_dispatch(struct vcpu *v, const struct hypercall_args *a)
{
	int64_t ret;

	v->hypercalls++;
	switch (a->nr) {
	case VSVA_HC_NULL:
		ret = 0;
		break;
	case VSVA_HC_VERSION:
		ret = VSVA_ABI_VERSION;
		break;
	case VSVA_HC_CAPABILITIES:
		ret = hc_capabilities(v, a->a0);
		break;
	case VSVA_HC_STATISTICS:
		ret = hc_statistics(v, a->a0);
		break;
	case VSVA_HC_GPA_PROBE:
		ret = guest_map_kind(&v->vm->map, a->a0, 1);
		break;
	default:
		ret = -VSVA_ENOSYS;
		break;
	}
	if (ret < 0)
		v->hypercall_errors++;
	return ret;
}
