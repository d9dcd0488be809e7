// SPDX-License-Identifier: MIT
/*
 * test_vsva.c - the vSVA core (hv/vsva.c, hv/pasid_space.c, hv/pasid_xlate.c) through
 * its hypercalls (hv/vsva_hc.c, hv/hypercall.c), against the VT-d reference model with
 * hardware nesting: every call and its error paths, GVA -> GPA -> HPA by real nested
 * walks (model DMA with a PASID), stale-entry checks around each invalidation, and the
 * invariants (vsva_check()) after every call.
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
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "tests/unit/support/hosted.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	 VTE_RAM_GPA /* guest RAM: GPA = HPA, in model memory and hosted memory */
#define RAM_SIZE 0x200000ull
#define HV_HPA	 (RAM_GPA + RAM_SIZE) /* the hypervisor's image: absent from the guest map */
#define DID	 VTE_DID
#define SID_A	 VTD_SID(0, 3, 0)
#define SID_B	 VTD_SID(0, 4, 0) /* with ATS */
#define SID_X	 VTD_SID(0, 5, 0) /* not the guest's */
#define DEV_A	 VSVA_DEVICE(0, 0, (3 << 3))
#define DEV_B	 VSVA_DEVICE(0, 0, (4 << 3))
#define DEV_X	 VSVA_DEVICE(0, 0, (5 << 3))
#define FLF	 VTE_FLF /* P, RW, US */

/* Guest-RAM layout (offsets): structures, FL tables (bump allocated), data pages. */
#define OFF_ARG	   0x0000 /* hypercall structures */
#define OFF_TABLES 0x10000
#define OFF_DATA   0x100000

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct fx {
	struct vsva_test_env e; /* SID_A, SID_B (ATS), the VM, the guest, its hypercalls */
} fx;

static int setup_cfg(struct model_config c)
{
	struct vte_config vc = { .model = c,
				 .ram = ram,
				 .ram_size = RAM_SIZE,
				 .nr_devs = 2,
				 .sid = { SID_A, SID_B },
				 .ats_mask = 1u << 1,
				 .model_ram = true,
				 .hypercalls = true,
				 .pasid_translation = true,
				 .hv_size = 0x1000,
				 .tables_off = OFF_TABLES,
				 .tables_end = OFF_DATA };

	memset(&fx, 0, sizeof(fx));
	if (vte_setup(&fx.e, &vc))
		fail_msg("setup: %s", fx.e.failed);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_cfg(model_cfg_scalable());
}

static int setup_no_nesting(void **state)
{
	struct model_config c = model_cfg_scalable();

	(void)state;
	c.ecap &= ~(MODEL_ECAP_NEST | MODEL_ECAP_FLTS); /* no nesting of either kind */
	return setup_cfg(c);
}

static int setup_no_fl5(void **state)
{
	struct model_config c = model_cfg_scalable();

	(void)state;
	c.cap &= ~MODEL_CAP_FL5LP;
	c.ecap &= ~(MODEL_ECAP_SRS | MODEL_ECAP_EAFS);
	return setup_cfg(c);
}

static int teardown(void **state)
{
	char why[160] = "";

	(void)state;
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), 0);
	assert_int_equal(vte_teardown(&fx.e), 0); /* no frame leaked */
	return 0;
}

/* ---- helpers -------------------------------------------------------------------- */

static void invariants(void)
{
	char why[160] = "";
	int r = vsva_check(&fx.e.g, why, sizeof(why));

	if (r)
		fail_msg("invariant: %s", why);
}

/* One VMCALL as the guest makes it; the invariants hold after every call. */
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

/* Guest FL (4-level, 4 KiB) mapping GVA @gva -> GPA @gpa under root GPA @root. */
static void fl_map(uint64_t root, uint64_t gva, uint64_t gpa, uint64_t flags)
{
	assert_int_equal(vte_fl_map(&fx.e, root, gva, gpa, flags), 0);
}

/* A zeroed 4-KiB guest page for FL tables; returns its GPA. */
static uint64_t new_table(void)
{
	uint64_t t = vte_new_table(&fx.e);

	assert_true(t);
	return t;
}

static int dma(uint16_t sid, uint32_t pasid, uint64_t addr, uint64_t *v, bool write, bool ats)
{
	return vte_dma(
		&fx.e,
		(struct model_req){
			.sid = sid, .pasid = pasid, .addr = addr, .write = write, .ats = ats },
		v);
}

static struct model_xlate xlate(uint16_t sid, uint32_t pasid, uint64_t addr, bool ats)
{
	return vte_xlate(
		&fx.e, (struct model_req){ .sid = sid, .pasid = pasid, .addr = addr, .ats = ats });
}

static struct vsva_bind *bind_arg(uint32_t dev, uint32_t pasid, uint64_t flptr)
{
	struct vsva_bind *b = at(OFF_ARG);

	memset(b, 0, 256);
	b->size = sizeof(*b);
	b->pasid = pasid;
	b->device = dev;
	b->flptr = flptr;
	b->paging_levels = 4;
	return b;
}

static int64_t do_bind(uint32_t dev, uint32_t pasid, uint64_t flptr)
{
	bind_arg(dev, pasid, flptr);
	return hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0);
}

static struct vsva_invalidate *inv_arg(unsigned int n)
{
	struct vsva_invalidate *v = at(OFF_ARG);

	memset(v, 0, VSVA_INVALIDATE_SIZE(VSVA_INV_BATCH_MAX) + 64);
	v->size = VSVA_INVALIDATE_SIZE(n);
	v->count = n;
	return v;
}

static int64_t do_inv(void)
{
	return hc(VSVA_HC_INVALIDATE, RAM_GPA + OFF_ARG, 0);
}

static bool pe_present(int d, uint32_t hpasid)
{
	struct vtd_pasid_entry pe;

	vtd_pasid_entry_get(&fx.e.dir[d], hpasid, &pe);
	return vtd_pe_present(&pe);
}

/* A guest process: FL root with GVA @gva -> data page @data_off holding @val. */
static uint64_t process(uint64_t gva, uint64_t data_off, uint64_t val)
{
	uint64_t root = new_table();

	fl_map(root, gva, RAM_GPA + data_off, FLF);
	*(uint64_t *)at(data_off) = val;
	return root;
}

/* Attach A, allocate a RID-local PASID, bind it on A with a process; returns the PASID. */
static uint32_t bound_a(uint64_t gva, uint64_t data_off, uint64_t val, uint64_t *root)
{
	int64_t p;

	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	p = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0);
	assert_true(p > 0);
	*root = process(gva, data_off, val);
	assert_int_equal(do_bind(DEV_A, (uint32_t)p, *root), 0);
	return (uint32_t)p;
}

/* ---- capabilities and statistics ------------------------------------------------ */

static void caps_report_pasid_ranges_nesting_and_limits(void **state)
{
	struct vsva_capabilities_v2 *c = at(OFF_ARG);

	(void)state;
	memset(c, 0, sizeof(*c));
	c->v1.size = sizeof(*c);
	assert_int_equal(hc(VSVA_HC_CAPABILITIES, RAM_GPA + OFF_ARG, 0), 0);
	assert_int_equal(c->v1.size, VSVA_CAPABILITIES_SIZE_V2);
	assert_int_equal(c->v1.abi_version, VSVA_ABI_VERSION);
	assert_true(c->v1.flags & VSVA_CAP_VSVA);
	assert_true(c->v1.flags & VSVA_CAP_NEST_HW);
	assert_false(c->v1.flags & VSVA_CAP_NEST_SW);
	assert_true(c->v1.flags & VSVA_CAP_SHARED);
	assert_true(c->v1.flags & VSVA_CAP_PASID_XLT);
	assert_true(c->v1.flags & VSVA_CAP_SRE);
	assert_int_equal(c->v1.fl_levels, (1u << 4) | (1u << 5));
	assert_int_equal(c->rid_local_first, PASID_LOCAL_FIRST);
	assert_int_equal(c->rid_local_last, PASID_LOCAL_LAST);
	assert_int_equal(c->shared_first, PASID_SHARED_GFIRST);
	assert_int_equal(c->shared_last, PASID_SHARED_GLAST);
	assert_true(c->inv_batch_max >= 32);
	assert_int_equal(c->inv_types, VSVA_INV_TYPES_V1);
	assert_int_equal(c->fl_page_sizes, (1ull << 12) | (1ull << 21) | (1ull << 30));
	assert_int_equal(c->nr_ranges, 2);
	assert_int_equal(c->ranges[0].last, (1ull << 56) - 1);
}

static void caps_v1_caller_gets_only_v1_bytes(void **state)
{
	struct vsva_capabilities *c = at(OFF_ARG);

	(void)state;
	memset(at(OFF_ARG), 0, 256);
	c->size = VSVA_CAPABILITIES_SIZE_V1;
	assert_int_equal(hc(VSVA_HC_CAPABILITIES, RAM_GPA + OFF_ARG, 0), 0);
	assert_true(c->flags & VSVA_CAP_VSVA);
	for (unsigned int i = VSVA_CAPABILITIES_SIZE_V1; i < 256; i++)
		assert_int_equal(ram[OFF_ARG + i], 0);
}

static void caps_without_nesting_say_no_vsva(void **state)
{
	struct vsva_capabilities_v2 *c = at(OFF_ARG);

	(void)state;
	memset(c, 0, sizeof(*c));
	c->v1.size = sizeof(*c);
	assert_int_equal(hc(VSVA_HC_CAPABILITIES, RAM_GPA + OFF_ARG, 0), 0);
	assert_false(c->v1.flags & VSVA_CAP_VSVA);
	assert_false(c->v1.flags & (VSVA_CAP_NEST_HW | VSVA_CAP_NEST_SW | VSVA_CAP_PASID_XLT));
	assert_int_equal(c->inv_batch_max, 0);
}

static void statistics_count_vsva_work(void **state)
{
	struct vsva_statistics_v2 *s = at(OFF_ARG + 0x1000);
	uint64_t root;
	uint32_t p = bound_a(0x7000, OFF_DATA, 1, &root);
	struct vsva_invalidate *v = inv_arg(2);

	(void)state;
	v->req[0] = (struct vsva_inv_req){ .type = VSVA_INV_IOTLB, .pasid = p, .device = DEV_A };
	v->req[1] =
		(struct vsva_inv_req){ .type = VSVA_INV_PASID_CACHE, .pasid = p, .device = DEV_A };
	assert_int_equal(do_inv(), 0);
	memset(s, 0, sizeof(*s));
	s->v1.size = sizeof(*s);
	assert_int_equal(hc(VSVA_HC_STATISTICS, RAM_GPA + OFF_ARG + 0x1000, 0), 0);
	assert_int_equal(s->v1.size, VSVA_STATISTICS_SIZE_V2);
	assert_int_equal(s->vsva_binds, 1);
	assert_int_equal(s->vsva_inv_batches, 1);
	assert_int_equal(s->vsva_inv_requests, 2);
	assert_int_equal(s->vsva_inv_descriptors, 2);
	assert_int_equal(s->vsva_pasids, 1);
	assert_int_equal(s->vsva_devices, 1);
}

/* ---- PASID allocation ----------------------------------------------------------- */

static void alloc_rid_local_numbers_and_requested_ones(void **state)
{
	(void)state;
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0), 1);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0), 2);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 77), 77);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 77), -VSVA_EBUSY);
	assert_int_equal(fx.e.g.xlate.entries, 0); /* RID-local: no VMCS translation */
}

static void alloc_rejects_bad_kind_and_range(void **state)
{
	(void)state;
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, 2, 0), -VSVA_EINVAL);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, PASID_SHARED_GFIRST),
			 -VSVA_EINVAL);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 5), -VSVA_EINVAL);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 1u << 20), -VSVA_EINVAL);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, 1ull << 32, 0), -VSVA_EINVAL);
	assert_int_equal(vsva_hc_guest(&fx.e.vm)->pasid[0].live, false);
}

static void alloc_shared_gets_host_pasid_and_vmcs_translation(void **state)
{
	int64_t g1, g2;
	uint32_t h1, h2;

	(void)state;
	g1 = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 0);
	g2 = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 0x9abc);
	assert_int_equal(g1, PASID_SHARED_GFIRST);
	assert_int_equal(g2, 0x9abc);
	assert_int_equal(pasid_xlate_lookup(&fx.e.g.xlate, (uint32_t)g1, &h1), 0);
	assert_int_equal(pasid_xlate_lookup(&fx.e.g.xlate, (uint32_t)g2, &h2), 0);
	assert_true(h1 >= PASID_SHARED_HFIRST && h2 >= PASID_SHARED_HFIRST && h1 != h2);
	assert_int_equal(fx.e.g.xlate.entries, 2);
	assert_int_equal(hc(VSVA_HC_PASID_FREE, (uint64_t)g1, 0), 0);
	assert_int_equal(pasid_xlate_lookup(&fx.e.g.xlate, (uint32_t)g1, &h2), -VSVA_ENOENT);
	assert_true(pasid_space_is_defunct(h1));
}

static void alloc_runs_out_of_slots(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		assert_true(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0) > 0);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0), -VSVA_ENOSPC);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 0), -VSVA_ENOSPC);
	assert_int_equal(fx.e.g.xlate.entries, 0);
}

static void free_rejects_unknown_pasids(void **state)
{
	(void)state;
	assert_int_equal(hc(VSVA_HC_PASID_FREE, 3, 0), -VSVA_ENOENT);
	assert_int_equal(hc(VSVA_HC_PASID_FREE, 1ull << 33, 0), -VSVA_EINVAL);
}

/* ---- devices -------------------------------------------------------------------- */

static void attach_authorizes_only_the_guests_devices(void **state)
{
	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_X, 0), -VSVA_ENODEV);
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, VSVA_DEVICE(1, 0, 3 << 3), 0), -VSVA_ENODEV);
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 1), -VSVA_EINVAL);
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), -VSVA_EBUSY);
	assert_int_equal(hc(VSVA_HC_DEVICE_DETACH, DEV_B, 0), -VSVA_ENOENT);
	assert_int_equal(hc(VSVA_HC_DEVICE_DETACH, DEV_A, 0), 0);
	assert_int_equal(hc(VSVA_HC_DEVICE_DETACH, DEV_A, 0), -VSVA_ENOENT);
}

/* ---- bind: nested walks --------------------------------------------------------- */

static void bind_makes_gva_translate_through_guest_fl_and_hv_sl(void **state)
{
	uint64_t root, got = 0;
	uint32_t p = bound_a(0x7000, OFF_DATA + 0x3000, 0xfeedf00d, &root);
	struct vtd_pasid_entry pe;
	struct model_xlate x;

	(void)state;
	vtd_pasid_entry_get(&fx.e.dir[0], p, &pe);
	assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_NESTED);
	assert_int_equal(vtd_pe_did(&pe), DID);
	assert_int_equal(pe.val[2] & VTD_PE_2_FLPTR, root);
	assert_int_equal(dma(SID_A, p, 0x7008, &got, false, false), 0);
	assert_int_equal(got, 0); /* the second qword of the page */
	assert_int_equal(dma(SID_A, p, 0x7000, &got, false, false), 0);
	assert_int_equal(got, 0xfeedf00d);
	got = 0x1234;
	assert_int_equal(dma(SID_A, p, 0x7010, &got, true, false), 0);
	assert_int_equal(*(uint64_t *)at(OFF_DATA + 0x3010), 0x1234);
	x = xlate(SID_A, p, 0x7000, false);
	assert_int_equal(x.fault, 0);
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA + 0x3000);
	assert_false(x.stale);
	/* Device B is not attached, and A's PASID is A's alone (RID-local). */
	assert_int_not_equal(dma(SID_B, p, 0x7000, &got, false, false), 0);
}

static void translate_call_walks_what_is_bound(void **state)
{
	uint64_t root;
	uint32_t p = bound_a(0x7000, OFF_DATA + 0x5000, 1, &root);
	struct vsva_translate *t = at(OFF_ARG + 0x800);

	(void)state;
	memset(t, 0, sizeof(*t));
	t->size = sizeof(*t);
	t->device = DEV_A;
	t->pasid = p;
	t->addr = 0x7123;
	assert_int_equal(hc(VSVA_HC_TRANSLATE, RAM_GPA + OFF_ARG + 0x800, 0), 0);
	assert_int_equal(t->status, VSVA_XLATE_OK);
	assert_int_equal(t->gpa, RAM_GPA + OFF_DATA + 0x5123);
	assert_int_equal(t->hpa, RAM_GPA + OFF_DATA + 0x5123);
	assert_int_equal(t->page_size, 4096);
	assert_int_equal(t->perms, VSVA_XLATE_R | VSVA_XLATE_W | VSVA_XLATE_U | VSVA_XLATE_X);
	/* A hole in the guest's tables. */
	t->addr = 0x9000;
	assert_int_equal(hc(VSVA_HC_TRANSLATE, RAM_GPA + OFF_ARG + 0x800, 0), 0);
	assert_int_equal(t->status, VSVA_XLATE_FL_NOT_PRESENT);
	assert_int_equal(t->level, 1);
	/* Not canonical for 4-level paging. */
	t->addr = 1ull << 50;
	assert_int_equal(hc(VSVA_HC_TRANSLATE, RAM_GPA + OFF_ARG + 0x800, 0), 0);
	assert_int_equal(t->status, VSVA_XLATE_NOT_CANONICAL);
	/* A guest PTE pointing at hypervisor memory: no SL mapping, and DMA faults. */
	fl_map(root, 0xa000, HV_HPA, FLF);
	t->addr = 0xa000;
	assert_int_equal(hc(VSVA_HC_TRANSLATE, RAM_GPA + OFF_ARG + 0x800, 0), 0);
	assert_int_equal(t->status, VSVA_XLATE_SL_NOT_MAPPED);
	{
		uint64_t v;

		assert_int_not_equal(dma(SID_A, p, 0xa000, &v, false, false), 0);
	}
	/* Errors: not bound on B, unknown PASID, reserved bytes. */
	t->device = DEV_B;
	assert_int_equal(hc(VSVA_HC_TRANSLATE, RAM_GPA + OFF_ARG + 0x800, 0), -VSVA_ENOENT);
	t->device = DEV_A;
	t->reserved = 1;
	assert_int_equal(hc(VSVA_HC_TRANSLATE, RAM_GPA + OFF_ARG + 0x800, 0), -VSVA_EINVAL);
}

static void bind_rejects_each_bad_argument_and_changes_nothing(void **state)
{
	uint64_t root = process(0x7000, OFF_DATA, 1);
	int64_t p;
	struct vsva_bind *b;

	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	p = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0);
	assert_int_equal(do_bind(DEV_B, (uint32_t)p, root), -VSVA_ENOENT);	 /* not attached */
	assert_int_equal(do_bind(DEV_A, (uint32_t)p + 1, root), -VSVA_ENOENT);	 /* not allocated */
	assert_int_equal(do_bind(DEV_A, (uint32_t)p, root + 8), -VSVA_EINVAL);	 /* unaligned */
	assert_int_equal(do_bind(DEV_A, (uint32_t)p, HV_HPA), -VSVA_EFAULT);	 /* hv memory */
	assert_int_equal(do_bind(DEV_A, (uint32_t)p, 0xfee00000), -VSVA_EFAULT); /* MMIO */
	assert_int_equal(do_bind(DEV_A, (uint32_t)p, 1ull << 52), -VSVA_EINVAL);
	b = bind_arg(DEV_A, (uint32_t)p, root);
	b->paging_levels = 3;
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EINVAL);
	b->paging_levels = 4;
	b->addr_width = 57;
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EINVAL);
	b->addr_width = 48;
	b->flags = 1u << 7;
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EINVAL);
	b->flags = 0;
	b->reserved = 1;
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EINVAL);
	b->reserved = 0;
	b->size = VSVA_BIND_SIZE_V1 - 8;
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EINVAL);
	b->size = 64;
	ram[OFF_ARG + 60] = 1; /* unknown trailing byte */
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EINVAL);
	ram[OFF_ARG + 60] = 0;
	assert_int_equal(hc(VSVA_HC_BIND, HV_HPA, 0), -VSVA_EFAULT);
	assert_false(pe_present(0, (uint32_t)p));
	assert_int_equal(fx.e.g.cnt.binds, 0);
	/* Then the good one, and once only. */
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), 0);
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EBUSY);
	assert_true(pe_present(0, (uint32_t)p));
}

static void bind_without_nest_is_not_supported(void **state)
{
	uint64_t root = process(0x7000, OFF_DATA, 1);
	int64_t p;

	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	p = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0);
	assert_int_equal(do_bind(DEV_A, (uint32_t)p, root), -VSVA_EOPNOTSUPP);
	assert_false(pe_present(0, (uint32_t)p));
}

static void bind_refuses_features_the_unit_lacks(void **state)
{
	uint64_t root = process(0x7000, OFF_DATA, 1);
	struct vsva_bind *b;
	int64_t p;

	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	p = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0);
	b = bind_arg(DEV_A, (uint32_t)p, root);
	b->paging_levels = 5;
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EOPNOTSUPP);
	b->paging_levels = 4;
	b->flags = VSVA_BIND_SRE;
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EOPNOTSUPP);
	b->flags = VSVA_BIND_EAFE;
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), -VSVA_EOPNOTSUPP);
	b->flags = VSVA_BIND_WPE;
	assert_int_equal(hc(VSVA_HC_BIND, RAM_GPA + OFF_ARG, 0), 0);
}

static void shared_pasid_binds_on_two_devices_under_one_host_pasid(void **state)
{
	uint64_t root = process(0x7000, OFF_DATA + 0x2000, 0xabc), got = 0;
	int64_t gp;
	uint32_t hp;

	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_B, 0), 0);
	gp = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 0);
	assert_int_equal(pasid_xlate_lookup(&fx.e.g.xlate, (uint32_t)gp, &hp), 0);
	assert_int_equal(do_bind(DEV_A, (uint32_t)gp, root), 0);
	assert_int_equal(do_bind(DEV_B, (uint32_t)gp, root), 0);
	assert_true(pe_present(0, hp) && pe_present(1, hp));
	assert_false(pe_present(0, (uint32_t)gp)); /* the guest's number is not in the tables */
	/* Devices issue the host PASID (ENQCMD translated it through the VMCS structure). */
	assert_int_equal(dma(SID_A, hp, 0x7000, &got, false, false), 0);
	assert_int_equal(got, 0xabc);
	got = 0;
	assert_int_equal(dma(SID_B, hp, 0x7000, &got, false, true), 0);
	assert_int_equal(got, 0xabc);
}

/* ---- invalidation --------------------------------------------------------------- */

static void fl_change_is_stale_until_iotlb_range_invalidation(void **state)
{
	uint64_t root, got;
	uint32_t p = bound_a(0x7000, OFF_DATA, 0x1111, &root);
	struct vsva_invalidate *v;
	struct model_xlate x;

	(void)state;
	*(uint64_t *)at(OFF_DATA + 0x4000) = 0x2222;
	assert_int_equal(dma(SID_A, p, 0x7000, &got, false, false), 0); /* now cached */
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA + 0x4000, FLF);		/* the guest remaps */
	x = xlate(SID_A, p, 0x7000, false);
	assert_true(x.stale); /* the control: the model sees the unflushed change */
	v = inv_arg(1);
	v->req[0] = (struct vsva_inv_req){ .type = VSVA_INV_IOTLB,
					   .flags = VSVA_INV_IH,
					   .pasid = p,
					   .device = DEV_A,
					   .addr = 0x7000,
					   .pages = 1 };
	assert_int_equal(do_inv(), 0);
	x = xlate(SID_A, p, 0x7000, false);
	assert_false(x.stale);
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA + 0x4000);
	assert_int_equal(dma(SID_A, p, 0x7000, &got, false, false), 0);
	assert_int_equal(got, 0x2222);
}

static void whole_pasid_invalidation_covers_every_page(void **state)
{
	uint64_t root, got;
	uint32_t p = bound_a(0x7000, OFF_DATA, 1, &root);
	struct vsva_invalidate *v;

	(void)state;
	fl_map(root, 0x400000, RAM_GPA + OFF_DATA + 0x1000, FLF);
	assert_int_equal(dma(SID_A, p, 0x7000, &got, false, false), 0);
	assert_int_equal(dma(SID_A, p, 0x400000, &got, false, false), 0);
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA + 0x2000, FLF);
	fl_map(root, 0x400000, RAM_GPA + OFF_DATA + 0x3000, FLF);
	assert_true(xlate(SID_A, p, 0x400000, false).stale);
	v = inv_arg(1);
	v->req[0] = (struct vsva_inv_req){ .type = VSVA_INV_IOTLB, .pasid = p, .device = DEV_A };
	assert_int_equal(do_inv(), 0);
	assert_false(xlate(SID_A, p, 0x7000, false).stale);
	assert_false(xlate(SID_A, p, 0x400000, false).stale);
	assert_int_equal(xlate(SID_A, p, 0x400000, false).hpa, RAM_GPA + OFF_DATA + 0x3000);
}

static void device_tlb_is_stale_until_devtlb_invalidation(void **state)
{
	uint64_t root = process(0x7000, OFF_DATA, 1), got;
	struct vsva_invalidate *v;
	int64_t p;

	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_B, 0), 0);
	p = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0);
	assert_int_equal(do_bind(DEV_B, (uint32_t)p, root), 0);
	assert_int_equal(dma(SID_B, (uint32_t)p, 0x7000, &got, false, true), 0);
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA + 0x6000, FLF);
	v = inv_arg(1);
	v->req[0] = (struct vsva_inv_req){ .type = VSVA_INV_IOTLB,
					   .pasid = (uint32_t)p,
					   .device = DEV_B,
					   .addr = 0x7000,
					   .pages = 1 };
	assert_int_equal(do_inv(), 0);
	assert_true(xlate(SID_B, (uint32_t)p, 0x7000, true).stale); /* device TLB still old */
	v = inv_arg(2);
	v->req[0] = (struct vsva_inv_req){ .type = VSVA_INV_IOTLB,
					   .pasid = (uint32_t)p,
					   .device = DEV_B,
					   .addr = 0x7000,
					   .pages = 1 };
	v->req[1] = (struct vsva_inv_req){ .type = VSVA_INV_DEVTLB,
					   .pasid = (uint32_t)p,
					   .device = DEV_B,
					   .addr = 0x7000,
					   .pages = 1 };
	assert_int_equal(do_inv(), 0);
	assert_false(xlate(SID_B, (uint32_t)p, 0x7000, true).stale);
}

static void a_batch_is_one_queue_submission(void **state)
{
	uint64_t root;
	uint32_t p = bound_a(0x7000, OFF_DATA, 1, &root);
	struct vsva_invalidate *v = inv_arg(VSVA_INV_BATCH_MAX);
	uint64_t subs;

	(void)state;
	for (unsigned int i = 0; i < VSVA_INV_BATCH_MAX; i++)
		v->req[i] = (struct vsva_inv_req){ .type = VSVA_INV_IOTLB,
						   .pasid = p,
						   .device = DEV_A,
						   .addr = 0x1000ull * i,
						   .pages = 1 };
	subs = fx.e.u.qi.submissions;
	assert_int_equal(do_inv(), 0);
	assert_int_equal(fx.e.u.qi.submissions, subs + 1);
	assert_int_equal(fx.e.u.qi.last_batch, VSVA_INV_BATCH_MAX + 1); /* + the wait */
}

static void invalidate_rejects_malformed_batches_without_submitting(void **state)
{
	uint64_t root;
	uint32_t p = bound_a(0x7000, OFF_DATA, 1, &root);
	struct vsva_invalidate *v;
	uint64_t subs = fx.e.u.qi.submissions;
	const struct vsva_inv_req ok = { .type = VSVA_INV_IOTLB, .pasid = p, .device = DEV_A };

	(void)state;
	v = inv_arg(0);
	v->size = VSVA_INVALIDATE_SIZE(1);
	assert_int_equal(do_inv(), -VSVA_EINVAL); /* count 0 */
	v = inv_arg(1);
	v->count = VSVA_INV_BATCH_MAX + 1;
	v->size = 4096;
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	v = inv_arg(2);
	v->size = VSVA_INVALIDATE_SIZE(1); /* too small for the count */
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	v = inv_arg(2);
	v->req[0] = ok;
	v->req[1] = ok;
	v->req[1].type = 9;
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	v->req[1] = ok;
	v->req[1].type = VSVA_INV_DEVTLB;
	v->req[1].flags = VSVA_INV_IH; /* IH is for the IOTLB only */
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	v->req[1] = ok;
	v->req[1].addr = 0x7004;
	v->req[1].pages = 1;
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	v->req[1].addr = 0xfffffffffffff000ull;
	v->req[1].pages = 2; /* wraps */
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	v->req[1] = ok;
	v->req[1].addr = 0x7000; /* address without pages */
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	v->req[1] = ok;
	v->req[1].reserved = 1;
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	v->req[1] = ok;
	v->req[1].device = DEV_B;
	assert_int_equal(do_inv(), -VSVA_ENOENT);
	v->req[1] = ok;
	v->req[1].pasid = p + 1;
	assert_int_equal(do_inv(), -VSVA_ENOENT);
	v->req[1] = ok;
	v->reserved = 1;
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	v->reserved = 0;
	v->size = VSVA_INVALIDATE_SIZE(2) + 8;
	ram[OFF_ARG + VSVA_INVALIDATE_SIZE(2) + 3] = 1;
	assert_int_equal(do_inv(), -VSVA_EINVAL);
	assert_int_equal(fx.e.u.qi.submissions, subs);
	assert_int_equal(fx.e.g.cnt.inv_batches, 0);
}

/* ---- unbind, free, detach, reset ------------------------------------------------ */

static void unbind_clears_entry_and_flushes(void **state)
{
	uint64_t root, got;
	uint32_t p = bound_a(0x7000, OFF_DATA, 1, &root);
	struct model_xlate x;

	(void)state;
	assert_int_equal(dma(SID_A, p, 0x7000, &got, false, false), 0);
	assert_int_equal(hc(VSVA_HC_UNBIND, DEV_A, p), 0);
	assert_false(pe_present(0, p));
	x = xlate(SID_A, p, 0x7000, false);
	assert_false(x.stale);
	assert_int_equal(x.fault, MODEL_FR_SM_PE_P);
	assert_int_equal(hc(VSVA_HC_UNBIND, DEV_A, p), -VSVA_ENOENT);
	assert_int_equal(hc(VSVA_HC_UNBIND, DEV_B, p), -VSVA_ENOENT);
	assert_int_equal(hc(VSVA_HC_UNBIND, 1ull << 40, p), -VSVA_EINVAL);
	/* The PASID stays allocated and can be bound again. */
	assert_int_equal(do_bind(DEV_A, p, root), 0);
}

static void free_before_unbind_tears_binding_down_and_drops_faults(void **state)
{
	uint64_t root = process(0x7000, OFF_DATA, 1), got;
	int64_t gp;
	uint32_t hp;
	struct model_xlate x;

	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_B, 0), 0);
	gp = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 0);
	assert_int_equal(pasid_xlate_lookup(&fx.e.g.xlate, (uint32_t)gp, &hp), 0);
	assert_int_equal(do_bind(DEV_B, (uint32_t)gp, root), 0);
	assert_int_equal(dma(SID_B, hp, 0x7000, &got, false, true), 0);
	assert_int_equal(vsva_fault_owner(&fx.e.g, SID_B, hp), gp);
	assert_int_equal(hc(VSVA_HC_PASID_FREE, (uint64_t)gp, 0), 0);
	assert_false(pe_present(1, hp));
	x = xlate(SID_B, hp, 0x7000, true); /* device TLB flushed too */
	assert_false(x.stale);
	assert_int_equal(x.fault, MODEL_FR_SM_PE_P);
	assert_true(pasid_space_is_defunct(hp));
	assert_int_equal(vsva_fault_owner(&fx.e.g, SID_B, hp), -VSVA_ENOENT);
	assert_int_equal(fx.e.g.cnt.faults_dropped, 1);
	assert_int_equal(hc(VSVA_HC_UNBIND, DEV_B, (uint64_t)gp), -VSVA_ENOENT);
}

static void detach_tears_down_the_devices_bindings(void **state)
{
	uint64_t root;
	uint32_t p = bound_a(0x7000, OFF_DATA, 1, &root);

	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_DETACH, DEV_A, 0), 0);
	assert_false(pe_present(0, p));
	assert_false(xlate(SID_A, p, 0x7000, false).stale);
	assert_int_equal(do_bind(DEV_A, p, root), -VSVA_ENOENT);
	/* RID_PASID (requests without PASID) still goes through the guest's SL. */
	assert_true(pe_present(0, 0));
}

static void guest_reset_releases_every_pasid_and_binding(void **state)
{
	uint64_t root;
	uint32_t p = bound_a(0x7000, OFF_DATA, 1, &root), hp;
	int64_t gp;

	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_B, 0), 0);
	gp = hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 0);
	assert_int_equal(pasid_xlate_lookup(&fx.e.g.xlate, (uint32_t)gp, &hp), 0);
	assert_int_equal(do_bind(DEV_B, (uint32_t)gp, root), 0);
	vsva_guest_reset(&fx.e.g);
	invariants();
	assert_false(pe_present(0, p));
	assert_false(pe_present(1, hp));
	assert_int_equal(fx.e.g.xlate.entries, 0);
	assert_true(pasid_space_is_defunct(hp));
	assert_int_equal(hc(VSVA_HC_PASID_FREE, p, 0), -VSVA_ENOENT);
	assert_int_equal(hc(VSVA_HC_DEVICE_DETACH, DEV_A, 0), -VSVA_ENOENT);
	/* The guest starts over. */
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0), 1);
}

/*
 * What vsva_boot_guest_reset() does on a triple fault (hv/vsva_boot.c: the VM's state
 * from vsva_hc_guest(), then vsva_guest_reset()): nothing of the guest is left, and its
 * numbers and host PASIDs can be taken again.
 */
static void reset_through_vm(uint32_t *p, uint32_t *gp, uint32_t *hp, uint64_t *root)
{
	struct vsva_guest *g;

	*p = bound_a(0x7000, OFF_DATA, 1, root);
	*gp = (uint32_t)hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 0);
	assert_int_equal(pasid_xlate_lookup(&fx.e.g.xlate, *gp, hp), 0);
	assert_int_equal(do_bind(DEV_A, *gp, *root), 0);
	g = vsva_hc_guest(&fx.e.vm);
	assert_ptr_equal(g, &fx.e.g);
	vsva_guest_reset(g);
	invariants();
}

static void vm_reset_leaves_no_pasid(void **state)
{
	uint32_t p, gp, hp;
	uint64_t root;

	(void)state;
	reset_through_vm(&p, &gp, &hp, &root);
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		assert_false(fx.e.g.pasid[i].live);
}

static void vm_reset_leaves_no_binding(void **state)
{
	uint32_t p, gp, hp;
	uint64_t root;
	struct vsva_translate *t = at(OFF_ARG);

	(void)state;
	reset_through_vm(&p, &gp, &hp, &root);
	memset(t, 0, 256);
	t->size = sizeof(*t);
	t->pasid = p;
	t->device = DEV_A;
	assert_int_equal(hc(VSVA_HC_TRANSLATE, RAM_GPA + OFF_ARG, 0), -VSVA_ENOENT);
}

static void vm_reset_leaves_no_physical_pasid_entry(void **state)
{
	uint32_t p, gp, hp;
	uint64_t root;

	(void)state;
	reset_through_vm(&p, &gp, &hp, &root);
	assert_false(pe_present(0, p));
	assert_false(pe_present(0, hp));
}

static void vm_reset_leaves_no_vmcs_translation(void **state)
{
	uint32_t p, gp, hp;
	uint64_t root;

	(void)state;
	reset_through_vm(&p, &gp, &hp, &root);
	assert_int_equal(fx.e.g.xlate.entries, 0);
}

static void vm_reset_releases_the_host_pasid(void **state)
{
	uint32_t p, gp, hp;
	uint64_t root;

	(void)state;
	reset_through_vm(&p, &gp, &hp, &root);
	assert_false(pasid_space_in_use(hp));
}

static void vm_reset_lets_the_guest_take_its_numbers_again(void **state)
{
	uint32_t p, gp, hp;
	uint64_t root;

	(void)state;
	reset_through_vm(&p, &gp, &hp, &root);
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, p), p);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, gp), gp);
}

static void vm_reset_lets_the_same_entries_be_bound_again(void **state)
{
	uint32_t p, gp, hp;
	uint64_t root;

	(void)state;
	reset_through_vm(&p, &gp, &hp, &root);
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, p), p);
	assert_int_equal(do_bind(DEV_A, p, root), 0);
	assert_true(pe_present(0, p));
}

/* ---- invariants: the checker itself --------------------------------------------- */

static void invariant_check_catches_a_foreign_did(void **state)
{
	uint64_t root;
	uint32_t p = bound_a(0x7000, OFF_DATA, 1, &root);
	uint64_t *dir = iommu_env_hpa_to_va(fx.e.dir[0].dir);
	struct vtd_pasid_entry *pe =
		(struct vtd_pasid_entry *)iommu_env_hpa_to_va(dir[p >> 6] & ~0xfffull) + (p & 63);
	char why[160] = "";

	(void)state;
	pe->val[1] ^= 1; /* DID 5 -> 4 behind vSVA's back */
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not the guest's"));
	pe->val[1] ^= 1;
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), 0);
}

static void invariant_check_catches_sl_mapping_hv_memory(void **state)
{
	char why[160] = "";

	(void)state;
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0);
	assert_int_equal(vtd_slpt_map(&fx.e.sl, 0x80000000, HV_HPA, 0x1000, VTD_SL_R), 0);
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "outside the guest map"));
	assert_int_equal(vtd_slpt_unmap(&fx.e.sl, 0x80000000, 0x1000, NULL), 0);
}

static void no_vsva_state_means_enodev(void **state)
{
	(void)state;
	vsva_hc_register(&fx.e.vm, NULL);
	assert_int_equal(hc(VSVA_HC_PASID_ALLOC, 0, 0), -VSVA_ENODEV);
	assert_int_equal(hc(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), -VSVA_ENODEV);
	vsva_hc_register(&fx.e.vm, &fx.e.g);
}

#define T(fn)	  cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TS(fn, s) cmocka_unit_test_setup_teardown(fn, s, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(caps_report_pasid_ranges_nesting_and_limits),
		T(caps_v1_caller_gets_only_v1_bytes),
		TS(caps_without_nesting_say_no_vsva, setup_no_nesting),
		T(statistics_count_vsva_work),
		T(alloc_rid_local_numbers_and_requested_ones),
		T(alloc_rejects_bad_kind_and_range),
		T(alloc_shared_gets_host_pasid_and_vmcs_translation),
		T(alloc_runs_out_of_slots),
		T(free_rejects_unknown_pasids),
		T(attach_authorizes_only_the_guests_devices),
		T(bind_makes_gva_translate_through_guest_fl_and_hv_sl),
		T(translate_call_walks_what_is_bound),
		T(bind_rejects_each_bad_argument_and_changes_nothing),
		TS(bind_without_nest_is_not_supported, setup_no_nesting),
		TS(bind_refuses_features_the_unit_lacks, setup_no_fl5),
		T(shared_pasid_binds_on_two_devices_under_one_host_pasid),
		T(fl_change_is_stale_until_iotlb_range_invalidation),
		T(whole_pasid_invalidation_covers_every_page),
		T(device_tlb_is_stale_until_devtlb_invalidation),
		T(a_batch_is_one_queue_submission),
		T(invalidate_rejects_malformed_batches_without_submitting),
		T(unbind_clears_entry_and_flushes),
		T(free_before_unbind_tears_binding_down_and_drops_faults),
		T(detach_tears_down_the_devices_bindings),
		T(guest_reset_releases_every_pasid_and_binding),
		T(vm_reset_leaves_no_pasid),
		T(vm_reset_leaves_no_binding),
		T(vm_reset_leaves_no_physical_pasid_entry),
		T(vm_reset_leaves_no_vmcs_translation),
		T(vm_reset_releases_the_host_pasid),
		T(vm_reset_lets_the_guest_take_its_numbers_again),
		T(vm_reset_lets_the_same_entries_be_bound_again),
		T(invariant_check_catches_a_foreign_did),
		T(invariant_check_catches_sl_mapping_hv_memory),
		T(no_vsva_state_means_enodev),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
