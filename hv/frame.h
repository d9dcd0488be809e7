/* SPDX-License-Identifier: MIT */
/*
 * The physical frame allocator: 4-KiB frames from the memory the boot path gave the
 * core (BOOT_MEM_HV_POOL ranges). A sorted list of free extents, first fit, with
 * alignment; freeing merges neighbours. Portable logic: the pool never touches the
 * memory it hands out (callers zero what they take, see frame_alloc_zeroed in hv/mm.h).
 */
#ifndef HV_FRAME_H
#define HV_FRAME_H

#include "hv/boot_info.h"
#include "hv/types.h"

#define FRAME_EXTENTS_MAX 256u

struct frame_extent {
	hpa_t base;	 /* 4-KiB aligned */
	uint64_t frames; /* 4-KiB frames, > 0 */
};

struct frame_pool {
	struct frame_extent free[FRAME_EXTENTS_MAX]; /* sorted by base, not touching */
	uint32_t count;
	uint64_t total_frames; /* frames the pool was given */
	uint64_t free_frames;  /* frames now free */
};

/*
 * frame_pool_init() - a pool of every BOOT_MEM_HV_POOL range of @bi.
 * Returns 0; -ENOMEM when the map has no pool range; -ENOSPC when it has more than
 * FRAME_EXTENTS_MAX of them (the pool then holds the first FRAME_EXTENTS_MAX).
 */
int frame_pool_init(struct frame_pool *pool, const struct boot_info *bi);

/*
 * frame_alloc() - @frames contiguous 4-KiB frames, the first aligned to @align_frames
 * (a power of two, 1 = any frame). Writes the HPA of the first to @out.
 * Returns 0; -EINVAL for 0 frames or an alignment that is not a power of two;
 * -ENOMEM when no free extent fits (the pool is unchanged).
 */
int frame_alloc(struct frame_pool *pool, uint64_t frames, uint64_t align_frames, hpa_t *out);

/*
 * frame_free() - give back @frames frames at @base (as frame_alloc returned them).
 * Returns 0; -EINVAL for an unaligned base, 0 frames, or a range that overlaps free
 * memory (a double free: the pool is unchanged); -ENOSPC when the free list is full
 * (the frames are then lost to the pool, which stays consistent).
 */
int frame_free(struct frame_pool *pool, hpa_t base, uint64_t frames);

#endif /* HV_FRAME_H */
