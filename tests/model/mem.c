// SPDX-License-Identifier: MIT
/*
 * mem.c - the simulated host-physical memory every table walk reads.
 *
 * Memory is a sparse set of 4-KiB frames in a hash table keyed by frame
 * number. Anything not allocated or mapped is absent: a walk that follows
 * a bad pointer gets -EFAULT here and reports a remapping fault.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* Where model_mem_alloc() starts handing out frames: above 1 MiB. */
#define MODEL_MEM_ALLOC_BASE 0x100000ULL

static unsigned int bucket_of(uint64_t pfn)
{
	return (unsigned int)((pfn * 0x9E3779B97F4A7C15ULL) >> 54) % MODEL_MEM_BUCKETS;
}

static struct model_frame *frame_find(struct model_mem *m, uint64_t pfn)
{
	struct model_frame *f;

	for (f = m->bucket[bucket_of(pfn)]; f; f = f->next)
		if (f->pfn == pfn)
			return f;
	return NULL;
}

static struct model_frame *frame_add(struct model_mem *m, uint64_t pfn)
{
	struct model_frame *f = frame_find(m, pfn);
	unsigned int b;

	if (f)
		return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	b = bucket_of(pfn);
	f->pfn = pfn;
	f->next = m->bucket[b];
	m->bucket[b] = f;
	return f;
}

void model_mem_init(struct model_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->next_alloc = MODEL_MEM_ALLOC_BASE;
}

void model_mem_fini(struct model_mem *m)
{
	unsigned int i;

	for (i = 0; i < MODEL_MEM_BUCKETS; i++) {
		struct model_frame *f = m->bucket[i], *n;

		for (; f; f = n) {
			n = f->next;
			free(f);
		}
		m->bucket[i] = NULL;
	}
}

uint64_t model_mem_alloc(struct model_unit *u, size_t npages)
{
	uint64_t hpa, i;

	if (!u || !npages)
		return 0;
	/* Skip frames a test mapped at fixed addresses. */
	for (;;) {
		hpa = u->mem.next_alloc;
		for (i = 0; i < npages; i++)
			if (frame_find(&u->mem, (hpa >> MODEL_PAGE_SHIFT) + i))
				break;
		if (i == npages)
			break;
		u->mem.next_alloc = hpa + (i + 1) * MODEL_PAGE_SIZE;
	}
	if (model_mem_map(u, hpa, npages * MODEL_PAGE_SIZE))
		return 0;
	u->mem.next_alloc = hpa + npages * MODEL_PAGE_SIZE;
	return hpa;
}

int model_mem_map(struct model_unit *u, uint64_t hpa, uint64_t len)
{
	uint64_t pfn, last;

	if (!u || !len)
		return -EINVAL;
	last = (hpa + len - 1) >> MODEL_PAGE_SHIFT;
	for (pfn = hpa >> MODEL_PAGE_SHIFT; pfn <= last; pfn++)
		if (!frame_add(&u->mem, pfn))
			return -ENOMEM;
	return 0;
}

void model_mem_unmap(struct model_unit *u, uint64_t hpa, uint64_t len)
{
	uint64_t pfn, last;

	if (!u || !len)
		return;
	last = (hpa + len - 1) >> MODEL_PAGE_SHIFT;
	for (pfn = hpa >> MODEL_PAGE_SHIFT; pfn <= last; pfn++) {
		struct model_frame **pp = &u->mem.bucket[bucket_of(pfn)];

		while (*pp) {
			if ((*pp)->pfn == pfn) {
				struct model_frame *f = *pp;

				*pp = f->next;
				free(f);
				break;
			}
			pp = &(*pp)->next;
		}
	}
}

/* Copy between buf and memory; fails without partial effect if unbacked. */
static int mem_copy(struct model_unit *u, uint64_t hpa, void *buf, size_t len, bool write)
{
	uint64_t a, end = hpa + len;
	uint8_t *p = buf;

	if (!u || (len && !buf) || end < hpa)
		return -EINVAL;
	for (a = hpa & MODEL_PAGE_MASK; a < end; a += MODEL_PAGE_SIZE)
		if (!frame_find(&u->mem, a >> MODEL_PAGE_SHIFT))
			return -EFAULT;
	for (a = hpa; a < end;) {
		struct model_frame *f = frame_find(&u->mem, a >> MODEL_PAGE_SHIFT);
		uint64_t off = a & (MODEL_PAGE_SIZE - 1);
		uint64_t n = MODEL_PAGE_SIZE - off;

		if (n > end - a)
			n = end - a;
		if (write)
			memcpy(f->data + off, p, n);
		else
			memcpy(p, f->data + off, n);
		p += n;
		a += n;
	}
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
