// SPDX-License-Identifier: MIT
/* Identity EPT from the guest map (hv/ept.h), SDM Vol. 3C 29.3. */
#include <errno.h>
#include <string.h>
#include "hv/ept.h"
#include "hv/mm.h"
#include "hv/vmx_caps.h"

#define EPT_LEVELS    4
#define EPT_ENTRIES   512
#define EPT_GPA_LIMIT (1ull << 48) /* a 4-level walk translates 48 bits */

static uint64_t level_size(int level)
{
	return 1ull << (PAGE_SHIFT + 9 * (level - 1));
}

static unsigned int level_index(gpa_t gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * (level - 1))) & (EPT_ENTRIES - 1);
}

static bool leaf_allowed(const struct ept *e, int level)
{
	return level == 1 || (level == 2 && e->use_2m) || (level == 3 && e->use_1g);
}

/* Map [gpa, end) 1:1 into the table at @table (HPA) of @level (4 = PML4 .. 1 = PT). */
static int ept_map(struct ept *e, hpa_t table, int level, gpa_t gpa, gpa_t end, uint8_t memtype)
{
	uint64_t *t = hpa_to_hva(table);

	while (gpa < end) {
		uint64_t size = level_size(level), *pte = &t[level_index(gpa, level)];
		gpa_t next = MIN(ALIGN_DOWN(gpa, size) + size, end);
		int ret;

		if (leaf_allowed(e, level) && IS_ALIGNED(gpa, size) && next - gpa == size &&
		    !*pte) {
			*pte = gpa | EPT_RWX | ((uint64_t)memtype << EPT_MEMTYPE_SHIFT) |
			       (level > 1 ? EPT_LARGE : 0);
			if (level == 3)
				e->pages_1g++;
			else if (level == 2)
				e->pages_2m++;
			else
				e->pages_4k++;
		} else {
			if (!*pte) {
				hpa_t child;

				ret = host_frames_alloc(1, 1, &child);
				if (ret)
					return ret;
				e->table_frames++;
				/* Non-leaf entries: RWX, so the leaf alone decides access. */
				*pte = child | EPT_RWX;
			} else if (*pte & EPT_LARGE) {
				return -EINVAL; /* ranges overlap: the guest map is broken */
			}
			ret = ept_map(e, *pte & EPT_ADDR_MASK, level - 1, gpa, next, memtype);
			if (ret)
				return ret;
		}
		gpa = next;
	}
	return 0;
}

int ept_build(struct ept *e, const struct guest_map *m, uint64_t ept_vpid_cap)
{
	int ret;

	memset(e, 0, sizeof(*e));
	e->use_1g = (ept_vpid_cap & VMX_EPT_1G) != 0;
	e->use_2m = (ept_vpid_cap & VMX_EPT_2M) != 0;
	ret = host_frames_alloc(1, 1, &e->pml4);
	if (ret)
		return ret;
	e->table_frames = 1;
	for (uint32_t i = 0; i < m->count; i++) {
		const struct guest_mem_range *r = &m->r[i];

		if (!IS_ALIGNED(r->base | r->size, PAGE_SIZE) || r->base >= EPT_GPA_LIMIT ||
		    r->size > EPT_GPA_LIMIT - r->base)
			return -EINVAL;
		ret = ept_map(e, e->pml4, EPT_LEVELS, r->base, r->base + r->size, r->memtype);
		if (ret)
			return ret;
	}
	return 0;
}

uint64_t ept_pointer(const struct ept *e, uint64_t ept_vpid_cap)
{
	uint64_t type = (ept_vpid_cap & VMX_EPT_WB) ? EPTP_MEMTYPE_WB : EPTP_MEMTYPE_UC;

	return e->pml4 | EPTP_WALK_4 | type;
}

uint64_t ept_lookup(const struct ept *e, gpa_t gpa, uint64_t *page_size)
{
	hpa_t table = e->pml4;

	for (int level = EPT_LEVELS; level >= 1; level--) {
		uint64_t pte = ((uint64_t *)hpa_to_hva(table))[level_index(gpa, level)];

		if (!(pte & EPT_RWX))
			return 0;
		if (level == 1 || (pte & EPT_LARGE)) {
			if (page_size)
				*page_size = level_size(level);
			return pte;
		}
		table = pte & EPT_ADDR_MASK;
	}
	return 0;
}
