// SPDX-License-Identifier: MIT
/* The host PASID space and the shared-PASID allocator (hv/pasid_space.h). */
#include <string.h>

#include "guest/include/vsva_hv.h"
#include "hv/pasid_space.h"

#define NR_SHARED (PASID_HOST_MAX + 1 - PASID_SHARED_HFIRST)

/* One machine-wide allocator: host PASIDs are a resource of the platform, not a guest. */
static uint8_t pasid_space_state[NR_SHARED]; /* enum below, per shared host PASID */
static uint32_t pasid_space_end;	     /* one past the last usable host PASID */
static uint32_t pasid_space_next;	     /* where the next search starts */

enum {
	HP_FREE = 0,
	HP_USED = 1,
	HP_DEFUNCT = 2
};

void pasid_space_init(unsigned int pasid_bits)
{
	memset(pasid_space_state, 0, sizeof(pasid_space_state));
	pasid_space_end = pasid_bits >= 17 ?
				  (pasid_bits >= 20 ? PASID_HOST_MAX + 1 : 1u << pasid_bits) :
				  PASID_SHARED_HFIRST;
	pasid_space_next = PASID_SHARED_HFIRST;
}

bool pasid_space_shared_ok(void)
{
	return pasid_space_end > PASID_SHARED_HFIRST;
}

static uint8_t *state(uint32_t hpasid)
{
	if (hpasid < PASID_SHARED_HFIRST || hpasid >= pasid_space_end)
		return NULL;
	return &pasid_space_state[hpasid - PASID_SHARED_HFIRST];
}

/* First host PASID in state @want, searching round-robin from pasid_space_next. */
static bool find(uint8_t want, uint32_t *hpasid)
{
	uint32_t n = pasid_space_end - PASID_SHARED_HFIRST;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = PASID_SHARED_HFIRST + (pasid_space_next - PASID_SHARED_HFIRST + i) % n;

		if (*state(p) == want) {
			*hpasid = p;
			return true;
		}
	}
	return false;
}

int pasid_space_alloc(uint32_t *hpasid)
{
	uint32_t p;

	if (!pasid_space_shared_ok())
		return -VSVA_ENOSPC;
	if (!find(HP_FREE, &p) && !find(HP_DEFUNCT, &p))
		return -VSVA_ENOSPC;
	*state(p) = HP_USED;
	pasid_space_next = p + 1 < pasid_space_end ? p + 1 : PASID_SHARED_HFIRST;
	*hpasid = p;
	return 0;
}

void pasid_space_free(uint32_t hpasid)
{
	uint8_t *s = state(hpasid);

	if (s && *s == HP_USED)
		*s = HP_DEFUNCT;
}

void pasid_space_cancel(uint32_t hpasid)
{
	uint8_t *s = state(hpasid);

	if (s && *s == HP_USED)
		*s = HP_FREE;
}

bool pasid_space_is_defunct(uint32_t hpasid)
{
	uint8_t *s = state(hpasid);

	return s && *s == HP_DEFUNCT;
}

bool pasid_space_in_use(uint32_t hpasid)
{
	uint8_t *s = state(hpasid);

	return s && *s == HP_USED;
}
