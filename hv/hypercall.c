// SPDX-License-Identifier: MIT
/* Hypercalls (hv/hypercall.h). */
#include <string.h>
#include "guest/include/vsva_hv.h"
#include "hv/hypercall.h"
#include "hv/mm.h"
#ifdef HV_CORE
#include "hv/vsva_boot.h"
#endif

#define HC_STRUCT_MAX 4096u /* bytes: the largest structure a caller may pass */

void *hypercall_guest_struct(struct vcpu *v, gpa_t gpa, uint32_t known_min, uint32_t known,
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

/* The largest structure version that fits @size bytes (the caller's), in bytes. */
static uint32_t version_size(uint32_t size, uint32_t v1, uint32_t v2)
{
	return size >= v2 ? v2 : v1;
}

/*
 * Capabilities and statistics are output only: every byte after size must be zero on
 * input (hypercall_guest_struct() from byte 4), so any of them can become an input later.
 */
static int64_t hc_capabilities(struct vcpu *v, gpa_t gpa)
{
	struct vsva_capabilities_v2 caps;
	struct vsva_capabilities *c1 = &caps.v1;
	uint32_t size;
	int64_t err;
	void *p = hypercall_guest_struct(v, gpa, VSVA_CAPABILITIES_SIZE_V1, sizeof(uint32_t), &size,
					 &err);

	if (!p)
		return err;
	memset(&caps, 0, sizeof(caps));
	size = version_size(size, VSVA_CAPABILITIES_SIZE_V1, sizeof(caps));
	c1->size = size;
	c1->abi_version = VSVA_ABI_VERSION;
	c1->flags = VSVA_CAP_EPT | (v->vm->vpid ? VSVA_CAP_VPID : 0) |
		    (v->vm->ept.pages_1g ? VSVA_CAP_EPT_1G : 0);
	c1->page_sizes = BIT(12) | (v->vm->ept.use_2m ? BIT(21) : 0) |
			 (v->vm->ept.use_1g ? BIT(30) : 0);
	c1->guest_ram_bytes = v->vm->map.ram_bytes;
	c1->nr_vcpus = v->vm->nr_vcpus;
	vsva_hc_caps(v, &caps); /* PASID fields; VSVA_CAP_PASID_XLT when it is in use */
	memcpy(p, &caps, size);
	return 0;
}

static int64_t hc_statistics(struct vcpu *v, gpa_t gpa)
{
	struct vsva_statistics_v2 st;
	struct vsva_statistics *s1 = &st.v1;
	uint32_t size;
	int64_t err;
	void *p = hypercall_guest_struct(v, gpa, VSVA_STATISTICS_SIZE_V1, sizeof(uint32_t), &size,
					 &err);

	if (!p)
		return err;
	memset(&st, 0, sizeof(st));
	size = version_size(size, VSVA_STATISTICS_SIZE_V1, sizeof(st));
	s1->size = size;
	s1->nr_exit_reasons = VSVA_STAT_EXIT_REASONS;
	s1->hypercalls = v->hypercalls;
	s1->hypercall_errors = v->hypercall_errors;
	s1->exits_total = v->exits_total;
	for (uint32_t i = 0; i < EXIT_REASON_MAX && i < VSVA_STAT_EXIT_REASONS; i++)
		s1->exits[i] = v->exits[i];
	vsva_hc_stats(v, &st);
	memcpy(p, &st, size);
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
	case VSVA_HC_PASID_ALLOC:
	case VSVA_HC_PASID_FREE:
	case VSVA_HC_DEVICE_ATTACH:
	case VSVA_HC_DEVICE_DETACH:
	case VSVA_HC_BIND:
	case VSVA_HC_UNBIND:
	case VSVA_HC_INVALIDATE:
	case VSVA_HC_TRANSLATE:
		ret = vsva_hypercall(v, a);
		break;
	case VSVA_HC_PLATFORM_TEST: /* test only: simulated devices of hv-model.elf */
#ifdef HV_CORE
		ret = vsva_boot_platform_test(v, a->a0, a->a1, a->a2, a->a3);
#else
		ret = -VSVA_ENOSYS; /* hosted builds have no platform */
#endif
		break;
	default:
		ret = -VSVA_ENOSYS;
		break;
	}
	if (ret < 0)
		v->hypercall_errors++;
	return ret;
}
