// SPDX-License-Identifier: MIT
/*
 * iommu_env_model.c - iommu/iommu_env.h implemented over the VT-d reference model.
 * See iommu_env_model.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/iommu_env.h"
#include "tests/unit/support/iommu_env_model.h"

struct mirror {
	hpa_t hpa;
	uint64_t frames;
	void *host;
};

#define MAX_MIRRORS 4096
#define LOG_LINES   256

static struct model_unit *cur;
static struct mirror mirrors[MAX_MIRRORS];
static unsigned int nmirrors;
static uint64_t fake_us;
static char log_buf[LOG_LINES][320];
static unsigned int log_n;

uint32_t env_gsts_stuck_clear;
int env_alloc_fail_after = -1;
unsigned int env_clflush_calls;
unsigned int env_frames_live;

void env_detach(void)
{
	unsigned int i;

	for (i = 0; i < nmirrors; i++)
		free(mirrors[i].host);
	nmirrors = 0;
	env_frames_live = 0;
	cur = NULL;
}

void env_attach(struct model_unit *u)
{
	env_detach();
	cur = u;
	log_n = 0;
	env_gsts_stuck_clear = 0;
	env_alloc_fail_after = -1;
	env_clflush_calls = 0;
}

uintptr_t env_reg_base(void)
{
	return (uintptr_t)cur;
}

void env_sync_to_model(void)
{
	unsigned int i;

	for (i = 0; i < nmirrors; i++)
		model_mem_write(cur, mirrors[i].hpa, mirrors[i].host, mirrors[i].frames * 4096);
}

void env_sync_from_model(void)
{
	unsigned int i;

	for (i = 0; i < nmirrors; i++)
		model_mem_read(cur, mirrors[i].hpa, mirrors[i].host, mirrors[i].frames * 4096);
}

int env_dma(uint16_t sid, uint32_t pasid, uint64_t addr, void *buf, size_t len, bool write)
{
	int r;

	env_sync_to_model();
	r = model_dma(cur, sid, pasid, addr, buf, len, write);
	env_sync_from_model();
	return r;
}

int env_translate(const struct model_req *req, struct model_xlate *x)
{
	int r;

	env_sync_to_model();
	r = model_translate(cur, req, x);
	env_sync_from_model();
	return r;
}

bool env_log_contains(const char *s)
{
	unsigned int i;

	for (i = 0; i < log_n && i < LOG_LINES; i++)
		if (strstr(log_buf[i], s))
			return true;
	return false;
}

unsigned int env_log_lines(void)
{
	return log_n;
}

/* ---- iommu/iommu_env.h ----------------------------------------------------------- */

int iommu_env_alloc_frames(uint64_t frames, hpa_t *out)
{
	void *host;
	hpa_t hpa;

	if (!frames || !out)
		return -EINVAL;
	if (env_alloc_fail_after == 0)
		return -ENOMEM;
	if (env_alloc_fail_after > 0)
		env_alloc_fail_after--;
	if (nmirrors == MAX_MIRRORS)
		return -ENOMEM;
	hpa = model_mem_alloc(cur, frames);
	if (!hpa)
		return -ENOMEM;
	host = aligned_alloc(4096, frames * 4096);
	if (!host)
		return -ENOMEM;
	memset(host, 0, frames * 4096);
	mirrors[nmirrors].hpa = hpa;
	mirrors[nmirrors].frames = frames;
	mirrors[nmirrors].host = host;
	nmirrors++;
	env_frames_live += (unsigned int)frames;
	*out = hpa;
	return 0;
}

void iommu_env_free_frames(hpa_t hpa, uint64_t frames)
{
	unsigned int i;

	for (i = 0; i < nmirrors; i++) {
		if (mirrors[i].hpa != hpa)
			continue;
		if (mirrors[i].frames != frames)
			abort(); /* the driver freed with the wrong size */
		free(mirrors[i].host);
		model_mem_unmap(cur, hpa, frames * 4096);
		mirrors[i] = mirrors[--nmirrors];
		env_frames_live -= (unsigned int)frames;
		return;
	}
	abort(); /* freeing what was never allocated */
}

void *iommu_env_hpa_to_va(hpa_t hpa)
{
	unsigned int i;

	for (i = 0; i < nmirrors; i++)
		if (hpa >= mirrors[i].hpa && hpa < mirrors[i].hpa + mirrors[i].frames * 4096)
			return (char *)mirrors[i].host + (hpa - mirrors[i].hpa);
	return NULL;
}

uint32_t iommu_env_mmio_read32(uintptr_t reg_base, uint32_t off)
{
	uint32_t v = model_read32((struct model_unit *)reg_base, off);

	if (off == MODEL_REG_GSTS)
		v &= ~env_gsts_stuck_clear;
	return v;
}

uint64_t iommu_env_mmio_read64(uintptr_t reg_base, uint32_t off)
{
	return model_read64((struct model_unit *)reg_base, off);
}

void iommu_env_mmio_write32(uintptr_t reg_base, uint32_t off, uint32_t val)
{
	env_sync_to_model();
	model_write32((struct model_unit *)reg_base, off, val);
	env_sync_from_model();
}

void iommu_env_mmio_write64(uintptr_t reg_base, uint32_t off, uint64_t val)
{
	/* QEMU aborts on a 64-bit access to a 32-bit register: catch it here. */
	if (off == MODEL_REG_GCMD || off == MODEL_REG_GSTS || off == MODEL_REG_FSTS ||
	    off == MODEL_REG_FECTL || off == MODEL_REG_ICS)
		abort();
	env_sync_to_model();
	model_write64((struct model_unit *)reg_base, off, val);
	env_sync_from_model();
}

uint64_t iommu_env_now_us(void)
{
	fake_us += 100; /* every look at the clock is 100 µs later: timeouts end quickly */
	return fake_us;
}

void iommu_env_relax(void)
{
}

void iommu_env_clflush(void *p, size_t len)
{
	(void)p;
	(void)len;
	env_clflush_calls++;
}

void iommu_env_log(int level, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (log_n < LOG_LINES)
		snprintf(log_buf[log_n], sizeof(log_buf[0]), "vtd: %s", line);
	log_n++;
	if (getenv("VTD_TEST_VERBOSE"))
		fprintf(stderr, "[%d] vtd: %s\n", level, line);
}
