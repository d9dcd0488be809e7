// SPDX-License-Identifier: MIT
/*
 * hv/model/model_mem_ram.c - the VT-d model's "host-physical memory" in build/hv-model.elf
 * is the machine's real RAM: this file replaces tests/model/mem.c (the hosted sparse
 * frame store) with the same interface (tests/model/model_internal.h, model.h) over
 * the core's 1:1 map. So the model walks exactly the tables iommu/ wrote (frames from
 * the hypervisor pool) and the first-level tables the guest built in its own RAM
 * (GPA = HPA), with no copies to keep in step. An HPA is "backed" when the core's map
 * reaches it (host_hpa_mapped(): the low 4 GiB); anything else reads as absent, which
 * the model reports as a remapping fault, never a crash. Frames the model allocates
 * itself (model_mem_alloc(), only its table builders use it) come from the pool.
 */
#include <errno.h>
#include <string.h>

#include "hv/mm.h"
#include "tests/model/model_internal.h"

void model_mem_init(struct model_mem *m)
{
	memset(m, 0, sizeof(*m)); /* the hash buckets stay unused: RAM needs no index */
}

void model_mem_fini(struct model_mem *m)
{
	(void)m;
}

uint64_t model_mem_alloc(struct model_unit *u, size_t npages)
{
	hpa_t hpa;

	if (!u || !npages || host_frames_alloc(npages, 1, &hpa))
		return 0;
	return hpa;
}

int model_mem_map(struct model_unit *u, uint64_t hpa, uint64_t len)
{
	if (!u || !len)
		return -EINVAL;
	return host_hpa_mapped(hpa, len) ? 0 : -ENOMEM; /* RAM is there or not */
}

void model_mem_unmap(struct model_unit *u, uint64_t hpa, uint64_t len)
{
	(void)u; /* real RAM stays; frames go back through iommu_env_free_frames() */
	(void)hpa;
	(void)len;
}

/* Copy between @buf and RAM at HPA @hpa (@len bytes); -EFAULT when not mapped. */
static int mem_copy(struct model_unit *u, uint64_t hpa, void *buf, size_t len, bool write)
{
	if (!u || (len && !buf) || hpa + len < hpa)
		return -EINVAL;
	if (!len)
		return 0;
	if (!host_hpa_mapped(hpa, len))
		return -EFAULT;
	if (write)
		memcpy(hpa_to_hva(hpa), buf, len);
	else
		memcpy(buf, hpa_to_hva(hpa), len);
	return 0;
}

int model_mem_read(struct model_unit *u, uint64_t hpa, void *buf, size_t len)
{
	return mem_copy(u, hpa, buf, len, false);
}

int model_mem_write(struct model_unit *u, uint64_t hpa, const void *buf, size_t len)
{
	return mem_copy(u, hpa, (void *)buf, len, true);
}

uint64_t model_mem_read64(struct model_unit *u, uint64_t hpa)
{
	uint64_t v = 0;

	if (model_mem_read(u, hpa, &v, sizeof(v)))
		return 0;
	return v;
}

int model_mem_write64(struct model_unit *u, uint64_t hpa, uint64_t val)
{
	return model_mem_write(u, hpa, &val, sizeof(val));
}
