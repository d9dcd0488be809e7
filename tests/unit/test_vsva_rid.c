// SPDX-License-Identifier: MIT
/*
 * test_vsva_rid.c - RID_PASID bindings of the vSVA core (hv/vsva.h vsva_rid_*()): a
 * guest first-level table on a device's requests WITHOUT PASID, against the VT-d
 * reference model (hardware nesting, and software nesting over an SL or FL GPA map):
 * model DMA without PASID walks GVA -> GPA -> HPA, the platform's second level comes
 * back on unbind, detach and guest reset, blocked means faults, refused calls change
 * nothing physical, guest invalidations of PASID 0 reach the binding (P_IOTLB in its own
 * DID, the device-TLB without PASID), and vsva_check() holds after every step.
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
#include "hv/vsva.h"
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "tests/unit/support/hosted.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	 VTE_RAM_GPA
#define RAM_SIZE 0x200000ull
#define HV_HPA	 (RAM_GPA + RAM_SIZE) /* the hypervisor's image: absent from the guest map */
#define SID_A	 VTD_SID(0, 3, 0)
#define SID_B	 VTD_SID(0, 4, 0) /* with ATS */
#define DEV_A	 VSVA_DEVICE(0, 0, (3 << 3))
#define DEV_B	 VSVA_DEVICE(0, 0, (4 << 3))
#define GVA	 0x7000ull
#define NOP	 MODEL_NO_PASID

#define OFF_TABLES 0x10000
#define OFF_DATA   0x100000
#define OFF_DATA2  0x101000

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct fx {
	struct vsva_test_env e; /* SID_A, SID_B (ATS), the guest; no hypercalls */
} fx;

enum nesting {
	HW,
	SW_SL,
	SW_FL
};

static int setup_cfg(enum nesting n)
{
	struct vte_config vc = { .model = model_cfg_scalable(),
				 .ram = ram,
				 .ram_size = RAM_SIZE,
				 .nr_devs = 2,
				 .sid = { SID_A, SID_B },
				 .ats_mask = 1u << 1,
				 .fl_only = n == SW_FL,
				 .model_ram = true,
				 .hv_size = 0x1000,
				 .tables_off = OFF_TABLES,
				 .tables_end = OFF_DATA };

	memset(&fx, 0, sizeof(fx));
	if (n != HW)
		vc.model.ecap &= ~MODEL_ECAP_NEST;
	if (n == SW_FL)
		vc.model.ecap &= ~MODEL_ECAP_SLTS;
	if (vte_setup(&fx.e, &vc))
		fail_msg("setup: %s", fx.e.failed);
	assert_int_equal(vsva_attach(&fx.e.g, DEV_A), 0);
	assert_int_equal(vsva_attach(&fx.e.g, DEV_B), 0);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_cfg(HW);
}

static int setup_sw_sl(void **state)
{
	(void)state;
	return setup_cfg(SW_SL);
}

static int setup_sw_fl(void **state)
{
	(void)state;
	return setup_cfg(SW_FL);
}

static int setup_no_fl5(void **state)
{
	(void)state;
	setup_cfg(HW);
	fx.e.u.cap &= ~VTD_CAP_FL5LP; /* as a unit without 5-level FL paging reports it */
	return 0;
}

static void invariants(void)
{
	char why[160] = "";

	if (vsva_check(&fx.e.g, why, sizeof(why)))
		fail_msg("invariant: %s", why);
}

static int teardown(void **state)
{
	(void)state;
	invariants();
	assert_int_equal(vte_teardown(&fx.e), 0); /* no frame leaked */
	return 0;
}

/* ---- helpers -------------------------------------------------------------------- */

static uint64_t *at(uint64_t off)
{
	return vte_at(&fx.e, off);
}

/* A guest FL table mapping GVA -> @data_off (GPA RAM_GPA + @data_off); its root GPA. */
static uint64_t table_to(uint64_t data_off)
{
	uint64_t root = vte_new_table(&fx.e);

	assert_true(root);
	assert_int_equal(vte_fl_map(&fx.e, root, GVA, RAM_GPA + data_off, VTE_FLF), 0);
	return root;
}

static struct vsva_bind arg(uint32_t dev, uint64_t flptr)
{
	return (struct vsva_bind){ .size = sizeof(struct vsva_bind),
				   .pasid = VSVA_RID_PASID,
				   .device = dev,
				   .flptr = flptr,
				   .paging_levels = 4 };
}

static int rid_bind(uint32_t dev, uint64_t flptr)
{
	struct vsva_bind b = arg(dev, flptr);
	int r = vsva_rid_bind(&fx.e.g, &b);

	invariants();
	return r;
}

static struct model_xlate xl(uint16_t sid, uint64_t addr, bool ats)
{
	return vte_xlate(&fx.e,
			 (struct model_req){ .sid = sid, .pasid = NOP, .addr = addr, .ats = ats });
}

static struct vtd_pasid_entry rid_entry(int d)
{
	struct vtd_pasid_entry pe;

	vtd_pasid_entry_get(&fx.e.dir[d], 0, &pe);
	return pe;
}

/* Device @d's RID_PASID entry is the platform's: SL over the GPA map (or FL), VTE_DID. */
static void assert_platform(int d)
{
	struct vtd_pasid_entry pe = rid_entry(d);

	assert_true(vtd_pe_present(&pe));
	assert_int_equal(vtd_pe_did(&pe), VTE_DID);
	if (fx.e.cfg.fl_only) {
		assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_FL);
		assert_int_equal(pe.val[2] & VTD_PE_2_FLPTR, fx.e.fl.root);
	} else {
		assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_SL);
		assert_int_equal(pe.val[0] & VTD_PE_0_SLPTPTR, fx.e.sl.root);
	}
}

/* A request without PASID at GPA @off translates to the same HPA (GPA = HPA for RAM). */
static void assert_identity(uint16_t sid, uint64_t off)
{
	struct model_xlate x = xl(sid, RAM_GPA + off, false);

	assert_int_equal(x.fault, 0);
	assert_int_equal(x.hpa, RAM_GPA + off);
	assert_false(x.stale);
}

static int inv(uint16_t type, uint32_t dev, uint32_t pasid, uint64_t addr, uint64_t pages)
{
	struct vsva_inv_req r = {
		.type = type, .pasid = pasid, .device = dev, .addr = addr, .pages = pages
	};
	int ret = vsva_invalidate(&fx.e.g, &r, 1);

	invariants();
	return ret;
}

/* ---- bind ----------------------------------------------------------------------- */

static void bind_translates_requests_without_pasid_through_the_guest_fl(void **state)
{
	struct model_xlate x;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	x = xl(SID_A, GVA, false);
	assert_int_equal(x.fault, 0);
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA);
}

static void bind_dma_reads_the_guest_data(void **state)
{
	uint64_t v = 0;

	(void)state;
	*at(OFF_DATA) = 0x1234abcd;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(vte_dma(&fx.e,
				 (struct model_req){ .sid = SID_A, .pasid = NOP, .addr = GVA }, &v),
			 0);
	assert_int_equal(v, 0x1234abcd);
}

static void bind_writes_a_nested_entry_over_the_guest_sl(void **state)
{
	uint64_t root = table_to(OFF_DATA);
	struct vtd_pasid_entry pe;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, root), 0);
	pe = rid_entry(0);
	assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_NESTED);
	assert_int_equal(pe.val[2] & VTD_PE_2_FLPTR, root);
	assert_int_equal(pe.val[0] & VTD_PE_0_SLPTPTR, fx.e.sl.root);
	assert_int_equal(vsva_rid_mode(&fx.e.g, DEV_A), VSVA_RID_NESTED);
}

static void bind_tags_the_entry_with_a_did_of_its_own(void **state)
{
	struct vtd_pasid_entry pe;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	pe = rid_entry(0);
	assert_int_not_equal(vtd_pe_did(&pe), VTE_DID);
	assert_int_not_equal(vtd_pe_did(&pe), 0);
}

static void two_devices_with_two_tables_get_two_dids(void **state)
{
	struct vtd_pasid_entry a, b;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(rid_bind(DEV_B, table_to(OFF_DATA2)), 0);
	a = rid_entry(0), b = rid_entry(1);
	assert_int_not_equal(vtd_pe_did(&a), vtd_pe_did(&b));
	assert_int_equal(xl(SID_A, GVA, false).hpa, RAM_GPA + OFF_DATA);
	assert_int_equal(xl(SID_B, GVA, false).hpa, RAM_GPA + OFF_DATA2);
}

static void bind_leaves_the_other_device_on_the_platform_sl(void **state)
{
	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_platform(1);
	assert_identity(SID_B, OFF_DATA2);
}

static void bind_leaves_pasid_bindings_alone(void **state)
{
	uint32_t p;
	struct vsva_bind b;

	(void)state;
	assert_int_equal(vsva_pasid_alloc(&fx.e.g, VSVA_PASID_RID_LOCAL, 0, &p), 0);
	b = arg(DEV_A, table_to(OFF_DATA2));
	b.pasid = p;
	assert_int_equal(vsva_bind(&fx.e.g, &b), 0);
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(
		vte_xlate(&fx.e, (struct model_req){ .sid = SID_A, .pasid = p, .addr = GVA }).hpa,
		RAM_GPA + OFF_DATA2);
	assert_int_equal(xl(SID_A, GVA, false).hpa, RAM_GPA + OFF_DATA);
}

static void rebind_to_another_table_switches_without_stale_use(void **state)
{
	struct model_xlate x;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(xl(SID_A, GVA, false).hpa, RAM_GPA + OFF_DATA); /* cached */
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA2)), 0);
	x = xl(SID_A, GVA, false);
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA2);
	assert_false(x.stale);
}

static void rebind_of_the_same_table_changes_nothing(void **state)
{
	uint64_t root = table_to(OFF_DATA);
	uint64_t binds;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, root), 0);
	binds = fx.e.g.cnt.binds;
	assert_int_equal(rid_bind(DEV_A, root), 0);
	assert_int_equal(fx.e.g.cnt.binds, binds);
}

/* ---- refused binds change nothing ----------------------------------------------- */

static void bind_refusals_keep_the_platform_entry(void **state)
{
	uint64_t root = table_to(OFF_DATA);
	struct vsva_bind b;

	(void)state;
	b = arg(DEV_A, root), b.pasid = 1;
	assert_int_equal(vsva_rid_bind(&fx.e.g, &b), -VSVA_EINVAL);
	b = arg(DEV_A, root), b.reserved = 1;
	assert_int_equal(vsva_rid_bind(&fx.e.g, &b), -VSVA_EINVAL);
	b = arg(DEV_A, root), b.paging_levels = 3;
	assert_int_equal(vsva_rid_bind(&fx.e.g, &b), -VSVA_EINVAL);
	b = arg(DEV_A, root + 8);
	assert_int_equal(vsva_rid_bind(&fx.e.g, &b), -VSVA_EINVAL);
	b = arg(DEV_A, root), b.flags = 1u << 7;
	assert_int_equal(vsva_rid_bind(&fx.e.g, &b), -VSVA_EINVAL);
	b = arg(DEV_A, root), b.addr_width = 57;
	assert_int_equal(vsva_rid_bind(&fx.e.g, &b), -VSVA_EINVAL);
	b = arg(DEV_A, HV_HPA);
	assert_int_equal(vsva_rid_bind(&fx.e.g, &b), -VSVA_EFAULT);
	b = arg(VSVA_DEVICE(0, 0, 5 << 3), root);
	assert_int_equal(vsva_rid_bind(&fx.e.g, &b), -VSVA_ENOENT);
	invariants();
	assert_platform(0);
	assert_int_equal(vsva_rid_mode(&fx.e.g, DEV_A), VSVA_RID_PLATFORM);
	assert_int_equal(fx.e.g.cnt.binds, 0);
}

static void refused_rebind_keeps_the_binding(void **state)
{
	uint64_t root = table_to(OFF_DATA);
	struct vtd_pasid_entry pe;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, root), 0);
	assert_int_equal(rid_bind(DEV_A, HV_HPA), -VSVA_EFAULT);
	pe = rid_entry(0);
	assert_int_equal(pe.val[2] & VTD_PE_2_FLPTR, root);
	assert_int_equal(xl(SID_A, GVA, false).hpa, RAM_GPA + OFF_DATA);
}

static void five_levels_without_fl5lp_is_eopnotsupp(void **state)
{
	struct vsva_bind b = arg(DEV_A, table_to(OFF_DATA));

	(void)state;
	b.paging_levels = 5;
	assert_int_equal(vsva_rid_bind(&fx.e.g, &b), -VSVA_EOPNOTSUPP);
	assert_platform(0);
}

/* ---- unbind, block, detach, reset ----------------------------------------------- */

static void unbind_restores_the_platform_sl(void **state)
{
	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(xl(SID_A, GVA, false).hpa, RAM_GPA + OFF_DATA); /* cached */
	assert_int_equal(vsva_rid_unbind(&fx.e.g, DEV_A), 0);
	invariants();
	assert_platform(0);
	assert_identity(SID_A, OFF_DATA2);
	assert_int_equal(vsva_rid_mode(&fx.e.g, DEV_A), VSVA_RID_PLATFORM);
}

static void after_unbind_the_gva_is_no_longer_translated(void **state)
{
	struct model_xlate x;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(xl(SID_A, GVA, false).hpa, RAM_GPA + OFF_DATA);
	assert_int_equal(vsva_rid_unbind(&fx.e.g, DEV_A), 0);
	x = xl(SID_A, GVA, false); /* GVA 0x7000 is no GPA of guest RAM */
	assert_int_not_equal(x.fault, 0);
	assert_false(x.stale);
}

static void unbind_counts_as_many_unbinds_as_binds(void **state)
{
	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA2)), 0);
	assert_int_equal(vsva_rid_unbind(&fx.e.g, DEV_A), 0);
	assert_int_equal(fx.e.g.cnt.binds, 2);
	assert_int_equal(fx.e.g.cnt.unbinds, 2);
}

static void unbind_of_the_platform_entry_is_a_no_op(void **state)
{
	(void)state;
	assert_int_equal(vsva_rid_unbind(&fx.e.g, DEV_A), 0);
	assert_platform(0);
	assert_int_equal(vsva_rid_unbind(&fx.e.g, VSVA_DEVICE(0, 0, 5 << 3)), -VSVA_ENOENT);
}

static void block_makes_requests_without_pasid_fault(void **state)
{
	struct vtd_pasid_entry pe;
	struct model_xlate x;

	(void)state;
	assert_identity(SID_A, OFF_DATA); /* cached: the block must flush it */
	assert_int_equal(vsva_rid_block(&fx.e.g, DEV_A), 0);
	invariants();
	pe = rid_entry(0);
	assert_false(vtd_pe_present(&pe));
	x = xl(SID_A, RAM_GPA + OFF_DATA, false);
	assert_int_equal(x.fault, MODEL_FR_SM_PE_P);
	assert_false(x.stale);
	assert_int_equal(vsva_rid_mode(&fx.e.g, DEV_A), VSVA_RID_BLOCKED);
}

static void block_then_unbind_restores_the_platform_sl(void **state)
{
	(void)state;
	assert_int_equal(vsva_rid_block(&fx.e.g, DEV_A), 0);
	assert_int_equal(vsva_rid_block(&fx.e.g, DEV_A), 0);
	assert_int_equal(vsva_rid_unbind(&fx.e.g, DEV_A), 0);
	invariants();
	assert_platform(0);
	assert_identity(SID_A, OFF_DATA);
}

static void block_after_bind_tears_the_binding_down(void **state)
{
	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(vsva_rid_block(&fx.e.g, DEV_A), 0);
	invariants();
	assert_int_equal(xl(SID_A, GVA, false).fault, MODEL_FR_SM_PE_P);
	assert_int_equal(fx.e.g.cnt.unbinds, 1);
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA2)), 0);
	assert_int_equal(xl(SID_A, GVA, false).hpa, RAM_GPA + OFF_DATA2);
}

static void detach_restores_the_platform_sl(void **state)
{
	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(vsva_detach(&fx.e.g, DEV_A), 0);
	invariants();
	assert_platform(0);
	assert_identity(SID_A, OFF_DATA);
}

static void guest_reset_restores_every_platform_entry(void **state)
{
	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(vsva_rid_block(&fx.e.g, DEV_B), 0);
	vsva_guest_reset(&fx.e.g);
	invariants();
	assert_platform(0);
	assert_platform(1);
	assert_identity(SID_A, OFF_DATA);
	assert_identity(SID_B, OFF_DATA);
}

/* ---- invalidation and translate ------------------------------------------------- */

static void guest_change_is_stale_until_pasid0_invalidation(void **state)
{
	uint64_t root = table_to(OFF_DATA);
	struct model_xlate x;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, root), 0);
	assert_int_equal(xl(SID_A, GVA, false).hpa, RAM_GPA + OFF_DATA); /* cached */
	assert_int_equal(vte_fl_map(&fx.e, root, GVA, RAM_GPA + OFF_DATA2, VTE_FLF), 0);
	assert_true(xl(SID_A, GVA, false).stale); /* the model sees the stale IOTLB entry */
	assert_int_equal(inv(VSVA_INV_IOTLB, DEV_A, VSVA_RID_PASID, GVA, 1), 0);
	x = xl(SID_A, GVA, false);
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA2);
	assert_false(x.stale);
}

static void pasid0_invalidation_reaches_the_device_tlb_without_pasid(void **state)
{
	uint64_t root = table_to(OFF_DATA);
	struct model_xlate x;

	(void)state;
	assert_int_equal(rid_bind(DEV_B, root), 0);
	assert_int_equal(xl(SID_B, GVA, true).hpa, RAM_GPA + OFF_DATA); /* in the devTLB */
	assert_int_equal(vte_fl_map(&fx.e, root, GVA, RAM_GPA + OFF_DATA2, VTE_FLF), 0);
	assert_int_equal(inv(VSVA_INV_IOTLB, DEV_B, VSVA_RID_PASID, GVA, 1), 0);
	assert_true(xl(SID_B, GVA, true).stale); /* the device still holds it */
	assert_int_equal(inv(VSVA_INV_DEVTLB, DEV_B, VSVA_RID_PASID, GVA, 1), 0);
	x = xl(SID_B, GVA, true);
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA2);
	assert_false(x.stale);
}

static void unbind_flushes_the_device_tlb_without_pasid(void **state)
{
	struct model_xlate x;

	(void)state;
	assert_int_equal(rid_bind(DEV_B, table_to(OFF_DATA)), 0);
	assert_int_equal(xl(SID_B, GVA, true).hpa, RAM_GPA + OFF_DATA); /* in the devTLB */
	assert_int_equal(vsva_rid_unbind(&fx.e.g, DEV_B), 0);
	x = xl(SID_B, GVA, true);
	assert_false(x.stale);
	assert_int_not_equal(x.fault, 0);
}

static void pasid0_invalidation_without_a_binding_flushes_nothing(void **state)
{
	uint64_t before = fx.e.g.cnt.inv_descriptors;

	(void)state;
	assert_int_equal(inv(VSVA_INV_IOTLB, DEV_A, VSVA_RID_PASID, 0, 0), 0);
	assert_int_equal(fx.e.g.cnt.inv_descriptors, before);
	assert_int_equal(inv(VSVA_INV_IOTLB, VSVA_DEVICE(0, 0, 5 << 3), VSVA_RID_PASID, 0, 0),
			 -VSVA_ENOENT);
}

static void translate_of_pasid0_walks_the_rid_binding(void **state)
{
	struct vsva_translate t = { .size = sizeof(t), .device = DEV_A, .addr = GVA + 8 };

	(void)state;
	assert_int_equal(vsva_translate(&fx.e.g, &t), -VSVA_ENOENT); /* platform: none */
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(vsva_translate(&fx.e.g, &t), 0);
	assert_int_equal(t.status, VSVA_XLATE_OK);
	assert_int_equal(t.gpa, RAM_GPA + OFF_DATA + 8);
	assert_int_equal(t.hpa, RAM_GPA + OFF_DATA + 8);
}

/* ---- software nesting ----------------------------------------------------------- */

static void sw_bind_installs_a_shadow_fl_entry_that_translates(void **state)
{
	uint64_t root = table_to(OFF_DATA);
	struct vtd_pasid_entry pe;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, root), 0);
	pe = rid_entry(0);
	assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_FL);
	assert_int_not_equal(pe.val[2] & VTD_PE_2_FLPTR, root); /* the shadow */
	assert_int_not_equal(vtd_pe_did(&pe), VTE_DID);
	assert_int_equal(xl(SID_A, GVA, false).hpa, RAM_GPA + OFF_DATA);
}

static void sw_invalidation_rebuilds_the_shadow(void **state)
{
	uint64_t root = table_to(OFF_DATA);
	struct model_xlate x;

	(void)state;
	assert_int_equal(rid_bind(DEV_A, root), 0);
	assert_int_equal(vte_fl_map(&fx.e, root, GVA, RAM_GPA + OFF_DATA2, VTE_FLF), 0);
	assert_int_equal(inv(VSVA_INV_IOTLB, DEV_A, VSVA_RID_PASID, GVA, 1), 0);
	x = xl(SID_A, GVA, false);
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA2);
	assert_false(x.stale);
}

static void sw_unbind_restores_the_platform_entry(void **state)
{
	(void)state;
	assert_int_equal(rid_bind(DEV_A, table_to(OFF_DATA)), 0);
	assert_int_equal(vsva_rid_unbind(&fx.e.g, DEV_A), 0);
	invariants();
	assert_platform(0);
	assert_identity(SID_A, OFF_DATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	 cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TS(f, s) cmocka_unit_test_setup_teardown(f, s, teardown)
		T(bind_translates_requests_without_pasid_through_the_guest_fl),
		T(bind_dma_reads_the_guest_data),
		T(bind_writes_a_nested_entry_over_the_guest_sl),
		T(bind_tags_the_entry_with_a_did_of_its_own),
		T(two_devices_with_two_tables_get_two_dids),
		T(bind_leaves_the_other_device_on_the_platform_sl),
		T(bind_leaves_pasid_bindings_alone),
		T(rebind_to_another_table_switches_without_stale_use),
		T(rebind_of_the_same_table_changes_nothing),
		T(bind_refusals_keep_the_platform_entry),
		T(refused_rebind_keeps_the_binding),
		TS(five_levels_without_fl5lp_is_eopnotsupp, setup_no_fl5),
		T(unbind_restores_the_platform_sl),
		T(after_unbind_the_gva_is_no_longer_translated),
		T(unbind_counts_as_many_unbinds_as_binds),
		T(unbind_of_the_platform_entry_is_a_no_op),
		T(block_makes_requests_without_pasid_fault),
		T(block_then_unbind_restores_the_platform_sl),
		T(block_after_bind_tears_the_binding_down),
		T(detach_restores_the_platform_sl),
		T(guest_reset_restores_every_platform_entry),
		T(guest_change_is_stale_until_pasid0_invalidation),
		T(pasid0_invalidation_reaches_the_device_tlb_without_pasid),
		T(unbind_flushes_the_device_tlb_without_pasid),
		T(pasid0_invalidation_without_a_binding_flushes_nothing),
		T(translate_of_pasid0_walks_the_rid_binding),
		TS(sw_bind_installs_a_shadow_fl_entry_that_translates, setup_sw_sl),
		TS(sw_invalidation_rebuilds_the_shadow, setup_sw_sl),
		TS(sw_unbind_restores_the_platform_entry, setup_sw_sl),
		TS(sw_bind_installs_a_shadow_fl_entry_that_translates, setup_sw_fl),
		TS(sw_unbind_restores_the_platform_entry, setup_sw_fl),
#undef TS
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
