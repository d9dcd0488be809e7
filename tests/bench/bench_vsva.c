// SPDX-License-Identifier: MIT
/*
 * bench_vsva.c - software nesting (hv/vsva_shadow.c) hosted, -O2, no sanitizers, under
 * callgrind: the instructions to shadow guest 4-KiB pages (guest FL walk, GPA -> HPA
 * second-level lookup, guest-map checks, shadow leaf write), per page, for
 *   bind-512      the eager build at bind: 512 guest pages into an empty shadow
 *   inv-1         one page-selective invalidation (unmap + walk + map one page)
 *   inv-512       a 512-page range invalidation (one guest PT)
 *   whole-512     a PASID-wide invalidation (tables freed, everything re-walked)
 * The second level maps 4-KiB pages only, so every shadow leaf is a 4-KiB leaf.
 *
 * Memory is malloc'd: HPA = GPA = the host address (iommu_env_hpa_to_va() and
 * hpa_to_hva() are casts). No unit registers are touched.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>

#include "hv/guest_map.h"
#include "hv/mm.h"
#include "hv/mtrr.h"
#include "hv/vsva_shadow.h"

#define RAM_SIZE (4ull << 20)
#define NPAGES	 512u
#define FLF	 (VTD_FL_P | VTD_FL_RW | VTD_FL_US)

/* ---- environment ------------------------------------------------------------------- */

int iommu_env_alloc_frames(uint64_t frames, hpa_t *out)
{
	void *p = aligned_alloc(VTD_PAGE_SIZE, frames * VTD_PAGE_SIZE);

	if (!p)
		return -ENOMEM;
	memset(p, 0, frames * VTD_PAGE_SIZE);
	*out = (hpa_t)(uintptr_t)p;
	return 0;
}

void iommu_env_free_frames(hpa_t hpa, uint64_t frames)
{
	free((void *)(uintptr_t)hpa);
}

void *iommu_env_hpa_to_va(hpa_t hpa)
{
	return (void *)(uintptr_t)hpa;
}

void iommu_env_clflush(void *p, size_t len)
{
}

void *hpa_to_hva(hpa_t hpa)
{
	return (void *)(uintptr_t)hpa;
}

bool host_hpa_mapped(hpa_t hpa, uint64_t len)
{
	return true;
}

void log_printf(int level, const char *prefix, const char *fmt, ...)
{
}

uint8_t mtrr_type(const struct mtrr_state *s, uint64_t pa, uint64_t *next)
{
	return MEMTYPE_WB;
}

const char *mtrr_type_name(uint8_t type)
{
	return "WB";
}

/* ---- the fake guest ---------------------------------------------------------------- */

static uint8_t *ram;
static struct guest_map map;
static struct vtd_unit unit;
static struct vtd_slpt sl;
static uint64_t next_table;

static void must(int r, const char *what)
{
	if (r) {
		fprintf(stderr, "bench_vsva: %s: %d\n", what, r);
		exit(1);
	}
}

static uint64_t new_table(void)
{
	uint64_t gpa = (uint64_t)(uintptr_t)ram + next_table;

	next_table += VTD_PAGE_SIZE;
	return gpa;
}

/* GVA [0x400000, + NPAGES pages) -> data pages after the tables. */
static uint64_t guest_process(void)
{
	uint64_t root = new_table(), pdpt = new_table(), pd = new_table(), pt = new_table();
	uint64_t data = (uint64_t)(uintptr_t)ram + (1ull << 20);

	((uint64_t *)(uintptr_t)root)[0] = pdpt | FLF;
	((uint64_t *)(uintptr_t)pdpt)[0] = pd | FLF;
	((uint64_t *)(uintptr_t)pd)[2] = pt | FLF; /* GVA 0x400000 */
	for (unsigned int i = 0; i < NPAGES; i++)
		((uint64_t *)(uintptr_t)pt)[i] = (data + i * VTD_PAGE_SIZE) | FLF;
	return root;
}

static void setup(void)
{
	ram = aligned_alloc(1 << 21, RAM_SIZE);
	must(!ram, "guest RAM");
	memset(ram, 0, RAM_SIZE);
	map.count = 1;
	map.r[0] = (struct guest_mem_range){ (uint64_t)(uintptr_t)ram, RAM_SIZE, GUEST_MEM_RAM,
					     MEMTYPE_WB };
	map.ram_bytes = RAM_SIZE;
	map.top = (uint64_t)(uintptr_t)ram + RAM_SIZE;
	unit.sl_levels = 4;
	unit.pt_coherent = true; /* cap 0: 4-KiB second-level pages only, no FL1GP */
	must(vtd_slpt_init(&sl, &unit), "SL init");
	must(vtd_slpt_map(&sl, (uint64_t)(uintptr_t)ram, (uint64_t)(uintptr_t)ram, RAM_SIZE,
			  VTD_SL_R | VTD_SL_W),
	     "SL map");
}

static __attribute__((noinline)) void cg_part(const char *name, struct vsva_shadow *s, uint64_t gva,
					      uint64_t pages)
{
	CALLGRIND_ZERO_STATS;
	CALLGRIND_TOGGLE_COLLECT;
	vsva_shadow_sync(s, gva, pages);
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT(name);
}

int main(void)
{
	struct vsva_gpa_map gm = { .map = &map, .sl = &sl };
	struct vsva_shadow s;
	uint64_t root;

	setup();
	root = guest_process();
	must(vsva_shadow_init(&s, &unit, &gm, root), "shadow init");
	cg_part("bind-512", &s, 0, 0);
	if (s.pages != NPAGES || s.refused)
		must(1, "the bind did not shadow every page");
	cg_part("inv-1", &s, 0x400000, 1);
	cg_part("inv-512", &s, 0x400000, NPAGES);
	cg_part("whole-512", &s, 0, 0);
	printf("shadowed %llu pages in %llu leaves, %llu table frames\n",
	       (unsigned long long)s.pages, (unsigned long long)s.leaves,
	       (unsigned long long)s.pt.table_frames);
	vsva_shadow_destroy(&s);
	vtd_slpt_destroy(&sl);
	free(ram);
	return 0;
}
