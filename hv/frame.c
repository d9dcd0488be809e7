// SPDX-License-Identifier: MIT
/* The physical frame allocator (hv/frame.h). */
#include <errno.h>
#include <string.h>
#include "hv/frame.h"

static void extent_remove(struct frame_pool *pool, uint32_t i)
{
	memmove(&pool->free[i], &pool->free[i + 1], (pool->count - i - 1) * sizeof(pool->free[0]));
	pool->count--;
}

static int extent_insert(struct frame_pool *pool, uint32_t i, hpa_t base, uint64_t frames)
{
	if (pool->count == FRAME_EXTENTS_MAX)
		return -ENOSPC;
	memmove(&pool->free[i + 1], &pool->free[i], (pool->count - i) * sizeof(pool->free[0]));
	pool->free[i] = (struct frame_extent){ base, frames };
	pool->count++;
	return 0;
}

int frame_pool_init(struct frame_pool *pool, const struct boot_info *bi)
{
	int ret = 0;

	memset(pool, 0, sizeof(*pool));
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];

		if (r->type != BOOT_MEM_HV_POOL)
			continue;
		if (pool->count == FRAME_EXTENTS_MAX) {
			ret = -ENOSPC;
			break;
		}
		/* The map is sorted and merged, so the extents are too. */
		pool->free[pool->count++] = (struct frame_extent){ r->base, r->size >> PAGE_SHIFT };
		pool->total_frames += r->size >> PAGE_SHIFT;
	}
	pool->free_frames = pool->total_frames;
	if (pool->count == 0)
		return -ENOMEM;
	return ret;
}

int frame_alloc(struct frame_pool *pool, uint64_t frames, uint64_t align_frames, hpa_t *out)
{
	uint64_t align = align_frames << PAGE_SHIFT;

	if (frames == 0 || align_frames == 0 || (align_frames & (align_frames - 1)))
		return -EINVAL;
	for (uint32_t i = 0; i < pool->count; i++) {
		struct frame_extent *e = &pool->free[i];
		hpa_t start = ALIGN_UP(e->base, align);
		uint64_t skip = (start - e->base) >> PAGE_SHIFT;

		if (start < e->base || skip >= e->frames || e->frames - skip < frames)
			continue;
		uint64_t tail = e->frames - skip - frames;

		if (skip && tail) {
			/* Carving from the middle leaves two extents: one more entry. */
			if (extent_insert(pool, i + 1, start + (frames << PAGE_SHIFT), tail))
				continue;
			e->frames = skip;
		} else if (skip) {
			e->frames = skip;
		} else if (tail) {
			e->base = start + (frames << PAGE_SHIFT);
			e->frames = tail;
		} else {
			extent_remove(pool, i);
		}
		pool->free_frames -= frames;
		*out = start;
		return 0;
	}
	return -ENOMEM;
}

int frame_free(struct frame_pool *pool, hpa_t base, uint64_t frames)
{
	hpa_t end = base + (frames << PAGE_SHIFT);
	uint32_t i = 0;

	if (frames == 0 || !IS_ALIGNED(base, PAGE_SIZE) || end <= base)
		return -EINVAL;
	while (i < pool->count && pool->free[i].base < base)
		i++;
	struct frame_extent *prev = i > 0 ? &pool->free[i - 1] : NULL;
	struct frame_extent *next = i < pool->count ? &pool->free[i] : NULL;

	if (prev && prev->base + (prev->frames << PAGE_SHIFT) > base)
		return -EINVAL;
	if (next && next->base < end)
		return -EINVAL;

	bool join_prev = prev && prev->base + (prev->frames << PAGE_SHIFT) == base;
	bool join_next = next && next->base == end;

	if (join_prev && join_next) {
		prev->frames += frames + next->frames;
		extent_remove(pool, i);
	} else if (join_prev) {
		prev->frames += frames;
	} else if (join_next) {
		next->base = base;
		next->frames += frames;
	} else if (extent_insert(pool, i, base, frames)) {
		return -ENOSPC;
	}
	pool->free_frames += frames;
	return 0;
}
