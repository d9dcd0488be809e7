// SPDX-License-Identifier: MIT
/*
 * bench_slpt.c - second-level page tables (iommu/slpt.c) hosted, -O2, no sanitizers:
 * map rates per page size (against a memset of the same number of PTE bytes), the
 * frames the tables take for identity maps, and, under callgrind (--callgrind), the
 * instructions of one 4-KiB map and unmap.
 *
 * The driver's environment here is plain malloc'd memory: an HPA is the host address of
 * the frame, so iommu_env_hpa_to_va() is a cast. No unit registers are touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "iommu/slpt.h"

static uint64_t frames_live;

int iommu_env_alloc_frames(uint64_t frames, hpa_t *out)
{
	void *p;

	if (!frames || !out)
		return -EINVAL;
	p = aligned_alloc(VTD_PAGE_SIZE, frames * VTD_PAGE_SIZE);
	if (!p)
		return -ENOMEM;
	memset(p, 0, frames * VTD_PAGE_SIZE);
	frames_live += frames;
	*out = (hpa_t)(uintptr_t)p;
	return 0;
}

void iommu_env_free_frames(hpa_t hpa, uint64_t frames)
{
	frames_live -= frames;
	free((void *)(uintptr_t)hpa);
}

void *iommu_env_hpa_to_va(hpa_t hpa)
{
	return (void *)(uintptr_t)hpa;
}

uint32_t iommu_env_mmio_read32(uintptr_t reg_base, uint32_t off)
{
	abort();
}

uint64_t iommu_env_mmio_read64(uintptr_t reg_base, uint32_t off)
{
	abort();
}

void iommu_env_mmio_write32(uintptr_t reg_base, uint32_t off, uint32_t val)
{
	abort();
}

void iommu_env_mmio_write64(uintptr_t reg_base, uint32_t off, uint64_t val)
{
	abort();
}

uint64_t iommu_env_now_us(void)
{
	return 0;
}

void iommu_env_relax(void)
{
}

void iommu_env_clflush(void *p, size_t len)
{
}

void iommu_env_log(int level, const char *fmt, ...)
{
}

/* ---- helpers ----------------------------------------------------------------------- */

#define RW	 (VTD_SL_R | VTD_SL_W)
#define MIN_SECS 0.25 /* each rate is measured over at least this long */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A 4-level tree (48-bit input addresses) allowed the page sizes in @large. */
static void tree_init(struct vtd_slpt *pt, uint64_t large)
{
	struct vtd_unit u;

	memset(&u, 0, sizeof(u));
	u.sl_levels = 4;
	u.pt_coherent = true;
	u.cap = 3ull << 34; /* CAP.SLLPS: 2 MiB and 1 GiB */
	if (vtd_slpt_init(pt, &u)) {
		fprintf(stderr, "bench_slpt: vtd_slpt_init failed\n");
		exit(1);
	}
	pt->large_pages = large;
}

static void must(int r, const char *what)
{
	if (r) {
		fprintf(stderr, "bench_slpt: %s failed: %d\n", what, r);
		exit(1);
	}
}

/* Seconds for a memset of @bytes, best of repeats over MIN_SECS (the PTE-store floor). */
static double memset_secs(uint64_t bytes)
{
	uint8_t *buf = aligned_alloc(VTD_PAGE_SIZE, bytes);
	double best = 1e9, start = now_s();
	unsigned int reps = 0;

	if (!buf)
		exit(1);
	memset(buf, 0, bytes); /* fault the pages in first: the tables are fresh too */
	while (reps < 3 || now_s() - start < MIN_SECS) {
		double t0 = now_s(), t;

		memset(buf, (int)reps + 1, bytes);
		__asm__ volatile("" : : "r"(buf) : "memory");
		t = now_s() - t0;
		if (t < best)
			best = t;
		reps++;
	}
	free(buf);
	return best;
}

struct rate {
	double secs;	/* best time of one whole map */
	uint64_t pages; /* pages per map */
};

/*
 * Best time to map [0, @bytes) identity in a fresh tree, in calls of @chunk bytes
 * (@chunk == @bytes: one call), with page sizes @large. Table allocation is included:
 * it is part of what a map costs.
 */
static struct rate map_rate(uint64_t bytes, uint64_t chunk, uint64_t large, uint64_t page)
{
	struct rate r = { 1e9, bytes / page };
	double start = now_s();
	unsigned int reps = 0;

	while (reps < 3 || now_s() - start < MIN_SECS) {
		struct vtd_slpt pt;
		double t0, t;

		tree_init(&pt, large);
		t0 = now_s();
		for (uint64_t a = 0; a < bytes; a += chunk)
			must(vtd_slpt_map(&pt, a, a, chunk, RW), "map");
		t = now_s() - t0;
		vtd_slpt_destroy(&pt);
		if (t < r.secs)
			r.secs = t;
		reps++;
	}
	return r;
}

static void print_rate(const char *name, const char *calls, struct rate r)
{
	double ms = memset_secs(r.pages * sizeof(uint64_t));

	printf("  %-8s %-18s %9llu %12.0f %10.1f %12.1f\n", name, calls,
	       (unsigned long long)r.pages, (double)r.pages / r.secs,
	       r.secs * 1e9 / (double)r.pages, r.secs / ms);
}

static void bench_rates(void)
{
	const uint64_t g = VTD_SIZE_1G;

	printf("SL map rate (iommu/slpt.c, hosted -O2, 4-level tree, identity map from IOVA 0,\n"
	       "table allocation included; x memset = map time / memset of the same PTE bytes)\n");
	printf("  %-8s %-18s %9s %12s %10s %12s\n", "page", "calls", "pages", "pages/s", "ns/page",
	       "x memset");
	print_rate("4 KiB", "one call, 1 GiB", map_rate(g, g, 0, VTD_PAGE_SIZE));
	print_rate("4 KiB", "one per page", map_rate(g, VTD_PAGE_SIZE, 0, VTD_PAGE_SIZE));
	print_rate("2 MiB", "one call, 64 GiB", map_rate(64 * g, 64 * g, VTD_SIZE_2M, VTD_SIZE_2M));
	print_rate("2 MiB", "one per page",
		   map_rate(64 * g, VTD_SIZE_2M, VTD_SIZE_2M, VTD_SIZE_2M));
	print_rate("1 GiB", "one call, 512 GiB",
		   map_rate(512 * g, 512 * g, VTD_SIZE_2M | VTD_SIZE_1G, g));
	print_rate("1 GiB", "one per page", map_rate(512 * g, g, VTD_SIZE_2M | VTD_SIZE_1G, g));
	printf("\n");
}

static void print_mem(const char *what, uint64_t bytes, uint64_t large)
{
	struct vtd_slpt pt;

	tree_init(&pt, large);
	must(vtd_slpt_map(&pt, 0, 0, bytes, RW), "map");
	printf("  %-7llu %-22s %10llu %10llu\n", (unsigned long long)(bytes / VTD_SIZE_1G), what,
	       (unsigned long long)pt.table_frames,
	       (unsigned long long)pt.table_frames * VTD_PAGE_SIZE / 1024);
	vtd_slpt_destroy(&pt);
	if (frames_live) {
		fprintf(stderr, "bench_slpt: %llu frames leaked\n",
			(unsigned long long)frames_live);
		exit(1);
	}
}

static void bench_memory(void)
{
	static const uint64_t sizes[] = { 4, 64 };

	printf("SL table memory for an identity map of [0, N GiB) (4-level tree, root included)\n");
	printf("  %-7s %-22s %10s %10s\n", "N GiB", "page sizes", "frames", "KiB");
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t b = sizes[i] * VTD_SIZE_1G;

		print_mem("4 KiB only", b, 0);
		print_mem("4 KiB + 2 MiB", b, VTD_SIZE_2M);
		print_mem("4 KiB + 2 MiB + 1 GiB", b, VTD_SIZE_2M | VTD_SIZE_1G);
	}
	printf("\n");
}

/* ---- callgrind: one map and one unmap, each dumped as its own profile part ------------ */

static __attribute__((noinline)) void cg_part(const char *name, struct vtd_slpt *pt, iova_t a,
					      bool map)
{
	CALLGRIND_ZERO_STATS;
	CALLGRIND_TOGGLE_COLLECT;
	if (map)
		must(vtd_slpt_map(pt, a, a, VTD_PAGE_SIZE, RW), "map");
	else
		must(vtd_slpt_unmap(pt, a, VTD_PAGE_SIZE, NULL), "unmap");
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT(name);
}

static void bench_callgrind(void)
{
	struct vtd_slpt pt;

	tree_init(&pt, VTD_SIZE_2M | VTD_SIZE_1G);
	/* Into an empty tree: three tables are allocated (malloc + 4-KiB memset each). */
	cg_part("map-4k-cold", &pt, 0x40000000, true);
	/* Next to it: every table is there, only the leaf is written. */
	cg_part("map-4k-warm", &pt, 0x40001000, true);
	cg_part("unmap-4k", &pt, 0x40001000, false);
	vtd_slpt_destroy(&pt);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--callgrind")) {
		bench_callgrind();
		return 0;
	}
	bench_rates();
	bench_memory();
	return 0;
}
