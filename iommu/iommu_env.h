/* SPDX-License-Identifier: MIT */
/*
 * iommu/iommu_env.h - what the VT-d driver needs from the program that embeds it.
 *
 * The driver (iommu/) knows nothing of guests, VMX or the hypervisor's allocator. The
 * embedder implements these functions: the core (hv/) with real memory and volatile
 * MMIO, the hosted tests (tests/unit/support/iommu_env_model.c) with the VT-d reference
 * model. The driver's object code is the same in both: it reaches unit registers only
 * through iommu_env_mmio_*() (see vtd_read32() ... in iommu/vtd.h) and DMA-visible
 * memory only through pointers from iommu_env_hpa_to_va().
 */
#ifndef IOMMU_ENV_H
#define IOMMU_ENV_H

#include <stdarg.h>

#include "iommu/types.h"

/* Log levels, the same numbers as hv/log.h's enum log_level. */
#define VTD_LOG_ERR   0
#define VTD_LOG_WARN  1
#define VTD_LOG_INFO  2
#define VTD_LOG_DEBUG 3

/*
 * iommu_env_alloc_frames() - allocate @frames physically contiguous, zeroed 4-KiB frames.
 * @out: the HPA of the first frame (4-KiB aligned).
 * Returns 0, -EINVAL for frames == 0, -ENOMEM.
 */
int iommu_env_alloc_frames(uint64_t frames, hpa_t *out);

/* iommu_env_free_frames() - give back @frames 4-KiB frames at HPA @hpa (from alloc). */
void iommu_env_free_frames(hpa_t hpa, uint64_t frames);

/*
 * iommu_env_hpa_to_va() - the CPU's pointer to HPA @hpa of a frame from
 * iommu_env_alloc_frames(); valid for the whole allocation. NULL if unknown.
 */
void *iommu_env_hpa_to_va(hpa_t hpa);

/*
 * MMIO: register @off (bytes) of the unit whose register page the embedder knows by
 * @reg_base (core: the mapped virtual address of the 4-KiB register page; tests: the
 * model unit). Accesses are naturally aligned, 32-bit registers are never accessed
 * with 64 bits (QEMU aborts on that).
 */
uint32_t iommu_env_mmio_read32(uintptr_t reg_base, uint32_t off);
uint64_t iommu_env_mmio_read64(uintptr_t reg_base, uint32_t off);
void iommu_env_mmio_write32(uintptr_t reg_base, uint32_t off, uint32_t val);
void iommu_env_mmio_write64(uintptr_t reg_base, uint32_t off, uint64_t val);

/* iommu_env_now_us() - a monotonic clock in microseconds, for hardware-wait timeouts. */
uint64_t iommu_env_now_us(void);

/* iommu_env_relax() - called while polling a register (core: pause). */
void iommu_env_relax(void);

/*
 * iommu_env_clflush() - write back the cache lines covering [@p, @p + @len) bytes to
 * memory, for units whose table walks do not snoop (ECAP.C / ECAP.SMPWC = 0); ends
 * with a fence so the lines are in memory before a following MMIO write.
 */
void iommu_env_clflush(void *p, size_t len);

/*
 * iommu_env_log() - one line at @level (VTD_LOG_*), printed with the prefix "vtd: ".
 * No newline in @fmt.
 */
void iommu_env_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define vtd_err(...)   iommu_env_log(VTD_LOG_ERR, __VA_ARGS__)
#define vtd_warn(...)  iommu_env_log(VTD_LOG_WARN, __VA_ARGS__)
#define vtd_info(...)  iommu_env_log(VTD_LOG_INFO, __VA_ARGS__)
#define vtd_debug(...) iommu_env_log(VTD_LOG_DEBUG, __VA_ARGS__)

#endif /* IOMMU_ENV_H */
