// SPDX-License-Identifier: MIT
/*
 * hv/vsva_shadow.c - software nesting: shadow first-level tables (hv/vsva_shadow.h).
 *
 * Addresses inside the shadow are 48-bit "table indices": a canonical GVA with its bits
 * 63:48 dropped, which is how a 4-level walk indexes (VT-d §3.6, §9.7). Every sync has a
 * work budget (guest entries examined + shadow leaves written), so a guest table that
 * loops, or maps one RAM page at every GVA, costs bounded time: what the budget does not
 * reach stays unmapped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_PREFIX "vsva"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/vsva_shadow.h"
#include "iommu/iommu_env.h"

#define ENTRIES	    512u
#define VA_BITS	    48
#define VA_LIMIT    (1ull << VA_BITS)
#define TABLE_FLAGS (VTD_FL_P | VTD_FL_RW | VTD_FL_US) /* non-leaf: everything granted */
/* Guest entry bits that must be 0 (VT-d §9.7, HAW <= 52): 62:52. */
#define G_RSVD VTD_GENMASK(62, 52)
/* Work one sync may do: guest entries examined plus shadow leaves written. */
#define SYNC_BUDGET (1ull << 20)

struct walk {
	struct vsva_shadow *s;
	uint64_t budget;
	bool full; /* out of frames or budget: stop, the rest stays unmapped */
};

static unsigned int level_shift(unsigned int level)
{
	return PAGE_SHIFT + 9 * (level - 1);
}

static unsigned int index_of(uint64_t va, unsigned int level)
{
	return (unsigned int)((va >> level_shift(level)) & (ENTRIES - 1));
}

static uint64_t *tva(hpa_t t)
{
	return iommu_env_hpa_to_va(t);
}

static void set_entry(struct vsva_shadow *s, uint64_t *p, uint64_t v)
{
	vtd_set64(p, v);
	if (!s->pt.coherent)
		iommu_env_clflush(p, sizeof(*p));
}

int vsva_gpa_lookup(const struct vsva_gpa_map *gm, gpa_t gpa, hpa_t *hpa, uint64_t *page_size,
		    uint64_t *prot)
{
	if (gm->sl)
		return vtd_slpt_lookup(gm->sl, gpa, hpa, page_size, prot);
	if (gm->fl)
		return vtd_flpt_lookup(gm->fl, gpa, hpa, page_size, prot);
	return -ENOENT;
}

int vsva_shadow_init(struct vsva_shadow *s, const struct vtd_unit *u, const struct vsva_gpa_map *gm,
		     gpa_t groot)
{
	memset(s, 0, sizeof(*s));
	if (!gm || !gm->map || (!gm->sl && !gm->fl))
		return -EINVAL;
	if (vtd_flpt_init(&s->pt, u))
		return -ENOMEM;
	s->gm = *gm;
	s->groot = groot;
	s->live = true;
	return 0;
}

/* Free every table below @t (level @level) and clear its entries. */
static void free_below(struct vsva_shadow *s, hpa_t t, unsigned int level)
{
	uint64_t *e = tva(t);

	for (unsigned int i = 0; i < ENTRIES; i++) {
		uint64_t v = vtd_get64(&e[i]);

		if (!(v & VTD_FL_P))
			continue;
		if (level > 1 && !(v & VTD_FL_PS)) {
			free_below(s, v & VTD_FL_ADDR, level - 1);
			iommu_env_free_frames(v & VTD_FL_ADDR, 1);
			s->pt.table_frames--;
		}
		e[i] = 0;
	}
	if (!s->pt.coherent)
		iommu_env_clflush(e, PAGE_SIZE);
}

void vsva_shadow_destroy(struct vsva_shadow *s)
{
	if (!s->live)
		return;
	vtd_flpt_destroy(&s->pt);
	s->live = false;
}

/* One shadow leaf of level @target (1: 4 KiB, 2: 2 MiB, 3: 1 GiB) at @va -> @hpa. */
static int set_leaf(struct vsva_shadow *s, uint64_t va, hpa_t hpa, unsigned int target,
		    uint64_t flags)
{
	hpa_t t = s->pt.root;
	uint64_t *p;

	for (unsigned int lvl = s->pt.levels; lvl > target; lvl--) {
		uint64_t e;
		hpa_t n;

		p = &tva(t)[index_of(va, lvl)];
		e = vtd_get64(p);
		if (!(e & VTD_FL_P)) {
			if (s->pt.table_frames >= VSVA_SHADOW_MAX_FRAMES ||
			    iommu_env_alloc_frames(1, &n))
				return -ENOMEM;
			s->pt.table_frames++;
			if (!s->pt.coherent)
				iommu_env_clflush(tva(n), PAGE_SIZE);
			e = n | TABLE_FLAGS;
			set_entry(s, p, e);
		} else if (e & VTD_FL_PS) {
			return -EEXIST; /* the range was unmapped: cannot happen */
		}
		t = e & VTD_FL_ADDR;
	}
	p = &tva(t)[index_of(va, target)];
	if (vtd_get64(p) & VTD_FL_P)
		return -EEXIST;
	set_entry(s, p, (hpa & VTD_FL_ADDR) | flags | (target > 1 ? VTD_FL_PS : 0));
	return 0;
}

/* The largest shadow leaf for [va, va + len) -> gpa whose HPA side is one SL leaf. */
static unsigned int pick_level(const struct vsva_shadow *s, uint64_t va, gpa_t gpa, hpa_t hpa,
			       uint64_t len, uint64_t sl_page)
{
	const struct guest_map *m = s->gm.map;
	static const uint64_t sz[] = { 0, PAGE_SIZE, SIZE_2M, SIZE_1G };

	for (unsigned int lvl = 3; lvl > 1; lvl--) {
		uint64_t z = sz[lvl];

		if (!(s->pt.large_pages & z) || len < z || sl_page < z ||
		    !IS_ALIGNED(va | gpa | hpa, z))
			continue;
		if (guest_map_kind(m, gpa, z) == GUEST_MEM_RAM &&
		    guest_map_kind(m, hpa, z) == GUEST_MEM_RAM)
			return lvl;
	}
	return 1;
}

/*
 * Shadow GVAs [va, va + len) -> GPAs [gpa, ...) of one guest leaf with the composed
 * guest permissions @gflags (RW, US, XD bits): each piece through the GPA -> HPA map.
 */
static void map_piece(struct walk *w, uint64_t va, gpa_t gpa, uint64_t len, uint64_t gflags)
{
	struct vsva_shadow *s = w->s;
	const struct guest_map *m = s->gm.map;

	while (len && !w->full) {
		uint64_t ps = 0, prot = 0, z, flags;
		unsigned int lvl;
		hpa_t hpa;

		if (!w->budget) {
			w->full = true;
			break;
		}
		w->budget--;
		if (guest_map_kind(m, gpa, PAGE_SIZE) != GUEST_MEM_RAM ||
		    vsva_gpa_lookup(&s->gm, gpa, &hpa, &ps, &prot) || !(prot & VTD_SL_R) ||
		    guest_map_kind(m, hpa, PAGE_SIZE) != GUEST_MEM_RAM) {
			s->refused++; /* not the guest's RAM (hypervisor, MMIO, absent) */
			va += PAGE_SIZE, gpa += PAGE_SIZE, len -= PAGE_SIZE;
			continue;
		}
		lvl = pick_level(s, va, gpa, hpa, len, ps);
		z = 1ull << level_shift(lvl);
		flags = VTD_FL_P | (gflags & (VTD_FL_US | VTD_FL_XD));
		if ((gflags & VTD_FL_RW) && (prot & VTD_SL_W))
			flags |= VTD_FL_RW;
		if (set_leaf(s, va, hpa, lvl, flags)) {
			w->full = true;
			break;
		}
		s->leaves++;
		s->pages += z >> PAGE_SHIFT;
		va += z, gpa += z, len -= z;
	}
	if (len)
		s->dropped += len >> PAGE_SHIFT;
}

/*
 * Walk the guest table at GPA @table (level @lvl, whose entry 0 maps @base) over
 * [start, end), composing @gflags; map what it maps.
 */
static void walk_guest(struct walk *w, gpa_t table, unsigned int lvl, uint64_t base, uint64_t start,
		       uint64_t end, uint64_t gflags)
{
	struct vsva_shadow *s = w->s;
	uint64_t sz = 1ull << level_shift(lvl), ps, prot;
	const uint64_t *ge;
	hpa_t hpa;

	/* Every guest pointer: 4-KiB aligned (FL_ADDR), guest RAM, readable, mapped. */
	if (guest_map_kind(s->gm.map, table, PAGE_SIZE) != GUEST_MEM_RAM ||
	    vsva_gpa_lookup(&s->gm, table, &hpa, &ps, &prot) || !(prot & VTD_SL_R) ||
	    guest_map_kind(s->gm.map, hpa, PAGE_SIZE) != GUEST_MEM_RAM ||
	    !host_hpa_mapped(hpa, PAGE_SIZE)) {
		s->refused++;
		return;
	}
	ge = hpa_to_hva(hpa);
	for (unsigned int i = index_of(start, lvl); i < ENTRIES && !w->full; i++) {
		uint64_t va = base + (uint64_t)i * sz, lo, hi, e, f;
		bool leaf;

		if (va >= end)
			break;
		e = __atomic_load_n(&ge[i], __ATOMIC_RELAXED); /* the guest may change it */
		if (!(e & VTD_FL_P))
			continue;
		if (!w->budget) {
			w->full = true;
			break;
		}
		w->budget--;
		leaf = lvl == 1 || (e & VTD_FL_PS);
		/* §9.7 reserved: bits 62:52; PS at PML4, at PDPE without 1-GiB pages; the
		 * low address bits of a large leaf. A hardware walk would fault: so does the
		 * shadow (not mapped). */
		if ((e & G_RSVD) || ((e & VTD_FL_PS) && lvl > 3) ||
		    ((e & VTD_FL_PS) && lvl == 3 && !(s->pt.large_pages & SIZE_1G)) ||
		    (leaf && lvl > 1 && (e & VTD_GENMASK(level_shift(lvl) - 1, PAGE_SHIFT + 1)))) {
			s->refused++;
			continue;
		}
		f = (gflags & e & (VTD_FL_RW | VTD_FL_US)) | ((gflags | e) & VTD_FL_XD);
		lo = MAX(start, va);
		hi = MIN(end, va + sz);
		if (leaf)
			map_piece(w, lo, (e & VTD_FL_ADDR & ~(sz - 1)) + (lo - va), hi - lo, f);
		else
			walk_guest(w, e & VTD_FL_ADDR, lvl - 1, va, lo, hi, f);
	}
}

void vsva_shadow_sync(struct vsva_shadow *s, uint64_t gva, uint64_t pages)
{
	struct walk w = { .s = s, .budget = SYNC_BUDGET };
	uint64_t start, end, half;

	if (!s->live)
		return;
	s->rebuilds++;
	if (!pages) {
		start = 0, end = VA_LIMIT;
		free_below(s, s->pt.root, s->pt.levels);
	} else {
		start = gva & (VA_LIMIT - 1) & PAGE_MASK;
		half = (start & (VA_LIMIT >> 1)) ? VA_LIMIT : VA_LIMIT >> 1;
		end = (pages > ((half - start) >> PAGE_SHIFT)) ? half :
								 start + (pages << PAGE_SHIFT);
		if (start >= end)
			return;
		if (vtd_flpt_unmap(&s->pt, start, end - start, NULL)) {
			/* A split ran out of frames: nothing stale may stay, drop it all. */
			log_warn("shadow of %#llx: unmap failed, shadow rebuilt whole",
				 (unsigned long long)s->groot);
			free_below(s, s->pt.root, s->pt.levels);
			start = 0, end = VA_LIMIT;
		}
	}
	walk_guest(&w, s->groot, s->pt.levels, 0, start, end,
		   VTD_FL_RW | VTD_FL_US /* XD clear: nothing forbidden yet */);
	if (w.full)
		log_warn("shadow of %#llx: out of frames or work budget: range partly unmapped",
			 (unsigned long long)s->groot);
}

/* ---- invariants ----------------------------------------------------------------- */

static int check_table(const struct vsva_shadow *s, hpa_t t, unsigned int lvl, uint64_t base,
		       char *why, size_t len)
{
	const uint64_t *e = tva(t);

	if (!e) {
		snprintf(why, len, "shadow table %#llx not the driver's", (unsigned long long)t);
		return -1;
	}
	for (unsigned int i = 0; i < ENTRIES; i++) {
		uint64_t v = vtd_get64(&e[i]), sz = 1ull << level_shift(lvl);
		uint64_t va = base + (uint64_t)i * sz;

		if (!(v & VTD_FL_P))
			continue;
		if (lvl == 1 || (v & VTD_FL_PS)) {
			hpa_t h = v & VTD_FL_ADDR & ~(sz - 1);

			if (guest_map_kind(s->gm.map, h, sz) != GUEST_MEM_RAM) {
				snprintf(why, len,
					 "shadow maps %#llx to HPA %#llx outside guest RAM",
					 (unsigned long long)va, (unsigned long long)h);
				return -1;
			}
			continue;
		}
		if ((v & TABLE_FLAGS) != TABLE_FLAGS) {
			snprintf(why, len, "shadow table entry for %#llx lacks P/RW/US",
				 (unsigned long long)va);
			return -1;
		}
		if (check_table(s, v & VTD_FL_ADDR, lvl - 1, va, why, len))
			return -1;
	}
	return 0;
}

int vsva_shadow_check(const struct vsva_shadow *s, char *why, size_t len)
{
	if (!s->live)
		return 0;
	if (s->pt.table_frames > VSVA_SHADOW_MAX_FRAMES + 4) { /* + splits of one unmap */
		snprintf(why, len, "shadow holds %llu frames",
			 (unsigned long long)s->pt.table_frames);
		return -1;
	}
	return check_table(s, s->pt.root, s->pt.levels, 0, why, len);
}
