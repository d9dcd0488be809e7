// SPDX-License-Identifier: MIT
/*
 * test_vvtd_poll.c - physical faults routed to the guest's virtual unit (hv/vvtd_poll.h,
 * VT-d §7.1.3, §7.2.1): a device of the VT-d reference model faults under a HOST PASID
 * the guest's virtual unit shadowed for it -> iommu/fault.c drains the physical fault
 * recording registers -> vvtd_poll_fault() records the fault in the guest's unit under
 * the GUEST PASID with the reason and page address the physical unit recorded, and the
 * fault event is raised. Faults the guest does not own (another PASID, a freed one, a
 * device outside its scope, a request without PASID while its translation is off) are
 * counted and never reach it. And the composition the embedder polls: faults and page
 * requests of one physical unit drained together.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/pasid_space.h"
#include "hv/vsva.h"
#include "hv/vsva_prq.h"
#include "hv/vvtd.h"
#include "hv/vvtd_poll.h"
#include "iommu/fault.h"
#include "iommu/prq.h"
#include "iommu/vtd_regs.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	 VTE_RAM_GPA
#define RAM_SIZE 0x200000ull
#define GDID	 9
#define SID_A	 VTD_SID(0, 3, 0)
#define SID_B	 VTD_SID(0, 4, 0)
#define SID_X	 VTD_SID(0, 9, 0)  /* a device no guest has */
#define GVA	 0x7f1234567000ull /* mapped by the guest's FL table */
#define GVA_HOLE 0x7f1234789000ull /* not mapped: the device faults there */

#define OFF_QUEUE    0x1000
#define OFF_STATUS   0x3000
#define OFF_ROOT     0x4000
#define OFF_CTX	     0x5000
#define OFF_PDIR     0x6000 /* device A: 1024-entry PASID directory (PDTS 3), 8 KiB */
#define OFF_PTBL     0x8000 /* PASIDs 0-63 */
#define OFF_PTBL_SH  0x9000 /* PASIDs 0x8000-0x803f (shared) */
#define OFF_PRQ	     0xc000
#define OFF_TABLES   0x10000
#define OFF_DATA     0x100000
#define QW_CC_GLOBAL (VTD_QI_TYPE_CC | VTD_QI_GRAN(VTD_QI_CC_GLOBAL))
#define QW_PC_GLOBAL (VTD_QI_TYPE_PC | VTD_QI_GRAN(3))

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t hv_mem[0x2000] __attribute__((aligned(4096)));
static struct fx {
	struct vsva_test_env e;
	struct vsva_prq r;
	struct vtd_prq q;
	struct vvtd v;
	struct vvtd_poll p;
	uint64_t tail;
	uint32_t seq;
	unsigned int events[4];
	uint32_t gpasid, hpasid;
} fx;

static void on_event(void *ctx, enum vvtd_event ev)
{
	(void)ctx;
	fx.events[ev]++;
}

static int setup(void **state)
{
	struct vte_config ec = { .model = model_cfg_scalable(),
				 .ram = ram,
				 .ram_size = RAM_SIZE,
				 .nr_devs = 2,
				 .sid = { SID_A, SID_B },
				 .model_ram = true,
				 .hv_size = sizeof(hv_mem),
				 .hv_mem = hv_mem,
				 .tables_off = OFF_TABLES,
				 .tables_end = OFF_DATA };
	struct vvtd_config vc;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	memset(hv_mem, 0, sizeof(hv_mem));
	if (vte_setup(&fx.e, &ec))
		fail_msg("setup: %s", fx.e.failed);
	vsva_prq_init(&fx.r);
	assert_int_equal(vtd_prq_enable(&fx.q, &fx.e.u, 0), 0);
	memset(&vc, 0, sizeof(vc));
	vc.vsva = &fx.e.g;
	vc.sid[0] = SID_A;
	vc.sid[1] = SID_B;
	vc.nr_sids = 2;
	vc.vcmd = true;
	vc.event = on_event;
	vc.prq = &fx.r;
	assert_int_equal(vvtd_init(&fx.v, &vc), 0);
	vvtd_poll_init(&fx.p, &fx.v);
	return 0;
}

static int teardown(void **state)
{
	char why[160] = "";

	(void)state;
	vvtd_destroy(&fx.v);
	vtd_prq_disable(&fx.q);
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), 0);
	assert_int_equal(vte_teardown(&fx.e), 0);
	return 0;
}

/* ---- the guest's side (its driver, through the virtual registers) ---------------- */

static void *at(uint64_t off)
{
	return vte_at(&fx.e, off);
}

static uint64_t rd(uint64_t off, unsigned int size)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vvtd_mmio(&fx.v, off, size, false, &v), 0);
	return v;
}

static void wr(uint64_t off, unsigned int size, uint64_t v)
{
	assert_int_equal(vvtd_mmio(&fx.v, off, size, true, &v), 0);
}

static void put(uint64_t q0, uint64_t q1)
{
	uint64_t *d = at(OFF_QUEUE + fx.tail);

	d[0] = q0, d[1] = q1, d[2] = 0, d[3] = 0;
	fx.tail = (fx.tail + 32) % 0x1000;
}

static bool submit_wait(void)
{
	uint32_t *st = at(OFF_STATUS);

	*st = 0;
	put(VTD_QI_TYPE_WAIT | VTD_BIT(5) | ((uint64_t)++fx.seq << 32), RAM_GPA + OFF_STATUS);
	wr(VTD_REG_IQT, 8, fx.tail);
	return *st == fx.seq;
}

/* Queued invalidation and a scalable-mode root table for device A; TE when @te. */
static void guest_init(bool te)
{
	uint64_t *re = at(OFF_ROOT), *ce = at(OFF_CTX + (SID_A & 0x7f) * 32);

	wr(VTD_REG_IQT, 8, 0);
	wr(VTD_REG_IQA, 8, (RAM_GPA + OFF_QUEUE) | VTD_IQA_DW);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE);
	re[0] = (RAM_GPA + OFF_CTX) | VTD_RE_P;
	ce[0] = (RAM_GPA + OFF_PDIR) | VTD_SCE_0_P | VTD_SCE_0_PASIDE | VTD_SCE_0_PRE |
		(3ull << VTD_SCE_0_PDTS_SHIFT);
	wr(VTD_REG_RTADDR, 8, (RAM_GPA + OFF_ROOT) | VTD_RTADDR_TTM_SCALABLE);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_SRTP);
	put(QW_CC_GLOBAL, 0);
	put(QW_PC_GLOBAL, 0);
	assert_true(submit_wait());
	if (te)
		wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_TE);
	wr(VTD_REG_FECTL, 4, 0); /* fault event unmasked */
}

/* Guest PASID @p (a shared one from the virtual command when 0) bound on device A with
 * GVA mapped: fx.gpasid, fx.hpasid. */
static void bind(uint32_t p)
{
	uint64_t root = vte_new_table(&fx.e), tbl, *pe;

	if (!p) {
		wr(VVTD_REG_VCMD, 8, VVTD_VCMD_ALLOC);
		p = (uint32_t)(rd(VVTD_REG_VCRSP, 8) >> VVTD_VC_SHIFT);
	}
	vte_fl_map(&fx.e, root, GVA, RAM_GPA + OFF_DATA, VTE_FLF);
	tbl = RAM_GPA + (p >= PASID_SHARED_GFIRST ? OFF_PTBL_SH : OFF_PTBL);
	((uint64_t *)at(OFF_PDIR))[p >> 6] = tbl | VTD_PDE_P;
	pe = (uint64_t *)at(tbl - RAM_GPA) + (p & 63) * 8;
	memset(pe, 0, 64);
	pe[1] = GDID;
	pe[2] = root;
	pe[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_FL << 6);
	put(VTD_QI_TYPE_PC | VTD_QI_GRAN(1) | VTD_QI_DID(GDID) | VTD_QI_PASID(p), 0);
	assert_true(submit_wait());
	assert_non_null(vvtd_find_shadow(&fx.v, SID_A, p));
	fx.gpasid = p;
	fx.hpasid = VTD_NO_PASID;
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (fx.e.g.pasid[i].live && fx.e.g.pasid[i].gpasid == p)
			fx.hpasid = fx.e.g.pasid[i].hpasid;
	assert_int_not_equal(fx.hpasid, VTD_NO_PASID);
}

static uint64_t frcd(unsigned int i, unsigned int half)
{
	return rd(VVTD_FRO + i * VTD_FRCD_LEN + half * 8, 8);
}

/* ---- the device's side ------------------------------------------------------------ */

/* A write of the device with host PASID @hpasid (MODEL_NO_PASID: none) at @addr:
 * the model's fault reason (0: translated). */
static int device_writes(uint16_t sid, uint32_t hpasid, uint64_t addr)
{
	struct model_req r = { .sid = sid, .pasid = hpasid, .addr = addr, .write = true };
	uint64_t v = 0x1234;

	return vte_dma(&fx.e, r, &v);
}

/* The embedder's poll: the physical fault recording registers into the router. */
static int poll_faults(void)
{
	return vtd_fault_process(&fx.e.u, vvtd_poll_fault, &fx.p);
}

/* ---- delivered -------------------------------------------------------------------- */

static void fault_on_a_shared_pasid_is_recorded_under_the_guest_pasid(void **state)
{
	uint64_t lo, hi;
	int reason;

	(void)state;
	guest_init(true);
	bind(0);
	assert_int_not_equal(fx.gpasid, fx.hpasid); /* a shared PASID: host number differs */
	assert_int_equal(device_writes(SID_A, fx.hpasid, GVA), 0);
	reason = device_writes(SID_A, fx.hpasid, GVA_HOLE + 0x18);
	assert_true(reason > 0);
	assert_int_equal(rd(VTD_REG_FSTS, 4) & VTD_FSTS_PPF, 0);
	assert_int_equal(poll_faults(), 1);
	assert_int_equal(fx.p.cnt.delivered, 1);
	assert_true(rd(VTD_REG_FSTS, 4) & VTD_FSTS_PPF);
	lo = frcd(0, 0);
	hi = frcd(0, 1);
	assert_int_equal(lo, GVA_HOLE); /* the page the physical unit recorded */
	assert_true(hi & VTD_FRCD_HI_F);
	assert_int_equal(VTD_FRCD_HI_SID(hi), SID_A);
	assert_true(hi & VTD_FRCD_HI_PP);
	assert_int_equal(VTD_FRCD_HI_PV(hi), fx.gpasid); /* the GUEST's PASID */
	assert_int_equal(VTD_FRCD_HI_FR(hi), reason);
	assert_false(hi & VTD_FRCD_HI_T); /* a write */
	assert_int_equal(fx.events[VVTD_EV_FAULT], 1);
}

static void fault_on_a_rid_local_pasid_keeps_its_number(void **state)
{
	uint64_t hi;

	(void)state;
	guest_init(true);
	bind(0x23);
	assert_int_equal(fx.gpasid, fx.hpasid); /* RID-local: same number in the tables */
	assert_true(device_writes(SID_A, fx.hpasid, GVA_HOLE) > 0);
	assert_int_equal(poll_faults(), 1);
	hi = frcd(0, 1);
	assert_true(hi & VTD_FRCD_HI_F);
	assert_int_equal(VTD_FRCD_HI_PV(hi), 0x23);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 1);
}

static void physical_record_is_cleared_after_the_poll(void **state)
{
	(void)state;
	guest_init(true);
	bind(0);
	assert_true(device_writes(SID_A, fx.hpasid, GVA_HOLE) > 0);
	assert_int_equal(poll_faults(), 1);
	assert_int_equal(poll_faults(), 0); /* F cleared on the physical unit: once only */
	assert_int_equal(fx.p.cnt.faults, 1);
	assert_int_equal(fx.v.cnt.faults_recorded, 1);
}

static void request_without_pasid_is_delivered_when_the_guest_translates(void **state)
{
	uint64_t hi;

	(void)state;
	guest_init(true); /* no RID_PASID entry in the guest's table: blocked (§7.1.3) */
	assert_true(device_writes(SID_A, MODEL_NO_PASID, RAM_GPA + OFF_DATA) > 0);
	assert_int_equal(poll_faults(), 1);
	hi = frcd(0, 1);
	assert_true(hi & VTD_FRCD_HI_F);
	assert_false(hi & VTD_FRCD_HI_PP);
	assert_int_equal(frcd(0, 0), RAM_GPA + OFF_DATA);
	assert_int_equal(fx.p.cnt.delivered, 1);
}

static void guest_log_full_sets_pfo_and_drops(void **state)
{
	(void)state;
	guest_init(true);
	bind(0);
	for (unsigned int i = 0; i <= VVTD_NFR; i++) {
		assert_true(device_writes(SID_A, fx.hpasid, GVA_HOLE + i * 0x1000ull) > 0);
		poll_faults();
	}
	assert_int_equal(fx.p.cnt.delivered, VVTD_NFR);
	assert_int_equal(fx.p.cnt.overflow, 1);
	assert_true(rd(VTD_REG_FSTS, 4) & VTD_FSTS_PFO);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 1); /* one event until serviced */
}

/* ---- not delivered ---------------------------------------------------------------- */

static void fault_on_a_pasid_the_guest_does_not_own_is_not_delivered(void **state)
{
	(void)state;
	guest_init(true);
	bind(0);
	assert_true(device_writes(SID_A, 0x4242, GVA) > 0); /* no entry: the guest's? no */
	assert_int_equal(poll_faults(), 1);
	assert_int_equal(fx.p.cnt.foreign, 1);
	assert_int_equal(fx.p.cnt.delivered, 0);
	assert_int_equal(rd(VTD_REG_FSTS, 4), 0);
	assert_false(frcd(0, 1) & VTD_FRCD_HI_F);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 0);
}

static void fault_of_a_freed_pasid_is_not_delivered(void **state)
{
	uint32_t hpasid;

	(void)state;
	guest_init(true);
	bind(0);
	hpasid = fx.hpasid;
	wr(VVTD_REG_VCMD, 8, VVTD_VCMD_FREE | ((uint64_t)fx.gpasid << VVTD_VC_SHIFT));
	assert_true(device_writes(SID_A, hpasid, GVA) > 0); /* the entry is gone */
	assert_int_equal(poll_faults(), 1);
	assert_int_equal(fx.p.cnt.foreign, 1);
	assert_int_equal(rd(VTD_REG_FSTS, 4) & VTD_FSTS_PPF, 0);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 0);
}

static void fault_of_a_device_outside_the_scope_is_not_delivered(void **state)
{
	(void)state;
	guest_init(true);
	assert_true(device_writes(SID_X, MODEL_NO_PASID, RAM_GPA) > 0); /* no context entry */
	assert_int_equal(poll_faults(), 1);
	assert_int_equal(fx.p.cnt.unowned, 1);
	assert_int_equal(rd(VTD_REG_FSTS, 4), 0);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 0);
}

static void request_without_pasid_is_not_delivered_while_translation_is_off(void **state)
{
	(void)state;
	guest_init(false);
	/* GPA pass-through by the platform's second level: hypervisor memory faults */
	assert_true(device_writes(SID_A, MODEL_NO_PASID, RAM_GPA + RAM_SIZE) > 0);
	assert_int_equal(poll_faults(), 1);
	assert_int_equal(fx.p.cnt.untranslated, 1);
	assert_int_equal(rd(VTD_REG_FSTS, 4), 0);
}

/* ---- the embedder's poll: faults and page requests of one unit -------------------- */

static void one_poll_drains_faults_and_page_requests(void **state)
{
	struct model_prq pr;
	const uint64_t *d;

	(void)state;
	guest_init(true);
	wr(VTD_REG_PQH, 8, 0);
	wr(VTD_REG_PQT, 8, 0);
	wr(VTD_REG_PQA, 8, RAM_GPA + OFF_PRQ);
	wr(VTD_REG_PECTL, 4, 0);
	bind(0);
	assert_true(device_writes(SID_A, fx.hpasid, GVA_HOLE) > 0);
	pr = (struct model_prq){ .sid = SID_A,
				 .pasid = fx.hpasid,
				 .addr = GVA_HOLE,
				 .write = true,
				 .prgi = 0x42,
				 .lpig = true };
	env_sync_to_model();
	assert_int_equal(model_page_request(fx.e.m, &pr), 0);
	env_sync_from_model();
	assert_int_equal(poll_faults(), 1);
	assert_int_equal(vtd_prq_drain(&fx.q, vsva_prq_route, &fx.r), 1);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 1);
	assert_int_equal(fx.events[VVTD_EV_PRQ], 1);
	d = at(OFF_PRQ);
	assert_int_equal(VTD_FIELD(d[0], 51, 32), fx.gpasid);
	assert_int_equal(d[1] & VTD_GENMASK(63, 12), GVA_HOLE);
	assert_int_equal(VTD_FIELD(d[1], 11, 3), 0x42);
	assert_int_equal(VTD_FRCD_HI_PV(frcd(0, 1)), fx.gpasid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			fault_on_a_shared_pasid_is_recorded_under_the_guest_pasid, setup, teardown),
		cmocka_unit_test_setup_teardown(fault_on_a_rid_local_pasid_keeps_its_number, setup,
						teardown),
		cmocka_unit_test_setup_teardown(physical_record_is_cleared_after_the_poll, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			request_without_pasid_is_delivered_when_the_guest_translates, setup,
			teardown),
		cmocka_unit_test_setup_teardown(guest_log_full_sets_pfo_and_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(
			fault_on_a_pasid_the_guest_does_not_own_is_not_delivered, setup, teardown),
		cmocka_unit_test_setup_teardown(fault_of_a_freed_pasid_is_not_delivered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			fault_of_a_device_outside_the_scope_is_not_delivered, setup, teardown),
		cmocka_unit_test_setup_teardown(
			request_without_pasid_is_not_delivered_while_translation_is_off, setup,
			teardown),
		cmocka_unit_test_setup_teardown(one_poll_drains_faults_and_page_requests, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
