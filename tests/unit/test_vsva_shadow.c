// SPDX-License-Identifier: MIT
/*
 * test_vsva_shadow.c - software nesting (hv/vsva_shadow.c through hv/vsva.c and its
 * hypercalls) against the VT-d reference model configured with first-level translation
 * (ECAP.FLTS) and no nesting (no ECAP.NEST): GVA DMA through the shadow FL table lands at
 * the right HPA; a guest table change is stale until the guest's invalidation; guest
 * entries pointing at hypervisor memory are never shadowed; permissions of both levels
 * compose; unbind, free and reset fault and give every shadow frame back; the
 * invariants (vsva_check()) hold after every call. A second fixture has no SLTS (the
 * guest's GPA -> HPA map is a first-level table, as on QEMU with x-flts=on).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "guest/include/vsva_hv.h"
#include "hv/guest_map.h"
#include "hv/hypercall.h"
#include "hv/mm.h"
#include "hv/pasid_space.h"
#include "hv/vsva.h"
#include "hv/vsva_hc.h"
#include "iommu/flpt.h"
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "tests/unit/support/hosted.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	 VTE_RAM_GPA /* guest RAM: GPA = HPA (2-MiB aligned) */
#define RAM_SIZE 0x200000ull
#define HV_HPA	 (RAM_GPA + RAM_SIZE) /* the hypervisor's image: absent from the guest map */
#define DID	 VTE_DID
#define SID_A	 VTD_SID(0, 3, 0)
#define DEV_A	 VSVA_DEVICE(0, 0, (3 << 3))
#define FL_P	 (1ull << 0)
#define FL_RW	 (1ull << 1)
#define FL_US	 (1ull << 2)
#define FL_PS	 (1ull << 7)
#define FLF	 (FL_P | FL_RW | FL_US)

#define OFF_ARG	   0x0000 /* hypercall structures */
#define OFF_TABLES 0x10000
#define OFF_DATA   0x100000

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t hv_page[0x1000] __attribute__((aligned(4096))); /* at HV_HPA */
static struct fx {
	struct vsva_test_env e;	    /* SID_A; SL or (fl_only) FL GPA -> HPA map; no NEST */
	unsigned int frames_before; /* env frames before any binding */
} fx;

static int setup_cfg(bool fl_only)
{
	struct vte_config vc = { .model = model_cfg_scalable(),
				 .ram = ram,
				 .ram_size = RAM_SIZE,
				 .nr_devs = 1,
				 .sid = { SID_A },
				 .fl_only = fl_only,
				 .model_ram = true,
				 .hypercalls = true,
				 .hv_size = 0x1000,
				 .hv_mem = hv_page, /* readable: it must not be used */
				 .tables_off = OFF_TABLES,
				 .tables_end = OFF_DATA };

	memset(&fx, 0, sizeof(fx));
	memset(hv_page, 0x5a, sizeof(hv_page));
	vc.model.ecap &= ~MODEL_ECAP_NEST;
	if (fl_only)
		vc.model.ecap &= ~MODEL_ECAP_SLTS;
	if (vte_setup(&fx.e, &vc))
		fail_msg("setup: %s", fx.e.failed);
	fx.frames_before = env_frames_live;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_cfg(false);
}

static int setup_fl_only(void **state)
{
	(void)state;
	return setup_cfg(true);
}

static int teardown(void **state)
{
	char why[160] = "";

	(void)state;
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), 0);
	vsva_guest_reset(&fx.e.g);
	assert_int_equal(env_frames_live, fx.frames_before); /* every shadow frame back */
	assert_int_equal(vte_teardown(&fx.e), 0);
	return 0;
}

/* ---- helpers -------------------------------------------------------------------- */

static void invariants(void)
{
	char why[160] = "";

	if (vsva_check(&fx.e.g, why, sizeof(why)))
		fail_msg("invariant: %s", why);
}

static int64_t hc(uint64_t nr, uint64_t a0, uint64_t a1)
{
	int64_t r = vte_hc(&fx.e, nr, a0, a1);

	invariants();
	return r;
}

static void *at(uint64_t off)
{
	return vte_at(&fx.e, off);
}

static uint64_t new_table(void)
{
	uint64_t t = vte_new_table(&fx.e);

	assert_true(t);
	return t;
}

/* The guest's entry of level @leaf_lvl for @gva under @root (tables made as needed). */
static uint64_t *fl_slot(uint64_t root, uint64_t gva, int leaf_lvl, uint64_t table_flags)
{
	uint64_t *e = vte_fl_slot(&fx.e, root, gva, leaf_lvl, table_flags);

	assert_non_null(e);
	return e;
}

static void fl_map(uint64_t root, uint64_t gva, uint64_t gpa, uint64_t flags)
{
	*fl_slot(root, gva, 1, FLF) = gpa | flags;
}

static struct model_xlate xlate_req(struct model_req r)
{
	return vte_xlate(&fx.e, r);
}

static struct model_xlate xlate(uint32_t pasid, uint64_t addr, bool write)
{
	return xlate_req(
		(struct model_req){ .sid = SID_A, .pasid = pasid, .addr = addr, .write = write });
}

/* A DMA of 8 bytes at @addr (GVA) with PASID @pasid; 0 or the model's fault. */
static int dma(uint32_t pasid, uint64_t addr, uint64_t *v, bool write)
{
	return vte_dma(
		&fx.e,
		(struct model_req){ .sid = SID_A, .pasid = pasid, .addr = addr, .write = write },
		v);
}

static int64_t do_bind_levels(uint32_t pasid, uint64_t flptr, uint32_t levels, uint32_t flags)
{
	struct vsva_bind *b = at(OFF_ARG);

	memset(b, 0, 256);
	b->size = sizeof(*b);
	b->pasid = pasid;
	b->device = DEV_A;
	b->flptr = flptr;
	b->paging_levels = levels;
	b->flags = flags;
	return hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0);
}

static int64_t do_bind(uint32_t pasid, uint64_t flptr)
{
	return do_bind_levels(pasid, flptr, 4, 0);
}

/* One P_IOTLB request: @pages 0 = the whole PASID. */
static int64_t do_inv(uint32_t pasid, uint64_t addr, uint64_t pages)
{
	struct vsva_invalidate *v = at(OFF_ARG);

	memset(v, 0, VSVA_INVALIDATE_SIZE(1) + 64);
	v->size = VSVA_INVALIDATE_SIZE(1);
	v->count = 1;
	v->req[0] = (struct vsva_inv_req){ .type = VSVA_INV_IOTLB,
					   .flags = pages ? VSVA_INV_IH : 0,
					   .pasid = pasid,
					   .device = DEV_A,
					   .addr = addr,
					   .pages = pages };
	return hc(VSVA_HC_INVALIDATE, RAM_GPA + OFF_ARG, 0);
}

static uint32_t alloc_pasid(void)
{
	int64_t p;

	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	p = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0);
	assert_true(p > 0);
	return (uint32_t)p;
}

static const struct vsva_binding *binding(uint32_t gpasid)
{
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (fx.e.g.pasid[i].live && fx.e.g.pasid[i].gpasid == gpasid)
			return &fx.e.g.pasid[i].bind[0];
	fail_msg("PASID %u not live", gpasid);
	return NULL;
}

/* ---- capabilities ----------------------------------------------------------------- */

static void caps_report_software_nesting(void **state)
{
	struct vsva_capabilities_v2 *c = at(OFF_ARG);

	(void)state;
	memset(c, 0, sizeof(*c));
	c->v1.size = sizeof(*c);
	assert_int_equal(hc(VSVA_HC_CAPABILITIES, RAM_GPA + OFF_ARG, 0), 0);
	assert_true(c->v1.flags & VSVA_CAP_VSVA);
	assert_true(c->v1.flags & VSVA_CAP_NEST_SW);
	assert_false(c->v1.flags & VSVA_CAP_NEST_HW);
	assert_false(c->v1.flags & VSVA_CAP_SRE);
	assert_int_equal(c->v1.fl_levels, 1u << 4);
}

/* ---- bind --------------------------------------------------------------------------- */

static void bind_installs_a_first_level_entry_on_the_shadow(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table();
	struct vtd_pasid_entry pe;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	vtd_pasid_entry_get(&fx.e.dir[0], p, &pe);
	assert_true(vtd_pe_present(&pe));
	assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_FL);
	assert_int_equal(pe.val[2] & VTD_PE_2_FLPTR, binding(p)->shadow.pt.root);
	assert_int_not_equal(binding(p)->shadow.pt.root, root); /* never the guest's table */
	assert_int_equal(vtd_pe_did(&pe), DID);
}

static void gva_read_dma_lands_at_the_right_hpa(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA + 0x3000, FLF);
	*(uint64_t *)at(OFF_DATA + 0x3008) = 0x1234;
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7008, &got, false), 0);
	assert_int_equal(got, 0x1234);
}

static void gva_write_dma_lands_at_the_right_hpa(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), v = 0xfeed;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA + 0x5000, FLF);
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7010, &v, true), 0);
	assert_int_equal(*(uint64_t *)at(OFF_DATA + 0x5010), 0xfeed);
}

static void upper_half_gva_is_shadowed(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0, gva = 0xffff800000042000ull;

	(void)state;
	fl_map(root, gva, RAM_GPA + OFF_DATA, FLF);
	*(uint64_t *)at(OFF_DATA) = 77;
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, gva, &got, false), 0);
	assert_int_equal(got, 77);
}

static void guest_2m_page_is_shadowed_as_a_2m_leaf(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;
	struct model_xlate x;

	(void)state;
	*fl_slot(root, 0x40000000ull, 2, FLF) = RAM_GPA | FLF | FL_PS;
	*(uint64_t *)at(OFF_DATA + 0x18) = 99;
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x40000000ull + OFF_DATA + 0x18, &got, false), 0);
	assert_int_equal(got, 99);
	x = xlate(p, 0x40000000ull + OFF_DATA, false);
	assert_int_equal(x.page_size, 0x200000);
}

static void bind_refuses_5_level_and_supervisor_requests(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table();

	(void)state;
	assert_int_equal(do_bind_levels(p, root, 5, 0), -VSVA_EOPNOTSUPP);
	assert_int_equal(do_bind_levels(p, root, 4, VSVA_BIND_SRE), -VSVA_EOPNOTSUPP);
	assert_int_equal(env_frames_live, fx.frames_before); /* nothing left behind */
}

/* ---- invalidation ----------------------------------------------------------------- */

static void guest_change_is_stale_until_range_invalidation(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	*(uint64_t *)at(OFF_DATA) = 0x1111;
	*(uint64_t *)at(OFF_DATA + 0x4000) = 0x2222;
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &got, false), 0);	/* now in the IOTLB too */
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA + 0x4000, FLF); /* the guest remaps */
	assert_int_equal(dma(p, 0x7000, &got, false), 0);
	assert_int_equal(got, 0x1111); /* stale: the old mapping */
	assert_int_equal(do_inv(p, 0x7000, 1), 0);
	assert_int_equal(dma(p, 0x7000, &got, false), 0);
	assert_int_equal(got, 0x2222);
}

static void range_invalidation_flushes_the_iotlb(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;
	struct model_xlate x;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &got, false), 0);
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA + 0x4000, FLF);
	assert_int_equal(do_inv(p, 0x7000, 1), 0);
	x = xlate(p, 0x7000, false);
	assert_false(x.stale); /* the shadow changed and the unit's cache followed */
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA + 0x4000);
}

static void range_invalidation_leaves_other_pages_alone(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	fl_map(root, 0x9000, RAM_GPA + OFF_DATA + 0x1000, FLF);
	*(uint64_t *)at(OFF_DATA + 0x1000) = 0x3333;
	*(uint64_t *)at(OFF_DATA + 0x2000) = 0x4444;
	assert_int_equal(do_bind(p, root), 0);
	fl_map(root, 0x9000, RAM_GPA + OFF_DATA + 0x2000, FLF); /* not invalidated */
	assert_int_equal(do_inv(p, 0x7000, 1), 0);
	assert_int_equal(dma(p, 0x9000, &got, false), 0);
	assert_int_equal(got, 0x3333);
}

static void unmapped_by_guest_faults_after_invalidation(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	*fl_slot(root, 0x7000, 1, FLF) = 0;
	assert_int_equal(do_inv(p, 0x7000, 1), 0);
	assert_int_equal(dma(p, 0x7000, &got, false), MODEL_FR_SM_FL_P);
}

static void mapped_by_guest_after_bind_appears_after_invalidation(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	assert_int_equal(do_bind(p, root), 0); /* an empty process */
	assert_int_equal(dma(p, 0x600000, &got, false), MODEL_FR_SM_FL_P);
	fl_map(root, 0x600000, RAM_GPA + OFF_DATA, FLF);
	*(uint64_t *)at(OFF_DATA) = 5;
	assert_int_equal(do_inv(p, 0x600000, 1), 0);
	assert_int_equal(dma(p, 0x600000, &got, false), 0);
	assert_int_equal(got, 5);
}

static void whole_pasid_invalidation_rebuilds_every_page(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	fl_map(root, 0x80000000ull, RAM_GPA + OFF_DATA, FLF);
	*(uint64_t *)at(OFF_DATA + 0x6000) = 0x6666;
	assert_int_equal(do_bind(p, root), 0);
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA + 0x6000, FLF);
	fl_map(root, 0x80000000ull, RAM_GPA + OFF_DATA + 0x6000, FLF);
	assert_int_equal(do_inv(p, 0, 0), 0);
	assert_int_equal(dma(p, 0x7000, &got, false), 0);
	assert_int_equal(got, 0x6666);
	got = 0;
	assert_int_equal(dma(p, 0x80000000ull, &got, false), 0);
	assert_int_equal(got, 0x6666);
}

static void whole_pasid_invalidation_frees_tables_of_unmapped_ranges(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table();
	uint64_t frames;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	fl_map(root, 0x8000000000ull, RAM_GPA + OFF_DATA, FLF); /* another PML4 slot */
	assert_int_equal(do_bind(p, root), 0);
	frames = binding(p)->shadow.pt.table_frames;
	*(uint64_t *)at(root - RAM_GPA + 8 * 1) = 0; /* the guest drops PML4 slot 1 */
	assert_int_equal(do_inv(p, 0, 0), 0);
	assert_int_equal(binding(p)->shadow.pt.table_frames, frames - 3);
}

/* ---- hypervisor memory and bad guest tables ----------------------------------------- */

static void pte_to_hypervisor_memory_is_not_shadowed(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, HV_HPA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(vtd_flpt_lookup(&binding(p)->shadow.pt, 0x7000, NULL, NULL, NULL),
			 -ENOENT);
	assert_int_equal(dma(p, 0x7000, &got, false), MODEL_FR_SM_FL_P);
	assert_true(binding(p)->shadow.refused > 0);
}

static void pte_to_hypervisor_memory_after_invalidation_faults(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), v = 0xbad;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	fl_map(root, 0x7000, HV_HPA, FLF);
	assert_int_equal(do_inv(p, 0x7000, 1), 0);
	assert_int_equal(dma(p, 0x7000, &v, true), MODEL_FR_SM_FL_P);
	assert_int_equal(hv_page[0], 0x5a); /* untouched */
}

static void large_guest_page_over_hypervisor_memory_is_not_shadowed(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	/* A 2-MiB guest page at HV_HPA: all of it outside guest RAM. */
	*fl_slot(root, 0x40000000ull, 2, FLF) = HV_HPA | FLF | FL_PS;
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x40000000ull, &got, false), MODEL_FR_SM_FL_P);
}

static void table_pointer_to_hypervisor_memory_is_not_followed(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	/* PML4 entry 0 points at the hypervisor's page: a PDPT the guest may not name. */
	((uint64_t *)at(root - RAM_GPA))[0] = HV_HPA | FLF;
	memset(hv_page, 0, sizeof(hv_page));
	((uint64_t *)hv_page)[0] = RAM_GPA | FLF | FL_PS; /* would be a 1-GiB page */
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(binding(p)->shadow.pt.table_frames, 1); /* the root only */
	assert_int_equal(dma(p, 0x7000, &got, false), MODEL_FR_SM_FL_P);
}

static void reserved_bits_in_a_guest_entry_are_not_shadowed(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF | (1ull << 55));
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &got, false), MODEL_FR_SM_FL_P);
}

static void guest_table_loop_is_bounded(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;
	uint64_t *t = at(root - RAM_GPA);

	(void)state;
	/* Every PML4 entry points back at the PML4 (a self-map, 512^4 paths). */
	for (int i = 0; i < 512; i++)
		t[i] = root | FLF;
	assert_int_equal(do_bind(p, root), 0); /* returns: bounded work and frames */
	assert_true(binding(p)->shadow.pt.table_frames <= VSVA_SHADOW_MAX_FRAMES);
	assert_int_equal(dma(p, 0x7000, &got, false), 0); /* maps the PML4 page itself */
}

/* ---- permissions -------------------------------------------------------------------- */

static void read_only_guest_leaf_refuses_write_dma(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), v = 1;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FL_P | FL_US);
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &v, true), MODEL_FR_SM_WRITE);
}

static void read_only_guest_leaf_allows_read_dma(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), v = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FL_P | FL_US);
	*(uint64_t *)at(OFF_DATA) = 8;
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &v, false), 0);
	assert_int_equal(v, 8);
}

static void read_only_upper_guest_level_refuses_write_dma(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), v = 1;

	(void)state;
	*fl_slot(root, 0x7000, 1, FL_P | FL_US) = RAM_GPA + OFF_DATA + FLF; /* RO tables */
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &v, true), MODEL_FR_SM_WRITE);
}

static void supervisor_guest_page_refuses_user_dma(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), v = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FL_P | FL_RW);
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &v, false), MODEL_FR_SM_FL_US);
}

static void execute_disabled_guest_level_is_kept(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table();
	struct model_xlate x;

	(void)state;
	*fl_slot(root, 0x7000, 1, FLF | (1ull << 63)) = RAM_GPA + OFF_DATA + FLF;
	assert_int_equal(do_bind(p, root), 0);
	x = xlate_req((struct model_req){ .sid = SID_A, .pasid = p, .addr = 0x7000 });
	assert_false(x.x);
}

static void read_only_second_level_refuses_write_dma(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), v = 1;

	(void)state;
	/* The hypervisor maps the data page read-only (GPA -> HPA). */
	if (fx.e.cfg.fl_only) {
		assert_int_equal(vtd_flpt_unmap(&fx.e.fl, RAM_GPA + OFF_DATA, 0x1000, NULL), 0);
		assert_int_equal(vtd_flpt_map(&fx.e.fl, RAM_GPA + OFF_DATA, RAM_GPA + OFF_DATA,
					      0x1000, VTD_SL_R),
				 0);
	} else {
		assert_int_equal(vtd_slpt_unmap(&fx.e.sl, RAM_GPA + OFF_DATA, 0x1000, NULL), 0);
		assert_int_equal(vtd_slpt_map(&fx.e.sl, RAM_GPA + OFF_DATA, RAM_GPA + OFF_DATA,
					      0x1000, VTD_SL_R),
				 0);
	}
	fx.frames_before = env_frames_live; /* the split above took frames */
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &v, true), MODEL_FR_SM_WRITE);
}

/* ---- teardown ----------------------------------------------------------------------- */

static void unbind_faults(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &got, false), 0);
	assert_int_equal(hc(VSVA_HC_UNBIND, DEV_A, p), 0);
	assert_int_equal(dma(p, 0x7000, &got, false), MODEL_FR_SM_PE_P);
}

static void unbind_frees_the_shadow(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table();

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	assert_true(env_frames_live > fx.frames_before);
	assert_int_equal(hc(VSVA_HC_UNBIND, DEV_A, p), 0);
	assert_int_equal(env_frames_live, fx.frames_before);
}

static void free_before_unbind_frees_the_shadow(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table();

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(hc(VSVA_HC_PASID_FREE, p, 0), 0);
	assert_int_equal(env_frames_live, fx.frames_before);
}

static void reset_frees_the_shadow(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	vsva_guest_reset(&fx.e.g);
	invariants();
	assert_int_equal(env_frames_live, fx.frames_before);
	assert_int_not_equal(dma(p, 0x7000, &got, false), 0);
}

static void rebind_after_unbind_shadows_again(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table(), got = 0;

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	*(uint64_t *)at(OFF_DATA) = 42;
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(hc(VSVA_HC_UNBIND, DEV_A, p), 0);
	assert_int_equal(do_bind(p, root), 0);
	assert_int_equal(dma(p, 0x7000, &got, false), 0);
	assert_int_equal(got, 42);
}

/* ---- invariants --------------------------------------------------------------------- */

static void invariant_check_catches_a_shadow_leaf_on_hypervisor_memory(void **state)
{
	uint32_t p = alloc_pasid();
	uint64_t root = new_table();
	struct vsva_binding *b;
	char why[160] = "";

	(void)state;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA, FLF);
	assert_int_equal(do_bind(p, root), 0);
	b = (struct vsva_binding *)binding(p);
	/* Corrupt the shadow by hand (what a bug would do). */
	assert_int_equal(vtd_flpt_map(&b->shadow.pt, 0x9000, HV_HPA, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "outside guest RAM"));
	assert_int_equal(vtd_flpt_unmap(&b->shadow.pt, 0x9000, 0x1000, NULL), 0);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TF(f)	cmocka_unit_test_setup_teardown(f, setup_fl_only, teardown)
#define BOTH(f) T(f), TF(f)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(caps_report_software_nesting),
		BOTH(bind_installs_a_first_level_entry_on_the_shadow),
		BOTH(gva_read_dma_lands_at_the_right_hpa),
		BOTH(gva_write_dma_lands_at_the_right_hpa),
		T(upper_half_gva_is_shadowed),
		T(guest_2m_page_is_shadowed_as_a_2m_leaf),
		T(bind_refuses_5_level_and_supervisor_requests),
		BOTH(guest_change_is_stale_until_range_invalidation),
		T(range_invalidation_flushes_the_iotlb),
		T(range_invalidation_leaves_other_pages_alone),
		T(unmapped_by_guest_faults_after_invalidation),
		T(mapped_by_guest_after_bind_appears_after_invalidation),
		T(whole_pasid_invalidation_rebuilds_every_page),
		T(whole_pasid_invalidation_frees_tables_of_unmapped_ranges),
		BOTH(pte_to_hypervisor_memory_is_not_shadowed),
		T(pte_to_hypervisor_memory_after_invalidation_faults),
		T(large_guest_page_over_hypervisor_memory_is_not_shadowed),
		T(table_pointer_to_hypervisor_memory_is_not_followed),
		T(reserved_bits_in_a_guest_entry_are_not_shadowed),
		T(guest_table_loop_is_bounded),
		T(read_only_guest_leaf_refuses_write_dma),
		T(read_only_guest_leaf_allows_read_dma),
		T(read_only_upper_guest_level_refuses_write_dma),
		T(supervisor_guest_page_refuses_user_dma),
		T(execute_disabled_guest_level_is_kept),
		BOTH(read_only_second_level_refuses_write_dma),
		BOTH(unbind_faults),
		T(unbind_frees_the_shadow),
		T(free_before_unbind_frees_the_shadow),
		T(reset_frees_the_shadow),
		T(rebind_after_unbind_shadows_again),
		T(invariant_check_catches_a_shadow_leaf_on_hypervisor_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
