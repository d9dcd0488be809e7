// SPDX-License-Identifier: MIT
/*
 * test_vvtd_rid.c - the guest's RID_PASID entry (PASID 0: its requests WITHOUT PASID, the
 * DMA-API domain) driving the device's physical RID_PASID entry (hv/vvtd_shadow.c over
 * hv/vsva.h vsva_rid_*()), with the VT-d reference model as the physical unit. The guest
 * is scripted as Linux's intel-iommu drives a scalable-mode, first-level-only unit
 * (intel_iommu=on,sm_on; with iommu=pt for PT): context entries, PASID entry 0 of PGTT
 * PT or FL, PASID-cache / context-cache invalidations, P_IOTLB of PASID 0, IOTLB by DID,
 * device-TLB, TE on and off. Checked: vvtd_rid_state(), the physical entry, and model
 * DMA without PASID (GPA identity under PT, GVA -> GPA -> HPA under FL, faults when
 * blocked); malformed entries install nothing of theirs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hv/vsva.h"
#include "hv/vvtd.h"
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "iommu/vtd_regs.h"
#include "tests/unit/support/hosted.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	 VTE_RAM_GPA
#define RAM_SIZE 0x200000ull
#define HV_HPA	 (RAM_GPA + RAM_SIZE) /* hypervisor memory: absent from the guest map */
#define GDID	 9		      /* the guest's DMA domain */
#define SID_A	 VTD_SID(0, 3, 0)
#define SID_B	 VTD_SID(0, 4, 0) /* with ATS */
#define SID_X	 VTD_SID(0, 5, 0) /* not in the unit's scope */
#define GVA	 0x7000ull	  /* an IOVA of the guest's DMA domain */
#define NOP	 MODEL_NO_PASID

/* Guest RAM layout (offsets). */
#define OFF_QUEUE  0x1000
#define OFF_STATUS 0x3000
#define OFF_ROOT   0x4000
#define OFF_CTX	   0x5000
#define OFF_PDIR_A 0x6000
#define OFF_PTBL_A 0x7000
#define OFF_PDIR_B 0x8000
#define OFF_PTBL_B 0x9000
#define OFF_TABLES 0x10000
#define OFF_DATA   0x100000
#define OFF_DATA2  0x101000

#define QW_CC_GLOBAL	(VTD_QI_TYPE_CC | VTD_QI_GRAN(VTD_QI_CC_GLOBAL))
#define QW_IOTLB_GLOBAL (VTD_QI_TYPE_IOTLB | VTD_QI_GRAN(VTD_QI_IOTLB_GLOBAL))
#define QW_PC_GLOBAL	(VTD_QI_TYPE_PC | VTD_QI_GRAN(3))

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct fx {
	struct vsva_test_env e; /* SID_A, SID_B (ATS), the guest (no hypercalls) */
	struct vvtd v;
	uint64_t tail;
	uint32_t seq;
} fx;

static int setup(void **state)
{
	struct vte_config ec = { .model = model_cfg_scalable(),
				 .ram = ram,
				 .ram_size = RAM_SIZE,
				 .nr_devs = 2,
				 .sid = { SID_A, SID_B },
				 .ats_mask = 1u << 1,
				 .model_ram = true,
				 .hv_size = 0x1000,
				 .tables_off = OFF_TABLES,
				 .tables_end = OFF_DATA };
	struct vvtd_config vc = { .sid = { SID_A, SID_B }, .nr_sids = 2 };

	(void)state;
	memset(&fx, 0, sizeof(fx));
	if (vte_setup(&fx.e, &ec))
		fail_msg("setup: %s", fx.e.failed);
	vc.vsva = &fx.e.g;
	assert_int_equal(vvtd_init(&fx.v, &vc), 0);
	return 0;
}

static int teardown(void **state)
{
	char why[160] = "";

	(void)state;
	vvtd_reset(&fx.v);
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), 0);
	assert_int_equal(vte_teardown(&fx.e), 0); /* no frame leaked */
	return 0;
}

/* ---- the guest driver ------------------------------------------------------------ */

static uint64_t *at(uint64_t off)
{
	return vte_at(&fx.e, off);
}

static void wr(uint64_t off, unsigned int size, uint64_t v)
{
	assert_int_equal(vvtd_mmio(&fx.v, off, size, true, &v), 0);
}

static uint32_t gsts(void)
{
	uint64_t v = 0;

	assert_int_equal(vvtd_mmio(&fx.v, VTD_REG_GSTS, 4, false, &v), 0);
	return (uint32_t)v;
}

static void put(uint64_t q0, uint64_t q1)
{
	uint64_t *d = at(OFF_QUEUE + fx.tail);

	d[0] = q0, d[1] = q1, d[2] = 0, d[3] = 0;
	fx.tail = (fx.tail + 32) % 0x1000;
}

/* Ring IQT after a wait with status write; the status must arrive. */
static void submit(void)
{
	uint32_t *st = (uint32_t *)at(OFF_STATUS);

	*st = 0;
	put(VTD_QI_TYPE_WAIT | VTD_BIT(5) | ((uint64_t)++fx.seq << 32), RAM_GPA + OFF_STATUS);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_int_equal(*st, fx.seq);
}

static void te(bool on)
{
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE | (on ? VTD_GCMD_TE : 0));
	assert_int_equal(!!(gsts() & VTD_GSTS_TES), on);
}

/* Context entries of A and B (PASIDE as Linux sets it for PASID-capable devices only:
 * not on B), each with its PASID directory; the directories' entry 0 present. */
static void guest_tables(void)
{
	uint64_t *re = at(OFF_ROOT), *ce;

	re[0] = (RAM_GPA + OFF_CTX) | VTD_RE_P;
	ce = at(OFF_CTX + (SID_A & 0x7f) * 32);
	ce[0] = (RAM_GPA + OFF_PDIR_A) | VTD_SCE_0_P | VTD_SCE_0_PASIDE;
	ce = at(OFF_CTX + (SID_B & 0x7f) * 32);
	ce[0] = (RAM_GPA + OFF_PDIR_B) | VTD_SCE_0_P;
	at(OFF_PDIR_A)[0] = (RAM_GPA + OFF_PTBL_A) | VTD_PDE_P;
	at(OFF_PDIR_B)[0] = (RAM_GPA + OFF_PTBL_B) | VTD_PDE_P;
}

/* Linux's bring-up: QI, root table, global invalidations; TE when @enable. */
static void guest_init(bool enable)
{
	wr(VTD_REG_IQT, 8, 0);
	wr(VTD_REG_IQA, 8, (RAM_GPA + OFF_QUEUE) | VTD_IQA_DW);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE);
	guest_tables();
	wr(VTD_REG_RTADDR, 8, (RAM_GPA + OFF_ROOT) | VTD_RTADDR_TTM_SCALABLE);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_SRTP);
	put(QW_CC_GLOBAL, 0);
	put(QW_PC_GLOBAL, 0);
	put(QW_IOTLB_GLOBAL, 0);
	submit();
	if (enable)
		te(true);
}

/* Device @d's (0 A, 1 B) guest PASID entry 0, zeroed. */
static uint64_t *rid_pe(int d)
{
	uint64_t *pe = at((d ? OFF_PTBL_B : OFF_PTBL_A));

	memset(pe, 0, 64);
	return pe;
}

/* As Linux's intel_pasid_setup_pass_through(). */
static void set_pt(int d)
{
	uint64_t *pe = rid_pe(d);

	pe[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_PT << 6) | (2ull << 2); /* AW 48-bit */
	pe[1] = GDID;
}

/* As Linux's intel_pasid_setup_first_level() for a DMA domain: 4-level, DID @did. */
static void set_fl(int d, uint64_t flptr, uint16_t did)
{
	uint64_t *pe = rid_pe(d);

	pe[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_FL << 6) | (2ull << 2);
	pe[1] = did;
	pe[2] = flptr;
}

static uint16_t sid_of(int d)
{
	return d ? SID_B : SID_A;
}

/* The guest's PASID-cache invalidation of PASID 0 on its domain, then a wait. */
static void pc_inv(void)
{
	put(VTD_QI_TYPE_PC | VTD_QI_GRAN(1) | VTD_QI_DID(GDID) | VTD_QI_PASID(0), 0);
	submit();
}

/* A guest DMA domain: FL table with GVA -> RAM offset @data_off; its root GPA. */
static uint64_t domain_to(uint64_t data_off)
{
	uint64_t root = vte_new_table(&fx.e);

	assert_true(root);
	assert_int_equal(vte_fl_map(&fx.e, root, GVA, RAM_GPA + data_off, VTE_FLF), 0);
	return root;
}

static enum vvtd_rid_mode mode(int d)
{
	struct vvtd_rid r;

	assert_int_equal(vvtd_rid_state(&fx.v, sid_of(d), &r), 0);
	return (enum vvtd_rid_mode)r.mode;
}

static struct model_xlate xl(int d, uint64_t addr, bool ats)
{
	return vte_xlate(&fx.e, (struct model_req){
					.sid = sid_of(d), .pasid = NOP, .addr = addr, .ats = ats });
}

static struct vtd_pasid_entry phys(int d)
{
	struct vtd_pasid_entry pe;

	vtd_pasid_entry_get(&fx.e.dir[d], 0, &pe);
	return pe;
}

/* Physical RID_PASID of @d is the platform SL and a request at a GPA is identity. */
static void assert_platform(int d)
{
	struct vtd_pasid_entry pe = phys(d);
	struct model_xlate x = xl(d, RAM_GPA + OFF_DATA2, false);

	assert_true(vtd_pe_present(&pe));
	assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_SL);
	assert_int_equal(vtd_pe_did(&pe), VTE_DID);
	assert_int_equal(x.fault, 0);
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA2);
	assert_false(x.stale);
}

/* Physical RID_PASID of @d is not present: a request without PASID faults. */
static void assert_blocked(int d)
{
	struct vtd_pasid_entry pe = phys(d);
	struct model_xlate x = xl(d, RAM_GPA + OFF_DATA2, false);

	assert_false(vtd_pe_present(&pe));
	assert_int_equal(x.fault, MODEL_FR_SM_PE_P);
	assert_false(x.stale);
}

/* @d's requests without PASID at GVA land at @data_off, not stale. */
static void assert_gva(int d, uint64_t data_off)
{
	struct model_xlate x = xl(d, GVA, false);

	assert_int_equal(x.fault, 0);
	assert_int_equal(x.hpa, RAM_GPA + data_off);
	assert_false(x.stale);
}

/* The guest's DMA domain on A: FL over GVA -> OFF_DATA, TE on. */
static uint64_t fl_on_a(void)
{
	uint64_t root = domain_to(OFF_DATA);

	guest_init(true);
	set_fl(0, root, GDID);
	pc_inv();
	return root;
}

/* ---- translation off, pass-through, blocked -------------------------------------- */

static void reset_state_is_off_with_the_platform_sl(void **state)
{
	(void)state;
	assert_int_equal(mode(0), VVTD_RID_OFF);
	assert_platform(0);
}

static void te_off_keeps_the_platform_sl_whatever_the_tables_say(void **state)
{
	(void)state;
	guest_init(false);
	set_fl(0, domain_to(OFF_DATA), GDID);
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_OFF);
	assert_platform(0);
}

static void te_on_without_a_rid_entry_blocks(void **state)
{
	(void)state;
	guest_init(true);
	assert_int_equal(mode(0), VVTD_RID_BLOCKED);
	assert_blocked(0);
}

static void te_on_without_a_context_entry_blocks(void **state)
{
	(void)state;
	guest_init(false);
	memset(at(OFF_CTX + (SID_A & 0x7f) * 32), 0, 32);
	te(true);
	assert_int_equal(mode(0), VVTD_RID_BLOCKED);
	assert_blocked(0);
}

static void pt_on_rid_pasid_is_guest_physical_identity(void **state)
{
	(void)state;
	guest_init(true);
	set_pt(0);
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_PT);
	assert_platform(0);
}

static void pt_entry_written_before_te_is_used_at_te(void **state)
{
	(void)state;
	guest_init(false);
	set_pt(0);
	te(true);
	assert_int_equal(mode(0), VVTD_RID_PT);
	assert_platform(0);
}

static void rid_pasid_needs_no_paside(void **state)
{
	(void)state;
	guest_init(true); /* B's context entry has PASIDE clear */
	set_fl(1, domain_to(OFF_DATA), GDID);
	pc_inv();
	assert_int_equal(mode(1), VVTD_RID_FL);
	assert_gva(1, OFF_DATA);
}

/* ---- first level on RID_PASID ------------------------------------------------------ */

static void fl_on_rid_pasid_translates_gva_through_guest_fl_and_sl(void **state)
{
	uint64_t v = 0;

	(void)state;
	*at(OFF_DATA) = 0xfeedface;
	fl_on_a();
	assert_gva(0, OFF_DATA);
	assert_int_equal(vte_dma(&fx.e,
				 (struct model_req){ .sid = SID_A, .pasid = NOP, .addr = GVA }, &v),
			 0);
	assert_int_equal(v, 0xfeedface);
}

static void fl_state_reports_flptr_levels_and_did(void **state)
{
	struct vvtd_rid r;
	uint64_t root;

	(void)state;
	root = fl_on_a();
	assert_int_equal(vvtd_rid_state(&fx.v, SID_A, &r), 0);
	assert_int_equal(r.mode, VVTD_RID_FL);
	assert_int_equal(r.flptr, root);
	assert_int_equal(r.levels, 4);
	assert_int_equal(r.gdid, GDID);
	assert_int_equal(r.flags, 0);
}

static void fl_physical_entry_is_nested_over_the_platform_sl(void **state)
{
	struct vtd_pasid_entry pe;
	uint64_t root;

	(void)state;
	root = fl_on_a();
	pe = phys(0);
	assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_NESTED);
	assert_int_equal(pe.val[2] & VTD_PE_2_FLPTR, root);
	assert_int_equal(pe.val[0] & VTD_PE_0_SLPTPTR, fx.e.sl.root);
	assert_int_equal(vsva_rid_mode(&fx.e.g, VSVA_DEVICE(0, 0, SID_A)), VSVA_RID_NESTED);
}

static void fl_on_one_device_leaves_the_other_alone(void **state)
{
	(void)state;
	fl_on_a();
	set_pt(1);
	pc_inv();
	assert_int_equal(mode(1), VVTD_RID_PT);
	assert_platform(1);
	assert_gva(0, OFF_DATA);
}

static void fl_through_context_cache_invalidation(void **state)
{
	(void)state;
	guest_init(true);
	set_fl(0, domain_to(OFF_DATA), GDID);
	/* Linux attaching a device: context-cache device-selective invalidation. */
	put(VTD_QI_TYPE_CC | VTD_QI_GRAN(VTD_QI_CC_DEVICE) | ((uint64_t)SID_A << 32), 0);
	submit();
	assert_int_equal(mode(0), VVTD_RID_FL);
	assert_gva(0, OFF_DATA);
}

static void cleared_entry_blocks_after_invalidation(void **state)
{
	(void)state;
	fl_on_a();
	assert_gva(0, OFF_DATA); /* cached */
	rid_pe(0);		 /* P = 0 */
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_BLOCKED);
	assert_blocked(0);
}

static void fl_then_pt_restores_the_platform_sl(void **state)
{
	(void)state;
	fl_on_a();
	assert_gva(0, OFF_DATA);
	set_pt(0);
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_PT);
	assert_platform(0);
}

static void new_domain_replaces_the_old_one(void **state)
{
	(void)state;
	fl_on_a();
	assert_gva(0, OFF_DATA);
	set_fl(0, domain_to(OFF_DATA2), GDID + 1);
	pc_inv();
	assert_gva(0, OFF_DATA2);
}

static void te_off_on_off(void **state)
{
	(void)state;
	fl_on_a();
	assert_gva(0, OFF_DATA);
	te(false);
	assert_int_equal(mode(0), VVTD_RID_OFF);
	assert_platform(0);
	te(true);
	assert_int_equal(mode(0), VVTD_RID_FL);
	assert_gva(0, OFF_DATA);
	te(false);
	assert_int_equal(mode(0), VVTD_RID_OFF);
	assert_int_equal(mode(1), VVTD_RID_OFF);
	assert_platform(0);
	assert_platform(1);
}

static void reset_restores_the_platform_sl(void **state)
{
	(void)state;
	fl_on_a();
	vvtd_reset(&fx.v);
	assert_int_equal(mode(0), VVTD_RID_OFF);
	assert_platform(0);
}

static void state_of_a_device_out_of_scope_is_enodev(void **state)
{
	struct vvtd_rid r;

	(void)state;
	assert_int_equal(vvtd_rid_state(&fx.v, SID_X, &r), -ENODEV);
}

/* ---- guest invalidations of the RID_PASID domain ---------------------------------- */

static void remap_is_stale_until_piotlb_of_pasid0(void **state)
{
	uint64_t root;

	(void)state;
	root = fl_on_a();
	assert_gva(0, OFF_DATA);
	assert_int_equal(vte_fl_map(&fx.e, root, GVA, RAM_GPA + OFF_DATA2, VTE_FLF), 0);
	assert_true(xl(0, GVA, false).stale);
	/* Linux's qi_flush_piotlb(): page-selective, PASID 0 (IOMMU_NO_PASID). */
	put(VTD_QI_TYPE_PIOTLB | VTD_QI_GRAN(3) | VTD_QI_DID(GDID) | VTD_QI_PASID(0), GVA);
	submit();
	assert_gva(0, OFF_DATA2);
}

static void remap_is_fresh_after_iotlb_by_the_guest_did(void **state)
{
	uint64_t root;

	(void)state;
	root = fl_on_a();
	assert_gva(0, OFF_DATA);
	assert_int_equal(vte_fl_map(&fx.e, root, GVA, RAM_GPA + OFF_DATA2, VTE_FLF), 0);
	put(VTD_QI_TYPE_IOTLB | VTD_QI_GRAN(VTD_QI_IOTLB_DOMAIN) | VTD_QI_DID(GDID), 0);
	submit();
	assert_gva(0, OFF_DATA2);
}

static void iotlb_of_another_did_is_not_forwarded(void **state)
{
	uint64_t before;

	(void)state;
	fl_on_a();
	before = fx.e.g.cnt.inv_requests;
	put(VTD_QI_TYPE_IOTLB | VTD_QI_GRAN(VTD_QI_IOTLB_DOMAIN) | VTD_QI_DID(GDID + 1), 0);
	put(VTD_QI_TYPE_PIOTLB | VTD_QI_GRAN(2) | VTD_QI_DID(GDID) | VTD_QI_PASID(3), 0);
	submit();
	assert_int_equal(fx.e.g.cnt.inv_requests, before);
}

static void device_tlb_invalidation_without_pasid_reaches_the_device(void **state)
{
	uint64_t root = domain_to(OFF_DATA);
	struct model_xlate x;

	(void)state;
	guest_init(true);
	set_fl(1, root, GDID);
	pc_inv();
	assert_int_equal(xl(1, GVA, true).hpa, RAM_GPA + OFF_DATA); /* in B's device-TLB */
	assert_int_equal(vte_fl_map(&fx.e, root, GVA, RAM_GPA + OFF_DATA2, VTE_FLF), 0);
	put(VTD_QI_TYPE_PIOTLB | VTD_QI_GRAN(2) | VTD_QI_DID(GDID) | VTD_QI_PASID(0), 0);
	submit();
	assert_true(xl(1, GVA, true).stale);
	/* Linux's qi_flush_dev_iotlb() for a request-without-PASID domain (§6.5.2.5). */
	put(VTD_QI_TYPE_DEVTLB | ((uint64_t)SID_B << 32), 0);
	submit();
	x = xl(1, GVA, true);
	assert_int_equal(x.hpa, RAM_GPA + OFF_DATA2);
	assert_false(x.stale);
}

/* ---- malformed entries install nothing of theirs: blocked --------------------------- */

static void reserved_bits_block(void **state)
{
	(void)state;
	guest_init(true);
	set_fl(0, domain_to(OFF_DATA), GDID);
	at(OFF_PTBL_A)[2] |= VTD_BIT(1); /* reserved in qword 2 */
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_INVALID);
	assert_blocked(0);
}

/* The RID_PASID entry Linux 6.1's intel_pasid_setup_first_level() writes for a DMA
 * domain on this unit (seen on Bochs: qwords 0x4d, 0x800002, FLPTR | 0x24): AW 3,
 * PWSNP and NXE (qword 2 bit 5, VT-d 3.0) besides FLPTR and DID; there FLPM was 1
 * (5-level), here the test's 4-level domain. It is nested. */
static void linux_6_1_dma_domain_entry_is_nested(void **state)
{
	uint64_t *pe;

	(void)state;
	guest_init(true);
	set_fl(0, domain_to(OFF_DATA), GDID);
	pe = at(OFF_PTBL_A);
	pe[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_FL << 6) | (3ull << 2);
	pe[1] = VTD_BIT(23) | GDID;
	pe[2] |= VTD_BIT(5);
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_FL);
	assert_gva(0, OFF_DATA);
}

static void flptr_outside_guest_ram_blocks(void **state)
{
	(void)state;
	guest_init(true);
	set_fl(0, HV_HPA, GDID);
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_INVALID);
	assert_blocked(0);
	assert_int_equal(xl(0, GVA, false).fault, MODEL_FR_SM_PE_P);
}

static void malformed_rewrite_of_a_binding_blocks(void **state)
{
	(void)state;
	fl_on_a();
	assert_gva(0, OFF_DATA);
	set_fl(0, HV_HPA, GDID);
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_INVALID);
	assert_blocked(0);
	assert_false(xl(0, GVA, false).stale);
}

static void did_zero_blocks(void **state)
{
	(void)state;
	guest_init(true);
	set_fl(0, domain_to(OFF_DATA), 0);
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_INVALID);
	assert_blocked(0);
}

static void second_level_pgtt_blocks(void **state)
{
	(void)state;
	guest_init(true);
	set_fl(0, domain_to(OFF_DATA), GDID);
	at(OFF_PTBL_A)[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_SL << 6);
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_INVALID);
	assert_blocked(0);
}

static void rid_pasid_field_without_rps_blocks(void **state)
{
	(void)state;
	guest_init(true);
	set_pt(0);
	at(OFF_CTX + (SID_A & 0x7f) * 32)[1] = 5; /* RID_PASID 5: reserved without ECAP.RPS */
	put(QW_CC_GLOBAL, 0);
	submit();
	assert_int_equal(mode(0), VVTD_RID_INVALID);
	assert_blocked(0);
}

static void malformed_then_valid_entry_binds(void **state)
{
	(void)state;
	guest_init(true);
	set_fl(0, HV_HPA, GDID);
	pc_inv();
	set_fl(0, domain_to(OFF_DATA), GDID);
	pc_inv();
	assert_int_equal(mode(0), VVTD_RID_FL);
	assert_gva(0, OFF_DATA);
}

static void guest_fl_cannot_reach_hypervisor_memory(void **state)
{
	uint64_t root = domain_to(OFF_DATA);

	(void)state;
	guest_init(true);
	assert_int_equal(vte_fl_map(&fx.e, root, GVA + 0x1000, HV_HPA, VTE_FLF), 0);
	set_fl(0, root, GDID);
	pc_inv();
	assert_int_not_equal(xl(0, GVA + 0x1000, false).fault, 0); /* the SL stops it */
	assert_gva(0, OFF_DATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(reset_state_is_off_with_the_platform_sl),
		T(te_off_keeps_the_platform_sl_whatever_the_tables_say),
		T(te_on_without_a_rid_entry_blocks),
		T(te_on_without_a_context_entry_blocks),
		T(pt_on_rid_pasid_is_guest_physical_identity),
		T(pt_entry_written_before_te_is_used_at_te),
		T(rid_pasid_needs_no_paside),
		T(fl_on_rid_pasid_translates_gva_through_guest_fl_and_sl),
		T(fl_state_reports_flptr_levels_and_did),
		T(fl_physical_entry_is_nested_over_the_platform_sl),
		T(fl_on_one_device_leaves_the_other_alone),
		T(fl_through_context_cache_invalidation),
		T(cleared_entry_blocks_after_invalidation),
		T(fl_then_pt_restores_the_platform_sl),
		T(new_domain_replaces_the_old_one),
		T(te_off_on_off),
		T(reset_restores_the_platform_sl),
		T(state_of_a_device_out_of_scope_is_enodev),
		T(remap_is_stale_until_piotlb_of_pasid0),
		T(remap_is_fresh_after_iotlb_by_the_guest_did),
		T(iotlb_of_another_did_is_not_forwarded),
		T(device_tlb_invalidation_without_pasid_reaches_the_device),
		T(reserved_bits_block),
		T(linux_6_1_dma_domain_entry_is_nested),
		T(flptr_outside_guest_ram_blocks),
		T(malformed_rewrite_of_a_binding_blocks),
		T(did_zero_blocks),
		T(second_level_pgtt_blocks),
		T(rid_pasid_field_without_rps_blocks),
		T(malformed_then_valid_entry_binds),
		T(guest_fl_cannot_reach_hypervisor_memory),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
