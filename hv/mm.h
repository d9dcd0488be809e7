/* SPDX-License-Identifier: MIT */
/*
 * Host memory: how the core reaches physical memory, and the host's frame pool.
 *
 * The lower half of the core's address space maps physical memory 1:1 (hv/paging.c),
 * so a host-physical address is its own host-virtual address there. The image lives in
 * the top 2 GiB (hv/layout.h); hva_to_hpa() undoes both.
 */
#ifndef HV_MM_H
#define HV_MM_H

#include "hv/frame.h"
#include "hv/layout.h"
#include "hv/types.h"

/* The frames the core may use (the boot path's BOOT_MEM_HV_POOL ranges). */
extern struct frame_pool host_frame_pool;

/* HPA of the first byte of the core's image (boot_info.hv_image_base). */
extern hpa_t host_image_hpa;

#ifdef HV_HOSTED
/* Unit tests run the portable code over a fake physical memory: they provide these. */
void *hpa_to_hva(hpa_t hpa);
bool host_hpa_mapped(hpa_t hpa, uint64_t len);
#else
static inline void *hpa_to_hva(hpa_t hpa)
{
	return (void *)(uintptr_t)hpa;
}

/*
 * host_hpa_mapped() - true when [hpa, hpa + len) is mapped 1:1 by the host page tables
 * (hv/paging.c), so the core may read it without a page fault. Use it before following
 * any address that came from firmware or hardware.
 */
bool host_hpa_mapped(hpa_t hpa, uint64_t len);
#endif

/* hva_to_hpa() - HPA of a core virtual address: in the image window, or 1:1 below. */
static inline hpa_t hva_to_hpa(const void *hva)
{
	uintptr_t va = (uintptr_t)hva;

	if (va >= HV_IMAGE_VBASE)
		return va - HV_IMAGE_VBASE + host_image_hpa;
	return va;
}

/*
 * host_frames_alloc() - @frames zeroed, contiguous 4-KiB frames from the host pool,
 * aligned to @align_frames frames. Returns 0 and the HPA in @out, -ENOMEM or -EINVAL
 * (see frame_alloc()).
 */
int host_frames_alloc(uint64_t frames, uint64_t align_frames, hpa_t *out);

/* host_frames_free() - give frames back to the host pool (see frame_free()). */
int host_frames_free(hpa_t base, uint64_t frames);

#endif /* HV_MM_H */
